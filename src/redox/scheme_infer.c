/* SPDX-License-Identifier: MIT */
/*
 * /scheme/npu/infer (scheme_infer.h): the framed message coming in, the
 * reads of its outputs, parked while it runs.
 *
 * The framing (docs/redox.md): a 32-byte header, the model blob, then the
 * input. It is checked as it arrives; once the message is whole it runs
 * (scheme_infer_run.c) and the reads give its outputs, or why it failed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "redox/scheme_infer.h"
#include "util/bytes.h"

int sch_infer_open(struct sch_handle *h)
{
	h->inf = calloc(1, sizeof(*h->inf));
	return h->inf ? 0 : -ENOMEM;
}

void sch_infer_close(struct sch_handle *h)
{
	struct sch_infer *f = h->inf;

	if (!f)
		return;
	inf_run_release(f);
	for (unsigned i = 0; i < f->n_reads; i++)
		sch_complete(h->x, f->reads[i].tag, -EBADF, 0);
	free(f->in);
	free(f->out);
	free(f);
	h->inf = NULL;
}

/* Checks the header once it is in; 0 also while it is not complete. */
static int check_header(struct sch_infer *f)
{
	const uint8_t *p = f->in;
	uint64_t model, input;

	if (f->in_len < INF_HDR)
		return 0;
	model = npu_le64(p + 8);
	input = npu_le64(p + 16);
	if (npu_le32(p) != INF_MAGIC || npu_le16(p + 4) != INF_VERSION || npu_le16(p + 6) ||
	    npu_le64(p + 24))
		return -EINVAL;
	if (model == 0 || input == 0 || model > SCH_INFER_MAX || input > SCH_INFER_MAX ||
	    INF_HDR + model + input > SCH_INFER_MAX)
		return -EFBIG;
	f->model_size = model;
	f->input_size = input;
	f->total = INF_HDR + model + input;
	return 0;
}

int64_t sch_infer_write(struct sch_handle *h, const uint8_t *buf, size_t len)
{
	struct sch_infer *f = h->inf;
	size_t want;
	int ret;

	if (f->framing)
		return f->framing;
	if (f->phase != INF_WRITING)
		return -ENOSPC; /* one message per open */
	want = f->in_len + len;
	if (want > SCH_INFER_MAX || (f->total && want > f->total))
		return -EFBIG;
	if (want > f->in_cap) {
		size_t cap = f->in_cap ? f->in_cap : 4096;
		uint8_t *n;

		while (cap < want)
			cap *= 2;
		n = realloc(f->in, cap);
		if (!n)
			return -ENOMEM;
		f->in = n;
		f->in_cap = cap;
	}
	if (len) /* a zero-length write is no data, and f->in may not exist yet */
		memcpy(f->in + f->in_len, buf, len);
	f->in_len = want;
	ret = f->total ? 0 : check_header(f);
	if (ret) {
		f->framing = ret;
		return ret;
	}
	if (f->total && f->in_len == f->total) {
		f->phase = INF_RUNNING;
		inf_run_start(h); /* to its first WAIT, or to its end */
	}
	return (int64_t)len;
}

/* The outputs from off; 0 past their end. */
static int64_t copy_out(const struct sch_infer *f, uint8_t *buf, size_t len, uint64_t off)
{
	size_t n;

	if (off >= f->out_len)
		return 0;
	n = f->out_len - (size_t)off;
	if (n > len)
		n = len;
	memcpy(buf, f->out + off, n);
	return (int64_t)n;
}

int64_t sch_infer_read(struct sch_handle *h, uint32_t tag, uint8_t *buf, size_t len, uint64_t off,
		       bool nonblock, bool *parked)
{
	struct sch_infer *f = h->inf;

	if (f->framing)
		return f->framing;
	switch (f->phase) {
	case INF_WRITING:
		return -ENODATA; /* the message is not complete */
	case INF_RUNNING:
		if (nonblock)
			return -EAGAIN;
		if (f->n_reads == SCH_PARKED_MAX)
			return -EBUSY;
		f->reads[f->n_reads++] =
		    (struct sch_parked){ .tag = tag, .buf = buf, .cap = len, .off = off };
		*parked = true;
		return 0;
	default:
		return f->result ? f->result : copy_out(f, buf, len, off);
	}
}

void inf_finish(struct sch_handle *h, int result)
{
	struct sch_infer *f = h->inf;

	f->phase = INF_DONE;
	f->result = result;
	if (result) {
		free(f->out);
		f->out = NULL;
		f->out_len = 0;
	}
	free(f->in); /* the message is not needed any more */
	f->in = NULL;
	f->in_cap = 0;
	inf_run_release(f);
	for (unsigned i = 0; i < f->n_reads; i++) {
		const struct sch_parked *p = &f->reads[i];

		sch_complete(h->x, p->tag, result ? result : copy_out(f, p->buf, p->cap, p->off),
			     0);
	}
	f->n_reads = 0;
	sch_fevent(h, REDOX_EVENT_READ);
}

bool sch_infer_cancel(struct sch_handle *h, uint32_t tag)
{
	struct sch_infer *f = h->inf;

	for (unsigned i = 0; i < f->n_reads; i++) {
		if (f->reads[i].tag != tag)
			continue;
		sch_complete(h->x, tag, -ECANCELED, 0); /* the caller sees EINTR */
		memmove(&f->reads[i], &f->reads[i + 1], (--f->n_reads - i) * sizeof(f->reads[0]));
		return true;
	}
	return false;
}

uint32_t sch_infer_readiness(const struct sch_handle *h)
{
	const struct sch_infer *f = h->inf;

	if (f->framing || f->phase == INF_DONE)
		return REDOX_EVENT_READ;
	return f->phase == INF_WRITING ? REDOX_EVENT_WRITE : 0;
}

uint64_t sch_infer_size(const struct sch_handle *h)
{
	return h->inf->phase == INF_DONE ? h->inf->out_len : 0;
}

void sch_infer_progress(struct npu_redox_scheme *x)
{
	for (unsigned i = 0; i < x->n_h; i++) {
		struct sch_handle *h = x->h[i];

		if (h->kind == SCH_INFER && h->inf->phase == INF_RUNNING && h->inf->wait_out &&
		    h->inf->got)
			inf_run_resume(h);
	}
}
