/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's side of IPC and JSM (docs/firmware-protocol.md §1, §2): reading
 * the host's requests, answering them, and posting messages into the host's
 * RX area.
 *
 * Each address the host pushes into the CPU_SS IPC FIFO names a 64-byte IPC
 * header in its TX buffer; the header names a 128-byte JSM message. Both are
 * read through the global context (SSID 0) and checked; anything wrong is a
 * guest error and the message is dropped, never trusted. After reading a
 * request the firmware marks its header and message FREE, then answers.
 *
 * Choices docs/firmware-protocol.md leaves open (docs/simulator.md): a request type that
 * exists but the model does not implement (metric streamer, ENGINE_PREEMPT)
 * is answered with its response type and result MVNCI_NOT_IMPLEMENTED; an
 * unknown type with type UNKNOWN (0xFFFFFFFF) and result PARSING_ERR. Replies
 * go out on the request's channel; JOB_DONE on channel 11 with request id 0.
 *
 * With fault ipc-garbage, every message posted is followed by one malformed
 * FIFO entry or message, in turn of kind, which a robust host drops.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "hw/ipc.h"
#include "hw/jsm.h"
#include "sim/sim_internal.h"
#include "sim/sim_jobs.h"
#include "util/log.h"

#define POWER_LEVELS	 4u
#define TRACE_DESTS	 0x7u /* pipeprint, verbose tracing, north peak */
#define TRACE_HW_MASK	 0xFFFFFFFFull
#define DYNDBG_LOG_MAX	 80
#define GARBAGE_FIFO_MAX (SIM_FIFO_DEPTH / 2) /* garbage never fills the host FIFO */

/* Fault ipc-garbage: what a broken firmware could put into the host FIFO. */
enum garbage {
	GARBAGE_OUTSIDE,	/* a FIFO entry past the end of the RX area */
	GARBAGE_MISALIGNED,	/* a FIFO entry 4 bytes into a header slot */
	GARBAGE_HUGE_SIZE,	/* data_size 0xFFFFFF00 */
	GARBAGE_CHANNEL_7,	/* a reply on a channel that does not exist */
	GARBAGE_CHANNEL_BOOT,	/* a second ready message, on channel 0x3FF */
	GARBAGE_DATA_OUTSIDE,	/* data_addr past the end of the RX area */
	GARBAGE_STRAY_REPLY,	/* a reply to a request id never used */
	GARBAGE_UNKNOWN_TYPE,	/* type 0x2FFF on the job channel, request id 0 */
	GARBAGE_STRAY_JOB_DONE, /* JOB_DONE of a job never submitted */
	GARBAGE_KINDS
};

static void post_garbage(struct npu_sim *s)
{
	uint32_t kind = s->fw.garbage_next++ % GARBAGE_KINDS;
	uint32_t end =
	    (uint32_t)(s->fw.rx_payload_area + (uint64_t)s->fw.rx_payload_slots * NPU_JSM_MSG_SIZE);
	struct npu_ipc_hdr hdr = { .data_size = NPU_JSM_MSG_SIZE,
				   .channel = NPU_IPC_CHAN_ASYNC_CMD,
				   .src_node = NPU_IPC_NODE_VPU,
				   .dst_node = NPU_IPC_NODE_HOST };
	struct npu_jsm_msg msg = { .type = NPU_JSM_MSG_QUERY_ENGINE_HB_DONE };
	bool self = false;

	if (sim_host_fifo_fill(s) >= GARBAGE_FIFO_MAX)
		return;
	switch ((enum garbage)kind) {
	case GARBAGE_OUTSIDE:
		sim_ip_post_to_host(s, end);
		return;
	case GARBAGE_MISALIGNED:
		sim_ip_post_to_host(s, (uint32_t)(s->fw.rx_hdr_area + s->fw.rx_next * 64u + 4u));
		return;
	case GARBAGE_HUGE_SIZE:
		hdr.data_size = 0xFFFFFF00u;
		self = true;
		break;
	case GARBAGE_CHANNEL_7:
		/* No payload slot: a host dropping it by channel need not know to free one. */
		hdr.channel = 7;
		self = true;
		break;
	case GARBAGE_CHANNEL_BOOT:
		hdr.channel = NPU_IPC_CHAN_BOOT_MSG;
		hdr.data_addr = NPU_IPC_BOOT_MSG_DATA_ADDR;
		hdr.data_size = 0;
		break;
	case GARBAGE_DATA_OUTSIDE:
		hdr.data_addr = end;
		break;
	default:
		if (kind == GARBAGE_STRAY_REPLY)
			msg.request_id = 0xFFFF0000u | (s->fw.garbage_next & 0xFFFFu);
		if (kind == GARBAGE_UNKNOWN_TYPE || kind == GARBAGE_STRAY_JOB_DONE)
			hdr.channel = NPU_IPC_CHAN_JOB_RET;
		if (kind == GARBAGE_UNKNOWN_TYPE)
			msg.type = 0x2FFFu;
		if (kind == GARBAGE_STRAY_JOB_DONE) {
			msg.type = NPU_JSM_MSG_JOB_DONE;
			msg.payload.job_done.job_id = 0xFFFFFFFFu;
		}
		if (sim_fw_post_hdr(s, &hdr, &msg, false, false) == 0)
			npu_trace(SIM, "firmware: garbage %u posted", kind);
		return;
	}
	if (sim_fw_post_hdr(s, &hdr, NULL, self, false) == 0)
		npu_trace(SIM, "firmware: garbage %u posted", kind);
}

