/* SPDX-License-Identifier: MIT */
/*
 * npud - firmware boot parameters page (docs/hardware.md §4.5, docs/firmware-protocol.md §1.1).
 *
 * struct vpu_boot_params of BOOT API 3.28: the device's little-endian layout, packed
 * to 4 bytes, 4096 bytes. Fields not listed in the reference are kept as rsvd_<offset>
 * arrays; the host zeroes the whole page on cold boot. Field widths come from the gap to
 * the next listed offset: device_id, feature_exclusion and sku span 8 bytes each and are
 * u64 here (a PCI device ID in a u64 reads the same in its low half).
 */
#ifndef NPU_HW_BOOT_PARAMS_H
#define NPU_HW_BOOT_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "bits.h"

#define NPU_BOOT_PARAMS_SIZE  4096u
#define NPU_BOOT_PARAMS_MAGIC 0x10000u

/* IPC areas: the 16 KiB RX buffer, first half headers, second half payloads. */
#define NPU_BOOT_IPC_HEADER_AREA_SIZE	 NPU_SZ_KIB(8)
#define NPU_BOOT_IPC_PAYLOAD_AREA_OFFSET NPU_SZ_KIB(8) /* from the RX buffer start */
#define NPU_BOOT_IPC_PAYLOAD_AREA_SIZE	 NPU_SZ_KIB(8)

/* cache_defaults[] (docs/hardware.md §4.5): entry 1 = NN, use = 1, cfg = shave_start >> 31. */
#define NPU_BOOT_CACHE_CFG_COUNT 2
#define NPU_BOOT_CACHE_CFG_NN	 1
#define NPU_BOOT_CACHE_CFG_SHIFT 31

/* Watchdog interrupts, mapped to ICB CPU_INT_REDIRECT_0/1. */
#define NPU_BOOT_WATCHDOG_IRQ_MSS 32u
#define NPU_BOOT_WATCHDOG_IRQ_NCE 33u

/* Firmware log buffers (docs/firmware-protocol.md §7). */
#define NPU_BOOT_CRIT_TRACING_BUFF_SIZE		NPU_SZ_KIB(512)
#define NPU_BOOT_VERBOSE_TRACING_BUFF_SIZE	NPU_SZ_MIB(1)
#define NPU_BOOT_VERBOSE_TRACING_BUFF_SIZE_INFO NPU_SZ_MIB(8) /* log level <= INFO */

/* default_trace_level / TRACE_SET_CONFIG level values; host clamps to FATAL. */
#define NPU_TRACE_LEVEL_DEFAULT 0u
#define NPU_TRACE_LEVEL_DEBUG	1u
#define NPU_TRACE_LEVEL_INFO	2u
#define NPU_TRACE_LEVEL_WARNING 3u
#define NPU_TRACE_LEVEL_ERROR	4u /* module default */
#define NPU_TRACE_LEVEL_FATAL	5u

/* trace_destination_mask bits (docs/firmware-protocol.md §2.4); host writes VERBOSE_TRACING. */
#define NPU_TRACE_DEST_PIPEPRINT	NPU_BIT(0)
#define NPU_TRACE_DEST_VERBOSE_TRACING	NPU_BIT(1)
#define NPU_TRACE_DEST_NORTH_PEAK	NPU_BIT(2)
#define NPU_TRACE_HW_COMPONENT_MASK_ALL UINT64_MAX
/* tracing_buff_message_format_mask: bit n = fw_log.h format n; host sets bit 0. */
#define NPU_TRACE_FORMAT_MASK_STRING NPU_BIT(0)

/* perf_clk_frequency, Hz. */
#define NPU_BOOT_PERF_CLK_DEFAULT_HZ 38400000u
#define NPU_BOOT_PERF_CLK_HIGH_HZ    400000000u /* 40xx+, high profiling clock */

#define NPU_BOOT_TYPE_COLD 0u
#define NPU_BOOT_TYPE_WARM 1u

#define NPU_BOOT_SCHED_MODE_OS		0u
#define NPU_BOOT_SCHED_MODE_HW		1u
#define NPU_BOOT_FOCUS_PRESENT_TIMER_MS 1000u /* under HW scheduling */

#define NPU_BOOT_AUTOCONFIG		    1u
#define NPU_BOOT_ECC_MCA_SIGNAL		    3u /* NPU5+, when the CPU reports ECC support */
#define NPU_BOOT_POWER_PROFILE_D0I2_DISABLE NPU_BIT(1)

struct npu_boot_cache_params {
	uint32_t use;
	uint32_t cfg;
};

