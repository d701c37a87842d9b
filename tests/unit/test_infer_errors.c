/* SPDX-License-Identifier: MIT */
/*
 * INFERENCE_EXECUTE that must fail (docs/model-format.md §7): malformed
 * blobs, descriptors that do not hold, and addresses outside the context's
 * buffers. Each job fails with the documented status, the CPU reference
 * agrees on the blob's, and the device then runs a good job. Helpers in
 * infer_test_util.h.
 */
#include "infer_test_util.h"

/* One malformed blob: its job fails with `status`, the reference agrees, a good job runs. */
struct bad_blob {
	const char *what;
	uint32_t off;  /* byte offset into the blob, or a layer's: see layer */
	int layer;     /* -1: off is into the blob; else into layer `layer`'s record */
	uint32_t size; /* 1, 2 or 4: width of the value written */
	uint32_t value;
	uint32_t status;
};

static const struct bad_blob bad_blobs[] = {
	{ "wrong magic", 0, -1, 4, 0x4D55504Fu, 0x7 },
	{ "version 2", 4, -1, 4, 2, 0x7 },
	{ "header_size 60", 8, -1, 4, 60, 0x7 },
	{ "input type 2", 20, -1, 4, 2, 0x8 },
	{ "header flags", 56, -1, 4, 1, 0x8 },
	{ "header reserved", 60, -1, 4, 1, 0x7 },
	{ "no layers", 16, -1, 4, 0, 0x7 },
	{ "65 layers", 16, -1, 4, 65, 0x7 },
	{ "absurd input dim", 24, -1, 4, 100000, 0x7 },
	{ "input_shift 63", 40, -1, 4, 63, 0x7 },
	{ "negative input_mult", 36, -1, 4, 0x80000000u, 0x7 },
	{ "input_zp 128", 44, -1, 4, 128, 0x7 },
	{ "output_count 4", 48, -1, 4, 4, 0x7 },
	{ "record size", 52, -1, 4, 20, 0x7 },
	{ "unknown layer type", 0, 2, 2, 9, 0x8 },
	{ "relu with a flag", 2, 1, 2, 1, 0x8 },
	{ "head with an unknown flag", 2, 6, 2, 3, 0x8 },
	{ "layer reserved", 56, 3, 4, 1, 0x7 },
	{ "shapes do not chain (c)", 8, 3, 4, 4, 0x7 },
	{ "shapes do not chain (h)", 12, 1, 4, 6, 0x7 },
	{ "zero points do not chain", 44, 4, 4, 0, 0x7 },
	{ "conv2d output shape", 24, 0, 4, 6, 0x7 },
	{ "conv2d padding = kernel", 40, 0, 2, 3, 0x7 },
	{ "conv2d stride 0", 36, 0, 2, 0, 0x7 },
	{ "conv2d kernel 65", 32, 0, 2, 65, 0x7 },
	{ "maxpool padding", 40, 2, 2, 1, 0x7 },
	{ "maxpool kernel past input", 32, 2, 2, 6, 0x7 },
	{ "dense with a kernel", 32, 3, 2, 1, 0x7 },
	{ "relu out_zp", 48, 1, 4, 6, 0x7 },
	{ "w_zp 200", 52, 3, 4, 200, 0x7 },
	{ "w_zp on relu", 52, 1, 4, 1, 0x7 },
	{ "layer size short", 4, 3, 4, 64, 0x7 },
	{ "bias above 2^30", 64, 0, 4, (1u << 30) + 1, 0x7 },
	{ "negative multiplier", 64 + 12, 0, 4, 0xFFFFFFFFu, 0x7 },
	{ "shift 63", 64 + 24, 0, 4, 63, 0x7 },
	{ "padding byte set", 64 + 60 + 35, 5, 1, 1, 0x7 },
	{ "softmax exp[0] = 0", 64, 6, 2, 0, 0x7 },
	{ "head not last", 0, 5, 2, NPU_MODEL_LAYER_ARGMAX, 0x7 },
	{ "last not a head", 0, 6, 4, NPU_MODEL_LAYER_RELU, 0x7 }, /* flags 0 too */
};

static void test_bad_blobs(void **state)
{
	struct fx *f = *state;
	static struct blob good, bad;
	struct job j;
	uint32_t rec = npu_model_record_size(5, 1);

	make_tour(&good);
	job_open(f, &j, good.len + 64, TOUR_SAMPLE, 4096);
	for (size_t i = 0; i < sizeof(bad_blobs) / sizeof(bad_blobs[0]); i++) {
		const struct bad_blob *t = &bad_blobs[i];
		uint32_t at = t->layer < 0 ? t->off : good.off[t->layer] + t->off, st;

		bad = good;
		if (t->size == 1)
			bad.b[at] = (uint8_t)t->value;
		else if (t->size == 2)
			npu_put_le16(bad.b + at, (uint16_t)t->value);
		else
			npu_put_le32(bad.b + at, t->value);
		memcpy(j.model->dma.cpu, bad.b, bad.len);
		memset(j.out->dma.cpu, 0xEE, 4096);
		set_desc(&j, 1, bad.len, TOUR_SAMPLE, rec);
		st = job_run(&j);
		if (st != t->status)
			fail_msg("%s: status 0x%x, expected 0x%x", t->what, st, t->status);
		assert_int_equal(ref_check(bad.b, bad.len, NULL, NULL), t->status);
		assert_int_equal(((uint8_t *)j.out->dma.cpu)[0], 0xEE); /* nothing written */
		/* The device goes on: the good blob in the same context. */
		memcpy(j.model->dma.cpu, good.b, good.len);
		set_desc(&j, 1, good.len, TOUR_SAMPLE, rec);
		assert_int_equal(job_run(&j), 0);
	}

	/* Truncated: model_size one short of blob_size; below the header; bytes after the layers. */
	set_desc(&j, 1, good.len - 1, TOUR_SAMPLE, rec);
	assert_int_equal(job_run(&j), 0x7);
	assert_int_equal(ref_check(good.b, good.len - 1, NULL, NULL), 0x7);
	set_desc(&j, 1, 63, TOUR_SAMPLE, rec);
	assert_int_equal(job_run(&j), 0x7);
	bad = good;
	memset(bad.b + bad.len, 0, 4);
	npu_put_le32(bad.b + 12, good.len + 4);
	memcpy(j.model->dma.cpu, bad.b, good.len + 4);
	set_desc(&j, 1, good.len + 4, TOUR_SAMPLE, rec);
	assert_int_equal(job_run(&j), 0x7);
	assert_int_equal(ref_check(bad.b, good.len + 4, NULL, NULL), 0x7);
	memcpy(j.model->dma.cpu, good.b, good.len);
	set_desc(&j, 1, good.len, TOUR_SAMPLE, rec);
	assert_int_equal(job_run(&j), 0);
	job_close(&j);
}

