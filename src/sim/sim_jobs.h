/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's job scheduler, OS-scheduling mode (docs/firmware-protocol.md §3,
 * §9 steps 4-9): job queues registered to doorbells, taken when their
 * doorbell rings, each job run by the command engine (sim_cmd.h) in the
 * queue's context, its completion reported with JOB_DONE on channel 11.
 *
 * Queue memory is the host's: everything read from it is checked before use,
 * and a queue whose header makes no sense is logged as a guest error and left
 * alone until its doorbell rings again. All functions expect sim->lock held.
 */
#ifndef NPU_SIM_SIM_JOBS_H
#define NPU_SIM_SIM_JOBS_H

#include <stdbool.h>
#include <stdint.h>

struct npu_sim;
struct npu_jsm_engine_reset_done;

#define SIM_JOBQ_MIN_SIZE (64u + 64u)	  /* a header and one slot */
#define SIM_JOBQ_MAX_SIZE (1024u * 1024u) /* the model's bound on REGISTER_DB */

/*
 * REGISTER_DB: the queue at jobq_va (global context) of jobq_size bytes, whose
 * jobs run in context ssid, answers doorbell db. A registration replaces any
 * earlier one of db (a running job of it is abandoned). Returns the JSM result:
 * SUCCESS, or PROCESSING_ERR for a doorbell outside 1..255, a size outside
 * 128 bytes..1 MiB, a queue not 64-byte aligned or an SSID above 255.
 */
uint32_t sim_jobs_register(struct npu_sim *s, uint32_t db, uint64_t jobq_va, uint32_t jobq_size,
			   uint32_t ssid);

/*
 * UNREGISTER_DB: forgets db's queue (a running job is abandoned, no JOB_DONE).
 * Returns SUCCESS, also for a doorbell that was not registered (a host
 * unregistering after a firmware reset), or PROCESSING_ERR outside 1..255.
 */
uint32_t sim_jobs_unregister(struct npu_sim *s, uint32_t db);

/* SSID_RELEASE: forgets every queue whose jobs run in ssid; returns how many. */
unsigned sim_jobs_release_ssid(struct npu_sim *s, uint32_t ssid);

/*
 * ENGINE_RESET of engine 0: every running job is abandoned (no JOB_DONE; the
 * host aborts them itself from the list) and its slot consumed, so its queue
 * goes on with the next job. Fills done->num_impacted_contexts and up to three
 * impacted contexts (host_ssid, cmdq_id 0, flags 0: primary cause).
 */
void sim_jobs_engine_reset(struct npu_sim *s, struct npu_jsm_engine_reset_done *done);

/*
 * Takes the doorbells rung since the last call, then runs jobs of the active
 * queues until none makes progress: a job blocked on a fence leaves its queue
 * running and the others go on, so a FENCE_SIGNAL in one queue can release a
 * FENCE_WAIT in another. Returns true when work is left that only time can
 * move: a blocked job, or a completion waiting for a free RX slot.
 */
bool sim_jobs_run(struct npu_sim *s);

/* Whether a job runs or waits to: the buttress then reports busy (VPU_STATUS.IDLE 0). */
bool sim_jobs_busy(struct npu_sim *s);

/* What one step of a queue did (sim_jobs_step). */
enum sim_step {
	STEP_IDLE,     /* nothing to do: empty, unusable, or hung by fault injection */
	STEP_PROGRESS, /* a job was taken, moved on or ended */
	STEP_WAIT,     /* a job is blocked, or its end waits for a free RX slot */
};

struct sim_queue;
/*
 * One step of db's queue: takes the job at head when none runs, then runs
 * it for a time slice (sim_cmd.h); a job that ends is reported.
 */
enum sim_step sim_jobs_step(struct npu_sim *s, uint32_t db, struct sim_queue *q);
/* The running job of db's queue ends with status: head moves on, JOB_DONE goes out. */
void sim_jobs_end(struct npu_sim *s, uint32_t db, struct sim_queue *q, uint32_t status);
/* The doorbells rung since the last call make their queues active. */
void sim_jobs_take_doorbells(struct npu_sim *s);

/* Firmware reset: every registration and running job is forgotten. */
void sim_jobs_reset(struct npu_sim *s);

#endif
