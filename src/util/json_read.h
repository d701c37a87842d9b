/* SPDX-License-Identifier: MIT */
/*
 * A small JSON reader (RFC 8259) for the documents this project writes:
 * the status report npud sends (npuctl status --socket) and the tests.
 *
 * The whole text must be one value, optionally surrounded by whitespace;
 * nesting is limited to NPU_JSON_READ_MAX_DEPTH. The result is a tree of
 * values, freed with npu_jv_free.
 */
#ifndef NPU_UTIL_JSON_READ_H
#define NPU_UTIL_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NPU_JSON_READ_MAX_DEPTH 32

enum npu_jv_type {
	NPU_JV_NULL,
	NPU_JV_BOOL,
	NPU_JV_NUMBER,
	NPU_JV_STRING,
	NPU_JV_ARRAY,
	NPU_JV_OBJECT,
};

struct npu_jv {
	enum npu_jv_type type;
	char *key;	     /* a member of an object: its name; else NULL */
	char *str;	     /* STRING: the decoded text (UTF-8, NUL-terminated; may hold NULs) */
	size_t str_len;	     /* STRING: bytes of str */
	double num;	     /* NUMBER */
	bool is_u64;	     /* NUMBER: a non-negative integer that fits u64 exactly */
	uint64_t u64;	     /* NUMBER, when is_u64 */
	bool boolean;	     /* BOOL */
	struct npu_jv *kids; /* ARRAY, OBJECT: the first element or member */
	struct npu_jv *next; /* the next sibling */
};

/*
 * Parses len bytes of text. Returns 0 with *out, or -EINVAL with a reason
 * (and the byte offset) in err, or -ENOMEM.
 */
int npu_jv_parse(const char *text, size_t len, struct npu_jv **out, char *err, size_t err_len);
void npu_jv_free(struct npu_jv *v);

/* The member of an object by name (the first one of that name), or NULL. */
const struct npu_jv *npu_jv_get(const struct npu_jv *obj, const char *key);

/* A member's value as u64 / string, or false / NULL when absent or of another type. */
bool npu_jv_get_u64(const struct npu_jv *obj, const char *key, uint64_t *out);
const char *npu_jv_get_str(const struct npu_jv *obj, const char *key);

#endif
