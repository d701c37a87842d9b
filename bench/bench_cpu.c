/* SPDX-License-Identifier: MIT */
/*
 * driver_cpu_per_job_ns: the driver's own time per job, the device's left out.
 *
 * Each job goes the way a wait's watch takes it, in timed pieces:
 * drv_job_submit; untimed, the bench watches for the interrupt and takes
 * it (the platform's irq_take, past the driver); then
 * drv_irq_service_taken, the interrupt service, which takes the JOB_DONE
 * and ends the job. What happens inside a register access is
 * the device's time (the bus and the device on silicon, the model's code
 * and the wait for its lock here): a shim over the platform's accessors
 * counts the accesses and times each one, and that time is taken off the
 * pieces, as is the clock's own cost. The figure is the median over
 * the jobs of a run; the runs give the median, min and max.
 */
#include <errno.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_rig.h"
#include "driver/irq.h"
#include "util/clock.h"
#include "util/json.h"

#define WAIT_NS	      1000000000u
#define CLOCK_ROUNDS  1001u
#define CLOCK_BATCHES 9u

/* The platform's own accessors; how often the driver called them, and the time inside. */
static const struct npu_platform_ops *real_ops;
static uint64_t n_reads, n_writes, inside_ns;

/* After an access that began at t0. */
static void took(uint64_t t0, uint64_t *count)
{
	inside_ns += npu_clock_ns() - t0;
	(*count)++;
}

static uint32_t shim_read32(struct npu_platform *p, unsigned bar, uint64_t off)
{
	uint64_t t0 = npu_clock_ns();
	uint32_t v = real_ops->read32(p, bar, off);

	took(t0, &n_reads);
	return v;
}

static uint64_t shim_read64(struct npu_platform *p, unsigned bar, uint64_t off)
{
	uint64_t t0 = npu_clock_ns();
	uint64_t v = real_ops->read64(p, bar, off);

	took(t0, &n_reads);
	return v;
}

static void shim_write32(struct npu_platform *p, unsigned bar, uint64_t off, uint32_t val)
{
	uint64_t t0 = npu_clock_ns();

	real_ops->write32(p, bar, off, val);
	took(t0, &n_writes);
}

static void shim_write64(struct npu_platform *p, unsigned bar, uint64_t off, uint64_t val)
{
	uint64_t t0 = npu_clock_ns();

	real_ops->write64(p, bar, off, val);
	took(t0, &n_writes);
}

/*
 * What one clock read costs: the median gap between two reads in a row, the
 * lowest of a few batches. It is taken off once per piece and per register
 * access, so a batch slowed by the machine would make the driver look
 * cheaper than it is: noise can only add to a batch, never take away.
 */
static double clock_cost_ns(void)
{
	double v[CLOCK_ROUNDS], best = 0;
	struct bench_range r;

	for (unsigned b = 0; b < CLOCK_BATCHES; b++) {
		for (unsigned i = 0; i < CLOCK_ROUNDS; i++) {
			uint64_t a = npu_clock_ns();

			v[i] = (double)(npu_clock_ns() - a);
		}
		bench_range(v, CLOCK_ROUNDS, &r);
		if (b == 0 || r.median < best)
			best = r.median;
	}
	return best;
}

/* Untimed: until the device's interrupt comes, watched as drv_device_poll watches it. */
static int wait_device(struct npu_platform *p)
{
	uint64_t end = npu_clock_ns() + WAIT_NS;

	while (!real_ops->irq_take(p))
		if (npu_clock_ns() >= end)
			return -ETIMEDOUT;
	return 0;
}

struct cpu_run {
	double ns, submit_ns, device_ns, reads, writes;
};

/*
 * One run of jobs NOPs; medians over its jobs. A shimmed access has two clock
 * reads around it: about one of them is inside the time it records, the
 * other is in the driver's pieces, and is taken off with the clock's cost.
 */
