/* SPDX-License-Identifier: MIT */
/*
 * Non-coherent DMA (docs/dma.md, docs/simulator.md "Non-coherent memory").
 *
 * The model's own views are tested in test_sim_cache.c. The driver against the
 * strict model: each structure the MMU reads without snooping
 * reaches it (page tables, stream table, context descriptors set and
 * cleared, command queue), the firmware image reaches the firmware, a
 * faulting context's events are muted, buffers beyond the NPU's DMA address
 * limit are refused, and the allocations are listed for npuctl diag.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/cmdbuf.h"
#include "driver/device.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "driver/mmio.h"
#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "hw/fw_header.h"
#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_mmu.h"
#include "platform/backends.h"
#include "platform/cache.h"
#include "sim/sim_test.h"
#include "mmu_pair_util.h"
#include "test_env.h"

#define PAGE 4096u

static const struct npu_dma_use use_wb = { "test wb", NPU_DMA_WB, false };
static const struct npu_dma_use use_wb_snooped = { "test wb snooped", NPU_DMA_WB, true };
static const struct npu_dma_use use_wc = { "test wc", NPU_DMA_WC, false };

/* The x86 flush (used by the Redox backend) keeps the bytes and returns. */
static void test_cpu_cache_flush(void **state)
{
	uint8_t buf[300];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	npu_cpu_cache_flush(buf + 3, sizeof(buf) - 3);
	npu_cpu_cache_flush(buf, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], (uint8_t)i);
}

/* ---- the driver against the model ---- */

static void count_event(void *ctx, const struct npu_mmu_event *ev)
{
	struct pair *t = ctx;

	(void)ev;
	t->n_ev++;
}

/*
 * The command queue: every command of the enable sequence reached the MMU
 * (none read as opcode 0, which it refuses), CONS caught up with PROD.
 */
static void test_cmdq_reaches_device(void **state)
{
	struct pair t;

	(void)state;
	pair_open(&t, NPU_GEN_37XX, NPU_SIM_FAULT_NONE);
	assert_int_equal(drv_mmu_enable(&t.mmu, &t.m), 0);
	assert_int_equal(mmu_state(&t).cmdq_cons, t.mmu.cmdq_prod);
	assert_int_equal(mmu_state(&t).gerror, 0);
	assert_int_equal(guest_errors(&t), 0);
	pair_close(&t);
}

/*
 * Stream table, context descriptor and page tables: a device access through
 * a context the driver just built works, for a cached snooped buffer and a
 * write-combined one; a cleared descriptor stops the next access.
 */
static void run_tables_reach_device(enum npu_gen gen, uint64_t va)
{
	struct pair t;
	struct npu_mmu_ctx ctx;
	struct npu_dma wb, wc;
	uint8_t back[16];
	const uint32_t ssid = 5;

	pair_open_ctx(&t, gen, &ctx, ssid);
	assert_int_equal(npu_dma_alloc(t.plat, PAGE, &use_wb_snooped, &wb), 0);
	assert_int_equal(npu_dma_alloc(t.plat, PAGE, &use_wc, &wc), 0);
	assert_int_equal(drv_mmu_ctx_map_dma(&ctx, t.plat, va, &wb, 0, PAGE, NPU_MMU_MAP_SNOOP), 0);
	assert_int_equal(drv_mmu_ctx_map_dma(&ctx, t.plat, va + PAGE, &wc, 0, PAGE, 0), 0);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, ssid), 0);

	memcpy(wb.cpu, "cached, snooped", 16);
	memcpy(wc.cpu, "write-combined!", 16);
	assert_int_equal(npu_access(&t, ssid, va, back, 16, false), 0);
	assert_memory_equal(back, "cached, snooped", 16);
	assert_int_equal(npu_access(&t, ssid, va + PAGE, back, 16, false), 0);
	assert_memory_equal(back, "write-combined!", 16);
	assert_int_equal(mmu_state(&t).faults, 0);

	/* The cleared CD reaches the MMU too: the next access is a bad-CD fault. */
	assert_int_equal(drv_mmu_clear_cd(&t.mmu, &t.m, ssid), 0);
	assert_int_equal(npu_access(&t, ssid, va, back, 16, false), -EFAULT);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, count_event, &t), 1);

	drv_mmu_ctx_fini(&ctx, t.plat);
	npu_dma_free(t.plat, &wb);
	npu_dma_free(t.plat, &wc);
	pair_close(&t);
}

static void test_tables_reach_device_37xx(void **state)
{
	(void)state;
	run_tables_reach_device(NPU_GEN_37XX, NPU_VA_37XX_USER_START);
}

