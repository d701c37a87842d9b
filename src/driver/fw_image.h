/* SPDX-License-Identifier: MIT */
/*
 * Intel NPU firmware image: header decoding and validation (docs/hardware.md §4).
 *
 * A firmware file is a 4 KiB header page, a 4 KiB version page and the image
 * (the bytes copied into NPU memory). The parser decodes the header from the
 * raw bytes, applies the kernel's validation rules and hands back the fields,
 * the version text and a pointer into the caller's buffer. It never reads
 * outside the buffer, whatever the header says, and allocates nothing.
 */
#ifndef NPU_DRIVER_FW_IMAGE_H
#define NPU_DRIVER_FW_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hw/gen.h"
#include "hw/fw_header.h"

/* Bytes of version text kept, and of the header's vpu_version string. */
#define NPU_FW_VERSION_TEXT_MAX NPU_FW_VERSION_PAGE_SIZE
#define NPU_FW_VPU_VERSION_LEN	32u

static inline unsigned drv_fw_api_major(uint32_t v)
{
	return v >> 16;
}

static inline unsigned drv_fw_api_minor(uint32_t v)
{
	return v & 0xFFFFu;
}

/*
 * The validation rules, in the order they are applied. 1-10 are the rules of
 * kernels before Sept 2025 (§4.3, same numbers); the RANGE_* rules are the
 * newest kernel's checks against the generation's fixed runtime range, applied
 * (right after rules 1 and 2) only when a generation is given.
 */
enum npu_fw_rule {
	NPU_FW_RULE_NONE = 0,	       /* no failure (or bad arguments) */
	NPU_FW_RULE_FILE_SIZE,	       /* 1: file larger than 0x2000 bytes */
	NPU_FW_RULE_HEADER_VERSION,    /* 2: header_version == 1 */
	NPU_FW_RULE_RUNTIME_ADDR,      /* 3: boot_params_load_address in [2 GiB, 3 GiB - 256 MiB] */
	NPU_FW_RULE_RUNTIME_SIZE,      /* 4: file size <= runtime_size <= 512 MiB */
	NPU_FW_RULE_IMAGE_SIZE,	       /* 5: 0x2000 + image_size <= file size */
	NPU_FW_RULE_IMAGE_IN_RUNTIME,  /* 6: image inside [boot params, + runtime_size) */
	NPU_FW_RULE_SHAVE_NN_SIZE,     /* 7: shave_nn_fw_size <= 2 MiB */
	NPU_FW_RULE_ENTRY_POINT,       /* 8: entry inside the image */
	NPU_FW_RULE_API_VERSION,       /* 9: BOOT and JSM majors >= 3 */
	NPU_FW_RULE_RO_SECTION,	       /* 10: RO section, if any, inside the image */
	NPU_FW_RULE_RANGE_BOOT_PARAMS, /* boot params page inside the range */
	NPU_FW_RULE_RANGE_VERSION_SIZE, /* align_up(firmware_version_size, 4 KiB) == 4 KiB */
	NPU_FW_RULE_RANGE_VERSION_PAGE, /* version page inside the range */
	NPU_FW_RULE_RANGE_RUNTIME,	/* [image_load_address, + runtime_size - 8 KiB) inside */
	NPU_FW_RULE_RANGE_IMAGE,	/* image inside the range */
	NPU_FW_RULE_RANGE_ENTRY,	/* entry inside the image */
	NPU_FW_RULE_COUNT
};

/* Why a parse failed: the rule, and one plain line naming field, values and limit. */
struct npu_fw_error {
	enum npu_fw_rule rule;
	char msg[256];
};

