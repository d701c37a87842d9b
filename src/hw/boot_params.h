/* SPDX-License-Identifier: MIT */
/*
 * npud - firmware boot parameters page (docs/hardware.md §4.5, docs/firmware-protocol.md §1.1).
 *
 * struct vpu_boot_params of BOOT API 3.28 (Intel vpu_boot_api.h): the device's
 * little-endian layout, packed to 4 bytes, 4096 bytes. The host zeroes the whole page
 * on cold boot; docs/boot-params.md lists each field, what npud writes and what Linux
 * (ivpu_fw.c: ivpu_fw_boot_params_setup) writes. tests/unit/test_hw_layout_boot.c
 * checks the offsets against an independent mirror of Intel's struct.
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
#define NPU_BOOT_CACHE_CFG_UPA	 0
#define NPU_BOOT_CACHE_CFG_NN	 1
#define NPU_BOOT_CACHE_CFG_SHIFT 31

#define NPU_BOOT_PLL_COUNT     3
#define NPU_BOOT_PLL_OUT_COUNT 4

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

/* struct vpu_boot_l2_cache_config: two bytes an entry (Intel vpu_boot_api.h). */
struct npu_boot_cache_params {
	uint8_t use;
	uint8_t cfg;
};

/*
 * docs/hardware.md §4.5: struct vpu_boot_params of BOOT API 3.28, every field under the
 * name Intel's vpu_boot_api.h gives it, in its order; padding keeps Intel's pad names.
 */
