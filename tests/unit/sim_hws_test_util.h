/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the simulated firmware's hardware-scheduler tests (test_sim_hws.c: the
 * messages; test_sim_hws_sched.c: the order bands get the engine in): a driver boot in HWS
 * mode, then the host played by hand, with payloads written byte by byte from
 * docs/firmware-protocol.md §2.4 (Intel vpu_jsm_api.h).
 */
#ifndef NPU_TEST_SIM_HWS_UTIL_H
#define NPU_TEST_SIM_HWS_UTIL_H

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
#include "driver/pm.h"
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "sim_host_ipc_util.h"

#define WAIT_MS	     3000u
#define QUIET_MS     30u
#define QUEUES	     4
#define QUEUE_VA     UINT64_C(0x9A000000)
#define BO_VA	     UINT64_C(0xA0000000)
#define BO_SIZE	     (4096u * 1024u)
#define CSA_OFF	     128u
#define FENCE_OFF    1024u
#define LOG_OFF	     4096u	     /* the scheduling log: 32-byte header + 16 entries */
#define PREEMPT_OFF  16384u	     /* preemption buffers, 64 KiB each */
#define FILL_OFF     (2048u * 1024u) /* up to LONG_FILL bytes */
#define LONG_FILL    (512u * 1024u)
#define BATCH_OFF    (400u * 1024u) /* batch buffers, 64 KiB apart */
#define BATCH_STRIDE (64u * 1024u)
#define PREEMPT_SIZE 0x10000u /* above the synthetic images' primary size */
#define SLOTS	     63u
#define SSID	     2u
/* The model's lock; held flagged, so a failed assertion under it does not hang teardown. */
/* As a host's register access takes it (sim_host_lock): the firmware lets it in within 20 us. */
#define lock(h)	  (sim_host_lock((h)->s), (h)->locked = true)
#define unlock(h) ((h)->locked = false, pthread_mutex_unlock(&(h)->s->lock))

/* JSM types and results (docs/firmware-protocol.md §2.2, §2.3). */
#define OK	       0u
#define PROCESSING_ERR 2u

struct host {
	enum npu_gen gen;
	char fwdir[32];
	struct npu_platform *plat;
	struct npu_sim *s;
	struct npu_device d;
	struct host_ipc ipc;
	struct npu_mmu_ctx uctx;
	struct npu_dma bo, queue[QUEUES];
	bool locked;
};

/* The test's own buffers: write-combined, so what it writes reaches the device at once. */
static const struct npu_dma_use use_wc = { "test", NPU_DMA_WC, false };

static struct host h37 = { .gen = NPU_GEN_37XX }, h40 = { .gen = NPU_GEN_40XX };
/* A second for the D0i3 entry: the warm-boot cases must not go cold on a busy machine. */
static const struct npu_device_config hws_sched = { .sched = NPU_SCHED_HWS,
						    .d0i3_timeout_us = 1000000u };

static inline int setup(void **state)
{
	struct host *h = *state;
	struct npu_platform_config pc = { .device = "sim", .gen = h->gen };

	host_boot(h->fwdir, "/tmp/npu-hws-XXXXXX", &pc, &hws_sched, &h->plat, &h->s, &h->d);
	host_ipc_init(&h->ipc, h->s, h->gen, &h->d, 7000, WAIT_MS);
	h->ipc.held = &h->locked; /* the release takes the lock as lock(h) does */
	assert_int_equal(drv_mmu_ctx_init(&h->uctx, h->plat, SSID), 0);
	assert_int_equal(npu_dma_alloc(h->plat, BO_SIZE, &use_wc, &h->bo), 0);
	assert_int_equal(drv_mmu_ctx_map(&h->uctx, h->plat, BO_VA, h->bo.addr, BO_SIZE, 0), 0);
	assert_int_equal(drv_mmu_set_cd(&h->d.mmu, &h->d.mmio, SSID, h->uctx.pgd.addr), 0);
	for (int i = 0; i < QUEUES; i++) {
		assert_int_equal(npu_dma_alloc(h->plat, 4096, &use_wc, &h->queue[i]), 0);
		assert_int_equal(drv_mmu_ctx_map(&h->d.gctx, h->plat, QUEUE_VA + 4096u * i,
						 h->queue[i].addr, 4096, 0),
				 0);
	}
	assert_int_equal(drv_mmu_tlb_invalidate(&h->d.mmu, &h->d.mmio, 0), 0);
	return 0;
}

static inline int teardown(void **state)
{
	struct host *h = *state;

	if (h->locked)
		unlock(h);
	drv_mmu_clear_cd(&h->d.mmu, &h->d.mmio, SSID);
	for (int i = 0; i < QUEUES; i++) {
		drv_mmu_ctx_unmap(&h->d.gctx, QUEUE_VA + 4096u * i, 4096);
		npu_dma_free(h->plat, &h->queue[i]);
	}
	drv_mmu_ctx_fini(&h->uctx, h->plat);
	npu_dma_free(h->plat, &h->bo);
	drv_device_close(&h->d);
	npu_platform_close(h->plat);
	rmdir(h->fwdir);
	return 0;
}

/* ---- IPC by hand (docs/firmware-protocol.md §1.4, §1.5) ---- */

static inline bool next_msg(struct host *h, struct msg *m, unsigned timeout_ms)
{
	return host_ipc_next(&h->ipc, m, timeout_ms);
}

