/* SPDX-License-Identifier: MIT */
/*
 * Jobs, OS scheduling mode (docs/firmware-protocol.md §3.3-§3.7): submit into the context's
 * job queue and ring its doorbell, take JOB_DONE from the IPC layer, and wait
 * with hang detection.
 *
 * The driver is single-threaded per device: JOB_DONE arrives only while this
 * thread services interrupts (drv_irq_wait, or an IPC request waiting for its
 * reply), so job state needs no lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "platform/barrier.h"
#include "driver/device.h"
#include "driver/hws.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "driver/recover.h"
#include "driver/service.h"
#include "hw/jobq.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/timeouts.h"
#include "util/log.h"

/* The TDR period; 0 (a caller that cleared it) means the Linux default. */
static uint64_t tdr_ns(const struct npu_device *d)
{
	return (uint64_t)(d->tdr_timeout_us ? d->tdr_timeout_us : NPU_TIMEOUT_TDR_US) * 1000u;
}

/* A doorbell rings with bit 0 on both generations. */
/* NOLINTNEXTLINE(misc-redundant-expression): that they are equal is the point */
_Static_assert(NPU_37XX_CPU_SS_DOORBELL_SET == NPU_40XX_CPU_SS_DOORBELL_SET, "doorbell SET bit");
#define DOORBELL_SET NPU_40XX_CPU_SS_DOORBELL_SET

static uint32_t doorbell_reg(const struct npu_device *d, uint32_t db)
{
	return d->gen == NPU_GEN_37XX ? NPU_37XX_CPU_SS_DOORBELL(db) : NPU_40XX_CPU_SS_DOORBELL(db);
}

static bool db_in_use(const struct npu_device *d, uint32_t db)
{
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		if (d->ctx[i] && d->ctx[i]->db_id == db)
			return true;
	}
	return false;
}

/* Current kernels hand doorbells out cyclically from 1..255 (docs/firmware-protocol.md §3.4). */
static int db_alloc(struct npu_device *d, uint32_t *out)
{
	for (uint32_t n = NPU_DOORBELL_ID_MIN; n <= NPU_DOORBELL_ID_MAX; n++) {
		uint32_t db = d->db_next;

		if (db < NPU_DOORBELL_ID_MIN || db > NPU_DOORBELL_ID_MAX)
			db = NPU_DOORBELL_ID_MIN;
		d->db_next = db == NPU_DOORBELL_ID_MAX ? NPU_DOORBELL_ID_MIN : db + 1;
		if (!db_in_use(d, db)) {
			*out = db;
			return 0;
		}
	}
	return -EBUSY;
}

/* REGISTER_DB on the first submit and again after every firmware reset (§2.5, §3.4). */
static int db_register(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;
	int ret;

	if (c->db_registered)
		return 0;
	if (!c->db_id) {
		ret = db_alloc(d, &c->db_id);
		if (ret)
			return ret;
	}
	if (drv_hws_on(d))
		ret = drv_hws_ctx_register(c);
	else
		ret = drv_jsm_register_db(d, c->db_id, c->jobq_va, NPU_JOBQ_SIZE, c->ssid);
	if (ret) {
		npu_warn(JOB, "context %u: REGISTER_DB %u (queue 0x%" PRIx64 ") failed (%d)", c->id,
			 c->db_id, c->jobq_va, ret);
		return ret;
	}
	c->db_registered = true;
	npu_dbg(JOB, "context %u: doorbell %u registered", c->id, c->db_id);
	return 0;
}

/* Linux takes a command BO handle: the batch buffer must lie in one of the context's buffers. */
static bool cmd_va_valid(const struct npu_ctx *c, uint64_t cmd_va)
{
	if (cmd_va & 7u)
		return false;
	for (const struct npu_bo *b = c->bos; b; b = b->next) {
		if (b == c->preempt_bo[0] || b == c->preempt_bo[1])
			continue; /* the driver's own */
		if (cmd_va >= b->va && cmd_va - b->va < b->size)
			return true;
	}
	return false;
}

