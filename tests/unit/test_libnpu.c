/* SPDX-License-Identifier: MIT */
/*
 * libnpu in-process (the server and the driver in this process, on the
 * simulated NPU), both generations, through the public API only: open and
 * query, buffers and their limits, fill and copy jobs with their bytes
 * checked, a job still running (blocked on a fence the test signals), job
 * queries, unknown jobs, the status report, reset, the error texts, two
 * threads on one handle, and closing a handle with everything left over.
 */
#include "libnpu_test_util.h"

#include <pthread.h>
#include <unistd.h>

struct lfx {
	const char *gen;
	uint16_t pci_device;
	struct npu *n;
};

static struct lfx f37 = { "37xx", 0x7d1d, NULL }, f40 = { "40xx", 0x643e, NULL };

static int setup(void **state)
{
	struct lfx *f = *state;
	struct npu_open_opts o = { .device = "sim", .gen = f->gen, .client_name = "test" };

	assert_int_equal(npu_open(&o, &f->n), 0);
	return 0;
}

static int teardown(void **state)
{
	struct lfx *f = *state;

	npu_close(f->n);
	f->n = NULL;
	return 0;
}

static void test_query(void **state)
{
	struct lfx *f = *state;
	struct npu_info i;

	assert_int_equal(npu_query(f->n, &i), 0);
	assert_int_equal(i.protocol_version, NPU_PROTOCOL_VERSION);
	assert_string_equal(i.generation, f->gen);
	assert_string_equal(i.pci_address, "sim");
	assert_int_equal(i.pci_vendor, 0x8086);
	assert_int_equal(i.pci_device, f->pci_device);
	assert_int_equal(i.simulated, 1);
	assert_string_equal(i.state, "ready");
	assert_true(i.firmware_version[0] != '\0');
	assert_true(i.capabilities & NPU_CAP_FILL);
	assert_true(i.capabilities & NPU_CAP_COPY);
	assert_true(i.capabilities & NPU_CAP_SIMULATED);
	assert_true(i.memory_used_bytes > 0);
	assert_true(i.memory_total_bytes > i.memory_used_bytes);
	assert_true(i.max_buffers > 0 && i.max_buffer_bytes > 0 && i.max_queued_jobs > 0);
	assert_true(i.client_id > 0);
}

static void test_buffers(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *a, *b;
	uint64_t end_a;

	assert_int_equal(npu_buf_create(f->n, 1, 0, &a), 0);
	assert_int_equal(npu_buf_size(a), 4096);
	assert_true(npu_buf_va(a) != 0 && npu_buf_va(a) % 4096 == 0);
	assert_non_null(npu_buf_ptr(a));
	memset(npu_buf_ptr(a), 0x5A, npu_buf_size(a));
	assert_int_equal(npu_buf_create(f->n, 3 * 4096 + 1, 0, &b), 0);
	assert_int_equal(npu_buf_size(b), 4 * 4096);
	end_a = npu_buf_va(a) + npu_buf_size(a);
	assert_true(end_a <= npu_buf_va(b) || npu_buf_va(b) + npu_buf_size(b) <= npu_buf_va(a));
	assert_bytes(npu_buf_ptr(b), npu_buf_size(b), 0); /* new memory is zeroed */
	assert_bytes(npu_buf_ptr(a), npu_buf_size(a), 0x5A);
	npu_buf_free(a);
	npu_buf_free(b);
	npu_buf_free(NULL);
	assert_null(npu_buf_ptr(NULL));
	assert_int_equal(npu_buf_va(NULL), 0);

	assert_int_equal(npu_buf_create(f->n, 0, 0, &a), -EINVAL);
	assert_non_null(strstr(npu_last_error(f->n), "0 bytes"));
	assert_int_equal(npu_buf_create(f->n, 4096, 1, &a), -EINVAL);
	assert_non_null(strstr(npu_last_error(f->n), "flags"));
}

