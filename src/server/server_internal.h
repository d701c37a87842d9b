/* SPDX-License-Identifier: MIT */
/* The server's state, shared by server.c (clients, requests) and server_ops.c (each operation). */
#ifndef NPU_SERVER_SERVER_INTERNAL_H
#define NPU_SERVER_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "driver/job.h"
#include "server/server.h"

/* A client's buffer, named by its handle. */
struct srv_buf {
	uint32_t handle;
	struct npu_bo *bo;
	uint32_t busy; /* references from jobs in flight */
	bool freed;    /* the client freed it while busy: goes with the last job */
	struct srv_buf *next;
};

/* A job in flight and the buffers it holds. */
struct srv_job {
	bool used;
	uint32_t job_id;
	unsigned n_bufs;
	struct srv_buf *bufs[NPU_PROTO_SUBMIT_MAX_BUFS + 1];
};

/* A parked WAIT. */
struct srv_wait {
	bool used;
	uint16_t op;
	uint32_t seq;
	uint32_t job_id;
	uint64_t deadline_ns;
};

#define SRV_JOBS_MAX  64u /* per client: above the queue's 63 slots */
#define SRV_WAITS_MAX 64u

struct npu_srv_client {
	struct npu_server *s;
	struct npu_srv_client *next;
	struct npu_srv_peer peer;
	npu_srv_send_fn send;
	void *tp;
	bool allowed, privileged;
	bool hello_done;
	bool dead; /* a send failed: the transport closes it */
	char name[32];
	uint32_t id; /* the server's, for logs and status */
	struct npu_ctx *ctx;
	struct srv_buf *bufs;
	uint32_t n_bufs;
	uint64_t bytes;
	uint32_t next_handle;
	unsigned n_jobs;
	struct srv_job jobs[SRV_JOBS_MAX];
	unsigned n_waits;
	struct srv_wait waits[SRV_WAITS_MAX];
	uint64_t requests, errors;
};

struct npu_server {
	struct npu_device *dev;
	struct npu_server_config cfg;
	struct npu_srv_client *clients;
	unsigned n_clients;
	unsigned n_served; /* clients past HELLO: each holds an NPU context */
	uint32_t next_client_id;
	uint8_t *rsp;		   /* NPU_PROTO_RSP_MAX bytes: one reply at a time */
	uint64_t last_activity_ns; /* the last request or job end (autosuspend) */
	bool suspended;		   /* drv_device_suspend put the NPU down; a request wakes it */
};

/* The request being served: what a reply needs to echo. */
struct srv_req {
	struct npu_srv_client *c;
	uint16_t op;
	uint32_t seq;
	const uint8_t *body;
	size_t len; /* bytes of body */
};

/* Replies (server.c). Both return 0 or the send's error. */
int srv_reply(const struct srv_req *r, const void *body, size_t len,
	      const struct npu_srv_attach *att);
int srv_reply_err(const struct srv_req *r, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A reply to a parked wait (op and seq saved). */
int srv_reply_to(struct npu_srv_client *c, uint16_t op, uint32_t seq, int status, const void *body,
		 size_t len);

/* Whether gid is the peer's group or one of its supplementary groups (server.c). */
bool srv_peer_in_group(const struct npu_srv_peer *p, uint32_t gid);

/* Operations (server_ops.c): each replies and returns the reply's error. */
int srv_op_hello(const struct srv_req *r);
int srv_op_query(const struct srv_req *r);
int srv_op_buf_create(const struct srv_req *r);
int srv_op_buf_free(const struct srv_req *r);
int srv_op_buf_map(const struct srv_req *r);
int srv_op_submit(const struct srv_req *r);
int srv_op_wait(const struct srv_req *r);
int srv_op_run(const struct srv_req *r);
int srv_op_job_query(const struct srv_req *r);
int srv_op_status(const struct srv_req *r);
int srv_op_reset(const struct srv_req *r);
int srv_op_priority(const struct srv_req *r); /* server_prio.c */

/* Jobs that ended give back their buffers; parked waits whose job ended or time ran out are answered. */
void srv_client_progress(struct npu_srv_client *c, uint64_t now_ns);
/* The client's live buffer of that handle (not one it freed), or NULL. */
struct srv_buf *srv_buf_find(struct npu_srv_client *c, uint32_t handle);
/* 0 when the device is READY; else replies -EAGAIN or -EIO with the reason and returns it. */
int srv_device_usable(const struct srv_req *r);
/* Frees one buffer record and its driver buffer. */
void srv_buf_destroy(struct npu_srv_client *c, struct srv_buf *b);

#endif
