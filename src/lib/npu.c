/* SPDX-License-Identifier: MIT */
/*
 * libnpu: opening a handle, the request/reply exchange with every check a
 * reply must pass, and the calls that are one request each (query, submit,
 * wait, job query, status, reset). Buffers and batches are in buf.c; the
 * transports in sock.c and local.c.
 *
 * Nothing in a reply is trusted: the header must echo the request (magic,
 * version, op, seq), the size must be exactly what was received and exactly
 * what the op's reply holds, reserved fields must be zero, strings must end
 * inside their field. A reply that fails a check closes the connection: the
 * two sides no longer agree on what comes next.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/status.h"
#include "lib/lib_internal.h"

#define REPLY_MS	120000u /* any reply but WAIT's: a reset reboots the device */
#define WAIT_MARGIN_MS	30000u	/* how late npud may answer a WAIT */
#define ERRNO_MAX	4095
#define LIB_VERSION_MIN NPU_PROTO_VERSION
#define LIB_VERSION_MAX NPU_PROTO_VERSION

/* Why the last npu_open of this thread failed (npu_last_error(NULL)). */
static _Thread_local char open_err[NPU_LIB_ERR_MAX];

static const char *const op_names[NPU_OP_MAX_] = {
	[NPU_OP_HELLO] = "HELLO",
	[NPU_OP_QUERY] = "QUERY",
	[NPU_OP_BUF_CREATE] = "BUF_CREATE",
	[NPU_OP_BUF_FREE] = "BUF_FREE",
	[NPU_OP_BUF_MAP] = "BUF_MAP",
	[NPU_OP_SUBMIT] = "SUBMIT",
	[NPU_OP_WAIT] = "WAIT",
	[NPU_OP_JOB_QUERY] = "JOB_QUERY",
	[NPU_OP_STATUS] = "STATUS",
	[NPU_OP_RESET] = "RESET",
};

static const char *op_name(unsigned op)
{
	return op < NPU_OP_MAX_ && op_names[op] ? op_names[op] : "?";
}

int npu_lib_fail(struct npu *n, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->err, sizeof(n->err), fmt, ap);
	va_end(ap);
	return err;
}

static void attach_drop(struct npu_lib_attach *att)
{
	if (att->fd >= 0)
		close(att->fd);
	att->fd = -1;
	att->cpu = NULL;
	att->size = 0;
}

/* A reply that breaks the protocol: the connection is not used again. */
static int proto_fail(struct npu *n, unsigned op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int proto_fail(struct npu *n, unsigned op, const char *fmt, ...)
{
	char why[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	n->broken = true;
	n->broken_err = -EPROTO;
	return npu_lib_fail(n, -EPROTO, "npud's reply to %s is malformed: %s", op_name(op), why);
}

/* The server's error message: printable bytes only, the rest shown as '?'. */
static void take_message(struct npu *n, const uint8_t *msg, size_t len, int status)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < sizeof(n->err); i++)
		n->err[o++] = (msg[i] < 0x20 || msg[i] == 0x7f) ? '?' : (char)msg[i];
	n->err[o] = '\0';
	if (o == 0)
		snprintf(n->err, sizeof(n->err), "%s", npu_strerror(status));
}

static int check_header(struct npu *n, unsigned op, uint32_t seq, const struct npu_rsp_hdr *h,
			size_t len)
{
	uint32_t version = n->version ? n->version : NPU_PROTO_VERSION;

	if (h->magic != NPU_PROTO_RSP_MAGIC)
		return proto_fail(n, op, "magic 0x%08x, not 0x%08x", h->magic, NPU_PROTO_RSP_MAGIC);
	if (h->version != version)
		return proto_fail(n, op, "protocol version %u, not %u", h->version, version);
	if (h->op != op)
		return proto_fail(n, op, "it answers op %u (%s)", h->op, op_name(h->op));
	if (h->seq != seq)
		return proto_fail(n, op, "sequence number %u, not %u", h->seq, seq);
	if (h->size != len)
		return proto_fail(n, op, "its header says %u bytes, %zu came", h->size, len);
	if (h->reserved != 0)
		return proto_fail(n, op, "reserved header field is 0x%x", h->reserved);
	if (h->status > 0 || h->status < -ERRNO_MAX)
		return proto_fail(n, op, "status %d is not 0 or a negative errno", h->status);
	return 0;
}

