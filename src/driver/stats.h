/* SPDX-License-Identifier: MIT */
/*
 * Driver counters and the device status report (npuctl status, and npud's
 * STATUS request, which reports the same structure for all of its clients).
 *
 * What is counted where:
 * - Busy time: the job layer calls drv_stats_job_queued() when it queues a
 *   job and drv_stats_job_done() when one ends (completed, failed, aborted).
 *   Each keeps a count of queued jobs for the device and for the context;
 *   a 0 -> 1 transition opens an interval, 1 -> 0 closes it and adds it to
 *   the total. Busy time is thus "at least one job queued on the device"
 *   (or in the context), as the host sees it.
 * - Job totals live on the device, so destroyed contexts still count.
 * - Everything else (memory, power state, frequency) is measured when the
 *   report is made: DMA memory by walking what the driver holds, power state
 *   and frequency by reading the buttress registers.
 *
 * The report is a plain struct without pointers, so the daemon can hand it
 * over as it is; drv_device_stats_json() writes the one JSON form of it.
 */
#ifndef NPU_DRIVER_STATS_H
#define NPU_DRIVER_STATS_H

#include <stdbool.h>
#include <stdint.h>

struct npu_device;
struct npu_ctx;
struct npu_json;

/* Time with at least one job queued (device or context). */
struct npu_busy {
	uint32_t queued;   /* jobs queued now */
	uint64_t since_ns; /* start of the open interval (queued > 0) */
	uint64_t total_ns; /* closed intervals */
};

/* The device's counters (in struct npu_device; zeroed by drv_device_open). */
struct npu_dev_counters {
	struct npu_busy busy;
	/*
	 * For utilization since READY: the ready_ns of the boot the latest busy
	 * interval was opened in, and busy.total_ns before that boot's first
	 * interval. No interval spans a power-down (it aborts every queued job).
	 */
	uint64_t busy_boot_ready_ns;
	uint64_t busy_before_boot_ns;
	uint64_t jobs_completed, jobs_failed;
	uint64_t job_wait_timeouts; /* drv_job_wait calls that gave up (timeout > 0) */
};

/* Job-layer hooks (job.c). */
void drv_stats_job_queued(struct npu_ctx *c, uint64_t now_ns);
void drv_stats_job_done(struct npu_ctx *c, uint64_t now_ns, uint32_t status);
void drv_stats_wait_timed_out(struct npu_device *d, uint32_t timeout_us);

#define NPU_STATS_MAX_CLIENTS	 64 /* NPU_CTX_MAX */
#define NPU_STATS_FW_VERSION_MAX 256

/* One context (one client of the daemon). */
struct npu_client_stats {
	uint32_t id, ssid;
	uint64_t memory_bytes;	   /* its buffers (shared ones too) and its job queue */
	uint64_t page_table_bytes; /* its NPU page tables */
	uint64_t busy_time_us;	   /* time with at least one of its jobs queued */
	uint64_t jobs_completed, jobs_failed;
	uint32_t jobs_queued;
	bool faulted;
	char name[32];	   /* the client's name, "" when none */
	int32_t pid;	   /* -1: not known */
	int64_t uid;	   /* -1: not known */
	char priority[12]; /* "idle", "normal", "focus", "realtime" (driver/hws.h) */
};

struct npu_device_stats {
	char generation[8]; /* "37xx" */
	uint16_t pci_vendor, pci_device;
	char pci_id[16]; /* "8086:7d1d" */
	char bdf[32];	 /* "sim" or the PCI address */
	char firmware_version[NPU_STATS_FW_VERSION_MAX];
	char state[12];	    /* off, booting, ready, failed */
	char scheduling[8]; /* "os" or "hws": the mode of this boot (driver/hws.h) */
	uint32_t boot_count;

	uint64_t busy_time_us; /* since the device was opened, over every boot */
	bool uptime_known;     /* READY */
	uint64_t uptime_us;    /* since the last READY */
	bool utilization_known;
	double utilization; /* busy time since READY / uptime, 0..1 */

	bool frequency_known; /* the registers answer */
	uint32_t pll_ratio, frequency_mhz;
	char power_state[8]; /* "D0", "D0i3"; "" when the registers do not answer */

	/* DMA memory the driver holds, by what it is for. */
	uint64_t memory_used_bytes;
	uint64_t memory_firmware_bytes; /* the firmware's runtime buffer */
	uint64_t memory_ipc_bytes;	/* IPC TX/RX and firmware log buffers */
	uint64_t memory_mmu_bytes;	/* MMU tables and queues, global/reserved page tables */
	uint64_t memory_contexts_bytes; /* contexts: buffers, job queues, page tables */
	bool memory_total_known;
	uint64_t memory_total_bytes; /* DMA memory the platform can give */

	unsigned n_clients;
	struct npu_client_stats clients[NPU_STATS_MAX_CLIENTS];

	uint64_t jobs_completed, jobs_failed, jobs_queued;
	uint64_t recoveries, mmu_faults;
	uint64_t timeouts; /* ipc_timeouts + job_wait_timeouts */
	uint64_t ipc_timeouts, job_wait_timeouts;
};

/* Fills out from d (any state). Reads a few buttress registers. */
void drv_device_stats(struct npu_device *d, struct npu_device_stats *out);

/* Writes s as one JSON object (key NULL: a document's root or an array element). */
void drv_device_stats_json(struct npu_json *j, const char *key, const struct npu_device_stats *s);

#endif
