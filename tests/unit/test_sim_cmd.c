/* SPDX-License-Identifier: MIT */
/*
 * The device model's command-buffer engine, on 37xx and 40xx (setup in
 * sim_cmd_env.h): the walk, malformed headers and commands, TIMESTAMP, fence
 * waits that block and resume, faults, the largest batch. MEMORY_FILL and
 * COPY are in test_sim_cmd_mem.c.
 */
#include "sim_cmd_env.h"

static void test_walk(void **state)
{
	struct env *e = *state;
	struct sim_cmd_state st;

	begin(e, VA_DATA, 0x1234);
	assert_int_equal(run_at(e, VA_BATCH, &st), ST_OK);
	assert_true(st.started);
	assert_int_equal(st.end, 48);
	assert_int_equal(st.offset, 48);
	assert_int_equal(st.fence_base, VA_DATA);
	assert_int_equal(st.desc_base, 0x1234);
	assert_int_equal(st.commands, 0);

	/* NOP of 8 and of 64 (padding), BARRIER. */
	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	cmd(e, C_NOP, 64);
	cmd(e, C_BARRIER, 8);
	assert_int_equal(run_at(e, VA_BATCH, &st), ST_OK);
	assert_int_equal(st.commands, 3);
	assert_int_equal(st.offset, 48 + 80);
	assert_int_equal(faults(e), 0);
}

/*
 * NOP is a command from job-command API 4.10 on: the firmware Debian installs (4.9)
 * fails a batch holding one with PARSING_ERR, as any type it does not know, and runs
 * BARRIER (docs/firmware-protocol.md §4.2).
 */
static void test_nop_by_api(void **state)
{
	struct env *e = *state;
	struct sim_cmd_state st;

	e->s->rom.api_job_cmd = NPU_JOB_CMD_API_VER(4, 9);
	begin(e, 0, 0);
	cmd(e, C_BARRIER, 8);
	cmd(e, C_NOP, 8);
	assert_int_equal(run_at(e, VA_BATCH, &st), ST_PARSE);
	assert_int_equal(st.commands, 1); /* the BARRIER ran, the NOP did not */
	assert_int_equal(st.offset, 48 + 8);
	begin(e, 0, 0);
	cmd(e, C_BARRIER, 8);
	assert_int_equal(run_batch(e), ST_OK);
	e->s->rom.api_job_cmd = NPU_JOB_CMD_API_VER(4, 10);
	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	assert_int_equal(run_batch(e), ST_OK);
	e->s->rom.api_job_cmd = NPU_JOB_CMD_API_VERSION;
}

static void test_bad_header(void **state)
{
	struct env *e = *state;
	struct sim_cmd_state st;

	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	npu_put_le32(e->batch + 4, 40); /* cmd_offset inside the header */
	assert_int_equal(run_at(e, VA_BATCH, &st), ST_PARSE);
	assert_false(st.started);
	npu_put_le32(e->batch + 4, 60); /* past cmd_buffer_size 56 */
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le32(e->batch + 4, 50); /* not 4-byte aligned */
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le32(e->batch + 4, 56); /* == size: nothing to run */
	assert_int_equal(run_batch(e), ST_OK);
	npu_put_le32(e->batch + 4, 48);
	npu_put_le32(e->batch, SIM_CMD_BUFFER_SIZE_MAX + 4); /* above the cap */
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le32(e->batch, 56);
	npu_put_le64(e->batch + 40, 0); /* no context save area */
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le64(e->batch + 40, CSA + 8); /* misaligned one */
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le64(e->batch + 40, CSA);
	assert_int_equal(run_batch(e), ST_OK);

	/* The header must be 64-B aligned; 37xx reads batches only below 4 GiB. */
	memcpy(batch_at(e, VA_BATCH + 0x1020), e->batch, 56);
	assert_int_equal(run_at(e, VA_BATCH + 0x1020, &st), ST_PARSE);
	assert_int_equal(run_at(e, 0x100000000ull, &st), e->g37 ? ST_PARSE : ST_CTX_VIOL);
	assert_int_equal(faults(e), e->g37 ? 0 : 1);
}

