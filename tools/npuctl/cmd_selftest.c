/* SPDX-License-Identifier: MIT */
/*
 * npuctl selftest: a battery of jobs through the whole driver path, each
 * checked against what the device wrote: every command type, fences between
 * two jobs, an MMU fault, two contexts at once, a full queue, a hang and its
 * recovery.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "devopen.h"
#include "libopen.h"
#include "selftest_report.h"
#include "driver/cmdbuf.h"
#include "driver/job.h"
#include "driver/status.h"
#include "hw/cmd.h"
#include "driver/hws.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "util/log.h"

#define WAIT_US		   10000000u
#define SELFTEST_TDR	   250000u  /* hang checks in the hang test: every 250 ms */
#define SELFTEST_JOB_LIMIT 1000000u /* and a job may run for 1 s */
#define FULL_QUEUE	   62 /* 63 slots, one always empty (docs/firmware-protocol.md §3.4) */

struct selftest {
	struct npuctl_dev *nd;
	struct npu_device *d;
	struct selftest_results res;
};

/* A job: its command buffer and a data buffer in one context. */
struct job {
	struct npu_ctx *ctx;
	struct npu_bo *cmd;
	struct npu_cmdbuf cb;
	uint32_t id, status;
};

static int job_begin(struct selftest *t, struct npu_ctx *ctx, struct job *j)
{
	size_t size = drv_cmdbuf_size_for(t->d->gen, 8, 4);
	int ret;

	memset(j, 0, sizeof(*j));
	j->ctx = ctx;
	ret = drv_bo_create(ctx, size, 0, 0, &j->cmd);
	if (!ret)
		ret = drv_cmdbuf_init(&j->cb, j->cmd->dma.cpu, j->cmd->va, j->cmd->size, 8,
				      t->d->gen);
	if (!ret) /* NOP or BARRIER for a no-op, by the image's job-command API */
		drv_cmdbuf_set_api(&j->cb, t->d->fw.api_version[NPU_FW_API_IDX_JOB_CMD]);
	return ret;
}

static int job_submit(struct job *j)
{
	drv_cmdbuf_finish(&j->cb);
	return drv_job_submit(j->ctx, j->cmd->va, &j->id);
}

static int job_wait(struct job *j)
{
	return drv_job_wait(j->ctx, j->id, WAIT_US, &j->status);
}

/* Submits, waits, returns the job status (or a negative errno). */
static int job_run(struct job *j)
{
	int ret = job_submit(j);

	if (!ret)
		ret = job_wait(j);
	return ret ? ret : (int)j->status;
}

static void job_end(struct job *j)
{
	if (j->cmd)
		drv_bo_destroy(j->cmd);
	j->cmd = NULL;
}

/*
 * The report, with the scheduling mode, the command no-op jobs carried and the job-command
 * API that chose it.
 */
static void report(const struct selftest *t, bool json, const char *device)
{
	uint32_t job_cmd_api = t->d->fw.api_version[NPU_FW_API_IDX_JOB_CMD];
	char api[16];

	snprintf(api, sizeof(api), "%u.%u", drv_fw_api_major(job_cmd_api),
		 drv_fw_api_minor(job_cmd_api));
	selftest_report(&t->res, json,
			&(struct selftest_about){ .device = device,
						  .generation = npu_gen_name(t->d->gen),
						  .scheduling = drv_sched_name(t->d->sched_mode),
						  .noop_command = drv_cmd_noop_name(job_cmd_api),
						  .job_cmd_api = api });
}

