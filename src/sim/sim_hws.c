/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's hardware scheduler (sim_hws.h): the HWS requests
 * of docs/firmware-protocol.md §2.3/§2.4 (Intel vpu_jsm_api.h) and the
 * scheduling of command queues by priority band.
 *
 * Where the API leaves the firmware's answer open, the model answers (and
 * docs/simulator.md lists): a request of the other scheduling mode (HWS
 * requests under OS scheduling, REGISTER_DB under HWS) PROCESSING_ERR; a
 * queue or context it does not know, a doorbell already registered, a value
 * out of the API's range PROCESSING_ERR; no room for another command queue
 * MVNCI_OUT_OF_RESOURCES. Asynchronous messages (the scheduling log's
 * notification, a deferred SUSPEND_CMDQ_DONE) go out on channel 0.
 */
#include "sim/sim_hws.h"

#include <stddef.h>
#include <string.h>

#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "sim/sim_internal.h"
#include "sim/sim_jobs.h"
#include "util/bytes.h"
#include "util/log.h"

#define UNITS_NS       100u /* the API's time unit */
#define LOG_HDR_SIZE   32u
#define LOG_ENTRY_SIZE 32u
#define SAVE_MAGIC     0x50524D54u /* "TMRP" */
#define SAVE_SIZE      48u

/* Scheduling log operation types (vpu_hws_log_buffer_entry). */
enum log_op {
	LOG_STATE_CHANGE = 0,
	LOG_NEW_WORK = 1,
	LOG_NO_MORE_WORK = 3,
};

/* Linux ivpu_hw.c's band values, as a firmware that was never set up would use its own. */
static const uint32_t default_grace[SIM_HWS_BANDS] = { 0, 50000, 50000, 0 };
static const uint32_t default_quantum[SIM_HWS_BANDS] = { 160000, 300000, 200000, 200000 };

void sim_hws_reset(struct npu_sim *s)
{
	struct sim_hws *h = &s->fw.hws;
	uint32_t mode = h->mode;

	memset(h, 0, sizeof(*h));
	h->mode = mode;
	memcpy(h->grace, default_grace, sizeof(h->grace));
	memcpy(h->quantum, default_quantum, sizeof(h->quantum));
	for (unsigned b = 0; b < SIM_HWS_BANDS; b++)
		h->process_grace[b] = 50000;
	h->normal_band_percentage = 10;
}

void sim_hws_boot(struct npu_sim *s, const struct npu_boot_params *bp)
{
	s->fw.hws.mode = bp->vpu_scheduling_mode;
	sim_hws_reset(s);
	s->fw.hws.focus_present_timer_ms = bp->vpu_focus_present_timer_ms;
	if (bp->vpu_scheduling_mode > NPU_BOOT_SCHED_MODE_HW)
		sim_guest_error(s, "boot parameter vpu_scheduling_mode %u: OS scheduling used",
				bp->vpu_scheduling_mode);
}

static struct sim_hws_cmdq *cmdq_of(struct npu_sim *s, uint32_t db)
{
	uint32_t i = s->fw.queues[db].hws_cmdq;

	return i ? &s->fw.hws.q[i - 1] : NULL;
}

uint64_t sim_hws_cmdq_id(const struct npu_sim *s, uint32_t db)
{
	uint32_t i = s->fw.queues[db].hws_cmdq;

	return i ? s->fw.hws.q[i - 1].cmdq_id : 0;
}

struct sim_hws_cmdq *sim_hws_cmdq_find(struct npu_sim *s, uint32_t ssid, uint64_t id)
{
	for (unsigned i = 0; i < SIM_HWS_CMDQS; i++) {
		struct sim_hws_cmdq *c = &s->fw.hws.q[i];

		if (c->used && c->ssid == ssid && c->cmdq_id == id)
			return c;
	}
	return NULL;
}

/* ---- scheduling log ---- */

