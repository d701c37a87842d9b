/* SPDX-License-Identifier: MIT */
/*
 * Jobs that go wrong, against the simulated NPU, through the platform
 * interface only: MMU faults, hang detection and recovery, power cycles,
 * JOB_DONE messages that do not match a job, and context teardown with jobs
 * queued. Both generations. The fixture and command buffers are in
 * jobs_test_util.h.
 */
#include "jobs_test_util.h"
#include "driver/recover.h"

/* ---- tests ---- */

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

	assert_int_equal(drv_ctx_create(&f->d, &bad), 0);
	assert_int_equal(drv_ctx_create(&f->d, &good), 0);
	assert_int_equal(drv_bo_create(bad, 4096, 0, 0, &bcmd), 0);
	assert_int_equal(drv_bo_create(good, 4096, 0, 0, &gcmd), 0);
	assert_int_equal(drv_bo_create(good, 4096, 0, 0, &gdata), 0);
	cmd_begin(&cb, bcmd);
	cmd_fill(&cb, bcmd->va + 0x100000, 4096, 0x11111111u); /* nothing mapped there */
	cmd_end(&cb);
	make_signal(gcmd, gdata->va, 42);

	assert_int_equal(drv_job_submit(bad, bcmd->va, &id), 0);
	assert_int_equal(drv_job_wait(bad, id, WAIT_US, &st), 0);
	assert_true(st == NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW ||
		    st == NPU_JOB_STATUS_ABORTED);
	assert_true(bad->faulted);
	assert_int_equal(drv_job_submit(bad, bcmd->va, &id), -EBADFD);
	assert_int_equal(bad->jobs_failed, 1);

	assert_int_equal(run(good, gcmd), 0);
	assert_int_equal(fence_read(gdata, 0), 42);
	assert_false(good->faulted);
	assert_int_equal(f->d.state, NPU_DEV_READY);
	assert_int_equal(f->d.recoveries, 0);
	drv_ctx_destroy(bad);
	/* The id comes back clean. */
	assert_int_equal(drv_ctx_create(&f->d, &bad), 0);
	assert_int_equal(bad->id, 1);
	assert_false(bad->faulted);
	assert_int_equal(drv_bo_create(bad, 4096, 0, 0, &bcmd), 0);
	make_signal(bcmd, bcmd->va + 2048, 1);
	assert_int_equal(run(bad, bcmd), 0);
	drv_ctx_destroy(bad);
	drv_ctx_destroy(good);
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
	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &data), 0);
	make_signal(cmd, data->va, 1);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(drv_job_submit(c, cmd->va, &id2), 0);
	/* The caller's own timeout, shorter than the TDR period. */
	assert_int_equal(drv_job_wait(c, id, 20000, &st), -ETIMEDOUT);
	assert_int_equal(d->recoveries, 0);

	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, NPU_JOB_STATUS_ABORTED);
	assert_int_equal(d->recoveries, 1);
	assert_int_equal(d->state, NPU_DEV_READY);
	assert_false(d->need_recovery);
	assert_non_null(strstr(d->recovery_reason, "hung"));
	/* Every queued job went with it. */
	assert_int_equal(drv_job_wait(c, id2, 0, &st), 0);
	assert_int_equal(st, NPU_JOB_STATUS_ABORTED);
	assert_int_equal(c->queued, 0);
	assert_false(c->db_registered);
	assert_false(c->faulted);

	/* The context carries on: its doorbell is registered again on the next submit. */
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_true(c->db_registered);
	assert_int_equal(drv_job_wait(c, id, 1000, &st), -ETIMEDOUT);
	drv_ctx_destroy(c); /* with that job queued */
}

/* A recovery with nothing hung: contexts, buffers and queues are back in place. */
static void test_recover_idle(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ctx *c[2];
	struct npu_bo *cmd[2];

	for (int i = 0; i < 2; i++) {
		assert_int_equal(drv_ctx_create(d, &c[i]), 0);
		assert_int_equal(drv_bo_create(c[i], 4096, 0, 0, &cmd[i]), 0);
		make_signal(cmd[i], cmd[i]->va + 2048, 10 + i);
		assert_int_equal(run(c[i], cmd[i]), 0);
	}
	assert_int_equal(drv_device_recover(d, "test"), 0);
	assert_int_equal(d->recoveries, 1);
	assert_string_equal(d->recovery_reason, "test");
	for (int i = 0; i < 2; i++) {
		fence_write(cmd[i], 2048, 0);
		assert_int_equal(run(c[i], cmd[i]), 0);
		assert_int_equal(fence_read(cmd[i], 2048), 10 + i);
	}
	/* A plain power cycle does the same. */
	assert_int_equal(drv_device_power_down(d), 0);
	assert_int_equal(drv_job_submit(c[0], cmd[0]->va, &(uint32_t){ 0 }), -EAGAIN);
	assert_int_equal(drv_device_boot(d), 0);
	assert_int_equal(run(c[0], cmd[0]), 0);
	drv_ctx_destroy(c[1]);
	drv_ctx_destroy(c[0]);
}

