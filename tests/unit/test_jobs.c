/* SPDX-License-Identifier: MIT */
/*
 * Contexts, buffers and jobs end to end against the simulated NPU, through
 * the platform interface only: submit, JOB_DONE, job ids, queue back-pressure,
 * MMU faults, hang detection and recovery, context teardown with jobs queued,
 * and a soak over four contexts. Both generations. Command buffers are built
 * here from hw/cmd.h, byte by byte, as a user-mode driver would.
 */
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
#include "platform/platform.h"

#define WAIT_US	 10000000u /* a job of the model takes microseconds; this is "never" */
#define TDR_US	 200000u   /* hang detection for the hang test */
#define CMD_SAVE 3072u	   /* context save area of the test's command buffers */

struct fx {
	enum npu_gen gen;
	enum npu_sim_fault fault;
	uint32_t tdr_us;
	bool boot;
	struct npu_platform *plat;
	struct npu_device d;
};

static char fw_dir[64];

static int group_setup(void **state)
{
	(void)state;
	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-jobs-XXXXXX");
	if (!mkdtemp(fw_dir))
		return -1;
	/* An empty firmware folder: driver and model both use the synthetic image. */
	return setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
}

static int group_teardown(void **state)
{
	(void)state;
	return rmdir(fw_dir);
}

static int setup(void **state)
{
	struct fx *f = *state;
	struct npu_platform_config pcfg = { .device = "sim", .gen = f->gen, .fault = f->fault };
	struct npu_device_config dcfg = { .tdr_timeout_us = f->tdr_us };

	assert_int_equal(npu_platform_open(&pcfg, &f->plat), 0);
	assert_int_equal(npu_device_open(&f->d, f->plat, &dcfg), 0);
	if (f->boot)
		assert_int_equal(npu_device_boot(&f->d), 0);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	npu_device_close(&f->d);
	npu_platform_close(f->plat);
	f->plat = NULL;
	return 0;
}

/* ---- command buffers (protocol.md §4), header at offset 0 of a buffer ---- */

struct cmdbuf {
	struct npu_bo *bo;
	uint32_t len;
};

static void cmd_begin(struct cmdbuf *cb, struct npu_bo *bo)
{
	cb->bo = bo;
	cb->len = sizeof(struct npu_cmd_buffer_header);
	memset(bo->dma.cpu, 0, CMD_SAVE + NPU_CONTEXT_SAVE_AREA_SIZE);
}

static void cmd_put(struct cmdbuf *cb, const void *cmd, uint16_t size)
{
	assert_true(cb->len + size <= CMD_SAVE);
	memcpy((uint8_t *)cb->bo->dma.cpu + cb->len, cmd, size);
	cb->len += size;
}

static void cmd_fence(struct cmdbuf *cb, uint16_t type, uint64_t va, uint64_t value)
{
	struct npu_cmd_fence c = { .hdr = { type, sizeof(c) }, .offset = va, .value = value };

	cmd_put(cb, &c, sizeof(c));
}

static void cmd_fill(struct cmdbuf *cb, uint64_t va, uint64_t size, uint32_t pattern)
{
	struct npu_cmd_memory_fill c = {
		.hdr = { NPU_CMD_MEMORY_FILL, sizeof(c) },
		.start_address = va,
		.size = size,
		.fill_pattern = pattern,
	};

	cmd_put(cb, &c, sizeof(c));
}

static void cmd_end(struct cmdbuf *cb)
{
	struct npu_cmd_buffer_header h = {
		.cmd_buffer_size = cb->len,
		.cmd_offset = sizeof(h),
		.context_save_area_address = cb->bo->va + CMD_SAVE,
	};

	memcpy(cb->bo->dma.cpu, &h, sizeof(h));
}

/* A job that writes value into the fence at fence_va. */
static void make_signal(struct npu_bo *cmd, uint64_t fence_va, uint64_t value)
{
	struct cmdbuf cb;

	cmd_begin(&cb, cmd);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, fence_va, value);
	cmd_end(&cb);
}

static uint64_t fence_read(const struct npu_bo *bo, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)bo->dma.cpu + off, sizeof(v));
	return v;
}

static void fence_write(struct npu_bo *bo, size_t off, uint64_t v)
{
	memcpy((uint8_t *)bo->dma.cpu + off, &v, sizeof(v));
}

