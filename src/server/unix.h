/* SPDX-License-Identifier: MIT */
/*
 * The Linux transport of the request protocol (docs/request-protocol.md): an
 * AF_UNIX SOCK_SEQPACKET socket, one request per message and one reply per
 * message, buffers passed to the client as memfds with SCM_RIGHTS.
 *
 * One thread, one poll() loop over the listening socket, every connection,
 * the device's interrupt fd, the daemon's stop fd and the server's timers.
 * Nothing a client sends can block the loop: sockets are non-blocking, a
 * request is read whole or the connection closed, and a client whose socket
 * cannot take a reply at once (it does not read its replies) is closed.
 */
#ifndef NPU_SERVER_UNIX_H
#define NPU_SERVER_UNIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct npu_server;
struct npu_unix;

#define NPU_UNIX_MAX_CONNS_DEFAULT 256u
#define NPU_UNIX_DRAIN_MS_DEFAULT  5000u

struct npu_unix_config {
	const char *path;   /* NULL: NPU_DEFAULT_SOCKET */
	uint32_t mode;	    /* permission bits of the socket file; 0: 0660 */
	const char *group;  /* group of the socket file; NULL: "npu" when that group exists */
	unsigned max_conns; /* connections at once; 0: NPU_UNIX_MAX_CONNS_DEFAULT */
	unsigned drain_ms;  /* how long in-flight jobs may run on at stop; 0: the default */
	/*
	 * Polls readable when the daemon must stop (a signalfd, a self-pipe);
	 * -1: none. on_stop, when set, consumes it (reads the fd, says why).
	 * Readable a second time while jobs drain: stop at once.
	 */
	int stop_fd;
	void (*on_stop)(int fd, void *arg);
	void *stop_arg;
};

/*
 * Creates the listening socket at cfg->path: makes the parent folder (0755)
 * when it is missing, refuses when another server answers on the path
 * (-EADDRINUSE) or when the path is something other than a socket (-EEXIST),
 * replaces a stale socket file, sets mode and group. On error returns a
 * negative errno with the reason in words in err (err_len bytes).
 */
int npu_unix_listen(const struct npu_unix_config *cfg, struct npu_unix **out, char *err,
		    size_t err_len);

/*
 * Serves srv until the stop fd polls readable, then stops accepting, closes
 * and removes the socket, lets jobs in flight finish for up to drain_ms,
 * drops every client and returns 0. A negative errno when the loop itself
 * fails (poll), after the same clean-up.
 */
int npu_unix_serve(struct npu_unix *u, struct npu_server *srv);

/* Closes every connection and the socket (removing its file if still ours), frees u. */
void npu_unix_close(struct npu_unix *u);

/* The path the socket is bound to. */
const char *npu_unix_path(const struct npu_unix *u);

/* The group the socket file was given (cfg->group, or "npu"); false when it kept its own. */
bool npu_unix_group(const struct npu_unix *u, uint32_t *gid);

/*
 * Parses the "Groups:" line of a /proc/<pid>/status text (len bytes, not
 * necessarily NUL-terminated, untrusted) into at most max group ids. Returns
 * how many were stored, or -EINVAL when the line is missing or malformed.
 */
int npu_unix_parse_groups(const char *text, size_t len, uint32_t *groups, unsigned max);

#endif
