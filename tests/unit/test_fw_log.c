/* SPDX-License-Identifier: MIT */
/*
 * The firmware log reader (driver/fw_log.h) on hand-built buffers, laid out
 * from docs/firmware-protocol.md §7 with the offsets typed here (not hw/fw_log.h): empty,
 * records, wrapped, cursors and consume, sanitising, and every header check.
 * Then the log the device model writes, after a real boot of the simulated
 * NPU, on both generations: boot, READY, a JSM request, a state dump and an
 * MMU fault.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/fw_log.h"
#include "driver/jsm.h"
#include "hw/boot_params.h"
#include "jobs_test_util.h"
#include "platform/backends.h"
#include "sim/sim_test.h"

/* docs/firmware-protocol.md §7, typed from the table. */
enum {
	H_READ_INDEX = 0x04,
	H_READ_WRAP = 0x08,
	H_CANARY = 0x40,
	H_WRITE_INDEX = 0x44,
	H_WRAP_COUNT = 0x48,
	H_SIZE = 0x50,
	H_HEADER_VERSION = 0x54,
	H_HEADER_SIZE = 0x56,
	H_FORMAT = 0x58,
	H_NAME = 0x60,
	HDR = 128,
};

#define BUF_SIZE 4096u

static uint8_t buf[BUF_SIZE];

static void put16(size_t off, uint16_t v)
{
	buf[off] = (uint8_t)v;
	buf[off + 1] = (uint8_t)(v >> 8);
}

