/* SPDX-License-Identifier: MIT */
/*
 * Hardware scheduling (hws.h): the mode, the band setup after each cold boot,
 * and a context's command queue, as Linux ivpu_fw.c and ivpu_job.c do it
 * (docs/firmware-protocol.md §2.4, §2.5, §3.8).
 */
#include "driver/hws.h"

#include <errno.h>
#include <string.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "util/log.h"

#define PAGE 4096u

/* Linux ivpu_jsm_msg.c: ivpu_jsm_hws_set_context_sched_properties (100 ns units). */
#define CTX_QUANTUM	20000u
#define CTX_GRACE_SAME	10000u
#define CTX_GRACE_LOWER 0u
/* Linux ivpu_hw.c: the band defaults sent with SET_PRIORITY_BAND_SETUP (100 ns units). */
static const uint32_t band_grace[NPU_PRIO_COUNT] = { 0, 50000, 50000, 0 };
static const uint32_t band_process_grace[NPU_PRIO_COUNT] = { 50000, 50000, 50000, 50000 };
static const uint32_t band_quantum[NPU_PRIO_COUNT] = { 160000, 300000, 200000, 200000 };
#define NORMAL_BAND_PERCENTAGE 10u

static const char *const prio_names[NPU_PRIO_COUNT] = { "idle", "normal", "focus", "realtime" };

int drv_sched_parse(const char *s, enum npu_sched_req *out)
{
	if (!s || !strcmp(s, "auto"))
		*out = NPU_SCHED_AUTO;
	else if (!strcmp(s, "os"))
		*out = NPU_SCHED_OS;
	else if (!strcmp(s, "hws"))
		*out = NPU_SCHED_HWS;
	else
		return -EINVAL;
	return 0;
}

const char *drv_sched_name(uint32_t mode)
{
	return mode == NPU_BOOT_SCHED_MODE_HW ? "hws" : "os";
}

const char *drv_prio_name(uint32_t prio)
{
	return prio < NPU_PRIO_COUNT ? prio_names[prio] : "?";
}

/*
 * Linux ivpu_fw.c: ivpu_fw_sched_mode_select: the module parameter wins;
 * else HWS from JSM API 3.24 on, on every generation (60xx is HWS only, and
 * not driven here).
 */
uint32_t drv_hws_select(const struct npu_device *d, enum npu_sched_req req)
{
	uint32_t jsm = d->fw.api_version[NPU_FW_API_IDX_JSM];

	if (req == NPU_SCHED_OS)
		return NPU_BOOT_SCHED_MODE_OS;
	if (req == NPU_SCHED_HWS)
		return NPU_BOOT_SCHED_MODE_HW;
	return jsm >= NPU_FW_JSM_API_HWS_MIN ? NPU_BOOT_SCHED_MODE_HW : NPU_BOOT_SCHED_MODE_OS;
}

bool drv_hws_on(const struct npu_device *d)
{
	return d->sched_mode == NPU_BOOT_SCHED_MODE_HW;
}

/* Linux ivpu_fw.c: ivpu_fw_boot_params_setup. */
void drv_hws_boot_params(const struct npu_device *d, struct npu_boot_params *bp)
{
	bp->vpu_scheduling_mode = d->sched_mode;
	if (drv_hws_on(d))
		bp->vpu_focus_present_timer_ms = NPU_BOOT_FOCUS_PRESENT_TIMER_MS;
}

static int request(struct npu_device *d, uint32_t type, const void *p, size_t len, uint32_t rsp)
{
	int ret = drv_ipc_request(d, NPU_IPC_CHAN_ASYNC_CMD, type, p, len, rsp, NULL, 0);

	if (ret)
		npu_dbg(JSM, "HWS request 0x%x failed: %d", type, ret);
	return ret;
}

