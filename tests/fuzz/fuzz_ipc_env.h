/* SPDX-License-Identifier: MIT */
/*
 * Part of fuzz_ipc.c, and included by it only: the rig (the constants and the
 * state every input shares) and its once-only set-up and tear-down. One
 * simulated 37xx booted with the synthetic image, context 1 with job 0x0 done
 * and jobs 0x1..0x3 queued, context 2 with jobs 0x100..0x102 queued, the
 * model's firmware silenced, and the DMA arena read-only but for RX and TX.
 */
#ifndef NPU_TEST_FUZZ_IPC_ENV_H
#define NPU_TEST_FUZZ_IPC_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "hw/boot_params.h"
#include "hw/cmd.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_test.h"
#include "util/log.h"

#define RX_SIZE	     NPU_IPC_RX_BUF_SIZE
#define TX_SIZE	     NPU_IPC_TX_BUF_SIZE
#define HDR_AREA     NPU_BOOT_IPC_HEADER_AREA_SIZE
#define PAYLOAD_OFF  NPU_BOOT_IPC_PAYLOAD_AREA_OFFSET
#define HDR_SIZE     64u
#define MSG_SIZE     NPU_JSM_MSG_SIZE
#define TX_SLOTS     (TX_SIZE / NPU_IPC_TX_SLOT_SIZE)
#define PAGE	     4096u
#define N_CTX	     2
#define BLOCKED	     3	   /* queued jobs per context */
#define MAX_RECORDS  64	   /* per input */
#define MAX_REQUESTS 3	   /* per input: each unanswered one costs its timeout */
#define REQUEST_US   1000u /* timeout of the input's requests */
#define CMD_SAVE     3072u /* context save area, in the command buffer */

/* The job table of one context as the target expects it. */
struct jobs_view {
	struct npu_job jobs[NPU_JOBS_PER_CTX];
	uint32_t queued;
	bool faulted;
	uint64_t completed, failed;
};

static struct rig {
	bool up;
	char fwdir[64];
	struct npu_platform *p;
	struct npu_device d;
	struct npu_sim *s;
	struct npu_ctx *ctx[N_CTX];
	uint32_t job_ids[N_CTX * (BLOCKED + 1)];
	unsigned n_job_ids;
	struct npu_ctx golden_ctx[N_CTX]; /* after set-up; every input starts here */
	struct jobs_view golden[N_CTX];	  /* the same, as the model sees it */
	struct jobs_view want[N_CTX];	  /* what the input should have made of it */

	/* What the RX and TX buffers must hold. */
	uint8_t rx_shadow[RX_SIZE];
	uint8_t tx_shadow[TX_SIZE];

	/* FIFO entries pushed and not yet drained, in order. */
	uint32_t pending[NPU_SIM_FIFO_DEPTH];
	unsigned n_pending;

	/* The model of the driver's IPC state during the input. */
	struct npu_ipc_stats stats0, stats_want;
	bool waiting, replied;
	uint16_t wait_channel;
	uint32_t wait_id;
	struct npu_jsm_msg reply;
	unsigned requests;
} rig;

static void trap_unless(bool ok)
{
	if (!ok)
		__builtin_trap();
}

/* ---- set-up, tear-down ---- */

static void view_save(struct jobs_view *v, const struct npu_ctx *c)
{
	memcpy(v->jobs, c->jobs, sizeof(v->jobs));
	v->queued = c->queued;
	v->faulted = c->faulted;
	v->completed = c->jobs_completed;
	v->failed = c->jobs_failed;
}

/*
 * Every page of the DMA arena read-only but the RX and TX buffers' (the only
 * ones these paths may write; RX and TX are checked against their shadows):
 * a stray write faults where it happens. The silenced model writes nothing.
 */
static void arena_guard(bool on)
{
	const int rw = PROT_READ | PROT_WRITE;
	void *arena;
	size_t arena_size;

	npu_sim_test_arena(rig.s, &arena, &arena_size);
	trap_unless(mprotect(arena, arena_size, on ? PROT_READ : rw) == 0);
	if (!on)
		return;
	trap_unless(mprotect(rig.d.ipc_rx.dma.cpu, rig.d.ipc_rx.dma.size, rw) == 0);
	trap_unless(mprotect(rig.d.ipc_tx.dma.cpu, rig.d.ipc_tx.dma.size, rw) == 0);
}

static struct npu_bo *bo_new(struct npu_ctx *c)
{
	struct npu_bo *bo = NULL;

	trap_unless(drv_bo_create(c, PAGE, 0, 0, &bo) == 0);
	return bo;
}

