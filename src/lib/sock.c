/* SPDX-License-Identifier: MIT */
/*
 * libnpu's Linux transport: npud's Unix socket (SOCK_SEQPACKET), one message
 * per request and per reply. The memory of a buffer comes with its reply as a
 * file descriptor (SCM_RIGHTS), mapped here and closed.
 */
#define _GNU_SOURCE /* MSG_CMSG_CLOEXEC */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/lib_internal.h"
#include "util/clock.h"

#define SOCK_MAX_FDS 4 /* room to receive (and close) a few fds more than the one allowed */

struct sock {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int gone(struct npu *n, int err, const char *what)
{
	struct sock *s = n->tp;

	return npu_lib_fail(n, err, "npud went away (%s on %s: %s)", what, s->path, strerror(-err));
}

static int send_req(struct npu *n, const void *req, size_t len)
{
	struct sock *s = n->tp;
	ssize_t w;

	do {
		w = send(s->fd, req, len, MSG_NOSIGNAL);
	} while (w < 0 && errno == EINTR);
	if (w < 0 && (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN))
		return gone(n, -errno, "send");
	if (w < 0)
		return npu_lib_fail(n, -errno, "sending to npud at %s: %s", s->path,
				    strerror(errno));
	if ((size_t)w != len)
		return npu_lib_fail(n, -EIO, "sending to npud at %s: %zd of %zu bytes went",
				    s->path, w, len);
	return 0;
}

/* Waits until a reply can be read, at most until deadline (ms, monotonic). */
static int wait_readable(struct npu *n, uint64_t deadline, uint32_t timeout_ms)
{
	struct sock *s = n->tp;
	struct pollfd p = { .fd = s->fd, .events = POLLIN };

	for (;;) {
		uint64_t now = npu_clock_ms();
		int r;

		if (now >= deadline)
			return npu_lib_fail(n, -ETIMEDOUT,
					    "npud at %s did not reply within %u s; the connection "
					    "is given up",
					    s->path, (timeout_ms + 999u) / 1000u);
		r = poll(&p, 1, (int)(deadline - now > 60000 ? 60000 : deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return npu_lib_fail(n, -errno, "waiting for npud: %s", strerror(errno));
		if (r > 0)
			return 0;
	}
}

/* The descriptors that came with a message; more than one is a protocol error. */
static int take_fds(struct npu *n, struct msghdr *m, struct npu_lib_attach *att)
{
	int count = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		size_t nfd;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nfd; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (count++ == 0)
				att->fd = fd;
			else
				close(fd);
		}
	}
	if (count > 1) {
		close(att->fd);
		att->fd = -1;
		return npu_lib_fail(n, -EPROTO, "npud sent %d file descriptors with one reply",
				    count);
	}
	return 0;
}

static int sock_request(struct npu *n, const void *req, size_t len, void *rsp, size_t *rsp_len,
			struct npu_lib_attach *att, uint32_t timeout_ms)
{
	struct sock *s = n->tp;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * SOCK_MAX_FDS)];
	} ctl;
	struct iovec iov = { .iov_base = rsp, .iov_len = NPU_PROTO_RSP_MAX };
	struct msghdr m;
	uint64_t deadline = npu_clock_ms() + timeout_ms;
	ssize_t got;
	int ret;

	att->fd = -1;
	att->cpu = NULL;
	att->size = 0;
	ret = send_req(n, req, len);
	if (ret)
		return ret;
	ret = wait_readable(n, deadline, timeout_ms);
	if (ret)
		return ret;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof(ctl.buf);
	do {
		got = recvmsg(s->fd, &m, MSG_CMSG_CLOEXEC);
	} while (got < 0 && errno == EINTR);
	if (got < 0 && errno == ECONNRESET)
		return gone(n, -ECONNRESET, "receive");
	if (got < 0)
		return npu_lib_fail(n, -errno, "receiving from npud at %s: %s", s->path,
				    strerror(errno));
	if (got == 0)
		return npu_lib_fail(n, -ECONNRESET,
				    "npud closed the connection on %s (it went away, or dropped "
				    "this client)",
				    s->path);
	ret = take_fds(n, &m, att);
	if (!ret && (m.msg_flags & MSG_TRUNC))
		ret = npu_lib_fail(n, -EPROTO, "npud's reply is larger than %u bytes",
				   NPU_PROTO_RSP_MAX);
	if (!ret && (m.msg_flags & MSG_CTRUNC))
		ret = npu_lib_fail(n, -EPROTO,
				   "npud sent more file descriptors than one reply "
				   "may carry");
	if (ret) {
		if (att->fd >= 0)
			close(att->fd);
		att->fd = -1;
		return ret;
	}
	*rsp_len = (size_t)got;
	return 0;
}