static void test_commands(struct selftest *t, struct npu_ctx *ctx)
{
	struct npu_bo *data = NULL;
	struct job j;
	uint64_t *words;
	int rc;

	if (drv_bo_create(ctx, 4 * 4096, 0, 0, &data) || job_begin(t, ctx, &j)) {
		selftest_record(&t->res, "commands", false, "cannot allocate buffers");
		return;
	}
	words = data->dma.cpu;
	memset(words, 0, data->size);
	drv_cmdbuf_nop(&j.cb);
	drv_cmdbuf_barrier(&j.cb);
	drv_cmdbuf_timestamp(&j.cb, data->va, NPU_TIMESTAMP_RAW);
	drv_cmdbuf_fence_signal(&j.cb, data->va + 64, 3);
	drv_cmdbuf_fill(&j.cb, data->va + 4096, 4096, 0x5A5A5A5Au);
	drv_cmdbuf_copy(&j.cb, data->va + 8192, data->va + 4096, 4096);
	rc = job_run(&j);
	{
		const uint8_t *b = data->dma.cpu;
		bool fill_ok = true, copy_ok = true;

		for (int i = 0; i < 4096; i++) {
			fill_ok &= b[4096 + i] == 0x5A;
			copy_ok &= b[8192 + i] == 0x5A;
		}
		selftest_record(
		    &t->res, "commands",
		    rc == 0 && words[0] != 0 && words[8] == 3 && fill_ok && copy_ok,
		    "%s (no-op), BARRIER, TIMESTAMP %llu, FENCE_SIGNAL %llu, MEMORY_FILL %s, "
		    "COPY %s; job status %d",
		    drv_cmd_noop_name(j.cb.job_cmd_api), (unsigned long long)words[0],
		    (unsigned long long)words[8], fill_ok ? "ok" : "wrong",
		    copy_ok ? "ok" : "wrong", rc);
	}
	job_end(&j);
	drv_bo_destroy(data);
}

/*
 * Job A (context 1) waits on a fence that job B (context 2) signals: one
 * buffer mapped in both contexts. Jobs of one queue run in order, so the
 * waiter and the signaller must be in different queues.
 */
static void test_fences(struct selftest *t, struct npu_ctx *c1, struct npu_ctx *c2)
{
	struct npu_bo *f1 = NULL, *f2 = NULL;
	struct job a = { 0 }, b = { 0 };
	uint64_t *fence;
	int ra, rb;

	if (drv_bo_create(c1, 4096, 0, 0, &f1) || drv_bo_share(f1, c2, 0, &f2) ||
	    job_begin(t, c1, &a) || job_begin(t, c2, &b)) {
		selftest_record(&t->res, "fences", false, "cannot allocate buffers");
		goto out;
	}
	fence = f1->dma.cpu;
	memset(fence, 0, 4096);
	drv_cmdbuf_fence_wait(&a.cb, f1->va, 1);
	drv_cmdbuf_fence_signal(&a.cb, f1->va + 64, 7);
	drv_cmdbuf_fence_signal(&b.cb, f2->va, 1);
	ra = job_submit(&a);
	rb = ra ? ra : job_submit(&b);
	if (!rb) {
		ra = job_wait(&a);
		rb = job_wait(&b);
	}
	selftest_record(&t->res, "fences",
			!ra && !rb && a.status == 0 && b.status == 0 && fence[8] == 7,
			"job 0x%x waited on a fence that job 0x%x of another context signalled: "
			"statuses %u/%u, value written after the wait %llu",
			a.id, b.id, a.status, b.status, (unsigned long long)fence[8]);
out:
	job_end(&a);
	job_end(&b);
	if (f2)
		drv_bo_destroy(f2);
	if (f1)
		drv_bo_destroy(f1);
}

static bool faulted_status(uint32_t st)
{
	return st == NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW || st == NPU_JOB_STATUS_ABORTED;
}

/* An unmapped and a read-only address: MMU faults for that context only. */
static void test_mmu_fault(struct selftest *t, struct npu_ctx *good, bool read_only)
{
	const char *name = read_only ? "read_only_fault" : "unmapped_fault";
	struct npu_ctx *bad = NULL;
	struct npu_bo *ro = NULL;
	struct job j = { 0 }, ok = { 0 };
	uint64_t target;
	uint32_t id;
	int rc, rc_ok, again;

	if (drv_ctx_create(t->d, &bad) || job_begin(t, bad, &j) || job_begin(t, good, &ok) ||
	    (read_only && drv_bo_create(bad, 4096, 0, NPU_MMU_MAP_READ_ONLY, &ro))) {
		selftest_record(&t->res, name, false, "cannot set up the contexts");
		goto out;
	}
	/* 64 MiB past the context's last buffer: nothing is mapped there. */
	target = read_only ? ro->va : bad->va_next + ((uint64_t)64 << 20);
	drv_cmdbuf_fill(&j.cb, target, 4096, 0xDEADBEEFu);
	rc = job_run(&j);
	drv_cmdbuf_nop(&ok.cb);
	rc_ok = job_run(&ok);
	again = drv_job_submit(bad, j.cmd->va, &id);
	selftest_record(&t->res, name,
			rc >= 0 && faulted_status((uint32_t)rc) && again == -EBADFD && rc_ok == 0,
			"fill of %s 0x%llx: status 0x%x (%s); later submit in that context: %s; "
			"another context's job: status %d",
			read_only ? "read-only" : "unmapped", (unsigned long long)target,
			(unsigned)rc, rc >= 0 ? drv_job_status_name((uint32_t)rc) : "error",
			again == -EBADFD ? "refused (context faulted)" : strerror(-again), rc_ok);
out:
	job_end(&j);
	job_end(&ok);
	if (ro)
		drv_bo_destroy(ro);
	if (bad)
		drv_ctx_destroy(bad);
}

