/* SPDX-License-Identifier: MIT */
/*
 * The firmware's look at its boot parameters (docs/hardware.md §4.5), as strict as
 * the silicon: the firmware relies on every field Linux (ivpu_fw.c:
 * ivpu_fw_boot_params_setup) writes and reads garbage from the fields Linux leaves
 * 0 (the page overlaps nothing else, so stray bytes there are a host bug). A page
 * that fails is a firmware that never says READY; the reason goes to its critical
 * log, where the host can read it. docs/simulator.md lists each check.
 *
 * The facts checked come from Intel's vpu_boot_api.h and the reference ranges, not
 * from the driver: the shave range start, the watchdog redirects 32/33, the sku,
 * the buttress registers the model itself answers with.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/regs_btrs_mtl.h"
#include "sim/sim_internal.h"

/* system_time_us must read as a wall clock: after 2020-01-01 and within a day of ours. */
#define WALL_CLOCK_MIN_US  UINT64_C(1577836800000000)
#define WALL_CLOCK_SLOP_US (UINT64_C(86400) * 1000000u)

#define PRESENT_TIMER_MIN_MS 16u    /* VPU_PRESENT_CALL_PERIOD_MS_MIN */
#define PRESENT_TIMER_MAX_MS 10000u /* VPU_PRESENT_CALL_PERIOD_MS_MAX */
#define DVFS_MODE_MAX	     4u	    /* VPU_GOV_ON_DEMAND_PRIORITY_AWARE */
#define TRACE_LEVEL_MAX	     5u	    /* FATAL */
#define TRACE_DEST_ALL	     0x7u
#define MTRR_ALIGN	     0x20000u /* 128 KiB: shared region alignment (fw.c) */

struct why {
	char *buf;
	size_t len;
};

