/* SPDX-License-Identifier: MIT */
/*
 * /scheme/npu/infer against the fake Redox kernel: models/digits.blob and
 * digits samples written in the framing of docs/redox.md, the outputs read
 * back and held against the Linux path (libnpu in-process on the simulated
 * NPU, as npuctl infer runs) and the labels; models the NPU refuses, parked
 * and cancelled reads, and the daemon serving on after each.
 */
#include <errno.h>

#include "npu/model.h"
#include "npu/npu.h"
#include "scheme_fixture.h"
#include "test_env.h"
#include "util/bytes.h"

#define SAMPLE	  64u	/* bytes of a digits sample */
#define RECORD	  36u	/* bytes of its output record: class, 10 logits, 10 probabilities */
#define FIRST	  1500u /* held-out samples (0..999 trained the model) */
#define COUNT	  100u	/* two jobs of the scheme's 64 */
#define LIB_BATCH 64u

struct digits {
	uint8_t *blob, *samples, *labels;
	size_t blob_size, samples_size, labels_size;
};

static struct digits dg;

static uint8_t *read_or_fail(const char *dir, const char *name, size_t *size)
{
	char path[4096];
	uint8_t *data = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (npu_test_read_file(path, &data, size))
		fail_msg("%s: cannot read it (it is in the repository)", path);
	return data;
}

static int setup(void **state)
{
	const char *models = getenv("NPU_TEST_MODEL_DIR");
	char digits_dir[4096], model_dir[4096];

	snprintf(digits_dir, sizeof(digits_dir), "%s/digits", npu_test_data_dir());
	if (models && *models)
		snprintf(model_dir, sizeof(model_dir), "%s", models);
	else
		snprintf(model_dir, sizeof(model_dir), "%s/../../models", npu_test_data_dir());
	dg.blob = read_or_fail(model_dir, "digits.blob", &dg.blob_size);
	dg.samples = read_or_fail(digits_dir, "samples.u8", &dg.samples_size);
	dg.labels = read_or_fail(digits_dir, "labels.u8", &dg.labels_size);
	if (dg.samples_size < (size_t)(FIRST + COUNT) * SAMPLE || dg.labels_size < FIRST + COUNT ||
	    npu_le32(dg.blob + offsetof(struct npu_model_header, output_record_size)) != RECORD)
		return -1;
	return group_setup(state);
}

static int teardown(void **state)
{
	free(dg.blob);
	free(dg.samples);
	free(dg.labels);
	return group_teardown(state);
}

/* A framed message: header, model, input. */
static uint8_t *frame(const uint8_t *model, size_t msize, const uint8_t *in, size_t isize,
		      size_t *len)
{
	uint8_t *m = calloc(1, 32 + msize + isize);

	assert_non_null(m);
	npu_put_le32(m, 0x4655504Eu);
	npu_put_le16(m + 4, 1);
	npu_put_le64(m + 8, msize);
	npu_put_le64(m + 16, isize);
	memcpy(m + 32, model, msize);
	memcpy(m + 32 + msize, in, isize);
	*len = 32 + msize + isize;
	return m;
}

/* Opens infer as a group member and writes the message in pieces; returns the handle. */
static uint64_t infer_open_write(const uint8_t *msg, size_t len)
{
	int64_t h = fk_open("infer", 1000, GROUP, REDOX_O_RDWR);

	assert_true(h > 0);
	for (size_t at = 0, piece = 20; at < len; at += piece, piece = 4000)
		assert_int_equal(
		    fk_write((uint64_t)h, msg + at, len - at < piece ? len - at : piece),
		    len - at < piece ? len - at : piece);
	return (uint64_t)h;
}

/* The whole exchange: the outputs read into out; returns the read's result. */
static int64_t scheme_infer(const uint8_t *model, size_t msize, const uint8_t *in, size_t isize,
			    uint8_t *out, size_t cap)
{
	size_t len;
	uint8_t *msg = frame(model, msize, in, isize, &len);
	uint64_t h = infer_open_write(msg, len);
	int64_t n = fk_read(h, out, cap, 0, 0);

	fk_close(h);
	free(msg);
	return n;
}

