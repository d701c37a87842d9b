/* SPDX-License-Identifier: MIT */
/*
 * libnpu buffers (BUF_CREATE, BUF_FREE: memory shared with npud, or the
 * in-process server's own) and batches: command buffers built in a buffer
 * with driver/cmdbuf.h for the generation the device reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/cmd.h"
#include "lib/lib_internal.h"

#define PAGE		4096u
#define BATCH_MAX_CMDS	(1u << 20)
#define BATCH_MAX_DESCS (1u << 20)

static void batch_free(struct npu_batch *b)
{
	if (!b)
		return;
	if (b->buf)
		b->buf->batch = NULL;
	free(b);
}

/* Tells npud the buffer is gone (best effort: its context goes with the connection anyway). */
static void buf_free_remote(struct npu *n, uint32_t handle)
{
	struct npu_req_buf q = { .handle = handle };
	struct npu_lib_reply r;
	char keep[NPU_LIB_ERR_MAX];

	if (n->broken)
		return;
	memcpy(keep, n->err, sizeof(keep));
	npu_lib_call(n, NPU_OP_BUF_FREE, &q, sizeof(q), 0, NPU_LIB_REPLY_MS, &r);
	memcpy(n->err, keep, sizeof(keep)); /* nobody is told of a failed free */
}

static void buf_unlink(struct npu_buf *b)
{
	struct npu *n = b->n;

	if (b->prev)
		b->prev->next = b->next;
	else
		n->bufs = b->next;
	if (b->next)
		b->next->prev = b->prev;
	b->prev = b->next = NULL;
}

static int check_buf_reply(struct npu *n, const struct npu_rsp_buf *rb, size_t asked)
{
	uint64_t rounded = ((uint64_t)asked + PAGE - 1) / PAGE * PAGE;
	const unsigned op = NPU_OP_BUF_CREATE;

	if (rb->handle == 0)
		return npu_lib_proto_fail(n, op, "buffer handle 0");
	if (rb->reserved)
		return npu_lib_proto_fail(n, op, "reserved is 0x%x", rb->reserved);
	if (rb->size != rounded)
		return npu_lib_proto_fail(n, op, "%llu bytes for %zu asked (expected %llu)",
					  (unsigned long long)rb->size, asked,
					  (unsigned long long)rounded);
	if (rb->va == 0 || rb->va % PAGE || rb->va + rb->size < rb->va)
		return npu_lib_proto_fail(n, op, "NPU address 0x%llx", (unsigned long long)rb->va);
	for (const struct npu_buf *b = n->bufs; b; b = b->next) {
		if (b->handle == rb->handle)
			return npu_lib_proto_fail(n, op, "handle %u is already a live buffer's",
						  rb->handle);
	}
	return 0;
}

int npu_buf_create(struct npu *n, size_t size, unsigned flags, struct npu_buf **out)
{
	struct npu_req_buf_create q = { .size = size, .flags = flags };
	struct npu_rsp_buf rb;
	struct npu_lib_reply r;
	struct npu_buf *b = NULL;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	ret = -EINVAL;
	if (!out)
		npu_lib_fail(n, ret, "npu_buf_create: no place for the buffer");
	else if (size == 0 || size > SIZE_MAX - PAGE)
		npu_lib_fail(n, ret, "npu_buf_create: a buffer of %zu bytes", size);
	else if (flags)
		npu_lib_fail(n, ret, "npu_buf_create: unknown flags 0x%x", flags);
	else
		ret = 0;
	if (ret)
		goto out;
	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (!b) {
		ret = npu_lib_fail(n, -ENOMEM, "npu_buf_create: out of memory");
		goto out;
	}
	ret = npu_lib_call(n, NPU_OP_BUF_CREATE, &q, sizeof(q), sizeof(rb), NPU_LIB_REPLY_MS, &r);
	if (ret)
		goto out;
	memcpy(&rb, r.payload, sizeof(rb));
	ret = check_buf_reply(n, &rb, size);
	if (ret) {
		/* A reply that does not add up: the connection is given up. */
		if (r.att.fd >= 0)
			close(r.att.fd);
		goto out;
	}
	ret = n->ops->map(n, &r.att, rb.size, &b->cpu);
	if (ret) {
		buf_free_remote(n, rb.handle);
		goto out;
	}
	b->n = n;
	b->handle = rb.handle;
	b->va = rb.va;
	b->size = rb.size;
	b->next = n->bufs;
	if (n->bufs)
		n->bufs->prev = b;
	n->bufs = b;
	*out = b;
	b = NULL;
out:
	pthread_mutex_unlock(&n->lock);
	free(b);
	return ret;
}

