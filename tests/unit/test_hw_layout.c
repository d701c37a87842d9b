/* SPDX-License-Identifier: MIT */
/*
 * Checks the register and constant headers in src/hw/ against the reference document
 * (docs/hardware.md): bit helpers, PCI IDs, buttress, IP and MMU
 * registers, timeouts. Firmware header and boot parameters are in test_hw_layout_boot.c,
 * the host/firmware message layouts in test_hw_layout_msgs.c.
 *
 * The offsets and values below are typed by hand from the reference tables, not derived
 * from the definitions.
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

/* ---- bits.h ---- */

static void test_bits_masks(void **state)
{
	(void)state;
	assert_int_equal(NPU_BIT(0), 0x1u);
	assert_int_equal(NPU_BIT(31), 0x80000000u);
	assert_int_equal(NPU_GENMASK(0, 0), 0x1u);
	assert_int_equal(NPU_GENMASK(31, 0), 0xFFFFFFFFu);
	assert_int_equal(NPU_GENMASK(23, 16), 0x00FF0000u);
	assert_int_equal(NPU_GENMASK(31, 29), 0xE0000000u);
	assert_true(NPU_BIT64(62) == 0x4000000000000000ull);
	assert_true(NPU_GENMASK64(63, 0) == UINT64_MAX);
	assert_true(NPU_GENMASK64(51, 6) == 0x000FFFFFFFFFFFC0ull);
	assert_true(NPU_GENMASK64(63, 48) == 0xFFFF000000000000ull);
	assert_true(NPU_SZ_MIB(64) == 0x04000000ull);
	assert_true(NPU_SZ_GIB(256) == 0x4000000000ull);
}

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

	/* FIFO_STAT fill level is [23:16] (docs/hardware.md §2.3). */
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, 0x00123456),
			 0x12);
	/* Too-wide values are truncated to the field. */
	assert_int_equal(npu_field_prep(NPU_GENMASK(3, 2), 0x7), 0xC);

	/* 64-bit: ASID in CD dword0 [63:48] (docs/firmware-protocol.md §5.3). */
	assert_true(npu_field_prep64(NPU_MMU_CD_0_ASID, 0x1234) == 0x1234000000000000ull);
	assert_true(npu_field_get64(NPU_MMU_CD_0_ASID, 0x1234000000000ABCull) == 0x1234);
	assert_true(npu_field_get64(NPU_GENMASK64(51, 6),
				    npu_field_prep64(NPU_GENMASK64(51, 6), 0x3FFFFFFFFFFull)) ==
		    0x3FFFFFFFFFFull);
}

/* ---- pci_ids.h ---- */

static void test_pci_ids(void **state)
{
	(void)state;
	assert_int_equal(NPU_PCI_VENDOR_INTEL, 0x8086);
	assert_int_equal(NPU_PCI_DEVICE_MTL, 0x7D1D);
	assert_int_equal(NPU_PCI_DEVICE_ARL, 0xAD1D);
	assert_int_equal(NPU_PCI_DEVICE_LNL, 0x643E);
	assert_int_equal(NPU_PCI_DEVICE_PTL_P, 0xB03E);
	assert_int_equal(NPU_PCI_DEVICE_WCL, 0xFD3E);
	assert_int_equal(NPU_PCI_DEVICE_NVL, 0xD71D);
	assert_int_equal(NPU_PCI_CLASS_ACCEL, 0x1200);
	assert_int_equal(NPU_PCI_BAR_REGV, 0);
	assert_int_equal(NPU_PCI_BAR_REGB, 4);
	assert_int_equal(NPU_DMA_BITS_37XX, 38);
	assert_int_equal(NPU_DMA_BITS_40XX, 48);
	assert_int_equal(NPU_PCI_REV_LNL_B0, 4);
}

/* ---- buttress ---- */

