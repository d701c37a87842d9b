/* SPDX-License-Identifier: MIT */
/*
 * npud - NPU MMU (SMMUv3-like) in BAR0 "RegV" at +0x200000, and its in-memory
 * structures (docs/hardware.md §2.5, docs/firmware-protocol.md §5.1-5.4, §5.7).
 *
 * Registers are 32-bit unless marked 64-bit; queue entries, STEs, CDs and page tables
 * are arrays of little-endian u64. Fields are masks for npu_field_get()/_prep() and the
 * 64-bit variants (bits.h).
 */
#ifndef NPU_HW_REGS_MMU_H
#define NPU_HW_REGS_MMU_H

#include <stdint.h>

#include "bits.h"

/* Registers, BAR0 offsets (docs/firmware-protocol.md §5.1). Same on every generation. */
/* The register window: page 0 and the page-1 alias at +64 KiB (docs/firmware-protocol.md §5.1). */
#define NPU_MMU_REG_WINDOW_START 0x00200000u
#define NPU_MMU_REG_WINDOW_END	 0x00220000u /* exclusive */

#define NPU_MMU_IDR0 0x00200000u
#define NPU_MMU_IDR1 0x00200004u
#define NPU_MMU_IDR3 0x0020000Cu
#define NPU_MMU_IDR5 0x00200014u
/* Silicon reference values; a mismatch is only worth a debug message. */
#define NPU_MMU_IDR0_REF 0x080F3E0Fu
#define NPU_MMU_IDR1_REF 0x0E739D18u
#define NPU_MMU_IDR3_REF 0x0000003Cu
#define NPU_MMU_IDR5_REF 0x00040070u

/*
 * IDR1 queue size limits, log2 of entries (Arm SMMUv3 IDR1.CMDQS/EVTQS; not in the
 * reference): the reference value 0x0E739D18 gives 19 for both.
 */
#define NPU_MMU_IDR1_CMDQS NPU_GENMASK(25, 21)
#define NPU_MMU_IDR1_EVTQS NPU_GENMASK(20, 16)

/* Each CR0 write is followed by a poll of CR0ACK for the same value. */
#define NPU_MMU_CR0	   0x00200020u
#define NPU_MMU_CR0ACK	   0x00200024u
#define NPU_MMU_CR0_SMMUEN NPU_BIT(0)
#define NPU_MMU_CR0_PRIQEN NPU_BIT(1)
#define NPU_MMU_CR0_EVTQEN NPU_BIT(2)
#define NPU_MMU_CR0_CMDQEN NPU_BIT(3)
#define NPU_MMU_CR0_ATSCHK NPU_BIT(4)
#define NPU_MMU_CR0_MASK   0x0000001Fu /* the bits of docs/firmware-protocol.md §5.1 */

#define NPU_MMU_CR1	     0x00200028u
#define NPU_MMU_CR1_TABLE_SH NPU_GENMASK(11, 10)
#define NPU_MMU_CR1_TABLE_OC NPU_GENMASK(9, 8)
#define NPU_MMU_CR1_TABLE_IC NPU_GENMASK(7, 6)
#define NPU_MMU_CR1_QUEUE_SH NPU_GENMASK(5, 4)
#define NPU_MMU_CR1_QUEUE_OC NPU_GENMASK(3, 2)
#define NPU_MMU_CR1_QUEUE_IC NPU_GENMASK(1, 0)
#define NPU_MMU_CACHE_NC     0u
#define NPU_MMU_CACHE_WB     1u
#define NPU_MMU_SH_NSH	     0u
#define NPU_MMU_SH_ISH	     3u
/* Host value: inner-shareable, write-back, for tables and queues. */
#define NPU_MMU_CR1_VAL 0x00000D75u

/* Each IRQ_CTRL write is acked through IRQ_CTRLACK. Host writes 0, then 0x5. */
#define NPU_MMU_IRQ_CTRL	   0x00200050u
#define NPU_MMU_IRQ_CTRLACK	   0x00200054u
#define NPU_MMU_IRQ_CTRL_GERROR_EN NPU_BIT(0)
#define NPU_MMU_IRQ_CTRL_EVTQ_EN   NPU_BIT(2)

