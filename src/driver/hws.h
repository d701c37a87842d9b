/* SPDX-License-Identifier: MIT */
/*
 * Hardware scheduling (HWS) beside OS scheduling (docs/firmware-protocol.md
 * §2.5, §3.8): the mode chosen per boot as Linux ivpu_fw.c:
 * ivpu_fw_sched_mode_select does, the priority bands set up after each cold
 * boot, and per context a command queue with its scheduling properties and
 * doorbell (Linux ivpu_job.c: ivpu_cmdq_register, ivpu_cmdq_unregister).
 */
#ifndef NPU_DRIVER_HWS_H
#define NPU_DRIVER_HWS_H

#include <stdbool.h>
#include <stdint.h>

struct npu_device;
struct npu_ctx;
struct npu_boot_params;

/* What the user asked for (npu_device_config.sched). */
enum npu_sched_req {
	NPU_SCHED_AUTO = 0, /* as Linux: HWS when the firmware's JSM API is 3.24 or newer */
	NPU_SCHED_OS,
	NPU_SCHED_HWS,
};

/* A context's priority: the HWS priority band (vpu_jsm_api.h; Linux job priority - 1). */
enum npu_prio {
	NPU_PRIO_IDLE = 0,
	NPU_PRIO_NORMAL = 1,
	NPU_PRIO_FOCUS = 2,
	NPU_PRIO_REALTIME = 3,
};
#define NPU_PRIO_COUNT 4u

/* The command queue id the driver gives each context's one queue (Linux: 1..255 per file). */
#define NPU_HWS_CMDQ_ID 1u

/* Parses "auto", "os", "hws" (-EINVAL otherwise). */
int drv_sched_parse(const char *s, enum npu_sched_req *out);
/* "os" or "hws" for a boot parameter mode. */
const char *drv_sched_name(uint32_t mode);
/* "idle", "normal", "focus", "realtime"; "?" for anything else. */
const char *drv_prio_name(uint32_t prio);

/* At open: the boot parameter vpu_scheduling_mode for this generation, firmware and request. */
uint32_t drv_hws_select(const struct npu_device *d, enum npu_sched_req req);
/* The boot parameters of the chosen mode (vpu_scheduling_mode, vpu_focus_present_timer_ms). */
void drv_hws_boot_params(const struct npu_device *d, struct npu_boot_params *bp);
/* After READY in HWS mode: SET_PRIORITY_BAND_SETUP with Linux's values. */
int drv_hws_boot_setup(struct npu_device *d);

/* Whether the device runs hardware scheduling this boot. */
bool drv_hws_on(const struct npu_device *d);
/*
 * HWS: CREATE_CMD_QUEUE, SET_CONTEXT_SCHED_PROPERTIES (the context's band)
 * and HWS_REGISTER_DB of c->db_id, the preemption buffer allocated first.
 */
int drv_hws_ctx_register(struct npu_ctx *c);
/* HWS: UNREGISTER_DB and DESTROY_CMD_QUEUE (both best effort; errors logged). */
void drv_hws_ctx_unregister(struct npu_ctx *c);
/* HWS context abort (Linux ivpu_context_abort_work_fn): ENGINE_RESET, unregister, ENGINE_RESUME. */
void drv_hws_ctx_abort(struct npu_ctx *c);
/*
 * Sets the context's priority; in HWS mode with its queue registered, a
 * SET_CONTEXT_SCHED_PROPERTIES tells the firmware at once. Under OS
 * scheduling the priority is kept (and reported) but does not order jobs.
 */
int drv_ctx_set_priority(struct npu_ctx *c, enum npu_prio prio);

#endif
