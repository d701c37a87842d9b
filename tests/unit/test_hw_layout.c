/* SPDX-License-Identifier: MIT */
/*
 * The register and constant headers of src/hw/ (docs/hardware.md §1, §2, §5):
 * PCI IDs, buttress, IP and MMU registers, timeouts, checked at compile time.
 * The two buttress blocks are laid out here as register files, one u32 per
 * register in the order and with the gaps of Linux ivpu_hw_btrs_mtl_reg.h and
 * ivpu_hw_btrs_lnl_reg.h, and the compiler's offsets are compared with the
 * macros; the sparse IP and MMU registers, bits and values are the numbers of
 * Linux ivpu_hw_37xx_reg.h, ivpu_hw_40xx_reg.h and ivpu_mmu.c, with the
 * relations between them (doorbell stride, the 40xx CPU_SS move, the ICB
 * enable value from its bits) stated as such. Firmware header and boot
 * parameters are in test_hw_layout_boot.c, the messages in
 * test_hw_layout_msgs.c.
 *
 * At run time only what computes: the field helpers of bits.h on registers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/bits.h"
#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "hw/regs_mmu.h"
#include "hw/timeouts.h"

#define CHECK(expr) _Static_assert(expr, #expr)
/* Register macro m at the offset of field f of register file s. */
#define AT(s, f, m) _Static_assert(offsetof(struct s, f) == (m), #m " is " #s "." #f)

/* ---- bits.h ---- */

CHECK(NPU_BIT(0) == 0x1u && NPU_BIT(31) == 0x80000000u);
CHECK(NPU_GENMASK(0, 0) == 0x1u && NPU_GENMASK(31, 0) == 0xFFFFFFFFu);
CHECK(NPU_GENMASK(23, 16) == 0x00FF0000u && NPU_GENMASK(31, 29) == 0xE0000000u);
CHECK(NPU_BIT64(62) == 0x4000000000000000ull && NPU_GENMASK64(63, 0) == UINT64_MAX);
CHECK(NPU_GENMASK64(51, 6) == 0x000FFFFFFFFFFFC0ull);
CHECK(NPU_GENMASK64(63, 48) == 0xFFFF000000000000ull);
CHECK(NPU_SZ_MIB(64) == 0x04000000ull && NPU_SZ_GIB(256) == 0x4000000000ull);

/* ---- PCI (docs/hardware.md §1; Linux ivpu_drv.h, ivpu_drv.c) ---- */

CHECK(NPU_PCI_VENDOR_INTEL == 0x8086 && NPU_PCI_CLASS_ACCEL == 0x1200);
CHECK(NPU_PCI_DEVICE_MTL == 0x7D1D && NPU_PCI_DEVICE_ARL == 0xAD1D);
CHECK(NPU_PCI_DEVICE_LNL == 0x643E && NPU_PCI_DEVICE_PTL_P == 0xB03E);
CHECK(NPU_PCI_DEVICE_WCL == 0xFD3E && NPU_PCI_DEVICE_NVL == 0xD71D);
CHECK(NPU_PCI_BAR_REGV == 0 && NPU_PCI_BAR_REGB == 4);
CHECK(NPU_DMA_BITS_37XX == 38 && NPU_DMA_BITS_40XX == 48 && NPU_PCI_REV_LNL_B0 == 4);

/* ---- buttress, MTL (docs/hardware.md §2.1) ---- */

struct btrs_mtl {
	uint32_t interrupt_type, interrupt_stat;
	uint32_t wp_req_payload0, wp_req_payload1, wp_req_payload2, wp_req_cmd;
	uint32_t wp_download, current_pll, pll_enable;
	uint32_t fmin_fuse, fmax_fuse, tile_fuse;
	uint32_t local_int_mask, global_int_mask;
	uint32_t gap_38[2];
	uint32_t pll_status, vpu_status;
	uint32_t gap_48[2];
	uint32_t vpu_ip_reset;
	uint32_t gap_54[3];
	uint32_t vpu_d0i3_control;
	uint32_t gap_64[7];
	uint32_t vpu_telemetry_offset, vpu_telemetry_size, vpu_telemetry_enable;
	uint32_t gap_8c[5];
	uint32_t ats_err_log_0, ats_err_log_1, ats_err_clear;
	uint32_t gap_ac;
	uint32_t ufi_err_log, ufi_err_clear;
};