#pragma pack(push, 4)
/* docs/hardware.md §4.5: struct vpu_boot_params, BOOT API 3.28 */
struct npu_boot_params {
	uint32_t magic;	 /* 0x000 */
	uint32_t vpu_id; /* 0x004: PCI bus number */
	uint8_t rsvd_008[0x18];
	uint32_t frequency; /* 0x020: clocks section; 0 in 2025 kernels */
	uint8_t rsvd_024[0x30];
	uint32_t perf_clk_frequency; /* 0x054 */
	uint8_t rsvd_058[0xA8];
	uint64_t ipc_header_area_start;	  /* 0x100: memory section; RX buffer */
	uint32_t ipc_header_area_size;	  /* 0x108 */
	uint64_t shared_region_base;	  /* 0x10C: global range */
	uint32_t shared_region_size;	  /* 0x114 */
	uint64_t ipc_payload_area_start;  /* 0x118: RX buffer + 8 KiB */
	uint32_t ipc_payload_area_size;	  /* 0x120 */
	uint64_t global_aliased_pio_base; /* 0x124: user range */
	uint32_t global_aliased_pio_size; /* 0x12C: u32, 256 GiB truncates to 0 */
	uint32_t autoconfig;		  /* 0x130 */
	struct npu_boot_cache_params cache_defaults[NPU_BOOT_CACHE_CFG_COUNT]; /* 0x134 */
	uint64_t shave_nn_fw_base;					       /* 0x144 */
	uint64_t save_restore_ret_address; /* 0x14C: written by firmware (warm entry) */
	uint8_t rsvd_154[0xAC];
	uint32_t watchdog_irq_mss; /* 0x200: IRQ redirect section */
	uint32_t watchdog_irq_nce; /* 0x204 */
	uint8_t rsvd_208[0xFC];
	uint32_t si_stepping;		    /* 0x304: silicon section; PCI revision */
	uint64_t device_id;		    /* 0x308: PCI device ID */
	uint64_t feature_exclusion;	    /* 0x310: tile fuse (MTL 0) */
	uint64_t sku;			    /* 0x318: MTL 0x3630 */
	uint32_t min_freq_pll_ratio;	    /* 0x320 */
	uint32_t max_freq_pll_ratio;	    /* 0x324 */
	uint32_t default_trace_level;	    /* 0x328 */
	uint32_t boot_type;		    /* 0x32C: NPU_BOOT_TYPE_* */
	uint64_t punit_telemetry_sram_base; /* 0x330: buttress TELEMETRY_OFFSET */
	uint64_t punit_telemetry_sram_size; /* 0x338 */
	uint32_t vpu_telemetry_enable;	    /* 0x340 */
	uint64_t crit_tracing_buff_addr;    /* 0x344 */
	uint32_t crit_tracing_buff_size;    /* 0x34C */
	uint64_t verbose_tracing_buff_addr; /* 0x350 */
	uint32_t verbose_tracing_buff_size; /* 0x358 */
	uint8_t rsvd_35c[0x8];
	uint32_t tracing_buff_message_destination_mask; /* 0x364: NPU_TRACE_DEST_* */
	uint64_t trace_hw_component_mask;		/* 0x368 */
	uint32_t tracing_buff_message_format_mask;	/* 0x370 */
	uint8_t rsvd_374[0x18];
	uint32_t pn_freq_pll_ratio; /* 0x38C */
	uint32_t dvfs_mode;	    /* 0x390 */
	uint8_t rsvd_394[0x8];
	uint32_t d0i3_delayed_entry;	 /* 0x39C: 1 if the D0i3 message is used */
	uint64_t d0i3_residency_time_us; /* 0x3A0: refreshed on warm boot */
	uint64_t d0i3_entry_vpu_ts;	 /* 0x3A8: refreshed on warm boot */
	uint64_t system_time_us;	 /* 0x3B0: refreshed on warm boot */
	uint8_t rsvd_3b8[0x8];
	uint64_t device_time_delta_ticks; /* 0x3C0: written by firmware */
	uint8_t rsvd_3c8[0xA8];
	uint32_t vpu_scheduling_mode;	     /* 0x470: NPU_BOOT_SCHED_MODE_* */
	uint32_t vpu_focus_present_timer_ms; /* 0x474 */
	uint32_t vpu_uses_ecc_mca_signal;    /* 0x478 */
	uint32_t power_profile;		     /* 0x47C */
	uint32_t dct_active_us;		     /* 0x480 */
	uint32_t dct_inactive_us;	     /* 0x484 */
	uint8_t rsvd_488[0xB78];
};
#pragma pack(pop)

