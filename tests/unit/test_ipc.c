/* SPDX-License-Identifier: MIT */
/*
 * The driver's IPC, JSM requests and interrupt service against the simulated
 * NPU, booted with the synthetic image. The test plays the firmware through
 * the model's internals (sim_internal.h), with the model's own firmware
 * silenced: a hostile one that writes crafted headers into the driver's RX
 * buffer and pushes arbitrary addresses into the FIFO, and a scripted one (a
 * thread) that answers requests correctly or in one of several wrong ways.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "driver/hws.h"
#include "driver/ip.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "hw/boot_params.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "platform/backends.h"
#include "sim/sim_test.h"
#include "util/log.h"
#include "test_time.h"

/* The job layer's handler for builds without job.c; job.c's strong one wins otherwise. */
__attribute__((weak)) void drv_job_done(struct npu_device *d, const struct npu_jsm_msg *msg)
{
	(void)d;
	(void)msg;
}

enum fw_mode {
	FW_ECHO,	  /* the right reply */
	FW_SILENT,	  /* reads the request, never answers */
	FW_WRONG_TYPE,	  /* a reply of another type */
	FW_RESULT_ERR,	  /* result PROCESSING_ERR */
	FW_WRONG_ID,	  /* request id + 1 */
	FW_WRONG_CHANNEL, /* GEN_CMD instead of ASYNC_CMD (and back) */
	FW_STALE_FIRST,	  /* a reply to an older id, then the right one */
};

struct fx {
	enum npu_gen gen;
	char fwdir[64];
	struct npu_platform *p;
	struct npu_device d;
	struct npu_sim *s;
	/* The scripted firmware; everything below under s->lock. */
	pthread_t fw;
	bool fw_running, fw_quit;
	enum fw_mode mode;
	unsigned served, fw_errors, rx_slot;
	uint64_t heartbeat;
	struct npu_ipc_hdr last_hdr;
	struct npu_jsm_msg last_msg;
};

static const struct npu_device_config os_sched = { .sched = NPU_SCHED_OS };

static const enum npu_gen gen37 = NPU_GEN_37XX, gen40 = NPU_GEN_40XX;

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct npu_platform_config pc = { .device = "sim" };

	assert_non_null(f);
	f->gen = *(const enum npu_gen *)*state;
	pc.gen = f->gen;
	snprintf(f->fwdir, sizeof(f->fwdir), "/tmp/npu-ipc-test-XXXXXX");
	assert_non_null(mkdtemp(f->fwdir));
	/* No image in the search path: the simulated NPU boots the synthetic one. */
	setenv("NPU_FIRMWARE_PATH", f->fwdir, 1);
	assert_int_equal(npu_platform_open(&pc, &f->p), 0);
	/* The message counts below are those of an OS-scheduling boot (no band setup). */
	assert_int_equal(drv_device_open(&f->d, f->p, &os_sched), 0);
	assert_int_equal(drv_device_boot(&f->d), 0);
	assert_true(f->d.ipc.enabled);
	f->s = npu_platform_sim_model(f->p);
	assert_non_null(f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f->fw_running) {
		npu_sim_test_lock(f->s);
		f->fw_quit = true;
		npu_sim_test_unlock(f->s);
		pthread_join(f->fw, NULL);
	}
	drv_device_close(&f->d);
	assert_false(f->d.ipc.enabled);
	npu_platform_close(f->p);
	rmdir(f->fwdir);
	free(f);
	return 0;
}

/* The model's firmware stops serving: from now on the test is the firmware. */
static void silence_model_fw(struct fx *f)
{
	npu_sim_test_lock(f->s);
	npu_sim_test_fw_stop(f->s);
	npu_sim_test_unlock(f->s);
}

/* RX header slot i (0..127) and payload slot i (0..63), as NPU addresses. */
static uint64_t rx_hdr_va(struct fx *f, unsigned i)
{
	return f->d.ipc_rx.va + (uint64_t)i * sizeof(struct npu_ipc_hdr);
}

