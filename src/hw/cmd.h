/* SPDX-License-Identifier: MIT */
/*
 * npud - command ("batch") buffer format of job-cmd API 4.15 (docs/firmware-protocol.md §4).
 *
 * The device's little-endian layouts. A job slot's batch_buf_addr points at a
 * struct npu_cmd_buffer_header; commands follow at cmd_offset, back to back, each
 * starting with a struct npu_cmd_header whose size includes itself.
 */
#ifndef NPU_HW_CMD_H
#define NPU_HW_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "bits.h"

#define NPU_CMD_BUFFER_ALIGN	   64u /* batch header alignment */
#define NPU_CONTEXT_SAVE_AREA_SIZE 64u /* VPU_CONTEXT_SAVE_AREA_SIZE, 64-B aligned */
#define NPU_CMD_SIZE_ALIGN	   8u  /* command sizes are multiples of 8 */

/* Job-cmd API version, (major << 16) | minor (docs/hardware.md §4.2 index 3). */
#define NPU_JOB_CMD_API_VER(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))
#define NPU_JOB_CMD_API_VERSION		  NPU_JOB_CMD_API_VER(4, 15)
#define NPU_JOB_CMD_API_HDR_VERSION_MIN	  NPU_JOB_CMD_API_VER(4, 12) /* api_version field */
#define NPU_JOB_CMD_API_NOP_MIN		  NPU_JOB_CMD_API_VER(4, 10) /* else use BARRIER */

/* docs/firmware-protocol.md §4.2: command types */
#define NPU_CMD_UNKNOWN		    0x0000u /* -> PARSING_ERR */
#define NPU_CMD_NOP		    0x0001u /* firmware job-cmd API >= 4.10 */
#define NPU_CMD_TIMESTAMP	    0x0100u
#define NPU_CMD_FENCE_WAIT	    0x0101u
#define NPU_CMD_FENCE_SIGNAL	    0x0102u
#define NPU_CMD_BARRIER		    0x0103u
#define NPU_CMD_METRIC_QUERY_BEGIN  0x0104u
#define NPU_CMD_METRIC_QUERY_END    0x0105u
#define NPU_CMD_MEMORY_FILL	    0x0202u
#define NPU_CMD_COPY_LOCAL_TO_LOCAL 0x0302u /* a.k.a. COPY */
#define NPU_CMD_INFERENCE_EXECUTE   0x0306u
/* Deprecated: current firmware fails these with PARSING_ERR. */
#define NPU_CMD_COPY_SYSTEM_TO_LOCAL	     0x0200u
#define NPU_CMD_COPY_LOCAL_TO_SYSTEM	     0x0201u
#define NPU_CMD_COPY_SYSTEM_TO_SYSTEM	     0x0203u
#define NPU_CMD_DXIL			     0x0300u
#define NPU_CMD_JIT_MAPPED_INFERENCE_EXECUTE 0x0301u
#define NPU_CMD_CLEAR_BUFFER		     0x0303u
#define NPU_CMD_OV_BLOB_INITIALIZE	     0x0304u
#define NPU_CMD_OV_BLOB_EXECUTE		     0x0305u
#define NPU_CMD_DXIL_COPY		     0x0307u

/* Descriptor-table entry types of the legacy OV_BLOB commands. */
#define NPU_DESC_TABLE_ENTRY_SCRATCH	      0x100u
#define NPU_DESC_TABLE_ENTRY_METADATA	      0x101u
#define NPU_DESC_TABLE_ENTRY_WEIGHTS	      0x102u
#define NPU_DESC_TABLE_ENTRY_KERNEL_DATA      0x103u
#define NPU_DESC_TABLE_ENTRY_INPUT	      0x200u
#define NPU_DESC_TABLE_ENTRY_OUTPUT	      0x201u
#define NPU_DESC_TABLE_ENTRY_PROFILING_OUTPUT 0x202u

/* TIMESTAMP types. */
#define NPU_TIMESTAMP_RAW     0u /* PerfFRC */
#define NPU_TIMESTAMP_SYSTIME 1u
#define NPU_TIMESTAMP_DELTA   2u

/* Limits (docs/firmware-protocol.md §4.2, §4.3). */
#define NPU_CMD_COPY_DESC_COUNT_MAX   4096u
#define NPU_COPY_DESC_SIZE_MAX	      NPU_SZ_MIB(16) /* per 37xx descriptor */
#define NPU_COPY_DESC_37XX_PREFETCH   80u	     /* 16 readable bytes after the last one */
#define NPU_MEMORY_FILL_SIZE_MAX_40XX NPU_SZ_MIB(16)

#define NPU_CMD_OFF(s, f, off) _Static_assert(offsetof(struct s, f) == (off), #s "." #f)
#define NPU_CMD_SIZE(s, sz)    _Static_assert(sizeof(struct s) == (sz), #s " size")