static void test_buttress_mtl(void **state)
{
	(void)state;
	assert_int_equal(NPU_BTRS_MTL_INTERRUPT_STAT, 0x04);
	assert_int_equal(NPU_BTRS_MTL_WP_REQ_PAYLOAD0, 0x08);
	assert_int_equal(NPU_BTRS_MTL_WP_REQ_CMD, 0x14);
	assert_int_equal(NPU_BTRS_MTL_TILE_FUSE, 0x2C);
	assert_int_equal(NPU_BTRS_MTL_LOCAL_INT_MASK, 0x30);
	assert_int_equal(NPU_BTRS_MTL_GLOBAL_INT_MASK, 0x34);
	assert_int_equal(NPU_BTRS_MTL_PLL_STATUS, 0x40);
	assert_int_equal(NPU_BTRS_MTL_VPU_STATUS, 0x44);
	assert_int_equal(NPU_BTRS_MTL_VPU_IP_RESET, 0x50);
	assert_int_equal(NPU_BTRS_MTL_VPU_D0I3_CONTROL, 0x60);
	assert_int_equal(NPU_BTRS_MTL_ATS_ERR_LOG_0, 0xA0);
	assert_int_equal(NPU_BTRS_MTL_UFI_ERR_CLEAR, 0xB4);

	assert_int_equal(NPU_BTRS_MTL_IRQ_MASK, 0x6);
	assert_int_equal((uint32_t)~NPU_BTRS_MTL_IRQ_MASK, 0xFFFFFFF9u);
	assert_int_equal(NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3, 0x4);
	assert_int_equal(NPU_BTRS_MTL_PLL_STATUS_LOCK, 0x2);
	assert_int_equal(NPU_BTRS_MTL_SKU, 0x3630);

	/* Workpoint enable: PAYLOAD1 = pn | 0x80 << 16, PAYLOAD2 = 0x0202 (docs/hardware.md §3.2). */
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
}

static void test_buttress_lnl(void **state)
{
	(void)state;
	assert_int_equal(NPU_BTRS_LNL_INTERRUPT_STAT, 0x000);
	assert_int_equal(NPU_BTRS_LNL_LOCAL_INT_MASK, 0x004);
	assert_int_equal(NPU_BTRS_LNL_GLOBAL_INT_MASK, 0x008);
	assert_int_equal(NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS, 0x024);
	assert_int_equal(NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS, 0x054);
	assert_int_equal(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW, 0x074);
	assert_int_equal(NPU_BTRS_LNL_WP_REQ_PAYLOAD0, 0x130);
	assert_int_equal(NPU_BTRS_LNL_WP_REQ_CMD, 0x13C);
	assert_int_equal(NPU_BTRS_LNL_CDYN, 0x14C);
	assert_int_equal(NPU_BTRS_LNL_TILE_FUSE, 0x150);
	assert_int_equal(NPU_BTRS_LNL_VPU_STATUS, 0x154);
	assert_int_equal(NPU_BTRS_LNL_IP_RESET, 0x160);
	assert_int_equal(NPU_BTRS_LNL_D0I3_CONTROL, 0x164);
	assert_int_equal(NPU_BTRS_LNL_FMAX_FUSE, 0x178);

	assert_int_equal(NPU_BTRS_LNL_IRQ_MASK, 0x7E);
	assert_int_equal(NPU_BTRS_LNL_INTERRUPT_STAT_SURV_ERR, 0x40);
	assert_int_equal(NPU_BTRS_LNL_VPU_STATUS_CLOCK_RESOURCE_OWN_ACK, 1u << 6);
	assert_int_equal(NPU_BTRS_LNL_VPU_STATUS_PERF_CLK, 1u << 11);
	assert_int_equal(NPU_BTRS_LNL_VPU_STATUS_DISABLE_CLK_RELINQUISH, 1u << 12);
	/* PLATFORM [31:29]: 2 = Simics. */
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_VPU_STATUS_PLATFORM, 0x40000003),
			 NPU_BTRS_LNL_PLATFORM_SIMICS);
	/* Tile fuse: VALID b0, disabled-tile mask [6:1]. */
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_TILE_FUSE_CONFIG, 0x41), 0x20);
	/* PAYLOAD2 = config | cdyn << 16 with cdyn 0x80. */
	assert_int_equal(
	    npu_field_prep(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CONFIG, NPU_BTRS_LNL_WP_CONFIG) |
		npu_field_prep(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CDYN, NPU_BTRS_LNL_WP_CDYN),
	    0x00800000);
	/* DCT request in the mailbox shadow: CMD 2, PARAM1 1 = enable. */
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_CMD, 0x00000102),
			 NPU_BTRS_LNL_PCODE_CMD_DCT_REQ);
	assert_int_equal(npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_PARAM1, 0x00000102),
			 NPU_BTRS_LNL_PCODE_DCT_ENABLE);
	assert_int_equal(NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_VAL, 0xF711F711u);
	assert_int_equal(NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS_VAL, 0x0000F711u);
}

