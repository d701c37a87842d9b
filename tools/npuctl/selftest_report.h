/* SPDX-License-Identifier: MIT */
/*
 * npuctl selftest's results and their report, the same in-process
 * (cmd_selftest.c) and through npud (selftest_npud.c): one line per test and
 * a count, or one JSON object with --json.
 */
#ifndef NPUCTL_SELFTEST_REPORT_H
#define NPUCTL_SELFTEST_REPORT_H

#include <stdbool.h>

#define SELFTEST_MAX_RESULTS 16
#define SELFTEST_DETAIL_MAX  200

struct selftest_result {
	const char *name;
	bool passed;
	char detail[SELFTEST_DETAIL_MAX];
};

struct selftest_results {
	struct selftest_result r[SELFTEST_MAX_RESULTS];
	int n;
};

/* Records one test's result (past the last slot: overwrites the last); returns passed. */
bool selftest_record(struct selftest_results *rs, const char *name, bool passed, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

/*
 * What the report says beside the results: the device and generation; via, "npud" or NULL
 * (in-process: no "via" in the JSON); the scheduling mode the NPU runs in; the command a no-op job carried (NOP or BARRIER) and the
 * firmware's job-command API it was chosen by, NULL where unknown (through npud).
 */
struct selftest_about {
	const char *device;
	const char *generation;
	const char *via;
	const char *scheduling; /* "os" or "hws"; NULL where unknown */
	const char *noop_command;
	const char *job_cmd_api;
};

/* Prints the results. */
void selftest_report(const struct selftest_results *rs, bool json,
		     const struct selftest_about *about);

/* Whether every recorded test passed. */
bool selftest_all_passed(const struct selftest_results *rs);

#endif