/* Linux ivpu_jsm_msg.c: ivpu_jsm_hws_setup_priority_bands. */
int drv_hws_boot_setup(struct npu_device *d)
{
	struct npu_jsm_set_priority_band_setup p;

	if (!drv_hws_on(d))
		return 0;
	memset(&p, 0, sizeof(p));
	memcpy(p.grace_period, band_grace, sizeof(p.grace_period));
	memcpy(p.process_quantum, band_quantum, sizeof(p.process_quantum));
	memcpy(p.process_grace_period, band_process_grace, sizeof(p.process_grace_period));
	p.normal_band_percentage = NORMAL_BAND_PERCENTAGE;
	return request(d, NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP, &p, sizeof(p),
		       NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP_RSP);
}

/* Linux ivpu_fw.c: ivpu_preemption_config_parse: the max size when given, else the size. */
static uint32_t preempt_size(const struct npu_device *d)
{
	uint32_t v = d->fw.preemption_buffer_1_max_size ? d->fw.preemption_buffer_1_max_size
							: d->fw.preemption_buffer_1_size;

	v = (v + PAGE - 1) & ~(PAGE - 1);
	return v >= NPU_FW_PREEMPT_BUF_SIZE_MIN && v <= NPU_FW_PREEMPT_BUF_SIZE_MAX ? v : 0;
}

static uint32_t preempt_size2(const struct npu_device *d)
{
	uint32_t v = d->fw.preemption_buffer_2_max_size ? d->fw.preemption_buffer_2_max_size
							: d->fw.preemption_buffer_2_size;

	v = (v + PAGE - 1) & ~(PAGE - 1);
	return v >= NPU_FW_PREEMPT_BUF_SIZE_MIN && v <= NPU_FW_PREEMPT_BUF_SIZE_MAX ? v : 0;
}

/*
 * Linux ivpu_job.c: ivpu_preemption_buffers_create. Without them the
 * firmware cannot preempt the queue's jobs mid-batch ("preemption limited"),
 * so a failure is only a warning. The secondary buffer (8-18 MiB on Intel's
 * images) is not allocated on the simulated NPU, whose firmware saves into
 * the primary one only.
 */
static void preempt_buffers(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;
	uint32_t primary = preempt_size(d), secondary = preempt_size2(d);

	if (!c->preempt_bo[0] && primary && drv_bo_create_top(c, primary, 0, &c->preempt_bo[0]))
		npu_warn(JOB, "context %u: no primary preemption buffer: preemption limited",
			 c->id);
	/* Below the primary one. */
	if (!c->preempt_bo[1] && secondary && !d->plat->simulated &&
	    drv_bo_create_top(c, secondary, primary, &c->preempt_bo[1]))
		npu_warn(JOB, "context %u: no secondary preemption buffer: preemption limited",
			 c->id);
}

static int sched_properties(struct npu_ctx *c)
{
	struct npu_jsm_set_context_sched_properties p;

	memset(&p, 0, sizeof(p));
	p.host_ssid = c->ssid;
	p.cmdq_id = NPU_HWS_CMDQ_ID;
	p.priority_band = c->priority;
	p.realtime_priority_level = 0;
	p.in_process_priority = 0;
	p.context_quantum = CTX_QUANTUM;
	p.grace_period_same_priority = CTX_GRACE_SAME;
	p.grace_period_lower_priority = CTX_GRACE_LOWER;
	return request(c->dev, NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES, &p, sizeof(p),
		       NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES_RSP);
}

