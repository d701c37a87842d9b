/* SPDX-License-Identifier: MIT */
/*
 * npud - job queue shared with the firmware, doorbell ids, job ids (docs/firmware-protocol.md §3).
 *
 * The device's little-endian layouts. A job queue is one 4 KiB buffer in the global
 * (SSID 0) address space: a 64-byte header followed by 63 64-byte slots.
 */
#ifndef NPU_HW_JOBQ_H
#define NPU_HW_JOBQ_H

#include <stddef.h>
#include <stdint.h>

#include "bits.h"

/* docs/firmware-protocol.md §3.1 */
#define NPU_JOBQ_SIZE	     4096u
#define NPU_JOBQ_HEADER_SIZE 64u
#define NPU_JOBQ_SLOT_SIZE   64u
#define NPU_JOBQ_SLOT_COUNT  ((NPU_JOBQ_SIZE - NPU_JOBQ_HEADER_SIZE) / NPU_JOBQ_SLOT_SIZE) /* 63 */

/* Doorbell ids the host allocates (cyclically) per device (docs/firmware-protocol.md §3.4). */
#define NPU_DOORBELL_ID_MIN 1u
#define NPU_DOORBELL_ID_MAX 255u

/* Header flags (JSM 3.2x+; reserved before). */
#define NPU_JOBQ_FLAGS_NO_JOB_DONE	NPU_BIT(0)
#define NPU_JOBQ_FLAGS_USE_NATIVE_FENCE NPU_BIT(1) /* 40xx+ */
#define NPU_JOBQ_FLAGS_TURBO_MODE	NPU_BIT(2)
#define NPU_JOBQ_FLAGS_NON_INTERACTIVE	NPU_BIT(3)

/* docs/firmware-protocol.md §3.2: job queue header (64 B) */
struct npu_jobq_header {
	uint32_t engine_idx;	      /* host: NPU_JSM_ENGINE_COMPUTE */
	uint32_t head;		      /* next slot the firmware consumes; firmware advances */
	uint32_t tail;		      /* next free slot; host advances */
	uint32_t flags;		      /* NPU_JOBQ_FLAGS_* */
	uint32_t priority_band_valid; /* OS scheduling only */
	uint32_t priority_band;
	uint32_t realtime_priority_level; /* 0..31 */
	uint32_t reserved[9];
};

_Static_assert(sizeof(struct npu_jobq_header) == NPU_JOBQ_HEADER_SIZE, "jobq header size");
_Static_assert(offsetof(struct npu_jobq_header, engine_idx) == 0, "jobq engine_idx");
_Static_assert(offsetof(struct npu_jobq_header, head) == 4, "jobq head");
_Static_assert(offsetof(struct npu_jobq_header, tail) == 8, "jobq tail");
_Static_assert(offsetof(struct npu_jobq_header, flags) == 12, "jobq flags");
_Static_assert(offsetof(struct npu_jobq_header, priority_band_valid) == 16, "jobq band_valid");
_Static_assert(offsetof(struct npu_jobq_header, priority_band) == 20, "jobq priority_band");
_Static_assert(offsetof(struct npu_jobq_header, realtime_priority_level) == 24, "jobq rt level");
_Static_assert(offsetof(struct npu_jobq_header, reserved) == 28, "jobq reserved");

/* Slot flags (docs/firmware-protocol.md §3.3). */
#define NPU_JOB_FLAGS_NULL_SUBMISSION NPU_BIT(0)	  /* test only */
#define NPU_JOB_FLAGS_INLINE_CMD      NPU_BIT(1)	  /* slot is a struct npu_jobq_inline_cmd */
#define NPU_JOB_FLAGS_FW_PRIVATE      NPU_GENMASK(31, 16) /* JSM 3.35; bits 31:24 before */

/*
 * docs/firmware-protocol.md §3.3: job slot (64 B). Bytes 16..31 were root_page_table_addr/_update_counter
 * before JSM 3.19; Linux writes 0 in both layouts.
 */
struct npu_jobq_entry {
	uint64_t batch_buf_addr; /* VA (job's SSID) of the command-buffer header */
	uint32_t job_id;	 /* npu_job_id() */
	uint32_t flags;		 /* NPU_JOB_FLAGS_* */
	union {
		uint64_t doorbell_timestamp; /* us, host clock */
		uint64_t root_page_table_addr;
	};
	union {
		uint64_t host_tracking_id;
		uint64_t root_page_table_update_counter;
	};
	uint64_t primary_preempt_buf_addr;   /* HWS only */
	uint32_t primary_preempt_buf_size;   /* HWS only */
	uint32_t secondary_preempt_buf_size; /* HWS only */
	uint64_t secondary_preempt_buf_addr; /* HWS only */
	uint64_t reserved;
};

