/* SPDX-License-Identifier: MIT */
/*
 * npud - firmware file header and VPU address layout (docs/hardware.md §4.2-§4.5).
 *
 * The header is the device's little-endian layout, packed to 4 bytes (u64 fields are
 * only 4-byte aligned). It occupies the first 4 KiB of the file; the structure itself
 * is 0xCC bytes and the rest of that page is zero in the known images.
 */
#ifndef NPU_HW_FW_HEADER_H
#define NPU_HW_FW_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "bits.h"

/* File layout (docs/hardware.md §4.2). */
#define NPU_FW_HEADER_SIZE	   0x1000u /* header page */
#define NPU_FW_VERSION_PAGE_OFFSET 0x1000u /* NUL-terminated version text */
#define NPU_FW_VERSION_PAGE_SIZE   0x1000u
#define NPU_FW_FILE_IMAGE_OFFSET   0x2000u /* FW_FILE_IMAGE_OFFSET */
#define NPU_FW_HEADER_VERSION	   1u	   /* the only "magic" */

/* api_version[] indexes (docs/hardware.md §4.2); indexes 2 and 6 are unidentified. */
#define NPU_FW_API_IDX_BOOT    0
#define NPU_FW_API_IDX_JOB_CMD 3
#define NPU_FW_API_IDX_JSM     4
#define NPU_FW_API_IDX_NNRT    7
#define NPU_FW_API_COUNT       16u

/* Each entry is (major << 16) | minor. */
#define NPU_FW_API_VER(major, minor) (((uint32_t)(major) << 16) | (0xFFFFu & (uint32_t)(minor)))
#define NPU_FW_API_MAJOR(v)	     ((uint32_t)(v) >> 16)
#define NPU_FW_API_MINOR(v)	     (0xFFFFu & (uint32_t)(v))

/* Version gates (docs/hardware.md §3.6, §4.3). */
#define NPU_FW_BOOT_API_MAJOR_MIN    3u /* other majors only warn */
#define NPU_FW_JSM_API_MAJOR_MIN     3u
#define NPU_FW_JSM_API_HWS_MIN	     NPU_FW_API_VER(3, 24) /* auto-select HW scheduling */
#define NPU_FW_BOOT_API_D0I3_MSG_MIN NPU_FW_API_VER(3, 17) /* PWR_D0I3_ENTER used */

#pragma pack(push, 4)
/* docs/hardware.md §4.2: struct vpu_firmware_header */
struct npu_fw_header {
	uint32_t header_version;		/* 0x00: must be NPU_FW_HEADER_VERSION */
	uint32_t image_format;			/* 0x04: not checked */
	uint64_t image_load_address;		/* 0x08: VPU VA of the first image byte */
	uint32_t image_size;			/* 0x10: bytes from file offset 0x2000 */
	uint64_t entry_point;			/* 0x14: cold-boot entry, VPU VA */
	uint8_t vpu_version[32];		/* 0x1C: string, not used */
	uint32_t compression_type;		/* 0x3C: not used */
	uint64_t firmware_version_load_address; /* 0x40: VPU VA of the version page */
	uint32_t firmware_version_size;		/* 0x48 */
	uint64_t boot_params_load_address;	/* 0x4C: VPU VA of the boot-params page */
	uint32_t api_version[NPU_FW_API_COUNT]; /* 0x54 */
	uint32_t runtime_size;			/* 0x94: firmware runtime window, bytes */
	uint32_t shave_nn_fw_size;		/* 0x98 */
	uint32_t preemption_buffer_1_size;	/* 0x9C: primary */
	uint32_t preemption_buffer_2_size;	/* 0xA0: secondary */
	uint32_t preemption_buffer_1_max_size;	/* 0xA4: 0 = no declared limit */
	uint32_t preemption_buffer_2_max_size;	/* 0xA8 */
	uint32_t preemption_reserved[4];	/* 0xAC */
	uint64_t ro_section_start_address;	/* 0xBC: 4 KiB aligned, mapped read-only */
	uint32_t ro_section_size;		/* 0xC4 */
	uint32_t reserved;			/* 0xC8 */
};
#pragma pack(pop)

/* Byte offset of a header field in the file (the struct above, docs/hardware.md §4.2). */
#define NPU_FW_OFF(field) offsetof(struct npu_fw_header, field)

_Static_assert(sizeof(struct npu_fw_header) == 0xCC, "fw header size");
_Static_assert(sizeof(struct npu_fw_header) <= NPU_FW_HEADER_SIZE, "fw header fits its page");
_Static_assert(offsetof(struct npu_fw_header, header_version) == 0x00, "header_version");
_Static_assert(offsetof(struct npu_fw_header, image_format) == 0x04, "image_format");
_Static_assert(offsetof(struct npu_fw_header, image_load_address) == 0x08, "image_load_address");
_Static_assert(offsetof(struct npu_fw_header, image_size) == 0x10, "image_size");
_Static_assert(offsetof(struct npu_fw_header, entry_point) == 0x14, "entry_point");
_Static_assert(offsetof(struct npu_fw_header, vpu_version) == 0x1C, "vpu_version");
_Static_assert(offsetof(struct npu_fw_header, compression_type) == 0x3C, "compression_type");
_Static_assert(offsetof(struct npu_fw_header, firmware_version_load_address) == 0x40,
	       "firmware_version_load_address");
