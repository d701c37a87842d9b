/* SPDX-License-Identifier: MIT */
/*
 * npud - JSM messages carried over IPC (docs/firmware-protocol.md §2, §3.6).
 *
 * The device's little-endian layouts: 128-byte messages, a 32-byte header and a
 * 96-byte payload union. Payload offsets are relative to byte 32 of the message.
 */
#ifndef NPU_HW_JSM_H
#define NPU_HW_JSM_H

#include <stddef.h>
#include <stdint.h>

#define NPU_JSM_MSG_SIZE     128u
#define NPU_JSM_MSG_HDR_SIZE 32u
#define NPU_JSM_PAYLOAD_SIZE 96u

/* Engine index (docs/firmware-protocol.md §2.2): only COMPUTE remains (COPY removed by JSM 3.29). */
#define NPU_JSM_ENGINE_COMPUTE 0u

/* Message status, same values as the IPC header status. */
#define NPU_JSM_MSG_FREE      0u
#define NPU_JSM_MSG_ALLOCATED 1u

/* docs/firmware-protocol.md §2.3: request -> response. */
enum npu_jsm_msg_type {
	NPU_JSM_MSG_ENGINE_RESET = 0x1100,
	NPU_JSM_MSG_ENGINE_PREEMPT = 0x1101,
	NPU_JSM_MSG_REGISTER_DB = 0x1102, /* OS scheduling */
	NPU_JSM_MSG_UNREGISTER_DB = 0x1103,
	NPU_JSM_MSG_QUERY_ENGINE_HB = 0x1104,
	NPU_JSM_MSG_GET_POWER_LEVEL_COUNT = 0x1105,
	NPU_JSM_MSG_GET_POWER_LEVEL = 0x1106,
	NPU_JSM_MSG_SET_POWER_LEVEL = 0x1107,
	NPU_JSM_MSG_METRIC_STREAMER_OPEN = 0x1108,  /* deprecated */
	NPU_JSM_MSG_METRIC_STREAMER_CLOSE = 0x1109, /* deprecated */
	NPU_JSM_MSG_TRACE_SET_CONFIG = 0x110A,
	NPU_JSM_MSG_TRACE_GET_CONFIG = 0x110B,
	NPU_JSM_MSG_TRACE_GET_CAPABILITY = 0x110C,
	NPU_JSM_MSG_TRACE_GET_NAME = 0x110D,
	NPU_JSM_MSG_SSID_RELEASE = 0x110E,
	NPU_JSM_MSG_METRIC_STREAMER_START = 0x110F,
	NPU_JSM_MSG_METRIC_STREAMER_STOP = 0x1110,
	NPU_JSM_MSG_METRIC_STREAMER_UPDATE = 0x1111,
	NPU_JSM_MSG_METRIC_STREAMER_INFO = 0x1112,
	NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP = 0x1113,
	NPU_JSM_MSG_CREATE_CMD_QUEUE = 0x1114,
	NPU_JSM_MSG_DESTROY_CMD_QUEUE = 0x1115,
	NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES = 0x1116,
	NPU_JSM_MSG_HWS_REGISTER_DB = 0x1117, /* answered with REGISTER_DB_DONE */
	NPU_JSM_MSG_HWS_SET_SCHEDULING_LOG = 0x1118,
	NPU_JSM_MSG_HWS_SUSPEND_CMDQ = 0x1119,
	NPU_JSM_MSG_HWS_RESUME_CMDQ = 0x111A,
	NPU_JSM_MSG_HWS_ENGINE_RESUME = 0x111B,
	NPU_JSM_MSG_DCT_ENABLE = 0x111C,
	NPU_JSM_MSG_DCT_DISABLE = 0x111D,
	NPU_JSM_MSG_FREQ_CONFIG = 0x111F,
	NPU_JSM_MSG_STATE_DUMP = 0x11FF,
	NPU_JSM_MSG_BLOB_DEINIT = 0x1200, /* deprecated */
	NPU_JSM_MSG_DYNDBG_CONTROL = 0x1201,
	NPU_JSM_MSG_PWR_D0I3_ENTER = 0x1202,