static uint64_t rx_msg_va(struct fx *f, unsigned i)
{
	return f->d.ipc_rx.va + NPU_BOOT_IPC_PAYLOAD_AREA_OFFSET + (uint64_t)i * NPU_JSM_MSG_SIZE;
}

static uint8_t *rx_cpu(struct fx *f, uint64_t va)
{
	return (uint8_t *)f->d.ipc_rx.dma.cpu + (va - f->d.ipc_rx.va);
}

/* ---- the scripted firmware (runs with s->lock held) ---- */

static void fw_post(struct fx *f, uint16_t channel, const struct npu_jsm_msg *msg)
{
	unsigned i = f->rx_slot++ % 64u;
	uint64_t hva = rx_hdr_va(f, 64u + i), mva = rx_msg_va(f, i);
	struct npu_ipc_hdr h = { .data_addr = (uint32_t)mva,
				 .data_size = NPU_JSM_MSG_SIZE,
				 .channel = channel,
				 .src_node = NPU_IPC_NODE_VPU,
				 .dst_node = NPU_IPC_NODE_HOST,
				 .status = NPU_IPC_HDR_ALLOCATED };

	if (npu_sim_test_access(f->s, 0, mva, (void *)msg, sizeof(*msg), true) ||
	    npu_sim_test_access(f->s, 0, hva, &h, sizeof(h), true) ||
	    npu_sim_test_post_to_host(f->s, (uint32_t)hva))
		f->fw_errors++;
}

static void fw_serve(struct fx *f, uint32_t va)
{
	struct npu_ipc_hdr h;
	struct npu_jsm_msg m, r;

	if (npu_sim_test_access(f->s, 0, va, &h, sizeof(h), false) ||
	    npu_sim_test_access(f->s, 0, h.data_addr, &m, sizeof(m), false)) {
		f->fw_errors++;
		return;
	}
	f->last_hdr = h;
	f->last_msg = m;
	f->served++;
	/* Release the TX slot, as the firmware does once it has read it. */
	h.status = NPU_IPC_HDR_FREE;
	m.status = NPU_JSM_MSG_FREE;
	npu_sim_test_access(f->s, 0, va, &h, sizeof(h), true);
	npu_sim_test_access(f->s, 0, h.data_addr, &m, sizeof(m), true);
	if (f->mode == FW_SILENT)
		return;

	memset(&r, 0, sizeof(r));
	/* 0x11xx -> 0x22xx, 0x12xx -> 0x23xx (docs/firmware-protocol.md §2.3) */
	r.type = m.type + 0x1100u;
	r.status = NPU_JSM_MSG_ALLOCATED;
	r.request_id = m.request_id;
	if (m.type == NPU_JSM_MSG_QUERY_ENGINE_HB)
		r.payload.query_engine_hb_done.heartbeat = ++f->heartbeat;
	if (m.type == NPU_JSM_MSG_GET_POWER_LEVEL_COUNT || m.type == NPU_JSM_MSG_GET_POWER_LEVEL)
		r.payload.raw[0] = m.type == NPU_JSM_MSG_GET_POWER_LEVEL ? 2 : 4;
	if (f->mode == FW_WRONG_TYPE)
		r.type = 0x2FFFu;
	if (f->mode == FW_RESULT_ERR)
		r.result = NPU_JSM_STATUS_PROCESSING_ERR;
	if (f->mode == FW_WRONG_ID)
		r.request_id++;
	if (f->mode == FW_WRONG_CHANNEL)
		h.channel = h.channel == NPU_IPC_CHAN_GEN_CMD ? NPU_IPC_CHAN_ASYNC_CMD
							      : NPU_IPC_CHAN_GEN_CMD;
	if (f->mode == FW_STALE_FIRST) {
		struct npu_jsm_msg stale = r;

		stale.request_id--;
		fw_post(f, h.channel, &stale);
	}
	fw_post(f, h.channel, &r);
}

static void *fw_main(void *arg)
{
	struct fx *f = arg;
	struct timespec nap = { 0, 100000 };
	uint32_t va;

	npu_sim_test_lock(f->s);
	while (!f->fw_quit) {
		if (npu_sim_test_fw_take(f->s, &va) == 0) {
			fw_serve(f, va);
			continue;
		}
		npu_sim_test_unlock(f->s);
		nanosleep(&nap, NULL);
		npu_sim_test_lock(f->s);
	}
	npu_sim_test_unlock(f->s);
	return NULL;
}

