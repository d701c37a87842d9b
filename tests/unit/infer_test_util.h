/* SPDX-License-Identifier: MIT */
/*
 * Shared by the inference tests (test_infer.c, test_infer_errors.c): blobs of
 * docs/model-format.md built byte by byte from that document, the "tour"
 * network that uses every layer type and field, and INFERENCE_EXECUTE jobs
 * through the driver (a context with buffers for the command buffer,
 * descriptor, blob, samples and records; drv_cmdbuf_inference; submit, wait).
 */
#ifndef NPU_TEST_INFER_TEST_UTIL_H
#define NPU_TEST_INFER_TEST_UTIL_H

#include "jobs_test_util.h"

#include "driver/cmdbuf.h"
#include "npu/model.h"
#include "ref_infer.h"
#include "util/bytes.h"

#define ST_FAULT 0xEu /* MVNCI_CONTEXT_VIOLATION_HW */

/* A fault ends the job with 0xE, or ABORTED when the driver saw the MMU event first. */
#define assert_fault(st, j)                                                    \
	do {                                                                   \
		uint32_t st_ = (st);                                           \
		assert_true(st_ == ST_FAULT || st_ == NPU_JOB_STATUS_ABORTED); \
		assert_true((j)->c->faulted);                                  \
	} while (0)

/* ---- blobs, byte by byte ---- */

struct blob {
	uint8_t b[64 * 1024];
	uint32_t len, layers;
	uint32_t off[8]; /* where each layer record starts */
	uint32_t rng;
};

static inline uint32_t rnd(struct blob *bl)
{
	bl->rng ^= bl->rng << 13;
	bl->rng ^= bl->rng >> 17;
	bl->rng ^= bl->rng << 5;
	return bl->rng;
}

static inline void put32(struct blob *bl, uint32_t v)
{
	assert_true(bl->len + 4 <= sizeof(bl->b));
	npu_put_le32(bl->b + bl->len, v);
	bl->len += 4;
}

/* Header: shape, input requantisation; sizes and counts are filled by blob_end. */
static inline void blob_begin(struct blob *bl, uint32_t c, uint32_t h, uint32_t w, uint32_t mult,
			      uint32_t shift, int32_t zp)
{
	memset(bl, 0, sizeof(*bl));
	bl->rng = 0x2545F491u;
	put32(bl, NPU_MODEL_MAGIC);
	put32(bl, NPU_MODEL_VERSION);
	put32(bl, 64);
	put32(bl, 0); /* blob_size */
	put32(bl, 0); /* layer_count */
	put32(bl, NPU_MODEL_INPUT_U8);
	put32(bl, c);
	put32(bl, h);
	put32(bl, w);
	put32(bl, mult);
	put32(bl, shift);
	put32(bl, (uint32_t)zp);
	bl->len = 64;
}

struct lspec {
	uint16_t type, flags;
	uint32_t in[3], out[3];
	uint16_t k[2], s[2], p[2];
	int32_t izp, ozp, wzp;
};

/* A layer header; the payload follows with layer_weights or layer_exp. */
static inline void layer(struct blob *bl, const struct lspec *l)
{
	uint8_t *h = bl->b + bl->len;

	bl->off[bl->layers++] = bl->len;
	memset(h, 0, 64);
	npu_put_le16(h, l->type);
	npu_put_le16(h + 2, l->flags);
	for (int i = 0; i < 3; i++) {
		npu_put_le32(h + 8 + 4 * i, l->in[i]);
		npu_put_le32(h + 20 + 4 * i, l->out[i]);
	}
	for (int i = 0; i < 2; i++) {
		npu_put_le16(h + 32 + 2 * i, l->k[i]);
		npu_put_le16(h + 36 + 2 * i, l->s[i]);
		npu_put_le16(h + 40 + 2 * i, l->p[i]);
	}
	npu_put_le32(h + 44, (uint32_t)l->izp);
	npu_put_le32(h + 48, (uint32_t)l->ozp);
	npu_put_le32(h + 52, (uint32_t)l->wzp);
	bl->len += 64;
}

