/* SPDX-License-Identifier: MIT */
/*
 * A fake transport for the server tests and the request fuzz target: clients
 * whose replies land in a buffer, requests built from proto.h, and an event
 * loop step (interrupt fd, timers) like npud's.
 */
#ifndef NPU_TEST_SERVER_TEST_UTIL_H
#define NPU_TEST_SERVER_TEST_UTIL_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/device.h"
#include "server/server.h"

#define TC_REPLIES 8

/* One fake connection: the replies the server sent it, oldest first. */
struct tc {
	struct npu_srv_client *c;
	unsigned n;
	size_t len[TC_REPLIES];
	uint8_t msg[TC_REPLIES][512];
	void *cpu[TC_REPLIES];
	int fd[TC_REPLIES];
	uint32_t seq;
	int fail_send; /* the next sends fail with this */
};

static inline int tc_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct tc *t = tp;
	unsigned i;

	if (t->fail_send)
		return t->fail_send;
	if (t->n == TC_REPLIES) { /* keep the newest */
		memmove(&t->len[0], &t->len[1], sizeof(t->len[0]) * (TC_REPLIES - 1));
		memmove(&t->msg[0], &t->msg[1], sizeof(t->msg[0]) * (TC_REPLIES - 1));
		memmove(&t->cpu[0], &t->cpu[1], sizeof(t->cpu[0]) * (TC_REPLIES - 1));
		memmove(&t->fd[0], &t->fd[1], sizeof(t->fd[0]) * (TC_REPLIES - 1));
		t->n--;
	}
	i = t->n++;
	t->len[i] = len;
	memcpy(t->msg[i], msg, len < sizeof(t->msg[i]) ? len : sizeof(t->msg[i]));
	t->cpu[i] = att ? att->cpu : NULL;
	t->fd[i] = att ? att->fd : -1;
	return 0;
}

static inline int tc_connect(struct npu_server *s, struct tc *t, uint32_t uid)
{
	struct npu_srv_peer peer = { .uid = uid, .gid = uid, .pid = 1 };

	memset(t, 0, sizeof(*t));
	return npu_server_client_new(s, &peer, tc_send, t, &t->c);
}

/* Sends op with payload; returns npu_server_request's value. */
static inline int tc_req(struct tc *t, uint16_t op, const void *body, size_t len)
{
	uint8_t buf[NPU_PROTO_REQ_MAX];
	struct npu_req_hdr h = {
		.magic = NPU_PROTO_REQ_MAGIC,
		.version = NPU_PROTO_VERSION,
		.op = op,
		.size = (uint32_t)(sizeof(h) + len),
		.seq = ++t->seq,
	};

	if (len > sizeof(buf) - sizeof(h))
		return -E2BIG;
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), body, len);
	return npu_server_request(t->c, buf, sizeof(h) + len);
}

/* The newest reply's header; body copied into out (up to out_len). */
static inline int tc_last(const struct tc *t, struct npu_rsp_hdr *h, void *out, size_t out_len)
{
	if (!t->n)
		return -ENOMSG;
	memcpy(h, t->msg[t->n - 1], sizeof(*h));
	if (out && out_len) {
		size_t body = t->len[t->n - 1] - sizeof(*h);

		memcpy(out, t->msg[t->n - 1] + sizeof(*h), body < out_len ? body : out_len);
	}
	return 0;
}

/* Status of the newest reply (or -ENOMSG). */
static inline int tc_status(const struct tc *t)
{
	struct npu_rsp_hdr h;

	return tc_last(t, &h, NULL, 0) ? -ENOMSG : h.status;
}

static inline int tc_hello(struct tc *t, const char *name)
{
	struct npu_req_hello q = { .version_min = 1, .version_max = 1 };

	strncpy(q.name, name, sizeof(q.name) - 1);
	tc_req(t, NPU_OP_HELLO, &q, sizeof(q));
	return tc_status(t);
}

/* One turn of an event loop: the interrupt when pending, then the timers. */
static inline void srv_step(struct npu_server *s, int max_ms)
{
	struct pollfd p = { .fd = npu_server_irq_fd(s), .events = POLLIN };
	int ms = npu_server_tick(s);

	if (ms < 0 || ms > max_ms)
		ms = max_ms;
	if (p.fd >= 0 && poll(&p, 1, ms) > 0)
		npu_server_irq(s);
}

#endif
