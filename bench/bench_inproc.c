/* SPDX-License-Identifier: MIT */
/*
 * The driver in this process on the simulated NPU: firmware load, cold boot,
 * job round trip and the driver's CPU per job, NOP throughput with full
 * queues, COPY bandwidth.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_rig.h"
#include "driver/hws.h"
#include "driver/cmdbuf.h"
#include "driver/device.h"
#include "driver/fw_image.h"
#include "driver/job.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/json.h"

static const struct npu_dma_use image_use = { "firmware runtime", NPU_DMA_WC, false };

#define WAIT_US 10000000u

int bench_rig_open(const struct bench_cfg *c, struct bench_rig *r, bool boot)
{
	struct npu_platform_config pcfg = { .device = "sim", .gen = c->gen };
	struct npu_device_config dcfg = { .fw_path = NULL };
	enum npu_sched_req sched = NPU_SCHED_AUTO;
	int ret;

	/* NPU_SCHED (os, hws, auto) as everywhere; anything else: auto, as Linux chooses. */
	if (drv_sched_parse(getenv("NPU_SCHED"), &sched) == 0)
		dcfg.sched = (int)sched;

	memset(r, 0, sizeof(*r));
	/* The synthetic image: the model then needs no copy of a file to compare with. */
	setenv("NPU_FIRMWARE_PATH", "/nonexistent/npu-bench", 1);
	ret = npu_platform_open(&pcfg, &r->plat);
	if (ret)
		return ret;
	ret = drv_device_open(&r->d, r->plat, &dcfg);
	if (ret) {
		npu_platform_close(r->plat);
		return ret;
	}
	r->open = true;
	return boot ? drv_device_boot(&r->d) : 0;
}

void bench_rig_close(struct bench_rig *r)
{
	if (r->open)
		drv_device_close(&r->d);
	if (r->plat)
		npu_platform_close(r->plat);
	r->open = false;
	r->plat = NULL;
}

int bench_fw_load(const struct bench_cfg *c, struct npu_json *j)
{
	uint8_t *file = NULL;
	size_t size = 0;
	struct bench_rig r;
	struct npu_dma dma = { 0 };
	struct npu_fw_image img;
	struct npu_fw_error err;
	double *drv, *base;
	struct bench_range rd, rb;
	unsigned runs = c->runs * 4;
	int ret;

	ret = bench_rig_open(c, &r, false);
	/* Without a file: the simulated platform's built-in image, the one the rig loaded. */
	if (!ret)
		ret = c->fw_file ? npu_read_file(c->fw_file, 64u << 20, &file, &size)
				 : r.plat->ops->builtin_firmware(r.plat, &file, &size);
	drv = calloc(runs, sizeof(double));
	base = calloc(runs, sizeof(double));
	if (!ret && (!drv || !base))
		ret = -ENOMEM;
	if (!ret)
		ret = drv_fw_image_parse(file, size, c->gen, &img, &err);
	if (!ret)
		ret = npu_dma_alloc(r.plat, (img.image_size + 4095u) & ~4095u, &image_use, &dma);
	for (unsigned i = 0; i < runs && !ret; i++) {
		uint64_t t0 = npu_clock_ns();

		/* The driver's path: parse and check every rule, then one copy. */
		ret = drv_fw_image_parse(file, size, c->gen, &img, &err);
		if (!ret)
			drv_fw_image_copy(&img, dma.cpu);
		drv[i] = (double)(npu_clock_ns() - t0) / 1000.0;
		t0 = npu_clock_ns();
		memcpy(dma.cpu, file + NPU_FW_FILE_IMAGE_OFFSET, img.image_size);
		__asm__ __volatile__("" : : "r"(((volatile uint8_t *)dma.cpu)[0]) : "memory");
		base[i] = (double)(npu_clock_ns() - t0) / 1000.0;
	}
	if (!ret) {
		bench_range(drv, runs, &rd);
		bench_range(base, runs, &rb);
		npu_json_obj_begin(j, "fw_load");
		npu_json_str(j, "image", c->fw_file ? c->fw_file : "(synthetic)");
		npu_json_u64(j, "image_bytes", img.image_size);
		bench_range_json(j, "us", &rd);
		bench_range_json(j, "memcpy_us", &rb);
		npu_json_double(j, "ratio", rb.median > 0 ? rd.median / rb.median : 0);
		npu_json_obj_end(j);
		bench_say(
		    c, "fw_load     %9.1f us  (memcpy of the same %u bytes: %.1f us; ratio %.2f)",
		    rd.median, img.image_size, rb.median,
		    rb.median > 0 ? rd.median / rb.median : 0);
	}
	npu_dma_free(r.plat, &dma);
	bench_rig_close(&r);
	free(drv);
	free(base);
	free(file);
	return ret;
}