static uint32_t run(struct npu_ctx *c, struct npu_bo *cmd)
{
	uint32_t id, st = 0xDEAD;

	assert_int_equal(npu_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	return st;
}

/* ---- tests ---- */

/* protocol.md §9: FENCE_SIGNAL and MEMORY_FILL run, the bytes land in the buffer. */
static void test_signal_and_fill(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *cmd, *data;
	struct cmdbuf cb;
	uint32_t id, st;
	const uint8_t *p;

	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(c->id, 1);
	assert_int_equal(c->ssid, 2);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(npu_bo_create(c, 3 * 4096, 0, 0, &data), 0);
	assert_int_equal(cmd->va, f->gen == NPU_GEN_37XX ? 0xA0000000u : 0x100000000u);
	assert_int_equal(data->va, cmd->va + 4096);

	make_signal(cmd, data->va, 3);
	assert_int_equal(npu_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(id, 0x0); /* (ctx 1 - 1) << 8 | 0 */
	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(fence_read(data, 0), 3);
	assert_true(c->db_registered);
	assert_true(c->db_id >= NPU_DOORBELL_ID_MIN && c->db_id <= NPU_DOORBELL_ID_MAX);

	cmd_begin(&cb, cmd);
	cmd_fill(&cb, data->va + 4096, 8192, 0xA55A5AA5u);
	cmd_end(&cb);
	assert_int_equal(npu_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(id, 0x1);
	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	p = (const uint8_t *)data->dma.cpu;
	for (size_t i = 4096; i < 3 * 4096; i += 4)
		assert_int_equal(p[i] | p[i + 1] << 8 | p[i + 2] << 16 | (uint32_t)p[i + 3] << 24,
				 0xA55A5AA5u);
	assert_int_equal(fence_read(data, 0), 3); /* the fill stayed in its range */

	/* Waiting again returns the same status; an unknown id is -ENOENT. */
	assert_int_equal(npu_job_wait(c, id, 0, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(npu_job_wait(c, 0x7, 0, &st), -ENOENT);
	assert_int_equal(npu_job_wait(c, 0x101, 0, &st), -ENOENT);
	assert_int_equal(c->jobs_completed, 2);
	assert_int_equal(c->queued, 0);
	/* A command buffer outside the context's buffers or misaligned: -EINVAL. */
	assert_int_equal(npu_job_submit(c, data->va + 3 * 4096, &id), -EINVAL);
	assert_int_equal(npu_job_submit(c, cmd->va + 4, &id), -EINVAL);
	npu_bo_destroy(data);
	npu_bo_destroy(cmd);
	npu_ctx_destroy(c);
	assert_null(f->d.ctx[0]);
}

/* protocol.md §3.5: (ctx_id - 1) << 8 | an 8-bit counter that wraps. */
static void test_job_ids(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c1, *c2;
	struct npu_bo *cmd1, *cmd2, *fence;
	uint32_t id, st;

	assert_int_equal(npu_ctx_create(&f->d, &c1), 0);
	assert_int_equal(npu_ctx_create(&f->d, &c2), 0);
	assert_int_equal(c2->id, 2);
	assert_int_equal(c2->ssid, 3);
	assert_int_equal(npu_bo_create(c1, 4096, 0, 0, &cmd1), 0);
	assert_int_equal(npu_bo_create(c1, 4096, 0, 0, &fence), 0);
	assert_int_equal(npu_bo_create(c2, 4096, 0, 0, &cmd2), 0);
	make_signal(cmd1, fence->va, 1);
	make_signal(cmd2, cmd2->va + 2048, 1);

	assert_int_equal(npu_job_submit(c2, cmd2->va, &id), 0);
	assert_int_equal(id, 0x100);
	assert_int_equal(npu_job_wait(c2, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	for (uint32_t i = 0; i < 300; i++) {
		make_signal(cmd1, fence->va, i + 1);
		assert_int_equal(npu_job_submit(c1, cmd1->va, &id), 0);
		assert_int_equal(id, i & 0xFFu);
		assert_int_equal(npu_job_wait(c1, id, WAIT_US, &st), 0);
		assert_int_equal(st, 0);
		assert_int_equal(fence_read(fence, 0), i + 1);
	}
	assert_int_equal(npu_job_submit(c2, cmd2->va, &id), 0);
	assert_int_equal(id, 0x101);
	assert_int_equal(npu_job_wait(c2, id, WAIT_US, &st), 0);
	assert_int_not_equal(c1->db_id, c2->db_id);
	npu_ctx_destroy(c2); /* with its buffer still alive: freed with it */
	npu_ctx_destroy(c1);
}

/*
 * protocol.md §3.4: 63 slots, one always empty. A first job blocked on a
 * fence holds the queue; the model moves head past a job when it ends.
 */
static void test_backpressure(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *blocker, *nop, *fence;
	struct cmdbuf cb;
	uint32_t ids[NPU_JOBQ_SLOT_COUNT + 1], id, st;
	unsigned n = 0;
	int ret = 0;

	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &nop), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &fence), 0);
	cmd_begin(&cb, blocker);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence->va, 1);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, fence->va + 64, 5);
	cmd_end(&cb);
	make_signal(nop, fence->va + 128, 9);

	assert_int_equal(npu_job_submit(c, blocker->va, &ids[n++]), 0);
	while (n <= NPU_JOBQ_SLOT_COUNT) {
		ret = npu_job_submit(c, nop->va, &ids[n]);
		if (ret)
			break;
		n++;
	}
	assert_int_equal(ret, -EBUSY);
	assert_int_equal(n, NPU_JOBQ_SLOT_COUNT - 1);
	assert_int_equal(c->queued, n);
	/* The queue is still full a moment later: nothing can pass the blocked job. */
	assert_int_equal(npu_job_wait(c, ids[n - 1], 20000, &st), -ETIMEDOUT);
	assert_int_equal(npu_job_submit(c, nop->va, &id), -EBUSY);

	fence_write(fence, 0, 1); /* the host releases the fence */
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(npu_job_wait(c, ids[i], WAIT_US, &st), 0);
		assert_int_equal(st, 0);
	}
	assert_int_equal(fence_read(fence, 64), 5);
	assert_int_equal(fence_read(fence, 128), 9);
	assert_int_equal(c->queued, 0);
	/* Room again, and the ring wraps around. */
	for (unsigned i = 0; i < 70; i++) {
		assert_int_equal(npu_job_submit(c, nop->va, &id), 0);
		assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
		assert_int_equal(st, 0);
	}
	npu_ctx_destroy(c);
}

/*
 * An access to an unmapped VA: the context faults (0xE, reported ABORTED
 * like Linux), its later submits get -EBADFD; another context is unharmed.
 */
static void test_mmu_fault(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *bad, *good;
	struct npu_bo *bcmd, *gcmd, *gdata;
	struct cmdbuf cb;
	uint32_t id, st;

	assert_int_equal(npu_ctx_create(&f->d, &bad), 0);
	assert_int_equal(npu_ctx_create(&f->d, &good), 0);
	assert_int_equal(npu_bo_create(bad, 4096, 0, 0, &bcmd), 0);
	assert_int_equal(npu_bo_create(good, 4096, 0, 0, &gcmd), 0);
	assert_int_equal(npu_bo_create(good, 4096, 0, 0, &gdata), 0);
	cmd_begin(&cb, bcmd);
	cmd_fill(&cb, bcmd->va + 0x100000, 4096, 0x11111111u); /* nothing mapped there */
	cmd_end(&cb);
	make_signal(gcmd, gdata->va, 42);

	assert_int_equal(npu_job_submit(bad, bcmd->va, &id), 0);
	assert_int_equal(npu_job_wait(bad, id, WAIT_US, &st), 0);
	assert_true(st == NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW ||
		    st == NPU_JOB_STATUS_ABORTED);
	assert_true(bad->faulted);
	assert_int_equal(npu_job_submit(bad, bcmd->va, &id), -EBADFD);
	assert_int_equal(bad->jobs_failed, 1);

	assert_int_equal(run(good, gcmd), 0);
	assert_int_equal(fence_read(gdata, 0), 42);
	assert_false(good->faulted);
	assert_int_equal(f->d.state, NPU_DEV_READY);
	assert_int_equal(f->d.recoveries, 0);
	npu_ctx_destroy(bad);
	/* The id comes back clean. */
	assert_int_equal(npu_ctx_create(&f->d, &bad), 0);
	assert_int_equal(bad->id, 1);
	assert_false(bad->faulted);
	assert_int_equal(npu_bo_create(bad, 4096, 0, 0, &bcmd), 0);
	make_signal(bcmd, bcmd->va + 2048, 1);
	assert_int_equal(run(bad, bcmd), 0);
	npu_ctx_destroy(bad);
	npu_ctx_destroy(good);
}

/* Two contexts in flight at once, and one buffer shared between them. */
static void test_two_contexts(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c[2];
	struct npu_bo *cmd[2][4], *fence, *shared;
	struct cmdbuf cb;
	uint32_t id[2][4], st;

	for (int i = 0; i < 2; i++) {
		assert_int_equal(npu_ctx_create(&f->d, &c[i]), 0);
		for (int k = 0; k < 4; k++)
			assert_int_equal(npu_bo_create(c[i], 4096, 0, 0, &cmd[i][k]), 0);
	}
	assert_int_equal(npu_bo_create(c[0], 4096, 0, 0, &fence), 0);
	assert_int_equal(npu_bo_share(fence, c[1], 0, &shared), 0);
	assert_ptr_equal(shared->dma.cpu, fence->dma.cpu);
	assert_int_equal(npu_bo_share(fence, c[1], shared->va, &(struct npu_bo *){ NULL }),
			 -EEXIST);

	/* Context 0 waits for what context 1 signals: their queues run side by side. */
	cmd_begin(&cb, cmd[0][0]);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence->va, 1);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, fence->va + 64, 7);
	cmd_end(&cb);
	for (int k = 1; k < 4; k++)
		make_signal(cmd[0][k], fence->va + 64u * (2 + k), 100 + k);
	for (int k = 0; k < 3; k++)
		make_signal(cmd[1][k], shared->va + 64u * (8 + k), 200 + k);
	make_signal(cmd[1][3], shared->va, 1);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(npu_job_submit(c[0], cmd[0][k]->va, &id[0][k]), 0);
		assert_int_equal(npu_job_submit(c[1], cmd[1][k]->va, &id[1][k]), 0);
		assert_int_equal(id[0][k], (uint32_t)k);
		assert_int_equal(id[1][k], 0x100u | (uint32_t)k);
	}
	for (int k = 3; k >= 0; k--) {
		for (int i = 0; i < 2; i++) {
			assert_int_equal(npu_job_wait(c[i], id[i][k], WAIT_US, &st), 0);
			assert_int_equal(st, 0);
		}
	}
	assert_int_equal(fence_read(fence, 64), 7);
	for (int k = 1; k < 4; k++)
		assert_int_equal(fence_read(fence, 64u * (2 + k)), 100 + k);
	for (int k = 0; k < 3; k++)
		assert_int_equal(fence_read(fence, 64u * (8 + k)), 200 + k);
	/* The owner goes first: its memory stays for the share until that goes too. */
	npu_bo_destroy(fence);
	make_signal(cmd[1][0], shared->va + 1024, 5);
	assert_int_equal(run(c[1], cmd[1][0]), 0);
	assert_int_equal(fence_read(shared, 1024), 5);
	npu_ctx_destroy(c[0]);
	npu_ctx_destroy(c[1]); /* frees the share, and with it the memory */
}