/* Random bias (+-4096), multipliers in [2^30, 2^31), the given shift, random int8 weights. */
static inline void layer_weights(struct blob *bl, uint32_t n, uint32_t k, uint32_t shift)
{
	for (uint32_t o = 0; o < n; o++)
		put32(bl, (uint32_t)((int32_t)(rnd(bl) % 8193) - 4096));
	for (uint32_t o = 0; o < n; o++)
		put32(bl, (1u << 30) | (rnd(bl) >> 2));
	for (uint32_t o = 0; o < n; o++)
		put32(bl, shift);
	for (uint32_t i = 0; i < n * k; i++)
		bl->b[bl->len++] = (uint8_t)rnd(bl);
	while (bl->len % 4)
		bl->b[bl->len++] = 0;
}

/* exp[d] = 65535 * 0.9^d, rounded down. */
static inline void layer_exp(struct blob *bl)
{
	double e = 65535.0;

	for (int d = 0; d < 256; d++, e *= 0.9) {
		npu_put_le16(bl->b + bl->len, (uint16_t)e);
		bl->len += 2;
	}
}

static inline void blob_end(struct blob *bl, uint32_t classes, int softmax)
{
	for (uint32_t i = 0; i < bl->layers; i++) {
		uint32_t end = i + 1 < bl->layers ? bl->off[i + 1] : bl->len;

		npu_put_le32(bl->b + bl->off[i] + 4, end - bl->off[i]);
	}
	npu_put_le32(bl->b + 12, bl->len);
	npu_put_le32(bl->b + 16, bl->layers);
	npu_put_le32(bl->b + 48, classes);
	npu_put_le32(bl->b + 52, npu_model_record_size(classes, softmax));
}

/*
 * Every layer type and every field at work: 2x9x7 input (x * 2/3 - 100),
 * conv2d 3 filters 3x2 stride 2x1 padding 1x1 (-> 3x5x8), relu, maxpool 2x3
 * stride 1x2 (-> 3x4x3), dense 36 -> 7 with w_zp 3, relu, dense 7 -> 5 (35
 * weights: one padding byte), argmax head with softmax.
 */
static inline void make_tour(struct blob *bl)
{
	blob_begin(bl, 2, 9, 7, 0x55555555u, 31, -100);
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_CONV2D,
				   .in = { 2, 9, 7 },
				   .out = { 3, 5, 8 },
				   .k = { 3, 2 },
				   .s = { 2, 1 },
				   .p = { 1, 1 },
				   .izp = -100,
				   .ozp = 5,
				   .wzp = -2 });
	layer_weights(bl, 3, 12, 38);
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_RELU,
				   .in = { 3, 5, 8 },
				   .out = { 3, 5, 8 },
				   .izp = 5,
				   .ozp = 5 });
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_MAXPOOL,
				   .in = { 3, 5, 8 },
				   .out = { 3, 4, 3 },
				   .k = { 2, 3 },
				   .s = { 1, 2 },
				   .izp = 5,
				   .ozp = 5 });
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_DENSE,
				   .in = { 3, 4, 3 },
				   .out = { 7, 1, 1 },
				   .izp = 5,
				   .ozp = -9,
				   .wzp = 3 });
	layer_weights(bl, 7, 36, 39);
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_RELU,
				   .in = { 7, 1, 1 },
				   .out = { 7, 1, 1 },
				   .izp = -9,
				   .ozp = -9 });
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_DENSE,
				   .in = { 7, 1, 1 },
				   .out = { 5, 1, 1 },
				   .izp = -9,
				   .ozp = 0 });
	layer_weights(bl, 5, 7, 35);
	layer(bl, &(struct lspec){ .type = NPU_MODEL_LAYER_ARGMAX,
				   .flags = NPU_MODEL_HEAD_SOFTMAX,
				   .in = { 5, 1, 1 },
				   .out = { 5, 1, 1 } });
	layer_exp(bl);
	blob_end(bl, 5, 1);
}

#define TOUR_SAMPLE 126u /* 2 x 9 x 7 */

