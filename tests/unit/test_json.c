/* SPDX-License-Identifier: MIT */
/* The JSON writer: structure, escaping, numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* Runs the writer into a memory stream and returns the text (caller frees). */
static char *render(void (*fill)(struct npu_json *j), int *finish_ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct npu_json j;

	assert_non_null(f);
	npu_json_init(&j, f);
	fill(&j);
	*finish_ret = npu_json_finish(&j);
	fclose(f);
	return buf;
}

static void fill_nested(struct npu_json *j)
{
	npu_json_obj_begin(j, NULL);
	npu_json_u64(j, "image_size", 0x24F718);
	npu_json_str(j, "name", "vpu \"37xx\"\n");
	npu_json_arr_begin(j, "list");
	npu_json_i64(j, NULL, -5);
	npu_json_bool(j, NULL, true);
	npu_json_null(j, NULL);
	npu_json_obj_begin(j, NULL);
	npu_json_obj_end(j);
	npu_json_arr_end(j);
	npu_json_double(j, "ratio", 0.5);
	npu_json_str(j, "none", NULL);
	npu_json_obj_end(j);
}

static void test_nested(void **state)
{
	int ret;
	char *s = render(fill_nested, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(s, "{\"image_size\":2422552,\"name\":\"vpu \\\"37xx\\\"\\n\","
			       "\"list\":[-5,true,null,{}],\"ratio\":0.5,\"none\":null}\n");
	free(s);
}

static void fill_bytes(struct npu_json *j)
{
	static const char raw[] = { 'a', 0x01, (char)0xff, '\\', 'z' };

	npu_json_strn(j, NULL, raw, sizeof(raw));
}

static void test_escaping(void **state)
{
	int ret;
	char *s = render(fill_bytes, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(s, "\"a\\u0001\\u00ff\\\\z\"\n");
	free(s);
}

static void fill_unbalanced(struct npu_json *j)
{
	npu_json_obj_begin(j, NULL);
	npu_json_u64(j, "x", 1);
}

static void fill_too_deep(struct npu_json *j)
{
	for (int i = 0; i < NPU_JSON_MAX_DEPTH + 2; i++)
		npu_json_arr_begin(j, NULL);
	for (int i = 0; i < NPU_JSON_MAX_DEPTH + 2; i++)
		npu_json_arr_end(j);
}

static void test_errors_reported(void **state)
{
	int ret;
	char *s;

	(void)state;
	s = render(fill_unbalanced, &ret);
	assert_int_equal(ret, -1);
	free(s);
	s = render(fill_too_deep, &ret);
	assert_int_equal(ret, -1);
	free(s);
}

static void fill_nonfinite(struct npu_json *j)
{
	npu_json_arr_begin(j, NULL);
	npu_json_double(j, NULL, 1.0 / 0.0);
	npu_json_u64(j, NULL, UINT64_MAX);
	npu_json_arr_end(j);
}

static void test_numbers(void **state)
{
	int ret;
	char *s = render(fill_nonfinite, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(s, "[null,18446744073709551615]\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_errors_reported),
		cmocka_unit_test(test_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
