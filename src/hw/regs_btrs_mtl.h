/* SPDX-License-Identifier: MIT */
/*
 * npud - buttress registers of MTL/ARL (37xx), BAR4 "RegB" (docs/hardware.md §2.1).
 *
 * All registers are 32-bit and little-endian; offsets are from the start of BAR4.
 * Fields are masks for npu_field_get()/npu_field_prep() (bits.h).
 */
#ifndef NPU_HW_REGS_BTRS_MTL_H
#define NPU_HW_REGS_BTRS_MTL_H

#include <stdint.h>

#include "bits.h"

/* docs/hardware.md §2.1 */
#define NPU_BTRS_MTL_INTERRUPT_TYPE 0x00u /* not used */

#define NPU_BTRS_MTL_INTERRUPT_STAT		0x04u
#define NPU_BTRS_MTL_INTERRUPT_STAT_FREQ_CHANGE NPU_BIT(0)
#define NPU_BTRS_MTL_INTERRUPT_STAT_ATS_ERR	NPU_BIT(1)
#define NPU_BTRS_MTL_INTERRUPT_STAT_UFI_ERR	NPU_BIT(2)

#define NPU_BTRS_MTL_WP_REQ_PAYLOAD0	       0x08u
#define NPU_BTRS_MTL_WP_REQ_PAYLOAD0_MIN_RATIO NPU_GENMASK(15, 0)
#define NPU_BTRS_MTL_WP_REQ_PAYLOAD0_MAX_RATIO NPU_GENMASK(31, 16)

#define NPU_BTRS_MTL_WP_REQ_PAYLOAD1		  0x0Cu
#define NPU_BTRS_MTL_WP_REQ_PAYLOAD1_TARGET_RATIO NPU_GENMASK(15, 0)
#define NPU_BTRS_MTL_WP_REQ_PAYLOAD1_EPP	  NPU_GENMASK(31, 16)

#define NPU_BTRS_MTL_WP_REQ_PAYLOAD2	    0x10u
#define NPU_BTRS_MTL_WP_REQ_PAYLOAD2_CONFIG NPU_GENMASK(15, 0)

/* SEND is set by the host and cleared by hardware when the request is done. */
#define NPU_BTRS_MTL_WP_REQ_CMD	     0x14u
#define NPU_BTRS_MTL_WP_REQ_CMD_SEND NPU_BIT(0)

#define NPU_BTRS_MTL_WP_DOWNLOAD	      0x18u
#define NPU_BTRS_MTL_WP_DOWNLOAD_TARGET_RATIO NPU_GENMASK(15, 0)

#define NPU_BTRS_MTL_CURRENT_PLL       0x1Cu
#define NPU_BTRS_MTL_CURRENT_PLL_RATIO NPU_GENMASK(15, 0)

#define NPU_BTRS_MTL_PLL_ENABLE 0x20u /* not used */

#define NPU_BTRS_MTL_FMIN_FUSE		 0x24u
#define NPU_BTRS_MTL_FMIN_FUSE_MIN_RATIO NPU_GENMASK(7, 0)
#define NPU_BTRS_MTL_FMIN_FUSE_PN_RATIO	 NPU_GENMASK(15, 8) /* efficiency point */

#define NPU_BTRS_MTL_FMAX_FUSE		 0x28u
#define NPU_BTRS_MTL_FMAX_FUSE_MAX_RATIO NPU_GENMASK(7, 0)

/* Not read on MTL: the driver hard-codes NPU_BTRS_MTL_TILE_FUSE_DEFAULT and NPU_BTRS_MTL_SKU. */
#define NPU_BTRS_MTL_TILE_FUSE	     0x2Cu
#define NPU_BTRS_MTL_TILE_FUSE_VALID NPU_BIT(0)
#define NPU_BTRS_MTL_TILE_FUSE_SKU   NPU_GENMASK(3, 2)

/* 1 = masked. */
#define NPU_BTRS_MTL_LOCAL_INT_MASK 0x30u
/* 1 = all buttress-routed interrupts off, 0 = on. */
#define NPU_BTRS_MTL_GLOBAL_INT_MASK 0x34u