/* The Linux path: libnpu in-process on the simulated NPU, jobs of 64 as npuctl infer. */
static void lib_infer(const uint8_t *in, uint32_t count, uint8_t *out)
{
	struct npu_open_opts o = { .device = "sim", .client_name = "redox-test linux" };
	struct npu *n;
	struct npu_buf *cmd, *desc, *model, *ib, *ob;
	struct npu_batch *b;

	assert_int_equal(npu_open(&o, &n), 0);
	assert_int_equal(npu_buf_create(n, npu_batch_size(n, 1, 0), 0, &cmd), 0);
	assert_int_equal(npu_buf_create(n, NPU_INFER_DESC_SIZE, 0, &desc), 0);
	assert_int_equal(npu_buf_create(n, dg.blob_size, 0, &model), 0);
	assert_int_equal(npu_buf_create(n, LIB_BATCH * SAMPLE, 0, &ib), 0);
	assert_int_equal(npu_buf_create(n, LIB_BATCH * RECORD, 0, &ob), 0);
	memcpy(npu_buf_ptr(model), dg.blob, dg.blob_size);
	for (uint32_t first = 0; first < count; first += LIB_BATCH) {
		uint32_t k = count - first < LIB_BATCH ? count - first : LIB_BATCH, job, status;
		struct npu_buf *bufs[] = { desc, model, ib, ob };
		uint8_t *d = npu_buf_ptr(desc);

		memcpy(npu_buf_ptr(ib), in + (size_t)first * SAMPLE, (size_t)k * SAMPLE);
		memset(d, 0, NPU_INFER_DESC_SIZE);
		npu_put_le32(d + offsetof(struct npu_infer_desc, magic), NPU_INFER_DESC_MAGIC);
		npu_put_le32(d + offsetof(struct npu_infer_desc, version), NPU_INFER_DESC_VERSION);
		npu_put_le32(d + offsetof(struct npu_infer_desc, batch), k);
		npu_put_le64(d + offsetof(struct npu_infer_desc, model_va), npu_buf_va(model));
		npu_put_le32(d + offsetof(struct npu_infer_desc, model_size),
			     (uint32_t)dg.blob_size);
		npu_put_le64(d + offsetof(struct npu_infer_desc, input_va), npu_buf_va(ib));
		npu_put_le32(d + offsetof(struct npu_infer_desc, input_size), k * SAMPLE);
		npu_put_le64(d + offsetof(struct npu_infer_desc, output_va), npu_buf_va(ob));
		npu_put_le32(d + offsetof(struct npu_infer_desc, output_size), k * RECORD);
		assert_int_equal(npu_batch_begin(cmd, 1, &b), 0);
		assert_int_equal(npu_batch_inference(b, npu_buf_va(desc), NPU_INFER_DESC_SIZE, 0),
				 0);
		assert_int_equal(npu_batch_end(b), 0);
		assert_int_equal(npu_submit(n, cmd, bufs, 4, &job), 0);
		assert_int_equal(npu_wait(n, job, 60000, &status), 0);
		assert_int_equal(status, 0);
		memcpy(out + (size_t)first * RECORD, npu_buf_ptr(ob), (size_t)k * RECORD);
	}
	npu_close(n);
}

