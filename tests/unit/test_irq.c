/* SPDX-License-Identifier: MIT */
/*
 * The interrupt service against the simulated NPU, booted with the synthetic
 * image: the test raises the model's interrupt sources through its internals
 * (sim_internal.h) and checks what the driver did about each: the watchdog
 * (disabled, recovery), a buttress error (recovery), MMU faults (the user
 * context marked faulted; the firmware's context means recovery).
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
#include "driver/irq.h"
#include "driver/job.h"
#include "hw/regs_37xx.h"
#include "platform/backends.h"
#include "sim/sim_test.h"

struct fx {
	char fwdir[64];
	struct npu_platform *p;
	struct npu_device d;
	struct npu_sim *s;
};

static const enum npu_gen gen37 = NPU_GEN_37XX, gen40 = NPU_GEN_40XX;

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct npu_platform_config pc = { .device = "sim" };

	assert_non_null(f);
	pc.gen = *(const enum npu_gen *)*state;
	snprintf(f->fwdir, sizeof(f->fwdir), "/tmp/npu-irq-test-XXXXXX");
	assert_non_null(mkdtemp(f->fwdir));
	/* No image in the search path: the simulated NPU boots the synthetic one. */
	setenv("NPU_FIRMWARE_PATH", f->fwdir, 1);
	assert_int_equal(npu_platform_open(&pc, &f->p), 0);
	assert_int_equal(drv_device_open(&f->d, f->p, NULL), 0);
	assert_int_equal(drv_device_boot(&f->d), 0);
	f->s = npu_platform_sim_model(f->p);
	assert_non_null(f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	drv_device_close(&f->d);
	npu_platform_close(f->p);
	rmdir(f->fwdir);
	free(f);
	return 0;
}

static void test_irq_watchdog_and_btrs(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_sim_test_tim tim;

	npu_sim_test_lock(f->s);
	npu_sim_test_tim_get(f->s, &tim);
	tim.wdog_en = 1;
	tim.gen_config = 1u << 9;
	npu_sim_test_tim_set(f->s, &tim);
	npu_sim_test_icb_raise(f->s, NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_0);
	npu_sim_test_unlock(f->s);
	assert_int_equal(drv_irq_wait(d, 1000000), 0);
	assert_true(d->need_recovery);
	assert_non_null(strstr(d->recovery_reason, "MSS watchdog"));
	npu_sim_test_lock(f->s);
	npu_sim_test_tim_get(f->s, &tim);
	assert_int_equal(tim.wdog_en, 0);
	assert_int_equal(tim.watchdog, 0xFFFFFFFFu);
	assert_int_equal(tim.gen_config & (1u << 9), 0);
	assert_int_equal(npu_sim_test_icb_status(f->s) & (1u << 30), 0);
	npu_sim_test_btrs_raise(f->s, 1u << 1); /* ATS_ERR, same bit on both buttresses */
	npu_sim_test_unlock(f->s);
	d->need_recovery = false;
	assert_int_equal(drv_irq_wait(d, 1000000), 0);
	assert_true(d->need_recovery);
	assert_non_null(strstr(d->recovery_reason, "ATS"));
	assert_int_equal(drv_irq_wait(d, 0), -ETIMEDOUT);
}

static void test_irq_mmu_faults(void **state)
{
	static struct npu_ctx ctx = { .id = 1, .ssid = 2 };
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	uint32_t word;

	ctx.faulted = false;
	d->ctx[0] = &ctx;
	npu_sim_test_lock(f->s);
	assert_int_not_equal(npu_sim_test_access(f->s, 2, 0x10000, &word, 4, false), 0);
	npu_sim_test_unlock(f->s);
	assert_int_equal(drv_irq_wait(d, 1000000), 0);
	d->ctx[0] = NULL;
	assert_true(ctx.faulted);
	assert_int_equal(d->mmu_faults, 1);
	assert_false(d->need_recovery);

	npu_sim_test_lock(f->s);
	assert_int_not_equal(npu_sim_test_access(f->s, 0, 0x10, &word, 4, false), 0);
	npu_sim_test_unlock(f->s);
	assert_int_equal(drv_irq_wait(d, 1000000), 0);
	assert_true(d->need_recovery);
	assert_non_null(strstr(d->recovery_reason, "MMU fault"));
}

#define BOTH(fn)                                                                       \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&gen37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&gen40)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_irq_watchdog_and_btrs),
		BOTH(test_irq_mmu_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
