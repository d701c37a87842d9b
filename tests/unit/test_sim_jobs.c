/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's job scheduler (src/sim/sim_jobs.c), tested by
 * playing the host by hand after a real driver boot: user contexts built with
 * the driver's page tables (mmu_ctx.h, drv_mmu_set_cd), job queues mapped in
 * the global context, and everything else (queue header and slots,
 * docs/firmware-protocol.md §3.2/§3.3; batch buffers and commands, §4.1/§4.2; IPC headers and
 * JSM messages, §1.2/§2.1) written byte by byte from the reference.
 *
 * Writes to memory the firmware thread may be reading at that moment (queue
 * slots and tail, RX releases, fences the host signals) are made under the
 * model's lock, as the bus would order them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "driver/hws.h"
#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "sim_host_ipc_util.h"
#include "test_time.h"

static const struct npu_dma_use test_use = { "test", NPU_DMA_WC, false };

#define WAIT_MS	  2000u
#define QUIET_MS  30u
#define QUEUE_VA  UINT64_C(0x9A000000) /* global range, away from the driver's buffers */
#define BO_VA	  UINT64_C(0xA0000000) /* each context's own buffer */
#define SHARED_VA UINT64_C(0xA0100000) /* one page mapped in both contexts */
#define BO_SIZE	  (64u * 1024u)
#define CSA_OFF	  128u	/* context save area in the BO */
#define FENCE_OFF 1024u /* fences in the BO, 64 bytes apart (37xx alignment) */
#define FILL_OFF  8192u
#define BATCH_OFF 16384u /* batch buffers, 128 bytes apart */
/* The model's lock: orders the test's memory writes against its firmware thread. */
#define lock(h)	  pthread_mutex_lock(&(h)->s->lock)
#define unlock(h) pthread_mutex_unlock(&(h)->s->lock)
#define SLOTS	  63u

struct host {
	enum npu_gen gen;
	enum npu_sim_fault fault;
	char fwdir[32];
	struct npu_platform *plat;
	struct npu_sim *s;
	struct npu_device d;
	struct host_ipc ipc;
	struct npu_mmu_ctx uctx[2]; /* SSID 2 and 3 */
	struct npu_dma bo[2], shared, queue[2];
};

/* The host played by hand here is the OS-scheduling one (HWS: test_sim_hws.c). */
static const struct npu_device_config os_sched = { .sched = NPU_SCHED_OS };

static struct host h37 = { .gen = NPU_GEN_37XX }, h40 = { .gen = NPU_GEN_40XX },
		   hhang = { .gen = NPU_GEN_37XX, .fault = NPU_SIM_FAULT_HANG_JOB };

/* Boots with the real driver, then builds two user contexts and two queues by hand. */
static int setup(void **state)
{
	struct host *h = *state;
	struct npu_platform_config pc = { .device = "sim", .gen = h->gen, .fault = h->fault };

	host_boot(h->fwdir, "/tmp/npu-jobs-XXXXXX", &pc, &os_sched, &h->plat, &h->s, &h->d);
	host_ipc_init(&h->ipc, h->s, h->gen, &h->d, 5000, WAIT_MS);
	h->ipc.check_data = true;

	assert_int_equal(npu_dma_alloc(h->plat, 4096, &test_use, &h->shared), 0);
	for (int i = 0; i < 2; i++) {
		struct npu_mmu_ctx *c = &h->uctx[i];

		assert_int_equal(drv_mmu_ctx_init(c, h->plat, 2u + (uint32_t)i), 0);
		assert_int_equal(npu_dma_alloc(h->plat, BO_SIZE, &test_use, &h->bo[i]), 0);
		assert_int_equal(drv_mmu_ctx_map(c, h->plat, BO_VA, h->bo[i].addr, BO_SIZE, 0), 0);
		assert_int_equal(drv_mmu_ctx_map(c, h->plat, SHARED_VA, h->shared.addr, 4096, 0),
				 0);
		assert_int_equal(drv_mmu_set_cd(&h->d.mmu, &h->d.mmio, c->ssid, c->pgd.addr), 0);
		/* §3.1: one 4 KiB queue in the global context, engine 0, head = tail = 0. */
		assert_int_equal(npu_dma_alloc(h->plat, 4096, &test_use, &h->queue[i]), 0);
		assert_int_equal(drv_mmu_ctx_map(&h->d.gctx, h->plat, QUEUE_VA + 4096u * i,
						 h->queue[i].addr, 4096, 0),
				 0);
	}
	assert_int_equal(drv_mmu_tlb_invalidate(&h->d.mmu, &h->d.mmio, 0), 0);
	return 0;
}

