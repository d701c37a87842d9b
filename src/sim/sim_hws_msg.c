/* SPDX-License-Identifier: MIT */
/*
 * The HWS requests the simulated firmware answers (docs/firmware-protocol.md
 * §2.3, §2.4; Intel vpu_jsm_api.h): priority band setup, command queues,
 * their doorbells and scheduling properties, the scheduling log, suspend and
 * resume of a queue, and resuming the engine after a reset. The answers the
 * API leaves open are listed at the top of sim_hws.c.
 */
#include <string.h>

#include "hw/jobq.h"
#include "hw/jsm.h"
#include "sim/sim_hws.h"
#include "sim/sim_internal.h"
#include "sim/sim_jobs.h"
#include "util/bytes.h"
#include "util/log.h"

#define SSID_MAX       255u
#define RT_LEVEL_MAX   31u /* VPU_HWS_MAX_REALTIME_PRIORITY_LEVEL */
#define IN_PROCESS_MAX 7   /* VPU_HWS_COMMAND_QUEUE_{MAX,MIN}_IN_PROCESS_PRIORITY */
#define PERCENT_MAX    100u

/* Payload offsets of the requests hw/jsm.h does not lay out (vpu_jsm_api.h). */
#define SUSPEND_SSID	0u
#define SUSPEND_CMDQ	8u
#define SUSPEND_FENCE	16u
#define LOG_ENGINE	0u
#define LOG_SSID	4u
#define LOG_VA		8u
#define LOG_NOTIFY	16u
#define LOG_HDR_ENTRIES 8u /* num_of_entries in the log buffer's header */
#define LOG_HDR_FIRST	0u

static bool is_hws_request(uint32_t type)
{
	return type >= NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP && type <= NPU_JSM_MSG_HWS_ENGINE_RESUME;
}

static uint32_t refuse(struct npu_sim *s, const struct npu_jsm_msg *req, const char *why)
{
	sim_guest_error(s, "JSM 0x%x refused: %s", req->type, why);
	return NPU_JSM_STATUS_PROCESSING_ERR;
}

static uint32_t band_setup(struct npu_sim *s, const struct npu_jsm_msg *req,
			   union npu_jsm_payload *out)
{
	const struct npu_jsm_set_priority_band_setup *in = &req->payload.priority_band_setup;
	struct sim_hws *h = &s->fw.hws;

	if (in->normal_band_percentage > PERCENT_MAX)
		return refuse(s, req, "normal_band_percentage above 100");
	memcpy(h->grace, in->grace_period, sizeof(h->grace));
	memcpy(h->quantum, in->process_quantum, sizeof(h->quantum));
	memcpy(h->process_grace, in->process_grace_period, sizeof(h->process_grace));
	h->normal_band_percentage = in->normal_band_percentage;
	h->bands_set = true;
	out->priority_band_setup = *in;
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t create_cmdq(struct npu_sim *s, const struct npu_jsm_msg *req,
			    union npu_jsm_payload *out)
{
	const struct npu_jsm_create_cmd_queue *in = &req->payload.create_cmdq;
	struct sim_hws_cmdq *c = NULL;

	out->create_cmdq = *in;
	out->create_cmdq.cmdq_base = 0; /* the response is 32 bytes: ids only */
	out->create_cmdq.cmdq_size = 0;
	if (in->engine_idx != NPU_JSM_ENGINE_COMPUTE)
		return refuse(s, req, "engine other than 0");
	if (!in->host_ssid || in->host_ssid > SSID_MAX)
		return refuse(s, req, "host_ssid outside 1..255");
	if (!in->cmdq_base || in->cmdq_base % NPU_JOBQ_SLOT_SIZE ||
	    in->cmdq_size < SIM_JOBQ_MIN_SIZE || in->cmdq_size > SIM_JOBQ_MAX_SIZE)
		return refuse(s, req, "command queue base or size unusable");
	if (sim_hws_cmdq_find(s, in->host_ssid, in->cmdq_id))
		return refuse(s, req, "the context has a command queue of that id already");
	for (unsigned i = 0; i < SIM_HWS_CMDQS && !c; i++) {
		if (!s->fw.hws.q[i].used)
			c = &s->fw.hws.q[i];
	}
	if (!c) {
		sim_guest_error(s, "CREATE_CMD_QUEUE: all %u command queues in use", SIM_HWS_CMDQS);
		return NPU_JSM_STATUS_MVNCI_OUT_OF_RESOURCES;
	}
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->ssid = in->host_ssid;
	c->cmdq_id = in->cmdq_id;
	c->pid = in->process_id;
	c->base = in->cmdq_base;
	c->size = in->cmdq_size;
	c->band = NPU_JSM_PRIORITY_BAND_NORMAL;
	npu_dbg(SIM, "firmware: command queue %llu of SSID %u at 0x%llx+%u",
		(unsigned long long)c->cmdq_id, c->ssid, (unsigned long long)c->base, c->size);
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t destroy_cmdq(struct npu_sim *s, const struct npu_jsm_msg *req,
			     union npu_jsm_payload *out)
{
	const struct npu_jsm_destroy_cmd_queue *in = &req->payload.destroy_cmdq;
	struct sim_hws_cmdq *c = sim_hws_cmdq_find(s, in->host_ssid, in->cmdq_id);