int drv_job_submit(struct npu_ctx *c, uint64_t cmd_va, uint32_t *job_id)
{
	struct npu_device *d = c->dev;
	struct npu_jobq *q = c->jobq.cpu;
	uint32_t seq = c->job_counter, id = npu_job_id(c->id, seq);
	struct npu_job *job = &c->jobs[seq];
	uint32_t tail, next;
	struct npu_jobq_entry *slot;
	int ret;

	if (c->faulted) {
		drv_ctx_abort_send(c);
		return -EBADFD;
	}
	/* A fatal error seen since the last wait: the job would only be aborted. */
	if (d->need_recovery && d->state == NPU_DEV_READY)
		drv_device_recover(d, d->recovery_reason);
	if (d->state == NPU_DEV_FAILED)
		return -EIO;
	if (d->state != NPU_DEV_READY || !c->jobq_mapped)
		return -EAGAIN;
	if (!cmd_va_valid(c, cmd_va))
		return -EINVAL;
	if (job->state == NPU_JOB_QUEUED)
		return -EBUSY; /* 256 jobs of this context in flight */
	ret = db_register(c);
	if (ret)
		return ret;
	if (c->faulted) /* while waiting for the reply */
		return -EBADFD;

	/* docs/firmware-protocol.md §3.4: the firmware advances head; an index past the ring is garbage. */
	tail = c->jobq_tail; /* after the recovery above, which empties the queue */
	next = npu_jobq_next(tail);
	/*
	 * Head only moves forward, so the head last read leaves at most the room
	 * there is: the device's copy is read only when that one says full.
	 */
	if (next == c->jobq_head) {
		uint32_t head = __atomic_load_n(&q->header.head, __ATOMIC_ACQUIRE);

		if (head >= NPU_JOBQ_SLOT_COUNT) {
			npu_warn(JOB,
				 "context %u: the firmware wrote job queue head %u (%u slots); "
				 "treating the queue as full",
				 c->id, head, NPU_JOBQ_SLOT_COUNT);
			return -EBUSY;
		}
		c->jobq_head = head;
		if (next == head)
			return -EBUSY;
	}

	slot = &q->slot[tail];
	memset(slot, 0, sizeof(*slot));
	slot->batch_buf_addr = cmd_va;
	slot->job_id = id;
	slot->flags = 0;
	/* HWS: where the firmware saves the job when it preempts it (docs/firmware-protocol.md §3.8). */
	if (drv_hws_on(d)) {
		const struct npu_bo *pri = c->preempt_bo[0], *sec = c->preempt_bo[1];

		if (pri) {
			slot->primary_preempt_buf_addr = pri->va;
			slot->primary_preempt_buf_size = (uint32_t)pri->size;
		}
		if (sec) {
			slot->secondary_preempt_buf_addr = sec->va;
			slot->secondary_preempt_buf_size = (uint32_t)sec->size;
		}
	}
	npu_dma_wmb();
	__atomic_store_n(&q->header.tail, next, __ATOMIC_RELEASE);
	npu_dma_wmb();
	c->jobq_tail = next;

	job->state = NPU_JOB_QUEUED;
	job->id = id;
	job->status = 0;
	job->submit_ns = npu_now_ns(d->plat);
	job->done_ns = 0;
	job->tdr_next_ns = job->submit_ns + tdr_ns(d);
	job->tdr_heartbeat = d->last_heartbeat;
	job->tdr_extensions = 0;
	c->job_counter++;
	c->queued++;
	drv_stats_job_queued(c, job->submit_ns);

	REGV_WR32(&d->mmio, doorbell_reg(d, c->db_id), DOORBELL_SET);
	npu_dbg(JOB, "context %u: job 0x%x at 0x%" PRIx64 " in slot %u, doorbell %u", c->id, id,
		cmd_va, tail, c->db_id);
	*job_id = id;
	return 0;
}

/* Ends a queued job with status (counts it); a no-op unless it is queued. */
static void job_complete(struct npu_ctx *c, struct npu_job *job, uint32_t status)
{
	if (job->state != NPU_JOB_QUEUED)
		return;
	job->state = NPU_JOB_DONE;
	job->status = status;
	job->done_ns = npu_now_ns(c->dev->plat);
	if (c->queued)
		c->queued--;
	if (status == NPU_JSM_STATUS_SUCCESS)
		c->jobs_completed++;
	else
		c->jobs_failed++;
	drv_stats_job_done(c, job->done_ns, status);
}