AT(btrs_mtl, interrupt_type, NPU_BTRS_MTL_INTERRUPT_TYPE);
AT(btrs_mtl, interrupt_stat, NPU_BTRS_MTL_INTERRUPT_STAT);
AT(btrs_mtl, wp_req_payload0, NPU_BTRS_MTL_WP_REQ_PAYLOAD0);
AT(btrs_mtl, wp_req_payload1, NPU_BTRS_MTL_WP_REQ_PAYLOAD1);
AT(btrs_mtl, wp_req_payload2, NPU_BTRS_MTL_WP_REQ_PAYLOAD2);
AT(btrs_mtl, wp_req_cmd, NPU_BTRS_MTL_WP_REQ_CMD);
AT(btrs_mtl, wp_download, NPU_BTRS_MTL_WP_DOWNLOAD);
AT(btrs_mtl, current_pll, NPU_BTRS_MTL_CURRENT_PLL);
AT(btrs_mtl, pll_enable, NPU_BTRS_MTL_PLL_ENABLE);
AT(btrs_mtl, fmin_fuse, NPU_BTRS_MTL_FMIN_FUSE);
AT(btrs_mtl, fmax_fuse, NPU_BTRS_MTL_FMAX_FUSE);
AT(btrs_mtl, tile_fuse, NPU_BTRS_MTL_TILE_FUSE);
AT(btrs_mtl, local_int_mask, NPU_BTRS_MTL_LOCAL_INT_MASK);
AT(btrs_mtl, global_int_mask, NPU_BTRS_MTL_GLOBAL_INT_MASK);
AT(btrs_mtl, pll_status, NPU_BTRS_MTL_PLL_STATUS);
AT(btrs_mtl, vpu_status, NPU_BTRS_MTL_VPU_STATUS);
AT(btrs_mtl, vpu_ip_reset, NPU_BTRS_MTL_VPU_IP_RESET);
AT(btrs_mtl, vpu_d0i3_control, NPU_BTRS_MTL_VPU_D0I3_CONTROL);
AT(btrs_mtl, vpu_telemetry_offset, NPU_BTRS_MTL_VPU_TELEMETRY_OFFSET);
AT(btrs_mtl, vpu_telemetry_size, NPU_BTRS_MTL_VPU_TELEMETRY_SIZE);
AT(btrs_mtl, vpu_telemetry_enable, NPU_BTRS_MTL_VPU_TELEMETRY_ENABLE);
AT(btrs_mtl, ats_err_log_0, NPU_BTRS_MTL_ATS_ERR_LOG_0);
AT(btrs_mtl, ats_err_log_1, NPU_BTRS_MTL_ATS_ERR_LOG_1);
AT(btrs_mtl, ats_err_clear, NPU_BTRS_MTL_ATS_ERR_CLEAR);
AT(btrs_mtl, ufi_err_log, NPU_BTRS_MTL_UFI_ERR_LOG);
AT(btrs_mtl, ufi_err_clear, NPU_BTRS_MTL_UFI_ERR_CLEAR);

/* Enabled interrupts ATS_ERR (b1), UFI_ERR (b2); LOCAL_INT_MASK is written with ~0x6. */
CHECK(NPU_BTRS_MTL_IRQ_MASK == (NPU_BIT(1) | NPU_BIT(2)));
CHECK((uint32_t)~NPU_BTRS_MTL_IRQ_MASK == 0xFFFFFFF9u);
CHECK(NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3 == NPU_BIT(2));
CHECK(NPU_BTRS_MTL_PLL_STATUS_LOCK == NPU_BIT(1));
CHECK(NPU_BTRS_MTL_SKU == 0x3630 && NPU_BTRS_MTL_WP_EPP == 0x80);
CHECK(NPU_BTRS_MTL_WP_CONFIG_2_TILES_4_3 == 0x0202);

/* ---- buttress, LNL (docs/hardware.md §2.2) ---- */

