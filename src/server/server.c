/* SPDX-License-Identifier: MIT */
/*
 * The server: clients, the checks every request passes before its operation
 * runs (server_ops.c), replies, and the progress of jobs and parked waits.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/device.h"
#include "driver/pm.h"
#include "driver/service.h"
#include "server/server_internal.h"
#include "util/log.h"

#define DEFAULT_MAX_CLIENTS 64u
#define DEFAULT_MAX_BUFFERS 1024u
#define DEFAULT_MAX_JOBS    63u
#define FALLBACK_MAX_BYTES  ((uint64_t)64 << 20)

static const char *const op_names[NPU_OP_MAX_] = {
	[NPU_OP_HELLO] = "hello",
	[NPU_OP_QUERY] = "query",
	[NPU_OP_BUF_CREATE] = "buf-create",
	[NPU_OP_BUF_FREE] = "buf-free",
	[NPU_OP_BUF_MAP] = "buf-map",
	[NPU_OP_SUBMIT] = "submit",
	[NPU_OP_WAIT] = "wait",
	[NPU_OP_JOB_QUERY] = "job-query",
	[NPU_OP_STATUS] = "status",
	[NPU_OP_RESET] = "reset",
	[NPU_OP_RUN] = "run",
	[NPU_OP_SET_PRIORITY] = "set-priority",
};

const char *npu_proto_op_name(unsigned op)
{
	return op < NPU_OP_MAX_ && op_names[op] ? op_names[op] : "unknown";
}

static void client_free(struct npu_srv_client *c);

int npu_server_create(struct npu_device *d, const struct npu_server_config *cfg,
		      struct npu_server **out)
{
	struct npu_server *s;

	*out = NULL;
	if (!d || !cfg || cfg->n_allow_uids > NPU_SERVER_MAX_ALLOW ||
	    cfg->n_allow_gids > NPU_SERVER_MAX_ALLOW)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->rsp = malloc(NPU_PROTO_RSP_MAX);
	if (!s->rsp) {
		free(s);
		return -ENOMEM;
	}
	s->dev = d;
	s->cfg = *cfg;
	if (!s->cfg.max_clients || s->cfg.max_clients > NPU_CTX_MAX)
		s->cfg.max_clients = s->cfg.max_clients ? NPU_CTX_MAX : DEFAULT_MAX_CLIENTS;
	if (!s->cfg.max_buffers_per_client)
		s->cfg.max_buffers_per_client = DEFAULT_MAX_BUFFERS;
	if (!s->cfg.max_bytes_per_client)
		s->cfg.max_bytes_per_client =
		    d->plat->dma_mem_size ? d->plat->dma_mem_size / 4 : FALLBACK_MAX_BYTES;
	if (!s->cfg.max_jobs_per_client || s->cfg.max_jobs_per_client > DEFAULT_MAX_JOBS)
		s->cfg.max_jobs_per_client = DEFAULT_MAX_JOBS;
	if (!s->cfg.max_waits_per_client || s->cfg.max_waits_per_client > SRV_WAITS_MAX)
		s->cfg.max_waits_per_client = SRV_WAITS_MAX;
	s->next_client_id = 1;
	s->last_activity_ns = npu_now_ns(d->plat);
	if (d->state == NPU_DEV_OFF && drv_device_boot(d))
		npu_err(SRV, "the NPU did not boot (%s: %s); requests will say so", d->fail_step,
			d->fail_reason);
	*out = s;
	return 0;
}

void npu_server_destroy(struct npu_server *s)
{
	if (!s)
		return;
	while (s->clients) {
		struct npu_srv_client *c = s->clients;

		s->clients = c->next;
		s->n_clients--;
		client_free(c);
	}
	free(s->rsp);
	free(s);
}

bool srv_peer_in_group(const struct npu_srv_peer *p, uint32_t gid)
{
	const unsigned max = sizeof(p->groups) / sizeof(p->groups[0]);

	if (p->gid == gid)
		return true;
	for (unsigned i = 0; i < p->n_groups && i < max; i++)
		if (p->groups[i] == gid)
			return true;
	return false;
}

static bool peer_allowed(const struct npu_server_config *cfg, const struct npu_srv_peer *p)
{
	if (cfg->allow_all || p->uid == 0 || p->uid == cfg->owner_uid)
		return true;
	for (unsigned i = 0; i < cfg->n_allow_uids; i++)
		if (cfg->allow_uids[i] == p->uid)
			return true;
	for (unsigned i = 0; i < cfg->n_allow_gids; i++)
		if (srv_peer_in_group(p, cfg->allow_gids[i]))
			return true;
	return false;
}

int npu_server_client_new(struct npu_server *s, const struct npu_srv_peer *peer,
			  npu_srv_send_fn send, void *tp, struct npu_srv_client **out)
{
	struct npu_srv_client *c;

	*out = NULL;
	if (!send || !peer)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->s = s;
	c->peer = *peer;
	c->send = send;
	c->tp = tp;
	c->allowed = peer_allowed(&s->cfg, peer);
	c->privileged = peer->uid == 0 || peer->uid == s->cfg.owner_uid;
	c->id = s->next_client_id++;
	c->next_handle = 1;
	c->next = s->clients;
	s->clients = c;
	s->n_clients++;
	npu_dbg(SRV, "client %u connected (uid %u, gid %u, pid %d)%s", c->id, peer->uid, peer->gid,
		peer->pid, c->allowed ? "" : ": not allowed");
	*out = c;
	return 0;
}

struct srv_buf *srv_buf_find(struct npu_srv_client *c, uint32_t handle)
{
	for (struct srv_buf *b = c->bufs; b; b = b->next)
		if (b->handle == handle && !b->freed)
			return b;
	return NULL;
}

void srv_buf_destroy(struct npu_srv_client *c, struct srv_buf *b)
{
	struct srv_buf **pp;

	for (pp = &c->bufs; *pp && *pp != b; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = b->next;
	c->bytes -= b->bo->size;
	c->n_bufs--;
	drv_bo_destroy(b->bo);
	free(b);
}

/* Everything of a client already unlinked from the server. */
static void client_free(struct npu_srv_client *c)
{
	if (c->hello_done)
		c->s->n_served--;
	if (c->n_jobs)
		npu_info(SRV, "client %u (%s) went away with %u job(s) in flight: dropped", c->id,
			 c->name[0] ? c->name : "unnamed", c->n_jobs);
	/* The context goes first: the firmware lets go of it before its memory is freed. */
	if (c->ctx)
		drv_ctx_destroy(c->ctx); /* frees every driver buffer of the context */
	while (c->bufs) {
		struct srv_buf *b = c->bufs;

		c->bufs = b->next;
		free(b);
	}
	npu_dbg(SRV, "client %u gone", c->id);
	free(c);
}