int bench_boot(const struct bench_cfg *c, struct npu_json *j)
{
	unsigned runs = c->runs * 2;
	double *v = calloc(runs, sizeof(double));
	struct bench_range rr;
	struct bench_rig r;
	int ret = v ? bench_rig_open(c, &r, false) : -ENOMEM;

	for (unsigned i = 0; i < runs && !ret; i++) {
		uint64_t t0 = npu_clock_ns();

		ret = drv_device_boot(&r.d);
		v[i] = (double)(npu_clock_ns() - t0) / 1000.0;
		if (!ret)
			ret = drv_device_power_down(&r.d);
	}
	if (!ret) {
		bench_range(v, runs, &rr);
		npu_json_obj_begin(j, "boot");
		npu_json_double(j, "median_us", rr.median);
		npu_json_double(j, "p99_us", rr.p99);
		npu_json_double(j, "min_us", rr.min);
		npu_json_double(j, "max_us", rr.max);
		npu_json_u64(j, "runs", runs);
		npu_json_obj_end(j);
		bench_say(c, "boot        %9.0f us  median, p99 %.0f us, over %u cold boots",
			  rr.median, rr.p99, runs);
	}
	if (v)
		bench_rig_close(&r);
	free(v);
	return ret;
}

int bench_make_cmd(struct npu_ctx *ctx, enum npu_gen gen, uint64_t dst, uint64_t src, size_t n,
		   struct npu_bo **out)
{
	struct npu_cmdbuf cb;
	int ret =
	    drv_bo_create(ctx, drv_cmdbuf_size_for(gen, 4, (unsigned)(n >> 23) + 1), 0, 0, out);

	if (!ret)
		ret = drv_cmdbuf_init(&cb, (*out)->dma.cpu, (*out)->va, (*out)->size, 4, gen);
	if (!ret) /* a no-op job: NOP or BARRIER by the firmware's job-command API */
		drv_cmdbuf_set_api(&cb, ctx->dev->fw.api_version[NPU_FW_API_IDX_JOB_CMD]);
	if (!ret)
		ret = n ? drv_cmdbuf_copy(&cb, dst, src, n) : drv_cmdbuf_nop(&cb);
	if (!ret)
		ret = drv_cmdbuf_finish(&cb);
	return ret;
}

static int run_job(struct npu_ctx *ctx, struct npu_bo *cmd)
{
	uint32_t id, st = 0;
	int ret = drv_job_submit(ctx, cmd->va, &id);

	if (!ret)
		ret = drv_job_wait(ctx, id, WAIT_US, &st);
	return ret ? ret : (st ? -EIO : 0);
}

static int nop_throughput(struct npu_ctx *ctx, struct npu_bo *cmd, unsigned jobs, double *per_s)
{
	uint32_t ids[64];
	unsigned head = 0, tail = 0, done = 0, sent = 0;
	uint64_t t0 = npu_clock_ns();
	int ret = 0;

	while (done < jobs && !ret) {
		uint32_t st;

		while (sent < jobs && head - tail < 48) {
			ret = drv_job_submit(ctx, cmd->va, &ids[head % 64]);
			if (ret == -EBUSY) {
				ret = 0;
				break;
			}
			if (ret)
				break;
			head++;
			sent++;
		}
		if (!ret && tail < head) {
			ret = drv_job_wait(ctx, ids[tail % 64], WAIT_US, &st);
			tail++;
			done++;
		}
	}
	*per_s = (double)jobs * 1e9 / (double)(npu_clock_ns() - t0);
	return ret;
}

/*
 * One run of the job round trip with its two baselines measured right
 * before it: how fast a cache line crosses between the vCPUs changes from
 * minute to minute, and each run's ratio is to its own baseline.
 */
