/* SPDX-License-Identifier: MIT */
/*
 * npud's figures: a NOP job's round trip through the daemon against a bare
 * Unix-socket round trip, aggregate throughput and p99 latency with 1, 4, 16
 * and 64 clients, the daemon's memory idle and under 64 clients, and the
 * binaries' sizes. The bench starts its own npud on the simulated NPU, on a
 * socket in a private folder, and stops it with SIGTERM at the end.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "npu/npu.h"
#include "util/clock.h"
#include "util/json.h"

#define CLIENT_STEPS 4
static const unsigned client_steps[CLIENT_STEPS] = { 1, 4, 16, 64 };

static uint64_t rss_kib(pid_t pid)
{
	char path[64], line[256];
	uint64_t kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %lu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* One client: its own connection, a NOP batch, jobs until told to stop. */
struct client {
	const char *sock;
	pthread_barrier_t *start;
	atomic_int *stop;
	unsigned max_jobs; /* 0: until stop */
	double *lat_us;	   /* latencies, max_lat of them */
	unsigned max_lat, n_lat;
	uint64_t jobs;
	int err;
};

static void *client_run(void *arg)
{
	struct client *cl = arg;
	struct npu *n = NULL;
	struct npu_buf *cmd = NULL;
	struct npu_batch *b = NULL;
	int ret =
	    npu_open(&(struct npu_open_opts){ .socket = cl->sock, .client_name = "bench" }, &n);

	if (!ret)
		ret = npu_buf_create(n, npu_batch_size(n, 2, 0), 0, &cmd);
	if (!ret)
		ret = npu_batch_begin(cmd, 2, &b);
	if (!ret)
		ret = npu_batch_nop(b);
	if (!ret)
		ret = npu_batch_end(b);
	pthread_barrier_wait(cl->start);
	while (!ret && !atomic_load_explicit(cl->stop, memory_order_relaxed) &&
	       (!cl->max_jobs || cl->jobs < cl->max_jobs)) {
		uint64_t t0 = npu_clock_ns();
		uint32_t id, st = 0;

		/* One request: submitted, and answered when the job has ended. */
		ret = npu_run(n, cmd, NULL, 0, 10000, &id, &st);
		if (!ret && st)
			ret = -EIO;
		if (cl->n_lat < cl->max_lat)
			cl->lat_us[cl->n_lat++] = (double)(npu_clock_ns() - t0) / 1000.0;
		cl->jobs++;
	}
	cl->err = ret;
	npu_close(n);
	return NULL;
}