static void put32(size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(size_t off)
{
	return buf[off] | buf[off + 1] << 8 | buf[off + 2] << 16 | (uint32_t)buf[off + 3] << 24;
}

/* A sub-buffer header at off: firmware half, host half zero. */
static void header(size_t off, uint32_t size, uint16_t hsize, uint32_t w, uint32_t wc)
{
	memset(buf + off, 0, HDR);
	put32(off + H_CANARY, 0xCAFECAFEu);
	put32(off + H_WRITE_INDEX, w);
	put32(off + H_WRAP_COUNT, wc);
	put32(off + H_SIZE, size);
	put16(off + H_HEADER_VERSION, 1);
	put16(off + H_HEADER_SIZE, hsize);
	put32(off + H_FORMAT, 0);
	memcpy(buf + off + H_NAME, "LRT", 3);
}

/* Message-area bytes at index i of the sub-buffer at 0 with a 128-byte header. */
static void msg(uint32_t i, const void *bytes, size_t n)
{
	memcpy(buf + HDR + i, bytes, n);
}

struct got {
	char line[16][NPU_FW_LOG_LINE_MAX];
	int n;
};

static void take(void *ctx, const char *line)
{
	struct got *g = ctx;

	assert_true(g->n < 16);
	snprintf(g->line[g->n++], NPU_FW_LOG_LINE_MAX, "%s", line);
}

static int parse(unsigned flags, const struct npu_fw_log_pos *from, struct got *g,
		 struct npu_fw_log_info *info)
{
	memset(g, 0, sizeof(*g));
	return drv_fw_log_parse(buf, BUF_SIZE, 0, flags, from, take, g, info);
}

static void test_empty(void **state)
{
	struct npu_fw_log_info info;
	struct got g;

	(void)state;
	header(0, BUF_SIZE, HDR, 0, 0);
	assert_int_equal(parse(0, NULL, &g, &info), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(info.records, 0);
	assert_string_equal(info.name, "LRT");
	assert_int_equal(info.size, BUF_SIZE);
	assert_false(info.overrun);
	assert_int_equal(parse(NPU_FW_LOG_UNREAD, NULL, &g, &info), 0);
	assert_int_equal(g.n, 0);
}

static void test_records_and_consume(void **state)
{
	struct npu_fw_log_info info;
	struct got g;

	(void)state;
	header(0, BUF_SIZE, HDR, 14, 0);
	msg(0, "one\0two\0three", 14);
	assert_int_equal(parse(0, NULL, &g, &info), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.line[0], "one");
	assert_string_equal(g.line[1], "two");
	assert_string_equal(g.line[2], "three");
	assert_int_equal(info.end.index, 14);
	assert_int_equal(get32(H_READ_INDEX), 0); /* not consumed */

	/* Consume: read_index := write_index; nothing unread afterwards. */
	assert_int_equal(parse(NPU_FW_LOG_UNREAD | NPU_FW_LOG_CONSUME, NULL, &g, &info), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(get32(H_READ_INDEX), 14);
	assert_int_equal(get32(H_READ_WRAP), 0);
	assert_int_equal(parse(NPU_FW_LOG_UNREAD, NULL, &g, &info), 0);
	assert_int_equal(g.n, 0);

	/* One more record: only it is unread; a cursor from before sees the same. */
	msg(14, "four", 5);
	put32(H_WRITE_INDEX, 19);
	assert_int_equal(parse(NPU_FW_LOG_UNREAD, NULL, &g, &info), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "four");
	assert_int_equal(parse(0, &(struct npu_fw_log_pos){ 8, 0 }, &g, &info), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[0], "three");
	/* The whole log is still there for a reader that wants it. */
	assert_int_equal(parse(0, NULL, &g, &info), 0);
	assert_int_equal(g.n, 4);
}

/*
 * A 24-byte ring: AAAA BBBB CCCC DDDD (5 bytes each), then EEEE cut by the
 * end: "EEEE" at 20..23, its NUL at 0 over the first A. write 1, wrap 1.
 */
static void wrapped(void)
{
	header(0, HDR + 24, HDR, 1, 1);
	msg(0, "\0AAA\0BBBB\0CCCC\0DDDD\0EEEE", 24);
}

static void test_wrapped(void **state)
{
	struct npu_fw_log_info info;
	struct got g;

	(void)state;
	wrapped();
	/* Everything: from the oldest byte, whose record is a remnant ("AAA"), skipped. */
	assert_int_equal(parse(0, NULL, &g, &info), 0);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.line[0], "BBBB");
	assert_string_equal(g.line[3], "EEEE"); /* joined across the end */
	assert_false(info.overrun);

	/* From the host's read_index on the last lap: write <= read wraps once. */
	put32(H_READ_INDEX, 15);
	assert_int_equal(parse(NPU_FW_LOG_UNREAD | NPU_FW_LOG_CONSUME, NULL, &g, &info), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[0], "DDDD");
	assert_string_equal(g.line[1], "EEEE");
	assert_int_equal(get32(H_READ_INDEX), 1);
	assert_int_equal(get32(H_READ_WRAP), 1);
	assert_int_equal(parse(NPU_FW_LOG_UNREAD, NULL, &g, &info), 0);
	assert_int_equal(g.n, 0);

	/* A cursor the writer has lapped: overrun, from the oldest record. */
	assert_int_equal(parse(0, &(struct npu_fw_log_pos){ 0, 0 }, &g, &info), 0);
	assert_true(info.overrun);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.line[0], "BBBB");
	/* One from the future, too. */
	assert_int_equal(parse(0, &(struct npu_fw_log_pos){ 5, 7 }, &g, &info), 0);
	assert_true(info.overrun);
}

static void test_no_nul_at_end(void **state)
{
	struct got g;

	(void)state;
	/* What was written ends without its NUL: delivered as it stands. */
	header(0, BUF_SIZE, HDR, 6, 0);
	msg(0, "one\0tw", 6);
	assert_int_equal(parse(0, NULL, &g, NULL), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[1], "tw");

	/* The whole message area full of text, no NUL anywhere, lapped: bounded lines. */
	header(0, HDR + 600, HDR, 0, 1);
	memset(buf + HDR, 'x', 600);
	assert_int_equal(parse(0, NULL, &g, NULL), 0);
	assert_int_equal(g.n, 3); /* 255 + 255 + 90 */
	assert_int_equal(strlen(g.line[0]), NPU_FW_LOG_LINE_MAX - 1);
	assert_int_equal(strlen(g.line[2]), 600 - 2 * (NPU_FW_LOG_LINE_MAX - 1));
}

static void test_sanitise(void **state)
{
	static const char raw[] = "\x1b[1;31mred\x1b[0m\tx\x01\xff\r\nnext\n\n\0\0\0last";
	struct npu_fw_log_info info;
	struct got g;

	(void)state;
	header(0, BUF_SIZE, HDR, sizeof(raw) - 1, 0);
	msg(0, raw, sizeof(raw) - 1);
	memcpy(buf + H_NAME, "L\x07T\x1b", 4);
	assert_int_equal(parse(0, NULL, &g, &info), 0);
	assert_string_equal(info.name, "L?T?");
	assert_int_equal(g.n, 3); /* empty records (newlines, NUL padding) are skipped */
	assert_string_equal(g.line[0], "red x??");
	assert_string_equal(g.line[1], "next");
	assert_string_equal(g.line[2], "last");
}

static void expect_bad(int want, const char *why_part)
{
	struct npu_fw_log_info info;
	struct got g;

	assert_int_equal(parse(0, NULL, &g, &info), want);
	assert_int_equal(g.n, 0);
	if (!strstr(info.why, why_part))
		fail_msg("reason '%s' lacks '%s'", info.why, why_part);
}

static void test_bad_headers(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	expect_bad(-EBADMSG, "canary 0x00000000");
	header(0, BUF_SIZE, HDR, 0, 0);
	put32(H_CANARY, 0xCAFECAFFu);
	expect_bad(-EBADMSG, "canary 0xcafecaff");

	header(0, BUF_SIZE, 64, 0, 0);
	expect_bad(-EBADMSG, "header_size 64");
	header(0, BUF_SIZE, 2048, 0, 0);
	expect_bad(-EBADMSG, "header_size 2048");
	header(0, BUF_SIZE + 1, HDR, 0, 0);
	expect_bad(-EBADMSG, "past the end");
	header(0, HDR, HDR, 0, 0);
	expect_bad(-EBADMSG, "no message area");

	header(0, HDR + 64, HDR, 64, 0);
	expect_bad(-EBADMSG, "write_index 0x40");
	header(0, HDR + 64, HDR, 0xFFFFFFFFu, 0);
	expect_bad(-EBADMSG, "write_index 0xffffffff");
	header(0, HDR + 64, HDR, 0, 0);
	put32(H_READ_INDEX, 100);
	expect_bad(-EBADMSG, "read_index 0x64");

	header(0, BUF_SIZE, HDR, 0, 0);
	put32(H_FORMAT, 2);
	expect_bad(-EOPNOTSUPP, "format 2");
	/* Too small to hold a header at all. */
	assert_int_equal(drv_fw_log_parse(buf, 100, 0, 0, NULL, take, NULL, NULL), -EBADMSG);
}

static void test_sub_buffers(void **state)
{
	struct npu_fw_log_info info;
	struct got g = { 0 };

	(void)state;
	memset(buf, 0, sizeof(buf));
	header(0, 1024, HDR, 4, 0);
	msg(0, "one", 4);
	header(1024, 2048, 256, 4, 0);
	memcpy(buf + 1024 + H_NAME, "LNN", 3);
	memcpy(buf + 1024 + 256, "two", 4);
	assert_int_equal(drv_fw_log_parse(buf, BUF_SIZE, 1024, 0, NULL, take, &g, &info), 0);
	assert_string_equal(info.name, "LNN");
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "two");
	/* After the last one: no canary, or no room for a header, is the end of the list. */
	assert_int_equal(drv_fw_log_parse(buf, BUF_SIZE, 3072, 0, NULL, take, &g, &info), -ENOENT);
	assert_int_equal(drv_fw_log_parse(buf, BUF_SIZE, 4000, 0, NULL, take, &g, &info), -ENOENT);
	/* A sub-buffer running past the buffer's end is broken, not the end. */
	header(1024, 4096, HDR, 0, 0);
	assert_int_equal(drv_fw_log_parse(buf, BUF_SIZE, 1024, 0, NULL, take, &g, &info), -EBADMSG);
}

