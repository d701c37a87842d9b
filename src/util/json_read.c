/* SPDX-License-Identifier: MIT */
/* The JSON reader: recursive descent over the text, one node per value. */
#include "util/json_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char *p, *start, *end;
	char *err;
	size_t err_len;
	int depth;
	bool nomem;
};

static int fail(struct reader *r, const char *what)
{
	if (r->err && r->err_len)
		snprintf(r->err, r->err_len, "%s at byte %zu", what, (size_t)(r->p - r->start));
	return -EINVAL;
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	r->p += n;
	return true;
}

static int hex4(struct reader *r, unsigned *out)
{
	unsigned v = 0;

	if (r->end - r->p < 4)
		return fail(r, "a \\u escape cut short");
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(r, "a \\u escape that is not hexadecimal");
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* One escape after the backslash, written to o; returns bytes written or -EINVAL. */
static int escape(struct reader *r, char *o)
{
	unsigned cp = 0, lo = 0;
	char c;

	if (r->p >= r->end)
		return fail(r, "a string cut short");
	c = *r->p++;
	switch (c) {
	case '"':
	case '\\':
	case '/':
		*o = c;
		return 1;
	case 'b':
		*o = '\b';
		return 1;
	case 'f':
		*o = '\f';
		return 1;
	case 'n':
		*o = '\n';
		return 1;
	case 'r':
		*o = '\r';
		return 1;
	case 't':
		*o = '\t';
		return 1;
	case 'u':
		break;
	default:
		return fail(r, "an unknown escape in a string");
	}
	if (hex4(r, &cp))
		return -EINVAL;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return fail(r, "a lone low surrogate");
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return fail(r, "a high surrogate without its low half");
		r->p += 2;
		if (hex4(r, &lo))
			return -EINVAL;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return fail(r, "a high surrogate without its low half");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	return (int)put_utf8(o, cp);
}

/*
 * A string after its opening quote, into a malloc'd *out: decoding never
 * makes it longer than its raw bytes.
 */
static int string(struct reader *r, char **out, size_t *out_len)
{
	const char *q = r->p;
	size_t cap;
	char *s, *o;

	while (q < r->end && *q != '"')
		q += (*q == '\\' && q + 1 < r->end) ? 2 : 1;
	cap = (size_t)(q - r->p) + 1;
	s = malloc(cap);
	if (!s) {
		r->nomem = true;
		return -ENOMEM;
	}
	o = s;
	for (;;) {
		unsigned char c;

		if (r->p >= r->end) {
			free(s);
			return fail(r, "a string without its closing quote");
		}
		c = (unsigned char)*r->p++;
		if (c == '"')
			break;
		if (c < 0x20) {
			free(s);
			return fail(r, "a control character inside a string");
		}
		if (c == '\\') {
			int n = escape(r, o);

			if (n < 0) {
				free(s);
				return n;
			}
			o += n;
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	*out = s;
	*out_len = (size_t)(o - s);
	return 0;
}

static bool digit(const char *q)
{
	return *q >= '0' && *q <= '9';
}

static int number(struct reader *r, struct npu_jv *v)
{
	const char *q = r->p;
	bool integral = true, negative = false;
	char buf[64];
	size_t n;

	if (q < r->end && *q == '-') {
		negative = true;
		q++;
	}
	if (q >= r->end || !digit(q))
		return fail(r, "a number without digits");
	if (*q == '0')
		q++;
	else
		while (q < r->end && digit(q))
			q++;
	if (q < r->end && *q == '.') {
		integral = false;
		if (++q >= r->end || !digit(q))
			return fail(r, "a number without digits after the point");
		while (q < r->end && digit(q))
			q++;
	}
	if (q < r->end && (*q == 'e' || *q == 'E')) {
		integral = false;
		if (++q < r->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= r->end || !digit(q))
			return fail(r, "a number without digits in its exponent");
		while (q < r->end && digit(q))
			q++;
	}
	n = (size_t)(q - r->p);
	if (n >= sizeof(buf))
		return fail(r, "a number too long to read");
	memcpy(buf, r->p, n);
	buf[n] = '\0';
	v->type = NPU_JV_NUMBER;
	v->num = strtod(buf, NULL);
	if (integral && !negative) {
		errno = 0;
		v->u64 = strtoull(buf, NULL, 10);
		v->is_u64 = errno == 0;
	}
	r->p = q;
	return 0;
}

static int value(struct reader *r, struct npu_jv *v);

/*
 * Elements of an array or members of an object, after the opening bracket.
 * children() and value() recurse once per nesting level, which value() bounds
 * at NPU_JSON_READ_MAX_DEPTH.
 */
/* NOLINTNEXTLINE(misc-no-recursion): bounded by NPU_JSON_READ_MAX_DEPTH */
static int children(struct reader *r, struct npu_jv *v, char close, bool members)
{
	struct npu_jv **tail = &v->kids;
	int ret;

	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		struct npu_jv *k = calloc(1, sizeof(*k));

		if (!k) {
			r->nomem = true;
			return -ENOMEM;
		}
		*tail = k;
		tail = &k->next;
		skip_ws(r);
		if (members) {
			size_t klen;

			if (r->p >= r->end || *r->p != '"')
				return fail(r, "an object member without a name");
			r->p++;
			ret = string(r, &k->key, &klen);
			if (ret)
				return ret;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':')
				return fail(r, "a member name without ':'");
			r->p++;
		}
		ret = value(r, k);
		if (ret)
			return ret;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return 0;
		}
		return fail(r, members ? "an object without ',' or '}'"
				       : "an array without ',' or ']'");
	}
}

