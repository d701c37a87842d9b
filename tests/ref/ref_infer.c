/* SPDX-License-Identifier: MIT */
/*
 * CPU reference of docs/model-format.md: parser and arithmetic written from
 * the document (only the constants of include/npu/model.h are shared with the
 * device model). Tensors are held as int32 here, accumulators in int64 with
 * the document's int32 bound asserted, and rounding is done by division.
 */
#include "ref_infer.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "npu/model.h"

#define MAXL NPU_MODEL_LAYERS_MAX

struct rl {
	unsigned type, flags, size;
	unsigned ic, ih, iw, oc, oh, ow;
	unsigned kh, kw, sh, sw, ph, pw;
	long izp, ozp, wzp;
	const uint8_t *payload;
};

struct rm {
	unsigned n, c, h, w, shift, classes, record;
	long mult, zp;
	struct rl l[MAXL];
	uint64_t work;
};

static uint32_t u16at(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8;
}

static uint32_t u32at(const uint8_t *p, size_t off)
{
	return u16at(p, off) | u16at(p, off + 2) << 16;
}

static long s32at(const uint8_t *p, size_t off)
{
	uint32_t v = u32at(p, off);

	return v & 0x80000000u ? (long)v - 0x100000000L : (long)v;
}

static long s8at(const uint8_t *p, size_t off)
{
	return p[off] >= 128 ? (long)p[off] - 256 : (long)p[off];
}

static uint32_t no(const char **why, uint32_t status, const char *text)
{
	if (why)
		*why = text;
	return status;
}

static bool zp_in_range(long zp)
{
	return zp >= -128 && zp <= 127;
}

static bool shape_in_bounds(unsigned c, unsigned h, unsigned w)
{
	if (c == 0 || h == 0 || w == 0 || c > 4096 || h > 4096 || w > 4096)
		return false;
	return (uint64_t)c * h * w <= (1u << 20);
}

static unsigned round4(unsigned v)
{
	return (v + 3) / 4 * 4;
}

/* The type rules of §5 for one layer; *size is the record size it must have, *work its work. */
static uint32_t type_rules(const struct rl *l, unsigned *size, uint64_t *work, const char **why)
{
	uint64_t in = (uint64_t)l->ic * l->ih * l->iw;
	bool window = l->kh || l->kw || l->sh || l->sw || l->ph || l->pw;
	bool softmax = l->flags & 1;

	if (!zp_in_range(l->ozp) || !zp_in_range(l->wzp))
		return no(why, REF_WRONG_FORMAT, "zero point range");
	if (l->wzp != 0 && l->type != 1 && l->type != 2)
		return no(why, REF_WRONG_FORMAT, "w_zp without weights");
	if (l->type == 1) {
		if (window || l->oh != 1 || l->ow != 1 || !shape_in_bounds(l->oc, 1, 1) ||
		    in > 16384)
			return no(why, REF_WRONG_FORMAT, "dense rules");
		*size = 64 + 12 * l->oc + round4(l->oc * (unsigned)in);
		*work = l->oc * in;
		return REF_OK;
	}
	if (l->type == 2) {
		if (l->kh < 1 || l->kh > 64 || l->kw < 1 || l->kw > 64 || l->sh < 1 || l->sh > 64 ||
		    l->sw < 1 || l->sw > 64 || l->ph > l->kh - 1 || l->pw > l->kw - 1 ||
		    l->ih + 2 * l->ph < l->kh || l->iw + 2 * l->pw < l->kw)
			return no(why, REF_WRONG_FORMAT, "conv2d window");
		if (l->oh != (l->ih + 2 * l->ph - l->kh) / l->sh + 1 ||
		    l->ow != (l->iw + 2 * l->pw - l->kw) / l->sw + 1 ||
		    !shape_in_bounds(l->oc, l->oh, l->ow))
			return no(why, REF_WRONG_FORMAT, "conv2d output shape");
		if ((uint64_t)l->ic * l->kh * l->kw > 16384)
			return no(why, REF_WRONG_FORMAT, "conv2d K");
		*size = 64 + 12 * l->oc + round4(l->oc * l->ic * l->kh * l->kw);
		*work = (uint64_t)l->oc * l->oh * l->ow * l->ic * l->kh * l->kw;
		return REF_OK;
	}
	if (l->type == 3) {
		if (window || l->oc != l->ic || l->oh != l->ih || l->ow != l->iw ||
		    l->ozp != l->izp)
			return no(why, REF_WRONG_FORMAT, "relu rules");
		*size = 64;
		*work = in;
		return REF_OK;
	}
	if (l->type == 4) {
		if (l->kh < 1 || l->kh > 64 || l->kw < 1 || l->kw > 64 || l->sh < 1 || l->sh > 64 ||
		    l->sw < 1 || l->sw > 64 || l->ph || l->pw || l->kh > l->ih || l->kw > l->iw)
			return no(why, REF_WRONG_FORMAT, "maxpool window");
		if (l->oc != l->ic || l->ozp != l->izp || l->oh != (l->ih - l->kh) / l->sh + 1 ||
		    l->ow != (l->iw - l->kw) / l->sw + 1)
			return no(why, REF_WRONG_FORMAT, "maxpool output");
		*size = 64;
		*work = (uint64_t)l->oc * l->oh * l->ow * l->kh * l->kw;
		return REF_OK;
	}
	if (window || in > 4096 || l->oc != in || l->oh != 1 || l->ow != 1 || l->ozp != l->izp)
		return no(why, REF_WRONG_FORMAT, "head rules");
	*size = softmax ? 64 + 512 : 64;
	*work = softmax ? 2 * in : in;
	return REF_OK;
}

