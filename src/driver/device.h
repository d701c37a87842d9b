/* SPDX-License-Identifier: MIT */
/*
 * The driver's view of one NPU: its platform, registers, firmware, MMU,
 * IPC memory and boot state. Opened with npu_device_open, booted with
 * npu_device_boot, taken down with npu_device_power_down and closed with
 * npu_device_close (which powers down first when needed).
 */
#ifndef NPU_DRIVER_DEVICE_H
#define NPU_DRIVER_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "driver/fw_image.h"
#include "driver/gen.h"
#include "driver/ipc.h"
#include "driver/mmio.h"
#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "driver/stats.h"
#include "platform/platform.h"

#define NPU_BOOT_MAX_PHASES 16

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
	int sched;		  /* enum npu_sched_req (hws.h); 0: as Linux chooses */
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
	char fw_path[512]; /* "(synthetic)" for the built-in image */
	bool fw_synthetic;
	uint32_t sched_mode; /* NPU_BOOT_SCHED_MODE_*: OS or HWS, chosen at open (hws.h) */

	/* Fuses and workpoint (hardware.md §3.2). */
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
	uint64_t global_next_va; /* bump allocator over the global range */

	/* Boot report. */
	uint32_t boot_count;
	uint64_t boot_us;
	uint64_t ready_ns; /* when the ready message was seen */
	struct npu_boot_phase phases[NPU_BOOT_MAX_PHASES];
	unsigned n_phases;
	/* IPC, contexts and jobs (ipc.c, job.c). */
	struct npu_ipc ipc;
	struct npu_ctx *ctx[64]; /* by context id - 1 */
	uint32_t db_next;	 /* doorbells are handed out cyclically from 1..255 */
	uint32_t tdr_timeout_us;
	uint32_t inference_timeout_us; /* longest a job may run while the heartbeat advances */
	uint64_t last_heartbeat;
	bool need_recovery; /* set by the interrupt service */
	char recovery_reason[160];
	uint64_t recoveries;
	uint64_t mmu_faults;
	struct npu_dev_counters counters; /* busy time, job totals (stats.h) */

	char fail_step[48];
	char fail_reason[384];
	uint32_t boot_timeout_us;
};

/* Binds a device to an open platform and loads the firmware file (not the NPU). */
int npu_device_open(struct npu_device *d, struct npu_platform *plat,
		    const struct npu_device_config *cfg);
/* Powers down when needed, frees everything open and boot took. */
void npu_device_close(struct npu_device *d);

/*
 * Power-up, MMU, firmware load, CPU start, wait for the ready message,
 * interrupts on (hardware.md §3). Returns 0 when READY was received; else a
 * negative errno with d->fail_step and d->fail_reason saying what failed.
 */
int npu_device_boot(struct npu_device *d);

/* The way down: interrupts off, IP reset, workpoint disable, D0i3 entry. */
int npu_device_power_down(struct npu_device *d);

const char *npu_dev_state_name(enum npu_dev_state s);

/* Per-generation steps (btrs.c: buttress; ip.c: NPU IP), used by boot.c. */
int npu_btrs_init(struct npu_device *d);
int npu_btrs_d0i3_exit(struct npu_device *d);
int npu_btrs_d0i3_enter(struct npu_device *d);
int npu_btrs_wp_drive(struct npu_device *d, bool enable);
int npu_btrs_lnl_setup(struct npu_device *d);
int npu_btrs_clock_own_ack(struct npu_device *d);
void npu_btrs_port_arbitration(struct npu_device *d);
int npu_btrs_ip_reset(struct npu_device *d);
void npu_btrs_irq_enable(struct npu_device *d);
void npu_btrs_irq_disable(struct npu_device *d);
uint32_t npu_btrs_vpu_status(struct npu_device *d);
uint32_t npu_btrs_pll_ratio(struct npu_device *d);
uint32_t npu_btrs_ratio_to_mhz(const struct npu_device *d, uint32_t ratio);

int npu_ip_host_ss_configure(struct npu_device *d);
void npu_ip_idle_gen_disable(struct npu_device *d);
int npu_ip_pwr_domain_enable(struct npu_device *d);
int npu_ip_axi_enable(struct npu_device *d);
int npu_ip_top_noc_enable(struct npu_device *d);
void npu_ip_snoop_and_ssid(struct npu_device *d);
int npu_ip_cpu_start(struct npu_device *d, uint64_t entry);
void npu_ip_irq_clear(struct npu_device *d);
void npu_ip_irq_enable(struct npu_device *d);
void npu_ip_irq_disable(struct npu_device *d);
uint32_t npu_ip_fifo_fill(struct npu_device *d);
uint32_t npu_ip_fifo_pop(struct npu_device *d);

/* Records why boot failed (first failure wins); returns ret. */
int npu_device_fail(struct npu_device *d, const char *step, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
