/* SPDX-License-Identifier: MIT */
/*
 * Contexts and buffers (docs/firmware-protocol.md §3, §5.5).
 *
 * A context is one client's address space: an SSID (2..65) with its own page
 * tables and a 4 KiB job queue (64-byte header + 63 slots) in the global
 * context, bound to a doorbell (1..255) by REGISTER_DB on the first submit.
 * Buffers are DMA memory mapped at an NPU virtual address of the context's
 * user range. The jobs of a context are job.h's.
 */
#ifndef NPU_DRIVER_CTX_H
#define NPU_DRIVER_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver/mmu_ctx.h"
#include "driver/stats.h"
#include "platform/platform.h"

struct npu_device;

#define NPU_CTX_MAX	   64 /* SSIDs 2..65 */
#define NPU_CTX_SSID_FIRST 2u
#define NPU_JOBS_PER_CTX   256 /* the job id's 8-bit counter */

enum npu_job_state {
	NPU_JOB_FREE = 0,
	NPU_JOB_QUEUED, /* in the job queue, not completed */
	NPU_JOB_DONE,	/* JOB_DONE received, or aborted */
};

struct npu_job {
	enum npu_job_state state;
	uint32_t id;
	uint32_t status;
	uint64_t submit_ns, done_ns;
	/*
	 * Hang detection (job.c): when the heartbeat is checked next, the value
	 * it must exceed (the last one seen, at submit or at the last check),
	 * and how many checks the job has passed.
	 */
	uint64_t tdr_next_ns;
	uint64_t tdr_heartbeat;
	uint32_t tdr_extensions;
};

struct npu_bo {
	struct npu_ctx *ctx;
	struct npu_dma dma;
	uint64_t va;
	size_t size;
	unsigned flags;	     /* NPU_MMU_MAP_* */
	struct npu_bo *next; /* the context's buffers, by ascending va */
	/*
	 * Sharing (drv_bo_share): a share maps its owner's memory and does not
	 * own it; an owner destroyed while shares remain is unmapped at once and
	 * its memory freed with the last share.
	 */
	struct npu_bo *owner; /* NULL: this buffer owns dma */
	unsigned shares;      /* live shares of this owner */
	bool orphan;	      /* owner destroyed, memory kept for its shares */
};

struct npu_ctx {
	struct npu_device *dev;
	uint32_t id;   /* 1..64 */
	uint32_t ssid; /* id + 1 */
	struct npu_mmu_ctx mmu;
	struct npu_dma jobq; /* 4 KiB, mapped in the global context */
	uint64_t jobq_va;
	uint32_t db_id;	    /* 0: none yet */
	bool db_registered; /* forgotten on every firmware reset */
	bool faulted;	    /* an MMU fault: no more submits (-EBADFD) */
	uint8_t job_counter;
	uint32_t queued;		       /* jobs submitted and not completed */
	uint64_t va_next;		       /* next free VA of the user range */
	struct npu_job jobs[NPU_JOBS_PER_CTX]; /* by the job id's low byte */
	uint64_t jobs_completed, jobs_failed;
	bool jobq_mapped;   /* in the current global context (lost on power-down) */
	uint32_t jobq_tail; /* the host's copy: the device may scribble on the queue */
	/*
	 * The queue's head as last read: the slots from it to the tail may still
	 * be the device's. Read again only when it leaves no room, so a submit
	 * does not fetch the line the firmware just wrote (job.c).
	 */
	uint32_t jobq_head;
	bool abort_sent; /* faulted, and UNREGISTER_DB/SSID_RELEASE went out */
	/* Hardware scheduling (hws.h): the priority band, the queue, the preemption buffers. */
	uint32_t priority;	      /* enum npu_prio; NORMAL unless set */
	bool cmdq_created;	      /* CREATE_CMD_QUEUE done this boot */
	struct npu_bo *preempt_bo[2]; /* primary, secondary (in c->bos) */
	struct npu_bo *bos;	      /* buffers still alive, freed by drv_ctx_destroy */
	/* Time with jobs queued (stats.h). */
	struct npu_busy busy;
	/* Who uses it, for the status report (set by the daemon's server; "" and -1 otherwise). */
	char owner_name[32];
	int32_t owner_pid;
	int64_t owner_uid;
};

