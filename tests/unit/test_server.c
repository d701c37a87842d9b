/* SPDX-License-Identifier: MIT */
/*
 * The request server without sockets: a fake transport drives it over the
 * simulated NPU. Jobs through it; isolation between clients; limits; who may
 * connect and reset; garbage requests; a client gone mid-job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "driver/cmdbuf.h"
#include "server_test_util.h"
#include "empty_fw_dir.h"

#define OWNER 4242u

struct fx {
	enum npu_sim_fault fault;
	struct npu_server_config cfg;
	struct npu_platform *plat;
	struct npu_device d;
	struct npu_server *s;
};

static int fx_open(struct fx *f)
{
	struct npu_platform_config pcfg = { .device = "sim", .fault = f->fault };
	/* A second for the D0i3 entry: the autosuspend case expects a warm boot. */
	struct npu_device_config dcfg = { .tdr_timeout_us = 30000000u,
					  .d0i3_timeout_us = 1000000u };

	assert_int_equal(npu_platform_open(&pcfg, &f->plat), 0);
	assert_int_equal(drv_device_open(&f->d, f->plat, &dcfg), 0);
	f->cfg.owner_uid = OWNER;
	assert_int_equal(npu_server_create(&f->d, &f->cfg, &f->s), 0);
	assert_int_equal(f->d.state, NPU_DEV_READY);
	return 0;
}

static void fx_close(struct fx *f)
{
	npu_server_destroy(f->s);
	drv_device_close(&f->d);
	npu_platform_close(f->plat);
}

struct buf {
	uint32_t handle;
	uint64_t va, size;
	void *cpu;
	int fd;
};

static int mkbuf(struct tc *t, uint64_t size, struct buf *b)
{
	struct npu_req_buf_create q = { .size = size };
	struct npu_rsp_buf a;
	struct npu_rsp_hdr h = { 0 };

	tc_req(t, NPU_OP_BUF_CREATE, &q, sizeof(q));
	assert_int_equal(tc_last(t, &h, &a, sizeof(a)), 0);
	if (h.status)
		return h.status;
	assert_int_equal(h.size, sizeof(h) + sizeof(a));
	b->handle = a.handle;
	b->va = a.va;
	b->size = a.size;
	b->cpu = t->cpu[t->n - 1];
	b->fd = t->fd[t->n - 1];
	assert_non_null(b->cpu);
	return 0;
}

/* Submits cmd with the given buffers; returns the status, job id in *job. */
static int submit(struct tc *t, const struct buf *cmd, const struct buf *const *bufs, unsigned n,
		  uint32_t *job)
{
	uint8_t q[sizeof(struct npu_req_submit) + 4 * 8];
	struct npu_req_submit s = { .cmd_handle = cmd->handle, .n_bufs = n };
	struct npu_rsp_submit a = { 0 };
	struct npu_rsp_hdr h = { 0 };

	memcpy(q, &s, sizeof(s));
	for (unsigned i = 0; i < n; i++)
		memcpy(q + sizeof(s) + 4 * i, &bufs[i]->handle, 4);
	tc_req(t, NPU_OP_SUBMIT, q, sizeof(s) + 4 * n);
	tc_last(t, &h, &a, sizeof(a));
	*job = a.job_id;
	return h.status;
}

/* WAIT, then runs the loop until its reply comes; returns status, job status in *st. */
static int wait_job(struct fx *f, struct tc *t, uint32_t job, uint32_t ms, uint32_t *st)
{
	struct npu_req_wait q = { .job_id = job, .timeout_ms = ms };
	struct npu_rsp_job a = { 0 };
	struct npu_rsp_hdr h = { 0 };
	uint32_t seq;

	tc_req(t, NPU_OP_WAIT, &q, sizeof(q));
	seq = t->seq;
	for (int i = 0; i < 20000; i++) {
		if (!tc_last(t, &h, &a, sizeof(a)) && h.seq == seq)
			break;
		srv_step(f->s, 10);
	}
	assert_int_equal(h.seq, seq);
	assert_int_equal(h.op, NPU_OP_WAIT);
	if (!h.status) {
		assert_int_equal(a.job_id, job);
		assert_int_equal(a.done, 1);
		*st = a.status;
	}
	return h.status;
}

