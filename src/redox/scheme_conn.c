/* SPDX-License-Identifier: MIT */
/*
 * A connection to the server through /scheme/npu: requests written (or sent
 * by SYS_CALL), replies queued until read, blocking reads parked until a
 * reply comes, and the buffers a client may map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "redox/scheme_internal.h"
#include "util/log.h"

static struct sch_buf *buf_find(struct sch_handle *h, uint32_t handle)
{
	for (unsigned i = 0; i < h->n_bufs; i++)
		if (h->bufs[i].handle == handle)
			return &h->bufs[i];
	return NULL;
}

/* Keeps what BUF_CREATE and BUF_MAP said of a buffer, so that mmap can find it. */
static void buf_note(struct sch_handle *h, const uint8_t *msg, size_t len,
		     const struct npu_srv_attach *att)
{
	struct npu_rsp_buf b;
	struct sch_buf *e;

	if (!att || !att->cpu || len < sizeof(struct npu_rsp_hdr) + sizeof(b))
		return;
	memcpy(&b, msg + sizeof(struct npu_rsp_hdr), sizeof(b));
	e = buf_find(h, b.handle);
	if (!e) {
		if (h->n_bufs == h->cap_bufs) {
			unsigned cap = h->cap_bufs ? h->cap_bufs * 2 : 16;
			struct sch_buf *n = realloc(h->bufs, cap * sizeof(*n));

			if (!n)
				return; /* the buffer just cannot be mapped */
			h->bufs = n;
			h->cap_bufs = cap;
		}
		e = &h->bufs[h->n_bufs++];
	}
	e->handle = b.handle;
	e->va = b.va;
	e->size = b.size;
	e->cpu = att->cpu;
}

static void buf_forget(struct sch_handle *h, uint32_t handle)
{
	struct sch_buf *e = buf_find(h, handle);

	if (e)
		*e = h->bufs[--h->n_bufs];
}

static void deliver(struct sch_handle *h, struct sch_parked *p, const void *msg, size_t len)
{
	if (len > p->cap) {
		sch_complete(h->x, p->tag, -EMSGSIZE, 0);
		return;
	}
	memcpy(p->buf, msg, len);
	sch_complete(h->x, p->tag, (int64_t)len, 0);
}

/* The server's send callback: to a parked call or read, else into the queue. */
static int conn_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct sch_handle *h = tp;
	struct npu_rsp_hdr rh;
	struct sch_reply *r;

	if (len < sizeof(rh))
		return -EINVAL;
	memcpy(&rh, msg, sizeof(rh));
	if (rh.status == 0 && (rh.op == NPU_OP_BUF_CREATE || rh.op == NPU_OP_BUF_MAP))
		buf_note(h, msg, len, att);
	if (rh.op == NPU_OP_BUF_FREE && h->free_pending && rh.seq == h->free_seq) {
		if (rh.status == 0)
			buf_forget(h, h->free_handle);
		h->free_pending = false;
	}
	if (h->call_pending && rh.seq == h->call.seq) {
		h->call_pending = false;
		deliver(h, &h->call, msg, len);
		return 0;
	}
	if (h->n_reads) {
		deliver(h, &h->reads[0], msg, len);
		memmove(&h->reads[0], &h->reads[1], --h->n_reads * sizeof(h->reads[0]));
		return 0;
	}
	if (h->q_n >= SCH_REPLIES_MAX || h->q_bytes + len > SCH_REPLY_BYTES)
		return -ENOBUFS; /* a client that does not read its replies */
	r = malloc(sizeof(*r) + len);
	if (!r)
		return -ENOMEM;
	r->next = NULL;
	r->len = len;
	memcpy(r->data, msg, len);
	if (h->q_tail)
		h->q_tail->next = r;
	else
		h->q_head = r;
	h->q_tail = r;
	h->q_n++;
	h->q_bytes += len;
	sch_fevent(h, REDOX_EVENT_READ);
	return 0;
}

int sch_conn_open(struct sch_handle *h, int32_t pid)
{
	struct npu_srv_peer peer = { .uid = h->uid, .gid = h->gid, .pid = pid };

	return npu_server_client_new(h->x->s, &peer, conn_send, h, &h->client);
}

/* The server is done with the connection: its buffers can no longer be mapped. */
static void conn_drop(struct sch_handle *h)
{
	if (h->client)
		npu_server_client_gone(h->client);
	h->client = NULL;
	h->n_bufs = 0;
}

void sch_conn_close(struct sch_handle *h)
{
	conn_drop(h);
	for (unsigned i = 0; i < h->n_reads; i++)
		sch_complete(h->x, h->reads[i].tag, -EBADF, 0);
	h->n_reads = 0;
	if (h->call_pending)
		sch_complete(h->x, h->call.tag, -EBADF, 0);
	h->call_pending = false;
	while (h->q_head) {
		struct sch_reply *r = h->q_head;

		h->q_head = r->next;
		free(r);
	}
	free(h->bufs);
}

