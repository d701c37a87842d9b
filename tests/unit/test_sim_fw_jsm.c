/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's JSM service (src/sim/sim_jsm.c), tested by playing
 * the host by hand: the real driver only boots the model (valid MMU tables and
 * IPC buffers); then this test writes IPC headers and JSM messages byte by
 * byte at the offsets of docs/firmware-protocol.md §1.2 and §2.1 into the driver's TX
 * buffer, pushes them into the TX FIFO, and reads the replies out of the RX
 * buffer as a robust host would (§1.5), releasing each RX slot.
 *
 * The test's writes to memory the firmware thread may be reading at that very
 * moment (RX slot releases) are made under the model's lock, as the bus would
 * order them; everything else is ordered by the register accesses around it.
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
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "sim_host_ipc_util.h"
#include "test_time.h"

#define WAIT_MS		2000u
#define QUIET_MS	30u
#define PROCESSING_ERR	2u
#define PARSING_ERR	1u
#define NOT_IMPLEMENTED 0xBu
/* The model's lock: orders the test's memory writes against its firmware thread. */
#define lock(h)	  pthread_mutex_lock(&(h)->s->lock)
#define unlock(h) pthread_mutex_unlock(&(h)->s->lock)

enum bad { BAD_OUTSIDE, BAD_MISALIGNED, BAD_BOOT, BAD_CHANNEL, BAD_SIZE, BAD_DATA, BAD_KINDS };

struct host {
	enum npu_gen gen;
	enum npu_sim_fault fault;
	char fwdir[32];
	struct npu_platform *plat;
	struct npu_sim *s;
	struct npu_device d;
	struct host_ipc ipc;
	unsigned bad[BAD_KINDS]; /* malformed entries the host dropped */
	unsigned stray;		 /* well-formed messages nobody waited for */
	unsigned stray_ch11;	 /* ... on the job channel, not a JOB_DONE of ours */
};

/* The host played by hand here is the OS-scheduling one (HWS: test_sim_hws.c). */
static const struct npu_device_config os_sched = { .sched = NPU_SCHED_OS };

static struct host h37 = { .gen = NPU_GEN_37XX }, h40 = { .gen = NPU_GEN_40XX },
		   hgarbage = { .gen = NPU_GEN_37XX, .fault = NPU_SIM_FAULT_IPC_GARBAGE };

static int setup(void **state)
{
	struct host *h = *state;
	struct npu_platform_config pc = { .device = "sim", .gen = h->gen, .fault = h->fault };

	host_boot(h->fwdir, "/tmp/npu-jsm-XXXXXX", &pc, &os_sched, &h->plat, &h->s, &h->d);
	assert_non_null(h->s);
	host_ipc_init(&h->ipc, h->s, h->gen, &h->d, 1000, WAIT_MS);
	memset(h->bad, 0, sizeof(h->bad));
	h->stray = h->stray_ch11 = 0;
	return 0;
}

static int teardown(void **state)
{
	struct host *h = *state;

	drv_device_close(&h->d);
	npu_platform_close(h->plat);
	rmdir(h->fwdir);
	return 0;
}

/* ---- the host's side of IPC, from docs/firmware-protocol.md §1.4/§1.5 ---- */