int npu_server_client_priority(const struct npu_srv_client *c)
{
	return c->ctx ? (int)c->ctx->priority : -ENOENT;
}

void npu_server_client_gone(struct npu_srv_client *c)
{
	struct npu_server *s;
	struct npu_srv_client **pp;

	if (!c)
		return;
	s = c->s;
	for (pp = &s->clients; *pp && *pp != c; pp = &(*pp)->next)
		;
	if (*pp) {
		*pp = c->next;
		s->n_clients--;
	}
	client_free(c);
}

static int send_msg(struct npu_srv_client *c, size_t len, const struct npu_srv_attach *att)
{
	int ret;

	if (c->dead)
		return -EPIPE;
	ret = c->send(c->tp, c->s->rsp, len, att);
	if (ret) {
		c->dead = true;
		npu_dbg(SRV, "client %u: reply not sent (%d)", c->id, ret);
	}
	return ret;
}

static size_t put_hdr(struct npu_server *s, uint16_t op, uint32_t seq, int status, size_t body)
{
	struct npu_rsp_hdr h = {
		.magic = NPU_PROTO_RSP_MAGIC,
		.version = NPU_PROTO_VERSION,
		.op = op,
		.size = (uint32_t)(sizeof(h) + body),
		.seq = seq,
		.status = status,
	};

	memcpy(s->rsp, &h, sizeof(h));
	return sizeof(h) + body;
}