static void test_unknown_command(struct selftest *t, struct npu_ctx *ctx)
{
	const uint32_t cmd[2] = { 0x00080999u, 0 }; /* type 0x0999, size 8 */
	struct job j;
	int rc = -1;

	if (!job_begin(t, ctx, &j) && !drv_cmdbuf_raw(&j.cb, cmd, sizeof(cmd)))
		rc = job_run(&j);
	selftest_record(&t->res, "unknown_command",
			rc == NPU_JSM_STATUS_PARSING_ERR && !ctx->faulted,
			"command type 0x0999: status %d (%s), context %s", rc,
			rc >= 0 ? drv_job_status_name((uint32_t)rc) : "error",
			ctx->faulted ? "faulted" : "still usable");
	job_end(&j);
}

/* Eight jobs in each of two contexts, in flight together. */
static void test_two_contexts(struct selftest *t, struct npu_ctx *c1, struct npu_ctx *c2)
{
	struct npu_ctx *ctx[2] = { c1, c2 };
	struct npu_bo *out[2] = { NULL, NULL };
	struct job jobs[2][8];
	int bad = 0, failed = 0;

	memset(jobs, 0, sizeof(jobs));
	for (int c = 0; c < 2; c++) {
		if (drv_bo_create(ctx[c], 8 * 4096, 0, 0, &out[c])) {
			selftest_record(&t->res, "two_contexts", false, "cannot allocate buffers");
			goto out;
		}
		for (int i = 0; i < 8; i++) {
			if (job_begin(t, ctx[c], &jobs[c][i]) ||
			    drv_cmdbuf_fill(&jobs[c][i].cb, out[c]->va + (uint64_t)i * 4096, 4096,
					    0x01010101u * (uint32_t)(16 * c + i + 1)) ||
			    job_submit(&jobs[c][i]))
				failed++;
		}
	}
	for (int c = 0; c < 2; c++) {
		for (int i = 0; i < 8; i++) {
			const uint8_t *b = (const uint8_t *)out[c]->dma.cpu + i * 4096;

			if (jobs[c][i].id == 0 && jobs[c][i].cmd == NULL)
				continue;
			if (job_wait(&jobs[c][i]) || jobs[c][i].status)
				failed++;
			for (int k = 0; k < 4096; k++)
				bad += b[k] != (uint8_t)(16 * c + i + 1);
		}
	}
	selftest_record(&t->res, "two_contexts", failed == 0 && bad == 0,
			"16 fill jobs in 2 contexts: %d failed, %d wrong bytes", failed, bad);
out:
	for (int c = 0; c < 2; c++) {
		for (int i = 0; i < 8; i++)
			job_end(&jobs[c][i]);
		if (out[c])
			drv_bo_destroy(out[c]);
	}
}

/*
 * Hardware scheduling only (docs/firmware-protocol.md §2.4, §3.8): an idle
 * context's long job (6000 fills of 256 KiB) starts; a normal context's long
 * job comes, then a realtime context's short one. The realtime job ends
 * first, then the normal one, and only then the idle one, each whole: a
 * higher band preempts a lower one at a command boundary, and the preempted
 * job resumes where it stopped. Under round robin (OS scheduling) nothing
 * makes the normal job overtake the idle one, which started first.
 */
#define PRIO_FILLS 6000u
#define PRIO_SIZE  262144u
struct long_job {
	struct npu_ctx *ctx;
	struct npu_bo *data, *mark;
	struct job j, warm;
};

/*
 * A context at prio whose queue a warm-up job has registered already (so no
 * request to the firmware comes in the race), and its long job: PRIO_FILLS
 * fills of its data buffer, and after `mark_after` of them one of its mark
 * page, which the host watches.
 */