static void test_bad_commands(void **state)
{
	static const uint16_t rejected[] = { 0x0000, 0x0200, 0x0201, 0x0203, 0x0300, 0x0301,
					     0x0303, 0x0304, 0x0305, 0x0307, 0x0999, 0xFFFF };
	/* type, size: sizes that do not fit the type, the header or the buffer. */
	static const uint16_t bad_size[][2] = { { C_NOP, 0 },	{ C_NOP, 4 },	{ C_NOP, 6 },
						{ C_NOP, 36 },	{ C_TS, 24 },	{ C_BARRIER, 16 },
						{ C_WAIT, 16 }, { C_COPY, 32 }, { C_INFER, 24 },
						{ C_FILL, 28 } };
	struct env *e = *state;
	struct sim_cmd_state st;

	for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
		begin(e, 0, 0);
		cmd(e, rejected[i], 8);
		assert_int_equal(run_batch(e), ST_PARSE);
	}
	for (size_t i = 0; i < sizeof(bad_size) / sizeof(bad_size[0]); i++) {
		begin(e, 0, 0);
		cmd(e, bad_size[i][0], 32);
		npu_put_le16(e->batch + 48 + 2, bad_size[i][1]); /* { C_NOP, 36 }: past the end */
		assert_int_equal(run_batch(e), ST_PARSE);
	}
	/* A header cut by cmd_buffer_size. */
	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	npu_put_le32(e->batch, 48 + 8 + 2);
	assert_int_equal(run_batch(e), ST_PARSE);

	/* What ran before the bad command stays done; the job stops at it. */
	begin(e, 0, 0);
	cmd_fence(e, C_SIGNAL, VA_DATA + 0x40, 0x77);
	cmd(e, 0x0304, 16);
	cmd_fence(e, C_SIGNAL, VA_DATA + 0x80, 0x88);
	assert_int_equal(run_at(e, VA_BATCH, &st), ST_PARSE);
	assert_int_equal(st.offset, 48 + 24);
	assert_int_equal(st.commands, 1);
	assert_int_equal(npu_le64(e->data + 0x40), 0x77);
	assert_int_equal(npu_le64(e->data + 0x80), 0);

	/* An inference without its descriptor (width 0): refused (docs/model-format.md §7). */
	begin(e, 0, 0);
	cmd(e, C_INFER, 32);
	assert_int_equal(run_batch(e), ST_PARSE);
	/* No metric counters in the model. */
	begin(e, 0, 0);
	cmd_ts(e, C_MQ_BEGIN, 1, VA_DATA + 0x100);
	assert_int_equal(run_batch(e), ST_NOT_IMPL);
	begin(e, 0, 0);
	cmd_ts(e, C_MQ_END, 1, VA_DATA + 0x108);
	assert_int_equal(run_batch(e), ST_PARSE);
	assert_int_equal(faults(e), 0);
}

static uint64_t locked_perf(struct env *e)
{
	uint64_t v;

	pthread_mutex_lock(&e->s->lock);
	v = sim_ip_perf_ticks(e->s);
	pthread_mutex_unlock(&e->s->lock);
	return v;
}

static void test_timestamp(void **state)
{
	struct env *e = *state;
	uint64_t t0, t1, us0, us1;

	begin(e, 0, 0);
	cmd_ts(e, C_TS, 0, VA_DATA + 0x40);
	cmd_ts(e, C_TS, 1, VA_DATA + 0x80);
	cmd_ts(e, C_TS, 2, VA_DATA + 0xC0);
	t0 = locked_perf(e);
	us0 = sim_now_ns() / 1000;
	assert_int_equal(run_batch(e), ST_OK);
	us1 = sim_now_ns() / 1000;
	t1 = locked_perf(e);
	assert_in_range(npu_le64(e->data + 0x40), t0, t1);
	assert_in_range(npu_le64(e->data + 0x80), us0, us1);
	assert_int_equal(npu_le64(e->data + 0xC0), e->s->created_ns / 1000);

	/* Alignment: 37xx 64 B, 40xx 8 B. */
	begin(e, 0, 0);
	cmd_ts(e, C_TS, 0, VA_DATA + 0x108);
	assert_int_equal(run_batch(e), e->g37 ? ST_PARSE : ST_OK);
	assert_true(e->g37 ? npu_le64(e->data + 0x108) == 0 : npu_le64(e->data + 0x108) >= t1);
	begin(e, 0, 0);
	cmd_ts(e, C_TS, 0, VA_DATA + 0x144);
	assert_int_equal(run_batch(e), ST_PARSE);
	begin(e, 0, 0);
	cmd_ts(e, C_TS, 3, VA_DATA + 0x180); /* no such type */
	assert_int_equal(run_batch(e), ST_PARSE);
	begin(e, 0, 0);
	cmd_ts(e, C_TS, 0, VA_RO);
	assert_int_equal(run_batch(e), ST_CTX_VIOL);
	expect_event(e, 0, 0x13, VA_RO);
}

