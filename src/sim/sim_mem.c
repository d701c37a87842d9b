/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's "physical" memory: one arena of mem_size bytes whose
 * first byte has the bus address NPU_SIM_MEM_BASE, handed out to the driver
 * as DMA buffers by a first-fit page allocator.
 *
 * mem_map has one byte per 4 KiB page: 0 free, 2 the first page of a buffer,
 * 1 a following page of the same buffer. A buffer is freed by the address of
 * its first page; anything else is a guest error, survived.
 */
#include <errno.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "util/log.h"

#define SIM_PAGE_SHIFT 12
#define SIM_PAGE_SIZE  ((size_t)1 << SIM_PAGE_SHIFT)

enum { PAGE_FREE = 0, PAGE_USED = 1, PAGE_HEAD = 2 };

void *sim_mem_ptr(struct npu_sim *s, uint64_t pa, size_t len)
{
	uint64_t off;

	if (s->mem_ops)
		return sim_mem_backend_ptr(s, pa, len);
	if (pa < NPU_SIM_MEM_BASE)
		return NULL;
	off = pa - NPU_SIM_MEM_BASE;
	/* Written so that no sum can wrap: off + len <= mem_size. */
	if (off >= s->mem_size || len > s->mem_size - off)
		return NULL;
	return s->mem + off;
}

size_t sim_mem_contig(struct npu_sim *s, uint64_t pa, size_t len)
{
	size_t avail = 0;

	if (s->mem_ops) {
		/* The backend's regions need not follow each other in host memory. */
		if (!s->mem_ops->map(s->mem_ctx, pa, len, &avail))
			return 0;
		return avail < len ? avail : len;
	}
	return sim_mem_ptr(s, pa, len) ? len : 0;
}

/* First run of n free pages, or -1. */
static long find_free_run(const struct npu_sim *s, size_t n)
{
	size_t pages = s->mem_size >> SIM_PAGE_SHIFT;
	size_t run = 0;

	for (size_t i = 0; i < pages; i++) {
		run = s->mem_map[i] == PAGE_FREE ? run + 1 : 0;
		if (run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

int npu_sim_dma_alloc(struct npu_sim *sim, size_t size, void **cpu, uint64_t *addr)
{
	return npu_sim_dma_alloc_cached(sim, size, NPU_DMA_WC, cpu, addr);
}

int npu_sim_dma_alloc_cached(struct npu_sim *sim, size_t size, enum npu_dma_caching caching,
			     void **cpu, uint64_t *addr)
{
	size_t n;
	long first;

	if (!cpu || !addr || size == 0)
		return -EINVAL;
	if (size > sim->mem_size)
		return -ENOMEM;
	n = (size + SIM_PAGE_SIZE - 1) >> SIM_PAGE_SHIFT; /* no wrap: size <= mem_size */

	sim_host_lock(sim);
	first = find_free_run(sim, n);
	if (first < 0) {
		pthread_mutex_unlock(&sim->lock);
		npu_dbg(SIM, "DMA allocation of %zu bytes failed: no free run of %zu pages", size,
			n);
		return -ENOMEM;
	}
	sim->mem_map[first] = PAGE_HEAD;
	memset(sim->mem_map + first + 1, PAGE_USED, n - 1);
	/* Buffers come back zeroed, as the platform interface promises. */
	*cpu = sim_cache_alloc(sim, (size_t)first, n, caching);
	*addr = NPU_SIM_MEM_BASE + ((uint64_t)first << SIM_PAGE_SHIFT);
	pthread_mutex_unlock(&sim->lock);

	npu_trace(SIM, "DMA alloc %zu pages at 0x%llx", n, (unsigned long long)*addr);
	return 0;
}

void npu_sim_dma_free(struct npu_sim *sim, uint64_t addr)
{
	size_t pages = sim->mem_size >> SIM_PAGE_SHIFT;
	size_t first, i;

	sim_host_lock(sim);
	if (addr < NPU_SIM_MEM_BASE || (addr & (SIM_PAGE_SIZE - 1)) ||
	    addr - NPU_SIM_MEM_BASE >= sim->mem_size) {
		sim_guest_error(sim, "DMA free of 0x%llx: not an address of the arena",
				(unsigned long long)addr);
		goto out;
	}
	first = (size_t)((addr - NPU_SIM_MEM_BASE) >> SIM_PAGE_SHIFT);
	if (sim->mem_map[first] != PAGE_HEAD) {
		sim_guest_error(sim, "DMA free of 0x%llx: %s", (unsigned long long)addr,
				sim->mem_map[first] == PAGE_FREE ? "not allocated (double free?)"
								 : "not the start of a buffer");
		goto out;
	}
	sim->mem_map[first] = PAGE_FREE;
	for (i = first + 1; i < pages && sim->mem_map[i] == PAGE_USED; i++)
		sim->mem_map[i] = PAGE_FREE;
	sim_cache_free(sim, first, i - first);
	npu_trace(SIM, "DMA free %zu pages at 0x%llx", i - first, (unsigned long long)addr);
out:
	pthread_mutex_unlock(&sim->lock);
}

size_t npu_sim_mem_size(const struct npu_sim *sim)
{
	return sim->mem_size; /* set at creation, never changed: no lock */
}