static int teardown(void **state)
{
	struct host *h = *state;

	for (int i = 0; i < 2; i++) {
		/* After a power-down the MMU's tables and the global context are gone already. */
		if (h->d.mmu_ready) {
			drv_mmu_clear_cd(&h->d.mmu, &h->d.mmio, h->uctx[i].ssid);
			drv_mmu_ctx_unmap(&h->d.gctx, QUEUE_VA + 4096u * i, 4096);
		}
		drv_mmu_ctx_fini(&h->uctx[i], h->plat);
		npu_dma_free(h->plat, &h->bo[i]);
		npu_dma_free(h->plat, &h->queue[i]);
	}
	npu_dma_free(h->plat, &h->shared);
	drv_device_close(&h->d);
	npu_platform_close(h->plat);
	rmdir(h->fwdir);
	return 0;
}

/* ---- IPC, as the host does it (docs/firmware-protocol.md §1.4, §1.5) ---- */

/* The next message from the RX buffer (the model posts no garbage here), released. */
static bool next_msg(struct host *h, struct msg *m, unsigned timeout_ms)
{
	return host_ipc_next(&h->ipc, m, timeout_ms);
}

static void request(struct host *h, uint32_t type, const uint8_t *payload, size_t len,
		    uint32_t want, struct msg *m)
{
	host_ipc_request(&h->ipc, type, payload, len, want, m);
}

static void register_db(struct host *h, uint32_t db, int q)
{
	uint8_t p[24] = { 0 };
	struct msg m;

	put32(p, db);
	put64(p + 8, QUEUE_VA + 4096u * (unsigned)q);
	put32(p + 16, 4096);
	put32(p + 20, h->uctx[q].ssid);
	request(h, 0x1102, p, sizeof(p), 0x2202, &m);
	assert_int_equal(m.result, 0);
}

static void ring(struct host *h, uint32_t db)
{
	npu_sim_write32(h->s, RV,
			(h->gen == NPU_GEN_37XX ? 0x06300000u : 0x01300000u) + db * 0x1000u, 1);
}

/* The next JOB_DONE (§3.6): channel 11, request id 0; returns job_status. */
static uint32_t job_done(struct host *h, uint32_t db, uint32_t job_id, int q)
{
	struct msg m;

	assert_true(next_msg(h, &m, WAIT_MS));
	assert_int_equal(m.channel, 11);
	assert_int_equal(m.type, 0x2100);
	assert_int_equal(m.request_id, 0);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p), 0); /* engine */
	assert_int_equal(get32(m.p + 4), db);
	assert_int_equal(get32(m.p + 8), job_id);
	assert_int_equal(get32(m.p + 16), h->uctx[q].ssid);
	assert_int_equal(get64(m.p + 24), 0); /* cmdq_id */
	return get32(m.p + 12);
}

/* ---- queues and batch buffers (docs/firmware-protocol.md §3.2-§3.4, §4.1, §4.2) ---- */

/* Batch buffer n of context q: header + commands; returns its VA. */
static uint64_t batch(struct host *h, int q, unsigned n, const uint8_t *cmds, uint32_t len)
{
	uint8_t *b = (uint8_t *)h->bo[q].cpu + BATCH_OFF + n * 128u;

	memset(b, 0, 48);
	put32(b, 48 + len); /* cmd_buffer_size */
	put32(b + 4, 48);   /* cmd_offset */
	put64(b + 40, BO_VA + CSA_OFF);
	memcpy(b + 48, cmds, len);
	return BO_VA + BATCH_OFF + n * 128u;
}

