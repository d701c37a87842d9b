/* SPDX-License-Identifier: MIT */
/*
 * Checks the firmware-loading layouts in src/hw/ against the reference document
 * (docs/hardware.md §4): boot parameters, firmware header, VA ranges.
 *
 * The offsets and values below are typed by hand from the reference tables, not derived
 * from the structures: each layout test writes little-endian bytes at the documented
 * offsets of a raw buffer, copies the buffer into the structure and reads the fields
 * back (and the other way round for the boot parameters).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/regs_btrs_mtl.h"

#include "hw_layout_test_util.h"

/* ---- boot parameters (docs/hardware.md §4.5) ---- */

/*
 * struct vpu_boot_params typed from Intel's vpu_boot_api.h (BOOT API 3.28), with the
 * header's own types and padding, apart from src/hw/boot_params.h: every field of
 * npud's structure must sit at the same offset with the same size as here.
 */
#pragma pack(push, 4)
struct intel_vpu_boot_params {
	uint32_t magic;
	uint32_t vpu_id;
	uint32_t vpu_count;
	uint32_t pad0[5];
	uint32_t frequency;
	uint32_t pll[3][4];
	uint32_t perf_clk_frequency;
	uint32_t pad1[42];
	uint64_t ipc_header_area_start;
	uint32_t ipc_header_area_size;
	uint64_t shared_region_base;
	uint32_t shared_region_size;
	uint64_t ipc_payload_area_start;
	uint32_t ipc_payload_area_size;
	uint64_t global_aliased_pio_base;
	uint32_t global_aliased_pio_size;
	uint32_t autoconfig;
	struct {
		uint8_t use;
		uint8_t cfg;
	} cache_defaults[2];
	uint64_t global_memory_allocator_base;
	uint32_t global_memory_allocator_size;
	uint64_t shave_nn_fw_base;
	uint64_t save_restore_ret_address;
	uint32_t pad2[43];
	int32_t watchdog_irq_mss;
	int32_t watchdog_irq_nce;
	uint32_t host_to_vpu_irq;
	uint32_t job_done_irq;
	uint32_t mmu_update_request_irq;
	uint32_t mmu_update_done_irq;
	uint32_t set_power_level_irq;
	uint32_t set_power_level_done_irq;
	uint32_t set_vpu_idle_update_irq;
	uint32_t metric_query_event_irq;
	uint32_t metric_query_event_done_irq;
	uint32_t preemption_done_irq;
	uint32_t pad3[52];
	uint32_t host_version_id;
	uint32_t si_stepping;
	uint64_t device_id;
	uint64_t feature_exclusion;
	uint64_t sku;
	uint32_t min_freq_pll_ratio;
	uint32_t max_freq_pll_ratio;
	uint32_t default_trace_level;
	uint32_t boot_type;
	uint64_t punit_telemetry_sram_base;
	uint64_t punit_telemetry_sram_size;
	uint32_t vpu_telemetry_enable;
	uint64_t crit_tracing_buff_addr;
	uint32_t crit_tracing_buff_size;
	uint64_t verbose_tracing_buff_addr;
	uint32_t verbose_tracing_buff_size;
	uint64_t verbose_tracing_sw_component_mask;
	uint32_t trace_destination_mask;
	uint64_t trace_hw_component_mask;
	uint64_t tracing_buff_message_format_mask;
	uint64_t trace_reserved_1[2];
	uint32_t temp_sensor_period_ms;
	uint32_t pn_freq_pll_ratio;
	uint32_t dvfs_mode;
	uint64_t dvfs_param;
	uint32_t d0i3_delayed_entry;
	uint64_t d0i3_residency_time_us;
	uint64_t d0i3_entry_vpu_ts;
	uint64_t system_time_us;
	uint32_t pad4[2];
	uint64_t device_time_delta_ticks;
	uint32_t pad7[14];
	uint32_t warm_boot_sections_count;
	uint32_t warm_boot_start_address_reference;
	uint32_t warm_boot_section_info_address_offset;
	uint32_t pad5[13];
	uint64_t power_states_timestamps[6];
	uint32_t vpu_scheduling_mode;
	uint32_t vpu_focus_present_timer_ms;
	uint32_t vpu_uses_ecc_mca_signal;
	uint32_t power_profile;
	uint32_t dct_active_us;
	uint32_t dct_inactive_us;
	uint32_t pad6[734];
};
#pragma pack(pop)

