/* SPDX-License-Identifier: MIT */
/*
 * Shared by the job tests (test_jobs.c, test_jobs_recovery.c): the fixture
 * (simulated platform plus device, booted or not, with a fault and a TDR
 * period), and command buffers built from hw/cmd.h, byte by byte, as a
 * user-mode driver would.
 */
#ifndef NPU_TEST_JOBS_TEST_UTIL_H
#define NPU_TEST_JOBS_TEST_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "driver/job.h"
#include "hw/cmd.h"
#include "hw/fw_header.h"
#include "hw/jobq.h"
#include "empty_fw_dir.h"
#include "platform/platform.h"

#define WAIT_US	 10000000u /* a job of the model takes microseconds; this is "never" */
#define TDR_US	 200000u   /* hang detection for the hang test */
#define CMD_SAVE 3072u	   /* context save area of the test's command buffers */

struct fx {
	enum npu_gen gen;
	enum npu_sim_fault fault;
	uint32_t tdr_us;
	bool boot;
	int sched;	  /* enum npu_sched_req: 0 as Linux chooses (HWS with these images) */
	uint32_t d0i3_us; /* npu_device_config's d0i3_timeout_us; 0: the silicon 5 ms */
	struct npu_platform *plat;
	struct npu_device d;
};

static inline int setup(void **state)
{
	struct fx *f = *state;
	struct npu_platform_config pcfg = { .device = "sim", .gen = f->gen, .fault = f->fault };
	struct npu_device_config dcfg = { .tdr_timeout_us = f->tdr_us,
					  .d0i3_timeout_us = f->d0i3_us,
					  .sched = f->sched };

	assert_int_equal(npu_platform_open(&pcfg, &f->plat), 0);
	assert_int_equal(drv_device_open(&f->d, f->plat, &dcfg), 0);
	if (f->boot)
		assert_int_equal(drv_device_boot(&f->d), 0);
	return 0;
}

static inline int teardown(void **state)
{
	struct fx *f = *state;

	drv_device_close(&f->d);
	npu_platform_close(f->plat);
	f->plat = NULL;
	return 0;
}

/* ---- command buffers (docs/firmware-protocol.md §4), header at offset 0 of a buffer ---- */

struct cmdbuf {
	struct npu_bo *bo;
	uint32_t len;
};

static inline void cmd_begin(struct cmdbuf *cb, struct npu_bo *bo)
{
	cb->bo = bo;
	cb->len = sizeof(struct npu_cmd_buffer_header);
	memset(bo->dma.cpu, 0, CMD_SAVE + NPU_CONTEXT_SAVE_AREA_SIZE);
}

static inline void cmd_put(struct cmdbuf *cb, const void *cmd, uint16_t size)
{
	assert_true(cb->len + size <= CMD_SAVE);
	memcpy((uint8_t *)cb->bo->dma.cpu + cb->len, cmd, size);
	cb->len += size;
}

static inline void cmd_fence(struct cmdbuf *cb, uint16_t type, uint64_t va, uint64_t value)
{
	struct npu_cmd_fence c = { .hdr = { type, sizeof(c) }, .offset = va, .value = value };

	cmd_put(cb, &c, sizeof(c));
}

static inline void cmd_fill(struct cmdbuf *cb, uint64_t va, uint64_t size, uint32_t pattern)
{
	struct npu_cmd_memory_fill c = {
		.hdr = { NPU_CMD_MEMORY_FILL, sizeof(c) },
		.start_address = va,
		.size = size,
		.fill_pattern = pattern,
	};

	cmd_put(cb, &c, sizeof(c));
}

static inline void cmd_end(struct cmdbuf *cb)
{
	struct npu_cmd_buffer_header h = {
		.cmd_buffer_size = cb->len,
		.cmd_offset = sizeof(h),
		.context_save_area_address = cb->bo->va + CMD_SAVE,
	};

	memcpy(cb->bo->dma.cpu, &h, sizeof(h));
}

/* A job that writes value into the fence at fence_va. */
static inline void make_signal(struct npu_bo *cmd, uint64_t fence_va, uint64_t value)
{
	struct cmdbuf cb;

	cmd_begin(&cb, cmd);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, fence_va, value);
	cmd_end(&cb);
}

/* A job that waits until the fence at fence_va holds value: it blocks the queue until then. */
static inline void make_wait(struct npu_bo *cmd, uint64_t fence_va, uint64_t value)
{
	struct cmdbuf cb;

	cmd_begin(&cb, cmd);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence_va, value);
	cmd_end(&cb);
}

static inline uint64_t fence_read(const struct npu_bo *bo, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)bo->dma.cpu + off, sizeof(v));
	return v;
}

static inline void fence_write(struct npu_bo *bo, size_t off, uint64_t v)
{
	memcpy((uint8_t *)bo->dma.cpu + off, &v, sizeof(v));
}

static inline uint32_t run(struct npu_ctx *c, struct npu_bo *cmd)
{
	uint32_t id, st = 0xDEAD;

	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	return st;
}

#define FX(g, flt, tdr, up)                                               \
	{                                                                 \
		.gen = (g), .fault = (flt), .tdr_us = (tdr), .boot = (up) \
	}
/* The same under OS scheduling (NPU_SCHED_OS, driver/hws.h). */
#define FX_OS(g, flt, tdr, up)                                                        \
	{                                                                             \
		.gen = (g), .fault = (flt), .tdr_us = (tdr), .boot = (up), .sched = 1 \
	}

/* Each case on both generations, with the given fixtures. */
#define BOTH(fn, a, b)                                                     \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &a), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &b)

#endif /* NPU_TEST_JOBS_TEST_UTIL_H */
