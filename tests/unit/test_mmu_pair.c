/* SPDX-License-Identifier: MIT */
/*
 * The driver's MMU against the device model's, through the sim platform
 * (npu_platform_open with device "sim"): bring-up, context descriptors, page
 * tables built by drv_mmu_ctx_map and walked by sim_mmu_access, invalidation,
 * the commands as the model receives them, and fault events drained by the
 * driver, with the model's queue state corrupted on purpose where a broken
 * device is the point.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/mmio.h"
#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "hw/fw_header.h"
#include "hw/regs_mmu.h"
#include "platform/backends.h"
#include "sim/sim_test.h"
#include "mmu_pair_util.h"
#include "util/bytes.h"

static const struct npu_dma_use test_use = { "test", NPU_DMA_WC, false };

#define PAGE 4096u

static uint64_t icb_status(struct pair *t)
{
	uint64_t v;

	npu_sim_test_lock(t->sim);
	v = npu_sim_test_icb_status(t->sim);
	npu_sim_test_unlock(t->sim);
	return v;
}

/* A device gone wrong: a command queue base or an event PROD the host did not set. */
static void mmu_set_cmdq_base(struct pair *t, uint64_t base)
{
	struct npu_sim_test_mmu m;

	npu_sim_test_lock(t->sim);
	npu_sim_test_mmu_get(t->sim, &m);
	m.cmdq_base = base;
	npu_sim_test_mmu_set(t->sim, &m);
	npu_sim_test_unlock(t->sim);
}

static void mmu_set_evtq_prod(struct pair *t, uint32_t prod)
{
	struct npu_sim_test_mmu m;

	npu_sim_test_lock(t->sim);
	npu_sim_test_mmu_get(t->sim, &m);
	m.evtq_prod = prod;
	npu_sim_test_mmu_set(t->sim, &m);
	npu_sim_test_unlock(t->sim);
}

static void collect(void *ctx, const struct npu_mmu_event *ev)
{
	struct pair *t = ctx;

	assert_true(t->n_ev < 16);
	t->ev[t->n_ev++] = *ev;
}

static void expect_one_event(struct pair *t, uint32_t id, uint32_t ssid, uint64_t va)
{
	t->n_ev = 0;
	assert_int_equal(drv_mmu_drain_events(&t->mmu, &t->m, collect, t), 1);
	assert_int_equal(t->ev[0].id, id);
	assert_int_equal(t->ev[0].ssid, ssid);
	assert_int_equal(t->ev[0].stream_id, 0);
	assert_int_equal(t->ev[0].input_va, va);
	assert_int_equal(drv_mmu_drain_events(&t->mmu, &t->m, collect, t), 0);
}

static void run_pair(enum npu_gen gen, uint64_t va)
{
	struct pair t;
	struct npu_mmu_ctx ctx;
	struct npu_dma buf;
	uint8_t bytes[3 * PAGE], back[3 * PAGE];
	const uint32_t ssid = NPU_MMU_SSID_USER_FIRST;

	pair_open(&t, gen, NPU_SIM_FAULT_NONE);
	assert_int_equal(drv_mmu_enable(&t.mmu, &t.m), 0);
	assert_true(t.mmu.enabled);
	/* The model's view: on, with every queue and interrupt the sequence turns on. */
	assert_int_equal(mmu_state(&t).cr0, NPU_MMU_CR0_SMMUEN | NPU_MMU_CR0_EVTQEN |
						NPU_MMU_CR0_CMDQEN | NPU_MMU_CR0_ATSCHK);
	assert_int_equal(mmu_state(&t).irq_ctrl, 0x5);
	assert_int_equal(mmu_state(&t).cmdq_cons, t.mmu.cmdq_prod);
	assert_int_equal(t.mmu.cmdq_prod, 6); /* two batches of three */
	assert_int_equal(mmu_state(&t).strtab_cfg, 2);
	assert_int_equal(mmu_state(&t).cr1, NPU_MMU_CR1_VAL);

	assert_int_equal(drv_mmu_ctx_init(&ctx, t.plat, ssid), 0);
	assert_int_equal(drv_mmu_set_cd(&t.mmu, &t.m, ssid, ctx.pgd.addr), 0);
	assert_int_equal(npu_dma_alloc(t.plat, sizeof(bytes), &test_use, &buf), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, t.plat, va, buf.addr, buf.size, 0), 0);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, ssid), 0);

	/* The device reads what the CPU wrote, across pages; the CPU sees what it writes. */
	for (size_t i = 0; i < sizeof(bytes); i++)
		((uint8_t *)buf.cpu)[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(npu_access(&t, ssid, va + 100, back, sizeof(bytes) - 200, false), 0);
	assert_memory_equal(back, (uint8_t *)buf.cpu + 100, sizeof(bytes) - 200);
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(npu_access(&t, ssid, va, bytes, sizeof(bytes), true), 0);
	assert_memory_equal(buf.cpu, bytes, sizeof(bytes));
	assert_int_equal(mmu_state(&t).faults, 0);

	/* Read-only mapping: a device write faults with a permission event. */
	assert_int_equal(
	    drv_mmu_ctx_map(&ctx, t.plat, va + 16 * PAGE, buf.addr, PAGE, NPU_MMU_MAP_READ_ONLY),
	    0);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, ssid), 0);
	assert_int_equal(npu_access(&t, ssid, va + 16 * PAGE, back, 16, false), 0);
	assert_memory_equal(back, bytes, 16);
	assert_int_equal(npu_access(&t, ssid, va + 16 * PAGE + 8, bytes, 8, true), -EACCES);
	assert_true(icb_status(&t) & NPU_MMU_ICB_EVTQ);
	expect_one_event(&t, NPU_MMU_EVT_F_PERMISSION, ssid, va + 16 * PAGE + 8);

	/* Unmapped and invalidated: the access faults, the driver gets the event. */
	assert_int_equal(drv_mmu_ctx_unmap(&ctx, va, buf.size), 0);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, ssid), 0);
	assert_int_equal(npu_access(&t, ssid, va + PAGE, back, 16, false), -EFAULT);
	expect_one_event(&t, NPU_MMU_EVT_F_TRANSLATION, ssid, va + PAGE);

	/* Context gone: bad CD. */
	assert_int_equal(drv_mmu_clear_cd(&t.mmu, &t.m, ssid), 0);
	assert_int_equal(npu_access(&t, ssid, va + 16 * PAGE, back, 16, false), -EFAULT);
	expect_one_event(&t, NPU_MMU_EVT_C_BAD_CD, ssid, va + 16 * PAGE);
	assert_int_equal(mmu_state(&t).faults, 3);
	assert_int_equal(mmu_state(&t).cmdq_cons, t.mmu.cmdq_prod);
	assert_int_equal(t.mmu.events, 3);

	/* Off for the driver only (Linux ivpu_mmu_disable): CR0 waits for the IP reset. */
	drv_mmu_disable(&t.mmu, &t.m);
	assert_false(t.mmu.enabled);
	assert_true(mmu_state(&t).cr0 & NPU_MMU_CR0_SMMUEN);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, ssid), 0);
	assert_int_equal(mmu_state(&t).cmdq_prod, t.mmu.cmdq_prod); /* no command sent */
	assert_int_equal(guest_errors(&t), 0);
	drv_mmu_ctx_fini(&ctx, t.plat);
	npu_dma_free(t.plat, &buf);
	pair_close(&t);
}

