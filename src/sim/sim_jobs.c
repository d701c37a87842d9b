/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's job scheduler (docs/firmware-protocol.md §3, §9 steps 4-9).
 *
 * A doorbell makes its queue active. An active queue is looked at until it is
 * empty: its header is read through the global context (SSID 0) and checked,
 * the job at `head` is taken and run by the command engine (sim_cmd.h) in the
 * queue's context. A job blocked on a fence keeps its queue running and the
 * scheduler goes on with the other queues; passes repeat until none makes
 * progress. A finished job advances `head` (written back through the MMU) and
 * is reported with JOB_DONE on channel 11, request id 0 (docs/firmware-protocol.md §1.5).
 */
#include "sim/sim_jobs.h"

#include <stddef.h>
#include <string.h>

#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "sim/sim_hws.h"
#include "sim/sim_internal.h"
#include "util/log.h"

/*
 * Queue steps in one call, and the time they may take: bounds how long the
 * host (npud's loop, a register access) is kept off the lock by long jobs.
 */
#define STEP_BUDGET  4096u
#define STEP_TIME_NS 1000000u
/* A host access waiting for the lock ends a slice once it has run this long. */
#define SLICE_MIN_NS 20000u
/* HWS: how long a job runs before the scheduler looks for a higher band (a command boundary). */
#define HWS_STEP_NS  20000u
#define SSID_MAX     255u
#define TAIL_UNKNOWN UINT32_MAX /* never a slot number */

static void queue_forget(struct sim_queue *q)
{
	memset(q, 0, sizeof(*q));
}

static uint64_t slot_va(const struct sim_queue *q, uint32_t slot)
{
	return q->jobq_va + NPU_JOBQ_HEADER_SIZE + (uint64_t)slot * NPU_JOBQ_SLOT_SIZE;
}

uint32_t sim_jobs_register(struct npu_sim *s, uint32_t db, uint64_t jobq_va, uint32_t jobq_size,
			   uint32_t ssid)
{
	struct sim_queue *q;

	if (db < NPU_DOORBELL_ID_MIN || db > NPU_DOORBELL_ID_MAX || jobq_size < SIM_JOBQ_MIN_SIZE ||
	    jobq_size > SIM_JOBQ_MAX_SIZE || jobq_va == 0 || jobq_va % NPU_JOBQ_SLOT_SIZE ||
	    ssid > SSID_MAX) {
		sim_guest_error(s, "REGISTER_DB refused: doorbell %u, queue 0x%llx+%u, SSID %u", db,
				(unsigned long long)jobq_va, jobq_size, ssid);
		return NPU_JSM_STATUS_PROCESSING_ERR;
	}
	q = &s->fw.queues[db];
	if (q->running)
		npu_dbg(SIM, "firmware: doorbell %u re-registered: job 0x%x abandoned", db,
			q->job_id);
	queue_forget(q);
	q->registered = true;
	s->fw.queue_map[db / 64] |= 1ull << (db % 64);
	q->jobq_va = jobq_va;
	q->jobq_size = jobq_size;
	q->ssid = ssid;
	q->slots = (jobq_size - NPU_JOBQ_HEADER_SIZE) / NPU_JOBQ_SLOT_SIZE;
	npu_dbg(SIM, "firmware: doorbell %u -> queue 0x%llx (%u slots), SSID %u", db,
		(unsigned long long)jobq_va, q->slots, ssid);
	return NPU_JSM_STATUS_SUCCESS;
}

uint32_t sim_jobs_unregister(struct npu_sim *s, uint32_t db)
{
	if (db < NPU_DOORBELL_ID_MIN || db > NPU_DOORBELL_ID_MAX) {
		sim_guest_error(s, "UNREGISTER_DB of doorbell %u: no such doorbell", db);
		return NPU_JSM_STATUS_PROCESSING_ERR;
	}
	if (!s->fw.queues[db].registered)
		npu_dbg(SIM, "firmware: UNREGISTER_DB of doorbell %u, not registered", db);
	queue_forget(&s->fw.queues[db]);
	return NPU_JSM_STATUS_SUCCESS;
}

unsigned sim_jobs_release_ssid(struct npu_sim *s, uint32_t ssid)
{
	unsigned n = 0;

	for (uint32_t db = NPU_DOORBELL_ID_MIN; db < SIM_DOORBELLS; db++) {
		struct sim_queue *q = &s->fw.queues[db];

		if (q->registered && q->ssid == ssid) {
			queue_forget(q);
			n++;
		}
	}
	return n;
}

