/* SPDX-License-Identifier: MIT */
/*
 * npuctl infer: classifies samples with a network of docs/model-format.md on
 * the NPU, through libnpu (include/npu/npu.h): in-process on the device the
 * global options name, or through npud with --socket. The samples go in jobs
 * of --batch; each job is one INFERENCE_EXECUTE on a descriptor pointing at
 * the blob, the job's samples and its records, all in buffers of the handle.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "npu/model.h"
#include "npu/npu.h"
#include "util/bytes.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/json.h"

#define INFER_INPUT_MAX	    ((size_t)256 << 20)
#define INFER_BATCH_DEFAULT 64u
#define INFER_WAIT_MS	    60000u /* the reference's inference maximum */

struct infer {
	const char *model_path, *input_path, *labels_path;
	uint32_t batch;
	uint8_t *blob, *input, *labels;
	size_t blob_size, input_size, labels_size;
	uint32_t sample_size, record_size, classes, samples;
	uint32_t *pred;
	struct npu *n;
	struct npu_buf *cmd, *desc, *model, *in, *out;
	uint32_t jobs, correct;
	uint64_t us;
};

static int read_file(const char *what, const char *path, size_t max, uint8_t **data, size_t *size)
{
	int ret = npu_read_file(path, max, data, size);

	if (ret == 0 && *size == 0)
		ret = -ENODATA;
	if (ret) {
		npuctl_err("%s %s: %s", what, path,
			   ret == -EFBIG     ? "too large"
			   : ret == -ENODATA ? "empty file"
					     : strerror(-ret));
		free(*data);
		*data = NULL;
	}
	return ret;
}

/*
 * What the blob's header promises (docs/model-format.md §2); the layers are
 * the NPU's to check. Returns 0 or -1 after one error line.
 */
static int check_model(struct infer *x)
{
	const uint8_t *h = x->blob;
	uint64_t sample;
	uint32_t blob_size;

	if (x->blob_size < NPU_MODEL_HEADER_SIZE ||
	    npu_le32(h + offsetof(struct npu_model_header, magic)) != NPU_MODEL_MAGIC) {
		npuctl_err("%s: not a model blob (docs/model-format.md): no NPUM header",
			   x->model_path);
		return -1;
	}
	if (npu_le32(h + offsetof(struct npu_model_header, version)) != NPU_MODEL_VERSION ||
	    npu_le32(h + offsetof(struct npu_model_header, input_type)) != NPU_MODEL_INPUT_U8) {
		npuctl_err("%s: model version %u, input type %u: this npuctl reads version 1, u8",
			   x->model_path, npu_le32(h + offsetof(struct npu_model_header, version)),
			   npu_le32(h + offsetof(struct npu_model_header, input_type)));
		return -1;
	}
	blob_size = npu_le32(h + offsetof(struct npu_model_header, blob_size));
	if (blob_size != x->blob_size) {
		npuctl_err("%s: the header says %u bytes, the file has %zu (%s)", x->model_path,
			   blob_size, x->blob_size,
			   blob_size > x->blob_size ? "truncated" : "trailing bytes");
		return -1;
	}
	sample = (uint64_t)npu_le32(h + offsetof(struct npu_model_header, input_c)) *
		 npu_le32(h + offsetof(struct npu_model_header, input_h)) *
		 npu_le32(h + offsetof(struct npu_model_header, input_w));
	x->classes = npu_le32(h + offsetof(struct npu_model_header, output_count));
	x->record_size = npu_le32(h + offsetof(struct npu_model_header, output_record_size));
	if (sample == 0 || sample > NPU_MODEL_TENSOR_MAX || x->classes == 0 ||
	    x->classes > NPU_MODEL_CLASSES_MAX ||
	    (x->record_size != npu_model_record_size(x->classes, 0) &&
	     x->record_size != npu_model_record_size(x->classes, 1))) {
		npuctl_err("%s: input shape, class count or record size out of bounds",
			   x->model_path);
		return -1;
	}
	x->sample_size = (uint32_t)sample;
	return 0;
}

/* Input and labels against the model. Returns 0 or -1 after one error line. */
static int check_input(struct infer *x)
{
	if (x->input_size % x->sample_size != 0) {
		npuctl_err("%s: %zu bytes is not a whole number of %u-byte samples", x->input_path,
			   x->input_size, x->sample_size);
		return -1;
	}
	x->samples = (uint32_t)(x->input_size / x->sample_size);
	if (x->labels && x->labels_size != x->samples) {
		npuctl_err("%s: %zu labels for %u samples", x->labels_path, x->labels_size,
			   x->samples);
		return -1;
	}
	if (x->batch > x->samples)
		x->batch = x->samples;
	/* The job's records must fit the descriptor's 16 MiB. */
	while ((uint64_t)x->batch * x->record_size > NPU_INFER_IO_MAX ||
	       (uint64_t)x->batch * x->sample_size > NPU_INFER_IO_MAX)
		x->batch /= 2;
	if (x->batch == 0) {
		npuctl_err("%s: a sample or record is larger than a job can carry", x->model_path);
		return -1;
	}
	x->pred = calloc(x->samples, sizeof(*x->pred));
	if (!x->pred) {
		npuctl_err("out of memory");
		return -1;
	}
	return 0;
}

