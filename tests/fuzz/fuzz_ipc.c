/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the driver's receive path: everything the device writes
 * (protocol.md §1.5, §2.1, §3.6). src/driver/ipc.c pops header addresses from
 * the NPU-to-host FIFO and checks and dispatches what they point at;
 * src/driver/job.c takes JOB_DONE; src/driver/irq.c services the interrupt.
 *
 * One simulated 37xx NPU is booted once with the synthetic image. Context 1
 * (SSID 2) has job 0x0 done and jobs 0x1..0x3 queued, context 2 (SSID 3) has
 * jobs 0x100..0x102 queued, all blocked on fences nobody sets. Then the
 * model's firmware is silenced and the input plays a hostile firmware, as
 * tests/unit/test_ipc.c does: with the model's lock held it writes IPC
 * headers, JSM messages and raw bytes anywhere in the driver's RX buffer and
 * pushes arbitrary 32-bit values into the FIFO; between records it lets the
 * driver drain (npu_ipc_drain, npu_irq_handle or npu_irq_wait) or sends a
 * QUERY_ENGINE_HB whose reply (right or wrong) it posted beforehand.
 *
 * An input is a list of records: one byte of kind, then the kind's fields,
 * little-endian; a short input reads as zeros. See corpus/ipc/README.
 *
 * The target keeps its own model of the rules ipc.c and job.c document (which
 * entries are dropped, which slots are released, which reply the waiter gets,
 * which job ends with which status) and traps when the driver differs from it
 * or breaks an invariant: a byte of the RX buffer changed other than the
 * status of a slot it released, or of the TX buffer outside the one slot a
 * request uses; a write anywhere else in the DMA arena (read-only while
 * fuzzing: it faults); a FIFO left non-empty; a job ended that was not queued
 * under that exact id, or ended otherwise; counters that do not add up; a
 * request result other than the reply warrants; the device no longer READY or
 * no longer answering a request.
 * Every input starts from the same state: the RX buffer zeroed, the job
 * tables as after set-up.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "hw/boot_params.h"
#include "hw/cmd.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_internal.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RX_SIZE	     NPU_IPC_RX_BUF_SIZE
#define TX_SIZE	     NPU_IPC_TX_BUF_SIZE
#define HDR_AREA     NPU_BOOT_IPC_HEADER_AREA_SIZE
#define PAYLOAD_OFF  NPU_BOOT_IPC_PAYLOAD_AREA_OFFSET
#define HDR_SIZE     64u
#define MSG_SIZE     NPU_JSM_MSG_SIZE
#define TX_SLOTS     (TX_SIZE / NPU_IPC_TX_SLOT_SIZE)
#define PAGE	     4096u
#define N_CTX	     2
#define BLOCKED	     3	   /* queued jobs per context */
#define MAX_RECORDS  64	   /* per input */
#define MAX_REQUESTS 3	   /* per input: each unanswered one costs its timeout */
#define REQUEST_US   1000u /* timeout of the input's requests */
#define CMD_SAVE     3072u /* context save area, in the command buffer */

enum op {
	OP_HDR,	     /* an IPC header somewhere in RX */
	OP_MSG,	     /* a JSM message somewhere in RX */
	OP_JOB_DONE, /* a well-formed JOB_DONE: header, message, FIFO entry */
	OP_PUSH,     /* one FIFO entry */
	OP_FLOOD,    /* up to 256 FIFO entries */
	OP_RAW,	     /* up to 64 bytes anywhere in RX */
	OP_DRAIN,    /* the driver services the FIFO */
	OP_REQUEST,  /* the driver sends QUERY_ENGINE_HB; a reply may be waiting */
	OP_COUNT,
};

/* The job table of one context as the target expects it. */
struct jobs_view {
	struct npu_job jobs[NPU_JOBS_PER_CTX];
	uint32_t queued;
	bool faulted;
	uint64_t completed, failed;
};

