/* SPDX-License-Identifier: MIT */
/*
 * libnpu: opening a handle, the request/reply exchange with every check a
 * reply must pass, and the query. Jobs, status and reset are in job.c,
 * buffers and batches in buf.c, the transports in sock.c, scheme_client.c and
 * local.c.
 *
 * Nothing in a reply is trusted: the header must echo the request (magic,
 * version, op, seq), the size must be exactly what was received and exactly
 * what the op's reply holds, reserved fields must be zero, strings must end
 * inside their field. A reply that fails a check closes the connection: the
 * two sides no longer agree on what comes next.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/status.h"
#include "lib/lib_internal.h"

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
	[NPU_OP_RUN] = "RUN",
	[NPU_OP_SET_PRIORITY] = "SET_PRIORITY",
};

static const char *op_name(unsigned op)
{
	return op < NPU_OP_MAX_ && op_names[op] ? op_names[op] : "?";
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
int npu_lib_proto_fail(struct npu *n, unsigned op, const char *fmt, ...)
{
	char why[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	npu_lib_fail(n, -EPROTO, "npud's reply to %s is malformed: %s", op_name(op), why);
	n->broken = true;
	n->broken_err = -EPROTO;
	snprintf(n->broken_why, sizeof(n->broken_why), "%s", n->err);
	return -EPROTO;
}

/* The server's error message: printable bytes only, the rest shown as '?'. */
static void take_message(struct npu *n, const uint8_t *msg, size_t len, int status)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < sizeof(n->err); i++) {
		char c = (char)msg[i];

		if (msg[i] < 0x20 || msg[i] == 0x7f)
			c = '?';
		n->err[o++] = c;
	}
	n->err[o] = '\0';
	if (o == 0)
		snprintf(n->err, sizeof(n->err), "%s", npu_strerror(status));
}

static int check_header(struct npu *n, unsigned op, uint32_t seq, const struct npu_rsp_hdr *h,
			size_t len)
{
	uint32_t version = n->version ? n->version : NPU_PROTO_VERSION;

	if (h->magic != NPU_PROTO_RSP_MAGIC)
		return npu_lib_proto_fail(n, op, "magic 0x%08x, not 0x%08x", h->magic,
					  NPU_PROTO_RSP_MAGIC);
	if (h->version != version)
		return npu_lib_proto_fail(n, op, "protocol version %u, not %u", h->version,
					  version);
	if (h->op != op)
		return npu_lib_proto_fail(n, op, "it answers op %u (%s)", h->op, op_name(h->op));
	if (h->seq != seq)
		return npu_lib_proto_fail(n, op, "sequence number %u, not %u", h->seq, seq);
	if (h->size != len)
		return npu_lib_proto_fail(n, op, "its header says %u bytes, %zu came", h->size,
					  len);
	if (h->reserved != 0)
		return npu_lib_proto_fail(n, op, "reserved header field is 0x%x", h->reserved);
	if (h->status > 0 || h->status < -ERRNO_MAX)
		return npu_lib_proto_fail(n, op, "status %d is not 0 or a negative errno",
					  h->status);
	return 0;
}