_Static_assert(offsetof(struct npu_fw_header, firmware_version_size) == 0x48,
	       "firmware_version_size");
_Static_assert(offsetof(struct npu_fw_header, boot_params_load_address) == 0x4C,
	       "boot_params_load_address");
_Static_assert(offsetof(struct npu_fw_header, api_version) == 0x54, "api_version");
_Static_assert(offsetof(struct npu_fw_header, runtime_size) == 0x94, "runtime_size");
_Static_assert(offsetof(struct npu_fw_header, shave_nn_fw_size) == 0x98, "shave_nn_fw_size");
_Static_assert(offsetof(struct npu_fw_header, preemption_buffer_1_size) == 0x9C,
	       "preemption_buffer_1_size");
_Static_assert(offsetof(struct npu_fw_header, preemption_buffer_2_size) == 0xA0,
	       "preemption_buffer_2_size");
_Static_assert(offsetof(struct npu_fw_header, preemption_buffer_1_max_size) == 0xA4,
	       "preemption_buffer_1_max_size");
_Static_assert(offsetof(struct npu_fw_header, preemption_buffer_2_max_size) == 0xA8,
	       "preemption_buffer_2_max_size");
_Static_assert(offsetof(struct npu_fw_header, preemption_reserved) == 0xAC, "preemption_reserved");
_Static_assert(offsetof(struct npu_fw_header, ro_section_start_address) == 0xBC,
	       "ro_section_start_address");
_Static_assert(offsetof(struct npu_fw_header, ro_section_size) == 0xC4, "ro_section_size");
_Static_assert(offsetof(struct npu_fw_header, reserved) == 0xC8, "reserved");

/* Validation limits (docs/hardware.md §4.3). */
#define NPU_FW_RUNTIME_SIZE_MAX	    0x20000000ull /* 512 MiB */
#define NPU_FW_SHAVE_NN_SIZE_MAX    0x200000ull	  /* 2 MiB */
#define NPU_FW_PREEMPT_BUF_SIZE_MIN NPU_SZ_KIB(4) /* outside [min, max]: no preemption */
#define NPU_FW_PREEMPT_BUF_SIZE_MAX NPU_SZ_MIB(32)
#define NPU_FW_BOOT_PARAMS_SIZE	    NPU_SZ_KIB(4)
/* Newest rules: runtime = [image_load_address, + runtime_size - 8 KiB). */
#define NPU_FW_RUNTIME_PREFIX_SIZE NPU_SZ_KIB(8)

/* Legacy rule (before Sept 2025): boot_params_load_address in [2 GiB, 3 GiB - 256 MiB]. */
#define NPU_FW_LEGACY_RUNTIME_ADDR_MIN NPU_SZ_GIB(2)			 /* 0x80000000 */
#define NPU_FW_LEGACY_RUNTIME_ADDR_MAX (NPU_SZ_GIB(3) - NPU_SZ_MIB(256)) /* 0xB0000000 */

/*
 * VPU (NPU virtual) address ranges, newest kernels (docs/hardware.md §4.5, docs/firmware-protocol.md §5.6).
 * The runtime range is also the fixed window the newest validation checks against (§4.3).
 */
/* 37xx (MTL/ARL) */
#define NPU_VA_37XX_RUNTIME_START UINT64_C(0x84800000)
#define NPU_VA_37XX_RUNTIME_SIZE  NPU_SZ_MIB(64)
#define NPU_VA_37XX_GLOBAL_START  UINT64_C(0x90000000)
#define NPU_VA_37XX_GLOBAL_SIZE	  NPU_SZ_MIB(256)
#define NPU_VA_37XX_USER_START	  UINT64_C(0xA0000000)
#define NPU_VA_37XX_USER_SIZE	  NPU_SZ_MIB(511)
#define NPU_VA_37XX_SHAVE_START	  UINT64_C(0x180000000)
#define NPU_VA_37XX_SHAVE_SIZE	  NPU_SZ_GIB(2)
#define NPU_VA_37XX_DMA_START	  UINT64_C(0x200000000)
#define NPU_VA_37XX_DMA_SIZE	  NPU_SZ_GIB(128)

/* 40xx and later. Shave [2 GiB, 4 GiB) covers runtime and global; DMA = user. */
#define NPU_VA_40XX_RUNTIME_START UINT64_C(0x80000000)
#define NPU_VA_40XX_RUNTIME_SIZE  NPU_SZ_MIB(64)
#define NPU_VA_40XX_GLOBAL_START  UINT64_C(0x90000000)
#define NPU_VA_40XX_GLOBAL_SIZE	  NPU_SZ_MIB(256)
#define NPU_VA_40XX_USER_START	  UINT64_C(0x100000000)
#define NPU_VA_40XX_USER_SIZE	  NPU_SZ_GIB(256)
#define NPU_VA_40XX_SHAVE_START	  UINT64_C(0x80000000)
#define NPU_VA_40XX_SHAVE_SIZE	  NPU_SZ_GIB(2)
#define NPU_VA_40XX_DMA_START	  NPU_VA_40XX_USER_START
#define NPU_VA_40XX_DMA_SIZE	  NPU_VA_40XX_USER_SIZE

/* The global range must be 512 KiB aligned (firmware MTRR). */
#define NPU_VA_GLOBAL_ALIGN NPU_SZ_KIB(512)

#endif /* NPU_HW_FW_HEADER_H */
