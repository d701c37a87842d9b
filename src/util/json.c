/* SPDX-License-Identifier: MIT */
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void npu_json_init(struct npu_json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

int npu_json_finish(struct npu_json *j)
{
	fputc('\n', j->out);
	return (j->depth == 0 && !j->overflow) ? 0 : -1;
}

/* Writes s as a quoted JSON string (escaped) to out. */
static void json_write_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			/* Control bytes and bytes that are not ASCII are escaped, so the
			 * output is valid JSON whatever a device or file held. */
			if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

/* Writes the separator and the key of the next value. */
static void prefix(struct npu_json *j, const char *key)
{
	if (j->depth > 0 && j->depth <= NPU_JSON_MAX_DEPTH) {
		if (j->need_comma[j->depth - 1])
			fputc(',', j->out);
		j->need_comma[j->depth - 1] = true;
	}
	if (key) {
		json_write_string(j->out, key, strlen(key));
		fputc(':', j->out);
	}
}

static void json_open(struct npu_json *j, const char *key, char c)
{
	prefix(j, key);
	fputc(c, j->out);
	if (j->depth >= NPU_JSON_MAX_DEPTH) {
		j->overflow = true;
	} else {
		j->need_comma[j->depth] = false;
	}
	j->depth++;
}

static void json_close(struct npu_json *j, char c)
{
	fputc(c, j->out);
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
	json_write_string(j->out, val, len);
}

void npu_json_u64(struct npu_json *j, const char *key, uint64_t val)
{
	prefix(j, key);
	fprintf(j->out, "%" PRIu64, val);
}

void npu_json_i64(struct npu_json *j, const char *key, int64_t val)
{
	prefix(j, key);
	fprintf(j->out, "%" PRId64, val);
}

void npu_json_double(struct npu_json *j, const char *key, double val)
{
	prefix(j, key);
	if (isfinite(val))
		fprintf(j->out, "%.6g", val);
	else
		fputs("null", j->out);
}

void npu_json_bool(struct npu_json *j, const char *key, bool val)
{
	prefix(j, key);
	fputs(val ? "true" : "false", j->out);
}

void npu_json_null(struct npu_json *j, const char *key)
{
	prefix(j, key);
	fputs("null", j->out);
}