static void build_fill(struct fx *f, const struct buf *cmd, const struct buf *dst, uint32_t pat)
{
	struct npu_cmdbuf cb;

	assert_int_equal(drv_cmdbuf_init(&cb, cmd->cpu, cmd->va, cmd->size, 4, f->d.gen), 0);
	assert_int_equal(drv_cmdbuf_fill(&cb, dst->va, dst->size, pat), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
}

static void build_copy(struct fx *f, const struct buf *cmd, const struct buf *dst,
		       const struct buf *src)
{
	struct npu_cmdbuf cb;

	assert_int_equal(drv_cmdbuf_init(&cb, cmd->cpu, cmd->va, cmd->size, 8, f->d.gen), 0);
	assert_int_equal(drv_cmdbuf_copy(&cb, dst->va, src->va, src->size), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
}

static void t_fill_and_query(void **state)
{
	struct fx f = { .cfg = { .allow_uids = { 1000 }, .n_allow_uids = 1 } };
	struct tc t;
	struct buf cmd, dst;
	const struct buf *use[] = { &dst };
	struct npu_rsp_query q;
	struct npu_rsp_hdr h = { 0 };
	uint32_t job, st = 99;

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &t, 1000), 0);
	assert_int_equal(tc_hello(&t, "test"), 0);
	tc_req(&t, NPU_OP_QUERY, NULL, 0);
	assert_int_equal(tc_last(&t, &h, &q, sizeof(q)), 0);
	assert_int_equal(h.status, 0);
	assert_int_equal(h.size, sizeof(h) + sizeof(q));
	assert_string_equal(q.generation, "37xx");
	assert_string_equal(q.state, "ready");
	assert_int_equal(q.simulated, 1);
	assert_int_equal(q.pci_device, 0x7d1d);
	assert_true(q.memory_total_bytes > 0);

	assert_int_equal(mkbuf(&t, 3 * 4096 + 5, &dst), 0);
	assert_int_equal(dst.size, 4 * 4096);
	assert_int_equal(dst.fd, -1); /* share_fds off */
	assert_int_equal(mkbuf(&t, drv_cmdbuf_size_for(f.d.gen, 4, 1), &cmd), 0);
	build_fill(&f, &cmd, &dst, 0x5A5A0F0Fu);
	assert_int_equal(submit(&t, &cmd, use, 1, &job), 0);
	assert_int_equal(wait_job(&f, &t, job, 5000, &st), 0);
	assert_int_equal(st, 0);
	for (size_t i = 0; i < dst.size; i += 4)
		assert_int_equal(*(uint32_t *)((uint8_t *)dst.cpu + i), 0x5A5A0F0Fu);
	npu_server_client_gone(t.c);
	assert_int_equal(npu_server_clients(f.s), 0);
	fx_close(&f);
}

/*
 * --autosuspend-ms: idle long enough, the NPU is suspended with the D0i3 entry message;
 * the next request boots it again from the firmware's restore entry (docs/boot-params.md).
 */