/* Active errors = GERROR ^ GERRORN; acknowledged by writing GERRORN := GERROR. */
#define NPU_MMU_GERROR		    0x00200060u
#define NPU_MMU_GERRORN		    0x00200064u
#define NPU_MMU_GERROR_CMDQ	    NPU_BIT(0)
#define NPU_MMU_GERROR_EVTQ_ABT	    NPU_BIT(2)
#define NPU_MMU_GERROR_PRIQ_ABT	    NPU_BIT(3)
#define NPU_MMU_GERROR_MSI_CMDQ_ABT NPU_BIT(4)
#define NPU_MMU_GERROR_MSI_EVTQ_ABT NPU_BIT(5)
#define NPU_MMU_GERROR_MSI_PRIQ_ABT NPU_BIT(6)
#define NPU_MMU_GERROR_MSI_ABT	    NPU_BIT(7)
#define NPU_MMU_GERROR_ERR_MASK	    0x000000FDu /* bits 0 and 2..7 */

/* 64-bit. */
#define NPU_MMU_STRTAB_BASE	    0x00200080u
#define NPU_MMU_STRTAB_BASE_RA	    NPU_BIT64(62)
#define NPU_MMU_STRTAB_BASE_ADDR    NPU_GENMASK64(51, 6)
#define NPU_MMU_STRTAB_BASE_CFG	    0x00200088u
#define NPU_MMU_STRTAB_BASE_CFG_VAL 2u /* linear, log2(4 STEs) */
/* Fields of STRTAB_BASE_CFG (Arm SMMUv3; docs/hardware.md §2.5 gives only the value 2). */
#define NPU_MMU_STRTAB_BASE_CFG_LOG2SIZE NPU_GENMASK(5, 0)
#define NPU_MMU_STRTAB_BASE_CFG_FMT	 NPU_GENMASK(17, 16)
#define NPU_MMU_STRTAB_BASE_CFG_LINEAR	 0u

/* Queue bases (64-bit): RWA | address | log2(entry count). */
#define NPU_MMU_CMDQ_BASE     0x00200090u
#define NPU_MMU_CMDQ_PROD     0x00200098u
#define NPU_MMU_CMDQ_CONS     0x0020009Cu
#define NPU_MMU_CMDQ_CONS_VAL NPU_GENMASK(23, 0)
#define NPU_MMU_CMDQ_CONS_ERR NPU_GENMASK(30, 24)
/* CONS error codes (Arm SMMUv3 CMDQ_CONS.ERR; docs/firmware-protocol.md §5.1 has the field). */
#define NPU_MMU_CMDQ_ERR_NONE 0u
#define NPU_MMU_CMDQ_ERR_ILL  1u /* unknown or malformed command */
#define NPU_MMU_CMDQ_ERR_ABT  2u /* the command could not be fetched */
#define NPU_MMU_EVTQ_BASE     0x002000A0u
#define NPU_MMU_EVTQ_PROD     0x002000A8u
#define NPU_MMU_EVTQ_CONS     0x002000ACu
/* Page-1 aliases (+64 KiB) that the host actually uses: read PROD, write CONS. */
#define NPU_MMU_EVTQ_PROD_SEC	0x002100A8u
#define NPU_MMU_EVTQ_CONS_SEC	0x002100ACu
#define NPU_MMU_Q_BASE_RWA	NPU_BIT64(62)
#define NPU_MMU_Q_BASE_ADDR	NPU_GENMASK64(51, 5)
#define NPU_MMU_Q_BASE_LOG2SIZE NPU_GENMASK64(4, 0)
/*
 * Event-queue overflow: the device toggles PROD.OVFLG when it drops an event on a full
 * queue; the host acknowledges by copying it to CONS.OVACKFLG (Arm SMMUv3, not in the
 * reference, which does not say what a full queue does).
 */
#define NPU_MMU_EVTQ_PROD_OVFLG	   NPU_BIT(31)
#define NPU_MMU_EVTQ_CONS_OVACKFLG NPU_BIT(31)