/* A request and its reply (of type want); returns the result. */
static inline uint32_t request(struct host *h, uint32_t type, const uint8_t *p, size_t len,
			       uint32_t want, struct msg *m)
{
	return host_ipc_request(&h->ipc, type, p, len, want, m);
}

/* CREATE_CMD_QUEUE (48 B): queue q of the test is command queue id of SSID 2. */
static inline uint32_t create(struct host *h, uint64_t id, int q, uint32_t engine)
{
	uint8_t p[48] = { 0 };
	struct msg m;
	uint32_t r;

	put64(p, 4242); /* process id */
	put32(p + 8, SSID);
	put32(p + 12, engine);
	put64(p + 16, 1); /* group */
	put64(p + 24, id);
	put64(p + 32, QUEUE_VA + 4096u * (unsigned)q);
	put32(p + 40, 4096);
	r = request(h, 0x1114, p, sizeof(p), 0x2215, &m);
	assert_int_equal(get64(m.p), 4242); /* the response echoes the ids */
	assert_int_equal(get32(m.p + 8), SSID);
	assert_int_equal(get64(m.p + 24), id);
	return r;
}

static inline uint32_t destroy(struct host *h, uint32_t ssid, uint64_t id)
{
	uint8_t p[16] = { 0 };
	struct msg m;

	put32(p, ssid);
	put64(p + 8, id);
	return request(h, 0x1115, p, sizeof(p), 0x2216, &m);
}

static inline uint32_t properties(struct host *h, uint64_t id, uint32_t band, int32_t in_process)
{
	uint8_t p[56] = { 0 };
	struct msg m;

	put32(p, SSID);
	put64(p + 8, id);
	put32(p + 16, band);
	put32(p + 24, (uint32_t)in_process);
	put64(p + 32, 20000);
	put64(p + 40, 10000);
	return request(h, 0x1116, p, sizeof(p), 0x2217, &m);
}

static inline uint32_t register_db(struct host *h, uint32_t db, uint64_t id)
{
	uint8_t p[32] = { 0 };
	struct msg m;
	uint32_t r;

	put32(p, db);
	put32(p + 4, SSID);
	put64(p + 8, id);
	r = request(h, 0x1117, p, sizeof(p), 0x2202, &m); /* answered with REGISTER_DB_DONE */
	assert_int_equal(get32(m.p), db);
	return r;
}

/* Queue q as command queue q + 1 with doorbell q + 1, in band. */
static inline void queue_up(struct host *h, int q, uint32_t band)
{
	assert_int_equal(create(h, (uint64_t)q + 1, q, 0), OK);
	assert_int_equal(properties(h, (uint64_t)q + 1, band, 0), OK);
	assert_int_equal(register_db(h, (uint32_t)q + 1, (uint64_t)q + 1), OK);
}

static inline void ring(struct host *h, uint32_t db)
{
	npu_sim_write32(h->s, RV,
			(h->gen == NPU_GEN_37XX ? 0x06300000u : 0x01300000u) + db * 0x1000u, 1);
}

/* The next JOB_DONE; checks the command queue id, returns the job id. */
static inline uint32_t job_done(struct host *h, uint32_t *status, uint64_t *cmdq)
{
	struct msg m;

	assert_true(next_msg(h, &m, WAIT_MS));
	assert_int_equal(m.channel, 11);
	assert_int_equal(m.type, 0x2100);
	assert_int_equal(get32(m.p + 16), SSID);
	*status = get32(m.p + 12);
	*cmdq = get64(m.p + 24);
	return get32(m.p + 8);
}

static inline uint64_t batch(struct host *h, unsigned n, const uint8_t *cmds, uint32_t len)
{
	uint8_t *b = (uint8_t *)h->bo.cpu + BATCH_OFF + n * BATCH_STRIDE;

	assert_true(48u + len <= BATCH_STRIDE);
	memset(b, 0, 48);
	put32(b, 48 + len);
	put32(b + 4, 48);
	put64(b + 40, BO_VA + CSA_OFF);
	memcpy(b + 48, cmds, len);
	return BO_VA + BATCH_OFF + n * BATCH_STRIDE;
}

/* slot[tail] of queue q: the job, with a primary preemption buffer of its own (or none). */
static inline void enqueue(struct host *h, int q, uint64_t batch_va, uint32_t job_id,
			   bool preempt_buf)
{
	uint8_t *jq = h->queue[q].cpu, *e;
	uint32_t tail;

	lock(h);
	tail = get32(jq + 8);
	e = jq + 64 + tail * 64u;
	memset(e, 0, 64);
	put64(e, batch_va);
	put32(e + 8, job_id);
	if (preempt_buf) {
		put64(e + 32, BO_VA + PREEMPT_OFF + (uint64_t)q * PREEMPT_SIZE);
		put32(e + 40, PREEMPT_SIZE);
	}
	put32(jq + 8, (tail + 1) % SLOTS);
	unlock(h);
}

static inline uint64_t fence(struct host *h, unsigned n)
{
	uint64_t v;

	lock(h);
	v = get64((uint8_t *)h->bo.cpu + FENCE_OFF + n * 64u);
	unlock(h);
	return v;
}

/* ---- tests ---- */

/* SET_PRIORITY_BAND_SETUP (64 B): stored, echoed; a percentage above 100 refused. */

#define BOTH(fn)                                                             \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h40)

#endif