static void t_autosuspend(void **state)
{
	struct fx f = { .cfg = {
			    .allow_uids = { 1000 }, .n_allow_uids = 1, .autosuspend_ms = 20 } };
	struct tc t;
	struct buf cmd, dst;
	const struct buf *use[] = { &dst };
	uint32_t job, st = 99;

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &t, 1000), 0);
	assert_int_equal(tc_hello(&t, "test"), 0);
	assert_int_equal(mkbuf(&t, 4096, &dst), 0);
	assert_int_equal(mkbuf(&t, drv_cmdbuf_size_for(f.d.gen, 4, 1), &cmd), 0);
	build_fill(&f, &cmd, &dst, 0x01020304u);
	assert_int_equal(submit(&t, &cmd, use, 1, &job), 0);
	assert_int_equal(wait_job(&f, &t, job, 5000, &st), 0);
	assert_int_equal(st, 0);
	for (int i = 0; i < 200 && f.d.state == NPU_DEV_READY; i++)
		srv_step(f.s, 10);
	assert_int_equal(f.d.state, NPU_DEV_OFF);
	assert_int_equal(f.d.suspends, 1);
	assert_true(f.d.warm_entry != 0);

	build_fill(&f, &cmd, &dst, 0x0A0B0C0Du);
	assert_int_equal(submit(&t, &cmd, use, 1, &job), 0);
	assert_int_equal(f.d.state, NPU_DEV_READY);
	assert_true(f.d.last_boot_warm);
	assert_int_equal(wait_job(&f, &t, job, 5000, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(*(uint32_t *)dst.cpu, 0x0A0B0C0Du);
	npu_server_client_gone(t.c);
	fx_close(&f);
}

/* Buffers carry memfds: what the client writes through its own mapping the NPU copies. */
static void t_copy_through_fds(void **state)
{
	struct fx f = { .cfg = { .share_fds = true } };
	struct tc t;
	struct buf cmd, src, dst;
	const struct buf *use[] = { &src, &dst };
	uint8_t *ms, *md;
	uint32_t job, st = 99;
	size_t size = 3u << 20;

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &t, 0), 0);
	assert_int_equal(tc_hello(&t, "fds"), 0);
	assert_int_equal(mkbuf(&t, size, &src), 0);
	assert_int_equal(mkbuf(&t, size, &dst), 0);
	assert_int_equal(mkbuf(&t, drv_cmdbuf_size_for(f.d.gen, 8, 4), &cmd), 0);
	assert_true(src.fd >= 0 && dst.fd >= 0);
	ms = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, src.fd, 0);
	md = mmap(NULL, size, PROT_READ, MAP_SHARED, dst.fd, 0);
	assert_true(ms != MAP_FAILED && md != MAP_FAILED);
	for (size_t i = 0; i < size; i++)
		ms[i] = (uint8_t)(i * 131u + (i >> 11));
	build_copy(&f, &cmd, &dst, &src);
	assert_int_equal(submit(&t, &cmd, use, 2, &job), 0);
	assert_int_equal(wait_job(&f, &t, job, 5000, &st), 0);
	assert_int_equal(st, 0);
	assert_memory_equal(md, ms, size);
	munmap(ms, size);
	munmap(md, size);
	npu_server_client_gone(t.c);
	fx_close(&f);
}