static void test_buffer_limits(void **state)
{
	struct lfx *f = *state;
	struct npu_info i;
	struct npu_buf *big, *one, **many;
	unsigned n = 0;
	int ret = 0;

	assert_int_equal(npu_query(f->n, &i), 0);
	/* Bytes: in-process the only client may have all of the device's memory, no more. */
	assert_true(i.max_buffer_bytes == i.memory_total_bytes);
	assert_int_equal(npu_buf_create(f->n, i.max_buffer_bytes + 1, 0, &big), -EFBIG);
	assert_non_null(strstr(npu_last_error(f->n), "outside"));
	/* Half of it works; the whole of it does not (the firmware has some). */
	assert_int_equal(npu_buf_create(f->n, i.max_buffer_bytes / 2, 0, &big), 0);
	assert_int_equal(npu_buf_create(f->n, i.max_buffer_bytes / 2, 0, &one), -ENOMEM);
	assert_non_null(strstr(npu_last_error(f->n), "memory"));
	npu_buf_free(big);
	/* Count: max_buffers of them, then one more is refused. */
	many = calloc(i.max_buffers + 1, sizeof(*many));
	assert_non_null(many);
	while (n <= i.max_buffers && (ret = npu_buf_create(f->n, 4096, 0, &many[n])) == 0)
		n++;
	assert_int_equal(n, i.max_buffers);
	assert_int_equal(ret, -EMFILE);
	assert_true(strlen(npu_last_error(f->n)) > 0);
	while (n > 0)
		npu_buf_free(many[--n]);
	free(many);
	assert_int_equal(npu_buf_create(f->n, 4096, 0, &one), 0);
	npu_buf_free(one);
}

static void test_fill(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *dst;

	assert_int_equal(npu_buf_create(f->n, 1 << 20, 0, &dst), 0);
	memset(npu_buf_ptr(dst), 0x11, 1 << 20);
	assert_int_equal(run_fill(f->n, dst, 1 << 20, 0xA5A5A5A5u), 0);
	assert_bytes(npu_buf_ptr(dst), 1 << 20, 0xA5);
	/* A fill of part of it leaves the rest alone. */
	assert_int_equal(run_fill(f->n, dst, 8192, 0x3C3C3C3Cu), 0);
	assert_bytes(npu_buf_ptr(dst), 8192, 0x3C);
	assert_bytes((uint8_t *)npu_buf_ptr(dst) + 8192, (1 << 20) - 8192, 0xA5);
	npu_buf_free(dst);
}

static void test_copy(void **state)
{
	struct lfx *f = *state;
	const size_t size = (3u << 20) + 123;
	struct npu_buf *src, *dst, *cmd;
	struct npu_batch *b;
	uint8_t *s;
	uint32_t job, status;
	int done;

	assert_int_equal(npu_buf_create(f->n, size, 0, &src), 0);
	assert_int_equal(npu_buf_create(f->n, size, 0, &dst), 0);
	s = npu_buf_ptr(src);
	srand(7);
	for (size_t i = 0; i < size; i++)
		s[i] = (uint8_t)rand();
	assert_int_equal(npu_buf_create(f->n, npu_batch_size(f->n, 2, 1), 0, &cmd), 0);
	assert_int_equal(npu_batch_begin(cmd, 2, &b), 0);
	assert_int_equal(npu_batch_copy(b, npu_buf_va(dst), npu_buf_va(src), size), 0);
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_submit(f->n, cmd, (struct npu_buf *[]){ src, dst }, 2, &job), 0);
	assert_int_equal(npu_wait(f->n, job, JOB_MS, &status), 0);
	assert_int_equal(status, 0);
	assert_memory_equal(npu_buf_ptr(dst), s, size);
	assert_bytes((uint8_t *)npu_buf_ptr(dst) + size, npu_buf_size(dst) - size, 0);
	assert_int_equal(npu_job_query(f->n, job, &done, &status), 0);
	assert_int_equal(done, 1);
	assert_int_equal(status, 0);
	npu_buf_free(cmd);
	npu_buf_free(src);
	npu_buf_free(dst);
}

/* A job that waits on a fence in fence_buf until the CPU signals it. */
static uint32_t submit_fenced(struct npu *n, struct npu_buf *fence, struct npu_buf *dst,
			      struct npu_buf **cmd)
{
	struct npu_batch *b;
	uint32_t job;

	assert_int_equal(npu_buf_create(n, npu_batch_size(n, 4, 0), 0, cmd), 0);
	assert_int_equal(npu_batch_begin(*cmd, 4, &b), 0);
	assert_int_equal(npu_batch_fence_wait(b, npu_buf_va(fence), 1), 0);
	assert_int_equal(npu_batch_fill(b, npu_buf_va(dst), 4096, 0x77777777u), 0);
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_submit(n, *cmd, (struct npu_buf *[]){ fence, dst }, 2, &job), 0);
	return job;
}

