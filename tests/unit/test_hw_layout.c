/* SPDX-License-Identifier: MIT */
/*
 * Checks the hardware-definition headers in src/hw/ against the reference documents
 * (/work/shared/reference/hardware.md, protocol.md).
 *
 * The offsets and values below are typed by hand from the reference tables, not derived
 * from the structures: each layout test writes little-endian bytes at the documented
 * offsets of a raw buffer, copies the buffer into the structure and reads the fields
 * back (and the other way round for the boot parameters).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hw/bits.h"
#include "hw/boot_params.h"
#include "hw/cmd.h"
#include "hw/fw_header.h"
#include "hw/fw_log.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"
#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "hw/regs_mmu.h"
#include "hw/timeouts.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "these tests (and the device layouts) assume a little-endian host"
#endif

static void put_le16(uint8_t *buf, size_t off, uint16_t v)
{
	buf[off] = (uint8_t)v;
	buf[off + 1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *buf, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[off + i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *buf, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		buf[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *buf, size_t off)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | buf[off + i];
	return v;
}

static uint64_t get_le64(const uint8_t *buf, size_t off)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | buf[off + i];
	return v;
}

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

	/* FIFO_STAT fill level is [23:16] (hardware.md §2.3). */
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, 0x00123456),
			 0x12);
	/* Too-wide values are truncated to the field. */
	assert_int_equal(npu_field_prep(NPU_GENMASK(3, 2), 0x7), 0xC);

	/* 64-bit: ASID in CD dword0 [63:48] (protocol.md §5.3). */
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

	/* Workpoint enable: PAYLOAD1 = pn | 0x80 << 16, PAYLOAD2 = 0x0202 (hardware.md §3.2). */
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

	/* PTE bits (protocol.md §5.4). */
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

/* ---- boot parameters (hardware.md §4.5) ---- */

