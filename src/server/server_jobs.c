/* SPDX-License-Identifier: MIT */
/*
 * Jobs through the server: submit (with the buffers the job holds until it
 * ends), wait (parked until the job ends or its time runs out), job query,
 * the status report and reset; and the progress that answers parked waits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/device.h"
#include "driver/recover.h"
#include "driver/stats.h"
#include "server/server_internal.h"
#include "util/json.h"
#include "util/log.h"

static void buf_put(struct npu_srv_client *c, struct srv_buf *b)
{
	if (--b->busy == 0 && b->freed)
		srv_buf_destroy(c, b);
}

/*
 * A SUBMIT payload (body, len: SUBMIT's, or what follows RUN's header): 1
 * with the job submitted and *job_id set, else what answering the request
 * with its error gave (0, or -EPIPE for a client gone).
 */
static int job_submit(const struct srv_req *r, const uint8_t *body, size_t len, uint32_t *job_id)
{
	struct npu_srv_client *c = r->c;
	struct npu_req_submit q;
	struct srv_job *job = NULL;
	struct srv_buf *cmd;
	uint32_t handles[NPU_PROTO_SUBMIT_MAX_BUFS];
	int ret;

	if (len < sizeof(q))
		return srv_reply_err(r, -EINVAL, "submit takes at least %zu payload bytes, not %zu",
				     sizeof(q), len);
	memcpy(&q, body, sizeof(q));
	if (q.n_bufs > NPU_PROTO_SUBMIT_MAX_BUFS)
		return srv_reply_err(r, -E2BIG, "a job uses at most %u buffers, not %u",
				     NPU_PROTO_SUBMIT_MAX_BUFS, q.n_bufs);
	if (len != sizeof(q) + (size_t)q.n_bufs * sizeof(uint32_t))
		return srv_reply_err(
		    r, -EINVAL, "submit of %u buffers takes %zu payload bytes, not %zu", q.n_bufs,
		    sizeof(q) + (size_t)q.n_bufs * sizeof(uint32_t), len);
	memcpy(handles, body + sizeof(q), (size_t)q.n_bufs * sizeof(uint32_t));
	cmd = srv_buf_find(c, q.cmd_handle);
	if (!cmd)
		return srv_reply_err(r, -ENOENT, "this client has no buffer %u (command buffer)",
				     q.cmd_handle);
	for (unsigned i = 0; i < q.n_bufs; i++)
		if (!srv_buf_find(c, handles[i]))
			return srv_reply_err(r, -ENOENT, "this client has no buffer %u",
					     handles[i]);
	if (c->n_jobs >= c->s->cfg.max_jobs_per_client)
		return srv_reply_err(r, -EBUSY,
				     "this client has %u jobs queued, its limit: wait for one",
				     c->n_jobs);
	for (unsigned i = 0; i < SRV_JOBS_MAX && !job; i++)
		if (!c->jobs[i].used)
			job = &c->jobs[i];
	if (!job)
		return srv_reply_err(r, -EBUSY, "no job slot free: wait for a job");
	if (srv_device_usable(r))
		return c->dead ? -EPIPE : 0;
	ret = drv_job_submit(c->ctx, cmd->bo->va, job_id);
	if (ret == -EBUSY)
		return srv_reply_err(r, ret, "the job queue is full: wait for a job and retry");
	if (ret == -EBADFD)
		return srv_reply_err(r, ret, "this client's NPU context faulted; no more jobs");
	if (ret)
		return srv_reply_err(r, ret, "submit failed: %s", strerror(-ret));
	job->used = true;
	job->job_id = *job_id;
	job->n_bufs = 0;
	job->bufs[job->n_bufs++] = cmd;
	cmd->busy++;
	for (unsigned i = 0; i < q.n_bufs; i++) {
		struct srv_buf *b = srv_buf_find(c, handles[i]);

		b->busy++;
		job->bufs[job->n_bufs++] = b;
	}
	c->n_jobs++;
	return 1;
}

int srv_op_submit(const struct srv_req *r)
{
	struct npu_rsp_submit a = { 0 };
	int ret = job_submit(r, r->body, r->len, &a.job_id);

	return ret <= 0 ? ret : srv_reply(r, &a, sizeof(a), NULL);
}