static void test_pair_37xx(void **state)
{
	(void)state;
	run_pair(NPU_GEN_37XX, NPU_VA_37XX_USER_START + 0x1FF000); /* crosses a 2 MiB line */
}

static void test_pair_40xx(void **state)
{
	(void)state;
	run_pair(NPU_GEN_40XX, NPU_VA_40XX_USER_START + 0x3FFFF000); /* crosses a 1 GiB line */
}

/* The firmware context (SSID 0, A set): translations work, faults abort. */
static void test_global_context(void **state)
{
	struct pair t;
	struct npu_mmu_ctx g;
	struct npu_dma buf;
	uint8_t back[8] = { 0 };
	uint64_t va = NPU_VA_37XX_GLOBAL_START;

	(void)state;
	pair_open(&t, NPU_GEN_37XX, NPU_SIM_FAULT_NONE);
	/* CD first, MMU second, as a boot may do it: the enable's invalidation covers it. */
	assert_int_equal(drv_mmu_ctx_init(&g, t.plat, NPU_MMU_SSID_GLOBAL), 0);
	assert_int_equal(drv_mmu_set_cd(&t.mmu, NULL, NPU_MMU_SSID_GLOBAL, g.pgd.addr), 0);
	assert_int_equal(npu_dma_alloc(t.plat, PAGE, &test_use, &buf), 0);
	assert_int_equal(drv_mmu_ctx_map(&g, t.plat, va, buf.addr, PAGE, NPU_MMU_MAP_SNOOP), 0);
	assert_int_equal(npu_access(&t, 0, va, back, 8, false), -EFAULT); /* MMU still off */
	assert_int_equal(drv_mmu_enable(&t.mmu, &t.m), 0);
	memcpy(buf.cpu, "firmware", 8);
	assert_int_equal(npu_access(&t, 0, va, back, 8, false), 0);
	assert_memory_equal(back, "firmware", 8);
	memset(back, 0x33, sizeof(back));
	assert_int_equal(npu_access(&t, 0, va + PAGE, back, 8, false), -EFAULT);
	assert_int_equal(back[0], 0x33); /* aborted, not read-as-zero */
	expect_one_event(&t, NPU_MMU_EVT_F_TRANSLATION, 0, va + PAGE);
	drv_mmu_ctx_fini(&g, t.plat);
	npu_dma_free(t.plat, &buf);
	pair_close(&t);
}

/* A device that reads all-ones: enable and drain fail with -EIO, nothing hangs. */
static void test_dead_device(void **state)
{
	struct pair t;

	(void)state;
	pair_open(&t, NPU_GEN_37XX, NPU_SIM_FAULT_DEAD_MMIO);
	assert_int_equal(drv_mmu_enable(&t.mmu, &t.m), -EIO);
	assert_false(t.mmu.enabled);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, NULL, NULL), -EIO);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, 2), 0); /* disabled: no-op */
	pair_close(&t);
}

