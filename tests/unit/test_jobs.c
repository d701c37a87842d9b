/* SPDX-License-Identifier: MIT */
/*
 * Contexts, buffers and jobs end to end against the simulated NPU, through
 * the platform interface only: submit, JOB_DONE, job ids, queue back-pressure,
 * contexts before boot and all 64 of them, shared buffers, and a soak over
 * four contexts. Both generations. Faults, hangs and recovery are in
 * test_jobs_recovery.c; the fixture and command buffers in jobs_test_util.h.
 */
#include <time.h>

#include "jobs_test_util.h"

/* ---- tests ---- */

/* docs/firmware-protocol.md §9: FENCE_SIGNAL and MEMORY_FILL run, the bytes land in the buffer. */
static void test_signal_and_fill(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *cmd, *data;
	struct cmdbuf cb;
	uint32_t id, st;
	const uint8_t *p;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(c->id, 1);
	assert_int_equal(c->ssid, 2);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 3 * 4096, 0, 0, &data), 0);
	assert_int_equal(cmd->va, f->gen == NPU_GEN_37XX ? 0xA0000000u : 0x100000000u);
	assert_int_equal(data->va, cmd->va + 4096);

	make_signal(cmd, data->va, 3);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(id, 0x0); /* (ctx 1 - 1) << 8 | 0 */
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(fence_read(data, 0), 3);
	assert_true(c->db_registered);
	assert_true(c->db_id >= NPU_DOORBELL_ID_MIN && c->db_id <= NPU_DOORBELL_ID_MAX);

	cmd_begin(&cb, cmd);
	cmd_fill(&cb, data->va + 4096, 8192, 0xA55A5AA5u);
	cmd_end(&cb);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(id, 0x1);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	p = (const uint8_t *)data->dma.cpu;
	for (size_t i = 4096; i < 3 * 4096; i += 4)
		assert_int_equal(p[i] | p[i + 1] << 8 | p[i + 2] << 16 | (uint32_t)p[i + 3] << 24,
				 0xA55A5AA5u);
	assert_int_equal(fence_read(data, 0), 3); /* the fill stayed in its range */

	/* Waiting again returns the same status; an unknown id is -ENOENT. */
	assert_int_equal(drv_job_wait(c, id, 0, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(drv_job_wait(c, 0x7, 0, &st), -ENOENT);
	assert_int_equal(drv_job_wait(c, 0x101, 0, &st), -ENOENT);
	assert_int_equal(c->jobs_completed, 2);
	assert_int_equal(c->queued, 0);
	/* A command buffer outside the context's buffers or misaligned: -EINVAL. */
	assert_int_equal(drv_job_submit(c, data->va + 3 * 4096, &id), -EINVAL);
	assert_int_equal(drv_job_submit(c, cmd->va + 4, &id), -EINVAL);
	drv_bo_destroy(data);
	drv_bo_destroy(cmd);
	drv_ctx_destroy(c);
	assert_null(f->d.ctx[0]);
}

/* A job filling one page at va with the pattern. */
static void fill_at(struct npu_ctx *c, struct npu_bo *cmd, uint64_t va, uint32_t pattern)
{
	struct cmdbuf cb;

	cmd_begin(&cb, cmd);
	cmd_fill(&cb, va, 4096, pattern);
	cmd_end(&cb);
	assert_int_equal(run(c, cmd), 0);
}

/*
 * A VA freed and mapped again to other memory: jobs reach the new memory. The
 * model keeps translations until they are invalidated (as the silicon's TLB),
 * so this holds only because the driver invalidates after unmap and map.
 */
static void test_va_reuse(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *cmd, *a, *hold, *b;
	uint64_t va, a_addr;
	const uint8_t *p;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &a), 0);
	va = a->va;
	a_addr = a->dma.addr;
	fill_at(c, cmd, va, 0x11111111u);
	assert_int_equal(((const uint8_t *)a->dma.cpu)[4095], 0x11);
	drv_bo_destroy(a);
	/* Another buffer first, so that the new one at va is other memory. */
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &hold), 0);
	assert_int_equal(drv_bo_create(c, 4096, va, 0, &b), 0);
	assert_int_not_equal(b->dma.addr, a_addr);
	fill_at(c, cmd, va, 0x22222222u);
	p = b->dma.cpu;
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(p[i], 0x22);
	drv_bo_destroy(b);
	drv_bo_destroy(hold);
	drv_bo_destroy(cmd);
	drv_ctx_destroy(c);
}

