/* SPDX-License-Identifier: MIT */
/*
 * npuctl selftest --socket: the battery through npud, with what a client can
 * do (libnpu only; every client is its own context): every command type in
 * one job, a job held by a fence until this process signals it, an MMU fault
 * that ends one client's context and not another's, an unknown command, two
 * clients with jobs in flight together, and a full queue. Tests that need
 * the device's insides (a read-only mapping, a hang by fault injection) run
 * in-process only.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "driver/cmdbuf.h"
#include "hw/cmd.h"
#include "hw/jsm.h"
#include "libopen.h"
#include "selftest_report.h"

#define WAIT_MS	  10000u
#define MAX_QUEUE 256u /* more than any queue: the submit must say -EBUSY before */

struct st {
	const struct npuctl *ctl;
	struct npu *n;
	struct npu_info info;
	struct selftest_results res;
};

static int job_begin(struct npu *n, struct npu_buf **cmd, struct npu_batch **b)
{
	int ret = npu_buf_create(n, npu_batch_size(n, 8, 4), 0, cmd);

	if (!ret)
		ret = npu_batch_begin(*cmd, 8, b);
	return ret;
}

/* Ends the batch, runs the job; its status, or a negative errno. */
static int job_run(struct npu *n, struct npu_buf *cmd, struct npu_batch *b, struct npu_buf *data)
{
	uint32_t id, status;
	int ret = npu_batch_end(b);

	if (!ret)
		ret = npu_submit(n, cmd, &data, data ? 1 : 0, &id);
	if (!ret)
		ret = npu_wait(n, id, WAIT_MS, &status);
	return ret ? ret : (int)status;
}

static bool all_bytes(const void *p, size_t len, uint8_t v)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

static void test_commands(struct st *t)
{
	struct npu_buf *data = NULL, *cmd = NULL;
	struct npu_batch *b;
	const uint64_t *words;
	uint64_t va;
	int rc = -EINVAL;

	if (npu_buf_create(t->n, 4 * 4096, 0, &data) || job_begin(t->n, &cmd, &b)) {
		selftest_record(&t->res, "commands", false, "cannot allocate buffers: %s",
				npu_last_error(t->n));
		goto out;
	}
	va = npu_buf_va(data);
	words = npu_buf_ptr(data);
	if (!npu_batch_nop(b) && !npu_batch_barrier(b) && !npu_batch_timestamp(b, va) &&
	    !npu_batch_fence_signal(b, va + 64, 3) &&
	    !npu_batch_fill(b, va + 4096, 4096, 0x5A5A5A5Au) &&
	    !npu_batch_copy(b, va + 8192, va + 4096, 4096))
		rc = job_run(t->n, cmd, b, data);
	else
		npu_batch_end(b);
	selftest_record(
	    &t->res, "commands",
	    rc == 0 && words[0] != 0 && words[8] == 3 &&
		all_bytes((const uint8_t *)words + 4096, 8192, 0x5A),
	    "%s (no-op), BARRIER, TIMESTAMP %llu, FENCE_SIGNAL %llu, MEMORY_FILL and COPY %s; "
	    "job status %d",
	    drv_cmd_noop_name(0), (unsigned long long)words[0], (unsigned long long)words[8],
	    all_bytes((const uint8_t *)words + 4096, 8192, 0x5A) ? "ok" : "wrong", rc);
out:
	npu_buf_free(cmd);
	npu_buf_free(data);
}

/* A job held by FENCE_WAIT: running while the fence is low, done once this process sets it. */
static void test_fence(struct st *t)
{
	struct npu_buf *data = NULL, *cmd = NULL;
	struct npu_batch *b;
	uint32_t id = 0, status = 1;
	int timed = 0, done = -1, rc = -EINVAL;
	bool untouched = false;

	if (npu_buf_create(t->n, 2 * 4096, 0, &data) || job_begin(t->n, &cmd, &b)) {
		selftest_record(&t->res, "fences", false, "cannot allocate buffers: %s",
				npu_last_error(t->n));
		goto out;
	}
	if (npu_batch_fence_wait(b, npu_buf_va(data), 1) ||
	    npu_batch_fill(b, npu_buf_va(data) + 4096, 4096, 0x6B6B6B6Bu) || npu_batch_end(b) ||
	    npu_submit(t->n, cmd, &data, 1, &id)) {
		selftest_record(&t->res, "fences", false, "cannot submit: %s",
				npu_last_error(t->n));
		goto out;
	}
	timed = npu_wait(t->n, id, 100, &status);
	npu_job_query(t->n, id, &done, &status);
	untouched = all_bytes((const uint8_t *)npu_buf_ptr(data) + 4096, 4096, 0);
	*(volatile uint64_t *)npu_buf_ptr(data) = 1;
	rc = npu_wait(t->n, id, WAIT_MS, &status);
	selftest_record(
	    &t->res, "fences",
	    timed == -ETIMEDOUT && done == 0 && untouched && rc == 0 && status == 0 &&
		all_bytes((const uint8_t *)npu_buf_ptr(data) + 4096, 4096, 0x6B),
	    "held by FENCE_WAIT (wait of 100 ms: %s, %s), then released by this process: %s",
	    timed == -ETIMEDOUT ? "timed out" : "did not time out",
	    done == 0 ? "still running" : "not running",
	    rc ? npu_strerror(rc) : npu_status_name(status));
out:
	npu_buf_free(cmd);
	npu_buf_free(data);
}