/* Every malformed message gets an error reply; protocol breaks also close. */
static void t_garbage(void **state)
{
	struct fx f = { 0 };
	struct tc t;
	struct npu_req_hdr h = { .magic = NPU_PROTO_REQ_MAGIC, .version = 1, .op = 1 };
	uint8_t junk[64];
	uint32_t one = 1;

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &t, 0), 0);
	assert_int_equal(npu_server_request(t.c, junk, 3), -EBADMSG);
	assert_int_equal(tc_status(&t), -EBADMSG);
	memset(junk, 0xA5, sizeof(junk));
	assert_int_equal(npu_server_request(t.c, junk, sizeof(junk)), -EBADMSG);
	h.size = 99;
	assert_int_equal(npu_server_request(t.c, &h, sizeof(h)), -EBADMSG);
	h.size = sizeof(h);
	h.version = 7;
	assert_int_equal(npu_server_request(t.c, &h, sizeof(h)), -EPROTONOSUPPORT);
	/* Before hello: refused and closed. */
	assert_int_equal(tc_req(&t, NPU_OP_QUERY, NULL, 0), -EPROTO);
	/* Hello with a bad size is an error, the connection stays. */
	assert_int_equal(tc_req(&t, NPU_OP_HELLO, &one, 4), 0);
	assert_int_equal(tc_status(&t), -EINVAL);
	assert_int_equal(tc_hello(&t, "g"), 0);
	assert_int_equal(tc_hello(&t, "g"), -EPROTO);
	assert_int_equal(tc_req(&t, 77, NULL, 0), 0);
	assert_int_equal(tc_status(&t), -EOPNOTSUPP);
	assert_int_equal(tc_req(&t, NPU_OP_QUERY, junk, 8), 0);
	assert_int_equal(tc_status(&t), -EINVAL);
	{
		struct npu_req_buf_create q = { .size = 4096, .reserved = 1 };

		assert_int_equal(tc_req(&t, NPU_OP_BUF_CREATE, &q, sizeof(q)), 0);
		assert_int_equal(tc_status(&t), -EINVAL);
		q.reserved = 0;
		q.size = 0;
		assert_int_equal(tc_req(&t, NPU_OP_BUF_CREATE, &q, sizeof(q)), 0);
		assert_int_equal(tc_status(&t), -EINVAL);
		q.size = UINT64_MAX;
		assert_int_equal(tc_req(&t, NPU_OP_BUF_CREATE, &q, sizeof(q)), 0);
		assert_int_equal(tc_status(&t), -EFBIG);
	}
	{
		uint32_t q[4] = { 1, 0x40000000u, 5, 6 }; /* cmd_handle, n_bufs, handles */

		assert_int_equal(tc_req(&t, NPU_OP_SUBMIT, q, 8), 0);
		assert_int_equal(tc_status(&t), -E2BIG);
		q[1] = 2;
		assert_int_equal(tc_req(&t, NPU_OP_SUBMIT, q, 12), 0);
		assert_int_equal(tc_status(&t), -EINVAL);
		q[1] = 0;
		assert_int_equal(tc_req(&t, NPU_OP_SUBMIT, q, 8), 0);
		assert_int_equal(tc_status(&t), -ENOENT);
	}
	{
		struct npu_req_wait q = { .job_id = 0x1234, .timeout_ms = 10 };

		assert_int_equal(tc_req(&t, NPU_OP_WAIT, &q, sizeof(q)), 0);
		assert_int_equal(tc_status(&t), -ENOENT);
		q.timeout_ms = UINT32_MAX;
		assert_int_equal(tc_req(&t, NPU_OP_WAIT, &q, sizeof(q)), 0);
		assert_int_equal(tc_status(&t), -EINVAL);
	}
	/* A transport that cannot send: the server says close. */
	t.fail_send = -EPIPE;
	assert_int_equal(tc_req(&t, NPU_OP_QUERY, NULL, 0), -EPIPE);
	npu_server_client_gone(t.c);
	fx_close(&f);
}

/* A client names only its own buffers and jobs. */
static void t_isolation(void **state)
{
	struct fx f = { 0 };
	struct tc a, b;
	struct buf cmd, dst;
	const struct buf *use[] = { &dst };
	struct npu_req_buf q;
	struct npu_req_job jq;
	uint32_t job, st;

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &a, 0), 0);
	assert_int_equal(tc_connect(f.s, &b, 0), 0);
	assert_int_equal(tc_hello(&a, "a"), 0);
	assert_int_equal(tc_hello(&b, "b"), 0);
	assert_int_equal(mkbuf(&a, 8192, &dst), 0);
	assert_int_equal(mkbuf(&a, drv_cmdbuf_size_for(f.d.gen, 4, 1), &cmd), 0);
	build_fill(&f, &cmd, &dst, 7);
	/* b tries a's handles and a's job. */
	assert_int_equal(submit(&b, &cmd, use, 1, &job), -ENOENT);
	q = (struct npu_req_buf){ .handle = dst.handle };
	tc_req(&b, NPU_OP_BUF_MAP, &q, sizeof(q));
	assert_int_equal(tc_status(&b), -ENOENT);
	tc_req(&b, NPU_OP_BUF_FREE, &q, sizeof(q));
	assert_int_equal(tc_status(&b), -ENOENT);
	assert_int_equal(submit(&a, &cmd, use, 1, &job), 0);
	jq = (struct npu_req_job){ .job_id = job };
	tc_req(&b, NPU_OP_JOB_QUERY, &jq, sizeof(jq));
	assert_int_equal(tc_status(&b), -ENOENT);
	assert_int_equal(wait_job(&f, &b, job, 100, &st), -ENOENT);
	assert_int_equal(wait_job(&f, &a, job, 5000, &st), 0);
	assert_int_equal(st, 0);
	npu_server_client_gone(a.c);
	npu_server_client_gone(b.c);
	fx_close(&f);
}

