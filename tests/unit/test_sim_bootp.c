/* SPDX-License-Identifier: MIT */
/*
 * The model's firmware checks its boot parameters (src/sim/sim_bootp.c,
 * docs/simulator.md): the page the driver handed over on a real boot passes, and
 * each field the firmware relies on, set wrong or left out, fails with a reason
 * that names it. Both generations, with the synthetic images (Intel's layout and
 * SHAVE-NN size; npuctl selftest runs Intel's own).
 *
 * The page is the driver's (d->boot_params_sent, copied at the CPU start); each
 * case changes one field the way a host bug would, following docs/hardware.md §4.5
 * and Intel's vpu_boot_api.h, not the driver.
 */
#include "jobs_test_util.h"

#include <pthread.h>

#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "platform/backends.h"
#include "sim/sim_internal.h"

static struct npu_boot_params page; /* 4 KiB: not on the stack */

static int bp_setup(void **state)
{
	struct fx *f = *state;
	struct npu_platform_config pcfg = { .device = "sim", .gen = f->gen };
	struct npu_device_config dcfg = { 0 };

	assert_int_equal(npu_platform_open(&pcfg, &f->plat), 0);
	assert_int_equal(drv_device_open(&f->d, f->plat, &dcfg), 0);
	assert_int_equal(drv_device_boot(&f->d), 0);
	assert_true(f->d.boot_params_sent_valid);
	return 0;
}

static int bp_teardown(void **state)
{
	struct fx *f = *state;

	drv_device_close(&f->d);
	npu_platform_close(f->plat);
	f->plat = NULL;
	return 0;
}