static void fw_start(struct fx *f, enum fw_mode mode)
{
	silence_model_fw(f);
	f->mode = mode;
	assert_int_equal(pthread_create(&f->fw, NULL, fw_main, f), 0);
	f->fw_running = true;
}

static void fw_set_mode(struct fx *f, enum fw_mode mode)
{
	npu_sim_test_lock(f->s);
	f->mode = mode;
	npu_sim_test_unlock(f->s);
}

/* The last request the firmware read (header and message as the driver wrote them). */
static struct npu_jsm_msg fw_last(struct fx *f, struct npu_ipc_hdr *hdr)
{
	struct npu_jsm_msg m;

	npu_sim_test_lock(f->s);
	m = f->last_msg;
	if (hdr)
		*hdr = f->last_hdr;
	assert_int_equal(f->fw_errors, 0);
	npu_sim_test_unlock(f->s);
	return m;
}

/* ---- tests ---- */

static void test_requests(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ipc_hdr h;
	struct npu_jsm_msg m;
	uint64_t hb1 = 0, hb2 = 0;

	fw_start(f, FW_ECHO);
	assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb1), 0);
	m = fw_last(f, &h);
	/* docs/firmware-protocol.md §1.4: slot 0, header then message, ids from 1. */
	assert_int_equal(h.data_addr, d->ipc_tx.va + 64);
	assert_int_equal(h.data_size, 128);
	assert_int_equal(h.channel, NPU_IPC_CHAN_ASYNC_CMD);
	assert_int_equal(h.src_node, 0);
	assert_int_equal(h.dst_node, 1);
	assert_int_equal(h.status, NPU_IPC_HDR_ALLOCATED);
	assert_int_equal(m.type, NPU_JSM_MSG_QUERY_ENGINE_HB);
	assert_int_equal(m.status, NPU_JSM_MSG_ALLOCATED);
	assert_int_equal(m.request_id, 1);
	assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb2), 0);
	assert_true(hb2 > hb1);
	m = fw_last(f, &h);
	assert_int_equal(m.request_id, 2);
	assert_int_equal(h.data_addr, d->ipc_tx.va + NPU_IPC_TX_SLOT_SIZE + 64);

	assert_int_equal(drv_jsm_register_db(d, 5, 0x81234000u, 4096, 3), 0);
	m = fw_last(f, NULL);
	assert_int_equal(m.type, NPU_JSM_MSG_REGISTER_DB);
	assert_int_equal(m.request_id, 3);
	assert_int_equal(m.payload.register_db.db_idx, 5);
	assert_int_equal(m.payload.register_db.jobq_base, 0x81234000u);
	assert_int_equal(m.payload.register_db.jobq_size, 4096);
	assert_int_equal(m.payload.register_db.host_ssid, 3);
	assert_int_equal(drv_jsm_unregister_db(d, 5), 0);
	assert_int_equal(fw_last(f, NULL).payload.unregister_db.db_idx, 5);
	assert_int_equal(drv_jsm_ssid_release(d, 3), 0);
	assert_int_equal(fw_last(f, NULL).payload.ssid_release.host_ssid, 3);
	assert_int_equal(drv_jsm_engine_reset(d, 0), 0);
	assert_int_equal(fw_last(f, NULL).type, NPU_JSM_MSG_ENGINE_RESET);
	assert_int_equal(drv_jsm_pwr_d0i3_enter(d), 0);
	m = fw_last(f, &h);
	assert_int_equal(h.channel, NPU_IPC_CHAN_GEN_CMD);
	assert_int_equal(m.payload.pwr_d0i3_enter.send_response, 1);

	/* STATE_DUMP waits for STATE_DUMP_RSP (Linux 7.x). */
	assert_int_equal(drv_jsm_state_dump(d), 0);
	assert_int_equal(fw_last(f, NULL).type, NPU_JSM_MSG_STATE_DUMP);
	assert_int_equal(fw_last(f, NULL).request_id, 8);
	assert_int_equal(d->ipc.stats.tx, 8);
	assert_int_equal(d->ipc.stats.rx, 8);
	assert_int_equal(d->ipc.stats.rx_dropped, 0);
	assert_int_equal(d->ipc.stats.timeouts, 0);
}