/* docs/firmware-protocol.md §3.5: (ctx_id - 1) << 8 | an 8-bit counter that wraps. */
static void test_job_ids(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c1, *c2;
	struct npu_bo *cmd1, *cmd2, *fence;
	uint32_t id, st;

	assert_int_equal(drv_ctx_create(&f->d, &c1), 0);
	assert_int_equal(drv_ctx_create(&f->d, &c2), 0);
	assert_int_equal(c2->id, 2);
	assert_int_equal(c2->ssid, 3);
	assert_int_equal(drv_bo_create(c1, 4096, 0, 0, &cmd1), 0);
	assert_int_equal(drv_bo_create(c1, 4096, 0, 0, &fence), 0);
	assert_int_equal(drv_bo_create(c2, 4096, 0, 0, &cmd2), 0);
	make_signal(cmd1, fence->va, 1);
	make_signal(cmd2, cmd2->va + 2048, 1);

	assert_int_equal(drv_job_submit(c2, cmd2->va, &id), 0);
	assert_int_equal(id, 0x100);
	assert_int_equal(drv_job_wait(c2, id, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	for (uint32_t i = 0; i < 300; i++) {
		make_signal(cmd1, fence->va, i + 1);
		assert_int_equal(drv_job_submit(c1, cmd1->va, &id), 0);
		assert_int_equal(id, i & 0xFFu);
		assert_int_equal(drv_job_wait(c1, id, WAIT_US, &st), 0);
		assert_int_equal(st, 0);
		assert_int_equal(fence_read(fence, 0), i + 1);
	}
	assert_int_equal(drv_job_submit(c2, cmd2->va, &id), 0);
	assert_int_equal(id, 0x101);
	assert_int_equal(drv_job_wait(c2, id, WAIT_US, &st), 0);
	assert_int_not_equal(c1->db_id, c2->db_id);
	drv_ctx_destroy(c2); /* with its buffer still alive: freed with it */
	drv_ctx_destroy(c1);
}

/*
 * Doorbells take no lock in the model, so a ring can come while its firmware
 * thread is on its way to sleep. With the polling window off (it sleeps right
 * after each job) and pauses now and then that let it get there, every job
 * must still be taken: a lost wake-up would leave one queued until the TDR.
 */
static int setup_no_poll(void **state)
{
	setenv("NPU_SIM_POLL_US", "0", 1);
	return setup(state);
}

static int teardown_no_poll(void **state)
{
	unsetenv("NPU_SIM_POLL_US");
	return teardown(state);
}

static void test_wakeups(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *nop;
	uint32_t a, b, st;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	make_signal(nop, nop->va + 2048, 1);
	for (unsigned i = 0; i < 3000; i++) {
		/* The second ring lands at all points of the firmware's work on the first. */
		assert_int_equal(drv_job_submit(c, nop->va, &a), 0);
		for (volatile unsigned k = 0; k < (i % 64) * 40; k++)
			;
		assert_int_equal(drv_job_submit(c, nop->va, &b), 0);
		/* Well inside the TDR, whose heartbeat request would wake the firmware too. */
		assert_int_equal(drv_job_wait(c, a, 300000, &st), 0);
		assert_int_equal(st, 0);
		assert_int_equal(drv_job_wait(c, b, 300000, &st), 0);
		assert_int_equal(st, 0);
		if (i % 16 == 0) {
			struct timespec ts = { 0, 20000 }; /* asleep before the next ring */

			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(c->jobs_completed, 6000);
	drv_ctx_destroy(c);
}

/*
 * A job submitted, and its doorbell rung, while the job before it is being
 * run (blocked on a fence) runs once that one ends: the firmware does not
 * take the queue for empty on the strength of the tail it read before.
 */
static void test_ring_while_running(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *blocker, *nop, *fence;
	uint32_t first, second, st;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &fence), 0);
	make_wait(blocker, fence->va, 1);
	make_signal(nop, fence->va + 64, 7);

	assert_int_equal(drv_job_submit(c, blocker->va, &first), 0);
	/* Long enough for the firmware to have taken it and blocked. */
	assert_int_equal(drv_job_wait(c, first, 20000, &st), -ETIMEDOUT);
	assert_int_equal(drv_job_submit(c, nop->va, &second), 0);
	assert_int_equal(drv_job_wait(c, second, 20000, &st), -ETIMEDOUT);
	fence_write(fence, 0, 1);
	assert_int_equal(drv_job_wait(c, first, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(drv_job_wait(c, second, WAIT_US, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(fence_read(fence, 64), 7);
	drv_ctx_destroy(c);
}

/*
 * docs/firmware-protocol.md §3.4: 63 slots, one always empty. A first job blocked on a
 * fence holds the queue; the model moves head past a job when it ends.
 */
static void test_backpressure(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *blocker, *nop, *fence;
	struct cmdbuf cb;
	uint32_t ids[NPU_JOBQ_SLOT_COUNT + 1], id, st;
	unsigned n = 0;
	int ret = 0;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &fence), 0);
	cmd_begin(&cb, blocker);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence->va, 1);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, fence->va + 64, 5);
	cmd_end(&cb);
	make_signal(nop, fence->va + 128, 9);

	assert_int_equal(drv_job_submit(c, blocker->va, &ids[n++]), 0);
	while (n <= NPU_JOBQ_SLOT_COUNT) {
		ret = drv_job_submit(c, nop->va, &ids[n]);
		if (ret)
			break;
		n++;
	}
	assert_int_equal(ret, -EBUSY);
	assert_int_equal(n, NPU_JOBQ_SLOT_COUNT - 1);
	assert_int_equal(c->queued, n);
	/* The queue is still full a moment later: nothing can pass the blocked job. */
	assert_int_equal(drv_job_wait(c, ids[n - 1], 20000, &st), -ETIMEDOUT);
	assert_int_equal(drv_job_submit(c, nop->va, &id), -EBUSY);

	fence_write(fence, 0, 1); /* the host releases the fence */
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(drv_job_wait(c, ids[i], WAIT_US, &st), 0);
		assert_int_equal(st, 0);
	}
	assert_int_equal(fence_read(fence, 64), 5);
	assert_int_equal(fence_read(fence, 128), 9);
	assert_int_equal(c->queued, 0);
	/* Room again, and the ring wraps around. */
	for (unsigned i = 0; i < 70; i++) {
		assert_int_equal(drv_job_submit(c, nop->va, &id), 0);
		assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
		assert_int_equal(st, 0);
	}
	drv_ctx_destroy(c);
}

/* Two contexts in flight at once, and one buffer shared between them. */
static void test_two_contexts(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c[2];
	struct npu_bo *cmd[2][4], *fence, *shared;
	struct cmdbuf cb;
	uint32_t id[2][4], st;

	for (int i = 0; i < 2; i++) {
		assert_int_equal(drv_ctx_create(&f->d, &c[i]), 0);
		for (int k = 0; k < 4; k++)
			assert_int_equal(drv_bo_create(c[i], 4096, 0, 0, &cmd[i][k]), 0);
	}
	assert_int_equal(drv_bo_create(c[0], 4096, 0, 0, &fence), 0);
	assert_int_equal(drv_bo_share(fence, c[1], 0, &shared), 0);
	assert_ptr_equal(shared->dma.cpu, fence->dma.cpu);
	assert_int_equal(drv_bo_share(fence, c[1], shared->va, &(struct npu_bo *){ NULL }),
			 -EEXIST);

	/* Context 0 waits for what context 1 signals: their queues run side by side. */
	cmd_begin(&cb, cmd[0][0]);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, fence->va, 1);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, fence->va + 64, 7);
	cmd_end(&cb);
	for (int k = 1; k < 4; k++)
		make_signal(cmd[0][k], fence->va + 64u * (2 + k), 100 + k);
	for (int k = 0; k < 3; k++)
		make_signal(cmd[1][k], shared->va + 64u * (8 + k), 200 + k);
	make_signal(cmd[1][3], shared->va, 1);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(drv_job_submit(c[0], cmd[0][k]->va, &id[0][k]), 0);
		assert_int_equal(drv_job_submit(c[1], cmd[1][k]->va, &id[1][k]), 0);
		assert_int_equal(id[0][k], (uint32_t)k);
		assert_int_equal(id[1][k], 0x100u | (uint32_t)k);
	}
	for (int k = 3; k >= 0; k--) {
		for (int i = 0; i < 2; i++) {
			assert_int_equal(drv_job_wait(c[i], id[i][k], WAIT_US, &st), 0);
			assert_int_equal(st, 0);
		}
	}
	assert_int_equal(fence_read(fence, 64), 7);
	for (int k = 1; k < 4; k++)
		assert_int_equal(fence_read(fence, 64u * (2 + k)), 100 + k);
	for (int k = 0; k < 3; k++)
		assert_int_equal(fence_read(fence, 64u * (8 + k)), 200 + k);
	/* The owner goes first: its memory stays for the share until that goes too. */
	drv_bo_destroy(fence);
	make_signal(cmd[1][0], shared->va + 1024, 5);
	assert_int_equal(run(c[1], cmd[1][0]), 0);
	assert_int_equal(fence_read(shared, 1024), 5);
	drv_ctx_destroy(c[0]);
	drv_ctx_destroy(c[1]); /* frees the share, and with it the memory */
}

