/* SPDX-License-Identifier: MIT */
/*
 * The `npu` scheme against the fake Redox kernel, through the wire format:
 * 64-byte requests in, 16-byte replies out, the daemon set up in the order
 * Redox drivers use (device, firmware, socket, registration, null namespace)
 * on the Redox platform backend with the simulated NPU behind it.
 */
#include "driver/cmdbuf.h"
#include "scheme_fixture.h"

struct rbuf {
	struct npu_rsp_buf b;
	uint8_t *cpu; /* the client's mapping, through MmapPrep */
};

static void mkbuf(struct fx *f, uint64_t h, uint64_t size, struct rbuf *b)
{
	struct npu_req_buf_create q = { .size = size };
	int64_t addr;

	assert_int_equal(call(f, h, NPU_OP_BUF_CREATE, &q, sizeof(q), &b->b, sizeof(b->b)), 0);
	addr = fk_mmap(h, (size_t)b->b.size, b->b.va);
	assert_true(addr > 0 && addr % 4096 == 0);
	b->cpu = (uint8_t *)(uintptr_t)addr;
}

/* A client opens npu:, makes buffers, maps them, copies with the NPU, waits blocking. */
static void t_copy(void **state)
{
	struct fx f;
	struct rbuf src, dst, cmd;
	struct npu_cmdbuf cb;
	uint8_t sub[sizeof(struct npu_req_submit) + 8];
	struct npu_req_submit sq = { .n_bufs = 2 };
	struct npu_rsp_submit sa;
	struct npu_req_wait wq;
	struct npu_rsp_job ja;
	struct npu_rsp_hdr rh;
	struct redox_cqe c;
	struct redox_sqe rq = { .opcode = REDOX_OP_READ };
	uint8_t q[64], r[256];
	size_t size = 1u << 20;
	int64_t h, st;
	uint32_t tag;

	(void)state;
	fx_open(&f);
	h = fk_open("", 1000, GROUP, REDOX_O_RDWR);
	assert_true(h > 0);
	assert_int_equal(hello(&f, (uint64_t)h), 0);
	mkbuf(&f, (uint64_t)h, size, &src);
	mkbuf(&f, (uint64_t)h, size, &dst);
	mkbuf(&f, (uint64_t)h, drv_cmdbuf_size_for(f.d.gen, 8, 4), &cmd);
	for (size_t i = 0; i < size; i++)
		src.cpu[i] = (uint8_t)(i * 7u + (i >> 9));
	assert_int_equal(drv_cmdbuf_init(&cb, cmd.cpu, cmd.b.va, cmd.b.size, 8, f.d.gen), 0);
	assert_int_equal(drv_cmdbuf_copy(&cb, dst.b.va, src.b.va, size), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
	sq.cmd_handle = cmd.b.handle;
	memcpy(sub, &sq, sizeof(sq));
	memcpy(sub + sizeof(sq), &src.b.handle, 4);
	memcpy(sub + sizeof(sq) + 4, &dst.b.handle, 4);
	assert_int_equal(call(&f, (uint64_t)h, NPU_OP_SUBMIT, sub, sizeof(sub), &sa, sizeof(sa)),
			 0);

	/* WAIT written, then a blocking read parked until the job's interrupt. */
	wq = (struct npu_req_wait){ .job_id = sa.job_id, .timeout_ms = 5000 };
	assert_int_equal(fk_write((uint64_t)h, q, msg(&f, q, NPU_OP_WAIT, &wq, sizeof(wq))),
			 sizeof(struct npu_req_hdr) + sizeof(wq));
	rq.args[0] = (uint64_t)h;
	rq.args[1] = (uint64_t)(uintptr_t)r;
	rq.args[2] = sizeof(r);
	tag = fk_send(&rq);
	/* Meanwhile the daemon serves others: a status file opens. */
	st = fk_open("status", 0, 0, REDOX_O_RDONLY);
	assert_true(st > 0);
	fk_close((uint64_t)st);
	assert_true(fk_wait(tag, &c, 20000));
	assert_int_equal(c.result, sizeof(rh) + sizeof(ja));
	memcpy(&rh, r, sizeof(rh));
	memcpy(&ja, r + sizeof(rh), sizeof(ja));
	assert_int_equal(rh.op, NPU_OP_WAIT);
	assert_int_equal(rh.status, 0);
	assert_int_equal(ja.done, 1);
	assert_int_equal(ja.status, 0);
	assert_memory_equal(dst.cpu, src.cpu, size);

	/* Freed buffers can no longer be mapped; closing ends the client. */
	assert_int_equal(call(&f, (uint64_t)h, NPU_OP_BUF_FREE,
			      &(struct npu_req_buf){ .handle = dst.b.handle }, 8, NULL, 0),
			 0);
	assert_int_equal(fk_mmap((uint64_t)h, 4096, dst.b.va), -EINVAL);
	assert_true(fk_mmap((uint64_t)h, 4096, src.b.va) > 0);
	assert_int_equal(npu_server_clients(f.s), 1);
	fk_close((uint64_t)h);
	assert_int_equal(npu_server_clients(f.s), 0);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	fx_close(&f);
}

/* Only root and the group open anything. */
static void t_permissions(void **state)
{
	struct fx f;
	int64_t h;

	(void)state;
	fx_open(&f);
	assert_int_equal(fk_open("", 1000, 1000, REDOX_O_RDWR), -EACCES);
	assert_int_equal(fk_open("status", 1000, 1000, REDOX_O_RDONLY), -EACCES);
	assert_int_equal(npu_server_clients(f.s), 0);
	h = fk_open("", 0, 0, REDOX_O_RDWR);
	assert_true(h > 0);
	assert_int_equal(hello(&f, (uint64_t)h), 0);
	fk_close((uint64_t)h);
	h = fk_open("/", 1000, GROUP, REDOX_O_RDWR);
	assert_true(h > 0);
	fk_close((uint64_t)h);
	assert_int_equal(fk_open("nothing-here", 0, 0, REDOX_O_RDONLY), -ENOENT);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_copy),
		cmocka_unit_test(t_permissions),
	};
	int fails = cmocka_run_group_tests(tests, group_setup, group_teardown);

	return fails;
}