/* slot[tail] = {batch, job_id, flags}; tail = next (under the lock: the firmware may be reading). */
static void enqueue(struct host *h, int q, uint64_t batch_va, uint32_t job_id, uint32_t flags)
{
	uint8_t *jq = h->queue[q].cpu;
	uint32_t tail;

	lock(h);
	tail = get32(jq + 8);
	memset(jq + 64 + tail * 64u, 0, 64);
	put64(jq + 64 + tail * 64u, batch_va);
	put32(jq + 64 + tail * 64u + 8, job_id);
	put32(jq + 64 + tail * 64u + 12, flags);
	put32(jq + 8, (tail + 1) % SLOTS);
	unlock(h);
}

static uint32_t head(struct host *h, int q)
{
	uint32_t v;

	lock(h);
	v = get32((uint8_t *)h->queue[q].cpu + 4);
	unlock(h);
	return v;
}

static uint64_t fence(struct host *h, int q, unsigned n)
{
	return get64((uint8_t *)h->bo[q].cpu + FENCE_OFF + n * 64u);
}

/* ---- tests ---- */

/* docs/firmware-protocol.md §9: one FENCE_SIGNAL job, JOB_DONE, fence written, head advanced. */
static void test_fence_signal_job(void **state)
{
	struct host *h = *state;
	uint8_t c[64];

	register_db(h, 1, 0);
	fence_cmd(c, 0x0102, BO_VA + FENCE_OFF, 3);
	enqueue(h, 0, batch(h, 0, 0, c, 24), 0x100, 0);
	ring(h, 1);
	assert_int_equal(job_done(h, 1, 0x100, 0), 0);
	assert_int_equal(fence(h, 0, 0), 3);
	assert_int_equal(head(h, 0), 1);
	lock(h);
	assert_int_equal(h->s->fw.jobs_done, 1);
	unlock(h);
}

static void test_memory_fill_and_null(void **state)
{
	struct host *h = *state;
	uint8_t c[32], *fill = (uint8_t *)h->bo[1].cpu + FILL_OFF;

	register_db(h, 4, 1);
	fill_cmd(c, BO_VA + FILL_OFF, 4096, 0xA5A55A5Au);
	enqueue(h, 1, batch(h, 1, 0, c, 32), 0x200, 0);
	enqueue(h, 1, 0, 0x201, 1); /* NULL_SUBMISSION: no batch at all */
	ring(h, 4);
	assert_int_equal(job_done(h, 4, 0x200, 1), 0);
	assert_int_equal(job_done(h, 4, 0x201, 1), 0);
	for (unsigned i = 0; i < 4096; i += 4)
		assert_int_equal(get32(fill + i), 0xA5A55A5Au);
	assert_int_equal(get32(fill + 4096), 0);
}

/* 62 jobs fill the 63-slot ring (§3.4); then 10 more wrap it. */
static void test_full_ring(void **state)
{
	struct host *h = *state;
	uint8_t c[24];
	unsigned n = 0;

	register_db(h, 200, 0);
	for (int round = 0; round < 2; round++) {
		unsigned first = n, count = round == 0 ? SLOTS - 1 : 10;

		for (unsigned i = 0; i < count; i++, n++) {
			fence_cmd(c, 0x0102, BO_VA + FENCE_OFF + (n % 8u) * 64u, 1000u + n);
			enqueue(h, 0, batch(h, 0, n % 64u, c, 24), 0x100 + n, 0);
		}
		ring(h, 200);
		for (unsigned i = first; i < n; i++)
			assert_int_equal(job_done(h, 200, 0x100 + i, 0), 0);
		assert_int_equal(head(h, 0), n % SLOTS);
	}
	assert_int_equal(fence(h, 0, (n - 1) % 8u), 1000u + n - 1);
}

