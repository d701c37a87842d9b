/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's network engine: the checks of docs/model-format.md §7
 * steps 2-3, in the order that document gives (the first violation decides
 * the status), and the layers in integer arithmetic. The blob is untrusted:
 * every field is bounded before it is used in a size, so no sum or product
 * below can overflow, and the layers only index inside tensors whose shapes
 * were checked to chain.
 */
#include "sim/sim_model.h"

#include <stdbool.h>
#include <string.h>

#include "hw/jsm.h"
#include "util/bytes.h"

#define WRONG  NPU_JSM_STATUS_MVNCI_WRONG_INPUT_FORMAT
#define UNSUPP NPU_JSM_STATUS_MVNCI_UNSUPPORTED_NETWORK_ELEMENT
#define HDR    NPU_MODEL_HEADER_SIZE
#define LHDR   NPU_MODEL_LAYER_HEADER_SIZE

static uint32_t fail(const char **why, uint32_t status, const char *text)
{
	*why = text;
	return status;
}

/* A two's-complement int32 from 4 little-endian bytes, without implementation-defined casts. */
static int32_t le_s32(const uint8_t *p)
{
	uint32_t v = npu_le32(p);

	return v <= INT32_MAX ? (int32_t)v : -(int32_t)(~v) - 1;
}