int npu_lib_call(struct npu *n, unsigned op, const void *payload, size_t plen, size_t want,
		 uint32_t timeout_ms, struct npu_lib_reply *r)
{
	struct npu_req_hdr *q = (struct npu_req_hdr *)n->req;
	const struct npu_rsp_hdr *h = (const struct npu_rsp_hdr *)n->rsp;
	bool memory = op == NPU_OP_BUF_CREATE || op == NPU_OP_BUF_MAP;
	size_t len = 0;
	int32_t status;
	int ret;

	memset(r, 0, sizeof(*r));
	r->att.fd = -1;
	if (n->broken) {
		ret = n->broken_err < 0 ? n->broken_err : -EPIPE;
		npu_lib_fail(n, ret, "the connection is closed: %s", n->broken_why);
		return ret;
	}
	if (plen > sizeof(n->req) - sizeof(*q)) {
		npu_lib_fail(n, -EINVAL, "%s request of %zu bytes is too large", op_name(op), plen);
		return -EINVAL;
	}
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
		ret = npu_lib_proto_fail(n, op, "%zu bytes, shorter than a reply header", len);
	else
		ret = check_header(n, op, n->seq, h, len);
	status = ret ? 0 : h->status;
	if (!ret && status < 0) {
		if (len - sizeof(*h) > NPU_PROTO_ERR_MAX)
			ret = npu_lib_proto_fail(n, op, "an error message of %zu bytes",
						 len - sizeof(*h));
		else
			take_message(n, n->rsp + sizeof(*h), len - sizeof(*h), status);
		if (!ret && (r->att.fd >= 0 || r->att.cpu))
			ret = npu_lib_proto_fail(n, op, "memory came with an error");
		if (!ret)
			ret = status;
	} else if (!ret) {
		if (want != NPU_LIB_ANY_SIZE && len - sizeof(*h) != want)
			ret = npu_lib_proto_fail(n, op, "%zu bytes of payload, not %zu",
						 len - sizeof(*h), want);
		else if (memory && r->att.fd < 0 && !r->att.cpu)
			ret = npu_lib_proto_fail(n, op, "no memory came with it");
		else if (!memory && (r->att.fd >= 0 || r->att.cpu))
			ret = npu_lib_proto_fail(n, op, "memory came with it");
	}
	if (ret) {
		attach_drop(&r->att);
		return ret;
	}
	r->payload = n->rsp + sizeof(*h);
	r->len = len - sizeof(*h);
	return 0;
}

int npu_lib_check_zero(struct npu *n, unsigned op, const char *field, uint64_t v)
{
	return v ? npu_lib_proto_fail(n, op, "%s is 0x%llx, not 0", field, (unsigned long long)v)
		 : 0;
}

/* A string field must end inside itself. */
static int take_string(struct npu *n, char *dst, const char *src, size_t len, const char *field)
{
	if (!memchr(src, '\0', len))
		return npu_lib_proto_fail(n, NPU_OP_QUERY, "%s does not end inside its %zu bytes",
					  field, len);
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
	ret = npu_lib_call(n, NPU_OP_HELLO, &q, sizeof(q), sizeof(n->hello), NPU_LIB_REPLY_MS, &r);
	if (ret == -EPROTONOSUPPORT) {
		char said[NPU_LIB_ERR_MAX];

		memcpy(said, n->err, sizeof(said));
		return npu_lib_fail(n, ret,
				    "npud speaks no protocol version from %u to %u (it said: %s)",
				    LIB_VERSION_MIN, LIB_VERSION_MAX, said);
	}
	if (ret)
		return ret;
	memcpy(&n->hello, r.payload, sizeof(n->hello));
	if (n->hello.version < LIB_VERSION_MIN || n->hello.version > LIB_VERSION_MAX)
		return npu_lib_proto_fail(n, NPU_OP_HELLO, "it chose version %u, outside %u..%u",
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
	ret = npu_lib_call(n, NPU_OP_QUERY, NULL, 0, sizeof(q), NPU_LIB_REPLY_MS, &r);
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
		ret = npu_lib_check_zero(n, NPU_OP_QUERY, "reserved0",
					 (uint64_t)q.reserved0[0] | q.reserved0[1]);
	if (!ret && q.simulated > 1)
		ret =
		    npu_lib_proto_fail(n, NPU_OP_QUERY, "simulated is %u, not 0 or 1", q.simulated);
	if (!ret && q.memory_used_bytes > q.memory_total_bytes && q.memory_total_bytes)
		ret = npu_lib_proto_fail(n, NPU_OP_QUERY, "%llu bytes used of %llu",
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
	if (!opts->socket)
		ret = npu_local_open(n, opts);
	else if (npu_scheme_path(opts->socket))
		ret = npu_scheme_open(n, opts->socket);
	else
		ret = npu_sock_open(n, opts->socket);
	if (ret) {
		snprintf(open_err, sizeof(open_err), "%s", n->err);
		handle_free(n);
		return ret;
	}
	ret = hello(n, opts->client_name);
	if (!ret)
		ret = query(n, &info);
	if (!ret && opts->priority)
		ret = npu_set_priority(n, opts->priority); /* its error is in n->err */
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

const char *npu_status_name(uint32_t status)
{
	return drv_job_status_name(status);
}

const char *npu_last_error(const struct npu *n)
{
	return n ? n->err : open_err;
}

const char *npu_version(void)
{
	return NPU_VERSION;
}
