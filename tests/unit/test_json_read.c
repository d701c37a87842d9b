/* SPDX-License-Identifier: MIT */
/*
 * The JSON reader (util/json_read.h): every kind of value, escapes and
 * surrogate pairs, numbers as u64 and double, lookups, what the writer
 * (util/json.h) writes read back, and the malformed texts it must refuse.
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

#include "util/json.h"
#include "util/json_read.h"

static struct npu_jv *parse_ok(const char *text)
{
	struct npu_jv *v;
	char why[128];

	if (npu_jv_parse(text, strlen(text), &v, why, sizeof(why)) != 0)
		fail_msg("'%s' refused: %s", text, why);
	return v;
}

static void test_values(void **state)
{
	struct npu_jv *v = parse_ok(" {\"a\": 1, \"b\": [true, false, null, -2.5e1, \"x\"],"
				    " \"c\": {}, \"d\": [], \"big\": 18446744073709551615} ");
	const struct npu_jv *b, *e;
	uint64_t u = 0;

	(void)state;
	assert_int_equal(v->type, NPU_JV_OBJECT);
	assert_true(npu_jv_get_u64(v, "a", &u));
	assert_int_equal(u, 1);
	assert_true(npu_jv_get_u64(v, "big", &u));
	assert_true(u == UINT64_MAX);
	b = npu_jv_get(v, "b");
	assert_int_equal(b->type, NPU_JV_ARRAY);
	e = b->kids;
	assert_true(e->type == NPU_JV_BOOL && e->boolean);
	e = e->next;
	assert_true(e->type == NPU_JV_BOOL && !e->boolean);
	e = e->next;
	assert_int_equal(e->type, NPU_JV_NULL);
	e = e->next;
	assert_int_equal(e->type, NPU_JV_NUMBER);
	assert_false(e->is_u64);
	assert_true(e->num == -25.0);
	e = e->next;
	assert_string_equal(e->str, "x");
	assert_null(e->next);
	assert_int_equal(npu_jv_get(v, "c")->type, NPU_JV_OBJECT);
	assert_null(npu_jv_get(v, "c")->kids);
	assert_null(npu_jv_get(v, "d")->kids);
	assert_null(npu_jv_get(v, "nope"));
	assert_null(npu_jv_get_str(v, "a")); /* a number, not a string */
	assert_false(npu_jv_get_u64(v, "b", &u));
	npu_jv_free(v);
}

static void test_strings(void **state)
{
	struct npu_jv *v = parse_ok("[\"q\\\"b\\\\s\\/n\\nt\\t\", \"\\u00e9\\u20ac\", "
				    "\"\\ud83d\\ude00\", \"a\\u0000b\"]");
	const struct npu_jv *e = v->kids;

	(void)state;
	assert_string_equal(e->str, "q\"b\\s/n\nt\t");
	e = e->next;
	assert_string_equal(e->str, "\xc3\xa9\xe2\x82\xac");
	e = e->next;
	assert_string_equal(e->str, "\xf0\x9f\x98\x80");
	e = e->next;
	assert_int_equal(e->str_len, 3);
	assert_memory_equal(e->str, "a\0b", 3);
	npu_jv_free(v);
}

/* What util/json.h writes, read back. */
static void test_round_trip(void **state)
{
	char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct npu_json j;
	struct npu_jv *v;

	(void)state;
	assert_non_null(f);
	npu_json_init(&j, f);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "name", "tab\there \"quoted\"");
	npu_json_u64(&j, "n", 1234567890123ull);
	npu_json_double(&j, "d", 0.25);
	npu_json_null(&j, "z");
	npu_json_obj_end(&j);
	assert_int_equal(npu_json_finish(&j), 0);
	fclose(f);
	v = parse_ok(buf);
	assert_string_equal(npu_jv_get_str(v, "name"), "tab\there \"quoted\"");
	assert_int_equal(npu_jv_get(v, "n")->u64, 1234567890123ull);
	assert_true(npu_jv_get(v, "d")->num == 0.25);
	assert_int_equal(npu_jv_get(v, "z")->type, NPU_JV_NULL);
	npu_jv_free(v);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",	    " ",	 "{",		"[1,]",
		"{\"a\":}", "{\"a\" 1}", "{a:1}",	"[1 2]",
		"01",	    "1.",	 "-",		"1e",
		".5",	    "tru",	 "nul",		"\"abc",
		"\"\\x\"",  "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
		"\"a\nb\"", "[1] [2]",	 "{\"a\":1,}",	"[\"\\ud800\\u0041\"]",
	};
	char deep[NPU_JSON_READ_MAX_DEPTH + 2];
	struct npu_jv *v = (struct npu_jv *)1;
	char why[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (npu_jv_parse(bad[i], strlen(bad[i]), &v, why, sizeof(why)) != -EINVAL)
			fail_msg("'%s' was taken", bad[i]);
		assert_null(v);
		assert_non_null(strstr(why, "at byte"));
	}
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	assert_int_equal(npu_jv_parse(deep, strlen(deep), &v, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "deep"));
	/* The length bounds the text: a NUL-free prefix of a longer buffer. */
	assert_int_equal(npu_jv_parse("[1]xyz", 3, &v, why, sizeof(why)), 0);
	npu_jv_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
