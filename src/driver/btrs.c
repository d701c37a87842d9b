/* SPDX-License-Identifier: MIT */
/*
 * The buttress (BAR4): D0i3, workpoint/PLL, IP reset, interrupt masks, fuses.
 * MTL layout for 37xx, LNL layout for 40xx (docs/hardware.md §2.1, §2.2, §3).
 */
#include <errno.h>

#include "driver/btrs.h"
#include "driver/device.h"
#include "hw/bits.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "hw/timeouts.h"
#include "util/log.h"

static bool is_mtl(const struct npu_device *d)
{
	return d->gen == NPU_GEN_37XX;
}

/*
 * Register offsets that differ only in place between the two buttress layouts.
 * The fields inside them are laid out alike (docs/hardware.md §2.1, §2.2), so the
 * MTL field masks serve both.
 */
#define BTRS(d, name) (is_mtl(d) ? NPU_BTRS_MTL_##name : NPU_BTRS_LNL_##name)

uint32_t drv_btrs_ratio_to_mhz(const struct npu_device *d, uint32_t ratio)
{
	/* Newest btrs.c with a 50 MHz reference: MTL ratio * 100 / 3, LNL ratio * 25. */
	return is_mtl(d) ? NPU_BTRS_MTL_RATIO_TO_MHZ(ratio) : NPU_BTRS_LNL_RATIO_TO_MHZ(ratio);
}

int drv_btrs_init(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t fmin = REGB_RD32(m, BTRS(d, FMIN_FUSE));
	uint32_t fmax = REGB_RD32(m, BTRS(d, FMAX_FUSE));

	if (fmin == NPU_REG_IO_ERROR || fmax == NPU_REG_IO_ERROR)
		return drv_device_fail(d, "buttress", -EIO,
				       "fuse registers read 0x%08x/0x%08x: the device does not "
				       "respond (surprise removal or a dead BAR)",
				       fmin, fmax);
	d->min_ratio = npu_field_get(NPU_BTRS_MTL_FMIN_FUSE_MIN_RATIO, fmin);
	d->pn_ratio = npu_field_get(NPU_BTRS_MTL_FMIN_FUSE_PN_RATIO, fmin);
	d->max_ratio = npu_field_get(NPU_BTRS_MTL_FMAX_FUSE_MAX_RATIO, fmax);
	if (!is_mtl(d)) {
		uint32_t tile = REGB_RD32(m, NPU_BTRS_LNL_TILE_FUSE);

		if (!(tile & NPU_BTRS_LNL_TILE_FUSE_VALID))
			return drv_device_fail(d, "buttress", -EIO,
					       "TILE_FUSE 0x%08x has no VALID bit", tile);
	}
	/*
	 * MTL workaround probe (docs/hardware.md §2.6): if writing ones does not clear
	 * INTERRUPT_STAT, this stepping clears it by writing 0.
	 */
	if (is_mtl(d)) {
		REGB_WR32(m, NPU_BTRS_MTL_INTERRUPT_STAT, NPU_BTRS_MTL_INTERRUPT_STAT_PROBE);
		d->wa_clear_irq_with_0 =
		    REGB_RD32(m, NPU_BTRS_MTL_INTERRUPT_STAT) == NPU_BTRS_MTL_INTERRUPT_STAT_PROBE;
		if (d->wa_clear_irq_with_0)
			REGB_WR32(m, NPU_BTRS_MTL_INTERRUPT_STAT, 0);
	}
	npu_dbg(PM, "fuses: min ratio %u, efficiency ratio %u, max ratio %u", d->min_ratio,
		d->pn_ratio, d->max_ratio);
	return 0;
}

/* docs/hardware.md §3.3 step 2 and §3.6 step 5: D0i3 exit and entry. */
static int d0i3_set(struct npu_device *d, bool enter)
{
	struct npu_mmio *m = &d->mmio;
	uint64_t reg = is_mtl(d) ? NPU_BTRS_MTL_VPU_D0I3_CONTROL : NPU_BTRS_LNL_D0I3_CONTROL;
	const char *step = enter ? "D0i3 entry" : "D0i3 exit";
	int ret;

	ret =
	    drv_mmio_poll32(m, NPU_PCI_BAR_REGB, reg, "D0I3_CONTROL.INPROGRESS",
			    NPU_BTRS_MTL_VPU_D0I3_CONTROL_INPROGRESS, 0, NPU_TIMEOUT_D0I3_US, NULL);
	if (ret)
		return drv_device_fail(d, step, ret, "D0I3_CONTROL stays INPROGRESS");
	if (enter)
		drv_mmio_set32(m, NPU_PCI_BAR_REGB, reg, NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3);
	else
		drv_mmio_clr32(m, NPU_PCI_BAR_REGB, reg, NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3);
	ret =
	    drv_mmio_poll32(m, NPU_PCI_BAR_REGB, reg, "D0I3_CONTROL.INPROGRESS",
			    NPU_BTRS_MTL_VPU_D0I3_CONTROL_INPROGRESS, 0, NPU_TIMEOUT_D0I3_US, NULL);
	if (ret)
		return drv_device_fail(d, step, ret, "D0I3_CONTROL stays INPROGRESS after %s I3",
				       enter ? "setting" : "clearing");
	return 0;
}