/* The next well-formed message; malformed entries are counted in h->bad and dropped. */
static bool next_msg(struct host *h, struct msg *m, unsigned timeout_ms)
{
	uint64_t rx = h->d.ipc_rx.va;
	uint8_t *base = h->d.ipc_rx.dma.cpu;
	uint32_t va, data;

	while (host_ipc_pop(&h->ipc, &va, timeout_ms)) {
		uint8_t *hdr, *jsm;

		if (va < rx || va - rx > RX_SIZE - 64) {
			h->bad[BAD_OUTSIDE]++;
			continue;
		}
		if ((va - rx) % 64) {
			h->bad[BAD_MISALIGNED]++;
			continue;
		}
		hdr = base + (va - rx);
		m->channel = (uint16_t)(hdr[8] | hdr[9] << 8);
		data = get32(hdr);
		/* A data_addr inside the RX buffer names a message to release with the header. */
		jsm = data >= rx && data - rx <= RX_SIZE - 128 && data % 64 == 0
			  ? base + (data - rx)
			  : NULL;
		if (m->channel == 0x3FF ||
		    (m->channel != 0 && m->channel != 10 && m->channel != 11)) {
			h->bad[m->channel == 0x3FF ? BAD_BOOT : BAD_CHANNEL]++;
		} else if (get32(hdr + 4) != 128) {
			h->bad[BAD_SIZE]++;
		} else if (!jsm) {
			h->bad[BAD_DATA]++;
		} else {
			assert_int_equal(hdr[10], 1); /* src: NPU */
			assert_int_equal(hdr[11], 0); /* dst: host */
			assert_int_equal(hdr[12], 1); /* ALLOCATED */
			host_ipc_read(hdr, jsm, m);
			host_ipc_release(&h->ipc, hdr, jsm);
			return true;
		}
		host_ipc_release(&h->ipc, hdr, m->channel == 0x3FF ? NULL : jsm);
	}
	return false;
}

static bool wait_reply(struct host *h, uint16_t channel, uint32_t id, struct msg *m)
{
	while (next_msg(h, m, WAIT_MS)) {
		if (m->channel == channel && m->request_id == id)
			return true;
		h->stray++;
		h->stray_ch11 += m->channel == 11;
	}
	return false;
}

static void request(struct host *h, uint16_t channel, uint32_t type, const void *payload,
		    size_t len, uint32_t want_type, struct msg *m)
{
	uint32_t id = host_ipc_send(&h->ipc, channel, type, payload, len);

	assert_true(wait_reply(h, channel, id, m));
	assert_int_equal(m->type, want_type);
	assert_int_equal(m->status, 1);
}

static uint64_t heartbeat(struct host *h)
{
	uint32_t engine = 0;
	struct msg m;

	request(h, 0, 0x1104, &engine, sizeof(engine), 0x2204, &m);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p), 0);
	return get64(m.p + 8);
}

static bool registered(struct host *h, uint32_t db)
{
	bool r;

	lock(h);
	r = h->s->fw.queues[db].registered;
	unlock(h);
	return r;
}

/* REGISTER_DB payload (§2.4): db_idx, rsv, jobq_base u64, jobq_size, host_ssid. */
static uint32_t register_db(struct host *h, uint32_t db, uint64_t base, uint32_t size,
			    uint32_t ssid)
{
	uint8_t p[24] = { 0 };
	struct msg m;

	put32(p, db);
	put64(p + 8, base);
	put32(p + 16, size);
	put32(p + 20, ssid);
	request(h, 0, 0x1102, p, sizeof(p), 0x2202, &m);
	assert_int_equal(get32(m.p), db);
	return m.result;
}

/* ---- tests ---- */

static void test_register_db(void **state)
{
	struct host *h = *state;
	uint64_t base = 0x00100000u; /* never read at registration */
	uint8_t *slot;
	uint32_t va, id;
	struct msg m;

	va = host_ipc_fill(&h->ipc, 0, 0x1102, NULL, 0, &slot);
	id = h->ipc.req_id;
	put32(slot + 64 + 32, 1);
	put64(slot + 64 + 40, base);
	put32(slot + 64 + 48, 4096);
	put32(slot + 64 + 52, 2);
	host_ipc_push(&h->ipc, va);
	assert_true(wait_reply(h, 0, id, &m));
	assert_int_equal(m.type, 0x2202);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p), 1);
	/* The firmware released the request's header and message. */
	assert_int_equal(slot[12], 0);
	assert_int_equal(get32(slot + 64 + 12), 0);
	assert_true(registered(h, 1));

	assert_int_equal(register_db(h, 0, base, 4096, 2), PROCESSING_ERR);
	assert_int_equal(register_db(h, 256, base, 4096, 2), PROCESSING_ERR);
	assert_int_equal(register_db(h, 2, base, 64, 2), PROCESSING_ERR);
	assert_int_equal(register_db(h, 2, base, 2u << 20, 2), PROCESSING_ERR);
	assert_int_equal(register_db(h, 2, base + 8, 4096, 2), PROCESSING_ERR);
	assert_int_equal(register_db(h, 2, base, 4096, 256), PROCESSING_ERR);
	assert_false(registered(h, 2));
	assert_int_equal(register_db(h, 255, base, 1u << 20, 7), 0);
	assert_true(registered(h, 255));

	/* UNREGISTER_DB (0x1103 -> 0x2203, db_idx echoed); SSID_RELEASE forgets by SSID. */
	request(h, 0, 0x1103, &(uint32_t){ 1 }, 4, 0x2203, &m);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p), 1);
	assert_false(registered(h, 1));
	request(h, 0, 0x1103, &(uint32_t){ 300 }, 4, 0x2203, &m);
	assert_int_equal(m.result, PROCESSING_ERR);
	request(h, 0, 0x110E, &(uint32_t){ 7 }, 4, 0x220E, &m);
	assert_int_equal(m.result, 0);
	assert_false(registered(h, 255));
}

