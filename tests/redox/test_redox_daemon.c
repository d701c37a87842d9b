/* SPDX-License-Identifier: MIT */
/*
 * npud's Redox main loop (src/redox/daemon.c) against the fake Redox kernel,
 * end to end: the daemon in a thread of its own, as pcid-spawner starts it
 * (PCID_CLIENT_CHANNEL, INIT_NOTIFY); its readiness byte; clients served
 * through the scheme socket; stopped, with everything it held given back.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>

#include "redox/daemon.h"
#include "scheme_fixture.h"

struct run {
	struct npu_redox_daemon_cfg cfg;
	atomic_bool stop;
	int ret;
};

static void *daemon_thread(void *arg)
{
	struct run *r = arg;

	r->ret = npu_redox_daemon_run(&r->cfg);
	return NULL;
}

/* Waits up to 10 s for the readiness byte; returns what read said. */
static ssize_t ready_byte(int fd, char *b)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1)
		return -1;
	return read(fd, b, 1);
}

static void t_serve_and_stop(void **state)
{
	struct run r = { .cfg = {
			     .have_group = true, .group = GROUP, .notify_fd = -1, .tick_ms = 5 } };
	struct fx f = { 0 }; /* for the request messages' sequence numbers only */
	struct fk_config kc = { 0 };
	char num[16], b = 1, text[4096];
	int p[2];
	pthread_t t;
	int64_t h, n;

	(void)state;
	r.cfg.stop = &r.stop;
	atomic_init(&r.stop, false);
	assert_int_equal(fk_start(&kc), 0);
	fk_set_pump(NULL, NULL);
	assert_int_equal(pipe(p), 0);
	snprintf(num, sizeof(num), "%d", p[1]);
	assert_int_equal(setenv("INIT_NOTIFY", num, 1), 0);
	assert_int_equal(pthread_create(&t, NULL, daemon_thread, &r), 0);

	assert_int_equal(ready_byte(p[0], &b), 1);
	assert_int_equal(b, 0);
	assert_int_equal(read(p[0], &b, 1), 0); /* and npud closed its end */
	close(p[0]);

	h = fk_open("status", 0, 0, REDOX_O_RDONLY);
	assert_true(h > 0);
	n = fk_read((uint64_t)h, text, sizeof(text) - 1, 0, 0);
	assert_true(n > 0);
	text[n] = '\0';
	assert_non_null(strstr(text, "state              ready, boot 1"));
	fk_close((uint64_t)h);
	h = fk_open("", 1000, GROUP, REDOX_O_RDWR);
	assert_true(h > 0);
	assert_int_equal(hello(&f, (uint64_t)h), 0);
	fk_close((uint64_t)h);
	assert_int_equal(fk_open("", 2000, 2000, REDOX_O_RDWR), -EACCES);
	/* Left open: stopping closes it. */
	h = fk_open("", 0, 0, REDOX_O_RDWR);
	assert_int_equal(hello(&f, (uint64_t)h), 0);

	atomic_store(&r.stop, true);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.ret, 0);
	assert_string_equal(fk_state()->scheme_name, "npu");
	assert_true(fk_state()->null_ns);
	assert_int_equal(fk_state()->dma_chunks, 0);
	assert_int_equal(fk_state()->bars_mapped, 0);
	assert_int_equal(fk_state()->irq_opened, 0);
	assert_true(fk_state()->msi_enabled);
	fk_stop();
	unsetenv("INIT_NOTIFY");
}

/* No NPU from pcid: an error, no readiness byte, the pipe closed; nothing left held. */
static void t_no_device(void **state)
{
	struct fk_config kc = { 0 };
	atomic_bool stop;
	struct npu_redox_daemon_cfg cfg = { .stop = &stop };
	char b;
	int p[2];

	(void)state;
	atomic_init(&stop, false);
	assert_int_equal(fk_start(&kc), 0);
	unsetenv("PCID_CLIENT_CHANNEL");
	assert_int_equal(pipe(p), 0);
	cfg.notify_fd = p[1];
	assert_int_equal(npu_redox_daemon_run(&cfg), -ENODEV);
	assert_int_equal(read(p[0], &b, 1), 0); /* closed without a byte */
	close(p[0]);
	assert_int_equal(fk_state()->dma_chunks, 0);
	assert_int_equal(fk_state()->scheme_name[0], '\0');
	assert_false(fk_state()->null_ns);
	fk_stop();
}

/* The daemon's uid is not root: the memory and irq schemes refuse it, it says why. */
static void t_not_root(void **state)
{
	struct fk_config kc = { .uid = 1000 };
	atomic_bool stop;
	struct npu_redox_daemon_cfg cfg = { .notify_fd = -1, .stop = &stop };

	(void)state;
	atomic_init(&stop, false);
	unsetenv("INIT_NOTIFY");
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_redox_daemon_run(&cfg), -EACCES);
	assert_int_equal(fk_state()->dma_chunks, 0);
	assert_int_equal(fk_state()->bars_mapped, 0);
	fk_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_serve_and_stop),
		cmocka_unit_test(t_no_device),
		cmocka_unit_test(t_not_root),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