/* ---- IP registers ---- */

static void test_ip_regs_37xx(void **state)
{
	uint64_t icb;

	(void)state;
	assert_int_equal(NPU_37XX_HOST_SS_CPR_CLK_SET, 0x84);
	assert_int_equal(NPU_37XX_HOST_SS_CPR_RST_CLR, 0x98);
	assert_int_equal(NPU_37XX_HOST_SS_CPR_TOP_NOC | NPU_37XX_HOST_SS_CPR_DSS_MAS |
			     NPU_37XX_HOST_SS_CPR_MSS_MAS,
			 0xC02);
	assert_int_equal(NPU_37XX_HOST_SS_CPR_MASK, 0xC02);
	assert_int_equal(NPU_37XX_TOP_NOC_HOSTIF_L2CACHE, 0x2);
	assert_int_equal(NPU_37XX_HOST_SS_ICB_STATUS_0, 0x10210);
	assert_int_equal(NPU_37XX_HOST_SS_ICB_ENABLE_0, 0x10240);
	assert_int_equal(NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM, 0x200F4);
	assert_int_equal(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT, 0x200FC);
	assert_int_equal(NPU_37XX_HOST_SS_LOADING_ADDRESS_LO, 0x41040);
	assert_int_equal(NPU_37XX_CPU_SS_TIM_IPC_FIFO, 0x060200F0);
	assert_int_equal(NPU_37XX_CPU_SS_TIM_SAFE, 0x060200A8);
	assert_int_equal(NPU_37XX_CPU_SS_TIM_SAFE_UNLOCK, 0xF1D0DEADu);

	/* ICB enable value from its bits: STATUS_0 b4..b8, b30, b31; STATUS_1 b0..b2. */
	icb = (uint64_t)(NPU_37XX_HOST_SS_ICB_STATUS_1_CPU_INT_REDIRECT_2 |
			 NPU_37XX_HOST_SS_ICB_STATUS_1_CPU_INT_REDIRECT_3 |
			 NPU_37XX_HOST_SS_ICB_STATUS_1_CPU_INT_REDIRECT_4)
	      << 32;
	icb |= NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO |
	       NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_0 | NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_1 |
	       NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_2 |
	       NPU_37XX_HOST_SS_ICB_STATUS_0_NOC_FIREWALL |
	       NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_0 |
	       NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_1;
	assert_true(icb == 0x00000007C00001F0ull);
	assert_true(NPU_37XX_ICB_ENABLE_VAL == 0x00000007C00001F0ull);
	assert_int_equal((uint32_t)NPU_37XX_ICB_ENABLE_VAL, NPU_37XX_ICB_STATUS_0_HANDLED);

	/* Doorbell n at 0x06300000 + n * 0x1000; doorbell 255 at 0x063FF000. */
	assert_int_equal(NPU_37XX_CPU_SS_DOORBELL(0), 0x06300000);
	assert_int_equal(NPU_37XX_CPU_SS_DOORBELL(1), 0x06301000);
	assert_int_equal(NPU_37XX_CPU_SS_DOORBELL(1), NPU_37XX_CPU_SS_DOORBELL_1);
	assert_int_equal(NPU_37XX_CPU_SS_DOORBELL(255), 0x063FF000);
	assert_int_equal(NPU_37XX_CPU_SS_DOORBELL_SET, 0x1);

	/* Firmware start: entry 0x84803000 >> 9; IMAGE_LOCATION = entry >> 12. */
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_LOADING_ADDRESS_LO_IMAGE_LOCATION,
				       0x84803000u >> NPU_37XX_LOADING_ADDRESS_SHIFT),
			 0x84803);
	/* TBU0 and TBU2 AW/AR = 0x33. */
	assert_int_equal(NPU_37XX_HOST_IF_TBU_MMUSSIDV_AW(0) | NPU_37XX_HOST_IF_TBU_MMUSSIDV_AR(0) |
			     NPU_37XX_HOST_IF_TBU_MMUSSIDV_AW(2) |
			     NPU_37XX_HOST_IF_TBU_MMUSSIDV_AR(2),
			 NPU_37XX_TBU_MMUSSIDV_VAL);
}

