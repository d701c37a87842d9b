/* SPDX-License-Identifier: MIT */
/*
 * The operations of the request protocol (docs/request-protocol.md), each checking
 * its payload to the byte before calling the driver, and the progress of a
 * client's jobs and parked waits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/device.h"
#include "driver/stats.h"
#include "hw/fw_header.h"
#include "npu/npu.h"
#include "server/server_internal.h"
#include "util/json.h"
#include "util/log.h"

#define PAGE_SIZE_ 4096u

/* The payload must be exactly the op's struct. */
static int want_len(const struct srv_req *r, size_t want)
{
	if (r->len == want)
		return 0;
	srv_reply_err(r, -EINVAL, "%s takes %zu payload bytes, not %zu", npu_proto_op_name(r->op),
		      want, r->len);
	return -EINVAL;
}

/* -EAGAIN/-EIO with the reason when the device cannot take work. */
int srv_device_usable(const struct srv_req *r)
{
	struct npu_device *d = r->c->s->dev;

	if (d->state == NPU_DEV_READY)
		return 0;
	if (d->state == NPU_DEV_FAILED)
		return srv_reply_err(r, -EIO, "the NPU failed: %s: %s", d->fail_step,
				     d->fail_reason),
		       -EIO;
	srv_reply_err(r, -EAGAIN, "the NPU is not ready (%s)", drv_dev_state_name(d->state));
	return -EAGAIN;
}

int srv_op_hello(const struct srv_req *r)
{
	struct npu_srv_client *c = r->c;
	struct npu_server *s = c->s;
	struct npu_req_hello q;
	struct npu_rsp_hello a = { 0 };
	int ret;

	if (want_len(r, sizeof(q)))
		return 0;
	memcpy(&q, r->body, sizeof(q));
	if (c->hello_done)
		return srv_reply_err(r, -EPROTO, "hello was already said on this connection");
	if (q.flags || q.reserved)
		return srv_reply_err(r, -EINVAL, "hello: flags and reserved must be 0");
	if (q.version_min > q.version_max)
		return srv_reply_err(r, -EINVAL, "hello: versions %u..%u are not a range",
				     q.version_min, q.version_max);
	if (q.version_min > NPU_PROTO_VERSION || q.version_max < NPU_PROTO_VERSION)
		return srv_reply_err(r, -EPROTONOSUPPORT,
				     "the client speaks versions %u..%u; this npud speaks %u",
				     q.version_min, q.version_max, NPU_PROTO_VERSION);
	for (size_t i = 0; i < sizeof(q.name) && q.name[i]; i++) {
		char ch = q.name[i];

		if (ch < 0x20 || ch >= 0x7f)
			ch = '?';
		c->name[i] = ch;
	}
	c->name[sizeof(c->name) - 1] = '\0';
	if (s->n_served >= s->cfg.max_clients)
		return srv_reply_err(r, -EUSERS, "npud serves at most %u clients",
				     s->cfg.max_clients);
	ret = drv_ctx_create(s->dev, &c->ctx);
	if (ret == -EBUSY)
		return srv_reply_err(r, -EUSERS, "all %u NPU contexts are in use", NPU_CTX_MAX);
	if (ret)
		return srv_reply_err(r, ret, "no NPU context: %s", strerror(-ret));
	c->hello_done = true;
	s->n_served++;
	memcpy(c->ctx->owner_name, c->name, sizeof(c->ctx->owner_name));
	c->ctx->owner_pid = c->peer.pid > 0 ? c->peer.pid : -1;
	c->ctx->owner_uid = c->peer.uid;
	a.version = NPU_PROTO_VERSION;
	a.client_id = c->id;
	a.max_buffers = s->cfg.max_buffers_per_client;
	a.max_queued_jobs = s->cfg.max_jobs_per_client;
	a.max_buffer_bytes = s->cfg.max_bytes_per_client;
	npu_info(SRV, "client %u: \"%s\" (uid %u, pid %d), NPU context %u", c->id, c->name,
		 c->peer.uid, c->peer.pid, c->ctx->id);
	return srv_reply(r, &a, sizeof(a), NULL);
}

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memcpy(dst, src ? src : "", n); /* truncated on purpose: the reply's fields are fixed */
	dst[n] = '\0';
}

int srv_op_query(const struct srv_req *r)
{
	struct npu_device *d = r->c->s->dev;
	struct npu_platform *p = d->plat;
	struct npu_rsp_query a;
	struct npu_device_stats *st;

	if (want_len(r, 0))
		return 0;
	st = malloc(sizeof(*st));
	if (!st)
		return srv_reply_err(r, -ENOMEM, "out of memory");
	drv_device_stats(d, st);
	memset(&a, 0, sizeof(a));
	copy_str(a.generation, sizeof(a.generation), st->generation);
	copy_str(a.platform, sizeof(a.platform), p->pci.platform);
	copy_str(a.pci_address, sizeof(a.pci_address), p->pci.bdf);
	a.pci_vendor = p->pci.vendor;
	a.pci_device = p->pci.device;
	a.pci_revision = p->pci.revision;
	a.simulated = p->simulated ? 1 : 0;
	copy_str(a.firmware_version, sizeof(a.firmware_version), st->firmware_version);
	copy_str(a.firmware_path, sizeof(a.firmware_path), d->fw_path);
	a.api_version_jsm = d->fw.api_version[NPU_FW_API_IDX_JSM];
	a.api_version_boot = d->fw.api_version[NPU_FW_API_IDX_BOOT];
	a.capabilities = NPU_CAP_COPY | NPU_CAP_FILL | NPU_CAP_FENCE | NPU_CAP_TIMESTAMP;
	if (p->simulated)
		a.capabilities |= NPU_CAP_INFERENCE | NPU_CAP_SIMULATED;
	a.memory_total_bytes = st->memory_total_known ? st->memory_total_bytes : 0;
	a.memory_used_bytes = st->memory_used_bytes;
	copy_str(a.state, sizeof(a.state), st->state);
	free(st);
	return srv_reply(r, &a, sizeof(a), NULL);
}