struct btrs_lnl {
	uint32_t interrupt_stat, local_int_mask, global_int_mask, hm_ats;
	uint32_t ats_err_log1, ats_err_log2, ats_err_clear;
	uint32_t cfi0_err_log, cfi0_err_clear;
	uint32_t port_arbitration_weights_ats;
	uint32_t gap_028[6];
	uint32_t cfi1_err_log, cfi1_err_clear;
	uint32_t imr_err_cfi0_low, imr_err_cfi0_high, imr_err_cfi0_clear;
	uint32_t port_arbitration_weights;
	uint32_t imr_err_cfi1_low, imr_err_cfi1_high, imr_err_cfi1_clear;
	uint32_t gap_064[3];
	uint32_t pcode_mailbox_status, pcode_mailbox_shadow;
	uint32_t gap_078[46];
	uint32_t wp_req_payload0, wp_req_payload1, wp_req_payload2, wp_req_cmd;
	uint32_t gap_140[2];
	uint32_t pll_freq, cdyn, tile_fuse, vpu_status;
	uint32_t gap_158[2];
	uint32_t ip_reset, d0i3_control;
	uint32_t vpu_telemetry_offset, vpu_telemetry_size, vpu_telemetry_enable;
	uint32_t fmin_fuse, fmax_fuse;
};

AT(btrs_lnl, interrupt_stat, NPU_BTRS_LNL_INTERRUPT_STAT);
AT(btrs_lnl, local_int_mask, NPU_BTRS_LNL_LOCAL_INT_MASK);
AT(btrs_lnl, global_int_mask, NPU_BTRS_LNL_GLOBAL_INT_MASK);
AT(btrs_lnl, hm_ats, NPU_BTRS_LNL_HM_ATS);
AT(btrs_lnl, ats_err_log1, NPU_BTRS_LNL_ATS_ERR_LOG1);
AT(btrs_lnl, ats_err_log2, NPU_BTRS_LNL_ATS_ERR_LOG2);
AT(btrs_lnl, ats_err_clear, NPU_BTRS_LNL_ATS_ERR_CLEAR);
AT(btrs_lnl, cfi0_err_log, NPU_BTRS_LNL_CFI0_ERR_LOG);
AT(btrs_lnl, cfi0_err_clear, NPU_BTRS_LNL_CFI0_ERR_CLEAR);
AT(btrs_lnl, port_arbitration_weights_ats, NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS);
AT(btrs_lnl, cfi1_err_log, NPU_BTRS_LNL_CFI1_ERR_LOG);
AT(btrs_lnl, cfi1_err_clear, NPU_BTRS_LNL_CFI1_ERR_CLEAR);
AT(btrs_lnl, imr_err_cfi0_low, NPU_BTRS_LNL_IMR_ERR_CFI0_LOW);
AT(btrs_lnl, imr_err_cfi0_high, NPU_BTRS_LNL_IMR_ERR_CFI0_HIGH);
AT(btrs_lnl, imr_err_cfi0_clear, NPU_BTRS_LNL_IMR_ERR_CFI0_CLEAR);
AT(btrs_lnl, port_arbitration_weights, NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS);
AT(btrs_lnl, imr_err_cfi1_low, NPU_BTRS_LNL_IMR_ERR_CFI1_LOW);
AT(btrs_lnl, imr_err_cfi1_high, NPU_BTRS_LNL_IMR_ERR_CFI1_HIGH);
AT(btrs_lnl, imr_err_cfi1_clear, NPU_BTRS_LNL_IMR_ERR_CFI1_CLEAR);
AT(btrs_lnl, pcode_mailbox_status, NPU_BTRS_LNL_PCODE_MAILBOX_STATUS);
AT(btrs_lnl, pcode_mailbox_shadow, NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW);
AT(btrs_lnl, wp_req_payload0, NPU_BTRS_LNL_WP_REQ_PAYLOAD0);
AT(btrs_lnl, wp_req_payload1, NPU_BTRS_LNL_WP_REQ_PAYLOAD1);
AT(btrs_lnl, wp_req_payload2, NPU_BTRS_LNL_WP_REQ_PAYLOAD2);
AT(btrs_lnl, wp_req_cmd, NPU_BTRS_LNL_WP_REQ_CMD);
AT(btrs_lnl, pll_freq, NPU_BTRS_LNL_PLL_FREQ);
AT(btrs_lnl, cdyn, NPU_BTRS_LNL_CDYN);
AT(btrs_lnl, tile_fuse, NPU_BTRS_LNL_TILE_FUSE);
AT(btrs_lnl, vpu_status, NPU_BTRS_LNL_VPU_STATUS);
AT(btrs_lnl, ip_reset, NPU_BTRS_LNL_IP_RESET);
AT(btrs_lnl, d0i3_control, NPU_BTRS_LNL_D0I3_CONTROL);
AT(btrs_lnl, vpu_telemetry_offset, NPU_BTRS_LNL_VPU_TELEMETRY_OFFSET);
AT(btrs_lnl, vpu_telemetry_size, NPU_BTRS_LNL_VPU_TELEMETRY_SIZE);
AT(btrs_lnl, vpu_telemetry_enable, NPU_BTRS_LNL_VPU_TELEMETRY_ENABLE);
AT(btrs_lnl, fmin_fuse, NPU_BTRS_LNL_FMIN_FUSE);
AT(btrs_lnl, fmax_fuse, NPU_BTRS_LNL_FMAX_FUSE);