static void log_entry(struct npu_sim *s, uint32_t op, uint64_t d0, uint64_t d1)
{
	struct sim_hws *h = &s->fw.hws;
	uint8_t e[LOG_ENTRY_SIZE] = { 0 }, hdr[8];
	uint64_t idx = h->log_next;
	struct npu_jsm_msg msg;

	if (!h->log_va)
		return;
	npu_put_le64(e, sim_ip_perf_ticks(s));
	npu_put_le32(e + 8, op);
	npu_put_le64(e + 16, d0);
	npu_put_le64(e + 24, d1);
	if (sim_mmu_access(s, h->log_ssid, h->log_va + LOG_HDR_SIZE + idx * LOG_ENTRY_SIZE, e,
			   sizeof(e), true)) {
		sim_guest_error(s, "HWS scheduling log at 0x%llx unwritable: logging stops",
				(unsigned long long)h->log_va);
		h->log_va = 0;
		return;
	}
	h->log_next = idx + 1 == h->log_entries ? 0 : idx + 1;
	if (!h->log_next)
		h->log_wraps++;
	npu_put_le32(hdr, (uint32_t)h->log_next);
	npu_put_le32(hdr + 4, h->log_wraps);
	if (sim_mmu_access(s, h->log_ssid, h->log_va, hdr, sizeof(hdr), true))
		h->log_va = 0;
	if (idx != h->log_notify)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = NPU_JSM_MSG_HWS_SCHEDULING_LOG_NOTIFICATION;
	msg.payload.engine_reset.engine_idx = NPU_JSM_ENGINE_COMPUTE;
	if (sim_fw_post_msg(s, NPU_IPC_CHAN_ASYNC_CMD, &msg))
		npu_dbg(SIM, "firmware: scheduling log notification lost");
}

void sim_hws_log_state(struct npu_sim *s, uint32_t db, unsigned st)
{
	struct sim_hws_cmdq *c = cmdq_of(s, db);

	if (c)
		log_entry(s, LOG_STATE_CHANGE, c->cmdq_id, (uint64_t)c->ssid << 32 | st);
}

void sim_hws_doorbell(struct npu_sim *s, uint32_t db)
{
	struct sim_hws_cmdq *c = cmdq_of(s, db);

	if (c)
		log_entry(s, LOG_NEW_WORK, c->cmdq_id, c->ssid);
}

/* ---- preemption (docs/firmware-protocol.md §3.8) ---- */

/* The primary buffer's smallest size: the firmware header's, at least the model's record. */
static uint32_t preempt_min(const struct npu_sim *s)
{
	uint32_t v = 0;

	if (s->rom.file &&
	    s->rom.file_size >= offsetof(struct npu_fw_header, preemption_buffer_1_size) + 4)
		v = npu_le32(s->rom.file +
			     offsetof(struct npu_fw_header, preemption_buffer_1_size));
	return v > SAVE_SIZE ? v : SAVE_SIZE;
}

/*
 * Saves db's running job at the command boundary it stands at into its
 * primary preemption buffer (in the job's context). False when it cannot be
 * preempted: no buffer, one smaller than the firmware asks, or unwritable.
 */
bool sim_hws_preempt(struct npu_sim *s, uint32_t db, struct sim_queue *q)
{
	uint8_t r[SAVE_SIZE] = { 0 };

	if (!q->running || q->preempted || !q->cmd.started)
		return true; /* nothing in flight: the engine is free */
	if (!q->preempt_va || q->preempt_size < preempt_min(s))
		return false;
	npu_put_le32(r, SAVE_MAGIC);
	npu_put_le32(r + 4, q->job_id);
	npu_put_le64(r + 8, q->cmd.batch_va);
	npu_put_le32(r + 16, q->cmd.offset);
	npu_put_le32(r + 20, q->cmd.end);
	npu_put_le64(r + 24, q->cmd.fence_base);
	npu_put_le64(r + 32, q->cmd.desc_base);
	npu_put_le64(r + 40, q->cmd.commands);
	if (sim_mmu_access(s, q->ssid, q->preempt_va, r, sizeof(r), true)) {
		sim_guest_error(s, "doorbell %u: preemption buffer 0x%llx unwritable", db,
				(unsigned long long)q->preempt_va);
		return false;
	}
	memset(&q->cmd, 0, sizeof(q->cmd));
	q->preempted = true;
	s->fw.hws.preemptions++;
	sim_hws_log_state(s, db, SIM_HWS_STATE_PREEMPTED);
	npu_trace(SIM, "firmware: job 0x%x of doorbell %u preempted", q->job_id, db);
	return true;
}

/* Restores a preempted job from its buffer; false (the job ended) when the record is gone. */
static bool resume(struct npu_sim *s, uint32_t db, struct sim_queue *q)
{
	uint8_t r[SAVE_SIZE];

	q->preempted = false;
	if (sim_mmu_access(s, q->ssid, q->preempt_va, r, sizeof(r), false) ||
	    npu_le32(r) != SAVE_MAGIC || npu_le32(r + 4) != q->job_id) {
		sim_guest_error(s, "doorbell %u: job 0x%x's preemption record is gone", db,
				q->job_id);
		sim_jobs_end(s, db, q, NPU_JSM_STATUS_MVNCI_INTERNAL_ERROR);
		return false;
	}
	q->cmd.batch_va = npu_le64(r + 8);
	q->cmd.started = true;
	q->cmd.offset = npu_le32(r + 16);
	q->cmd.end = npu_le32(r + 20);
	q->cmd.fence_base = npu_le64(r + 24);
	q->cmd.desc_base = npu_le64(r + 32);
	q->cmd.commands = npu_le64(r + 40);
	if (q->cmd.offset > q->cmd.end || q->cmd.end > SIM_CMD_BUFFER_SIZE_MAX) {
		sim_jobs_end(s, db, q, NPU_JSM_STATUS_MVNCI_INTERNAL_ERROR);
		return false;
	}
	s->fw.hws.resumptions++;
	sim_hws_log_state(s, db, SIM_HWS_STATE_RESUMED);
	return true;
}

