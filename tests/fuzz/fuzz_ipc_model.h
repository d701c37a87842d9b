/* SPDX-License-Identifier: MIT */
/*
 * Part of fuzz_ipc.c, and included by it only: the target's model of the rules
 * ipc.c and job.c document, kept in step with what the input makes the device
 * write (the RX shadow, the FIFO entries pending), and the checks of the
 * driver against it and against the invariants listed in fuzz_ipc.c.
 */
#ifndef NPU_TEST_FUZZ_IPC_MODEL_H
#define NPU_TEST_FUZZ_IPC_MODEL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/job.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "sim/sim_test.h"

#include "fuzz_ipc_env.h"

/* The request id the driver gives its next request (ipc.c: from 1, never 0). */
static uint32_t next_request_id(void)
{
	uint32_t id = rig.d.ipc.next_request_id + 1;

	return id ? id : 1;
}

/* ---- the device side (model lock held) ---- */

static void rx_put(size_t off, const void *src, size_t len)
{
	memcpy((uint8_t *)rig.d.ipc_rx.dma.cpu + off, src, len);
	memcpy(rig.rx_shadow + off, src, len);
}

static void push(uint32_t va)
{
	if (npu_sim_test_post_to_host(rig.s, va) == 0) {
		trap_unless(rig.n_pending < NPU_SIM_FIFO_DEPTH);
		rig.pending[rig.n_pending++] = va;
	}
}

static void hdr_make(struct npu_ipc_hdr *h, uint32_t data_addr, uint16_t channel)
{
	memset(h, 0, sizeof(*h));
	h->data_addr = data_addr;
	h->data_size = MSG_SIZE;
	h->channel = channel;
	h->src_node = NPU_IPC_NODE_VPU;
	h->dst_node = NPU_IPC_NODE_HOST;
	h->status = NPU_IPC_HDR_ALLOCATED;
}

/* ---- the model of the driver (ipc.c rx_one/rx_dispatch, job.c drv_job_done) ---- */

static struct jobs_view *view_by_ssid(uint32_t ssid, struct npu_ctx **c)
{
	for (unsigned i = 0; i < N_CTX; i++) {
		if (rig.ctx[i]->ssid == ssid) {
			*c = rig.ctx[i];
			return &rig.want[i];
		}
	}
	return NULL;
}

static void view_complete(struct jobs_view *v, struct npu_job *job, uint32_t status)
{
	if (job->state != NPU_JOB_QUEUED)
		return;
	job->state = NPU_JOB_DONE;
	job->status = status;
	v->queued--;
	if (status == NPU_JSM_STATUS_SUCCESS)
		v->completed++;
	else
		v->failed++;
}

static void model_job_done(const struct npu_jsm_msg *m)
{
	struct npu_jsm_job_done p;
	struct npu_ctx *c = NULL;
	struct jobs_view *v;
	struct npu_job *job;

	memcpy(&p, &m->payload.job_done, sizeof(p));
	if (m->result != NPU_JSM_STATUS_SUCCESS)
		return;
	v = view_by_ssid(p.host_ssid, &c);
	if (!v)
		return;
	job = &v->jobs[p.job_id & 0xFFu];
	if ((p.job_id >> 8) + 1 != c->id || job->state != NPU_JOB_QUEUED || job->id != p.job_id)
		return;
	if (p.job_status == NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW) {
		v->faulted = true;
		for (unsigned i = 0; i < NPU_JOBS_PER_CTX; i++)
			view_complete(v, &v->jobs[i], NPU_JOB_STATUS_ABORTED);
		return;
	}
	view_complete(v, job, v->faulted ? NPU_JOB_STATUS_ABORTED : p.job_status);
}

