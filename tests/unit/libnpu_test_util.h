/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libnpu tests (test_libnpu.c in-process, test_libnpu_sock.c
 * over a socket): jobs built and run through the public API only, and the
 * checks of the status report.
 */
#ifndef NPU_TEST_LIBNPU_TEST_UTIL_H
#define NPU_TEST_LIBNPU_TEST_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "npu/npu.h"
#include "util/json_read.h"

#define JOB_MS 10000u /* a job of the simulated NPU takes microseconds: "never" */

/* Runs one fill of size bytes of dst with pattern; returns the job's status. */
static inline uint32_t run_fill(struct npu *n, struct npu_buf *dst, uint64_t size, uint32_t pattern)
{
	struct npu_buf *cmd;
	struct npu_batch *b;
	uint32_t job, status = 0xFFFFFFFFu;

	assert_int_equal(npu_buf_create(n, npu_batch_size(n, 4, 0), 0, &cmd), 0);
	assert_int_equal(npu_batch_begin(cmd, 4, &b), 0);
	assert_int_equal(npu_batch_fill(b, npu_buf_va(dst), size, pattern), 0);
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_submit(n, cmd, (struct npu_buf *[]){ dst }, 1, &job), 0);
	assert_int_equal(npu_wait(n, job, JOB_MS, &status), 0);
	npu_buf_free(cmd);
	return status;
}

/* Every byte of p is v. */
static inline void assert_bytes(const void *p, size_t len, uint8_t v)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++) {
		if (b[i] != v)
			fail_msg("byte %zu is 0x%02x, not 0x%02x", i, b[i], v);
	}
}

/*
 * The status report parses as one JSON object with the keys issue 10 names,
 * of the right types; returns the tree (npu_jv_free it).
 */
static inline struct npu_jv *check_status_json(struct npu *n, const char *gen)
{
	static const char *const numbers[] = { "busy_time_us",	     "memory_used_bytes",
					       "memory_total_bytes", "jobs_completed",
					       "jobs_failed",	     "recoveries",
					       "mmu_faults",	     "timeouts",
					       "frequency_mhz" };
	static char text[65536];
	struct npu_jv *root;
	const struct npu_jv *v;
	char why[128];

	assert_int_equal(npu_status_json(n, text, sizeof(text)), 0);
	if (npu_jv_parse(text, strlen(text), &root, why, sizeof(why)) != 0)
		fail_msg("status is not JSON (%s): %s", why, text);
	assert_int_equal(root->type, NPU_JV_OBJECT);
	assert_string_equal(npu_jv_get_str(root, "generation"), gen);
	assert_non_null(npu_jv_get_str(root, "pci_id"));
	assert_non_null(npu_jv_get_str(root, "firmware_version"));
	assert_string_equal(npu_jv_get_str(root, "state"), "ready");
	assert_string_equal(npu_jv_get_str(root, "power_state"), "D0");
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		uint64_t u;

		if (!npu_jv_get_u64(root, numbers[i], &u))
			fail_msg("status: %s is missing or not a count: %s", numbers[i], text);
	}
	v = npu_jv_get(root, "utilization");
	assert_non_null(v);
	assert_int_equal(v->type, NPU_JV_NUMBER);
	assert_true(v->num >= 0.0 && v->num <= 1.0);
	v = npu_jv_get(root, "clients");
	assert_non_null(v);
	assert_int_equal(v->type, NPU_JV_ARRAY);
	for (const struct npu_jv *c = v->kids; c; c = c->next) {
		uint64_t u;

		assert_true(npu_jv_get_u64(c, "memory_bytes", &u));
		assert_true(npu_jv_get_u64(c, "busy_time_us", &u));
	}
	return root;
}

#endif
