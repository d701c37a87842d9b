/* SPDX-License-Identifier: MIT */
/*
 * npuctl bench's `priority`: what hardware scheduling's priority bands buy a
 * latency-bound client. An npud of the bench's generation under `--sched
 * hws`; FLOODERS normal-priority clients submit long jobs (LONG_FILLS fills
 * of 256 KiB each, a few milliseconds on the model) back to back; a probe
 * client runs short jobs (one 4 KiB fill) one at a time, a pause between
 * them, and times each round trip (npu_run: submit and wait, one request).
 *
 * Phases: the probe alone (realtime); the flooders alone (their throughput);
 * the flooders with a realtime probe; the flooders with a normal-priority
 * probe (what the band changes). The goal: the realtime probe's p99 under
 * the flood within 2x of its p99 alone, while the flooders keep at least
 * 80 % of their throughput without it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "npu/npu.h"
#include "util/clock.h"
#include "util/json.h"

#define FLOODERS   2
#define LONG_FILLS 400u
#define LONG_SIZE  (256u * 1024u)
#define SHORT_SIZE 4096u
#define PAUSE_US   2000u
#define JOB_MS	   10000u

/* A client with one data buffer and one command buffer of n_fills fills over it. */
struct prio_client {
	struct npu *n;
	struct npu_buf *data, *cmd;
};

static int client_open(const char *sock, uint32_t prio, unsigned n_fills, size_t size,
		       struct prio_client *pc)
{
	struct npu_batch *b = NULL;
	int ret;

	memset(pc, 0, sizeof(*pc));
	ret = npu_open(&(struct npu_open_opts){ .socket = sock,
						.client_name = "bench-prio",
						.priority = prio },
		       &pc->n);
	if (!ret)
		ret = npu_buf_create(pc->n, size, 0, &pc->data);
	if (!ret)
		ret = npu_buf_create(pc->n, npu_batch_size(pc->n, n_fills, 0), 0, &pc->cmd);
	if (!ret)
		ret = npu_batch_begin(pc->cmd, n_fills, &b);
	for (unsigned i = 0; !ret && i < n_fills; i++)
		ret = npu_batch_fill(b, npu_buf_va(pc->data), size, 0x01010101u * (i & 0xFFu));
	if (!ret)
		ret = npu_batch_end(b);
	return ret;
}

static void client_close(struct prio_client *pc)
{
	npu_close(pc->n); /* frees its buffers */
	pc->n = NULL;
}

static int client_run(struct prio_client *pc)
{
	uint32_t id, st = 0;
	int ret =
	    npu_run(pc->n, pc->cmd, (struct npu_buf *const[]){ pc->data }, 1, JOB_MS, &id, &st);

	return ret ? ret : (st ? -EIO : 0);
}

struct flooder {
	const char *sock;
	atomic_int *stop;
	pthread_barrier_t *start;
	_Atomic uint64_t jobs;
	int err;
};

static void *flood(void *arg)
{
	struct flooder *f = arg;
	struct prio_client pc;
	int ret = client_open(f->sock, NPU_PRIORITY_NORMAL, LONG_FILLS, LONG_SIZE, &pc);

	pthread_barrier_wait(f->start);
	while (!ret && !atomic_load_explicit(f->stop, memory_order_relaxed)) {
		ret = client_run(&pc);
		if (!ret)
			atomic_fetch_add_explicit(&f->jobs, 1u, memory_order_relaxed);
	}
	f->err = ret;
	if (pc.n)
		client_close(&pc);
	return NULL;
}

/* The probe: n short jobs a pause apart; their round trips in us. */
static int probe(const char *sock, uint32_t prio, unsigned n, double *lat_us)
{
	struct prio_client pc;
	int ret = client_open(sock, prio, 1, SHORT_SIZE, &pc);

	for (unsigned i = 0; !ret && i < 8; i++) /* warm-up: the queue registered, caches hot */
		ret = client_run(&pc);
	for (unsigned i = 0; !ret && i < n; i++) {
		uint64_t t0 = npu_clock_ns();

		ret = client_run(&pc);
		lat_us[i] = (double)(npu_clock_ns() - t0) / 1000.0;
		npu_sleep_us(PAUSE_US);
	}
	if (pc.n)
		client_close(&pc);
	return ret;
}

static uint64_t jobs_sum(struct flooder *f)
{
	uint64_t n = 0;

	for (int i = 0; i < FLOODERS; i++)
		n += atomic_load_explicit(&f[i].jobs, memory_order_relaxed);
	return n;
}

/*
 * The flooders, while the probe runs n jobs at prio (with_probe) or for secs;
 * their jobs per second over that time.
 */