/* Enabled interrupts b1..b6 (0x7E); SURV_ERR is b6. */
CHECK(NPU_BTRS_LNL_IRQ_MASK == NPU_GENMASK(6, 1));
CHECK(NPU_BTRS_LNL_INTERRUPT_STAT_SURV_ERR == NPU_BIT(6));
CHECK(NPU_BTRS_LNL_VPU_STATUS_CLOCK_RESOURCE_OWN_ACK == NPU_BIT(6));
CHECK(NPU_BTRS_LNL_VPU_STATUS_PERF_CLK == NPU_BIT(11));
CHECK(NPU_BTRS_LNL_VPU_STATUS_DISABLE_CLK_RELINQUISH == NPU_BIT(12));
CHECK(NPU_BTRS_LNL_VPU_STATUS_PLATFORM == NPU_GENMASK(31, 29));
CHECK(NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_VAL == 0xF711F711u);
CHECK(NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS_VAL == 0x0000F711u);

/* ---- IP registers, 37xx (docs/hardware.md §2.3) ---- */

CHECK(NPU_37XX_HOST_SS_CPR_CLK_SET == 0x84 && NPU_37XX_HOST_SS_CPR_RST_CLR == 0x98);
CHECK((NPU_37XX_HOST_SS_CPR_TOP_NOC | NPU_37XX_HOST_SS_CPR_DSS_MAS |
       NPU_37XX_HOST_SS_CPR_MSS_MAS) == (NPU_BIT(1) | NPU_BIT(10) | NPU_BIT(11)));
CHECK(NPU_37XX_HOST_SS_CPR_MASK == 0xC02);
CHECK(NPU_37XX_TOP_NOC_HOSTIF_L2CACHE == NPU_BIT(1));
CHECK(NPU_37XX_HOST_SS_ICB_STATUS_0 == 0x10210 && NPU_37XX_HOST_SS_ICB_ENABLE_0 == 0x10240);
CHECK(NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM == 0x200F4);
CHECK(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT == 0x200FC);
CHECK(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL == NPU_GENMASK(23, 16));
CHECK(NPU_37XX_HOST_SS_LOADING_ADDRESS_LO == 0x41040);
CHECK(NPU_37XX_CPU_SS_TIM_IPC_FIFO == 0x060200F0 && NPU_37XX_CPU_SS_TIM_SAFE == 0x060200A8);
CHECK(NPU_37XX_CPU_SS_TIM_SAFE_UNLOCK == 0xF1D0DEADu);

/* The ICB enable value is its handled bits: STATUS_0 b4..b8, b30, b31; STATUS_1 b0..b2. */
CHECK(NPU_37XX_ICB_ENABLE_VAL ==
      ((uint64_t)(NPU_37XX_HOST_SS_ICB_STATUS_1_CPU_INT_REDIRECT_2 |
		  NPU_37XX_HOST_SS_ICB_STATUS_1_CPU_INT_REDIRECT_3 |
		  NPU_37XX_HOST_SS_ICB_STATUS_1_CPU_INT_REDIRECT_4)
	   << 32 |
       NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO | NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_0 |
       NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_1 | NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_2 |
       NPU_37XX_HOST_SS_ICB_STATUS_0_NOC_FIREWALL |
       NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_0 |
       NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_1));
CHECK(NPU_37XX_ICB_ENABLE_VAL == 0x00000007C00001F0ull);
CHECK((uint32_t)NPU_37XX_ICB_ENABLE_VAL == NPU_37XX_ICB_STATUS_0_HANDLED);