/* Linux ivpu_job.c: ivpu_hws_cmdq_init, then ivpu_register_db. */
int drv_hws_ctx_register(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;
	struct npu_jsm_create_cmd_queue q;
	struct npu_jsm_hws_register_db r;
	int ret;

	preempt_buffers(c);
	if (c->cmdq_created)
		goto properties; /* a retry after a later step failed: the queue is there */
	memset(&q, 0, sizeof(q));
	q.process_id = c->owner_pid > 0 ? (uint64_t)c->owner_pid : 0;
	q.host_ssid = c->ssid;
	q.engine_idx = NPU_JSM_ENGINE_COMPUTE;
	q.cmdq_group = c->id;
	q.cmdq_id = NPU_HWS_CMDQ_ID;
	q.cmdq_base = c->jobq_va;
	q.cmdq_size = NPU_JOBQ_SIZE;
	ret = request(d, NPU_JSM_MSG_CREATE_CMD_QUEUE, &q, sizeof(q),
		      NPU_JSM_MSG_CREATE_CMD_QUEUE_RSP);
	if (ret)
		return ret;
	c->cmdq_created = true;
properties:
	ret = sched_properties(c);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.db_id = c->db_id;
	r.host_ssid = c->ssid;
	r.cmdq_id = NPU_HWS_CMDQ_ID;
	r.cmdq_base = c->jobq_va;
	r.cmdq_size = NPU_JOBQ_SIZE;
	return request(d, NPU_JSM_MSG_HWS_REGISTER_DB, &r, sizeof(r), NPU_JSM_MSG_REGISTER_DB_DONE);
}

/* Linux ivpu_job.c: ivpu_cmdq_unregister. */
void drv_hws_ctx_unregister(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;
	struct npu_jsm_destroy_cmd_queue p;
	int ret;

	if (c->db_registered) {
		c->db_registered = false;
		ret = drv_jsm_unregister_db(d, c->db_id);
		if (ret)
			npu_warn(JOB, "context %u: UNREGISTER_DB %u failed (%d)", c->id, c->db_id,
				 ret);
	}
	if (!c->cmdq_created)
		return;
	c->cmdq_created = false;
	memset(&p, 0, sizeof(p));
	p.host_ssid = c->ssid;
	p.cmdq_id = NPU_HWS_CMDQ_ID;
	ret = request(d, NPU_JSM_MSG_DESTROY_CMD_QUEUE, &p, sizeof(p),
		      NPU_JSM_MSG_DESTROY_CMD_QUEUE_RSP);
	if (ret)
		npu_warn(JOB, "context %u: DESTROY_CMD_QUEUE failed (%d)", c->id, ret);
}

/*
 * Linux ivpu_job.c: ivpu_context_abort_work_fn under HWS: the engine is
 * reset (the firmware drops what runs), the context's queue goes, the engine
 * resumes; the host aborts the context's jobs itself (drv_ctx_fault did).
 */
void drv_hws_ctx_abort(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;
	struct npu_jsm_engine_reset e = { .engine_idx = NPU_JSM_ENGINE_COMPUTE };
	int ret;

	ret = drv_jsm_engine_reset(d, NPU_JSM_ENGINE_COMPUTE);
	if (ret)
		npu_warn(JOB, "context %u: ENGINE_RESET failed (%d)", c->id, ret);
	drv_hws_ctx_unregister(c);
	ret = request(d, NPU_JSM_MSG_HWS_ENGINE_RESUME, &e, sizeof(e),
		      NPU_JSM_MSG_HWS_RESUME_ENGINE_DONE);
	if (ret) {
		/* Linux recovers the device when the engine does not come back. */
		npu_warn(JOB, "HWS_ENGINE_RESUME failed (%d): the NPU is recovered", ret);
		d->need_recovery = true;
		snprintf(d->recovery_reason, sizeof(d->recovery_reason),
			 "the engine did not resume after a context abort (%d)", ret);
	}
}

int drv_ctx_set_priority(struct npu_ctx *c, enum npu_prio prio)
{
	uint32_t old = c->priority;
	int ret;

	if ((unsigned)prio >= NPU_PRIO_COUNT)
		return -EINVAL;
	c->priority = prio;
	if (!drv_hws_on(c->dev) || !c->cmdq_created || c->dev->state != NPU_DEV_READY ||
	    old == (uint32_t)prio)
		return 0;
	ret = sched_properties(c);
	if (ret)
		c->priority = old;
	return ret;
}
