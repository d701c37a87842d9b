/* SPDX-License-Identifier: MIT */
/*
 * Power as the chip has it, through the driver on the simulated NPU (docs/simulator.md):
 * the buttress reports busy, not idle, while a job runs (docs/hardware.md §3.6, Linux
 * ivpu_hw_is_idle); Lunar Lake's PCODE raises duty-cycle (DCT) requests, which the driver
 * answers as Linux ivpu_pm_irq_dct_work_fn does (docs/firmware-protocol.md §6.3); after
 * a D0i3 entry message the firmware warm-resumes through save_restore_ret_address
 * (docs/boot-params.md "Warm boot", Linux ivpu_pm_runtime_suspend_cb).
 */
#include "jobs_test_util.h"

#include <pthread.h>

#include "driver/btrs.h"
#include "driver/irq.h"
#include "driver/pm.h"
#include "driver/service.h"
#include "hw/boot_params.h"
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
	uint32_t id, st;

	assert_true(drv_btrs_vpu_status(&f->d) & IDLE);
	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &fence), 0);
	make_wait(blocker, fence->va, 1);
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	/* The job is taken and blocks: busy, for as long as it waits. */
	assert_int_equal(drv_job_wait(c, id, 20000, &st), -ETIMEDOUT);
	assert_false(drv_btrs_vpu_status(&f->d) & IDLE);
	assert_int_equal(drv_job_wait(c, id, 20000, &st), -ETIMEDOUT);
	assert_false(drv_btrs_vpu_status(&f->d) & IDLE);
	fence_write(fence, 0, 1);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_true(drv_btrs_vpu_status(&f->d) & IDLE);
	drv_ctx_destroy(c);
}

/* The driver's loop: the interrupt serviced, then the deferred work. */
static void service(struct fx *f)
{
	drv_device_irq(&f->d);
	drv_device_service(&f->d);
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

/* A fill of 4 KiB in c: status 0 and the bytes written. */
static void fill_job(struct npu_ctx *c, uint32_t pattern)
{
	struct npu_bo *cmd, *data;
	struct cmdbuf cb;

	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &data), 0);
	cmd_begin(&cb, cmd);
	cmd_fill(&cb, data->va, 4096, pattern);
	cmd_end(&cb);
	assert_int_equal(run(c, cmd), 0);
	assert_int_equal(((const uint32_t *)data->dma.cpu)[1023], pattern);
	drv_bo_destroy(cmd);
	drv_bo_destroy(data);
}

static void test_suspend_resumes_warm(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = npu_platform_sim_model(f->plat);
	const struct npu_boot_params *bp = (const void *)f->d.boot_params_sent;
	struct npu_ctx *c;
	uint64_t entry;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	fill_job(c, 0x11111111u); /* registers the context's doorbell */
	assert_int_equal(drv_device_suspend(&f->d), 0);
	assert_int_equal(f->d.state, NPU_DEV_OFF);
	/* The firmware saved its state and left its restore entry in the boot parameters. */
	assert_int_equal(s->fw.warm.saves, 1);
	entry = f->d.warm_entry;
	assert_true(entry != 0 && entry != f->d.fw.entry_point);
	assert_true(entry == s->fw.warm.ret_address);

	assert_int_equal(drv_device_boot(&f->d), 0);
	assert_true(f->d.last_boot_warm);
	assert_int_equal(s->fw.warm.warm_boots, 1);
	assert_int_equal(bp->boot_type, NPU_BOOT_TYPE_WARM);
	assert_true(bp->save_restore_ret_address == 0);
	/* The registration survived in the firmware: the doorbell is rung, not registered again. */
	assert_true(c->db_registered);
	fill_job(c, 0x22222222u);

	/* A second round, then close: the kept memory is given back (the fixture counts). */
	assert_int_equal(drv_device_suspend(&f->d), 0);
	assert_true(f->d.warm_entry != 0);
	drv_ctx_destroy(c);
}

