/* SPDX-License-Identifier: MIT */
/*
 * The model's non-coherent memory (docs/dma.md, docs/simulator.md "Non-coherent memory"):
 * a write-back buffer's CPU view reaches a non-snooping device only through a flush;
 * write-combined buffers write through; snooped device accesses see the CPU's view; a
 * non-snooped device write reaches the CPU after an invalidate; the MMU's own accesses
 * snoop as TCU_PTW_OVERRIDES says.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_mmu.h"
#include "sim/sim_internal.h"

#define PAGE 4096u

/* ---- the model alone ---- */

static struct npu_sim *model(enum npu_gen gen)
{
	struct npu_sim_config cfg = { .gen = gen, .mem_size = 64 * PAGE };
	struct npu_sim *s = NULL;

	assert_int_equal(npu_sim_create(&cfg, &s), 0);
	return s;
}

/* What a device access of 8 bytes at pa reads, snooped or not. */
static uint64_t dev_read(struct npu_sim *s, uint64_t pa, bool snooped)
{
	const uint8_t *p;
	uint64_t v;

	pthread_mutex_lock(&s->lock);
	p = sim_mem_view(s, pa, 8, snooped);
	assert_non_null(p);
	memcpy(&v, p, 8);
	pthread_mutex_unlock(&s->lock);
	return v;
}

static void dev_write(struct npu_sim *s, uint64_t pa, uint64_t v, bool snooped)
{
	pthread_mutex_lock(&s->lock);
	assert_int_equal(sim_dma_write(s, pa, &v, 8, snooped), 0);
	pthread_mutex_unlock(&s->lock);
}

static void test_model_wb_reaches_memory_on_flush(void **state)
{
	struct npu_sim *s = model(NPU_GEN_37XX);
	uint64_t *cpu, pa;

	(void)state;
	assert_int_equal(npu_sim_dma_alloc_cached(s, 2 * PAGE, NPU_DMA_WB, (void **)&cpu, &pa), 0);
	cpu[PAGE / 8 + 1] = 0x1122334455667788ull;
	/* Not flushed: memory still holds the zeroes; a snoop finds the CPU's line. */
	assert_int_equal(dev_read(s, pa + PAGE + 8, false), 0);
	assert_int_equal(dev_read(s, pa + PAGE + 8, true), 0x1122334455667788ull);
	/* A flush of another range does not help. */
	assert_int_equal(npu_sim_dma_sync(s, cpu, 8, true), 0);
	assert_int_equal(dev_read(s, pa + PAGE + 8, false), 0);
	assert_int_equal(npu_sim_dma_sync(s, cpu + PAGE / 8, 16, true), 0);
	assert_int_equal(dev_read(s, pa + PAGE + 8, false), 0x1122334455667788ull);
	npu_sim_dma_free(s, pa);
	npu_sim_destroy(s);
}

static void test_model_wc_writes_through(void **state)
{
	struct npu_sim *s = model(NPU_GEN_40XX);
	uint64_t *cpu, pa;

	(void)state;
	assert_int_equal(npu_sim_dma_alloc_cached(s, PAGE, NPU_DMA_WC, (void **)&cpu, &pa), 0);
	cpu[3] = 42;
	assert_int_equal(dev_read(s, pa + 24, false), 42);
	assert_int_equal(dev_read(s, pa + 24, true), 42);
	dev_write(s, pa + 32, 7, false);
	assert_int_equal(cpu[4], 7);
	npu_sim_dma_free(s, pa);
	/* Uncached: the same. */
	assert_int_equal(npu_sim_dma_alloc_cached(s, PAGE, NPU_DMA_UC, (void **)&cpu, &pa), 0);
	cpu[0] = 9;
	assert_int_equal(dev_read(s, pa, false), 9);
	npu_sim_dma_free(s, pa);
	npu_sim_destroy(s);
}

static void test_model_device_writes(void **state)
{
	struct npu_sim *s = model(NPU_GEN_37XX);
	uint64_t *cpu, pa, old_pa;

	(void)state;
	assert_int_equal(npu_sim_dma_alloc_cached(s, PAGE, NPU_DMA_WB, (void **)&cpu, &pa), 0);
	/* Non-snooped: memory only; the CPU reads its stale line until it invalidates. */
	dev_write(s, pa + 64, 0xAB, false);
	assert_int_equal(cpu[8], 0);
	assert_int_equal(npu_sim_dma_sync(s, cpu + 8, 8, false), 0);
	assert_int_equal(cpu[8], 0xAB);
	/* Snooped: the CPU sees it at once, and an invalidate keeps it. */
	dev_write(s, pa + 128, 0xCD, true);
	assert_int_equal(cpu[16], 0xCD);
	assert_int_equal(npu_sim_dma_sync(s, cpu, PAGE, false), 0);
	assert_int_equal(cpu[16], 0xCD);
	/* A fresh write-back buffer on the same page (first fit) is zero in both views. */
	npu_sim_dma_free(s, pa);
	old_pa = pa;
	assert_int_equal(npu_sim_dma_alloc_cached(s, PAGE, NPU_DMA_WB, (void **)&cpu, &pa), 0);
	assert_int_equal(pa, old_pa);
	assert_int_equal(cpu[8], 0);
	assert_int_equal(dev_read(s, pa + 64, false), 0);
	npu_sim_dma_free(s, pa);
	npu_sim_destroy(s);
}

/* docs/hardware.md §2.5: 37xx NOSNOOP bits, 40xx SNOOP bits of opposite polarity; off: no snoop. */
static void test_model_tcu_override(void **state)
{
	struct npu_sim *s = model(NPU_GEN_37XX);

	(void)state;
	assert_false(sim_cache_tcu_snooped(s, false));
	assert_false(sim_cache_tcu_snooped(s, true));
	/* What Linux writes: reads not snooped, writes snooped. */
	s->ip.tcu_ptw_overrides = NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_NOSNOOP_OVERRIDE_EN |
				  NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_AR_NOSNOOP;
	assert_false(sim_cache_tcu_snooped(s, false));
	assert_true(sim_cache_tcu_snooped(s, true));
	s->ip.tcu_ptw_overrides = NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_AR_NOSNOOP; /* not enabled */
	assert_false(sim_cache_tcu_snooped(s, true));
	npu_sim_destroy(s);

	s = model(NPU_GEN_40XX);
	s->ip.tcu_ptw_overrides = NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_SNOOP_OVERRIDE_EN |
				  NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_AW_SNOOP;
	assert_false(sim_cache_tcu_snooped(s, false));
	assert_true(sim_cache_tcu_snooped(s, true));
	npu_sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_wb_reaches_memory_on_flush),
		cmocka_unit_test(test_model_wc_writes_through),
		cmocka_unit_test(test_model_device_writes),
		cmocka_unit_test(test_model_tcu_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
