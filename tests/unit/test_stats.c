/* SPDX-License-Identifier: MIT */
/*
 * Driver counters and the status report (stats.h) against the simulated NPU,
 * through the platform interface only: job totals, busy time and
 * utilization, the DMA memory walk (checked against every allocation the
 * platform made), per-client memory, faults, recoveries, timeouts, power
 * state and clock. Both generations.
 *
 * The fixture wraps the platform's DMA operations to count the bytes the
 * driver holds: memory_used_bytes must equal that count at every step.
 */
#include "jobs_test_util.h"

#include <time.h>

#include "driver/btrs.h"
#include "driver/irq.h"
#include "driver/recover.h"
#include "driver/stats.h"
#include "util/json.h"
#include "test_time.h"

/* ---- the fixture: the platform's DMA ops, counted ---- */

static const struct npu_platform_ops *real_ops;
static struct npu_platform_ops counting_ops;
static uint64_t dma_held;

static int counting_alloc(struct npu_platform *p, size_t size, enum npu_dma_caching caching,
			  struct npu_dma *out)
{
	int ret = real_ops->dma_alloc(p, size, caching, out);

	if (!ret)
		dma_held += out->size;
	return ret;
}

static void counting_free(struct npu_platform *p, struct npu_dma *dma)
{
	assert_true(dma_held >= dma->size);
	dma_held -= dma->size; /* before: the backend clears it */
	real_ops->dma_free(p, dma);
}

static int stats_setup(void **state)
{
	struct fx *f = *state;
	struct npu_platform_config pcfg = { .device = "sim", .gen = f->gen, .fault = f->fault };
	struct npu_device_config dcfg = { .tdr_timeout_us = f->tdr_us };

	assert_int_equal(npu_platform_open(&pcfg, &f->plat), 0);
	real_ops = f->plat->ops;
	counting_ops = *real_ops;
	counting_ops.dma_alloc = counting_alloc;
	counting_ops.dma_free = counting_free;
	f->plat->ops = &counting_ops;
	dma_held = 0;
	assert_int_equal(drv_device_open(&f->d, f->plat, &dcfg), 0);
	assert_int_equal(drv_device_boot(&f->d), 0);
	return 0;
}

static int stats_teardown(void **state)
{
	struct fx *f = *state;

	drv_device_close(&f->d);
	assert_int_equal(dma_held, 0); /* everything the walk saw was given back */
	f->plat->ops = real_ops;
	npu_platform_close(f->plat);
	f->plat = NULL;
	return 0;
}

/* ---- helpers ---- */

static struct npu_device_stats st; /* 4 KiB and more: not on the stack */

/* A report, with the walk checked against the platform's count. */
static const struct npu_device_stats *sample(struct npu_device *d)
{
	drv_device_stats(d, &st);
	assert_int_equal(st.memory_used_bytes, dma_held);
	assert_int_equal(st.memory_used_bytes, st.memory_firmware_bytes + st.memory_ipc_bytes +
						   st.memory_mmu_bytes + st.memory_contexts_bytes);
	return &st;
}

static const struct npu_client_stats *client(const struct npu_device_stats *s, uint32_t id)
{
	for (unsigned i = 0; i < s->n_clients; i++) {
		if (s->clients[i].id == id)
			return &s->clients[i];
	}
	fail_msg("no client %u in the report", id);
	return NULL;
}

/* What the report must say a context holds: its buffers and its queue. */
static uint64_t ctx_memory(const struct npu_ctx *c)
{
	uint64_t n = NPU_JOBQ_SIZE;

	for (const struct npu_bo *b = c->bos; b; b = b->next)
		n += b->size;
	return n;
}

/* ---- tests ---- */