/* One FIFO entry, in the order the driver pops them; releases go to the shadow. */
static void model_entry(uint32_t hdr_va)
{
	const uint64_t base = rig.d.ipc_rx.va;
	struct npu_ipc_stats *w = &rig.stats_want;
	struct npu_ipc_hdr h;
	struct npu_jsm_msg m;
	uint64_t ho, mo;

	if (hdr_va < base || hdr_va - base > HDR_AREA - HDR_SIZE || (hdr_va - base) % 64) {
		w->rx_dropped++;
		return;
	}
	ho = hdr_va - base;
	memcpy(&h, rig.rx_shadow + ho, sizeof(h));
	if ((h.channel != NPU_IPC_CHAN_ASYNC_CMD && h.channel != NPU_IPC_CHAN_GEN_CMD &&
	     h.channel != NPU_IPC_CHAN_JOB_RET) ||
	    h.data_size != MSG_SIZE || h.data_addr < base ||
	    h.data_addr - base > RX_SIZE - MSG_SIZE || (h.data_addr - base) % 64) {
		rig.rx_shadow[ho + offsetof(struct npu_ipc_hdr, status)] = NPU_IPC_HDR_FREE;
		w->rx_dropped++;
		return;
	}
	mo = h.data_addr - base;
	memcpy(&m, rig.rx_shadow + mo, sizeof(m));
	memset(rig.rx_shadow + mo + offsetof(struct npu_jsm_msg, status), 0, 4);
	rig.rx_shadow[ho + offsetof(struct npu_ipc_hdr, status)] = NPU_IPC_HDR_FREE;
	if (h.channel == NPU_IPC_CHAN_JOB_RET) {
		if (m.type != NPU_JSM_MSG_JOB_DONE) {
			w->rx_dropped++;
			return;
		}
		w->rx++;
		w->job_done++;
		model_job_done(&m);
		return;
	}
	if (rig.waiting && !rig.replied && h.channel == rig.wait_channel &&
	    m.request_id == rig.wait_id) {
		rig.reply = m;
		rig.replied = true;
		w->rx++;
		return;
	}
	w->rx_dropped++;
}

/* After the driver drained: the FIFO is empty and every entry it held is accounted for. */
static void model_drained(void)
{
	npu_sim_test_lock(rig.s);
	trap_unless(npu_sim_test_host_pending(rig.s) == 0);
	npu_sim_test_unlock(rig.s);
	for (unsigned i = 0; i < rig.n_pending; i++)
		model_entry(rig.pending[i]);
	rig.n_pending = 0;
}

/* ---- requests, and the checks of the driver against the model ---- */

/*
 * The firmware's side of a request: the one TX slot the driver filled, read
 * from the host-to-NPU FIFO, checked against docs/firmware-protocol.md §1.4 and released.
 * Nothing else in the TX buffer may have changed.
 */
static void tx_check(uint16_t channel, uint32_t id)
{
	uint8_t *tx = rig.d.ipc_tx.dma.cpu;
	struct npu_ipc_hdr h;
	struct npu_jsm_msg m;
	uint32_t va = 0, off;

	npu_sim_test_lock(rig.s);
	trap_unless(npu_sim_test_fw_pending(rig.s) == 1 && npu_sim_test_fw_take(rig.s, &va) == 0);
	trap_unless(va >= rig.d.ipc_tx.va && va - rig.d.ipc_tx.va < TX_SIZE);
	off = (uint32_t)(va - rig.d.ipc_tx.va);
	trap_unless(off % NPU_IPC_TX_SLOT_SIZE == 0 && off / NPU_IPC_TX_SLOT_SIZE < TX_SLOTS);
	memcpy(&h, tx + off, sizeof(h));
	memcpy(&m, tx + off + HDR_SIZE, sizeof(m));
	trap_unless(h.data_addr == va + HDR_SIZE && h.data_size == MSG_SIZE &&
		    h.channel == channel && h.status == NPU_IPC_HDR_ALLOCATED);
	trap_unless(m.type == NPU_JSM_MSG_QUERY_ENGINE_HB && m.status == NPU_JSM_MSG_ALLOCATED &&
		    m.request_id == id);
	trap_unless(memcmp(tx, rig.tx_shadow, off) == 0);
	trap_unless(memcmp(tx + off + NPU_IPC_TX_SLOT_SIZE,
			   rig.tx_shadow + off + NPU_IPC_TX_SLOT_SIZE,
			   TX_SIZE - off - NPU_IPC_TX_SLOT_SIZE) == 0);
	tx[off + offsetof(struct npu_ipc_hdr, status)] = NPU_IPC_HDR_FREE;
	memset(tx + off + HDR_SIZE + offsetof(struct npu_jsm_msg, status), 0, 4);
	memcpy(rig.tx_shadow, tx, TX_SIZE);
	npu_sim_test_unlock(rig.s);
}

/*
 * QUERY_ENGINE_HB on channel `channel`, with `reply` posted first (header in
 * header slot hslot, message in payload slot mslot) unless it is NULL. The
 * result must be what the reply (or its absence) warrants.
 */