/*
 * Consumes the running job's slot: head moves past it, in memory and for the
 * scheduler. A head that reaches the tail read with the job leaves the queue
 * idle without reading its header again: the host rings the doorbell after
 * every tail it writes (docs/firmware-protocol.md §3.4), which makes the queue active again,
 * and a ring taken while the job ran leaves the tail unknown (take_doorbells).
 */
static void consume_slot(struct npu_sim *s, uint32_t db, struct sim_queue *q)
{
	uint32_t head = (q->slot + 1) % q->slots;

	q->running = false;
	if (head == q->tail_seen)
		q->active = false;
	if (sim_mmu_access(s, 0, q->jobq_va + offsetof(struct npu_jobq_header, head), &head,
			   sizeof(head), true))
		sim_guest_error(s, "doorbell %u: cannot write the queue head at 0x%llx", db,
				(unsigned long long)q->jobq_va);
}

void sim_jobs_engine_reset(struct npu_sim *s, struct npu_jsm_engine_reset_done *done)
{
	uint32_t n = 0;

	memset(done, 0, sizeof(*done));
	done->engine_idx = NPU_JSM_ENGINE_COMPUTE;
	for (uint32_t db = NPU_DOORBELL_ID_MIN; db < SIM_DOORBELLS; db++) {
		struct sim_queue *q = &s->fw.queues[db];
		bool listed = false;

		if (!q->registered || !q->running)
			continue;
		npu_dbg(SIM, "firmware: engine reset: job 0x%x of doorbell %u abandoned", q->job_id,
			db);
		sim_fwlog(s, SIM_LOG_WARN,
			  "engine reset: job 0x%x of doorbell %u (SSID %u) abandoned", q->job_id,
			  db, q->ssid);
		if (sim_hws_on(&s->fw.hws)) {
			/* HWS: collateral damage, run again from its start after HWS_ENGINE_RESUME. */
			q->running = q->preempted = false;
			q->active = true;
			memset(&q->cmd, 0, sizeof(q->cmd));
		} else {
			consume_slot(s, db, q);
		}
		for (uint32_t i = 0; i < n; i++)
			listed |= done->impacted_contexts[i].host_ssid == q->ssid;
		if (!listed && n < NPU_JSM_RESET_IMPACTED_MAX) {
			done->impacted_contexts[n].cmdq_id = sim_hws_cmdq_id(s, db);
			done->impacted_contexts[n].flags = sim_hws_on(&s->fw.hws) ? 1u : 0u;
			done->impacted_contexts[n++].host_ssid = q->ssid;
		}
	}
	done->num_impacted_contexts = n;
	s->fw.hung = false;
}

/*
 * The job ended with status: head moves on, JOB_DONE goes out (unless the
 * queue asked not), then the log record: a completion does not wait for it.
 */
void sim_jobs_end(struct npu_sim *s, uint32_t db, struct sim_queue *q, uint32_t status)
{
	struct npu_jsm_msg msg;
	int ret;

	consume_slot(s, db, q);
	sim_hws_job_ended(s, db);
	s->fw.jobs_done++;
	sim_fw_heartbeat(s);
	npu_trace(SIM, "firmware: job 0x%x of doorbell %u done, status 0x%x", q->job_id, db,
		  status);
	if (q->queue_flags & NPU_JOBQ_FLAGS_NO_JOB_DONE) {
		sim_fwlog_job(s, db, q->ssid, q->job_id, status);
		return;
	}
	memset(&msg, 0, sizeof(msg));
	msg.type = NPU_JSM_MSG_JOB_DONE;
	msg.request_id = 0;
	msg.result = NPU_JSM_STATUS_SUCCESS;
	msg.payload.job_done.engine_idx = NPU_JSM_ENGINE_COMPUTE;
	msg.payload.job_done.db_idx = db;
	msg.payload.job_done.job_id = q->job_id;
	msg.payload.job_done.job_status = status;
	msg.payload.job_done.host_ssid = q->ssid;
	msg.payload.job_done.cmdq_id = sim_hws_cmdq_id(s, db);
	ret = sim_fw_post_msg(s, NPU_IPC_CHAN_JOB_RET, &msg);
	if (ret)
		npu_dbg(SIM, "firmware: JOB_DONE of job 0x%x lost (%d)", q->job_id, ret);
	sim_fwlog_job(s, db, q->ssid, q->job_id, status);
}

