/* SPDX-License-Identifier: MIT */
/*
 * What a wait costs the device in register reads (docs/performance.md,
 * "Register accesses"): a wait watches the interrupt (the platform's
 * irq_take), never a register, so a job that runs long costs no more
 * reads than a short one, and a completion costs the reads of one interrupt
 * service. The bound is Linux's: its handler reads, for an interrupt that
 * delivers one JOB_DONE, the buttress INTERRUPT_STAT and VPU_STATUS,
 * ICB_STATUS_0, FIFO_STAT, FIFO_ATM and FIFO_STAT again (ivpu_hw.c:
 * ivpu_hw_irq_handler_*, ivpu_ipc.c: ivpu_ipc_irq_handler), six.
 *
 * The reads are counted by a shim over the platform's accessors, as the
 * driver makes them.
 */
#include "jobs_test_util.h"

#define LINUX_READS_PER_JOB_DONE 6u
#define BLOCKED_WAIT_US		 30000u
#define STREAM_JOBS		 200u

static const struct npu_platform_ops *real_ops;
static struct npu_platform_ops shim_ops;
static unsigned long reads;

static uint32_t shim_read32(struct npu_platform *p, unsigned bar, uint64_t off)
{
	reads++;
	return real_ops->read32(p, bar, off);
}

static uint64_t shim_read64(struct npu_platform *p, unsigned bar, uint64_t off)
{
	reads++;
	return real_ops->read64(p, bar, off);
}

static void shim_on(struct fx *f)
{
	real_ops = f->plat->ops;
	shim_ops = *real_ops;
	shim_ops.read32 = shim_read32;
	shim_ops.read64 = shim_read64;
	f->plat->ops = &shim_ops;
	reads = 0;
}

static void shim_off(struct fx *f)
{
	f->plat->ops = real_ops;
}

/*
 * A job blocked on a fence for 30 ms: the wait that times out reads no
 * register (with ICB_STATUS_0 polled, it read it thousands of times); the
 * wait after the fence is written reads what one interrupt service reads.
 */
static void test_blocked_job(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *blocker, *nop, *fence;
	uint32_t id, st;
	unsigned long blocked, done;

	assert_non_null(f->plat->ops->irq_take);
	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &fence), 0);
	make_wait(blocker, fence->va, 1);
	make_signal(nop, fence->va + 64, 7);
	/* The context's first job registers its doorbell or queue: out of the count. */
	assert_int_equal(run(c, nop), 0);

	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	shim_on(f);
	assert_int_equal(drv_job_wait(c, id, BLOCKED_WAIT_US, &st), -ETIMEDOUT);
	blocked = reads;
	fence_write(fence, 0, 1);
	reads = 0;
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &st), 0);
	done = reads;
	shim_off(f);
	assert_int_equal(st, 0);
	print_message("register reads: %lu in a %u us wait on a blocked job, %lu for its "
		      "completion\n",
		      blocked, BLOCKED_WAIT_US, done);
	assert_int_equal(blocked, 0);
	assert_true(done >= 1 && done <= LINUX_READS_PER_JOB_DONE);
	drv_ctx_destroy(c);
}

/* Short jobs one after the other: on average no more reads than Linux's one interrupt. */
static void test_stream(void **state)
{
	struct fx *f = *state;
	struct npu_ctx *c;
	struct npu_bo *nop;

	assert_int_equal(drv_ctx_create(&f->d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &nop), 0);
	make_signal(nop, nop->va + 2048, 1);
	assert_int_equal(run(c, nop), 0);
	shim_on(f);
	for (unsigned i = 0; i < STREAM_JOBS; i++)
		assert_int_equal(run(c, nop), 0);
	shim_off(f);
	print_message("register reads: %.2f per job over %u jobs\n", (double)reads / STREAM_JOBS,
		      STREAM_JOBS);
	assert_true(reads >= STREAM_JOBS);
	assert_true(reads <= (unsigned long)STREAM_JOBS * LINUX_READS_PER_JOB_DONE);
	drv_ctx_destroy(c);
}

static struct fx f37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f37_os = FX_OS(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40_os = FX_OS(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_blocked_job, f37, f40),
		BOTH(test_stream, f37, f40),
		BOTH(test_blocked_job, f37_os, f40_os),
		BOTH(test_stream, f37_os, f40_os),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