static void test_wait_running(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *fence, *dst, *cmd;
	uint32_t job, status = 0;
	int done = -1;

	assert_int_equal(npu_buf_create(f->n, 4096, 0, &fence), 0);
	assert_int_equal(npu_buf_create(f->n, 4096, 0, &dst), 0);
	job = submit_fenced(f->n, fence, dst, &cmd);
	assert_int_equal(npu_wait(f->n, job, 0, &status), -ETIMEDOUT);
	assert_int_equal(npu_job_query(f->n, job, &done, &status), 0);
	assert_int_equal(done, 0);
	/* A timed wait runs out too (parked in the server, answered by its timer). */
	assert_int_equal(npu_wait(f->n, job, 30, &status), -ETIMEDOUT);
	assert_bytes(npu_buf_ptr(dst), 4096, 0);
	__atomic_store_n((uint64_t *)npu_buf_ptr(fence), 1, __ATOMIC_RELEASE);
	assert_int_equal(npu_wait(f->n, job, JOB_MS, &status), 0);
	assert_int_equal(status, 0);
	assert_bytes(npu_buf_ptr(dst), 4096, 0x77);
	npu_buf_free(cmd);
	npu_buf_free(fence);
	npu_buf_free(dst);
}

/*
 * npu_run: SUBMIT and WAIT in one request. A fill job ends within the wait
 * with its bytes written; a job blocked on its fence outlives a short run,
 * which gives its id; WAIT takes it from there once the fence is signalled.
 */
static void test_run(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *fence, *dst, *cmd, *fcmd;
	struct npu_batch *b;
	uint32_t job = UINT32_MAX, status = 1;

	assert_int_equal(npu_buf_create(f->n, 4096, 0, &fence), 0);
	assert_int_equal(npu_buf_create(f->n, 4096, 0, &dst), 0);
	assert_int_equal(npu_buf_create(f->n, npu_batch_size(f->n, 2, 0), 0, &cmd), 0);
	assert_int_equal(npu_batch_begin(cmd, 2, &b), 0);
	assert_int_equal(npu_batch_fill(b, npu_buf_va(dst), 4096, 0x5a5a5a5au), 0);
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_run(f->n, cmd, (struct npu_buf *[]){ dst }, 1, JOB_MS, &job, &status),
			 0);
	assert_int_equal(status, 0);
	assert_true(job != UINT32_MAX);
	assert_bytes(npu_buf_ptr(dst), 4096, 0x5a);
	assert_int_equal(npu_run(f->n, cmd, (struct npu_buf *[]){ dst }, 1, JOB_MS, NULL, &status),
			 0);

	/* Still running when the time is up: -ETIMEDOUT and its id. */
	assert_int_equal(npu_buf_create(f->n, npu_batch_size(f->n, 4, 0), 0, &fcmd), 0);
	assert_int_equal(npu_batch_begin(fcmd, 4, &b), 0);
	assert_int_equal(npu_batch_fence_wait(b, npu_buf_va(fence), 1), 0);
	assert_int_equal(npu_batch_fill(b, npu_buf_va(dst), 4096, 0x77777777u), 0);
	assert_int_equal(npu_batch_end(b), 0);
	job = UINT32_MAX;
	assert_int_equal(
	    npu_run(f->n, fcmd, (struct npu_buf *[]){ fence, dst }, 2, 30, &job, &status),
	    -ETIMEDOUT);
	assert_true(job != UINT32_MAX);
	assert_non_null(strstr(npu_last_error(f->n), "still running"));
	assert_int_equal(
	    npu_run(f->n, fcmd, (struct npu_buf *[]){ fence, dst }, 2, 0, NULL, &status),
	    -ETIMEDOUT);
	assert_bytes(npu_buf_ptr(dst), 4096, 0x5a);
	__atomic_store_n((uint64_t *)npu_buf_ptr(fence), 1, __ATOMIC_RELEASE);
	assert_int_equal(npu_wait(f->n, job, JOB_MS, &status), 0);
	assert_int_equal(status, 0);
	assert_bytes(npu_buf_ptr(dst), 4096, 0x77);

	/* Bad arguments: nothing sent. */
	assert_int_equal(npu_run(f->n, NULL, NULL, 0, JOB_MS, NULL, &status), -EINVAL);
	assert_int_equal(npu_run(f->n, cmd, NULL, 0, JOB_MS, NULL, NULL), -EINVAL);
	assert_int_equal(npu_run(f->n, cmd, (struct npu_buf *[]){ NULL }, 1, JOB_MS, NULL, &status),
			 -EINVAL);
	npu_buf_free(cmd);
	npu_buf_free(fcmd);
	npu_buf_free(fence);
	npu_buf_free(dst);
}

