/* SPDX-License-Identifier: MIT */
/*
 * The Linux transport (unix.h): the connections and the event loop that feeds
 * the server their requests. The listening socket is made in unix_listen.c,
 * the peer's groups are learnt in unix_peer.c.
 */
#define _GNU_SOURCE /* struct ucred, SO_PEERCRED, accept4 */

#include "server/unix.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"
#include "server/unix_internal.h"
#include "util/clock.h"
#include "util/log.h"

#define UNIX_BATCH	  8  /* requests read from one connection per turn of the loop */
#define UNIX_ACCEPT_BATCH 64 /* connections accepted per turn */
#define UNIX_SNDBUF	  (4 * (int)NPU_PROTO_RSP_MAX)
#define UNIX_WARN_PER_SEC 10 /* warnings a second about what clients did */

struct unix_conn {
	int fd;
	bool dead; /* closed at the end of the loop turn */
	unsigned id;
	struct npu_srv_peer peer;
	struct npu_srv_client *client; /* made on the first request */
};

/* Flushes the count of warnings not logged in the window that ended. */
static void rl_flush(struct unix_ratelimit *rl)
{
	if (rl->suppressed)
		npu_warn(SRV, "%u more warnings like the last one were not logged", rl->suppressed);
	rl->suppressed = 0;
	rl->logged = 0;
}

/* A warning clients cause: at most UNIX_WARN_PER_SEC a second per kind, no flood. */
static void rl_warn(struct unix_ratelimit *rl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void rl_warn(struct unix_ratelimit *rl, const char *fmt, ...)
{
	uint64_t now = npu_clock_ms();
	va_list ap;

	if (now - rl->window >= 1000) {
		rl_flush(rl);
		rl->window = now;
	}
	if (rl->logged >= UNIX_WARN_PER_SEC) {
		rl->suppressed++;
		return;
	}
	rl->logged++;
	if (!npu_log_enabled(NPU_LOG_WARN, NPU_CAT_SRV))
		return;
	va_start(ap, fmt);
	npu_log_vmsg(NPU_LOG_WARN, NPU_CAT_SRV, fmt, ap);
	va_end(ap);
}

/* The server's send callback: one reply, with the buffer's fd when there is one. */
static int conn_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct unix_conn *cn = tp;
	/* sendmsg only reads the iovec's bytes: its base is not const in POSIX. */
	union {
		/* cppcheck-suppress unusedStructMember ; set, then read as base */
		const void *in;
		void *base;
	} m = { .in = msg };
	struct iovec iov = { .iov_base = m.base, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	ssize_t n;

	if (cn->dead)
		return -EPIPE;
	if (att && att->fd >= 0) {
		struct cmsghdr *cm;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &att->fd, sizeof(int));
	}
	do {
		n = sendmsg(cn->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return 0;
	/*
	 * A client that does not read its replies fills its socket: it is
	 * closed rather than let it hold the loop or the server's memory.
	 */
	cn->dead = true;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -EAGAIN;
	return n < 0 ? -errno : -EIO;
}

static void conn_free(struct npu_unix *u, struct unix_conn *cn, const char *why)
{
	if (cn->client)
		npu_server_client_gone(cn->client);
	npu_dbg(SRV, "connection %u (pid %d, uid %u) closed: %s", cn->id, (int)cn->peer.pid,
		cn->peer.uid, why);
	close(cn->fd);
	free(cn);
	(void)u;
}

/* Closes the connections marked dead. */
static void sweep(struct npu_unix *u, const char *why)
{
	for (unsigned i = 0; i < u->n_conns;) {
		if (!u->conns[i]->dead) {
			i++;
			continue;
		}
		conn_free(u, u->conns[i], why);
		u->conns[i] = u->conns[--u->n_conns];
		u->conns[u->n_conns] = NULL;
	}
}

static void conn_add(struct npu_unix *u, int fd)
{
	struct unix_conn *cn;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int sndbuf = UNIX_SNDBUF;

	if (u->n_conns >= u->max_conns) {
		rl_warn(&u->warn_refused, "connection refused: %u connections already (the limit)",
			u->n_conns);
		close(fd);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred)) {
		rl_warn(&u->warn_refused, "connection refused: its credentials are unknown: %s",
			strerror(errno));
		close(fd);
		return;
	}
	cn = calloc(1, sizeof(*cn));
	if (!cn) {
		npu_err(SRV, "connection refused: out of memory");
		close(fd);
		return;
	}
	cn->fd = fd;
	cn->id = ++u->next_id;
	cn->peer.uid = cred.uid;
	cn->peer.gid = cred.gid;
	cn->peer.pid = cred.pid;
	unix_peer_groups(fd, &cn->peer);
	/* Room for a few of the largest replies; the kernel caps it. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	u->conns[u->n_conns++] = cn;
	npu_dbg(SRV, "connection %u: pid %d, uid %u, gid %u, %u groups", cn->id, (int)cred.pid,
		cred.uid, cred.gid, cn->peer.n_groups);
}

static void accept_all(struct npu_unix *u)
{
	for (int i = 0; i < UNIX_ACCEPT_BATCH; i++) {
		int fd = accept4(u->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			conn_add(u, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if ((errno == EMFILE || errno == ENFILE) && u->reserve_fd >= 0) {
			/* Out of fds: take the connection off the queue with the spare one, and drop it. */
			close(u->reserve_fd);
			fd = accept4(u->lfd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				close(fd);
			u->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			rl_warn(&u->warn_refused, "connection refused: out of file descriptors");
			continue;
		}
		/* Nothing to be done now: do not spin on the listening socket. */
		npu_err(SRV, "accepting a connection: %s", strerror(errno));
		u->accept_pause_until = npu_clock_ms() + 100;
		return;
	}
}

