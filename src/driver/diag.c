/* SPDX-License-Identifier: MIT */
#include "driver/btrs.h"
#include "driver/diag.h"

#include "driver/device.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "hw/regs_mmu.h"

struct reg_desc {
	const char *name;
	unsigned bar;
	uint32_t off37, off40; /* NONE: not on that generation */
};

#define NONE UINT32_MAX /* not on this generation */
#define B    NPU_PCI_BAR_REGB
#define V    NPU_PCI_BAR_REGV
static const struct reg_desc regs[] = {
	{ "VPU_STATUS", B, NPU_BTRS_MTL_VPU_STATUS, NPU_BTRS_LNL_VPU_STATUS },
	{ "D0I3_CONTROL", B, NPU_BTRS_MTL_VPU_D0I3_CONTROL, NPU_BTRS_LNL_D0I3_CONTROL },
	{ "WP_REQ_CMD", B, NPU_BTRS_MTL_WP_REQ_CMD, NPU_BTRS_LNL_WP_REQ_CMD },
	{ "PLL_STATUS", B, NPU_BTRS_MTL_PLL_STATUS, NONE },
	{ "CURRENT_PLL/PLL_FREQ", B, NPU_BTRS_MTL_CURRENT_PLL, NPU_BTRS_LNL_PLL_FREQ },
	{ "IP_RESET", B, NPU_BTRS_MTL_VPU_IP_RESET, NPU_BTRS_LNL_IP_RESET },
	{ "INTERRUPT_STAT", B, NPU_BTRS_MTL_INTERRUPT_STAT, NPU_BTRS_LNL_INTERRUPT_STAT },
	{ "LOCAL_INT_MASK", B, NPU_BTRS_MTL_LOCAL_INT_MASK, NPU_BTRS_LNL_LOCAL_INT_MASK },
	{ "GLOBAL_INT_MASK", B, NPU_BTRS_MTL_GLOBAL_INT_MASK, NPU_BTRS_LNL_GLOBAL_INT_MASK },
	{ "AON_PWR_ISLAND_STATUS0", V, NPU_37XX_AON_PWR_ISLAND_STATUS0,
	  NPU_40XX_AON_PWR_ISLAND_STATUS0 },
	{ "AON_PWR_ISO_EN0", V, NPU_37XX_AON_PWR_ISO_EN0, NPU_40XX_AON_PWR_ISO_EN0 },
	{ "HOST_SS_NOC_QACCEPTN", V, NPU_37XX_HOST_SS_NOC_QACCEPTN, NPU_40XX_HOST_SS_NOC_QACCEPTN },
	{ "TOP_NOC_QACCEPTN", V, NPU_37XX_TOP_NOC_QACCEPTN, NPU_40XX_TOP_NOC_QACCEPTN },
	{ "ICB_STATUS_0", V, NPU_37XX_HOST_SS_ICB_STATUS_0, NPU_37XX_HOST_SS_ICB_STATUS_0 },
	{ "ICB_STATUS_1", V, NPU_37XX_HOST_SS_ICB_STATUS_1, NPU_37XX_HOST_SS_ICB_STATUS_1 },
	{ "TIM_IPC_FIFO_STAT", V, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT,
	  NPU_40XX_HOST_SS_TIM_IPC_FIFO_STAT },
	{ "MMU_CR0", V, NPU_MMU_CR0, NPU_MMU_CR0 },
	{ "MMU_GERROR", V, NPU_MMU_GERROR, NPU_MMU_GERROR },
};

#undef B
#undef V

size_t drv_diag_snapshot(struct npu_device *d, struct npu_reg_value *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]) && n < max; i++) {
		uint32_t off = d->gen == NPU_GEN_37XX ? regs[i].off37 : regs[i].off40;

		if (off == NONE)
			continue;
		out[n].name = regs[i].name;
		out[n].bar = regs[i].bar;
		out[n].offset = off;
		out[n].value = drv_mmio_read32(&d->mmio, regs[i].bar, off);
		n++;
	}
	return n;
}

void drv_diag_pll(struct npu_device *d, uint32_t *ratio, uint32_t *mhz)
{
	*ratio = drv_btrs_pll_ratio(d);
	*mhz = drv_btrs_ratio_to_mhz(d, *ratio);
}
