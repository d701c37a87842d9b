/* SPDX-License-Identifier: MIT */
/*
 * npud - PCI identity of the Intel NPU (docs/hardware.md §1).
 *
 * Register and memory layouts of the device are little-endian.
 */
#ifndef NPU_HW_PCI_IDS_H
#define NPU_HW_PCI_IDS_H

#include <stdint.h>

/* docs/hardware.md §1 */
#define NPU_PCI_VENDOR_INTEL 0x8086

/* Device IDs (docs/hardware.md §1; NVL from the Oct 2025 patch). */
#define NPU_PCI_DEVICE_MTL   0x7D1D /* Meteor Lake, IP 37xx, MTL buttress */
#define NPU_PCI_DEVICE_ARL   0xAD1D /* Arrow Lake, same path as MTL */
#define NPU_PCI_DEVICE_LNL   0x643E /* Lunar Lake, IP 40xx, LNL buttress */
#define NPU_PCI_DEVICE_PTL_P 0xB03E /* Panther Lake-P, IP 50xx, LNL buttress */
#define NPU_PCI_DEVICE_WCL   0xFD3E /* Wildcat Lake, IP 50xx, LNL buttress */
#define NPU_PCI_DEVICE_NVL   0xD71D /* Nova Lake, IP 60xx, LNL buttress */

/* Class code 0x12 "Processing accelerators", subclass 0x00 (docs/hardware.md §1). */
#define NPU_PCI_CLASS_ACCEL 0x1200

/* LNL revision 4 is B0; earlier steppings need the clock-relinquish workaround. */
#define NPU_PCI_REV_LNL_B0 4

/* BAR indexes (docs/hardware.md §1): BAR0 = IP registers "RegV", BAR4 = buttress "RegB". */
#define NPU_PCI_BAR_REGV 0
#define NPU_PCI_BAR_REGB 4

/* Lower bounds on the BAR sizes implied by the highest offsets used (docs/hardware.md §1). */
#define NPU_PCI_BAR_REGV_MIN_SIZE_37XX 0x06400000u
#define NPU_PCI_BAR_REGV_MIN_SIZE_40XX 0x04400024u
#define NPU_PCI_BAR_REGB_MIN_SIZE_LNL  0x17Cu

/* DMA address width (docs/hardware.md §1). */
#define NPU_DMA_BITS_37XX 38
#define NPU_DMA_BITS_40XX 48 /* 40xx and later */

/* PCIe Device Status error bits cleared (write-one-to-clear) at init (docs/hardware.md §1). */
#define NPU_PCI_DEVSTA_ERR_CLEAR 0x3F

/* Device ID -> generation mapping: driver/gen.c (npu_pci_model_lookup). */

#endif /* NPU_HW_PCI_IDS_H */