static int bad(struct why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct why *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->buf, w->len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static uint64_t shave_start(const struct npu_sim *s)
{
	return s->gen == NPU_GEN_37XX ? NPU_VA_37XX_SHAVE_START : NPU_VA_40XX_SHAVE_START;
}

/* 2 GiB on both generations (docs/hardware.md §4.5). */
static uint64_t shave_size(void)
{
	return NPU_VA_37XX_SHAVE_SIZE;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

/* The fields Linux leaves 0 on every boot: named so the reason says which. */
static int zero_fields(const struct npu_boot_params *bp, struct why *w)
{
#define MUST_BE_ZERO(f)                                                  \
	do {                                                             \
		if (!all_zero(&bp->f, sizeof(bp->f)))                    \
			return bad(w, #f " (offset 0x%zx) is not 0",     \
				   offsetof(struct npu_boot_params, f)); \
	} while (0)
	MUST_BE_ZERO(vpu_count);
	MUST_BE_ZERO(pad0);
	MUST_BE_ZERO(pll);
	MUST_BE_ZERO(pad1);
	MUST_BE_ZERO(cache_defaults[NPU_BOOT_CACHE_CFG_UPA]);
	MUST_BE_ZERO(global_memory_allocator_base);
	MUST_BE_ZERO(global_memory_allocator_size);
	MUST_BE_ZERO(pad2);
	MUST_BE_ZERO(host_to_vpu_irq);
	MUST_BE_ZERO(job_done_irq);
	MUST_BE_ZERO(mmu_update_request_irq);
	MUST_BE_ZERO(mmu_update_done_irq);
	MUST_BE_ZERO(set_power_level_irq);
	MUST_BE_ZERO(set_power_level_done_irq);
	MUST_BE_ZERO(set_vpu_idle_update_irq);
	MUST_BE_ZERO(metric_query_event_irq);
	MUST_BE_ZERO(metric_query_event_done_irq);
	MUST_BE_ZERO(preemption_done_irq);
	MUST_BE_ZERO(pad3);
	MUST_BE_ZERO(host_version_id);
	MUST_BE_ZERO(verbose_tracing_sw_component_mask);
	MUST_BE_ZERO(trace_reserved_1);
	MUST_BE_ZERO(temp_sensor_period_ms);
	MUST_BE_ZERO(dvfs_param);
	MUST_BE_ZERO(pad4);
	MUST_BE_ZERO(pad7);
	MUST_BE_ZERO(warm_boot_sections_count);
	MUST_BE_ZERO(warm_boot_start_address_reference);
	MUST_BE_ZERO(warm_boot_section_info_address_offset);
	MUST_BE_ZERO(pad5);
	MUST_BE_ZERO(vpu_uses_ecc_mca_signal); /* NPU5+ only */
	MUST_BE_ZERO(dct_active_us);
	MUST_BE_ZERO(dct_inactive_us);
	MUST_BE_ZERO(pad6);
#undef MUST_BE_ZERO
	return 0;
}

/* A buffer the firmware writes: inside the shared region and mapped for its size. */
static int shared_buffer(struct npu_sim *s, const struct npu_boot_params *bp, const char *name,
			 uint64_t va, uint64_t size, struct why *w)
{
	uint64_t base = bp->shared_region_base, end = base + bp->shared_region_size;
	uint8_t probe;

	if (!va || !size)
		return bad(w, "%s is 0x%" PRIx64 "+0x%" PRIx64 ": missing", name, va, size);
	if (va < base || va + size > end)
		return bad(w,
			   "%s 0x%" PRIx64 "+0x%" PRIx64 " is outside the shared region 0x%" PRIx64
			   "+0x%x",
			   name, va, size, base, bp->shared_region_size);
	if (sim_mmu_access(s, 0, va, &probe, 1, false) ||
	    sim_mmu_access(s, 0, va + size - 1, &probe, 1, false))
		return bad(w, "%s 0x%" PRIx64 "+0x%" PRIx64 " is not mapped", name, va, size);
	return 0;
}

/*
 * perf_clk_frequency: the default profiling clock, or on 40xx+ the high one (a debug
 * setting, Linux debugfs fw_profiling_freq_drive). On 37xx 0 too: Linux 6.12
 * (ivpu_hw_btrs.c: info_init_mtl) never sets the MTL profiling clock, so its
 * ivpu_fw_boot_params_setup writes 0 unless fw_profiling_freq_drive was written
 * (ivpu_hw.c: ivpu_hw_profiling_freq_drive); the 37xx firmware then keeps its
 * default clock. The 40xx path (info_init_lnl) sets the default in both versions.
 */
static bool perf_clk_ok(const struct npu_sim *s, uint32_t hz)
{
	if (hz == NPU_BOOT_PERF_CLK_DEFAULT_HZ)
		return true;
	if (s->gen == NPU_GEN_37XX)
		return hz == 0;
	return hz == NPU_BOOT_PERF_CLK_HIGH_HZ;
}

/* What the firmware relies on: present and in range (cold boot). */
static int set_fields(struct npu_sim *s, const struct npu_boot_params *bp, struct why *w)
{
	const struct sim_btrs *b = &s->btrs;
	uint64_t rt = s->rom.boot_params_load_address;
	uint8_t want_cfg = (uint8_t)(shave_start(s) >> NPU_BOOT_CACHE_CFG_SHIFT);
	int ret;

	if (!perf_clk_ok(s, bp->perf_clk_frequency))
		return bad(w, "perf_clk_frequency %u Hz is not a profiling clock of this NPU",
			   bp->perf_clk_frequency);
	if (!bp->shared_region_size || bp->shared_region_base % MTRR_ALIGN ||
	    bp->shared_region_base + bp->shared_region_size > UINT64_C(0x100000000) ||
	    (bp->shared_region_base < rt + s->rom.runtime_size &&
	     rt < bp->shared_region_base + bp->shared_region_size))
		return bad(w,
			   "shared region 0x%" PRIx64 "+0x%x is not a 128 KiB aligned region below "
			   "4 GiB apart from the runtime",
			   bp->shared_region_base, bp->shared_region_size);
	ret = shared_buffer(s, bp, "IPC header area", bp->ipc_header_area_start,
			    bp->ipc_header_area_size, w);
	if (!ret)
		ret = shared_buffer(s, bp, "IPC payload area", bp->ipc_payload_area_start,
				    bp->ipc_payload_area_size, w);
	if (!ret)
		ret = shared_buffer(s, bp, "critical log buffer", bp->crit_tracing_buff_addr,
				    bp->crit_tracing_buff_size, w);
	if (!ret)
		ret = shared_buffer(s, bp, "verbose log buffer", bp->verbose_tracing_buff_addr,
				    bp->verbose_tracing_buff_size, w);
	if (ret)
		return ret;
	/*
	 * Linux 6.12 (ivpu_fw.c: ivpu_fw_boot_params_setup) writes the user range as the
	 * aliased PIO window on every generation; 6.13 and later write it on 37xx only and
	 * leave base and size 0 on 40xx.
	 */
	if (!bp->global_aliased_pio_base && (s->gen == NPU_GEN_37XX || bp->global_aliased_pio_size))
		return bad(w, "global_aliased_pio_base is 0 (size 0x%x)",
			   bp->global_aliased_pio_size);
	if (bp->autoconfig != NPU_BOOT_AUTOCONFIG)
		return bad(w, "autoconfig is %u, not 1", bp->autoconfig);
	if (bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].use != 1 ||
	    bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg != want_cfg)
		return bad(w,
			   "cache_defaults[NN] (bytes 0x136, 0x137) is use %u cfg %u, not use 1 "
			   "cfg %u (shave range start >> 31)",
			   bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].use,
			   bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg, want_cfg);
	if (bp->watchdog_irq_mss != (int32_t)NPU_BOOT_WATCHDOG_IRQ_MSS ||
	    bp->watchdog_irq_nce != (int32_t)NPU_BOOT_WATCHDOG_IRQ_NCE)
		return bad(w, "watchdog redirects %d/%d, not 32/33", bp->watchdog_irq_mss,
			   bp->watchdog_irq_nce);
	if (!bp->device_id || bp->device_id > 0xFFFF)
		return bad(w, "device_id 0x%" PRIx64 " is not a PCI device ID", bp->device_id);
	if (bp->sku != (s->gen == NPU_GEN_37XX ? NPU_BTRS_MTL_SKU : 0))
		return bad(w, "sku 0x%" PRIx64 " is not this NPU's", bp->sku);
	if (!bp->min_freq_pll_ratio || bp->min_freq_pll_ratio > bp->max_freq_pll_ratio ||
	    bp->pn_freq_pll_ratio < bp->min_freq_pll_ratio ||
	    bp->pn_freq_pll_ratio > bp->max_freq_pll_ratio)
		return bad(w, "PLL ratios min %u pn %u max %u are not min <= pn <= max",
			   bp->min_freq_pll_ratio, bp->pn_freq_pll_ratio, bp->max_freq_pll_ratio);
	if (bp->default_trace_level > TRACE_LEVEL_MAX)
		return bad(w, "default_trace_level %u is above FATAL", bp->default_trace_level);
	if (bp->punit_telemetry_sram_base != b->telemetry[0] ||
	    bp->punit_telemetry_sram_size != b->telemetry[1] ||
	    bp->vpu_telemetry_enable != b->telemetry[2])
		return bad(w,
			   "telemetry 0x%" PRIx64 "+0x%" PRIx64 " (enable %u) is not what the "
			   "buttress reports",
			   bp->punit_telemetry_sram_base, bp->punit_telemetry_sram_size,
			   bp->vpu_telemetry_enable);
	if (!bp->trace_destination_mask || bp->trace_destination_mask & ~TRACE_DEST_ALL)
		return bad(w, "trace_destination_mask 0x%x", bp->trace_destination_mask);
	if (!bp->trace_hw_component_mask)
		return bad(w, "trace_hw_component_mask is 0: nothing would log");
	if (!(bp->tracing_buff_message_format_mask & NPU_TRACE_FORMAT_MASK_STRING))
		return bad(w, "tracing_buff_message_format_mask 0x%" PRIx64 " lacks strings",
			   bp->tracing_buff_message_format_mask);
	if (bp->dvfs_mode > DVFS_MODE_MAX)
		return bad(w, "dvfs_mode %u is not a governor", bp->dvfs_mode);
	if (bp->d0i3_delayed_entry > 1)
		return bad(w, "d0i3_delayed_entry %u", bp->d0i3_delayed_entry);
	if (bp->vpu_scheduling_mode > NPU_BOOT_SCHED_MODE_HW)
		return bad(w, "vpu_scheduling_mode %u", bp->vpu_scheduling_mode);
	if (bp->vpu_scheduling_mode == NPU_BOOT_SCHED_MODE_HW
		? bp->vpu_focus_present_timer_ms < PRESENT_TIMER_MIN_MS ||
		      bp->vpu_focus_present_timer_ms > PRESENT_TIMER_MAX_MS
		: bp->vpu_focus_present_timer_ms != 0)
		return bad(w, "vpu_focus_present_timer_ms %u in scheduling mode %u",
			   bp->vpu_focus_present_timer_ms, bp->vpu_scheduling_mode);
	if (bp->power_profile & ~NPU_BOOT_POWER_PROFILE_D0I2_DISABLE)
		return bad(w, "power_profile 0x%x", bp->power_profile);
	return 0;
}