int sim_fw_post_msg(struct npu_sim *s, uint16_t channel, struct npu_jsm_msg *msg)
{
	struct npu_ipc_hdr hdr = { .data_size = NPU_JSM_MSG_SIZE,
				   .channel = channel,
				   .src_node = NPU_IPC_NODE_VPU,
				   .dst_node = NPU_IPC_NODE_HOST };
	int ret = sim_fw_post_hdr(s, &hdr, msg, false, true);

	if (ret == -EBUSY)
		s->fw.rx_full++;
	if (ret) {
		npu_dbg(SIM, "firmware: message 0x%x on channel %u not posted (%d)", msg->type,
			channel, ret);
		return ret;
	}
	npu_trace(SIM, "firmware: posted 0x%x (request %u) on channel %u", msg->type,
		  msg->request_id, channel);
	if (s->fault == NPU_SIM_FAULT_IPC_GARBAGE)
		post_garbage(s);
	return 0;
}

/* docs/firmware-protocol.md §2.3: the response type of every request type the reference lists. */
static const struct {
	uint32_t req, rsp;
} responses[] = {
	{ NPU_JSM_MSG_ENGINE_RESET, NPU_JSM_MSG_ENGINE_RESET_DONE },
	{ NPU_JSM_MSG_ENGINE_PREEMPT, NPU_JSM_MSG_ENGINE_PREEMPT_DONE },
	{ NPU_JSM_MSG_REGISTER_DB, NPU_JSM_MSG_REGISTER_DB_DONE },
	{ NPU_JSM_MSG_UNREGISTER_DB, NPU_JSM_MSG_UNREGISTER_DB_DONE },
	{ NPU_JSM_MSG_QUERY_ENGINE_HB, NPU_JSM_MSG_QUERY_ENGINE_HB_DONE },
	{ NPU_JSM_MSG_GET_POWER_LEVEL_COUNT, NPU_JSM_MSG_GET_POWER_LEVEL_COUNT_DONE },
	{ NPU_JSM_MSG_GET_POWER_LEVEL, NPU_JSM_MSG_GET_POWER_LEVEL_DONE },
	{ NPU_JSM_MSG_SET_POWER_LEVEL, NPU_JSM_MSG_SET_POWER_LEVEL_DONE },
	{ NPU_JSM_MSG_METRIC_STREAMER_OPEN, NPU_JSM_MSG_METRIC_STREAMER_OPEN_DONE },
	{ NPU_JSM_MSG_METRIC_STREAMER_CLOSE, NPU_JSM_MSG_METRIC_STREAMER_CLOSE_DONE },
	{ NPU_JSM_MSG_TRACE_SET_CONFIG, NPU_JSM_MSG_TRACE_SET_CONFIG_RSP },
	{ NPU_JSM_MSG_TRACE_GET_CONFIG, NPU_JSM_MSG_TRACE_GET_CONFIG_RSP },
	{ NPU_JSM_MSG_TRACE_GET_CAPABILITY, NPU_JSM_MSG_TRACE_GET_CAPABILITY_RSP },
	{ NPU_JSM_MSG_TRACE_GET_NAME, NPU_JSM_MSG_TRACE_GET_NAME_RSP },
	{ NPU_JSM_MSG_SSID_RELEASE, NPU_JSM_MSG_SSID_RELEASE_DONE },
	{ NPU_JSM_MSG_METRIC_STREAMER_START, NPU_JSM_MSG_METRIC_STREAMER_START_DONE },
	{ NPU_JSM_MSG_METRIC_STREAMER_STOP, NPU_JSM_MSG_METRIC_STREAMER_STOP_DONE },
	{ NPU_JSM_MSG_METRIC_STREAMER_UPDATE, NPU_JSM_MSG_METRIC_STREAMER_UPDATE_DONE },
	{ NPU_JSM_MSG_METRIC_STREAMER_INFO, NPU_JSM_MSG_METRIC_STREAMER_INFO_DONE },
	{ NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP, NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP_RSP },
	{ NPU_JSM_MSG_CREATE_CMD_QUEUE, NPU_JSM_MSG_CREATE_CMD_QUEUE_RSP },
	{ NPU_JSM_MSG_DESTROY_CMD_QUEUE, NPU_JSM_MSG_DESTROY_CMD_QUEUE_RSP },
	{ NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES, NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES_RSP },
	{ NPU_JSM_MSG_HWS_REGISTER_DB, NPU_JSM_MSG_REGISTER_DB_DONE },
	{ NPU_JSM_MSG_HWS_SET_SCHEDULING_LOG, NPU_JSM_MSG_HWS_SET_SCHEDULING_LOG_RSP },
	{ NPU_JSM_MSG_HWS_SUSPEND_CMDQ, NPU_JSM_MSG_HWS_SUSPEND_CMDQ_DONE },
	{ NPU_JSM_MSG_HWS_RESUME_CMDQ, NPU_JSM_MSG_HWS_RESUME_CMDQ_RSP },
	{ NPU_JSM_MSG_HWS_ENGINE_RESUME, NPU_JSM_MSG_HWS_RESUME_ENGINE_DONE },
	{ NPU_JSM_MSG_DCT_ENABLE, NPU_JSM_MSG_DCT_ENABLE_DONE },
	{ NPU_JSM_MSG_DCT_DISABLE, NPU_JSM_MSG_DCT_DISABLE_DONE },
	{ NPU_JSM_MSG_FREQ_CONFIG, NPU_JSM_MSG_FREQ_CONFIG_RSP },
	{ NPU_JSM_MSG_STATE_DUMP, NPU_JSM_MSG_STATE_DUMP_RSP },
	{ NPU_JSM_MSG_BLOB_DEINIT, NPU_JSM_MSG_GENERAL_CMD_DONE },
	{ NPU_JSM_MSG_DYNDBG_CONTROL, NPU_JSM_MSG_DYNDBG_CONTROL_RSP },
	{ NPU_JSM_MSG_PWR_D0I3_ENTER, NPU_JSM_MSG_PWR_D0I3_ENTER_DONE },
};