bool sch_conn_readable(const struct sch_handle *h)
{
	return h->q_head || h->dead;
}

int64_t sch_conn_read(struct sch_handle *h, uint32_t tag, uint8_t *buf, size_t len, bool nonblock,
		      bool *parked)
{
	struct sch_reply *r = h->q_head;
	int64_t n;

	if (!r) {
		if (h->dead)
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (h->n_reads == SCH_PARKED_MAX)
			return -EBUSY;
		h->reads[h->n_reads++] = (struct sch_parked){ .tag = tag, .buf = buf, .cap = len };
		*parked = true;
		return 0;
	}
	if (r->len > len)
		return -EMSGSIZE; /* kept: read again with room for it */
	memcpy(buf, r->data, r->len);
	n = (int64_t)r->len;
	h->q_head = r->next;
	if (!h->q_head)
		h->q_tail = NULL;
	h->q_n--;
	h->q_bytes -= r->len;
	free(r);
	if (!h->q_head)
		h->event_sent = false;
	return n;
}

/* One request to the server; a protocol break ends the connection (after its reply). */
static int64_t request(struct sch_handle *h, const uint8_t *msg, size_t len)
{
	struct npu_req_hdr rh;
	int ret;

	if (h->dead || !h->client)
		return -EPIPE;
	if (len > NPU_PROTO_REQ_MAX)
		return -EMSGSIZE;
	if (len >= sizeof(rh) + sizeof(struct npu_req_buf)) {
		memcpy(&rh, msg, sizeof(rh));
		if (rh.op == NPU_OP_BUF_FREE) {
			struct npu_req_buf b;

			memcpy(&b, msg + sizeof(rh), sizeof(b));
			h->free_pending = true;
			h->free_seq = rh.seq;
			h->free_handle = b.handle;
		}
	}
	ret = npu_server_request(h->client, msg, len);
	if (ret < 0) {
		npu_dbg(SRV, "scheme connection %llu (uid %u) ended: %s", (unsigned long long)h->id,
			h->uid, strerror(-ret));
		h->dead = true;
		conn_drop(h);
		for (unsigned i = 0; i < h->n_reads; i++) /* parked reads see EOF */
			sch_complete(h->x, h->reads[i].tag, 0, 0);
		h->n_reads = 0;
		sch_fevent(h, REDOX_EVENT_READ);
	}
	return (int64_t)len;
}

int64_t sch_conn_write(struct sch_handle *h, const uint8_t *buf, size_t len)
{
	return request(h, buf, len);
}

/*
 * SYS_CALL: the request is at the start of the payload; its reply is written
 * over it when it comes (a WAIT's later, from the interrupt path).
 */
int64_t sch_conn_call(struct sch_handle *h, uint32_t tag, uint8_t *buf, size_t len, bool *parked)
{
	uint8_t msg[NPU_PROTO_REQ_MAX];
	struct npu_req_hdr rh;
	int64_t r;

	if (!buf || len < sizeof(rh))
		return -EINVAL;
	if (h->call_pending)
		return -EBUSY;
	memcpy(&rh, buf, sizeof(rh));
	if (rh.size < sizeof(rh) || rh.size > len || rh.size > sizeof(msg))
		return -EINVAL;
	memcpy(msg, buf, rh.size);
	h->call = (struct sch_parked){ .tag = tag, .buf = buf, .cap = len, .seq = rh.seq };
	h->call_pending = true;
	r = request(h, msg, rh.size);
	if (!h->call_pending) { /* answered */
		*parked = true;
		return 0;
	}
	if (r < 0 || h->dead) {
		h->call_pending = false;
		return r < 0 ? r : -EPIPE;
	}
	*parked = true; /* a WAIT: answered from the interrupt path */
	return 0;
}

/* MmapPrep: offset is a buffer's va; the reply is where the daemon has it. */
int64_t sch_conn_mmap(struct sch_handle *h, uint64_t size, uint64_t off)
{
	if (size == 0 || off % REDOX_PAGE_SIZE)
		return -EINVAL;
	for (unsigned i = 0; i < h->n_bufs; i++) {
		const struct sch_buf *b = &h->bufs[i];

		if (off >= b->va && off - b->va < b->size && size <= b->size - (off - b->va))
			return (int64_t)(uintptr_t)((uint8_t *)b->cpu + (off - b->va));
	}
	return -EINVAL;
}

bool sch_conn_cancel(struct sch_handle *h, uint32_t tag)
{
	if (h->call_pending && h->call.tag == tag) {
		h->call_pending = false;
		sch_complete(h->x, tag, -ECANCELED, 0); /* the caller sees EINTR */
		return true;
	}
	for (unsigned i = 0; i < h->n_reads; i++) {
		if (h->reads[i].tag != tag)
			continue;
		sch_complete(h->x, tag, -ECANCELED, 0); /* the caller sees EINTR */
		memmove(&h->reads[i], &h->reads[i + 1], (--h->n_reads - i) * sizeof(h->reads[0]));
		return true;
	}
	return false;
}