static void test_ip_regs_40xx(void **state)
{
	uint64_t verif;

	(void)state;
	assert_int_equal(NPU_40XX_HOST_SS_CPR_CLK_EN, 0x80);
	assert_int_equal(NPU_40XX_HOST_SS_CPR_RST_EN, 0x90);
	assert_int_equal(NPU_40XX_TOP_NOC_HOSTIF_L2CACHE, 0x4);
	assert_int_equal(NPU_40XX_HOST_SS_ICB_ENABLE_1, 0x10244);
	assert_int_equal(NPU_40XX_HOST_SS_TIM_IPC_FIFO_ATM, 0x200F4);
	assert_int_equal(NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO, 0x40040);
	assert_int_equal(NPU_40XX_CPU_SS_CPR_NOC_QREQN, 0x01010030);
	assert_int_equal(NPU_40XX_CPU_SS_TIM_IPC_FIFO, 0x010200F0);
	assert_int_equal(NPU_40XX_CPU_SS_TIM_GEN_CONFIG, 0x01021008);
	assert_int_equal(NPU_40XX_AON_RETENTION1, 0x30010);
	assert_int_equal(NPU_40XX_CPU_SS_DOORBELL(1), 0x01301000);
	assert_int_equal(NPU_40XX_CPU_SS_DOORBELL(255), 0x013FF000);
	assert_true(NPU_40XX_ICB_ENABLE_VAL == NPU_37XX_ICB_ENABLE_VAL);
	assert_int_equal(NPU_40XX_TBU_MMUSSIDV_VAL, 0x3F);

	/* 40xx start: 64-bit LO/HI = entry << 3 carries the full byte address. */
	verif = (uint64_t)0x8000200Eu << NPU_40XX_VERIFICATION_ADDRESS_SHIFT;
	assert_int_equal((uint32_t)verif & NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO_DONE, 0);
	assert_true((verif >> 3) == 0x8000200Eull);
}

/* ---- MMU ---- */

