/* SPDX-License-Identifier: MIT */
/*
 * INFERENCE_EXECUTE end to end: blobs of docs/model-format.md run by the
 * simulated NPU through the driver, their records held byte for byte against
 * the CPU reference (tests/ref/ref_infer.c): every layer type, the rounding
 * at its ties, the per-job work cap, the command itself, and the digits
 * model of scripts/train_digits.py over its whole data set. Helpers in
 * infer_test_util.h; malformed blobs, descriptors and faults in
 * test_infer_errors.c.
 */
#include "infer_test_util.h"

#include <time.h>

#include "test_env.h"
#include "test_time.h"

/* ---- tests ---- */

static void test_cmdbuf_inference(void **state)
{
	static uint8_t buf[4096] __attribute__((aligned(64)));
	struct npu_cmdbuf cb;
	const uint8_t *c = buf + 48;

	(void)state;
	assert_int_equal(drv_cmdbuf_init(&cb, buf, 0xA0000000u, sizeof(buf), 1, NPU_GEN_37XX), 0);
	assert_int_equal(drv_cmdbuf_inference(&cb, 0, 64, 1), -EINVAL);
	assert_int_equal(drv_cmdbuf_inference(&cb, 0xA0001000u, 0, 1), -EINVAL);
	assert_int_equal(drv_cmdbuf_inference(&cb, 0xA0001000u, 64, 0x1122334455667788ull), 0);
	/* Room for one more in the 64-byte rounding of the command area, then full. */
	assert_int_equal(drv_cmdbuf_inference(&cb, 0xA0002000u, 64, 2), 0);
	assert_int_equal(drv_cmdbuf_inference(&cb, 0xA0003000u, 64, 3), -ENOSPC);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
	/* docs/firmware-protocol.md §4.2: {u16 0x0306, u16 32}, rsv, u64 id, {u64 address, u32 width, rsv}. */
	assert_int_equal(npu_le32(buf), 48 + 2 * 32); /* cmd_buffer_size */
	assert_int_equal(npu_le64(c + 32 + 16), 0xA0002000u);
	assert_int_equal(npu_le16(c), 0x0306);
	assert_int_equal(npu_le16(c + 2), 32);
	assert_int_equal(npu_le32(c + 4), 0);
	assert_int_equal(npu_le64(c + 8), 0x1122334455667788ull);
	assert_int_equal(npu_le64(c + 16), 0xA0001000u);
	assert_int_equal(npu_le32(c + 24), 64);
	assert_int_equal(npu_le32(c + 28), 0);
}

/* Every layer type, batches of 1 and 37, bit for bit against the reference. */
static void test_tour(void **state)
{
	struct fx *f = *state;
	static struct blob bl;
	struct job j;
	uint32_t rec = npu_model_record_size(5, 1), seen = 0, sum;
	const uint8_t *out;

	make_tour(&bl);
	assert_int_equal(ref_check(bl.b, bl.len, NULL, NULL), REF_OK);
	job_open(f, &j, bl.len, 37 * TOUR_SAMPLE, 37 * rec + 64);
	run_tour(&j, &bl, 1, 7);
	run_tour(&j, &bl, 37, 99);
	/* Not a degenerate network: several classes, probabilities that add up to ~1. */
	out = j.out->dma.cpu;
	for (uint32_t i = 0; i < 37; i++) {
		const uint8_t *r = out + (size_t)i * rec;

		assert_true(npu_le32(r) < 5);
		seen |= 1u << npu_le32(r);
		sum = 0;
		for (uint32_t k = 0; k < 5; k++)
			sum += npu_le16(r + npu_model_record_probs_offset(5) + 2 * k);
		assert_in_range(sum, 65536 - 5, 65536 + 5);
	}
	assert_true(__builtin_popcount(seen) >= 3);
	job_close(&j);
}