/* Reads the queue header and checks what the firmware will use of it. */
static bool read_header(struct npu_sim *s, uint32_t db, const struct sim_queue *q,
			struct npu_jobq_header *h)
{
	if (sim_mmu_access(s, 0, q->jobq_va, h, sizeof(*h), false)) {
		sim_guest_error(s, "doorbell %u: queue header at 0x%llx unreadable", db,
				(unsigned long long)q->jobq_va);
		return false;
	}
	if (h->head >= q->slots || h->tail >= q->slots || h->engine_idx != NPU_JSM_ENGINE_COMPUTE) {
		sim_guest_error(s, "doorbell %u: queue header engine %u head %u tail %u (%u slots)",
				db, h->engine_idx, h->head, h->tail, q->slots);
		return false;
	}
	return true;
}

/* Takes the job at head; false when the queue is empty or unusable. */
static bool take_job(struct npu_sim *s, uint32_t db, struct sim_queue *q, struct npu_jobq_entry *e,
		     struct npu_jobq_header *h)
{
	if (!read_header(s, db, q, h) || h->head == h->tail)
		return false;
	if (sim_mmu_access(s, 0, slot_va(q, h->head), e, sizeof(*e), false)) {
		sim_guest_error(s, "doorbell %u: job slot %u unreadable", db, h->head);
		return false;
	}
	q->running = true;
	q->slot = h->head;
	q->job_id = e->job_id;
	q->queue_flags = h->flags;
	q->tail_seen = h->tail;
	q->preempted = false;
	q->preempt_va = e->primary_preempt_buf_addr;
	q->preempt_size = e->primary_preempt_buf_size;
	npu_trace(SIM, "firmware: doorbell %u: job 0x%x from slot %u, batch 0x%llx, flags 0x%x", db,
		  e->job_id, h->head, (unsigned long long)e->batch_buf_addr, e->flags);
	return true;
}

enum sim_step sim_jobs_step(struct npu_sim *s, uint32_t db, struct sim_queue *q)
{
	struct npu_jobq_header h;
	struct npu_jobq_entry e;
	struct sim_cmd_state before;
	uint32_t status = NPU_JSM_STATUS_SUCCESS;

	if (q->running && s->fault == NPU_SIM_FAULT_HANG_JOB)
		return STEP_IDLE;
	/* Every step may end a job, and a job's end needs a free RX slot for its JOB_DONE. */
	if (!sim_fw_can_post(s))
		return STEP_WAIT;
	if (!q->running) {
		if (!take_job(s, db, q, &e, &h)) {
			q->active = false;
			return STEP_IDLE;
		}
		if (s->fault == NPU_SIM_FAULT_HANG_JOB) {
			s->fw.hung = true;
			npu_dbg(SIM, "firmware: fault hang-job: job 0x%x will never end",
				q->job_id);
			return STEP_IDLE;
		}
		if (e.flags & NPU_JOB_FLAGS_NULL_SUBMISSION) {
			sim_jobs_end(s, db, q, NPU_JSM_STATUS_SUCCESS);
			return STEP_PROGRESS;
		}
		if (e.flags & NPU_JOB_FLAGS_INLINE_CMD) {
			sim_jobs_end(s, db, q, NPU_JSM_STATUS_MVNCI_NOT_IMPLEMENTED);
			return STEP_PROGRESS;
		}
		sim_cmd_init(&q->cmd, e.batch_buf_addr);
	}
	before = q->cmd;
	q->cmd.yield_after_ns = sim_hws_on(&s->fw.hws) ? HWS_STEP_NS : STEP_TIME_NS;
	if (sim_cmd_run(s, q->ssid, &q->cmd, &status) == SIM_CMD_BLOCKED) {
		bool moved = q->cmd.started != before.started || q->cmd.offset != before.offset;

		return moved ? STEP_PROGRESS : STEP_WAIT;
	}
	sim_jobs_end(s, db, q, status);
	return STEP_PROGRESS;
}