/* Digits through the scheme: the Linux path's records to the byte, and the labels. */
static void t_digits(void **state)
{
	struct fx f;
	const uint8_t *in = dg.samples + (size_t)FIRST * SAMPLE;
	uint8_t *got = malloc(COUNT * RECORD + 64), *want = malloc(COUNT * RECORD), rec[RECORD];
	struct npu_device_stats *st = malloc(sizeof(*st));
	struct redox_stat fs;
	unsigned right = 0;
	size_t len;
	uint8_t *msg;
	uint64_t h;

	(void)state;
	assert_non_null(got);
	assert_non_null(want);
	assert_non_null(st);
	lib_infer(in, COUNT, want);
	fx_open(&f);
	assert_int_equal(
	    scheme_infer(dg.blob, dg.blob_size, in, COUNT * SAMPLE, got, COUNT * RECORD + 64),
	    COUNT * RECORD);
	assert_memory_equal(got, want, COUNT * RECORD);
	for (unsigned i = 0; i < COUNT; i++) {
		uint32_t cls = npu_le32(got + (size_t)i * RECORD);

		assert_true(cls < 10);
		right += cls == dg.labels[FIRST + i];
	}
	print_message("digits through /scheme/npu/infer: %u/%u as labelled\n", right, COUNT);
	assert_true(right * 100u >= 90u * COUNT);
	drv_device_stats(&f.d, st);
	assert_int_equal(st->jobs_completed, 2); /* 64 + 36 */
	assert_int_equal(st->jobs_failed, 0);
	assert_int_equal(npu_server_clients(f.s), 0); /* the run's client is gone */

	/* Positioned reads, fstat, fevent of a finished message. */
	msg = frame(dg.blob, dg.blob_size, in, 3 * SAMPLE, &len);
	h = infer_open_write(msg, len);
	assert_int_equal(fk_read(h, rec, sizeof(rec), RECORD, 0), RECORD);
	assert_memory_equal(rec, want + RECORD, RECORD);
	assert_int_equal(fk_read(h, rec, 8, 3 * RECORD - 8, REDOX_O_NONBLOCK), 8);
	assert_memory_equal(rec, want + 3 * RECORD - 8, 8);
	assert_int_equal(fk_read(h, rec, sizeof(rec), 3 * RECORD, 0), 0);
	assert_int_equal(fk_fstat(h, &fs), 0);
	assert_int_equal(fs.st_size, 3 * RECORD);
	assert_int_equal(fk_fevent(h, REDOX_EVENT_READ | REDOX_EVENT_WRITE), REDOX_EVENT_READ);
	assert_int_equal(fk_write(h, "x", 1), -ENOSPC);
	fk_close(h);
	free(msg);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	fx_close(&f);
	free(st);
	free(got);
	free(want);
}

/* A copy of the blob with one byte changed. */
static uint8_t *blob_with(size_t off, uint8_t v)
{
	uint8_t *b = malloc(dg.blob_size);

	assert_non_null(b);
	memcpy(b, dg.blob, dg.blob_size);
	b[off] = v;
	return b;
}

/* Models the NPU refuses, input that does not fit: errors on read; the daemon serves on. */
static void t_bad_model(void **state)
{
	struct fx f;
	const uint8_t *in = dg.samples + (size_t)FIRST * SAMPLE;
	uint8_t out[4 * RECORD], want[4 * RECORD], *bad;
	struct npu_device_stats *st = malloc(sizeof(*st));
	int64_t c;

	(void)state;
	assert_non_null(st);
	lib_infer(in, 4, want);
	fx_open(&f);
	/* Layer 0's reserved field: the NPU refuses the model (0x7). */
	bad = blob_with(NPU_MODEL_HEADER_SIZE + 56, 1);
	assert_int_equal(scheme_infer(bad, dg.blob_size, in, 4 * SAMPLE, out, sizeof(out)),
			 -EINVAL);
	free(bad);
	/* Layer 0's type unknown: an element the NPU does not support (0x8). */
	bad = blob_with(NPU_MODEL_HEADER_SIZE, 9);
	assert_int_equal(scheme_infer(bad, dg.blob_size, in, 4 * SAMPLE, out, sizeof(out)),
			 -EOPNOTSUPP);
	free(bad);
	drv_device_stats(&f.d, st);
	assert_int_equal(st->jobs_failed, 2);
	/* Refused by the daemon before any job: no NPUM header; input not whole samples. */
	bad = blob_with(0, 'X');
	assert_int_equal(scheme_infer(bad, dg.blob_size, in, 4 * SAMPLE, out, sizeof(out)),
			 -EINVAL);
	free(bad);
	assert_int_equal(scheme_infer(dg.blob, dg.blob_size, in, SAMPLE + 1, out, sizeof(out)),
			 -EINVAL);
	drv_device_stats(&f.d, st);
	assert_int_equal(st->jobs_failed, 2);
	assert_int_equal(st->jobs_completed, 0);

	/* The daemon serves on: a good model, a connection. */
	assert_int_equal(scheme_infer(dg.blob, dg.blob_size, in, 4 * SAMPLE, out, sizeof(out)),
			 4 * RECORD);
	assert_memory_equal(out, want, sizeof(want));
	c = fk_open("", 1000, GROUP, REDOX_O_RDWR);
	assert_int_equal(hello(&f, (uint64_t)c), 0);
	fk_close((uint64_t)c);
	assert_int_equal(npu_server_clients(f.s), 0);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	fx_close(&f);
	free(st);
}

