/* SPDX-License-Identifier: MIT */
/*
 * The scheme socket as the kernel drives it (kernel `scheme/user.rs`), over
 * the fake kernel: CloseMsg and Detach come without ONEWAY and with tag 0 and
 * are never answered; a Cancel is one-way and the cancelled request is
 * answered; the kernel refuses a reply to a tag nobody waits on and one with
 * bad event flags, and takes nothing after it in that write; EINTR without
 * a Cancel reaches the caller as EIO; and a restarted npud finds its name
 * still registered.
 */
#include <errno.h>

#include "scheme_fixture.h"

/* A reply written on the daemon's socket as if the daemon wrote it. */
static size_t put_replies(struct fx *f, const struct redox_cqe *c, unsigned n)
{
	return redox_write_v1((size_t)npu_redox_scheme_fd(f->x), c, n * sizeof(*c));
}

/* Detach (no flags, tag 0) gets no reply: a reply would be refused and cut the batch. */
static void t_detach_not_answered(void **state)
{
	struct fx f;
	struct redox_sqe d = { .opcode = REDOX_OP_DETACH };
	struct redox_sqe q = { .opcode = REDOX_OP_STD_FS_CALL };
	struct redox_stat st;
	struct redox_cqe c;
	int64_t h;
	uint32_t tag;

	(void)state;
	fx_open(&f);
	h = fk_open("status", 0, 0, REDOX_O_RDONLY);
	assert_true(h > 0);
	/* Both in the socket before the daemon reads: one batch, the detach first. */
	d.args[0] = (uint64_t)h;
	fk_set_pump(NULL, NULL);
	fk_oneway(&d);
	q.args[0] = (uint64_t)h;
	q.args[1] = (uint64_t)(uintptr_t)&st;
	q.args[2] = sizeof(st);
	q.args[3] = REDOX_STDFS_FSTAT;
	tag = fk_send(&q);
	fk_set_pump(pump, &f);
	assert_true(fk_wait(tag, &c, 50));
	assert_int_equal((int64_t)c.result, 0);
	assert_int_equal(fk_state()->replies_refused, 0);
	fk_close((uint64_t)h);
	assert_int_equal(fk_state()->replies_refused, 0); /* nor a reply to CloseMsg */
	assert_int_equal(npu_redox_scheme_handles(f.x), 0);
	fx_close(&f);
}

/* The kernel's checks on replies: a bad one ends the write; the daemon writes the rest again. */
static void t_reply_checks(void **state)
{
	struct fx f;
	struct redox_sqe q = { .opcode = REDOX_OP_FSIZE, .args = { 999999 } };
	struct redox_cqe c[3], got;
	uint32_t a, b;
	uint8_t drain[4 * REDOX_SQE_SIZE];

	(void)state;
	fx_open(&f);
	fk_set_pump(NULL, NULL); /* the test answers, as the daemon would */
	a = fk_send(&q);
	b = fk_send(&q);
	redox_read_v1((size_t)npu_redox_scheme_fd(f.x), drain, sizeof(drain));
	/* Event flags that are not READ or WRITE: refused, and nothing of the write taken. */
	c[0] = (struct redox_cqe){ .flags = REDOX_CQE_SEND_FEVENT, .tag = 4, .result = 1 };
	c[1] = (struct redox_cqe){ .flags = REDOX_CQE_RESPOND, .tag = a, .result = 7 };
	assert_int_equal(redox_errno(put_replies(&f, c, 2)), EINVAL);
	assert_false(fk_wait(a, &got, 2));
	/* A tag no request waits on: what came before it is taken, nothing after. */
	c[0] = (struct redox_cqe){ .flags = REDOX_CQE_RESPOND, .tag = a, .result = 7 };
	c[1] = (struct redox_cqe){ .flags = REDOX_CQE_RESPOND, .tag = 5, .result = 0 };
	c[2] = (struct redox_cqe){ .flags = REDOX_CQE_RESPOND, .tag = b, .result = 8 };
	assert_int_equal(put_replies(&f, c, 3), sizeof(c[0]));
	assert_true(fk_wait(a, &got, 2));
	assert_int_equal(got.result, 7);
	assert_false(fk_wait(b, &got, 2));
	assert_int_equal(redox_errno(put_replies(&f, &c[1], 1)), EBADFD);
	assert_int_equal(fk_state()->replies_refused, 3);
	fk_set_pump(pump, &f);
	fx_close(&f);
}

/* EINTR is the caller's only after a Cancel; the daemon answers a Cancel with ECANCELED. */
static void t_eintr_only_when_cancelled(void **state)
{
	struct fx f;
	struct redox_sqe q = { .opcode = REDOX_OP_FSIZE, .args = { 999999 } };
	struct redox_cqe c, got;
	uint8_t drain[4 * REDOX_SQE_SIZE];
	uint32_t a, b;

	(void)state;
	fx_open(&f);
	fk_set_pump(NULL, NULL);
	a = fk_send(&q);
	b = fk_send(&q);
	fk_cancel(b);
	redox_read_v1((size_t)npu_redox_scheme_fd(f.x), drain, sizeof(drain));
	c = (struct redox_cqe){ .flags = REDOX_CQE_RESPOND, .tag = a, .result = (uint64_t)-EINTR };
	assert_int_equal(put_replies(&f, &c, 1), sizeof(c));
	assert_true(fk_wait(a, &got, 2));
	assert_int_equal((int64_t)got.result, -EIO);
	c = (struct redox_cqe){ .flags = REDOX_CQE_RESPOND,
				.tag = b,
				.result = (uint64_t)-ECANCELED };
	assert_int_equal(put_replies(&f, &c, 1), sizeof(c));
	assert_true(fk_wait(b, &got, 2));
	assert_int_equal((int64_t)got.result, -EINTR);
	fk_set_pump(pump, &f);
	fx_close(&f);
}

/* npud again after a restart: its name is still registered; it replaces it and serves. */
static void t_register_after_restart(void **state)
{
	struct fx f;
	struct npu_redox_scheme_config xc = { .have_group = true, .group = GROUP };
	int64_t h;

	(void)state;
	fx_open(&f);
	npu_redox_scheme_destroy(f.x); /* the old npud's socket gone, its name not */
	assert_string_equal(fk_state()->scheme_name, "npu");
	f.x = NULL;
	/* The fixture entered the null namespace; a new npud starts in the old one. */
	fk_leave_null_ns();
	assert_int_equal(npu_redox_scheme_create(f.s, &xc, &f.x), 0);
	assert_int_equal(fk_state()->names_removed, 1);
	assert_string_equal(fk_state()->scheme_name, "npu");
	h = fk_open("status", 0, 0, REDOX_O_RDONLY);
	assert_true(h > 0);
	fk_close((uint64_t)h);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_detach_not_answered),
		cmocka_unit_test(t_reply_checks),
		cmocka_unit_test(t_eintr_only_when_cancelled),
		cmocka_unit_test(t_register_after_restart),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