int npu_lib_call(struct npu *n, unsigned op, const void *payload, size_t plen, size_t want,
		 uint32_t timeout_ms, struct npu_lib_reply *r)
{
	struct npu_req_hdr *q = (struct npu_req_hdr *)n->req;
	const struct npu_rsp_hdr *h = (const struct npu_rsp_hdr *)n->rsp;
	bool memory = op == NPU_OP_BUF_CREATE || op == NPU_OP_BUF_MAP;
	size_t len = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	r->att.fd = -1;
	if (n->broken)
		return npu_lib_fail(n, n->broken_err, "the connection is closed: %s",
				    n->broken_why);
	if (plen > sizeof(n->req) - sizeof(*q))
		return npu_lib_fail(n, -EINVAL, "%s request of %zu bytes is too large", op_name(op),
				    plen);
	n->seq = n->seq == UINT32_MAX ? 1 : n->seq + 1;
	*q = (struct npu_req_hdr){ .magic = NPU_PROTO_REQ_MAGIC,
				   .version =
				       (uint16_t)(n->version ? n->version : NPU_PROTO_VERSION),
				   .op = (uint16_t)op,
				   .size = (uint32_t)(sizeof(*q) + plen),
				   .seq = n->seq };
	if (plen)
		memcpy(n->req + sizeof(*q), payload, plen);
	ret = n->ops->request(n, n->req, sizeof(*q) + plen, n->rsp, &len, &r->att, timeout_ms);
	if (ret) {
		attach_drop(&r->att);
		n->broken = true;
		n->broken_err = ret;
		snprintf(n->broken_why, sizeof(n->broken_why), "%s", n->err);
		return ret;
	}
	if (len < sizeof(*h))
		ret = proto_fail(n, op, "%zu bytes, shorter than a reply header", len);
	else
		ret = check_header(n, op, n->seq, h, len);
	if (!ret && h->status < 0) {
		if (len - sizeof(*h) > NPU_PROTO_ERR_MAX)
			ret = proto_fail(n, op, "an error message of %zu bytes", len - sizeof(*h));
		else
			take_message(n, n->rsp + sizeof(*h), len - sizeof(*h), h->status);
		if (!ret && (r->att.fd >= 0 || r->att.cpu))
			ret = proto_fail(n, op, "memory came with an error");
		if (!ret)
			ret = h->status;
	} else if (!ret) {
		if (want != NPU_LIB_ANY_SIZE && len - sizeof(*h) != want)
			ret = proto_fail(n, op, "%zu bytes of payload, not %zu", len - sizeof(*h),
					 want);
		else if (memory && r->att.fd < 0 && !r->att.cpu)
			ret = proto_fail(n, op, "no memory came with it");
		else if (!memory && (r->att.fd >= 0 || r->att.cpu))
			ret = proto_fail(n, op, "memory came with it");
	}
	if (ret) {
		attach_drop(&r->att);
		if (n->broken)
			snprintf(n->broken_why, sizeof(n->broken_why), "%s", n->err);
		return ret;
	}
	r->payload = n->rsp + sizeof(*h);
	r->len = len - sizeof(*h);
	return 0;
}

static int check_zero(struct npu *n, unsigned op, const char *field, uint64_t v)
{
	return v ? proto_fail(n, op, "%s is 0x%llx, not 0", field, (unsigned long long)v) : 0;
}

/* A string field must end inside itself. */
static int take_string(struct npu *n, char *dst, const char *src, size_t len, const char *field)
{
	if (!memchr(src, '\0', len))
		return proto_fail(n, NPU_OP_QUERY, "%s does not end inside its %zu bytes", field,
				  len);
	memcpy(dst, src, len);
	return 0;
}

