/* SPDX-License-Identifier: MIT */
/*
 * What the machine itself does, measured in the same run as the driver: two
 * threads handing a 64-byte descriptor back and forth
 * through shared memory (the floor of any submit-and-complete between two
 * CPUs), and a bare Unix-socket request/response of 64 bytes. The protocol's
 * own floor, a NOP job's memory traffic alone, is in bench_floor.c; the
 * memcpy that a COPY job is held against, in bench_inproc.c.
 */
#define _GNU_SOURCE /* sched_getcpu */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "util/clock.h"
#include "util/json.h"

void bench_progress(const struct bench_cfg *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->progress)
		return;
	va_start(ap, fmt);
	fputs("bench: ", c->progress);
	vfprintf(c->progress, fmt, ap);
	fputc('\n', c->progress);
	fflush(c->progress);
	va_end(ap);
}

void bench_say(const struct bench_cfg *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->text)
		return;
	va_start(ap, fmt);
	vfprintf(c->text, fmt, ap);
	fputc('\n', c->text);
	va_end(ap);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_range(double *v, unsigned n, struct bench_range *out)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	out->min = v[0];
	out->max = v[n - 1];
	out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	out->p99 = v[(size_t)((n - 1) * 0.99)];
}

void bench_range_json(struct npu_json *j, const char *key, const struct bench_range *r)
{
	npu_json_obj_begin(j, key);
	npu_json_double(j, "median", r->median);
	npu_json_double(j, "min", r->min);
	npu_json_double(j, "max", r->max);
	npu_json_obj_end(j);
}

/* ---- Two threads, one 64-byte descriptor each way ---- */

int bench_this_cpu(void)
{
#if defined(__linux__)
	return sched_getcpu();
#else
	return -1;
#endif
}

/*
 * A thread just created starts on its creator's CPU and is moved to the
 * other one by the scheduler some milliseconds later; rounds timed before
 * that measure time slicing, not the machine (a few hundred ns to 2 us a
 * round here instead of about 120). So the pair runs SETTLE_ROUNDS untimed
 * rounds at least, and then until the peer reports a CPU other than ours
 * (where that can be told), for SETTLE_MAX_NS at most.
 */
#define SETTLE_ROUNDS 2000u
#define SETTLE_MAX_NS 200000000u

static bool pair_settled(unsigned round, int peer_cpu, uint64_t since_ns)
{
	int me = bench_this_cpu();

	if (npu_clock_ns() - since_ns > SETTLE_MAX_NS)
		return true; /* one CPU, or a scheduler that keeps them together */
	return round >= SETTLE_ROUNDS && (me < 0 || peer_cpu < 0 || me != peer_cpu);
}

int bench_pair_time(const struct bench_pair *p, unsigned rounds, unsigned *next,
		    double *ns_per_round)
{
	uint64_t t0 = npu_clock_ns();
	bool ok = true;
	unsigned i;

	for (i = 1; ok && !pair_settled(i, atomic_load(p->peer_cpu), t0); i++)
		ok = p->round(p->arg, i);
	/* From here the peer does no more than the rounds themselves. */
	atomic_store(p->settled, true);
	t0 = npu_clock_ns();
	for (unsigned k = 0; ok && k < rounds; k++, i++)
		ok = p->round(p->arg, i);
	*ns_per_round = (double)(npu_clock_ns() - t0) / rounds;
	*next = i;
	return ok ? 0 : -EIO;
}

struct spsc {
	_Alignas(64) atomic_uint ping;
	atomic_bool stop;
	atomic_bool settled; /* timed rounds from here: the echo thread no longer says its CPU */
	_Alignas(64) atomic_uint pong;
	atomic_int cpu; /* the echo thread's CPU, until settled */
	_Alignas(64) unsigned char desc[64];
};

static void *spsc_echo(void *arg)
{
	struct spsc *s = arg;
	unsigned char local[64];

	for (unsigned i = 1;; i++) {
		while (atomic_load_explicit(&s->ping, memory_order_acquire) != i)
			;
		if (atomic_load_explicit(&s->stop, memory_order_relaxed))
			break;
		memcpy(local, s->desc, sizeof(local));
		local[0]++;
		memcpy(s->desc, local, sizeof(local));
		if (!atomic_load_explicit(&s->settled, memory_order_relaxed))
			atomic_store_explicit(&s->cpu, bench_this_cpu(), memory_order_relaxed);
		atomic_store_explicit(&s->pong, i, memory_order_release);
	}
	return NULL;
}

static bool spsc_round(void *arg, unsigned i)
{
	struct spsc *s = arg;

	s->desc[1] = (unsigned char)i;
	atomic_store_explicit(&s->ping, i, memory_order_release);
	while (atomic_load_explicit(&s->pong, memory_order_acquire) != i)
		;
	return true;
}

int bench_spsc_rtt_ns(unsigned rounds, unsigned runs, struct bench_range *out)
{
	double *v = calloc(runs, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (unsigned r = 0; r < runs; r++) {
		struct spsc *s = aligned_alloc(64, sizeof(*s));
		struct bench_pair p;
		pthread_t th;
		unsigned next;

		if (!s) {
			free(v);
			return -ENOMEM;
		}
		memset(s, 0, sizeof(*s));
		atomic_store(&s->cpu, -1);
		if (pthread_create(&th, NULL, spsc_echo, s)) {
			free(s);
			free(v);
			return -EAGAIN;
		}
		p = (struct bench_pair){ spsc_round, s, &s->cpu, &s->settled };
		bench_pair_time(&p, rounds, &next, &v[r]); /* its rounds cannot go wrong */
		atomic_store(&s->stop, true);
		atomic_store_explicit(&s->ping, next, memory_order_release);
		pthread_join(th, NULL);
		free(s);
	}
	bench_range(v, runs, out);
	free(v);
	return 0;
}

/* ---- A bare Unix-socket request/response ---- */

static void *sock_echo(void *arg)
{
	int fd = *(int *)arg;
	char buf[64];

	while (read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	return NULL;
}

int bench_socket_rtt_us(unsigned rounds, unsigned runs, struct bench_range *out)
{
	double *v = calloc(runs, sizeof(*v));
	int ret = 0;

	if (!v)
		return -ENOMEM;
	for (unsigned r = 0; r < runs && !ret; r++) {
		int sv[2];
		pthread_t th;
		char buf[64] = { 0 };
		uint64_t t0;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
			ret = -errno;
			break;
		}
		if (pthread_create(&th, NULL, sock_echo, &sv[1])) {
			close(sv[0]);
			close(sv[1]);
			ret = -EAGAIN;
			break;
		}
		t0 = npu_clock_ns();
		for (unsigned i = 0; i < rounds; i++) {
			if (write(sv[0], buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
			    read(sv[0], buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
				ret = -EIO;
				break;
			}
		}
		v[r] = (double)(npu_clock_ns() - t0) / rounds / 1000.0;
		shutdown(sv[0], SHUT_RDWR);
		pthread_join(th, NULL);
		close(sv[0]);
		close(sv[1]);
	}
	if (!ret)
		bench_range(v, runs, out);
	free(v);
	return ret;
}
