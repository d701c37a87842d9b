/* SPDX-License-Identifier: MIT */
/*
 * npuctl exec fill|copy|timestamp: one job through the whole driver path
 * (context, buffers, job queue, doorbell, JOB_DONE), its output read back
 * from the buffer the device wrote.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "devopen.h"
#include "driver/cmdbuf.h"
#include "driver/job.h"
#include "driver/status.h"
#include "hw/cmd.h"
#include "util/file.h"
#include "util/json.h"

#define EXEC_MAX_BYTES ((uint64_t)64 << 20) /* the simulated NPU has 256 MiB of memory */
#define JOB_TIMEOUT_US 60000000u	    /* the reference's inference maximum */

struct exec {
	const char *op;
	uint64_t size;
	uint32_t pattern;
	const char *in, *out;
	uint8_t *in_data;
	size_t in_size;
	struct npu_ctx *ctx;
	struct npu_bo *cmd, *src, *dst;
	uint32_t job_id, status;
	uint64_t us;
	uint64_t timestamp;
};

static int write_out(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len) {
		int e = errno;

		if (f)
			fclose(f);
		npuctl_err("%s: %s", path, strerror(e ? e : EIO));
		return -1;
	}
	if (fclose(f) != 0) {
		npuctl_err("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Builds the job's command buffer and the buffers it uses. */
static int build(struct npuctl_dev *nd, struct exec *x)
{
	enum npu_gen gen = nd->dev.gen;
	struct npu_cmdbuf cb;
	unsigned n_desc = (unsigned)(x->size / (8u << 20) + 1);
	size_t cmd_size = npu_cmdbuf_size_for(gen, 8, n_desc);
	int ret;

	ret = npu_bo_create(x->ctx, cmd_size, 0, 0, &x->cmd);
	if (!ret && strcmp(x->op, "timestamp") != 0)
		ret = npu_bo_create(x->ctx, x->size ? x->size : 1, 0, 0, &x->dst);
	if (!ret && strcmp(x->op, "copy") == 0)
		ret = npu_bo_create(x->ctx, x->size ? x->size : 1, 0, 0, &x->src);
	if (!ret && strcmp(x->op, "timestamp") == 0)
		ret = npu_bo_create(x->ctx, 4096, 0, 0, &x->dst);
	if (ret) {
		npuctl_err("cannot allocate the job's buffers: %s", strerror(-ret));
		return ret;
	}
	ret = npu_cmdbuf_init(&cb, x->cmd->dma.cpu, x->cmd->va, x->cmd->size, 8, gen);
	if (ret)
		goto err;
	if (strcmp(x->op, "fill") == 0) {
		ret = npu_cmdbuf_fill(&cb, x->dst->va, x->size, x->pattern);
	} else if (strcmp(x->op, "copy") == 0) {
		memcpy(x->src->dma.cpu, x->in_data, x->in_size);
		ret = npu_cmdbuf_copy(&cb, x->dst->va, x->src->va, x->size);
	} else {
		ret = npu_cmdbuf_timestamp(&cb, x->dst->va, NPU_TIMESTAMP_RAW);
	}
	if (!ret)
		ret = npu_cmdbuf_finish(&cb);
err:
	if (ret)
		npuctl_err("cannot build the command buffer: %s", strerror(-ret));
	return ret;
}

static int run_job(struct npuctl_dev *nd, struct exec *x)
{
	uint64_t t0 = npu_now_ns(nd->plat);
	int ret = npu_job_submit(x->ctx, x->cmd->va, &x->job_id);

	if (ret) {
		npuctl_err("submit failed: %s", strerror(-ret));
		return ret;
	}
	ret = npu_job_wait(x->ctx, x->job_id, JOB_TIMEOUT_US, &x->status);
	x->us = (npu_now_ns(nd->plat) - t0) / 1000u;
	if (ret) {
		npuctl_err("job 0x%x did not complete within %u s: %s", x->job_id,
			   JOB_TIMEOUT_US / 1000000u, strerror(-ret));
		return ret;
	}
	if (x->status == NPU_JOB_STATUS_ABORTED && nd->dev.recoveries) {
		npuctl_err("job 0x%x hung and the device was recovered (%s)", x->job_id,
			   nd->dev.recovery_reason[0] ? nd->dev.recovery_reason : "reset");
		return -EIO;
	}
	if (x->status != 0) {
		npuctl_err("job 0x%x failed: status 0x%x, %s", x->job_id, x->status,
			   npu_job_status_name(x->status));
		return -EIO;
	}
	return 0;
}

static void report(const struct npuctl *ctl, struct npuctl_dev *nd, const struct exec *x)
{
	if (ctl->json) {
		struct npu_json j;

		npu_json_init(&j, stdout);
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "command", x->op);
		npu_json_str(&j, "device", nd->device_name);
		npu_json_str(&j, "generation", npu_gen_name(nd->dev.gen));
		npu_json_u64(&j, "job_id", x->job_id);
		npu_json_u64(&j, "status", x->status);
		npu_json_str(&j, "status_name", npu_job_status_name(x->status));
		npu_json_u64(&j, "job_us", x->us);
		if (strcmp(x->op, "timestamp") == 0)
			npu_json_u64(&j, "timestamp", x->timestamp);
		else
			npu_json_u64(&j, "bytes", x->size);
		if (x->out)
			npu_json_str(&j, "output", x->out);
		npu_json_obj_end(&j);
		npu_json_finish(&j);
	} else if (strcmp(x->op, "timestamp") == 0) {
		printf("timestamp %" PRIu64 " (job 0x%x, %" PRIu64 " us)\n", x->timestamp,
		       x->job_id, x->us);
	} else {
		printf("%s: %" PRIu64 " bytes written by job 0x%x in %" PRIu64 " us%s%s\n", x->op,
		       x->size, x->job_id, x->us, x->out ? ", saved to " : "",
		       x->out ? x->out : "");
	}
}

static int parse(const struct npuctl_cmd *cmd, int argc, char **argv, struct exec *x, int *code)
{
	const char *size = NULL, *pattern = NULL;
	const struct npuctl_opt opts[] = {
		{ "--size", &size, NULL }, { "--pattern", &pattern, NULL },
		{ "--in", &x->in, NULL },  { "--out", &x->out, NULL },
		{ NULL, NULL, NULL },
	};
	const char *pos[1];
	int n_pos;

	if (npuctl_parse_opts(cmd, argc, argv, opts, pos, 1, &n_pos, code))
		return 1;
	if (n_pos != 1 || (strcmp(pos[0], "fill") != 0 && strcmp(pos[0], "copy") != 0 &&
			   strcmp(pos[0], "timestamp") != 0)) {
		*code = npuctl_usage_err(cmd, "exec: say fill, copy or timestamp");
		return 1;
	}
	x->op = pos[0];
	if (strcmp(x->op, "fill") == 0) {
		char *end;
		unsigned long p;

		if (!size || npuctl_parse_size(size, &x->size) || x->size == 0 ||
		    x->size > EXEC_MAX_BYTES) {
			*code = npuctl_usage_err(cmd, "exec fill: --size must be 1..64M");
			return 1;
		}
		p = pattern ? strtoul(pattern, &end, 0) : 0;
		if (!pattern || *end || p > 0xFF) {
			*code =
			    npuctl_usage_err(cmd, "exec fill: --pattern must be a byte, e.g. 0xA5");
			return 1;
		}
		x->pattern = (uint32_t)p * 0x01010101u;
	} else if (strcmp(x->op, "copy") == 0 && !x->in) {
		*code = npuctl_usage_err(cmd, "exec copy: --in FILE is required");
		return 1;
	}
	return 0;
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	struct npuctl_dev nd;
	struct exec x = { 0 };
	int code, ret;

	if (parse(&npuctl_cmd_exec, argc, argv, &x, &code))
		return code;
	if (strcmp(x.op, "copy") == 0) {
		ret = npu_read_file(x.in, EXEC_MAX_BYTES, &x.in_data, &x.in_size);
		if (ret || x.in_size == 0) {
			npuctl_err("%s: %s", x.in,
				   ret == -EFBIG ? "larger than 64 MiB"
				   : ret	 ? strerror(-ret)
						 : "empty file");
			free(x.in_data);
			return NPUCTL_EXIT_ERROR;
		}
		x.size = x.in_size;
	}
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK)
		goto out;
	code = NPUCTL_EXIT_ERROR;
	if (npu_device_boot(&nd.dev)) {
		npuctl_dev_boot_failed(&nd);
		goto out;
	}
	ret = npu_ctx_create(&nd.dev, &x.ctx);
	if (ret) {
		npuctl_err("cannot create a context: %s", strerror(-ret));
		goto out;
	}
	if (build(&nd, &x) || run_job(&nd, &x))
		goto out;
	if (strcmp(x.op, "timestamp") == 0)
		memcpy(&x.timestamp, x.dst->dma.cpu, sizeof(x.timestamp));
	if (x.out &&
	    write_out(x.out, strcmp(x.op, "timestamp") == 0 ? (void *)&x.timestamp : x.dst->dma.cpu,
		      strcmp(x.op, "timestamp") == 0 ? sizeof(x.timestamp) : x.size))
		goto out;
	report(ctl, &nd, &x);
	code = NPUCTL_EXIT_OK;
out:
	if (x.ctx)
		npu_ctx_destroy(x.ctx); /* frees the buffers still mapped in it */
	if (npuctl_dev_close(&nd))
		code = NPUCTL_EXIT_ERROR;
	free(x.in_data);
	return code;
}

const struct npuctl_cmd npuctl_cmd_exec = {
	.name = "exec",
	.summary = "Run one job on the NPU: fill or copy memory, or read its timestamp",
	.usage = "fill --size N --pattern 0xHH [--out FILE] | copy --in FILE [--out FILE] | "
		 "timestamp [--out FILE]  [--device ...] [--gen ...] [--json] [--trace-mmio FILE]",
	.run = run,
};
