/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's hardware scheduler (src/sim/sim_hws.c), tested by
 * playing the host by hand after a driver boot in HWS mode: command queues,
 * doorbells, scheduling properties, the scheduling log, suspend and resume
 * and the engine's reset and resume, with payloads written byte by byte from
 * docs/firmware-protocol.md §2.4 (Intel vpu_jsm_api.h), and the order bands
 * get the engine in.
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
#include "driver/pm.h"
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"

#define put16 npu_put_le16
#define put32 npu_put_le32
#define put64 npu_put_le64
#define get32 npu_le32
#define get64 npu_le64

#define RV	       0u
#define HOST_FIFO_ATM  0x000200F4u
#define HOST_FIFO_STAT 0x000200FCu
#define TX_SLOT	       192u
#define TX_SLOTS       (16384u / TX_SLOT)
#define RX_SIZE	       16384u
#define WAIT_MS	       3000u
#define QUIET_MS       30u
#define QUEUES	       4
#define QUEUE_VA       UINT64_C(0x9A000000)
#define BO_VA	       UINT64_C(0xA0000000)
#define BO_SIZE	       (4096u * 1024u)
#define CSA_OFF	       128u
#define FENCE_OFF      1024u
#define LOG_OFF	       4096u	       /* the scheduling log: 32-byte header + 16 entries */
#define PREEMPT_OFF    16384u	       /* preemption buffers, 64 KiB each */
#define FILL_OFF       (2048u * 1024u) /* up to LONG_FILL bytes */
#define LONG_FILL      (512u * 1024u)
#define BATCH_OFF      (400u * 1024u) /* batch buffers, 64 KiB apart */
#define BATCH_STRIDE   (64u * 1024u)
#define PREEMPT_SIZE   0x10000u /* above the synthetic images' primary size */
#define SLOTS	       63u
#define SSID	       2u
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
	uint32_t tx_next, req_id;
	struct npu_mmu_ctx uctx;
	struct npu_dma bo, queue[QUEUES];
	bool locked;
};

struct msg {
	uint16_t channel;
	uint32_t type, request_id, result;
	uint8_t p[96];
};

/* The test's own buffers: write-combined, so what it writes reaches the device at once. */
static const struct npu_dma_use use_wc = { "test", NPU_DMA_WC, false };

static struct host h37 = { .gen = NPU_GEN_37XX }, h40 = { .gen = NPU_GEN_40XX };
static const struct npu_device_config hws_sched = { .sched = NPU_SCHED_HWS };

static void sleep_us(unsigned us)
{
	struct timespec ts = { 0, (long)us * 1000L };

	nanosleep(&ts, NULL);
}

