/* SPDX-License-Identifier: MIT */
/*
 * The device model's command-buffer engine, on 37xx and 40xx (setup in
 * sim_cmd_env.h): MEMORY_FILL and COPY, their per-generation rules and
 * descriptor layouts, faults on read-only and unmapped pages, and a copy of
 * several MB through pages mapped in reverse order.
 */
#include "sim_cmd_env.h"

static void test_fill(void **state)
{
	struct env *e = *state;
	static const uint8_t pat[4] = { 0x44, 0x33, 0x22, 0x11 };

	/* 5003 bytes from +0x100: across a page, a 3-byte tail; the byte after untouched. */
	memset(e->data, 0xEE, SMALL);
	begin(e, 0, 0);
	cmd_fill(e, VA_DATA + 0x100, 5003, 0x11223344);
	cmd_fill(e, VA_DATA + 0x4000, 0, 0x11223344);
	assert_int_equal(run_batch(e), ST_OK);
	assert_int_equal(e->data[0xFF], 0xEE);
	for (unsigned i = 0; i < 5003; i++)
		assert_int_equal(e->data[0x100 + i], pat[i % 4]);
	assert_int_equal(e->data[0x100 + 5003], 0xEE);
	assert_int_equal(e->data[0x4000], 0xEE);

	/* 37xx: start 64-B aligned. 40xx: any start, the pattern starts there. */
	begin(e, 0, 0);
	cmd_fill(e, VA_DATA + 0x2001, 8, 0xA1B2C3D4);
	assert_int_equal(run_batch(e), e->g37 ? ST_PARSE : ST_OK);
	assert_int_equal(e->data[0x2001], e->g37 ? 0xEE : 0xD4);
	assert_int_equal(e->data[0x2005], e->g37 ? 0xEE : 0xD4);
	assert_int_equal(e->data[0x2008], e->g37 ? 0xEE : 0xA1);
	assert_int_equal(e->data[0x2009], 0xEE);
	/* 40xx: at most 16 MiB. 37xx: no cap, so it runs off the mapping and faults. */
	begin(e, 0, 0);
	cmd_fill(e, VA_DATA, (16u << 20) + 64, 0);
	assert_int_equal(run_batch(e), e->g37 ? ST_CTX_VIOL : ST_PARSE);
	if (e->g37)
		expect_event(e, 0, 0x10, VA_DATA + SMALL);
	begin(e, 0, 0);
	cmd_fill(e, ~0ull - 63, 128, 0);
	assert_int_equal(run_batch(e), ST_PARSE);
	/* Read-only: a permission fault, the page untouched. */
	begin(e, 0, 0);
	cmd_fill(e, VA_RO + 0x40, 64, 0);
	assert_int_equal(run_batch(e), ST_CTX_VIOL);
	expect_event(e, e->g37 ? 1 : 0, 0x13, VA_RO + 0x40);
	assert_int_equal(e->ro[0x40], 0x5A);
}

