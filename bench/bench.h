/* SPDX-License-Identifier: MIT */
/*
 * npuctl bench: the driver's costs measured against what this machine does
 * in the same run (memcpy, two threads handing a descriptor back and forth, a
 * bare Unix-socket round trip), so the ratios hold on a shared, noisy
 * machine. Each figure is the median of repeated runs, with min and max.
 */
#ifndef NPU_BENCH_BENCH_H
#define NPU_BENCH_BENCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "hw/gen.h"

struct npu_json;

struct bench_cfg {
	enum npu_gen gen;
	unsigned runs;	     /* repetitions of each measurement (median over them) */
	unsigned jobs;	     /* jobs per job-latency run */
	size_t copy_bytes;   /* COPY and memcpy size */
	const char *fw_file; /* Intel's image for fw_load (NULL: the synthetic one) */
	const char *npud;    /* npud binary for the daemon figures (NULL: skip them) */
	const char *npuctl;  /* binaries whose sizes are reported (NULL: not) */
	const char *libnpu;
	bool quick;
	FILE *progress; /* one line per step, or NULL */
	FILE *text;	/* the results in words (without --json), or NULL */
};

/* Median, min and max of n values (sorts v). */
struct bench_range {
	double median, min, max, p99;
};
void bench_range(double *v, unsigned n, struct bench_range *out);
void bench_range_json(struct npu_json *j, const char *key, const struct bench_range *r);

void bench_progress(const struct bench_cfg *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void bench_say(const struct bench_cfg *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The CPU this thread runs on, or -1 where that cannot be told. */
int bench_this_cpu(void);

/*
 * A pair of threads handing data back and forth, seen from this one: round
 * does round i (from 1) and says whether the peer's answer was right. The
 * peer stores its CPU in *peer_cpu after each round until *settled is set.
 */
struct bench_pair {
	bool (*round)(void *arg, unsigned i);
	void *arg;
	const atomic_int *peer_cpu;
	atomic_bool *settled;
};
/*
 * Runs untimed rounds until the peer runs on another CPU (bench_base.c), sets
 * *settled, then times `rounds` rounds: *ns_per_round. *next is the first
 * round not run, for the caller's stop. -EIO if a round went wrong.
 */
int bench_pair_time(const struct bench_pair *p, unsigned rounds, unsigned *next,
		    double *ns_per_round);

/* Baselines of the machine. */
int bench_spsc_rtt_ns(unsigned rounds, unsigned runs, struct bench_range *out);
int bench_socket_rtt_us(unsigned rounds, unsigned runs, struct bench_range *out);
/* A NOP job's memory traffic alone, between two threads (bench_floor.c); -EIO if it went wrong. */
int bench_protocol_floor_ns(unsigned rounds, unsigned runs, struct bench_range *out);

/* An npud of the bench's own (bench_npud.c). */
struct bench_npud {
	pid_t pid;
	char dir[64], sock[96];
};
/*
 * Starts c->npud on the simulated NPU of c->gen (sched: its --sched, NULL for npud's default)
 * on a socket in a fresh folder, and waits until it answers. 0, -ECHILD when it exited,
 * -ETIMEDOUT, or -errno.
 */
int bench_npud_start(const struct bench_cfg *c, const char *sched, struct bench_npud *dm);
/* SIGTERM, the socket and folder removed; npud's exit status (0 expected) or -1. */
int bench_npud_stop(struct bench_npud *dm);

/* Each writes its JSON object (key) and returns 0, or a negative errno with one line said. */
int bench_fw_load(const struct bench_cfg *c, struct npu_json *j);
int bench_boot(const struct bench_cfg *c, struct npu_json *j);
int bench_jobs(const struct bench_cfg *c, struct npu_json *j);
int bench_daemon(const struct bench_cfg *c, struct npu_json *j);
/* Priority bands under hardware scheduling through npud (bench_prio.c): the `priority` object. */
int bench_priority(const struct bench_cfg *c, struct npu_json *j);

#endif