	NPU_JSM_MSG_JOB_DONE = 0x2100, /* async, channel 11 */
	NPU_JSM_MSG_NATIVE_FENCE_SIGNALLED = 0x2101,
	NPU_JSM_MSG_ENGINE_RESET_DONE = 0x2200,
	NPU_JSM_MSG_ENGINE_PREEMPT_DONE = 0x2201,
	NPU_JSM_MSG_REGISTER_DB_DONE = 0x2202,
	NPU_JSM_MSG_UNREGISTER_DB_DONE = 0x2203,
	NPU_JSM_MSG_QUERY_ENGINE_HB_DONE = 0x2204,
	NPU_JSM_MSG_GET_POWER_LEVEL_COUNT_DONE = 0x2205,
	NPU_JSM_MSG_GET_POWER_LEVEL_DONE = 0x2206,
	NPU_JSM_MSG_SET_POWER_LEVEL_DONE = 0x2207,
	NPU_JSM_MSG_METRIC_STREAMER_OPEN_DONE = 0x2208,
	NPU_JSM_MSG_METRIC_STREAMER_CLOSE_DONE = 0x2209,
	NPU_JSM_MSG_TRACE_SET_CONFIG_RSP = 0x220A,
	NPU_JSM_MSG_TRACE_GET_CONFIG_RSP = 0x220B,
	NPU_JSM_MSG_TRACE_GET_CAPABILITY_RSP = 0x220C,
	NPU_JSM_MSG_TRACE_GET_NAME_RSP = 0x220D,
	NPU_JSM_MSG_SSID_RELEASE_DONE = 0x220E,
	NPU_JSM_MSG_METRIC_STREAMER_START_DONE = 0x220F,
	NPU_JSM_MSG_METRIC_STREAMER_STOP_DONE = 0x2210,
	NPU_JSM_MSG_METRIC_STREAMER_UPDATE_DONE = 0x2211,
	NPU_JSM_MSG_METRIC_STREAMER_INFO_DONE = 0x2212,
	NPU_JSM_MSG_METRIC_STREAMER_NOTIFICATION = 0x2213, /* async */
	NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP_RSP = 0x2214,
	NPU_JSM_MSG_CREATE_CMD_QUEUE_RSP = 0x2215,
	NPU_JSM_MSG_DESTROY_CMD_QUEUE_RSP = 0x2216,
	NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES_RSP = 0x2217,
	NPU_JSM_MSG_HWS_SET_SCHEDULING_LOG_RSP = 0x2218,
	NPU_JSM_MSG_HWS_SCHEDULING_LOG_NOTIFICATION = 0x2219, /* async */
	NPU_JSM_MSG_HWS_SUSPEND_CMDQ_DONE = 0x221A,	      /* async */
	NPU_JSM_MSG_HWS_RESUME_CMDQ_RSP = 0x221B,
	NPU_JSM_MSG_HWS_RESUME_ENGINE_DONE = 0x221C,
	NPU_JSM_MSG_DCT_ENABLE_DONE = 0x221D,
	NPU_JSM_MSG_DCT_DISABLE_DONE = 0x221E,
	NPU_JSM_MSG_FREQ_CONFIG_RSP = 0x221F,
	NPU_JSM_MSG_STATE_DUMP_RSP = 0x22FF,   /* awaited by Linux 7.x, not by 6.12 */
	NPU_JSM_MSG_GENERAL_CMD_DONE = 0x2300, /* BLOB_DEINIT */
	NPU_JSM_MSG_DYNDBG_CONTROL_RSP = 0x2301,
	NPU_JSM_MSG_PWR_D0I3_ENTER_DONE = 0x2302,
};