static void test_heartbeat_and_engine(void **state)
{
	struct host *h = *state;
	uint64_t a = heartbeat(h), b = heartbeat(h);
	struct msg m;

	assert_true(b > a);
	request(h, 0, 0x1104, &(uint32_t){ 1 }, 4, 0x2204, &m);
	assert_int_equal(m.result, PROCESSING_ERR);
	/* ENGINE_RESET of an idle engine: nothing impacted. */
	request(h, 0, 0x1100, &(uint32_t){ 0 }, 4, 0x2200, &m);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p), 0);
	assert_int_equal(get32(m.p + 4), 0);
	request(h, 0, 0x1100, &(uint32_t){ 1 }, 4, 0x2200, &m);
	assert_int_equal(m.result, PROCESSING_ERR);
	assert_true(heartbeat(h) > b);
}

static void test_unknown_and_unimplemented(void **state)
{
	struct host *h = *state;
	struct msg m;

	request(h, 0, 0x1234, NULL, 0, 0xFFFFFFFFu, &m);
	assert_int_equal(m.result, PARSING_ERR);
	request(h, 0, 0x2202, NULL, 0, 0xFFFFFFFFu, &m); /* a response type is no request */
	assert_int_equal(m.result, PARSING_ERR);
	/* HWS requests under OS scheduling are refused (sim_hws.c). */
	request(h, 0, 0x1114, NULL, 0, 0x2215, &m); /* CREATE_CMD_QUEUE: HWS only */
	assert_int_equal(m.result, PROCESSING_ERR);
	request(h, 0, 0x1117, NULL, 0, 0x2202, &m); /* HWS_REGISTER_DB -> REGISTER_DB_DONE */
	assert_int_equal(m.result, PROCESSING_ERR);
}

static void test_power_trace_dyndbg(void **state)
{
	struct host *h = *state;
	uint8_t trace[24] = { 0 };
	struct msg m;

	request(h, 0, 0x1105, NULL, 0, 0x2205, &m);
	assert_int_equal(m.result, 0);
	assert_int_equal(get32(m.p), 4);
	request(h, 0, 0x1107, &(uint32_t){ 2 }, 4, 0x2207, &m);
	assert_int_equal(m.result, 0);
	request(h, 0, 0x1106, NULL, 0, 0x2206, &m);
	assert_int_equal(get32(m.p), 2);
	request(h, 0, 0x1107, &(uint32_t){ 4 }, 4, 0x2207, &m);
	assert_int_equal(m.result, PROCESSING_ERR);

	put32(trace, 3);
	put32(trace + 4, 2);
	put64(trace + 8, 0xF0);
	request(h, 0, 0x110A, trace, sizeof(trace), 0x220A, &m);
	assert_int_equal(m.result, 0);
	request(h, 0, 0x110B, NULL, 0, 0x220B, &m);
	assert_int_equal(get32(m.p), 3);
	assert_int_equal(get64(m.p + 8), 0xF0);
	request(h, 0, 0x110C, NULL, 0, 0x220C, &m);
	assert_int_equal(m.result, 0);
	request(h, 10, 0x1201, "log_level=debug", 16, 0x2301, &m);
	assert_int_equal(m.channel, 10);
	assert_int_equal(m.result, 0);
}