#define SAME_FIELD(f)                                                        \
	_Static_assert(offsetof(struct intel_vpu_boot_params, f) ==          \
			       offsetof(struct npu_boot_params, f) &&        \
			   sizeof(((struct intel_vpu_boot_params *)0)->f) == \
			       sizeof(((struct npu_boot_params *)0)->f),     \
		       "boot_params." #f " is not where vpu_boot_api.h puts it")

_Static_assert(sizeof(struct intel_vpu_boot_params) == 4096, "mirror size");
_Static_assert(sizeof(struct npu_boot_params) == 4096, "boot_params size");
SAME_FIELD(magic);
SAME_FIELD(vpu_id);
SAME_FIELD(vpu_count);
SAME_FIELD(frequency);
SAME_FIELD(pll);
SAME_FIELD(perf_clk_frequency);
SAME_FIELD(ipc_header_area_start);
SAME_FIELD(ipc_header_area_size);
SAME_FIELD(shared_region_base);
SAME_FIELD(shared_region_size);
SAME_FIELD(ipc_payload_area_start);
SAME_FIELD(ipc_payload_area_size);
SAME_FIELD(global_aliased_pio_base);
SAME_FIELD(global_aliased_pio_size);
SAME_FIELD(autoconfig);
SAME_FIELD(cache_defaults);
SAME_FIELD(cache_defaults[1].use);
SAME_FIELD(cache_defaults[1].cfg);
SAME_FIELD(global_memory_allocator_base);
SAME_FIELD(global_memory_allocator_size);
SAME_FIELD(shave_nn_fw_base);
SAME_FIELD(save_restore_ret_address);
SAME_FIELD(watchdog_irq_mss);
SAME_FIELD(watchdog_irq_nce);
SAME_FIELD(host_to_vpu_irq);
SAME_FIELD(job_done_irq);
SAME_FIELD(mmu_update_request_irq);
SAME_FIELD(mmu_update_done_irq);
SAME_FIELD(set_power_level_irq);
SAME_FIELD(set_power_level_done_irq);
SAME_FIELD(set_vpu_idle_update_irq);
SAME_FIELD(metric_query_event_irq);
SAME_FIELD(metric_query_event_done_irq);
SAME_FIELD(preemption_done_irq);
SAME_FIELD(host_version_id);
SAME_FIELD(si_stepping);
SAME_FIELD(device_id);
SAME_FIELD(feature_exclusion);
SAME_FIELD(sku);
SAME_FIELD(min_freq_pll_ratio);
SAME_FIELD(max_freq_pll_ratio);
SAME_FIELD(default_trace_level);
SAME_FIELD(boot_type);
SAME_FIELD(punit_telemetry_sram_base);
SAME_FIELD(punit_telemetry_sram_size);
SAME_FIELD(vpu_telemetry_enable);
SAME_FIELD(crit_tracing_buff_addr);
SAME_FIELD(crit_tracing_buff_size);
SAME_FIELD(verbose_tracing_buff_addr);
SAME_FIELD(verbose_tracing_buff_size);
SAME_FIELD(verbose_tracing_sw_component_mask);
SAME_FIELD(trace_destination_mask);
SAME_FIELD(trace_hw_component_mask);
SAME_FIELD(tracing_buff_message_format_mask);
SAME_FIELD(trace_reserved_1);
SAME_FIELD(temp_sensor_period_ms);
SAME_FIELD(pn_freq_pll_ratio);
SAME_FIELD(dvfs_mode);
SAME_FIELD(dvfs_param);
SAME_FIELD(d0i3_delayed_entry);
SAME_FIELD(d0i3_residency_time_us);
SAME_FIELD(d0i3_entry_vpu_ts);
SAME_FIELD(system_time_us);
SAME_FIELD(device_time_delta_ticks);
SAME_FIELD(warm_boot_sections_count);
SAME_FIELD(warm_boot_start_address_reference);
SAME_FIELD(warm_boot_section_info_address_offset);
SAME_FIELD(power_states_timestamps);
SAME_FIELD(vpu_scheduling_mode);
SAME_FIELD(vpu_focus_present_timer_ms);
SAME_FIELD(vpu_uses_ecc_mca_signal);
SAME_FIELD(power_profile);
SAME_FIELD(dct_active_us);
SAME_FIELD(dct_inactive_us);

/* The section markers vpu_boot_api.h names in its comments. */
_Static_assert(offsetof(struct intel_vpu_boot_params, frequency) == 0x20, "clocks at 0x20");
_Static_assert(offsetof(struct intel_vpu_boot_params, ipc_header_area_start) == 0x100,
	       "memory at 0x100");
_Static_assert(offsetof(struct intel_vpu_boot_params, watchdog_irq_mss) == 0x200, "irq at 0x200");
_Static_assert(offsetof(struct intel_vpu_boot_params, host_version_id) == 0x300,
	       "silicon at 0x300");
_Static_assert(offsetof(struct intel_vpu_boot_params, warm_boot_sections_count) == 0x400,
	       "warm boot at 0x400");
_Static_assert(offsetof(struct intel_vpu_boot_params, power_states_timestamps) == 0x440,
	       "timestamps at 0x440");
_Static_assert(offsetof(struct intel_vpu_boot_params, pad6) == 0x488, "reserved from 0x488");

static void test_boot_params_read(void **state)
{
	static uint8_t raw[4096];
	struct npu_boot_params bp;

	(void)state;
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0x000, 0x10000);
	put_le32(raw, 0x004, 0x0000000B);
	put_le32(raw, 0x054, 38400000);
	put_le64(raw, 0x100, 0x90004000ull);
	put_le32(raw, 0x108, 0x2000);
	put_le64(raw, 0x10C, 0x90000000ull);
	put_le32(raw, 0x114, 0x10000000);
	put_le64(raw, 0x118, 0x90006000ull);
	put_le32(raw, 0x120, 0x2000);
	put_le64(raw, 0x124, 0xA0000000ull);
	put_le32(raw, 0x12C, 0x1FF00000);
	put_le32(raw, 0x130, 1);
	raw[0x136] = 1;				     /* cache_defaults[1].use, a byte */
	raw[0x137] = 3;				     /* cache_defaults[1].cfg, a byte */
	put_le64(raw, 0x138, 0x0123456789ABCDEFull); /* global_memory_allocator_base */
	put_le32(raw, 0x140, 0x5A5A0001);	     /* global_memory_allocator_size */
	put_le64(raw, 0x144, 0x180000000ull);
	put_le64(raw, 0x14C, 0x84803100ull);
	put_le32(raw, 0x200, 32);
	put_le32(raw, 0x204, 33);
	put_le32(raw, 0x304, 4);
	put_le64(raw, 0x308, 0x7D1D);
	put_le64(raw, 0x318, 0x3630);
	put_le32(raw, 0x320, 0x0A);
	put_le32(raw, 0x324, 0x23);
	put_le32(raw, 0x328, 4);
	put_le32(raw, 0x32C, 1);
	put_le64(raw, 0x344, 0x90100000ull);
	put_le32(raw, 0x34C, 0x80000);
	put_le64(raw, 0x350, 0x90200000ull);
	put_le32(raw, 0x358, 0x100000);
	put_le32(raw, 0x364, 0x2);
	put_le64(raw, 0x368, UINT64_MAX);
	put_le32(raw, 0x370, 0x1);
	put_le32(raw, 0x38C, 0x0C);
	put_le32(raw, 0x39C, 1);
	put_le64(raw, 0x3A0, 0x1111222233334444ull);
	put_le64(raw, 0x3B0, 0x5555666677778888ull);
	put_le64(raw, 0x3C0, 0x99AA);
	put_le32(raw, 0x470, 1);
	put_le32(raw, 0x474, 1000);
	put_le32(raw, 0x480, 10590);
	put_le32(raw, 0x484, 24710);

	assert_int_equal(sizeof(bp), 4096);
	memcpy(&bp, raw, sizeof(bp));
	assert_int_equal(bp.magic, NPU_BOOT_PARAMS_MAGIC);
	assert_int_equal(bp.vpu_id, 0xB);
	assert_int_equal(bp.perf_clk_frequency, NPU_BOOT_PERF_CLK_DEFAULT_HZ);
	assert_true(bp.ipc_header_area_start == 0x90004000ull);
	assert_int_equal(bp.ipc_header_area_size, NPU_BOOT_IPC_HEADER_AREA_SIZE);
	assert_true(bp.shared_region_base == 0x90000000ull);
	assert_int_equal(bp.shared_region_size, 0x10000000);
	assert_true(bp.ipc_payload_area_start == 0x90006000ull);
	assert_int_equal(bp.ipc_payload_area_size, NPU_BOOT_IPC_PAYLOAD_AREA_SIZE);
	assert_true(bp.global_aliased_pio_base == 0xA0000000ull);
	assert_int_equal(bp.global_aliased_pio_size, 0x1FF00000);
	assert_int_equal(bp.autoconfig, 1);
	assert_int_equal(bp.cache_defaults[NPU_BOOT_CACHE_CFG_NN].use, 1);
	assert_int_equal(bp.cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg,
			 0x180000000ull >> NPU_BOOT_CACHE_CFG_SHIFT);
	assert_int_equal(bp.cache_defaults[NPU_BOOT_CACHE_CFG_UPA].use, 0);
	assert_int_equal(bp.cache_defaults[NPU_BOOT_CACHE_CFG_UPA].cfg, 0);
	assert_true(bp.global_memory_allocator_base == 0x0123456789ABCDEFull);
	assert_int_equal(bp.global_memory_allocator_size, 0x5A5A0001);
	assert_true(bp.shave_nn_fw_base == 0x180000000ull);
	assert_true(bp.save_restore_ret_address == 0x84803100ull);
	assert_int_equal(bp.watchdog_irq_mss, NPU_BOOT_WATCHDOG_IRQ_MSS);
	assert_int_equal(bp.watchdog_irq_nce, NPU_BOOT_WATCHDOG_IRQ_NCE);
	assert_int_equal(bp.si_stepping, 4);
	assert_true(bp.device_id == 0x7D1D);
	assert_true(bp.sku == NPU_BTRS_MTL_SKU);
	assert_int_equal(bp.min_freq_pll_ratio, 0x0A);
	assert_int_equal(bp.max_freq_pll_ratio, 0x23);
	assert_int_equal(bp.pn_freq_pll_ratio, 0x0C);
	assert_int_equal(bp.default_trace_level, NPU_TRACE_LEVEL_ERROR);
	assert_int_equal(bp.boot_type, NPU_BOOT_TYPE_WARM);
	assert_true(bp.crit_tracing_buff_addr == 0x90100000ull);
	assert_int_equal(bp.crit_tracing_buff_size, NPU_BOOT_CRIT_TRACING_BUFF_SIZE);
	assert_true(bp.verbose_tracing_buff_addr == 0x90200000ull);
	assert_int_equal(bp.verbose_tracing_buff_size, NPU_BOOT_VERBOSE_TRACING_BUFF_SIZE);
	assert_int_equal(bp.trace_destination_mask, NPU_TRACE_DEST_VERBOSE_TRACING);
	assert_true(bp.trace_hw_component_mask == NPU_TRACE_HW_COMPONENT_MASK_ALL);
	assert_int_equal(bp.tracing_buff_message_format_mask, NPU_TRACE_FORMAT_MASK_STRING);
	assert_int_equal(bp.d0i3_delayed_entry, 1);
	assert_true(bp.d0i3_residency_time_us == 0x1111222233334444ull);
	assert_true(bp.system_time_us == 0x5555666677778888ull);
	assert_true(bp.device_time_delta_ticks == 0x99AA);
	assert_int_equal(bp.vpu_scheduling_mode, NPU_BOOT_SCHED_MODE_HW);
	assert_int_equal(bp.vpu_focus_present_timer_ms, NPU_BOOT_FOCUS_PRESENT_TIMER_MS);
	assert_int_equal(bp.dct_active_us, 10590);
	assert_int_equal(bp.dct_inactive_us, 24710);
}

