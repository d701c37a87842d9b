/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the driver's receive path: everything the device writes
 * (docs/firmware-protocol.md §1.5, §2.1, §3.6). src/driver/ipc.c pops header addresses from
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
 * driver drain (drv_ipc_drain, drv_irq_handle or drv_irq_wait) or sends a
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
 *
 * This file reads the inputs and plays them; fuzz_ipc_env.h holds the rig and
 * its set-up and tear-down, fuzz_ipc_model.h the model, the checked request
 * and the checks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "platform/platform.h"
#include "sim/sim_test.h"

#include "fuzz_ipc_env.h"
#include "fuzz_ipc_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

/* A JOB_DONE payload (docs/firmware-protocol.md §3.6) aimed mostly at the jobs that exist. */
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

/* ---- the driver side ---- */

static void op_drain(struct cursor *in)
{
	switch (take(in, 1) % 3) {
	case 0:
		drv_ipc_drain(&rig.d);
		break;
	case 1:
		drv_irq_handle(&rig.d);
		rig.p->ops->irq_ack(rig.p);
		break;
	default:
		/* Entries pending means the interrupt fd is readable: no wait. */
		trap_unless(drv_irq_wait(&rig.d, 0) == 0 || rig.n_pending == 0);
		break;
	}
	model_drained();
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
	npu_sim_test_lock(rig.s);
	memset(rig.d.ipc_rx.dma.cpu, 0, RX_SIZE);
	npu_sim_test_unlock(rig.s);
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
		npu_sim_test_lock(rig.s);
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
		npu_sim_test_unlock(rig.s);
	}
	/* Whatever is still in the FIFO, through the interrupt service. */
	drv_irq_handle(&rig.d);
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