/* Doorbell n at DOORBELL_0 + n * 0x1000; 255 is the last. */
CHECK(NPU_37XX_CPU_SS_DOORBELL(0) == 0x06300000);
CHECK(NPU_37XX_CPU_SS_DOORBELL(1) == NPU_37XX_CPU_SS_DOORBELL_1);
CHECK(NPU_37XX_CPU_SS_DOORBELL(1) - NPU_37XX_CPU_SS_DOORBELL(0) == 0x1000);
CHECK(NPU_37XX_CPU_SS_DOORBELL(255) == 0x063FF000);
CHECK(NPU_37XX_CPU_SS_DOORBELL_SET == 0x1);
CHECK(NPU_37XX_LOADING_ADDRESS_SHIFT == 9);
/* TBU0 and TBU2, AW and AR: 0x33. */
CHECK((NPU_37XX_HOST_IF_TBU_MMUSSIDV_AW(0) | NPU_37XX_HOST_IF_TBU_MMUSSIDV_AR(0) |
       NPU_37XX_HOST_IF_TBU_MMUSSIDV_AW(2) | NPU_37XX_HOST_IF_TBU_MMUSSIDV_AR(2)) ==
      NPU_37XX_TBU_MMUSSIDV_VAL);
CHECK(NPU_37XX_TBU_MMUSSIDV_VAL == 0x33);

/* ---- IP registers, 40xx (docs/hardware.md §2.4) ---- */

CHECK(NPU_40XX_HOST_SS_CPR_CLK_EN == 0x80 && NPU_40XX_HOST_SS_CPR_RST_EN == 0x90);
CHECK(NPU_40XX_TOP_NOC_HOSTIF_L2CACHE == NPU_BIT(2));
CHECK(NPU_40XX_HOST_SS_ICB_ENABLE_1 == NPU_37XX_HOST_SS_ICB_ENABLE_0 + 4);
CHECK(NPU_40XX_HOST_SS_TIM_IPC_FIFO_ATM == NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM);
CHECK(NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO == 0x40040);
CHECK(NPU_40XX_CPU_SS_CPR_NOC_QREQN == 0x01010030);
/* CPU_SS moved from 0x060xxxxx to 0x010xxxxx: the same registers 0x05000000 lower. */
CHECK(NPU_40XX_CPU_SS_TIM_IPC_FIFO == NPU_37XX_CPU_SS_TIM_IPC_FIFO - 0x05000000u);
CHECK(NPU_40XX_CPU_SS_TIM_GEN_CONFIG == 0x01021008);
CHECK(NPU_40XX_CPU_SS_DOORBELL(1) == NPU_37XX_CPU_SS_DOORBELL(1) - 0x05000000u);
CHECK(NPU_40XX_CPU_SS_DOORBELL(255) == 0x013FF000);
CHECK(NPU_40XX_AON_RETENTION1 == 0x30010);
CHECK(NPU_40XX_ICB_ENABLE_VAL == NPU_37XX_ICB_ENABLE_VAL);
CHECK(NPU_40XX_TBU_MMUSSIDV_VAL == 0x3F);
CHECK(NPU_40XX_VERIFICATION_ADDRESS_SHIFT == 3);

/* ---- MMU (docs/hardware.md §2.5, docs/firmware-protocol.md §5) ---- */

CHECK(NPU_MMU_CR0 == 0x200020 && NPU_MMU_CR0ACK == NPU_MMU_CR0 + 4);
CHECK(NPU_MMU_STRTAB_BASE == 0x200080 && NPU_MMU_CMDQ_CONS == 0x20009C);
CHECK(NPU_MMU_EVTQ_PROD_SEC == 0x2100A8 && NPU_MMU_EVTQ_CONS_SEC == NPU_MMU_EVTQ_CONS + 0x10000);
CHECK(NPU_MMU_CR0_CMDQEN == NPU_BIT(3) && NPU_MMU_CR0_ATSCHK == NPU_BIT(4));
CHECK((NPU_MMU_IRQ_CTRL_GERROR_EN | NPU_MMU_IRQ_CTRL_EVTQ_EN) == 0x5);
CHECK(NPU_MMU_CMD_CFGI_ALL == 0x04 && NPU_MMU_CMD_TLBI_NSNH_ALL == 0x30);
CHECK(NPU_MMU_CMD_SYNC == 0x46);
CHECK((NPU_MMU_PTE_VALID | NPU_MMU_PTE_TYPE_PAGE | NPU_MMU_PTE_USER | NPU_MMU_PTE_AF |
       NPU_MMU_PTE_NG) == 0xC43);