/* Rung doorbells make their queues active; a doorbell without a queue is the host's error. */
void sim_jobs_take_doorbells(struct npu_sim *s)
{
	for (uint32_t w = 0; w < SIM_DOORBELLS / 32; w++) {
		uint32_t rung = atomic_load_explicit(&s->fw.doorbells_rung[w], memory_order_relaxed)
				    ? atomic_exchange_explicit(&s->fw.doorbells_rung[w], 0u,
							       memory_order_acquire)
				    : 0;

		for (uint32_t bits = rung; bits; bits &= bits - 1) {
			uint32_t db = w * 32 + (uint32_t)__builtin_ctz(bits);

			if (db >= NPU_DOORBELL_ID_MIN && s->fw.queues[db].registered) {
				s->fw.queues[db].active = true;
				/* It may have moved since the running job was taken. */
				s->fw.queues[db].tail_seen = TAIL_UNKNOWN;
				sim_hws_doorbell(s, db);
			} else
				sim_guest_error(s, "doorbell %u rung without a registered queue",
						db);
		}
	}
}

/* The lowest doorbell in [from, to] with its bit set in queue_map, or SIM_DOORBELLS. */
static uint32_t next_queue(const uint64_t *map, uint32_t from, uint32_t to)
{
	while (from <= to) {
		uint64_t w = map[from / 64] >> (from % 64);

		if (w) {
			uint32_t db = from + (uint32_t)__builtin_ctzll(w);

			return db <= to ? db : SIM_DOORBELLS;
		}
		from = (from | 63u) + 1;
	}
	return SIM_DOORBELLS;
}

bool sim_jobs_run(struct npu_sim *s)
{
	unsigned budget = STEP_BUDGET;
	uint64_t start = 0, now; /* the slice's start: the first check's time */
	uint64_t *map = s->fw.queue_map;
	bool progress, wait, first_step = true;

	if (sim_hws_on(&s->fw.hws))
		return sim_hws_run(s);
	sim_jobs_take_doorbells(s);
	do {
		/* Round robin from where the last slice ended: no queue starves the others. */
		uint32_t first =
		    NPU_DOORBELL_ID_MIN + s->fw.rr_next % (SIM_DOORBELLS - NPU_DOORBELL_ID_MIN);

		progress = wait = false;
		for (unsigned part = 0; part < 2; part++) {
			uint32_t lo = part ? NPU_DOORBELL_ID_MIN : first;
			uint32_t hi = part ? first - 1 : SIM_DOORBELLS - 1;

			for (uint32_t db = next_queue(map, lo, hi); db < SIM_DOORBELLS;
			     db = next_queue(map, db + 1, hi)) {
				struct sim_queue *q = &s->fw.queues[db];

				if (!q->registered) {
					map[db / 64] &= ~(1ull << (db % 64));
					continue;
				}
				if (!(q->active || q->running))
					continue;
				/*
				 * Before each step but the first, whether the slice is
				 * over: not after each, which would read the clock once
				 * more after the last job, before the host gets the lock.
				 */
				if (!first_step) {
					now = sim_now_ns();
					if (!start)
						start = now;
					if (--budget == 0 || now >= start + STEP_TIME_NS ||
					    (sim_host_waiting(s) && now >= start + SLICE_MIN_NS)) {
						s->fw.rr_next =
						    (db - NPU_DOORBELL_ID_MIN) %
						    (SIM_DOORBELLS - NPU_DOORBELL_ID_MIN);
						s->fw.yield = true;
						return true;
					}
				}
				first_step = false;
				switch (sim_jobs_step(s, db, q)) {
				case STEP_PROGRESS:
					progress = true;
					break;
				case STEP_WAIT:
					wait = true;
					break;
				case STEP_IDLE:
					break;
				}
			}
		}
	} while (progress);
	return wait;
}

bool sim_jobs_busy(struct npu_sim *s)
{
	for (uint32_t w = 0; w < SIM_DOORBELLS / 32; w++) {
		if (atomic_load_explicit(&s->fw.doorbells_rung[w], memory_order_relaxed))
			return true; /* a submit the firmware has not looked at yet */
	}
	for (uint32_t db = next_queue(s->fw.queue_map, 0, SIM_DOORBELLS - 1); db < SIM_DOORBELLS;
	     db = next_queue(s->fw.queue_map, db + 1, SIM_DOORBELLS - 1)) {
		const struct sim_queue *q = &s->fw.queues[db];

		if (q->registered && (q->running || q->active))
			return true;
	}
	return false;
}

void sim_jobs_reset(struct npu_sim *s)
{
	for (uint32_t db = 0; db < SIM_DOORBELLS; db++)
		queue_forget(&s->fw.queues[db]);
	for (uint32_t w = 0; w < SIM_DOORBELLS / 32; w++)
		atomic_store_explicit(&s->fw.doorbells_rung[w], 0u, memory_order_relaxed);
	s->fw.hung = false;
}