/* Unknown type; outside the range of an int enumerator, hence a macro. */
#define NPU_JSM_MSG_UNKNOWN 0xFFFFFFFFu

/* docs/firmware-protocol.md §2.2: JSM `result` and JOB_DONE `job_status`. */
enum npu_jsm_status {
	NPU_JSM_STATUS_SUCCESS = 0x0,
	NPU_JSM_STATUS_PARSING_ERR = 0x1,
	NPU_JSM_STATUS_PROCESSING_ERR = 0x2,
	NPU_JSM_STATUS_PREEMPTED = 0x3,
	NPU_JSM_STATUS_ABORTED = 0x4,
	NPU_JSM_STATUS_USER_CTX_VIOL_ERR = 0x5,
	NPU_JSM_STATUS_GLOBAL_CTX_VIOL_ERR = 0x6,
	NPU_JSM_STATUS_MVNCI_WRONG_INPUT_FORMAT = 0x7,
	NPU_JSM_STATUS_MVNCI_UNSUPPORTED_NETWORK_ELEMENT = 0x8,
	NPU_JSM_STATUS_MVNCI_INVALID_HANDLE = 0x9,
	NPU_JSM_STATUS_MVNCI_OUT_OF_RESOURCES = 0xA,
	NPU_JSM_STATUS_MVNCI_NOT_IMPLEMENTED = 0xB,
	NPU_JSM_STATUS_MVNCI_INTERNAL_ERROR = 0xC,
	NPU_JSM_STATUS_PREEMPTED_MID_INFERENCE = 0xD,	 /* a.k.a. PREEMPTED_MID_COMMAND */
	NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW = 0xE, /* context faulted */
	NPU_JSM_STATUS_MVNCI_PREEMPTION_TIMED_OUT = 0xF,
};

/* 0xE..0x1F: "engine reset required" (JSM 3.2x+). */
#define NPU_JSM_STATUS_ENGINE_RESET_REQUIRED_MIN 0xEu
#define NPU_JSM_STATUS_ENGINE_RESET_REQUIRED_MAX 0x1Fu
/* Kernel-only status reported to user space for aborted jobs (uapi). */
#define NPU_JOB_STATUS_ABORTED 256u

/* HWS priority bands (docs/firmware-protocol.md §2.4). */
enum npu_jsm_priority_band {
	NPU_JSM_PRIORITY_BAND_IDLE = 0,
	NPU_JSM_PRIORITY_BAND_NORMAL = 1,
	NPU_JSM_PRIORITY_BAND_FOCUS = 2,
	NPU_JSM_PRIORITY_BAND_REALTIME = 3,
	NPU_JSM_PRIORITY_BAND_COUNT = 4,
};

/* Kernel defaults, 100 ns units (docs/firmware-protocol.md §2.4). */
#define NPU_JSM_GRACE_PERIOD_IDLE_DEFAULT	    0u
#define NPU_JSM_GRACE_PERIOD_NORMAL_DEFAULT	    50000u
#define NPU_JSM_GRACE_PERIOD_FOCUS_DEFAULT	    50000u
#define NPU_JSM_GRACE_PERIOD_REALTIME_DEFAULT	    0u
#define NPU_JSM_PROCESS_GRACE_PERIOD_DEFAULT	    50000u /* every band */
#define NPU_JSM_PROCESS_QUANTUM_IDLE_DEFAULT	    160000u
#define NPU_JSM_PROCESS_QUANTUM_NORMAL_DEFAULT	    300000u
#define NPU_JSM_PROCESS_QUANTUM_FOCUS_DEFAULT	    200000u
#define NPU_JSM_PROCESS_QUANTUM_REALTIME_DEFAULT    200000u
#define NPU_JSM_NORMAL_BAND_PERCENTAGE_DEFAULT	    10u
#define NPU_JSM_CONTEXT_QUANTUM_DEFAULT		    20000u /* 2 ms */
#define NPU_JSM_GRACE_PERIOD_SAME_PRIORITY_DEFAULT  10000u
#define NPU_JSM_GRACE_PERIOD_LOWER_PRIORITY_DEFAULT 0u

