/* SPDX-License-Identifier: MIT */
/*
 * Power management beyond boot and power-down: runtime suspend with the D0i3 entry
 * message, so that the next boot is warm (docs/hardware.md §3.6, docs/boot-params.md;
 * Linux ivpu_pm.c: ivpu_pm_runtime_suspend_cb, ivpu_jsm_msg.c: ivpu_jsm_pwr_d0i3_enter),
 * and the duty-cycle (DCT) requests PCODE
 * raises on Lunar Lake and later (docs/hardware.md §2.2, docs/firmware-protocol.md §6.3;
 * Linux ivpu_pm.c: ivpu_pm_irq_dct_work_fn, ivpu_hw_btrs.c: ivpu_hw_btrs_dct_get_request,
 * ivpu_hw_btrs_dct_set_status).
 */
#include <errno.h>

#include "platform/barrier.h"
#include "driver/boot.h"
#include "driver/btrs.h"
#include "driver/device.h"
#include "driver/fw_load.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "driver/pm.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/timeouts.h"
#include "util/log.h"

/* The active share in U1.7 fixed point, as kernels since Oct 2025 write it: 30 % is 38. */
static uint32_t percent_u1_7(uint32_t percent)
{
	return (percent * 128u + 50u) / 100u;
}

int drv_pm_dct_service(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t req, status, percent = NPU_BTRS_LNL_DCT_DEFAULT_ACTIVE_PERCENT;
	bool enable;
	int ret;

	d->dct_pending = false;
	if (d->gen == NPU_GEN_37XX)
		return 0; /* no PCODE mailbox on the MTL buttress */
	req = REGB_RD32(m, NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW);
	if (npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_CMD, req) !=
	    NPU_BTRS_LNL_PCODE_CMD_DCT_REQ) {
		npu_dbg(PM, "survivability interrupt without a DCT request (mailbox 0x%08x)", req);
		return 0;
	}
	enable = npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_PARAM1, req) ==
		 NPU_BTRS_LNL_PCODE_DCT_ENABLE;
	if (enable) {
		uint32_t active = NPU_BTRS_LNL_DCT_PERIOD_US * percent / 100u;

		ret = drv_jsm_dct_enable(d, active, NPU_BTRS_LNL_DCT_PERIOD_US - active);
		if (!ret)
			d->dct_active_percent = (uint8_t)percent;
	} else {
		ret = drv_jsm_dct_disable(d);
		if (!ret)
			d->dct_active_percent = 0;
	}
	if (ret) {
		npu_warn(PM, "DCT %s request not answered: the firmware refused it (%d)",
			 enable ? "enable" : "disable", ret);
		return ret;
	}
	status =
	    npu_field_prep(NPU_BTRS_LNL_PCODE_MAILBOX_STATUS_CMD, NPU_BTRS_LNL_PCODE_CMD_DCT_REQ) |
	    npu_field_prep(NPU_BTRS_LNL_PCODE_MAILBOX_STATUS_PARAM1,
			   enable ? NPU_BTRS_LNL_PCODE_DCT_ENABLE
				  : NPU_BTRS_LNL_PCODE_DCT_DISABLE) |
	    npu_field_prep(NPU_BTRS_LNL_PCODE_MAILBOX_STATUS_PARAM2,
			   percent_u1_7(d->dct_active_percent));
	REGB_WR32(m, NPU_BTRS_LNL_PCODE_MAILBOX_STATUS, status);
	npu_info(PM, "DCT %s (%u%% active)", enable ? "on" : "off", d->dct_active_percent);
	return 0;
}

/* Linux ivpu_hw_wait_for_idle: the firmware goes idle after PWR_D0I3_ENTER_DONE. */
static int wait_idle(struct npu_device *d)
{
	uint32_t us =
	    d->d0i3_timeout_us > NPU_TIMEOUT_IDLE_US ? d->d0i3_timeout_us : NPU_TIMEOUT_IDLE_US;
	uint64_t end = npu_now_ns(d->plat) + (uint64_t)us * 1000u;

	while (!drv_btrs_idle(d)) {
		if (npu_now_ns(d->plat) >= end)
			return -ETIMEDOUT;
		d->plat->ops->delay_us(d->plat, 10);
	}
	return 0;
}

int drv_device_suspend(struct npu_device *d)
{
	bool idle, msg_ok = false;
	uint64_t restore;
	int ret;

	if (d->state == NPU_DEV_OFF)
		return 0;
	if (d->state != NPU_DEV_READY)
		return drv_device_power_down(d);
	if (drv_ctx_any_queued(d))
		return -EBUSY;
	idle = drv_btrs_idle(d);
	if (!idle)
		npu_warn(PM, "the NPU is not idle before suspend (VPU_STATUS 0x%08x)",
			 drv_btrs_vpu_status(d));
	if (drv_fw_d0i3_msg_supported(&d->fw)) {
		ret = drv_jsm_pwr_d0i3_enter(d);
		if (!ret)
			ret = wait_idle(d);
		if (ret)
			npu_warn(PM, "D0i3 entry failed (%d): the next boot is cold", ret);
		msg_ok = !ret;
	}
	ret = drv_device_power_off(d, true);
	d->suspends++;
	npu_dma_rmb(); /* the firmware wrote its restore entry before its reply */
	restore = d->fw_mem_kept ? drv_fw_restore_address(d) : 0;
	if (!ret && idle && msg_ok && restore) {
		d->warm_entry = restore; /* Linux ivpu_pm_prepare_warm_boot */
		npu_info(PM, "suspended; the next boot is warm, from 0x%llx",
			 (unsigned long long)restore);
		return 0;
	}
	/* Linux ivpu_pm_prepare_cold_boot: nothing of this firmware is used again. */
	d->warm_entry = 0;
	drv_device_power_off(d, false);
	npu_info(PM, "suspended; the next boot is cold");
	return ret;
}
