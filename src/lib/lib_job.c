/* SPDX-License-Identifier: MIT */
/* libnpu jobs (submit, wait, run, job query), the status report and reset: one request each. */
#include <errno.h>
#include <string.h>

#include "lib/lib_internal.h"

#define WAIT_MARGIN_MS 30000u /* how late npud may answer a WAIT */

/* struct npu_req_run and its handles, spelled out (no struct ends in an array here). */
struct run_req {
	uint32_t timeout_ms, reserved;
	uint32_t cmd_handle, n_bufs;
	uint32_t handles[NPU_PROTO_SUBMIT_MAX_BUFS];
};

/* Checks a submission's arguments and fills q's SUBMIT part; 0 or the error, recorded. */
static int submit_args(struct npu *n, const char *fn, struct npu_buf *cmd,
		       struct npu_buf *const *bufs, unsigned n_bufs, struct run_req *q)
{
	const char *bad = NULL;
	int ret = -EINVAL;

	if (!cmd || (n_bufs && !bufs)) {
		bad = "no command buffer";
	} else if (cmd->n != n) {
		bad = "the command buffer is another handle's";
	} else if (cmd->batch) {
		bad = "the command buffer is still being built (npu_batch_end first)";
	} else if (n_bufs > NPU_PROTO_SUBMIT_MAX_BUFS) {
		bad = "more than 64 buffers";
		ret = -E2BIG;
	}
	for (unsigned i = 0; !bad && i < n_bufs; i++) {
		if (!bufs[i] || bufs[i]->n != n)
			bad = bufs[i] ? "a buffer is another handle's" : "a buffer is NULL";
		else
			q->handles[i] = bufs[i]->handle;
	}
	if (bad) {
		npu_lib_fail(n, ret, "%s: %s", fn, bad);
		return ret;
	}
	q->cmd_handle = cmd->handle;
	q->n_bufs = n_bufs;
	return 0;
}

/* SUBMIT, with the lock held. */
static int submit_locked(struct npu *n, struct run_req *q, uint32_t *job_id)
{
	struct npu_rsp_submit rs;
	struct npu_lib_reply r;
	int ret = npu_lib_call(n, NPU_OP_SUBMIT, &q->cmd_handle,
			       sizeof(struct npu_req_submit) + q->n_bufs * sizeof(uint32_t),
			       sizeof(rs), NPU_LIB_REPLY_MS, &r);

	if (ret)
		return ret;
	memcpy(&rs, r.payload, sizeof(rs));
	ret = npu_lib_check_zero(n, NPU_OP_SUBMIT, "reserved", rs.reserved);
	if (!ret)
		*job_id = rs.job_id;
	return ret;
}

int npu_submit(struct npu *n, struct npu_buf *cmd, struct npu_buf *const *bufs, unsigned n_bufs,
	       uint32_t *job_id)
{
	struct run_req q;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!job_id) {
		npu_lib_fail(n, -EINVAL, "npu_submit: no place for the job id");
		ret = -EINVAL;
	} else {
		ret = submit_args(n, "npu_submit", cmd, bufs, n_bufs, &q);
		if (!ret)
			ret = submit_locked(n, &q, job_id);
	}
	pthread_mutex_unlock(&n->lock);
	return ret;
}

/* WAIT or JOB_QUERY: the reply must be about this job. */
static int job_call(struct npu *n, unsigned op, uint32_t job_id, uint32_t timeout_ms,
		    struct npu_rsp_job *rj)
{
	struct npu_req_wait w = { .job_id = job_id, .timeout_ms = timeout_ms };
	struct npu_req_job jq = { .job_id = job_id };
	struct npu_lib_reply r;
	int ret;