/* Recovery when something else noticed the need, and a recovery whose boot fails. */
static void test_recover_paths(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ctx *c;
	struct npu_bo *cmd, *blocker;
	uint32_t id, st;

	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	make_signal(cmd, cmd->va + 2048, 1);
	make_wait(blocker, blocker->va + 2048, 1);

	/* The interrupt service asked for a recovery: the wait runs it, the job is aborted. */
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	snprintf(d->recovery_reason, sizeof(d->recovery_reason), "test: watchdog");
	d->need_recovery = true;
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, NPU_JOB_STATUS_ABORTED);
	assert_int_equal(d->recoveries, 1);
	assert_string_equal(d->recovery_reason, "test: watchdog");
	/* ... or the next submit runs it, and its job then runs on the fresh firmware. */
	d->need_recovery = true;
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(d->recoveries, 2);
	assert_int_equal(c->jobq_tail, 1); /* the emptied queue's first slot */
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(c->jobs_failed, 1);

	/* A reboot that fails (the image in memory no longer matches): FAILED, -EIO. */
	d->boot_timeout_us = 100000;
	d->fw_file[NPU_FW_FILE_IMAGE_OFFSET] ^= 0xFFu;
	assert_int_not_equal(drv_device_recover(d, "test: bad image"), 0);
	assert_int_equal(d->state, NPU_DEV_FAILED);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), -EIO);
	/* Once the cause is gone another recovery brings the same context back. */
	d->fw_file[NPU_FW_FILE_IMAGE_OFFSET] ^= 0xFFu;
	assert_int_equal(drv_device_recover(d, "test: good image"), 0);
	assert_int_equal(d->state, NPU_DEV_READY);
	fence_write(cmd, 2048, 0);
	assert_int_equal(run(c, cmd), 0);
	assert_int_equal(fence_read(cmd, 2048), 1);
	drv_ctx_destroy(c);
}

/* Context teardown with jobs in the queue and one running (blocked on a fence). */
static void test_destroy_queued(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c, *other;
	struct npu_bo *blocker, *nop, *fence;
	uint32_t id;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_ctx_create(&f->d, &other), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &fence), 0);
	make_wait(blocker, fence->va, 1);
	make_signal(nop, fence->va + 64, 1);
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(drv_job_submit(c, nop->va, &id), 0);
	drv_ctx_destroy(c);
	assert_null(f->d.ctx[0]);

	/* The device goes on; a new context on the same id and doorbell-free slot works. */
	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	make_signal(nop, nop->va + 2048, 3);
	assert_int_equal(run(c, nop), 0);
	assert_int_equal(fence_read(nop, 2048), 3);
	drv_ctx_destroy(other);
	drv_ctx_destroy(c);
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
	uint32_t id, st, head, ids[NPU_JOBQ_SLOT_COUNT];
	unsigned n, room;
	int ret = 0;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	make_signal(cmd, cmd->va + 2048, 1);
	assert_int_equal(run(c, cmd), 0);

	/*
	 * A head past the ring reads as a full queue. The driver reads head
	 * again only once the room it last saw is used up, so the bad head
	 * stops it there, never later: no slot the device may hold is written.
	 */
	h = c->jobq.cpu;
	head = h->head;
	h->head = 1000;
	/* The room by the head it last read (it may be older than the device's). */
	room = (c->jobq_head + NPU_JOBQ_SLOT_COUNT - 1 - c->jobq_tail) % NPU_JOBQ_SLOT_COUNT;
	assert_true(room >= 1);
	for (n = 0; n < NPU_JOBQ_SLOT_COUNT; n++) {
		ret = drv_job_submit(c, cmd->va, &ids[n]);
		if (ret)
			break;
	}
	assert_int_equal(ret, -EBUSY);
	assert_int_equal(n, room);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), -EBUSY);
	h->head = head;
	assert_int_equal(run(c, cmd), 0); /* its doorbell gets the queued ones going too */
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(drv_job_wait(c, ids[i], WAIT_US, &st), 0);
		assert_int_equal(st, 0);
	}

	/* JOB_DONE for no job, another SSID, a wrong id, a failed message: all dropped. */
	memset(&m, 0, sizeof(m));
	m.type = NPU_JSM_MSG_JOB_DONE;
	m.payload.job_done.host_ssid = c->ssid;
	m.payload.job_done.job_id = 0x5;
	drv_job_done(&f->d, &m);
	m.payload.job_done.host_ssid = 1;
	drv_job_done(&f->d, &m);
	m.payload.job_done.host_ssid = 99;
	drv_job_done(&f->d, &m);
	m.payload.job_done.host_ssid = c->ssid;
	m.payload.job_done.job_id = 0x1;
	drv_job_done(&f->d, &m); /* job 1 is done already */
	assert_int_equal(c->jobs_completed, 2 + n);
	assert_int_equal(c->jobs_failed, 0);
	m.result = NPU_JSM_STATUS_PROCESSING_ERR;
	drv_job_done(&f->d, &m);
	assert_int_equal(drv_job_wait(c, 0x1, 0, &st), 0);
	assert_int_equal(st, 0);
	drv_ctx_destroy(c);
}

static struct fx f37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f37_hang = FX(NPU_GEN_37XX, NPU_SIM_FAULT_HANG_JOB, TDR_US, true);
static struct fx f40_hang = FX(NPU_GEN_40XX, NPU_SIM_FAULT_HANG_JOB, TDR_US, true);
static struct fx f37_os = FX_OS(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40_os = FX_OS(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f37_hang_os = FX_OS(NPU_GEN_37XX, NPU_SIM_FAULT_HANG_JOB, TDR_US, true);
static struct fx f40_hang_os = FX_OS(NPU_GEN_40XX, NPU_SIM_FAULT_HANG_JOB, TDR_US, true);

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		BOTH(test_mmu_fault, f37, f40),
		BOTH(test_hang_recovery, f37_hang, f40_hang),
		BOTH(test_recover_idle, f37, f40),
		BOTH(test_recover_paths, f37, f40),
		BOTH(test_destroy_queued, f37, f40),
		BOTH(test_untrusted_firmware, f37, f40),
		/* The fixtures above run hardware scheduling; these OS scheduling. */
		BOTH(test_mmu_fault, f37_os, f40_os),
		BOTH(test_hang_recovery, f37_hang_os, f40_hang_os),
		BOTH(test_recover_paths, f37_os, f40_os),
		BOTH(test_destroy_queued, f37_os, f40_os),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
