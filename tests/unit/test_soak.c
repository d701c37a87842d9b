/* SPDX-License-Identifier: MIT */
/*
 * Soak: 10,000 jobs across four contexts on each generation, the queues kept
 * busy (several jobs in flight per context), every job checked. Run under the
 * ASan build (leaks are failures there) and valgrind: nothing leaks, no job
 * is stuck, every fence value is the one its job wrote.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/cmdbuf.h"
#include "driver/device.h"
#include "driver/job.h"
#include "platform/platform.h"

#define CONTEXTS   4
#define JOBS_TOTAL 10000
#define IN_FLIGHT  8 /* per context */
#define WAIT_US	   10000000u

struct soak_ctx {
	struct npu_ctx *ctx;
	struct npu_bo *cmd[IN_FLIGHT];
	struct npu_bo *fences;
	uint32_t id[IN_FLIGHT];
	uint64_t value[IN_FLIGHT];
	bool busy[IN_FLIGHT];
};

static char fw_dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-soak-XXXXXX");
	if (!mkdtemp(fw_dir))
		return -1;
	/* An empty firmware folder: both sides use the synthetic image. */
	return setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(fw_dir);
}

/* (Re)writes slot k's command buffer: signal the slot's fence with a new value. */
static void prepare(struct npu_device *d, struct soak_ctx *s, int k, uint64_t value)
{
	struct npu_cmdbuf cb;

	assert_int_equal(
	    drv_cmdbuf_init(&cb, s->cmd[k]->dma.cpu, s->cmd[k]->va, s->cmd[k]->size, 4, d->gen), 0);
	assert_int_equal(drv_cmdbuf_fence_signal(&cb, s->fences->va + 64u * (uint64_t)k, value), 0);
	assert_int_equal(drv_cmdbuf_finish(&cb), 0);
	s->value[k] = value;
}

static void soak(enum npu_gen gen)
{
	struct npu_platform_config pcfg = { .device = "sim", .gen = gen };
	struct npu_platform *plat;
	struct npu_device d;
	struct soak_ctx sc[CONTEXTS];
	unsigned submitted = 0, completed = 0;
	uint64_t next_value = 1;

	memset(sc, 0, sizeof(sc));
	assert_int_equal(npu_platform_open(&pcfg, &plat), 0);
	assert_int_equal(drv_device_open(&d, plat, NULL), 0);
	assert_int_equal(drv_device_boot(&d), 0);
	for (int c = 0; c < CONTEXTS; c++) {
		assert_int_equal(drv_ctx_create(&d, &sc[c].ctx), 0);
		assert_int_equal(drv_bo_create(sc[c].ctx, 4096, 0, 0, &sc[c].fences), 0);
		for (int k = 0; k < IN_FLIGHT; k++)
			assert_int_equal(drv_bo_create(sc[c].ctx, drv_cmdbuf_size_for(gen, 4, 0), 0,
						       0, &sc[c].cmd[k]),
					 0);
	}
	while (completed < JOBS_TOTAL) {
		/* Keep every slot of every context busy, then retire the oldest of each. */
		for (int c = 0; c < CONTEXTS; c++) {
			for (int k = 0; k < IN_FLIGHT && submitted < JOBS_TOTAL; k++) {
				if (sc[c].busy[k])
					continue;
				prepare(&d, &sc[c], k, next_value++);
				assert_int_equal(
				    drv_job_submit(sc[c].ctx, sc[c].cmd[k]->va, &sc[c].id[k]), 0);
				sc[c].busy[k] = true;
				submitted++;
			}
		}
		for (int c = 0; c < CONTEXTS; c++) {
			for (int k = 0; k < IN_FLIGHT; k++) {
				uint32_t st = 0xFFFF;
				const uint64_t *f = sc[c].fences->dma.cpu;

				if (!sc[c].busy[k])
					continue;
				assert_int_equal(drv_job_wait(sc[c].ctx, sc[c].id[k], WAIT_US, &st),
						 0);
				assert_int_equal(st, 0);
				assert_int_equal(f[8 * k], sc[c].value[k]);
				sc[c].busy[k] = false;
				completed++;
			}
		}
	}
	assert_int_equal(submitted, JOBS_TOTAL);
	assert_int_equal(d.recoveries, 0);
	for (int c = 0; c < CONTEXTS; c++) {
		assert_int_equal(sc[c].ctx->queued, 0);
		drv_ctx_destroy(sc[c].ctx); /* frees its buffers */
	}
	drv_device_close(&d);
	npu_platform_close(plat);
}

static void test_soak_37xx(void **state)
{
	(void)state;
	soak(NPU_GEN_37XX);
}

static void test_soak_40xx(void **state)
{
	(void)state;
	soak(NPU_GEN_40XX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soak_37xx),
		cmocka_unit_test(test_soak_40xx),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
