/* SPDX-License-Identifier: MIT */
/*
 * Running an infer message (scheme_infer.h) through the server, as a client
 * like any other: HELLO, QUERY (the NPU must run docs/model-format.md
 * networks), BUF_CREATE for the command buffer, the inference descriptor,
 * the model, the input and the output; then per job of up to `batch`
 * samples an INFERENCE_EXECUTE command buffer (cmdbuf.h), SUBMIT and WAIT.
 * A WAIT still running is parked in the server; its reply comes through the
 * send callback from the interrupt path, and the scheme's loop takes it up
 * (sch_infer_progress -> inf_run_resume).
 *
 * What the daemon reads of the blob is what it needs to lay the buffers
 * out: the header's magic, the sample's shape and the record size. The rest
 * is the NPU's to check; a job it refuses ends the run with an errno for its
 * status (docs/redox.md), and the reason goes to the log. Whether the NPU
 * runs such networks at all is the NPU's to say too: QUERY's
 * NPU_CAP_INFERENCE is set by the simulated platform only, and a Redox
 * backend with the simulated NPU behind a fake kernel cannot tell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/cmdbuf.h"
#include "driver/status.h"
#include "npu/model.h"
#include "npu/npu.h"
#include "redox/scheme_infer.h"
#include "util/bytes.h"
#include "util/log.h"

#define REQ_BODY_MAX 64u

static int inf_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct sch_handle *h = tp;
	struct sch_infer *f = h->inf;

	if (len > sizeof(f->rsp))
		return -EMSGSIZE;
	memcpy(f->rsp, msg, len);
	f->rsp_len = len;
	f->att_cpu = att ? att->cpu : NULL;
	f->got = true;
	return 0;
}

/* Hands one request to the server; the reply, if it came at once, is in f->rsp. */
static int send_req(struct sch_handle *h, uint16_t op, const void *body, size_t len)
{
	struct sch_infer *f = h->inf;
	uint8_t msg[sizeof(struct npu_req_hdr) + REQ_BODY_MAX];
	struct npu_req_hdr q = { .magic = NPU_PROTO_REQ_MAGIC,
				 .version = NPU_PROTO_VERSION,
				 .op = op,
				 .size = (uint32_t)(sizeof(q) + len),
				 .seq = ++f->seq };

	memcpy(msg, &q, sizeof(q));
	if (len)
		memcpy(msg + sizeof(q), body, len);
	f->got = false;
	f->att_cpu = NULL;
	return npu_server_request(f->client, msg, sizeof(q) + len);
}

/* The reply in f->rsp to op: its status, and its body (exactly len bytes) in out. */
static int take_reply(struct sch_handle *h, uint16_t op, void *out, size_t len)
{
	struct sch_infer *f = h->inf;
	struct npu_rsp_hdr r;

	f->got = false;
	if (f->rsp_len < sizeof(r))
		return -EIO;
	memcpy(&r, f->rsp, sizeof(r));
	if (r.magic != NPU_PROTO_RSP_MAGIC || r.op != op || r.seq != f->seq)
		return -EIO;
	if (r.status < 0) {
		npu_info(SRV, "infer (uid %u): %s: %.*s", h->uid, npu_proto_op_name(op),
			 (int)(f->rsp_len - sizeof(r)), (const char *)f->rsp + sizeof(r));
		return r.status;
	}
	if (f->rsp_len - sizeof(r) != len)
		return -EIO;
	if (len)
		memcpy(out, f->rsp + sizeof(r), len);
	return 0;
}

/* One request whose reply comes at once. */
static int call(struct sch_handle *h, uint16_t op, const void *body, size_t len, void *out,
		size_t out_len)
{
	int r = send_req(h, op, body, len), ret;

	if (!h->inf->got)
		return r < 0 ? r : -EIO;
	ret = take_reply(h, op, out, out_len);
	return ret ? ret : (r < 0 ? r : 0);
}