_Static_assert(sizeof(struct npu_jobq_entry) == NPU_JOBQ_SLOT_SIZE, "jobq entry size");
_Static_assert(offsetof(struct npu_jobq_entry, batch_buf_addr) == 0, "entry batch_buf_addr");
_Static_assert(offsetof(struct npu_jobq_entry, job_id) == 8, "entry job_id");
_Static_assert(offsetof(struct npu_jobq_entry, flags) == 12, "entry flags");
_Static_assert(offsetof(struct npu_jobq_entry, doorbell_timestamp) == 16, "entry db timestamp");
_Static_assert(offsetof(struct npu_jobq_entry, root_page_table_addr) == 16, "entry root pt");
_Static_assert(offsetof(struct npu_jobq_entry, host_tracking_id) == 24, "entry tracking id");
_Static_assert(offsetof(struct npu_jobq_entry, root_page_table_update_counter) == 24,
	       "entry root pt counter");
_Static_assert(offsetof(struct npu_jobq_entry, primary_preempt_buf_addr) == 32,
	       "entry primary preempt addr");
_Static_assert(offsetof(struct npu_jobq_entry, primary_preempt_buf_size) == 40,
	       "entry primary preempt size");
_Static_assert(offsetof(struct npu_jobq_entry, secondary_preempt_buf_size) == 44,
	       "entry secondary preempt size");
_Static_assert(offsetof(struct npu_jobq_entry, secondary_preempt_buf_addr) == 48,
	       "entry secondary preempt addr");
_Static_assert(offsetof(struct npu_jobq_entry, reserved) == 56, "entry reserved");

/* Inline-command slot types (flags has NPU_JOB_FLAGS_INLINE_CMD; 40xx+ native fences). */
#define NPU_INLINE_CMD_NOP	    0u
#define NPU_INLINE_CMD_FENCE_WAIT   1u
#define NPU_INLINE_CMD_FENCE_SIGNAL 2u

/* docs/firmware-protocol.md §3.3: inline-command form of a slot (not used by the Linux kernel) */
struct npu_jobq_inline_cmd {
	uint64_t reserved;
	uint32_t type;	/* NPU_INLINE_CMD_* */
	uint32_t flags; /* NPU_JOB_FLAGS_* */
	uint64_t fence_handle;
	uint64_t current_value_va;
	uint64_t monitored_value_va;
	uint64_t value;
	uint64_t log_buffer_va;
	uint64_t npu_private;
};

_Static_assert(sizeof(struct npu_jobq_inline_cmd) == NPU_JOBQ_SLOT_SIZE, "inline cmd size");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, reserved) == 0, "inline reserved");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, type) == 8, "inline type");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, flags) == 12, "inline flags");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, fence_handle) == 16, "inline fence_handle");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, current_value_va) == 24, "inline cur va");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, monitored_value_va) == 32, "inline mon va");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, value) == 40, "inline value");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, log_buffer_va) == 48, "inline log va");
_Static_assert(offsetof(struct npu_jobq_inline_cmd, npu_private) == 56, "inline npu_private");

/* Whole queue: header then slots, exactly 4 KiB. */
struct npu_jobq {
	struct npu_jobq_header header;
	struct npu_jobq_entry slot[NPU_JOBQ_SLOT_COUNT];
};

_Static_assert(sizeof(struct npu_jobq) == NPU_JOBQ_SIZE, "jobq size");
_Static_assert(offsetof(struct npu_jobq, header) == 0, "jobq header");
_Static_assert(offsetof(struct npu_jobq, slot) == NPU_JOBQ_HEADER_SIZE, "jobq slots");

/* Ring arithmetic (docs/firmware-protocol.md §3.4): full when next(tail) == head. */
static inline uint32_t npu_jobq_next(uint32_t index)
{
	return (index + 1) % NPU_JOBQ_SLOT_COUNT;
}

static inline int npu_jobq_is_full(uint32_t head, uint32_t tail)
{
	return npu_jobq_next(tail) == head;
}

/*
 * Job id (docs/firmware-protocol.md §3.5): bits [31:8] = context id - 1, bits [7:0] = per-context
 * cyclic counter (so at most 256 jobs in flight per context). Context ids start at 1.
 */
#define NPU_JOB_ID_CTX	     NPU_GENMASK(31, 8)
#define NPU_JOB_ID_SEQ	     NPU_GENMASK(7, 0)
#define NPU_JOB_ID_SEQ_COUNT 256u

static inline uint32_t npu_job_id(uint32_t ctx_id, uint32_t seq)
{
	return npu_field_prep(NPU_JOB_ID_CTX, ctx_id - 1) | npu_field_prep(NPU_JOB_ID_SEQ, seq);
}

static inline uint32_t npu_job_id_ctx(uint32_t job_id)
{
	return npu_field_get(NPU_JOB_ID_CTX, job_id) + 1;
}

static inline uint32_t npu_job_id_seq(uint32_t job_id)
{
	return npu_field_get(NPU_JOB_ID_SEQ, job_id);
}

#endif /* NPU_HW_JOBQ_H */