static void t_limits(void **state)
{
	struct fx f = { .fault = NPU_SIM_FAULT_HANG_JOB,
			.cfg = { .max_buffers_per_client = 3,
				 .max_bytes_per_client = 64 * 1024,
				 .max_jobs_per_client = 1 } };
	struct tc t;
	struct buf cmd, dst, x;
	const struct buf *use[] = { &dst };
	uint32_t job, job2, st;

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &t, 0), 0);
	assert_int_equal(tc_hello(&t, "limits"), 0);
	assert_int_equal(mkbuf(&t, 65 * 1024, &x), -EFBIG);
	assert_int_equal(mkbuf(&t, 40 * 1024, &dst), 0);
	assert_int_equal(mkbuf(&t, 40 * 1024, &x), -EDQUOT);
	assert_int_equal(mkbuf(&t, drv_cmdbuf_size_for(f.d.gen, 4, 1), &cmd), 0);
	assert_int_equal(mkbuf(&t, 4096, &x), 0);
	assert_int_equal(mkbuf(&t, 4096, &x), -EMFILE);
	build_fill(&f, &cmd, &dst, 1);
	/* The model hangs jobs: the first stays queued, the second is over the limit. */
	assert_int_equal(submit(&t, &cmd, use, 1, &job), 0);
	assert_int_equal(submit(&t, &cmd, use, 1, &job2), -EBUSY);
	assert_int_equal(wait_job(&f, &t, job, 30, &st), -ETIMEDOUT);
	/* Freeing a buffer a job holds: gone for the client at once, kept for the job. */
	{
		struct npu_req_buf q = { .handle = dst.handle };

		tc_req(&t, NPU_OP_BUF_FREE, &q, sizeof(q));
		assert_int_equal(tc_status(&t), 0);
		tc_req(&t, NPU_OP_BUF_MAP, &q, sizeof(q));
		assert_int_equal(tc_status(&t), -ENOENT);
	}
	/* The owner resets: the job ends ABORTED and its buffers go. */
	npu_server_client_gone(t.c);
	assert_int_equal(tc_connect(f.s, &t, OWNER), 0);
	assert_int_equal(tc_hello(&t, "owner"), 0);
	tc_req(&t, NPU_OP_RESET, NULL, 0);
	assert_int_equal(tc_status(&t), 0);
	assert_int_equal(f.d.state, NPU_DEV_READY);
	npu_server_client_gone(t.c);
	fx_close(&f);
}

static void t_permission(void **state)
{
	struct fx f = { .cfg = { .allow_uids = { 1001 },
				 .n_allow_uids = 1,
				 .allow_gids = { 55 },
				 .n_allow_gids = 1 } };
	struct npu_srv_peer grp = { .uid = 3000, .gid = 3000, .groups = { 9, 55 }, .n_groups = 2 };
	struct tc t;
	char text[128] = { 0 };
	struct npu_rsp_hdr h = { 0 };

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &t, 2000), 0);
	assert_int_equal(tc_hello(&t, "nope"), -EACCES);
	assert_int_equal(tc_req(&t, NPU_OP_QUERY, NULL, 0), -EACCES);
	tc_last(&t, &h, text, sizeof(text) - 1);
	assert_non_null(strstr(text, "uid 2000"));
	npu_server_client_gone(t.c);
	/* An allowed uid may use the NPU but not reset it. */
	assert_int_equal(tc_connect(f.s, &t, 1001), 0);
	assert_int_equal(tc_hello(&t, "user"), 0);
	tc_req(&t, NPU_OP_RESET, NULL, 0);
	assert_int_equal(tc_status(&t), -EPERM);
	npu_server_client_gone(t.c);
	/* A supplementary group on the list lets a client in. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(npu_server_client_new(f.s, &grp, tc_send, &t, &t.c), 0);
	assert_int_equal(tc_hello(&t, "group"), 0);
	npu_server_client_gone(t.c);
	/* Root may reset. */
	assert_int_equal(tc_connect(f.s, &t, 0), 0);
	assert_int_equal(tc_hello(&t, "root"), 0);
	tc_req(&t, NPU_OP_RESET, NULL, 0);
	assert_int_equal(tc_status(&t), 0);
	npu_server_client_gone(t.c);
	fx_close(&f);
}