static int setup(void **state)
{
	struct host *h = *state;
	struct npu_platform_config pc = { .device = "sim", .gen = h->gen };

	strcpy(h->fwdir, "/tmp/npu-hws-XXXXXX");
	assert_non_null(mkdtemp(h->fwdir));
	setenv("NPU_FIRMWARE_PATH", h->fwdir, 1);
	assert_int_equal(npu_platform_open(&pc, &h->plat), 0);
	h->s = npu_platform_sim_model(h->plat);
	memset(&h->d, 0, sizeof(h->d));
	assert_int_equal(drv_device_open(&h->d, h->plat, &hws_sched), 0);
	assert_int_equal(drv_device_boot(&h->d), 0);
	h->tx_next = 0;
	h->req_id = 7000;
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

static int teardown(void **state)
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

static uint32_t send(struct host *h, uint32_t type, const uint8_t *payload, size_t len)
{
	uint32_t n = h->tx_next++ % TX_SLOTS;
	uint8_t *p = (uint8_t *)h->d.ipc_tx.dma.cpu + n * TX_SLOT;
	uint32_t va = (uint32_t)h->d.ipc_tx.va + n * TX_SLOT;

	memset(p, 0, TX_SLOT);
	put32(p, va + 64);
	put32(p + 4, 128);
	p[11] = 1;
	p[12] = 1;
	put32(p + 64 + 8, type);
	put32(p + 64 + 12, 1);
	put32(p + 64 + 16, ++h->req_id);
	memcpy(p + 64 + 32, payload, len);
	npu_sim_write32(h->s, RV, h->gen == NPU_GEN_37XX ? 0x060200F0u : 0x010200F0u, va);
	return h->req_id;
}

static bool next_msg(struct host *h, struct msg *m, unsigned timeout_ms)
{
	uint64_t rx = h->d.ipc_rx.va;
	uint8_t *base = h->d.ipc_rx.dma.cpu, *hdr, *jsm;
	uint32_t va;

	for (unsigned t = 0; t <= timeout_ms * 10u; t++) {
		if (((npu_sim_read32(h->s, RV, HOST_FIFO_STAT) >> 16) & 0xFFu) == 0) {
			sleep_us(100);
			continue;
		}
		va = npu_sim_read32(h->s, RV, HOST_FIFO_ATM);
		assert_true(va >= rx && va - rx <= RX_SIZE - 64 && (va - rx) % 64 == 0);
		hdr = base + (va - rx);
		jsm = base + (get32(hdr) - rx);
		m->channel = (uint16_t)(hdr[8] | hdr[9] << 8);
		m->type = get32(jsm + 8);
		m->request_id = get32(jsm + 16);
		m->result = get32(jsm + 20);
		memcpy(m->p, jsm + 32, sizeof(m->p));
		lock(h);
		hdr[12] = 0;
		put32(jsm + 12, 0);
		unlock(h);
		return true;
	}
	return false;
}

/* A request and its reply (of type want); returns the result. */
static uint32_t request(struct host *h, uint32_t type, const uint8_t *p, size_t len, uint32_t want,
			struct msg *m)
{
	uint32_t id = send(h, type, p, len);

	assert_true(next_msg(h, m, WAIT_MS));
	assert_int_equal(m->channel, 0);
	assert_int_equal(m->request_id, id);
	assert_int_equal(m->type, want);
	return m->result;
}

/* CREATE_CMD_QUEUE (48 B): queue q of the test is command queue id of SSID 2. */
static uint32_t create(struct host *h, uint64_t id, int q, uint32_t engine)
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

static uint32_t destroy(struct host *h, uint32_t ssid, uint64_t id)
{
	uint8_t p[16] = { 0 };
	struct msg m;

	put32(p, ssid);
	put64(p + 8, id);
	return request(h, 0x1115, p, sizeof(p), 0x2216, &m);
}

static uint32_t properties(struct host *h, uint64_t id, uint32_t band, int32_t in_process)
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

static uint32_t register_db(struct host *h, uint32_t db, uint64_t id)
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
static void queue_up(struct host *h, int q, uint32_t band)
{
	assert_int_equal(create(h, (uint64_t)q + 1, q, 0), OK);
	assert_int_equal(properties(h, (uint64_t)q + 1, band, 0), OK);
	assert_int_equal(register_db(h, (uint32_t)q + 1, (uint64_t)q + 1), OK);
}

static void ring(struct host *h, uint32_t db)
{
	npu_sim_write32(h->s, RV,
			(h->gen == NPU_GEN_37XX ? 0x06300000u : 0x01300000u) + db * 0x1000u, 1);
}

/* The next JOB_DONE; checks the command queue id, returns the job id. */
static uint32_t job_done(struct host *h, uint32_t *status, uint64_t *cmdq)
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

static uint32_t fence_cmd(uint8_t *c, uint16_t type, uint64_t va, uint64_t value)
{
	put16(c, type);
	put16(c + 2, 24);
	put32(c + 4, 0);
	put64(c + 8, va);
	put64(c + 16, value);
	return 24;
}

static uint32_t fill_cmd(uint8_t *c, uint64_t va, uint64_t size, uint32_t pattern)
{
	put16(c, 0x0202);
	put16(c + 2, 32);
	put32(c + 4, 0);
	put64(c + 8, va);
	put64(c + 16, size);
	put32(c + 24, pattern);
	put32(c + 28, 0);
	return 32;
}

static uint64_t batch(struct host *h, unsigned n, const uint8_t *cmds, uint32_t len)
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
static void enqueue(struct host *h, int q, uint64_t batch_va, uint32_t job_id, bool preempt_buf)
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

static uint64_t fence(struct host *h, unsigned n)
{
	uint64_t v;

	lock(h);
	v = get64((uint8_t *)h->bo.cpu + FENCE_OFF + n * 64u);
	unlock(h);
	return v;
}

/* ---- tests ---- */

/* SET_PRIORITY_BAND_SETUP (64 B): stored, echoed; a percentage above 100 refused. */
static void test_band_setup(void **state)
{
	struct host *h = *state;
	uint8_t p[64] = { 0 };
	struct msg m;

	for (int b = 0; b < 4; b++) {
		put32(p + 4 * b, 1000u * (unsigned)b);
		put32(p + 16 + 4 * b, 7000u + (unsigned)b);
		put32(p + 32 + 4 * b, 300u);
	}
	put32(p + 48, 25);
	assert_int_equal(request(h, 0x1113, p, sizeof(p), 0x2214, &m), OK);
	assert_int_equal(get32(m.p + 16 + 12), 7003);
	lock(h);
	assert_true(h->s->fw.hws.bands_set);
	assert_int_equal(h->s->fw.hws.quantum[3], 7003);
	assert_int_equal(h->s->fw.hws.grace[2], 2000);
	assert_int_equal(h->s->fw.hws.normal_band_percentage, 25);
	unlock(h);
	put32(p + 48, 101);
	assert_int_equal(request(h, 0x1113, p, sizeof(p), 0x2214, &m), PROCESSING_ERR);
	lock(h);
	assert_int_equal(h->s->fw.hws.normal_band_percentage, 25);
	assert_int_equal(h->s->fw.hws.focus_present_timer_ms, 1000); /* from the boot params */
	unlock(h);
}

/* CREATE/DESTROY_CMD_QUEUE, SET_CONTEXT_SCHED_PROPERTIES, HWS_REGISTER_DB and their errors. */
static void test_queue_messages(void **state)
{
	struct host *h = *state;
	uint8_t p[24] = { 0 };
	struct msg m;

	assert_int_equal(create(h, 1, 0, 0), OK);
	assert_int_equal(create(h, 1, 1, 0), PROCESSING_ERR);	   /* id taken in this context */
	assert_int_equal(create(h, 2, 1, 1), PROCESSING_ERR);	   /* engine 1 */
	assert_int_equal(destroy(h, SSID, 9), PROCESSING_ERR);	   /* no such queue */
	assert_int_equal(destroy(h, SSID + 1, 1), PROCESSING_ERR); /* no such context */
	assert_int_equal(properties(h, 9, 1, 0), PROCESSING_ERR);
	assert_int_equal(properties(h, 1, 4, 0), PROCESSING_ERR); /* band 4 */
	assert_int_equal(properties(h, 1, 3, 8), PROCESSING_ERR); /* in-process 8 */
	assert_int_equal(properties(h, 1, 3, -7), OK);
	lock(h);
	assert_int_equal(h->s->fw.hws.q[0].band, 3);
	assert_int_equal(h->s->fw.hws.q[0].in_process_priority, -7);
	unlock(h);
	assert_int_equal(register_db(h, 5, 9), PROCESSING_ERR); /* unknown queue */
	assert_int_equal(register_db(h, 0, 1), PROCESSING_ERR); /* doorbell 0 */
	assert_int_equal(register_db(h, 5, 1), OK);
	assert_int_equal(create(h, 2, 1, 0), OK);
	assert_int_equal(register_db(h, 5, 2), PROCESSING_ERR); /* doorbell registered twice */
	assert_int_equal(register_db(h, 6, 1), PROCESSING_ERR); /* the queue has one */
	/* OS scheduling's REGISTER_DB is refused under HWS. */
	put32(p, 7);
	put64(p + 8, QUEUE_VA);
	put32(p + 16, 4096);
	put32(p + 20, SSID);
	assert_int_equal(request(h, 0x1102, p, sizeof(p), 0x2202, &m), PROCESSING_ERR);
	/* Destroying a queue lets its doorbell go: it registers again for another one. */
	assert_int_equal(destroy(h, SSID, 1), OK);
	assert_int_equal(register_db(h, 5, 2), OK);
	assert_int_equal(destroy(h, SSID, 2), OK);
}

/*
 * A queue created and registered before a runtime suspend is still the firmware's after
 * the warm boot: Linux creates and registers nothing again on resume and, on close,
 * unregisters the doorbell and then destroys the queue (ivpu_job.c: ivpu_cmdq_unregister).
 */
static void test_queue_survives_warm_boot(void **state)
{
	struct host *h = *state;
	uint8_t p[32] = { 0 };
	struct msg m;

	assert_int_equal(create(h, 1, 0, 0), OK);
	assert_int_equal(register_db(h, 5, 1), OK);
	assert_int_equal(request(h, 0x1100, p, 8, 0x2200, &m), OK); /* ENGINE_RESET, no resume */
	assert_int_equal(drv_device_suspend(&h->d), 0);
	assert_int_equal(drv_device_boot(&h->d), 0);
	assert_true(h->d.last_boot_warm);
	lock(h);
	assert_false(h->s->fw.hws.engine_stopped); /* the engine starts anew after power-down */
	unlock(h);
	assert_int_equal(register_db(h, 5, 1), PROCESSING_ERR); /* still registered */
	put32(p, 5);
	assert_int_equal(request(h, 0x1103, p, 8, 0x2203, &m), OK); /* UNREGISTER_DB */
	assert_int_equal(destroy(h, SSID, 1), OK);
	assert_int_equal(destroy(h, SSID, 1), PROCESSING_ERR);
}

/* A job of a registered queue: JOB_DONE names its command queue. */
static void test_job_done_cmdq(void **state)
{
	struct host *h = *state;
	uint8_t c[24];
	uint32_t st;
	uint64_t cq;

	queue_up(h, 2, 1);
	fence_cmd(c, 0x0102, BO_VA + FENCE_OFF, 5);
	enqueue(h, 2, batch(h, 0, c, 24), 0x300, false);
	ring(h, 3);
	assert_int_equal(job_done(h, &st, &cq), 0x300);
	assert_int_equal(st, 0);
	assert_int_equal(cq, 3);
	assert_int_equal(fence(h, 0), 5);
}

/*
 * Four bands with a job each, rung while the engine is stopped (ENGINE_RESET
 * until HWS_ENGINE_RESUME): the jobs end realtime, focus, normal, idle.
 */
static void test_band_order(void **state)
{
	struct host *h = *state;
	static const uint32_t band[QUEUES] = { 1, 0, 3, 2 };
	uint8_t c[24], e[8] = { 0 };
	uint32_t st, want[QUEUES] = { 0x400 + 2, 0x400 + 3, 0x400 + 0, 0x400 + 1 };
	uint64_t cq;
	struct msg m;

	for (int q = 0; q < QUEUES; q++)
		queue_up(h, q, band[q]);
	assert_int_equal(request(h, 0x1100, e, sizeof(e), 0x2200, &m), OK); /* ENGINE_RESET */
	for (int q = 0; q < QUEUES; q++) {
		fence_cmd(c, 0x0102, BO_VA + FENCE_OFF + 64u * (unsigned)q, 1);
		enqueue(h, q, batch(h, (unsigned)q, c, 24), 0x400 + (uint32_t)q, false);
		ring(h, (uint32_t)q + 1);
	}
	assert_false(next_msg(h, &m, QUIET_MS)); /* stopped: nothing runs */
	assert_int_equal(request(h, 0x111B, e, sizeof(e), 0x221C, &m), OK);
	for (int i = 0; i < QUEUES; i++) {
		assert_int_equal(job_done(h, &st, &cq), want[i]);
		assert_int_equal(st, 0);
	}
	put32(e, 1);
	assert_int_equal(request(h, 0x111B, e, sizeof(e), 0x221C, &m), PROCESSING_ERR);
}

/*
 * A normal-band job blocked on a fence mid-batch is preempted for a realtime
 * one: saved into its primary preemption buffer at the FENCE_WAIT, it resumes
 * from there once the fence is signalled and runs its last command.
 */
static void test_preempt_and_resume(void **state)
{
	struct host *h = *state;
	uint8_t c[128], r[24], *save = (uint8_t *)h->bo.cpu + PREEMPT_OFF;
	uint32_t n = 0, st;
	uint64_t cq;
	struct msg m;

	queue_up(h, 0, 1);
	queue_up(h, 1, 3);
	n += fill_cmd(c + n, BO_VA + FILL_OFF, 4096, 0x11111111u);
	n += fence_cmd(c + n, 0x0101, BO_VA + FENCE_OFF + 128, 1);
	n += fill_cmd(c + n, BO_VA + FILL_OFF + 4096, 4096, 0x22222222u);
	enqueue(h, 0, batch(h, 0, c, n), 0x500, true);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS)); /* blocked at the FENCE_WAIT */
	fence_cmd(r, 0x0102, BO_VA + FENCE_OFF, 9);
	enqueue(h, 1, batch(h, 1, r, 24), 0x501, true);
	ring(h, 2);
	assert_int_equal(job_done(h, &st, &cq), 0x501);
	assert_int_equal(cq, 2);
	lock(h);
	/* The model's record: magic, job id, batch, offset of the FENCE_WAIT (48 + 32). */
	assert_int_equal(get32(save), 0x50524D54u);
	assert_int_equal(get32(save + 4), 0x500);
	assert_int_equal(get64(save + 8), BO_VA + BATCH_OFF);
	assert_int_equal(get32(save + 16), 48 + 32);
	assert_true(h->s->fw.hws.preemptions >= 1);
	assert_int_equal(get32((uint8_t *)h->bo.cpu + FILL_OFF + 4096), 0); /* not yet */
	put64((uint8_t *)h->bo.cpu + FENCE_OFF + 128, 1);
	unlock(h);
	assert_int_equal(job_done(h, &st, &cq), 0x500);
	assert_int_equal(st, 0);
	lock(h);
	assert_true(h->s->fw.hws.resumptions >= 1);
	assert_int_equal(get32((uint8_t *)h->bo.cpu + FILL_OFF + 4096 + 4092), 0x22222222u);
	unlock(h);
}