/*
 * The last write and reads sent together reach the daemon in one batch, so
 * they find the message running: O_NONBLOCK says EAGAIN, a read parks until
 * the job's interrupt, a cancelled one answers EINTR.
 */
static void t_parked(void **state)
{
	struct fx f;
	const uint8_t *in = dg.samples + (size_t)FIRST * SAMPLE;
	uint8_t out[2 * RECORD], out2[2 * RECORD], *msg;
	struct redox_sqe w = { .opcode = REDOX_OP_WRITE };
	struct redox_sqe r = { .opcode = REDOX_OP_READ };
	struct redox_sqe nb = { .opcode = REDOX_OP_READ };
	struct redox_cqe c;
	uint32_t tw, tr, tn;
	size_t len;
	uint64_t h;

	(void)state;
	fx_open(&f);
	msg = frame(dg.blob, dg.blob_size, in, 2 * SAMPLE, &len);
	for (int round = 0; round < 2; round++) {
		h = infer_open_write(msg, len - 1);
		assert_int_equal(fk_fevent(h, REDOX_EVENT_READ), 0);
		w.args[0] = r.args[0] = nb.args[0] = h;
		w.args[1] = (uint64_t)(uintptr_t)(msg + len - 1);
		w.args[2] = 1;
		r.args[1] = (uint64_t)(uintptr_t)(round ? out2 : out);
		r.args[2] = sizeof(out);
		nb.args[1] = (uint64_t)(uintptr_t)out2;
		nb.args[2] = sizeof(out2);
		nb.args[4] = REDOX_O_NONBLOCK;
		tw = fk_send(&w);
		tn = fk_send(&nb);
		tr = fk_send(&r);
		if (round == 1)
			fk_cancel(tr);
		assert_true(fk_wait(tw, &c, 5));
		assert_int_equal(c.result, 1);
		assert_true(fk_wait(tn, &c, 5));
		assert_int_equal((int64_t)c.result, -EAGAIN);
		assert_true(fk_wait(tr, &c, 20000));
		if (round == 0) {
			assert_int_equal(c.result, sizeof(out));
			assert_int_equal(fk_fevents(h), 1); /* readable now, announced */
		} else {
			assert_int_equal((int64_t)c.result, -EINTR);
			/* The message ran on: a read now gives its outputs. */
			assert_int_equal(fk_read(h, out2, sizeof(out2), 0, 0), sizeof(out2));
			assert_memory_equal(out, out2, sizeof(out));
		}
		fk_close(h);
	}
	/* Closed while its job runs (the close in the last write's batch): its client goes. */
	h = infer_open_write(msg, len - 1);
	w.args[0] = h;
	tw = fk_send(&w);
	fk_close(h);
	assert_true(fk_wait(tw, &c, 5));
	assert_int_equal(c.result, 1);
	assert_int_equal(npu_server_clients(f.s), 0);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	assert_int_equal(scheme_infer(dg.blob, dg.blob_size, in, 2 * SAMPLE, out2, sizeof(out2)),
			 sizeof(out2));
	assert_memory_equal(out, out2, sizeof(out));
	free(msg);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_digits),
		cmocka_unit_test(t_bad_model),
		cmocka_unit_test(t_parked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