/* A FENCE_WAIT in one context is released by a FENCE_SIGNAL in another, without spinning. */
static void test_cross_context_fence(void **state)
{
	struct host *h = *state;
	uint8_t a[48], b[24];
	uint64_t hb0, hb1, t0, ms;
	bool asleep;
	struct msg m;

	register_db(h, 1, 0);
	register_db(h, 2, 1);
	fence_cmd(a, 0x0101, SHARED_VA, 6);
	fence_cmd(a + 24, 0x0102, BO_VA + FENCE_OFF, 9);
	enqueue(h, 0, batch(h, 0, 0, a, 48), 0x100, 0);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS));
	lock(h);
	hb0 = h->s->fw.heartbeat;
	t0 = now_ns();
	assert_true(h->s->fw.queues[1].running);
	unlock(h);
	/* Alive: with nothing from the host, the blocked job is looked at again and again. */
	hb1 = hb0;
	for (int i = 0; i < 20000 && hb1 < hb0 + 3; i++) {
		sleep_us(100);
		lock(h);
		hb1 = h->s->fw.heartbeat;
		unlock(h);
	}
	assert_true(hb1 >= hb0 + 3);
	/* Not spinning: between those looks it sleeps in its wait, the job still blocked, */
	asleep = false;
	for (int i = 0; i < 20000 && !asleep; i++) {
		lock(h);
		asleep = atomic_load(&h->s->fw.sleeping) && h->s->fw.queues[1].running;
		unlock(h);
		if (!asleep)
			sleep_us(100);
	}
	assert_true(asleep);
	/*
	 * and wakes for it once a millisecond of its clock: over a stretch of at
	 * least 20 ms, no more re-runs than milliseconds passed (twice that, for
	 * spurious wake-ups). A slow machine only widens the bound.
	 */
	sleep_us(20000);
	lock(h);
	hb1 = h->s->fw.heartbeat;
	ms = (now_ns() - t0) / 1000000u;
	unlock(h);
	assert_true(hb1 - hb0 <= 2 * ms + 10);

	fence_cmd(b, 0x0102, SHARED_VA, 6);
	enqueue(h, 1, batch(h, 1, 0, b, 24), 0x200, 0);
	ring(h, 2);
	assert_int_equal(job_done(h, 2, 0x200, 1), 0);
	assert_int_equal(job_done(h, 1, 0x100, 0), 0);
	assert_int_equal(fence(h, 0, 0), 9);
}

/* A fence the host signals by writing memory (no doorbell) is seen by the periodic re-run. */
static void test_host_signalled_fence(void **state)
{
	struct host *h = *state;
	uint8_t c[24];
	struct msg m;

	register_db(h, 3, 0);
	fence_cmd(c, 0x0101, BO_VA + FENCE_OFF + 64, 2);
	enqueue(h, 0, batch(h, 0, 1, c, 24), 0x300, 0);
	ring(h, 3);
	assert_false(next_msg(h, &m, QUIET_MS));
	lock(h);
	put64((uint8_t *)h->bo[0].cpu + FENCE_OFF + 64, 2);
	unlock(h);
	assert_int_equal(job_done(h, 3, 0x300, 0), 0);
}

/* ENGINE_RESET abandons a blocked job (listed, no JOB_DONE) and the queue goes on. */
static void test_engine_reset(void **state)
{
	struct host *h = *state;
	uint8_t c[24], p[8] = { 0 };
	struct msg m;

	register_db(h, 1, 0);
	fence_cmd(c, 0x0101, SHARED_VA, 1);
	enqueue(h, 0, batch(h, 0, 0, c, 24), 0x100, 0);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS));
	request(h, 0x1100, p, sizeof(p), 0x2200, &m);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p + 4), 1);  /* num_impacted_contexts */
	assert_int_equal(get32(m.p + 8), 2);  /* host_ssid */
	assert_int_equal(get64(m.p + 24), 0); /* flags: primary cause */
	assert_int_equal(head(h, 0), 1);
	enqueue(h, 0, 0, 0x101, 1);
	ring(h, 1);
	assert_int_equal(job_done(h, 1, 0x101, 0), 0);
}