static void test_unknown_job(void **state)
{
	struct lfx *f = *state;
	uint32_t status;
	int done;

	assert_int_equal(npu_wait(f->n, 0xBEEF, 0, &status), -ENOENT);
	assert_non_null(strstr(npu_last_error(f->n), "no job"));
	assert_int_equal(npu_wait(f->n, 0xBEEF, 100, &status), -ENOENT);
	assert_int_equal(npu_job_query(f->n, 0xBEEF, &done, &status), -ENOENT);
}

static void test_status(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *dst;
	struct npu_jv *root;
	const struct npu_jv *clients;
	uint64_t completed = 0;
	char small[16];

	assert_int_equal(npu_buf_create(f->n, 4096, 0, &dst), 0);
	assert_int_equal(run_fill(f->n, dst, 4096, 0), 0);
	root = check_status_json(f->n, f->gen);
	assert_true(npu_jv_get_u64(root, "jobs_completed", &completed));
	assert_int_equal(completed, 1);
	clients = npu_jv_get(root, "clients");
	assert_non_null(clients->kids); /* this handle is a client */
	assert_null(clients->kids->next);
	npu_jv_free(root);
	assert_int_equal(npu_status_json(f->n, small, sizeof(small)), -ENOSPC);
	assert_non_null(strstr(npu_last_error(f->n), "bytes"));
	npu_buf_free(dst);
}

static void test_reset(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *dst;
	struct npu_jv *root;
	uint64_t recoveries = 0;

	assert_int_equal(npu_reset(f->n), 0); /* in-process: this process owns the device */
	assert_int_equal(npu_buf_create(f->n, 8192, 0, &dst), 0);
	assert_int_equal(run_fill(f->n, dst, 8192, 0x42424242u), 0);
	assert_bytes(npu_buf_ptr(dst), 8192, 0x42);
	root = check_status_json(f->n, f->gen);
	assert_true(npu_jv_get_u64(root, "recoveries", &recoveries));
	assert_int_equal(recoveries, 1);
	npu_jv_free(root);
	npu_buf_free(dst);
}

static void test_batch_errors(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *cmd, *dst;
	struct npu_batch *b, *b2;
	struct npu_buf *many[65];
	uint32_t job;
	int i, ret = 0;

	assert_int_equal(npu_buf_create(f->n, 4096, 0, &dst), 0);
	assert_int_equal(npu_buf_create(f->n, npu_batch_size(f->n, 1, 0), 0, &cmd), 0);
	assert_int_equal(npu_batch_begin(cmd, 100000, &b), -EINVAL);
	assert_int_equal(npu_batch_begin(cmd, 1, &b), 0);
	assert_int_equal(npu_batch_begin(cmd, 1, &b2), -EBUSY);
	assert_int_equal(npu_submit(f->n, cmd, NULL, 0, &job), -EINVAL);
	assert_non_null(strstr(npu_last_error(f->n), "npu_batch_end"));
	/* Room for one command of the largest size: a few NOPs, then it is full. */
	for (i = 0; i < 100 && (ret = npu_batch_nop(b)) == 0; i++)
		;
	assert_int_equal(ret, -ENOSPC);
	assert_true(i >= 4 && i < 100);
	assert_non_null(strstr(npu_last_error(f->n), "full"));
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_submit(f->n, cmd, (struct npu_buf *[]){ NULL }, 1, &job), -EINVAL);
	for (i = 0; i < 65; i++)
		many[i] = dst;
	assert_int_equal(npu_submit(f->n, cmd, many, 65, &job), -E2BIG);
	npu_buf_free(cmd);
	npu_buf_free(dst);
	assert_int_equal(npu_batch_size(NULL, 1, 0), 0);
}

static void test_strings(void **state)
{
	(void)state;
	assert_string_equal(npu_strerror(0), "success");
	assert_non_null(strstr(npu_strerror(-EBUSY), "queue"));
	assert_non_null(strstr(npu_strerror(-EPERM), "reset"));
	assert_non_null(strstr(npu_strerror(-ECONNREFUSED), "npud"));
	assert_true(strlen(npu_strerror(-123456)) > 0);
	assert_string_equal(npu_status_name(0), "success");
	assert_non_null(strstr(npu_status_name(NPU_STATUS_ABORTED), "aborted"));
	assert_string_equal(npu_version(), NPU_VERSION);
}

