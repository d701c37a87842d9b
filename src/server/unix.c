/* SPDX-License-Identifier: MIT */
/*
 * The Linux transport (unix.h): the listening socket, the connections and the
 * event loop that feeds the server their requests.
 */
#define _GNU_SOURCE /* struct ucred, SO_PEERCRED, SO_PEERGROUPS, accept4 */

#include "server/unix.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "npu/npu.h"
#include "server/server.h"
#include "util/log.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59 /* Linux 4.13 */
#endif

#define UNIX_BACKLOG	   128
#define UNIX_BATCH	   8  /* requests read from one connection per turn of the loop */
#define UNIX_ACCEPT_BATCH  64 /* connections accepted per turn */
#define UNIX_SNDBUF	   (4 * (int)NPU_PROTO_RSP_MAX)
#define UNIX_STATUS_MAX	   16384 /* bytes of /proc/<pid>/status read */
#define UNIX_PEER_GIDS_MAX 65536 /* NGROUPS_MAX */
#define UNIX_WARN_PER_SEC  10	 /* warnings a second about what clients did */
#define UNIX_FIXED_FDS	   3	 /* stop fd, interrupt fd, listening socket */

struct unix_conn {
	int fd;
	bool dead; /* closed at the end of the loop turn */
	unsigned id;
	struct npu_srv_peer peer;
	struct npu_srv_client *client; /* made on the first request */
};

struct npu_unix {
	struct npu_unix_config cfg;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int lfd;
	bool bound; /* the socket file at path is ours (dev, ino) */
	dev_t dev;
	ino_t ino;
	int reserve_fd; /* given up to accept and drop a connection when out of fds */
	uint64_t accept_pause_until;
	struct npu_server *srv;
	struct unix_conn **conns;
	unsigned n_conns, max_conns;
	unsigned next_id;
	struct pollfd *pfds;
	uint64_t warn_window;
	unsigned warned, suppressed;
	uint64_t rbuf[NPU_PROTO_REQ_MAX / sizeof(uint64_t)]; /* one request, aligned */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void seterr(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* A warning about what a client did; at most UNIX_WARN_PER_SEC a second, so no client floods the log. */
static void client_warn(struct npu_unix *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void client_warn(struct npu_unix *u, const char *fmt, ...)
{
	uint64_t now = now_ms();
	va_list ap;

	if (now - u->warn_window >= 1000) {
		if (u->suppressed)
			npu_warn(SRV, "%u more warnings about clients were not logged",
				 u->suppressed);
		u->warn_window = now;
		u->warned = 0;
		u->suppressed = 0;
	}
	if (u->warned >= UNIX_WARN_PER_SEC) {
		u->suppressed++;
		return;
	}
	u->warned++;
	if (!npu_log_enabled(NPU_LOG_WARN, NPU_CAT_SRV))
		return;
	va_start(ap, fmt);
	npu_log_vmsg(NPU_LOG_WARN, NPU_CAT_SRV, fmt, ap);
	va_end(ap);
}

int npu_unix_parse_groups(const char *text, size_t len, uint32_t *groups, unsigned max)
{
	static const char key[] = "Groups:";
	size_t i = 0, klen = sizeof(key) - 1;
	unsigned n = 0;

	/* The line that starts with the key. */
	for (;;) {
		if (len - i >= klen && memcmp(text + i, key, klen) == 0)
			break;
		while (i < len && text[i] != '\n')
			i++;
		if (i >= len)
			return -EINVAL;
		i++;
	}
	i += klen;
	while (i < len && text[i] != '\n') {
		uint64_t v = 0;
		size_t digits = 0;

		if (text[i] == ' ' || text[i] == '\t') {
			i++;
			continue;
		}
		while (i < len && text[i] >= '0' && text[i] <= '9') {
			v = v * 10u + (uint64_t)(text[i] - '0');
			if (v > UINT32_MAX)
				return -EINVAL;
			digits++;
			i++;
		}
		if (!digits || (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\n'))
			return -EINVAL;
		if (n < max)
			groups[n++] = (uint32_t)v;
	}
	return (int)n;
}

/* The peer's supplementary groups as the socket recorded them at connect (Linux 4.13). */
static int sock_groups(int fd, struct npu_srv_peer *peer)
{
	unsigned max = sizeof(peer->groups) / sizeof(peer->groups[0]);
	gid_t small[256], *gids = small;
	socklen_t len = sizeof(small);
	size_t count;
	int ret = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, gids, &len) != 0) {
		if (errno != ERANGE || len > UNIX_PEER_GIDS_MAX * sizeof(gid_t))
			return -errno;
		gids = malloc(len);
		if (!gids)
			return -ENOMEM;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, gids, &len) != 0) {
			ret = -errno;
			goto out;
		}
	}
	count = len / sizeof(gid_t);
	for (size_t i = 0; i < count && peer->n_groups < max; i++)
		peer->groups[peer->n_groups++] = (uint32_t)gids[i];
	if (count > max)
		npu_dbg(SRV, "pid %d is in %zu groups; the first %u count", (int)peer->pid, count,
			max);
out:
	if (gids != small)
		free(gids);
	return ret;
}

/* Without SO_PEERGROUPS: the process's groups now, from /proc (untrusted text). */
static void proc_groups(struct npu_srv_peer *peer)
{
	unsigned max = sizeof(peer->groups) / sizeof(peer->groups[0]);
	char path[64], text[UNIX_STATUS_MAX];
	ssize_t got;
	int fd, n;

	if (peer->pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)peer->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	got = read(fd, text, sizeof(text));
	close(fd);
	n = got > 0 ? npu_unix_parse_groups(text, (size_t)got, peer->groups, max) : -EINVAL;
	if (n < 0)
		npu_dbg(SRV, "%s: no Groups line; supplementary groups unknown", path);
	else
		peer->n_groups = (unsigned)n;
}

static void peer_groups(int fd, struct npu_srv_peer *peer)
{
	int ret;

	peer->n_groups = 0;
	ret = sock_groups(fd, peer);
	if (ret == -ENOPROTOOPT)
		proc_groups(peer);
	else if (ret)
		npu_dbg(SRV, "pid %d: supplementary groups unknown: %s", (int)peer->pid,
			strerror(-ret));
}

/* The server's send callback: one reply, with the buffer's fd when there is one. */
static int conn_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct unix_conn *cn = tp;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
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
		client_warn(u, "connection refused: %u connections already (the limit)",
			    u->n_conns);
		close(fd);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred)) {
		client_warn(u, "connection refused: its credentials are unknown: %s",
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
	peer_groups(fd, &cn->peer);
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
			client_warn(u, "connection refused: out of file descriptors");
			continue;
		}
		/* Nothing to be done now: do not spin on the listening socket. */
		npu_err(SRV, "accepting a connection: %s", strerror(errno));
		u->accept_pause_until = now_ms() + 100;
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
			client_warn(u,
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

static int make_parent(const char *path, char *err, size_t err_len)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		seterr(err, err_len, "%s is not a folder", dir);
		return -ENOTDIR;
	}
	if (errno != ENOENT || mkdir(dir, 0755) != 0 || chmod(dir, 0755) != 0) {
		int e = errno;

		seterr(err, err_len, "cannot create the folder %s: %s", dir, strerror(e));
		return -e;
	}
	npu_info(SRV, "created %s", dir);
	return 0;
}