/* docs/firmware-protocol.md §4.1: batch buffer header (48 B, 64-B aligned) */
struct npu_cmd_buffer_header {
	uint32_t cmd_buffer_size; /* header start to end of the last command */
	uint32_t cmd_offset;	  /* first command, from the header start */
	union {
		struct {
			uint32_t api_version; /* job-cmd API >= 4.12: (major << 16) | minor */
			uint32_t reserved;
		};
		uint64_t kernel_heap_base_address; /* before job-cmd API 4.12 */
	};
	uint64_t descriptor_heap_base_address;
	uint64_t submission_timestamp; /* us, host clock, optional */
	uint64_t fence_heap_base_address;
	uint64_t context_save_area_address; /* NPU_CONTEXT_SAVE_AREA_SIZE bytes, required */
};
NPU_CMD_SIZE(npu_cmd_buffer_header, 48);
NPU_CMD_OFF(npu_cmd_buffer_header, cmd_buffer_size, 0);
NPU_CMD_OFF(npu_cmd_buffer_header, cmd_offset, 4);
NPU_CMD_OFF(npu_cmd_buffer_header, api_version, 8);
NPU_CMD_OFF(npu_cmd_buffer_header, reserved, 12);
NPU_CMD_OFF(npu_cmd_buffer_header, kernel_heap_base_address, 8);
NPU_CMD_OFF(npu_cmd_buffer_header, descriptor_heap_base_address, 16);
NPU_CMD_OFF(npu_cmd_buffer_header, submission_timestamp, 24);
NPU_CMD_OFF(npu_cmd_buffer_header, fence_heap_base_address, 32);
NPU_CMD_OFF(npu_cmd_buffer_header, context_save_area_address, 40);

struct npu_cmd_header {
	uint16_t type;
	uint16_t size; /* bytes, including this header */
};
NPU_CMD_SIZE(npu_cmd_header, 4);
NPU_CMD_OFF(npu_cmd_header, type, 0);
NPU_CMD_OFF(npu_cmd_header, size, 2);

/* NOP (any size >= 8, may pad) and BARRIER (8: wait for previous commands). */
struct npu_cmd_nop {
	struct npu_cmd_header hdr;
	uint32_t reserved;
};
NPU_CMD_SIZE(npu_cmd_nop, 8);
NPU_CMD_OFF(npu_cmd_nop, hdr, 0);
NPU_CMD_OFF(npu_cmd_nop, reserved, 4);

struct npu_cmd_barrier {
	struct npu_cmd_header hdr;
	uint32_t reserved;
};
NPU_CMD_SIZE(npu_cmd_barrier, 8);
NPU_CMD_OFF(npu_cmd_barrier, hdr, 0);
NPU_CMD_OFF(npu_cmd_barrier, reserved, 4);

struct npu_cmd_timestamp {
	struct npu_cmd_header hdr;
	uint32_t type;		    /* NPU_TIMESTAMP_* */
	uint64_t timestamp_address; /* 37xx: 64-B aligned; 40xx: 8-B */
};
NPU_CMD_SIZE(npu_cmd_timestamp, 16);
NPU_CMD_OFF(npu_cmd_timestamp, hdr, 0);
NPU_CMD_OFF(npu_cmd_timestamp, type, 4);
NPU_CMD_OFF(npu_cmd_timestamp, timestamp_address, 8);

/* FENCE_WAIT and FENCE_SIGNAL: u64 fence at fence_heap_base_address + offset. */
struct npu_cmd_fence {
	struct npu_cmd_header hdr;
	uint32_t reserved;
	uint64_t offset; /* 8-B aligned fence; 64-B aligned on 37xx */
	uint64_t value;
};
NPU_CMD_SIZE(npu_cmd_fence, 24);
NPU_CMD_OFF(npu_cmd_fence, hdr, 0);
NPU_CMD_OFF(npu_cmd_fence, reserved, 4);
NPU_CMD_OFF(npu_cmd_fence, offset, 8);
NPU_CMD_OFF(npu_cmd_fence, value, 16);

/* METRIC_QUERY_BEGIN / _END. */
struct npu_cmd_metric_query {
	struct npu_cmd_header hdr;
	uint32_t metric_group_type;   /* group bitmask */
	uint64_t metric_data_address; /* 64-B aligned table of buffer pointers */
};
NPU_CMD_SIZE(npu_cmd_metric_query, 16);
NPU_CMD_OFF(npu_cmd_metric_query, hdr, 0);
NPU_CMD_OFF(npu_cmd_metric_query, metric_group_type, 4);
NPU_CMD_OFF(npu_cmd_metric_query, metric_data_address, 8);