CHECK(NPU_MMU_PTE_PAGE_DEFAULT == 0xC43);
CHECK(NPU_MMU_PTE_UNMAPPED == 0xDEADB000ull && (NPU_MMU_PTE_UNMAPPED & NPU_MMU_PTE_VALID) == 0);
CHECK(NPU_MMU_PTE_LLC_COHERENT == NPU_BIT64(2) && NPU_MMU_PTE_RO == NPU_BIT64(7));
CHECK(NPU_MMU_PTE_CONT == NPU_BIT64(52));
/* 4-level walk: VA = 3 << 39 | 5 << 30 | 7 << 21 | 9 << 12. */
#define WALK_VA ((3ull << 39) | (5ull << 30) | (7ull << 21) | (9ull << 12) | 0x123)
CHECK(NPU_MMU_PT_INDEX(WALK_VA, NPU_MMU_PGD_SHIFT) == 3);
CHECK(NPU_MMU_PT_INDEX(WALK_VA, NPU_MMU_PUD_SHIFT) == 5);
CHECK(NPU_MMU_PT_INDEX(WALK_VA, NPU_MMU_PMD_SHIFT) == 7);
CHECK(NPU_MMU_PT_INDEX(WALK_VA, NPU_MMU_PTE_SHIFT) == 9);
CHECK(NPU_MMU_EVT_F_TRANSLATION == 0x10 && NPU_MMU_EVT_F_PERMISSION == 0x13);
CHECK(NPU_MMU_EVT_F_VMS_FETCH == 0x25);

/* ---- timeouts (docs/hardware.md §5) ---- */

CHECK(NPU_POLL_INTERVAL_US == 50);
CHECK(NPU_TIMEOUT_BOOT_US == 1000 * 1000 && NPU_TIMEOUT_JSM_US == 500 * 1000);
CHECK(NPU_TIMEOUT_TDR_US == 2000 * 1000 && NPU_TIMEOUT_INFERENCE_US == 60 * 1000 * 1000);
CHECK(NPU_TIMEOUT_WP_SEND_US == 1500 * 1000 && NPU_TIMEOUT_D0I3_US == 150 * 1000);
CHECK(NPU_TIMEOUT_PWR_ISLAND_US == 5 * 1000 && NPU_TIMEOUT_IP_BAR_READY_37XX_US == 100);
CHECK(NPU_TIMEOUT_MMU_REG_ACK_US == 10 * 1000 && NPU_TIMEOUT_MMU_CMDQ_US == 100 * 1000);

/* ---- run time: the field helpers on registers ---- */

static void test_bits_field_roundtrip(void **state)
{
	static const uint32_t masks[] = {
		NPU_GENMASK(7, 0),   NPU_GENMASK(15, 8), NPU_GENMASK(23, 16),
		NPU_GENMASK(31, 29), NPU_GENMASK(31, 0), NPU_GENMASK(6, 1),
		NPU_BIT(0),	     NPU_BIT(31),	 NPU_GENMASK(31, 3),
	};
	static const uint32_t values[] = { 0, 1, 2, 0x5A, 0xFF, 0x1234, 0xFFFFFFFF };

	(void)state;
	for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		uint32_t width_mask = masks[m] >> __builtin_ctz(masks[m]);

		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			uint32_t packed = npu_field_prep(masks[m], values[v]);

			assert_int_equal(packed & ~masks[m], 0);
			assert_int_equal(npu_field_get(masks[m], packed), values[v] & width_mask);
			/* other bits of the register do not leak into the field */
			assert_int_equal(npu_field_get(masks[m], packed | ~masks[m]),
					 values[v] & width_mask);
		}
	}
	/* Too-wide values are truncated to the field. */
	assert_int_equal(npu_field_prep(NPU_GENMASK(3, 2), 0x7), 0xC);
	/* 64-bit: ASID in CD dword0 [63:48] (docs/firmware-protocol.md §5.3). */
	assert_true(npu_field_prep64(NPU_MMU_CD_0_ASID, 0x1234) == 0x1234000000000000ull);
	assert_true(npu_field_get64(NPU_MMU_CD_0_ASID, 0x1234000000000ABCull) == 0x1234);
	assert_true(npu_field_get64(NPU_GENMASK64(51, 6),
				    npu_field_prep64(NPU_GENMASK64(51, 6), 0x3FFFFFFFFFFull)) ==
		    0x3FFFFFFFFFFull);
}