/* n_clients clients for secs (or max_jobs each); aggregate jobs/s and latencies. */
static int run_clients(const struct bench_npud *dm, unsigned n_clients, unsigned max_jobs,
		       double secs, double *jobs_per_s, struct bench_range *lat, pid_t rss_pid,
		       uint64_t *rss)
{
	struct client *cl = calloc(n_clients, sizeof(*cl));
	pthread_t *th = calloc(n_clients, sizeof(*th));
	pthread_barrier_t start;
	atomic_int stop = 0;
	unsigned max_lat = max_jobs ? max_jobs : 200000, started = 0, total_lat = 0;
	double *all = NULL;
	uint64_t t0, jobs = 0;
	int ret = 0;

	if (!cl || !th || pthread_barrier_init(&start, NULL, n_clients + 1)) {
		free(cl);
		free(th);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n_clients; i++) {
		cl[i] = (struct client){ .sock = dm->sock,
					 .start = &start,
					 .stop = &stop,
					 .max_jobs = max_jobs,
					 .max_lat = max_lat };
		cl[i].lat_us = malloc(max_lat * sizeof(double));
		if (!cl[i].lat_us || pthread_create(&th[i], NULL, client_run, &cl[i]))
			break;
		started++;
	}
	if (started != n_clients) {
		/* The barrier counts every client: the ones that started cannot pass it. */
		fprintf(stderr, "bench: cannot start %u client threads\n", n_clients);
		abort();
	}
	pthread_barrier_wait(&start);
	t0 = npu_clock_ns();
	if (!max_jobs) {
		npu_sleep_us((uint32_t)(secs * 1e6 / 2));
		if (rss)
			*rss = rss_kib(rss_pid);
		npu_sleep_us((uint32_t)(secs * 1e6 / 2));
		atomic_store_explicit(&stop, 1, memory_order_relaxed);
	}
	for (unsigned i = 0; i < n_clients; i++) {
		pthread_join(th[i], NULL);
		jobs += cl[i].jobs;
		total_lat += cl[i].n_lat;
		if (cl[i].err && !ret)
			ret = cl[i].err;
	}
	*jobs_per_s = (double)jobs * 1e9 / (double)(npu_clock_ns() - t0);
	all = malloc((total_lat ? total_lat : 1) * sizeof(double));
	if (all) {
		unsigned k = 0;

		for (unsigned i = 0; i < n_clients; i++)
			for (unsigned j = 0; j < cl[i].n_lat; j++)
				all[k++] = cl[i].lat_us[j];
		bench_range(all, k, lat);
	} else if (!ret) {
		ret = -ENOMEM;
	}
	for (unsigned i = 0; i < n_clients; i++)
		free(cl[i].lat_us);
	pthread_barrier_destroy(&start);
	free(all);
	free(cl);
	free(th);
	return ret;
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

int bench_daemon(const struct bench_cfg *c, struct npu_json *j)
{
	struct bench_npud dm = { 0 };
	struct bench_range sock, rtt, lat[CLIENT_STEPS];
	double *v = calloc(c->runs, sizeof(double)), tput[CLIENT_STEPS] = { 0 }, jps;
	uint64_t rss_idle = 0, rss_64 = 0;
	int ret = v ? bench_npud_start(c, NULL, &dm) : -ENOMEM, st;

	if (!ret)
		rss_idle = rss_kib(dm.pid);
	for (unsigned r = 0; r < c->runs && !ret; r++) {
		ret = run_clients(&dm, 1, c->jobs, 0, &jps, &rtt, 0, NULL);
		v[r] = rtt.median;
	}
	if (!ret) {
		bench_range(v, c->runs, &rtt);
		ret = bench_socket_rtt_us(20000, c->runs, &sock);
	}
	for (unsigned i = 0; i < CLIENT_STEPS && !ret; i++) {
		bench_progress(c, "daemon: %u client(s)", client_steps[i]);
		ret = run_clients(&dm, client_steps[i], 0, c->quick ? 0.3 : 1.0, &tput[i], &lat[i],
				  dm.pid, client_steps[i] == 64 ? &rss_64 : NULL);
	}
	st = bench_npud_stop(&dm);
	if (!ret && st != 0) {
		fprintf(stderr, "bench: npud exited with %d after SIGTERM\n", st);
		ret = -EIO;
	}
	if (!ret) {
		npu_json_obj_begin(j, "daemon_rtt");
		bench_range_json(j, "us", &rtt);
		npu_json_double(j, "socket_rtt_us", sock.median);
		npu_json_double(j, "ratio", rtt.median / sock.median);
		npu_json_obj_end(j);
		npu_json_arr_begin(j, "scaling");
		for (unsigned i = 0; i < CLIENT_STEPS; i++) {
			npu_json_obj_begin(j, NULL);
			npu_json_u64(j, "clients", client_steps[i]);
			npu_json_double(j, "jobs_per_s", tput[i]);
			npu_json_double(j, "p99_us", lat[i].p99);
			npu_json_double(j, "median_us", lat[i].median);
			npu_json_obj_end(j);
		}
		npu_json_arr_end(j);
		npu_json_double(j, "scaling_64_over_1", tput[0] > 0 ? tput[3] / tput[0] : 0);
		npu_json_obj_begin(j, "memory");
		npu_json_u64(j, "npud_rss_idle_kib", rss_idle);
		npu_json_u64(j, "npud_rss_64_clients_kib", rss_64);
		npu_json_u64(j, "npuctl_bytes", file_size(c->npuctl));
		npu_json_u64(j, "npud_bytes", file_size(c->npud));
		npu_json_u64(j, "libnpu_bytes", file_size(c->libnpu));
		npu_json_obj_end(j);
		bench_say(
		    c, "daemon_rtt  %9.1f us  (bare Unix-socket round trip: %.1f us; ratio %.2f)",
		    rtt.median, sock.median, rtt.median / sock.median);
		for (unsigned i = 0; i < CLIENT_STEPS; i++)
			bench_say(c, "%2u clients  %9.0f jobs/s, p99 %.0f us", client_steps[i],
				  tput[i], lat[i].p99);
		bench_say(c, "npud RSS    %9lu KiB idle, %lu KiB with 64 clients",
			  (unsigned long)rss_idle, (unsigned long)rss_64);
	}
	free(v);
	return ret;
}