static int32_t s8(uint8_t b)
{
	return (int32_t)b - ((int32_t)(b & 0x80u) << 1);
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

static bool zp_ok(int32_t zp)
{
	return zp >= -128 && zp <= 127;
}

static bool dims_ok(uint32_t c, uint32_t h, uint32_t w)
{
	return c >= 1 && h >= 1 && w >= 1 && c <= NPU_MODEL_DIM_MAX && h <= NPU_MODEL_DIM_MAX &&
	       w <= NPU_MODEL_DIM_MAX && (uint64_t)c * h * w <= NPU_MODEL_TENSOR_MAX;
}

/* docs/model-format.md §3: sat8(rq(v, mult, shift) + zp), rounding half away from zero. */
static int8_t requant(int32_t v, int32_t mult, uint32_t shift, int32_t zp)
{
	int64_t p = (int64_t)v * mult, r = p;

	if (shift > 0) {
		uint64_t half = 1ull << (shift - 1);

		if (p >= 0)
			r = (int64_t)(((uint64_t)p + half) >> shift);
		else
			r = -(int64_t)(((uint64_t)-p + half) >> shift);
	}
	r += zp;
	return (int8_t)(r < -128 ? -128 : r > 127 ? 127 : r);
}

uint32_t sim_model_check_header(const uint8_t *hdr, uint32_t model_size, uint32_t *blob_size,
				const char **why)
{
	if (model_size < HDR)
		return fail(why, WRONG, "model_size below the 64-byte header");
	if (npu_le32(hdr + offsetof(struct npu_model_header, magic)) != NPU_MODEL_MAGIC)
		return fail(why, WRONG, "not a model blob (magic)");
	if (npu_le32(hdr + offsetof(struct npu_model_header, version)) != NPU_MODEL_VERSION)
		return fail(why, WRONG, "blob version not 1");
	if (npu_le32(hdr + offsetof(struct npu_model_header, header_size)) != HDR)
		return fail(why, WRONG, "header_size not 64");
	*blob_size = npu_le32(hdr + offsetof(struct npu_model_header, blob_size));
	if (*blob_size < HDR || *blob_size > model_size)
		return fail(why, WRONG, "blob_size below 64 or past model_size (truncated blob)");
	return 0;
}

/* The blob header's fields after the first four (docs/model-format.md §7 step 3). */
static uint32_t parse_header(struct sim_model *m, const uint8_t *h, const char **why)
{
	uint32_t mult = npu_le32(h + offsetof(struct npu_model_header, input_mult));

	if (npu_le32(h + offsetof(struct npu_model_header, input_type)) != NPU_MODEL_INPUT_U8)
		return fail(why, UNSUPP, "input_type not u8");
	if (npu_le32(h + offsetof(struct npu_model_header, flags)) != 0)
		return fail(why, UNSUPP, "unknown header flags");
	if (npu_le32(h + offsetof(struct npu_model_header, reserved)) != 0)
		return fail(why, WRONG, "header reserved field not 0");
	m->n_layers = npu_le32(h + offsetof(struct npu_model_header, layer_count));
	if (m->n_layers < 1 || m->n_layers > NPU_MODEL_LAYERS_MAX)
		return fail(why, WRONG, "layer_count not in 1..64");
	m->in_c = npu_le32(h + offsetof(struct npu_model_header, input_c));
	m->in_h = npu_le32(h + offsetof(struct npu_model_header, input_h));
	m->in_w = npu_le32(h + offsetof(struct npu_model_header, input_w));
	if (!dims_ok(m->in_c, m->in_h, m->in_w))
		return fail(why, WRONG, "input shape out of bounds");
	if (mult > NPU_MODEL_MULT_MAX)
		return fail(why, WRONG, "input_mult negative");
	m->in_mult = (int32_t)mult;
	m->in_shift = npu_le32(h + offsetof(struct npu_model_header, input_shift));
	if (m->in_shift > NPU_MODEL_SHIFT_MAX)
		return fail(why, WRONG, "input_shift above 62");
	m->in_zp = le_s32(h + offsetof(struct npu_model_header, input_zp));
	if (!zp_ok(m->in_zp))
		return fail(why, WRONG, "input_zp not in -128..127");
	m->sample_size = m->in_c * m->in_h * m->in_w;
	m->classes = npu_le32(h + offsetof(struct npu_model_header, output_count));
	m->record_size = npu_le32(h + offsetof(struct npu_model_header, output_record_size));
	return 0;
}

/* Decodes a layer header's fields into l (no checks). */
static void decode_layer(struct sim_layer *l, const uint8_t *p)
{
	l->type = npu_le16(p + offsetof(struct npu_model_layer, type));
	l->flags = npu_le16(p + offsetof(struct npu_model_layer, flags));
	l->in_c = npu_le32(p + offsetof(struct npu_model_layer, in_c));
	l->in_h = npu_le32(p + offsetof(struct npu_model_layer, in_h));
	l->in_w = npu_le32(p + offsetof(struct npu_model_layer, in_w));
	l->out_c = npu_le32(p + offsetof(struct npu_model_layer, out_c));
	l->out_h = npu_le32(p + offsetof(struct npu_model_layer, out_h));
	l->out_w = npu_le32(p + offsetof(struct npu_model_layer, out_w));
	l->kernel_h = npu_le16(p + offsetof(struct npu_model_layer, kernel_h));
	l->kernel_w = npu_le16(p + offsetof(struct npu_model_layer, kernel_w));
	l->stride_h = npu_le16(p + offsetof(struct npu_model_layer, stride_h));
	l->stride_w = npu_le16(p + offsetof(struct npu_model_layer, stride_w));
	l->pad_h = npu_le16(p + offsetof(struct npu_model_layer, pad_h));
	l->pad_w = npu_le16(p + offsetof(struct npu_model_layer, pad_w));
	l->in_zp = le_s32(p + offsetof(struct npu_model_layer, in_zp));
	l->out_zp = le_s32(p + offsetof(struct npu_model_layer, out_zp));
	l->w_zp = le_s32(p + offsetof(struct npu_model_layer, w_zp));
}

static bool no_window(const struct sim_layer *l)
{
	return (l->kernel_h | l->kernel_w | l->stride_h | l->stride_w | l->pad_h | l->pad_w) == 0;
}

static bool window_ok(uint32_t kernel, uint32_t stride)
{
	return kernel >= 1 && kernel <= NPU_MODEL_KERNEL_MAX && stride >= 1 &&
	       stride <= NPU_MODEL_STRIDE_MAX;
}

/* The shape rules of each type (§5); sets l->dot, *size (expected) and *work. */
static uint32_t layer_rules(struct sim_layer *l, uint32_t *size, uint64_t *work, const char **why)
{
	uint32_t in = l->in_c * l->in_h * l->in_w;

	if (!zp_ok(l->out_zp) || !zp_ok(l->w_zp))
		return fail(why, WRONG, "zero point not in -128..127");
	if (l->type != NPU_MODEL_LAYER_DENSE && l->type != NPU_MODEL_LAYER_CONV2D && l->w_zp != 0)
		return fail(why, WRONG, "w_zp in a layer without weights");
	switch (l->type) {
	case NPU_MODEL_LAYER_DENSE:
		if (!no_window(l) || l->out_h != 1 || l->out_w != 1 || !dims_ok(l->out_c, 1, 1) ||
		    in > NPU_MODEL_DOT_MAX)
			return fail(why, WRONG, "dense: shapes or fields out of bounds");
		l->dot = in;
		*work = (uint64_t)l->out_c * in;
		break;
	case NPU_MODEL_LAYER_CONV2D:
		if (!window_ok(l->kernel_h, l->stride_h) || !window_ok(l->kernel_w, l->stride_w) ||
		    l->pad_h >= l->kernel_h || l->pad_w >= l->kernel_w ||
		    l->in_h + 2 * l->pad_h < l->kernel_h || l->in_w + 2 * l->pad_w < l->kernel_w)
			return fail(why, WRONG, "conv2d: kernel, stride or padding out of bounds");
		if (l->out_h != (l->in_h + 2 * l->pad_h - l->kernel_h) / l->stride_h + 1 ||
		    l->out_w != (l->in_w + 2 * l->pad_w - l->kernel_w) / l->stride_w + 1 ||
		    !dims_ok(l->out_c, l->out_h, l->out_w))
			return fail(why, WRONG, "conv2d: output shape wrong or out of bounds");
		l->dot = l->in_c * l->kernel_h * l->kernel_w;
		if (l->dot > NPU_MODEL_DOT_MAX)
			return fail(why, WRONG, "conv2d: in_c x kernel above 16384");
		*work = (uint64_t)l->out_c * l->out_h * l->out_w * l->dot;
		break;
	case NPU_MODEL_LAYER_RELU:
		if (!no_window(l) || l->out_c != l->in_c || l->out_h != l->in_h ||
		    l->out_w != l->in_w || l->out_zp != l->in_zp)
			return fail(why, WRONG, "relu: output shape or zero point not the input's");
		*work = in;
		break;
	case NPU_MODEL_LAYER_MAXPOOL:
		if (!window_ok(l->kernel_h, l->stride_h) || !window_ok(l->kernel_w, l->stride_w) ||
		    l->pad_h != 0 || l->pad_w != 0 || l->kernel_h > l->in_h ||
		    l->kernel_w > l->in_w)
			return fail(why, WRONG, "maxpool: kernel, stride or padding out of bounds");
		if (l->out_c != l->in_c || l->out_zp != l->in_zp ||
		    l->out_h != (l->in_h - l->kernel_h) / l->stride_h + 1 ||
		    l->out_w != (l->in_w - l->kernel_w) / l->stride_w + 1)
			return fail(why, WRONG, "maxpool: output shape or zero point wrong");
		*work = (uint64_t)l->out_c * l->out_h * l->out_w * l->kernel_h * l->kernel_w;
		break;
	default: /* NPU_MODEL_LAYER_ARGMAX */
		if (!no_window(l) || in > NPU_MODEL_CLASSES_MAX || l->out_c != in ||
		    l->out_h != 1 || l->out_w != 1 || l->out_zp != l->in_zp)
			return fail(why, WRONG, "argmax: shapes or fields out of bounds");
		l->dot = in;
		*work = (l->flags & NPU_MODEL_HEAD_SOFTMAX) ? 2ull * in : in;
		*size = LHDR + ((l->flags & NPU_MODEL_HEAD_SOFTMAX) ? 2 * NPU_MODEL_EXP_TABLE : 0);
		return 0;
	}
	/* dense/conv2d: bias, mult, shift, then the weights padded to 4 (<= 2^26 bytes). */
	*size = l->type == NPU_MODEL_LAYER_RELU || l->type == NPU_MODEL_LAYER_MAXPOOL
		    ? LHDR
		    : LHDR + 12 * l->out_c + align4(l->out_c * l->dot);
	return 0;
}

/* The payload of a dense or conv2d record (size checked): bounds and zero padding. */
static uint32_t weights_rules(struct sim_layer *l, const uint8_t *rec, uint32_t size,
			      const char **why)
{
	uint32_t n = l->out_c, nw = l->out_c * l->dot;

	l->bias = rec + LHDR;
	l->mult = l->bias + 4 * n;
	l->shift = l->mult + 4 * n;
	l->weights = l->shift + 4 * n;
	for (uint32_t o = 0; o < n; o++) {
		int32_t bias = le_s32(l->bias + 4 * o);

		if (bias < -NPU_MODEL_BIAS_MAX || bias > NPU_MODEL_BIAS_MAX)
			return fail(why, WRONG, "|bias| above 2^30");
		if (npu_le32(l->mult + 4 * o) > NPU_MODEL_MULT_MAX)
			return fail(why, WRONG, "negative multiplier");
		if (npu_le32(l->shift + 4 * o) > NPU_MODEL_SHIFT_MAX)
			return fail(why, WRONG, "shift above 62");
	}
	for (uint32_t i = LHDR + 12 * n + nw; i < size; i++) {
		if (rec[i] != 0)
			return fail(why, WRONG, "padding after the weights not 0");
	}
	return 0;
}

/* Layer `index` at blob offset off; want_* is the shape and zero point it must take. */
static uint32_t parse_layer(struct sim_model *m, uint32_t index, const uint8_t *blob, uint32_t off,
			    uint32_t *next, const char **why)
{
	struct sim_layer *l = &m->layer[index];
	const uint8_t *rec = blob + off;
	uint32_t size = 0, want_c, want_h, want_w, ret;
	int32_t want_zp;
	uint64_t work = 0;
	bool head, last = index + 1 == m->n_layers;

	if (m->blob_size - off < LHDR)
		return fail(why, WRONG, "layer header past blob_size");
	decode_layer(l, rec);
	head = l->type == NPU_MODEL_LAYER_ARGMAX;
	if (l->type < NPU_MODEL_LAYER_DENSE || l->type > NPU_MODEL_LAYER_ARGMAX)
		return fail(why, UNSUPP, "unknown layer type");
	if (l->flags & ~(head ? NPU_MODEL_HEAD_SOFTMAX : 0u))
		return fail(why, UNSUPP, "unknown layer flags");
	if (npu_le32(rec + offsetof(struct npu_model_layer, reserved)) != 0 ||
	    npu_le32(rec + offsetof(struct npu_model_layer, reserved) + 4) != 0)
		return fail(why, WRONG, "layer reserved field not 0");
	if (index == 0) {
		want_c = m->in_c, want_h = m->in_h, want_w = m->in_w, want_zp = m->in_zp;
	} else {
		const struct sim_layer *p = &m->layer[index - 1];

		want_c = p->out_c, want_h = p->out_h, want_w = p->out_w, want_zp = p->out_zp;
	}
	if (l->in_c != want_c || l->in_h != want_h || l->in_w != want_w || l->in_zp != want_zp)
		return fail(why, WRONG, "input shape or zero point does not chain");
	if (head != last)
		return fail(why, WRONG,
			    head ? "argmax head not the last layer"
				 : "last layer not an argmax head");
	ret = layer_rules(l, &size, &work, why);
	if (ret)
		return ret;
	if (npu_le32(rec + offsetof(struct npu_model_layer, size)) != size)
		return fail(why, WRONG, "layer size does not match its type and shapes");
	if (size > m->blob_size - off)
		return fail(why, WRONG, "layer record past blob_size");
	if (l->type == NPU_MODEL_LAYER_DENSE || l->type == NPU_MODEL_LAYER_CONV2D) {
		ret = weights_rules(l, rec, size, why);
		if (ret)
			return ret;
	}
	if (head && (l->flags & NPU_MODEL_HEAD_SOFTMAX)) {
		l->exp = rec + LHDR;
		if (npu_le16(l->exp) == 0)
			return fail(why, WRONG, "softmax table exp[0] is 0");
	}
	if (l->out_c * l->out_h * l->out_w > m->max_elems)
		m->max_elems = l->out_c * l->out_h * l->out_w;
	if (l->type == NPU_MODEL_LAYER_CONV2D && l->out_h * l->out_w > m->max_plane)
		m->max_plane = l->out_h * l->out_w;
	m->work += work;
	*next = off + size;
	return 0;
}

uint32_t sim_model_parse(struct sim_model *m, const uint8_t *blob, uint32_t blob_size,
			 const char **why)
{
	const struct sim_layer *head;
	uint32_t off = HDR, ret;

	memset(m, 0, sizeof(*m));
	m->blob_size = blob_size;
	ret = parse_header(m, blob, why);
	if (ret)
		return ret;
	m->max_elems = m->sample_size;
	m->work = m->sample_size;
	for (uint32_t i = 0; i < m->n_layers; i++) {
		ret = parse_layer(m, i, blob, off, &off, why);
		if (ret)
			return ret;
	}
	head = &m->layer[m->n_layers - 1];
	if (off != blob_size)
		return fail(why, WRONG, "bytes after the last layer");
	if (m->classes != head->dot)
		return fail(why, WRONG, "output_count not the head's class count");
	if (m->record_size !=
	    npu_model_record_size(head->dot, (head->flags & NPU_MODEL_HEAD_SOFTMAX) != 0))
		return fail(why, WRONG, "output_record_size not the head's record size");
	if (m->work > NPU_MODEL_WORK_MAX)
		return fail(why, WRONG, "work per sample above 2^24");
	return 0;
}

/* ---- the layers ---- */

static void run_dense(const struct sim_layer *l, const int8_t *in, int8_t *out)
{
	const int32_t in_zp = l->in_zp, w_zp = l->w_zp;
	const uint32_t dot = l->dot;

	for (uint32_t o = 0; o < l->out_c; o++) {
		const uint8_t *w = l->weights + (size_t)o * dot;
		int32_t acc = le_s32(l->bias + 4 * o);

		for (uint32_t k = 0; k < dot; k++)
			acc += (in[k] - in_zp) * (s8(w[k]) - w_zp);
		out[o] =
		    requant(acc, le_s32(l->mult + 4 * o), npu_le32(l->shift + 4 * o), l->out_zp);
	}
}

/* The outputs [*lo, *hi) along one axis whose input pos * stride + tap - pad is in [0, n). */
static void tap_range(uint32_t tap, uint32_t pad, uint32_t stride, uint32_t n, uint32_t outs,
		      uint32_t *lo, uint32_t *hi)
{
	/* pos >= (pad - tap) / stride rounded up; pos <= (n - 1 + pad - tap) / stride. */
	int64_t first = (int64_t)pad - tap, last = (int64_t)n - 1 + pad - tap;

	*lo = first <= 0 ? 0 : (uint32_t)((first + stride - 1) / stride);
	*hi = last < 0 ? 0 : (uint32_t)(last / stride + 1);
	if (*hi > outs)
		*hi = outs;
	if (*lo > *hi)
		*lo = *hi;
}

/*
 * conv2d, one filter at a time, one tap at a time: acc (an int32 per output
 * position) gets bias, then for every (c, ky, kx) the weight times the input
 * it meets at each output position inside the input. Padding positions add
 * nothing (they hold in_zp, real zero). Sums as in docs/model-format.md §3,
 * in another order: integer addition does not care.
 */
static void run_conv(const struct sim_layer *l, const int8_t *in, int8_t *out, int32_t *acc)
{
	const int32_t in_zp = l->in_zp, w_zp = l->w_zp, out_zp = l->out_zp;
	const uint32_t kh = l->kernel_h, kw = l->kernel_w, in_w = l->in_w, out_w = l->out_w;
	const uint32_t sh = l->stride_h, sw = l->stride_w, ph = l->pad_h, pw = l->pad_w;
	const size_t plane = (size_t)l->in_h * in_w, outs = (size_t)l->out_h * out_w;

	for (uint32_t o = 0; o < l->out_c; o++) {
		const uint8_t *w = l->weights + (size_t)o * l->dot;
		int32_t bias = le_s32(l->bias + 4 * o), mult = le_s32(l->mult + 4 * o);
		uint32_t shift = npu_le32(l->shift + 4 * o);

		for (size_t i = 0; i < outs; i++)
			acc[i] = bias;
		for (uint32_t c = 0; c < l->in_c; c++) {
			for (uint32_t ky = 0; ky < kh; ky++) {
				uint32_t y0, y1;

				tap_range(ky, ph, sh, l->in_h, l->out_h, &y0, &y1);
				for (uint32_t kx = 0; kx < kw; kx++, w++) {
					int32_t wv = s8(*w) - w_zp;
					uint32_t x0, x1;

					tap_range(kx, pw, sw, in_w, out_w, &x0, &x1);
					for (uint32_t y = y0; y < y1; y++) {
						const int8_t *row =
						    in + c * plane +
						    (y * sh + ky - ph) * (size_t)in_w + kx - pw;
						int32_t *a = acc + (size_t)y * out_w;

						for (uint32_t x = x0; x < x1; x++)
							a[x] += (row[x * sw] - in_zp) * wv;
					}
				}
			}
		}
		for (size_t i = 0; i < outs; i++)
			out[i] = requant(acc[i], mult, shift, out_zp);
		out += outs;
	}
}

static void run_maxpool(const struct sim_layer *l, const int8_t *in, int8_t *out)
{
	for (uint32_t c = 0; c < l->out_c; c++) {
		const int8_t *plane = in + (size_t)c * l->in_h * l->in_w;

		for (uint32_t y = 0; y < l->out_h; y++) {
			for (uint32_t x = 0; x < l->out_w; x++) {
				const int8_t *win =
				    plane + (size_t)y * l->stride_h * l->in_w + x * l->stride_w;
				int8_t best = -128;

				for (uint32_t ky = 0; ky < l->kernel_h; ky++, win += l->in_w) {
					for (uint32_t kx = 0; kx < l->kernel_w; kx++)
						if (win[kx] > best)
							best = win[kx];
				}
				*out++ = best;
			}
		}
	}
}

/* The record: class, logits, [probabilities], zero padding (docs/model-format.md §6). */
static void run_head(const struct sim_layer *l, const int8_t *in, uint8_t *rec, uint32_t size)
{
	uint32_t best = 0, k = l->dot, sum = 0;
	uint8_t *probs = rec + npu_model_record_probs_offset(k);

	memset(rec, 0, size);
	for (uint32_t i = 1; i < k; i++)
		best = in[i] > in[best] ? i : best;
	npu_put_le32(rec, best);
	for (uint32_t i = 0; i < k; i++)
		rec[4 + i] = (uint8_t)in[i];
	if (!l->exp)
		return;
	for (uint32_t i = 0; i < k; i++)
		sum += npu_le16(l->exp + 2 * (uint32_t)(in[best] - in[i]));
	for (uint32_t i = 0; i < k; i++) {
		uint64_t e = npu_le16(l->exp + 2 * (uint32_t)(in[best] - in[i]));
		uint64_t p = (e * 65536u + sum / 2) / sum;

		npu_put_le16(probs + 2 * i, (uint16_t)(p > 65535 ? 65535 : p));
	}
}

size_t sim_model_scratch_size(const struct sim_model *m)
{
	return 4 * (size_t)m->max_plane + 2 * (size_t)m->max_elems;
}

void sim_model_run(const struct sim_model *m, const uint8_t *sample, uint8_t *record, void *scratch)
{
	int32_t *acc = scratch;
	int8_t *cur = (int8_t *)(acc + m->max_plane), *nxt = cur + m->max_elems, *t;

	for (uint32_t i = 0; i < m->sample_size; i++)
		cur[i] = requant(sample[i], m->in_mult, m->in_shift, m->in_zp);
	for (uint32_t i = 0; i + 1 < m->n_layers; i++) {
		const struct sim_layer *l = &m->layer[i];

		switch (l->type) {
		case NPU_MODEL_LAYER_DENSE:
			run_dense(l, cur, nxt);
			break;
		case NPU_MODEL_LAYER_CONV2D:
			run_conv(l, cur, nxt, acc);
			break;
		case NPU_MODEL_LAYER_RELU:
			for (uint32_t k = 0; k < l->in_c * l->in_h * l->in_w; k++) {
				/* in_zp is an int8 value: the parser checked its range. */
				nxt[k] = cur[k];
				if (cur[k] < l->in_zp)
					nxt[k] = (int8_t)l->in_zp;
			}
			break;
		default: /* the head is last: only maxpool is left */
			run_maxpool(l, cur, nxt);
			break;
		}
		t = cur, cur = nxt, nxt = t;
	}
	run_head(&m->layer[m->n_layers - 1], cur, record, m->record_size);
}