/* What the buffers need from the blob's header (docs/model-format.md §2). */
static int layout(struct sch_handle *h)
{
	struct sch_infer *f = h->inf;
	const uint8_t *m = f->in + INF_HDR;
	uint64_t sample, out;
	uint32_t classes;

	if (f->model_size < NPU_MODEL_HEADER_SIZE ||
	    npu_le32(m + offsetof(struct npu_model_header, magic)) != NPU_MODEL_MAGIC) {
		npu_info(SRV, "infer (uid %u): not a model blob: no NPUM header", h->uid);
		return -EINVAL;
	}
	if (f->model_size > NPU_MODEL_SIZE_MAX)
		return -EFBIG;
	sample = (uint64_t)npu_le32(m + offsetof(struct npu_model_header, input_c)) *
		 npu_le32(m + offsetof(struct npu_model_header, input_h)) *
		 npu_le32(m + offsetof(struct npu_model_header, input_w));
	classes = npu_le32(m + offsetof(struct npu_model_header, output_count));
	f->record_size = npu_le32(m + offsetof(struct npu_model_header, output_record_size));
	if (sample == 0 || sample > NPU_MODEL_TENSOR_MAX || classes == 0 ||
	    classes > NPU_MODEL_CLASSES_MAX ||
	    (f->record_size != npu_model_record_size(classes, 0) &&
	     f->record_size != npu_model_record_size(classes, 1))) {
		npu_info(SRV,
			 "infer (uid %u): the model's input shape, classes or record size are "
			 "out of bounds",
			 h->uid);
		return -EINVAL;
	}
	f->sample_size = (uint32_t)sample;
	if (f->input_size % sample) {
		npu_info(SRV, "infer (uid %u): %llu input bytes are not whole %u-byte samples",
			 h->uid, (unsigned long long)f->input_size, f->sample_size);
		return -EINVAL;
	}
	f->samples = (uint32_t)(f->input_size / sample);
	out = (uint64_t)f->samples * f->record_size;
	if (out > SCH_INFER_MAX)
		return -EFBIG;
	f->batch = f->samples < INF_BATCH ? f->samples : INF_BATCH;
	while (f->batch > 1 && ((uint64_t)f->batch * f->sample_size > INF_IO_MAX ||
				(uint64_t)f->batch * f->record_size > INF_IO_MAX))
		f->batch /= 2;
	f->out = malloc((size_t)out);
	if (!f->out)
		return -ENOMEM;
	f->out_len = (size_t)out;
	return 0;
}

static int buf_create(struct sch_handle *h, uint64_t size, struct inf_buf *b)
{
	struct npu_req_buf_create q = { .size = size };
	struct npu_rsp_buf a;
	int ret = call(h, NPU_OP_BUF_CREATE, &q, sizeof(q), &a, sizeof(a));

	if (ret)
		return ret;
	b->handle = a.handle;
	b->va = a.va;
	b->size = a.size;
	b->cpu = h->inf->att_cpu;
	return b->cpu && a.size >= size ? 0 : -EIO;
}

/* The internal client, its check of the NPU, its buffers, the model in place. */
static int inf_connect(struct sch_handle *h)
{
	struct sch_infer *f = h->inf;
	struct npu_srv_peer peer = { .uid = h->uid, .gid = h->gid, .pid = h->pid };
	struct npu_req_hello hq = { .version_min = NPU_PROTO_VERSION,
				    .version_max = NPU_PROTO_VERSION,
				    .name = INF_CLIENT_NAME };
	struct npu_rsp_hello ha;
	struct npu_rsp_query qa;
	int ret = npu_server_client_new(h->x->s, &peer, inf_send, h, &f->client);

	if (!ret)
		ret = call(h, NPU_OP_HELLO, &hq, sizeof(hq), &ha, sizeof(ha));
	if (!ret)
		ret = call(h, NPU_OP_QUERY, NULL, 0, &qa, sizeof(qa));
	if (ret)
		return ret;
	f->caps = qa.capabilities;
	qa.generation[sizeof(qa.generation) - 1] = '\0';
	f->gen = (int)npu_gen_parse(qa.generation);
	ret = buf_create(h, drv_cmdbuf_size_for((enum npu_gen)f->gen, 1, 0), &f->cmd);
	if (!ret)
		ret = buf_create(h, NPU_INFER_DESC_SIZE, &f->desc);
	if (!ret)
		ret = buf_create(h, f->model_size, &f->model);
	if (!ret)
		ret = buf_create(h, (uint64_t)f->batch * f->sample_size, &f->input);
	if (!ret)
		ret = buf_create(h, (uint64_t)f->batch * f->record_size, &f->output);
	if (!ret)
		memcpy(f->model.cpu, f->in + INF_HDR, (size_t)f->model_size);
	return ret;
}

/* The descriptor (docs/model-format.md §1) for the job's n samples. */
static void write_desc(struct sch_infer *f)
{
	uint8_t *d = f->desc.cpu;

	memset(d, 0, NPU_INFER_DESC_SIZE);
	npu_put_le32(d + offsetof(struct npu_infer_desc, magic), NPU_INFER_DESC_MAGIC);
	npu_put_le32(d + offsetof(struct npu_infer_desc, version), NPU_INFER_DESC_VERSION);
	npu_put_le32(d + offsetof(struct npu_infer_desc, batch), f->n);
	npu_put_le64(d + offsetof(struct npu_infer_desc, model_va), f->model.va);
	npu_put_le32(d + offsetof(struct npu_infer_desc, model_size), (uint32_t)f->model_size);
	npu_put_le64(d + offsetof(struct npu_infer_desc, input_va), f->input.va);
	npu_put_le32(d + offsetof(struct npu_infer_desc, input_size), f->n * f->sample_size);
	npu_put_le64(d + offsetof(struct npu_infer_desc, output_va), f->output.va);
	npu_put_le32(d + offsetof(struct npu_infer_desc, output_size), f->n * f->record_size);
}