static int cpu_run(struct bench_rig *r, struct npu_ctx *ctx, struct npu_bo *nop, unsigned jobs,
		   double clock_ns, double *v, double *dev, double *sub, struct cpu_run *out)
{
	struct bench_range rr, rd, rs;
	uint64_t reads = 0, writes = 0;
	int ret = 0;

	for (unsigned i = 0; i < jobs && !ret; i++) {
		uint64_t r0 = n_reads, w0 = n_writes, in0, in1, t[4];
		uint32_t id, st = 1;
		double n_acc;

		in0 = inside_ns;
		t[0] = npu_clock_ns();
		ret = drv_job_submit(ctx, nop->va, &id);
		t[1] = npu_clock_ns();
		if (ret)
			break;
		in1 = inside_ns;
		n_acc = (double)(n_reads - r0 + n_writes - w0);
		sub[i] = (double)(t[1] - t[0]) - clock_ns - (double)(in1 - in0) - n_acc * clock_ns;
		real_ops->irq_spin(r->plat, true);
		ret = wait_device(r->plat);
		t[2] = npu_clock_ns();
		if (!ret)
			drv_irq_service_taken(&r->d);
		t[3] = npu_clock_ns();
		real_ops->irq_spin(r->plat, false);
		if (!ret && (drv_job_poll(ctx, id, &st) != 0 || st != 0))
			ret = -EIO; /* the service did not end the job, or it failed */
		n_acc = (double)(n_reads - r0 + n_writes - w0);
		dev[i] = (double)(inside_ns - in0);
		v[i] =
		    (double)(t[1] - t[0] + t[3] - t[2]) - 2 * clock_ns - dev[i] - n_acc * clock_ns;
		reads += n_reads - r0;
		writes += n_writes - w0;
	}
	if (ret)
		return ret;
	bench_range(v, jobs, &rr);
	bench_range(dev, jobs, &rd);
	bench_range(sub, jobs, &rs);
	out->submit_ns = rs.median;
	out->ns = rr.median;
	out->device_ns = rd.median;
	out->reads = (double)reads / jobs;
	out->writes = (double)writes / jobs;
	return 0;
}

int bench_driver_cpu(const struct bench_cfg *c, struct npu_json *j)
{
	struct npu_platform_ops shim;
	struct bench_rig r;
	struct npu_ctx *ctx = NULL;
	struct npu_bo *nop = NULL;
	double *v = calloc(c->jobs, sizeof(double)), *dev = calloc(c->jobs, sizeof(double));
	double *sub = calloc(c->jobs, sizeof(double));
	double *runs = calloc(c->runs, sizeof(double)), clock_ns = clock_cost_ns();
	struct cpu_run last = { 0 };
	struct bench_range rr;
	uint32_t id, st;
	int ret = v && dev && sub && runs ? bench_rig_open(c, &r, true) : -ENOMEM;

	if (!ret)
		ret = drv_ctx_create(&r.d, &ctx);
	if (!ret)
		ret = bench_make_cmd(ctx, r.d.gen, 0, 0, 0, &nop);
	/* The first job registers the doorbell (an IPC round trip): out of the way. */
	if (!ret)
		ret = drv_job_submit(ctx, nop->va, &id);
	if (!ret)
		ret = drv_job_wait(ctx, id, WAIT_NS / 1000u, &st);
	if (!ret) {
		real_ops = r.plat->ops;
		shim = *real_ops;
		shim.read32 = shim_read32;
		shim.write32 = shim_write32;
		shim.read64 = shim_read64;
		shim.write64 = shim_write64;
		r.plat->ops = &shim;
	}
	for (unsigned i = 0; i < c->runs && !ret; i++) {
		ret = cpu_run(&r, ctx, nop, c->jobs, clock_ns, v, dev, sub, &last);
		runs[i] = last.ns;
	}
	if (real_ops)
		r.plat->ops = real_ops;
	if (!ret) {
		bench_range(runs, c->runs, &rr);
		npu_json_double(j, "driver_cpu_per_job_ns", rr.median);
		npu_json_obj_begin(j, "driver_cpu");
		bench_range_json(j, "per_job_ns", &rr);
		npu_json_double(j, "submit_ns", last.submit_ns);
		npu_json_double(j, "register_access_ns_per_job", last.device_ns);
		npu_json_double(j, "register_reads_per_job", last.reads);
		npu_json_double(j, "register_writes_per_job", last.writes);
		npu_json_double(j, "clock_read_ns", clock_ns);
		npu_json_obj_end(j);
		bench_say(c,
			  "driver CPU  %9.0f ns  per job (its %.0f register reads and %.0f writes, "
			  "%.0f ns in the device, left out)",
			  rr.median, last.reads, last.writes, last.device_ns);
	}
	drv_ctx_destroy(ctx);
	if (v && dev && sub && runs)
		bench_rig_close(&r);
	real_ops = NULL;
	free(v);
	free(dev);
	free(sub);
	free(runs);
	return ret;
}
