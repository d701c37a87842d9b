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
 * Pause instructions between two polls of the device. One: a pause is about
 * 60 cycles on current x86 cores, already more than the poll itself, and each
 * one more adds its half to the time a completion waits to be seen.
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

bool drv_device_poll(struct npu_device *d, uint64_t window_ns, bool (*stop)(void *arg), void *arg)
{
	struct npu_platform *p = d->plat;
	uint64_t end;
	bool serviced = false;

	if (d->state != NPU_DEV_READY || !window_ns)
		return false;
	end = npu_now_ns(p) + window_ns;
	drv_irq_poll_begin(d);
	for (unsigned i = 1;; i++) {
		if (drv_irq_poll(d)) {
			serviced = true;
			break;
		}
		for (unsigned k = 0; k < NPU_POLL_RELAX; k++)
			npu_cpu_relax();
		if (i % 16 == 0 && ((stop && stop(arg)) || npu_now_ns(p) >= end))
			break;
	}
	drv_irq_poll_end(d);
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