int drv_btrs_d0i3_exit(struct npu_device *d)
{
	return d0i3_set(d, false);
}

int drv_btrs_d0i3_enter(struct npu_device *d)
{
	int ret = d0i3_set(d, true);

	if (!ret)
		d->plat->ops->delay_us(d->plat, NPU_DELAY_D0I3_ENTRY_US);
	return ret;
}

/* docs/hardware.md §3.2: the workpoint request, and the PLL's answer. */
int drv_btrs_wp_drive(struct npu_device *d, bool enable)
{
	struct npu_mmio *m = &d->mmio;
	const char *step = enable ? "workpoint request" : "workpoint disable";
	uint32_t target, config, epp, cdyn = 0;
	uint64_t cmd = BTRS(d, WP_REQ_CMD);
	int ret;

	if (is_mtl(d)) {
		target = enable ? d->pn_ratio : 0;
		config =
		    enable ? NPU_BTRS_MTL_WP_CONFIG_2_TILES_4_3 : NPU_BTRS_MTL_WP_CONFIG_DISABLE;
		epp = NPU_BTRS_MTL_WP_EPP;
	} else {
		target = d->pn_ratio;
		config = NPU_BTRS_LNL_WP_CONFIG;
		epp = enable ? NPU_BTRS_LNL_WP_EPP : 0;
		cdyn = enable ? NPU_BTRS_LNL_WP_CDYN : 0;
	}
	ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, cmd, "WP_REQ_CMD.SEND",
			      NPU_BTRS_MTL_WP_REQ_CMD_SEND, 0, NPU_TIMEOUT_WP_SEND_US, NULL);
	if (ret)
		return drv_device_fail(d, step, ret, "a previous request is still pending");
	REGB_WR32(m, BTRS(d, WP_REQ_PAYLOAD0),
		  npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD0_MIN_RATIO, d->min_ratio) |
		      npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD0_MAX_RATIO, d->max_ratio));
	REGB_WR32(m, BTRS(d, WP_REQ_PAYLOAD1),
		  npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD1_TARGET_RATIO, target) |
		      npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD1_EPP, epp));
	REGB_WR32(m, BTRS(d, WP_REQ_PAYLOAD2),
		  is_mtl(d) ? config
			    : npu_field_prep(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CONFIG, config) |
				  npu_field_prep(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CDYN, cdyn));
	drv_mmio_set32(m, NPU_PCI_BAR_REGB, cmd, NPU_BTRS_MTL_WP_REQ_CMD_SEND);
	ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, cmd, "WP_REQ_CMD.SEND",
			      NPU_BTRS_MTL_WP_REQ_CMD_SEND, 0, NPU_TIMEOUT_WP_SEND_US, NULL);
	if (ret)
		return drv_device_fail(d, step, ret, "the buttress did not take the request");
	if (is_mtl(d)) {
		ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, NPU_BTRS_MTL_PLL_STATUS,
				      "PLL_STATUS.LOCK", NPU_BTRS_MTL_PLL_STATUS_LOCK,
				      enable ? NPU_BTRS_MTL_PLL_STATUS_LOCK : 0,
				      NPU_TIMEOUT_PLL_LOCK_US, NULL);
		if (ret)
			return drv_device_fail(d, step, ret, "the PLL did not %s",
					       enable ? "lock" : "unlock");
	}
	ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, BTRS(d, VPU_STATUS), "VPU_STATUS.READY",
			      NPU_BTRS_MTL_VPU_STATUS_READY,
			      enable ? NPU_BTRS_MTL_VPU_STATUS_READY : 0, NPU_TIMEOUT_VPU_READY_US,
			      NULL);
	if (ret)
		return drv_device_fail(d, step, ret, "VPU_STATUS.READY did not become %d",
				       enable ? 1 : 0);
	if (!is_mtl(d) && !enable) {
		ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, NPU_BTRS_LNL_CDYN, "CDYN",
				      NPU_BTRS_LNL_CDYN_CDYN, 0, NPU_TIMEOUT_VPU_READY_US, NULL);
		if (ret)
			return drv_device_fail(d, step, ret, "CDYN did not drop to 0");
	}
	return 0;
}

/* docs/hardware.md §3.3 step 4: LNL clock relinquish and profiling clock bits. */
int drv_btrs_lnl_setup(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t v;

	if (is_mtl(d))
		return 0;
	v = REGB_RD32(m, NPU_BTRS_LNL_VPU_STATUS);
	if (d->plat->pci.revision < NPU_PCI_REV_LNL_B0)
		v |= NPU_BTRS_LNL_VPU_STATUS_DISABLE_CLK_RELINQUISH;
	v &= ~NPU_BTRS_LNL_VPU_STATUS_PERF_CLK; /* the default 38.4 MHz perf clock */
	REGB_WR32(m, NPU_BTRS_LNL_VPU_STATUS, v);
	npu_dbg(PM, "HM_ATS 0x%08x", REGB_RD32(m, NPU_BTRS_LNL_HM_ATS));
	return 0;
}