/* Payload rules: bias, multiplier, shift bounds; zero padding; exp[0] >= 1. */
static uint32_t payload_rules(const struct rl *l, const char **why)
{
	unsigned n = l->oc, weights;

	if (l->type == 5)
		return (l->flags & 1) && u16at(l->payload, 0) == 0
			   ? no(why, REF_WRONG_FORMAT, "exp[0] is 0")
			   : REF_OK;
	if (l->type != 1 && l->type != 2)
		return REF_OK;
	for (unsigned o = 0; o < n; o++) {
		long b = s32at(l->payload, 4 * o), m = s32at(l->payload, 4 * (n + o));
		uint32_t s = u32at(l->payload, 4 * (2 * n + o));

		if (b < -(1L << 30) || b > (1L << 30) || m < 0 || s > 62)
			return no(why, REF_WRONG_FORMAT, "bias, multiplier or shift");
	}
	weights = n * l->ic * (l->type == 2 ? l->kh * l->kw : l->ih * l->iw);
	for (unsigned i = 12 * n + weights; i < l->size - 64; i++) {
		if (l->payload[i])
			return no(why, REF_WRONG_FORMAT, "padding");
	}
	return REF_OK;
}

static uint32_t parse(struct rm *m, const uint8_t *b, size_t model_size, const char **why)
{
	uint32_t blob, off = 64, status;
	unsigned c, h, w;
	long zp;

	memset(m, 0, sizeof(*m));
	if (model_size < 64 || u32at(b, 0) != 0x4D55504Eu || u32at(b, 4) != 1 || u32at(b, 8) != 64)
		return no(why, REF_WRONG_FORMAT, "header start");
	blob = u32at(b, 12);
	if (blob < 64 || blob > model_size)
		return no(why, REF_WRONG_FORMAT, "blob_size");
	if (u32at(b, 20) != 1 || u32at(b, 56) != 0)
		return no(why, REF_UNSUPPORTED, "input type or header flags");
	m->n = u32at(b, 16);
	m->c = u32at(b, 24), m->h = u32at(b, 28), m->w = u32at(b, 32);
	m->mult = s32at(b, 36), m->shift = u32at(b, 40), m->zp = s32at(b, 44);
	m->classes = u32at(b, 48), m->record = u32at(b, 52);
	if (u32at(b, 60) != 0 || m->n < 1 || m->n > 64 || !shape_in_bounds(m->c, m->h, m->w) ||
	    m->mult < 0 || m->shift > 62 || !zp_in_range(m->zp))
		return no(why, REF_WRONG_FORMAT, "header fields");
	m->work = (uint64_t)m->c * m->h * m->w;
	c = m->c, h = m->h, w = m->w, zp = m->zp;
	for (unsigned i = 0; i < m->n; i++) {
		struct rl *l = &m->l[i];
		const uint8_t *p = b + off;
		unsigned size = 0;
		uint64_t work = 0;

		if (blob - off < 64)
			return no(why, REF_WRONG_FORMAT, "layer header cut");
		l->type = u16at(p, 0), l->flags = u16at(p, 2), l->size = u32at(p, 4);
		if (l->type < 1 || l->type > 5 || (l->flags & ~(l->type == 5 ? 1u : 0u)))
			return no(why, REF_UNSUPPORTED, "layer type or flags");
		l->ic = u32at(p, 8), l->ih = u32at(p, 12), l->iw = u32at(p, 16);
		l->oc = u32at(p, 20), l->oh = u32at(p, 24), l->ow = u32at(p, 28);
		l->kh = u16at(p, 32), l->kw = u16at(p, 34), l->sh = u16at(p, 36);
		l->sw = u16at(p, 38), l->ph = u16at(p, 40), l->pw = u16at(p, 42);
		l->izp = s32at(p, 44), l->ozp = s32at(p, 48), l->wzp = s32at(p, 52);
		if (u32at(p, 56) || u32at(p, 60))
			return no(why, REF_WRONG_FORMAT, "layer reserved");
		if (l->ic != c || l->ih != h || l->iw != w || l->izp != zp)
			return no(why, REF_WRONG_FORMAT, "chain");
		if ((l->type == 5) != (i == m->n - 1))
			return no(why, REF_WRONG_FORMAT, "head position");
		status = type_rules(l, &size, &work, why);
		if (status)
			return status;
		if (l->size != size || size > blob - off)
			return no(why, REF_WRONG_FORMAT, "record size");
		l->payload = p + 64;
		status = payload_rules(l, why);
		if (status)
			return status;
		m->work += work;
		off += size;
		c = l->oc, h = l->oh, w = l->ow, zp = l->ozp;
	}
	if (off != blob || m->classes != c ||
	    m->record != 4 + round4(c) + ((m->l[m->n - 1].flags & 1) ? round4(2 * c) : 0) ||
	    m->work > (1u << 24))
		return no(why, REF_WRONG_FORMAT, "after the layers");
	return REF_OK;
}