/* NPU_SIM_FAULT=hang-job: the heartbeat stops, TDR recovers the device. */
static void test_hang_recovery(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ctx *c;
	struct npu_bo *cmd, *data;
	uint32_t id, id2, st = 0;

	assert_int_equal(d->tdr_timeout_us, TDR_US);
	assert_int_equal(npu_ctx_create(d, &c), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &data), 0);
	make_signal(cmd, data->va, 1);
	assert_int_equal(npu_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(npu_job_submit(c, cmd->va, &id2), 0);
	/* The caller's own timeout, shorter than the TDR period. */
	assert_int_equal(npu_job_wait(c, id, 20000, &st), -ETIMEDOUT);
	assert_int_equal(d->recoveries, 0);

	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, NPU_JOB_STATUS_ABORTED);
	assert_int_equal(d->recoveries, 1);
	assert_int_equal(d->state, NPU_DEV_READY);
	assert_false(d->need_recovery);
	assert_non_null(strstr(d->recovery_reason, "hung"));
	/* Every queued job went with it. */
	assert_int_equal(npu_job_wait(c, id2, 0, &st), 0);
	assert_int_equal(st, NPU_JOB_STATUS_ABORTED);
	assert_int_equal(c->queued, 0);
	assert_false(c->db_registered);
	assert_false(c->faulted);

	/* The context carries on: its doorbell is registered again on the next submit. */
	assert_int_equal(npu_job_submit(c, cmd->va, &id), 0);
	assert_true(c->db_registered);
	assert_int_equal(npu_job_wait(c, id, 1000, &st), -ETIMEDOUT);
	npu_ctx_destroy(c); /* with that job queued */
}