/*
 * DCT_ENABLE / DCT_DISABLE as Linux sends them (ivpu_pm.c: ivpu_pm_dct_enable splits
 * the 35300 us period by the active percent, ivpu_jsm_msg.c: ivpu_jsm_dct_enable and
 * ivpu_jsm_dct_disable, the latter with no payload). 100 % (debugfs dct, Linux 6.12
 * and current) is active 35300 us, inactive 0: a cycle that never idles, answered as
 * any other. An active time of 0 is no cycle: neither Linux sends it.
 */
static void test_dct_messages(void **state)
{
	struct host *h = *state;
	uint8_t dct[8];
	struct msg m;

	put32(dct, 17650); /* 50 % */
	put32(dct + 4, 17650);
	request(h, 0, 0x111c, dct, sizeof(dct), 0x221d, &m);
	assert_int_equal(m.result, 0);
	put32(dct, 35300); /* 100 % */
	put32(dct + 4, 0);
	request(h, 0, 0x111c, dct, sizeof(dct), 0x221d, &m);
	assert_int_equal(m.result, 0);
	request(h, 0, 0x111d, NULL, 0, 0x221e, &m);
	assert_int_equal(m.result, 0);
	put32(dct, 0);
	put32(dct + 4, 35300);
	request(h, 0, 0x111c, dct, sizeof(dct), 0x221d, &m);
	assert_int_equal(m.result, PARSING_ERR);
}

/*
 * D0I3 entry without send_response gets no reply; the next request's does.
 * STATE_DUMP is answered with STATE_DUMP_RSP (Linux 7.x ivpu_jsm_state_dump waits for it).
 */
static void test_no_reply_requests(void **state)
{
	struct host *h = *state;
	uint32_t engine = 0, id;
	struct msg m;

	request(h, 0, 0x11FF, NULL, 0, 0x22FF, &m);
	assert_int_equal(m.result, 0);
	host_ipc_send(&h->ipc, 10, 0x1202, &(uint32_t){ 0 }, 4);
	id = host_ipc_send(&h->ipc, 0, 0x1104, &engine, 4);
	assert_true(next_msg(h, &m, WAIT_MS));
	assert_int_equal(m.request_id, id);
	assert_int_equal(m.type, 0x2204);

	request(h, 10, 0x1202, &(uint32_t){ 1 }, 4, 0x2302, &m);
	assert_int_equal(m.channel, 10);
	assert_int_equal(m.result, 0);
}

/* Each malformed request is dropped without a reply; the firmware keeps serving. */
static void test_malformed_dropped(void **state)
{
	struct host *h = *state;
	uint64_t dropped, errors;
	uint8_t *slot[6];
	uint32_t va[6];
	struct msg m;

	lock(h);
	dropped = h->s->fw.messages_dropped;
	errors = h->s->guest_errors;
	unlock(h);
	for (int i = 0; i < 6; i++)
		va[i] = host_ipc_fill(&h->ipc, 0, 0x1104, NULL, 0, &slot[i]);
	put32(slot[0] + 4, 64);		/* data_size */
	put32(slot[1], va[1] + 64 + 4); /* data_addr misaligned */
	slot[2][11] = 0;		/* dst_node: the host */
	slot[3][12] = 0;		/* header status FREE */
	put32(slot[4] + 64 + 12, 0);	/* JSM status FREE */
	slot[5][8] = 11;		/* channel: JOB_RET */
	for (int i = 0; i < 6; i++)
		host_ipc_push(&h->ipc, va[i]);
	host_ipc_push(&h->ipc, va[0] + 4); /* a header address not 64-byte aligned */
	assert_false(next_msg(h, &m, QUIET_MS));
	lock(h);
	assert_int_equal(h->s->fw.messages_dropped - dropped, 7);
	assert_true(h->s->guest_errors - errors >= 7);
	unlock(h);
	assert_int_equal(slot[0][12], 0); /* an ALLOCATED header dropped is still released */
	assert_true(heartbeat(h) > 0);
}

