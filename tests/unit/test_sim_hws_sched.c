/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's hardware scheduler (src/sim/sim_hws.c): the order bands get the
 * engine in, preemption at command boundaries into the preemption buffer and the resumption
 * where a job stopped, and the quanta (fixture: sim_hws_test_util.h).
 */
#include "sim_hws_test_util.h"

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

/*
 * Rings doorbell `db` once the firmware runs doorbell 1's job (the first
 * rung), while the test holds the model's lock and has seen that job
 * mid-way: it cannot have ended. A doorbell write takes no lock while the
 * firmware is awake (sim_fw_ring).
 */
static void ring_mid_job(struct host *h, uint32_t db)
{
	bool started = false;

	for (unsigned t = 0; t < 40000 && !started; t++) {
		lock(h);
		started = h->s->fw.queues[1].running && h->s->fw.queues[1].cmd.commands > 0;
		if (started)
			ring(h, db);
		unlock(h);
		if (!started)
			sleep_us(50);
	}
	assert_true(started);
}

static void test_preempt_long_job(void **state)
{
	struct host *h = *state;
	static uint8_t c[1600 * 32];
	uint8_t r[24];
	uint32_t n = 0, st;
	uint64_t cq;

	queue_up(h, 0, 1);
	queue_up(h, 1, 3);
	for (unsigned i = 0; i < 1600; i++)
		n += fill_cmd(c + n, BO_VA + FILL_OFF, LONG_FILL, i);
	enqueue(h, 0, batch(h, 0, c, n), 0x600, true);
	fence_cmd(r, 0x0102, BO_VA + FENCE_OFF, 4);
	enqueue(h, 1, batch(h, 1, r, 24), 0x601, true);
	ring(h, 1);
	ring_mid_job(h, 2); /* the realtime doorbell */
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

static void test_quantum(void **state)
{
	struct host *h = *state;
	static uint8_t a[1600 * 32], b[1600 * 32];
	uint32_t n = 0, st, first, second;
	uint64_t cq;

	queue_up(h, 0, 1);
	queue_up(h, 1, 1);
	for (unsigned i = 0; i < 1600; i++) {
		fill_cmd(a + n, BO_VA + FILL_OFF, LONG_FILL, i);
		n += fill_cmd(b + n, BO_VA + FILL_OFF + LONG_FILL, LONG_FILL, 5000u + i);
	}
	enqueue(h, 0, batch(h, 0, a, n), 0xA00, true);
	enqueue(h, 1, batch(h, 1, b, n), 0xA01, true);
	ring(h, 1);
	ring_mid_job(h, 2);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_band_order),
		BOTH(test_preempt_and_resume),
		BOTH(test_preempt_long_job),
		BOTH(test_quantum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