/* NOLINTNEXTLINE(misc-no-recursion): bounded by NPU_JSON_READ_MAX_DEPTH */
static int value(struct reader *r, struct npu_jv *v)
{
	int ret;

	skip_ws(r);
	if (r->p >= r->end)
		return fail(r, "a value missing");
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > NPU_JSON_READ_MAX_DEPTH)
			return fail(r, "nesting too deep");
		v->type = *r->p == '{' ? NPU_JV_OBJECT : NPU_JV_ARRAY;
		r->p++;
		ret =
		    children(r, v, v->type == NPU_JV_OBJECT ? '}' : ']', v->type == NPU_JV_OBJECT);
		r->depth--;
		return ret;
	case '"':
		r->p++;
		v->type = NPU_JV_STRING;
		return string(r, &v->str, &v->str_len);
	case 't':
	case 'f':
		v->type = NPU_JV_BOOL;
		v->boolean = *r->p == 't';
		return literal(r, v->boolean ? "true" : "false") ? 0 : fail(r, "an unknown word");
	case 'n':
		v->type = NPU_JV_NULL;
		return literal(r, "null") ? 0 : fail(r, "an unknown word");
	default:
		return number(r, v);
	}
}

/* Without recursion: a node's children are spliced in after it, then it is freed. */
void npu_jv_free(struct npu_jv *v)
{
	while (v) {
		struct npu_jv *next;

		if (v->kids) {
			struct npu_jv *last = v->kids;

			while (last->next)
				last = last->next;
			last->next = v->next;
			v->next = v->kids;
			v->kids = NULL;
		}
		next = v->next;
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

int npu_jv_parse(const char *text, size_t len, struct npu_jv **out, char *err, size_t err_len)
{
	struct reader r = {
		.p = text, .start = text, .end = text + len, .err = err, .err_len = err_len
	};
	struct npu_jv *root = calloc(1, sizeof(*root));
	int ret;

	*out = NULL;
	if (err && err_len)
		err[0] = '\0';
	if (!root)
		return -ENOMEM;
	ret = value(&r, root);
	if (!ret) {
		skip_ws(&r);
		if (r.p != r.end)
			ret = fail(&r, "text after the value");
	}
	if (ret) {
		npu_jv_free(root);
		if (r.nomem && err && err_len)
			snprintf(err, err_len, "out of memory");
		return r.nomem ? -ENOMEM : ret;
	}
	*out = root;
	return 0;
}

const struct npu_jv *npu_jv_get(const struct npu_jv *obj, const char *key)
{
	if (!obj || obj->type != NPU_JV_OBJECT)
		return NULL;
	for (const struct npu_jv *k = obj->kids; k; k = k->next)
		if (k->key && strcmp(k->key, key) == 0)
			return k;
	return NULL;
}

bool npu_jv_get_u64(const struct npu_jv *obj, const char *key, uint64_t *out)
{
	const struct npu_jv *v = npu_jv_get(obj, key);

	if (!v || v->type != NPU_JV_NUMBER || !v->is_u64)
		return false;
	*out = v->u64;
	return true;
}

const char *npu_jv_get_str(const struct npu_jv *obj, const char *key)
{
	const struct npu_jv *v = npu_jv_get(obj, key);

	return v && v->type == NPU_JV_STRING ? v->str : NULL;
}
