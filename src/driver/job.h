/* SPDX-License-Identifier: MIT */
/*
 * Jobs (docs/firmware-protocol.md §3, §5.5): submitted to a context's job queue (ctx.h),
 * waited for, completed by JOB_DONE. A job is a command buffer in one of the
 * context's buffers; its id is (ctx_id - 1) << 8 | a per-context counter
 * (docs/firmware-protocol.md §3.5). Event loops service the device with service.h;
 * recovery and context faults are recover.h.
 */
#ifndef NPU_DRIVER_JOB_H
#define NPU_DRIVER_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver/ctx.h"
#include "hw/jsm.h"

struct npu_device;

/* Job status as the driver reports it: the firmware's (docs/firmware-protocol.md §2.2) or ABORTED. */
#define NPU_JOB_STATUS_ABORTED 256u /* the job was lost to a reset or a faulted context */

/*
 * Queues the command buffer at cmd_va (a VA in the context) and rings the
 * doorbell. -EBUSY when the queue (63 slots) or the job ids (256) are full:
 * wait for a job and retry; -EBADFD for a faulted context; -EAGAIN while the
 * device is not ready; -EIO when it failed (a recovery did not boot it);
 * -EINVAL when cmd_va is not 8-byte aligned inside one of the context's
 * buffers; an IPC error when the doorbell could not be registered.
 */
int drv_job_submit(struct npu_ctx *c, uint64_t cmd_va, uint32_t *job_id);

/*
 * Waits up to timeout_us for the job to complete, servicing interrupts and
 * running hang detection meanwhile (heartbeat after each TDR period; a full
 * recovery on a hang). Returns 0 with *status (0 = success, the firmware's
 * status, or NPU_JOB_STATUS_ABORTED), -ETIMEDOUT, -ENOENT for an unknown id.
 */
int drv_job_wait(struct npu_ctx *c, uint32_t job_id, uint32_t timeout_us, uint32_t *status);

/*
 * Without waiting or servicing anything: 0 with *status when the job is done,
 * -EINPROGRESS while it is queued, -ENOENT for an unknown (or forgotten) id.
 */
int drv_job_poll(const struct npu_ctx *c, uint32_t job_id, uint32_t *status);

/* Called by the IPC layer for each JOB_DONE message. */
void drv_job_done(struct npu_device *d, const struct npu_jsm_msg *msg);

/* Shared by job.c, recover.c and service.c. */
/* One hang check of a queued job whose tdr_next_ns has come (may recover the device). */
void drv_job_tdr_check(struct npu_ctx *c, struct npu_job *job);

#endif
