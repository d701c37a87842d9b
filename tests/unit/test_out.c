/* SPDX-License-Identifier: MIT */
/*
 * Text output into a caller's buffer (util/out.h), which stands in for
 * fmemopen on Redox: the same bytes as through a stream, a NUL after them,
 * and a buffer too small said so, never overrun.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/out.h"

static void fill(struct npu_json *j)
{
	char long_name[600];

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	npu_json_obj_begin(j, NULL);
	npu_json_u64(j, "size", 0x24F718);
	npu_json_str(j, "name", "vpu \"37xx\"\n\x01");
	npu_json_str(j, "long", long_name);
	npu_json_double(j, "ratio", 0.25);
	npu_json_obj_end(j);
}

/* The stream's text, for comparison. */
static char *streamed(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct npu_json j;

	assert_non_null(f);
	npu_json_init(&j, f);
	fill(&j);
	assert_int_equal(npu_json_finish(&j), 0);
	fclose(f);
	return buf;
}

static void t_json_same_as_stream(void **state)
{
	size_t len;
	char *want = streamed(&len);
	char buf[2048];
	struct npu_json j;

	(void)state;
	memset(buf, 0x55, sizeof(buf));
	npu_json_init_buf(&j, buf, sizeof(buf));
	fill(&j);
	assert_int_equal(npu_json_finish(&j), 0);
	assert_int_equal(npu_json_len(&j), len);
	assert_memory_equal(buf, want, len);
	assert_int_equal(buf[len], '\0');
	free(want);
}

/* Too small: finish says so, the text is cut with a NUL, nothing past the buffer is written. */
static void t_json_too_small(void **state)
{
	size_t len;
	char *want = streamed(&len);
	char buf[256 + 8];
	struct npu_json j;

	(void)state;
	memset(buf, 0x55, sizeof(buf));
	npu_json_init_buf(&j, buf, 256);
	fill(&j);
	assert_int_equal(npu_json_finish(&j), -1);
	assert_int_equal(npu_json_len(&j), len); /* what it would have taken */
	assert_memory_equal(buf, want, 255);
	assert_int_equal(buf[255], '\0');
	for (size_t i = 256; i < sizeof(buf); i++)
		assert_int_equal((unsigned char)buf[i], 0x55);
	free(want);
}

/* One byte of room: only the NUL; none at all: nothing written. */
static void t_tiny(void **state)
{
	char one = 'z';
	struct npu_out o = npu_out_buf(&one, 1);

	(void)state;
	npu_out_printf(&o, "%d", 12345);
	npu_out_putc(&o, 'a');
	assert_int_equal(one, '\0');
	assert_int_equal(o.len, 6);
	assert_false(npu_out_ok(&o));
	o = npu_out_buf(NULL, 0);
	npu_out_puts(&o, "abc");
	assert_int_equal(o.len, 3);
	assert_false(npu_out_ok(&o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_json_same_as_stream),
		cmocka_unit_test(t_json_too_small),
		cmocka_unit_test(t_tiny),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