/* "myprog" from /proc/self/comm, for status; "libnpu" when it cannot be read. */
static void program_name(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/comm", "re");
	size_t n = 0;

	if (f) {
		n = fread(out, 1, len - 1, f);
		fclose(f);
	}
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\0'))
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, len, "libnpu");
}

static int hello(struct npu *n, const char *name)
{
	struct npu_req_hello q = { .version_min = LIB_VERSION_MIN, .version_max = LIB_VERSION_MAX };
	struct npu_lib_reply r;
	int ret;

	if (name)
		strncpy(q.name, name, sizeof(q.name) - 1);
	else
		program_name(q.name, sizeof(q.name));
	ret = npu_lib_call(n, NPU_OP_HELLO, &q, sizeof(q), sizeof(n->hello), REPLY_MS, &r);
	if (ret == -EPROTONOSUPPORT)
		return npu_lib_fail(n, ret,
				    "npud speaks no protocol version from %u to %u (it said: %s)",
				    LIB_VERSION_MIN, LIB_VERSION_MAX, n->err);
	if (ret)
		return ret;
	memcpy(&n->hello, r.payload, sizeof(n->hello));
	if (n->hello.version < LIB_VERSION_MIN || n->hello.version > LIB_VERSION_MAX)
		return proto_fail(n, NPU_OP_HELLO, "it chose version %u, outside %u..%u",
				  n->hello.version, LIB_VERSION_MIN, LIB_VERSION_MAX);
	n->version = n->hello.version;
	return 0;
}

static int query(struct npu *n, struct npu_info *info)
{
	struct npu_rsp_query q;
	struct npu_lib_reply r;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = npu_lib_call(n, NPU_OP_QUERY, NULL, 0, sizeof(q), REPLY_MS, &r);
	if (ret)
		return ret;
	memcpy(&q, r.payload, sizeof(q));
	ret = take_string(n, info->generation, q.generation, sizeof(q.generation), "generation");
	if (!ret)
		ret = take_string(n, info->platform, q.platform, sizeof(q.platform), "platform");
	if (!ret)
		ret = take_string(n, info->pci_address, q.pci_address, sizeof(q.pci_address),
				  "pci_address");
	if (!ret)
		ret = take_string(n, info->firmware_version, q.firmware_version,
				  sizeof(q.firmware_version), "firmware_version");
	if (!ret)
		ret = take_string(n, info->firmware_path, q.firmware_path, sizeof(q.firmware_path),
				  "firmware_path");
	if (!ret)
		ret = take_string(n, info->state, q.state, sizeof(q.state), "state");
	if (!ret)
		ret = check_zero(n, NPU_OP_QUERY, "reserved0",
				 (uint64_t)q.reserved0[0] | q.reserved0[1]);
	if (!ret && q.simulated > 1)
		ret = proto_fail(n, NPU_OP_QUERY, "simulated is %u, not 0 or 1", q.simulated);
	if (!ret && q.memory_used_bytes > q.memory_total_bytes && q.memory_total_bytes)
		ret = proto_fail(n, NPU_OP_QUERY, "%llu bytes used of %llu",
				 (unsigned long long)q.memory_used_bytes,
				 (unsigned long long)q.memory_total_bytes);
	if (ret)
		return ret;
	info->protocol_version = n->version;
	info->pci_vendor = q.pci_vendor;
	info->pci_device = q.pci_device;
	info->pci_revision = q.pci_revision;
	info->simulated = q.simulated;
	info->api_version_jsm = q.api_version_jsm;
	info->api_version_boot = q.api_version_boot;
	info->capabilities = q.capabilities;
	info->memory_total_bytes = q.memory_total_bytes;
	info->memory_used_bytes = q.memory_used_bytes;
	info->client_id = n->hello.client_id;
	info->max_buffers = n->hello.max_buffers;
	info->max_buffer_bytes = n->hello.max_buffer_bytes;
	info->max_queued_jobs = n->hello.max_queued_jobs;
	return 0;
}

static void handle_free(struct npu *n)
{
	pthread_mutex_destroy(&n->lock);
	free(n);
}

