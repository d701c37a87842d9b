/* SPDX-License-Identifier: MIT */
/* The Unix transport's parse of a peer's /proc/<pid>/status "Groups:" line (untrusted text). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/unix.h"

static int parse(const char *text, uint32_t *g, unsigned max)
{
	return npu_unix_parse_groups(text, strlen(text), g, max);
}

static void test_groups_found(void **state)
{
	static const char status[] = "Name:\tbash\nUmask:\t0022\nGid:\t1000\t1000\t1000\t1000\n"
				     "FDSize:\t256\nGroups:\t4 24 27 1000 \nNStgid:\t1\n";
	uint32_t g[8];

	(void)state;
	assert_int_equal(parse(status, g, 8), 4);
	assert_int_equal(g[0], 4);
	assert_int_equal(g[1], 24);
	assert_int_equal(g[2], 27);
	assert_int_equal(g[3], 1000);
	/* The first line, no newline after it, tabs, the largest gid. */
	assert_int_equal(parse("Groups:\t0\t4294967295", g, 8), 2);
	assert_int_equal(g[0], 0);
	assert_int_equal(g[1], 4294967295u);
	/* No groups at all. */
	assert_int_equal(parse("Uid:\t0\nGroups:\t\nGid:\t0\n", g, 8), 0);
	assert_int_equal(parse("Groups:", g, 8), 0);
}

static void test_groups_capped(void **state)
{
	uint32_t g[3] = { 0 };
	uint32_t none[1] = { 77 };

	(void)state;
	/* More groups than room: the first ones, and never a write past max. */
	assert_int_equal(parse("Groups:\t1 2 3 4 5 6\n", g, 2), 2);
	assert_int_equal(g[0], 1);
	assert_int_equal(g[1], 2);
	assert_int_equal(g[2], 0);
	assert_int_equal(parse("Groups:\t9\n", none, 0), 0);
	assert_int_equal(none[0], 77);
}

static void test_groups_rejected(void **state)
{
	static const char *const bad[] = {
		"",
		"Name:\tbash\n",
		"XGroups:\t1 2\n",		      /* not at the start of a line */
		"groups:\t1\n",			      /* the key is case-sensitive */
		"Groups:\t1 -2\n",		      /* no signs */
		"Groups:\t1 2x\n",		      /* no trailing garbage */
		"Groups:\t1,2\n",		      /* no commas */
		"Groups:\t4294967296\n",	      /* over 32 bits */
		"Groups:\t99999999999999999999999\n", /* far over, no wrap */
	};
	uint32_t g[4];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], g, 4), -EINVAL);
}

static void test_groups_length_bounds(void **state)
{
	/* The text ends where len says, wherever the NUL is: digits past it are not read. */
	static const char text[] = "Groups:\t12 34";
	uint32_t g[4];

	(void)state;
	assert_int_equal(npu_unix_parse_groups(text, strlen("Groups:\t12 3"), g, 4), 2);
	assert_int_equal(g[0], 12);
	assert_int_equal(g[1], 3);
	assert_int_equal(npu_unix_parse_groups(text, strlen("Group"), g, 4), -EINVAL);
	assert_int_equal(npu_unix_parse_groups(text, 0, g, 4), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_found),
		cmocka_unit_test(test_groups_capped),
		cmocka_unit_test(test_groups_rejected),
		cmocka_unit_test(test_groups_length_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