/* Contexts and buffers work before the first boot; the boot puts them in place. */
static void test_before_boot(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *cmd, *bo;
	uint64_t start = f->gen == NPU_GEN_37XX ? 0xA0000000u : 0x100000000u;
	uint64_t size = f->gen == NPU_GEN_37XX ? 511ull << 20 : 256ull << 30;
	uint32_t id;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 100, 0, 0, &cmd), 0);
	assert_int_equal(cmd->size, 4096);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), -EAGAIN);
	/* The user range and its rules. */
	assert_int_equal(drv_bo_create(c, 4096, start - 4096, 0, &bo), -EINVAL);
	assert_int_equal(drv_bo_create(c, 4096, start + size, 0, &bo), -EINVAL);
	assert_int_equal(drv_bo_create(c, 8192, start + size - 4096, 0, &bo), -EINVAL);
	assert_int_equal(drv_bo_create(c, 4096, start + 100, 0, &bo), -EINVAL);
	assert_int_equal(drv_bo_create(c, 0, 0, 0, &bo), -EINVAL);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0x80, &bo), -EINVAL);
	assert_int_equal(drv_bo_create(c, 4096, cmd->va, 0, &bo), -EEXIST);
	assert_int_equal(drv_bo_create(c, 4096, start + size - 4096, 0, &bo), 0);
	assert_int_equal(bo->va, start + size - 4096);
	drv_bo_destroy(bo);

	assert_int_equal(drv_device_boot(&f->d), 0);
	make_signal(cmd, cmd->va + 2048, 77);
	assert_int_equal(run(c, cmd), 0);
	assert_int_equal(fence_read(cmd, 2048), 77);
	drv_ctx_destroy(c);
}