static void test_boot_params_write(void **state)
{
	static uint8_t raw[4096];
	struct npu_boot_params bp;

	(void)state;
	memset(&bp, 0, sizeof(bp));
	bp.magic = NPU_BOOT_PARAMS_MAGIC;
	bp.frequency = 0x01020304;
	bp.ipc_payload_area_start = 0x1122334455667788ull;
	bp.save_restore_ret_address = 0xCAFE0000F00Dull;
	bp.feature_exclusion = 0x3;
	bp.punit_telemetry_sram_base = 0xFEDCBA9876543210ull;
	bp.punit_telemetry_sram_size = 0x4000;
	bp.vpu_telemetry_enable = 1;
	bp.dvfs_mode = 7;
	bp.d0i3_entry_vpu_ts = 0xABCDEF;
	bp.vpu_uses_ecc_mca_signal = NPU_BOOT_ECC_MCA_SIGNAL;
	bp.power_profile = NPU_BOOT_POWER_PROFILE_D0I2_DISABLE;
	bp.cache_defaults[NPU_BOOT_CACHE_CFG_NN].use = 1;
	bp.cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg = 1;
	bp.shave_nn_fw_base = 0x180000000ull;
	bp.tracing_buff_message_format_mask = 0x8000000000000001ull;
	memcpy(raw, &bp, sizeof(raw));

	assert_int_equal(get_le32(raw, 0x000), 0x10000);
	assert_int_equal(get_le32(raw, 0x020), 0x01020304);
	assert_true(get_le64(raw, 0x118) == 0x1122334455667788ull);
	assert_true(get_le64(raw, 0x14C) == 0xCAFE0000F00Dull);
	assert_true(get_le64(raw, 0x310) == 0x3);
	assert_true(get_le64(raw, 0x330) == 0xFEDCBA9876543210ull);
	assert_true(get_le64(raw, 0x338) == 0x4000);
	assert_int_equal(get_le32(raw, 0x340), 1);
	assert_int_equal(get_le32(raw, 0x390), 7);
	assert_true(get_le64(raw, 0x3A8) == 0xABCDEF);
	assert_int_equal(get_le32(raw, 0x478), 3);
	assert_int_equal(get_le32(raw, 0x47C), 0x2);
	/* The NN cache entry is the bytes 0x136/0x137; the allocator fields after it stay 0. */
	assert_int_equal(get_le32(raw, 0x134), 0x01010000);
	assert_true(get_le64(raw, 0x138) == 0);
	assert_int_equal(get_le32(raw, 0x140), 0);
	assert_true(get_le64(raw, 0x144) == 0x180000000ull);
	assert_true(get_le64(raw, 0x370) == 0x8000000000000001ull);
	/* Nothing past the last field. */
	for (size_t i = 0x488; i < sizeof(raw); i++)
		assert_int_equal(raw[i], 0);
}

