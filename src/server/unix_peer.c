/* SPDX-License-Identifier: MIT */
/* Who is at the other end of a connection: the peer's supplementary groups. */
#define _GNU_SOURCE /* SO_PEERGROUPS */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/unix_internal.h"
#include "util/log.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59 /* Linux 4.13 */
#endif

#define UNIX_STATUS_MAX	   16384 /* bytes of /proc/<pid>/status read */
#define UNIX_PEER_GIDS_MAX 65536 /* NGROUPS_MAX */

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

void unix_peer_groups(int fd, struct npu_srv_peer *peer)
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