/* A recovery with nothing hung: contexts, buffers and queues are back in place. */
static void test_recover_idle(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ctx *c[2];
	struct npu_bo *cmd[2];

	for (int i = 0; i < 2; i++) {
		assert_int_equal(npu_ctx_create(d, &c[i]), 0);
		assert_int_equal(npu_bo_create(c[i], 4096, 0, 0, &cmd[i]), 0);
		make_signal(cmd[i], cmd[i]->va + 2048, 10 + i);
		assert_int_equal(run(c[i], cmd[i]), 0);
	}
	assert_int_equal(npu_device_recover(d, "test"), 0);
	assert_int_equal(d->recoveries, 1);
	assert_string_equal(d->recovery_reason, "test");
	for (int i = 0; i < 2; i++) {
		fence_write(cmd[i], 2048, 0);
		assert_int_equal(run(c[i], cmd[i]), 0);
		assert_int_equal(fence_read(cmd[i], 2048), 10 + i);
	}
	/* A plain power cycle does the same. */
	assert_int_equal(npu_device_power_down(d), 0);
	assert_int_equal(npu_job_submit(c[0], cmd[0]->va, &(uint32_t){ 0 }), -EAGAIN);
	assert_int_equal(npu_device_boot(d), 0);
	assert_int_equal(run(c[0], cmd[0]), 0);
	npu_ctx_destroy(c[1]);
	npu_ctx_destroy(c[0]);
}