static void test_bad_replies(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_jsm_engine_reset p = { 0 };
	struct npu_jsm_msg r;
	const uint32_t hb = NPU_JSM_MSG_QUERY_ENGINE_HB, hb_done = NPU_JSM_MSG_QUERY_ENGINE_HB_DONE;
	const uint16_t ch = NPU_IPC_CHAN_ASYNC_CMD;

	fw_start(f, FW_WRONG_TYPE);
	assert_int_equal(drv_ipc_request(d, ch, hb, &p, sizeof(p), hb_done, &r, 0), -EBADE);
	assert_int_equal(r.type, 0x2FFFu);
	fw_set_mode(f, FW_RESULT_ERR);
	assert_int_equal(drv_ipc_request(d, ch, hb, &p, sizeof(p), hb_done, &r, 0), -EBADMSG);
	assert_int_equal(r.result, NPU_JSM_STATUS_PROCESSING_ERR);
	fw_set_mode(f, FW_WRONG_ID);
	assert_int_equal(drv_ipc_request(d, ch, hb, &p, sizeof(p), hb_done, &r, 20000), -ETIMEDOUT);
	fw_set_mode(f, FW_WRONG_CHANNEL);
	assert_int_equal(drv_ipc_request(d, ch, hb, &p, sizeof(p), hb_done, &r, 20000), -ETIMEDOUT);
	assert_int_equal(d->ipc.stats.rx_dropped, 2);
	assert_int_equal(d->ipc.stats.timeouts, 2);
	fw_set_mode(f, FW_STALE_FIRST);
	assert_int_equal(drv_ipc_request(d, ch, hb, &p, sizeof(p), hb_done, &r, 0), 0);
	assert_int_equal(r.request_id, 5);
	assert_int_equal(d->ipc.stats.rx_dropped, 3);
	/* Payload over 96 bytes; IPC off. */
	assert_int_equal(drv_ipc_request(d, ch, hb, &r, sizeof(r), hb_done, NULL, 0), -EINVAL);
	drv_ipc_disable(d);
	assert_int_equal(drv_ipc_request(d, ch, hb, &p, sizeof(p), hb_done, NULL, 0), -EAGAIN);
	assert_int_equal(drv_ipc_send(d, ch, NPU_JSM_MSG_STATE_DUMP, NULL, 0), -EAGAIN);
}

static void test_timeout(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	uint64_t t0, us;

	fw_start(f, FW_SILENT);
	t0 = now_us();
	assert_int_equal(drv_ipc_request(d, NPU_IPC_CHAN_ASYNC_CMD, NPU_JSM_MSG_QUERY_ENGINE_HB,
					 NULL, 0, NPU_JSM_MSG_QUERY_ENGINE_HB_DONE, NULL, 50000),
			 -ETIMEDOUT);
	/* Not before its time; that it ends at all is the test (a hang is CTest's timeout). */
	us = now_us() - t0;
	assert_true(us >= 50000);
	assert_int_equal(fw_last(f, NULL).request_id, 1);
	assert_int_equal(d->ipc.stats.timeouts, 1);
	assert_false(d->ipc.waiting);
	/* The request that timed out left nothing behind: the next one is answered. */
	fw_set_mode(f, FW_ECHO);
	assert_int_equal(drv_ipc_request(d, NPU_IPC_CHAN_ASYNC_CMD, NPU_JSM_MSG_QUERY_ENGINE_HB,
					 NULL, 0, NPU_JSM_MSG_QUERY_ENGINE_HB_DONE, NULL, 0),
			 0);
	assert_int_equal(fw_last(f, NULL).request_id, 2);
	assert_int_equal(d->ipc.stats.timeouts, 1);
}

/* The warnings the driver logs, for the tests that expect one. */
static char warned[512];

