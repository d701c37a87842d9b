/* SPDX-License-Identifier: MIT */
/* What the parts of the Linux transport (unix.c, unix_listen.c, unix_peer.c) share. */
#ifndef NPU_SERVER_UNIX_INTERNAL_H
#define NPU_SERVER_UNIX_INTERNAL_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "server/proto.h"
#include "server/server.h"
#include "server/unix.h"

#define UNIX_FIXED_FDS \
	3 /* polled besides the connections: stop fd, interrupt fd, listening socket */

struct unix_conn;

/* Warnings a client can cause: a few a second, then a count of those not logged. */
struct unix_ratelimit {
	uint64_t window; /* ms */
	unsigned logged, suppressed;
};

struct npu_unix {
	struct npu_unix_config cfg;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int lfd;
	bool bound; /* the socket file at path is ours (dev, ino) */
	dev_t dev;
	ino_t ino;
	bool has_gid; /* the socket file was given to group gid */
	uint32_t gid;
	int reserve_fd; /* given up to accept and drop a connection when out of fds */
	uint64_t accept_pause_until;
	struct npu_server *srv;
	struct unix_conn **conns;
	unsigned n_conns, max_conns;
	unsigned next_id;
	struct pollfd *pfds;
	unsigned poll_n;				     /* entries of pfds in use this turn */
	struct unix_ratelimit warn_client;		     /* what a client did */
	struct unix_ratelimit warn_refused;		     /* connections refused */
	uint64_t rbuf[NPU_PROTO_REQ_MAX / sizeof(uint64_t)]; /* one request, aligned */
};

/* Closes the listening socket and removes its file, when the file is still the one we made. */
void unix_close_listener(struct npu_unix *u);

/* The peer's supplementary groups into peer->groups: SO_PEERGROUPS, else /proc/<pid>/status. */
void unix_peer_groups(int fd, struct npu_srv_peer *peer);

#endif