/* No free RX slot: the firmware waits for the host to release one, it never overwrites. */
static void test_rx_backpressure(void **state)
{
	struct host *h = *state;
	uint64_t rx = h->d.ipc_rx.va;
	uint8_t *base = h->d.ipc_rx.dma.cpu;
	uint32_t first = h->ipc.req_id + 1, va[70];
	unsigned got = 0;
	struct msg m;

	for (int i = 0; i < 70; i++)
		host_ipc_send(&h->ipc, 0, 0x1104, &(uint32_t){ 0 }, 4);
	/* 8 KiB of 128-byte payload slots: 64 replies, then the firmware must wait. */
	while (got < 70 && host_ipc_pop(&h->ipc, &va[got], QUIET_MS))
		got++;
	assert_int_equal(got, 64);
	for (unsigned i = 0; i < got; i++) {
		uint8_t *hdr = base + (va[i] - rx);

		assert_int_equal(get32(base + (get32(hdr) - rx) + 16), first + i);
		host_ipc_release(&h->ipc, hdr, base + (get32(hdr) - rx));
	}
	for (unsigned i = 64; i < 70; i++) {
		assert_true(next_msg(h, &m, WAIT_MS));
		assert_int_equal(m.request_id, first + i);
	}
	lock(h);
	assert_true(h->s->fw.rx_full > 0);
	unlock(h);
}

/* A firmware restart forgets its registrations and restarts its heartbeat. */
static void test_restart_forgets(void **state)
{
	struct host *h = *state;

	assert_int_equal(register_db(h, 9, 0x100000, 4096, 2), 0);
	assert_true(heartbeat(h) >= 1);
	assert_int_equal(drv_device_power_down(&h->d), 0);
	assert_false(registered(h, 9));
	assert_int_equal(drv_device_boot(&h->d), 0);
	h->ipc.tx_next = 0;
	assert_false(registered(h, 9));
	assert_true(heartbeat(h) <= 2);
}

/* ipc-garbage: every kind of garbage shows up, and every real reply is still right. */
static void test_ipc_garbage(void **state)
{
	struct host *h = *state;
	struct msg m;

	for (int i = 0; i < 40; i++) {
		uint32_t p = (uint32_t)i % 4;

		request(h, 0, 0x1107, &p, 4, 0x2207, &m);
		assert_int_equal(m.result, 0);
		request(h, 0, 0x1106, NULL, 0, 0x2206, &m);
		assert_int_equal(get32(m.p), p);
	}
	/* Drain what followed the last reply. */
	while (next_msg(h, &m, QUIET_MS)) {
		h->stray++;
		h->stray_ch11 += m.channel == 11;
	}
	for (int k = 0; k < BAD_KINDS; k++)
		assert_true(h->bad[k] > 0);
	assert_true(h->stray >= 3);	 /* stray request id, unknown type, stray JOB_DONE */
	assert_true(h->stray_ch11 >= 2); /* the last two on channel 11 with request id 0 */
}

static void test_fault_names(void **state)
{
	enum npu_sim_fault f;

	(void)state;
	assert_int_equal(npu_sim_fault_parse("hang-job", &f), 0);
	assert_int_equal(f, NPU_SIM_FAULT_HANG_JOB);
	assert_int_equal(npu_sim_fault_parse("ipc-garbage", &f), 0);
	assert_int_equal(f, NPU_SIM_FAULT_IPC_GARBAGE);
	assert_string_equal(npu_sim_fault_name(NPU_SIM_FAULT_HANG_JOB), "hang-job");
	assert_string_equal(npu_sim_fault_name(NPU_SIM_FAULT_IPC_GARBAGE), "ipc-garbage");
}

#define BOTH(fn)                                                             \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &h40)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_register_db),
		BOTH(test_heartbeat_and_engine),
		BOTH(test_unknown_and_unimplemented),
		BOTH(test_power_trace_dyndbg),
		BOTH(test_dct_messages),
		BOTH(test_no_reply_requests),
		BOTH(test_malformed_dropped),
		BOTH(test_rx_backpressure),
		BOTH(test_restart_forgets),
		cmocka_unit_test_prestate_setup_teardown(test_ipc_garbage, setup, teardown,
							 &hgarbage),
		cmocka_unit_test(test_fault_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