int srv_reply_to(struct npu_srv_client *c, uint16_t op, uint32_t seq, int status, const void *body,
		 size_t len)
{
	if (len > NPU_PROTO_RSP_MAX - sizeof(struct npu_rsp_hdr))
		return -EMSGSIZE;
	if (len)
		memmove(c->s->rsp + sizeof(struct npu_rsp_hdr), body, len);
	return send_msg(c, put_hdr(c->s, op, seq, status, len), NULL);
}

int srv_reply(const struct srv_req *r, const void *body, size_t len,
	      const struct npu_srv_attach *att)
{
	struct npu_server *s = r->c->s;

	if (len > NPU_PROTO_RSP_MAX - sizeof(struct npu_rsp_hdr))
		return -EMSGSIZE;
	if (len)
		memmove(s->rsp + sizeof(struct npu_rsp_hdr), body, len);
	return send_msg(r->c, put_hdr(s, r->op, r->seq, 0, len), att);
}

int srv_reply_err(const struct srv_req *r, int err, const char *fmt, ...)
{
	struct npu_server *s = r->c->s;
	char *text = (char *)s->rsp + sizeof(struct npu_rsp_hdr);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, NPU_PROTO_ERR_MAX, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= NPU_PROTO_ERR_MAX)
		n = NPU_PROTO_ERR_MAX - 1;
	r->c->errors++;
	npu_dbg(SRV, "client %u: %s: %s", r->c->id, npu_proto_op_name(r->op), text);
	return send_msg(r->c, put_hdr(s, r->op, r->seq, err < 0 ? err : -EINVAL, (size_t)n), NULL);
}

typedef int (*srv_op_fn)(const struct srv_req *r);

static const srv_op_fn ops[NPU_OP_MAX_] = {
	[NPU_OP_HELLO] = srv_op_hello,
	[NPU_OP_QUERY] = srv_op_query,
	[NPU_OP_BUF_CREATE] = srv_op_buf_create,
	[NPU_OP_BUF_FREE] = srv_op_buf_free,
	[NPU_OP_BUF_MAP] = srv_op_buf_map,
	[NPU_OP_SUBMIT] = srv_op_submit,
	[NPU_OP_WAIT] = srv_op_wait,
	[NPU_OP_JOB_QUERY] = srv_op_job_query,
	[NPU_OP_STATUS] = srv_op_status,
	[NPU_OP_RESET] = srv_op_reset,
	[NPU_OP_RUN] = srv_op_run,
	[NPU_OP_SET_PRIORITY] = srv_op_priority,
};

/* A request after an autosuspend: the NPU boots again (warm when the firmware saved). */
static void resume(struct npu_server *s)
{
	struct npu_device *d = s->dev;

	if (!s->suspended)
		return;
	s->suspended = false;
	if (d->state == NPU_DEV_OFF && drv_device_boot(d))
		npu_err(SRV, "the NPU did not come back from suspend (%s: %s)", d->fail_step,
			d->fail_reason);
}

/* Autosuspend, with nothing queued: idle long enough; returns ms until it is due (-1: never). */
static int autosuspend(struct npu_server *s, uint64_t now)
{
	uint64_t due;

	if (!s->cfg.autosuspend_ms || s->suspended || s->dev->state != NPU_DEV_READY)
		return -1;
	due = s->last_activity_ns + (uint64_t)s->cfg.autosuspend_ms * 1000000u;
	if (now < due)
		return (int)((due - now + 999999u) / 1000000u);
	if (drv_device_suspend(s->dev) == 0)
		s->suspended = true;
	else
		s->last_activity_ns = now; /* busy after all: try again later */
	return -1;
}

