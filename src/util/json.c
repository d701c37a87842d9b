/* SPDX-License-Identifier: MIT */
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void npu_json_init(struct npu_json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = npu_out_file(out);
}

void npu_json_init_buf(struct npu_json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->out = npu_out_buf(buf, cap);
}

int npu_json_finish(struct npu_json *j)
{
	npu_out_putc(&j->out, '\n');
	return (j->depth == 0 && !j->overflow && npu_out_ok(&j->out)) ? 0 : -1;
}

size_t npu_json_len(const struct npu_json *j)
{
	return j->out.len;
}

/* Writes s as a quoted JSON string (escaped) to out. */
static void write_string(struct npu_out *out, const char *s, size_t len)
{
	npu_out_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			npu_out_puts(out, "\\\"");
			break;
		case '\\':
			npu_out_puts(out, "\\\\");
			break;
		case '\n':
			npu_out_puts(out, "\\n");
			break;
		case '\r':
			npu_out_puts(out, "\\r");
			break;
		case '\t':
			npu_out_puts(out, "\\t");
			break;
		default:
			/* Control bytes and bytes that are not ASCII are escaped, so the
			 * output is valid JSON whatever a device or file held. */
			if (c < 0x20 || c >= 0x7f)
				npu_out_printf(out, "\\u%04x", c);
			else
				npu_out_putc(out, (char)c);
		}
	}
	npu_out_putc(out, '"');
}

/* Writes the separator and the key of the next value. */
static void prefix(struct npu_json *j, const char *key)
{
	if (j->depth > 0 && j->depth <= NPU_JSON_MAX_DEPTH) {
		if (j->need_comma[j->depth - 1])
			npu_out_putc(&j->out, ',');
		j->need_comma[j->depth - 1] = true;
	}
	if (key) {
		write_string(&j->out, key, strlen(key));
		npu_out_putc(&j->out, ':');
	}
}

static void json_open(struct npu_json *j, const char *key, char c)
{
	prefix(j, key);
	npu_out_putc(&j->out, c);
	if (j->depth >= NPU_JSON_MAX_DEPTH) {
		j->overflow = true;
	} else {
		j->need_comma[j->depth] = false;
	}
	j->depth++;
}

static void json_close(struct npu_json *j, char c)
{
	npu_out_putc(&j->out, c);
	if (j->depth > 0)
		j->depth--;
	else
		j->overflow = true;
}

void npu_json_obj_begin(struct npu_json *j, const char *key)
{
	json_open(j, key, '{');
}

void npu_json_obj_end(struct npu_json *j)
{
	json_close(j, '}');
}

void npu_json_arr_begin(struct npu_json *j, const char *key)
{
	json_open(j, key, '[');
}

void npu_json_arr_end(struct npu_json *j)
{
	json_close(j, ']');
}

void npu_json_str(struct npu_json *j, const char *key, const char *val)
{
	if (!val) {
		npu_json_null(j, key);
		return;
	}
	npu_json_strn(j, key, val, strlen(val));
}

void npu_json_strn(struct npu_json *j, const char *key, const char *val, size_t len)
{
	prefix(j, key);
	write_string(&j->out, val, len);
}

void npu_json_u64(struct npu_json *j, const char *key, uint64_t val)
{
	prefix(j, key);
	npu_out_printf(&j->out, "%" PRIu64, val);
}

void npu_json_i64(struct npu_json *j, const char *key, int64_t val)
{
	prefix(j, key);
	npu_out_printf(&j->out, "%" PRId64, val);
}

void npu_json_double(struct npu_json *j, const char *key, double val)
{
	prefix(j, key);
	if (isfinite(val))
		npu_out_printf(&j->out, "%.6g", val);
	else
		npu_out_puts(&j->out, "null");
}

void npu_json_bool(struct npu_json *j, const char *key, bool val)
{
	prefix(j, key);
	npu_out_puts(&j->out, val ? "true" : "false");
}

void npu_json_null(struct npu_json *j, const char *key)
{
	prefix(j, key);
	npu_out_puts(&j->out, "null");
}