/*
 * A context on the lowest free id (-EBUSY when all 64 are taken, -ENOMEM).
 * Works in any device state: while the MMU is down (not booted yet) its
 * context descriptor and job queue go in at the next boot.
 */
int drv_ctx_create(struct npu_device *d, struct npu_ctx **out);
/*
 * Unregisters its doorbell, releases its SSID (both only while the device is
 * READY), clears its context descriptor, and frees its job queue, page tables
 * and every buffer still alive: pointers to them are dangling afterwards.
 * Queued jobs are dropped (a late JOB_DONE for them is ignored). Call it
 * before drv_device_close.
 */
void drv_ctx_destroy(struct npu_ctx *c);

/*
 * A buffer of size bytes (rounded up to 4 KiB) mapped at va in the context's
 * user range (va 0: the next free address). -EINVAL outside the range,
 * -EEXIST over a mapping, -ENOMEM.
 */
int drv_bo_create(struct npu_ctx *c, size_t size, uint64_t va, unsigned flags, struct npu_bo **out);
/*
 * Maps bo's memory into context `to` (any context of the same device, even
 * bo's own) at va (0: the next free address), with bo's flags: one fence or
 * data buffer seen by two contexts. The new buffer is destroyed like any
 * other (and with its context); bo's memory lives until bo and every share
 * of it are destroyed. Errors as drv_bo_create.
 */
int drv_bo_share(struct npu_bo *bo, struct npu_ctx *to, uint64_t va, struct npu_bo **out);
/*
 * A buffer of the driver's own at the top of the user range, `below` bytes
 * under its end (HWS preemption buffers): the addresses the context's next
 * buffers get do not move.
 */
int drv_bo_create_top(struct npu_ctx *c, size_t size, uint64_t below, struct npu_bo **out);
/* Unmaps and frees it. A job still using it then faults in the MMU. */
void drv_bo_destroy(struct npu_bo *bo);

/*
 * A file descriptor for the buffer's memory, to share it with another
 * process (the platform's dma_share; the buffer owns the fd, valid until the
 * buffer and its shares are destroyed). -EOPNOTSUPP when the platform cannot.
 */
int drv_bo_fd(struct npu_bo *bo);

/*
 * Boot and power-down hooks (boot.c). The MMU's tables, the global context
 * and the firmware's state do not survive a power-down; the contexts' own
 * page tables and job-queue memory do.
 *
 * drv_ctx_attach_all, right after the MMU comes up: maps every context's job
 * queue at its fixed global VA and writes every context's descriptor. Returns
 * 0 or an error already recorded with drv_device_fail.
 *
 * drv_ctx_detach_all, before the MMU goes down: every queued job ends
 * ABORTED, doorbell registrations are forgotten (the ids stay; they are
 * registered again on the next submit), each queue is emptied (head = tail
 * = 0) and unmapped from the global context. drv_ctx_detach_all_warm, before a
 * suspend whose firmware keeps its state: registrations and queues stay (no job is
 * queued then), only the global mappings go.
 */
int drv_ctx_attach_all(struct npu_device *d);
void drv_ctx_detach_all(struct npu_device *d);
void drv_ctx_detach_all_warm(struct npu_device *d);
/* Whether any context has a job queued. */
bool drv_ctx_any_queued(const struct npu_device *d);

struct npu_ctx *drv_ctx_by_ssid(struct npu_device *d, uint32_t ssid);
/* Every queued job of the context ends ABORTED. */
void drv_ctx_abort_jobs(struct npu_ctx *c);

#endif