static void test_boot_params_read(void **state)
{
	static uint8_t raw[4096];
	struct npu_boot_params bp;

	(void)state;
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0x000, 0x10000);
	put_le32(raw, 0x004, 0x0000000B);
	put_le32(raw, 0x054, 38400000);
	put_le64(raw, 0x100, 0x90004000ull);
	put_le32(raw, 0x108, 0x2000);
	put_le64(raw, 0x10C, 0x90000000ull);
	put_le32(raw, 0x114, 0x10000000);
	put_le64(raw, 0x118, 0x90006000ull);
	put_le32(raw, 0x120, 0x2000);
	put_le64(raw, 0x124, 0xA0000000ull);
	put_le32(raw, 0x12C, 0x1FF00000);
	put_le32(raw, 0x130, 1);
	put_le32(raw, 0x13C, 1); /* cache_defaults[1].use */
	put_le32(raw, 0x140, 3); /* cache_defaults[1].cfg */
	put_le64(raw, 0x144, 0x180000000ull);
	put_le64(raw, 0x14C, 0x84803100ull);
	put_le32(raw, 0x200, 32);
	put_le32(raw, 0x204, 33);
	put_le32(raw, 0x304, 4);
	put_le64(raw, 0x308, 0x7D1D);
	put_le64(raw, 0x318, 0x3630);
	put_le32(raw, 0x320, 0x0A);
	put_le32(raw, 0x324, 0x23);
	put_le32(raw, 0x328, 4);
	put_le32(raw, 0x32C, 1);
	put_le64(raw, 0x344, 0x90100000ull);
	put_le32(raw, 0x34C, 0x80000);
	put_le64(raw, 0x350, 0x90200000ull);
	put_le32(raw, 0x358, 0x100000);
	put_le32(raw, 0x364, 0x2);
	put_le64(raw, 0x368, UINT64_MAX);
	put_le32(raw, 0x370, 0x1);
	put_le32(raw, 0x38C, 0x0C);
	put_le32(raw, 0x39C, 1);
	put_le64(raw, 0x3A0, 0x1111222233334444ull);
	put_le64(raw, 0x3B0, 0x5555666677778888ull);
	put_le64(raw, 0x3C0, 0x99AA);
	put_le32(raw, 0x470, 1);
	put_le32(raw, 0x474, 1000);
	put_le32(raw, 0x480, 10590);
	put_le32(raw, 0x484, 24710);

	assert_int_equal(sizeof(bp), 4096);
	memcpy(&bp, raw, sizeof(bp));
	assert_int_equal(bp.magic, NPU_BOOT_PARAMS_MAGIC);
	assert_int_equal(bp.vpu_id, 0xB);
	assert_int_equal(bp.perf_clk_frequency, NPU_BOOT_PERF_CLK_DEFAULT_HZ);
	assert_true(bp.ipc_header_area_start == 0x90004000ull);
	assert_int_equal(bp.ipc_header_area_size, NPU_BOOT_IPC_HEADER_AREA_SIZE);
	assert_true(bp.shared_region_base == 0x90000000ull);
	assert_int_equal(bp.shared_region_size, 0x10000000);
	assert_true(bp.ipc_payload_area_start == 0x90006000ull);
	assert_int_equal(bp.ipc_payload_area_size, NPU_BOOT_IPC_PAYLOAD_AREA_SIZE);
	assert_true(bp.global_aliased_pio_base == 0xA0000000ull);
	assert_int_equal(bp.global_aliased_pio_size, 0x1FF00000);
	assert_int_equal(bp.autoconfig, 1);
	assert_int_equal(bp.cache_defaults[NPU_BOOT_CACHE_CFG_NN].use, 1);
	assert_int_equal(bp.cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg,
			 0x180000000ull >> NPU_BOOT_CACHE_CFG_SHIFT);
	assert_true(bp.shave_nn_fw_base == 0x180000000ull);
	assert_true(bp.save_restore_ret_address == 0x84803100ull);
	assert_int_equal(bp.watchdog_irq_mss, NPU_BOOT_WATCHDOG_IRQ_MSS);
	assert_int_equal(bp.watchdog_irq_nce, NPU_BOOT_WATCHDOG_IRQ_NCE);
	assert_int_equal(bp.si_stepping, 4);
	assert_true(bp.device_id == 0x7D1D);
	assert_true(bp.sku == NPU_BTRS_MTL_SKU);
	assert_int_equal(bp.min_freq_pll_ratio, 0x0A);
	assert_int_equal(bp.max_freq_pll_ratio, 0x23);
	assert_int_equal(bp.pn_freq_pll_ratio, 0x0C);
	assert_int_equal(bp.default_trace_level, NPU_TRACE_LEVEL_ERROR);
	assert_int_equal(bp.boot_type, NPU_BOOT_TYPE_WARM);
	assert_true(bp.crit_tracing_buff_addr == 0x90100000ull);
	assert_int_equal(bp.crit_tracing_buff_size, NPU_BOOT_CRIT_TRACING_BUFF_SIZE);
	assert_true(bp.verbose_tracing_buff_addr == 0x90200000ull);
	assert_int_equal(bp.verbose_tracing_buff_size, NPU_BOOT_VERBOSE_TRACING_BUFF_SIZE);
	assert_int_equal(bp.tracing_buff_message_destination_mask, NPU_TRACE_DEST_VERBOSE_TRACING);
	assert_true(bp.trace_hw_component_mask == NPU_TRACE_HW_COMPONENT_MASK_ALL);
	assert_int_equal(bp.tracing_buff_message_format_mask, NPU_TRACE_FORMAT_MASK_STRING);
	assert_int_equal(bp.d0i3_delayed_entry, 1);
	assert_true(bp.d0i3_residency_time_us == 0x1111222233334444ull);
	assert_true(bp.system_time_us == 0x5555666677778888ull);
	assert_true(bp.device_time_delta_ticks == 0x99AA);
	assert_int_equal(bp.vpu_scheduling_mode, NPU_BOOT_SCHED_MODE_HW);
	assert_int_equal(bp.vpu_focus_present_timer_ms, NPU_BOOT_FOCUS_PRESENT_TIMER_MS);
	assert_int_equal(bp.dct_active_us, 10590);
	assert_int_equal(bp.dct_inactive_us, 24710);
}