static void test_open_errors(void **state)
{
	struct npu_open_opts o = { .device = "sim", .gen = "99xx" };
	char path[200];
	struct npu *n = (struct npu *)1;

	(void)state;
	assert_int_equal(npu_open(&o, &n), -EINVAL);
	assert_null(n);
	assert_non_null(strstr(npu_last_error(NULL), "99xx"));
	o.gen = NULL;
	o.sim_fault = "melt";
	assert_int_equal(npu_open(&o, &n), -EINVAL);
	assert_non_null(strstr(npu_last_error(NULL), "melt"));
	/* A socket path where no npud is: the message names the path. */
	snprintf(path, sizeof(path), "/tmp/npu-no-such-dir-%d/npud.sock", (int)getpid());
	o = (struct npu_open_opts){ .socket = path };
	assert_int_equal(npu_open(&o, &n), -ENOENT);
	assert_non_null(strstr(npu_last_error(NULL), path));
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(npu_open(&o, &n), -ENAMETOOLONG);
	assert_int_equal(npu_open(&o, NULL), -EINVAL);
}

struct thr {
	struct npu *n;
	uint8_t pattern;
	int failures;
};

static void *fill_loop(void *arg)
{
	struct thr *t = arg;
	struct npu_buf *dst;

	if (npu_buf_create(t->n, 65536, 0, &dst) != 0) {
		t->failures++;
		return NULL;
	}
	for (int i = 0; i < 20; i++) {
		const uint8_t *p = npu_buf_ptr(dst);

		if (run_fill(t->n, dst, 65536, t->pattern * 0x01010101u) != 0)
			t->failures++;
		for (size_t k = 0; k < 65536; k++)
			t->failures += p[k] != t->pattern;
	}
	npu_buf_free(dst);
	return NULL;
}

static void test_threads(void **state)
{
	struct lfx *f = *state;
	struct thr t[2] = { { f->n, 0x5A, 0 }, { f->n, 0xC3, 0 } };
	pthread_t id[2];

	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&id[i], NULL, fill_loop, &t[i]), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(id[i], NULL);
		assert_int_equal(t[i].failures, 0);
	}
}

/* Buffers, a batch being built and a job blocked on a fence, all left to npu_close. */
static void test_close_leftovers(void **state)
{
	struct lfx *f = *state;
	struct npu_buf *fence, *dst, *cmd, *half;
	struct npu_batch *b;

	assert_int_equal(npu_buf_create(f->n, 4096, 0, &fence), 0);
	assert_int_equal(npu_buf_create(f->n, 4096, 0, &dst), 0);
	submit_fenced(f->n, fence, dst, &cmd);
	assert_int_equal(npu_buf_create(f->n, npu_batch_size(f->n, 4, 0), 0, &half), 0);
	assert_int_equal(npu_batch_begin(half, 4, &b), 0);
	assert_int_equal(npu_batch_nop(b), 0);
	npu_buf_free(dst); /* in use by the job: only this handle's view goes */
			   /* teardown closes the handle with the rest */
}

#define BOTH(t)                                                             \
	cmocka_unit_test_prestate_setup_teardown(t, setup, teardown, &f37), \
	    cmocka_unit_test_prestate_setup_teardown(t, setup, teardown, &f40)

int main(void)
{
	static char fw_dir[] = "/tmp/npu-libnpu-test-XXXXXX";
	const struct CMUnitTest tests[] = {
		BOTH(test_query),
		BOTH(test_buffers),
		BOTH(test_buffer_limits),
		BOTH(test_fill),
		BOTH(test_copy),
		BOTH(test_wait_running),
		BOTH(test_run),
		BOTH(test_unknown_job),
		BOTH(test_status),
		BOTH(test_reset),
		BOTH(test_batch_errors),
		BOTH(test_threads),
		BOTH(test_close_leftovers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_open_errors),
	};
	int ret;

	/* The synthetic firmware image: independent of the firmware package. */
	if (!mkdtemp(fw_dir))
		return 1;
	setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
	unsetenv("NPU_SIM_FAULT");
	unsetenv("NPU_TDR_TIMEOUT_MS");
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(fw_dir);
	return ret;
}