static void capture_warn(void *ctx, enum npu_log_level level, enum npu_log_cat cat, const char *msg)
{
	(void)ctx;
	if (level <= NPU_LOG_WARN && cat == NPU_CAT_IPC && !warned[0])
		snprintf(warned, sizeof(warned), "%s", msg);
}

static void test_tx_slot_reuse(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const unsigned slots = NPU_IPC_TX_BUF_SIZE / NPU_IPC_TX_SLOT_SIZE;
	struct npu_jsm_msg m;

	silence_model_fw(f); /* nobody reads or frees the slots */
	warned[0] = '\0';
	npu_log_set_sink(capture_warn, NULL);
	for (unsigned i = 0; i < slots; i++)
		assert_int_equal(drv_ipc_send(d, 0, NPU_JSM_MSG_STATE_DUMP, NULL, 0), 0);
	assert_string_equal(warned, "");
	assert_int_equal(drv_ipc_send(d, 0, NPU_JSM_MSG_STATE_DUMP, NULL, 0), 0);
	npu_log_set_sink(NULL, NULL);
	assert_non_null(strstr(warned, "still allocated"));
	/* Round robin: the 86th request went into slot 0 again. */
	memcpy(&m, (uint8_t *)d->ipc_tx.dma.cpu + 64, sizeof(m));
	assert_int_equal(m.request_id, slots + 1);
}

/* Hostile firmware: every way a FIFO entry or header can be wrong. */
static void test_hostile_entries(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const uint64_t rx = d->ipc_rx.va;
	const uint32_t bad_hdr_va[] = {
		(uint32_t)rx - 64, (uint32_t)rx + 8192, (uint32_t)rx + 8160, (uint32_t)rx + 8, 0,
		0xFFFFFFFFu,	   (uint32_t)rx + 16384
	};
	const struct {
		uint16_t channel;
		uint32_t size, data_addr, type;
	} hdrs[] = {
		{ NPU_IPC_CHAN_BOOT_MSG, 128, (uint32_t)rx_msg_va(f, 0), 0x2204 },
		{ 5, 128, (uint32_t)rx_msg_va(f, 1), 0x2204 },
		{ 0, 64, (uint32_t)rx_msg_va(f, 2), 0x2204 },
		{ 0, 128, (uint32_t)rx + 16384 - 64, 0x2204 },
		{ 0, 128, (uint32_t)rx_msg_va(f, 4) + 8, 0x2204 },
		{ 0, 128, (uint32_t)rx - 128, 0x2204 },
		{ 0, 128, 0xFFFFFFC0u, 0x2204 },
		{ 0, 128, (uint32_t)rx_msg_va(f, 7), 0x2204 },	  /* nobody waits */
		{ 11, 128, (uint32_t)rx_msg_va(f, 8), 0x2204 },	  /* not JOB_DONE */
		{ 11, 128, (uint32_t)rx_msg_va(f, 9), 0x2100 },	  /* JOB_DONE */
		{ 10, 128, (uint32_t)rx_hdr_va(f, 120), 0x2204 }, /* in the header area: allowed */
	};
	const size_t n = sizeof(hdrs) / sizeof(hdrs[0]), nbad = sizeof(bad_hdr_va) / 4;
	uint8_t *before = malloc(NPU_IPC_RX_BUF_SIZE);
	struct npu_ipc_stats s0 = d->ipc.stats;

	assert_non_null(before);
	silence_model_fw(f);
	npu_sim_test_lock(f->s);
	for (size_t i = 0; i < n; i++) {
		struct npu_ipc_hdr h = { .data_addr = hdrs[i].data_addr,
					 .data_size = hdrs[i].size,
					 .channel = hdrs[i].channel,
					 .src_node = 1,
					 .status = NPU_IPC_HDR_ALLOCATED };
		struct npu_jsm_msg m = { .type = hdrs[i].type,
					 .status = NPU_JSM_MSG_ALLOCATED,
					 .request_id = 77 };

		memcpy(rx_cpu(f, rx_msg_va(f, (unsigned)i)), &m, sizeof(m));
		if (i == n - 1)
			memcpy(rx_cpu(f, hdrs[i].data_addr), &m, sizeof(m));
		memcpy(rx_cpu(f, rx_hdr_va(f, 16 + (unsigned)i)), &h, sizeof(h));
	}
	memcpy(before, d->ipc_rx.dma.cpu, NPU_IPC_RX_BUF_SIZE);
	for (size_t i = 0; i < n + nbad; i++)
		assert_int_equal(
		    npu_sim_test_post_to_host(f->s, i < n ? (uint32_t)rx_hdr_va(f, 16 + i)
							  : bad_hdr_va[i - n]),
		    0);
	npu_sim_test_unlock(f->s);

	assert_int_equal(drv_irq_wait(d, 1000000), 0);
	npu_sim_test_lock(f->s);
	assert_int_equal(npu_sim_test_host_pending(f->s), 0);
	npu_sim_test_unlock(f->s);
	assert_int_equal(d->ipc.stats.rx_dropped - s0.rx_dropped, n - 1 + nbad);
	assert_int_equal(d->ipc.stats.job_done - s0.job_done, 1);
	assert_int_equal(d->ipc.stats.rx - s0.rx, 1);
	/* Released: every header with a good address; the messages that were read. Nothing else. */
	for (size_t i = 0; i < n; i++) {
		before[rx_hdr_va(f, 16 + (unsigned)i) - rx + 12] = NPU_IPC_HDR_FREE;
		if (i >= 7)
			memset(&before[hdrs[i].data_addr - rx + 12], 0, 4);
	}
	assert_memory_equal(before, d->ipc_rx.dma.cpu, NPU_IPC_RX_BUF_SIZE);
	free(before);
}