static void test_copy(void **state)
{
	struct env *e = *state;
	uint8_t *src = e->data + 0x2000, *dst = e->data + 0x3000;

	for (unsigned i = 0; i < 0x1000; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	/* Two descriptors of this generation's layout, at desc heap base + offset. */
	begin(e, 0, VA_DATA);
	desc(e, e->g37, 0x1000, 0, VA_DATA + 0x2000, VA_DATA + 0x3000, 100);
	desc(e, e->g37, 0x1000, 1, VA_DATA + 0x2000 + 200, VA_DATA + 0x3000 + 500, 300);
	cmd_copy(e, 0x1000, 2);
	assert_int_equal(run_batch(e), ST_OK);
	assert_memory_equal(dst, src, 100);
	assert_int_equal(dst[100], 0);
	assert_memory_equal(dst + 500, src + 200, 300);
	assert_int_equal(dst[800], 0);
	assert_int_equal(faults(e), 0);

	/* The other generation's layout: 40xx bytes read as 37xx copy 0 bytes; 37xx bytes
	 * read as 40xx name source 0 (reserved there) and fault. */
	memset(dst, 0, 0x1000);
	desc(e, !e->g37, 0x1000, 0, VA_DATA + 0x2000, VA_DATA + 0x3000, 100);
	desc(e, !e->g37, 0x1000, 1, 0, 0, 0);
	assert_int_equal(run_batch(e), e->g37 ? ST_OK : ST_CTX_VIOL);
	assert_int_equal(dst[0], 0);
	if (!e->g37)
		expect_event(e, 0, 0x10, 0);
}

static void test_copy_rules(void **state)
{
	struct env *e = *state;
	/* Last descriptor of the mapping: 37xx reads 80 B at 0xFFC0 (faults), 40xx 192 B at 0xFF40. */
	uint32_t last = e->g37 ? 0xFFC0 : 0xFF40, fits37 = 0xFF80;
	unsigned ev = 0;

	begin(e, 0, 0);
	desc(e, e->g37, 0x1000, 0, VA_DATA + 0x2000, VA_DATA + 0x3000, 64);
	cmd_copy(e, VA_DATA + 0x1000, 0);
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le32(e->batch + 48 + 16, 4097);
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le32(e->batch + 48 + 16, 1);
	npu_put_le64(e->batch + 48 + 8, VA_DATA + 0x1008); /* misaligned array */
	assert_int_equal(run_batch(e), ST_PARSE);
	npu_put_le64(e->batch + 48 + 8, VA_UNMAPPED);
	assert_int_equal(run_batch(e), ST_CTX_VIOL);
	expect_event(e, ev++, 0x10, VA_UNMAPPED);

	/* 37xx limits: 16 MiB per descriptor, addresses below 256 GiB. 40xx: neither. */
	npu_put_le64(e->batch + 48 + 8, VA_DATA + 0x1000);
	desc(e, e->g37, 0x1000, 0, VA_DATA, VA_DST, (16u << 20) + 1);
	assert_int_equal(run_batch(e), e->g37 ? ST_PARSE : ST_CTX_VIOL);
	if (!e->g37)
		expect_event(e, ev++, 0x10, VA_DATA + SMALL);
	desc(e, e->g37, 0x1000, 0, 0x4000000000ull, VA_DST, 64);
	assert_int_equal(run_batch(e), e->g37 ? ST_PARSE : ST_CTX_VIOL);
	if (!e->g37)
		expect_event(e, ev++, 0x10, 0x4000000000ull);

	/* Read-only source is fine, read-only destination is a permission fault. */
	desc(e, e->g37, 0x1000, 0, VA_RO, VA_DATA + 0x3000, 64);
	assert_int_equal(run_batch(e), ST_OK);
	assert_int_equal(e->data[0x3000 + 63], 0x5A);
	desc(e, e->g37, 0x1000, 0, VA_DATA, VA_RO + 0x100, 64);
	assert_int_equal(run_batch(e), ST_CTX_VIOL);
	expect_event(e, ev++, 0x13, VA_RO + 0x100);

	/* The descriptor fetch must stay mapped: 37xx's 80-byte prefetch included. */
	desc(e, e->g37, last, 0, VA_DATA + 0x2000, VA_DATA + 0x3000, 64);
	npu_put_le64(e->batch + 48 + 8, VA_DATA + last);
	assert_int_equal(run_batch(e), e->g37 ? ST_CTX_VIOL : ST_OK);
	if (e->g37) {
		expect_event(e, ev++, 0x10, VA_DATA + SMALL);
		desc(e, true, fits37, 0, VA_DATA + 0x2000, VA_DATA + 0x3000, 64);
		npu_put_le64(e->batch + 48 + 8, VA_DATA + fits37);
		assert_int_equal(run_batch(e), ST_OK);
	}
}

/* Several MB through pages mapped in reverse order: the copy goes page by page. */
static void test_copy_large(void **state)
{
	struct env *e = *state;
	const uint32_t size = 3u * 1024 * 1024 + 4097, a = 2u << 20;
	uint8_t *want = malloc(BIG), *got = malloc(BIG);

	assert_non_null(want);
	assert_non_null(got);
	for (uint32_t i = 0; i < BIG; i++)
		want[i] = (uint8_t)(i * 2654435761u >> 24);
	dev_rw(e, VA_SRC, want, BIG, true);
	/* Source +3, destination +5: no page lines up; two descriptors of 2 MiB and the rest. */
	begin(e, 0, 0);
	desc(e, e->g37, 0x1000, 0, VA_SRC + 3, VA_DST + 5, a);
	desc(e, e->g37, 0x1000, 1, VA_SRC + 3 + a, VA_DST + 5 + a, size - a);
	cmd_copy(e, VA_DATA + 0x1000, 2);
	assert_int_equal(run_batch(e), ST_OK);
	dev_rw(e, VA_DST, got, BIG, false);
	assert_memory_equal(got + 5, want + 3, size);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(got[i], 0);
	assert_int_equal(got[5 + size], 0);
	free(want);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_fill),
		BOTH(test_copy),
		BOTH(test_copy_rules),
		BOTH(test_copy_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