/* A long normal job is preempted at a command boundary for a realtime one, which ends first. */
static void test_preempt_long_job(void **state)
{
	struct host *h = *state;
	static uint8_t c[1600 * 32];
	uint8_t r[24];
	uint32_t n = 0, st;
	uint64_t cq;
	bool started = false;

	queue_up(h, 0, 1);
	queue_up(h, 1, 3);
	for (unsigned i = 0; i < 1600; i++)
		n += fill_cmd(c + n, BO_VA + FILL_OFF, LONG_FILL, i);
	enqueue(h, 0, batch(h, 0, c, n), 0x600, true);
	fence_cmd(r, 0x0102, BO_VA + FENCE_OFF, 4);
	enqueue(h, 1, batch(h, 1, r, 24), 0x601, true);
	ring(h, 1);
	/*
	 * The realtime doorbell rings while the test holds the model's lock and
	 * has seen the long job mid-way: it cannot have ended. A doorbell write
	 * takes no lock while the firmware is awake (sim_fw_ring).
	 */
	for (unsigned t = 0; t < 40000 && !started; t++) {
		lock(h);
		started = h->s->fw.queues[1].running && h->s->fw.queues[1].cmd.commands > 0;
		if (started)
			ring(h, 2);
		unlock(h);
		if (!started)
			sleep_us(50);
	}
	assert_true(started);
	assert_int_equal(job_done(h, &st, &cq), 0x601);
	assert_int_equal(job_done(h, &st, &cq), 0x600);
	assert_int_equal(st, 0);
	lock(h);
	assert_true(h->s->fw.hws.preemptions >= 1);
	assert_true(h->s->fw.hws.resumptions >= 1);
	/* Every command ran, in order: the last fill's pattern is everywhere. */
	for (unsigned i = 0; i < LONG_FILL; i += 4096)
		assert_int_equal(get32((uint8_t *)h->bo.cpu + FILL_OFF + i), 1599);
	unlock(h);
}