	if (op == NPU_OP_WAIT)
		ret = npu_lib_call(n, op, &w, sizeof(w), sizeof(*rj), timeout_ms + WAIT_MARGIN_MS,
				   &r);
	else
		ret = npu_lib_call(n, op, &jq, sizeof(jq), sizeof(*rj), NPU_LIB_REPLY_MS, &r);
	if (ret)
		return ret;
	memcpy(rj, r.payload, sizeof(*rj));
	if (rj->job_id != job_id)
		return npu_lib_proto_fail(n, op, "it is about job 0x%x, not 0x%x", rj->job_id,
					  job_id);
	if (rj->done > 1)
		return npu_lib_proto_fail(n, op, "done is %u, not 0 or 1", rj->done);
	if (!rj->done && rj->status)
		return npu_lib_proto_fail(n, op, "status 0x%x for a job not done", rj->status);
	return npu_lib_check_zero(n, op, "reserved", rj->reserved);
}

/* WAITs until the job ends or timeout_ms passes, with the lock held. */
static int wait_locked(struct npu *n, uint32_t job_id, uint32_t timeout_ms, uint32_t *status)
{
	struct npu_rsp_job rj;
	uint32_t left = timeout_ms;
	int ret;

	/* Longer waits than one request may ask for are several requests. */
	for (;;) {
		uint32_t slice = left > NPU_PROTO_WAIT_MAX_MS ? NPU_PROTO_WAIT_MAX_MS : left;

		ret = job_call(n, NPU_OP_WAIT, job_id, slice, &rj);
		left -= slice;
		if (ret == -ETIMEDOUT && left)
			continue;
		if (ret || rj.done)
			break;
		if (!left)
			return npu_lib_fail(n, -ETIMEDOUT, "job 0x%x is still running after %u ms",
					    job_id, timeout_ms);
	}
	if (!ret)
		*status = rj.status;
	return ret;
}

int npu_wait(struct npu *n, uint32_t job_id, uint32_t timeout_ms, uint32_t *status)
{
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	ret = status ? wait_locked(n, job_id, timeout_ms, status)
		     : npu_lib_fail(n, -EINVAL, "npu_wait: no place for the status");
	pthread_mutex_unlock(&n->lock);
	return ret;
}

/*
 * RUN: one request for both; a reply with done 0 means the time ran out.
 * Waits longer than one request may ask for go on with WAITs. A server
 * without RUN (-EOPNOTSUPP) gets SUBMIT and WAIT.
 */
static int run_locked(struct npu *n, struct run_req *q, uint32_t timeout_ms, uint32_t *job_id,
		      bool *known, uint32_t *status)
{
	uint32_t slice = timeout_ms > NPU_PROTO_WAIT_MAX_MS ? NPU_PROTO_WAIT_MAX_MS : timeout_ms;
	struct npu_lib_reply r;
	struct npu_rsp_job rj;
	int ret;

	q->timeout_ms = slice;
	q->reserved = 0;
	ret = npu_lib_call(n, NPU_OP_RUN, q,
			   sizeof(struct npu_req_run) + sizeof(struct npu_req_submit) +
			       q->n_bufs * sizeof(uint32_t),
			   sizeof(rj), slice + WAIT_MARGIN_MS, &r);
	if (ret == -EOPNOTSUPP) {
		ret = submit_locked(n, q, job_id);
		*known = !ret;
		return ret ? ret : wait_locked(n, *job_id, timeout_ms, status);
	}
	if (ret)
		return ret;
	memcpy(&rj, r.payload, sizeof(rj));
	if (rj.done > 1 || (!rj.done && rj.status) || rj.reserved)
		return npu_lib_proto_fail(n, NPU_OP_RUN, "done %u, status 0x%x, reserved 0x%x",
					  rj.done, rj.status, rj.reserved);
	*job_id = rj.job_id;
	*known = true;
	if (rj.done) {
		*status = rj.status;
		return 0;
	}
	if (timeout_ms > slice)
		return wait_locked(n, rj.job_id, timeout_ms - slice, status);
	return npu_lib_fail(n, -ETIMEDOUT, "job 0x%x is still running after %u ms", rj.job_id,
			    timeout_ms);
}