/* A command buffer at offset 0 of bo: one fence command (docs/firmware-protocol.md §4.1, §4.2). */
static void cmd_fence(struct npu_bo *bo, uint16_t type, uint64_t fence_va, uint64_t value)
{
	struct npu_cmd_fence f = { .hdr = { type, sizeof(f) }, .offset = fence_va, .value = value };
	struct npu_cmd_buffer_header h = {
		.cmd_buffer_size = sizeof(h) + sizeof(f),
		.cmd_offset = sizeof(h),
		.context_save_area_address = bo->va + CMD_SAVE,
	};

	memset(bo->dma.cpu, 0, PAGE);
	memcpy(bo->dma.cpu, &h, sizeof(h));
	memcpy((uint8_t *)bo->dma.cpu + sizeof(h), &f, sizeof(f));
}

static void submit(struct npu_ctx *c, struct npu_bo *cmd)
{
	uint32_t id;

	trap_unless(drv_job_submit(c, cmd->va, &id) == 0);
	rig.job_ids[rig.n_job_ids++] = id;
}

/* Context 1: one job done, BLOCKED queued; context 2: BLOCKED queued. */
static void jobs_setup(void)
{
	for (unsigned i = 0; i < N_CTX; i++) {
		struct npu_ctx *c;
		struct npu_bo *fence, *wait;

		trap_unless(drv_ctx_create(&rig.d, &c) == 0);
		rig.ctx[i] = c;
		fence = bo_new(c);
		wait = bo_new(c);
		if (i == 0) {
			struct npu_bo *sig = bo_new(c);
			uint32_t st = 0xFFFF;

			cmd_fence(sig, NPU_CMD_FENCE_SIGNAL, fence->va + 64, 7);
			submit(c, sig);
			trap_unless(drv_job_wait(c, rig.job_ids[0], 10000000u, &st) == 0 &&
				    st == 0);
		}
		/* Nobody ever writes 1 into the fence: these jobs stay queued. */
		cmd_fence(wait, NPU_CMD_FENCE_WAIT, fence->va, 1);
		for (unsigned k = 0; k < BLOCKED; k++)
			submit(c, wait);
	}
}

static void rig_down(void)
{
	if (!rig.up)
		return;
	arena_guard(false);
	drv_device_power_down(&rig.d); /* no IPC: the silenced firmware would not answer */
	for (unsigned i = 0; i < N_CTX; i++)
		drv_ctx_destroy(rig.ctx[i]);
	drv_device_close(&rig.d);
	npu_platform_close(rig.p);
	rmdir(rig.fwdir);
	rig.up = false;
}

static void rig_up(void)
{
	struct npu_platform_config pc = { .device = "sim", .gen = NPU_GEN_37XX };
	struct npu_log_filter quiet = { .level = NPU_LOG_ERROR, .base_level = NPU_LOG_ERROR };
	uint32_t va;

	/* Every input is refused in a warning or two: keep the fuzzer's output readable. */
	npu_log_set_filter(&quiet);
	snprintf(rig.fwdir, sizeof(rig.fwdir), "/tmp/npu-fuzz-ipc-XXXXXX");
	trap_unless(mkdtemp(rig.fwdir) != NULL);
	/* No image in the search path: driver and model use the synthetic one. */
	trap_unless(setenv("NPU_FIRMWARE_PATH", rig.fwdir, 1) == 0);
	trap_unless(npu_platform_open(&pc, &rig.p) == 0);
	trap_unless(drv_device_open(&rig.d, rig.p, NULL) == 0);
	trap_unless(drv_device_boot(&rig.d) == 0);
	rig.s = npu_platform_sim_model(rig.p);
	trap_unless(rig.s != NULL);
	rig.up = true;
	atexit(rig_down);
	jobs_setup();

	/* From here on the input is the firmware (as in tests/unit/test_ipc.c). */
	npu_sim_test_lock(rig.s);
	npu_sim_test_fw_stop(rig.s);
	while (npu_sim_test_fw_take(rig.s, &va) == 0)
		;
	npu_sim_test_unlock(rig.s);
	drv_irq_handle(&rig.d);
	rig.p->ops->irq_ack(rig.p);
	npu_sim_test_lock(rig.s);
	trap_unless(npu_sim_test_host_pending(rig.s) == 0);
	memset(rig.d.ipc_rx.dma.cpu, 0, RX_SIZE);
	npu_sim_test_unlock(rig.s);
	memcpy(rig.tx_shadow, rig.d.ipc_tx.dma.cpu, TX_SIZE);
	for (unsigned i = 0; i < N_CTX; i++) {
		rig.golden_ctx[i] = *rig.ctx[i];
		view_save(&rig.golden[i], rig.ctx[i]);
	}
	arena_guard(true);
}

#endif /* NPU_TEST_FUZZ_IPC_ENV_H */