void drv_ctx_abort_jobs(struct npu_ctx *c)
{
	for (unsigned i = 0; i < NPU_JOBS_PER_CTX && c->queued; i++)
		job_complete(c, &c->jobs[i], NPU_JOB_STATUS_ABORTED);
}

/*
 * docs/firmware-protocol.md §3.6. Everything in the message is the firmware's word and is
 * checked: a JOB_DONE only ends a job that is queued, in the context of the
 * SSID it names, under the exact id it was given.
 */
void drv_job_done(struct npu_device *d, const struct npu_jsm_msg *msg)
{
	struct npu_jsm_job_done p;
	struct npu_ctx *c;
	struct npu_job *job;

	memcpy(&p, &msg->payload.job_done, sizeof(p));
	if (msg->result != NPU_JSM_STATUS_SUCCESS) {
		npu_warn(JOB, "JOB_DONE with result %u (job 0x%x) ignored", msg->result, p.job_id);
		return;
	}
	c = drv_ctx_by_ssid(d, p.host_ssid);
	if (!c) {
		npu_warn(JOB, "JOB_DONE for job 0x%x on SSID %u: no such context; dropped",
			 p.job_id, p.host_ssid);
		return;
	}
	job = &c->jobs[npu_job_id_seq(p.job_id)];
	if (npu_job_id_ctx(p.job_id) != c->id || job->state != NPU_JOB_QUEUED ||
	    job->id != p.job_id) {
		npu_warn(JOB,
			 "JOB_DONE for job 0x%x on SSID %u: not a queued job of context %u; "
			 "dropped",
			 p.job_id, p.host_ssid, c->id);
		return;
	}
	if (p.engine_idx != NPU_JSM_ENGINE_COMPUTE || p.db_idx != c->db_id)
		npu_dbg(JOB, "JOB_DONE for job 0x%x names engine %u doorbell %u (expected 0, %u)",
			p.job_id, p.engine_idx, p.db_idx, c->db_id);
	if (p.job_status == NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW) {
		char why[64];

		snprintf(why, sizeof(why), "job 0x%x ended with a context violation", p.job_id);
		drv_ctx_fault(d, c->ssid, why);
		return;
	}
	/* Like Linux: a job of a context with MMU faults is reported aborted. */
	job_complete(c, job, c->faulted ? NPU_JOB_STATUS_ABORTED : p.job_status);
	npu_dbg(JOB, "context %u: job 0x%x done, status %u", c->id, p.job_id, job->status);
}

/*
 * docs/firmware-protocol.md §3.7, newest kernels: after each TDR period the heartbeat must
 * have advanced past the value seen at submit or at the job's previous check
 * (at least one period earlier); a job may pass ceil(inference timeout / TDR)
 * checks (60 s by default, as Linux).
 */
void drv_job_tdr_check(struct npu_ctx *c, struct npu_job *job)
{
	struct npu_device *d = c->dev;
	uint64_t period = tdr_ns(d);
	uint64_t limit = (uint64_t)(d->inference_timeout_us ? d->inference_timeout_us
							    : NPU_TIMEOUT_INFERENCE_US) *
			 1000u;
	uint32_t max_checks = (uint32_t)((limit + period - 1) / period);
	char reason[sizeof(d->recovery_reason)];
	uint64_t hb = 0;
	int ret;

	ret = drv_jsm_query_heartbeat(d, NPU_JSM_ENGINE_COMPUTE, &hb);
	if (job->state != NPU_JOB_QUEUED)
		return; /* its JOB_DONE came while waiting for the reply */
	if (ret) {
		snprintf(reason, sizeof(reason), "job 0x%x hung: heartbeat query failed (%s)",
			 job->id, strerror(-ret));
	} else if (hb <= job->tdr_heartbeat) {
		snprintf(reason, sizeof(reason), "job 0x%x hung: heartbeat stopped at %" PRIu64,
			 job->id, hb);
	} else if (++job->tdr_extensions > max_checks) {
		snprintf(reason, sizeof(reason),
			 "job 0x%x still running after %u checks of %" PRIu64 " ms", job->id,
			 max_checks, period / 1000000u);
	} else {
		npu_dbg(JOB, "job 0x%x: heartbeat %" PRIu64 ", check %u of %u", job->id, hb,
			job->tdr_extensions, max_checks);
		job->tdr_heartbeat = hb;
		if (hb > d->last_heartbeat)
			d->last_heartbeat = hb;
		job->tdr_next_ns = npu_now_ns(d->plat) + period;
		return;
	}
	drv_device_recover(d, reason);
}