static void test_fence(void **state)
{
	struct env *e = *state;
	struct sim_cmd_state st;
	uint32_t status = 0xFFFF;
	uint64_t v;

	/* Fence heap base + offset. */
	begin(e, VA_DATA, 0);
	cmd_fence(e, C_SIGNAL, 0x40, 7);
	assert_int_equal(run_batch(e), ST_OK);
	assert_int_equal(npu_le64(e->data + 0x40), 7);

	/* The wait blocks at itself until the fence reaches the value, then the job goes on. */
	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	cmd_fence(e, C_WAIT, VA_DATA + 0x100, 2);
	cmd_fence(e, C_SIGNAL, VA_DATA + 0x140, 9);
	sim_cmd_init(&st, VA_BATCH);
	assert_int_equal(run(e, &st, &status), SIM_CMD_BLOCKED);
	assert_int_equal(st.offset, 56);
	assert_int_equal(st.commands, 1);
	assert_int_equal(run(e, &st, &status), SIM_CMD_BLOCKED);
	v = 1; /* the host writes the fence as the CPU would (§4.4) */
	dev_rw(e, VA_DATA + 0x100, &v, 8, true);
	assert_int_equal(run(e, &st, &status), SIM_CMD_BLOCKED);
	assert_int_equal(npu_le64(e->data + 0x140), 0);
	v = 2;
	dev_rw(e, VA_DATA + 0x100, &v, 8, true);
	assert_int_equal(run(e, &st, &status), SIM_CMD_DONE);
	assert_int_equal(status, ST_OK);
	assert_int_equal(st.commands, 3);
	assert_int_equal(npu_le64(e->data + 0x140), 9);
	/* Greater than the value also satisfies the wait. */
	npu_put_le64(e->data + 0x100, 5);
	assert_int_equal(run_batch(e), ST_OK);

	/* 37xx fences are 64-B aligned, 40xx 8-B; a wrapping address is malformed. */
	begin(e, 0, 0);
	cmd_fence(e, C_SIGNAL, VA_DATA + 0x188, 4);
	assert_int_equal(run_batch(e), e->g37 ? ST_PARSE : ST_OK);
	assert_int_equal(npu_le64(e->data + 0x188), e->g37 ? 0 : 4);
	begin(e, 0, 0);
	cmd_fence(e, C_WAIT, VA_DATA + 0x1C4, 0);
	assert_int_equal(run_batch(e), ST_PARSE);
	begin(e, ~0ull - 63, 0);
	cmd_fence(e, C_SIGNAL, 0x100, 4);
	assert_int_equal(run_batch(e), ST_PARSE);
	begin(e, 0, 0);
	cmd_fence(e, C_WAIT, VA_UNMAPPED, 1);
	assert_int_equal(run_batch(e), ST_CTX_VIOL);
	expect_event(e, 0, 0x10, VA_UNMAPPED);
}

static void test_faults(void **state)
{
	struct env *e = *state;
	struct sim_cmd_state st;
	uint8_t hdr[64];

	/* The batch itself unmapped: 0xE, an event for SSID 2, the job never started. */
	assert_int_equal(run_at(e, VA_UNMAPPED, &st), ST_CTX_VIOL);
	assert_false(st.started);
	expect_event(e, 0, 0x10, VA_UNMAPPED);
	/* A fault in a command: stops at it. */
	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	cmd_fence(e, C_SIGNAL, VA_UNMAPPED + 0x40, 1);
	assert_int_equal(run_at(e, VA_BATCH, &st), ST_CTX_VIOL);
	assert_int_equal(st.offset, 56);
	assert_int_equal(st.commands, 1);
	expect_event(e, 1, 0x10, VA_UNMAPPED + 0x40);
	/* A command across the end of the mapped batch: the fetch of its second half faults. */
	begin(e, 0, 0);
	cmd(e, C_NOP, 8);
	cmd_fence(e, C_SIGNAL, VA_DATA, 1); /* +0x38: its header mapped, its payload not */
	memcpy(hdr, e->batch, sizeof(hdr));
	memcpy(batch_at(e, VA_BATCH + SMALL - 0x40), hdr, sizeof(hdr));
	assert_int_equal(run_at(e, VA_BATCH + SMALL - 0x40, &st), ST_CTX_VIOL);
	assert_int_equal(st.offset, 0x38);
	expect_event(e, 2, 0x10, VA_BATCH + SMALL);
	assert_int_equal(faults(e), 3);
}

/* A batch of SIM_CMD_BUFFER_SIZE_MAX bytes of NOPs runs; one more word does not. */
static void test_large_batch(void **state)
{
	struct env *e = *state;
	const uint32_t size = SIM_CMD_BUFFER_SIZE_MAX;
	uint8_t *b = calloc(1, size);
	struct sim_cmd_state st;

	assert_non_null(b);
	npu_put_le32(b, size);
	npu_put_le32(b + 4, 48);
	npu_put_le64(b + 40, CSA);
	for (uint32_t off = 48; off < size; off += 8) {
		npu_put_le16(b + off, C_NOP);
		npu_put_le16(b + off + 2, 8);
	}
	dev_rw(e, VA_SRC, b, size, true);
	assert_int_equal(run_at(e, VA_SRC, &st), ST_OK);
	assert_int_equal(st.commands, (size - 48) / 8);
	npu_put_le32(b, size + 8);
	dev_rw(e, VA_SRC, b, 8, true);
	assert_int_equal(run_at(e, VA_SRC, &st), ST_PARSE);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_walk),	 BOTH(test_nop_by_api),	 BOTH(test_bad_header),
		BOTH(test_bad_commands), BOTH(test_timestamp),	 BOTH(test_fence),
		BOTH(test_faults),	 BOTH(test_large_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