/* Both queues: 16 entries; index = 4 bits plus a wrap bit (docs/firmware-protocol.md §5.1). */
#define NPU_MMU_Q_COUNT_LOG2	4u
#define NPU_MMU_Q_COUNT		16u
#define NPU_MMU_Q_IDX		NPU_GENMASK(3, 0)
#define NPU_MMU_Q_WRAP		NPU_BIT(4)
#define NPU_MMU_CMDQ_ENTRY_SIZE 16u
#define NPU_MMU_EVTQ_ENTRY_SIZE 32u

/* Command queue entries: two u64; opcode in dword0[7:0] (docs/firmware-protocol.md §5.2). */
#define NPU_MMU_CMD_OPCODE	   NPU_GENMASK64(7, 0)
#define NPU_MMU_CMD_CFGI_STE	   0x03u
#define NPU_MMU_CMD_CFGI_ALL	   0x04u
#define NPU_MMU_CMD_CFGI_CD	   0x05u
#define NPU_MMU_CMD_TLBI_NH_ASID   0x11u
#define NPU_MMU_CMD_TLBI_NSNH_ALL  0x30u
#define NPU_MMU_CMD_SYNC	   0x46u
#define NPU_MMU_CMD_CFGI_1_RANGE   NPU_GENMASK64(4, 0) /* dword1 */
#define NPU_MMU_CMD_CFGI_ALL_RANGE 0x1Fu
#define NPU_MMU_CMD_TLBI_0_ASID	   NPU_GENMASK64(63, 48) /* dword0 */
/* Pre-Oct-2023 SYNC also set these; a device model must accept both forms. */
#define NPU_MMU_CMD_SYNC_0_CS	    NPU_GENMASK64(13, 12)
#define NPU_MMU_CMD_SYNC_0_MSH	    NPU_GENMASK64(23, 22)
#define NPU_MMU_CMD_SYNC_0_MSIATTR  NPU_GENMASK64(27, 24)
#define NPU_MMU_CMD_SYNC_CS_NONE    0u
#define NPU_MMU_CMD_SYNC_CS_IRQ	    1u /* Arm SMMUv3: signal completion by interrupt */
#define NPU_MMU_CMD_SYNC_CS_SEV	    2u
#define NPU_MMU_CMD_SYNC_MSH_ISH    3u
#define NPU_MMU_CMD_SYNC_MSIATTR_WB 0xFu

/* Stream table (docs/firmware-protocol.md §5.3): 4 STEs x 64 B; stream IDs 0 and 3 are populated. */
#define NPU_MMU_STRTAB_ENTRY_SIZE     64u
#define NPU_MMU_STRTAB_ENTRY_COUNT    4u
#define NPU_MMU_STREAM_ID0	      0u
#define NPU_MMU_STREAM_ID3	      3u
#define NPU_MMU_STE_0_V		      NPU_BIT64(0)
#define NPU_MMU_STE_0_CFG	      NPU_GENMASK64(3, 1)
#define NPU_MMU_STE_0_CFG_S1_TRANS    5u
#define NPU_MMU_STE_0_S1FMT	      NPU_GENMASK64(5, 4)
#define NPU_MMU_STE_0_S1FMT_LINEAR    0u
#define NPU_MMU_STE_0_S1CTXPTR	      NPU_GENMASK64(51, 6) /* CD table DMA address */
#define NPU_MMU_STE_0_S1CDMAX	      NPU_GENMASK64(63, 59)
#define NPU_MMU_STE_0_S1CDMAX_VAL     8u /* log2(256 CDs) */
#define NPU_MMU_STE_1_S1DSS	      NPU_GENMASK64(1, 0)
#define NPU_MMU_STE_1_S1DSS_TERMINATE 0u
#define NPU_MMU_STE_1_S1CIR	      NPU_GENMASK64(3, 2)
#define NPU_MMU_STE_1_S1COR	      NPU_GENMASK64(5, 4)
#define NPU_MMU_STE_1_S1CSH	      NPU_GENMASK64(7, 6)
#define NPU_MMU_STE_1_S1C_CACHE_NC    0u
#define NPU_MMU_STE_1_CONT	      NPU_GENMASK64(16, 13)
#define NPU_MMU_STE_1_CONT_VAL	      2u
#define NPU_MMU_STE_1_MEV	      NPU_BIT64(19)
#define NPU_MMU_STE_1_S1STALLD	      NPU_BIT64(27)
#define NPU_MMU_STE_1_STRW	      NPU_GENMASK64(31, 30)
#define NPU_MMU_STE_1_STRW_NSEL1      0u
#define NPU_MMU_STE_1_PRIVCFG	      NPU_GENMASK64(49, 48)
#define NPU_MMU_STE_1_PRIVCFG_UNPRIV  2u
#define NPU_MMU_STE_1_PRIVCFG_PRIV    3u /* Arm SMMUv3; the driver never sets it */
#define NPU_MMU_STE_1_INSTCFG	      NPU_GENMASK64(51, 50)
#define NPU_MMU_STE_1_INSTCFG_DATA    2u

