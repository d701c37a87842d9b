/* SPDX-License-Identifier: MIT */
/*
 * The one-screen text of a device status report, `npuctl status`'s layout,
 * made from the report's JSON: what the server's STATUS request answers and
 * drv_device_stats_json writes (the keys are in docs/cli.md). One renderer
 * for every place the text is shown: /scheme/npu/status on Redox, npuctl.
 *
 * A key the report lacks, or holds as null, shows as unknown ("-",
 * "unknown", or the part left out); numbers of another type count as absent.
 * Each client's row carries its pid, uid and name when the report has them
 * (through npud; null in-process). Text from the report is printed with
 * control characters replaced by '?'.
 */
#ifndef NPU_UTIL_STATUS_TEXT_H
#define NPU_UTIL_STATUS_TEXT_H

#include <stddef.h>
#include <stdio.h>

struct npu_jv;

/*
 * Renders len bytes of JSON text to out. Returns 0, or -EINVAL when the text
 * is not a JSON object (the reason in err), -ENOMEM.
 */
int npu_status_text(const char *json, size_t len, FILE *out, char *err, size_t err_len);

/* The same from a parsed report; -EINVAL when it is not an object. */
int npu_status_text_jv(const struct npu_jv *report, FILE *out);
/*
 * The same into buf (cap bytes, NUL-terminated; *n the text's length):
 * -ENOSPC when it does not fit. No stdio stream (no fmemopen on Redox).
 */
int npu_status_text_buf(const char *json, size_t len, char *buf, size_t cap, size_t *n, char *err,
			size_t err_len);

#endif