#define NPU_JSM_OFF(s, f, off) _Static_assert(offsetof(struct s, f) == (off), #s "." #f)
#define NPU_JSM_SIZE(s, sz)    _Static_assert(sizeof(struct s) == (sz), #s " size")

/* ENGINE_RESET, QUERY_ENGINE_HB, HWS_ENGINE_RESUME requests. */
struct npu_jsm_engine_reset {
	uint32_t engine_idx;
	uint32_t reserved;
};
NPU_JSM_SIZE(npu_jsm_engine_reset, 8);
NPU_JSM_OFF(npu_jsm_engine_reset, engine_idx, 0);
NPU_JSM_OFF(npu_jsm_engine_reset, reserved, 4);

struct npu_jsm_engine_reset_context {
	uint32_t host_ssid;
	uint32_t reserved;
	uint64_t cmdq_id;
	uint64_t flags; /* bit 0: 1 = collateral damage, 0 = primary cause */
};
NPU_JSM_SIZE(npu_jsm_engine_reset_context, 24);
NPU_JSM_OFF(npu_jsm_engine_reset_context, host_ssid, 0);
NPU_JSM_OFF(npu_jsm_engine_reset_context, reserved, 4);
NPU_JSM_OFF(npu_jsm_engine_reset_context, cmdq_id, 8);
NPU_JSM_OFF(npu_jsm_engine_reset_context, flags, 16);

#define NPU_JSM_RESET_CTX_COLLATERAL 0x1u
#define NPU_JSM_RESET_IMPACTED_MAX   3

struct npu_jsm_engine_reset_done {
	uint32_t engine_idx;
	uint32_t num_impacted_contexts;
	struct npu_jsm_engine_reset_context impacted_contexts[NPU_JSM_RESET_IMPACTED_MAX];
};
NPU_JSM_SIZE(npu_jsm_engine_reset_done, 80);
NPU_JSM_OFF(npu_jsm_engine_reset_done, engine_idx, 0);
NPU_JSM_OFF(npu_jsm_engine_reset_done, num_impacted_contexts, 4);
NPU_JSM_OFF(npu_jsm_engine_reset_done, impacted_contexts, 8);

struct npu_jsm_register_db {
	uint32_t db_idx;
	uint32_t reserved;
	uint64_t jobq_base; /* global-context VA of the job queue */
	uint32_t jobq_size; /* bytes */
	uint32_t host_ssid; /* context owning the jobs */
};
NPU_JSM_SIZE(npu_jsm_register_db, 24);
NPU_JSM_OFF(npu_jsm_register_db, db_idx, 0);
NPU_JSM_OFF(npu_jsm_register_db, reserved, 4);
NPU_JSM_OFF(npu_jsm_register_db, jobq_base, 8);
NPU_JSM_OFF(npu_jsm_register_db, jobq_size, 16);
NPU_JSM_OFF(npu_jsm_register_db, host_ssid, 20);

struct npu_jsm_hws_register_db {
	uint32_t db_id;
	uint32_t host_ssid;
	uint64_t cmdq_id;
	uint64_t cmdq_base;
	uint64_t cmdq_size;
};
NPU_JSM_SIZE(npu_jsm_hws_register_db, 32);
NPU_JSM_OFF(npu_jsm_hws_register_db, db_id, 0);
NPU_JSM_OFF(npu_jsm_hws_register_db, host_ssid, 4);
NPU_JSM_OFF(npu_jsm_hws_register_db, cmdq_id, 8);
NPU_JSM_OFF(npu_jsm_hws_register_db, cmdq_base, 16);
NPU_JSM_OFF(npu_jsm_hws_register_db, cmdq_size, 24);

