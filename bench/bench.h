/* SPDX-License-Identifier: MIT */
/*
 * npuctl bench: the driver's costs measured against what this machine does
 * in the same run (memcpy, two threads handing a descriptor back and forth, a
 * bare Unix-socket round trip), so the ratios hold on a shared, noisy
 * machine. Each figure is the median of repeated runs, with min and max.
 */
#ifndef NPU_BENCH_BENCH_H
#define NPU_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "driver/gen.h"

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

uint64_t bench_now_ns(void);
void bench_progress(const struct bench_cfg *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void bench_say(const struct bench_cfg *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The CPU this thread runs on, or -1 where that cannot be told. */
int bench_this_cpu(void);
/*
 * Whether a pair of threads handing data back and forth may be timed yet:
 * after BENCH_SETTLE_ROUNDS untimed rounds, once the peer (as it last said)
 * runs on another CPU, or after BENCH_SETTLE_MAX_NS whatever the CPUs.
 */
#define BENCH_SETTLE_ROUNDS 2000u
#define BENCH_SETTLE_MAX_NS 200000000u
bool bench_pair_settled(unsigned round, int peer_cpu, uint64_t since_ns);

/* Baselines of the machine. */
double bench_memcpy_gbps(void *dst, const void *src, size_t n, unsigned runs);
int bench_spsc_rtt_ns(unsigned rounds, unsigned runs, struct bench_range *out);
int bench_socket_rtt_us(unsigned rounds, unsigned runs, struct bench_range *out);
/* A NOP job's memory traffic alone, between two threads (bench_floor.c); -EIO if it went wrong. */
int bench_protocol_floor_ns(unsigned rounds, unsigned runs, struct bench_range *out);

/* Each writes its JSON object (key) and returns 0, or a negative errno with one line said. */
int bench_fw_load(const struct bench_cfg *c, struct npu_json *j);
int bench_boot(const struct bench_cfg *c, struct npu_json *j);
int bench_jobs(const struct bench_cfg *c, struct npu_json *j);
int bench_daemon(const struct bench_cfg *c, struct npu_json *j);

#endif