static void test_boot_params_write(void **state)
{
	static uint8_t raw[4096];
	struct npu_boot_params bp;

	(void)state;
	memset(&bp, 0, sizeof(bp));
	bp.magic = NPU_BOOT_PARAMS_MAGIC;
	bp.frequency = 0x01020304;
	bp.ipc_payload_area_start = 0x1122334455667788ull;
	bp.save_restore_ret_address = 0xCAFE0000F00Dull;
	bp.feature_exclusion = 0x3;
	bp.punit_telemetry_sram_base = 0xFEDCBA9876543210ull;
	bp.punit_telemetry_sram_size = 0x4000;
	bp.vpu_telemetry_enable = 1;
	bp.dvfs_mode = 7;
	bp.d0i3_entry_vpu_ts = 0xABCDEF;
	bp.vpu_uses_ecc_mca_signal = NPU_BOOT_ECC_MCA_SIGNAL;
	bp.power_profile = NPU_BOOT_POWER_PROFILE_D0I2_DISABLE;
	memcpy(raw, &bp, sizeof(raw));

	assert_int_equal(get_le32(raw, 0x000), 0x10000);
	assert_int_equal(get_le32(raw, 0x020), 0x01020304);
	assert_true(get_le64(raw, 0x118) == 0x1122334455667788ull);
	assert_true(get_le64(raw, 0x14C) == 0xCAFE0000F00Dull);
	assert_true(get_le64(raw, 0x310) == 0x3);
	assert_true(get_le64(raw, 0x330) == 0xFEDCBA9876543210ull);
	assert_true(get_le64(raw, 0x338) == 0x4000);
	assert_int_equal(get_le32(raw, 0x340), 1);
	assert_int_equal(get_le32(raw, 0x390), 7);
	assert_true(get_le64(raw, 0x3A8) == 0xABCDEF);
	assert_int_equal(get_le32(raw, 0x478), 3);
	assert_int_equal(get_le32(raw, 0x47C), 0x2);
	/* Nothing past the last field. */
	for (size_t i = 0x488; i < sizeof(raw); i++)
		assert_int_equal(raw[i], 0);
}

/* ---- firmware header (hardware.md §4.2, §4.4) ---- */