	out->destroy_cmdq = *in;
	if (!c)
		return refuse(s, req, "no such command queue");
	sim_hws_cmdq_free(s, c);
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t sched_properties(struct npu_sim *s, const struct npu_jsm_msg *req,
				 union npu_jsm_payload *out)
{
	const struct npu_jsm_set_context_sched_properties *in =
	    &req->payload.context_sched_properties;
	struct sim_hws_cmdq *c = sim_hws_cmdq_find(s, in->host_ssid, in->cmdq_id);

	out->context_sched_properties = *in;
	if (!c)
		return refuse(s, req, "no such command queue");
	if (c->suspend_pending)
		return refuse(s, req, "a suspend of the queue is in flight");
	if (in->priority_band >= SIM_HWS_BANDS || in->realtime_priority_level > RT_LEVEL_MAX ||
	    in->in_process_priority > IN_PROCESS_MAX || in->in_process_priority < -IN_PROCESS_MAX)
		return refuse(s, req, "band, realtime level or in-process priority out of range");
	c->band = in->priority_band;
	c->in_process_priority = in->in_process_priority;
	c->quantum = in->context_quantum;
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t register_db(struct npu_sim *s, const struct npu_jsm_msg *req,
			    union npu_jsm_payload *out)
{
	const struct npu_jsm_hws_register_db *in = &req->payload.hws_register_db;
	struct sim_hws_cmdq *c = sim_hws_cmdq_find(s, in->host_ssid, in->cmdq_id);
	uint32_t ret;

	out->unregister_db.db_idx = in->db_id;
	if (in->db_id < NPU_DOORBELL_ID_MIN || in->db_id > NPU_DOORBELL_ID_MAX)
		return refuse(s, req, "doorbell outside 1..255");
	if (s->fw.queues[in->db_id].registered)
		return refuse(s, req, "doorbell registered already");
	if (!c)
		return refuse(s, req, "no such command queue");
	if (c->db)
		return refuse(s, req, "the command queue has a doorbell already");
	/* Under HWS the queue is the one CREATE_CMD_QUEUE gave (vpu_jsm_hws_register_db). */
	ret = sim_jobs_register(s, in->db_id, c->base, c->size, c->ssid);
	if (ret != NPU_JSM_STATUS_SUCCESS)
		return ret;
	s->fw.queues[in->db_id].hws_cmdq = (uint32_t)(c - s->fw.hws.q) + 1u;
	c->db = in->db_id;
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t scheduling_log(struct npu_sim *s, const struct npu_jsm_msg *req,
			       union npu_jsm_payload *out)
{
	const uint8_t *in = req->payload.raw;
	struct sim_hws *h = &s->fw.hws;
	uint32_t ssid = npu_le32(in + LOG_SSID);
	uint64_t va = npu_le64(in + LOG_VA);
	uint8_t hdr[16];
	uint64_t entries;