void npu_buf_free(struct npu_buf *b)
{
	struct npu *n;

	if (!b)
		return;
	n = b->n;
	pthread_mutex_lock(&n->lock);
	batch_free(b->batch);
	buf_unlink(b);
	n->ops->unmap(n, b->cpu, b->size);
	buf_free_remote(n, b->handle);
	pthread_mutex_unlock(&n->lock);
	free(b);
}

void npu_lib_bufs_release(struct npu *n)
{
	while (n->bufs) {
		struct npu_buf *b = n->bufs;

		batch_free(b->batch);
		buf_unlink(b);
		n->ops->unmap(n, b->cpu, b->size);
		free(b); /* the server frees its side with the connection */
	}
}

void *npu_buf_ptr(const struct npu_buf *b)
{
	return b ? b->cpu : NULL;
}

uint64_t npu_buf_va(const struct npu_buf *b)
{
	return b ? b->va : 0;
}

size_t npu_buf_size(const struct npu_buf *b)
{
	return b ? b->size : 0;
}

/* ---- batches ---- */

size_t npu_batch_size(struct npu *n, unsigned n_cmds, unsigned n_copy_desc)
{
	if (!n || !npu_gen_supported(n->gen) || n_cmds > BATCH_MAX_CMDS ||
	    n_copy_desc > BATCH_MAX_DESCS)
		return 0;
	return drv_cmdbuf_size_for(n->gen, n_cmds, n_copy_desc);
}

int npu_batch_begin(struct npu_buf *buf, unsigned n_cmds, struct npu_batch **out)
{
	struct npu *n;
	struct npu_batch *b;
	int ret;

	if (!buf || !out)
		return -EINVAL;
	n = buf->n;
	*out = NULL;
	pthread_mutex_lock(&n->lock);
	if (buf->batch) {
		ret = npu_lib_fail(n, -EBUSY,
				   "npu_batch_begin: a batch is already being built "
				   "in this buffer");
		goto out;
	}
	if (!npu_gen_supported(n->gen) || n_cmds > BATCH_MAX_CMDS) {
		ret = npu_lib_fail(n, n_cmds > BATCH_MAX_CMDS ? -EINVAL : -EOPNOTSUPP,
				   "npu_batch_begin: %s",
				   n_cmds > BATCH_MAX_CMDS ? "too many commands"
							   : "no command buffers for this "
							     "NPU generation");
		goto out;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		ret = npu_lib_fail(n, -ENOMEM, "npu_batch_begin: out of memory");
		goto out;
	}
	ret = drv_cmdbuf_init(&b->cb, buf->cpu, buf->va, buf->size, n_cmds, n->gen);
	if (ret) {
		free(b);
		ret = npu_lib_fail(n, ret,
				   "npu_batch_begin: a buffer of %zu bytes is too small for %u "
				   "commands (npu_batch_size says how much)",
				   buf->size, n_cmds);
		goto out;
	}
	b->buf = buf;
	b->caps = n->caps;
	buf->batch = b;
	*out = b;
out:
	pthread_mutex_unlock(&n->lock);
	return ret;
}