static int long_job_make(struct selftest *t, struct long_job *l, enum npu_prio prio,
			 uint32_t mark_after)
{
	size_t size = drv_cmdbuf_size_for(t->d->gen, PRIO_FILLS + 1, 0);
	int ret = drv_ctx_create(t->d, &l->ctx);

	if (!ret)
		ret = drv_ctx_set_priority(l->ctx, prio);
	if (!ret)
		ret = drv_bo_create(l->ctx, PRIO_SIZE, 0, 0, &l->data);
	if (!ret)
		ret = drv_bo_create(l->ctx, 4096, 0, 0, &l->mark);
	if (!ret)
		ret = drv_bo_create(l->ctx, size, 0, 0, &l->j.cmd);
	if (!ret)
		ret = drv_cmdbuf_init(&l->j.cb, l->j.cmd->dma.cpu, l->j.cmd->va, l->j.cmd->size,
				      PRIO_FILLS + 1, t->d->gen);
	l->j.ctx = l->ctx;
	for (uint32_t i = 0; i < PRIO_FILLS && !ret; i++) {
		ret = drv_cmdbuf_fill(&l->j.cb, l->data->va, PRIO_SIZE,
				      0x01010101u * ((i + 1) & 0xFFu));
		if (!ret && i == mark_after)
			ret = drv_cmdbuf_fill(&l->j.cb, l->mark->va, 4096, 0x5A5A5A5Au);
	}
	if (!ret)
		ret = job_begin(t, l->ctx, &l->warm);
	if (!ret)
		ret = drv_cmdbuf_fill(&l->warm.cb, l->mark->va, 4096, 0);
	if (!ret)
		ret = job_run(&l->warm);
	return ret;
}

/* Submits it and waits for its mark: then it holds the engine, mark_after fills done. */
static int long_job_start(struct long_job *l)
{
	int ret = job_submit(&l->j);
	const volatile uint8_t *m = l->mark->dma.cpu;

	for (int w = 0; !ret && w < 100000 && !*m; w++)
		nanosleep(&(struct timespec){ .tv_nsec = 10000 }, NULL);
	return ret;
}

static bool long_job_whole(const struct long_job *l)
{
	const uint8_t *b = l->data->dma.cpu;

	if (l->j.status)
		return false;
	for (uint32_t k = 0; k < PRIO_SIZE; k++)
		if (b[k] != (uint8_t)PRIO_FILLS)
			return false;
	return true;
}

/* When the driver took the job's JOB_DONE (in the order the firmware posted them). */
static uint64_t done_at(const struct npu_ctx *c, uint32_t id)
{
	return c->jobs[npu_job_id_seq(id)].done_ns;
}

static void test_priorities(struct selftest *t)
{
	struct long_job idle = { 0 }, normal = { 0 };
	struct npu_ctx *rt = NULL;
	struct npu_bo *small = NULL;
	struct job sht = { 0 }, warm = { 0 };
	bool rt_first = false, normal_second = false;
	uint64_t t_rt, t_normal, t_idle;
	int ret;

	/* A warm-up job registers the realtime queue before the race. */
	ret = long_job_make(t, &idle, NPU_PRIO_IDLE, PRIO_FILLS / 10);
	if (!ret)
		ret = long_job_make(t, &normal, NPU_PRIO_NORMAL, 0);
	if (!ret)
		ret = drv_ctx_create(t->d, &rt);
	if (!ret)
		ret = drv_ctx_set_priority(rt, NPU_PRIO_REALTIME);
	if (!ret)
		ret = drv_bo_create(rt, 4096, 0, 0, &small);
	if (!ret && (job_begin(t, rt, &sht) || job_begin(t, rt, &warm) ||
		     drv_cmdbuf_fill(&sht.cb, small->va, 4096, 0x77777777u) ||
		     drv_cmdbuf_fill(&warm.cb, small->va, 4096, 0x66666666u) || job_run(&warm)))
		ret = -EIO;
	if (ret) {
		selftest_record(&t->res, "priorities", false, "cannot set up the jobs (%d)", ret);
		goto out;
	}
	ret = long_job_start(&idle); /* a tenth of its way: it would end first in turns */
	/*
	 * Not waited for: the normal band grants the idle one a grace period (5 ms
	 * with Linux's values) before it preempts; realtime grants none.
	 */
	if (!ret)
		ret = job_submit(&normal.j);
	if (!ret)
		ret = job_run(&sht);
	if (!ret)
		ret = job_wait(&normal.j);
	if (!ret)
		ret = job_wait(&idle.j);
	if (!ret) {
		t_rt = done_at(rt, sht.id);
		t_normal = done_at(normal.ctx, normal.j.id);
		t_idle = done_at(idle.ctx, idle.j.id);
		rt_first = t_rt < t_normal && t_rt < t_idle;
		normal_second = t_normal < t_idle;
	}
	selftest_record(&t->res, "priorities",
			!ret && rt_first && normal_second && sht.status == 0 &&
			    long_job_whole(&normal) && long_job_whole(&idle),
			"realtime job %s, normal job %s, idle job after it: %s (%d)",
			rt_first ? "ended first" : "did not end first",
			normal_second ? "second" : "not second (the idle one ended first)",
			long_job_whole(&normal) && long_job_whole(&idle) ? "both long jobs whole"
									 : "a long job not whole",
			ret);
out:
	/* Their buffers go with them. */
	if (rt)
		drv_ctx_destroy(rt);
	if (normal.ctx)
		drv_ctx_destroy(normal.ctx);
	if (idle.ctx)
		drv_ctx_destroy(idle.ctx);
}