static struct rig {
	bool up;
	char fwdir[64];
	struct npu_platform *p;
	struct npu_device d;
	struct npu_sim *s;
	struct npu_ctx *ctx[N_CTX];
	uint32_t job_ids[N_CTX * (BLOCKED + 1)];
	unsigned n_job_ids;
	struct npu_ctx golden_ctx[N_CTX]; /* after set-up; every input starts here */
	struct jobs_view golden[N_CTX];	  /* the same, as the model sees it */
	struct jobs_view want[N_CTX];	  /* what the input should have made of it */

	/* What the RX and TX buffers must hold. */
	uint8_t rx_shadow[RX_SIZE];
	uint8_t tx_shadow[TX_SIZE];

	/* FIFO entries pushed and not yet drained, in order. */
	uint32_t pending[SIM_FIFO_DEPTH];
	unsigned n_pending;

	/* The model of the driver's IPC state during the input. */
	struct npu_ipc_stats stats0, stats_want;
	bool waiting, replied;
	uint16_t wait_channel;
	uint32_t wait_id;
	struct npu_jsm_msg reply;
	unsigned requests;
} rig;

static void trap_unless(bool ok)
{
	if (!ok)
		__builtin_trap();
}

/* ---- input ---- */

struct cursor {
	const uint8_t *p;
	size_t left;
};

/* n little-endian bytes (1..4); zeros past the end. */
static uint32_t take(struct cursor *in, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n && in->left; i++, in->left--)
		v |= (uint32_t)*in->p++ << (8 * i);
	return v;
}

/* The request id the driver gives its next request (ipc.c: from 1, never 0). */
static uint32_t next_request_id(void)
{
	uint32_t id = rig.d.ipc.next_request_id + 1;

	return id ? id : 1;
}

/* An NPU address: a header slot, a payload slot, inside RX, around it, in TX, or raw. */
static uint32_t addr_pick(struct cursor *in)
{
	uint8_t mode = (uint8_t)take(in, 1);
	uint32_t v = take(in, 4);
	uint32_t rx = (uint32_t)rig.d.ipc_rx.va, tx = (uint32_t)rig.d.ipc_tx.va;

	switch (mode % 6) {
	case 0:
		return rx + (v % (HDR_AREA / HDR_SIZE)) * HDR_SIZE;
	case 1:
		return rx + PAYLOAD_OFF + (v % ((RX_SIZE - PAYLOAD_OFF) / MSG_SIZE)) * MSG_SIZE;
	case 2:
		return rx + v % RX_SIZE;
	case 3:
		return rx - 2 * RX_SIZE + v % (5 * RX_SIZE);
	case 4:
		return tx + v % TX_SIZE;
	default:
		return v;
	}
}

/* Where len bytes go in RX: a header slot, a payload slot, or any offset where they fit. */
static size_t rx_off_pick(struct cursor *in, size_t len)
{
	uint8_t mode = (uint8_t)take(in, 1);
	uint32_t v = take(in, 2);
	size_t off;

	switch (mode % 3) {
	case 0:
		off = (v % (RX_SIZE / HDR_SIZE)) * HDR_SIZE;
		break;
	case 1:
		off = PAYLOAD_OFF + (v % ((RX_SIZE - PAYLOAD_OFF) / MSG_SIZE)) * MSG_SIZE;
		break;
	default:
		off = v % (RX_SIZE - len + 1);
		break;
	}
	return off > RX_SIZE - len ? RX_SIZE - len : off;
}

/* A job id: one the driver handed out, one in a free slot, of a wrong context, or raw. */
static uint32_t job_pick(struct cursor *in)
{
	uint8_t v = (uint8_t)take(in, 1);

	if (v < 128)
		return rig.job_ids[v % rig.n_job_ids];
	switch (v % 4) {
	case 0:
		return npu_job_id(1, BLOCKED + 1); /* a free slot of context 1 */
	case 1:
		return rig.job_ids[v % rig.n_job_ids] + 0x200u; /* context 3 does not exist */
	case 2:
		return rig.job_ids[v % rig.n_job_ids] ^ 0x100u; /* the other context */
	default:
		return take(in, 4);
	}
}