/* Reads and hands on what one connection sent; marks it dead on hang-up or garbage. */
static void conn_read(struct npu_unix *u, struct unix_conn *cn)
{
	for (int i = 0; i < UNIX_BATCH && !cn->dead; i++) {
		struct iovec iov = { .iov_base = u->rbuf, .iov_len = sizeof(u->rbuf) };
		/* No control buffer: descriptors a client sends are dropped by the kernel. */
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(cn->fd, &mh, MSG_DONTWAIT);
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				npu_dbg(SRV, "connection %u: %s", cn->id, strerror(errno));
				cn->dead = true;
			}
			return;
		}
		if (n == 0) { /* hang-up (or an empty message, which is no request either) */
			cn->dead = true;
			return;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			rl_warn(&u->warn_client,
				"connection %u (pid %d, uid %u): a message over %u bytes is no "
				"request; closed",
				cn->id, (int)cn->peer.pid, cn->peer.uid, NPU_PROTO_REQ_MAX);
			cn->dead = true;
			return;
		}
		if (!cn->client) {
			ret = npu_server_client_new(u->srv, &cn->peer, conn_send, cn, &cn->client);
			if (ret) {
				npu_err(SRV, "connection %u: %s", cn->id, strerror(-ret));
				cn->client = NULL;
				cn->dead = true;
				return;
			}
		}
		ret = npu_server_request(cn->client, u->rbuf, (size_t)n);
		if (ret) {
			npu_dbg(SRV, "connection %u: closed by the server: %s", cn->id,
				strerror(-ret));
			cn->dead = true;
		}
	}
}

/* Fills the poll set: stop fd, interrupt fd, listening socket, then the connections. */
static unsigned fill_pfds(struct npu_unix *u, int stop_fd, bool accepting, bool reading)
{
	struct pollfd *p = u->pfds;

	p[0] = (struct pollfd){ .fd = stop_fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = npu_server_irq_fd(u->srv), .events = POLLIN };
	p[2] = (struct pollfd){ .fd = accepting ? u->lfd : -1, .events = POLLIN };
	for (unsigned i = 0; i < u->n_conns; i++)
		p[UNIX_FIXED_FDS + i] =
		    (struct pollfd){ .fd = u->conns[i]->fd, .events = reading ? POLLIN : 0 };
	return UNIX_FIXED_FDS + u->n_conns;
}

/* npu_server_poll's stop: a socket (or the stop fd) has something. */
static bool fds_ready(void *arg)
{
	struct npu_unix *u = arg;

	return poll(u->pfds, u->poll_n, 0) > 0;
}