/* Job totals, busy time (closed and open intervals) and utilization. */
static void test_jobs_and_busy(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	uint64_t t0 = npu_now_ns(f->plat), busy_open, wall_us;
	const struct npu_device_stats *s;
	struct npu_ctx *c;
	struct npu_bo *cmd, *data, *blocker;
	uint32_t id, status;

	s = sample(d);
	assert_string_equal(s->state, "ready");
	assert_int_equal(s->boot_count, 1);
	assert_int_equal(s->jobs_completed + s->jobs_failed + s->busy_time_us, 0);
	assert_true(s->utilization_known && s->utilization == 0.0);
	assert_true(s->uptime_known);
	assert_int_equal(s->n_clients, 0);
	assert_string_equal(s->pci_id, f->gen == NPU_GEN_37XX ? "8086:7d1d" : "8086:643e");
	assert_string_equal(s->generation, npu_gen_name(f->gen));
	assert_string_equal(s->bdf, "sim");
	assert_non_null(strstr(s->firmware_version, "synthetic"));

	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &data), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	for (uint32_t i = 0; i < 5; i++) {
		make_signal(cmd, data->va, i + 1);
		assert_int_equal(run(c, cmd), 0);
	}
	s = sample(d);
	wall_us = (npu_now_ns(f->plat) - t0) / 1000u;
	assert_int_equal(s->jobs_completed, 5);
	assert_int_equal(s->jobs_failed, 0);
	assert_int_equal(s->jobs_queued, 0);
	assert_true(s->busy_time_us > 0);
	assert_true(s->busy_time_us <= wall_us);
	assert_true(s->busy_time_us <= s->uptime_us);
	assert_true(s->utilization > 0.0 && s->utilization <= 1.0);
	assert_int_equal(s->n_clients, 1);
	assert_int_equal(client(s, 1)->ssid, 2);
	assert_int_equal(client(s, 1)->jobs_completed, 5);
	assert_int_equal(client(s, 1)->busy_time_us, s->busy_time_us);

	/* A queued job counts while it waits: the open interval grows. */
	make_wait(blocker, data->va + 512, 1);
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	busy_open = sample(d)->busy_time_us;
	assert_int_equal(st.jobs_queued, 1);
	assert_int_equal(client(&st, 1)->jobs_queued, 1);
	sleep_ms(30);
	s = sample(d);
	assert_true(s->busy_time_us >= busy_open + 30000u);
	assert_true(client(s, 1)->busy_time_us >= 30000u);
	fence_write(data, 512, 1);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &status), 0);
	assert_int_equal(status, 0);
	s = sample(d);
	wall_us = (npu_now_ns(f->plat) - t0) / 1000u;
	assert_int_equal(s->jobs_completed, 6);
	assert_true(s->busy_time_us >= busy_open + 30000u && s->busy_time_us <= wall_us);
	assert_true(s->utilization > 0.0 && s->utilization <= 1.0);

	/* The device's totals outlive the context. */
	drv_ctx_destroy(c);
	s = sample(d);
	assert_int_equal(s->n_clients, 0);
	assert_int_equal(s->jobs_completed, 6);
	assert_true(s->busy_time_us >= busy_open + 30000u);
}

/* The walk over DMA memory: exact growth and shrink per buffer, shares, orphans. */
static void test_memory(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const struct npu_device_stats *s;
	struct npu_ctx *c, *c2;
	struct npu_bo *first, *big, *share, *self, *first2;
	uint64_t base, used;

	s = sample(d);
	assert_true(s->memory_total_known);
	assert_int_equal(s->memory_total_bytes, 256u << 20); /* the model's arena */
	assert_true(s->memory_used_bytes < s->memory_total_bytes);
	assert_true(s->memory_firmware_bytes > 0 && s->memory_ipc_bytes > 0 &&
		    s->memory_mmu_bytes > 0);
	assert_int_equal(s->memory_contexts_bytes, 0);
	base = s->memory_used_bytes;

	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_ctx_create(d, &c2), 0);
	/* The first buffers bring the page tables of their 2 MiB. */
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &first), 0);
	assert_int_equal(drv_bo_create(c2, 4096, 0, 0, &first2), 0);
	s = sample(d);
	assert_true(s->memory_used_bytes > base + 2 * (NPU_JOBQ_SIZE + 4096u));
	assert_int_equal(client(s, 1)->memory_bytes, ctx_memory(c));
	assert_int_equal(client(s, 1)->memory_bytes, NPU_JOBQ_SIZE + 4096u);
	assert_true(client(s, 1)->page_table_bytes >= 4 * 4096u);
	used = s->memory_used_bytes;

	/* Another buffer in the same 2 MiB: exactly its size more, then back. */
	assert_int_equal(drv_bo_create(c, 60 * 1024 + 1, 0, 0, &big), 0);
	assert_int_equal(big->size, 64 * 1024);
	s = sample(d);
	assert_int_equal(s->memory_used_bytes, used + 64 * 1024);
	assert_int_equal(client(s, 1)->memory_bytes, ctx_memory(c));
	assert_int_equal(client(s, 1)->memory_bytes, NPU_JOBQ_SIZE + 4096u + 64 * 1024);

	/* A share costs no memory (its tables exist), but counts in the client that maps it. */
	assert_int_equal(drv_bo_share(big, c2, 0, &share), 0);
	s = sample(d);
	assert_int_equal(s->memory_used_bytes, used + 64 * 1024);
	assert_int_equal(client(s, 2)->memory_bytes, ctx_memory(c2));
	assert_int_equal(client(s, 2)->memory_bytes, NPU_JOBQ_SIZE + 4096u + 64 * 1024);

	/* A second share, in the owner's own context. */
	assert_int_equal(drv_bo_share(big, c, 0, &self), 0);
	assert_int_equal(sample(d)->memory_used_bytes, used + 64 * 1024);
	assert_int_equal(client(&st, 1)->memory_bytes, NPU_JOBQ_SIZE + 4096u + 2 * 64 * 1024);

	/* The owner goes, the memory stays for the shares (an orphan, counted once). */
	drv_bo_destroy(big);
	s = sample(d);
	assert_int_equal(s->memory_used_bytes, used + 64 * 1024);
	assert_int_equal(client(s, 1)->memory_bytes, NPU_JOBQ_SIZE + 4096u + 64 * 1024);
	drv_bo_destroy(self);
	s = sample(d);
	assert_int_equal(s->memory_used_bytes, used + 64 * 1024);
	assert_int_equal(client(s, 1)->memory_bytes, NPU_JOBQ_SIZE + 4096u);
	drv_bo_destroy(share);
	s = sample(d);
	assert_int_equal(s->memory_used_bytes, used);
	assert_int_equal(client(s, 2)->memory_bytes, ctx_memory(c2));

	/* A power cycle: contexts keep their memory, the MMU's and firmware's go and come. */
	assert_int_equal(drv_device_power_down(d), 0);
	s = sample(d);
	assert_int_equal(s->memory_firmware_bytes + s->memory_ipc_bytes + s->memory_mmu_bytes, 0);
	assert_true(s->memory_contexts_bytes > 0);
	assert_int_equal(drv_device_boot(d), 0);
	assert_int_equal(sample(d)->memory_used_bytes, used);

	drv_ctx_destroy(c2);
	drv_ctx_destroy(c);
	/* The global page tables that held the job queues stay until power-down. */
	s = sample(d);
	assert_int_equal(s->memory_contexts_bytes, 0);
	assert_true(s->memory_used_bytes >= base);
}