int drv_job_poll(const struct npu_ctx *c, uint32_t job_id, uint32_t *status)
{
	const struct npu_job *job = &c->jobs[npu_job_id_seq(job_id)];

	if (npu_job_id_ctx(job_id) != c->id || job->state == NPU_JOB_FREE || job->id != job_id)
		return -ENOENT;
	if (job->state != NPU_JOB_DONE)
		return -EINPROGRESS;
	*status = job->status;
	return 0;
}

/* The wait's first phase (drv_device_poll) ends when the job is no longer queued. */
static bool job_left_queue(void *arg)
{
	const struct npu_job *job = arg;

	return job->state != NPU_JOB_QUEUED;
}

int drv_job_wait(struct npu_ctx *c, uint32_t job_id, uint32_t timeout_us, uint32_t *status)
{
	struct npu_device *d = c->dev;
	struct npu_job *job = &c->jobs[npu_job_id_seq(job_id)];
	uint64_t start = npu_now_ns(d->plat), now = start;
	uint64_t deadline = start + (uint64_t)timeout_us * 1000u;
	uint64_t poll_end = start + NPU_POLL_WINDOW_NS;
	bool serviced = false;

	if (npu_job_id_ctx(job_id) != c->id || job->state == NPU_JOB_FREE || job->id != job_id)
		return -ENOENT;
	/*
	 * First the interrupt is watched (drv_device_poll), so a short job's
	 * completion is seen without an interrupt's wake-up; each service that
	 * finds something is followed by the checks below, and the sleeping wait
	 * takes over once the window has passed, or at once on a platform that
	 * cannot be watched (no irq_take). The clock is read again only when the
	 * job is still queued: a completion seen costs no time stamp of its own.
	 */
	while (d->plat->ops->irq_take && job->state == NPU_JOB_QUEUED &&
	       d->state == NPU_DEV_READY && !c->faulted && !d->need_recovery && now < poll_end &&
	       now < deadline) {
		drv_device_poll(d, poll_end - now, job_left_queue, job);
		if (job->state == NPU_JOB_QUEUED)
			now = npu_now_ns(d->plat);
	}
	for (;;) {
		uint64_t until, wait_ns;
		int ret;

		if (job->state == NPU_JOB_DONE) {
			*status = job->status;
			return 0;
		}
		if (c->faulted) {
			drv_ctx_abort_jobs(c);
			drv_ctx_abort_send(c);
			continue;
		}
		if (d->need_recovery) {
			drv_device_recover(d, d->recovery_reason);
			continue; /* the power-down aborted the job */
		}
		if (d->state != NPU_DEV_READY)
			return -EIO; /* cannot happen: a power-down aborts every queued job */
		now = npu_now_ns(d->plat);
		if (now >= job->tdr_next_ns) {
			drv_job_tdr_check(c, job);
			continue;
		}
		if (now >= deadline && serviced) {
			drv_stats_wait_timed_out(d, timeout_us);
			return -ETIMEDOUT;
		}
		until = deadline < job->tdr_next_ns ? deadline : job->tdr_next_ns;
		wait_ns = until > now ? until - now : 0;
		ret = drv_irq_wait(d, wait_ns / 1000u > UINT32_MAX
					  ? UINT32_MAX
					  : (uint32_t)((wait_ns + 999u) / 1000u));
		serviced = true;
		if (ret == -EIO)
			return ret;
	}
}