/* ---- the model's log after a real boot ---- */

struct seen {
	int first, last, n, bad;
};

/* "[    0.000123] I record 042--": counts them, checks the order. */
static void count_records(void *ctx, const char *line)
{
	struct seen *seen = ctx;
	const char *r = strstr(line, "] I record ");
	int i;

	if (!r || sscanf(r, "] I record %d", &i) != 1 || (seen->n && i != seen->last + 1)) {
		seen->bad++;
		return;
	}
	if (!seen->n)
		seen->first = i;
	seen->last = i;
	seen->n++;
}

static int find(const struct got *g, const char *part)
{
	for (int i = 0; i < g->n; i++)
		if (strstr(g->line[i], part))
			return i;
	return -1;
}

/* Reads one log from a cursor until a record containing part comes (1 s at most). */
static void wait_for(struct npu_device *d, enum npu_fw_log_which which, struct npu_fw_log_pos *cur,
		     const char *part)
{
	for (int i = 0; i < 1000; i++) {
		struct npu_fw_log_info info;
		struct got g = { 0 };

		assert_int_equal(drv_fw_log_read(d, which, 0, 0, cur, take, &g, &info), 0);
		assert_false(info.overrun);
		*cur = info.end;
		if (find(&g, part) >= 0)
			return;
		d->plat->ops->delay_us(d->plat, 1000);
	}
	fail_msg("no '%s' record in the %s log", part, drv_fw_log_which_name(which));
}

