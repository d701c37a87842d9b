/* SPDX-License-Identifier: MIT */
/*
 * The host/firmware message layouts of src/hw/ (IPC header, JSM messages, job
 * queue, command buffer, firmware log; docs/firmware-protocol.md §1-§4, §7),
 * checked at compile time against structures written here, independently, in
 * the field order and types of the public headers: Intel's vpu_jsm_api.h
 * (`#pragma pack(1)`: struct vpu_ipc_msg and its payloads, vpu_job_queue_header,
 * vpu_job_queue_entry), vpu_jsm_job_cmd_api.h (vpu_cmd_buffer_header, the
 * commands, the copy descriptors), vpu_boot_api.h (vpu_tracing_buffer_header)
 * and Linux ivpu_ipc.h (struct ivpu_ipc_hdr). Offsets come from the compiler
 * laying out those field lists, not from numbers typed twice. Values (message
 * types, channels, commands) are the headers' numbers.
 *
 * At run time only what computes: the job-id and queue-ring helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/cmd.h"
#include "hw/fw_log.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"

/* Field f of ours at the offset and with the size of field g of theirs. */
#define SAME_FIELD(ours, f, theirs, g)                                                       \
	_Static_assert(offsetof(struct ours, f) == offsetof(struct theirs, g) &&             \
			   sizeof(((struct ours *)0)->f) == sizeof(((struct theirs *)0)->g), \
		       #ours "." #f " vs " #theirs "." #g)
#define SAME_SIZE(ours, theirs) \
	_Static_assert(sizeof(struct ours) == sizeof(struct theirs), #ours " vs " #theirs " size")

#pragma pack(push, 1)

/* Linux ivpu_ipc.h: struct ivpu_ipc_hdr, packed and 64-byte aligned. */
struct ref_ipc_hdr {
	uint32_t data_addr;
	uint32_t data_size;
	uint16_t channel;
	uint8_t src_node;
	uint8_t dst_node;
	uint8_t status;
	uint8_t pad_to_64[51];
};

/* vpu_jsm_api.h payloads. */
struct ref_engine_reset {
	uint32_t engine_idx;
	uint32_t reserved_0;
};

struct ref_register_db {
	uint32_t db_idx;
	uint32_t reserved_0;
	uint64_t jobq_base;
	uint32_t jobq_size;
	uint32_t host_ssid;
};

struct ref_hws_register_db {
	uint32_t db_id;
	uint32_t host_ssid;
	uint64_t cmdq_id;
	uint64_t cmdq_base;
	uint64_t cmdq_size;
};

struct ref_unregister_db {
	uint32_t db_idx;
	uint32_t reserved_0;
};

struct ref_query_engine_hb_done {
	uint32_t engine_idx;
	uint32_t reserved_0;
	uint64_t heartbeat;
};

struct ref_ssid_release {
	uint32_t host_ssid;
	uint32_t reserved_0;
};

struct ref_job_done {
	uint32_t engine_idx;
	uint32_t db_idx;
	uint32_t job_id;
	uint32_t job_status;
	uint32_t host_ssid;
	uint32_t reserved_0;
	uint64_t cmdq_id;
};

struct ref_engine_reset_context {
	uint32_t host_ssid;
	uint32_t reserved_0;
	uint64_t cmdq_id;
	uint64_t flags;
};

struct ref_engine_reset_done {
	uint32_t engine_idx;
	uint32_t num_impacted_contexts;
	struct ref_engine_reset_context impacted_contexts[3];
};

struct ref_hws_create_cmdq {
	uint64_t process_id;
	uint32_t host_ssid;
	uint32_t engine_idx;
	uint64_t cmdq_group;
	uint64_t cmdq_id;
	uint64_t cmdq_base;
	uint32_t cmdq_size;
	uint32_t reserved_0;
};

struct ref_hws_destroy_cmdq {
	uint32_t host_ssid;
	uint32_t reserved;
	uint64_t cmdq_id;
};

/* JSM 3.2x+: the old reserved_0 after normal_band_percentage became tdr_timeout. */
struct ref_hws_priority_band_setup {
	uint32_t grace_period[4];
	uint32_t process_quantum[4];
	uint32_t process_grace_period[4];
	uint32_t normal_band_percentage;
	uint32_t tdr_timeout;
	uint32_t non_interactive_no_progress_timeout;
	uint32_t non_interactive_timeout;
};

struct ref_hws_set_context_sched_properties {
	uint32_t host_ssid;
	uint32_t reserved_0;
	uint64_t cmdq_id;
	uint32_t priority_band;
	uint32_t realtime_priority_level;
	int32_t in_process_priority;
	uint32_t reserved_1;
	uint64_t context_quantum;
	uint64_t grace_period_same_priority;
	uint64_t grace_period_lower_priority;
};

struct ref_trace_config {
	uint32_t trace_level;
	uint32_t trace_destination_mask;
	uint64_t trace_hw_component_mask;
	uint64_t reserved_0;
};

struct ref_metric_streamer_start {
	uint64_t metric_group_mask;
	uint64_t sampling_rate;
	uint32_t notify_sample_count;
	uint32_t reserved_0;
	uint64_t buffer_addr;
	uint64_t buffer_size;
	uint64_t next_buffer_addr;
	uint64_t next_buffer_size;
};

struct ref_metric_streamer_done {
	uint64_t metric_group_mask;
	uint32_t sample_size;
	uint32_t reserved_0;
	uint32_t samples_collected;
	uint32_t samples_dropped;
	uint64_t buffer_addr;
	uint64_t bytes_written;
};

/* struct vpu_ipc_msg: a 32-byte head, then the payload union (96 bytes, the dyndbg text). */
struct ref_ipc_msg {
	uint64_t reserved_0;
	uint32_t type;
	uint32_t status;
	uint32_t request_id;
	uint32_t result;
	uint64_t reserved_1;
	char dyndbg_cmd[96];
};

/* JSM 3.35 queue header; 3.16 had reserved bytes after tail, the same 64 in all. */
struct ref_job_queue_header {
	uint32_t engine_idx;
	uint32_t head;
	uint32_t tail;
	uint32_t flags;
	uint32_t priority_band_valid;
	uint32_t priority_band;
	uint32_t realtime_priority_level;
	uint8_t reserved_0[36];
};

/* The job form of a queue entry, with the pre-3.19 names of bytes 16..31. */
struct ref_job_queue_entry {
	uint64_t batch_buf_addr;
	uint32_t job_id;
	uint32_t flags;
	uint64_t root_page_table_addr;
	uint64_t root_page_table_update_counter;
	uint64_t primary_preempt_buf_addr;
	uint32_t primary_preempt_buf_size;
	uint32_t secondary_preempt_buf_size;
	uint64_t secondary_preempt_buf_addr;
	uint8_t reserved_0[8];
};

/* The inline-command form of a queue entry (40xx+ native fences). */
struct ref_inline_cmd {
	uint64_t reserved_0;
	uint32_t type;
	uint32_t flags;
	uint64_t fence_handle;
	uint64_t current_value_va;
	uint64_t monitored_value_va;
	uint64_t value;
	uint64_t log_buffer_va;
	uint64_t npu_private;
};

/* vpu_jsm_job_cmd_api.h. */
struct ref_cmd_buffer_header {
	uint32_t cmd_buffer_size;
	uint32_t cmd_offset;
	uint32_t api_version;
	uint32_t reserved_0;
	uint64_t descriptor_heap_base_address;
	uint64_t submission_timestamp;
	uint64_t fence_heap_base_address;
	uint64_t context_save_area_address;
};

struct ref_cmd_header {
	uint16_t type;
	uint16_t size;
};

struct ref_cmd_fence {
	struct ref_cmd_header header;
	uint32_t reserved_0;
	uint64_t offset;
	uint64_t value;
};

struct ref_cmd_timestamp {
	struct ref_cmd_header header;
	uint32_t type;
	uint64_t timestamp_address;
};

struct ref_cmd_memory_fill {
	struct ref_cmd_header header;
	uint32_t reserved_0;
	uint64_t start_address;
	uint64_t size;
	uint32_t fill_pattern;
	uint32_t reserved_1;
};

struct ref_cmd_copy_buffer {
	struct ref_cmd_header header;
	uint32_t reserved_0;
	uint64_t desc_start_offset;
	uint32_t desc_count;
	uint32_t reserved_1;
};

struct ref_inference_execute {
	struct ref_cmd_header header;
	uint32_t reserved_0;
	uint64_t inference_id;
	uint64_t host_mapped_inference_address;
	uint32_t host_mapped_inference_width;
	uint32_t host_mapped_inference_reserved;
};

struct ref_copy_descriptor_37xx {
	uint64_t reserved_0[2];
	uint64_t src_address;
	uint64_t dst_address;
	uint32_t size;
	uint32_t reserved_1[7];
};

struct ref_copy_descriptor_40xx {
	uint64_t reserved_0[3];
	uint32_t size;
	uint32_t reserved_1;
	uint64_t reserved_2;
	uint64_t src_address;
	uint64_t dst_address;
	uint64_t reserved_3[17];
};

/* vpu_boot_api.h: struct vpu_tracing_buffer_header, the host's half then the firmware's. */
struct ref_tracing_buffer_header {
	uint32_t host_canary_start;
	uint32_t read_index;
	uint32_t read_wrap_count;
	uint32_t pad_to_cache_line_size_0[13];
	uint32_t vpu_canary_start;
	uint32_t write_index;
	uint32_t wrap_count;
	uint32_t reserved_0;
	uint32_t size;
	uint16_t header_version;
	uint16_t header_size;
	uint32_t format;
	uint32_t alignment;
	char name[16];
	uint8_t pad_to_cache_line_size_1[16];
};

#pragma pack(pop)

/* ---- IPC (docs/firmware-protocol.md §1.2, §1.3) ---- */

SAME_SIZE(npu_ipc_hdr, ref_ipc_hdr);
SAME_FIELD(npu_ipc_hdr, data_addr, ref_ipc_hdr, data_addr);
SAME_FIELD(npu_ipc_hdr, data_size, ref_ipc_hdr, data_size);
SAME_FIELD(npu_ipc_hdr, channel, ref_ipc_hdr, channel);
SAME_FIELD(npu_ipc_hdr, src_node, ref_ipc_hdr, src_node);
SAME_FIELD(npu_ipc_hdr, dst_node, ref_ipc_hdr, dst_node);
SAME_FIELD(npu_ipc_hdr, status, ref_ipc_hdr, status);

/* "BOOT" read as a big-endian word (Linux IVPU_IPC_BOOT_MSG_DATA_ADDR). */
_Static_assert(NPU_IPC_BOOT_MSG_DATA_ADDR ==
		   ((uint32_t)'B' << 24 | (uint32_t)'O' << 16 | (uint32_t)'O' << 8 | 'T'),
	       "boot magic");
_Static_assert(NPU_IPC_CHAN_ASYNC_CMD == 0 && NPU_IPC_CHAN_GEN_CMD == 10 &&
		   NPU_IPC_CHAN_JOB_RET == 11 && NPU_IPC_CHAN_BOOT_MSG == 0x3FF,
	       "channels");
_Static_assert(NPU_IPC_TX_BUF_SIZE == 16 * 1024 && NPU_IPC_RX_BUF_SIZE == 16 * 1024, "buffers");
_Static_assert(NPU_IPC_JSM_MSG_SIZE == sizeof(struct ref_ipc_msg), "data_size");
_Static_assert(NPU_IPC_TX_SLOT_SIZE == sizeof(struct ref_ipc_hdr) + sizeof(struct ref_ipc_msg),
	       "TX slot");

/* ---- JSM (docs/firmware-protocol.md §2) ---- */

SAME_SIZE(npu_jsm_msg, ref_ipc_msg);
SAME_FIELD(npu_jsm_msg, type, ref_ipc_msg, type);
SAME_FIELD(npu_jsm_msg, status, ref_ipc_msg, status);
SAME_FIELD(npu_jsm_msg, request_id, ref_ipc_msg, request_id);
SAME_FIELD(npu_jsm_msg, result, ref_ipc_msg, result);
SAME_FIELD(npu_jsm_msg, payload, ref_ipc_msg, dyndbg_cmd);
_Static_assert(sizeof(((struct npu_jsm_msg *)0)->payload.dyndbg_control) == 96, "dyndbg");

SAME_SIZE(npu_jsm_engine_reset, ref_engine_reset);
SAME_FIELD(npu_jsm_engine_reset, engine_idx, ref_engine_reset, engine_idx);

SAME_SIZE(npu_jsm_register_db, ref_register_db);
SAME_FIELD(npu_jsm_register_db, db_idx, ref_register_db, db_idx);
SAME_FIELD(npu_jsm_register_db, jobq_base, ref_register_db, jobq_base);
SAME_FIELD(npu_jsm_register_db, jobq_size, ref_register_db, jobq_size);
SAME_FIELD(npu_jsm_register_db, host_ssid, ref_register_db, host_ssid);

SAME_SIZE(npu_jsm_hws_register_db, ref_hws_register_db);
SAME_FIELD(npu_jsm_hws_register_db, db_id, ref_hws_register_db, db_id);
SAME_FIELD(npu_jsm_hws_register_db, host_ssid, ref_hws_register_db, host_ssid);
SAME_FIELD(npu_jsm_hws_register_db, cmdq_id, ref_hws_register_db, cmdq_id);
SAME_FIELD(npu_jsm_hws_register_db, cmdq_base, ref_hws_register_db, cmdq_base);
SAME_FIELD(npu_jsm_hws_register_db, cmdq_size, ref_hws_register_db, cmdq_size);

SAME_SIZE(npu_jsm_unregister_db, ref_unregister_db);
SAME_FIELD(npu_jsm_unregister_db, db_idx, ref_unregister_db, db_idx);

SAME_SIZE(npu_jsm_query_engine_hb_done, ref_query_engine_hb_done);
SAME_FIELD(npu_jsm_query_engine_hb_done, engine_idx, ref_query_engine_hb_done, engine_idx);
SAME_FIELD(npu_jsm_query_engine_hb_done, heartbeat, ref_query_engine_hb_done, heartbeat);

SAME_SIZE(npu_jsm_ssid_release, ref_ssid_release);
SAME_FIELD(npu_jsm_ssid_release, host_ssid, ref_ssid_release, host_ssid);

SAME_SIZE(npu_jsm_job_done, ref_job_done);
SAME_FIELD(npu_jsm_job_done, engine_idx, ref_job_done, engine_idx);
SAME_FIELD(npu_jsm_job_done, db_idx, ref_job_done, db_idx);
SAME_FIELD(npu_jsm_job_done, job_id, ref_job_done, job_id);
SAME_FIELD(npu_jsm_job_done, job_status, ref_job_done, job_status);
SAME_FIELD(npu_jsm_job_done, host_ssid, ref_job_done, host_ssid);
SAME_FIELD(npu_jsm_job_done, cmdq_id, ref_job_done, cmdq_id);

SAME_SIZE(npu_jsm_engine_reset_done, ref_engine_reset_done);
SAME_FIELD(npu_jsm_engine_reset_done, num_impacted_contexts, ref_engine_reset_done,
	   num_impacted_contexts);
SAME_FIELD(npu_jsm_engine_reset_done, impacted_contexts, ref_engine_reset_done, impacted_contexts);
SAME_SIZE(npu_jsm_engine_reset_context, ref_engine_reset_context);
SAME_FIELD(npu_jsm_engine_reset_context, cmdq_id, ref_engine_reset_context, cmdq_id);
SAME_FIELD(npu_jsm_engine_reset_context, flags, ref_engine_reset_context, flags);

SAME_SIZE(npu_jsm_create_cmd_queue, ref_hws_create_cmdq);
SAME_FIELD(npu_jsm_create_cmd_queue, process_id, ref_hws_create_cmdq, process_id);
SAME_FIELD(npu_jsm_create_cmd_queue, host_ssid, ref_hws_create_cmdq, host_ssid);
SAME_FIELD(npu_jsm_create_cmd_queue, engine_idx, ref_hws_create_cmdq, engine_idx);
SAME_FIELD(npu_jsm_create_cmd_queue, cmdq_group, ref_hws_create_cmdq, cmdq_group);
SAME_FIELD(npu_jsm_create_cmd_queue, cmdq_id, ref_hws_create_cmdq, cmdq_id);
SAME_FIELD(npu_jsm_create_cmd_queue, cmdq_base, ref_hws_create_cmdq, cmdq_base);
SAME_FIELD(npu_jsm_create_cmd_queue, cmdq_size, ref_hws_create_cmdq, cmdq_size);

SAME_SIZE(npu_jsm_destroy_cmd_queue, ref_hws_destroy_cmdq);
SAME_FIELD(npu_jsm_destroy_cmd_queue, cmdq_id, ref_hws_destroy_cmdq, cmdq_id);

SAME_SIZE(npu_jsm_set_priority_band_setup, ref_hws_priority_band_setup);
SAME_FIELD(npu_jsm_set_priority_band_setup, process_quantum, ref_hws_priority_band_setup,
	   process_quantum);
SAME_FIELD(npu_jsm_set_priority_band_setup, process_grace_period, ref_hws_priority_band_setup,
	   process_grace_period);
SAME_FIELD(npu_jsm_set_priority_band_setup, normal_band_percentage, ref_hws_priority_band_setup,
	   normal_band_percentage);
SAME_FIELD(npu_jsm_set_priority_band_setup, tdr_timeout, ref_hws_priority_band_setup, tdr_timeout);
SAME_FIELD(npu_jsm_set_priority_band_setup, non_interactive_timeout, ref_hws_priority_band_setup,
	   non_interactive_timeout);

SAME_SIZE(npu_jsm_set_context_sched_properties, ref_hws_set_context_sched_properties);
SAME_FIELD(npu_jsm_set_context_sched_properties, cmdq_id, ref_hws_set_context_sched_properties,
	   cmdq_id);
SAME_FIELD(npu_jsm_set_context_sched_properties, priority_band,
	   ref_hws_set_context_sched_properties, priority_band);
SAME_FIELD(npu_jsm_set_context_sched_properties, in_process_priority,
	   ref_hws_set_context_sched_properties, in_process_priority);
SAME_FIELD(npu_jsm_set_context_sched_properties, context_quantum,
	   ref_hws_set_context_sched_properties, context_quantum);
SAME_FIELD(npu_jsm_set_context_sched_properties, grace_period_lower_priority,
	   ref_hws_set_context_sched_properties, grace_period_lower_priority);

SAME_SIZE(npu_jsm_trace_config, ref_trace_config);
SAME_FIELD(npu_jsm_trace_config, trace_destination_mask, ref_trace_config, trace_destination_mask);
SAME_FIELD(npu_jsm_trace_config, trace_hw_component_mask, ref_trace_config,
	   trace_hw_component_mask);

SAME_SIZE(npu_jsm_metric_streamer_start, ref_metric_streamer_start);
SAME_FIELD(npu_jsm_metric_streamer_start, notify_sample_count, ref_metric_streamer_start,
	   notify_sample_count);
SAME_FIELD(npu_jsm_metric_streamer_start, next_buffer_size, ref_metric_streamer_start,
	   next_buffer_size);
SAME_SIZE(npu_jsm_metric_streamer_done, ref_metric_streamer_done);
SAME_FIELD(npu_jsm_metric_streamer_done, samples_collected, ref_metric_streamer_done,
	   samples_collected);
SAME_FIELD(npu_jsm_metric_streamer_done, bytes_written, ref_metric_streamer_done, bytes_written);

/* Message types and statuses as vpu_jsm_api.h numbers them (§2.2, §2.3). */
_Static_assert(NPU_JSM_MSG_ENGINE_RESET == 0x1100 && NPU_JSM_MSG_REGISTER_DB == 0x1102 &&
		   NPU_JSM_MSG_UNREGISTER_DB == 0x1103 && NPU_JSM_MSG_QUERY_ENGINE_HB == 0x1104 &&
		   NPU_JSM_MSG_SSID_RELEASE == 0x110E &&
		   NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP == 0x1113 &&
		   NPU_JSM_MSG_HWS_REGISTER_DB == 0x1117 && NPU_JSM_MSG_DCT_ENABLE == 0x111C &&
		   NPU_JSM_MSG_STATE_DUMP == 0x11FF && NPU_JSM_MSG_DYNDBG_CONTROL == 0x1201 &&
		   NPU_JSM_MSG_PWR_D0I3_ENTER == 0x1202,
	       "request types");
_Static_assert(NPU_JSM_MSG_JOB_DONE == 0x2100 && NPU_JSM_MSG_ENGINE_RESET_DONE == 0x2200 &&
		   NPU_JSM_MSG_REGISTER_DB_DONE == 0x2202 &&
		   NPU_JSM_MSG_QUERY_ENGINE_HB_DONE == 0x2204 &&
		   NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP_RSP == 0x2214 &&
		   NPU_JSM_MSG_HWS_RESUME_ENGINE_DONE == 0x221C &&
		   NPU_JSM_MSG_STATE_DUMP_RSP == 0x22FF && NPU_JSM_MSG_GENERAL_CMD_DONE == 0x2300 &&
		   NPU_JSM_MSG_PWR_D0I3_ENTER_DONE == 0x2302 && NPU_JSM_MSG_UNKNOWN == 0xFFFFFFFFu,
	       "response types");
_Static_assert(NPU_JSM_STATUS_SUCCESS == 0 && NPU_JSM_STATUS_PARSING_ERR == 1 &&
		   NPU_JSM_STATUS_PREEMPTED_MID_INFERENCE == 0xD &&
		   NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW == 0xE &&
		   NPU_JOB_STATUS_ABORTED == 256,
	       "statuses");

/* ---- job queue (docs/firmware-protocol.md §3) ---- */

SAME_SIZE(npu_jobq_header, ref_job_queue_header);
SAME_FIELD(npu_jobq_header, engine_idx, ref_job_queue_header, engine_idx);
SAME_FIELD(npu_jobq_header, head, ref_job_queue_header, head);
SAME_FIELD(npu_jobq_header, tail, ref_job_queue_header, tail);
SAME_FIELD(npu_jobq_header, flags, ref_job_queue_header, flags);
SAME_FIELD(npu_jobq_header, priority_band_valid, ref_job_queue_header, priority_band_valid);
SAME_FIELD(npu_jobq_header, realtime_priority_level, ref_job_queue_header, realtime_priority_level);

SAME_SIZE(npu_jobq_entry, ref_job_queue_entry);
SAME_FIELD(npu_jobq_entry, batch_buf_addr, ref_job_queue_entry, batch_buf_addr);
SAME_FIELD(npu_jobq_entry, job_id, ref_job_queue_entry, job_id);
SAME_FIELD(npu_jobq_entry, flags, ref_job_queue_entry, flags);
SAME_FIELD(npu_jobq_entry, root_page_table_addr, ref_job_queue_entry, root_page_table_addr);
SAME_FIELD(npu_jobq_entry, root_page_table_update_counter, ref_job_queue_entry,
	   root_page_table_update_counter);
SAME_FIELD(npu_jobq_entry, primary_preempt_buf_addr, ref_job_queue_entry, primary_preempt_buf_addr);
SAME_FIELD(npu_jobq_entry, primary_preempt_buf_size, ref_job_queue_entry, primary_preempt_buf_size);
SAME_FIELD(npu_jobq_entry, secondary_preempt_buf_size, ref_job_queue_entry,
	   secondary_preempt_buf_size);
SAME_FIELD(npu_jobq_entry, secondary_preempt_buf_addr, ref_job_queue_entry,
	   secondary_preempt_buf_addr);

SAME_SIZE(npu_jobq_inline_cmd, ref_inline_cmd);
SAME_FIELD(npu_jobq_inline_cmd, type, ref_inline_cmd, type);
SAME_FIELD(npu_jobq_inline_cmd, fence_handle, ref_inline_cmd, fence_handle);
SAME_FIELD(npu_jobq_inline_cmd, value, ref_inline_cmd, value);
SAME_FIELD(npu_jobq_inline_cmd, npu_private, ref_inline_cmd, npu_private);

/* 4 KiB: the header and 63 entries, the last one ending at the end of the page. */
_Static_assert(NPU_JOBQ_SLOT_COUNT == (4096 - sizeof(struct ref_job_queue_header)) /
					  sizeof(struct ref_job_queue_entry),
	       "slots");
_Static_assert(sizeof(struct npu_jobq) == 4096, "queue");
_Static_assert(NPU_DOORBELL_ID_MIN == 1 && NPU_DOORBELL_ID_MAX == 255, "doorbell ids");

/* ---- command buffer (docs/firmware-protocol.md §4) ---- */

SAME_SIZE(npu_cmd_buffer_header, ref_cmd_buffer_header);
SAME_FIELD(npu_cmd_buffer_header, cmd_buffer_size, ref_cmd_buffer_header, cmd_buffer_size);
SAME_FIELD(npu_cmd_buffer_header, cmd_offset, ref_cmd_buffer_header, cmd_offset);
SAME_FIELD(npu_cmd_buffer_header, api_version, ref_cmd_buffer_header, api_version);
SAME_FIELD(npu_cmd_buffer_header, descriptor_heap_base_address, ref_cmd_buffer_header,
	   descriptor_heap_base_address);
SAME_FIELD(npu_cmd_buffer_header, submission_timestamp, ref_cmd_buffer_header,
	   submission_timestamp);
SAME_FIELD(npu_cmd_buffer_header, fence_heap_base_address, ref_cmd_buffer_header,
	   fence_heap_base_address);
SAME_FIELD(npu_cmd_buffer_header, context_save_area_address, ref_cmd_buffer_header,
	   context_save_area_address);
/* Before job-cmd API 4.12, bytes 8..15 were one u64 heap base. */
_Static_assert(offsetof(struct npu_cmd_buffer_header, kernel_heap_base_address) ==
		   offsetof(struct ref_cmd_buffer_header, api_version),
	       "legacy heap base");

SAME_SIZE(npu_cmd_header, ref_cmd_header);
SAME_FIELD(npu_cmd_header, size, ref_cmd_header, size);
SAME_SIZE(npu_cmd_fence, ref_cmd_fence);
SAME_FIELD(npu_cmd_fence, offset, ref_cmd_fence, offset);
SAME_FIELD(npu_cmd_fence, value, ref_cmd_fence, value);
SAME_SIZE(npu_cmd_timestamp, ref_cmd_timestamp);
SAME_FIELD(npu_cmd_timestamp, type, ref_cmd_timestamp, type);
SAME_FIELD(npu_cmd_timestamp, timestamp_address, ref_cmd_timestamp, timestamp_address);
SAME_SIZE(npu_cmd_memory_fill, ref_cmd_memory_fill);
SAME_FIELD(npu_cmd_memory_fill, start_address, ref_cmd_memory_fill, start_address);
SAME_FIELD(npu_cmd_memory_fill, size, ref_cmd_memory_fill, size);
SAME_FIELD(npu_cmd_memory_fill, fill_pattern, ref_cmd_memory_fill, fill_pattern);
SAME_SIZE(npu_cmd_copy, ref_cmd_copy_buffer);
SAME_FIELD(npu_cmd_copy, desc_start_offset, ref_cmd_copy_buffer, desc_start_offset);
SAME_FIELD(npu_cmd_copy, desc_count, ref_cmd_copy_buffer, desc_count);
SAME_SIZE(npu_cmd_inference_execute, ref_inference_execute);
SAME_FIELD(npu_cmd_inference_execute, inference_id, ref_inference_execute, inference_id);
_Static_assert(offsetof(struct npu_cmd_inference_execute, host_mapped_inference) +
		       offsetof(struct npu_cmd_host_mapped_inference, width) ==
		   offsetof(struct ref_inference_execute, host_mapped_inference_width),
	       "host_mapped_inference.width");

SAME_SIZE(npu_copy_desc_37xx, ref_copy_descriptor_37xx);
SAME_FIELD(npu_copy_desc_37xx, src_address, ref_copy_descriptor_37xx, src_address);
SAME_FIELD(npu_copy_desc_37xx, dst_address, ref_copy_descriptor_37xx, dst_address);
SAME_FIELD(npu_copy_desc_37xx, size, ref_copy_descriptor_37xx, size);
SAME_SIZE(npu_copy_desc_40xx, ref_copy_descriptor_40xx);
SAME_FIELD(npu_copy_desc_40xx, size, ref_copy_descriptor_40xx, size);
SAME_FIELD(npu_copy_desc_40xx, src_address, ref_copy_descriptor_40xx, src_address);
SAME_FIELD(npu_copy_desc_40xx, dst_address, ref_copy_descriptor_40xx, dst_address);

_Static_assert(NPU_CMD_NOP == 0x0001 && NPU_CMD_TIMESTAMP == 0x0100 &&
		   NPU_CMD_FENCE_WAIT == 0x0101 && NPU_CMD_FENCE_SIGNAL == 0x0102 &&
		   NPU_CMD_BARRIER == 0x0103 && NPU_CMD_METRIC_QUERY_END == 0x0105 &&
		   NPU_CMD_MEMORY_FILL == 0x0202 && NPU_CMD_COPY_LOCAL_TO_LOCAL == 0x0302 &&
		   NPU_CMD_INFERENCE_EXECUTE == 0x0306 && NPU_CMD_OV_BLOB_EXECUTE == 0x0305,
	       "command types");
_Static_assert(NPU_CONTEXT_SAVE_AREA_SIZE == 64, "context save area");

/* ---- firmware log (docs/firmware-protocol.md §7) ---- */

SAME_SIZE(npu_fw_log_header, ref_tracing_buffer_header);
SAME_FIELD(npu_fw_log_header, read_index, ref_tracing_buffer_header, read_index);
SAME_FIELD(npu_fw_log_header, read_wrap_count, ref_tracing_buffer_header, read_wrap_count);
SAME_FIELD(npu_fw_log_header, vpu_canary_start, ref_tracing_buffer_header, vpu_canary_start);
SAME_FIELD(npu_fw_log_header, write_index, ref_tracing_buffer_header, write_index);
SAME_FIELD(npu_fw_log_header, wrap_count, ref_tracing_buffer_header, wrap_count);
SAME_FIELD(npu_fw_log_header, size, ref_tracing_buffer_header, size);
SAME_FIELD(npu_fw_log_header, header_version, ref_tracing_buffer_header, header_version);
SAME_FIELD(npu_fw_log_header, header_size, ref_tracing_buffer_header, header_size);
SAME_FIELD(npu_fw_log_header, format, ref_tracing_buffer_header, format);
SAME_FIELD(npu_fw_log_header, alignment, ref_tracing_buffer_header, alignment);
SAME_FIELD(npu_fw_log_header, name, ref_tracing_buffer_header, name);
_Static_assert(NPU_FW_LOG_CANARY == 0xCAFECAFEu, "canary");
_Static_assert(NPU_FW_LOG_HEADER_SIZE_MIN == sizeof(struct ref_tracing_buffer_header),
	       "header_size minimum");

/* ---- run time: the helpers that compute ---- */

static void test_jobq_ring(void **state)
{
	(void)state;
	/* Full when (tail + 1) % 63 == head (§3.4). */
	assert_int_equal(npu_jobq_next(0), 1);
	assert_int_equal(npu_jobq_next(62), 0);
	assert_true(npu_jobq_is_full(0, 62));
	assert_false(npu_jobq_is_full(0, 61));
	assert_true(npu_jobq_is_full(10, 9));
	assert_false(npu_jobq_is_full(10, 10));
}

static void test_job_id(void **state)
{
	(void)state;
	/* §3.5: [31:8] = context - 1, [7:0] a counter; context 2, first job -> 0x100 (§9). */
	assert_int_equal(npu_job_id(2, 0), 0x100);
	assert_int_equal(npu_job_id(1, 0), 0x000);
	assert_int_equal(npu_job_id(66, 255), (65u << 8) | 255u);
	assert_int_equal(npu_job_id(3, 256), 0x200); /* the counter wraps within [7:0] */
	assert_int_equal(npu_job_id_ctx(0x41FF), 66);
	assert_int_equal(npu_job_id_seq(0x41FF), 255);
	for (uint32_t ctx = 1; ctx <= 130; ctx += 7)
		for (uint32_t seq = 0; seq < 256; seq += 17) {
			uint32_t id = npu_job_id(ctx, seq);

			assert_int_equal(npu_job_id_ctx(id), ctx);
			assert_int_equal(npu_job_id_seq(id), seq);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobq_ring),
		cmocka_unit_test(test_job_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