/* UNREGISTER_DB request, and REGISTER_DB_DONE / UNREGISTER_DB_DONE. */
struct npu_jsm_unregister_db {
	uint32_t db_idx;
	uint32_t reserved;
};
NPU_JSM_SIZE(npu_jsm_unregister_db, 8);
NPU_JSM_OFF(npu_jsm_unregister_db, db_idx, 0);
NPU_JSM_OFF(npu_jsm_unregister_db, reserved, 4);

struct npu_jsm_query_engine_hb_done {
	uint32_t engine_idx;
	uint32_t reserved;
	uint64_t heartbeat; /* increases while the firmware makes progress */
};
NPU_JSM_SIZE(npu_jsm_query_engine_hb_done, 16);
NPU_JSM_OFF(npu_jsm_query_engine_hb_done, engine_idx, 0);
NPU_JSM_OFF(npu_jsm_query_engine_hb_done, reserved, 4);
NPU_JSM_OFF(npu_jsm_query_engine_hb_done, heartbeat, 8);

struct npu_jsm_ssid_release {
	uint32_t host_ssid;
	uint32_t reserved;
};
NPU_JSM_SIZE(npu_jsm_ssid_release, 8);
NPU_JSM_OFF(npu_jsm_ssid_release, host_ssid, 0);
NPU_JSM_OFF(npu_jsm_ssid_release, reserved, 4);

struct npu_jsm_pwr_d0i3_enter {
	uint32_t send_response; /* host sends 1 */
	uint32_t reserved;
};
NPU_JSM_SIZE(npu_jsm_pwr_d0i3_enter, 8);
NPU_JSM_OFF(npu_jsm_pwr_d0i3_enter, send_response, 0);
NPU_JSM_OFF(npu_jsm_pwr_d0i3_enter, reserved, 4);

/* docs/firmware-protocol.md §3.6 */
struct npu_jsm_job_done {
	uint32_t engine_idx;
	uint32_t db_idx;
	uint32_t job_id;
	uint32_t job_status; /* enum npu_jsm_status */
	uint32_t host_ssid;
	uint32_t reserved;
	uint64_t cmdq_id; /* HWS */
};
NPU_JSM_SIZE(npu_jsm_job_done, 32);
NPU_JSM_OFF(npu_jsm_job_done, engine_idx, 0);
NPU_JSM_OFF(npu_jsm_job_done, db_idx, 4);
NPU_JSM_OFF(npu_jsm_job_done, job_id, 8);
NPU_JSM_OFF(npu_jsm_job_done, job_status, 12);
NPU_JSM_OFF(npu_jsm_job_done, host_ssid, 16);
NPU_JSM_OFF(npu_jsm_job_done, reserved, 20);
NPU_JSM_OFF(npu_jsm_job_done, cmdq_id, 24);

struct npu_jsm_dct_enable {
	uint32_t dct_active_us;
	uint32_t dct_inactive_us;
};
NPU_JSM_SIZE(npu_jsm_dct_enable, 8);
NPU_JSM_OFF(npu_jsm_dct_enable, dct_active_us, 0);
NPU_JSM_OFF(npu_jsm_dct_enable, dct_inactive_us, 4);

/* TRACE_SET_CONFIG request (and TRACE_GET_CONFIG response). */
struct npu_jsm_trace_config {
	uint32_t trace_level;		 /* NPU_TRACE_LEVEL_* (boot_params.h) */
	uint32_t trace_destination_mask; /* NPU_TRACE_DEST_* */
	uint64_t trace_hw_component_mask;
	uint32_t reserved[2];
};
NPU_JSM_SIZE(npu_jsm_trace_config, 24);
NPU_JSM_OFF(npu_jsm_trace_config, trace_level, 0);
NPU_JSM_OFF(npu_jsm_trace_config, trace_destination_mask, 4);
NPU_JSM_OFF(npu_jsm_trace_config, trace_hw_component_mask, 8);
NPU_JSM_OFF(npu_jsm_trace_config, reserved, 16);