static void test_model_log(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_fw_log_info info;
	struct npu_fw_log_pos vcur, ccur;
	struct npu_ctx *c;
	struct npu_bo *cmd;
	struct cmdbuf cb;
	struct got g = { 0 };
	uint64_t hb;
	uint32_t id, st;

	assert_int_equal(drv_device_boot(d), 0);
	assert_int_equal(drv_fw_log_read(d, NPU_FW_LOG_VERBOSE, 0, 0, NULL, take, &g, &info), 0);
	assert_string_equal(info.name, "LRT");
	assert_int_equal(info.size, d->log_verbose.dma.size);
	assert_int_equal(info.header_size, 128);
	assert_true(find(&g, "] I boot: entry 0x") >= 0);
	assert_true(find(&g, "READY") > find(&g, "boot: entry"));
	vcur = info.end;
	memset(&g, 0, sizeof(g));
	assert_int_equal(drv_fw_log_read(d, NPU_FW_LOG_CRIT, 0, 0, NULL, take, &g, &info), 0);
	assert_int_equal(g.n, 0); /* no errors */
	ccur = info.end;
	assert_int_equal(drv_fw_log_read(d, NPU_FW_LOG_CRIT, 1, 0, NULL, take, &g, &info), -ENOENT);

	/* A request: its record comes before its reply. */
	assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb), 0);
	wait_for(d, NPU_FW_LOG_VERBOSE, &vcur, "QUERY_ENGINE_HB (0x1104) request");
	/* STATE_DUMP's answer comes once the state is in the log. */
	assert_int_equal(drv_jsm_state_dump(d), 0);
	wait_for(d, NPU_FW_LOG_VERBOSE, &vcur, "W state dump: heartbeat");

	/* A job that faults: an error, so in both logs. */
	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	cmd_begin(&cb, cmd);
	cmd_fill(&cb, cmd->va + 0x100000, 4096, 0x11111111u); /* nothing mapped there */
	cmd_end(&cb);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	/* Its records follow its JOB_DONE: a reply to a later request follows them. */
	assert_int_equal(drv_jsm_query_heartbeat(d, 0, &hb), 0);
	wait_for(d, NPU_FW_LOG_CRIT, &ccur, "CONTEXT_VIOLATION_HW");
	wait_for(d, NPU_FW_LOG_VERBOSE, &vcur, "CONTEXT_VIOLATION_HW");
	memset(&g, 0, sizeof(g));
	assert_int_equal(drv_fw_log_read(d, NPU_FW_LOG_CRIT, 0, 0, NULL, take, &g, &info), 0);
	assert_true(find(&g, "E mmu: job 0x") >= 0);
	drv_ctx_destroy(c);

	/* Consume ("clear"): the host's read_index moves, nothing is unread. */
	assert_int_equal(drv_fw_log_read(d, NPU_FW_LOG_VERBOSE, 0,
					 NPU_FW_LOG_UNREAD | NPU_FW_LOG_CONSUME, NULL, NULL, NULL,
					 &info),
			 0);
	assert_true(info.records >= 5);
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    drv_fw_log_read(d, NPU_FW_LOG_VERBOSE, 0, NPU_FW_LOG_UNREAD, NULL, take, &g, &info), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(info.read.index, info.write.index);

	/* Powered down: no buffers. */
	assert_int_equal(drv_device_power_down(d), 0);
	assert_int_equal(drv_fw_log_read(d, NPU_FW_LOG_VERBOSE, 0, 0, NULL, take, &g, &info),
			 -ENODEV);
}

/* Boot parameters that point the model's log at the first 4 KiB of the driver's verbose buffer. */
static void small_log_params(const struct npu_device *d, struct npu_boot_params *bp)
{
	memset(bp, 0, sizeof(*bp));
	bp->verbose_tracing_buff_addr = d->log_verbose.va;
	bp->verbose_tracing_buff_size = 4096;
	bp->tracing_buff_message_format_mask = NPU_TRACE_FORMAT_MASK_STRING;
}

/*
 * The model's writer on a small ring (white box: its log pointed at the first
 * 4 KiB of the driver's verbose buffer): records are never split, the tail
 * of a lap is left empty, and the reader gets the newest records, whole and
 * in order, with nothing but complete records.
 */