int srv_op_job_query(const struct srv_req *r)
{
	struct npu_req_job q;
	struct npu_rsp_job a = { 0 };
	int ret;

	if (r->len != sizeof(q))
		return srv_reply_err(r, -EINVAL, "job-query takes %zu payload bytes, not %zu",
				     sizeof(q), r->len);
	memcpy(&q, r->body, sizeof(q));
	if (q.reserved)
		return srv_reply_err(r, -EINVAL, "reserved must be 0");
	a.job_id = q.job_id;
	ret = drv_job_poll(r->c->ctx, q.job_id, &a.status);
	if (ret == -ENOENT)
		return srv_reply_err(r, ret, "this client has no job 0x%x", q.job_id);
	a.done = ret == 0;
	if (!a.done)
		a.status = 0;
	return srv_reply(r, &a, sizeof(a), NULL);
}

/*
 * Answers the WAIT or RUN r for job_id now if the job has ended, else parks
 * it until the job ends or timeout_ms passes. A RUN that cannot wait (no
 * time given, or no wait slot left) is answered with done 0: its job runs on.
 */
static int job_wait(const struct srv_req *r, uint32_t job_id, uint32_t timeout_ms)
{
	struct npu_srv_client *c = r->c;
	struct npu_rsp_job a = { .job_id = job_id };
	struct srv_wait *w = NULL;
	bool run = r->op == NPU_OP_RUN;
	int ret = drv_job_poll(c->ctx, job_id, &a.status);

	if (ret == -ENOENT)
		return srv_reply_err(r, ret, "this client has no job 0x%x", job_id);
	if (ret == 0) {
		a.done = 1;
		return srv_reply(r, &a, sizeof(a), NULL);
	}
	/* a.status stays 0: drv_job_poll gives it only for a job that ended. */
	if (timeout_ms == 0)
		return run ? srv_reply(r, &a, sizeof(a), NULL)
			   : srv_reply_err(r, -ETIMEDOUT, "job 0x%x is still running", job_id);
	for (unsigned i = 0; i < SRV_WAITS_MAX && !w && c->n_waits < c->s->cfg.max_waits_per_client;
	     i++)
		if (!c->waits[i].used)
			w = &c->waits[i];
	if (!w)
		return run ? srv_reply(r, &a, sizeof(a), NULL)
			   : srv_reply_err(r, -EBUSY, "this client already waits on %u jobs",
					   c->n_waits);
	w->used = true;
	w->op = r->op;
	w->seq = r->seq;
	w->job_id = job_id;
	w->deadline_ns = npu_now_ns(c->s->dev->plat) + (uint64_t)timeout_ms * 1000000u;
	c->n_waits++;
	return 0; /* answered by srv_client_progress */
}

int srv_op_wait(const struct srv_req *r)
{
	struct npu_req_wait q;

	if (r->len != sizeof(q))
		return srv_reply_err(r, -EINVAL, "wait takes %zu payload bytes, not %zu", sizeof(q),
				     r->len);
	memcpy(&q, r->body, sizeof(q));
	if (q.timeout_ms > NPU_PROTO_WAIT_MAX_MS)
		return srv_reply_err(r, -EINVAL, "wait timeout %u ms is over the maximum, %u ms",
				     q.timeout_ms, NPU_PROTO_WAIT_MAX_MS);
	return job_wait(r, q.job_id, q.timeout_ms);
}

int srv_op_run(const struct srv_req *r)
{
	struct npu_req_run q;
	uint32_t job_id = 0;
	int ret;

	if (r->len < sizeof(q))
		return srv_reply_err(r, -EINVAL, "run takes at least %zu payload bytes, not %zu",
				     sizeof(q), r->len);
	memcpy(&q, r->body, sizeof(q));
	if (q.reserved)
		return srv_reply_err(r, -EINVAL, "reserved must be 0");
	if (q.timeout_ms > NPU_PROTO_WAIT_MAX_MS)
		return srv_reply_err(r, -EINVAL, "run timeout %u ms is over the maximum, %u ms",
				     q.timeout_ms, NPU_PROTO_WAIT_MAX_MS);
	ret = job_submit(r, r->body + sizeof(q), r->len - sizeof(q), &job_id);
	return ret <= 0 ? ret : job_wait(r, job_id, q.timeout_ms);
}