/* More than 2^24 of work in one job: MVNCI_OUT_OF_RESOURCES; fewer samples run. */
static void test_work_cap(void **state)
{
	struct fx *f = *state;
	static struct blob bl;
	struct ref_model_info info;
	struct job j;
	uint32_t most, rec = npu_model_record_size(10, 0);
	uint8_t *want;

	/* 1x64x64 -> conv2d 32 filters 3x3 pad 1 -> maxpool 8x8 -> dense 2048 -> 10 -> argmax. */
	blob_begin(&bl, 1, 64, 64, 1, 0, -128);
	layer(&bl, &(struct lspec){ .type = NPU_MODEL_LAYER_CONV2D,
				    .in = { 1, 64, 64 },
				    .out = { 32, 64, 64 },
				    .k = { 3, 3 },
				    .s = { 1, 1 },
				    .p = { 1, 1 },
				    .izp = -128,
				    .ozp = 0 });
	layer_weights(&bl, 32, 9, 42);
	layer(&bl, &(struct lspec){ .type = NPU_MODEL_LAYER_MAXPOOL,
				    .in = { 32, 64, 64 },
				    .out = { 32, 8, 8 },
				    .k = { 8, 8 },
				    .s = { 8, 8 } });
	layer(&bl, &(struct lspec){
		       .type = NPU_MODEL_LAYER_DENSE, .in = { 32, 8, 8 }, .out = { 10, 1, 1 } });
	layer_weights(&bl, 10, 2048, 42);
	layer(&bl, &(struct lspec){
		       .type = NPU_MODEL_LAYER_ARGMAX, .in = { 10, 1, 1 }, .out = { 10, 1, 1 } });
	blob_end(&bl, 10, 0);
	assert_int_equal(ref_check(bl.b, bl.len, &info, NULL), REF_OK);
	assert_int_equal(info.work, 4096 + 32 * 4096 * 9 + 32 * 64 * 64 + 10 * 2048 + 10);
	most = (uint32_t)(NPU_INFER_JOB_WORK_MAX / info.work);

	job_open(f, &j, bl.len, (size_t)(most + 1) * 4096, 4096);
	memcpy(j.model->dma.cpu, bl.b, bl.len);
	fill_random(j.in->dma.cpu, (size_t)(most + 1) * 4096, 5);
	set_desc(&j, most + 1, bl.len, (most + 1) * 4096, (most + 1) * rec);
	assert_int_equal(job_run(&j), 0xA);
	assert_int_equal(ref_infer(bl.b, bl.len, most + 1, j.in->dma.cpu, (most + 1) * 4096, NULL,
				   (most + 1) * rec, NULL),
			 0xA);
	set_desc(&j, 2, bl.len, 2 * 4096, 2 * rec);
	assert_int_equal(job_run(&j), 0);
	want = calloc(2, rec);
	assert_non_null(want);
	assert_int_equal(ref_infer(bl.b, bl.len, 2, j.in->dma.cpu, 2 * 4096, want, 2 * rec, NULL),
			 REF_OK);
	assert_memory_equal(j.out->dma.cpu, want, 2 * rec);
	free(want);
	job_close(&j);
}

/*
 * The rounding of docs/model-format.md §3 at its ties, with values worked out
 * by hand: input q = x - 128, dense identity with bias -128, mult 1, shift 1
 * (q / 2, half away from zero), argmax taking the lowest index on a tie.
 */
static void test_rounding(void **state)
{
	struct fx *f = *state;
	static struct blob bl;
	static const uint8_t in[2][8] = { { 125, 127, 129, 131, 128, 0, 255, 126 },
					  { 0, 255, 0, 255, 1, 2, 3, 4 } };
	static const int8_t logits[2][8] = { { -2, -1, 1, 2, 0, -64, 64, -1 },
					     { -64, 64, -64, 64, -64, -63, -63, -62 } };
	static const uint32_t cls[2] = { 6, 1 };
	uint32_t rec = npu_model_record_size(8, 0);
	struct job j;
	const uint8_t *out;

	blob_begin(&bl, 1, 1, 8, 1, 0, -128);
	layer(&bl, &(struct lspec){ .type = NPU_MODEL_LAYER_DENSE,
				    .in = { 1, 1, 8 },
				    .out = { 8, 1, 1 },
				    .izp = -128,
				    .ozp = 0 });
	for (int i = 0; i < 8; i++)
		put32(&bl, (uint32_t)-128); /* bias: acc = (q + 128) - 128 = q */
	for (int i = 0; i < 8; i++)
		put32(&bl, 1); /* mult */
	for (int i = 0; i < 8; i++)
		put32(&bl, 1); /* shift */
	for (int o = 0; o < 8; o++)
		for (int k = 0; k < 8; k++)
			bl.b[bl.len++] = o == k;
	layer(&bl, &(struct lspec){
		       .type = NPU_MODEL_LAYER_ARGMAX, .in = { 8, 1, 1 }, .out = { 8, 1, 1 } });
	blob_end(&bl, 8, 0);

	job_open(f, &j, bl.len, sizeof(in), 2 * rec);
	memcpy(j.model->dma.cpu, bl.b, bl.len);
	memcpy(j.in->dma.cpu, in, sizeof(in));
	set_desc(&j, 2, bl.len, sizeof(in), 2 * rec);
	assert_int_equal(job_run(&j), 0);
	out = j.out->dma.cpu;
	for (int s = 0; s < 2; s++) {
		assert_int_equal(npu_le32(out + s * rec), cls[s]);
		assert_memory_equal(out + s * rec + 4, logits[s], 8);
	}
	job_close(&j);
}