static uint32_t response_type(uint32_t req)
{
	for (size_t i = 0; i < sizeof(responses) / sizeof(responses[0]); i++)
		if (responses[i].req == req)
			return responses[i].rsp;
	return NPU_JSM_MSG_UNKNOWN;
}

static uint32_t engine_check(struct npu_sim *s, const struct npu_jsm_msg *req)
{
	if (req->payload.engine_reset.engine_idx == NPU_JSM_ENGINE_COMPUTE)
		return NPU_JSM_STATUS_SUCCESS;
	sim_guest_error(s, "JSM 0x%x for engine %u: only engine 0 exists", req->type,
			req->payload.engine_reset.engine_idx);
	return NPU_JSM_STATUS_PROCESSING_ERR;
}

static uint32_t power_level(struct npu_sim *s, const struct npu_jsm_msg *req,
			    union npu_jsm_payload *out)
{
	uint32_t level;

	memcpy(&level, req->payload.raw, sizeof(level)); /* power_level u32 at 0 */
	if (req->type == NPU_JSM_MSG_GET_POWER_LEVEL_COUNT) {
		level = POWER_LEVELS;
	} else if (req->type == NPU_JSM_MSG_GET_POWER_LEVEL) {
		level = s->fw.power_level;
	} else if (level >= POWER_LEVELS) {
		sim_guest_error(s, "SET_POWER_LEVEL %u: the model has %u levels", level,
				POWER_LEVELS);
		return NPU_JSM_STATUS_PROCESSING_ERR;
	} else {
		s->fw.power_level = level;
	}
	memcpy(out->raw, &level, sizeof(level));
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t trace(struct npu_sim *s, const struct npu_jsm_msg *req, union npu_jsm_payload *out)
{
	const struct npu_jsm_trace_config *in = &req->payload.trace_config;

	if (req->type == NPU_JSM_MSG_TRACE_SET_CONFIG) {
		s->fw.trace_level = in->trace_level;
		s->fw.trace_dest = in->trace_destination_mask;
		s->fw.trace_hw_mask = in->trace_hw_component_mask;
	}
	if (req->type == NPU_JSM_MSG_TRACE_SET_CONFIG ||
	    req->type == NPU_JSM_MSG_TRACE_GET_CONFIG) {
		/* Both answer with the configuration now in force. */
		out->trace_config.trace_level = s->fw.trace_level;
		out->trace_config.trace_destination_mask = s->fw.trace_dest;
		out->trace_config.trace_hw_component_mask = s->fw.trace_hw_mask;
	} else if (req->type == NPU_JSM_MSG_TRACE_GET_CAPABILITY) {
		/* Response: destination mask u32 at 0, hardware component mask u64 at 8. */
		out->trace_config.trace_level = TRACE_DESTS;
		out->trace_config.trace_hw_component_mask = TRACE_HW_MASK;
	}
	/* TRACE_GET_NAME: the model has no names; an empty answer. */
	return NPU_JSM_STATUS_SUCCESS;
}

static void state_dump(struct npu_sim *s)
{
	unsigned registered = 0, running = 0;

	for (uint32_t db = 0; db < SIM_DOORBELLS; db++) {
		registered += s->fw.queues[db].registered;
		running += s->fw.queues[db].running;
	}
	npu_info(SIM,
		 "firmware state dump: heartbeat %llu, jobs done %llu, %u queues, %u jobs running, "
		 "%llu messages served, %llu dropped",
		 (unsigned long long)s->fw.heartbeat, (unsigned long long)s->fw.jobs_done,
		 registered, running, (unsigned long long)s->fw.messages_served,
		 (unsigned long long)s->fw.messages_dropped);
	sim_fwlog_state_dump(s);
}

/* Handles one request; fills rsp's payload and returns its result. *reply: whether one is due. */
static uint32_t handle(struct npu_sim *s, const struct npu_jsm_msg *req, struct npu_jsm_msg *rsp,
		       bool *reply)
{
	const union npu_jsm_payload *in = &req->payload;
	union npu_jsm_payload *out = &rsp->payload;
	uint32_t result;

	/* The requests the scheduling mode decides on (sim_hws.c). */
	if (sim_hws_handle(s, req, rsp, &result, reply))
		return result;
	switch (req->type) {
	case NPU_JSM_MSG_REGISTER_DB:
		out->unregister_db.db_idx = in->register_db.db_idx;
		return sim_jobs_register(s, in->register_db.db_idx, in->register_db.jobq_base,
					 in->register_db.jobq_size, in->register_db.host_ssid);
	case NPU_JSM_MSG_UNREGISTER_DB:
		out->unregister_db.db_idx = in->unregister_db.db_idx;
		result = sim_jobs_unregister(s, in->unregister_db.db_idx);
		if (result == NPU_JSM_STATUS_SUCCESS)
			sim_hws_db_gone(s, in->unregister_db.db_idx);
		return result;
	case NPU_JSM_MSG_QUERY_ENGINE_HB:
		out->query_engine_hb_done.engine_idx = in->engine_reset.engine_idx;
		out->query_engine_hb_done.heartbeat = s->fw.heartbeat;
		return engine_check(s, req);
	case NPU_JSM_MSG_ENGINE_RESET:
		if (engine_check(s, req) != NPU_JSM_STATUS_SUCCESS) {
			out->engine_reset_done.engine_idx = in->engine_reset.engine_idx;
			return NPU_JSM_STATUS_PROCESSING_ERR;
		}
		sim_jobs_engine_reset(s, &out->engine_reset_done);
		if (sim_hws_on(&s->fw.hws))
			sim_hws_engine_reset(s);
		sim_fwlog(s, SIM_LOG_WARN, "engine reset: %u contexts impacted",
			  out->engine_reset_done.num_impacted_contexts);
		return NPU_JSM_STATUS_SUCCESS;
	case NPU_JSM_MSG_SSID_RELEASE: {
		unsigned n = sim_jobs_release_ssid(s, in->ssid_release.host_ssid);

		sim_hws_ssid_gone(s, in->ssid_release.host_ssid);
		out->ssid_release.host_ssid = in->ssid_release.host_ssid;
		npu_dbg(SIM, "firmware: SSID %u released: %u queues forgotten",
			in->ssid_release.host_ssid, n);
		return NPU_JSM_STATUS_SUCCESS;
	}
	case NPU_JSM_MSG_GET_POWER_LEVEL_COUNT:
	case NPU_JSM_MSG_GET_POWER_LEVEL:
	case NPU_JSM_MSG_SET_POWER_LEVEL:
		return power_level(s, req, out);
	case NPU_JSM_MSG_PWR_D0I3_ENTER:
		*reply = in->pwr_d0i3_enter.send_response != 0;
		sim_warm_save(s); /* the restore entry, for a warm boot (sim_warm.c) */
		return NPU_JSM_STATUS_SUCCESS;
	case NPU_JSM_MSG_STATE_DUMP:
		/*
		 * Answered with STATE_DUMP_RSP once the state is in the log: Linux
		 * 7.x waits for it (docs/firmware-protocol.md §1.7); 6.12 sleeps instead.
		 */
		state_dump(s);
		return NPU_JSM_STATUS_SUCCESS;
	case NPU_JSM_MSG_TRACE_SET_CONFIG:
	case NPU_JSM_MSG_TRACE_GET_CONFIG:
	case NPU_JSM_MSG_TRACE_GET_CAPABILITY:
	case NPU_JSM_MSG_TRACE_GET_NAME:
		return trace(s, req, out);
	case NPU_JSM_MSG_DYNDBG_CONTROL:
		npu_dbg(SIM, "firmware: dyndbg \"%.*s\"", DYNDBG_LOG_MAX, in->dyndbg_control);
		return NPU_JSM_STATUS_SUCCESS;
	case NPU_JSM_MSG_DCT_ENABLE:
		/*
		 * The model keeps the cycle it was given; it does not duty-cycle. Linux
		 * (ivpu_pm.c: ivpu_pm_dct_enable, 6.12 and current) sends 100 % as active
		 * 35300 us, inactive 0: a cycle without idle time, taken. No active time
		 * is no cycle at all.
		 */
		if (!in->dct_enable.dct_active_us) {
			sim_guest_error(s, "DCT_ENABLE with active %u us, inactive %u us",
					in->dct_enable.dct_active_us,
					in->dct_enable.dct_inactive_us);
			return NPU_JSM_STATUS_PARSING_ERR;
		}
		s->fw.dct_enabled = true;
		s->fw.dct_active_us = in->dct_enable.dct_active_us;
		s->fw.dct_inactive_us = in->dct_enable.dct_inactive_us;
		return NPU_JSM_STATUS_SUCCESS;
	case NPU_JSM_MSG_DCT_DISABLE:
		s->fw.dct_enabled = false;
		s->fw.dct_active_us = s->fw.dct_inactive_us = 0;
		return NPU_JSM_STATUS_SUCCESS;
	default:
		if (response_type(req->type) != NPU_JSM_MSG_UNKNOWN) {
			npu_dbg(SIM, "firmware: JSM 0x%x not implemented by the model", req->type);
			return NPU_JSM_STATUS_MVNCI_NOT_IMPLEMENTED;
		}
		sim_guest_error(s, "JSM message of unknown type 0x%x (request %u)", req->type,
				req->request_id);
		return NPU_JSM_STATUS_PARSING_ERR;
	}
}

static void drop(struct npu_sim *s, uint32_t hdr_va, const char *why)
{
	s->fw.messages_dropped++;
	sim_guest_error(s, "host IPC message at 0x%08x dropped: %s", hdr_va, why);
	sim_fwlog(s, SIM_LOG_ERR, "ipc: host message at 0x%08x dropped: %s", hdr_va, why);
}

/* The header's checks (docs/firmware-protocol.md §1.2, §1.4); the reason it is unusable, or NULL. */
static const char *header_problem(const struct npu_ipc_hdr *hdr)
{
	if (hdr->status != NPU_IPC_HDR_ALLOCATED)
		return "header status is not ALLOCATED";
	if (hdr->data_size != NPU_JSM_MSG_SIZE)
		return "data_size is not 128";
	if (hdr->data_addr % NPU_IPC_ALIGN)
		return "data_addr is not 64-byte aligned";
	if (hdr->dst_node != NPU_IPC_NODE_VPU)
		return "dst_node is not the NPU";
	if (hdr->channel != NPU_IPC_CHAN_ASYNC_CMD && hdr->channel != NPU_IPC_CHAN_GEN_CMD)
		return "not a host-to-firmware channel";
	return NULL;
}

/* Marks a status FREE (0) through the MMU: a header's u8 or a message's u32 at offset 12. */
static void mark_free(struct npu_sim *s, uint64_t va, size_t len)
{
	static const uint8_t zero[4];

	if (sim_mmu_write(s, 0, va + 12u, zero, len))
		sim_guest_error(s, "cannot release the host message at 0x%llx",
				(unsigned long long)va);
}

static void serve_one(struct npu_sim *s, uint32_t hdr_va)
{
	struct npu_ipc_hdr hdr;
	struct npu_jsm_msg req, rsp;
	const char *why;
	bool reply = true;

	if (hdr_va % NPU_IPC_ALIGN) {
		drop(s, hdr_va, "header address not 64-byte aligned");
		return;
	}
	if (sim_mmu_access(s, 0, hdr_va, &hdr, sizeof(hdr), false)) {
		drop(s, hdr_va, "header unreadable");
		return;
	}
	why = header_problem(&hdr);
	if (!why && sim_mmu_access(s, 0, hdr.data_addr, &req, sizeof(req), false))
		why = "message unreadable";
	if (!why && req.status != NPU_JSM_MSG_ALLOCATED)
		why = "message status is not ALLOCATED";
	if (why) {
		drop(s, hdr_va, why);
		if (hdr.status == NPU_IPC_HDR_ALLOCATED)
			mark_free(s, hdr_va, sizeof(hdr.status));
		return;
	}
	if (SIM_RECORDING(s))
		sim_rec_jsm(s, true, hdr.channel, &req);
	/* Read: the host may reuse the slot (docs/firmware-protocol.md §1.4 step 1). */
	mark_free(s, hdr_va, sizeof(hdr.status));
	mark_free(s, hdr.data_addr, sizeof(req.status));
	s->fw.messages_served++;
	npu_trace(SIM, "firmware: JSM 0x%x request %u on channel %u", req.type, req.request_id,
		  hdr.channel);

	memset(&rsp, 0, sizeof(rsp));
	rsp.type = response_type(req.type);
	rsp.request_id = req.request_id;
	rsp.result = handle(s, &req, &rsp, &reply);
	sim_fwlog_jsm(s, req.type, req.request_id, rsp.result); /* before the reply goes out */
	if (reply && sim_fw_post_msg(s, hdr.channel, &rsp))
		npu_dbg(SIM, "firmware: reply to request %u lost", req.request_id);
}

void sim_jsm_serve(struct npu_sim *s)
{
	uint32_t va;

	/* A message is taken only when its reply can be posted: else it waits in the FIFO. */
	while (s->ip.to_fw.fill && sim_fw_can_post(s)) {
		sim_fifo_pop(&s->ip.to_fw, &va);
		serve_one(s, va);
		sim_fw_heartbeat(s);
	}
}