/*
 * Two long jobs of one band take turns by quantum: with the context quantum
 * (the properties' 2 ms, one process here) the first is preempted for the
 * second before it ends, and both end whole.
 */
static void test_quantum(void **state)
{
	struct host *h = *state;
	static uint8_t a[1600 * 32], b[1600 * 32];
	uint32_t n = 0, st, first, second;
	uint64_t cq;
	bool started = false;

	queue_up(h, 0, 1);
	queue_up(h, 1, 1);
	for (unsigned i = 0; i < 1600; i++) {
		fill_cmd(a + n, BO_VA + FILL_OFF, LONG_FILL, i);
		n += fill_cmd(b + n, BO_VA + FILL_OFF + LONG_FILL, LONG_FILL, 5000u + i);
	}
	enqueue(h, 0, batch(h, 0, a, n), 0xA00, true);
	enqueue(h, 1, batch(h, 1, b, n), 0xA01, true);
	ring(h, 1);
	for (unsigned t = 0; t < 40000 && !started; t++) {
		lock(h);
		started = h->s->fw.queues[1].running && h->s->fw.queues[1].cmd.commands > 0;
		if (started)
			ring(h, 2);
		unlock(h);
		if (!started)
			sleep_us(50);
	}
	assert_true(started);
	first = job_done(h, &st, &cq);
	assert_int_equal(st, 0);
	second = job_done(h, &st, &cq);
	assert_int_equal(st, 0);
	assert_true((first == 0xA00 && second == 0xA01) || (first == 0xA01 && second == 0xA00));
	lock(h);
	assert_true(h->s->fw.hws.preemptions >= 1); /* the first gave way before its end */
	assert_true(h->s->fw.hws.resumptions >= 1);
	for (unsigned i = 0; i < LONG_FILL; i += 4096) {
		assert_int_equal(get32((uint8_t *)h->bo.cpu + FILL_OFF + i), 1599);
		assert_int_equal(get32((uint8_t *)h->bo.cpu + FILL_OFF + LONG_FILL + i), 6599);
	}
	unlock(h);
}

