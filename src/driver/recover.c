/* SPDX-License-Identifier: MIT */
/*
 * Recovery: of one context after its MMU fault (docs/firmware-protocol.md §2.5, §3.7
 * "context abort"), and of the whole device after a hang or a fatal error
 * (docs/firmware-protocol.md §3.7, docs/hardware.md §3.6 "Recovery").
 *
 * A full recovery is a power-down and a cold boot. The contexts survive it:
 * their page tables and job-queue memory are their own, and the boot hooks
 * (drv_ctx_detach_all on the way down, drv_ctx_attach_all on the way up) take
 * them out of the old MMU and put them into the new one: job queues mapped
 * again at the same global VA, descriptors written again. Doorbells are
 * registered again on each context's next submit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "driver/device.h"
#include "driver/hws.h"
#include "driver/ipc.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "driver/recover.h"
#include "hw/timeouts.h"
#include "util/log.h"

void drv_ctx_fault(struct npu_device *d, uint32_t ssid, const char *why)
{
	struct npu_ctx *c = drv_ctx_by_ssid(d, ssid);

	if (!c) {
		npu_dbg(JOB, "fault on SSID %u without a context: %s", ssid, why ? why : "");
		return;
	}
	if (!c->faulted)
		npu_warn(JOB, "context %u (SSID %u) faulted: %s; its jobs are aborted", c->id,
			 c->ssid, why ? why : "MMU fault");
	c->faulted = true;
	drv_ctx_abort_jobs(c);
}

/* OS scheduling: UNREGISTER_DB, then SSID_RELEASE (docs/firmware-protocol.md §2.5). */
void drv_ctx_abort_send(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;
	int ret;

	if (!c->faulted || c->abort_sent || d->state != NPU_DEV_READY)
		return;
	c->abort_sent = true;
	if (drv_hws_on(d)) {
		drv_hws_ctx_abort(c);
		return;
	}
	if (c->db_registered) {
		c->db_registered = false;
		ret = drv_jsm_unregister_db(d, c->db_id);
		if (ret)
			npu_warn(JOB, "context %u: UNREGISTER_DB %u failed (%d)", c->id, c->db_id,
				 ret);
	}
	ret = drv_jsm_ssid_release(d, c->ssid);
	if (ret)
		npu_warn(JOB, "context %u: SSID_RELEASE failed (%d)", c->id, ret);
}

int drv_device_recover(struct npu_device *d, const char *reason)
{
	char why[sizeof(d->recovery_reason)];
	int ret;

	/* reason may be d->recovery_reason itself: copy it before anything rewrites it. */
	snprintf(why, sizeof(why), "%s", reason && reason[0] ? reason : "unknown reason");
	npu_warn(PM, "recovering the NPU: %s", why);

	/*
	 * Best effort: the firmware may be past answering. It is given the time
	 * Linux gives it to take the message and write its state before the
	 * power-down (ivpu_jsm_state_dump: 7.x awaits STATE_DUMP_RSP that long,
	 * 6.12 slept it); without it the firmware may never read the message.
	 */
	if (d->state == NPU_DEV_READY && d->ipc.enabled) {
		ret = drv_jsm_state_dump(d);
		if (ret)
			npu_dbg(PM, "no state dump answer (%d): the firmware may be hung", ret);
	}
	drv_ipc_disable(d);
	/* Aborts every queued job, forgets the doorbells, empties the queues (detach hook). */
	ret = drv_device_power_down(d);
	if (ret)
		npu_warn(PM, "power-down during recovery failed (%d); booting anyway", ret);
	ret = drv_device_boot(d);

	d->recoveries++;
	d->need_recovery = false;
	snprintf(d->recovery_reason, sizeof(d->recovery_reason), "%s", why);
	if (ret) {
		npu_err(PM, "recovery failed: the NPU did not boot again (%s: %s)", d->fail_step,
			d->fail_reason);
		return ret;
	}
	npu_info(PM, "NPU recovered (recovery %" PRIu64 ")", d->recoveries);
	return 0;
}