#define NPU_BTRS_MTL_PLL_STATUS	     0x40u
#define NPU_BTRS_MTL_PLL_STATUS_LOCK NPU_BIT(1)

#define NPU_BTRS_MTL_VPU_STATUS	      0x44u
#define NPU_BTRS_MTL_VPU_STATUS_READY NPU_BIT(0)
#define NPU_BTRS_MTL_VPU_STATUS_IDLE  NPU_BIT(1)

#define NPU_BTRS_MTL_VPU_IP_RESET	  0x50u
#define NPU_BTRS_MTL_VPU_IP_RESET_TRIGGER NPU_BIT(0) /* self-clearing */

#define NPU_BTRS_MTL_VPU_D0I3_CONTROL		 0x60u
#define NPU_BTRS_MTL_VPU_D0I3_CONTROL_INPROGRESS NPU_BIT(0)
#define NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3	 NPU_BIT(2) /* 1 = request D0i3 */

/* Copied into the boot parameters (boot_params.h). */
#define NPU_BTRS_MTL_VPU_TELEMETRY_OFFSET 0x80u
#define NPU_BTRS_MTL_VPU_TELEMETRY_SIZE	  0x84u
#define NPU_BTRS_MTL_VPU_TELEMETRY_ENABLE 0x88u

/* LOG_0/LOG_1 are read as one 64-bit value. */
#define NPU_BTRS_MTL_ATS_ERR_LOG_0 0xA0u
#define NPU_BTRS_MTL_ATS_ERR_LOG_1 0xA4u
#define NPU_BTRS_MTL_ATS_ERR_CLEAR 0xA8u /* write 1 */

#define NPU_BTRS_MTL_UFI_ERR_LOG	0xB0u
#define NPU_BTRS_MTL_UFI_ERR_LOG_CQ_ID	NPU_GENMASK(11, 0)
#define NPU_BTRS_MTL_UFI_ERR_LOG_AXI_ID NPU_GENMASK(19, 12)
#define NPU_BTRS_MTL_UFI_ERR_LOG_OPCODE NPU_GENMASK(24, 20)
#define NPU_BTRS_MTL_UFI_ERR_CLEAR	0xB4u /* write 1 */

/*
 * Interrupts the driver enables (docs/hardware.md §2.1, §2.6): ATS_ERR and UFI_ERR.
 * Enable writes ~mask to LOCAL_INT_MASK, disable writes all-ones.
 */
#define NPU_BTRS_MTL_IRQ_MASK \
	(NPU_BTRS_MTL_INTERRUPT_STAT_ATS_ERR | NPU_BTRS_MTL_INTERRUPT_STAT_UFI_ERR) /* 0x6 */
#define NPU_BTRS_MTL_LOCAL_INT_MASK_ALL	 0xFFFFFFFFu
#define NPU_BTRS_MTL_GLOBAL_INT_MASK_OFF 1u
#define NPU_BTRS_MTL_GLOBAL_INT_MASK_ON	 0u

/*
 * interrupt_clear_with_0 workaround probe (docs/hardware.md §2.6): write this to INTERRUPT_STAT;
 * if it reads back unchanged, the register is cleared by writing 0 instead of the status.
 */
#define NPU_BTRS_MTL_INTERRUPT_STAT_PROBE 0x7u

/* Workpoint payload values (docs/hardware.md §3.2). */
#define NPU_BTRS_MTL_WP_CONFIG_2_TILES_4_3 0x0202u /* 2 tiles, 4/3 ratio (enable) */
#define NPU_BTRS_MTL_WP_CONFIG_DISABLE	   0u
#define NPU_BTRS_MTL_WP_EPP		   0x80u /* always */

/* Constants the driver uses instead of reading TILE_FUSE (docs/hardware.md §2.1). */
#define NPU_BTRS_MTL_TILE_FUSE_DEFAULT 0u /* both tiles enabled */
#define NPU_BTRS_MTL_SKU	       0x3630u

/* PLL ratio to MHz, newest btrs.c (docs/hardware.md §3.2; older kernels differ). */
#define NPU_BTRS_MTL_RATIO_TO_MHZ(ratio) (100u * (uint32_t)(ratio) / 3u)

#endif /* NPU_HW_REGS_BTRS_MTL_H */