/*
 * A full queue: the first job waits on a fence, NOPs pile up behind it until
 * the submit says -EBUSY (62 jobs: one slot stays empty); then another
 * context signals the fence and every job completes.
 */
static void test_full_queue(struct selftest *t, struct npu_ctx *other)
{
	struct npu_ctx *ctx = NULL;
	struct npu_bo *fence = NULL, *shared = NULL;
	struct job head = { 0 }, nop = { 0 }, sig = { 0 };
	uint32_t ids[FULL_QUEUE + 1];
	int queued = 1, busy = -1, failed = 0;

	if (drv_ctx_create(t->d, &ctx) || drv_bo_create(ctx, 4096, 0, 0, &fence) ||
	    drv_bo_share(fence, other, 0, &shared) || job_begin(t, ctx, &head) ||
	    job_begin(t, ctx, &nop) || job_begin(t, other, &sig)) {
		selftest_record(&t->res, "full_queue", false, "cannot set up the context");
		goto out;
	}
	memset(fence->dma.cpu, 0, 4096);
	drv_cmdbuf_fence_wait(&head.cb, fence->va, 1);
	drv_cmdbuf_nop(&nop.cb);
	drv_cmdbuf_finish(&nop.cb);
	if (job_submit(&head)) {
		selftest_record(&t->res, "full_queue", false, "the first submit failed");
		goto out;
	}
	while (queued < FULL_QUEUE + 1) {
		busy = drv_job_submit(ctx, nop.cmd->va, &ids[queued]);
		if (busy)
			break;
		queued++;
	}
	drv_cmdbuf_fence_signal(&sig.cb, shared->va, 1);
	if (job_run(&sig) != 0)
		failed++;
	if (job_wait(&head) || head.status)
		failed++;
	for (int i = 1; i < queued; i++) {
		uint32_t st = 0;

		if (drv_job_wait(ctx, ids[i], WAIT_US, &st) || st)
			failed++;
	}
	selftest_record(&t->res, "full_queue",
			queued == FULL_QUEUE && busy == -EBUSY && failed == 0,
			"%d jobs queued, then submit said %s; after the fence: %d failed", queued,
			busy ? strerror(-busy) : "nothing", failed);
out:
	job_end(&head);
	job_end(&nop);
	job_end(&sig);
	if (shared)
		drv_bo_destroy(shared);
	if (ctx)
		drv_ctx_destroy(ctx);
}

/*
 * A hang: a job waits on a fence nobody signals, the firmware's heartbeat
 * stops advancing, the driver recovers the device; a later job runs.
 */