/* ---- firmware header (docs/hardware.md §4.2, §4.4) ---- */

static void test_fw_header(void **state)
{
	static const uint8_t first8[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };
	static uint8_t raw[0x1000];
	struct npu_fw_header hdr;

	(void)state;
	/* vpu_37xx_v1.bin values, at the documented offsets. */
	memset(raw, 0, sizeof(raw));
	memcpy(raw, first8, sizeof(first8));
	put_le64(raw, 0x08, 0x84802000ull);
	put_le32(raw, 0x10, 0x24F718);
	put_le64(raw, 0x14, 0x84803000ull);
	memcpy(raw + 0x1C, "0.0.0", 6);
	put_le32(raw, 0x3C, 1);
	put_le64(raw, 0x40, 0x84801000ull);
	put_le32(raw, 0x48, 0x59);
	put_le64(raw, 0x4C, 0x84800000ull);
	put_le32(raw, 0x54 + 4 * 0, 0x0003001C);
	put_le32(raw, 0x54 + 4 * 3, 0x00040009);
	put_le32(raw, 0x54 + 4 * 4, 0x0003001D);
	put_le32(raw, 0x54 + 4 * 7, 0x00070000);
	put_le32(raw, 0x94, 0x04000000);
	put_le32(raw, 0x98, 0x17C0);
	put_le32(raw, 0x9C, 0xD800);
	put_le32(raw, 0xA0, 0x7FE000);
	put_le32(raw, 0xA4, 0x11);
	put_le32(raw, 0xA8, 0x22);
	put_le64(raw, 0xBC, 0x80003000ull); /* 40xx image values */
	put_le32(raw, 0xC4, 0xFE000);

	memcpy(&hdr, raw, sizeof(hdr));
	assert_int_equal(hdr.header_version, NPU_FW_HEADER_VERSION);
	assert_int_equal(hdr.image_format, 1);
	assert_true(hdr.image_load_address == 0x84802000ull);
	assert_int_equal(hdr.image_size, 0x24F718);
	assert_true(hdr.entry_point == 0x84803000ull);
	assert_string_equal((const char *)hdr.vpu_version, "0.0.0");
	assert_int_equal(hdr.compression_type, 1);
	assert_true(hdr.firmware_version_load_address == 0x84801000ull);
	assert_int_equal(hdr.firmware_version_size, 0x59);
	assert_true(hdr.boot_params_load_address == 0x84800000ull);
	assert_int_equal(NPU_FW_API_MAJOR(hdr.api_version[NPU_FW_API_IDX_BOOT]), 3);
	assert_int_equal(NPU_FW_API_MINOR(hdr.api_version[NPU_FW_API_IDX_BOOT]), 28);
	assert_int_equal(hdr.api_version[NPU_FW_API_IDX_JOB_CMD], NPU_FW_API_VER(4, 9));
	assert_int_equal(hdr.api_version[NPU_FW_API_IDX_JSM], NPU_FW_API_VER(3, 29));
	assert_int_equal(hdr.api_version[NPU_FW_API_IDX_NNRT], NPU_FW_API_VER(7, 0));
	assert_true(hdr.api_version[NPU_FW_API_IDX_JSM] >= NPU_FW_JSM_API_HWS_MIN);
	assert_int_equal(hdr.runtime_size, 0x04000000);
	assert_int_equal(hdr.shave_nn_fw_size, 0x17C0);
	assert_int_equal(hdr.preemption_buffer_1_size, 0xD800);
	assert_int_equal(hdr.preemption_buffer_2_size, 0x7FE000);
	assert_int_equal(hdr.preemption_buffer_1_max_size, 0x11);
	assert_int_equal(hdr.preemption_buffer_2_max_size, 0x22);
	assert_true(hdr.ro_section_start_address == 0x80003000ull);
	assert_int_equal(hdr.ro_section_size, 0xFE000);

	/* File layout and the 37xx runtime window (docs/hardware.md §4.3, §4.5). */
	assert_int_equal(NPU_FW_FILE_IMAGE_OFFSET, 0x2000);
	assert_int_equal(NPU_FW_VERSION_PAGE_OFFSET, 0x1000);
	assert_int_equal(NPU_FW_HEADER_SIZE, 0x1000);
	assert_true(hdr.boot_params_load_address == NPU_VA_37XX_RUNTIME_START);
	assert_true(hdr.image_load_address + hdr.image_size <=
		    NPU_VA_37XX_RUNTIME_START + NPU_VA_37XX_RUNTIME_SIZE);
	assert_true(NPU_FW_LEGACY_RUNTIME_ADDR_MIN == 0x80000000ull);
	assert_true(NPU_FW_LEGACY_RUNTIME_ADDR_MAX == 0xB0000000ull);
	assert_true(NPU_FW_RUNTIME_SIZE_MAX == 0x20000000ull);
	assert_true(NPU_FW_SHAVE_NN_SIZE_MAX == 0x200000ull);
	assert_true(NPU_FW_PREEMPT_BUF_SIZE_MIN == 0x1000ull);
	assert_true(NPU_FW_PREEMPT_BUF_SIZE_MAX == 0x2000000ull);
}