struct npu_jsm_create_cmd_queue {
	uint64_t process_id;
	uint32_t host_ssid;
	uint32_t engine_idx;
	uint64_t cmdq_group;
	uint64_t cmdq_id;
	uint64_t cmdq_base;
	uint32_t cmdq_size;
	uint32_t reserved;
};
NPU_JSM_SIZE(npu_jsm_create_cmd_queue, 48);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, process_id, 0);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, host_ssid, 8);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, engine_idx, 12);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, cmdq_group, 16);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, cmdq_id, 24);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, cmdq_base, 32);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, cmdq_size, 40);
NPU_JSM_OFF(npu_jsm_create_cmd_queue, reserved, 44);

struct npu_jsm_destroy_cmd_queue {
	uint32_t host_ssid;
	uint32_t reserved;
	uint64_t cmdq_id;
};
NPU_JSM_SIZE(npu_jsm_destroy_cmd_queue, 16);
NPU_JSM_OFF(npu_jsm_destroy_cmd_queue, host_ssid, 0);
NPU_JSM_OFF(npu_jsm_destroy_cmd_queue, reserved, 4);
NPU_JSM_OFF(npu_jsm_destroy_cmd_queue, cmdq_id, 8);

/* Arrays indexed by enum npu_jsm_priority_band; times in 100 ns units. */
struct npu_jsm_set_priority_band_setup {
	uint32_t grace_period[NPU_JSM_PRIORITY_BAND_COUNT];
	uint32_t process_quantum[NPU_JSM_PRIORITY_BAND_COUNT];
	uint32_t process_grace_period[NPU_JSM_PRIORITY_BAND_COUNT];
	uint32_t normal_band_percentage;
	uint32_t tdr_timeout; /* ms (newer); reserved before */
	uint32_t non_interactive_no_progress_timeout;
	uint32_t non_interactive_timeout;
};
NPU_JSM_SIZE(npu_jsm_set_priority_band_setup, 64);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, grace_period, 0);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, process_quantum, 16);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, process_grace_period, 32);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, normal_band_percentage, 48);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, tdr_timeout, 52);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, non_interactive_no_progress_timeout, 56);
NPU_JSM_OFF(npu_jsm_set_priority_band_setup, non_interactive_timeout, 60);

struct npu_jsm_set_context_sched_properties {
	uint32_t host_ssid;
	uint32_t reserved0;
	uint64_t cmdq_id;
	uint32_t priority_band;
	uint32_t realtime_priority_level;
	int32_t in_process_priority; /* -7..7 */
	uint32_t reserved1;
	uint64_t context_quantum; /* 100 ns units */
	uint64_t grace_period_same_priority;
	uint64_t grace_period_lower_priority;
};
NPU_JSM_SIZE(npu_jsm_set_context_sched_properties, 56);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, host_ssid, 0);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, reserved0, 4);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, cmdq_id, 8);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, priority_band, 16);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, realtime_priority_level, 20);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, in_process_priority, 24);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, reserved1, 28);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, context_quantum, 32);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, grace_period_same_priority, 40);
NPU_JSM_OFF(npu_jsm_set_context_sched_properties, grace_period_lower_priority, 48);

/* METRIC_STREAMER_START and METRIC_STREAMER_INFO. */
struct npu_jsm_metric_streamer_start {
	uint64_t metric_group_mask;
	uint64_t sampling_rate; /* ns */
	uint32_t notify_sample_count;
	uint32_t reserved;
	uint64_t buffer_addr;
	uint64_t buffer_size;
	uint64_t next_buffer_addr;
	uint64_t next_buffer_size;
};
NPU_JSM_SIZE(npu_jsm_metric_streamer_start, 56);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, metric_group_mask, 0);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, sampling_rate, 8);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, notify_sample_count, 16);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, reserved, 20);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, buffer_addr, 24);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, buffer_size, 32);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, next_buffer_addr, 40);
NPU_JSM_OFF(npu_jsm_metric_streamer_start, next_buffer_size, 48);