static void test_tables_reach_device_40xx(void **state)
{
	(void)state;
	run_tables_reach_device(NPU_GEN_40XX, NPU_VA_40XX_USER_START + 0x200000);
}

/* A cached buffer mapped without the snoop bit: the device reads memory, so the CPU must flush. */
static void test_unsnooped_cached_buffer_needs_flush(void **state)
{
	struct pair t;
	struct npu_mmu_ctx ctx;
	struct npu_dma wb;
	uint8_t back[8];
	const uint32_t ssid = 3;
	const uint64_t va = NPU_VA_37XX_USER_START;

	(void)state;
	pair_open_ctx(&t, NPU_GEN_37XX, &ctx, ssid);
	assert_int_equal(npu_dma_alloc(t.plat, PAGE, &use_wb, &wb), 0);
	assert_int_equal(drv_mmu_ctx_map_dma(&ctx, t.plat, va, &wb, 0, PAGE, 0), 0);
	assert_int_equal(drv_mmu_tlb_invalidate(&t.mmu, &t.m, ssid), 0);
	memcpy(wb.cpu, "flushed", 8);
	assert_int_equal(npu_access(&t, ssid, va, back, 8, false), 0);
	assert_memory_equal(back, "\0\0\0\0\0\0\0", 8);
	npu_dma_flush(t.plat, &wb, 0, 8);
	assert_int_equal(npu_access(&t, ssid, va, back, 8, false), 0);
	assert_memory_equal(back, "flushed", 8);
	drv_mmu_ctx_fini(&ctx, t.plat);
	npu_dma_free(t.plat, &wb);
	pair_close(&t);
}

/*
 * A context that keeps faulting: without muting, 40 faults between two
 * drains overflow the 16-record queue; muted after its first event (as the
 * interrupt service does), the queue holds nothing more of it.
 */
static void test_fault_events_muted(void **state)
{
	struct pair t;
	struct npu_mmu_ctx ctx;
	uint8_t back[8];
	const uint32_t ssid = 4;
	const uint64_t va = NPU_VA_37XX_USER_START;

	(void)state;
	pair_open_ctx(&t, NPU_GEN_37XX, &ctx, ssid);

	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(npu_access(&t, ssid, va + i * PAGE, back, 8, false), -EFAULT);
	t.n_ev = 0;
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, count_event, &t), 16);
	assert_int_equal(t.mmu.events_lost, 1);

	assert_false(drv_mmu_events_muted(&t.mmu, ssid));
	assert_int_equal(drv_mmu_mute_events(&t.mmu, &t.m, ssid), 0);
	assert_true(drv_mmu_events_muted(&t.mmu, ssid));
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(npu_access(&t, ssid, va + i * PAGE, back, 8, false), -EFAULT);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, count_event, &t), 0);
	assert_int_equal(t.mmu.events_lost, 1);
	/* Another context's fault still gets through. */
	assert_int_equal(drv_mmu_set_cd(&t.mmu, &t.m, ssid + 1, ctx.pgd.addr), 0);
	assert_int_equal(npu_access(&t, ssid + 1, va, back, 8, false), -EFAULT);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, count_event, &t), 1);
	/* A fresh CD records again. */
	assert_int_equal(drv_mmu_set_cd(&t.mmu, &t.m, ssid, ctx.pgd.addr), 0);
	assert_false(drv_mmu_events_muted(&t.mmu, ssid));
	assert_int_equal(npu_access(&t, ssid, va, back, 8, false), -EFAULT);
	assert_int_equal(drv_mmu_drain_events(&t.mmu, &t.m, count_event, &t), 1);
	assert_int_equal(drv_mmu_mute_events(&t.mmu, &t.m, 300), -EINVAL);
	assert_int_equal(drv_mmu_mute_events(&t.mmu, &t.m, 77), -ENOENT);

	drv_mmu_ctx_fini(&ctx, t.plat);
	pair_close(&t);
}