/* Register values the driver builds with the helpers (docs/hardware.md §2, §3). */
static void test_register_values(void **state)
{
	uint32_t cr1;

	(void)state;
	/* FIFO_STAT fill level [23:16]. */
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, 0x00123456),
			 0x12);
	/* MTL workpoint enable: PAYLOAD1 = pn | 0x80 << 16, PAYLOAD2 = 0x0202 (§3.2). */
	assert_int_equal(npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD1_TARGET_RATIO, 0x0C) |
			     npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD1_EPP, NPU_BTRS_MTL_WP_EPP),
			 0x0080000C);
	assert_int_equal(
	    npu_field_prep(NPU_BTRS_MTL_WP_REQ_PAYLOAD2_CONFIG, NPU_BTRS_MTL_WP_CONFIG_2_TILES_4_3),
	    0x0202);
	/* UFI log: OPCODE [24:20], AXI_ID [19:12], CQ_ID [11:0]. */
	assert_int_equal(npu_field_get(NPU_BTRS_MTL_UFI_ERR_LOG_OPCODE, 0x01ABCDEF), 0x1A);
	assert_int_equal(npu_field_get(NPU_BTRS_MTL_UFI_ERR_LOG_AXI_ID, 0x01ABCDEF), 0xBC);
	assert_int_equal(npu_field_get(NPU_BTRS_MTL_UFI_ERR_LOG_CQ_ID, 0x01ABCDEF), 0xDEF);
	/* LNL: PLATFORM [31:29] 2 = Simics; tile fuse mask [6:1]; PAYLOAD2 cdyn 0x80 << 16. */
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_VPU_STATUS_PLATFORM, 0x40000003),
			 NPU_BTRS_LNL_PLATFORM_SIMICS);
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_TILE_FUSE_CONFIG, 0x41), 0x20);
	assert_int_equal(
	    npu_field_prep(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CONFIG, NPU_BTRS_LNL_WP_CONFIG) |
		npu_field_prep(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CDYN, NPU_BTRS_LNL_WP_CDYN),
	    0x00800000);
	/* The DCT request in the mailbox shadow: CMD 2, PARAM1 1 = enable. */
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_CMD, 0x00000102),
			 NPU_BTRS_LNL_PCODE_CMD_DCT_REQ);
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_PARAM1, 0x00000102),
			 NPU_BTRS_LNL_PCODE_DCT_ENABLE);
	/* 37xx start: entry 0x84803000 >> 9, so IMAGE_LOCATION holds entry >> 12 (§3.4). */
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_LOADING_ADDRESS_LO_IMAGE_LOCATION,
				       0x84803000u >> NPU_37XX_LOADING_ADDRESS_SHIFT),
			 0x84803);
	/* CR1: tables and queues inner-shareable, write-back (§2.5). */
	cr1 = npu_field_prep(NPU_MMU_CR1_TABLE_SH, NPU_MMU_SH_ISH) |
	      npu_field_prep(NPU_MMU_CR1_TABLE_OC, NPU_MMU_CACHE_WB) |
	      npu_field_prep(NPU_MMU_CR1_TABLE_IC, NPU_MMU_CACHE_WB) |
	      npu_field_prep(NPU_MMU_CR1_QUEUE_SH, NPU_MMU_SH_ISH) |
	      npu_field_prep(NPU_MMU_CR1_QUEUE_OC, NPU_MMU_CACHE_WB) |
	      npu_field_prep(NPU_MMU_CR1_QUEUE_IC, NPU_MMU_CACHE_WB);
	assert_int_equal(cr1, NPU_MMU_CR1_VAL);
	/* STE dword0: CFG 5 at [3:1], S1CDMAX 8 at [63:59]. */
	assert_true(npu_field_prep64(NPU_MMU_STE_0_CFG, NPU_MMU_STE_0_CFG_S1_TRANS) == 0xA);
	assert_true(npu_field_prep64(NPU_MMU_STE_0_S1CDMAX, NPU_MMU_STE_0_S1CDMAX_VAL) ==
		    0x4000000000000000ull);
	/* Event record word0: id [7:0], SSID [31:12]. */
	assert_int_equal(npu_field_get(NPU_MMU_EVT_0_ID, 0x00002010), NPU_MMU_EVT_F_TRANSLATION);
	assert_int_equal(npu_field_get(NPU_MMU_EVT_0_SSID, 0x00002010), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_field_roundtrip),
		cmocka_unit_test(test_register_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