static void test_fw_header(void **state)
{
	static const uint8_t first8[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };
	static uint8_t raw[0x1000];
	struct npu_fw_header hdr;

	(void)state;
	/* vpu_37xx_v1.bin values, at the documented offsets. */
	memset(raw, 0, sizeof(raw));
	memcpy(raw, first8, sizeof(first8));
	put_le64(raw, 0x08, 0x84802000ull);
	put_le32(raw, 0x10, 0x24F718);
	put_le64(raw, 0x14, 0x84803000ull);
	memcpy(raw + 0x1C, "0.0.0", 6);
	put_le32(raw, 0x3C, 1);
	put_le64(raw, 0x40, 0x84801000ull);
	put_le32(raw, 0x48, 0x59);
	put_le64(raw, 0x4C, 0x84800000ull);
	put_le32(raw, 0x54 + 4 * 0, 0x0003001C);
	put_le32(raw, 0x54 + 4 * 3, 0x00040009);
	put_le32(raw, 0x54 + 4 * 4, 0x0003001D);
	put_le32(raw, 0x54 + 4 * 7, 0x00070000);
	put_le32(raw, 0x94, 0x04000000);
	put_le32(raw, 0x98, 0x17C0);
	put_le32(raw, 0x9C, 0xD800);
	put_le32(raw, 0xA0, 0x7FE000);
	put_le32(raw, 0xA4, 0x11);
	put_le32(raw, 0xA8, 0x22);
	put_le64(raw, 0xBC, 0x80003000ull); /* 40xx image values */
	put_le32(raw, 0xC4, 0xFE000);

	memcpy(&hdr, raw, sizeof(hdr));
	assert_int_equal(hdr.header_version, NPU_FW_HEADER_VERSION);
	assert_int_equal(hdr.image_format, 1);
	assert_true(hdr.image_load_address == 0x84802000ull);
	assert_int_equal(hdr.image_size, 0x24F718);
	assert_true(hdr.entry_point == 0x84803000ull);
	assert_string_equal((const char *)hdr.vpu_version, "0.0.0");
	assert_int_equal(hdr.compression_type, 1);
	assert_true(hdr.firmware_version_load_address == 0x84801000ull);
	assert_int_equal(hdr.firmware_version_size, 0x59);
	assert_true(hdr.boot_params_load_address == 0x84800000ull);
	assert_int_equal(NPU_FW_API_MAJOR(hdr.api_version[NPU_FW_API_IDX_BOOT]), 3);
	assert_int_equal(NPU_FW_API_MINOR(hdr.api_version[NPU_FW_API_IDX_BOOT]), 28);
	assert_int_equal(hdr.api_version[NPU_FW_API_IDX_JOB_CMD], NPU_FW_API_VER(4, 9));
	assert_int_equal(hdr.api_version[NPU_FW_API_IDX_JSM], NPU_FW_API_VER(3, 29));
	assert_int_equal(hdr.api_version[NPU_FW_API_IDX_NNRT], NPU_FW_API_VER(7, 0));
	assert_true(hdr.api_version[NPU_FW_API_IDX_JSM] >= NPU_FW_JSM_API_HWS_MIN);
	assert_int_equal(hdr.runtime_size, 0x04000000);
	assert_int_equal(hdr.shave_nn_fw_size, 0x17C0);
	assert_int_equal(hdr.preemption_buffer_1_size, 0xD800);
	assert_int_equal(hdr.preemption_buffer_2_size, 0x7FE000);
	assert_int_equal(hdr.preemption_buffer_1_max_size, 0x11);
	assert_int_equal(hdr.preemption_buffer_2_max_size, 0x22);
	assert_true(hdr.ro_section_start_address == 0x80003000ull);
	assert_int_equal(hdr.ro_section_size, 0xFE000);

	/* File layout and the 37xx runtime window (hardware.md §4.3, §4.5). */
	assert_int_equal(NPU_FW_FILE_IMAGE_OFFSET, 0x2000);
	assert_int_equal(NPU_FW_VERSION_PAGE_OFFSET, 0x1000);
	assert_int_equal(NPU_FW_HEADER_SIZE, 0x1000);
	assert_true(hdr.boot_params_load_address == NPU_VA_37XX_RUNTIME_START);
	assert_true(hdr.image_load_address + hdr.image_size <=
		    NPU_VA_37XX_RUNTIME_START + NPU_VA_37XX_RUNTIME_SIZE);
	assert_true(NPU_FW_LEGACY_RUNTIME_ADDR_MIN == 0x80000000ull);
	assert_true(NPU_FW_LEGACY_RUNTIME_ADDR_MAX == 0xB0000000ull);
	assert_true(NPU_FW_RUNTIME_SIZE_MAX == 0x20000000ull);
	assert_true(NPU_FW_SHAVE_NN_SIZE_MAX == 0x200000ull);
	assert_true(NPU_FW_PREEMPT_BUF_SIZE_MIN == 0x1000ull);
	assert_true(NPU_FW_PREEMPT_BUF_SIZE_MAX == 0x2000000ull);
}

static void test_va_ranges(void **state)
{
	(void)state;
	assert_true(NPU_VA_37XX_RUNTIME_START == 0x84800000ull);
	assert_true(NPU_VA_40XX_RUNTIME_START == 0x80000000ull);
	assert_true(NPU_VA_37XX_RUNTIME_SIZE == 64ull << 20);
	assert_true(NPU_VA_37XX_GLOBAL_START == 0x90000000ull);
	assert_true(NPU_VA_37XX_USER_START == 0xA0000000ull);
	assert_true(NPU_VA_37XX_USER_SIZE == 511ull << 20);
	assert_true(NPU_VA_37XX_SHAVE_START == 0x180000000ull);
	assert_true(NPU_VA_37XX_DMA_START == 0x200000000ull);
	assert_true(NPU_VA_37XX_DMA_SIZE == 128ull << 30);
	assert_true(NPU_VA_40XX_USER_START == 0x100000000ull);
	assert_true(NPU_VA_40XX_USER_SIZE == 256ull << 30);
	assert_true(NPU_VA_40XX_DMA_START == NPU_VA_40XX_USER_START);
	assert_true(NPU_VA_37XX_GLOBAL_START % NPU_VA_GLOBAL_ALIGN == 0);
	assert_true(NPU_VA_40XX_GLOBAL_START % NPU_VA_GLOBAL_ALIGN == 0);
	/* 37xx firmware cannot reach above 4 GiB: user range is low. */
	assert_true(NPU_VA_37XX_USER_START + NPU_VA_37XX_USER_SIZE <= 0x100000000ull);
}

