/* SPDX-License-Identifier: MIT */
/*
 * Power management beyond boot and power-down: the duty-cycle (DCT) requests PCODE
 * raises on Lunar Lake and later (docs/hardware.md §2.2, docs/firmware-protocol.md §6.3;
 * Linux ivpu_pm.c: ivpu_pm_irq_dct_work_fn, ivpu_hw_btrs.c: ivpu_hw_btrs_dct_get_request,
 * ivpu_hw_btrs_dct_set_status).
 */
#include <errno.h>

#include "driver/device.h"
#include "driver/jsm.h"
#include "hw/regs_btrs_lnl.h"
#include "util/log.h"

/* The active share in U1.7 fixed point, as kernels since Oct 2025 write it: 30 % is 38. */
static uint32_t percent_u1_7(uint32_t percent)
{
	return (percent * 128u + 50u) / 100u;
}

int npu_pm_dct_service(struct npu_device *d)
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

		ret = npu_jsm_dct_enable(d, active, NPU_BTRS_LNL_DCT_PERIOD_US - active);
		if (!ret)
			d->dct_active_percent = (uint8_t)percent;
	} else {
		ret = npu_jsm_dct_disable(d);
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