/* Descriptors that do not hold: PARSING_ERR; the device goes on. */
static void test_bad_descriptors(void **state)
{
	struct fx *f = *state;
	static struct blob bl;
	struct job j;
	uint32_t rec = npu_model_record_size(5, 1);
	uint8_t *d;
	/* {offset, value} written over a good descriptor. */
	static const uint32_t bad[][2] = {
		{ 0, 0x4955504Fu },
		{ 4, 2 },
		{ 8, 0 },
		{ 8, 4097 },
		{ 12, 1 },
		{ 52, 1 },
		{ 60, 1 },
		{ 24, 0 },
		{ 24, 16u << 20 | 1 },
		{ 28, TOUR_SAMPLE - 1 },
		{ 28, 16u << 20 | 1 },
		{ 48, 0 },
		{ 48, 16u << 20 | 1 },
		{ 8, 2 }, /* input for one sample */
	};

	make_tour(&bl);
	job_open(f, &j, bl.len, 2 * TOUR_SAMPLE, 4096);
	memcpy(j.model->dma.cpu, bl.b, bl.len);
	d = j.desc->dma.cpu;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set_desc(&j, 1, bl.len, TOUR_SAMPLE, rec);
		npu_put_le32(d + bad[i][0], bad[i][1]);
		if (job_run(&j) != 0x1)
			fail_msg("descriptor +%u = 0x%x: not PARSING_ERR", bad[i][0], bad[i][1]);
	}
	/* Ranges that wrap; the command's width and alignment. */
	set_desc(&j, 1, bl.len, TOUR_SAMPLE, rec);
	npu_put_le64(d + 40, ~0ull - 8);
	assert_int_equal(job_run(&j), 0x1);
	set_desc(&j, 1, bl.len, TOUR_SAMPLE, rec);
	assert_int_equal(job_run_at(&j, j.desc->va, 32), 0x1);
	assert_int_equal(job_run_at(&j, j.desc->va, 128), 0x1);
	memmove(d + 4, d, 64);
	assert_int_equal(job_run_at(&j, j.desc->va + 4, 64), 0x1);
	set_desc(&j, 1, bl.len, TOUR_SAMPLE, rec);
	assert_int_equal(job_run(&j), 0);
	job_close(&j);
}

/*
 * A descriptor, blob, input or output outside the context's buffers: an MMU
 * fault, 0xE (the context is then faulted); a new context runs a good job.
 */
static void test_faults(void **state)
{
	struct fx *f = *state;
	static struct blob bl;
	uint32_t rec = npu_model_record_size(5, 1);

	make_tour(&bl);
	for (int i = 0; i < 6; i++) {
		struct job j;
		uint8_t *d;
		uint64_t past;

		job_open(f, &j, bl.len, TOUR_SAMPLE, 4096);
		past = j.out->va + j.out->size; /* nothing is mapped there */
		memcpy(j.model->dma.cpu, bl.b, bl.len);
		set_desc(&j, 1, bl.len, TOUR_SAMPLE, rec);
		d = j.desc->dma.cpu;
		if (i == 0) {
			assert_fault(job_run_at(&j, past, 64), &j);
		} else if (i < 5) {
			/* model, input, output outside the buffers; model_va at zeros */
			static const uint32_t at[] = { 0, 16, 32, 40, 24 };

			if (i == 4)
				npu_put_le64(d + 16, j.model->va + j.model->size - 64);
			else
				npu_put_le64(d + at[i], past);
			if (i == 4)
				assert_int_equal(job_run(&j), 0x7);
			else
				assert_fault(job_run(&j), &j);
		} else {
			assert_int_equal(job_run(&j), 0);
		}
		job_close(&j);
	}
	/* A blob whose header is the last 64 bytes mapped (of the last buffer): its tail faults. */
	{
		struct job j;

		job_open(f, &j, bl.len, TOUR_SAMPLE, 4096);
		memcpy((uint8_t *)j.out->dma.cpu + j.out->size - 64, bl.b, 64);
		set_desc(&j, 1, bl.len, TOUR_SAMPLE, rec);
		npu_put_le64((uint8_t *)j.desc->dma.cpu + 16, j.out->va + j.out->size - 64);
		assert_fault(job_run(&j), &j);
		job_close(&j);
	}
}

static struct fx fx37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx fx40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_bad_blobs, fx37, fx40),
		BOTH(test_bad_descriptors, fx37, fx40),
		BOTH(test_faults, fx37, fx40),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
