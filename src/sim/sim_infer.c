/* SPDX-License-Identifier: MIT */
/*
 * INFERENCE_EXECUTE on the simulated NPU, in the steps of
 * docs/model-format.md §7: the descriptor, the blob and the samples are each
 * copied once into local memory through the MMU walk of the job's context,
 * checked, computed by sim_model.c, and the records written back the same
 * way. Sizes are bounded by the caps of include/npu/model.h before anything
 * is allocated, and the work by NPU_INFER_JOB_WORK_MAX, since the model runs
 * this on its firmware thread with its lock held.
 */
#include "sim/sim_infer.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "hw/cmd.h"
#include "hw/jsm.h"
#include "npu/model.h"
#include "sim/sim_internal.h"
#include "sim/sim_model.h"
#include "util/bytes.h"
#include "util/log.h"

#define ST_OK	    NPU_JSM_STATUS_SUCCESS
#define ST_PARSE    NPU_JSM_STATUS_PARSING_ERR
#define ST_WRONG    NPU_JSM_STATUS_MVNCI_WRONG_INPUT_FORMAT
#define ST_NOMEM    NPU_JSM_STATUS_MVNCI_OUT_OF_RESOURCES
#define ST_FAULT    NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW
#define DESC_OFF(f) offsetof(struct npu_infer_desc, f)

/* One job's inference: what the descriptor says, and the local copies. */
struct infer {
	struct npu_sim *s;
	uint32_t ssid;
	uint64_t id; /* inference_id, for the log */
	uint32_t batch, model_size, input_size, output_size;
	uint64_t model_va, input_va, output_va;
	uint8_t *blob, *in, *out;
	void *scratch;
	struct sim_model *m;
};