uint32_t ref_check(const uint8_t *model, size_t model_size, struct ref_model_info *info,
		   const char **why)
{
	struct rm *m = malloc(sizeof(*m));
	uint32_t status;

	if (!m)
		abort();
	status = parse(m, model, model_size, why);
	if (status == REF_OK && info) {
		info->sample_size = m->c * m->h * m->w;
		info->record_size = m->record;
		info->classes = m->classes;
		info->softmax = (m->l[m->n - 1].flags & 1) != 0;
		info->work = m->work;
	}
	free(m);
	return status;
}

/* ---- arithmetic (§3) ---- */

static long requantise(int64_t v, long mult, unsigned shift, long zp)
{
	int64_t p = v * mult, q = p;

	if (shift > 0) {
		uint64_t mag = p < 0 ? (uint64_t)0 - (uint64_t)p : (uint64_t)p;
		uint64_t div = (uint64_t)1 << shift;
		uint64_t r = (mag + div / 2) / div;

		q = p < 0 ? -(int64_t)r : (int64_t)r;
	}
	q += zp;
	return q < -128 ? -128 : q > 127 ? 127 : (long)q;
}

static void check_acc(int64_t acc)
{
	if (acc > INT32_MAX || acc < INT32_MIN)
		abort(); /* the format's bounds promise this never happens */
}

/* Dense and conv2d: output (o, y, x) from the int32 tensor t into u. */
static void weighted(const struct rl *l, const long *t, long *u)
{
	unsigned n = l->oc;
	bool conv = l->type == 2;
	unsigned kh = conv ? l->kh : 1, kw = conv ? l->kw : 1;
	unsigned per = conv ? l->ic * kh * kw : l->ic * l->ih * l->iw;
	const uint8_t *wt = l->payload + 12 * n;

	for (unsigned y = 0; y < l->oh; y++) {
		for (unsigned x = 0; x < l->ow; x++) {
			for (unsigned o = 0; o < n; o++) {
				int64_t acc = s32at(l->payload, 4 * o);

				for (unsigned k = 0; k < per; k++) {
					unsigned c = k / (kh * kw), ky = k / kw % kh, kx = k % kw;
					long iy = conv ? (long)(y * l->sh + ky) - (long)l->ph : 0;
					long ix = conv ? (long)(x * l->sw + kx) - (long)l->pw : 0;
					long v;

					if (iy < 0 || ix < 0 || iy >= (long)l->ih ||
					    ix >= (long)l->iw)
						continue;
					v = conv ? t[((long)c * l->ih + iy) * l->iw + ix] : t[k];
					acc += (int64_t)(v - l->izp) *
					       (s8at(wt, (size_t)o * per + k) - l->wzp);
				}
				check_acc(acc);
				u[((size_t)o * l->oh + y) * l->ow + x] =
				    requantise(acc, s32at(l->payload, 4 * (n + o)),
					       u32at(l->payload, 4 * (2 * n + o)), l->ozp);
			}
		}
	}
}