struct npu_cmd_memory_fill {
	struct npu_cmd_header hdr;
	uint32_t reserved0;
	uint64_t start_address; /* 37xx: 64-B aligned */
	uint64_t size;
	uint32_t fill_pattern;
	uint32_t reserved1;
};
NPU_CMD_SIZE(npu_cmd_memory_fill, 32);
NPU_CMD_OFF(npu_cmd_memory_fill, hdr, 0);
NPU_CMD_OFF(npu_cmd_memory_fill, reserved0, 4);
NPU_CMD_OFF(npu_cmd_memory_fill, start_address, 8);
NPU_CMD_OFF(npu_cmd_memory_fill, size, 16);
NPU_CMD_OFF(npu_cmd_memory_fill, fill_pattern, 24);
NPU_CMD_OFF(npu_cmd_memory_fill, reserved1, 28);

/* COPY_LOCAL_TO_LOCAL: descriptors at descriptor_heap_base_address + desc_start_offset. */
struct npu_cmd_copy {
	struct npu_cmd_header hdr;
	uint32_t reserved0;
	uint64_t desc_start_offset; /* 64-B aligned array */
	uint32_t desc_count;	    /* <= NPU_CMD_COPY_DESC_COUNT_MAX */
	uint32_t reserved1;
};
NPU_CMD_SIZE(npu_cmd_copy, 24);
NPU_CMD_OFF(npu_cmd_copy, hdr, 0);
NPU_CMD_OFF(npu_cmd_copy, reserved0, 4);
NPU_CMD_OFF(npu_cmd_copy, desc_start_offset, 8);
NPU_CMD_OFF(npu_cmd_copy, desc_count, 16);
NPU_CMD_OFF(npu_cmd_copy, reserved1, 20);

struct npu_cmd_host_mapped_inference {
	uint64_t address;
	uint32_t width; /* size in bytes */
	uint32_t reserved;
};
NPU_CMD_SIZE(npu_cmd_host_mapped_inference, 16);
NPU_CMD_OFF(npu_cmd_host_mapped_inference, address, 0);
NPU_CMD_OFF(npu_cmd_host_mapped_inference, width, 8);
NPU_CMD_OFF(npu_cmd_host_mapped_inference, reserved, 12);

struct npu_cmd_inference_execute {
	struct npu_cmd_header hdr;
	uint32_t reserved;
	uint64_t inference_id;
	struct npu_cmd_host_mapped_inference host_mapped_inference;
};
NPU_CMD_SIZE(npu_cmd_inference_execute, 32);
NPU_CMD_OFF(npu_cmd_inference_execute, hdr, 0);
NPU_CMD_OFF(npu_cmd_inference_execute, reserved, 4);
NPU_CMD_OFF(npu_cmd_inference_execute, inference_id, 8);
NPU_CMD_OFF(npu_cmd_inference_execute, host_mapped_inference, 16);

/* docs/firmware-protocol.md §4.3: 37xx copy descriptor (64 B) */
struct npu_copy_desc_37xx {
	uint64_t reserved0[2];
	uint64_t src_address; /* < 256 GiB */
	uint64_t dst_address;
	uint32_t size; /* <= 16 MiB */
	uint32_t reserved1[7];
};
NPU_CMD_SIZE(npu_copy_desc_37xx, 64);
NPU_CMD_OFF(npu_copy_desc_37xx, reserved0, 0);
NPU_CMD_OFF(npu_copy_desc_37xx, src_address, 16);
NPU_CMD_OFF(npu_copy_desc_37xx, dst_address, 24);
NPU_CMD_OFF(npu_copy_desc_37xx, size, 32);
NPU_CMD_OFF(npu_copy_desc_37xx, reserved1, 36);

/* docs/firmware-protocol.md §4.3: 40xx+ copy descriptor (192 B); copies within NPU DDR VA only */
struct npu_copy_desc_40xx {
	uint64_t reserved0[3];
	uint32_t size;
	uint32_t reserved1;
	uint64_t reserved2;
	uint64_t src_address;
	uint64_t dst_address;
	uint64_t reserved3[17];
};
NPU_CMD_SIZE(npu_copy_desc_40xx, 192);
NPU_CMD_OFF(npu_copy_desc_40xx, reserved0, 0);
NPU_CMD_OFF(npu_copy_desc_40xx, size, 24);
NPU_CMD_OFF(npu_copy_desc_40xx, reserved1, 28);
NPU_CMD_OFF(npu_copy_desc_40xx, reserved2, 32);
NPU_CMD_OFF(npu_copy_desc_40xx, src_address, 40);
NPU_CMD_OFF(npu_copy_desc_40xx, dst_address, 48);
NPU_CMD_OFF(npu_copy_desc_40xx, reserved3, 56);

#undef NPU_CMD_OFF
#undef NPU_CMD_SIZE

#endif /* NPU_HW_CMD_H */