/* ---- IPC (protocol.md §1.2, §1.3) ---- */

static void test_ipc_boot_msg(void **state)
{
	static uint8_t raw[64];
	struct npu_ipc_hdr hdr;
	uint32_t magic = NPU_IPC_BOOT_MSG_DATA_ADDR;
	uint8_t be[4] = { (uint8_t)(magic >> 24), (uint8_t)(magic >> 16), (uint8_t)(magic >> 8),
			  (uint8_t)magic };

	(void)state;
	assert_memory_equal(be, "BOOT", 4);

	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0, 0x424F4F54);
	put_le32(raw, 4, 0);
	put_le16(raw, 8, 0x3FF);
	raw[10] = 1;
	raw[11] = 0;
	raw[12] = 1;
	memcpy(&hdr, raw, sizeof(hdr));
	assert_int_equal(sizeof(hdr), 64);
	assert_int_equal(hdr.data_addr, NPU_IPC_BOOT_MSG_DATA_ADDR);
	assert_int_equal(hdr.channel, NPU_IPC_CHAN_BOOT_MSG);
	assert_int_equal(hdr.src_node, NPU_IPC_NODE_VPU);
	assert_int_equal(hdr.dst_node, NPU_IPC_NODE_HOST);
	assert_int_equal(hdr.status, NPU_IPC_HDR_ALLOCATED);
	/* In memory (little-endian) the word reads "TOOB". */
	assert_memory_equal(raw, "TOOB", 4);

	assert_int_equal(NPU_IPC_CHAN_ASYNC_CMD, 0);
	assert_int_equal(NPU_IPC_CHAN_GEN_CMD, 10);
	assert_int_equal(NPU_IPC_CHAN_JOB_RET, 11);
	assert_true(NPU_IPC_TX_BUF_SIZE == 16384);
	assert_true(NPU_IPC_RX_BUF_SIZE == 16384);
	assert_int_equal(NPU_IPC_JSM_MSG_SIZE, 128);
}

/* ---- JSM (protocol.md §2, §3.6) ---- */