/* 37xx reaches 38 bits of address (docs/hardware.md §1): a buffer beyond is refused, nothing kept. */
static void test_dma_address_limit(void **state)
{
	struct npu_platform_config cfg = { .device = "sim", .gen = NPU_GEN_37XX };
	struct npu_platform *p;
	struct npu_dma a, b;
	struct npu_dma_region r[4];

	(void)state;
	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	/* The model's memory is above 4 GiB: a 32-bit device could not reach it. */
	p->dma_addr_bits = 32;
	assert_int_equal(npu_dma_alloc(p, PAGE, &use_wc, &a), -ENOMEM);
	assert_null(a.cpu);
	assert_int_equal(npu_dma_regions(p, r, 4), 0);
	p->dma_addr_bits = NPU_DMA_BITS_37XX;
	assert_int_equal(npu_dma_alloc(p, PAGE, &use_wc, &a), 0);
	assert_int_equal(npu_dma_alloc(p, 3 * PAGE, &use_wb_snooped, &b), 0);
	assert_int_equal(npu_dma_regions(p, r, 4), 2);
	assert_string_equal(r[0].name, "test wc");
	assert_int_equal(r[0].caching, NPU_DMA_WC);
	assert_false(r[0].snooped);
	assert_int_equal(r[0].device_address, a.addr);
	assert_int_equal(r[1].size, 3 * PAGE);
	assert_int_equal(r[1].caching, NPU_DMA_WB);
	assert_true(r[1].snooped);
	assert_string_equal(npu_dma_caching_name(r[1].caching), "wb");
	npu_dma_free(p, &a);
	assert_int_equal(npu_dma_regions(p, r, 4), 1);
	assert_int_equal(r[0].device_address, b.addr);
	npu_dma_free(p, &b);
	assert_int_equal(npu_dma_regions(p, NULL, 0), 0);
	npu_platform_close(p);
}

/*
 * The firmware image, boot parameters, IPC and job queues reach the
 * firmware: a whole boot and a job on the strict model, both generations
 * (the model checks the loaded image against its ROM, byte for byte).
 */
/*
 * The IPC areas (a request and its reply, the doorbell registration) and the
 * job queue reach the firmware, a cached buffer the job fills and copies
 * reaches the CPU: a fill and a copy through a context, checked by the CPU.
 */
static void run_job(struct npu_device *d)
{
	struct npu_ctx *c;
	struct npu_bo *cmd, *data;
	struct npu_cmdbuf cb;
	uint64_t hb;
	uint32_t id, st = 0xFFFF;
	const uint32_t *w;

	assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb), 0);
	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, PAGE, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 2 * PAGE, 0, 0, &data), 0);
	memset(data->dma.cpu, 0x5A, 2 * PAGE);
	assert_int_equal(drv_cmdbuf_init(&cb, cmd->dma.cpu, cmd->va, PAGE, 4, d->gen), 0);
	assert_int_equal(drv_cmdbuf_fill(&cb, data->va, PAGE, 0xC0FFEE11u), 0);
	assert_int_equal(drv_cmdbuf_barrier(&cb), 0);
	assert_int_equal(drv_cmdbuf_copy(&cb, data->va + PAGE, data->va, 256), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(drv_job_wait(c, id, 5000000, &st), 0);
	assert_int_equal(st, 0);
	w = data->dma.cpu;
	assert_int_equal(w[0], 0xC0FFEE11u);
	assert_int_equal(w[PAGE / 4 - 1], 0xC0FFEE11u);
	assert_int_equal(w[PAGE / 4], 0xC0FFEE11u);
	assert_int_equal(w[PAGE / 4 + 63], 0xC0FFEE11u);
	assert_int_equal(w[PAGE / 4 + 64], 0x5A5A5A5Au);
	drv_ctx_destroy(c);
}

static void run_boot(enum npu_gen gen, const char *image)
{
	struct npu_platform_config cfg = { .device = "sim", .gen = gen };
	struct npu_device_config dcfg = { 0 };
	struct npu_platform *p;
	struct npu_device *d = calloc(1, sizeof(*d));
	struct npu_dma_region r[64];
	char path[600];
	uint8_t *file = NULL;
	size_t size = 0, n;
	bool wc_runtime = false, wb_strtab = false;

	assert_non_null(d);
	if (image) {
		int ret = npu_test_read_firmware(image, &file, &size);

		if (ret == -ENOENT && !npu_test_firmware_required()) {
			npu_test_firmware_missing(image);
			free(d);
			skip();
		}
		assert_int_equal(ret, 0);
		cfg.sim_fw_file = file;
		cfg.sim_fw_file_size = size;
		snprintf(path, sizeof(path), "%s/%s", npu_test_firmware_dir(), image);
		dcfg.fw_path = path;
	} else {
		/* No image in the search path: the synthetic one, as the model's ROM. */
		setenv("NPU_FIRMWARE_PATH", "/nonexistent-npu-firmware", 1);
	}
	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	assert_int_equal(drv_device_open(d, p, &dcfg), 0);
	assert_int_equal(drv_device_boot(d), 0);
	n = npu_dma_regions(p, r, 64);
	assert_true(n > 8 && n <= 64);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].name, "firmware runtime") == 0)
			wc_runtime = r[i].caching == NPU_DMA_WC && !r[i].snooped;
		if (strcmp(r[i].name, "mmu stream table") == 0)
			wb_strtab = r[i].caching == NPU_DMA_WB && !r[i].snooped;
	}
	assert_true(wc_runtime);
	assert_true(wb_strtab);
	run_job(d);
	/* Power-down: the IP reset, not an early CR0 = 0, turns the MMU off. */
	assert_int_equal(drv_device_power_down(d), 0);
	{
		struct npu_sim_test_mmu m;
		struct npu_sim *sim = npu_platform_sim_model(p);

		npu_sim_test_lock(sim);
		npu_sim_test_mmu_get(sim, &m);
		assert_int_equal(npu_sim_test_guest_errors(sim), 0);
		npu_sim_test_unlock(sim);
		assert_int_equal(m.cr0, 0);
	}
	drv_device_close(d);
	free(d);
	npu_platform_close(p);
	free(file);
	unsetenv("NPU_FIRMWARE_PATH");
}

