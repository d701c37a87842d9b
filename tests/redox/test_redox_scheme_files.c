/* SPDX-License-Identifier: MIT */
/*
 * The `npu` scheme: malformed requests on the socket and on a connection
 * (error replies, the daemon keeps serving), parked and non-blocking reads,
 * fevent, fstat, the status files and the infer framing.
 */
#include "scheme_fixture.h"

static struct redox_sqe sqe(uint8_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct redox_sqe q = { .opcode = op, .args = { a0, a1, a2, a3 } };

	return q;
}

/* Requests the scheme cannot serve get error replies; it goes on serving. */
static void t_malformed(void **state)
{
	struct fx f;
	struct redox_sqe q;
	struct redox_stat st;
	uint8_t junk[64], big[NPU_PROTO_REQ_MAX + 1] = { 0 }, r[512];
	struct npu_rsp_hdr rh;
	int64_t h;

	(void)state;
	fx_open(&f);
	q = sqe(99, 0, 0, 0, 0);
	assert_int_equal(fk_request(&q, NULL), -ENOSYS);
	q = sqe(REDOX_OP_READ, 12345, (uint64_t)(uintptr_t)r, sizeof(r), 0);
	assert_int_equal(fk_request(&q, NULL), -EBADF);
	q = sqe(REDOX_OP_OPENAT, 42, (uint64_t)(uintptr_t) "", 0, 0);
	assert_int_equal(fk_request(&q, NULL), -EBADF);
	q = sqe(REDOX_OP_OPENAT, 0, 0, 5, 0);
	assert_int_equal(fk_request(&q, NULL), -EFAULT);

	h = fk_open("", 0, 0, REDOX_O_RDWR);
	assert_true(h > 0);
	assert_int_equal(fk_write((uint64_t)h, big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(fk_call((uint64_t)h, junk, sizeof(junk), 2), -EINVAL);
	memset(junk, 0, sizeof(junk));
	assert_int_equal(fk_call((uint64_t)h, junk, sizeof(junk), NPU_REDOX_CALL_REQUEST), -EINVAL);
	q = sqe(REDOX_OP_FSTAT, (uint64_t)h, (uint64_t)(uintptr_t)&st, 50, 0);
	assert_int_equal(fk_request(&q, NULL), -EINVAL);
	q = sqe(REDOX_OP_MMAP_PREP, (uint64_t)h, 4096, 0, 0x1000);
	assert_int_equal(fk_request(&q, NULL), -EINVAL); /* no buffer there */
	assert_int_equal(hello(&f, (uint64_t)h), 0);

	/* Garbage on the connection: an error reply, then the connection is over. */
	memset(junk, 0xA5, sizeof(junk));
	assert_int_equal(fk_write((uint64_t)h, junk, sizeof(junk)), sizeof(junk));
	assert_true(fk_read((uint64_t)h, r, sizeof(r), 0, 0) >= (int64_t)sizeof(rh));
	memcpy(&rh, r, sizeof(rh));
	assert_int_equal(rh.status, -EBADMSG);
	assert_int_equal(fk_write((uint64_t)h, junk, sizeof(junk)), -EPIPE);
	assert_int_equal(fk_read((uint64_t)h, r, sizeof(r), 0, 0), 0);
	assert_int_equal(npu_server_clients(f.s), 0);
	fk_close((uint64_t)h);

	/* Half a request on the socket waits for its other half. */
	q = sqe(REDOX_OP_OPENAT, 0, (uint64_t)(uintptr_t) "status", 6, 0);
	{
		struct redox_cqe c;
		uint32_t tag = fk_send_split(&q, 24);

		assert_true(tag != 0);
		assert_true(fk_wait(tag, &c, 5));
		assert_true((int64_t)c.result > 0);
		assert_int_equal(c.extra_raw[0], REDOX_NEWFD_POSITIONED);
		fk_close(c.result);
	}
	h = fk_open("", 0, 0, REDOX_O_RDWR);
	assert_true(h > 0);
	assert_int_equal(hello(&f, (uint64_t)h), 0);
	fk_close((uint64_t)h);
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	fx_close(&f);
}

/* A read with no reply parks; O_NONBLOCK says EAGAIN; fevent tells when. */
static void t_parked_and_nonblock(void **state)
{
	struct fx f;
	struct redox_sqe rq = { .opcode = REDOX_OP_READ };
	struct redox_cqe c;
	struct npu_rsp_hdr rh;
	uint8_t q[64], r[1024];
	int64_t h;
	uint32_t tag;

	(void)state;
	fx_open(&f);
	h = fk_open("", 0, 0, REDOX_O_RDWR);
	assert_int_equal(hello(&f, (uint64_t)h), 0);
	assert_int_equal(fk_read((uint64_t)h, r, sizeof(r), 0, REDOX_O_NONBLOCK), -EAGAIN);
	assert_int_equal(fk_fevent((uint64_t)h, REDOX_EVENT_READ), 0);

	rq.args[0] = (uint64_t)h;
	rq.args[1] = (uint64_t)(uintptr_t)r;
	rq.args[2] = sizeof(r);
	tag = fk_send(&rq);
	assert_false(fk_wait(tag, &c, 20)); /* parked, the daemon goes on */
	assert_int_equal(fk_write((uint64_t)h, q, msg(&f, q, NPU_OP_QUERY, NULL, 0)), 16);
	assert_true(fk_wait(tag, &c, 5));
	assert_int_equal(c.result, sizeof(rh) + sizeof(struct npu_rsp_query));
	memcpy(&rh, r, sizeof(rh));
	assert_int_equal(rh.op, NPU_OP_QUERY);
	assert_int_equal(rh.status, 0);
	assert_int_equal(fk_fevents((uint64_t)h), 0); /* the parked read took it */

	/* A reply nobody waits for is queued and announced. */
	assert_int_equal(fk_write((uint64_t)h, q, msg(&f, q, NPU_OP_QUERY, NULL, 0)), 16);
	assert_int_equal(fk_fevents((uint64_t)h), 1);
	assert_int_equal(fk_fevent((uint64_t)h, REDOX_EVENT_READ), REDOX_EVENT_READ);
	assert_int_equal(fk_read((uint64_t)h, r, 8, 0, 0), -EMSGSIZE); /* kept */
	assert_int_equal(fk_read((uint64_t)h, r, sizeof(r), 0, REDOX_O_NONBLOCK),
			 sizeof(rh) + sizeof(struct npu_rsp_query));

	/* A cancelled parked read answers EINTR. */
	tag = fk_send(&rq);
	assert_false(fk_wait(tag, &c, 2));
	fk_cancel(tag);
	assert_true(fk_wait(tag, &c, 2));
	assert_int_equal((int64_t)c.result, -EINTR);
	fk_close((uint64_t)h);
	fx_close(&f);
}

/* status and status.json: the STATUS reply, and its text (util/status_text.h). */
static void t_status(void **state)
{
	struct fx f;
	struct redox_stat st;
	struct npu_req_status sq = { 0 };
	char text[8192], json[8192], op_json[8192] = { 0 };
	int64_t h, c, n, m;
	const char *cut;

	(void)state;
	fx_open(&f);
	c = fk_open("", 1000, GROUP, REDOX_O_RDWR);
	assert_int_equal(hello(&f, (uint64_t)c), 0);

	h = fk_open("status", 0, 0, REDOX_O_RDONLY);
	assert_true(h > 0);
	n = fk_read((uint64_t)h, text, sizeof(text) - 1, 0, 0);
	assert_true(n > 0);
	text[n] = '\0';
	assert_non_null(strstr(text, "device             0000:00:0b.0 (8086:7d1d, 37xx)\n"));
	assert_non_null(strstr(text, "state              ready, boot 1"));
	assert_non_null(strstr(text, "clients            1\n"));
	/* The client's row: its pid (the opener's), uid and name (its HELLO). */
	assert_non_null(strstr(text, "      77   1000 redox-test\n"));
	assert_int_equal(fk_fstat((uint64_t)h, &st), 0);
	assert_int_equal(st.st_size, n);
	assert_int_equal(st.st_mode & 0xF000, REDOX_MODE_FILE);
	/* Positioned: the kernel's offset comes in args[3]. */
	assert_int_equal(fk_read((uint64_t)h, json, 6, 7, 0), 6);
	assert_memory_equal(json, text + 7, 6);
	assert_int_equal(fk_read((uint64_t)h, json, 6, (uint64_t)n, 0), 0);
	assert_int_equal(fk_write((uint64_t)h, "x", 1), -EBADF);
	fk_close((uint64_t)h);

	h = fk_open("status.json", 0, 0, REDOX_O_RDONLY);
	n = fk_read((uint64_t)h, json, sizeof(json) - 1, 0, 0);
	assert_true(n > 0);
	json[n] = '\0';
	fk_close((uint64_t)h);
	m = rw(&f, (uint64_t)c, NPU_OP_STATUS, &sq, sizeof(sq), op_json, sizeof(op_json) - 1);
	assert_int_equal(m, 0);
	/* The same report up to the first field that moves with time. */
	cut = strstr(json, "\"uptime_us\"");
	assert_non_null(cut);
	assert_memory_equal(json, op_json, (size_t)(cut - json));
	assert_non_null(strstr(json, "\"state\":\"ready\""));
	fk_close((uint64_t)c);
	fx_close(&f);
}

static void put_hdr(uint8_t *p, uint32_t magic, uint64_t model, uint64_t input)
{
	memset(p, 0, 32);
	memcpy(p, &magic, 4);
	p[4] = 1;
	memcpy(p + 8, &model, 8);
	memcpy(p + 16, &input, 8);
}

/* infer: the framing is checked; a whole message that is no model reads as EINVAL. */
static void t_infer_framing(void **state)
{
	struct fx f;
	uint8_t hdr[32], body[16] = { 0 }, out[64];
	int64_t h;

	(void)state;
	fx_open(&f);
	h = fk_open("infer", 0, 0, REDOX_O_RDWR);
	put_hdr(hdr, 0x12345678u, 8, 8);
	assert_int_equal(fk_write((uint64_t)h, hdr, sizeof(hdr)), -EINVAL);
	assert_int_equal(fk_write((uint64_t)h, body, 4), -EINVAL); /* stays refused */
	fk_close((uint64_t)h);

	h = fk_open("infer", 0, 0, REDOX_O_RDWR);
	put_hdr(hdr, 0x4655504Eu, 8, 8);
	assert_int_equal(fk_write((uint64_t)h, hdr, 20), 20);
	assert_int_equal(fk_write((uint64_t)h, hdr + 20, 12), 12);
	assert_int_equal(fk_read((uint64_t)h, out, sizeof(out), 0, 0), -ENODATA);
	assert_int_equal(fk_write((uint64_t)h, body, 16), 16);
	assert_int_equal(fk_write((uint64_t)h, body, 1), -ENOSPC);
	assert_int_equal(fk_read((uint64_t)h, out, sizeof(out), 0, 0), -EINVAL); /* no NPUM */
	assert_int_equal(fk_read((uint64_t)h, out, sizeof(out), 0, 0), -EINVAL);
	assert_int_equal(npu_server_clients(f.s), 0);
	fk_close((uint64_t)h);

	h = fk_open("infer", 0, 0, REDOX_O_RDWR);
	put_hdr(hdr, 0x4655504Eu, 1ull << 40, 8);
	assert_int_equal(fk_write((uint64_t)h, hdr, sizeof(hdr)), -EFBIG);
	fk_close((uint64_t)h);
	fx_close(&f);
}

/* `ls /scheme/npu`: the root opened as a directory lists the files and makes no client. */
static void t_list_root(void **state)
{
	struct fx f;
	uint8_t buf[256];
	struct redox_sqe q = { .opcode = REDOX_OP_STD_FS_CALL };
	struct redox_stat st;
	const char *want[] = { "status", "status.json", "infer" };
	int64_t h, n;
	size_t at = 0;
	unsigned i = 0;

	(void)state;
	fx_open(&f);
	h = fk_open("", 1000, GROUP, REDOX_O_RDONLY | REDOX_O_DIRECTORY);
	assert_true(h > 0);
	assert_int_equal(npu_server_clients(f.s), 0);
	assert_int_equal(fk_fstat((uint64_t)h, &st), 0);
	assert_int_equal(st.st_mode & 0xF000, REDOX_MODE_DIR);
	q.args[0] = (uint64_t)h;
	q.args[1] = (uint64_t)(uintptr_t)buf;
	q.args[2] = sizeof(buf);
	q.args[3] = REDOX_STDFS_GETDENTS;
	q.args[5] = REDOX_DIRENT_HEADER;
	n = fk_request(&q, NULL);
	assert_true(n > 0);
	while (at < (size_t)n) {
		uint16_t rec;
		uint64_t next;

		memcpy(&next, buf + at + 8, 8);
		memcpy(&rec, buf + at + 16, 2);
		assert_true(i < 3);
		assert_string_equal((const char *)buf + at + REDOX_DIRENT_HEADER, want[i]);
		assert_int_equal(rec % 8, 0);
		q.args[4] = next;
		at += rec;
		i++;
	}
	assert_int_equal(i, 3);
	assert_int_equal(fk_request(&q, NULL), 0); /* from the last position: the end */
	fk_close((uint64_t)h);
	/* A file is not a directory. */
	assert_int_equal(fk_open("status", 0, 0, REDOX_O_RDONLY | REDOX_O_DIRECTORY), -ENOTDIR);
	assert_int_equal(npu_server_clients(f.s), 0);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_malformed), cmocka_unit_test(t_parked_and_nonblock),
		cmocka_unit_test(t_status),    cmocka_unit_test(t_infer_framing),
		cmocka_unit_test(t_list_root),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