int npu_server_request(struct npu_srv_client *c, const void *msg, size_t len)
{
	struct npu_req_hdr h;
	struct srv_req r = { .c = c };
	int ret;

	if (c->dead)
		return -EPIPE;
	c->requests++;
	if (!msg || len < sizeof(h)) {
		srv_reply_err(&r, -EBADMSG, "a request is at least %zu bytes; this one has %zu",
			      sizeof(h), msg ? len : 0);
		return -EBADMSG;
	}
	memcpy(&h, msg, sizeof(h));
	r.op = h.op;
	r.seq = h.seq;
	if (h.magic != NPU_PROTO_REQ_MAGIC) {
		r.op = 0;
		r.seq = 0;
		srv_reply_err(&r, -EBADMSG, "not an npud request (magic 0x%08x)", h.magic);
		return -EBADMSG;
	}
	if (h.size != len) {
		srv_reply_err(&r, -EBADMSG, "the header says %u bytes, the message has %zu", h.size,
			      len);
		return -EBADMSG;
	}
	if (h.version != NPU_PROTO_VERSION) {
		srv_reply_err(&r, -EPROTONOSUPPORT, "protocol version %u; this npud speaks %u",
			      h.version, NPU_PROTO_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (!c->allowed) {
		srv_reply_err(&r, -EACCES, "uid %u (gid %u) is not allowed to use this NPU",
			      c->peer.uid, c->peer.gid);
		return -EACCES;
	}
	if (h.op >= NPU_OP_MAX_ || !ops[h.op]) {
		ret = srv_reply_err(&r, -EOPNOTSUPP, "unknown operation %u", h.op);
		return ret;
	}
	if (!c->hello_done && h.op != NPU_OP_HELLO) {
		srv_reply_err(&r, -EPROTO, "%s before hello", npu_proto_op_name(h.op));
		return -EPROTO;
	}
	r.body = (const uint8_t *)msg + sizeof(h);
	r.len = len - sizeof(h);
	resume(c->s);
	ret = ops[h.op](&r);
	c->s->last_activity_ns = npu_now_ns(c->s->dev->plat);
	srv_client_progress(c, c->s->last_activity_ns);
	return c->dead ? -EPIPE : ret;
}

int npu_server_irq_fd(const struct npu_server *s)
{
	struct npu_platform *p = s->dev->plat;

	return p->ops->irq_fd ? p->ops->irq_fd(p) : -1;
}

static uint64_t progress_all(struct npu_server *s)
{
	uint64_t next = drv_device_service(s->dev);
	uint64_t now = npu_now_ns(s->dev->plat);

	for (struct npu_srv_client *c = s->clients; c; c = c->next) {
		srv_client_progress(c, now);
		for (unsigned i = 0; i < SRV_WAITS_MAX; i++)
			if (c->waits[i].used && c->waits[i].deadline_ns < next)
				next = c->waits[i].deadline_ns;
	}
	return next;
}

void npu_server_irq(struct npu_server *s)
{
	drv_device_irq(s->dev);
	progress_all(s);
}

bool npu_server_poll(struct npu_server *s, bool (*stop)(void *arg), void *arg)
{
	if (!drv_device_poll(s->dev, NPU_POLL_WINDOW_NS, stop, arg))
		return false;
	progress_all(s);
	return true;
}

int npu_server_tick(struct npu_server *s)
{
	uint64_t next = progress_all(s);
	uint64_t now = npu_now_ns(s->dev->plat), ms;
	int idle_ms = -1;

	/* Queued jobs are activity: the clients list is walked once a turn. */
	if (npu_server_jobs_queued(s))
		s->last_activity_ns = now;
	else
		idle_ms = autosuspend(s, now);
	if (next == UINT64_MAX)
		return idle_ms;
	if (next <= now)
		return 0;
	ms = (next - now + 999999u) / 1000000u;
	if (ms > 60000u)
		ms = 60000u;
	return idle_ms >= 0 && (uint64_t)idle_ms < ms ? idle_ms : (int)ms;
}

unsigned npu_server_clients(const struct npu_server *s)
{
	return s->n_clients;
}

unsigned npu_server_jobs_queued(const struct npu_server *s)
{
	unsigned n = 0;

	for (const struct npu_srv_client *c = s->clients; c; c = c->next)
		n += c->n_jobs;
	return n;
}

struct npu_device *npu_server_device(struct npu_server *s)
{
	return s->dev;
}