static uint32_t ssid_pick(struct cursor *in)
{
	static const uint32_t ssids[] = { 2, 3, 2, 3, 4, 0, 1, 65, 66 };
	uint8_t v = (uint8_t)take(in, 1);

	if (v < 16 * (sizeof(ssids) / sizeof(ssids[0])))
		return ssids[v % (sizeof(ssids) / sizeof(ssids[0]))];
	return take(in, 4);
}

/* A JOB_DONE payload (protocol.md §3.6) aimed mostly at the jobs that exist. */
static void job_done_fill(struct cursor *in, struct npu_jsm_job_done *p)
{
	uint8_t e = (uint8_t)take(in, 1), st = (uint8_t)take(in, 1);

	memset(p, 0, sizeof(*p));
	p->engine_idx = e & 1 ? e >> 1 : NPU_JSM_ENGINE_COMPUTE;
	p->db_idx = take(in, 1);
	p->job_id = job_pick(in);
	switch (st % 4) {
	case 0:
		p->job_status = NPU_JSM_STATUS_SUCCESS;
		break;
	case 1:
		p->job_status = NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW;
		break;
	case 2:
		p->job_status = st >> 2;
		break;
	default:
		p->job_status = take(in, 4);
		break;
	}
	p->host_ssid = ssid_pick(in);
}

static void msg_fill(struct cursor *in, struct npu_jsm_msg *m)
{
	uint8_t t = (uint8_t)take(in, 1), id = (uint8_t)take(in, 1), r = (uint8_t)take(in, 1);

	memset(m, 0, sizeof(*m));
	switch (t % 8) {
	case 0:
	case 1:
		m->type = NPU_JSM_MSG_JOB_DONE;
		break;
	case 2:
		m->type = NPU_JSM_MSG_QUERY_ENGINE_HB_DONE;
		break;
	case 3:
		m->type = NPU_JSM_MSG_REGISTER_DB_DONE;
		break;
	case 4:
		m->type = 0x2FFFu;
		break;
	case 5:
		m->type = NPU_JSM_MSG_UNKNOWN;
		break;
	case 6:
		m->type = NPU_JSM_MSG_QUERY_ENGINE_HB; /* a request, sent back */
		break;
	default:
		m->type = take(in, 4);
		break;
	}
	m->status = t & 0x80 ? NPU_JSM_MSG_FREE : NPU_JSM_MSG_ALLOCATED;
	switch (id % 4) {
	case 0:
		m->request_id = 0;
		break;
	case 1:
		m->request_id = next_request_id();
		break;
	case 2:
		m->request_id = next_request_id() - 1;
		break;
	default:
		m->request_id = take(in, 4);
		break;
	}
	m->result = r % 4 == 3 ? r >> 2 : NPU_JSM_STATUS_SUCCESS;
	job_done_fill(in, &m->payload.job_done);
}

/* ---- the device side (model lock held) ---- */

static void rx_put(size_t off, const void *src, size_t len)
{
	memcpy((uint8_t *)rig.d.ipc_rx.dma.cpu + off, src, len);
	memcpy(rig.rx_shadow + off, src, len);
}

