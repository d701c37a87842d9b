/* SPDX-License-Identifier: MIT */
/*
 * vfio-user over a Unix stream socket (vu_conn.h).
 *
 * The server never waits on the guest while the guest waits on it: a register
 * read is answered from the model at once (the model answers its bus without
 * waiting for its firmware: sim_hostif.c), interrupts go out through eventfds,
 * and the model reaches guest memory through the mapped regions, never by
 * a message. The only wait is for the rest of a message already begun, and
 * that is bounded (a client that stalls mid-message is dropped).
 */
#define _GNU_SOURCE
#include "vfio/vu_conn.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sim/sim.h"
#include "util/bytes.h"
#include "util/log.h"

#define MID_MESSAGE_TIMEOUT_MS 5000

struct inmsg {
	uint8_t *buf;
	int fds[VU_MAX_FDS];
	size_t nfds;
	bool fd_overflow; /* more fds came than a message may carry */
};

static void take_fds(struct inmsg *m, struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t n;
		int *fds;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)(void *)CMSG_DATA(c);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, fds + i, sizeof(fd));
			if (m->nfds < VU_MAX_FDS) {
				m->fds[m->nfds++] = fd;
			} else {
				close(fd);
				m->fd_overflow = true;
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		m->fd_overflow = true; /* the kernel closed what did not fit */
}

/* Reads exactly len bytes into buf, collecting fds; 0, -EPIPE (closed) or -errno. */
static int read_full(int sock, void *buf, size_t len, struct inmsg *m, bool started)
{
	size_t got = 0;

	while (got < len) {
		union {
			char buf[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { .iov_base = (uint8_t *)buf + got, .iov_len = len - got };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (started || got) {
			struct pollfd pfd = { .fd = sock, .events = POLLIN };
			int r = poll(&pfd, 1, MID_MESSAGE_TIMEOUT_MS);

			if (r == 0)
				return -ETIMEDOUT;
			if (r < 0 && errno != EINTR)
				return -errno;
			if (r < 0)
				continue;
		}
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		take_fds(m, &mh);
		if (n == 0)
			return -EPIPE;
		got += (size_t)n;
	}
	return 0;
}

static int write_full(int sock, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = send(sock, buf, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void drop_fds(struct inmsg *m)
{
	for (size_t i = 0; i < m->nfds; i++)
		close(m->fds[i]);
	m->nfds = 0;
}

/* One message: 0 served, -EPIPE the client went away, other negative: drop it. */
static int serve_one(struct vu_dev *d, int sock, struct inmsg *m, struct vu_reply *out)
{
	uint32_t size;
	int ret;

	m->nfds = 0;
	m->fd_overflow = false;
	ret = read_full(sock, m->buf, VU_HDR_SIZE, m, false);
	if (ret)
		goto fail;
	size = npu_le32(m->buf + VU_HDR_SIZE_OFF);
	if (size < VU_HDR_SIZE || size > VU_MAX_MSG) {
		npu_warn(PCI, "vfio-user message of %u bytes: closing the connection", size);
		ret = -EMSGSIZE;
		goto fail;
	}
	ret = read_full(sock, m->buf + VU_HDR_SIZE, size - VU_HDR_SIZE, m, true);
	if (ret)
		goto fail;
	if (m->fd_overflow) {
		npu_warn(PCI, "vfio-user message with more than %u fds: closing the connection",
			 VU_MAX_FDS);
		ret = -EBADMSG;
		goto fail;
	}
	vu_dev_handle(d, m->buf, size, m->fds, m->nfds, out);
	m->nfds = 0; /* consumed */
	if (out->len) {
		ret = write_full(sock, out->buf, out->len);
		if (ret)
			return ret;
	}
	return out->close ? -EBADMSG : 0;
fail:
	drop_fds(m);
	return ret;
}

int vu_conn_serve(struct vu_dev *d, int sock, const struct vu_conn_hooks *hooks)
{
	struct inmsg m = { 0 };
	struct vu_reply out = { 0 };
	int stop = 0, ret = 0;

	m.buf = malloc(VU_MAX_MSG);
	out.buf = malloc(VU_MAX_MSG);
	if (!m.buf || !out.buf) {
		ret = -ENOMEM;
		goto done;
	}
	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = sock, .events = POLLIN },
			{ .fd = npu_sim_irq_fd(d->sim), .events = POLLIN },
			{ .fd = hooks ? hooks->ctl_fd : -1, .events = POLLIN },
		};

		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (pfd[1].revents & POLLIN)
			vu_dev_irq(d);
		if (hooks && (pfd[2].revents & POLLIN) && hooks->on_ctl &&
		    hooks->on_ctl(hooks->arg)) {
			stop = 1;
			break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ret = serve_one(d, sock, &m, &out);
			if (ret)
				break;
		}
	}
done:
	if (ret && ret != -EPIPE)
		npu_warn(PCI, "vfio-user client dropped: %s", strerror(-ret));
	else if (!stop)
		npu_info(PCI, "vfio-user client went away");
	free(m.buf);
	free(out.buf);
	close(sock);
	vu_dev_disconnect(d);
	return stop;
}

int vu_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	size_t n = strlen(path);
	int fd;

	if (n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, n + 1);
	/* A socket left by an earlier run is replaced; any other file is not touched. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1) != 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}