static void test_jsm_layout(void **state)
{
	static uint8_t raw[128];
	struct npu_jsm_msg msg;

	(void)state;
	assert_int_equal(sizeof(msg), 128);

	/* JOB_DONE from protocol.md §9 step 8. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 8, 0x2100);
	put_le32(raw, 12, 1);
	put_le32(raw, 16, 0);
	put_le32(raw, 20, 0);
	put_le32(raw, 32 + 0, 0);
	put_le32(raw, 32 + 4, 1);
	put_le32(raw, 32 + 8, 0x100);
	put_le32(raw, 32 + 12, 0xE);
	put_le32(raw, 32 + 16, 2);
	put_le64(raw, 32 + 24, 0x0102030405060708ull);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.type, NPU_JSM_MSG_JOB_DONE);
	assert_int_equal(msg.status, NPU_JSM_MSG_ALLOCATED);
	assert_int_equal(msg.request_id, 0);
	assert_int_equal(msg.result, NPU_JSM_STATUS_SUCCESS);
	assert_int_equal(msg.payload.job_done.engine_idx, NPU_JSM_ENGINE_COMPUTE);
	assert_int_equal(msg.payload.job_done.db_idx, 1);
	assert_int_equal(msg.payload.job_done.job_id, 0x100);
	assert_int_equal(msg.payload.job_done.job_status,
			 NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW);
	assert_int_equal(msg.payload.job_done.host_ssid, 2);
	assert_true(msg.payload.job_done.cmdq_id == 0x0102030405060708ull);

	/* REGISTER_DB from protocol.md §9 step 5. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 8, 0x1102);
	put_le32(raw, 16, 77);
	put_le32(raw, 32 + 0, 1);
	put_le64(raw, 32 + 8, 0x90010000ull);
	put_le32(raw, 32 + 16, 4096);
	put_le32(raw, 32 + 20, 2);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.type, NPU_JSM_MSG_REGISTER_DB);
	assert_int_equal(msg.request_id, 77);
	assert_int_equal(msg.payload.register_db.db_idx, 1);
	assert_true(msg.payload.register_db.jobq_base == 0x90010000ull);
	assert_int_equal(msg.payload.register_db.jobq_size, 4096);
	assert_int_equal(msg.payload.register_db.host_ssid, 2);

	/* HWS_REGISTER_DB: 0 db_id, 4 host_ssid, 8 cmdq_id, 16 base, 24 size. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 32 + 4, 3);
	put_le64(raw, 32 + 16, 0x90020000ull);
	put_le64(raw, 32 + 24, 4096);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.payload.hws_register_db.host_ssid, 3);
	assert_true(msg.payload.hws_register_db.cmdq_base == 0x90020000ull);
	assert_true(msg.payload.hws_register_db.cmdq_size == 4096);

	/* QUERY_ENGINE_HB_DONE heartbeat at payload + 8. */
	memset(raw, 0, sizeof(raw));
	put_le64(raw, 32 + 8, 0xAABBCCDDEEFF0011ull);
	memcpy(&msg, raw, sizeof(msg));
	assert_true(msg.payload.query_engine_hb_done.heartbeat == 0xAABBCCDDEEFF0011ull);

	/* SET_CONTEXT_SCHED_PROPERTIES: quantum at payload + 32. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 32 + 24, (uint32_t)-7);
	put_le64(raw, 32 + 32, 20000);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.payload.context_sched_properties.in_process_priority, -7);
	assert_true(msg.payload.context_sched_properties.context_quantum == 20000);

	/* Type and status values. */
	assert_int_equal(NPU_JSM_MSG_REGISTER_DB_DONE, 0x2202);
	assert_int_equal(NPU_JSM_MSG_HWS_REGISTER_DB, 0x1117);
	assert_int_equal(NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP, 0x1113);
	assert_int_equal(NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP_RSP, 0x2214);
	assert_int_equal(NPU_JSM_MSG_HWS_RESUME_ENGINE_DONE, 0x221C);
	assert_int_equal(NPU_JSM_MSG_PWR_D0I3_ENTER, 0x1202);
	assert_int_equal(NPU_JSM_MSG_PWR_D0I3_ENTER_DONE, 0x2302);
	assert_int_equal(NPU_JSM_MSG_STATE_DUMP, 0x11FF);
	assert_int_equal(NPU_JSM_MSG_UNKNOWN, 0xFFFFFFFFu);
	assert_int_equal(NPU_JSM_STATUS_PREEMPTED_MID_INFERENCE, 0xD);
	assert_int_equal(sizeof(msg.payload.dyndbg_control), 96);
}

/* ---- job queue (protocol.md §3) ---- */

static void test_jobq(void **state)
{
	static uint8_t raw[4096];
	struct npu_jobq q;

	(void)state;
	assert_int_equal(NPU_JOBQ_SLOT_COUNT, 63);
	assert_int_equal(sizeof(q), 4096);

	memset(raw, 0, sizeof(raw));
	put_le32(raw, 4, 5);
	put_le32(raw, 8, 9);
	put_le32(raw, 12, 0x3);
	put_le32(raw, 24, 31);
	/* slot 2 at 64 + 2 * 64 */
	put_le64(raw, 192 + 0, 0xA0000000ull);
	put_le32(raw, 192 + 8, 0x101);
	put_le32(raw, 192 + 12, 0x2);
	put_le64(raw, 192 + 32, 0x1234000ull);
	put_le32(raw, 192 + 40, 0xD800);
	put_le32(raw, 192 + 44, 0x7FE000);
	put_le64(raw, 192 + 48, 0x5678000ull);
	/* last slot (62) ends exactly at 4096 */
	put_le64(raw, 64 + 62 * 64 + 56, 0xFFull);
	memcpy(&q, raw, sizeof(q));

	assert_int_equal(q.header.head, 5);
	assert_int_equal(q.header.tail, 9);
	assert_int_equal(q.header.flags,
			 NPU_JOBQ_FLAGS_NO_JOB_DONE | NPU_JOBQ_FLAGS_USE_NATIVE_FENCE);
	assert_int_equal(q.header.realtime_priority_level, 31);
	assert_true(q.slot[2].batch_buf_addr == 0xA0000000ull);
	assert_int_equal(q.slot[2].job_id, 0x101);
	assert_int_equal(q.slot[2].flags, NPU_JOB_FLAGS_INLINE_CMD);
	assert_true(q.slot[2].primary_preempt_buf_addr == 0x1234000ull);
	assert_int_equal(q.slot[2].primary_preempt_buf_size, 0xD800);
	assert_int_equal(q.slot[2].secondary_preempt_buf_size, 0x7FE000);
	assert_true(q.slot[2].secondary_preempt_buf_addr == 0x5678000ull);
	assert_true(q.slot[62].reserved == 0xFF);

	/* Ring: full when (tail + 1) % 63 == head. */
	assert_int_equal(npu_jobq_next(62), 0);
	assert_true(npu_jobq_is_full(0, 62));
	assert_false(npu_jobq_is_full(0, 61));
	assert_true(npu_jobq_is_full(10, 9));
}