	memcpy(out->raw, in, 32);
	if (npu_le32(in + LOG_ENGINE) != NPU_JSM_ENGINE_COMPUTE)
		return refuse(s, req, "engine other than 0");
	if (!va) {
		h->log_va = 0;
		return NPU_JSM_STATUS_SUCCESS;
	}
	if (ssid > SSID_MAX || va % 8u)
		return refuse(s, req, "host_ssid above 255 or buffer not 8-byte aligned");
	if (sim_mmu_access(s, ssid, va, hdr, sizeof(hdr), false))
		return refuse(s, req, "log buffer header unreadable");
	entries = npu_le64(hdr + LOG_HDR_ENTRIES);
	if (!entries || entries > SIM_HWS_LOG_MAX)
		return refuse(s, req, "num_of_entries outside 1..65536");
	h->log_va = va;
	h->log_ssid = ssid;
	h->log_entries = entries;
	h->log_notify = npu_le64(in + LOG_NOTIFY);
	h->log_next = npu_le32(hdr + LOG_HDR_FIRST) < entries ? npu_le32(hdr + LOG_HDR_FIRST) : 0;
	h->log_wraps = npu_le32(hdr + 4);
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t suspend(struct npu_sim *s, const struct npu_jsm_msg *req, struct npu_jsm_msg *rsp,
			bool *reply)
{
	const uint8_t *in = req->payload.raw;
	struct sim_hws_cmdq *c =
	    sim_hws_cmdq_find(s, npu_le32(in + SUSPEND_SSID), npu_le64(in + SUSPEND_CMDQ));

	memcpy(rsp->payload.raw, in, 24);
	if (!c)
		return refuse(s, req, "no such command queue");
	if (c->suspend_pending)
		return refuse(s, req, "a suspend of the queue is in flight");
	c->suspended = true;
	c->suspend_fence = npu_le64(in + SUSPEND_FENCE);
	c->suspend_request = req->request_id;
	if (c->db && s->fw.hws.current == c->db) {
		/* Requests are served between commands: the job stands at a boundary. */
		if (!sim_hws_preempt(s, c->db, &s->fw.queues[c->db])) {
			c->suspend_pending = true; /* SUSPEND_CMDQ_DONE when the job ends */
			*reply = false;
			return NPU_JSM_STATUS_SUCCESS;
		}
		s->fw.hws.current = 0;
	}
	if (c->db)
		sim_hws_log_state(s, c->db, SIM_HWS_STATE_SUSPENDED);
	sim_hws_suspend_msg(c, rsp);
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t resume_cmdq(struct npu_sim *s, const struct npu_jsm_msg *req,
			    union npu_jsm_payload *out)
{
	const uint8_t *in = req->payload.raw;
	struct sim_hws_cmdq *c =
	    sim_hws_cmdq_find(s, npu_le32(in + SUSPEND_SSID), npu_le64(in + SUSPEND_CMDQ));

	memcpy(out->raw, in, 16);
	if (!c)
		return refuse(s, req, "no such command queue");
	if (c->suspend_pending)
		return refuse(s, req, "a suspend of the queue is in flight");
	c->suspended = false;
	if (c->db)
		s->fw.queues[c->db].active = true; /* looked at again */
	return NPU_JSM_STATUS_SUCCESS;
}

static uint32_t engine_resume(struct npu_sim *s, const struct npu_jsm_msg *req,
			      union npu_jsm_payload *out)
{
	out->engine_reset.engine_idx = req->payload.engine_reset.engine_idx;
	if (req->payload.engine_reset.engine_idx != NPU_JSM_ENGINE_COMPUTE)
		return refuse(s, req, "engine other than 0");
	s->fw.hws.engine_stopped = false;
	for (uint32_t db = NPU_DOORBELL_ID_MIN; db < SIM_DOORBELLS; db++) {
		if (s->fw.queues[db].registered)
			s->fw.queues[db].active = true;
	}
	return NPU_JSM_STATUS_SUCCESS;
}

bool sim_hws_handle(struct npu_sim *s, const struct npu_jsm_msg *req, struct npu_jsm_msg *rsp,
		    uint32_t *result, bool *reply)
{
	union npu_jsm_payload *out = &rsp->payload;
	bool hws = sim_hws_on(&s->fw.hws);

	if (req->type == NPU_JSM_MSG_REGISTER_DB) {
		if (hws) {
			out->unregister_db.db_idx = req->payload.register_db.db_idx;
			*result = refuse(s, req, "REGISTER_DB under hardware scheduling");
		}
		return hws;
	}
	if (!is_hws_request(req->type))
		return false;
	if (!hws) {
		*result = refuse(s, req, "an HWS request under OS scheduling");
		return true;
	}
	switch (req->type) {
	case NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP:
		*result = band_setup(s, req, out);
		break;
	case NPU_JSM_MSG_CREATE_CMD_QUEUE:
		*result = create_cmdq(s, req, out);
		break;
	case NPU_JSM_MSG_DESTROY_CMD_QUEUE:
		*result = destroy_cmdq(s, req, out);
		break;
	case NPU_JSM_MSG_SET_CONTEXT_SCHED_PROPERTIES:
		*result = sched_properties(s, req, out);
		break;
	case NPU_JSM_MSG_HWS_REGISTER_DB:
		*result = register_db(s, req, out);
		break;
	case NPU_JSM_MSG_HWS_SET_SCHEDULING_LOG:
		*result = scheduling_log(s, req, out);
		break;
	case NPU_JSM_MSG_HWS_SUSPEND_CMDQ:
		*result = suspend(s, req, rsp, reply);
		break;
	case NPU_JSM_MSG_HWS_RESUME_CMDQ:
		*result = resume_cmdq(s, req, out);
		break;
	default: /* NPU_JSM_MSG_HWS_ENGINE_RESUME */
		*result = engine_resume(s, req, out);
		break;
	}
	return true;
}
