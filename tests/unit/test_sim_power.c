/* SPDX-License-Identifier: MIT */
/*
 * Power as the chip has it, through the driver on the simulated NPU (docs/simulator.md):
 * the buttress reports busy, not idle, while a job runs (docs/hardware.md §3.6, Linux
 * ivpu_hw_is_idle); Lunar Lake's PCODE raises duty-cycle (DCT) requests, which the driver
 * answers as Linux ivpu_pm_irq_dct_work_fn does (docs/firmware-protocol.md §6.3).
 */
#include "jobs_test_util.h"

#include "driver/irq.h"
#include "hw/regs_btrs_lnl.h"
#include "platform/backends.h"
#include "sim/sim.h"
#include "sim/sim_internal.h"

#define IDLE NPU_BTRS_LNL_VPU_STATUS_IDLE /* bit 1 on MTL and LNL */

static void test_busy_while_a_job_runs(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *blocker, *fence;
	struct cmdbuf cb;
	uint32_t id, st;

	assert_true(npu_btrs_vpu_status(&f->d) & IDLE);
	assert_int_equal(npu_ctx_create(&f->d, &c), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(npu_bo_create(c, 4096, 0, 0, &fence), 0);
	cmd_begin(&cb, blocker);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence->va, 1);
	cmd_end(&cb);
	assert_int_equal(npu_job_submit(c, blocker->va, &id), 0);
	/* The job is taken and blocks: busy, for as long as it waits. */
	assert_int_equal(npu_job_wait(c, id, 20000, &st), -ETIMEDOUT);
	assert_false(npu_btrs_vpu_status(&f->d) & IDLE);
	assert_int_equal(npu_job_wait(c, id, 20000, &st), -ETIMEDOUT);
	assert_false(npu_btrs_vpu_status(&f->d) & IDLE);
	fence_write(fence, 0, 1);
	assert_int_equal(npu_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_true(npu_btrs_vpu_status(&f->d) & IDLE);
	npu_ctx_destroy(c);
}

/* The driver's loop: the interrupt serviced, then the deferred work. */
static void service(struct fx *f)
{
	npu_device_irq(&f->d);
	npu_device_service(&f->d);
}

static void test_dct_requests_answered(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = npu_platform_sim_model(f->plat);

	assert_non_null(s);
	if (f->gen == NPU_GEN_37XX) {
		assert_int_equal(npu_sim_dct_request(s, true), -EOPNOTSUPP);
		return;
	}
	assert_int_equal(npu_sim_dct_request(s, true), 0);
	service(f);
	/* DCT_ENABLE with 30 % of 35300 us, then CMD 2, PARAM1 1, PARAM2 38 (30 % in U1.7). */
	assert_int_equal(s->btrs.dct_answers_bad, 0);
	assert_int_equal(s->btrs.dct_answers_ok, 1);
	assert_false(s->btrs.dct_pending);
	assert_true(s->fw.dct_enabled);
	assert_int_equal(s->fw.dct_active_us, 10590);
	assert_int_equal(s->fw.dct_inactive_us, 24710);
	assert_int_equal(s->btrs.mailbox[0], 0x00260102);
	assert_int_equal(f->d.dct_active_percent, 30);

	assert_int_equal(npu_sim_dct_request(s, false), 0);
	service(f);
	assert_int_equal(s->btrs.dct_answers_bad, 0);
	assert_int_equal(s->btrs.dct_answers_ok, 2);
	assert_false(s->fw.dct_enabled);
	assert_int_equal(s->btrs.mailbox[0], 0x00000002);
	assert_int_equal(f->d.dct_active_percent, 0);
}

int main(void)
{
	static struct fx up37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
	static struct fx up40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);
	const struct CMUnitTest tests[] = {
		BOTH(test_busy_while_a_job_runs, up37, up40),
		BOTH(test_dct_requests_answered, up37, up40),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