void srv_client_progress(struct npu_srv_client *c, uint64_t now_ns)
{
	uint32_t status;

	if (!c->ctx)
		return;
	for (unsigned i = 0; i < SRV_JOBS_MAX && c->n_jobs; i++) {
		struct srv_job *job = &c->jobs[i];

		if (!job->used || drv_job_poll(c->ctx, job->job_id, &status) == -EINPROGRESS)
			continue;
		for (unsigned k = 0; k < job->n_bufs; k++)
			buf_put(c, job->bufs[k]);
		job->used = false;
		c->n_jobs--;
	}
	for (unsigned i = 0; i < SRV_WAITS_MAX && c->n_waits; i++) {
		struct srv_wait *w = &c->waits[i];
		struct npu_rsp_job a = { .job_id = w->job_id };
		int ret;

		if (!w->used)
			continue;
		ret = drv_job_poll(c->ctx, w->job_id, &a.status);
		if (ret == -EINPROGRESS && now_ns < w->deadline_ns)
			continue;
		w->used = false;
		c->n_waits--;
		if (ret == 0 || (ret == -EINPROGRESS && w->op == NPU_OP_RUN)) {
			a.done = ret == 0; /* a RUN whose time passed: done 0, the job runs on */
			srv_reply_to(c, w->op, w->seq, 0, &a, sizeof(a));
		} else {
			static const char timed_out[] = "the job is still running";
			static const char forgotten[] = "the job is no longer known";

			if (ret == -EINPROGRESS)
				srv_reply_to(c, w->op, w->seq, -ETIMEDOUT, timed_out,
					     sizeof(timed_out) - 1);
			else
				srv_reply_to(c, w->op, w->seq, -ENOENT, forgotten,
					     sizeof(forgotten) - 1);
		}
	}
}

int srv_op_status(const struct srv_req *r)
{
	struct npu_server *s = r->c->s;
	struct npu_req_status q;
	struct npu_device_stats *st;
	struct npu_json j;
	size_t cap = NPU_PROTO_RSP_MAX - sizeof(struct npu_rsp_hdr);
	char *text;
	int ret;

	if (r->len != sizeof(q))
		return srv_reply_err(r, -EINVAL, "status takes %zu payload bytes, not %zu",
				     sizeof(q), r->len);
	memcpy(&q, r->body, sizeof(q));
	if (q.format != 0 || q.reserved)
		return srv_reply_err(r, -EINVAL, "status format %u is not known (0: JSON)",
				     q.format);
	st = malloc(sizeof(*st));
	text = malloc(cap);
	if (!st || !text) {
		free(st);
		free(text);
		return srv_reply_err(r, -ENOMEM, "out of memory");
	}
	drv_device_stats(s->dev, st);
	/* Into the buffer itself: no fmemopen, which relibc lacks (docs/redox.md). */
	npu_json_init_buf(&j, text, cap);
	drv_device_stats_json(&j, NULL, st);
	ret = npu_json_finish(&j);
	free(st);
	if (ret)
		ret = srv_reply_err(r, -ENOSPC, "the status report does not fit a reply");
	else
		ret = srv_reply(r, text, npu_json_len(&j), NULL);
	free(text);
	return ret;
}

int srv_op_reset(const struct srv_req *r)
{
	struct npu_device *d = r->c->s->dev;
	char reason[96];
	int ret;

	if (r->len != 0)
		return srv_reply_err(r, -EINVAL, "reset takes no payload, not %zu bytes", r->len);
	if (!r->c->privileged)
		return srv_reply_err(r, -EPERM,
				     "reset is for root and npud's own user; uid %u is neither",
				     r->c->peer.uid);
	snprintf(reason, sizeof(reason), "reset requested by client %u (uid %u)", r->c->id,
		 r->c->peer.uid);
	npu_warn(SRV, "%s", reason);
	ret = drv_device_recover(d, reason);
	if (ret)
		return srv_reply_err(r, ret, "the NPU did not come back: %s: %s", d->fail_step,
				     d->fail_reason);
	return srv_reply(r, NULL, 0, NULL);
}