/* A client that goes away mid-job: its context goes, the others are served. */
static void t_gone_mid_job(void **state)
{
	struct fx f = { 0 };
	struct tc a, b;
	struct buf cmd, src, dst, c2, d2;
	const struct buf *use[] = { &src, &dst };
	const struct buf *use2[] = { &d2 };
	uint32_t job, st = 99;
	char json[16384] = { 0 };
	struct npu_req_status sq = { 0 };
	struct npu_rsp_hdr h = { 0 };

	(void)state;
	fx_open(&f);
	assert_int_equal(tc_connect(f.s, &a, 0), 0);
	assert_int_equal(tc_connect(f.s, &b, 0), 0);
	assert_int_equal(tc_hello(&a, "victim"), 0);
	assert_int_equal(tc_hello(&b, "survivor"), 0);
	assert_int_equal(mkbuf(&a, 24u << 20, &src), 0);
	assert_int_equal(mkbuf(&a, 24u << 20, &dst), 0);
	assert_int_equal(mkbuf(&a, drv_cmdbuf_size_for(f.d.gen, 8, 8), &cmd), 0);
	build_copy(&f, &cmd, &dst, &src);
	assert_int_equal(submit(&a, &cmd, use, 2, &job), 0);
	npu_server_client_gone(a.c); /* at once, the copy still running */
	assert_int_equal(mkbuf(&b, 4096, &d2), 0);
	assert_int_equal(mkbuf(&b, drv_cmdbuf_size_for(f.d.gen, 4, 1), &c2), 0);
	build_fill(&f, &c2, &d2, 0xC0FFEEu);
	assert_int_equal(submit(&b, &c2, use2, 1, &job), 0);
	assert_int_equal(wait_job(&f, &b, job, 5000, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(*(uint32_t *)d2.cpu, 0xC0FFEEu);
	tc_req(&b, NPU_OP_STATUS, &sq, sizeof(sq));
	tc_last(&b, &h, json, sizeof(json) - 1);
	assert_int_equal(h.status, 0);
	assert_int_equal(json[0], '{');
	assert_non_null(strstr(json, "\"clients\""));
	assert_int_equal(npu_server_clients(f.s), 1);
	npu_server_client_gone(b.c);
	fx_close(&f);
}

/* More clients than the server serves: HELLO says so; a freed place is taken again. */
static void t_too_many(void **state)
{
	struct fx f = { .cfg = { .max_clients = 2 } };
	struct tc t[3];

	(void)state;
	fx_open(&f);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(tc_connect(f.s, &t[i], 0), 0);
	assert_int_equal(tc_hello(&t[0], "one"), 0);
	assert_int_equal(tc_hello(&t[1], "two"), 0);
	assert_int_equal(tc_hello(&t[2], "three"), -EUSERS);
	npu_server_client_gone(t[0].c);
	assert_int_equal(tc_hello(&t[2], "three"), 0);
	npu_server_client_gone(t[1].c);
	npu_server_client_gone(t[2].c);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fill_and_query),   cmocka_unit_test(t_autosuspend),
		cmocka_unit_test(t_copy_through_fds), cmocka_unit_test(t_garbage),
		cmocka_unit_test(t_isolation),	      cmocka_unit_test(t_limits),
		cmocka_unit_test(t_permission),	      cmocka_unit_test(t_gone_mid_job),
		cmocka_unit_test(t_too_many),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