/* Recovery when something else noticed the need, and a recovery whose boot fails. */
static void test_recover_paths(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ctx *c;
	struct npu_bo *cmd, *blocker;
	struct cmdbuf cb;
	uint32_t id, st;

	assert_int_equal(npu_ctx_create(d, &c), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &blocker), 0);
	make_signal(cmd, cmd->va + 2048, 1);
	cmd_begin(&cb, blocker);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, blocker->va + 2048, 1);
	cmd_end(&cb);

	/* The interrupt service asked for a recovery: the wait runs it, the job is aborted. */
	assert_int_equal(npu_job_submit(c, blocker->va, &id), 0);
	snprintf(d->recovery_reason, sizeof(d->recovery_reason), "test: watchdog");
	d->need_recovery = true;
	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, NPU_JOB_STATUS_ABORTED);
	assert_int_equal(d->recoveries, 1);
	assert_string_equal(d->recovery_reason, "test: watchdog");
	/* ... or the next submit runs it, and its job then runs on the fresh firmware. */
	d->need_recovery = true;
	assert_int_equal(npu_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(d->recoveries, 2);
	assert_int_equal(c->jobq_tail, 1); /* the emptied queue's first slot */
	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(c->jobs_failed, 1);

	/* A reboot that fails (the image in memory no longer matches): FAILED, -EIO. */
	d->boot_timeout_us = 100000;
	d->fw_file[NPU_FW_FILE_IMAGE_OFFSET] ^= 0xFFu;
	assert_int_not_equal(npu_device_recover(d, "test: bad image"), 0);
	assert_int_equal(d->state, NPU_DEV_FAILED);
	assert_int_equal(npu_job_submit(c, cmd->va, &id), -EIO);
	/* Once the cause is gone another recovery brings the same context back. */
	d->fw_file[NPU_FW_FILE_IMAGE_OFFSET] ^= 0xFFu;
	assert_int_equal(npu_device_recover(d, "test: good image"), 0);
	assert_int_equal(d->state, NPU_DEV_READY);
	fence_write(cmd, 2048, 0);
	assert_int_equal(run(c, cmd), 0);
	assert_int_equal(fence_read(cmd, 2048), 1);
	npu_ctx_destroy(c);
}