/* HWS_SUSPEND_CMDQ holds a queue's jobs until HWS_RESUME_CMDQ; unknown queues refused. */
static void test_suspend_resume(void **state)
{
	struct host *h = *state;
	uint8_t p[24] = { 0 }, c[24];
	uint32_t st;
	uint64_t cq;
	struct msg m;

	queue_up(h, 0, 1);
	put32(p, SSID);
	put64(p + 8, 1);
	put64(p + 16, 0xF00D);
	assert_int_equal(request(h, 0x1119, p, sizeof(p), 0x221A, &m), OK);
	assert_int_equal(get64(m.p + 16), 0xF00D); /* the fence value comes back */
	assert_int_equal(request(h, 0x1119, p, sizeof(p), 0x221A, &m), OK); /* again: still */
	fence_cmd(c, 0x0102, BO_VA + FENCE_OFF, 6);
	enqueue(h, 0, batch(h, 0, c, 24), 0x700, false);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS));
	assert_int_equal(fence(h, 0), 0);
	assert_int_equal(request(h, 0x111A, p, 16, 0x221B, &m), OK);
	assert_int_equal(job_done(h, &st, &cq), 0x700);
	assert_int_equal(fence(h, 0), 6);
	put64(p + 8, 77);
	assert_int_equal(request(h, 0x1119, p, sizeof(p), 0x221A, &m), PROCESSING_ERR);
	assert_int_equal(request(h, 0x111A, p, 16, 0x221B, &m), PROCESSING_ERR);
}