static void test_job_id(void **state)
{
	(void)state;
	/* protocol.md §9: context 2, first job -> 0x100. */
	assert_int_equal(npu_job_id(2, 0), 0x100);
	assert_int_equal(npu_job_id(1, 0), 0x000);
	assert_int_equal(npu_job_id(66, 255), (65u << 8) | 255u);
	assert_int_equal(npu_job_id(3, 256), 0x200); /* counter wraps within [7:0] */
	assert_int_equal(npu_job_id_ctx(0x41FF), 66);
	assert_int_equal(npu_job_id_seq(0x41FF), 255);
	for (uint32_t ctx = 1; ctx <= 130; ctx += 7)
		for (uint32_t seq = 0; seq < 256; seq += 17) {
			uint32_t id = npu_job_id(ctx, seq);

			assert_int_equal(npu_job_id_ctx(id), ctx);
			assert_int_equal(npu_job_id_seq(id), seq);
		}
	assert_int_equal(NPU_DOORBELL_ID_MIN, 1);
	assert_int_equal(NPU_DOORBELL_ID_MAX, 255);
}

/* ---- command buffer (protocol.md §4) ---- */

static void test_cmd_buffer(void **state)
{
	static uint8_t raw[256];
	struct npu_cmd_buffer_header bh;
	struct npu_cmd_fence fence;
	struct npu_copy_desc_37xx d37;
	struct npu_copy_desc_40xx d40;

	(void)state;
	/* protocol.md §9 step 6: header + one FENCE_SIGNAL at +48. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0, 48 + 24);
	put_le32(raw, 4, 48);
	put_le32(raw, 8, 0x0004000F);
	put_le64(raw, 24, 0x123456789ull);
	put_le64(raw, 40, 0xA0000080ull);
	put_le16(raw, 48, 0x0102);
	put_le16(raw, 50, 24);
	put_le64(raw, 56, 0xA0000400ull);
	put_le64(raw, 64, 3);
	memcpy(&bh, raw, sizeof(bh));
	memcpy(&fence, raw + 48, sizeof(fence));
	assert_int_equal(bh.cmd_buffer_size, 72);
	assert_int_equal(bh.cmd_offset, sizeof(struct npu_cmd_buffer_header));
	assert_int_equal(bh.api_version, NPU_JOB_CMD_API_VERSION);
	assert_true(bh.kernel_heap_base_address == 0x0004000Full); /* legacy view of 8..15 */
	assert_true(bh.submission_timestamp == 0x123456789ull);
	assert_true(bh.context_save_area_address == 0xA0000080ull);
	assert_int_equal(fence.hdr.type, NPU_CMD_FENCE_SIGNAL);
	assert_int_equal(fence.hdr.size, sizeof(fence));
	assert_true(fence.offset == 0xA0000400ull);
	assert_true(fence.value == 3);

	/* Copy descriptors (protocol.md §4.3). */
	memset(raw, 0, sizeof(raw));
	put_le64(raw, 16, 0x1000);
	put_le64(raw, 24, 0x2000);
	put_le32(raw, 32, 0x800000);
	memcpy(&d37, raw, sizeof(d37));
	assert_int_equal(sizeof(d37), 64);
	assert_true(d37.src_address == 0x1000 && d37.dst_address == 0x2000);
	assert_int_equal(d37.size, 0x800000);
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 24, 0x400000);
	put_le64(raw, 40, 0x3000);
	put_le64(raw, 48, 0x4000);
	memcpy(&d40, raw, sizeof(d40));
	assert_int_equal(sizeof(d40), 192);
	assert_int_equal(d40.size, 0x400000);
	assert_true(d40.src_address == 0x3000 && d40.dst_address == 0x4000);

	assert_int_equal(NPU_CMD_NOP, 0x0001);
	assert_int_equal(NPU_CMD_TIMESTAMP, 0x0100);
	assert_int_equal(NPU_CMD_BARRIER, 0x0103);
	assert_int_equal(NPU_CMD_METRIC_QUERY_END, 0x0105);
	assert_int_equal(NPU_CMD_MEMORY_FILL, 0x0202);
	assert_int_equal(NPU_CMD_COPY_LOCAL_TO_LOCAL, 0x0302);
	assert_int_equal(NPU_CMD_INFERENCE_EXECUTE, 0x0306);
	assert_int_equal(NPU_CMD_OV_BLOB_EXECUTE, 0x0305);
	assert_int_equal(NPU_CONTEXT_SAVE_AREA_SIZE, 64);
	assert_int_equal(sizeof(struct npu_cmd_inference_execute), 32);
	assert_int_equal(sizeof(struct npu_cmd_memory_fill), 32);
}