static int lib_err(struct infer *x, const char *what, int ret)
{
	const char *detail = npu_last_error(x->n);

	npuctl_err("%s: %s%s%s", what, npu_strerror(ret), detail && *detail ? ": " : "",
		   detail && *detail ? detail : "");
	return -1;
}

/* The handle, its capability check, and the job's buffers. */
static int setup(const struct npuctl *ctl, struct infer *x)
{
	struct npu_open_opts o = {
		.socket = ctl->socket,
		.device = ctl->device,
		.firmware = ctl->firmware,
		.gen = ctl->gen,
		.client_name = "npuctl infer",
	};
	struct npu_info info;
	size_t cmd_size;
	int ret = npu_open(&o, &x->n);

	if (ret) {
		npuctl_err("cannot open the NPU%s%s: %s%s%s", ctl->socket ? " through " : "",
			   ctl->socket ? ctl->socket : "", npu_strerror(ret),
			   *npu_last_error(NULL) ? ": " : "", npu_last_error(NULL));
		x->n = NULL;
		return -1;
	}
	ret = npu_query(x->n, &info);
	if (ret)
		return lib_err(x, "query", ret);
	if (!(info.capabilities & NPU_CAP_INFERENCE)) {
		npuctl_err("this NPU (%s) does not run networks of docs/model-format.md: only the "
			   "simulated NPU does (--device sim)",
			   info.generation);
		return -1;
	}
	cmd_size = npu_batch_size(x->n, 1, 0);
	if ((ret = npu_buf_create(x->n, cmd_size, 0, &x->cmd)) ||
	    (ret = npu_buf_create(x->n, NPU_INFER_DESC_SIZE, 0, &x->desc)) ||
	    (ret = npu_buf_create(x->n, x->blob_size, 0, &x->model)) ||
	    (ret = npu_buf_create(x->n, (size_t)x->batch * x->sample_size, 0, &x->in)) ||
	    (ret = npu_buf_create(x->n, (size_t)x->batch * x->record_size, 0, &x->out)))
		return lib_err(x, "cannot create the job's buffers", ret);
	memcpy(npu_buf_ptr(x->model), x->blob, x->blob_size);
	return 0;
}

/* The descriptor (docs/model-format.md §1) for n samples. */
static void write_desc(struct infer *x, uint32_t n)
{
	uint8_t *d = npu_buf_ptr(x->desc);

	memset(d, 0, NPU_INFER_DESC_SIZE);
	npu_put_le32(d + offsetof(struct npu_infer_desc, magic), NPU_INFER_DESC_MAGIC);
	npu_put_le32(d + offsetof(struct npu_infer_desc, version), NPU_INFER_DESC_VERSION);
	npu_put_le32(d + offsetof(struct npu_infer_desc, batch), n);
	npu_put_le64(d + offsetof(struct npu_infer_desc, model_va), npu_buf_va(x->model));
	npu_put_le32(d + offsetof(struct npu_infer_desc, model_size), (uint32_t)x->blob_size);
	npu_put_le64(d + offsetof(struct npu_infer_desc, input_va), npu_buf_va(x->in));
	npu_put_le32(d + offsetof(struct npu_infer_desc, input_size), n * x->sample_size);
	npu_put_le64(d + offsetof(struct npu_infer_desc, output_va), npu_buf_va(x->out));
	npu_put_le32(d + offsetof(struct npu_infer_desc, output_size), n * x->record_size);
}

/* Why a job failed, in the words of docs/model-format.md §7. */
static void job_failed(const struct infer *x, uint32_t first, uint32_t n, uint32_t status)
{
	const char *why;

	switch (status) {
	case 0x1:
		why = "the NPU refused the inference descriptor";
		break;
	case 0x7:
		why = "the NPU refused the model as malformed";
		break;
	case 0x8:
		why = "the model uses a layer or option the NPU does not support";
		break;
	case 0xA:
		why = "the job is too large for the NPU: try a smaller --batch";
		break;
	default:
		why = "the inference failed";
		break;
	}
	npuctl_err("%s: %s (the job of samples %u..%u): %s, status 0x%x", x->model_path, why, first,
		   first + n - 1, npu_status_name(status), status);
}

