/* SPDX-License-Identifier: MIT */
/*
 * Waiting on Redox, against the fake kernel: the null namespace has no event
 * queue to open (so neither has relibc's poll), an interrupt reaches only the
 * queues that exist when it comes, the irq line stays masked until its count
 * is written back; and the Redox backend waits through its one queue, made
 * before any of that matters, with the device's status read once after
 * subscribing.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "fake_kernel.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "redox/redox.h"
#include "sim/sim.h"
#include "synth_fw_dir.h"

struct dev {
	struct npu_platform *p;
	struct npu_device d;
};

static void dev_open(struct dev *v, bool no_msi)
{
	struct fk_config kc = { .no_msi = no_msi };
	struct npu_platform_config pc = { 0 };
	struct npu_device_config dc = { 0 };

	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &v->p), 0);
	assert_int_equal(drv_device_open(&v->d, v->p, &dc), 0);
	assert_int_equal(drv_device_boot(&v->d), 0);
	assert_int_equal(v->d.state, NPU_DEV_READY);
}

static void dev_close(struct dev *v)
{
	drv_device_close(&v->d);
	v->p->ops->close(v->p);
	fk_stop();
}

/* The simulated NPU signals its interrupt: a heartbeat query, whose reply it sends. */
static void raise_irq(struct dev *v)
{
	struct pollfd p = { .fd = npu_sim_irq_fd(fk_sim()), .events = POLLIN };
	uint64_t engine = 0;

	assert_int_equal(drv_ipc_send(&v->d, NPU_IPC_CHAN_ASYNC_CMD, NPU_JSM_MSG_QUERY_ENGINE_HB,
				      &engine, sizeof(engine)),
			 0);
	assert_int_equal(poll(&p, 1, 5000), 1); /* a real descriptor: the C library's poll */
}

/* After setrens(0, 0) no event queue opens, so relibc's poll fails too. */
static void t_null_namespace_has_no_event_queue(void **state)
{
	struct fk_config kc = { 0 };
	struct npu_platform_config pc = { 0 };
	struct npu_platform *p;
	struct pollfd pfd;
	size_t q;

	(void)state;
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	q = redox_open_v1(REDOX_PATH_EVENT, strlen(REDOX_PATH_EVENT), REDOX_O_RDWR, 0);
	assert_false(redox_is_err(q));
	redox_close_v1(q);
	assert_int_equal(redox_setrens_v1(0, 0), 0);
	q = redox_open_v1(REDOX_PATH_EVENT, strlen(REDOX_PATH_EVENT), REDOX_O_RDWR, 0);
	assert_int_equal(redox_errno(q), ENODEV);
	pfd = (struct pollfd){ .fd = (int)fk_state()->irq_fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 0), -1);
	assert_int_equal(errno, ENODEV);
	p->ops->close(p);
	fk_stop();
}

/* An interrupt before a queue existed is not that queue's: relibc's poll misses it. */
static void t_new_queue_misses_earlier_irq(void **state)
{
	struct dev v;
	struct pollfd pfd;
	unsigned edges;

	(void)state;
	dev_open(&v, false);
	edges = fk_state()->irq_edges;
	raise_irq(&v);
	pfd = (struct pollfd){ .fd = (int)fk_state()->irq_fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 50), 0); /* a queue of its own, made after */
	assert_int_equal(fk_state()->irq_edges, edges + 1);
	/* The backend's queue was there: the wait sees it, services and acknowledges it. */
	assert_int_equal(drv_irq_wait(&v.d, 1000000u), 0);
	assert_int_equal(fk_state()->irq_edges, fk_state()->irq_acks);
	dev_close(&v);
}

/* The line counts once and stays masked until the count is written back. */
static void t_irq_masked_until_ack(void **state)
{
	struct dev v;
	uint64_t c1, c2, stale;
	size_t fd;
	unsigned edges;

	(void)state;
	dev_open(&v, true); /* the legacy line */
	assert_true(fk_state()->legacy_irq);
	fd = fk_state()->irq_fd;
	raise_irq(&v);
	assert_int_equal(redox_read_v1(fd, &c1, sizeof(c1)), sizeof(c1));
	edges = fk_state()->irq_edges;
	/* Serviced without an acknowledgement: another interrupt is not counted. */
	drv_irq_handle(&v.d);
	raise_irq(&v);
	assert_int_equal(redox_read_v1(fd, &c2, sizeof(c2)), sizeof(c2));
	assert_int_equal(c2, c1);
	assert_int_equal(fk_state()->irq_edges, edges);
	stale = c1 - 1;
	assert_int_equal(redox_write_v1(fd, &stale, sizeof(stale)), 0);
	assert_int_equal(redox_write_v1(fd, &c1, sizeof(c1)), sizeof(c1));
	/* Unmasked with the second reply pending (or coming): it comes again. */
	assert_int_equal(
	    poll(&(struct pollfd){ .fd = npu_sim_irq_fd(fk_sim()), .events = POLLIN }, 1, 5000), 1);
	assert_int_equal(redox_read_v1(fd, &c2, sizeof(c2)), sizeof(c2));
	assert_true(c2 > c1);
	assert_true(fk_state()->irq_edges > edges);
	/* The wait services it and writes the count back. */
	assert_int_equal(drv_irq_wait(&v.d, 1000000u), 0);
	assert_int_equal(fk_state()->irq_edges, fk_state()->irq_acks);
	dev_close(&v);
}

/* The backend's queue reports the interrupt once after subscribing: the status is read. */
static void t_status_read_after_subscribing(void **state)
{
	struct fk_config kc = { 0 };
	struct npu_platform_config pc = { 0 };
	struct npu_platform *p;

	(void)state;
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	assert_non_null(npu_redox_platform_events(p));
	assert_int_equal(p->ops->irq_wait(p, 0), 1);
	assert_int_equal(p->ops->irq_wait(p, 0), 0);
	assert_int_equal(fk_state()->event_queues, 1);
	p->ops->close(p);
	fk_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_null_namespace_has_no_event_queue),
		cmocka_unit_test(t_new_queue_misses_earlier_irq),
		cmocka_unit_test(t_irq_masked_until_ack),
		cmocka_unit_test(t_status_read_after_subscribing),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
