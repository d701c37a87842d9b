/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's hardware scheduler (HWS; docs/firmware-protocol.md
 * §2.3-§2.5, §3.8; Intel vpu_jsm_api.h): command queues created by the host,
 * doorbells bound to them, a priority band per queue, and one engine shared
 * by band: a higher band runs first, a lower band keeps the engine only for
 * the grace period the waiting band grants it, queues of one band take turns
 * by quantum, and a job that loses the engine mid-batch is saved at a command
 * boundary into its primary preemption buffer and resumed from there.
 *
 * Chosen at boot by the boot parameter vpu_scheduling_mode (1 = HWS). All
 * functions expect sim->lock held.
 */
#ifndef NPU_SIM_SIM_HWS_H
#define NPU_SIM_SIM_HWS_H

#include <stdbool.h>
#include <stdint.h>

struct npu_sim;
struct npu_jsm_msg;
struct npu_boot_params;

#define SIM_HWS_BANDS	4u     /* idle, normal, focus, realtime */
#define SIM_HWS_CMDQS	128u   /* command queues the model keeps at once */
#define SIM_HWS_LOG_MAX 65536u /* entries of a scheduling log the model writes at most */

/* A command queue created by CREATE_CMD_QUEUE. */
struct sim_hws_cmdq {
	bool used;
	uint32_t ssid;
	uint64_t cmdq_id, pid;
	uint64_t base; /* global-context VA of its job queue */
	uint32_t size;
	uint32_t band; /* SET_CONTEXT_SCHED_PROPERTIES; NORMAL until set */
	int32_t in_process_priority;
	uint64_t quantum; /* 100 ns units; 0: the band's process quantum */
	uint32_t db;	  /* its doorbell, 0: none registered */
	bool suspended;
	bool suspend_pending; /* SUSPEND_CMDQ taken, a job still holds the engine */
	uint64_t suspend_fence;
	uint32_t suspend_request;
};

struct sim_hws {
	uint32_t mode; /* boot parameter vpu_scheduling_mode */
	uint32_t focus_present_timer_ms;
	bool bands_set;			       /* SET_PRIORITY_BAND_SETUP seen since boot */
	uint32_t grace[SIM_HWS_BANDS];	       /* granted by a band to a lower one it preempts */
	uint32_t quantum[SIM_HWS_BANDS];       /* between queues of one band */
	uint32_t process_grace[SIM_HWS_BANDS]; /* before a queue of the same band preempts */
	uint32_t normal_band_percentage;
	bool engine_stopped; /* ENGINE_RESET until HWS_ENGINE_RESUME */
	struct sim_hws_cmdq q[SIM_HWS_CMDQS];
	/* HWS_SET_SCHEDULING_LOG */
	uint64_t log_va; /* 0: no log */
	uint32_t log_ssid;
	uint64_t log_entries, log_notify, log_next;
	uint32_t log_wraps;
	/* The engine: the doorbell whose job holds it, since when, and who waits for it. */
	uint32_t current;
	uint64_t slice_start_ns;
	uint64_t contend_ns; /* when a queue first waited for the current one to give way */
	uint32_t rr_next[SIM_HWS_BANDS];
	uint64_t preemptions, resumptions;
};

/* Boot: the scheduling mode and focus timer from the boot parameters; state forgotten. */
void sim_hws_boot(struct npu_sim *s, const struct npu_boot_params *bp);
/* CPU stopped: every command queue and setting forgotten. */
void sim_hws_reset(struct npu_sim *s);
static inline bool sim_hws_on(const struct sim_hws *h)
{
	return h->mode == 1u;
}

/*
 * The requests of either scheduling mode that the mode decides on: returns
 * true when req is one (HWS requests, and REGISTER_DB, which is OS only),
 * with its result in *result, the reply's payload in rsp and *reply whether
 * one goes out now.
 */
bool sim_hws_handle(struct npu_sim *s, const struct npu_jsm_msg *req, struct npu_jsm_msg *rsp,
		    uint32_t *result, bool *reply);

/* UNREGISTER_DB of db / SSID_RELEASE: the command queues' links to them go. */
void sim_hws_db_gone(struct npu_sim *s, uint32_t db);
void sim_hws_ssid_gone(struct npu_sim *s, uint32_t ssid);
/*
 * ENGINE_RESET in HWS mode, after sim_jobs_engine_reset listed the impacted
 * contexts: scheduling stopped until HWS_ENGINE_RESUME, pending suspends dropped.
 */
void sim_hws_engine_reset(struct npu_sim *s);
/* The command queue id of db's queue for JOB_DONE (0 in OS mode). */
uint64_t sim_hws_cmdq_id(const struct npu_sim *s, uint32_t db);
/* db rung (its queue registered): the scheduling log's "new work". */
void sim_hws_doorbell(struct npu_sim *s, uint32_t db);
/* A job of db ended: the engine is free, a suspend waiting for it completes. */
void sim_hws_job_ended(struct npu_sim *s, uint32_t db);

/*
 * The HWS scheduler's pass (sim_jobs_run in HWS mode): true when work is
 * left that only time can move.
 */
bool sim_hws_run(struct npu_sim *s);

/* Between sim_hws.c and sim_hws_msg.c. */
/* Queue states written in a scheduling-log "context state change" entry (the model's encoding). */
enum {
	SIM_HWS_STATE_RUNNING = 1,
	SIM_HWS_STATE_PREEMPTED = 2,
	SIM_HWS_STATE_SUSPENDED = 3,
	SIM_HWS_STATE_RESUMED = 4,
};
struct sim_queue;
struct sim_hws_cmdq *sim_hws_cmdq_find(struct npu_sim *s, uint32_t ssid, uint64_t id);
/* Forgets a command queue and the doorbell registered to it (its running job abandoned). */
void sim_hws_cmdq_free(struct npu_sim *s, struct sim_hws_cmdq *c);
/* Saves db's running job into its preemption buffer; false when it cannot be preempted. */
bool sim_hws_preempt(struct npu_sim *s, uint32_t db, struct sim_queue *q);
/* HWS_SUSPEND_CMDQ_DONE of c into msg. */
void sim_hws_suspend_msg(const struct sim_hws_cmdq *c, struct npu_jsm_msg *msg);
void sim_hws_log_state(struct npu_sim *s, uint32_t db, unsigned state);

#endif