/* The model's verdict on `page`, under its lock as the firmware thread would read it. */
static int check(struct fx *f, char *why, size_t len)
{
	struct npu_sim *s = npu_platform_sim_model(f->plat);
	int ret;

	assert_non_null(s);
	why[0] = '\0';
	sim_host_lock(s);
	ret = sim_boot_params_check(s, &page, why, len);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static void fresh(struct fx *f)
{
	memcpy(&page, f->d.boot_params_sent, sizeof(page));
}

static void expect_bad(struct fx *f, const char *field)
{
	char why[200];

	assert_int_equal(check(f, why, sizeof(why)), -EINVAL);
	if (!strstr(why, field))
		fail_msg("the reason \"%s\" does not name %s", why, field);
	fresh(f);
}

static void test_driver_page_passes(void **state)
{
	struct fx *f = *state;
	char why[200];

	fresh(f);
	if (check(f, why, sizeof(why)))
		fail_msg("the driver's page was refused: %s", why);
	/* The driver's copy at the CPU start is the page the firmware read. */
	assert_true(npu_platform_sim_model(f->plat)->fw.bp_seen_valid);
	assert_memory_equal(npu_platform_sim_model(f->plat)->fw.bp_seen, f->d.boot_params_sent,
			    sizeof(page));
	/* What the driver wrote at the bytes docs/hardware.md §4.5 names. */
	assert_int_equal(f->d.boot_params_sent[0x136], 1);
	assert_int_equal(f->d.boot_params_sent[0x137], f->gen == NPU_GEN_37XX ? 3 : 1);
}

/*
 * perf_clk_frequency as each Linux writes it (ivpu_fw.c: ivpu_fw_boot_params_setup,
 * from ivpu_hw_profiling_freq_get): Linux 6.12 leaves the 37xx clock 0
 * (ivpu_hw_btrs.c: info_init_mtl does not set it), 38.4 MHz once debugfs
 * fw_profiling_freq_drive was written (ivpu_hw.c: ivpu_hw_profiling_freq_drive, which
 * keeps 37xx at the default); on 40xx both versions write 38.4 MHz (info_init_lnl) or
 * 400 MHz with the high clock. Anything else is refused.
 */
static void test_perf_clk(void **state)
{
	struct fx *f = *state;
	char why[200];
	bool is37 = f->gen == NPU_GEN_37XX;

	fresh(f);
	page.perf_clk_frequency = NPU_BOOT_PERF_CLK_DEFAULT_HZ;
	assert_int_equal(check(f, why, sizeof(why)), 0);
	page.perf_clk_frequency = 0; /* Linux 6.12 on 37xx */
	assert_int_equal(check(f, why, sizeof(why)), is37 ? 0 : -EINVAL);
	page.perf_clk_frequency = NPU_BOOT_PERF_CLK_HIGH_HZ; /* 40xx+ only */
	assert_int_equal(check(f, why, sizeof(why)), is37 ? -EINVAL : 0);
	page.perf_clk_frequency = NPU_BOOT_PERF_CLK_DEFAULT_HZ / 2;
	expect_bad(f, "perf_clk_frequency");
}

/*
 * The aliased PIO window as each Linux writes it (ivpu_fw.c: ivpu_fw_boot_params_setup):
 * 6.12 writes the user range on every generation, 6.13 and later on 37xx only and leave
 * base and size 0 on 40xx. A 0 base is refused on 37xx, and with a size on any generation.
 */
static void test_aliased_pio(void **state)
{
	struct fx *f = *state;
	char why[200];
	bool is37 = f->gen == NPU_GEN_37XX;

	fresh(f);
	page.global_aliased_pio_base = 0;
	page.global_aliased_pio_size = 0;
	assert_int_equal(check(f, why, sizeof(why)), is37 ? -EINVAL : 0);
	page.global_aliased_pio_size = 0x10000000;
	expect_bad(f, "global_aliased_pio_base");
	page.global_aliased_pio_base = NPU_VA_37XX_USER_START;
	page.global_aliased_pio_size = 0x10000000;
	assert_int_equal(check(f, why, sizeof(why)), 0);
}

static void test_bad_fields_fail(void **state)
{
	struct fx *f = *state;
	uint8_t *raw = (uint8_t *)&page;

	fresh(f);
	/* The old two-u32 cache_defaults: 1 at 0x13C, 3 at 0x140, nothing at 0x136/0x137. */
	memset(raw + 0x134, 0, 4);
	raw[0x13C] = 1;
	raw[0x140] = 3;
	expect_bad(f, "global_memory_allocator_base");
	raw[0x137] = 0;
	expect_bad(f, "cache_defaults[NN]");
	raw[0x136] = 0;
	expect_bad(f, "cache_defaults[NN]");
	raw[0x134] = 1; /* the UPA entry Linux leaves 0 */
	expect_bad(f, "cache_defaults[NPU_BOOT_CACHE_CFG_UPA]");
	page.global_memory_allocator_size = 1;
	expect_bad(f, "global_memory_allocator_size");
	/* A monotonic clock (seconds since boot) is not the wall clock. */
	page.system_time_us = 600u * 1000000u;
	expect_bad(f, "system_time_us");
	page.autoconfig = 0;
	expect_bad(f, "autoconfig");
	page.watchdog_irq_nce = 0;
	expect_bad(f, "watchdog");
	page.perf_clk_frequency = 1000000; /* no profiling clock of either generation */
	expect_bad(f, "perf_clk_frequency");
	page.ipc_header_area_start = 0;
	expect_bad(f, "IPC header area");
	page.crit_tracing_buff_addr = page.shared_region_base - 0x1000;
	expect_bad(f, "critical log buffer");
	page.shared_region_base += 0x1000; /* off the 128 KiB MTRR granule */
	expect_bad(f, "shared region");
	page.min_freq_pll_ratio = page.max_freq_pll_ratio + 1;
	expect_bad(f, "PLL ratios");
	page.sku = 0x1234;
	expect_bad(f, "sku");
	page.punit_telemetry_sram_size = 0;
	expect_bad(f, "telemetry");
	page.trace_destination_mask = 0;
	expect_bad(f, "trace_destination_mask");
	page.tracing_buff_message_format_mask = 0x4;
	expect_bad(f, "tracing_buff_message_format_mask");
	page.boot_type = NPU_BOOT_TYPE_WARM;
	expect_bad(f, "boot_type");
	page.save_restore_ret_address = page.shared_region_base;
	expect_bad(f, "warm-boot");
	page.host_version_id = 1;
	expect_bad(f, "host_version_id");
	page.job_done_irq = 5;
	expect_bad(f, "job_done_irq");
	page.vpu_count = 1;
	expect_bad(f, "vpu_count");
	page.pad6[10] = 1;
	expect_bad(f, "pad6");
	page.dvfs_mode = 9;
	expect_bad(f, "dvfs_mode");
	page.vpu_scheduling_mode = NPU_BOOT_SCHED_MODE_OS; /* a focus timer without HW scheduling */
	page.vpu_focus_present_timer_ms = 1000;
	expect_bad(f, "vpu_focus_present_timer_ms");
}

static void test_shave_nn(void **state)
{
	struct fx *f = *state;

	fresh(f);
	if (f->d.fw.shave_nn_fw_size) {
		/* docs/hardware.md §4.4: the 37xx image declares 0x17C0 bytes. */
		assert_true(
		    page.shave_nn_fw_base >=
		    (f->gen == NPU_GEN_37XX ? NPU_VA_37XX_SHAVE_START : NPU_VA_40XX_SHAVE_START));
		page.shave_nn_fw_base = 0;
		expect_bad(f, "shave_nn_fw_base is 0");
		page.shave_nn_fw_base += 0x100000; /* in the range, nothing mapped there */
		expect_bad(f, "not mapped");
		page.shave_nn_fw_base = page.shared_region_base;
		expect_bad(f, "outside the shave range");
	} else {
		assert_true(page.shave_nn_fw_base == 0);
		page.shave_nn_fw_base = NPU_VA_40XX_SHAVE_START;
		expect_bad(f, "without SHAVE-NN");
	}
}

/* A case on each generation's fixture (the page of a fresh boot, bp_setup). */
#define BP(t, f)   cmocka_unit_test_prestate_setup_teardown(t, bp_setup, bp_teardown, &f)
#define BOTH_BP(t) BP(t, f37), BP(t, f40)

int main(void)
{
	static struct fx f37 = { .gen = NPU_GEN_37XX }, f40 = { .gen = NPU_GEN_40XX };
	const struct CMUnitTest tests[] = {
		BOTH_BP(test_driver_page_passes), BOTH_BP(test_bad_fields_fail),
		BOTH_BP(test_aliased_pio),	  BOTH_BP(test_perf_clk),
		BOTH_BP(test_shave_nn),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