int npu_open(const struct npu_open_opts *opts, struct npu **out)
{
	static const struct npu_open_opts defaults;
	struct npu_info info;
	struct npu *n;
	int ret;

	open_err[0] = '\0';
	if (!out) {
		snprintf(open_err, sizeof(open_err), "npu_open: no place for the handle");
		return -EINVAL;
	}
	*out = NULL;
	if (!opts)
		opts = &defaults;
	n = calloc(1, sizeof(*n));
	if (!n) {
		snprintf(open_err, sizeof(open_err), "npu_open: out of memory");
		return -ENOMEM;
	}
	if (pthread_mutex_init(&n->lock, NULL) != 0) {
		free(n);
		snprintf(open_err, sizeof(open_err), "npu_open: cannot create a mutex");
		return -ENOMEM;
	}
	ret = opts->socket ? npu_sock_open(n, opts->socket) : npu_local_open(n, opts);
	if (ret) {
		snprintf(open_err, sizeof(open_err), "%s", n->err);
		handle_free(n);
		return ret;
	}
	ret = hello(n, opts->client_name);
	if (!ret)
		ret = query(n, &info);
	if (ret) {
		snprintf(open_err, sizeof(open_err), "%s", n->err);
		n->ops->close(n);
		handle_free(n);
		return ret;
	}
	n->gen = npu_gen_parse(info.generation);
	n->caps = info.capabilities;
	*out = n;
	return 0;
}

void npu_close(struct npu *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	npu_lib_bufs_release(n);
	n->ops->close(n);
	pthread_mutex_unlock(&n->lock);
	handle_free(n);
}

int npu_query(struct npu *n, struct npu_info *info)
{
	int ret;

	if (!n || !info)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	ret = query(n, info);
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_submit(struct npu *n, struct npu_buf *cmd, struct npu_buf *const *bufs, unsigned n_bufs,
	       uint32_t *job_id)
{
	struct {
		struct npu_req_submit s;
		uint32_t handles[NPU_PROTO_SUBMIT_MAX_BUFS];
	} q;
	struct npu_rsp_submit rs;
	struct npu_lib_reply r;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!cmd || !job_id || (n_bufs && !bufs))
		ret = npu_lib_fail(n, -EINVAL, "npu_submit: no command buffer or no job id");
	else if (cmd->n != n)
		ret = npu_lib_fail(n, -EINVAL,
				   "npu_submit: the command buffer is another "
				   "handle's");
	else if (cmd->batch)
		ret = npu_lib_fail(n, -EINVAL,
				   "npu_submit: the command buffer is still being "
				   "built (npu_batch_end first)");
	else if (n_bufs > NPU_PROTO_SUBMIT_MAX_BUFS)
		ret = npu_lib_fail(n, -E2BIG, "npu_submit: %u buffers, at most %u", n_bufs,
				   NPU_PROTO_SUBMIT_MAX_BUFS);
	else
		ret = 0;
	for (unsigned i = 0; !ret && i < n_bufs; i++) {
		if (!bufs[i] || bufs[i]->n != n)
			ret = npu_lib_fail(n, -EINVAL, "npu_submit: buffer %u is %s", i,
					   bufs[i] ? "another handle's" : "NULL");
		else
			q.handles[i] = bufs[i]->handle;
	}
	if (ret)
		goto out;
	q.s.cmd_handle = cmd->handle;
	q.s.n_bufs = n_bufs;
	ret = npu_lib_call(n, NPU_OP_SUBMIT, &q, sizeof(q.s) + n_bufs * sizeof(uint32_t),
			   sizeof(rs), REPLY_MS, &r);
	if (ret)
		goto out;
	memcpy(&rs, r.payload, sizeof(rs));
	ret = check_zero(n, NPU_OP_SUBMIT, "reserved", rs.reserved);
	if (!ret)
		*job_id = rs.job_id;
out:
	pthread_mutex_unlock(&n->lock);
	return ret;
}

