/* SPDX-License-Identifier: MIT */
/*
 * The memory backend hook (sim_mem_backend.h): the device physical ranges the
 * model's MMU reaches go to the arena (sim_mem.c) or to the backend installed.
 */
#include "sim/sim_mem_backend.h"

#include "sim/sim_internal.h"

void npu_sim_set_mem_backend(struct npu_sim *sim, const struct npu_sim_mem_ops *ops, void *ctx)
{
	sim_host_lock(sim);
	sim->mem_ops = ops;
	sim->mem_ctx = ctx;
	pthread_mutex_unlock(&sim->lock);
}

void npu_sim_mem_quiesce(struct npu_sim *sim, void (*fn)(void *arg), void *arg)
{
	/* The firmware thread reaches memory only with the lock (sim_internal.h). */
	sim_host_lock(sim);
	fn(arg);
	pthread_mutex_unlock(&sim->lock);
}

void *sim_mem_backend_ptr(struct npu_sim *s, uint64_t pa, size_t len)
{
	void *p = s->mem_ops->map(s->mem_ctx, pa, len, NULL);

	if (!p)
		sim_guest_error(s, "DMA to 0x%llx (+%zu): no memory there", (unsigned long long)pa,
				len);
	return p;
}