/* Queue memory the firmware cannot trust: the queue is ignored, nothing breaks. */
static void test_bad_queue_and_doorbell(void **state)
{
	struct host *h = *state;
	uint8_t *jq = h->queue[0].cpu;
	uint64_t errors;
	struct msg m;

	register_db(h, 5, 0);
	lock(h);
	errors = h->s->guest_errors;
	put32(jq + 4, 100); /* head beyond 63 slots */
	put32(jq + 8, 1);
	unlock(h);
	ring(h, 5);
	ring(h, 77); /* never registered */
	assert_false(next_msg(h, &m, QUIET_MS));
	lock(h);
	assert_true(h->s->guest_errors >= errors + 2);
	put32(jq + 4, 0);
	put32(jq + 8, 0);
	unlock(h);
	enqueue(h, 0, 0, 0x500, 1);
	ring(h, 5);
	assert_int_equal(job_done(h, 5, 0x500, 0), 0);
	/* A batch buffer outside the context: the job ends with an error status. */
	enqueue(h, 0, BO_VA + 0x200000, 0x501, 0);
	ring(h, 5);
	assert_int_not_equal(job_done(h, 5, 0x501, 0), 0);
}

/* Header flag NO_JOB_DONE (§3.2): the job runs, head moves, no message. */
static void test_no_job_done_flag(void **state)
{
	struct host *h = *state;
	uint8_t c[24];
	struct msg m;

	register_db(h, 6, 0);
	lock(h);
	put32((uint8_t *)h->queue[0].cpu + 12, 1);
	unlock(h);
	fence_cmd(c, 0x0102, BO_VA + FENCE_OFF, 5);
	enqueue(h, 0, batch(h, 0, 0, c, 24), 0x600, 0);
	ring(h, 6);
	assert_false(next_msg(h, &m, QUIET_MS));
	assert_int_equal(head(h, 0), 1);
	assert_int_equal(fence(h, 0, 0), 5);
}

/* Power-down and boot: registrations and the blocked job are forgotten. */
static void test_restart_forgets_jobs(void **state)
{
	struct host *h = *state;
	uint8_t c[24];
	struct msg m;

	register_db(h, 1, 0);
	fence_cmd(c, 0x0101, SHARED_VA, 1);
	enqueue(h, 0, batch(h, 0, 0, c, 24), 0x100, 0);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS));
	/* The tables stay as they are: the job's re-runs walk them until the firmware stops. */
	assert_int_equal(drv_device_power_down(&h->d), 0);
	lock(h);
	assert_false(h->s->fw.queues[1].registered);
	assert_false(h->s->fw.queues[1].running);
	unlock(h);
}

/* hang-job: jobs are taken, never end; the heartbeat freezes but is still answered. */
static void test_hang_job(void **state)
{
	struct host *h = *state;
	uint8_t p[8] = { 0 };
	uint64_t a, b;
	struct msg m;

	register_db(h, 1, 0);
	enqueue(h, 0, 0, 0x100, 1);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS));
	request(h, 0x1104, p, sizeof(p), 0x2204, &m);
	a = get64(m.p + 8);
	sleep_us(20000);
	request(h, 0x1104, p, sizeof(p), 0x2204, &m);
	b = get64(m.p + 8);
	assert_int_equal(a, b);
	assert_int_equal(head(h, 0), 0);
	lock(h);
	assert_int_equal(h->s->fw.jobs_done, 0);
	unlock(h);
	request(h, 0x1100, p, sizeof(p), 0x2200, &m);
	assert_int_equal(get32(m.p + 4), 1);
}

#define BOTH(fn)                                                             \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h40)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_fence_signal_job),
		BOTH(test_memory_fill_and_null),
		BOTH(test_full_ring),
		BOTH(test_cross_context_fence),
		BOTH(test_host_signalled_fence),
		BOTH(test_engine_reset),
		BOTH(test_bad_queue_and_doorbell),
		BOTH(test_no_job_done_flag),
		BOTH(test_restart_forgets_jobs),
		cmocka_unit_test_prestate_setup_teardown(test_hang_job, setup, teardown, &hhang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
