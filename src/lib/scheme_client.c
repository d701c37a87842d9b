/* SPDX-License-Identifier: MIT */
/*
 * libnpu's Redox transport: npud's `npu` scheme (docs/redox.md), chosen by
 * npu_open for a path under /scheme/ in a program that has Redox's calls.
 * The path opened is a connection; a request is one write on it and its
 * reply one read, which npud parks until the reply is there (a WAIT's comes
 * from its interrupt path). The memory of a buffer is npud's: mmap of the
 * connection at the buffer's NPU address (its BUF_CREATE or BUF_MAP reply)
 * maps it here.
 *
 * There is no timeout of its own: a read waits for npud's reply, and npud
 * answers every request at once but WAIT, which carries its own timeout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib_internal.h"
#include "redox/redox_shim.h"

#define SCHEME_PREFIX "/scheme/"

struct scheme {
	size_t fd;
	void *pending; /* a reply's mapping no buffer has taken yet */
	size_t pending_size;
	char path[256];
};

bool npu_scheme_path(const char *path)
{
	return path && strncmp(path, SCHEME_PREFIX, strlen(SCHEME_PREFIX)) == 0 &&
	       npu_redox_available();
}

/* A mapping that came with a reply the library then refused: given back. */
static void drop_pending(struct scheme *s)
{
	if (s->pending)
		redox_munmap_v1(s->pending, s->pending_size);
	s->pending = NULL;
	s->pending_size = 0;
}

static int io_failed(struct npu *n, size_t r, const char *what)
{
	struct scheme *s = n->tp;
	int e = redox_errno(r);

	if (e == EPIPE)
		return npu_lib_fail(n, -EPIPE, "npud closed this connection (%s on %s)", what,
				    s->path);
	return npu_lib_fail(n, -e, "%s on %s: %s", what, s->path, strerror(e));
}

/* A successful BUF_CREATE or BUF_MAP reply: its buffer's memory, mapped here. */
static int map_reply(struct npu *n, const uint8_t *rsp, size_t len, struct npu_lib_attach *att)
{
	struct scheme *s = n->tp;
	struct npu_rsp_hdr h;
	struct npu_rsp_buf b;
	size_t r;

	if (len < sizeof(h))
		return 0;
	memcpy(&h, rsp, sizeof(h));
	if (h.magic != NPU_PROTO_RSP_MAGIC || h.status != 0 ||
	    (h.op != NPU_OP_BUF_CREATE && h.op != NPU_OP_BUF_MAP) || len < sizeof(h) + sizeof(b))
		return 0; /* nothing comes with it; npu.c judges the reply */
	memcpy(&b, rsp + sizeof(h), sizeof(b));
	if (b.size == 0 || b.size > SIZE_MAX || b.va % REDOX_PAGE_SIZE)
		return npu_lib_fail(n, -EPROTO,
				    "npud's buffer at 0x%llx of %llu bytes cannot be "
				    "mapped",
				    (unsigned long long)b.va, (unsigned long long)b.size);
	r = redox_mmap_v1(NULL, (size_t)b.size, REDOX_PROT_READ | REDOX_PROT_WRITE,
			  REDOX_MAP_SHARED, s->fd, b.va);
	if (redox_is_err(r))
		return npu_lib_fail(n, -redox_errno(r), "mapping buffer %u of %s: %s", b.handle,
				    s->path, strerror(redox_errno(r)));
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): the call returns an address */
	att->cpu = (void *)r;
	att->size = (size_t)b.size;
	s->pending = att->cpu;
	s->pending_size = att->size;
	return 0;
}

static int scheme_request(struct npu *n, const void *req, size_t len, void *rsp, size_t *rsp_len,
			  struct npu_lib_attach *att, uint32_t timeout_ms)
{
	struct scheme *s = n->tp;
	size_t r;

	(void)timeout_ms; /* npud's WAIT carries it; other replies come at once */
	att->fd = -1;
	att->cpu = NULL;
	att->size = 0;
	drop_pending(s);
	do {
		r = redox_write_v1(s->fd, req, len);
	} while (redox_errno(r) == EINTR);
	if (redox_is_err(r))
		return io_failed(n, r, "writing a request");
	if (r != len)
		return npu_lib_fail(n, -EIO, "writing a request on %s: %zu of %zu bytes went",
				    s->path, r, len);
	do {
		r = redox_read_v1(s->fd, rsp, NPU_PROTO_RSP_MAX);
	} while (redox_errno(r) == EINTR);
	if (redox_errno(r) == EMSGSIZE)
		return npu_lib_fail(n, -EPROTO, "npud's reply is larger than %u bytes",
				    NPU_PROTO_RSP_MAX);
	if (redox_is_err(r))
		return io_failed(n, r, "reading a reply");
	if (r == 0)
		return npu_lib_fail(n, -ECONNRESET,
				    "npud closed the connection on %s (it went away, or dropped "
				    "this client)",
				    s->path);
	*rsp_len = r;
	return map_reply(n, rsp, r, att);
}

static int scheme_map(struct npu *n, struct npu_lib_attach *att, size_t size, void **cpu)
{
	struct scheme *s = n->tp;

	*cpu = att->cpu;
	att->cpu = NULL;
	if (*cpu == s->pending) {
		s->pending = NULL; /* the buffer's now: unmap gives it back */
		s->pending_size = 0;
	}
	if (!*cpu || att->size < size) {
		if (*cpu)
			redox_munmap_v1(*cpu, att->size);
		*cpu = NULL;
		return npu_lib_fail(n, -EPROTO, "npud mapped %zu bytes for a buffer of %zu",
				    att->size, size);
	}
	return 0;
}

static void scheme_unmap(struct npu *n, void *cpu, size_t size)
{
	(void)n;
	if (cpu)
		redox_munmap_v1(cpu, size);
}

static void scheme_close(struct npu *n)
{
	struct scheme *s = n->tp;

	if (!s)
		return;
	drop_pending(s);
	redox_close_v1(s->fd); /* npud ends the client: its buffers and jobs go */
	free(s);
	n->tp = NULL;
}

static const struct npu_transport_ops scheme_ops = {
	.name = "scheme",
	.request = scheme_request,
	.map = scheme_map,
	.unmap = scheme_unmap,
	.close = scheme_close,
};

int npu_scheme_open(struct npu *n, const char *path)
{
	struct scheme *s;
	size_t fd;
	int e;

	if (strlen(path) >= sizeof(s->path))
		return npu_lib_fail(n, -ENAMETOOLONG, "the scheme path %s is longer than %zu bytes",
				    path, sizeof(s->path) - 1);
	fd = redox_open_v1(path, strlen(path), REDOX_O_RDWR | REDOX_O_CLOEXEC, 0);
	e = redox_errno(fd);
	if (e == ENOENT || e == ENODEV)
		return npu_lib_fail(n, -ENOENT,
				    "no npud at %s: the scheme does not exist (is npud "
				    "running?)",
				    path);
	if (e == EACCES || e == EPERM)
		return npu_lib_fail(n, -EACCES,
				    "no permission on %s: npud lets root and its group in", path);
	if (e)
		return npu_lib_fail(n, -e, "opening %s: %s", path, strerror(e));
	s = calloc(1, sizeof(*s));
	if (!s) {
		redox_close_v1(fd);
		return npu_lib_fail(n, -ENOMEM, "out of memory");
	}
	s->fd = fd;
	memcpy(s->path, path, strlen(path) + 1);
	n->tp = s;
	n->ops = &scheme_ops;
	return 0;
}
