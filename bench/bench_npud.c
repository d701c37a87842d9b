/* SPDX-License-Identifier: MIT */
/*
 * An npud of the bench's own on the simulated NPU (bench_daemon.c, bench_prio.c): started
 * on a socket in a fresh folder, waited for until it answers, stopped with SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "npu/npu.h"
#include "util/clock.h"

int bench_npud_start(const struct bench_cfg *c, const char *sched, struct bench_npud *dm)
{
	const char *gen = c->gen == NPU_GEN_40XX ? "40xx" : "37xx";

	snprintf(dm->dir, sizeof(dm->dir), "/tmp/npu-bench-XXXXXX");
	if (!mkdtemp(dm->dir))
		return -errno;
	snprintf(dm->sock, sizeof(dm->sock), "%s/npud.sock", dm->dir);
	dm->pid = fork();
	if (dm->pid < 0)
		return -errno;
	if (dm->pid == 0) {
		if (sched)
			execl(c->npud, c->npud, "--device", "sim", "--gen", gen, "--sched", sched,
			      "--socket", dm->sock, "--foreground", "-q", (char *)NULL);
		else
			execl(c->npud, c->npud, "--device", "sim", "--gen", gen, "--socket",
			      dm->sock, "--foreground", "-q", (char *)NULL);
		fprintf(stderr, "bench: cannot run %s: %s\n", c->npud, strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		struct npu *n;
		int st;

		if (npu_open(&(struct npu_open_opts){ .socket = dm->sock, .client_name = "bench" },
			     &n) == 0) {
			npu_close(n);
			return 0;
		}
		if (waitpid(dm->pid, &st, WNOHANG) == dm->pid) {
			dm->pid = 0;
			return -ECHILD;
		}
		npu_sleep_us(20000);
	}
	return -ETIMEDOUT;
}

int bench_npud_stop(struct bench_npud *dm)
{
	int st = 0;

	if (dm->pid > 0) {
		kill(dm->pid, SIGTERM);
		if (waitpid(dm->pid, &st, 0) != dm->pid)
			st = -1;
	}
	unlink(dm->sock);
	rmdir(dm->dir);
	return st < 0 ? -1 : (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}