/* docs/hardware.md §3.3 step 7 (LNL+): the buttress hands over the clock resource. */
int drv_btrs_clock_own_ack(struct npu_device *d)
{
	int ret;

	if (is_mtl(d))
		return 0;
	ret = drv_mmio_poll32(
	    &d->mmio, NPU_PCI_BAR_REGB, NPU_BTRS_LNL_VPU_STATUS,
	    "VPU_STATUS.CLOCK_RESOURCE_OWN_ACK", NPU_BTRS_LNL_VPU_STATUS_CLOCK_RESOURCE_OWN_ACK,
	    NPU_BTRS_LNL_VPU_STATUS_CLOCK_RESOURCE_OWN_ACK, NPU_TIMEOUT_CLK_RES_OWN_ACK_US, NULL);
	if (ret)
		return drv_device_fail(d, "clock resource", ret,
				       "VPU_STATUS.CLOCK_RESOURCE_OWN_ACK never set");
	return 0;
}

/* docs/hardware.md §3.3 step 10 (LNL+). */
void drv_btrs_port_arbitration(struct npu_device *d)
{
	if (is_mtl(d))
		return;
	REGB_WR32(&d->mmio, NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS,
		  NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_VAL);
	REGB_WR32(&d->mmio, NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS,
		  NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS_VAL);
}

/* docs/hardware.md §3.6 step 3. */
int drv_btrs_ip_reset(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint64_t reg = is_mtl(d) ? NPU_BTRS_MTL_VPU_IP_RESET : NPU_BTRS_LNL_IP_RESET;
	int ret;

	if (!is_mtl(d))
		drv_mmio_set32(m, NPU_PCI_BAR_REGB, NPU_BTRS_LNL_VPU_STATUS,
			       NPU_BTRS_LNL_VPU_STATUS_DISABLE_CLK_RELINQUISH);
	ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, reg, "IP_RESET.TRIGGER",
			      NPU_BTRS_MTL_VPU_IP_RESET_TRIGGER, 0, NPU_TIMEOUT_IP_RESET_US, NULL);
	if (ret)
		return drv_device_fail(d, "IP reset", ret, "a previous reset is still pending");
	drv_mmio_set32(m, NPU_PCI_BAR_REGB, reg, NPU_BTRS_MTL_VPU_IP_RESET_TRIGGER);
	ret = drv_mmio_poll32(m, NPU_PCI_BAR_REGB, reg, "IP_RESET.TRIGGER",
			      NPU_BTRS_MTL_VPU_IP_RESET_TRIGGER, 0, NPU_TIMEOUT_IP_RESET_US, NULL);
	if (ret)
		return drv_device_fail(d, "IP reset", ret, "IP_RESET.TRIGGER did not self-clear");
	return 0;
}

/* docs/hardware.md §2.6: enable unmasks the error sources, then the global mask. */
void drv_btrs_irq_enable(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;

	REGB_WR32(m, BTRS(d, LOCAL_INT_MASK),
		  ~(is_mtl(d) ? NPU_BTRS_MTL_IRQ_MASK : NPU_BTRS_LNL_IRQ_MASK));
	REGB_WR32(m, BTRS(d, GLOBAL_INT_MASK), NPU_BTRS_MTL_GLOBAL_INT_MASK_ON);
}

void drv_btrs_irq_disable(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;

	REGB_WR32(m, BTRS(d, GLOBAL_INT_MASK), NPU_BTRS_MTL_GLOBAL_INT_MASK_OFF);
	REGB_WR32(m, BTRS(d, LOCAL_INT_MASK), NPU_BTRS_MTL_LOCAL_INT_MASK_ALL);
}

uint32_t drv_btrs_vpu_status(struct npu_device *d)
{
	return REGB_RD32(&d->mmio, BTRS(d, VPU_STATUS));
}

/* VPU_STATUS READY and IDLE, the same bits on MTL and LNL: Linux ivpu_hw_is_idle. */
/* NOLINTBEGIN(misc-redundant-expression): that they are equal is the point */
_Static_assert(NPU_BTRS_MTL_VPU_STATUS_READY == NPU_BTRS_LNL_VPU_STATUS_READY &&
		   NPU_BTRS_MTL_VPU_STATUS_IDLE == NPU_BTRS_LNL_VPU_STATUS_IDLE,
	       "VPU_STATUS bits");
/* NOLINTEND(misc-redundant-expression) */

bool drv_btrs_idle(struct npu_device *d)
{
	const uint32_t want = NPU_BTRS_LNL_VPU_STATUS_READY | NPU_BTRS_LNL_VPU_STATUS_IDLE;

	return (drv_btrs_vpu_status(d) & want) == want;
}

uint32_t drv_btrs_pll_ratio(struct npu_device *d)
{
	return REGB_RD32(&d->mmio, is_mtl(d) ? NPU_BTRS_MTL_CURRENT_PLL : NPU_BTRS_LNL_PLL_FREQ) &
	       0xFFFFu;
}