static void push(uint32_t va)
{
	if (sim_ip_post_to_host(rig.s, va) == 0) {
		trap_unless(rig.n_pending < SIM_FIFO_DEPTH);
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

static void op_hdr(struct cursor *in)
{
	static const uint16_t channels[] = { NPU_IPC_CHAN_ASYNC_CMD,
					     NPU_IPC_CHAN_ASYNC_CMD,
					     NPU_IPC_CHAN_GEN_CMD,
					     NPU_IPC_CHAN_JOB_RET,
					     NPU_IPC_CHAN_JOB_RET,
					     NPU_IPC_CHAN_BOOT_MSG,
					     12,
					     0 };
	size_t off = rx_off_pick(in, HDR_SIZE);
	uint32_t data_addr = addr_pick(in);
	uint8_t flags = (uint8_t)take(in, 1);
	struct npu_ipc_hdr h;

	hdr_make(&h, data_addr, channels[(flags >> 1) & 7]);
	if (((flags >> 1) & 7) == 7)
		h.channel = (uint16_t)take(in, 2);
	if (flags & 1)
		h.data_size = take(in, 4);
	if (flags & 0x10)
		h.status = NPU_IPC_HDR_FREE;
	rx_put(off, &h, sizeof(h));
}

static void op_msg(struct cursor *in)
{
	size_t off = rx_off_pick(in, MSG_SIZE);
	struct npu_jsm_msg m;

	msg_fill(in, &m);
	rx_put(off, &m, sizeof(m));
}

static void op_job_done(struct cursor *in)
{
	size_t hoff = (take(in, 1) % (HDR_AREA / HDR_SIZE)) * HDR_SIZE;
	size_t moff = PAYLOAD_OFF + (take(in, 1) % ((RX_SIZE - PAYLOAD_OFF) / MSG_SIZE)) * MSG_SIZE;
	struct npu_ipc_hdr h;
	struct npu_jsm_msg m;

	memset(&m, 0, sizeof(m));
	m.type = NPU_JSM_MSG_JOB_DONE;
	m.status = NPU_JSM_MSG_ALLOCATED;
	job_done_fill(in, &m.payload.job_done);
	hdr_make(&h, (uint32_t)(rig.d.ipc_rx.va + moff), NPU_IPC_CHAN_JOB_RET);
	rx_put(moff, &m, sizeof(m));
	rx_put(hoff, &h, sizeof(h));
	push((uint32_t)(rig.d.ipc_rx.va + hoff));
}

static void op_flood(struct cursor *in)
{
	unsigned n = take(in, 1) + 1;
	uint32_t va = addr_pick(in), stride = take(in, 2);

	for (unsigned i = 0; i < n; i++)
		push(va + i * stride);
}

static void op_raw(struct cursor *in)
{
	size_t off = take(in, 2) % RX_SIZE, len = take(in, 1) % 65;
	uint8_t bytes[64];

	if (len > RX_SIZE - off)
		len = RX_SIZE - off;
	for (size_t i = 0; i < len; i++)
		bytes[i] = (uint8_t)take(in, 1);
	rx_put(off, bytes, len);
}

/* ---- the model of the driver (ipc.c rx_one/rx_dispatch, job.c npu_job_done) ---- */

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
	pthread_mutex_lock(&rig.s->lock);
	trap_unless(rig.s->ip.to_host.fill == 0);
	pthread_mutex_unlock(&rig.s->lock);
	for (unsigned i = 0; i < rig.n_pending; i++)
		model_entry(rig.pending[i]);
	rig.n_pending = 0;
}

/* ---- the driver side ---- */

static void op_drain(struct cursor *in)
{
	switch (take(in, 1) % 3) {
	case 0:
		npu_ipc_drain(&rig.d);
		break;
	case 1:
		npu_irq_handle(&rig.d);
		rig.p->ops->irq_ack(rig.p);
		break;
	default:
		/* Entries pending means the interrupt fd is readable: no wait. */
		trap_unless(npu_irq_wait(&rig.d, 0) == 0 || rig.n_pending == 0);
		break;
	}
	model_drained();
}

/*
 * The firmware's side of a request: the one TX slot the driver filled, read
 * from the host-to-NPU FIFO, checked against protocol.md §1.4 and released.
 * Nothing else in the TX buffer may have changed.
 */
static void tx_check(uint16_t channel, uint32_t id)
{
	uint8_t *tx = rig.d.ipc_tx.dma.cpu;
	struct npu_ipc_hdr h;
	struct npu_jsm_msg m;
	uint32_t va = 0, off;

	pthread_mutex_lock(&rig.s->lock);
	trap_unless(rig.s->ip.to_fw.fill == 1 && sim_fifo_pop(&rig.s->ip.to_fw, &va) == 0);
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
	pthread_mutex_unlock(&rig.s->lock);
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
		pthread_mutex_lock(&rig.s->lock);
		rx_put(moff, reply, sizeof(*reply));
		rx_put(hoff, &h, sizeof(h));
		push((uint32_t)(rig.d.ipc_rx.va + hoff));
		pthread_mutex_unlock(&rig.s->lock);
	}
	rig.waiting = true;
	rig.replied = false;
	rig.wait_channel = channel;
	rig.wait_id = id;
	memset(&got, 0, sizeof(got));
	ret = npu_ipc_request(&rig.d, channel, NPU_JSM_MSG_QUERY_ENGINE_HB, &p, sizeof(p),
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

static void op_request(struct cursor *in)
{
	uint8_t flags = (uint8_t)take(in, 1), t = (uint8_t)take(in, 1),
		idsel = (uint8_t)take(in, 1);
	unsigned hslot = take(in, 1) % (HDR_AREA / HDR_SIZE);
	unsigned mslot = take(in, 1) % ((RX_SIZE - PAYLOAD_OFF) / MSG_SIZE);
	uint32_t raw = take(in, 4);
	uint16_t ch = flags & 1 ? NPU_IPC_CHAN_GEN_CMD : NPU_IPC_CHAN_ASYNC_CMD;
	uint16_t reply_ch = ch;
	struct npu_jsm_msg r;

	if (rig.requests++ >= MAX_REQUESTS)
		return;
	memset(&r, 0, sizeof(r));
	r.type = NPU_JSM_MSG_QUERY_ENGINE_HB_DONE;
	r.status = NPU_JSM_MSG_ALLOCATED;
	r.request_id = next_request_id();
	r.payload.query_engine_hb_done.heartbeat = raw;
	switch ((flags >> 2) & 3) {
	case 1:
		reply_ch =
		    ch == NPU_IPC_CHAN_ASYNC_CMD ? NPU_IPC_CHAN_GEN_CMD : NPU_IPC_CHAN_ASYNC_CMD;
		break;
	case 2:
		reply_ch = NPU_IPC_CHAN_JOB_RET;
		break;
	case 3:
		reply_ch = (uint16_t)(raw & 0x3FFu);
		break;
	default:
		break;
	}
	switch (t % 4) {
	case 1:
		r.type = NPU_JSM_MSG_JOB_DONE;
		break;
	case 2:
		r.type = raw;
		break;
	default:
		break;
	}
	r.result = t >= 0x80 ? (t & 0x7Fu) : NPU_JSM_STATUS_SUCCESS;
	switch (idsel % 4) {
	case 1:
		r.request_id--;
		break;
	case 2:
		r.request_id++;
		break;
	case 3:
		r.request_id = raw;
		break;
	default:
		break;
	}
	request(ch, flags & 2 ? NULL : &r, reply_ch, hslot, mslot);
}

/* ---- set-up, checks, tear-down ---- */

static void view_save(struct jobs_view *v, const struct npu_ctx *c)
{
	memcpy(v->jobs, c->jobs, sizeof(v->jobs));
	v->queued = c->queued;
	v->faulted = c->faulted;
	v->completed = c->jobs_completed;
	v->failed = c->jobs_failed;
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

/*
 * Every page of the DMA arena read-only but the RX and TX buffers' (the only
 * ones these paths may write; RX and TX are checked against their shadows):
 * a stray write faults where it happens. The silenced model writes nothing.
 */
static void arena_guard(bool on)
{
	const int rw = PROT_READ | PROT_WRITE;

	trap_unless(mprotect(rig.s->mem, rig.s->mem_size, on ? PROT_READ : rw) == 0);
	if (!on)
		return;
	trap_unless(mprotect(rig.d.ipc_rx.dma.cpu, rig.d.ipc_rx.dma.size, rw) == 0);
	trap_unless(mprotect(rig.d.ipc_tx.dma.cpu, rig.d.ipc_tx.dma.size, rw) == 0);
}

static struct npu_bo *bo_new(struct npu_ctx *c)
{
	struct npu_bo *bo = NULL;

	trap_unless(npu_bo_create(c, PAGE, 0, 0, &bo) == 0);
	return bo;
}

/* A command buffer at offset 0 of bo: one fence command (protocol.md §4.1, §4.2). */
static void cmd_fence(struct npu_bo *bo, uint16_t type, uint64_t fence_va, uint64_t value)
{
	struct npu_cmd_fence f = { .hdr = { type, sizeof(f) }, .offset = fence_va, .value = value };
	struct npu_cmd_buffer_header h = {
		.cmd_buffer_size = sizeof(h) + sizeof(f),
		.cmd_offset = sizeof(h),
		.context_save_area_address = bo->va + CMD_SAVE,
	};

	memset(bo->dma.cpu, 0, PAGE);
	memcpy(bo->dma.cpu, &h, sizeof(h));
	memcpy((uint8_t *)bo->dma.cpu + sizeof(h), &f, sizeof(f));
}

static void submit(struct npu_ctx *c, struct npu_bo *cmd)
{
	uint32_t id;

	trap_unless(npu_job_submit(c, cmd->va, &id) == 0);
	rig.job_ids[rig.n_job_ids++] = id;
}

/* Context 1: one job done, BLOCKED queued; context 2: BLOCKED queued. */
static void jobs_setup(void)
{
	for (unsigned i = 0; i < N_CTX; i++) {
		struct npu_ctx *c;
		struct npu_bo *fence, *wait;

		trap_unless(npu_ctx_create(&rig.d, &c) == 0);
		rig.ctx[i] = c;
		fence = bo_new(c);
		wait = bo_new(c);
		if (i == 0) {
			struct npu_bo *sig = bo_new(c);
			uint32_t st = 0xFFFF;

			cmd_fence(sig, NPU_CMD_FENCE_SIGNAL, fence->va + 64, 7);
			submit(c, sig);
			trap_unless(npu_job_wait(c, rig.job_ids[0], 10000000u, &st) == 0 &&
				    st == 0);
		}
		/* Nobody ever writes 1 into the fence: these jobs stay queued. */
		cmd_fence(wait, NPU_CMD_FENCE_WAIT, fence->va, 1);
		for (unsigned k = 0; k < BLOCKED; k++)
			submit(c, wait);
	}
}

static void rig_down(void)
{
	if (!rig.up)
		return;
	arena_guard(false);
	npu_device_power_down(&rig.d); /* no IPC: the silenced firmware would not answer */
	for (unsigned i = 0; i < N_CTX; i++)
		npu_ctx_destroy(rig.ctx[i]);
	npu_device_close(&rig.d);
	npu_platform_close(rig.p);
	rmdir(rig.fwdir);
	rig.up = false;
}

static void rig_up(void)
{
	struct npu_platform_config pc = { .device = "sim", .gen = NPU_GEN_37XX };
	struct npu_log_filter quiet = { .level = NPU_LOG_ERROR, .base_level = NPU_LOG_ERROR };
	uint32_t va;

	/* Every input is refused in a warning or two: keep the fuzzer's output readable. */
	npu_log_set_filter(&quiet);
	snprintf(rig.fwdir, sizeof(rig.fwdir), "/tmp/npu-fuzz-ipc-XXXXXX");
	trap_unless(mkdtemp(rig.fwdir) != NULL);
	/* No image in the search path: driver and model use the synthetic one. */
	trap_unless(setenv("NPU_FIRMWARE_PATH", rig.fwdir, 1) == 0);
	trap_unless(npu_platform_open(&pc, &rig.p) == 0);
	trap_unless(npu_device_open(&rig.d, rig.p, NULL) == 0);
	trap_unless(npu_device_boot(&rig.d) == 0);
	rig.s = npu_platform_sim_model(rig.p);
	trap_unless(rig.s != NULL);
	rig.up = true;
	atexit(rig_down);
	jobs_setup();

	/* From here on the input is the firmware (as in tests/unit/test_ipc.c). */
	pthread_mutex_lock(&rig.s->lock);
	rig.s->fw.state = SIM_FW_FAILED;
	while (sim_fifo_pop(&rig.s->ip.to_fw, &va) == 0)
		;
	pthread_mutex_unlock(&rig.s->lock);
	npu_irq_handle(&rig.d);
	rig.p->ops->irq_ack(rig.p);
	pthread_mutex_lock(&rig.s->lock);
	trap_unless(rig.s->ip.to_host.fill == 0);
	memset(rig.d.ipc_rx.dma.cpu, 0, RX_SIZE);
	pthread_mutex_unlock(&rig.s->lock);
	memcpy(rig.tx_shadow, rig.d.ipc_tx.dma.cpu, TX_SIZE);
	for (unsigned i = 0; i < N_CTX; i++) {
		rig.golden_ctx[i] = *rig.ctx[i];
		view_save(&rig.golden[i], rig.ctx[i]);
	}
	arena_guard(true);
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
	pthread_mutex_lock(&rig.s->lock);
	memset(rig.d.ipc_rx.dma.cpu, 0, RX_SIZE);
	memset(rig.rx_shadow, 0, RX_SIZE);
	pthread_mutex_unlock(&rig.s->lock);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor in = { data, size };
	uint64_t faults;

	if (!rig.up)
		rig_up();
	for (unsigned i = 0; i < N_CTX; i++) {
		*rig.ctx[i] = rig.golden_ctx[i]; /* the whole context: jobs, counters, flags */
		rig.want[i] = rig.golden[i];
	}
	pthread_mutex_lock(&rig.s->lock);
	memset(rig.d.ipc_rx.dma.cpu, 0, RX_SIZE);
	pthread_mutex_unlock(&rig.s->lock);
	memset(rig.rx_shadow, 0, RX_SIZE);
	rig.stats0 = rig.d.ipc.stats;
	memset(&rig.stats_want, 0, sizeof(rig.stats_want));
	rig.n_pending = 0;
	rig.requests = 0;
	rig.waiting = rig.replied = false;
	faults = rig.d.mmu_faults;

	for (unsigned n = 0; in.left && n < MAX_RECORDS; n++) {
		enum op op = (enum op)(take(&in, 1) % OP_COUNT);

		if (op == OP_DRAIN) {
			op_drain(&in);
			continue;
		}
		if (op == OP_REQUEST) {
			op_request(&in);
			continue;
		}
		pthread_mutex_lock(&rig.s->lock);
		switch (op) {
		case OP_HDR:
			op_hdr(&in);
			break;
		case OP_MSG:
			op_msg(&in);
			break;
		case OP_JOB_DONE:
			op_job_done(&in);
			break;
		case OP_PUSH:
			push(addr_pick(&in));
			break;
		case OP_FLOOD:
			op_flood(&in);
			break;
		default:
			op_raw(&in);
			break;
		}
		pthread_mutex_unlock(&rig.s->lock);
	}
	/* Whatever is still in the FIFO, through the interrupt service. */
	npu_irq_handle(&rig.d);
	rig.p->ops->irq_ack(rig.p);
	model_drained();

	trap_unless(memcmp(rig.d.ipc_rx.dma.cpu, rig.rx_shadow, RX_SIZE) == 0);
	trap_unless(memcmp(rig.d.ipc_tx.dma.cpu, rig.tx_shadow, TX_SIZE) == 0);
	jobs_check();
	usable_check();
	trap_unless(memcmp(rig.d.ipc_rx.dma.cpu, rig.rx_shadow, RX_SIZE) == 0);
	stats_check();
	trap_unless(rig.d.state == NPU_DEV_READY && rig.d.ipc.enabled && !rig.d.ipc.waiting &&
		    !rig.d.need_recovery && rig.d.mmu_faults == faults);
	return 0;
}