/* Contexts and buffers work before the first boot; the boot puts them in place. */
static void test_before_boot(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *cmd, *bo;
	uint64_t start = f->gen == NPU_GEN_37XX ? 0xA0000000u : 0x100000000u;
	uint64_t size = f->gen == NPU_GEN_37XX ? 511ull << 20 : 256ull << 30;
	uint32_t id;

	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(npu_bo_create(c, 100, 0, 0, &cmd), 0);
	assert_int_equal(cmd->size, 4096);
	assert_int_equal(npu_job_submit(c, cmd->va, &id), -EAGAIN);
	/* The user range and its rules. */
	assert_int_equal(npu_bo_create(c, 4096, start - 4096, 0, &bo), -EINVAL);
	assert_int_equal(npu_bo_create(c, 4096, start + size, 0, &bo), -EINVAL);
	assert_int_equal(npu_bo_create(c, 8192, start + size - 4096, 0, &bo), -EINVAL);
	assert_int_equal(npu_bo_create(c, 4096, start + 100, 0, &bo), -EINVAL);
	assert_int_equal(npu_bo_create(c, 0, 0, 0, &bo), -EINVAL);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0x80, &bo), -EINVAL);
	assert_int_equal(npu_bo_create(c, 4096, cmd->va, 0, &bo), -EEXIST);
	assert_int_equal(npu_bo_create(c, 4096, start + size - 4096, 0, &bo), 0);
	assert_int_equal(bo->va, start + size - 4096);
	npu_bo_destroy(bo);

	assert_int_equal(npu_device_boot(&f->d), 0);
	make_signal(cmd, cmd->va + 2048, 77);
	assert_int_equal(run(c, cmd), 0);
	assert_int_equal(fence_read(cmd, 2048), 77);
	npu_ctx_destroy(c);
}

/* Every context id, and the 65th is refused. */
static void test_all_contexts(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c[NPU_CTX_MAX], *extra;

	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		assert_int_equal(npu_ctx_create(&f->d, &c[i]), 0);
		assert_int_equal(c[i]->id, i + 1);
	}
	assert_int_equal(npu_ctx_create(&f->d, &extra), -EBUSY);
	npu_ctx_destroy(c[10]);
	assert_int_equal(npu_ctx_create(&f->d, &c[10]), 0);
	assert_int_equal(c[10]->id, 11);
	for (unsigned i = 0; i < NPU_CTX_MAX; i++)
		npu_ctx_destroy(c[i]);
}

/* Context teardown with jobs in the queue and one running (blocked on a fence). */
static void test_destroy_queued(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c, *other;
	struct npu_bo *blocker, *nop, *fence;
	struct cmdbuf cb;
	uint32_t id;

	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(npu_ctx_create(&f->d, &other), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &nop), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &fence), 0);
	cmd_begin(&cb, blocker);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence->va, 1);
	cmd_end(&cb);
	make_signal(nop, fence->va + 64, 1);
	assert_int_equal(npu_job_submit(c, blocker->va, &id), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(npu_job_submit(c, nop->va, &id), 0);
	npu_ctx_destroy(c);
	assert_null(f->d.ctx[0]);

	/* The device goes on; a new context on the same id and doorbell-free slot works. */
	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &nop), 0);
	make_signal(nop, nop->va + 2048, 3);
	assert_int_equal(run(c, nop), 0);
	assert_int_equal(fence_read(nop, 2048), 3);
	npu_ctx_destroy(other);
	npu_ctx_destroy(c);
	assert_int_equal(f->d.recoveries, 0);
}