static int rtt_run(const struct bench_cfg *c, struct npu_ctx *ctx, struct npu_bo *nop, double *rtt,
		   double *spsc, double *floor_ns)
{
	struct bench_range b;
	uint64_t t0;
	int ret = bench_spsc_rtt_ns(20000, 1, &b);

	*spsc = b.median;
	if (!ret)
		ret = bench_protocol_floor_ns(20000, 1, &b);
	*floor_ns = b.median;
	t0 = npu_clock_ns();
	for (unsigned k = 0; k < c->jobs && !ret; k++)
		ret = run_job(ctx, nop);
	*rtt = (double)(npu_clock_ns() - t0) / c->jobs;
	return ret;
}

/* The range of a[i] / b[i] (b NULL: of a[i]) over n runs, sorted in scratch. */
static void range_of(const double *a, const double *b, unsigned n, double *scratch,
		     struct bench_range *out)
{
	for (unsigned i = 0; i < n; i++)
		scratch[i] = b ? a[i] / b[i] : a[i];
	bench_range(scratch, n, out);
}

static void rtt_json(struct npu_json *j, const double *rtt, const double *spsc,
		     const double *floor_ns, unsigned runs, double *scratch,
		     const struct bench_cfg *c)
{
	struct bench_range r_rtt, r_spsc, r_floor, r_ratio, r_floor_ratio;

	range_of(rtt, NULL, runs, scratch, &r_rtt);
	range_of(spsc, NULL, runs, scratch, &r_spsc);
	range_of(floor_ns, NULL, runs, scratch, &r_floor);
	range_of(rtt, spsc, runs, scratch, &r_ratio);
	range_of(floor_ns, spsc, runs, scratch, &r_floor_ratio);
	bench_say(c,
		  "job_rtt     %9.0f ns  (two threads handing a descriptor: %.0f ns; ratio %.1f)",
		  r_rtt.median, r_spsc.median, r_ratio.median);
	bench_say(c,
		  "            %9.0f ns  the protocol's memory traffic alone between two threads "
		  "(ratio %.1f)",
		  r_floor.median, r_floor_ratio.median);
	npu_json_obj_begin(j, "job_rtt");
	bench_range_json(j, "ns", &r_rtt);
	npu_json_double(j, "spsc_rtt_ns", r_spsc.median);
	/* The median of each run's ratio to its own baseline. */
	npu_json_double(j, "ratio", r_ratio.median);
	bench_range_json(j, "ratio_range", &r_ratio);
	npu_json_double(j, "floor_ns", r_floor.median);
	npu_json_double(j, "floor_ratio", r_floor_ratio.median);
	npu_json_obj_end(j);
}

/* One memcpy of the same bytes between the same buffers, into a destination cleared first. */
static uint64_t memcpy_ns(struct npu_bo *src, struct npu_bo *dst, size_t bytes)
{
	uint64_t t0;

	memset(dst->dma.cpu, 0, bytes);
	t0 = npu_clock_ns();
	memcpy(dst->dma.cpu, src->dma.cpu, bytes);
	/* The compiler must not drop the copy: read one byte of it back. */
	__asm__ __volatile__(""
			     :
			     : "r"(((volatile const char *)dst->dma.cpu)[bytes - 1])
			     : "memory");
	return npu_clock_ns() - t0;
}

/*
 * One run of the COPY job against its baseline: a memcpy of the same bytes
 * between the same buffers just before the job and just after it (their
 * mean cancels the machine's drift across the three), each into a
 * destination cleared first, as the job's is; the job's bytes are checked.
 * GB/s of the job and of the memcpys.
 */
static int copy_run(struct npu_ctx *ctx, struct npu_bo *cpy, struct npu_bo *src, struct npu_bo *dst,
		    size_t bytes, double *copy_gbps, double *memcpy_gbps)
{
	uint64_t t0, before = memcpy_ns(src, dst, bytes), after;
	int ret;

	memset(dst->dma.cpu, 0, bytes);
	t0 = npu_clock_ns();
	ret = run_job(ctx, cpy);
	*copy_gbps = (double)bytes / (double)(npu_clock_ns() - t0);
	if (!ret && memcmp(dst->dma.cpu, src->dma.cpu, bytes) != 0)
		ret = -EIO;
	after = memcpy_ns(src, dst, bytes);
	*memcpy_gbps = 2.0 * (double)bytes / (double)(before + after);
	return ret;
}

