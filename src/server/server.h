/* SPDX-License-Identifier: MIT */
/*
 * The server: requests of many clients (proto.h) turned into driver calls on
 * one NPU. It knows nothing of sockets: a transport (unix.c on Linux, the
 * Redox scheme, libnpu's in-process mode, the tests) creates a client per
 * connection, hands it each request message, and gets replies back through
 * the client's send callback, now or later (a WAIT is parked until its job
 * completes or its timeout passes).
 *
 * Single-threaded: every call for one server comes from one thread (the
 * transport's event loop). The loop also calls npu_server_irq() when the
 * device's interrupt fd (npu_server_irq_fd) polls readable, and
 * npu_server_tick() when the time npu_server_tick last returned has come.
 */
#ifndef NPU_SERVER_SERVER_H
#define NPU_SERVER_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/proto.h"

struct npu_device;
struct npu_server;
struct npu_srv_client;

#define NPU_SERVER_MAX_ALLOW 16

struct npu_server_config {
	uint32_t max_clients;		 /* 0: 64, one NPU context each */
	uint32_t max_buffers_per_client; /* 0: 1024 */
	uint64_t max_bytes_per_client;	 /* 0: a quarter of the device's DMA memory */
	uint32_t max_jobs_per_client;	 /* jobs queued at once; 0: 63, the queue's slots */
	uint32_t max_waits_per_client;	 /* parked WAITs; 0: 64 */
	bool share_fds;			 /* buffers carry a memfd (socket transports) */
	uint32_t owner_uid;		 /* the daemon's user: may reset */
	/* The daemon's group: its members may ask for the focus and realtime priorities. */
	uint32_t owner_gid;
	bool owner_gid_set;
	uint32_t allow_uids[NPU_SERVER_MAX_ALLOW]; /* besides root and the owner */
	unsigned n_allow_uids;
	uint32_t allow_gids[NPU_SERVER_MAX_ALLOW]; /* any of the peer's groups */
	unsigned n_allow_gids;
	bool allow_all; /* no uid/gid check (in-process use, tests) */
	/*
	 * Runtime suspend (docs/boot-params.md "Warm boot"): after this many ms with no
	 * job queued and no request, the NPU is suspended with the D0i3 entry message
	 * (drv_device_suspend) and the next request boots it again, warm. 0: never.
	 */
	uint32_t autosuspend_ms;
};

/* Who is at the other end, as the transport learnt it (SO_PEERCRED, scheme open). */
struct npu_srv_peer {
	uint32_t uid, gid;
	int32_t pid;	     /* 0: unknown */
	uint32_t groups[32]; /* supplementary groups, when the transport knows them */
	unsigned n_groups;
};

/*
 * Memory that comes with a reply (BUF_CREATE, BUF_MAP): a file descriptor
 * the transport passes on (owned by the server: the transport dups or sends
 * it before returning), or -1; and the server's own mapping, for in-process
 * transports.
 */
struct npu_srv_attach {
	int fd;
	void *cpu;
	size_t size;
};

/*
 * Sends one reply message of len bytes to the client. Returns 0, or a
 * negative errno when the client cannot take it (the server then drops the
 * client's parked waits; the transport closes it).
 */
typedef int (*npu_srv_send_fn)(void *tp, const void *msg, size_t len,
			       const struct npu_srv_attach *att);

/* The server over an open (not necessarily booted) device; boots it when needed. */
int npu_server_create(struct npu_device *d, const struct npu_server_config *cfg,
		      struct npu_server **out);
/* Drops every client (as npu_server_client_gone) and frees the server; the device stays open. */
void npu_server_destroy(struct npu_server *s);

/*
 * A new connection. Never fails for permission: a client that is not allowed
 * gets -EACCES with the reason on its first request, and the connection
 * closed. -ENOMEM only.
 */
int npu_server_client_new(struct npu_server *s, const struct npu_srv_peer *peer,
			  npu_srv_send_fn send, void *tp, struct npu_srv_client **out);
/* The connection went away: its context, buffers and jobs are freed, even mid-job. */
void npu_server_client_gone(struct npu_srv_client *c);
/* The priority band (enum npu_prio, driver/hws.h) of the client's context; -ENOENT before HELLO. */
int npu_server_client_priority(const struct npu_srv_client *c);

/*
 * One request message (len bytes; any bytes at all). Replies through send.
 * Returns 0 to go on, or a negative errno when the transport must close the
 * connection (after the error reply, when one could be sent): a message that
 * is not a request, a client that is not allowed, a send that failed.
 */
int npu_server_request(struct npu_srv_client *c, const void *msg, size_t len);

/* The device's interrupt fd (-1: none) and its service. */
int npu_server_irq_fd(const struct npu_server *s);
void npu_server_irq(struct npu_server *s);
/*
 * With jobs in flight: watches for the device's interrupt without sleeping
 * for up to NPU_POLL_WINDOW_NS (drv_device_poll), stop asked now and then;
 * when it serviced one, the clients' waits progress as after
 * npu_server_irq. True then.
 */
bool npu_server_poll(struct npu_server *s, bool (*stop)(void *arg), void *arg);

/*
 * Timers: hang detection, WAIT timeouts, deferred recoveries, completions.
 * Returns the milliseconds until it wants to run again (-1: nothing pending).
 */
int npu_server_tick(struct npu_server *s);

/* Clients connected now, and jobs queued on the device by all of them. */
unsigned npu_server_clients(const struct npu_server *s);
unsigned npu_server_jobs_queued(const struct npu_server *s);

/* The device the server drives. */
struct npu_device *npu_server_device(struct npu_server *s);

#endif