/* Payload of every metric-streamer response and of the notification. */
struct npu_jsm_metric_streamer_done {
	uint64_t metric_group_mask;
	uint32_t sample_size;
	uint32_t reserved;
	uint32_t samples_collected;
	uint32_t samples_dropped;
	uint64_t buffer_addr;
	uint64_t bytes_written;
};
NPU_JSM_SIZE(npu_jsm_metric_streamer_done, 40);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, metric_group_mask, 0);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, sample_size, 8);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, reserved, 12);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, samples_collected, 16);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, samples_dropped, 20);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, buffer_addr, 24);
NPU_JSM_OFF(npu_jsm_metric_streamer_done, bytes_written, 32);

union npu_jsm_payload {
	struct npu_jsm_engine_reset engine_reset; /* also QUERY_ENGINE_HB, HWS_ENGINE_RESUME */
	struct npu_jsm_engine_reset_done engine_reset_done;
	struct npu_jsm_register_db register_db;
	struct npu_jsm_hws_register_db hws_register_db;
	struct npu_jsm_unregister_db unregister_db; /* also (UN)REGISTER_DB_DONE */
	struct npu_jsm_query_engine_hb_done query_engine_hb_done;
	struct npu_jsm_ssid_release ssid_release;
	struct npu_jsm_pwr_d0i3_enter pwr_d0i3_enter;
	struct npu_jsm_job_done job_done;
	struct npu_jsm_dct_enable dct_enable;
	struct npu_jsm_trace_config trace_config;
	struct npu_jsm_create_cmd_queue create_cmdq;
	struct npu_jsm_destroy_cmd_queue destroy_cmdq;
	struct npu_jsm_set_priority_band_setup priority_band_setup;
	struct npu_jsm_set_context_sched_properties context_sched_properties;
	struct npu_jsm_metric_streamer_start ms_start; /* also METRIC_STREAMER_INFO */
	struct npu_jsm_metric_streamer_done ms_done;
	char dyndbg_control[NPU_JSM_PAYLOAD_SIZE]; /* NUL-terminated command */
	uint8_t raw[NPU_JSM_PAYLOAD_SIZE];
};

/* docs/firmware-protocol.md §2.1 */
struct npu_jsm_msg {
	uint64_t reserved0;
	uint32_t type;	     /* enum npu_jsm_msg_type */
	uint32_t status;     /* NPU_JSM_MSG_FREE / _ALLOCATED */
	uint32_t request_id; /* echoed in the response; 0 for JOB_DONE */
	uint32_t result;     /* enum npu_jsm_status, set by firmware */
	uint64_t reserved1;
	union npu_jsm_payload payload;
};
NPU_JSM_SIZE(npu_jsm_msg, NPU_JSM_MSG_SIZE);
_Static_assert(sizeof(union npu_jsm_payload) == NPU_JSM_PAYLOAD_SIZE, "jsm payload size");
NPU_JSM_OFF(npu_jsm_msg, reserved0, 0);
NPU_JSM_OFF(npu_jsm_msg, type, 8);
NPU_JSM_OFF(npu_jsm_msg, status, 12);
NPU_JSM_OFF(npu_jsm_msg, request_id, 16);
NPU_JSM_OFF(npu_jsm_msg, result, 20);
NPU_JSM_OFF(npu_jsm_msg, reserved1, 24);
NPU_JSM_OFF(npu_jsm_msg, payload, NPU_JSM_MSG_HDR_SIZE);

#undef NPU_JSM_OFF
#undef NPU_JSM_SIZE

#endif /* NPU_HW_JSM_H */
