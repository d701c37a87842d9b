/* SPDX-License-Identifier: MIT */
/*
 * Text output to a stdio stream or into a caller's buffer, for writers that
 * serve both (the JSON writer, the status text). The buffer replaces
 * fmemopen, which relibc does not have (docs/redox.md).
 */
#ifndef NPU_UTIL_OUT_H
#define NPU_UTIL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct npu_out {
	FILE *f;    /* NULL: into buf */
	char *buf;  /* kept NUL-terminated while it has room */
	size_t cap; /* bytes of buf */
	size_t len; /* bytes written, or that would have been: over cap - 1 means cut */
};

static inline struct npu_out npu_out_file(FILE *f)
{
	return (struct npu_out){ .f = f };
}

static inline struct npu_out npu_out_buf(char *buf, size_t cap)
{
	if (buf && cap)
		buf[0] = '\0';
	return (struct npu_out){ .buf = buf, .cap = cap };
}

void npu_out_printf(struct npu_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void npu_out_write(struct npu_out *o, const void *p, size_t n);
void npu_out_puts(struct npu_out *o, const char *s);
void npu_out_putc(struct npu_out *o, char c);
/* Whether everything fit (a buffer) or was written (a stream, no error so far). */
bool npu_out_ok(const struct npu_out *o);

#endif