/* The outcome of adding a command, with the detail of a failure. */
static int added(struct npu_batch *b, const char *what, int ret)
{
	struct npu *n = b->buf->n;

	if (!ret)
		return 0;
	pthread_mutex_lock(&n->lock);
	if (ret == -ENOSPC)
		npu_lib_fail(n, ret,
			     "npu_batch_%s: the batch is full (begin it with more "
			     "commands, in a larger buffer)",
			     what);
	else if (ret == -EOPNOTSUPP)
		npu_lib_fail(n, ret, "npu_batch_%s: the NPU does not have this command", what);
	else
		npu_lib_fail(n, ret, "npu_batch_%s: %s", what,
			     ret == -EINVAL ? "an address is misaligned or a size is wrong"
					    : npu_strerror(ret));
	pthread_mutex_unlock(&n->lock);
	return ret;
}

static bool has(const struct npu_batch *b, uint64_t cap)
{
	return (b->caps & cap) != 0;
}

/* b->cb.job_cmd_api stays 0 (not known here): drv_cmdbuf_nop appends a BARRIER. */
int npu_batch_nop(struct npu_batch *b)
{
	return b ? added(b, "nop", drv_cmdbuf_nop(&b->cb)) : -EINVAL;
}

int npu_batch_barrier(struct npu_batch *b)
{
	return b ? added(b, "barrier", drv_cmdbuf_barrier(&b->cb)) : -EINVAL;
}

int npu_batch_fill(struct npu_batch *b, uint64_t va, uint64_t size, uint32_t pattern)
{
	if (!b)
		return -EINVAL;
	return added(b, "fill",
		     has(b, NPU_CAP_FILL) ? drv_cmdbuf_fill(&b->cb, va, size, pattern)
					  : -EOPNOTSUPP);
}

int npu_batch_copy(struct npu_batch *b, uint64_t dst_va, uint64_t src_va, uint64_t size)
{
	if (!b)
		return -EINVAL;
	return added(b, "copy",
		     has(b, NPU_CAP_COPY) ? drv_cmdbuf_copy(&b->cb, dst_va, src_va, size)
					  : -EOPNOTSUPP);
}

int npu_batch_timestamp(struct npu_batch *b, uint64_t va)
{
	if (!b)
		return -EINVAL;
	return added(b, "timestamp",
		     has(b, NPU_CAP_TIMESTAMP) ? drv_cmdbuf_timestamp(&b->cb, va, NPU_TIMESTAMP_RAW)
					       : -EOPNOTSUPP);
}

int npu_batch_fence_signal(struct npu_batch *b, uint64_t va, uint64_t value)
{
	if (!b)
		return -EINVAL;
	return added(b, "fence_signal",
		     has(b, NPU_CAP_FENCE) ? drv_cmdbuf_fence_signal(&b->cb, va, value)
					   : -EOPNOTSUPP);
}

int npu_batch_fence_wait(struct npu_batch *b, uint64_t va, uint64_t value)
{
	if (!b)
		return -EINVAL;
	return added(b, "fence_wait",
		     has(b, NPU_CAP_FENCE) ? drv_cmdbuf_fence_wait(&b->cb, va, value)
					   : -EOPNOTSUPP);
}

int npu_batch_inference(struct npu_batch *b, uint64_t desc_va, uint32_t desc_size,
			uint64_t inference_id)
{
	struct npu_cmd_inference_execute c;

	if (!b)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.hdr.type = NPU_CMD_INFERENCE_EXECUTE;
	c.hdr.size = sizeof(c);
	c.inference_id = inference_id;
	c.host_mapped_inference.address = desc_va;
	c.host_mapped_inference.width = desc_size;
	if (!has(b, NPU_CAP_INFERENCE))
		return added(b, "inference", -EOPNOTSUPP);
	if (desc_va == 0 || desc_size == 0)
		return added(b, "inference", -EINVAL);
	return added(b, "inference", drv_cmdbuf_raw(&b->cb, &c, sizeof(c)));
}

int npu_batch_end(struct npu_batch *b)
{
	struct npu *n;
	int ret;

	if (!b)
		return -EINVAL;
	n = b->buf->n;
	ret = drv_cmdbuf_finish(&b->cb);
	pthread_mutex_lock(&n->lock);
	batch_free(b);
	pthread_mutex_unlock(&n->lock);
	return ret;
}
