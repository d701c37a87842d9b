/* SPDX-License-Identifier: MIT */
/*
 * The listening socket of the Linux transport: its folder, a stale file or a
 * live server in the way, its mode and group.
 */
#define _GNU_SOURCE /* SOCK_CLOEXEC, SOCK_NONBLOCK */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "npu/npu.h"
#include "server/unix_internal.h"
#include "util/log.h"

#define UNIX_BACKLOG 128

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
	int ret;

	memcpy(sa.sun_path, u->path, strlen(u->path) + 1);
	ret = bind_at(u->lfd, &sa);
	if (ret == -EADDRINUSE) {
		int alive;

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
	struct group grbuf, *gr = NULL;
	char buf[16384];
	int e = getgrnam_r(name, &grbuf, buf, sizeof(buf), &gr);

	if (!gr && u->cfg.group) {
		seterr(err, err_len, "group '%s' %s", name, e ? strerror(e) : "does not exist");
		return e ? -e : -ENOENT;
	}
	if (gr && chown(u->path, (uid_t)-1, gr->gr_gid) != 0) {
		e = errno;

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
		e = errno;
		seterr(err, err_len, "cannot set the mode of %s: %s", u->path, strerror(e));
		return -e;
	}
	if (gr) {
		u->has_gid = true;
		u->gid = (uint32_t)gr->gr_gid;
	}
	npu_info(SRV, "socket %s, mode %04o%s%s", u->path, (unsigned)(mode & 07777),
		 gr ? ", group " : ", group unchanged", gr ? name : "");
	return 0;
}

void unix_close_listener(struct npu_unix *u)
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
	u->conns = calloc(u->max_conns, sizeof(struct unix_conn *));
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
	unix_close_listener(u);
err_free:
	free(u->pfds);
	free(u->conns);
	free(u);
	return ret;
}