static void test_hang(struct selftest *t)
{
	struct npu_device *d = t->d;
	uint32_t tdr = d->tdr_timeout_us, limit = d->inference_timeout_us;
	uint64_t before = d->recoveries;
	struct npu_ctx *ctx = NULL, *after = NULL;
	struct npu_bo *fence = NULL;
	struct job j = { 0 }, k = { 0 };
	int rc, rc2 = -1;

	/*
	 * A job blocked on a fence keeps the firmware's heartbeat going, so it is a
	 * hang only once it outlives the inference timeout (60 s as in Linux):
	 * shortened here to 1 s, checked every 250 ms.
	 */
	d->tdr_timeout_us = SELFTEST_TDR;
	d->inference_timeout_us = SELFTEST_JOB_LIMIT;
	if (drv_ctx_create(d, &ctx) || drv_bo_create(ctx, 4096, 0, 0, &fence) ||
	    job_begin(t, ctx, &j)) {
		selftest_record(&t->res, "hang_recovery", false, "cannot set up the context");
		goto out;
	}
	memset(fence->dma.cpu, 0, 4096);
	drv_cmdbuf_fence_wait(&j.cb, fence->va, 1);
	rc = job_run(&j);
	if (!drv_ctx_create(d, &after) && !job_begin(t, after, &k)) {
		drv_cmdbuf_nop(&k.cb);
		rc2 = job_run(&k);
	}
	selftest_record(
	    &t->res, "hang_recovery",
	    rc == (int)NPU_JOB_STATUS_ABORTED && d->recoveries == before + 1 && rc2 == 0,
	    "stuck job: status %d (%s), recoveries %llu -> %llu (%s); next job: status %d", rc,
	    rc >= 0 ? drv_job_status_name((uint32_t)rc) : "error", (unsigned long long)before,
	    (unsigned long long)d->recoveries, d->recovery_reason[0] ? d->recovery_reason : "-",
	    rc2);
out:
	d->tdr_timeout_us = tdr;
	d->inference_timeout_us = limit;
	job_end(&j);
	job_end(&k);
	if (ctx)
		drv_ctx_destroy(ctx);
	if (after)
		drv_ctx_destroy(after);
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	struct npuctl_dev nd;
	struct selftest t = { 0 };
	struct npu_ctx *c1 = NULL, *c2 = NULL;
	const char *pos[1];
	int n_pos, code;

	if (npuctl_parse_args(&npuctl_cmd_selftest, argc, argv, NULL, NULL, pos, 0, &n_pos, &code))
		return code;
	if (ctl->socket)
		return npuctl_selftest_npud(ctl);
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK)
		goto out;
	code = NPUCTL_EXIT_ERROR;
	if (drv_device_boot(&nd.dev)) {
		npuctl_dev_boot_failed(&nd);
		goto out;
	}
	t.nd = &nd;
	t.d = &nd.dev;
	/*
	 * The battery provokes MMU faults and a recovery on purpose: their
	 * warnings are expected, and shown only with -v.
	 */
	if (ctl->verbosity <= 0)
		npu_log_adjust(-1);
	if (drv_ctx_create(t.d, &c1) || drv_ctx_create(t.d, &c2)) {
		npuctl_err("cannot create contexts");
		goto out;
	}
	test_commands(&t, c1);
	test_fences(&t, c1, c2);
	test_mmu_fault(&t, c1, false);
	test_mmu_fault(&t, c1, true);
	test_unknown_command(&t, c2);
	test_two_contexts(&t, c1, c2);
	test_full_queue(&t, c2);
	if (drv_hws_on(t.d))
		test_priorities(&t);
	test_hang(&t);
	report(&t, ctl->json, nd.device_name);
	code = selftest_all_passed(&t.res) ? NPUCTL_EXIT_OK : NPUCTL_EXIT_ERROR;
out:
	if (c2)
		drv_ctx_destroy(c2);
	if (c1)
		drv_ctx_destroy(c1);
	if (npuctl_dev_close(&nd))
		code = NPUCTL_EXIT_ERROR;
	return code;
}

const struct npuctl_cmd npuctl_cmd_selftest = {
	.name = "selftest",
	.summary = "Run a battery of jobs and check what the NPU did",
	.usage = "[--device auto|sim|BDF] [--gen 37xx|40xx] [--sched os|hws|auto] [--socket PATH]\n"
		 "[--json]\n\n"
		 "Under hardware scheduling (--sched hws, the default with current firmware) the\n"
		 "battery adds priorities: a realtime job overtakes a running normal one.\n"
		 "With --socket the battery runs through npud, as its clients: commands, fences,\n"
		 "unmapped_fault, unknown_command, two_clients, full_queue (the read-only fault\n"
		 "and the hang need the device in-process).",
	.run = run,
};
