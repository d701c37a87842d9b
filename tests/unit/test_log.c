/* SPDX-License-Identifier: MIT */
/* The logging filter: spec parsing, level/category decisions, sink delivery. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "util/log.h"

static void parse_ok(const char *spec, struct npu_log_filter *f)
{
	char bad[16] = "";

	assert_int_equal(npu_log_parse_spec(spec, f, bad, sizeof(bad)), 0);
	assert_string_equal(bad, "");
}

static void test_default_filter(void **state)
{
	struct npu_log_filter f;

	(void)state;
	npu_log_filter_default(&f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_ERROR, NPU_CAT_FW));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_WARN, NPU_CAT_PCI));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_FW));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_DEBUG, NPU_CAT_GEN));
}

static void test_level_only(void **state)
{
	struct npu_log_filter f;

	(void)state;
	parse_ok("debug", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_DEBUG, NPU_CAT_MMU));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_DEBUG, NPU_CAT_SRV));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_TRACE, NPU_CAT_MMU));

	parse_ok("error", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_ERROR, NPU_CAT_FW));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_WARN, NPU_CAT_FW));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_WARN, NPU_CAT_IPC));
}

static void test_level_and_categories(void **state)
{
	struct npu_log_filter f;

	(void)state;
	parse_ok("info,fw,pci", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_FW));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_PCI));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_DEBUG, NPU_CAT_FW));
	/* Other categories keep warnings and errors, but not info. */
	assert_false(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_IPC));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_WARN, NPU_CAT_IPC));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_ERROR, NPU_CAT_MMU));

	/* Order does not matter; a category alone means debug for it. */
	parse_ok("pci,info", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_PCI));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_FW));
	parse_ok("mmu", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_DEBUG, NPU_CAT_MMU));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_TRACE, NPU_CAT_MMU));
	assert_false(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_JOB));

	parse_ok("trace,all", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_TRACE, NPU_CAT_REG));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_TRACE, NPU_CAT_SIM));
}

static void test_empty_tokens(void **state)
{
	struct npu_log_filter f;

	(void)state;
	parse_ok("", &f);
	assert_false(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_FW));
	assert_true(npu_log_filter_passes(&f, NPU_LOG_WARN, NPU_CAT_FW)); /* the default */
	parse_ok(",,info,,", &f);
	assert_true(npu_log_filter_passes(&f, NPU_LOG_INFO, NPU_CAT_JSM));
}

static void test_bad_spec(void **state)
{
	struct npu_log_filter f, before;
	char bad[8];

	(void)state;
	npu_log_filter_default(&f);
	before = f;
	assert_int_equal(npu_log_parse_spec("info,fww", &f, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "fww");
	assert_memory_equal(&f, &before, sizeof(f));
	/* A long bad token is truncated to fit, NUL-terminated. */
	assert_int_equal(npu_log_parse_spec("verylongtoken", &f, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "verylon");
	/* Prefixes and case variants are not names. */
	assert_int_equal(npu_log_parse_spec("DEBUG", &f, NULL, 0), -EINVAL);
	assert_int_equal(npu_log_parse_spec("deb", &f, NULL, 0), -EINVAL);
}

struct capture {
	int calls;
	enum npu_log_level level;
	enum npu_log_cat cat;
	char msg[256];
};

static void capture_sink(void *ctx, enum npu_log_level level, enum npu_log_cat cat, const char *msg)
{
	struct capture *c = ctx;

	c->calls++;
	c->level = level;
	c->cat = cat;
	strncpy(c->msg, msg, sizeof(c->msg) - 1);
}

static void test_sink_and_adjust(void **state)
{
	struct npu_log_filter f;
	struct capture cap = { 0 };

	(void)state;
	npu_log_filter_default(&f);
	npu_log_set_filter(&f);
	npu_log_set_sink(capture_sink, &cap);

	npu_info(FW, "hidden %d", 1);
	assert_int_equal(cap.calls, 0);
	npu_warn(FW, "shown %d 0x%x", 2, 0x24f719);
	assert_int_equal(cap.calls, 1);
	assert_int_equal(cap.level, NPU_LOG_WARN);
	assert_int_equal(cap.cat, NPU_CAT_FW);
	assert_string_equal(cap.msg, "shown 2 0x24f719");

	npu_log_adjust(+1); /* -v */
	npu_info(PCI, "now shown");
	assert_int_equal(cap.calls, 2);
	npu_log_adjust(-2); /* -q */
	npu_warn(PCI, "now hidden");
	assert_int_equal(cap.calls, 2);
	npu_err(PCI, "errors always");
	assert_int_equal(cap.calls, 3);
	npu_log_adjust(-10); /* clamps at error */
	npu_log_get_filter(&f);
	assert_int_equal(f.level, NPU_LOG_ERROR);
	assert_true(npu_log_enabled(NPU_LOG_ERROR, NPU_CAT_PCI));
	assert_false(npu_log_enabled(NPU_LOG_WARN, NPU_CAT_PCI));

	/* One category at debug: the others keep the base level (what the check reads unlocked). */
	assert_int_equal(npu_log_parse_spec("debug,fw", &f, NULL, 0), 0);
	npu_log_set_filter(&f);
	assert_true(npu_log_enabled(NPU_LOG_DEBUG, NPU_CAT_FW));
	assert_false(npu_log_enabled(NPU_LOG_TRACE, NPU_CAT_FW));
	assert_false(npu_log_enabled(NPU_LOG_DEBUG, NPU_CAT_PCI));
	assert_false(npu_log_enabled(NPU_LOG_INFO, NPU_CAT_PCI));
	assert_true(npu_log_enabled(NPU_LOG_WARN, NPU_CAT_PCI));
	npu_dbg(FW, "fw debug shown");
	npu_dbg(JOB, "job debug hidden");
	assert_int_equal(cap.calls, 4);
	assert_string_equal(cap.msg, "fw debug shown");

	npu_log_set_sink(NULL, NULL);
	npu_log_filter_default(&f);
	npu_log_set_filter(&f);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(npu_log_level_name(NPU_LOG_DEBUG), "debug");
	assert_string_equal(npu_log_cat_name(NPU_CAT_MMU), "mmu");
	assert_string_equal(npu_log_cat_name(NPU_CAT_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_filter),
		cmocka_unit_test(test_level_only),
		cmocka_unit_test(test_level_and_categories),
		cmocka_unit_test(test_empty_tokens),
		cmocka_unit_test(test_bad_spec),
		cmocka_unit_test(test_sink_and_adjust),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
