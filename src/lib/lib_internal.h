/* SPDX-License-Identifier: MIT */
/*
 * libnpu's insides: the handle, its buffers and batches, and the transport
 * under them. A transport carries one request message to the server and
 * brings its reply back, with the memory that comes with a BUF_CREATE or
 * BUF_MAP reply: sock.c (npud's Unix socket), scheme_client.c (npud's Redox
 * scheme) and local.c (the server and the driver in this process). npu.c encodes requests and checks every reply;
 * the transports check only what their own layer carries.
 */
#ifndef NPU_LIB_INTERNAL_H
#define NPU_LIB_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "driver/cmdbuf.h"
#include "hw/gen.h"
#include "npu/npu.h"
#include "server/proto.h"

/* Room for the detail of an error: the server's message and what libnpu adds. */
#define NPU_LIB_ERR_MAX (NPU_PROTO_ERR_MAX + 256u)

/* Memory that came with a reply: a file descriptor (socket) or a mapping (in-process). */
struct npu_lib_attach {
	int fd;	   /* -1: none */
	void *cpu; /* NULL: none */
	size_t size;
};

struct npu_transport_ops {
	const char *name;
	/*
	 * Sends the request (len bytes) and receives its reply into rsp (room for
	 * NPU_PROTO_RSP_MAX bytes), waiting at most timeout_ms for it. *att gets
	 * what came with the reply (fd -1 and cpu NULL when nothing did). Returns
	 * 0, or a negative errno with the detail in n->err; after an error the
	 * connection is not used again.
	 */
	int (*request)(struct npu *n, const void *req, size_t len, void *rsp, size_t *rsp_len,
		       struct npu_lib_attach *att, uint32_t timeout_ms);
	/*
	 * Makes the attached memory of a buffer of size bytes visible here: maps
	 * the fd (and closes it) or takes the mapping. Returns 0 or -errno with
	 * n->err set; the attach is consumed either way.
	 */
	int (*map)(struct npu *n, struct npu_lib_attach *att, size_t size, void **cpu);
	/* Undoes map. */
	void (*unmap)(struct npu *n, void *cpu, size_t size);
	/* Disconnects and frees the transport's state (n->tp). */
	void (*close)(struct npu *n);
};

struct npu_buf {
	struct npu *n;
	struct npu_buf *prev, *next; /* the handle's buffers */
	uint32_t handle;	     /* the server's name for it */
	uint64_t va;
	size_t size;
	void *cpu;
	struct npu_batch *batch; /* a command buffer being built in it, or NULL */
};

struct npu_batch {
	struct npu_buf *buf;
	struct npu_cmdbuf cb;
	uint64_t caps; /* the device's NPU_CAP_* */
};

struct npu {
	pthread_mutex_t lock; /* one request at a time; the buffer list */
	const struct npu_transport_ops *ops;
	void *tp;    /* the transport's state */
	bool broken; /* the connection is gone: every request fails with broken_err */
	int broken_err;
	char broken_why[NPU_LIB_ERR_MAX];
	uint32_t seq;
	uint32_t version; /* the protocol version npud chose */
	struct npu_rsp_hello hello;
	enum npu_gen gen; /* from the QUERY reply at open */
	uint64_t caps;
	struct npu_buf *bufs;
	char err[NPU_LIB_ERR_MAX];
	/* One request and one reply at a time (under lock). */
	_Alignas(8) uint8_t req[NPU_PROTO_REQ_MAX];
	_Alignas(8) uint8_t rsp[NPU_PROTO_RSP_MAX];
};

/* A reply that passed the checks: its payload (in n->rsp) and what came with it. */
struct npu_lib_reply {
	const uint8_t *payload;
	size_t len;
	struct npu_lib_attach att;
};

#define NPU_LIB_ANY_SIZE ((size_t)-1)
#define NPU_LIB_REPLY_MS 120000u /* how long any reply but WAIT's may take: a reset reboots */

/*
 * One request (with n->lock held): op with plen bytes of payload. A success
 * reply must carry exactly `want` bytes (NPU_LIB_ANY_SIZE: any number), and
 * memory exactly when the op is BUF_CREATE or BUF_MAP. Returns 0 with *r, the
 * server's negative errno with its message in n->err, or a transport or
 * protocol error (the connection is then closed for good).
 */
int npu_lib_call(struct npu *n, unsigned op, const void *payload, size_t plen, size_t want,
		 uint32_t timeout_ms, struct npu_lib_reply *r);

/* A reply that breaks the protocol: says why in n->err, gives the connection up, -EPROTO. */
int npu_lib_proto_fail(struct npu *n, unsigned op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 0 when a reserved field v is zero, else npu_lib_proto_fail naming it. */
int npu_lib_check_zero(struct npu *n, unsigned op, const char *field, uint64_t v);

/* Sets n->err, printf-style; returns err (a negative errno) for tail calls. */
static inline int npu_lib_fail(struct npu *n, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int npu_lib_fail(struct npu *n, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->err, sizeof(n->err), fmt, ap);
	va_end(ap);
	return err;
}

/* The transports: they set n->ops and n->tp. */
int npu_sock_open(struct npu *n, const char *path);
int npu_local_open(struct npu *n, const struct npu_open_opts *opts);
/* Redox: a path under /scheme/, in a program that has Redox's calls, is npud's scheme. */
bool npu_scheme_path(const char *path);
int npu_scheme_open(struct npu *n, const char *path);

/* Buffers and batches (buf.c): what npu_close frees. */
void npu_lib_bufs_release(struct npu *n);

#endif