/* Every context id, and the 65th is refused. */
static void test_all_contexts(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c[NPU_CTX_MAX], *extra;

	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		assert_int_equal(drv_ctx_create(&f->d, &c[i]), 0);
		assert_int_equal(c[i]->id, i + 1);
	}
	assert_int_equal(drv_ctx_create(&f->d, &extra), -EBUSY);
	drv_ctx_destroy(c[10]);
	assert_int_equal(drv_ctx_create(&f->d, &c[10]), 0);
	assert_int_equal(c[10]->id, 11);
	for (unsigned i = 0; i < NPU_CTX_MAX; i++)
		drv_ctx_destroy(c[i]);
}

/* Many small jobs over four contexts, several in flight each: none stuck. */
static void test_soak(void **state)
{
	enum { CONTEXTS = 4, IN_FLIGHT = 6, JOBS = 2000 };
	struct fx *f = *state;
	struct npu_ctx *c[CONTEXTS];
	struct npu_bo *cmd[CONTEXTS][IN_FLIGHT], *fence[CONTEXTS];
	uint32_t id[CONTEXTS][IN_FLIGHT], st;
	uint64_t value = 1, want[CONTEXTS][IN_FLIGHT];
	unsigned done = 0;

	for (int i = 0; i < CONTEXTS; i++) {
		assert_int_equal(drv_ctx_create(&f->d, &c[i]), 0);
		assert_int_equal(drv_bo_create(c[i], 4096, 0, 0, &fence[i]), 0);
		for (int k = 0; k < IN_FLIGHT; k++)
			assert_int_equal(drv_bo_create(c[i], 4096, 0, 0, &cmd[i][k]), 0);
	}
	while (done < JOBS) {
		for (int i = 0; i < CONTEXTS; i++) {
			for (int k = 0; k < IN_FLIGHT; k++) {
				want[i][k] = value++;
				make_signal(cmd[i][k], fence[i]->va + 64u * k, want[i][k]);
				assert_int_equal(drv_job_submit(c[i], cmd[i][k]->va, &id[i][k]), 0);
			}
		}
		for (int i = 0; i < CONTEXTS; i++) {
			for (int k = 0; k < IN_FLIGHT; k++) {
				assert_int_equal(drv_job_wait(c[i], id[i][k], WAIT_US, &st), 0);
				assert_int_equal(st, 0);
				assert_int_equal(fence_read(fence[i], 64u * k), want[i][k]);
				done++;
			}
		}
	}
	for (int i = 0; i < CONTEXTS; i++) {
		assert_int_equal(c[i]->queued, 0);
		assert_int_equal(c[i]->jobs_failed, 0);
		drv_ctx_destroy(c[i]);
	}
	assert_int_equal(f->d.recoveries, 0);
}

static struct fx f37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f37_off = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, false);
static struct fx f40_off = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, false);
static struct fx f37_os = FX_OS(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40_os = FX_OS(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_signal_and_fill, f37, f40),
		BOTH(test_job_ids, f37, f40),
		BOTH(test_va_reuse, f37, f40),
		BOTH(test_backpressure, f37, f40),
		BOTH(test_ring_while_running, f37, f40),
		cmocka_unit_test_prestate_setup_teardown(test_wakeups, setup_no_poll,
							 teardown_no_poll, &f37),
		BOTH(test_two_contexts, f37, f40),
		BOTH(test_before_boot, f37_off, f40_off),
		BOTH(test_all_contexts, f37, f40),
		BOTH(test_soak, f37, f40),
		/* The fixtures above run hardware scheduling; these OS scheduling. */
		BOTH(test_signal_and_fill, f37_os, f40_os),
		BOTH(test_backpressure, f37_os, f40_os),
		BOTH(test_two_contexts, f37_os, f40_os),
		BOTH(test_all_contexts, f37_os, f40_os),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