static int sock_map(struct npu *n, struct npu_lib_attach *att, size_t size, void **cpu)
{
	struct stat st;
	void *p;
	int ret = 0;

	*cpu = NULL;
	if (att->fd < 0)
		return npu_lib_fail(n, -EPROTO, "npud sent no memory for the buffer");
	if (fstat(att->fd, &st) != 0) {
		ret = npu_lib_fail(n, -errno, "the buffer's memory: %s", strerror(errno));
	} else if (st.st_size < 0 || (uint64_t)st.st_size < size) {
		ret = npu_lib_fail(n, -EPROTO,
				   "npud's buffer memory is %lld bytes, smaller than the %zu "
				   "of the buffer",
				   (long long)st.st_size, size);
	} else {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, att->fd, 0);
		if (p == MAP_FAILED)
			ret = npu_lib_fail(n, -errno, "mapping the buffer's memory: %s",
					   strerror(errno));
		else
			*cpu = p;
	}
	close(att->fd);
	att->fd = -1;
	return ret;
}

static void sock_unmap(struct npu *n, void *cpu, size_t size)
{
	(void)n;
	if (cpu)
		munmap(cpu, size);
}

static void sock_close(struct npu *n)
{
	struct sock *s = n->tp;

	if (!s)
		return;
	close(s->fd);
	free(s);
	n->tp = NULL;
}

static const struct npu_transport_ops sock_ops = {
	.name = "socket",
	.request = sock_request,
	.map = sock_map,
	.unmap = sock_unmap,
	.close = sock_close,
};

static int connect_failed(struct npu *n, const char *path, int err)
{
	switch (err) {
	case ENOENT:
		return npu_lib_fail(n, -ENOENT,
				    "no npud at %s: the socket does not exist (is "
				    "npud running?)",
				    path);
	case ECONNREFUSED:
		return npu_lib_fail(n, -ECONNREFUSED,
				    "no npud listening at %s (connection refused: npud has "
				    "stopped)",
				    path);
	case EACCES:
	case EPERM:
		return npu_lib_fail(n, -EACCES,
				    "no permission on %s: add your user to group npu (and log in "
				    "again)",
				    path);
	case ENOTSOCK:
	case EPROTOTYPE:
		return npu_lib_fail(n, -err, "%s is not npud's socket (%s)", path, strerror(err));
	default:
		return npu_lib_fail(n, -err, "connecting to npud at %s: %s", path, strerror(err));
	}
}

int npu_sock_open(struct npu *n, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct sock *s;
	int fd;

	if (!*path)
		return npu_lib_fail(n, -EINVAL, "the socket path is empty");
	if (strlen(path) >= sizeof(a.sun_path))
		return npu_lib_fail(n, -ENAMETOOLONG, "the socket path %s is longer than %zu bytes",
				    path, sizeof(a.sun_path) - 1);
	memcpy(a.sun_path, path, strlen(path) + 1);
	s = calloc(1, sizeof(*s));
	if (!s)
		return npu_lib_fail(n, -ENOMEM, "out of memory");
	memcpy(s->path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		int e = errno;

		free(s);
		return npu_lib_fail(n, -e, "cannot create a Unix socket: %s", strerror(e));
	}
	while (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(fd);
		free(s);
		return connect_failed(n, path, e);
	}
	s->fd = fd;
	n->tp = s;
	n->ops = &sock_ops;
	return 0;
}