/* A fill 64 MiB past a client's buffer: that client's context faults, another client goes on. */
static void test_fault(struct st *t)
{
	struct npu_buf *cmd = NULL, *data = NULL, *cmd2 = NULL;
	struct npu_batch *b, *b2;
	struct npu *bad = NULL;
	uint32_t id;
	int rc = -EINVAL, again = 0, ok = -EINVAL;

	if (npuctl_lib_open(t->ctl, "selftest", &bad) != NPUCTL_EXIT_OK) {
		selftest_record(&t->res, "unmapped_fault", false, "cannot open a second client");
		return;
	}
	if (npu_buf_create(bad, 4096, 0, &data) || job_begin(bad, &cmd, &b)) {
		selftest_record(&t->res, "unmapped_fault", false, "cannot allocate: %s",
				npu_last_error(bad));
		goto out;
	}
	if (!npu_batch_fill(b, npu_buf_va(data) + ((uint64_t)64 << 20), 4096, 0xDEADBEEFu))
		rc = job_run(bad, cmd, b, data);
	else
		npu_batch_end(b);
	again = npu_submit(bad, cmd, &data, 1, &id);
	if (!job_begin(t->n, &cmd2, &b2) && !npu_batch_nop(b2))
		ok = job_run(t->n, cmd2, b2, NULL);
	selftest_record(
	    &t->res, "unmapped_fault",
	    (rc == (int)NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW ||
	     rc == (int)NPU_STATUS_ABORTED) &&
		again == -EBADFD && ok == 0,
	    "fill of an unmapped address: status 0x%x (%s); the next submit of that client: "
	    "%s; another client's job: status %d",
	    (unsigned)rc, rc >= 0 ? npu_status_name((uint32_t)rc) : npu_strerror(rc),
	    again == -EBADFD ? "refused (context faulted)" : npu_strerror(again), ok);
out:
	npu_close(bad);
	npu_buf_free(cmd2);
}

/* Type 0x0999 written over a NOP in the command buffer: PARSING_ERR, the client goes on. */
static void test_unknown_command(struct st *t)
{
	struct npu_buf *cmd = NULL, *cmd2 = NULL;
	struct npu_batch *b, *b2;
	int rc = -EINVAL, ok = -EINVAL;

	if (!job_begin(t->n, &cmd, &b) && !npu_batch_nop(b) && !npu_batch_end(b)) {
		uint16_t type = 0x0999; /* the first command follows the header */
		uint32_t id, status;

		memcpy((uint8_t *)npu_buf_ptr(cmd) + sizeof(struct npu_cmd_buffer_header), &type,
		       sizeof(type));
		rc = npu_submit(t->n, cmd, NULL, 0, &id);
		if (!rc)
			rc = npu_wait(t->n, id, WAIT_MS, &status);
		if (!rc)
			rc = (int)status;
	}
	if (!job_begin(t->n, &cmd2, &b2) && !npu_batch_nop(b2))
		ok = job_run(t->n, cmd2, b2, NULL);
	selftest_record(&t->res, "unknown_command",
			rc == (int)NPU_JSM_STATUS_PARSING_ERR && ok == 0,
			"command type 0x0999: status %d (%s); the next job: status %d", rc,
			rc >= 0 ? npu_status_name((uint32_t)rc) : npu_strerror(rc), ok);
	npu_buf_free(cmd);
	npu_buf_free(cmd2);
}