int npu_run(struct npu *n, struct npu_buf *cmd, struct npu_buf *const *bufs, unsigned n_bufs,
	    uint32_t timeout_ms, uint32_t *job_id, uint32_t *status)
{
	struct run_req q;
	uint32_t id = 0;
	bool known = false;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!status) {
		npu_lib_fail(n, -EINVAL, "npu_run: no place for the status");
		ret = -EINVAL;
	} else {
		ret = submit_args(n, "npu_run", cmd, bufs, n_bufs, &q);
		if (!ret)
			ret = run_locked(n, &q, timeout_ms, &id, &known, status);
	}
	if (job_id && known)
		*job_id = id;
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_job_query(struct npu *n, uint32_t job_id, int *done, uint32_t *status)
{
	struct npu_rsp_job rj;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!done || !status) {
		ret = -EINVAL;
		npu_lib_fail(n, ret, "npu_job_query: no place for the answer");
	} else {
		ret = job_call(n, NPU_OP_JOB_QUERY, job_id, 0, &rj);
	}
	if (!ret) {
		*done = (int)rj.done;
		*status = rj.status;
	}
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_status_json(struct npu *n, char *buf, size_t len)
{
	struct npu_req_status q = { .format = 0 };
	struct npu_lib_reply r;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (!buf || !len) {
		ret = npu_lib_fail(n, -EINVAL, "npu_status_json: no buffer");
		goto out;
	}
	ret = npu_lib_call(n, NPU_OP_STATUS, &q, sizeof(q), NPU_LIB_ANY_SIZE, NPU_LIB_REPLY_MS, &r);
	if (ret)
		goto out;
	if (r.len == 0 || memchr(r.payload, '\0', r.len))
		ret = npu_lib_proto_fail(n, NPU_OP_STATUS, "%s",
					 r.len ? "a NUL inside the text" : "no text");
	else if (r.len >= len)
		ret =
		    npu_lib_fail(n, -ENOSPC, "the status report is %zu bytes; the buffer holds %zu",
				 r.len + 1, len);
	if (!ret) {
		memcpy(buf, r.payload, r.len);
		buf[r.len] = '\0';
	}
out:
	pthread_mutex_unlock(&n->lock);
	return ret;
}

int npu_reset(struct npu *n)
{
	struct npu_lib_reply r;
	int ret;

	if (!n)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	ret = npu_lib_call(n, NPU_OP_RESET, NULL, 0, 0, NPU_LIB_REPLY_MS, &r);
	pthread_mutex_unlock(&n->lock);
	return ret;
}

static const char *const priority_names[] = { "normal", "idle", "normal", "focus", "realtime" };

const char *npu_priority_name(uint32_t priority)
{
	return priority <= NPU_PRIORITY_REALTIME ? priority_names[priority] : NULL;
}

int npu_priority_parse(const char *name, uint32_t *priority)
{
	if (name && !strcmp(name, "default")) {
		*priority = NPU_PRIORITY_DEFAULT;
		return 0;
	}
	for (uint32_t p = NPU_PRIORITY_IDLE; name && p <= NPU_PRIORITY_REALTIME; p++) {
		if (!strcmp(name, priority_names[p])) {
			*priority = p;
			return 0;
		}
	}
	return -EINVAL;
}

int npu_set_priority(struct npu *n, uint32_t priority)
{
	struct npu_req_priority p = { .priority = priority };
	struct npu_lib_reply r;
	int ret;

	if (!n)
		return -EINVAL;
	if (priority > NPU_PRIORITY_REALTIME)
		return npu_lib_fail(n, -EINVAL, "priority %u is not one of NPU_PRIORITY_*",
				    priority);
	pthread_mutex_lock(&n->lock);
	ret = npu_lib_call(n, NPU_OP_SET_PRIORITY, &p, sizeof(p), 0, NPU_LIB_REPLY_MS, &r);
	pthread_mutex_unlock(&n->lock);
	return ret;
}
