/* SPDX-License-Identifier: MIT */
#include "selftest_report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "util/json.h"

bool selftest_record(struct selftest_results *rs, const char *name, bool passed, const char *fmt,
		     ...)
{
	struct selftest_result *r;
	va_list ap;

	if (rs->n == SELFTEST_MAX_RESULTS) {
		/* Never overwrite a result (a failure could vanish): the overflow is a failure. */
		r = &rs->r[SELFTEST_MAX_RESULTS - 1];
		r->name = "results";
		r->passed = false;
		snprintf(r->detail, sizeof(r->detail),
			 "more than %d results; \"%s\" and later lost", SELFTEST_MAX_RESULTS - 1,
			 name);
		return passed;
	}
	r = &rs->r[rs->n++];
	r->name = name;
	r->passed = passed;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	return passed;
}

static int count_failed(const struct selftest_results *rs)
{
	int failed = 0;

	for (int i = 0; i < rs->n; i++)
		failed += !rs->r[i].passed;
	return failed;
}

bool selftest_all_passed(const struct selftest_results *rs)
{
	return count_failed(rs) == 0;
}

void selftest_report(const struct selftest_results *rs, bool json,
		     const struct selftest_about *about)
{
	int failed = count_failed(rs);
	if (json) {
		struct npu_json j;

		npu_json_init(&j, stdout);
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "device", about->device);
		npu_json_str(&j, "generation", about->generation);
		if (about->via)
			npu_json_str(&j, "via", about->via);
		if (about->scheduling)
			npu_json_str(&j, "scheduling", about->scheduling);
		npu_json_str(&j, "noop_command", about->noop_command);
		if (about->job_cmd_api)
			npu_json_str(&j, "job_cmd_api", about->job_cmd_api);
		npu_json_arr_begin(&j, "tests");
		for (int i = 0; i < rs->n; i++) {
			npu_json_obj_begin(&j, NULL);
			npu_json_str(&j, "name", rs->r[i].name);
			npu_json_bool(&j, "passed", rs->r[i].passed);
			npu_json_str(&j, "detail", rs->r[i].detail);
			npu_json_obj_end(&j);
		}
		npu_json_arr_end(&j);
		npu_json_u64(&j, "passed", (uint64_t)(rs->n - failed));
		npu_json_u64(&j, "failed", (uint64_t)failed);
		npu_json_obj_end(&j);
		npu_json_finish(&j);
		return;
	}
	if (about->scheduling)
		printf("scheduling: %s\n", about->scheduling);
	if (about->job_cmd_api)
		printf(
		    "no-op jobs carry %s (the firmware's job-command API is %s; NOP needs 4.10)\n",
		    about->noop_command, about->job_cmd_api);
	for (int i = 0; i < rs->n; i++)
		printf("%-4s %-16s %s\n", rs->r[i].passed ? "ok" : "FAIL", rs->r[i].name,
		       rs->r[i].detail);
	printf("%d passed, %d failed\n", rs->n - failed, failed);
}