/* Ends the inference with status, saying why in the debug log and the firmware log. */
static uint32_t refuse(const struct infer *x, uint32_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static uint32_t refuse(const struct infer *x, uint32_t status, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	npu_dbg(SIM, "inference 0x%" PRIx64 " (SSID %u): %s: status 0x%x", x->id, x->ssid, why,
		status);
	sim_fwlog(x->s, SIM_LOG_ERR, "infer: 0x%" PRIx64 " (SSID %u): %s", x->id, x->ssid, why);
	return status;
}

static uint32_t dev_access(const struct infer *x, const char *what, uint64_t va, void *buf,
			   size_t len, bool write)
{
	int ret = sim_mmu_access(x->s, x->ssid, va, buf, len, write);

	if (ret == 0)
		return ST_OK;
	return refuse(x, ST_FAULT, "%s of %zu bytes at 0x%" PRIx64 " faulted (%d)", what, len, va,
		      ret);
}

static bool wraps(uint64_t va, uint64_t size)
{
	uint64_t end;

	return __builtin_add_overflow(va, size, &end);
}

/* Step 1: the descriptor at address (width bytes), read and checked. */
static uint32_t read_desc(struct infer *x, uint64_t address, uint32_t width)
{
	uint8_t d[NPU_INFER_DESC_SIZE];
	uint32_t ret;

	if (width != NPU_INFER_DESC_SIZE)
		return refuse(x, ST_PARSE, "descriptor width %u, not 64", width);
	if (address % NPU_INFER_DESC_ALIGN != 0)
		return refuse(x, ST_PARSE, "descriptor 0x%" PRIx64 " not 8-byte aligned", address);
	ret = dev_access(x, "descriptor read", address, d, sizeof(d), false);
	if (ret != ST_OK)
		return ret;
	if (npu_le32(d + DESC_OFF(magic)) != NPU_INFER_DESC_MAGIC ||
	    npu_le32(d + DESC_OFF(version)) != NPU_INFER_DESC_VERSION)
		return refuse(x, ST_PARSE, "descriptor magic or version wrong");
	if (npu_le32(d + DESC_OFF(flags)) != 0 || npu_le32(d + DESC_OFF(reserved)) != 0 ||
	    npu_le32(d + DESC_OFF(reserved) + 4) != 0 || npu_le32(d + DESC_OFF(reserved) + 8) != 0)
		return refuse(x, ST_PARSE, "descriptor flags or reserved fields not 0");
	x->batch = npu_le32(d + DESC_OFF(batch));
	x->model_va = npu_le64(d + DESC_OFF(model_va));
	x->model_size = npu_le32(d + DESC_OFF(model_size));
	x->input_va = npu_le64(d + DESC_OFF(input_va));
	x->input_size = npu_le32(d + DESC_OFF(input_size));
	x->output_va = npu_le64(d + DESC_OFF(output_va));
	x->output_size = npu_le32(d + DESC_OFF(output_size));
	if (x->batch < 1 || x->batch > NPU_INFER_BATCH_MAX)
		return refuse(x, ST_PARSE, "batch %u not in 1..%u", x->batch, NPU_INFER_BATCH_MAX);
	if (x->model_size < 1 || x->model_size > NPU_MODEL_SIZE_MAX ||
	    x->input_size > NPU_INFER_IO_MAX || x->output_size > NPU_INFER_IO_MAX)
		return refuse(x, ST_PARSE, "model, input or output size above 16 MiB (or model 0)");
	if (wraps(x->model_va, x->model_size) || wraps(x->input_va, x->input_size) ||
	    wraps(x->output_va, x->output_size))
		return refuse(x, ST_PARSE, "model, input or output range wraps");
	return ST_OK;
}

/* Steps 2 and 3: the blob into local memory, checked whole. */
static uint32_t read_model(struct infer *x)
{
	uint8_t hdr[NPU_MODEL_HEADER_SIZE] = { 0 };
	uint32_t blob_size = 0, ret;
	const char *why = "";

	if (x->model_size >= sizeof(hdr)) {
		ret = dev_access(x, "blob header read", x->model_va, hdr, sizeof(hdr), false);
		if (ret != ST_OK)
			return ret;
	}
	ret = sim_model_check_header(hdr, x->model_size, &blob_size, &why);
	if (ret != ST_OK)
		return refuse(x, ret, "blob: %s", why);
	x->blob = malloc(blob_size);
	x->m = malloc(sizeof(*x->m));
	if (!x->blob || !x->m)
		return refuse(x, ST_NOMEM, "no memory for a blob of %u bytes", blob_size);
	ret = dev_access(x, "blob read", x->model_va, x->blob, blob_size, false);
	if (ret != ST_OK)
		return ret;
	ret = sim_model_parse(x->m, x->blob, blob_size, &why);
	if (ret != ST_OK)
		return refuse(x, ret, "blob: %s", why);
	return ST_OK;
}

/* Steps 4 to 7: sizes against the model, the work cap, then the samples. */
static uint32_t compute(struct infer *x)
{
	const struct sim_model *m = x->m;
	uint64_t in_bytes, out_bytes;
	uint32_t ret;

	if (!m) /* read_model succeeded, so this cannot be; said for the analyzer */
		return refuse(x, ST_PARSE, "no model");
	in_bytes = (uint64_t)x->batch * m->sample_size;
	out_bytes = (uint64_t)x->batch * m->record_size;

	if (x->input_size != in_bytes)
		return refuse(x, ST_PARSE, "input_size %u, not batch %u x %u", x->input_size,
			      x->batch, m->sample_size);
	if (x->output_size < out_bytes)
		return refuse(x, ST_PARSE, "output_size %u below batch %u x %u", x->output_size,
			      x->batch, m->record_size);
	if (x->batch * m->work > NPU_INFER_JOB_WORK_MAX)
		return refuse(x, ST_NOMEM,
			      "batch %u x work %" PRIu64 " above 2^24: send fewer samples per job",
			      x->batch, m->work);
	/* Both sizes are at most 16 MiB (checked against output_size and input_size). */
	x->in = malloc((size_t)in_bytes);
	x->out = malloc((size_t)out_bytes);
	x->scratch = malloc(sim_model_scratch_size(m));
	if (!x->in || !x->out || !x->scratch)
		return refuse(x, ST_NOMEM, "no memory for %u samples", x->batch);
	ret = dev_access(x, "input read", x->input_va, x->in, (size_t)in_bytes, false);
	if (ret != ST_OK)
		return ret;
	for (uint32_t i = 0; i < x->batch; i++)
		sim_model_run(m, x->in + (size_t)i * m->sample_size,
			      x->out + (size_t)i * m->record_size, x->scratch);
	return dev_access(x, "output write", x->output_va, x->out, (size_t)out_bytes, true);
}

uint32_t sim_infer_exec(struct npu_sim *s, uint32_t ssid, const uint8_t *cmd)
{
	struct infer x = {
		.s = s,
		.ssid = ssid,
		.id = npu_le64(cmd + offsetof(struct npu_cmd_inference_execute, inference_id)),
	};
	size_t hmi = offsetof(struct npu_cmd_inference_execute, host_mapped_inference);
	uint32_t ret;

	ret = read_desc(
	    &x, npu_le64(cmd + hmi + offsetof(struct npu_cmd_host_mapped_inference, address)),
	    npu_le32(cmd + hmi + offsetof(struct npu_cmd_host_mapped_inference, width)));
	if (ret == ST_OK)
		ret = read_model(&x);
	if (ret == ST_OK)
		ret = compute(&x);
	if (ret == ST_OK)
		npu_dbg(SIM, "inference 0x%" PRIx64 " (SSID %u): %u samples done", x.id, ssid,
			x.batch);
	free(x.blob);
	free(x.m);
	free(x.in);
	free(x.out);
	free(x.scratch);
	return ret;
}