/* A job's status that is not success, as an errno (docs/redox.md). */
static int status_errno(uint32_t status)
{
	switch (status) {
	case 0x1: /* PARSING_ERR: the descriptor */
	case 0x7: /* MVNCI_WRONG_INPUT_FORMAT: the model */
		return -EINVAL;
	case 0x8: /* MVNCI_UNSUPPORTED_NETWORK_ELEMENT */
		return -EOPNOTSUPP;
	case 0xA: /* MVNCI_OUT_OF_RESOURCES */
		return -E2BIG;
	case 0xE: /* MVNCI_CONTEXT_VIOLATION_HW */
		return -EFAULT;
	case NPU_STATUS_ABORTED:
		return -ECANCELED;
	default:
		return -EIO;
	}
}

/* The WAIT's reply: the records kept, or the job's size halved, or the end. */
static int wait_reply(struct sch_handle *h)
{
	struct sch_infer *f = h->inf;
	struct npu_rsp_job a;
	int ret = take_reply(h, NPU_OP_WAIT, &a, sizeof(a));

	if (ret)
		return ret;
	if (!a.done || a.job_id != f->job_id)
		return -EIO;
	if (a.status == 0) {
		memcpy(f->out + (size_t)f->first * f->record_size, f->output.cpu,
		       (size_t)f->n * f->record_size);
		f->first += f->n;
		f->jobs++;
		return 0;
	}
	if (a.status == 0xA && f->n > 1) { /* the job's work is over the NPU's limit */
		f->batch = f->n / 2;
		return 0;
	}
	npu_info(SRV, "infer (uid %u): the job of samples %u..%u failed: %s (0x%x)%s", h->uid,
		 f->first, f->first + f->n - 1, drv_job_status_name(a.status), a.status,
		 f->caps & NPU_CAP_INFERENCE
		     ? ""
		     : "; this NPU does not say it runs docs/model-format.md "
		       "networks (the simulated NPU does)");
	return status_errno(a.status);
}

/* The next job, up to its WAIT. Returns 1 when the WAIT is parked, 0 when it was answered. */
static int submit(struct sch_handle *h)
{
	struct sch_infer *f = h->inf;
	struct npu_cmdbuf cb;
	uint32_t body[2 + 4];
	struct npu_rsp_submit sa;
	struct npu_req_wait wq;
	int ret;

	f->n = f->samples - f->first < f->batch ? f->samples - f->first : f->batch;
	memcpy(f->input.cpu, f->in + INF_HDR + f->model_size + (size_t)f->first * f->sample_size,
	       (size_t)f->n * f->sample_size);
	write_desc(f);
	ret = drv_cmdbuf_init(&cb, f->cmd.cpu, f->cmd.va, (size_t)f->cmd.size, 1,
			      (enum npu_gen)f->gen);
	if (!ret)
		ret = drv_cmdbuf_inference(&cb, f->desc.va, NPU_INFER_DESC_SIZE, f->jobs);
	if (!ret)
		ret = drv_cmdbuf_finish(&cb);
	if (ret)
		return ret;
	body[0] = f->cmd.handle; /* struct npu_req_submit, then its buffers */
	body[1] = 4;
	body[2] = f->desc.handle;
	body[3] = f->model.handle;
	body[4] = f->input.handle;
	body[5] = f->output.handle;
	ret = call(h, NPU_OP_SUBMIT, body, sizeof(body), &sa, sizeof(sa));
	if (ret)
		return ret;
	f->job_id = sa.job_id;
	wq = (struct npu_req_wait){ .job_id = sa.job_id, .timeout_ms = INF_WAIT_MS };
	ret = send_req(h, NPU_OP_WAIT, &wq, sizeof(wq));
	if (f->got)
		return wait_reply(h);
	if (ret < 0)
		return ret;
	f->wait_out = true;
	return 1;
}

/* Jobs until one waits (1), all are done (0), or one fails. */
static void drive(struct sch_handle *h, int ret)
{
	struct sch_infer *f = h->inf;

	while (!ret && f->first < f->samples)
		ret = submit(h);
	if (ret != 1)
		inf_finish(h, ret);
}

void inf_run_start(struct sch_handle *h)
{
	int ret = layout(h);

	if (!ret)
		ret = inf_connect(h);
	drive(h, ret);
}

void inf_run_resume(struct sch_handle *h)
{
	h->inf->wait_out = false;
	drive(h, wait_reply(h));
}

void inf_run_release(struct sch_infer *f)
{
	if (f->client)
		npu_server_client_gone(f->client);
	f->client = NULL;
	f->wait_out = false;
	f->got = false;
}