static void test_model_wrap(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_sim *s = npu_platform_sim_model(f->plat);
	struct npu_boot_params bp;
	struct npu_fw_log_info info;
	struct seen seen = { -1, -1, 0, 0 };
	const int total = 150;

	assert_non_null(s);
	assert_int_equal(drv_device_boot(d), 0);
	small_log_params(d, &bp);
	npu_sim_test_lock(s);
	npu_sim_test_fwlog_init(s, &bp);
	for (int i = 0; i < total; i++) {
		char text[64];

		snprintf(text, sizeof(text), "record %03d%.*s", i, i % 23,
			 "-----------------------");
		npu_sim_test_fwlog_info(s, text);
	}
	npu_sim_test_unlock(s);

	assert_int_equal(
	    drv_fw_log_parse(d->log_verbose.dma.cpu, 4096, 0, 0, NULL, count_records, &seen, &info),
	    0);
	assert_int_equal(info.size, 4096);
	assert_true(info.write.wrap_count >= 1);
	assert_int_equal(seen.bad, 0);
	assert_int_equal(seen.last, total - 1);
	assert_int_equal(seen.n, seen.last - seen.first + 1); /* contiguous */
	assert_true(seen.n > 30);
	/* Bytes 4096.. of the buffer were never the model's to write. */
	assert_int_equal(((uint8_t *)d->log_verbose.dma.cpu)[4096], 0);
}

/*
 * The per-job record, which the model puts together without printf: each
 * one reads as printf would have written it ("job: 0x%x of doorbell %u (SSID
 * %u) done: %s (0x%x)" after "[%5u.%06u] L "), for small and large values.
 */
static void test_model_job_record(void **state)
{
	static const struct {
		uint32_t db, ssid, job_id, status;
		const char *name, *level;
	} jobs[] = {
		{ 1, 2, 0x10001, 0, "SUCCESS", "I" },
		{ 255, 65, 0xffffffffu, 0xb, "NOT_IMPLEMENTED", "W" },
		{ 10, 0, 0, 0x1, "PARSING_ERR", "E" },
		{ 7, 3, 0xabc, 0xe, "CONTEXT_VIOLATION_HW", "E" },
		{ 100, 12, 0x7fffffffu, 0x1234, "status", "E" },
	};
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_sim *s = npu_platform_sim_model(f->plat);
	struct npu_boot_params bp;
	struct npu_fw_log_info info;
	struct got g = { 0 };
	int k = 0;

	assert_non_null(s);
	assert_int_equal(drv_device_boot(d), 0);
	small_log_params(d, &bp);
	npu_sim_test_lock(s);
	npu_sim_test_fwlog_init(s, &bp);
	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
		npu_sim_test_fwlog_job(s, jobs[i].db, jobs[i].ssid, jobs[i].job_id, jobs[i].status);
	npu_sim_test_unlock(s);

	assert_int_equal(
	    drv_fw_log_parse(d->log_verbose.dma.cpu, 4096, 0, 0, NULL, take, &g, &info), 0);
	for (int i = 0; i < g.n; i++) {
		char want[160], level[2];
		unsigned secs, us;
		int body = 0;

		if (!strstr(g.line[i], "] ") || !strstr(g.line[i], " job: "))
			continue; /* the log's own first record, the MMU fault's */
		assert_true(k < (int)(sizeof(jobs) / sizeof(jobs[0])));
		assert_int_equal(
		    sscanf(g.line[i], "[%5u.%6u] %1[IWE] %n", &secs, &us, level, &body), 3);
		assert_int_equal(g.line[i][6], '.');
		assert_int_equal(g.line[i][13], ']');
		assert_string_equal(level, jobs[k].level);
		snprintf(want, sizeof(want), "job: 0x%x of doorbell %u (SSID %u) done: %s (0x%x)",
			 jobs[k].job_id, jobs[k].db, jobs[k].ssid, jobs[k].name, jobs[k].status);
		assert_string_equal(g.line[i] + body, want);
		k++;
	}
	assert_int_equal(k, (int)(sizeof(jobs) / sizeof(jobs[0])));
}

static struct fx f37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, false);
static struct fx f40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, false);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_records_and_consume),
		cmocka_unit_test(test_wrapped),
		cmocka_unit_test(test_no_nul_at_end),
		cmocka_unit_test(test_sanitise),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_sub_buffers),
		BOTH(test_model_log, f37, f40),
		cmocka_unit_test_prestate_setup_teardown(test_model_wrap, setup, teardown, &f37),
		cmocka_unit_test_prestate_setup_teardown(test_model_job_record, setup, teardown,
							 &f37),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