/* ---- firmware log (protocol.md §7) ---- */

static void test_fw_log(void **state)
{
	static uint8_t raw[128];
	struct npu_fw_log_header lh;

	(void)state;
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0x04, 0x30);
	put_le32(raw, 0x40, 0xCAFECAFE);
	put_le32(raw, 0x44, 0x200);
	put_le32(raw, 0x48, 1);
	put_le32(raw, 0x50, 0x80000);
	put_le16(raw, 0x54, 1);
	put_le16(raw, 0x56, 128);
	put_le32(raw, 0x58, 0);
	put_le32(raw, 0x5C, 8);
	memcpy(raw + 0x60, "LRT", 4);
	memcpy(&lh, raw, sizeof(lh));
	assert_int_equal(lh.read_index, 0x30);
	assert_int_equal(lh.vpu_canary_start, NPU_FW_LOG_CANARY);
	assert_int_equal(lh.write_index, 0x200);
	assert_int_equal(lh.wrap_count, 1);
	assert_int_equal(lh.size, 0x80000);
	assert_int_equal(lh.header_version, 1);
	assert_int_equal(lh.header_size, NPU_FW_LOG_HEADER_SIZE_MIN);
	assert_int_equal(lh.format, NPU_FW_LOG_FORMAT_STRING);
	assert_int_equal(lh.alignment, 8);
	assert_string_equal(lh.name, "LRT");
}

/* ---- timeouts (hardware.md §5) ---- */

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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_masks),
		cmocka_unit_test(test_bits_field_roundtrip),
		cmocka_unit_test(test_pci_ids),
		cmocka_unit_test(test_buttress_mtl),
		cmocka_unit_test(test_buttress_lnl),
		cmocka_unit_test(test_ip_regs_37xx),
		cmocka_unit_test(test_ip_regs_40xx),
		cmocka_unit_test(test_mmu),
		cmocka_unit_test(test_boot_params_read),
		cmocka_unit_test(test_boot_params_write),
		cmocka_unit_test(test_fw_header),
		cmocka_unit_test(test_va_ranges),
		cmocka_unit_test(test_ipc_boot_msg),
		cmocka_unit_test(test_jsm_layout),
		cmocka_unit_test(test_jobq),
		cmocka_unit_test(test_job_id),
		cmocka_unit_test(test_cmd_buffer),
		cmocka_unit_test(test_fw_log),
		cmocka_unit_test(test_timeouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
