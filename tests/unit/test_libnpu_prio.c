/* SPDX-License-Identifier: MIT */
/*
 * Priorities and scheduling modes through libnpu in-process: the npu_open
 * options, npu_set_priority, the names, and what the status report says of
 * both; jobs run in each mode and at each priority.
 */
#include "libnpu_test_util.h"

#include <unistd.h>

/* The first client's priority and the scheduling in the status report. */
static void status_says(struct npu *n, const char *sched, const char *prio)
{
	struct npu_jv *root = check_status_json(n, "37xx");
	const struct npu_jv *cl = npu_jv_get(root, "clients");

	assert_string_equal(npu_jv_get_str(root, "scheduling"), sched);
	assert_non_null(cl);
	assert_non_null(cl->kids);
	assert_string_equal(npu_jv_get_str(cl->kids, "priority"), prio);
	npu_jv_free(root);
}

static void one_mode(const char *sched)
{
	struct npu_open_opts o = { .device = "sim",
				   .sched = sched,
				   .priority = NPU_PRIORITY_REALTIME };
	struct npu *n;
	struct npu_buf *dst;

	assert_int_equal(npu_open(&o, &n), 0);
	assert_int_equal(npu_buf_create(n, 65536, 0, &dst), 0);
	assert_int_equal(run_fill(n, dst, 65536, 0x5A5A5A5Au), 0);
	assert_bytes(npu_buf_ptr(dst), 65536, 0x5A);
	status_says(n, sched, "realtime");
	/* Changed after the queue exists: the firmware is told (HWS), the report follows. */
	assert_int_equal(npu_set_priority(n, NPU_PRIORITY_IDLE), 0);
	assert_int_equal(run_fill(n, dst, 65536, 0x11111111u), 0);
	assert_bytes(npu_buf_ptr(dst), 65536, 0x11);
	status_says(n, sched, "idle");
	assert_int_equal(npu_set_priority(n, NPU_PRIORITY_DEFAULT), 0);
	status_says(n, sched, "normal");
	assert_int_equal(npu_set_priority(n, 5), -EINVAL);
	assert_int_equal(npu_set_priority(NULL, 1), -EINVAL);
	npu_buf_free(dst);
	npu_close(n);
}

static void test_hws(void **state)
{
	(void)state;
	one_mode("hws");
}

static void test_os(void **state)
{
	(void)state;
	one_mode("os");
}

static void test_names_and_errors(void **state)
{
	struct npu_open_opts o = { .device = "sim", .sched = "fifo" };
	struct npu *n = NULL;
	uint32_t p = 99;

	(void)state;
	assert_string_equal(npu_priority_name(NPU_PRIORITY_REALTIME), "realtime");
	assert_string_equal(npu_priority_name(NPU_PRIORITY_DEFAULT), "normal");
	assert_null(npu_priority_name(5));
	assert_int_equal(npu_priority_parse("focus", &p), 0);
	assert_int_equal(p, NPU_PRIORITY_FOCUS);
	assert_int_equal(npu_priority_parse("default", &p), 0);
	assert_int_equal(p, NPU_PRIORITY_DEFAULT);
	assert_int_equal(npu_priority_parse("urgent", &p), -EINVAL);
	assert_int_equal(npu_priority_parse(NULL, &p), -EINVAL);
	assert_int_equal(npu_open(&o, &n), -EINVAL);
	assert_non_null(strstr(npu_last_error(NULL), "fifo"));
	o.sched = NULL;
	o.priority = 9;
	assert_int_equal(npu_open(&o, &n), -EINVAL);
	assert_null(n);
}

int main(void)
{
	static char fw_dir[] = "/tmp/npu-libprio-test-XXXXXX";
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hws),
		cmocka_unit_test(test_os),
		cmocka_unit_test(test_names_and_errors),
	};
	int ret;

	if (!mkdtemp(fw_dir))
		return 1;
	setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(fw_dir);
	return ret;
}