/* bench_range sorts what it is given: each run's ratio is taken first. */
static void copy_json(struct npu_json *j, const struct bench_cfg *c, double *copy, double *mc,
		      double *scratch, unsigned runs)
{
	struct bench_range r_copy, r_mc, r_ratio;

	for (unsigned i = 0; i < runs; i++)
		scratch[i] = mc[i] > 0 ? copy[i] / mc[i] : 0;
	bench_range(scratch, runs, &r_ratio);
	bench_range(copy, runs, &r_copy);
	bench_range(mc, runs, &r_mc);
	bench_say(c, "COPY        %9.2f GB/s (memcpy %.2f GB/s; ratio %.2f)", r_copy.median,
		  r_mc.median, r_ratio.median);
	bench_range_json(j, "copy_gbps", &r_copy);
	npu_json_u64(j, "copy_bytes", c->copy_bytes);
	npu_json_double(j, "memcpy_gbps", r_mc.median);
	/* The median of each run's ratio to the memcpys around its job. */
	npu_json_double(j, "copy_ratio", r_ratio.median);
	bench_range_json(j, "copy_ratio_range", &r_ratio);
}

int bench_jobs(const struct bench_cfg *c, struct npu_json *j)
{
	unsigned runs = c->runs;
	double *rtt = calloc(runs, sizeof(double)), *spsc = calloc(runs, sizeof(double));
	double *floor_ns = calloc(runs, sizeof(double)), *scratch = calloc(runs, sizeof(double));
	double *tput = calloc(runs, sizeof(double)), *copy = calloc(runs, sizeof(double));
	double *mc = calloc(runs, sizeof(double));
	struct bench_range r_tput;
	struct npu_ctx *ctx = NULL;
	struct npu_bo *nop = NULL, *cpy = NULL, *src = NULL, *dst = NULL;
	struct bench_rig r;
	bool mem = rtt && spsc && floor_ns && scratch && tput && copy && mc;
	int ret = mem ? bench_rig_open(c, &r, true) : -ENOMEM;

	if (!ret)
		ret = drv_ctx_create(&r.d, &ctx);
	if (!ret)
		ret = drv_bo_create(ctx, c->copy_bytes, 0, 0, &src);
	if (!ret)
		ret = drv_bo_create(ctx, c->copy_bytes, 0, 0, &dst);
	if (!ret)
		ret = bench_make_cmd(ctx, r.d.gen, 0, 0, 0, &nop);
	if (!ret)
		ret = bench_make_cmd(ctx, r.d.gen, dst->va, src->va, c->copy_bytes, &cpy);
	if (!ret) {
		memset(src->dma.cpu, 0x5A, c->copy_bytes);
		ret = run_job(ctx, nop); /* doorbell registration out of the way */
	}
	for (unsigned i = 0; i < runs && !ret; i++) {
		ret = rtt_run(c, ctx, nop, &rtt[i], &spsc[i], &floor_ns[i]);
		if (!ret)
			ret = nop_throughput(ctx, nop, c->jobs * 4, &tput[i]);
		if (!ret)
			ret = copy_run(ctx, cpy, src, dst, c->copy_bytes, &copy[i], &mc[i]);
		bench_progress(c, "jobs: run %u of %u", i + 1, runs);
	}
	if (!ret) {
		rtt_json(j, rtt, spsc, floor_ns, runs, scratch, c);
		bench_range(tput, runs, &r_tput);
		bench_say(c, "NOP jobs    %9.0f /s  with full queues", r_tput.median);
		npu_json_obj_begin(j, "throughput");
		bench_range_json(j, "nop_jobs_per_s", &r_tput);
		copy_json(j, c, copy, mc, scratch, runs);
		npu_json_obj_end(j);
	}
	drv_ctx_destroy(ctx);
	if (mem)
		bench_rig_close(&r);
	free(rtt);
	free(spsc);
	free(floor_ns);
	free(scratch);
	free(tput);
	free(copy);
	free(mc);
	return ret;
}
