/* SPDX-License-Identifier: MIT */
/*
 * npud - the `make vm-test` guest program's job stream: many small jobs
 * through a few command buffers, several in flight at once, so ivpu's job
 * queue (one per context and priority in OS scheduling) wraps around several
 * times and JOB_DONE messages and interrupts come back to back. Every job's
 * fill and fence is checked when it is done.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hw/cmd.h"

#include "guest_uapi.h"

#define STREAM_BUFS   8u      /* command buffers, so up to 8 jobs in flight */
#define STREAM_LINES  64u     /* fill regions and fences, reused round robin */
#define STREAM_FILL   256u    /* bytes each job fills */
#define STREAM_FENCES 0x8000u /* fences in the data BO, 64 B apart */
#define STREAM_DATA   0x10000u

static uint32_t pattern_of(uint32_t job)
{
	return 0xA5000000u | job;
}

/* Job j: fill its region, then signal its fence with j + 1. */
static void build(struct cb *cb, struct bo *cmd, const struct bo *data, uint32_t j)
{
	uint32_t line = j % STREAM_LINES;

	cb_begin(cb, cmd);
	cmd_fill(cb, data->va + line * STREAM_FILL, STREAM_FILL, pattern_of(j));
	cmd_barrier(cb);
	cmd_fence(cb, NPU_CMD_FENCE_SIGNAL, data->va + STREAM_FENCES + line * 64u, j + 1u);
	cb_end(cb);
}

/* Waits for job j (in cmd) and checks what it wrote; 0, or -1 after a FAIL line. */
static int finish(int fd, const struct bo *cmd, const struct bo *data, uint32_t j)
{
	uint32_t line = j % STREAM_LINES, status = 0;
	uint64_t fence;
	long bad;
	int ret = bo_wait(fd, cmd->handle, 20000, &status);

	if (ret < 0 || status != 0) {
		result(false, "uapi-stream", "job %u: BO_WAIT %s, job status %u", j,
		       ret < 0 ? strerror(-ret) : "ok", status);
		return -1;
	}
	fence = rd64(data, STREAM_FENCES + line * 64u);
	bad = check_pattern(data, line * STREAM_FILL, (line + 1u) * STREAM_FILL, pattern_of(j));
	if (fence != j + 1u || bad >= 0) {
		result(false, "uapi-stream", "job %u: fence %llu (expected %u), fill %s", j,
		       (unsigned long long)fence, j + 1u, bad >= 0 ? "wrong" : "right");
		return -1;
	}
	return 0;
}

/* SUBMIT, retried for up to 2 s while ivpu says the queue is full (EBUSY). */
static int submit_retry(int fd, const uint32_t *handles)
{
	const struct timespec ms = { 0, 1000000 };
	int ret;

	for (int i = 0; i < 2000; i++) {
		ret = submit(fd, handles, 2);
		if (ret != -EBUSY)
			return ret;
		nanosleep(&ms, NULL);
	}
	return ret;
}

int guest_do_stream(int fd, uint32_t jobs)
{
	struct bo cmd[STREAM_BUFS] = { 0 }, data = { 0 };
	uint32_t handles[2];
	struct cb cb;
	int64_t t0;
	int ret = 0;

	for (uint32_t b = 0; b < STREAM_BUFS && ret == 0; b++)
		ret = bo_new(fd, CMD_BO_SZE, &cmd[b]);
	if (ret == 0)
		ret = bo_new(fd, STREAM_DATA, &data);
	if (ret < 0) {
		result(false, "uapi-stream", "BO_CREATE: %s", strerror(-ret));
		goto out;
	}
	memset(data.cpu, 0, STREAM_DATA);
	t0 = now_ns();
	for (uint32_t j = 0; j < jobs + STREAM_BUFS; j++) {
		uint32_t b = j % STREAM_BUFS;

		if (j >= STREAM_BUFS && finish(fd, &cmd[b], &data, j - STREAM_BUFS) < 0)
			goto out;
		if (j >= jobs)
			continue;
		build(&cb, &cmd[b], &data, j);
		handles[0] = cmd[b].handle;
		handles[1] = data.handle;
		if ((ret = submit_retry(fd, handles)) < 0) {
			result(false, "uapi-stream", "SUBMIT of job %u: %s", j, strerror(-ret));
			goto out;
		}
	}
	result(true, "uapi-stream",
	       "%u jobs through %u command buffers (up to %u in flight) in %lld ms, each job's "
	       "fill and fence checked",
	       jobs, STREAM_BUFS, STREAM_BUFS, (long long)((now_ns() - t0) / 1000000));
out:
	bo_free(fd, &data);
	for (uint32_t b = 0; b < STREAM_BUFS; b++)
		if (cmd[b].cpu)
			bo_free(fd, &cmd[b]);
	return 0;
}