/* One turn: waits for something to happen (at most max_ms; -1: no limit) and handles it. */
static int turn(struct npu_unix *u, int stop_fd, bool serving, int max_ms, bool *stop)
{
	int timeout = npu_server_tick(u->srv);
	bool accepting = serving && u->lfd >= 0 && npu_clock_ms() >= u->accept_pause_until;
	unsigned n = fill_pfds(u, stop_fd, accepting, serving);
	unsigned old = u->n_conns;
	int r;

	u->poll_n = n;

	/* Stopping, and the tick saw the last job in flight end: nothing to wait for. */
	if (!serving && !npu_server_jobs_queued(u->srv))
		return 0;
	if (serving && u->lfd >= 0 && !accepting)
		timeout = timeout < 0 || timeout > 100 ? 100 : timeout;
	if (max_ms >= 0 && (timeout < 0 || timeout > max_ms))
		timeout = max_ms;
	/*
	 * Jobs in flight and nothing else to do: the device's interrupt is
	 * watched first (no register read), so a short job's completion
	 * reaches its client without the eventfd's wake-up. The sockets are
	 * looked at now and then meanwhile.
	 */
	if (timeout != 0 && npu_server_jobs_queued(u->srv) && npu_server_poll(u->srv, fds_ready, u))
		timeout = 0;
	r = poll(u->pfds, n, timeout);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (u->pfds[1].revents & POLLIN)
		npu_server_irq(u->srv);
	if (u->pfds[0].revents) {
		if (u->cfg.on_stop)
			u->cfg.on_stop(stop_fd, u->cfg.stop_arg);
		*stop = true;
	}
	for (unsigned i = 0; i < old; i++) {
		short ev = u->pfds[UNIX_FIXED_FDS + i].revents;

		if (serving && (ev & POLLIN))
			conn_read(u, u->conns[i]);
		else if (ev & (POLLHUP | POLLERR | POLLNVAL))
			u->conns[i]->dead = true;
	}
	if (u->pfds[2].revents & POLLIN)
		accept_all(u);
	sweep(u, serving ? "hang-up, garbage or unread replies" : "hang-up while stopping");
	return 0;
}

int npu_unix_serve(struct npu_unix *u, struct npu_server *srv)
{
	int stop_fd = u->cfg.stop_fd;
	unsigned drain = u->cfg.drain_ms ? u->cfg.drain_ms : NPU_UNIX_DRAIN_MS_DEFAULT;
	uint64_t deadline;
	bool stop = false;
	int ret = 0;

	u->srv = srv;
	npu_info(SRV, "serving on %s", u->path);
	while (!stop && ret == 0)
		ret = turn(u, stop_fd, true, -1, &stop);

	/* Stop: no new connections or requests; jobs in flight may finish. */
	unix_close_listener(u);
	deadline = npu_clock_ms() + drain;
	if (ret == 0 && npu_server_jobs_queued(srv))
		npu_info(SRV, "stopping: waiting up to %u ms for %u jobs in flight", drain,
			 npu_server_jobs_queued(srv));
	stop = false;
	while (ret == 0 && !stop && npu_server_jobs_queued(srv)) {
		uint64_t now = npu_clock_ms();

		if (now >= deadline)
			break;
		ret = turn(u, stop_fd, false, (int)(deadline - now), &stop);
	}
	if (npu_server_jobs_queued(srv))
		npu_warn(SRV, "stopping with %u jobs still in flight: they are dropped",
			 npu_server_jobs_queued(srv));
	for (unsigned i = 0; i < u->n_conns; i++)
		u->conns[i]->dead = true;
	sweep(u, "the server stops");
	rl_flush(&u->warn_client);
	rl_flush(&u->warn_refused);
	if (ret)
		npu_err(SRV, "the event loop failed: %s", strerror(-ret));
	u->srv = NULL;
	return ret;
}

void npu_unix_close(struct npu_unix *u)
{
	if (!u)
		return;
	for (unsigned i = 0; i < u->n_conns; i++)
		u->conns[i]->dead = true;
	sweep(u, "closing");
	unix_close_listener(u);
	if (u->reserve_fd >= 0)
		close(u->reserve_fd);
	free(u->pfds);
	free(u->conns);
	free(u);
}

const char *npu_unix_path(const struct npu_unix *u)
{
	return u->path;
}

bool npu_unix_group(const struct npu_unix *u, uint32_t *gid)
{
	if (u->has_gid)
		*gid = u->gid;
	return u->has_gid;
}