/* A faulting job: mmu_faults and jobs_failed, the client marked faulted. */
static void test_fault(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const struct npu_device_stats *s;
	struct npu_ctx *c;
	struct npu_bo *cmd;
	struct cmdbuf cb;
	uint32_t id, status;

	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	make_signal(cmd, cmd->va + 2048, 1);
	assert_int_equal(run(c, cmd), 0);
	cmd_begin(&cb, cmd);
	cmd_fill(&cb, cmd->va + 0x100000, 4096, 0x11111111u); /* nothing mapped there */
	cmd_end(&cb);
	assert_int_equal(drv_job_submit(c, cmd->va, &id), 0);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &status), 0);
	assert_int_not_equal(status, 0);
	/* The MMU's event may be serviced a moment after JOB_DONE. */
	for (int i = 0; i < 100 && !d->mmu_faults; i++)
		drv_irq_wait(d, 10000);
	s = sample(d);
	assert_true(s->mmu_faults >= 1);
	assert_int_equal(s->jobs_completed, 1);
	assert_int_equal(s->jobs_failed, 1);
	assert_true(client(s, 1)->faulted);
	assert_int_equal(client(s, 1)->jobs_failed, 1);
	assert_int_equal(s->recoveries, 0);
	drv_ctx_destroy(c);
	s = sample(d);
	assert_int_equal(s->jobs_failed, 1);
	assert_true(s->mmu_faults >= 1);
}

/* A recovery: counted, the queued job aborted (failed), utilization restarts at READY. */
static void test_recovery(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const struct npu_device_stats *s;
	struct npu_ctx *c;
	struct npu_bo *cmd, *blocker;
	uint64_t busy;
	uint32_t id, status;

	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &cmd), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	make_signal(cmd, cmd->va + 2048, 1);
	make_wait(blocker, blocker->va + 2048, 1);
	assert_int_equal(run(c, cmd), 0);
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	sleep_ms(10);

	assert_int_equal(drv_device_recover(d, "test"), 0);
	assert_int_equal(drv_job_wait(c, id, 0, &status), 0);
	assert_int_equal(status, NPU_JOB_STATUS_ABORTED);
	s = sample(d);
	assert_int_equal(s->recoveries, 1);
	assert_int_equal(s->boot_count, 2);
	assert_string_equal(s->state, "ready");
	assert_int_equal(s->jobs_completed, 1);
	assert_int_equal(s->jobs_failed, 1);
	assert_int_equal(s->jobs_queued, 0);
	assert_true(s->busy_time_us >= 10000u);
	/* No job since the new READY: nothing of the old boot's busy time counts. */
	assert_true(s->utilization_known && s->utilization == 0.0);
	busy = s->busy_time_us;
	sleep_ms(2);
	assert_int_equal(sample(d)->busy_time_us, busy); /* the interval was closed */

	assert_int_equal(run(c, cmd), 0);
	s = sample(d);
	assert_int_equal(s->jobs_completed, 2);
	assert_true(s->busy_time_us > busy);
	assert_true(s->utilization > 0.0 && s->utilization <= 1.0);
	drv_ctx_destroy(c);
}