/*
 * Through the interrupt service: a job that faults marks its context, and
 * the service mutes the context's events (its CD's R bit, in memory).
 */
static void test_faulted_context_muted(void **state)
{
	struct npu_platform_config cfg = { .device = "sim", .gen = NPU_GEN_40XX };
	struct npu_platform *p;
	struct npu_device *d = calloc(1, sizeof(*d));
	struct npu_ctx *c;
	struct npu_bo *cmd;
	struct npu_cmdbuf cb;
	struct npu_sim *s;
	uint32_t id, st = 0;
	uint64_t cd0;

	(void)state;
	assert_non_null(d);
	setenv("NPU_FIRMWARE_PATH", "/nonexistent-npu-firmware", 1);
	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	assert_int_equal(drv_device_open(d, p, NULL), 0);
	assert_int_equal(drv_device_boot(d), 0);
	s = npu_platform_sim_model(p);
	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, PAGE, 0, 0, &cmd), 0);
	assert_int_equal(drv_cmdbuf_init(&cb, cmd->dma.cpu, cmd->va, PAGE, 2, d->gen), 0);
	assert_int_equal(drv_cmdbuf_fill(&cb, cmd->va + 0x100000, PAGE, 0x11111111u), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
	assert_false(drv_mmu_events_muted(&d->mmu, c->ssid));
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(drv_job_wait(c, id, 5000000, &st), 0);
	assert_true(st != 0);
	assert_true(c->faulted);
	assert_true(drv_mmu_events_muted(&d->mmu, c->ssid));
	/* What the MMU reads: the CD in memory, valid, R clear. */
	npu_sim_test_lock(s);
	assert_int_equal(
	    npu_sim_test_mem_read(s, d->mmu.cdtab.addr + (uint64_t)c->ssid * 64, &cd0, 8, false),
	    0);
	npu_sim_test_unlock(s);
	assert_true(cd0 & NPU_MMU_CD_0_V);
	assert_false(cd0 & NPU_MMU_CD_0_R);
	drv_ctx_destroy(c);
	drv_device_close(d);
	free(d);
	npu_platform_close(p);
	unsetenv("NPU_FIRMWARE_PATH");
}

static void test_boot_37xx(void **state)
{
	(void)state;
	run_boot(NPU_GEN_37XX, NULL);
}

static void test_boot_40xx(void **state)
{
	(void)state;
	run_boot(NPU_GEN_40XX, NULL);
}

static void test_boot_intel_37xx(void **state)
{
	(void)state;
	run_boot(NPU_GEN_37XX, "vpu_37xx_v1.bin");
}

static void test_boot_intel_40xx(void **state)
{
	(void)state;
	run_boot(NPU_GEN_40XX, "vpu_40xx_v1.bin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_cache_flush),
		cmocka_unit_test(test_cmdq_reaches_device),
		cmocka_unit_test(test_tables_reach_device_37xx),
		cmocka_unit_test(test_tables_reach_device_40xx),
		cmocka_unit_test(test_unsnooped_cached_buffer_needs_flush),
		cmocka_unit_test(test_fault_events_muted),
		cmocka_unit_test(test_dma_address_limit),
		cmocka_unit_test(test_faulted_context_muted),
		cmocka_unit_test(test_boot_37xx),
		cmocka_unit_test(test_boot_40xx),
		cmocka_unit_test(test_boot_intel_37xx),
		cmocka_unit_test(test_boot_intel_40xx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