/* Context descriptors (docs/firmware-protocol.md §5.3): 256 x 64 B, indexed by SSID = ASID. */
#define NPU_MMU_CDTAB_ENTRY_SIZE  64u
#define NPU_MMU_CDTAB_ENTRY_COUNT 256u
#define NPU_MMU_CD_0_TCR_T0SZ	  NPU_GENMASK64(5, 0)
#define NPU_MMU_CD_0_TCR_TG0	  NPU_GENMASK64(7, 6)
#define NPU_MMU_CD_0_TCR_IRGN0	  NPU_GENMASK64(9, 8)
#define NPU_MMU_CD_0_TCR_ORGN0	  NPU_GENMASK64(11, 10)
#define NPU_MMU_CD_0_TCR_SH0	  NPU_GENMASK64(13, 12)
#define NPU_MMU_CD_0_TCR_EPD0	  NPU_BIT64(14)
#define NPU_MMU_CD_0_TCR_EPD1	  NPU_BIT64(30)
#define NPU_MMU_CD_0_V		  NPU_BIT64(31)
#define NPU_MMU_CD_0_TCR_IPS	  NPU_GENMASK64(34, 32)
#define NPU_MMU_CD_0_AA64	  NPU_BIT64(41)
#define NPU_MMU_CD_0_R		  NPU_BIT64(45) /* record faults */
#define NPU_MMU_CD_0_A		  NPU_BIT64(46) /* abort; set for SSID 0 */
#define NPU_MMU_CD_0_ASET	  NPU_BIT64(47)
#define NPU_MMU_CD_0_ASID	  NPU_GENMASK64(63, 48)
#define NPU_MMU_CD_1_TTB0	  NPU_GENMASK64(51, 4) /* root page table DMA address */
#define NPU_MMU_CD_3_MAIR_VAL	  UINT64_C(0x7444)
#define NPU_MMU_T0SZ_48BIT	  16u
#define NPU_MMU_TG0_4K		  0u
#define NPU_MMU_IPS_48BIT	  5u

/* Contexts (docs/firmware-protocol.md §5.5). */
#define NPU_MMU_SSID_GLOBAL	0u
#define NPU_MMU_SSID_RESERVED	1u
#define NPU_MMU_SSID_USER_FIRST 2u
#define NPU_MMU_SSID_USER_LAST	65u

/* Page tables (docs/firmware-protocol.md §5.4): 4 levels, 4 KiB granule, 48-bit VA, 512 u64 per table. */
#define NPU_MMU_PAGE_SHIFT	    12u
#define NPU_MMU_PAGE_SIZE	    4096u
#define NPU_MMU_PT_ENTRIES	    512u
#define NPU_MMU_PGD_SHIFT	    39u /* L0 index VA[47:39] */
#define NPU_MMU_PUD_SHIFT	    30u /* L1 index VA[38:30] */
#define NPU_MMU_PMD_SHIFT	    21u /* L2 index VA[29:21] */
#define NPU_MMU_PTE_SHIFT	    12u /* L3 index VA[20:12] */
#define NPU_MMU_PT_INDEX(va, shift) ((uint32_t)(((uint64_t)(va) >> (shift)) & 0x1FFu))
#define NPU_MMU_VA_MASK		    NPU_GENMASK64(47, 12)
#define NPU_MMU_PTE_ADDR	    NPU_GENMASK64(47, 12)

