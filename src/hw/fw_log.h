/* SPDX-License-Identifier: MIT */
/*
 * npud - firmware trace (log) buffers (docs/firmware-protocol.md §7).
 *
 * The device's little-endian layout. Each log buffer holds one or more consecutive
 * sub-buffers; each starts with a 128-byte header and the next one starts `size`
 * bytes later. Messages occupy [header_size, size). Buffer sizes and trace levels are
 * in boot_params.h.
 */
#ifndef NPU_HW_FW_LOG_H
#define NPU_HW_FW_LOG_H

#include <stddef.h>
#include <stdint.h>

/* vpu_canary_start of a valid header. */
#define NPU_FW_LOG_CANARY 0xCAFECAFEu

#define NPU_FW_LOG_HEADER_SIZE	   128u
#define NPU_FW_LOG_HEADER_SIZE_MIN 128u /* header_size bounds */
#define NPU_FW_LOG_HEADER_SIZE_MAX 1024u
#define NPU_FW_LOG_NAME_LEN	   16u

/* Message formats (format field; bit n of the boot-params format mask). */
#define NPU_FW_LOG_FORMAT_STRING      0u /* NUL-terminated strings */
#define NPU_FW_LOG_FORMAT_SIZE_STRING 1u /* size + string */
#define NPU_FW_LOG_FORMAT_MIPI_SYST   2u /* MIPI SyS-T */

/* docs/firmware-protocol.md §7: struct vpu_tracing_buffer_header */
struct npu_fw_log_header {
	uint32_t host_canary_start;
	uint32_t read_index;	  /* host-owned reader offset into the message area */
	uint32_t read_wrap_count; /* newer firmware */
	uint32_t reserved0[13];
	uint32_t vpu_canary_start; /* NPU_FW_LOG_CANARY */
	uint32_t write_index;	   /* firmware */
	uint32_t wrap_count;	   /* firmware */
	uint32_t reserved1;
	uint32_t size; /* header + message space */
	uint16_t header_version;
	uint16_t header_size;
	uint32_t format; /* NPU_FW_LOG_FORMAT_* */
	uint32_t alignment;
	char name[NPU_FW_LOG_NAME_LEN]; /* "LRT", "LNN", "SHV0", ... */
	uint8_t reserved2[16];
};

_Static_assert(sizeof(struct npu_fw_log_header) == NPU_FW_LOG_HEADER_SIZE, "fw log hdr size");
_Static_assert(offsetof(struct npu_fw_log_header, host_canary_start) == 0x00, "host canary");
_Static_assert(offsetof(struct npu_fw_log_header, read_index) == 0x04, "read_index");
_Static_assert(offsetof(struct npu_fw_log_header, read_wrap_count) == 0x08, "read_wrap_count");
_Static_assert(offsetof(struct npu_fw_log_header, reserved0) == 0x0C, "reserved0");
_Static_assert(offsetof(struct npu_fw_log_header, vpu_canary_start) == 0x40, "vpu canary");
_Static_assert(offsetof(struct npu_fw_log_header, write_index) == 0x44, "write_index");
_Static_assert(offsetof(struct npu_fw_log_header, wrap_count) == 0x48, "wrap_count");
_Static_assert(offsetof(struct npu_fw_log_header, reserved1) == 0x4C, "reserved1");
_Static_assert(offsetof(struct npu_fw_log_header, size) == 0x50, "size");
_Static_assert(offsetof(struct npu_fw_log_header, header_version) == 0x54, "header_version");
_Static_assert(offsetof(struct npu_fw_log_header, header_size) == 0x56, "header_size");
_Static_assert(offsetof(struct npu_fw_log_header, format) == 0x58, "format");
_Static_assert(offsetof(struct npu_fw_log_header, alignment) == 0x5C, "alignment");
_Static_assert(offsetof(struct npu_fw_log_header, name) == 0x60, "name");
_Static_assert(offsetof(struct npu_fw_log_header, reserved2) == 0x70, "reserved2");

#endif /* NPU_HW_FW_LOG_H */