/* WAIT or JOB_QUERY: the reply must be about this job. */
static int job_call(struct npu *n, unsigned op, uint32_t job_id, uint32_t timeout_ms,
		    struct npu_rsp_job *rj)
{
	struct npu_req_wait w = { .job_id = job_id, .timeout_ms = timeout_ms };
	struct npu_req_job jq = { .job_id = job_id };
	struct npu_lib_reply r;
	int ret;

	if (op == NPU_OP_WAIT)
		ret = npu_lib_call(n, op, &w, sizeof(w), sizeof(*rj), timeout_ms + WAIT_MARGIN_MS,
				   &r);
	else
		ret = npu_lib_call(n, op, &jq, sizeof(jq), sizeof(*rj), REPLY_MS, &r);
	if (ret)
		return ret;
	memcpy(rj, r.payload, sizeof(*rj));
	if (rj->job_id != job_id)
		return proto_fail(n, op, "it is about job 0x%x, not 0x%x", rj->job_id, job_id);
	if (rj->done > 1)
		return proto_fail(n, op, "done is %u, not 0 or 1", rj->done);
	if (!rj->done && rj->status)
		return proto_fail(n, op, "status 0x%x for a job not done", rj->status);
	return check_zero(n, op, "reserved", rj->reserved);
}

int npu_wait(struct npu *n, uint32_t job_id, uint32_t timeout_ms, uint32_t *status)
{
	struct npu_rsp_job rj;
	uint32_t left = timeout_ms;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!status) {
		ret = npu_lib_fail(n, -EINVAL, "npu_wait: no place for the status");
		goto out;
	}
	/* Longer waits than one request may ask for are several requests. */
	for (;;) {
		uint32_t slice = left > NPU_PROTO_WAIT_MAX_MS ? NPU_PROTO_WAIT_MAX_MS : left;

		ret = job_call(n, NPU_OP_WAIT, job_id, slice, &rj);
		left -= slice;
		if (ret == -ETIMEDOUT && left)
			continue;
		if (ret || rj.done)
			break;
		if (!left) {
			ret = npu_lib_fail(n, -ETIMEDOUT, "job 0x%x is still running after %u ms",
					   job_id, timeout_ms);
			break;
		}
	}
	if (!ret)
		*status = rj.status;
out:
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_job_query(struct npu *n, uint32_t job_id, int *done, uint32_t *status)
{
	struct npu_rsp_job rj;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!done || !status)
		ret = npu_lib_fail(n, -EINVAL, "npu_job_query: no place for the answer");
	else
		ret = job_call(n, NPU_OP_JOB_QUERY, job_id, 0, &rj);
	if (!ret) {
		*done = (int)rj.done;
		*status = rj.status;
	}
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_status_json(struct npu *n, char *buf, size_t len)
{
	struct npu_req_status q = { .format = 0 };
	struct npu_lib_reply r;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!buf || !len) {
		ret = npu_lib_fail(n, -EINVAL, "npu_status_json: no buffer");
		goto out;
	}
	ret = npu_lib_call(n, NPU_OP_STATUS, &q, sizeof(q), NPU_LIB_ANY_SIZE, REPLY_MS, &r);
	if (ret)
		goto out;
	if (r.len == 0 || memchr(r.payload, '\0', r.len))
		ret =
		    proto_fail(n, NPU_OP_STATUS, "%s", r.len ? "a NUL inside the text" : "no text");
	else if (r.len >= len)
		ret =
		    npu_lib_fail(n, -ENOSPC, "the status report is %zu bytes; the buffer holds %zu",
				 r.len + 1, len);
	if (!ret) {
		memcpy(buf, r.payload, r.len);
		buf[r.len] = '\0';
	}
out:
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_reset(struct npu *n)
{
	struct npu_lib_reply r;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	ret = npu_lib_call(n, NPU_OP_RESET, NULL, 0, 0, REPLY_MS, &r);
	pthread_mutex_unlock(&n->lock);
	return ret;
}

const char *npu_status_name(uint32_t status)
{
	return npu_job_status_name(status);
}

const char *npu_last_error(const struct npu *n)
{
	return n ? n->err : open_err;
}

const char *npu_version(void)
{
	return NPU_VERSION;
}