/* HWS_SET_SCHEDULING_LOG: entries for new work, running, no more work; a notification. */
static void test_scheduling_log(void **state)
{
	struct host *h = *state;
	uint8_t p[32] = { 0 }, c[24], *log = (uint8_t *)h->bo.cpu + LOG_OFF;
	uint32_t st, first, ops = 0;
	uint64_t cq;
	struct msg m;
	bool notified = false;

	queue_up(h, 0, 2);
	lock(h);
	memset(log, 0, 32 + 16 * 32);
	put64(log + 8, 16); /* num_of_entries */
	unlock(h);
	put32(p + 4, SSID);
	put64(p + 8, BO_VA + LOG_OFF);
	put64(p + 16, 0); /* notify when entry 0 is written */
	assert_int_equal(request(h, 0x1118, p, sizeof(p), 0x2218, &m), OK);
	fence_cmd(c, 0x0102, BO_VA + FENCE_OFF, 2);
	enqueue(h, 0, batch(h, 0, c, 24), 0x800, false);
	ring(h, 1);
	/* The notification (channel 0, request id 0) and the JOB_DONE, in either order. */
	for (int i = 0; i < 2; i++) {
		assert_true(next_msg(h, &m, WAIT_MS));
		if (m.type == 0x2219) {
			assert_int_equal(m.channel, 0);
			assert_int_equal(m.request_id, 0);
			notified = true;
		} else {
			assert_int_equal(m.type, 0x2100);
			(void)st;
			(void)cq;
		}
	}
	assert_true(notified);
	sleep_us(5000);
	lock(h);
	first = get32(log);
	for (uint32_t i = 0; i < first && i < 16; i++)
		ops |= 1u << (get32(log + 32 + i * 32u + 8) & 15u);
	unlock(h);
	assert_true(first >= 3 && first < 16);
	assert_int_equal(ops & 0xBu, 0xBu); /* 0 state change, 1 new work, 3 no more work */
	memset(p + 8, 0, 8);		    /* address 0: logging off */
	assert_int_equal(request(h, 0x1118, p, sizeof(p), 0x2218, &m), OK);
	lock(h);
	put64(log + 8, 0); /* a header of no entries is refused */
	unlock(h);
	put64(p + 8, BO_VA + LOG_OFF);
	assert_int_equal(request(h, 0x1118, p, sizeof(p), 0x2218, &m), PROCESSING_ERR);
}