static void pool(const struct rl *l, const long *t, long *u)
{
	for (unsigned c = 0; c < l->oc; c++)
		for (unsigned y = 0; y < l->oh; y++)
			for (unsigned x = 0; x < l->ow; x++) {
				long best = -129;

				for (unsigned ky = 0; ky < l->kh; ky++)
					for (unsigned kx = 0; kx < l->kw; kx++) {
						long v =
						    t[((size_t)c * l->ih + y * l->sh + ky) * l->iw +
						      x * l->sw + kx];

						if (v > best)
							best = v;
					}
				u[((size_t)c * l->oh + y) * l->ow + x] = best;
			}
}

static void head(const struct rl *l, const long *t, uint8_t *rec, unsigned record)
{
	unsigned k = l->oc, top = 0;
	uint64_t total = 0;

	for (unsigned i = 0; i < k; i++)
		if (t[i] > t[top])
			top = i;
	memset(rec, 0, record);
	for (unsigned i = 0; i < 4; i++)
		rec[i] = (uint8_t)(top >> (8 * i));
	for (unsigned i = 0; i < k; i++)
		rec[4 + i] = (uint8_t)(t[i] < 0 ? t[i] + 256 : t[i]);
	if (!(l->flags & 1))
		return;
	for (unsigned i = 0; i < k; i++)
		total += u16at(l->payload, 2 * (size_t)(t[top] - t[i]));
	for (unsigned i = 0; i < k; i++) {
		uint64_t e = u16at(l->payload, 2 * (size_t)(t[top] - t[i]));
		uint64_t p = (e * 65536 + total / 2) / total;
		size_t at = 4 + round4(k) + 2 * (size_t)i;

		if (p > 65535)
			p = 65535;
		rec[at] = (uint8_t)p;
		rec[at + 1] = (uint8_t)(p >> 8);
	}
}

uint32_t ref_infer(const uint8_t *model, size_t model_size, uint32_t batch, const uint8_t *input,
		   size_t input_size, uint8_t *output, size_t output_size, const char **why)
{
	struct rm *m = malloc(sizeof(*m));
	uint32_t status;
	size_t most;
	long *t = NULL, *u = NULL;

	if (!m)
		abort();
	status = parse(m, model, model_size, why);
	if (status != REF_OK)
		goto out;
	if (input_size != (uint64_t)batch * m->c * m->h * m->w ||
	    output_size < (uint64_t)batch * m->record) {
		status = no(why, REF_PARSING_ERR, "input or output size");
		goto out;
	}
	if (batch * m->work > (1ull << 24)) {
		status = no(why, REF_OUT_OF_RESOURCES, "work");
		goto out;
	}
	most = (size_t)m->c * m->h * m->w;
	for (unsigned i = 0; i < m->n; i++)
		if ((size_t)m->l[i].oc * m->l[i].oh * m->l[i].ow > most)
			most = (size_t)m->l[i].oc * m->l[i].oh * m->l[i].ow;
	t = malloc(most * sizeof(*t));
	u = malloc(most * sizeof(*u));
	if (!t || !u)
		abort();
	for (uint32_t s = 0; s < batch; s++) {
		const uint8_t *x = input + (size_t)s * m->c * m->h * m->w;

		for (size_t i = 0; i < (size_t)m->c * m->h * m->w; i++)
			t[i] = requantise(x[i], m->mult, m->shift, m->zp);
		for (unsigned i = 0; i + 1 < m->n; i++) {
			const struct rl *l = &m->l[i];
			long *swap;

			if (l->type == 1 || l->type == 2) {
				weighted(l, t, u);
			} else if (l->type == 4) {
				pool(l, t, u);
			} else {
				for (size_t k = 0; k < (size_t)l->ic * l->ih * l->iw; k++)
					u[k] = t[k] < l->izp ? l->izp : t[k];
			}
			swap = t, t = u, u = swap;
		}
		head(&m->l[m->n - 1], t, output + (size_t)s * m->record, m->record);
	}
out:
	free(t);
	free(u);
	free(m);
	return status;
}