static void test_mmu(void **state)
{
	uint64_t va;
	uint32_t cr1;

	(void)state;
	assert_int_equal(NPU_MMU_CR0, 0x200020);
	assert_int_equal(NPU_MMU_CR0ACK, 0x200024);
	assert_int_equal(NPU_MMU_STRTAB_BASE, 0x200080);
	assert_int_equal(NPU_MMU_CMDQ_CONS, 0x20009C);
	assert_int_equal(NPU_MMU_EVTQ_PROD_SEC, 0x2100A8);
	assert_int_equal(NPU_MMU_EVTQ_CONS_SEC, NPU_MMU_EVTQ_CONS + 0x10000);
	assert_int_equal(NPU_MMU_CR0_CMDQEN, 0x8);
	assert_int_equal(NPU_MMU_CR0_ATSCHK, 0x10);
	assert_int_equal(NPU_MMU_IRQ_CTRL_GERROR_EN | NPU_MMU_IRQ_CTRL_EVTQ_EN, 0x5);

	cr1 = npu_field_prep(NPU_MMU_CR1_TABLE_SH, NPU_MMU_SH_ISH) |
	      npu_field_prep(NPU_MMU_CR1_TABLE_OC, NPU_MMU_CACHE_WB) |
	      npu_field_prep(NPU_MMU_CR1_TABLE_IC, NPU_MMU_CACHE_WB) |
	      npu_field_prep(NPU_MMU_CR1_QUEUE_SH, NPU_MMU_SH_ISH) |
	      npu_field_prep(NPU_MMU_CR1_QUEUE_OC, NPU_MMU_CACHE_WB) |
	      npu_field_prep(NPU_MMU_CR1_QUEUE_IC, NPU_MMU_CACHE_WB);
	assert_int_equal(cr1, NPU_MMU_CR1_VAL);

	assert_int_equal(NPU_MMU_CMD_CFGI_ALL, 0x04);
	assert_int_equal(NPU_MMU_CMD_TLBI_NSNH_ALL, 0x30);
	assert_int_equal(NPU_MMU_CMD_SYNC, 0x46);

	/* STE dword0 fields: CFG=5 at [3:1], S1CDMAX=8 at [63:59]. */
	assert_true(npu_field_prep64(NPU_MMU_STE_0_CFG, NPU_MMU_STE_0_CFG_S1_TRANS) == 0xA);
	assert_true(npu_field_prep64(NPU_MMU_STE_0_S1CDMAX, NPU_MMU_STE_0_S1CDMAX_VAL) ==
		    0x4000000000000000ull);

	/* PTE bits (docs/firmware-protocol.md §5.4). */
	assert_true((NPU_MMU_PTE_VALID | NPU_MMU_PTE_TYPE_PAGE | NPU_MMU_PTE_USER | NPU_MMU_PTE_AF |
		     NPU_MMU_PTE_NG) == 0xC43);
	assert_true(NPU_MMU_PTE_PAGE_DEFAULT == 0xC43);
	assert_true(NPU_MMU_PTE_UNMAPPED == 0xDEADB000ull);
	assert_true((NPU_MMU_PTE_UNMAPPED & NPU_MMU_PTE_VALID) == 0);
	assert_true(NPU_MMU_PTE_LLC_COHERENT == 0x4);
	assert_true(NPU_MMU_PTE_RO == 0x80);
	assert_true(NPU_MMU_PTE_CONT == (1ull << 52));

	/* 4-level walk: VA = 3 << 39 | 5 << 30 | 7 << 21 | 9 << 12. */
	va = (3ull << 39) | (5ull << 30) | (7ull << 21) | (9ull << 12) | 0x123;
	assert_int_equal(NPU_MMU_PT_INDEX(va, NPU_MMU_PGD_SHIFT), 3);
	assert_int_equal(NPU_MMU_PT_INDEX(va, NPU_MMU_PUD_SHIFT), 5);
	assert_int_equal(NPU_MMU_PT_INDEX(va, NPU_MMU_PMD_SHIFT), 7);
	assert_int_equal(NPU_MMU_PT_INDEX(va, NPU_MMU_PTE_SHIFT), 9);

	/* Event record word0: id [7:0], SSID [31:12]. */
	assert_int_equal(npu_field_get(NPU_MMU_EVT_0_ID, 0x00002010), NPU_MMU_EVT_F_TRANSLATION);
	assert_int_equal(npu_field_get(NPU_MMU_EVT_0_SSID, 0x00002010), 2);
	assert_int_equal(NPU_MMU_EVT_F_PERMISSION, 0x13);
	assert_int_equal(NPU_MMU_EVT_F_VMS_FETCH, 0x25);
}

/* ---- timeouts (docs/hardware.md §5) ---- */

static void test_timeouts(void **state)
{
	(void)state;
	assert_int_equal(NPU_POLL_INTERVAL_US, 50);
	assert_int_equal(NPU_TIMEOUT_BOOT_US, 1000 * 1000);
	assert_int_equal(NPU_TIMEOUT_JSM_US, 500 * 1000);
	assert_int_equal(NPU_TIMEOUT_TDR_US, 2000 * 1000);
	assert_int_equal(NPU_TIMEOUT_INFERENCE_US, 60 * 1000 * 1000);
	assert_int_equal(NPU_TIMEOUT_WP_SEND_US, 1500 * 1000);
	assert_int_equal(NPU_TIMEOUT_D0I3_US, 150 * 1000);
	assert_int_equal(NPU_TIMEOUT_PWR_ISLAND_US, 5 * 1000);
	assert_int_equal(NPU_TIMEOUT_IP_BAR_READY_37XX_US, 100);
	assert_int_equal(NPU_TIMEOUT_MMU_REG_ACK_US, 10 * 1000);
	assert_int_equal(NPU_TIMEOUT_MMU_CMDQ_US, 100 * 1000);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_masks),
		cmocka_unit_test(test_bits_field_roundtrip),
		cmocka_unit_test(test_pci_ids),
		cmocka_unit_test(test_buttress_mtl),
		cmocka_unit_test(test_buttress_lnl),
		cmocka_unit_test(test_ip_regs_37xx),
		cmocka_unit_test(test_ip_regs_40xx),
		cmocka_unit_test(test_mmu),
		cmocka_unit_test(test_timeouts),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
