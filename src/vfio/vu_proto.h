/* SPDX-License-Identifier: MIT */
/*
 * The vfio-user protocol (QEMU's docs/interop/vfio-user.rst), as far as the
 * virtual NPU serves it: message header, commands, flags and the layouts of
 * the payloads, all little-endian. Offsets below are from the start of the
 * payload (after the 16-byte header).
 */
#ifndef NPU_VFIO_VU_PROTO_H
#define NPU_VFIO_VU_PROTO_H

/* Header: u16 message id, u16 command, u32 size (header included), u32 flags, u32 error. */
#define VU_HDR_SIZE	16u
#define VU_HDR_ID	0u
#define VU_HDR_CMD	2u
#define VU_HDR_SIZE_OFF 4u
#define VU_HDR_FLAGS	8u
#define VU_HDR_ERROR	12u

#define VU_FLAG_TYPE_MASK 0xFu
#define VU_FLAG_COMMAND	  0x0u
#define VU_FLAG_REPLY	  0x1u
#define VU_FLAG_NO_REPLY  0x10u
#define VU_FLAG_ERROR	  0x20u

enum vu_cmd {
	VU_CMD_VERSION = 1,
	VU_CMD_DMA_MAP = 2,
	VU_CMD_DMA_UNMAP = 3,
	VU_CMD_DEVICE_GET_INFO = 4,
	VU_CMD_DEVICE_GET_REGION_INFO = 5,
	VU_CMD_DEVICE_GET_REGION_IO_FDS = 6,
	VU_CMD_DEVICE_GET_IRQ_INFO = 7,
	VU_CMD_DEVICE_SET_IRQS = 8,
	VU_CMD_REGION_READ = 9,
	VU_CMD_REGION_WRITE = 10,
	VU_CMD_DMA_READ = 11,
	VU_CMD_DMA_WRITE = 12,
	VU_CMD_DEVICE_RESET = 13,
	VU_CMD_DIRTY_PAGES = 14,
	VU_CMD_REGION_WRITE_MULTI = 15,
};

/* VERSION: u16 major, u16 minor, then a NUL-terminated JSON capabilities object. */
#define VU_VERSION_MAJOR 0u
#define VU_VERSION_MINOR 0u

/* DMA_MAP: u32 argsz, u32 flags, u64 fd offset, u64 address, u64 size; one fd or none. */
#define VU_DMA_MAP_SIZE	      32u
#define VU_DMA_MAP_FLAG_READ  0x1u
#define VU_DMA_MAP_FLAG_WRITE 0x2u
/* DMA_UNMAP: u32 argsz, u32 flags, u64 address, u64 size. */
#define VU_DMA_UNMAP_SIZE	24u
#define VU_DMA_UNMAP_FLAG_DIRTY 0x1u /* get a dirty bitmap: not served */
#define VU_DMA_UNMAP_FLAG_ALL	0x2u

/* DEVICE_GET_INFO reply: u32 argsz, u32 flags, u32 num_regions, u32 num_irqs. */
#define VU_DEVICE_INFO_SIZE  16u
#define VU_DEVICE_FLAG_RESET 0x1u
#define VU_DEVICE_FLAG_PCI   0x2u

/* DEVICE_GET_REGION_INFO: u32 argsz, u32 flags, u32 index, u32 cap_offset, u64 size, u64 offset. */
#define VU_REGION_INFO_SIZE  32u
#define VU_REGION_FLAG_READ  0x1u
#define VU_REGION_FLAG_WRITE 0x2u

/* VFIO PCI region and interrupt indexes (Linux <linux/vfio.h>). */
#define VU_PCI_BAR0_REGION   0u
#define VU_PCI_BAR5_REGION   5u
#define VU_PCI_ROM_REGION    6u
#define VU_PCI_CONFIG_REGION 7u
#define VU_PCI_VGA_REGION    8u
#define VU_PCI_NUM_REGIONS   9u

#define VU_PCI_INTX_IRQ 0u
#define VU_PCI_MSI_IRQ	1u
#define VU_PCI_MSIX_IRQ 2u
#define VU_PCI_ERR_IRQ	3u
#define VU_PCI_REQ_IRQ	4u
#define VU_PCI_NUM_IRQS 5u

/* DEVICE_GET_IRQ_INFO: u32 argsz, u32 flags, u32 index, u32 count. */
#define VU_IRQ_INFO_SIZE       16u
#define VU_IRQ_INFO_EVENTFD    0x1u
#define VU_IRQ_INFO_MASKABLE   0x2u
#define VU_IRQ_INFO_AUTOMASKED 0x4u
#define VU_IRQ_INFO_NORESIZE   0x8u

/* DEVICE_SET_IRQS: u32 argsz, u32 flags, u32 index, u32 start, u32 count, then data; fds. */
#define VU_SET_IRQS_SIZE	   20u
#define VU_IRQ_SET_DATA_NONE	   0x1u
#define VU_IRQ_SET_DATA_BOOL	   0x2u
#define VU_IRQ_SET_DATA_EVENTFD	   0x4u
#define VU_IRQ_SET_DATA_MASK	   0x7u
#define VU_IRQ_SET_ACTION_MASK	   0x8u
#define VU_IRQ_SET_ACTION_UNMASK   0x10u
#define VU_IRQ_SET_ACTION_TRIGGER  0x20u
#define VU_IRQ_SET_ACTION_MASK_ALL 0x38u

/* REGION_READ / REGION_WRITE: u64 offset, u32 region, u32 count, then count bytes of data. */
#define VU_REGION_RW_SIZE 16u

/* What the server accepts and says in its VERSION reply. */
#define VU_MAX_FDS	 8u
#define VU_MAX_DATA_XFER (1u << 20)
#define VU_MAX_MSG	 (VU_HDR_SIZE + 64u + VU_MAX_DATA_XFER)
#define VU_MAX_DMA_MAPS	 1024u
#define VU_PAGE_SIZE	 4096u

#endif