/* shave_nn_fw_base: where the image declares a SHAVE-NN size, a mapped buffer in the shave range. */
static int shave_nn(struct npu_sim *s, const struct npu_boot_params *bp, struct why *w)
{
	uint64_t va = bp->shave_nn_fw_base, size = s->rom.shave_nn_fw_size;
	uint8_t probe;

	if (!size) {
		if (va)
			return bad(
			    w, "shave_nn_fw_base 0x%" PRIx64 " for an image without SHAVE-NN", va);
		return 0;
	}
	if (!va)
		return bad(w,
			   "shave_nn_fw_base is 0, but the image needs %" PRIu64
			   " bytes of SHAVE-NN memory",
			   size);
	if (va < shave_start(s) || va + size > shave_start(s) + shave_size())
		return bad(w,
			   "shave_nn_fw_base 0x%" PRIx64 " is outside the shave range 0x%" PRIx64,
			   va, shave_start(s));
	for (uint64_t off = 0; off < size; off += 4096) {
		if (sim_mmu_access(s, 0, va + off, &probe, 1, false))
			return bad(
			    w, "the SHAVE-NN buffer at 0x%" PRIx64 " is not mapped at +0x%" PRIx64,
			    va, off);
	}
	if (sim_mmu_access(s, 0, va + size - 1, &probe, 1, false))
		return bad(w, "the SHAVE-NN buffer 0x%" PRIx64 "+0x%" PRIx64 " is not mapped whole",
			   va, size);
	return 0;
}