static void request(uint16_t channel, const struct npu_jsm_msg *reply, uint16_t reply_channel,
		    unsigned hslot, unsigned mslot)
{
	const struct npu_jsm_engine_reset p = { .engine_idx = NPU_JSM_ENGINE_COMPUTE };
	uint32_t id = next_request_id();
	struct npu_jsm_msg got;
	int ret, want;

	if (reply) {
		size_t hoff = hslot * HDR_SIZE, moff = PAYLOAD_OFF + mslot * MSG_SIZE;
		struct npu_ipc_hdr h;

		hdr_make(&h, (uint32_t)(rig.d.ipc_rx.va + moff), reply_channel);
		npu_sim_test_lock(rig.s);
		rx_put(moff, reply, sizeof(*reply));
		rx_put(hoff, &h, sizeof(h));
		push((uint32_t)(rig.d.ipc_rx.va + hoff));
		npu_sim_test_unlock(rig.s);
	}
	rig.waiting = true;
	rig.replied = false;
	rig.wait_channel = channel;
	rig.wait_id = id;
	memset(&got, 0, sizeof(got));
	ret = drv_ipc_request(&rig.d, channel, NPU_JSM_MSG_QUERY_ENGINE_HB, &p, sizeof(p),
			      NPU_JSM_MSG_QUERY_ENGINE_HB_DONE, &got, REQUEST_US);
	model_drained();
	rig.waiting = false;
	rig.stats_want.tx++;
	if (!rig.replied) {
		want = -ETIMEDOUT;
		rig.stats_want.timeouts++;
	} else if (rig.reply.type != NPU_JSM_MSG_QUERY_ENGINE_HB_DONE) {
		want = -EBADE;
	} else if (rig.reply.result != NPU_JSM_STATUS_SUCCESS) {
		want = -EBADMSG;
	} else {
		want = 0;
	}
	trap_unless(ret == want);
	if (rig.replied)
		trap_unless(memcmp(&got, &rig.reply, sizeof(got)) == 0);
	trap_unless(!rig.d.ipc.waiting);
	tx_check(channel, id);
}

/* The job tables against the model, and against set-up: only queued jobs may have ended. */
static void jobs_check(void)
{
	for (unsigned i = 0; i < N_CTX; i++) {
		const struct npu_ctx *c = rig.ctx[i];
		const struct jobs_view *w = &rig.want[i], *g = &rig.golden[i];
		uint32_t ended = 0;

		for (unsigned k = 0; k < NPU_JOBS_PER_CTX; k++) {
			const struct npu_job *j = &c->jobs[k], *gj = &g->jobs[k];

			trap_unless(j->state == w->jobs[k].state && j->id == w->jobs[k].id &&
				    j->status == w->jobs[k].status);
			trap_unless(j->id == gj->id && j->submit_ns == gj->submit_ns);
			if (j->state == gj->state)
				continue;
			trap_unless(gj->state == NPU_JOB_QUEUED && j->state == NPU_JOB_DONE);
			ended++;
		}
		trap_unless(c->queued == w->queued && c->queued + ended == g->queued);
		trap_unless(c->faulted == w->faulted && c->jobs_completed == w->completed &&
			    c->jobs_failed == w->failed);
		trap_unless(c->jobs_completed + c->jobs_failed == g->completed + g->failed + ended);
	}
}

/* The device still answers: a clean RX buffer and the right reply give 0. */
static void usable_check(void)
{
	struct npu_jsm_msg r;

	memset(&r, 0, sizeof(r));
	r.type = NPU_JSM_MSG_QUERY_ENGINE_HB_DONE;
	r.status = NPU_JSM_MSG_ALLOCATED;
	r.request_id = next_request_id();
	r.payload.query_engine_hb_done.heartbeat = 42;
	npu_sim_test_lock(rig.s);
	memset(rig.d.ipc_rx.dma.cpu, 0, RX_SIZE);
	memset(rig.rx_shadow, 0, RX_SIZE);
	npu_sim_test_unlock(rig.s);
	request(NPU_IPC_CHAN_ASYNC_CMD, &r, NPU_IPC_CHAN_ASYNC_CMD, 0, 0);
	trap_unless(rig.replied && rig.reply.payload.query_engine_hb_done.heartbeat == 42);
}

static void stats_check(void)
{
	const struct npu_ipc_stats *now = &rig.d.ipc.stats, *s0 = &rig.stats0, *w = &rig.stats_want;

	trap_unless(now->tx - s0->tx == w->tx && now->rx - s0->rx == w->rx &&
		    now->rx_dropped - s0->rx_dropped == w->rx_dropped &&
		    now->timeouts - s0->timeouts == w->timeouts &&
		    now->job_done - s0->job_done == w->job_done);
}

#endif /* NPU_TEST_FUZZ_IPC_MODEL_H */