/* 300 garbage entries (the FIFO holds 256), then a dead device: the drain ends both times. */
static void test_flood_and_dead_device(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	uint64_t dropped = d->ipc.stats.rx_dropped;
	unsigned accepted = 0;

	silence_model_fw(f);
	npu_sim_test_lock(f->s);
	for (uint32_t i = 0; i < 300; i++)
		accepted += npu_sim_test_post_to_host(f->s, 0xDEAD0000u + i * 4u) == 0;
	npu_sim_test_unlock(f->s);
	assert_true(accepted >= 255);
	assert_int_equal(drv_irq_wait(d, 1000000), 0);
	assert_int_equal(d->ipc.stats.rx_dropped - dropped, accepted);
	assert_int_equal(drv_ip_fifo_fill(d), 0);

	npu_sim_test_lock(f->s);
	npu_sim_test_post_to_host(f->s, 0x1000u);
	npu_sim_test_set_fault(f->s, NPU_SIM_FAULT_DEAD_MMIO);
	npu_sim_test_unlock(f->s);
	drv_ipc_drain(d);
	drv_irq_handle(d);
	assert_true(d->need_recovery);
	npu_sim_test_lock(f->s);
	npu_sim_test_set_fault(f->s, NPU_SIM_FAULT_NONE);
	npu_sim_test_unlock(f->s);
}

/*
 * The model's own firmware (src/sim/sim_jsm.c) answers JSM, and its heartbeat
 * advances while it makes progress (docs/firmware-protocol.md §2.4): answering
 * a request is progress, so among the next queries one must see it move. A
 * frozen heartbeat fails here.
 */
static void test_model_jsm(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	uint64_t hb1 = 0, hb2 = 0;

	assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb1), 0);
	for (int i = 0; i < 100 && hb2 <= hb1; i++)
		assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb2), 0);
	assert_true(hb2 > hb1);
	assert_int_equal(drv_jsm_register_db(d, 1, d->ipc_tx.va, 4096, 2), 0);
	assert_int_equal(drv_jsm_unregister_db(d, 1), 0);
	assert_int_equal(d->ipc.stats.rx_dropped, 0);
}

#define BOTH(fn)                                                                       \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&gen37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&gen40)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_requests),	    BOTH(test_bad_replies),
		BOTH(test_timeout),	    BOTH(test_tx_slot_reuse),
		BOTH(test_hostile_entries), BOTH(test_flood_and_dead_device),
		BOTH(test_model_jsm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