/* 1: something answers on the socket at sa; 0: nothing does (a stale file); <0: cannot tell. */
static int socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int r, e;

	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	e = errno;
	close(fd);
	if (r == 0 || e == EAGAIN || e == EINPROGRESS || e == EPROTOTYPE)
		return 1; /* a server, a full backlog, or a live socket of another kind */
	if (e == ECONNREFUSED)
		return 0;
	return -e;
}

/* Nobody can connect before listen(), which comes after the mode and group are set. */
static int bind_at(int fd, const struct sockaddr_un *sa)
{
	return bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ? 0 : -errno;
}

static int bind_socket(struct npu_unix *u, char *err, size_t err_len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int ret, alive;

	memcpy(sa.sun_path, u->path, strlen(u->path) + 1);
	ret = bind_at(u->lfd, &sa);
	if (ret == -EADDRINUSE) {
		if (lstat(u->path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
			seterr(err, err_len, "%s exists and is not a socket", u->path);
			return -EEXIST;
		}
		alive = socket_alive(&sa);
		if (alive != 0) {
			seterr(err, err_len, "%s: %s", u->path,
			       alive > 0 ? "another server answers there (npud already running?)"
					 : strerror(-alive));
			return alive > 0 ? -EADDRINUSE : alive;
		}
		npu_info(SRV, "removing the stale socket %s", u->path);
		if (unlink(u->path) != 0 && errno != ENOENT) {
			ret = -errno;
			seterr(err, err_len, "cannot remove the stale socket %s: %s", u->path,
			       strerror(errno));
			return ret;
		}
		ret = bind_at(u->lfd, &sa);
	}
	if (ret) {
		seterr(err, err_len, "cannot bind %s: %s", u->path, strerror(-ret));
		return ret;
	}
	if (lstat(u->path, &st) == 0) {
		u->bound = true;
		u->dev = st.st_dev;
		u->ino = st.st_ino;
	}
	return 0;
}

static int set_owner(struct npu_unix *u, char *err, size_t err_len)
{
	const char *name = u->cfg.group ? u->cfg.group : "npu";
	mode_t mode = u->cfg.mode ? (mode_t)u->cfg.mode : 0660;
	struct group *gr;

	errno = 0;
	gr = getgrnam(name);
	if (!gr && u->cfg.group) {
		seterr(err, err_len, "group '%s' %s", name,
		       errno ? strerror(errno) : "does not exist");
		return errno ? -errno : -ENOENT;
	}
	if (gr && chown(u->path, (uid_t)-1, gr->gr_gid) != 0) {
		int e = errno;

		if (u->cfg.group) {
			seterr(err, err_len, "cannot give %s to group %s: %s", u->path, name,
			       strerror(e));
			return -e;
		}
		npu_warn(SRV, "cannot give %s to group %s: %s; its mode alone decides who connects",
			 u->path, name, strerror(e));
		gr = NULL;
	}
	if (chmod(u->path, mode & 07777) != 0) {
		int e = errno;

		seterr(err, err_len, "cannot set the mode of %s: %s", u->path, strerror(e));
		return -e;
	}
	npu_info(SRV, "socket %s, mode %04o%s%s", u->path, (unsigned)(mode & 07777),
		 gr ? ", group " : " (no group 'npu')", gr ? name : "");
	return 0;
}

static void close_listener(struct npu_unix *u)
{
	struct stat st;

	if (u->lfd >= 0)
		close(u->lfd);
	u->lfd = -1;
	/* Only our own file: a newer server may have replaced it. */
	if (u->bound && lstat(u->path, &st) == 0 && st.st_dev == u->dev && st.st_ino == u->ino)
		unlink(u->path);
	u->bound = false;
}

int npu_unix_listen(const struct npu_unix_config *cfg, struct npu_unix **out, char *err,
		    size_t err_len)
{
	const char *path = cfg->path ? cfg->path : NPU_DEFAULT_SOCKET;
	struct npu_unix *u;
	int ret;

	*out = NULL;
	if (!*path || strlen(path) >= sizeof(u->path)) {
		seterr(err, err_len, "socket path '%s' is %s", path,
		       *path ? "too long (at most 107 bytes)" : "empty");
		return -ENAMETOOLONG;
	}
	if (cfg->mode & ~07777u) {
		seterr(err, err_len, "socket mode %o is not a permission mode", cfg->mode);
		return -EINVAL;
	}
	u = calloc(1, sizeof(*u));
	if (!u) {
		seterr(err, err_len, "out of memory");
		return -ENOMEM;
	}
	u->cfg = *cfg;
	u->lfd = -1;
	u->reserve_fd = -1;
	snprintf(u->path, sizeof(u->path), "%s", path);
	u->max_conns = cfg->max_conns ? cfg->max_conns : NPU_UNIX_MAX_CONNS_DEFAULT;
	u->conns = calloc(u->max_conns, sizeof(*u->conns));
	u->pfds = calloc((size_t)u->max_conns + UNIX_FIXED_FDS, sizeof(*u->pfds));
	if (!u->conns || !u->pfds) {
		seterr(err, err_len, "out of memory for %u connections", u->max_conns);
		ret = -ENOMEM;
		goto err_free;
	}
	ret = make_parent(u->path, err, err_len);
	if (ret)
		goto err_free;
	u->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (u->lfd < 0) {
		ret = -errno;
		seterr(err, err_len, "cannot create a socket: %s", strerror(errno));
		goto err_free;
	}
	ret = bind_socket(u, err, err_len);
	if (!ret)
		ret = set_owner(u, err, err_len);
	if (!ret && listen(u->lfd, UNIX_BACKLOG) != 0) {
		ret = -errno;
		seterr(err, err_len, "cannot listen on %s: %s", u->path, strerror(errno));
	}
	if (ret)
		goto err_close;
	u->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	*out = u;
	return 0;

err_close:
	close_listener(u);
err_free:
	free(u->pfds);
	free(u->conns);
	free(u);
	return ret;
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

/* One turn: waits for something to happen (at most max_ms; -1: no limit) and handles it. */
static int turn(struct npu_unix *u, int stop_fd, bool serving, int max_ms, bool *stop)
{
	int timeout = npu_server_tick(u->srv);
	bool accepting = serving && u->lfd >= 0 && now_ms() >= u->accept_pause_until;
	unsigned n = fill_pfds(u, stop_fd, accepting, serving);
	unsigned old = u->n_conns;
	int r;

	if (serving && u->lfd >= 0 && !accepting)
		timeout = timeout < 0 || timeout > 100 ? 100 : timeout;
	if (max_ms >= 0 && (timeout < 0 || timeout > max_ms))
		timeout = max_ms;
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
	close_listener(u);
	deadline = now_ms() + drain;
	if (ret == 0 && npu_server_jobs_queued(srv))
		npu_info(SRV, "stopping: waiting up to %u ms for %u jobs in flight", drain,
			 npu_server_jobs_queued(srv));
	stop = false;
	while (ret == 0 && !stop && npu_server_jobs_queued(srv)) {
		uint64_t now = now_ms();

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
	close_listener(u);
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