/* A decoded firmware file. Field names are those of struct vpu_firmware_header. */
struct npu_fw_image {
	uint32_t header_version;
	uint32_t image_format;
	uint64_t image_load_address; /* NPU VA of the first image byte */
	uint32_t image_size;
	uint64_t entry_point;			      /* cold-boot entry, NPU VA */
	char vpu_version[NPU_FW_VPU_VERSION_LEN + 1]; /* sanitised like version */
	uint32_t compression_type;
	uint64_t firmware_version_load_address;
	uint32_t firmware_version_size;
	uint64_t boot_params_load_address;
	uint32_t api_version[NPU_FW_API_COUNT]; /* (major << 16) | minor */
	uint32_t runtime_size;
	uint32_t shave_nn_fw_size;
	uint32_t preemption_buffer_1_size;
	uint32_t preemption_buffer_2_size;
	uint32_t preemption_buffer_1_max_size;
	uint32_t preemption_buffer_2_max_size;
	uint64_t ro_section_start_address;
	uint32_t ro_section_size;

	/*
	 * The version page's text: at most firmware_version_size bytes (and at
	 * most 4096), up to the first NUL, bytes outside printable ASCII replaced
	 * by '?'. Always NUL-terminated.
	 */
	char version[NPU_FW_VERSION_TEXT_MAX + 1];

	/* Borrowed from the caller's buffer: file[0x2000, 0x2000 + image_size). */
	const uint8_t *image;
	size_t image_len;

	size_t file_size;
	enum npu_gen gen; /* the generation whose range rules were applied */
};

/*
 * Decodes and validates a firmware file held in [data, data + size).
 *
 * Applies rules 1-10 of §4.3 in every case; with gen NPU_GEN_37XX, _40XX,
 * _50XX or _60XX also the fixed-range rules of that generation (50xx and 60xx
 * use the 40xx range). NPU_GEN_UNKNOWN (or any other value) applies only the
 * generation-independent rules 1-10. The range rules run right after rules 1
 * and 2: run last, their image and entry checks could never fire, since rules
 * 4, 5 and 8 already imply them. The first broken rule is reported; its
 * message names the field, gives the values in hex and the limit, e.g.
 * "image_size 0x24f719 runs past the end of the file (0x251718)".
 *
 * Returns 0 with *img filled; -ENOEXEC when the file breaks a rule (err->rule
 * and err->msg say which and why; *img then holds whatever header fields the
 * file had, the image pointer is NULL); -EINVAL when img is NULL or data is
 * NULL with a non-zero size. err may be NULL. img->image points into data and
 * is valid as long as data is.
 */
int drv_fw_image_parse(const void *data, size_t size, enum npu_gen gen, struct npu_fw_image *img,
		       struct npu_fw_error *err);

/*
 * Decodes the header fields only, without any rule: for looking at a file
 * before choosing a generation. Returns 0, or -ENOEXEC when the file is
 * shorter than the header's fields (NPU_FW_HEADER_FIXED_SIZE), -EINVAL on bad
 * arguments. The version text and the image pointer are left empty.
 */
int drv_fw_header_decode(const void *data, size_t size, struct npu_fw_image *img);

/*
 * The generation whose fixed runtime range holds boot_params_load_address
 * (37xx: 0x84800000 + 64 MiB, 40xx: 0x80000000 + 64 MiB), or NPU_GEN_UNKNOWN.
 * 50xx and 60xx share the 40xx range and are reported as NPU_GEN_40XX.
 */
enum npu_gen drv_fw_image_guess_gen(const struct npu_fw_image *img);

/* The fixed runtime range of a generation: 0, or -EINVAL for NPU_GEN_UNKNOWN. */
int drv_fw_runtime_range(enum npu_gen gen, uint64_t *start, uint64_t *size);

/* "boot" (0), "job_cmd" (3), "jsm" (4), "nnrt" (7); NULL for other indices. */
const char *drv_fw_api_name(unsigned index);

/*
 * Copies the parsed image to dst, the place of image_load_address in the
 * runtime buffer: one memcpy of the file's bytes, nothing else.
 */
void drv_fw_image_copy(const struct npu_fw_image *img, void *dst);

/* A short identifier of a rule ("image_size", "range_entry", ...); "?" if unknown. */
const char *drv_fw_rule_name(enum npu_fw_rule rule);

#endif