#define NPU_BP_OFF(f, off) \
	_Static_assert(offsetof(struct npu_boot_params, f) == (off), "boot_params." #f)

_Static_assert(sizeof(struct npu_boot_params) == NPU_BOOT_PARAMS_SIZE, "boot_params size");
_Static_assert(sizeof(struct npu_boot_cache_params) == 8, "boot cache params size");
NPU_BP_OFF(magic, 0x000);
NPU_BP_OFF(vpu_id, 0x004);
NPU_BP_OFF(rsvd_008, 0x008);
NPU_BP_OFF(frequency, 0x020);
NPU_BP_OFF(rsvd_024, 0x024);
NPU_BP_OFF(perf_clk_frequency, 0x054);
NPU_BP_OFF(rsvd_058, 0x058);
NPU_BP_OFF(ipc_header_area_start, 0x100);
NPU_BP_OFF(ipc_header_area_size, 0x108);
NPU_BP_OFF(shared_region_base, 0x10C);
NPU_BP_OFF(shared_region_size, 0x114);
NPU_BP_OFF(ipc_payload_area_start, 0x118);
NPU_BP_OFF(ipc_payload_area_size, 0x120);
NPU_BP_OFF(global_aliased_pio_base, 0x124);
NPU_BP_OFF(global_aliased_pio_size, 0x12C);
NPU_BP_OFF(autoconfig, 0x130);
NPU_BP_OFF(cache_defaults, 0x134);
NPU_BP_OFF(shave_nn_fw_base, 0x144);
NPU_BP_OFF(save_restore_ret_address, 0x14C);
NPU_BP_OFF(rsvd_154, 0x154);
NPU_BP_OFF(watchdog_irq_mss, 0x200);
NPU_BP_OFF(watchdog_irq_nce, 0x204);
NPU_BP_OFF(rsvd_208, 0x208);
NPU_BP_OFF(si_stepping, 0x304);
NPU_BP_OFF(device_id, 0x308);
NPU_BP_OFF(feature_exclusion, 0x310);
NPU_BP_OFF(sku, 0x318);
NPU_BP_OFF(min_freq_pll_ratio, 0x320);
NPU_BP_OFF(max_freq_pll_ratio, 0x324);
NPU_BP_OFF(default_trace_level, 0x328);
NPU_BP_OFF(boot_type, 0x32C);
NPU_BP_OFF(punit_telemetry_sram_base, 0x330);
NPU_BP_OFF(punit_telemetry_sram_size, 0x338);
NPU_BP_OFF(vpu_telemetry_enable, 0x340);
NPU_BP_OFF(crit_tracing_buff_addr, 0x344);
NPU_BP_OFF(crit_tracing_buff_size, 0x34C);
NPU_BP_OFF(verbose_tracing_buff_addr, 0x350);
NPU_BP_OFF(verbose_tracing_buff_size, 0x358);
NPU_BP_OFF(rsvd_35c, 0x35C);
NPU_BP_OFF(tracing_buff_message_destination_mask, 0x364);
NPU_BP_OFF(trace_hw_component_mask, 0x368);
NPU_BP_OFF(tracing_buff_message_format_mask, 0x370);
NPU_BP_OFF(rsvd_374, 0x374);
NPU_BP_OFF(pn_freq_pll_ratio, 0x38C);
NPU_BP_OFF(dvfs_mode, 0x390);
NPU_BP_OFF(rsvd_394, 0x394);
NPU_BP_OFF(d0i3_delayed_entry, 0x39C);
NPU_BP_OFF(d0i3_residency_time_us, 0x3A0);
NPU_BP_OFF(d0i3_entry_vpu_ts, 0x3A8);
NPU_BP_OFF(system_time_us, 0x3B0);
NPU_BP_OFF(rsvd_3b8, 0x3B8);
NPU_BP_OFF(device_time_delta_ticks, 0x3C0);
NPU_BP_OFF(rsvd_3c8, 0x3C8);
NPU_BP_OFF(vpu_scheduling_mode, 0x470);
NPU_BP_OFF(vpu_focus_present_timer_ms, 0x474);
NPU_BP_OFF(vpu_uses_ecc_mca_signal, 0x478);
NPU_BP_OFF(power_profile, 0x47C);
NPU_BP_OFF(dct_active_us, 0x480);
NPU_BP_OFF(dct_inactive_us, 0x484);
NPU_BP_OFF(rsvd_488, 0x488);

#undef NPU_BP_OFF

#endif /* NPU_HW_BOOT_PARAMS_H */
