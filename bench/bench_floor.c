/* SPDX-License-Identifier: MIT */
/*
 * The least a NOP job's round trip can cost on this machine: two threads
 * doing only the memory traffic the protocol asks for (docs/firmware-protocol.md §1.5,
 * §3.4, §3.6, §9), in the order its data dependencies force, with nothing
 * else: no register model, no lock, no checks beyond the job id, no clock.
 *
 *   host:   writes the queue slot and the tail, rings the doorbell;
 *   device: sees the doorbell, reads the tail and the slot, finds its RX
 *           header and payload slots free (the host released them), writes
 *           the JOB_DONE message (128 bytes) and its header, the queue head,
 *           pushes the header's address into the FIFO and raises the ICB bit;
 *   host:   sees the ICB bit, clears it, pops the FIFO, reads the header it
 *           names, then the message the header names, and releases both.
 *
 * Each of these lives on a cache line of its own, as they do in the driver's
 * DMA memory and the device's registers, and the RX slots alternate as in a
 * ring: the host finds the header through the FIFO entry and the message
 * through the header, so those loads wait for each other, as they must.
 * Against the one line each way of bench_spsc_rtt_ns, this is the protocol's
 * own floor: what the driver and the device model add on top of it is what
 * they can still win.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

enum { SLOT_FREE = 0, SLOT_ALLOCATED = 1, RX_SLOTS = 2 };

/* A JSM message's 128 bytes: its status, the job id, the rest of JOB_DONE. */
struct floor_msg {
	atomic_uint status;
	uint32_t job_id;
	uint8_t rest[120];
};

struct floor {
	_Alignas(64) atomic_uint doorbell;
	atomic_bool settled; /* timed rounds from here: the device no longer says its CPU */
	_Alignas(64) struct {
		atomic_uint head, tail;
	} queue;
	_Alignas(64) struct {
		uint64_t batch_buf_addr;
		atomic_uint job_id;
	} slot;
	_Alignas(64) struct {
		atomic_uint status;
		uint32_t data_addr; /* the message's index in rx_msg */
		uint8_t rest[56];
	} rx_hdr[RX_SLOTS];
	_Alignas(64) struct floor_msg rx_msg[RX_SLOTS];
	_Alignas(64) atomic_uint fifo; /* the entry the host pops: header index + 1 (0: empty) */
	_Alignas(64) atomic_uint icb;  /* the interrupt status bit, set and cleared */
	atomic_int cpu;		       /* the device thread's, until settled */
	_Alignas(64) atomic_bool stop;
	atomic_bool bad; /* a value seen was not the one written: the run is void */
};

static void *floor_device(void *arg)
{
	struct floor *f = arg;

	for (unsigned i = 1;; i++) {
		unsigned n = i % RX_SLOTS, job;

		while (atomic_load_explicit(&f->doorbell, memory_order_acquire) != i)
			;
		if (atomic_load_explicit(&f->stop, memory_order_relaxed))
			break;
		if (atomic_load_explicit(&f->queue.tail, memory_order_acquire) != i)
			atomic_store(&f->bad, true);
		job = atomic_load_explicit(&f->slot.job_id, memory_order_relaxed);
		while (
		    atomic_load_explicit(&f->rx_hdr[n].status, memory_order_acquire) != SLOT_FREE ||
		    atomic_load_explicit(&f->rx_msg[n].status, memory_order_acquire) != SLOT_FREE)
			;
		f->rx_msg[n].job_id = job;
		memset(f->rx_msg[n].rest, (int)(i & 0xFFu), sizeof(f->rx_msg[n].rest));
		atomic_store_explicit(&f->rx_msg[n].status, SLOT_ALLOCATED, memory_order_release);
		f->rx_hdr[n].data_addr = n;
		atomic_store_explicit(&f->rx_hdr[n].status, SLOT_ALLOCATED, memory_order_release);
		atomic_store_explicit(&f->queue.head, i, memory_order_release);
		atomic_store_explicit(&f->fifo, n + 1, memory_order_release);
		if (!atomic_load_explicit(&f->settled, memory_order_relaxed))
			atomic_store_explicit(&f->cpu, bench_this_cpu(), memory_order_relaxed);
		atomic_store_explicit(&f->icb, 1u, memory_order_release);
	}
	return NULL;
}

/* One round from the host's side; false if the device's answer was not this job's. */
static bool floor_host_round(void *arg, unsigned i)
{
	struct floor *f = arg;
	struct floor_msg msg;
	unsigned h, m;

	f->slot.batch_buf_addr = 0x100000u + i;
	atomic_store_explicit(&f->slot.job_id, i, memory_order_relaxed);
	atomic_store_explicit(&f->queue.tail, i, memory_order_release);
	atomic_store_explicit(&f->doorbell, i, memory_order_release);
	while (atomic_load_explicit(&f->icb, memory_order_acquire) == 0)
		;
	atomic_store_explicit(&f->icb, 0u, memory_order_relaxed);
	/* The FIFO names the header, the header names the message. */
	h = atomic_exchange_explicit(&f->fifo, 0u, memory_order_acquire) - 1u;
	if (h >= RX_SLOTS ||
	    atomic_load_explicit(&f->rx_hdr[h].status, memory_order_acquire) != SLOT_ALLOCATED)
		return false;
	m = f->rx_hdr[h].data_addr;
	if (m >= RX_SLOTS)
		return false;
	memcpy(&msg, &f->rx_msg[m], sizeof(msg)); /* the whole message, as the driver copies it */
	atomic_store_explicit(&f->rx_msg[m].status, SLOT_FREE, memory_order_release);
	atomic_store_explicit(&f->rx_hdr[h].status, SLOT_FREE, memory_order_release);
	return msg.job_id == i && h == i % RX_SLOTS;
}

int bench_protocol_floor_ns(unsigned rounds, unsigned runs, struct bench_range *out)
{
	double *v = calloc(runs, sizeof(*v));
	int ret = 0;

	if (!v)
		return -ENOMEM;
	for (unsigned r = 0; r < runs && !ret; r++) {
		struct floor *f = aligned_alloc(64, sizeof(*f));
		struct bench_pair p;
		pthread_t th;
		unsigned next;

		if (!f) {
			ret = -ENOMEM;
			break;
		}
		memset(f, 0, sizeof(*f));
		atomic_store(&f->cpu, -1);
		if (pthread_create(&th, NULL, floor_device, f)) {
			free(f);
			ret = -EAGAIN;
			break;
		}
		p = (struct bench_pair){ floor_host_round, f, &f->cpu, &f->settled };
		ret = bench_pair_time(&p, rounds, &next, &v[r]);
		atomic_store(&f->stop, true);
		atomic_store_explicit(&f->doorbell, next, memory_order_release);
		pthread_join(th, NULL);
		/* Cannot happen unless the threads do not see each other's writes. */
		if (atomic_load(&f->bad))
			ret = -EIO;
		free(f);
	}
	if (!ret)
		bench_range(v, runs, out);
	free(v);
	return ret;
}
