/* SPDX-License-Identifier: MIT */
/* Text output to a stream or a buffer (out.h). */
#include "util/out.h"

#include <stdarg.h>
#include <string.h>

static void room_write(struct npu_out *o, const char *p, size_t n)
{
	if (o->len < o->cap) {
		size_t k = o->cap - 1 - o->len < n ? o->cap - 1 - o->len : n;

		memcpy(o->buf + o->len, p, k);
		o->buf[o->len + k] = '\0';
	}
	o->len += n;
}

void npu_out_printf(struct npu_out *o, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	if (o->f) {
		vfprintf(o->f, fmt, ap);
		va_end(ap);
		return;
	}
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		room_write(o, small, (size_t)n);
		return;
	}
	/* Longer than the scratch: straight into the buffer where it fits. */
	if (o->len < o->cap) {
		va_start(ap, fmt);
		vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
	}
	o->len += (size_t)n;
}

void npu_out_write(struct npu_out *o, const void *p, size_t n)
{
	if (o->f)
		fwrite(p, 1, n, o->f);
	else
		room_write(o, p, n);
}

void npu_out_puts(struct npu_out *o, const char *s)
{
	npu_out_write(o, s, strlen(s));
}

void npu_out_putc(struct npu_out *o, char c)
{
	npu_out_write(o, &c, 1);
}

bool npu_out_ok(const struct npu_out *o)
{
	return o->f ? !ferror(o->f) : o->len < o->cap;
}