/* One job: samples [first, first + n). */
static int run_job(struct infer *x, uint32_t first, uint32_t n)
{
	struct npu_buf *bufs[] = { x->desc, x->model, x->in, x->out };
	struct npu_batch *b;
	const uint8_t *out = npu_buf_ptr(x->out);
	uint32_t job, status;
	int ret, end;

	memcpy(npu_buf_ptr(x->in), x->input + (size_t)first * x->sample_size,
	       (size_t)n * x->sample_size);
	write_desc(x, n);
	ret = npu_batch_begin(x->cmd, 1, &b);
	if (ret)
		return lib_err(x, "cannot build the command buffer", ret);
	ret = npu_batch_inference(b, npu_buf_va(x->desc), NPU_INFER_DESC_SIZE, x->jobs);
	end = npu_batch_end(b); /* frees the builder in every case */
	if (ret || end)
		return lib_err(x, "cannot build the command buffer", ret ? ret : end);
	ret = npu_submit(x->n, x->cmd, bufs, 4, &job);
	if (ret)
		return lib_err(x, "submit", ret);
	ret = npu_wait(x->n, job, INFER_WAIT_MS, &status);
	if (ret)
		return lib_err(x, "wait", ret);
	if (status != 0) {
		job_failed(x, first, n, status);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t cls = npu_le32(out + (size_t)i * x->record_size);

		if (cls >= x->classes) {
			npuctl_err("sample %u: the NPU wrote class %u of %u", first + i, cls,
				   x->classes);
			return -1;
		}
		x->pred[first + i] = cls;
		if (x->labels && cls == x->labels[first + i])
			x->correct++;
	}
	x->jobs++;
	return 0;
}

static void report(const struct npuctl *ctl, const struct infer *x)
{
	double us = x->samples ? (double)x->us / x->samples : 0;
	double acc = x->samples ? (double)x->correct / x->samples : 0;

	if (ctl->json) {
		struct npu_json j;

		npu_json_init(&j, stdout);
		npu_json_obj_begin(&j, NULL);
		npu_json_arr_begin(&j, "predictions");
		for (uint32_t i = 0; i < x->samples; i++)
			npu_json_u64(&j, NULL, x->pred[i]);
		npu_json_arr_end(&j);
		npu_json_u64(&j, "samples", x->samples);
		npu_json_double(&j, "us_per_sample", us);
		npu_json_u64(&j, "batch", x->batch);
		npu_json_u64(&j, "jobs", x->jobs);
		npu_json_u64(&j, "classes", x->classes);
		npu_json_str(&j, "model", x->model_path);
		if (x->labels) {
			npu_json_u64(&j, "correct", x->correct);
			npu_json_double(&j, "accuracy", acc);
		}
		npu_json_obj_end(&j);
		npu_json_finish(&j);
		return;
	}
	for (uint32_t i = 0; i < x->samples; i++)
		printf("%u: %u\n", i, x->pred[i]);
	printf("%u samples in %u jobs of up to %u: %.1f us per sample\n", x->samples, x->jobs,
	       x->batch, us);
	if (x->labels)
		printf("accuracy: %u/%u = %.2f%%\n", x->correct, x->samples, 100.0 * acc);
}

static int parse(const struct npuctl_cmd *cmd, int argc, char **argv, struct infer *x, int *code)
{
	const char *batch = NULL;
	const struct npuctl_opt opts[] = {
		{ "--model", &x->model_path, NULL },
		{ "--input", &x->input_path, NULL },
		{ "--batch", &batch, NULL },
		{ "--labels", &x->labels_path, NULL },
		{ NULL, NULL, NULL },
	};
	const char *pos[1];
	int n_pos;

	if (npuctl_parse_opts(cmd, argc, argv, opts, pos, 0, &n_pos, code))
		return 1;
	if (!x->model_path || !x->input_path) {
		*code = npuctl_usage_err(cmd, "infer: --model FILE and --input FILE are required");
		return 1;
	}
	x->batch = INFER_BATCH_DEFAULT;
	if (batch) {
		char *end;
		unsigned long v = strtoul(batch, &end, 10);

		if (*batch == '\0' || *end || v < 1 || v > NPU_INFER_BATCH_MAX) {
			*code = npuctl_usage_err(cmd, "infer: --batch must be 1..%u",
						 NPU_INFER_BATCH_MAX);
			return 1;
		}
		x->batch = (uint32_t)v;
	}
	return 0;
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	struct infer x = { 0 };
	int code;

	if (parse(&npuctl_cmd_infer, argc, argv, &x, &code))
		return code;
	code = NPUCTL_EXIT_ERROR;
	if (read_file("model", x.model_path, NPU_MODEL_SIZE_MAX, &x.blob, &x.blob_size) ||
	    check_model(&x) ||
	    read_file("input", x.input_path, INFER_INPUT_MAX, &x.input, &x.input_size) ||
	    (x.labels_path &&
	     read_file("labels", x.labels_path, INFER_INPUT_MAX, &x.labels, &x.labels_size)) ||
	    check_input(&x) || setup(ctl, &x))
		goto out;
	x.us = npu_clock_us();
	for (uint32_t first = 0; first < x.samples; first += x.batch) {
		uint32_t n = x.samples - first < x.batch ? x.samples - first : x.batch;

		if (run_job(&x, first, n))
			goto out;
	}
	x.us = npu_clock_us() - x.us;
	report(ctl, &x);
	code = NPUCTL_EXIT_OK;
out:
	if (x.n)
		npu_close(x.n); /* and its buffers */
	free(x.blob);
	free(x.input);
	free(x.labels);
	free(x.pred);
	return code;
}

const struct npuctl_cmd npuctl_cmd_infer = {
	.name = "infer",
	.summary = "Classify samples with a network of docs/model-format.md on the NPU",
	.usage = "--model FILE --input FILE [--batch N] [--labels FILE]  [--device ...] "
		 "[--socket PATH] [--json]",
	.run = run,
};