/* ---- jobs ---- */

struct job {
	struct fx *f;
	struct npu_ctx *c;
	struct npu_bo *cmd, *desc, *model, *in, *out;
};

static inline void job_open(struct fx *f, struct job *j, size_t model, size_t in, size_t out)
{
	j->f = f;
	assert_int_equal(drv_ctx_create(&f->d, &j->c), 0);
	assert_int_equal(drv_bo_create(j->c, drv_cmdbuf_size_for(f->gen, 2, 0), 0, 0, &j->cmd), 0);
	assert_int_equal(drv_bo_create(j->c, 4096, 0, 0, &j->desc), 0);
	assert_int_equal(drv_bo_create(j->c, model, 0, 0, &j->model), 0);
	assert_int_equal(drv_bo_create(j->c, in, 0, 0, &j->in), 0);
	assert_int_equal(drv_bo_create(j->c, out, 0, 0, &j->out), 0);
}

static inline void job_close(struct job *j)
{
	drv_ctx_destroy(j->c); /* and its buffers */
	j->c = NULL;
}

/* The descriptor (docs/model-format.md §1) at desc offset 0, on the job's own buffers. */
static inline void set_desc(struct job *j, uint32_t batch, uint32_t model_size, uint32_t in_size,
			    uint32_t out_size)
{
	uint8_t *d = j->desc->dma.cpu;

	memset(d, 0, 64);
	npu_put_le32(d + 0, NPU_INFER_DESC_MAGIC);
	npu_put_le32(d + 4, NPU_INFER_DESC_VERSION);
	npu_put_le32(d + 8, batch);
	npu_put_le64(d + 16, j->model->va);
	npu_put_le32(d + 24, model_size);
	npu_put_le32(d + 28, in_size);
	npu_put_le64(d + 32, j->in->va);
	npu_put_le64(d + 40, j->out->va);
	npu_put_le32(d + 48, out_size);
}

/* One INFERENCE_EXECUTE job on the descriptor at desc_va; its status. */
static inline uint32_t job_run_at(struct job *j, uint64_t desc_va, uint32_t width)
{
	struct npu_cmdbuf cb;
	uint32_t id, st = 0xDEAD;

	assert_int_equal(
	    drv_cmdbuf_init(&cb, j->cmd->dma.cpu, j->cmd->va, j->cmd->size, 2, j->f->gen), 0);
	assert_int_equal(drv_cmdbuf_inference(&cb, desc_va, width, 0x1234), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
	assert_int_equal(drv_job_submit(j->c, j->cmd->va, &id), 0);
	assert_int_equal(drv_job_wait(j->c, id, WAIT_US, &st), 0);
	return st;
}

static inline uint32_t job_run(struct job *j)
{
	return job_run_at(j, j->desc->va, NPU_INFER_DESC_SIZE);
}

static inline void fill_random(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* The tour model on batch samples: records equal the reference's, nothing else written. */
static inline void run_tour(struct job *j, const struct blob *bl, uint32_t batch, uint32_t seed)
{
	uint32_t rec = npu_model_record_size(5, 1);
	uint8_t *want = malloc((size_t)batch * rec + 64);

	assert_non_null(want);
	memcpy(j->model->dma.cpu, bl->b, bl->len);
	fill_random(j->in->dma.cpu, (size_t)batch * TOUR_SAMPLE, seed);
	memset(j->out->dma.cpu, 0xEE, j->out->size);
	memset(want, 0xEE, (size_t)batch * rec + 64);
	set_desc(j, batch, bl->len, batch * TOUR_SAMPLE, batch * rec + 64);
	assert_int_equal(job_run(j), 0);
	assert_int_equal(ref_infer(bl->b, bl->len, batch, j->in->dma.cpu, batch * TOUR_SAMPLE, want,
				   (size_t)batch * rec + 64, NULL),
			 REF_OK);
	assert_memory_equal(j->out->dma.cpu, want, (size_t)batch * rec + 64);
	free(want);
}

#endif /* NPU_TEST_INFER_TEST_UTIL_H */
