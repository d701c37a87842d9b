/* SPDX-License-Identifier: MIT */
/*
 * Contexts, buffers and jobs (protocol.md §3, §5.5).
 *
 * A context is one client's address space: an SSID (2..65) with its own page
 * tables and a 4 KiB job queue (64-byte header + 63 slots) in the global
 * context, bound to a doorbell (1..255) by REGISTER_DB on the first submit.
 * Buffers are DMA memory mapped at an NPU virtual address of the context's
 * user range. A job is a command buffer in one of the context's buffers;
 * its id is (ctx_id - 1) << 8 | a per-context counter (protocol.md §3.5).
 */
#ifndef NPU_DRIVER_JOB_H
#define NPU_DRIVER_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver/mmu_ctx.h"
#include "driver/stats.h"
#include "hw/jsm.h"
#include "platform/platform.h"

struct npu_device;

#define NPU_CTX_MAX	   64 /* SSIDs 2..65 */
#define NPU_CTX_SSID_FIRST 2u
#define NPU_JOBS_PER_CTX   256 /* the job id's 8-bit counter */

/* Job status as the driver reports it: the firmware's (protocol.md §2.2) or ABORTED. */
#define NPU_JOB_STATUS_ABORTED 256u /* the job was lost to a reset or a faulted context */

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
	 * Sharing (npu_bo_share): a share maps its owner's memory and does not
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
	/* Added for ctx.c and job.c. */
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
	struct npu_bo *bos;	      /* buffers still alive, freed by npu_ctx_destroy */
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
int npu_ctx_create(struct npu_device *d, struct npu_ctx **out);
/*
 * Unregisters its doorbell, releases its SSID (both only while the device is
 * READY), clears its context descriptor, and frees its job queue, page tables
 * and every buffer still alive: pointers to them are dangling afterwards.
 * Queued jobs are dropped (a late JOB_DONE for them is ignored). Call it
 * before npu_device_close.
 */
void npu_ctx_destroy(struct npu_ctx *c);

/*
 * A buffer of size bytes (rounded up to 4 KiB) mapped at va in the context's
 * user range (va 0: the next free address). -EINVAL outside the range,
 * -EEXIST over a mapping, -ENOMEM.
 */
int npu_bo_create(struct npu_ctx *c, size_t size, uint64_t va, unsigned flags, struct npu_bo **out);
/*
 * Maps bo's memory into context `to` (any context of the same device, even
 * bo's own) at va (0: the next free address), with bo's flags: one fence or
 * data buffer seen by two contexts. The new buffer is destroyed like any
 * other (and with its context); bo's memory lives until bo and every share
 * of it are destroyed. Errors as npu_bo_create.
 */
int npu_bo_share(struct npu_bo *bo, struct npu_ctx *to, uint64_t va, struct npu_bo **out);
/*
 * A buffer of the driver's own at the top of the user range, `below` bytes
 * under its end (HWS preemption buffers): the addresses the context's next
 * buffers get do not move.
 */
int npu_bo_create_top(struct npu_ctx *c, size_t size, uint64_t below, struct npu_bo **out);
/* Unmaps and frees it. A job still using it then faults in the MMU. */
void npu_bo_destroy(struct npu_bo *bo);

/*
 * Queues the command buffer at cmd_va (a VA in the context) and rings the
 * doorbell. -EBUSY when the queue (63 slots) or the job ids (256) are full:
 * wait for a job and retry; -EBADFD for a faulted context; -EAGAIN while the
 * device is not ready; -EIO when it failed (a recovery did not boot it);
 * -EINVAL when cmd_va is not 8-byte aligned inside one of the context's
 * buffers; an IPC error when the doorbell could not be registered.
 */
int npu_job_submit(struct npu_ctx *c, uint64_t cmd_va, uint32_t *job_id);

/*
 * Waits up to timeout_us for the job to complete, servicing interrupts and
 * running hang detection meanwhile (heartbeat after each TDR period; a full
 * recovery on a hang). Returns 0 with *status (0 = success, the firmware's
 * status, or NPU_JOB_STATUS_ABORTED), -ETIMEDOUT, -ENOENT for an unknown id.
 */
int npu_job_wait(struct npu_ctx *c, uint32_t job_id, uint32_t timeout_us, uint32_t *status);