/* ---- the scheduler ---- */

static bool runnable(struct npu_sim *s, uint32_t db, const uint64_t *waited)
{
	const struct sim_queue *q = &s->fw.queues[db];
	const struct sim_hws_cmdq *c;

	if (!q->registered || !q->hws_cmdq || !(q->active || q->running))
		return false;
	if (waited[db / 64] >> (db % 64) & 1u)
		return false;
	c = &s->fw.hws.q[q->hws_cmdq - 1];
	return !c->suspended;
}

/*
 * The doorbells registered at some point (queue_map, cleared lazily by the OS
 * scheduler; runnable() checks): the lowest in [from, 255], or 0. A scan of
 * the map's set bits costs what the few registered queues cost, not 255.
 */
static uint32_t next_registered(const struct npu_sim *s, uint32_t from)
{
	const uint64_t *map = s->fw.queue_map;

	while (from < SIM_DOORBELLS) {
		uint64_t w = map[from / 64] >> (from % 64);

		if (w)
			return from + (uint32_t)__builtin_ctzll(w);
		from = (from | 63u) + 1;
	}
	return 0;
}

/* The next runnable doorbell of band after `after` (round robin), or 0. */
static uint32_t next_in_band(struct npu_sim *s, uint32_t band, uint32_t after,
			     const uint64_t *waited)
{
	/* After `after` first, then from the start up to it. */
	for (int pass = 0; pass < 2; pass++) {
		uint32_t db = next_registered(s, pass ? NPU_DOORBELL_ID_MIN : after + 1);

		for (; db && (pass == 0 || db <= after); db = next_registered(s, db + 1)) {
			if (runnable(s, db, waited) && cmdq_of(s, db)->band == band)
				return db;
		}
	}
	return 0;
}

/*
 * Gives the engine to db; false when the current job cannot be preempted. A
 * job blocked on a fence is saved like any other when it has a buffer; one
 * without keeps its place in the firmware's memory (it holds no engine).
 */
static bool switch_to(struct npu_sim *s, uint32_t db, uint64_t now, const uint64_t *waited)
{
	struct sim_hws *h = &s->fw.hws;
	uint32_t cur = h->current;

	if (cur && cur != db && !sim_hws_preempt(s, cur, &s->fw.queues[cur]) &&
	    !(waited[cur / 64] >> (cur % 64) & 1u))
		return false;
	h->current = db;
	h->slice_start_ns = now;
	h->contend_ns = 0;
	h->rr_next[cmdq_of(s, db)->band] = db;
	sim_hws_log_state(s, db, SIM_HWS_STATE_RUNNING);
	return true;
}

/*
 * Which queue runs next: the highest band with work. The current queue keeps
 * the engine while it is of that band until its quantum (and the process
 * grace period) is over and another queue of its band waits; a current queue
 * of a lower band keeps it for the grace period of the waiting band.
 */
static uint32_t pick(struct npu_sim *s, const uint64_t *waited, uint64_t now)
{
	struct sim_hws *h = &s->fw.hws;
	uint32_t cur = h->current, best = 0;
	int top = -1;

	for (uint32_t db = next_registered(s, NPU_DOORBELL_ID_MIN); db;
	     db = next_registered(s, db + 1)) {
		if (runnable(s, db, waited) && (int)cmdq_of(s, db)->band > top)
			top = (int)cmdq_of(s, db)->band;
	}
	if (top < 0)
		return 0;
	if (cur && runnable(s, cur, waited)) {
		const struct sim_hws_cmdq *c = cmdq_of(s, cur);

		if ((int)c->band >= top) {
			uint32_t next = next_in_band(s, c->band, cur, waited);
			/*
			 * Between queues of one process its context quantum; between
			 * processes the band's process quantum and grace period.
			 */
			bool same = next && next != cur && cmdq_of(s, next)->pid == c->pid;
			uint64_t q = same && c->quantum ? c->quantum
							: (uint64_t)h->quantum[c->band] +
							      h->process_grace[c->band];

			h->contend_ns = 0;
			if (!next || next == cur || now - h->slice_start_ns < q * UNITS_NS)
				return cur;
			if (switch_to(s, next, now, waited))
				return next;
			h->slice_start_ns = now; /* alone in its band, or not preemptible */
			return cur;
		}
		if (!h->contend_ns)
			h->contend_ns = now;
		if (now - h->contend_ns < (uint64_t)h->grace[top] * UNITS_NS)
			return cur;
	}
	best = next_in_band(s, (uint32_t)top, h->rr_next[top], waited);
	if (best && !switch_to(s, best, now, waited))
		return cur && runnable(s, cur, waited) ? cur : 0;
	return best;
}