/* The simulated firmware refuses a warm page that is not what Linux writes. */
static void test_warm_page_checked(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = npu_platform_sim_model(f->plat);
	static struct npu_boot_params page;
	char why[200];

	assert_int_equal(drv_device_suspend(&f->d), 0);
	assert_int_equal(drv_device_boot(&f->d), 0);
	assert_true(f->d.last_boot_warm);
	memcpy(&page, f->d.boot_params_sent, sizeof(page));
	sim_host_lock(s);
	assert_int_equal(sim_warm_check(s, &page, why, sizeof(why)), 0);
	/*
	 * Linux 6.12 ivpu_fw_boot_params_setup's warm branch leaves boot_type at the cold
	 * boot's 0 (current Linux writes 1): both are a warm boot at the restore entry.
	 */
	page.boot_type = NPU_BOOT_TYPE_COLD;
	if (sim_warm_check(s, &page, why, sizeof(why)))
		fail_msg("a Linux 6.12 warm page was refused: %s", why);
	page.boot_type = 2; /* neither Linux writes it */
	assert_int_equal(sim_warm_check(s, &page, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "boot_type"));
	memcpy(&page, f->d.boot_params_sent, sizeof(page));
	page.save_restore_ret_address = s->fw.warm.ret_address; /* not cleared */
	assert_int_equal(sim_warm_check(s, &page, why, sizeof(why)), -EINVAL);
	memcpy(&page, f->d.boot_params_sent, sizeof(page));
	page.autoconfig = 0; /* a cold-boot field changed */
	assert_int_equal(sim_warm_check(s, &page, why, sizeof(why)), -EINVAL);
	memcpy(&page, f->d.boot_params_sent, sizeof(page));
	page.system_time_us = 1000; /* not the wall clock */
	assert_int_equal(sim_warm_check(s, &page, why, sizeof(why)), -EINVAL);
	pthread_mutex_unlock(&s->lock);
}

/* A warm boot the firmware refuses ends in a cold one, as Linux ivpu_resume retries. */
static void test_failed_warm_boot_falls_back_cold(void **state)
{
	struct fx *f = *state;
	struct npu_boot_params *live;
	struct npu_ctx *c;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	fill_job(c, 0x33333333u);
	assert_int_equal(drv_device_suspend(&f->d), 0);
	assert_true(f->d.warm_entry != 0);
	live = f->d.fw_runtime.dma.cpu; /* the kept page: a stray write into it */
	live->autoconfig = 0;
	assert_int_equal(drv_device_boot(&f->d), 0);
	assert_false(f->d.last_boot_warm);
	assert_int_equal(f->d.warm_boots, 0);
	fill_job(c, 0x44444444u); /* registered again with the new firmware */
	drv_ctx_destroy(c);
}

/* With a job queued nothing is done: Linux never autosuspends a busy NPU. */
static void test_suspend_refused_while_busy(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *blocker, *fence;
	uint32_t id, st;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &fence), 0);
	make_wait(blocker, fence->va, 1);
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	assert_int_equal(drv_device_suspend(&f->d), -EBUSY);
	assert_int_equal(f->d.state, NPU_DEV_READY);
	fence_write(fence, 0, 1);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	drv_ctx_destroy(c);
}

int main(void)
{
	/*
	 * A warm boot needs the D0i3 entry answered in time: a second, not the
	 * silicon's 5 ms, which the model's firmware thread misses when the
	 * machine is busy (the next boot is then cold, as it should be).
	 */
	static struct fx up37 = { .gen = NPU_GEN_37XX, .boot = true, .d0i3_us = 1000000u };
	static struct fx up40 = { .gen = NPU_GEN_40XX, .boot = true, .d0i3_us = 1000000u };
	const struct CMUnitTest tests[] = {
		BOTH(test_busy_while_a_job_runs, up37, up40),
		BOTH(test_dct_requests_answered, up37, up40),
		BOTH(test_suspend_resumes_warm, up37, up40),
		BOTH(test_warm_page_checked, up37, up40),
		BOTH(test_failed_warm_boot_falls_back_cold, up37, up40),
		BOTH(test_suspend_refused_while_busy, up37, up40),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
