/* SPDX-License-Identifier: MIT */
/*
 * A small streaming JSON writer for the programs' --json output.
 *
 * Values are written in call order; keys are given inside objects and NULL
 * inside arrays. Output is compact, one document per npu_json_init/finish.
 */
#ifndef NPU_UTIL_JSON_H
#define NPU_UTIL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/out.h"

#define NPU_JSON_MAX_DEPTH 16

struct npu_json {
	struct npu_out out;
	int depth;
	bool need_comma[NPU_JSON_MAX_DEPTH];
	bool overflow; /* nesting deeper than NPU_JSON_MAX_DEPTH: output is invalid */
};

void npu_json_init(struct npu_json *j, FILE *out);
/* Into buf (cap bytes, NUL-terminated): no stdio stream needed (no fmemopen on Redox). */
void npu_json_init_buf(struct npu_json *j, char *buf, size_t cap);
/*
 * Ends the document with a newline; returns 0, or -1 if nesting was
 * unbalanced or the buffer was too small.
 */
int npu_json_finish(struct npu_json *j);
/* Bytes written so far (into a buffer: wanted, may be over its size). */
size_t npu_json_len(const struct npu_json *j);

void npu_json_obj_begin(struct npu_json *j, const char *key);
void npu_json_obj_end(struct npu_json *j);
void npu_json_arr_begin(struct npu_json *j, const char *key);
void npu_json_arr_end(struct npu_json *j);

void npu_json_str(struct npu_json *j, const char *key, const char *val);
/* A string from a byte range that may lack a NUL; non-ASCII bytes become \u00XX. */
void npu_json_strn(struct npu_json *j, const char *key, const char *val, size_t len);
void npu_json_u64(struct npu_json *j, const char *key, uint64_t val);
void npu_json_i64(struct npu_json *j, const char *key, int64_t val);
void npu_json_double(struct npu_json *j, const char *key, double val);
void npu_json_bool(struct npu_json *j, const char *key, bool val);
void npu_json_null(struct npu_json *j, const char *key);

#endif
