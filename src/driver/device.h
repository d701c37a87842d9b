/* SPDX-License-Identifier: MIT */
/*
 * The driver's view of one NPU: its platform, registers, firmware, MMU,
 * IPC memory and boot state. Opened with drv_device_open, booted with
 * drv_device_boot, taken down with drv_device_power_down and closed with
 * drv_device_close (which powers down first when needed).
 */
#ifndef NPU_DRIVER_DEVICE_H
#define NPU_DRIVER_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "driver/boot.h"
#include "driver/ctx.h"
#include "driver/fw_image.h"
#include "driver/ipc.h"
#include "driver/mmio.h"
#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "driver/stats.h"
#include "hw/gen.h"
#include "platform/platform.h"

#define NPU_BOOT_MAX_PHASES 16

/* Text the device keeps: where its firmware came from, why it failed or recovered. */
#define NPU_DEV_FW_PATH_MAX	    512
#define NPU_DEV_FAIL_STEP_MAX	    48
#define NPU_DEV_FAIL_REASON_MAX	    384
#define NPU_DEV_RECOVERY_REASON_MAX 160

enum npu_dev_state {
	NPU_DEV_OFF = 0, /* opened, not powered */
	NPU_DEV_BOOTING,
	NPU_DEV_READY,	/* firmware reported ready */
	NPU_DEV_FAILED, /* a boot step failed; power_down or close cleans up */
};

struct npu_boot_phase {
	const char *name;
	uint64_t us;
};

/* A global-context buffer: DMA memory mapped at an NPU virtual address in SSID 0. */
struct npu_gbuf {
	struct npu_dma dma;
	uint64_t va;
	bool mapped;
};

struct npu_device_config {
	const char *fw_path;	  /* NULL: search (fw_locate.h); none found: synthetic */
	FILE *trace_mmio;	  /* NULL: no register trace */
	uint32_t boot_timeout_us; /* 0: the silicon value, 1 s */
	uint32_t tdr_timeout_us;  /* 0: the Linux value, 2 s */
	/*
	 * The D0i3 entry's answer, and then VPU_STATUS.IDLE, are each awaited this
	 * long at a suspend; 0: the silicon values, 5 ms. Missing either makes the
	 * next boot cold. A simulated NPU on a loaded machine may need more.
	 */
	uint32_t d0i3_timeout_us;
	int sched; /* enum npu_sched_req (hws.h); 0: as Linux chooses */
};

struct npu_ctx;

struct npu_device {
	struct npu_platform *plat;
	struct npu_mmio mmio;
	enum npu_gen gen;
	enum npu_dev_state state;

	/* Firmware: the file, its parsed header, where it came from. */
	uint8_t *fw_file;
	size_t fw_file_size;
	struct npu_fw_image fw;
	char fw_path[NPU_DEV_FW_PATH_MAX]; /* "(synthetic)" for the built-in image */
	bool fw_synthetic;
	uint32_t sched_mode; /* NPU_BOOT_SCHED_MODE_*: OS or HWS, chosen at open (hws.h) */

	/* Fuses and workpoint (docs/hardware.md §3.2). */
	uint32_t min_ratio, max_ratio, pn_ratio;
	bool wa_clear_irq_with_0; /* MTL: INTERRUPT_STAT clears by writing 0 */

	/* MMU: the unit, the firmware's global context (SSID 0), the reserved one (SSID 1). */
	struct npu_mmu mmu;
	struct npu_mmu_ctx gctx;
	struct npu_mmu_ctx rctx;
	bool mmu_ready;

	/* Memory in the global context. */
	struct npu_gbuf fw_runtime; /* boot params, version page, image */
	struct npu_gbuf ipc_tx, ipc_rx;
	struct npu_gbuf log_crit, log_verbose;
	struct npu_gbuf shave_nn; /* in the shave range, when the image declares one */
	uint64_t global_next_va;  /* bump allocator over the global range */

	/*
	 * Warm boot (pm.c, docs/boot-params.md): the firmware memory was kept over a
	 * suspend and the firmware left its restore entry; the next boot starts there.
	 */
	bool fw_mem_kept;
	uint64_t warm_entry;	       /* 0: the next boot is cold */
	uint64_t d0i3_entry_host_ns;   /* when the last suspend powered the NPU down */
	uint64_t d0i3_entry_vpu_ts;    /* the NPU's perf counter then */
	uint32_t warm_boots, suspends; /* counts */
	bool last_boot_warm;

	/* Boot report. */
	uint32_t boot_count;
	uint64_t boot_us;
	uint64_t ready_ns; /* when the ready message was seen */
	struct npu_boot_phase phases[NPU_BOOT_MAX_PHASES];
	unsigned n_phases;
	/* The boot-parameter page as it stood when the NPU's CPU was started (boot.c). */
	uint8_t boot_params_sent[4096];
	bool boot_params_sent_valid;
	/* IPC, contexts and jobs (ipc.c, job.c). */
	struct npu_ipc ipc;
	struct npu_ctx *ctx[NPU_CTX_MAX]; /* by context id - 1 */
	uint32_t db_next;		  /* doorbells are handed out cyclically from 1..255 */
	uint32_t tdr_timeout_us;
	uint32_t d0i3_timeout_us;      /* npu_device_config's; never 0 once open */
	uint32_t inference_timeout_us; /* longest a job may run while the heartbeat advances */
	uint64_t last_heartbeat;
	bool need_recovery; /* set by the interrupt service */
	bool dct_pending;   /* a DCT request to answer (set by the interrupt service, pm.c) */
	uint8_t dct_active_percent; /* duty cycle in force: 0 off, else the D0 share */
	char recovery_reason[NPU_DEV_RECOVERY_REASON_MAX];
	uint64_t recoveries;
	uint64_t mmu_faults;
	struct npu_dev_counters counters; /* busy time, job totals (stats.h) */

	char fail_step[NPU_DEV_FAIL_STEP_MAX];
	char fail_reason[NPU_DEV_FAIL_REASON_MAX];
	uint32_t boot_timeout_us;
};

/* Binds a device to an open platform and loads the firmware file (not the NPU). */
int drv_device_open(struct npu_device *d, struct npu_platform *plat,
		    const struct npu_device_config *cfg);
/* Powers down when needed, frees everything open and boot took. */
void drv_device_close(struct npu_device *d);

const char *drv_dev_state_name(enum npu_dev_state s);

/* Records why boot failed (first failure wins); returns ret. */
int drv_device_fail(struct npu_device *d, const char *step, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
