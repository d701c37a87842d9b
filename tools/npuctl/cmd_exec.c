/* SPDX-License-Identifier: MIT */
/*
 * npuctl exec fill|copy|timestamp: one job through libnpu, in-process (the
 * whole driver path: context, buffers, job queue, doorbell, JOB_DONE) or
 * through npud with --socket, its output read back from the buffer the
 * device wrote.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "libopen.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/json.h"
#include "util/json_read.h"

#define EXEC_MAX_BYTES ((uint64_t)64 << 20) /* the simulated NPU has 256 MiB of memory */
#define JOB_TIMEOUT_MS 60000u		    /* the reference's inference maximum */

struct exec {
	const char *op;
	uint64_t size;
	uint32_t pattern;
	const char *in, *out;
	uint8_t *in_data;
	size_t in_size;
	struct npu *n;
	struct npu_info info;
	struct npu_buf *cmd, *src, *dst;
	uint32_t job_id, status;
	uint64_t us;
	uint64_t timestamp;
	uint64_t recoveries; /* the device's, before the job */
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
static int build(struct exec *x)
{
	bool ts = strcmp(x->op, "timestamp") == 0;
	unsigned n_desc = (unsigned)(x->size / (8u << 20) + 1);
	struct npu_batch *b;
	int ret;

	ret = npu_buf_create(x->n, npu_batch_size(x->n, 8, n_desc), 0, &x->cmd);
	if (!ret)
		ret = npu_buf_create(x->n, ts ? 4096 : x->size, 0, &x->dst);
	if (!ret && strcmp(x->op, "copy") == 0)
		ret = npu_buf_create(x->n, x->size, 0, &x->src);
	if (ret) {
		npuctl_err("cannot allocate the job's buffers: %s", npu_last_error(x->n));
		return ret;
	}
	ret = npu_batch_begin(x->cmd, 8, &b);
	if (ret)
		goto err;
	if (strcmp(x->op, "fill") == 0) {
		ret = npu_batch_fill(b, npu_buf_va(x->dst), x->size, x->pattern);
	} else if (strcmp(x->op, "copy") == 0) {
		memcpy(npu_buf_ptr(x->src), x->in_data, x->in_size);
		ret = npu_batch_copy(b, npu_buf_va(x->dst), npu_buf_va(x->src), x->size);
	} else {
		ret = npu_batch_timestamp(b, npu_buf_va(x->dst));
	}
	if (npu_batch_end(b) && !ret)
		ret = -EIO;
err:
	if (ret)
		npuctl_err("cannot build the command buffer: %s", npu_last_error(x->n));
	return ret;
}

/* The device's recovery count, from its status report (0 when it cannot be read). */
static uint64_t recoveries(struct npu *n)
{
	struct npu_jv *root = npuctl_lib_status(n);
	uint64_t v = 0;

	if (root)
		npu_jv_get_u64(root, "recoveries", &v);
	npu_jv_free(root);
	return v;
}

static int run_job(struct exec *x)
{
	struct npu_buf *bufs[2] = { x->dst, x->src };
	uint64_t t0 = npu_clock_us();
	int ret = npu_submit(x->n, x->cmd, bufs, x->src ? 2 : 1, &x->job_id);

	if (ret) {
		npuctl_err("submit failed: %s", npu_last_error(x->n));
		return ret;
	}
	ret = npu_wait(x->n, x->job_id, JOB_TIMEOUT_MS, &x->status);
	x->us = npu_clock_us() - t0;
	if (ret) {
		npuctl_err("job 0x%x did not complete within %u s: %s", x->job_id,
			   JOB_TIMEOUT_MS / 1000u, npu_last_error(x->n));
		return ret;
	}
	if (x->status == NPU_STATUS_ABORTED && recoveries(x->n) > x->recoveries) {
		npuctl_err("job 0x%x hung and the device was recovered (its work is lost)",
			   x->job_id);
		return -EIO;
	}
	if (x->status != 0) {
		npuctl_err("job 0x%x failed: status 0x%x, %s", x->job_id, x->status,
			   npu_status_name(x->status));
		return -EIO;
	}
	return 0;
}

static void report(const struct npuctl *ctl, const struct exec *x)
{
	if (ctl->json) {
		struct npu_json j;

		npu_json_init(&j, stdout);
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "command", x->op);
		npu_json_str(&j, "device", x->info.pci_address);
		npu_json_str(&j, "generation", x->info.generation);
		npu_json_u64(&j, "job_id", x->job_id);
		npu_json_u64(&j, "status", x->status);
		npu_json_str(&j, "status_name", npu_status_name(x->status));
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
	code = npuctl_lib_open(ctl, "exec", &x.n);
	if (code != NPUCTL_EXIT_OK)
		goto out;
	code = NPUCTL_EXIT_ERROR;
	ret = npu_query(x.n, &x.info);
	if (ret) {
		npuctl_err("cannot query the NPU: %s", npu_last_error(x.n));
		goto out;
	}
	x.recoveries = recoveries(x.n);
	if (build(&x) || run_job(&x))
		goto out;
	if (strcmp(x.op, "timestamp") == 0)
		memcpy(&x.timestamp, npu_buf_ptr(x.dst), sizeof(x.timestamp));
	if (x.out &&
	    write_out(x.out,
		      strcmp(x.op, "timestamp") == 0 ? (void *)&x.timestamp : npu_buf_ptr(x.dst),
		      strcmp(x.op, "timestamp") == 0 ? sizeof(x.timestamp) : x.size))
		goto out;
	report(ctl, &x);
	code = NPUCTL_EXIT_OK;
out:
	npu_close(x.n); /* frees the buffers */
	free(x.in_data);
	return code;
}

const struct npuctl_cmd npuctl_cmd_exec = {
	.name = "exec",
	.summary = "Run one job on the NPU: fill or copy memory, or read its timestamp",
	.usage = "fill --size N --pattern 0xHH [--out FILE] | copy --in FILE [--out FILE] | "
		 "timestamp [--out FILE]  [--device ...] [--gen ...] [--socket PATH] [--json] "
		 "[--trace-mmio FILE]\n\n"
		 "In-process by default; with --socket the job runs through npud.",
	.run = run,
};