/* ENGINE_RESET lists the running job's queue; after HWS_ENGINE_RESUME the job runs again. */
static void test_engine_reset_resume(void **state)
{
	struct host *h = *state;
	uint8_t c[48], e[8] = { 0 };
	uint32_t st;
	uint64_t cq;
	struct msg m;

	queue_up(h, 0, 1);
	fence_cmd(c, 0x0101, BO_VA + FENCE_OFF + 192, 1);
	fence_cmd(c + 24, 0x0102, BO_VA + FENCE_OFF, 8);
	enqueue(h, 0, batch(h, 0, c, 48), 0x900, true);
	ring(h, 1);
	assert_false(next_msg(h, &m, QUIET_MS));
	assert_int_equal(request(h, 0x1100, e, sizeof(e), 0x2200, &m), OK);
	assert_int_equal(get32(m.p + 4), 1);	/* one impacted context */
	assert_int_equal(get32(m.p + 8), SSID); /* host_ssid */
	assert_int_equal(get64(m.p + 16), 1);	/* its command queue */
	assert_int_equal(get64(m.p + 24), 1);	/* collateral: it runs again */
	lock(h);
	put64((uint8_t *)h->bo.cpu + FENCE_OFF + 192, 1);
	unlock(h);
	assert_false(next_msg(h, &m, QUIET_MS)); /* stopped until resumed */
	assert_int_equal(request(h, 0x111B, e, sizeof(e), 0x221C, &m), OK);
	assert_int_equal(job_done(h, &st, &cq), 0x900);
	assert_int_equal(st, 0);
	assert_int_equal(fence(h, 0), 8);
}

#define BOTH(fn)                                                             \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h40)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_band_setup),
		BOTH(test_queue_messages),
		BOTH(test_queue_survives_warm_boot),
		BOTH(test_job_done_cmdq),
		BOTH(test_band_order),
		BOTH(test_preempt_and_resume),
		BOTH(test_preempt_long_job),
		BOTH(test_quantum),
		BOTH(test_suspend_resume),
		BOTH(test_scheduling_log),
		BOTH(test_engine_reset_resume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
