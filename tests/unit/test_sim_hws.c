/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's hardware scheduler (src/sim/sim_hws.c), message by message:
 * band setup, command queues, doorbells, scheduling properties, the scheduling log,
 * suspend and resume and the engine's reset and resume, each with the firmware's answers
 * and errors (fixture: sim_hws_test_util.h).
 */
#include "sim_hws_test_util.h"

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

static void test_scheduling_log(void **state)
{
	struct host *h = *state;
	uint8_t p[32] = { 0 }, c[24], *log = (uint8_t *)h->bo.cpu + LOG_OFF;
	uint32_t first, ops = 0;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_band_setup),
		BOTH(test_queue_messages),
		BOTH(test_queue_survives_warm_boot),
		BOTH(test_job_done_cmdq),
		BOTH(test_suspend_resume),
		BOTH(test_scheduling_log),
		BOTH(test_engine_reset_resume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