/* The firmware's word is checked: JOB_DONE fields and the queue head. */
static void test_untrusted_firmware(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *cmd;
	struct npu_jsm_msg m;
	struct npu_jobq_header *h;
	uint32_t id, st, head;

	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &cmd), 0);
	make_signal(cmd, cmd->va + 2048, 1);
	assert_int_equal(run(c, cmd), 0);

	/* A head past the ring reads as a full queue. */
	h = c->jobq.cpu;
	head = h->head;
	h->head = 1000;
	assert_int_equal(npu_job_submit(c, cmd->va, &id), -EBUSY);
	h->head = head;
	assert_int_equal(run(c, cmd), 0);

	/* JOB_DONE for no job, another SSID, a wrong id, a failed message: all dropped. */
	memset(&m, 0, sizeof(m));
	m.type = NPU_JSM_MSG_JOB_DONE;
	m.payload.job_done.host_ssid = c->ssid;
	m.payload.job_done.job_id = 0x5;
	npu_job_done(&f->d, &m);
	m.payload.job_done.host_ssid = 1;
	npu_job_done(&f->d, &m);
	m.payload.job_done.host_ssid = 99;
	npu_job_done(&f->d, &m);
	m.payload.job_done.host_ssid = c->ssid;
	m.payload.job_done.job_id = 0x1;
	npu_job_done(&f->d, &m); /* job 1 is done already */
	assert_int_equal(c->jobs_completed, 2);
	assert_int_equal(c->jobs_failed, 0);
	m.result = NPU_JSM_STATUS_PROCESSING_ERR;
	npu_job_done(&f->d, &m);
	assert_int_equal(npu_job_wait(c, 0x1, 0, &st), 0);
	assert_int_equal(st, 0);
	npu_ctx_destroy(c);
}

/* Many small jobs over four contexts, several in flight each: none stuck. */
static void test_soak(void **state)
{
	enum { CONTEXTS = 4, IN_FLIGHT = 6, JOBS = 2000 };
	struct fx *f = *state;
	struct npu_ctx *c[CONTEXTS];
	struct npu_bo *cmd[CONTEXTS][IN_FLIGHT], *fence[CONTEXTS];
	uint32_t id[CONTEXTS][IN_FLIGHT], st;
	uint64_t value = 1, want[CONTEXTS][IN_FLIGHT];
	unsigned done = 0;

	for (int i = 0; i < CONTEXTS; i++) {
		assert_int_equal(npu_ctx_create(&f->d, &c[i]), 0);
		assert_int_equal(npu_bo_create(c[i], 4096, 0, 0, &fence[i]), 0);
		for (int k = 0; k < IN_FLIGHT; k++)
			assert_int_equal(npu_bo_create(c[i], 4096, 0, 0, &cmd[i][k]), 0);
	}
	while (done < JOBS) {
		for (int i = 0; i < CONTEXTS; i++) {
			for (int k = 0; k < IN_FLIGHT; k++) {
				want[i][k] = value++;
				make_signal(cmd[i][k], fence[i]->va + 64u * k, want[i][k]);
				assert_int_equal(npu_job_submit(c[i], cmd[i][k]->va, &id[i][k]), 0);
			}
		}
		for (int i = 0; i < CONTEXTS; i++) {
			for (int k = 0; k < IN_FLIGHT; k++) {
				assert_int_equal(npu_job_wait(c[i], id[i][k], WAIT_US, &st), 0);
				assert_int_equal(st, 0);
				assert_int_equal(fence_read(fence[i], 64u * k), want[i][k]);
				done++;
			}
		}
	}
	for (int i = 0; i < CONTEXTS; i++) {
		assert_int_equal(c[i]->queued, 0);
		assert_int_equal(c[i]->jobs_failed, 0);
		npu_ctx_destroy(c[i]);
	}
	assert_int_equal(f->d.recoveries, 0);
}

#define FX(g, flt, tdr, up)                                               \
	{                                                                 \
		.gen = (g), .fault = (flt), .tdr_us = (tdr), .boot = (up) \
	}

static struct fx f37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f37_off = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, false);
static struct fx f40_off = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, false);
static struct fx f37_hang = FX(NPU_GEN_37XX, NPU_SIM_FAULT_HANG_JOB, TDR_US, true);
static struct fx f40_hang = FX(NPU_GEN_40XX, NPU_SIM_FAULT_HANG_JOB, TDR_US, true);

#define BOTH(fn, a, b)                                                     \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &a), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &b)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_signal_and_fill, f37, f40),
		BOTH(test_job_ids, f37, f40),
		BOTH(test_backpressure, f37, f40),
		BOTH(test_mmu_fault, f37, f40),
		BOTH(test_two_contexts, f37, f40),
		BOTH(test_hang_recovery, f37_hang, f40_hang),
		BOTH(test_recover_idle, f37, f40),
		BOTH(test_recover_paths, f37, f40),
		BOTH(test_before_boot, f37_off, f40_off),
		BOTH(test_all_contexts, f37, f40),
		BOTH(test_destroy_queued, f37, f40),
		BOTH(test_untrusted_firmware, f37, f40),
		BOTH(test_soak, f37, f40),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
