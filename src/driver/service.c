/* SPDX-License-Identifier: MIT */
/*
 * The driver's work for event loops: what drv_job_wait does between its
 * polls, for every context at once and without blocking, so that one thread
 * (npud's loop) can serve many clients' jobs.
 */
#include <errno.h>
#include <stdint.h>

#include "driver/device.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "driver/pm.h"
#include "driver/recover.h"
#include "driver/service.h"
#include "util/cpu_relax.h"
#include "util/log.h"

/*
 * Pause instructions between two looks at the interrupt. One: a pause is
 * about 60 cycles on current x86 cores, already more than the look itself,
 * and each one more adds its half to the time a completion waits to be seen.
 */
#define NPU_POLL_RELAX 1u

void drv_device_irq(struct npu_device *d)
{
	struct npu_platform *p = d->plat;

	if (d->state != NPU_DEV_READY && d->state != NPU_DEV_BOOTING) {
		/* Powered down: nothing to service, only the notification to consume. */
		p->ops->irq_ack(p);
		return;
	}
	drv_irq_handle(d);
	p->ops->irq_ack(p);
}

/*
 * The interrupt is watched, not a register: the device's own MSI says a
 * completion came, as it does to Linux, and only the service reads the
 * device. A job that runs long costs no more register reads than a short
 * one (docs/performance.md, "Register accesses").
 */
bool drv_device_poll(struct npu_device *d, uint64_t window_ns, bool (*stop)(void *arg), void *arg)
{
	struct npu_platform *p = d->plat;
	const struct npu_platform_ops *ops = p->ops;
	uint64_t end;
	bool serviced = false;

	if (d->state != NPU_DEV_READY || !window_ns || !ops->irq_take)
		return false;
	end = npu_now_ns(p) + window_ns;
	if (ops->irq_spin)
		ops->irq_spin(p, true);
	for (unsigned i = 1;; i++) {
		if (ops->irq_take(p)) {
			drv_irq_service_taken(d);
			serviced = true;
			break;
		}
		for (unsigned k = 0; k < NPU_POLL_RELAX; k++)
			npu_cpu_relax();
		if (i % 16 == 0 && ((stop && stop(arg)) || npu_now_ns(p) >= end))
			break;
	}
	if (ops->irq_spin)
		ops->irq_spin(p, false);
	return serviced;
}

uint64_t drv_device_service(struct npu_device *d)
{
	uint64_t next = UINT64_MAX;
	bool again = true;

	/* A recovery or an abort can change every context: go round until calm. */
	for (unsigned round = 0; again && round < 4; round++) {
		again = false;
		if (d->need_recovery && d->state == NPU_DEV_READY) {
			drv_device_recover(d, d->recovery_reason);
			again = true;
			continue;
		}
		if (d->dct_pending && d->state == NPU_DEV_READY)
			drv_pm_dct_service(d);
		for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
			struct npu_ctx *c = d->ctx[i];

			if (!c)
				continue;
			if (c->faulted && !c->abort_sent) {
				drv_ctx_abort_jobs(c);
				if (d->state == NPU_DEV_READY)
					drv_ctx_abort_send(c);
			}
		}
	}
	if (d->state != NPU_DEV_READY)
		return UINT64_MAX;

	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		struct npu_ctx *c = d->ctx[i];

		if (!c || !c->queued)
			continue;
		for (unsigned j = 0; j < NPU_JOBS_PER_CTX; j++) {
			struct npu_job *job = &c->jobs[j];
			uint64_t now;

			if (job->state != NPU_JOB_QUEUED)
				continue;
			now = npu_now_ns(d->plat);
			if (now >= job->tdr_next_ns) {
				drv_job_tdr_check(c, job);
				if (d->state != NPU_DEV_READY)
					return UINT64_MAX; /* recovered and failed */
				if (c != d->ctx[i])
					break;
			}
			if (job->state == NPU_JOB_QUEUED && job->tdr_next_ns < next)
				next = job->tdr_next_ns;
		}
	}
	return next;
}