/* ---- the digits model (scripts/train_digits.py) ---- */

#define DIGITS	       1797u
#define DIGITS_TRAINED 1000u /* samples 0..999 trained it; the rest are held out */
#define DIGITS_SAMPLE  64u
#define DIGITS_BATCH   64u

static uint8_t *read_or_fail(const char *dir, const char *name, size_t *size)
{
	char path[4096];
	uint8_t *data = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (npu_test_read_file(path, &data, size) != 0)
		fail_msg("%s: cannot read it (it is in the repository)", path);
	return data;
}

/*
 * The whole digits set through the NPU in jobs of 64 samples: every record
 * equals the reference's, and the held-out samples are classified at least
 * 93% right.
 */
static void test_digits(void **state)
{
	struct fx *f = *state;
	const char *models = getenv("NPU_TEST_MODEL_DIR");
	char digits_dir[4096], model_dir[4096];
	size_t blob_size, n_samples, n_labels;
	uint8_t *blob, *samples, *labels, *want;
	struct ref_model_info info;
	uint32_t held_right = 0, rec;
	uint64_t busy_ns = 0;
	struct job j;

	snprintf(digits_dir, sizeof(digits_dir), "%s/digits", npu_test_data_dir());
	/* NPU_TEST_MODEL_DIR, else models/ beside tests/ (the data dir is tests/data). */
	if (models && *models)
		snprintf(model_dir, sizeof(model_dir), "%s", models);
	else
		snprintf(model_dir, sizeof(model_dir), "%s/../../models", npu_test_data_dir());
	blob = read_or_fail(model_dir, "digits.blob", &blob_size);
	samples = read_or_fail(digits_dir, "samples.u8", &n_samples);
	labels = read_or_fail(digits_dir, "labels.u8", &n_labels);
	assert_int_equal(n_samples, DIGITS * DIGITS_SAMPLE);
	assert_int_equal(n_labels, DIGITS);
	assert_int_equal(ref_check(blob, blob_size, &info, NULL), REF_OK);
	assert_int_equal(info.sample_size, DIGITS_SAMPLE);
	assert_int_equal(info.classes, 10);
	rec = info.record_size;
	want = malloc((size_t)DIGITS_BATCH * rec);
	assert_non_null(want);

	job_open(f, &j, blob_size, DIGITS_BATCH * DIGITS_SAMPLE, DIGITS_BATCH * rec);
	memcpy(j.model->dma.cpu, blob, blob_size);
	for (uint32_t first = 0; first < DIGITS; first += DIGITS_BATCH) {
		uint32_t n = DIGITS - first < DIGITS_BATCH ? DIGITS - first : DIGITS_BATCH;
		const uint8_t *out = j.out->dma.cpu;
		uint64_t t0;

		memcpy(j.in->dma.cpu, samples + (size_t)first * DIGITS_SAMPLE, n * DIGITS_SAMPLE);
		set_desc(&j, n, (uint32_t)blob_size, n * DIGITS_SAMPLE, n * rec);
		t0 = now_ns();
		assert_int_equal(job_run(&j), 0);
		busy_ns += now_ns() - t0;
		assert_int_equal(ref_infer(blob, blob_size, n, j.in->dma.cpu, n * DIGITS_SAMPLE,
					   want, n * rec, NULL),
				 REF_OK);
		assert_memory_equal(out, want, (size_t)n * rec);
		for (uint32_t i = 0; i < n; i++) {
			if (first + i >= DIGITS_TRAINED &&
			    npu_le32(out + (size_t)i * rec) == labels[first + i])
				held_right++;
		}
	}
	print_message("digits (%s): held out %u/%u right (%.2f%%), %.1f us per sample\n",
		      f->gen == NPU_GEN_37XX ? "37xx" : "40xx", held_right, DIGITS - DIGITS_TRAINED,
		      100.0 * held_right / (DIGITS - DIGITS_TRAINED), busy_ns / 1000.0 / DIGITS);
	assert_true(held_right * 100u >= 93u * (DIGITS - DIGITS_TRAINED));
	job_close(&j);
	free(want);
	free(blob);
	free(samples);
	free(labels);
}

static struct fx fx37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx fx40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdbuf_inference),
		BOTH(test_tour, fx37, fx40),
		cmocka_unit_test_prestate_setup_teardown(test_rounding, setup, teardown, &fx37),
		cmocka_unit_test_prestate_setup_teardown(test_work_cap, setup, teardown, &fx37),
		BOTH(test_digits, fx37, fx40),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