static void test_va_ranges(void **state)
{
	(void)state;
	assert_true(NPU_VA_37XX_RUNTIME_START == 0x84800000ull);
	assert_true(NPU_VA_40XX_RUNTIME_START == 0x80000000ull);
	assert_true(NPU_VA_37XX_RUNTIME_SIZE == 64ull << 20);
	assert_true(NPU_VA_37XX_GLOBAL_START == 0x90000000ull);
	assert_true(NPU_VA_37XX_USER_START == 0xA0000000ull);
	assert_true(NPU_VA_37XX_USER_SIZE == 511ull << 20);
	assert_true(NPU_VA_37XX_SHAVE_START == 0x180000000ull);
	assert_true(NPU_VA_37XX_DMA_START == 0x200000000ull);
	assert_true(NPU_VA_37XX_DMA_SIZE == 128ull << 30);
	assert_true(NPU_VA_40XX_USER_START == 0x100000000ull);
	assert_true(NPU_VA_40XX_USER_SIZE == 256ull << 30);
	assert_true(NPU_VA_40XX_DMA_START == NPU_VA_40XX_USER_START);
	assert_true(NPU_VA_37XX_GLOBAL_START % NPU_VA_GLOBAL_ALIGN == 0);
	assert_true(NPU_VA_40XX_GLOBAL_START % NPU_VA_GLOBAL_ALIGN == 0);
	/* 37xx firmware cannot reach above 4 GiB: user range is low. */
	assert_true(NPU_VA_37XX_USER_START + NPU_VA_37XX_USER_SIZE <= 0x100000000ull);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_params_read),
		cmocka_unit_test(test_boot_params_write),
		cmocka_unit_test(test_fw_header),
		cmocka_unit_test(test_va_ranges),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