/* Command encoding (docs/firmware-protocol.md §5.2) as the model received it, a failed command, recovery. */
static void test_commands(void **state)
{
	struct pair t;
	const uint8_t *q;
	uint64_t base;

	(void)state;
	pair_open(&t, NPU_GEN_37XX, NPU_SIM_FAULT_NONE);
	q = t.mmu.cmdq.cpu;
	assert_int_equal(drv_mmu_enable(&t.mmu, &t.m), 0);
	for (unsigned b = 0; b < 2; b++) { /* CFGI_ALL range 0x1F, TLBI_NSNH_ALL, SYNC */
		assert_int_equal(npu_le64(q + (3 * b) * 16), 0x04);
		assert_int_equal(npu_le64(q + (3 * b) * 16 + 8), 0x1F);
		assert_int_equal(npu_le64(q + (3 * b + 1) * 16), 0x30);
		assert_int_equal(npu_le64(q + (3 * b + 2) * 16), 0x46);
		assert_int_equal(npu_le64(q + (3 * b + 2) * 16 + 8), 0);
	}
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, 7), 0);
	assert_int_equal(npu_le64(q + 6 * 16), 0x11 | 7ull << 48);
	assert_int_equal(npu_le64(q + 7 * 16), 0x46);
	assert_int_equal(drv_mmu_set_cd(&t.mmu, &t.m, 9, 0x4000), 0);
	assert_int_equal(npu_le64(q + 8 * 16), 0x04);
	assert_int_equal(npu_le64(q + 9 * 16), 0x46);

	/* The device cannot fetch its queue: CONS.ERR, -EIO at once, GERROR.CMDQ. */
	base = mmu_state(&t).cmdq_base;
	mmu_set_cmdq_base(&t, 0x2000 | 4);
	assert_int_equal(drv_mmu_clear_cd(&t.mmu, &t.m, 9), -EIO);
	assert_true(icb_status(&t) & NPU_MMU_ICB_GERROR);
	/* Repaired; the global-error handler acks, the device resumes, the queue works again. */
	mmu_set_cmdq_base(&t, base);
	assert_int_equal(drv_mmu_handle_gerror(&t.mmu, &t.m), NPU_MMU_GERROR_CMDQ);
	assert_int_equal(mmu_state(&t).cmdq_cons, t.mmu.cmdq_prod);
	assert_int_equal(drv_mmu_handle_gerror(&t.mmu, &t.m), 0);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, 9), 0);
	pair_close(&t);
}

/* n translation faults in SSID 2 (no CD: C_BAD_CD), VA 0x1000 * i. */
static void make_faults(struct pair *t, unsigned first, unsigned n)
{
	uint8_t b[4];

	for (unsigned i = first; i < first + n; i++)
		assert_int_equal(npu_access(t, 2, 0x1000ull * i, b, 4, false), -EFAULT);
}

/* Draining: decode, wrap, full queue, overflow, and PROD values the device got wrong. */
static void test_events(void **state)
{
	struct pair t;

	(void)state;
	pair_open(&t, NPU_GEN_40XX, NPU_SIM_FAULT_NONE);
	assert_int_equal(drv_mmu_enable(&t.mmu, &t.m), 0);
	make_faults(&t, 1, 3);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, collect, &t), 3);
	assert_int_equal(t.ev[2].id, NPU_MMU_EVT_C_BAD_CD);
	assert_int_equal(t.ev[2].ssid, 2);
	assert_int_equal(t.ev[2].input_va, 0x3000);
	assert_int_equal(mmu_state(&t).evtq_cons, 3);

	/* Garbage: PROD claims 28 records after CONS 3. Nothing consumed, CONS untouched. */
	mmu_set_evtq_prod(&t, 0x1F);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, collect, &t), -EIO);
	assert_int_equal(mmu_state(&t).evtq_cons, 3);
	mmu_set_evtq_prod(&t, 3);

	/* A full queue across the wrap, then one more: lost, reported, acknowledged. */
	make_faults(&t, 0x10, 17);
	assert_int_equal(mmu_state(&t).evtq_prod, NPU_MMU_EVTQ_PROD_OVFLG | 0x13);
	t.n_ev = 0;
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, collect, &t), 16);
	assert_int_equal(t.ev[15].input_va, 0x1F000);
	assert_int_equal(t.mmu.events_lost, 1);
	assert_int_equal(mmu_state(&t).evtq_cons, NPU_MMU_EVTQ_CONS_OVACKFLG | 0x13);
	make_faults(&t, 0x30, 1);
	t.n_ev = 0;
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, collect, &t), 1);
	assert_int_equal(t.ev[0].input_va, 0x30000);
	assert_int_equal(t.mmu.events_lost, 1);
	assert_int_equal(t.mmu.events, 3 + 16 + 1);
	pair_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_37xx),      cmocka_unit_test(test_pair_40xx),
		cmocka_unit_test(test_global_context), cmocka_unit_test(test_dead_device),
		cmocka_unit_test(test_commands),       cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