/* db's queue is empty: logged, and the engine is free for whoever comes. */
static void no_more_work(struct npu_sim *s, uint32_t db)
{
	log_entry(s, LOG_NO_MORE_WORK, sim_hws_cmdq_id(s, db), s->fw.queues[db].ssid);
	if (s->fw.hws.current == db)
		s->fw.hws.current = 0;
}

bool sim_hws_run(struct npu_sim *s)
{
	struct sim_hws *h = &s->fw.hws;
	uint64_t waited[SIM_DOORBELLS / 64] = { 0 };
	uint64_t start = sim_now_ns(), now = start;
	bool wait = false;

	sim_jobs_take_doorbells(s);
	if (h->engine_stopped)
		return false;
	for (unsigned steps = 0;; steps++) {
		uint32_t db;
		struct sim_queue *q;

		if (steps) {
			now = sim_now_ns();
			if (now >= start + 1000000u ||
			    (sim_host_waiting(s) && now >= start + 20000u)) {
				s->fw.yield = true;
				return true;
			}
			sim_jobs_take_doorbells(s);
		}
		db = pick(s, waited, now);
		if (!db)
			break;
		q = &s->fw.queues[db];
		if (q->preempted && !resume(s, db, q))
			continue;
		switch (sim_jobs_step(s, db, q)) {
		case STEP_PROGRESS:
			memset(waited, 0, sizeof(waited));
			if (!q->running && !q->active)
				no_more_work(s, db);
			break;
		case STEP_WAIT:
			waited[db / 64] |= 1ull << (db % 64);
			wait = true;
			break;
		case STEP_IDLE:
			if (!q->running) {
				no_more_work(s, db);
			} else {
				waited[db / 64] |= 1ull << (db % 64); /* hung by fault injection */
			}
			break;
		}
	}
	return wait;
}

void sim_hws_suspend_msg(const struct sim_hws_cmdq *c, struct npu_jsm_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = NPU_JSM_MSG_HWS_SUSPEND_CMDQ_DONE;
	msg->request_id = c->suspend_request;
	npu_put_le32(msg->payload.raw, c->ssid);
	npu_put_le64(msg->payload.raw + 8, c->cmdq_id);
	npu_put_le64(msg->payload.raw + 16, c->suspend_fence);
}

void sim_hws_job_ended(struct npu_sim *s, uint32_t db)
{
	struct sim_hws_cmdq *c = cmdq_of(s, db);
	struct npu_jsm_msg msg;

	if (!c || !c->suspend_pending)
		return;
	c->suspend_pending = false;
	sim_hws_suspend_msg(c, &msg);
	sim_hws_log_state(s, db, SIM_HWS_STATE_SUSPENDED);
	if (sim_fw_post_msg(s, NPU_IPC_CHAN_ASYNC_CMD, &msg))
		npu_dbg(SIM, "firmware: SUSPEND_CMDQ_DONE lost");
}

/* ---- queues and doorbells going away ---- */

void sim_hws_cmdq_free(struct npu_sim *s, struct sim_hws_cmdq *c)
{
	if (c->db) {
		if (s->fw.hws.current == c->db)
			s->fw.hws.current = 0;
		sim_jobs_unregister(s, c->db);
	}
	memset(c, 0, sizeof(*c));
}

void sim_hws_db_gone(struct npu_sim *s, uint32_t db)
{
	for (unsigned i = 0; i < SIM_HWS_CMDQS; i++) {
		if (s->fw.hws.q[i].used && s->fw.hws.q[i].db == db)
			s->fw.hws.q[i].db = 0;
	}
	if (s->fw.hws.current == db)
		s->fw.hws.current = 0;
}

void sim_hws_ssid_gone(struct npu_sim *s, uint32_t ssid)
{
	for (unsigned i = 0; i < SIM_HWS_CMDQS; i++) {
		if (s->fw.hws.q[i].used && s->fw.hws.q[i].ssid == ssid)
			sim_hws_cmdq_free(s, &s->fw.hws.q[i]);
	}
}

void sim_hws_engine_reset(struct npu_sim *s)
{
	s->fw.hws.engine_stopped = true;
	s->fw.hws.current = 0;
	for (unsigned i = 0; i < SIM_HWS_CMDQS; i++)
		s->fw.hws.q[i].suspend_pending = false;
}
