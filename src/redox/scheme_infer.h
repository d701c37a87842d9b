/* SPDX-License-Identifier: MIT */
/*
 * Private to /scheme/npu/infer: one framed message per open description
 * (docs/redox.md), run through the server as a client of its own.
 *
 * scheme_infer.c takes the message in (the framing), answers reads (parked
 * while the message runs) and tells readiness. scheme_infer_run.c runs it:
 * an internal server client makes the buffers (BUF_CREATE), and each job is
 * an INFERENCE_EXECUTE command buffer, SUBMIT, then WAIT, whose reply comes
 * from the interrupt path and is taken up in the scheme's loop
 * (sch_infer_progress), never inside the server's callback.
 */
#ifndef NPU_REDOX_SCHEME_INFER_H
#define NPU_REDOX_SCHEME_INFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "redox/scheme_internal.h"

#define INF_MAGIC	0x4655504Eu /* "NPUF" */
#define INF_VERSION	1u
#define INF_HDR		32u
#define INF_RSP_MAX	512u	   /* replies the internal client takes: small ones only */
#define INF_BATCH	64u	   /* samples per job at first, as npuctl infer */
#define INF_IO_MAX	(1u << 20) /* bytes of one job's input or output buffer */
#define INF_WAIT_MS	60000u	   /* the reference's inference maximum */
#define INF_CLIENT_NAME "npu:infer"

enum inf_phase {
	INF_WRITING, /* the message is coming in */
	INF_RUNNING, /* its jobs run */
	INF_DONE,    /* result (and out) final */
};

/* A buffer of the internal client, as its BUF_CREATE reply said. */
struct inf_buf {
	uint32_t handle;
	uint64_t va, size;
	uint8_t *cpu;
};

struct sch_infer {
	/* The message. */
	uint8_t *in;
	size_t in_len, in_cap;
	uint64_t total; /* bytes of the whole message; 0 until the header is in */
	int framing;	/* a framing error: every write and read gets it */
	enum inf_phase phase;
	int result; /* INF_DONE: 0, or -errno */
	uint8_t *out;
	size_t out_len;
	struct sch_parked reads[SCH_PARKED_MAX];
	unsigned n_reads;

	/* The run (scheme_infer_run.c). */
	struct npu_srv_client *client;
	uint32_t seq;
	bool got;      /* a reply came (rsp) */
	bool wait_out; /* a WAIT is parked in the server */
	uint8_t rsp[INF_RSP_MAX];
	size_t rsp_len;
	void *att_cpu; /* memory that came with the reply */
	int gen;       /* enum npu_gen, from QUERY */
	uint64_t caps; /* NPU_CAP_*, from QUERY */
	struct inf_buf cmd, desc, model, input, output;
	uint64_t model_size, input_size;
	uint32_t sample_size, record_size, samples;
	uint32_t batch, first, n; /* the job running: samples [first, first + n) */
	uint32_t job_id, jobs;
};

/* scheme_infer_run.c */
/* The message is whole: runs it up to its first WAIT, or to its end. */
void inf_run_start(struct sch_handle *h);
/* A WAIT's reply came: the next job, or the end. */
void inf_run_resume(struct sch_handle *h);
/* Lets the internal client go (its context, buffers and jobs with it). */
void inf_run_release(struct sch_infer *f);

/* scheme_infer.c: the run is over; answers the parked reads. */
void inf_finish(struct sch_handle *h, int result);

#endif