/* Eight fills from each of two clients, in flight together, each client's bytes its own. */
static void test_two_clients(struct st *t)
{
	struct npu *h[2] = { t->n, NULL };
	struct npu_buf *out[2] = { NULL, NULL }, *cmd[2][8];
	uint32_t id[2][8];
	int failed = 0, wrong = 0;

	memset(cmd, 0, sizeof(cmd));
	memset(id, 0xFF, sizeof(id)); /* UINT32_MAX: not submitted */
	if (npuctl_lib_open(t->ctl, "selftest", &h[1]) != NPUCTL_EXIT_OK) {
		selftest_record(&t->res, "two_clients", false, "cannot open a second client");
		return;
	}
	for (int c = 0; c < 2; c++) {
		if (npu_buf_create(h[c], 8 * 4096, 0, &out[c])) {
			failed = 16;
			break;
		}
		for (int i = 0; i < 8; i++) {
			struct npu_batch *b;

			if (job_begin(h[c], &cmd[c][i], &b) ||
			    npu_batch_fill(b, npu_buf_va(out[c]) + (uint64_t)i * 4096, 4096,
					   0x01010101u * (uint32_t)(16 * c + i + 1)) ||
			    npu_batch_end(b) || npu_submit(h[c], cmd[c][i], &out[c], 1, &id[c][i]))
				failed++;
		}
	}
	for (int c = 0; c < 2 && out[c]; c++) {
		for (int i = 0; i < 8; i++) {
			uint32_t status = 1;

			if (id[c][i] == UINT32_MAX)
				continue;
			if (npu_wait(h[c], id[c][i], WAIT_MS, &status) || status)
				failed++;
			wrong += !all_bytes((const uint8_t *)npu_buf_ptr(out[c]) + i * 4096, 4096,
					    (uint8_t)(16 * c + i + 1));
		}
	}
	selftest_record(&t->res, "two_clients", failed == 0 && wrong == 0,
			"16 fill jobs from 2 clients: %d failed, %d pages wrong", failed, wrong);
	for (int i = 0; i < 8; i++)
		npu_buf_free(cmd[0][i]);
	npu_buf_free(out[0]);
	npu_close(h[1]);
}

/* Jobs held by a fence pile up until the submit says -EBUSY; the fence lets them all run. */
static void test_full_queue(struct st *t)
{
	struct npu_buf *fence = NULL, *cmd = NULL;
	struct npu_batch *b;
	uint32_t ids[MAX_QUEUE], status;
	unsigned n = 0;
	int busy = 0, failed = 0;

	if (npu_buf_create(t->n, 4096, 0, &fence) || job_begin(t->n, &cmd, &b) ||
	    npu_batch_fence_wait(b, npu_buf_va(fence), 1) || npu_batch_end(b)) {
		selftest_record(&t->res, "full_queue", false, "cannot build the job: %s",
				npu_last_error(t->n));
		goto out;
	}
	while (n < MAX_QUEUE && (busy = npu_submit(t->n, cmd, &fence, 1, &ids[n])) == 0)
		n++;
	*(volatile uint64_t *)npu_buf_ptr(fence) = 1;
	for (unsigned i = 0; i < n; i++)
		failed += npu_wait(t->n, ids[i], WAIT_MS, &status) || status;
	selftest_record(
	    &t->res, "full_queue", busy == -EBUSY && n >= 1 && failed == 0,
	    "%u jobs queued behind a fence, the next submit: %s; after the fence: %d failed", n,
	    busy == -EBUSY ? "refused with EBUSY" : npu_strerror(busy), failed);
out:
	npu_buf_free(cmd);
	npu_buf_free(fence);
}

int npuctl_selftest_npud(const struct npuctl *ctl)
{
	static struct st t;
	int code;

	memset(&t, 0, sizeof(t));
	t.ctl = ctl;
	code = npuctl_lib_open(ctl, "selftest", &t.n);
	if (code != NPUCTL_EXIT_OK)
		return code;
	if (npu_query(t.n, &t.info)) {
		npuctl_err("selftest: %s", npu_last_error(t.n));
		npu_close(t.n);
		return NPUCTL_EXIT_ERROR;
	}
	test_commands(&t);
	test_fence(&t);
	test_fault(&t);
	test_unknown_command(&t);
	test_two_clients(&t);
	test_full_queue(&t);
	/* libnpu builds batches without the firmware's job-command API: BARRIER. */
	selftest_report(&t.res, ctl->json,
			&(struct selftest_about){ .device = t.info.pci_address,
						  .generation = t.info.generation,
						  .via = "npud",
						  .noop_command = drv_cmd_noop_name(0) });
	npu_close(t.n);
	return selftest_all_passed(&t.res) ? NPUCTL_EXIT_OK : NPUCTL_EXIT_ERROR;
}