#pragma pack(push, 4)
struct npu_boot_params {
	uint32_t magic;	    /* 0x000 */
	uint32_t vpu_id;    /* 0x004: PCI bus number */
	uint32_t vpu_count; /* 0x008: Linux leaves 0 */
	uint32_t pad0[5];
	/* Clocks: 0x020 - 0x0FF */
	uint32_t frequency; /* 0x020: PLL frequency (6.12); 0 in current kernels */
	uint32_t pll[NPU_BOOT_PLL_COUNT][NPU_BOOT_PLL_OUT_COUNT]; /* 0x024: Linux leaves 0 */
	uint32_t perf_clk_frequency;				  /* 0x054 */
	uint32_t pad1[42];
	/* Memory regions: 0x100 - 0x1FF */
	uint64_t ipc_header_area_start;	  /* 0x100: RX buffer */
	uint32_t ipc_header_area_size;	  /* 0x108 */
	uint64_t shared_region_base;	  /* 0x10C: global range */
	uint32_t shared_region_size;	  /* 0x114 */
	uint64_t ipc_payload_area_start;  /* 0x118: RX buffer + 8 KiB */
	uint32_t ipc_payload_area_size;	  /* 0x120 */
	uint64_t global_aliased_pio_base; /* 0x124: user range */
	uint32_t global_aliased_pio_size; /* 0x12C: u32, 256 GiB truncates to 0 */
	uint32_t autoconfig;		  /* 0x130 */
	struct npu_boot_cache_params cache_defaults[NPU_BOOT_CACHE_CFG_COUNT]; /* 0x134 */
	uint64_t global_memory_allocator_base; /* 0x138: Linux leaves 0 */
	uint32_t global_memory_allocator_size; /* 0x140: Linux leaves 0 */
	uint64_t shave_nn_fw_base;	       /* 0x144: SHAVE-NN buffer (37xx image) */
	uint64_t save_restore_ret_address;     /* 0x14C: written by firmware (warm entry) */
	uint32_t pad2[43];
	/* IRQ redirects: 0x200 - 0x2FF */
	int32_t watchdog_irq_mss;	      /* 0x200 */
	int32_t watchdog_irq_nce;	      /* 0x204 */
	uint32_t host_to_vpu_irq;	      /* 0x208: Linux leaves 0 (to 0x22C) */
	uint32_t job_done_irq;		      /* 0x20C */
	uint32_t mmu_update_request_irq;      /* 0x210 */
	uint32_t mmu_update_done_irq;	      /* 0x214 */
	uint32_t set_power_level_irq;	      /* 0x218 */
	uint32_t set_power_level_done_irq;    /* 0x21C */
	uint32_t set_vpu_idle_update_irq;     /* 0x220 */
	uint32_t metric_query_event_irq;      /* 0x224 */
	uint32_t metric_query_event_done_irq; /* 0x228 */
	uint32_t preemption_done_irq;	      /* 0x22C */
	uint32_t pad3[52];
	/* Silicon information: 0x300 - 0x3FF */
	uint32_t host_version_id;		    /* 0x300: Linux leaves 0 */
	uint32_t si_stepping;			    /* 0x304: PCI revision */
	uint64_t device_id;			    /* 0x308: PCI device ID */
	uint64_t feature_exclusion;		    /* 0x310: tile fuse (MTL 0) */
	uint64_t sku;				    /* 0x318: MTL 0x3630 */
	uint32_t min_freq_pll_ratio;		    /* 0x320 */
	uint32_t max_freq_pll_ratio;		    /* 0x324 */
	uint32_t default_trace_level;		    /* 0x328 */
	uint32_t boot_type;			    /* 0x32C: NPU_BOOT_TYPE_* */
	uint64_t punit_telemetry_sram_base;	    /* 0x330: buttress TELEMETRY_OFFSET */
	uint64_t punit_telemetry_sram_size;	    /* 0x338 */
	uint32_t vpu_telemetry_enable;		    /* 0x340 */
	uint64_t crit_tracing_buff_addr;	    /* 0x344 */
	uint32_t crit_tracing_buff_size;	    /* 0x34C */
	uint64_t verbose_tracing_buff_addr;	    /* 0x350 */
	uint32_t verbose_tracing_buff_size;	    /* 0x358 */
	uint64_t verbose_tracing_sw_component_mask; /* 0x35C: Linux leaves 0 */
	uint32_t trace_destination_mask;	    /* 0x364: NPU_TRACE_DEST_* */
	uint64_t trace_hw_component_mask;	    /* 0x368 */
	uint64_t tracing_buff_message_format_mask;  /* 0x370 */
	uint64_t trace_reserved_1[2];		    /* 0x378 */
	uint32_t temp_sensor_period_ms;		    /* 0x388: Linux leaves 0 */
	uint32_t pn_freq_pll_ratio;		    /* 0x38C */
	uint32_t dvfs_mode;			    /* 0x390 */
	uint64_t dvfs_param;			    /* 0x394: Linux leaves 0 */
	uint32_t d0i3_delayed_entry;		    /* 0x39C: 1 if the D0i3 message is used */
	uint64_t d0i3_residency_time_us;	    /* 0x3A0: refreshed on warm boot */
	uint64_t d0i3_entry_vpu_ts;		    /* 0x3A8: refreshed on warm boot */
	uint64_t system_time_us;		    /* 0x3B0: wall clock; refreshed on warm boot */
	uint32_t pad4[2];
	uint64_t device_time_delta_ticks; /* 0x3C0: written by firmware */
	uint32_t pad7[14];
	/* Warm boot information: 0x400 - 0x43F (Linux leaves 0) */
	uint32_t warm_boot_sections_count;		/* 0x400 */
	uint32_t warm_boot_start_address_reference;	/* 0x404 */
	uint32_t warm_boot_section_info_address_offset; /* 0x408 */
	uint32_t pad5[13];
	/* Power state transition timestamps: 0x440 - 0x46F (firmware's) */
	struct {
		uint64_t vpu_active_state_requested;
		uint64_t vpu_active_state_achieved;
		uint64_t vpu_idle_state_requested;
		uint64_t vpu_idle_state_achieved;
		uint64_t vpu_standby_state_requested;
		uint64_t vpu_standby_state_achieved;
	} power_states_timestamps;
	uint32_t vpu_scheduling_mode;	     /* 0x470: NPU_BOOT_SCHED_MODE_* */
	uint32_t vpu_focus_present_timer_ms; /* 0x474 */
	uint32_t vpu_uses_ecc_mca_signal;    /* 0x478 */
	uint32_t power_profile;		     /* 0x47C */
	uint32_t dct_active_us;		     /* 0x480 */
	uint32_t dct_inactive_us;	     /* 0x484 */
	uint32_t pad6[734];		     /* 0x488 - 0xFFF */
};
#pragma pack(pop)

_Static_assert(sizeof(struct npu_boot_params) == NPU_BOOT_PARAMS_SIZE, "boot_params size");
_Static_assert(sizeof(struct npu_boot_cache_params) == 2, "boot cache params size");

#endif /* NPU_HW_BOOT_PARAMS_H */