static int flood_phase(const char *sock, bool with_probe, uint32_t prio, unsigned n, double secs,
		       double *lat_us, double *jobs_per_s)
{
	struct flooder f[FLOODERS];
	pthread_t th[FLOODERS];
	pthread_barrier_t start;
	atomic_int stop = 0;
	uint64_t t0, t1, j0, j1;
	int ret = 0;

	pthread_barrier_init(&start, NULL, FLOODERS + 1);
	for (int i = 0; i < FLOODERS; i++) {
		f[i] = (struct flooder){ .sock = sock, .stop = &stop, .start = &start };
		if (pthread_create(&th[i], NULL, flood, &f[i]) != 0) {
			/* Those started wait at the barrier for ever: nothing to do but leave. */
			fprintf(stderr, "bench: cannot start the flooding clients\n");
			exit(1);
		}
	}
	pthread_barrier_wait(&start);
	npu_sleep_us(100000); /* the flood is on */
	t0 = npu_clock_ns();
	j0 = jobs_sum(f);
	if (with_probe)
		ret = probe(sock, prio, n, lat_us);
	else
		npu_sleep_us((uint32_t)(secs * 1e6));
	t1 = npu_clock_ns();
	j1 = jobs_sum(f);
	atomic_store(&stop, 1);
	for (int i = 0; i < FLOODERS; i++) {
		pthread_join(th[i], NULL);
		if (f[i].err && !ret)
			ret = f[i].err;
	}
	pthread_barrier_destroy(&start);
	*jobs_per_s = (double)(j1 - j0) / ((double)(t1 - t0) / 1e9);
	return ret;
}

static void lat_json(struct npu_json *j, const char *key, const struct bench_range *r)
{
	npu_json_obj_begin(j, key);
	npu_json_double(j, "median", r->median);
	npu_json_double(j, "p99", r->p99);
	npu_json_double(j, "min", r->min);
	npu_json_double(j, "max", r->max);
	npu_json_obj_end(j);
}

int bench_priority(const struct bench_cfg *c, struct npu_json *j)
{
	unsigned n = c->quick ? 150 : 500;
	double *lat = calloc(n, sizeof(*lat)), alone_jps = 0, rt_jps = 0, normal_jps = 0;
	struct bench_range alone = { 0 }, rt = { 0 }, normal = { 0 };
	struct bench_npud dm = { 0 };
	double secs;
	int ret;

	if (!lat)
		return -ENOMEM;
	ret = bench_npud_start(c, "hws", &dm);
	if (ret) {
		bench_say(c, "priority: cannot start %s: %s", c->npud, strerror(-ret));
		goto out;
	}
	bench_progress(c, "priority: a realtime client alone");
	ret = probe(dm.sock, NPU_PRIORITY_REALTIME, n, lat);
	if (ret)
		goto fail;
	bench_range(lat, n, &alone);
	/* As long as a probe phase lasts, and at least a second: a few hundred long jobs. */
	secs = (double)n * (alone.median + PAUSE_US) / 1e6;
	if (secs < 1.0)
		secs = 1.0;
	bench_progress(c, "priority: %d normal clients flooding", FLOODERS);
	ret = flood_phase(dm.sock, false, 0, 0, secs, NULL, &alone_jps);
	if (ret)
		goto fail;
	bench_progress(c, "priority: the flood and a realtime client");
	ret = flood_phase(dm.sock, true, NPU_PRIORITY_REALTIME, n, 0, lat, &rt_jps);
	if (ret)
		goto fail;
	bench_range(lat, n, &rt);
	bench_progress(c, "priority: the flood and a normal client");
	ret = flood_phase(dm.sock, true, NPU_PRIORITY_NORMAL, n, 0, lat, &normal_jps);
	if (ret)
		goto fail;
	bench_range(lat, n, &normal);
	npu_json_obj_begin(j, "priority");
	npu_json_str(j, "scheduling", "hws");
	npu_json_u64(j, "flooders", FLOODERS);
	npu_json_u64(j, "flood_job_fills", LONG_FILLS);
	npu_json_u64(j, "flood_fill_bytes", LONG_SIZE);
	npu_json_u64(j, "probe_jobs", n);
	lat_json(j, "realtime_alone_us", &alone);
	lat_json(j, "realtime_under_flood_us", &rt);
	lat_json(j, "normal_under_flood_us", &normal);
	npu_json_double(j, "flood_jobs_per_s_alone", alone_jps);
	npu_json_double(j, "flood_jobs_per_s_with_realtime", rt_jps);
	npu_json_double(j, "realtime_p99_ratio", alone.p99 > 0 ? rt.p99 / alone.p99 : 0);
	npu_json_double(j, "flood_throughput_kept", alone_jps > 0 ? rt_jps / alone_jps : 0);
	npu_json_bool(j, "goal_met",
		      alone.p99 > 0 && rt.p99 <= 2 * alone.p99 && alone_jps > 0 &&
			  rt_jps >= 0.8 * alone_jps);
	npu_json_obj_end(j);
	bench_say(c,
		  "priority    realtime p50/p99 %.1f/%.1f us alone, %.1f/%.1f us under %d "
		  "flooders (x%.2f at p99); a normal client under the flood %.1f/%.1f us; "
		  "flooders %.0f jobs/s alone, %.0f with the realtime client (%.0f %%)",
		  alone.median, alone.p99, rt.median, rt.p99, FLOODERS,
		  alone.p99 > 0 ? rt.p99 / alone.p99 : 0, normal.median, normal.p99, alone_jps,
		  rt_jps, alone_jps > 0 ? 100.0 * rt_jps / alone_jps : 0);
	goto out;
fail:
	bench_say(c, "priority: a client failed: %s", strerror(-ret));
out:
	bench_npud_stop(&dm);
	free(lat);
	return ret;
}
