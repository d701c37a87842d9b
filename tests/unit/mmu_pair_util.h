/* SPDX-License-Identifier: MIT */
/*
 * The driver's MMU code against the device model's MMU, both through the simulated platform
 * (test_mmu_pair.c, test_dma_coherency.c): the pair, a context on it, and the model's side read
 * through its test interface under its lock. Include after <cmocka.h>.
 */
#ifndef NPU_TEST_MMU_PAIR_UTIL_H
#define NPU_TEST_MMU_PAIR_UTIL_H

#include <string.h>

#include "driver/mmio.h"
#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "platform/backends.h"
#include "sim/sim_test.h"

struct pair {
	struct npu_platform *plat;
	struct npu_sim *sim;
	struct npu_mmio m;
	struct npu_mmu mmu;
	struct npu_mmu_event ev[16];
	unsigned n_ev;
};

static inline void pair_open(struct pair *t, enum npu_gen gen, enum npu_sim_fault fault)
{
	struct npu_platform_config cfg = { .device = "sim", .gen = gen, .fault = fault };

	memset(t, 0, sizeof(*t));
	assert_int_equal(npu_platform_open(&cfg, &t->plat), 0);
	t->sim = npu_platform_sim_model(t->plat);
	assert_non_null(t->sim);
	t->m.plat = t->plat;
	assert_int_equal(drv_mmu_init(&t->mmu, t->plat), 0);
}

/* The pair with the SMMU on and context `ssid` (its page tables in *ctx) in the descriptor table. */
static inline void pair_open_ctx(struct pair *t, enum npu_gen gen, struct npu_mmu_ctx *ctx,
				 uint32_t ssid)
{
	pair_open(t, gen, NPU_SIM_FAULT_NONE);
	assert_int_equal(drv_mmu_enable(&t->mmu, &t->m), 0);
	assert_int_equal(drv_mmu_ctx_init(ctx, t->plat, ssid), 0);
	assert_int_equal(drv_mmu_set_cd(&t->mmu, &t->m, ssid, ctx->pgd.addr), 0);
}

static inline void pair_close(struct pair *t)
{
	drv_mmu_fini(&t->mmu);
	npu_platform_close(t->plat);
}

/* The NPU's access, as its firmware or a job would make it. */
static inline int npu_access(struct pair *t, uint32_t ssid, uint64_t va, void *buf, size_t len,
			     bool write)
{
	int ret;

	npu_sim_test_lock(t->sim);
	ret = npu_sim_test_access(t->sim, ssid, va, buf, len, write);
	npu_sim_test_unlock(t->sim);
	return ret;
}

/* The device's SMMU state, read under the model's lock. */
static inline struct npu_sim_test_mmu mmu_state(struct pair *t)
{
	struct npu_sim_test_mmu m;

	npu_sim_test_lock(t->sim);
	npu_sim_test_mmu_get(t->sim, &m);
	npu_sim_test_unlock(t->sim);
	return m;
}

static inline uint64_t guest_errors(struct pair *t)
{
	uint64_t v;

	npu_sim_test_lock(t->sim);
	v = npu_sim_test_guest_errors(t->sim);
	npu_sim_test_unlock(t->sim);
	return v;
}

#endif