/*
 * Without waiting or servicing anything: 0 with *status when the job is done,
 * -EINPROGRESS while it is queued, -ENOENT for an unknown (or forgotten) id.
 */
int npu_job_poll(const struct npu_ctx *c, uint32_t job_id, uint32_t *status);

/*
 * For event loops (the daemon) instead of npu_job_wait: npu_device_irq when
 * the platform's interrupt fd polls readable (services and acknowledges it),
 * npu_device_service after it and whenever the time it returned has come
 * (faulted contexts, a recovery the interrupt service asked for, hang
 * detection of queued jobs). npu_device_service returns the monotonic time
 * in ns when it wants to run next, UINT64_MAX when nothing is queued.
 */
void npu_device_irq(struct npu_device *d);
uint64_t npu_device_service(struct npu_device *d);
/*
 * The fast path of an event loop with jobs in flight: polls the device (its
 * interrupt masked meanwhile) for up to window_ns and services what it finds,
 * as npu_device_irq would; stop (may be NULL), asked every few polls, ends it
 * early (the loop's other sources have something). True when it serviced;
 * npu_device_service and the loop's progress then follow as after an
 * interrupt. Nothing is lost either way: what comes after the window raises
 * the interrupt as usual.
 */
bool npu_device_poll(struct npu_device *d, uint64_t window_ns, bool (*stop)(void *arg), void *arg);
/* How long a wait, or an event loop with jobs in flight, polls before it sleeps on the interrupt. */
#define NPU_POLL_WINDOW_NS 20000u

/*
 * A file descriptor for the buffer's memory, to share it with another
 * process (the platform's dma_share; the buffer owns the fd, valid until the
 * buffer and its shares are destroyed). -EOPNOTSUPP when the platform cannot.
 */
int npu_bo_fd(struct npu_bo *bo);

/* Called by the IPC layer for each JOB_DONE message. */
void npu_job_done(struct npu_device *d, const struct npu_jsm_msg *msg);

/*
 * A full recovery (protocol.md §3.7, hardware.md §3.6): state dump, power-down,
 * every queued job ABORTED, cold boot, contexts back in place. Returns 0, or
 * the boot's error (the device is then FAILED and submits return -EIO).
 */
int npu_device_recover(struct npu_device *d, const char *reason);

/*
 * A user context's MMU fault (the interrupt service, for an event on a user
 * SSID; JOB_DONE with status 0xE): the context is faulted, its queued jobs end
 * ABORTED, later submits get -EBADFD. Its doorbell is unregistered and its SSID
 * released at the next wait or submit (not from inside interrupt service).
 * Unknown SSIDs are ignored. Safe to call from IPC dispatch.
 */
void npu_ctx_fault(struct npu_device *d, uint32_t ssid, const char *why);

/*
 * Boot and power-down hooks (boot.c). The MMU's tables, the global context
 * and the firmware's state do not survive a power-down; the contexts' own
 * page tables and job-queue memory do.
 *
 * npu_ctx_attach_all, right after the MMU comes up: maps every context's job
 * queue at its fixed global VA and writes every context's descriptor. Returns
 * 0 or an error already recorded with npu_device_fail.
 *
 * npu_ctx_detach_all, before the MMU goes down: every queued job ends
 * ABORTED, doorbell registrations are forgotten (the ids stay; they are
 * registered again on the next submit), each queue is emptied (head = tail
 * = 0) and unmapped from the global context.
 */
int npu_ctx_attach_all(struct npu_device *d);
void npu_ctx_detach_all(struct npu_device *d);

/* Shared by ctx.c, job.c, recover.c and service.c. */
/* One hang check of a queued job whose tdr_next_ns has come (may recover the device). */
void npu_job_tdr_check(struct npu_ctx *c, struct npu_job *job);
struct npu_ctx *npu_ctx_by_ssid(struct npu_device *d, uint32_t ssid);
/* Ends a queued job with status (counts it); a no-op unless it is queued. */
void npu_job_complete(struct npu_ctx *c, struct npu_job *job, uint32_t status);
/* Every queued job of the context ends ABORTED. */
void npu_ctx_abort_jobs(struct npu_ctx *c);
/* Sends the faulted context's UNREGISTER_DB and SSID_RELEASE once (protocol.md §2.5). */
void npu_ctx_abort_send(struct npu_ctx *c);

#endif