/* Waits that gave up are timeouts; a zero-timeout poll is not. */
static void test_timeouts(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const struct npu_device_stats *s;
	struct npu_ctx *c;
	struct npu_bo *blocker;
	uint32_t id, status;

	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_bo_create(c, 4096, 0, 0, &blocker), 0);
	make_wait(blocker, blocker->va + 2048, 1);
	assert_int_equal(drv_job_submit(c, blocker->va, &id), 0);
	assert_int_equal(drv_job_wait(c, id, 0, &status), -ETIMEDOUT);
	assert_int_equal(sample(d)->timeouts, 0);
	assert_int_equal(drv_job_wait(c, id, 5000, &status), -ETIMEDOUT);
	s = sample(d);
	assert_int_equal(s->job_wait_timeouts, 1);
	assert_int_equal(s->ipc_timeouts, d->ipc.stats.timeouts);
	assert_int_equal(s->timeouts, s->ipc_timeouts + 1);
	fence_write(blocker, 2048, 1);
	assert_int_equal(drv_job_wait(c, id, WAIT_US, &status), 0);
	assert_int_equal(status, 0);
	drv_ctx_destroy(c);
}

/* Power state and clock from the buttress; what an unpowered device reports. */
static void test_power(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	const struct npu_device_stats *s = sample(d);

	assert_string_equal(s->power_state, "D0");
	assert_true(s->frequency_known);
	assert_true(s->frequency_mhz > 0);
	assert_int_equal(s->frequency_mhz, drv_btrs_ratio_to_mhz(d, s->pll_ratio));

	assert_int_equal(drv_device_power_down(d), 0);
	s = sample(d);
	assert_string_equal(s->state, "off");
	assert_string_equal(s->power_state, "D0i3");
	assert_false(s->uptime_known);
	assert_false(s->utilization_known);

	assert_int_equal(drv_device_boot(d), 0);
	s = sample(d);
	assert_string_equal(s->power_state, "D0");
	assert_int_equal(s->boot_count, 2);
	assert_int_equal(s->recoveries, 0);
}

/* The JSON form: unknown values are null, clients are an array of objects. */
static void test_json(void **state)
{
	struct fx *f = *state;
	struct npu_device *d = &f->d;
	struct npu_ctx *c;
	struct npu_json j;
	char buf[4096] = { 0 };
	FILE *out = fmemopen(buf, sizeof(buf) - 1, "w");

	assert_non_null(out);
	assert_int_equal(drv_ctx_create(d, &c), 0);
	assert_int_equal(drv_device_power_down(d), 0);
	sample(d);
	npu_json_init(&j, out);
	drv_device_stats_json(&j, NULL, &st);
	assert_int_equal(npu_json_finish(&j), 0);
	fclose(out);
	assert_non_null(strstr(buf, "\"state\":\"off\""));
	assert_non_null(strstr(buf, "\"utilization\":null"));
	assert_non_null(strstr(buf, "\"uptime_us\":null"));
	assert_non_null(strstr(buf, "\"power_state\":\"D0i3\""));
	assert_non_null(strstr(buf, "\"memory_total_bytes\":268435456"));
	assert_non_null(strstr(buf, "\"clients\":[{\"id\":1,\"ssid\":2,\"memory_bytes\":4096,"));
	assert_non_null(strstr(buf, "\"timeouts\":0"));
	drv_ctx_destroy(c);
}

static struct fx f37 = FX(NPU_GEN_37XX, NPU_SIM_FAULT_NONE, 0, true);
static struct fx f40 = FX(NPU_GEN_40XX, NPU_SIM_FAULT_NONE, 0, true);

#define BOTH_STATS(fn)                                                                   \
	cmocka_unit_test_prestate_setup_teardown(fn, stats_setup, stats_teardown, &f37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, stats_setup, stats_teardown, &f40)

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		BOTH_STATS(test_jobs_and_busy),
		BOTH_STATS(test_memory),
		BOTH_STATS(test_fault),
		BOTH_STATS(test_recovery),
		BOTH_STATS(test_timeouts),
		BOTH_STATS(test_power),
		BOTH_STATS(test_json),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