int srv_op_buf_create(const struct srv_req *r)
{
	struct npu_srv_client *c = r->c;
	struct npu_server *s = c->s;
	struct npu_req_buf_create q;
	struct npu_rsp_buf a = { 0 };
	struct npu_srv_attach att = { .fd = -1 };
	struct srv_buf *b;
	uint64_t size;
	int ret;

	if (want_len(r, sizeof(q)))
		return 0;
	memcpy(&q, r->body, sizeof(q));
	if (q.flags || q.reserved)
		return srv_reply_err(r, -EINVAL, "buf-create: flags and reserved must be 0");
	if (q.size == 0 || q.size > s->cfg.max_bytes_per_client)
		return srv_reply_err(r, q.size ? -EFBIG : -EINVAL,
				     "buffer size %" PRIu64 " is outside 1..%" PRIu64, q.size,
				     s->cfg.max_bytes_per_client);
	size = (q.size + PAGE_SIZE_ - 1) & ~(uint64_t)(PAGE_SIZE_ - 1);
	if (c->n_bufs >= s->cfg.max_buffers_per_client)
		return srv_reply_err(r, -EMFILE, "this client already has its limit of %u buffers",
				     s->cfg.max_buffers_per_client);
	if (size > s->cfg.max_bytes_per_client - c->bytes)
		return srv_reply_err(r, -EDQUOT,
				     "%" PRIu64
				     " more bytes would pass this client's limit of %" PRIu64
				     " (it holds %" PRIu64 ")",
				     size, s->cfg.max_bytes_per_client, c->bytes);
	b = calloc(1, sizeof(*b));
	if (!b)
		return srv_reply_err(r, -ENOMEM, "out of memory");
	ret = drv_bo_create(c->ctx, (size_t)size, 0, 0, &b->bo);
	if (ret) {
		free(b);
		return srv_reply_err(r, ret, "no NPU memory for %" PRIu64 " bytes: %s", size,
				     strerror(-ret));
	}
	if (s->cfg.share_fds) {
		att.fd = drv_bo_fd(b->bo);
		if (att.fd < 0) {
			ret = att.fd;
			drv_bo_destroy(b->bo);
			free(b);
			return srv_reply_err(r, ret, "cannot share the buffer: %s", strerror(-ret));
		}
	}
	while (!c->next_handle || srv_buf_find(c, c->next_handle))
		c->next_handle++;
	b->handle = c->next_handle++;
	b->next = c->bufs;
	c->bufs = b;
	c->n_bufs++;
	c->bytes += b->bo->size;
	a.handle = b->handle;
	a.va = b->bo->va;
	a.size = b->bo->size;
	att.cpu = b->bo->dma.cpu;
	att.size = b->bo->size;
	return srv_reply(r, &a, sizeof(a), &att);
}

static int get_buf(const struct srv_req *r, struct srv_buf **out)
{
	struct npu_req_buf q;

	*out = NULL;
	if (want_len(r, sizeof(q)))
		return -EINVAL;
	memcpy(&q, r->body, sizeof(q));
	if (q.reserved)
		return srv_reply_err(r, -EINVAL, "reserved must be 0"), -EINVAL;
	*out = srv_buf_find(r->c, q.handle);
	if (!*out)
		return srv_reply_err(r, -ENOENT, "this client has no buffer %u", q.handle), -ENOENT;
	return 0;
}

int srv_op_buf_free(const struct srv_req *r)
{
	struct srv_buf *b;

	if (get_buf(r, &b))
		return r->c->dead ? -EPIPE : 0;
	if (b->busy)
		b->freed = true; /* the last job using it frees it */
	else
		srv_buf_destroy(r->c, b);
	return srv_reply(r, NULL, 0, NULL);
}

int srv_op_buf_map(const struct srv_req *r)
{
	struct npu_srv_attach att = { .fd = -1 };
	struct npu_rsp_buf a = { 0 };
	struct srv_buf *b;

	if (get_buf(r, &b))
		return r->c->dead ? -EPIPE : 0;
	if (r->c->s->cfg.share_fds) {
		att.fd = drv_bo_fd(b->bo);
		if (att.fd < 0)
			return srv_reply_err(r, att.fd, "cannot share the buffer: %s",
					     strerror(-att.fd));
	}
	att.cpu = b->bo->dma.cpu;
	att.size = b->bo->size;
	a.handle = b->handle;
	a.va = b->bo->va;
	a.size = b->bo->size;
	return srv_reply(r, &a, sizeof(a), &att);
}