#define NPU_MMU_PTE_VALID	 NPU_BIT64(0)
#define NPU_MMU_PTE_TYPE_PAGE	 NPU_BIT64(1) /* also "table" at levels 0..2 */
#define NPU_MMU_PTE_LLC_COHERENT NPU_BIT64(2)
#define NPU_MMU_PTE_USER	 NPU_BIT64(6)
#define NPU_MMU_PTE_RO		 NPU_BIT64(7) /* newer kernels */
#define NPU_MMU_PTE_AF		 NPU_BIT64(10)
#define NPU_MMU_PTE_NG		 NPU_BIT64(11)
#define NPU_MMU_PTE_CONT	 NPU_BIT64(52) /* 16 pages, 64 KiB aligned VA and PA */
#define NPU_MMU_PTE_CONT_PAGES	 16u
/* Table descriptor = next-level DMA address | 0x3. */
#define NPU_MMU_PTE_TABLE UINT64_C(0x3)
/* Normal page = PA | 0xC43 (+ LLC_COHERENT when snooped). */
#define NPU_MMU_PTE_PAGE_DEFAULT UINT64_C(0xC43)
/* Output-address bits beyond the 48-bit IPS: set in a descriptor = F_ADDR_SIZE. */
#define NPU_MMU_DESC_OA_HIGH NPU_GENMASK64(51, 48)
/* Unmapped entry: all flags clear, so invalid. */
#define NPU_MMU_PTE_UNMAPPED UINT64_C(0xDEADB000)

/* ICB_STATUS_0 sources of the MMU, the same on 37xx and 40xx (docs/firmware-protocol.md §6.2). */
#define NPU_MMU_ICB_EVTQ   NPU_BIT(5) /* MMU_IRQ_0: event queue */
#define NPU_MMU_ICB_SYNC   NPU_BIT(6) /* MMU_IRQ_1: sync done, only logged */
#define NPU_MMU_ICB_GERROR NPU_BIT(7) /* MMU_IRQ_2: global error */

/* Event queue records (docs/firmware-protocol.md §5.7): 32 B; word n = u32 at byte 4n. */
#define NPU_MMU_EVT_WORDS	   8u
#define NPU_MMU_EVT_0_ID	   NPU_GENMASK(7, 0)
#define NPU_MMU_EVT_0_SSID	   NPU_GENMASK(31, 12)
#define NPU_MMU_EVT_WORD_STREAM_ID 1u
#define NPU_MMU_EVT_WORD_INPUT_VA  4u /* words 4-5 */
#define NPU_MMU_EVT_WORD_FETCH_PA  6u /* words 6-7 */

#define NPU_MMU_EVT_F_UUT	       0x01u
#define NPU_MMU_EVT_C_BAD_STREAMID     0x02u
#define NPU_MMU_EVT_F_STE_FETCH	       0x03u
#define NPU_MMU_EVT_C_BAD_STE	       0x04u
#define NPU_MMU_EVT_F_BAD_ATS_TREQ     0x05u
#define NPU_MMU_EVT_F_STREAM_DISABLED  0x06u
#define NPU_MMU_EVT_F_TRANSL_FORBIDDEN 0x07u
#define NPU_MMU_EVT_C_BAD_SUBSTREAMID  0x08u
#define NPU_MMU_EVT_F_CD_FETCH	       0x09u
#define NPU_MMU_EVT_C_BAD_CD	       0x0Au
#define NPU_MMU_EVT_F_WALK_EABT	       0x0Bu
#define NPU_MMU_EVT_F_TRANSLATION      0x10u
#define NPU_MMU_EVT_F_ADDR_SIZE	       0x11u
#define NPU_MMU_EVT_F_ACCESS	       0x12u
#define NPU_MMU_EVT_F_PERMISSION       0x13u
#define NPU_MMU_EVT_F_TLB_CONFLICT     0x20u
#define NPU_MMU_EVT_F_CFG_CONFLICT     0x21u
#define NPU_MMU_EVT_E_PAGE_REQUEST     0x24u
#define NPU_MMU_EVT_F_VMS_FETCH	       0x25u

#endif /* NPU_HW_REGS_MMU_H */