static uint64_t wall_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int sim_boot_params_time_check(const struct npu_boot_params *bp, char *why, size_t len)
{
	uint64_t now = wall_us();

	if (bp->system_time_us < WALL_CLOCK_MIN_US ||
	    bp->system_time_us + WALL_CLOCK_SLOP_US < now ||
	    bp->system_time_us > now + WALL_CLOCK_SLOP_US) {
		snprintf(why, len,
			 "system_time_us %" PRIu64 " is not the wall clock (now %" PRIu64 ")",
			 bp->system_time_us, now);
		return -EINVAL;
	}
	return 0;
}

int sim_boot_params_check(struct npu_sim *s, const struct npu_boot_params *bp, char *why,
			  size_t len)
{
	struct why w = { why, len };
	int ret;

	if (bp->boot_type != NPU_BOOT_TYPE_COLD)
		return bad(&w, "boot_type %u on a cold boot", bp->boot_type);
	if (bp->save_restore_ret_address || bp->d0i3_residency_time_us || bp->d0i3_entry_vpu_ts ||
	    bp->device_time_delta_ticks ||
	    !all_zero(&bp->power_states_timestamps, sizeof(bp->power_states_timestamps)))
		return bad(&w, "warm-boot or firmware-written fields are not 0 on a cold boot");
	ret = zero_fields(bp, &w);
	if (!ret)
		ret = set_fields(s, bp, &w);
	if (!ret)
		ret = shave_nn(s, bp, &w);
	if (!ret)
		ret = sim_boot_params_time_check(bp, why, len);
	return ret;
}
