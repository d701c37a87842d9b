/* SPDX-License-Identifier: MIT */
/*
 * The model's command-buffer engine (docs/firmware-protocol.md §4): runs a job's batch
 * buffer in the job's context, reaching memory only through the MMU walk.
 * Called with sim->lock held.
 */
#ifndef NPU_SIM_SIM_CMD_H
#define NPU_SIM_SIM_CMD_H

#include <stdbool.h>
#include <stdint.h>

struct npu_sim;

/* Where a job stands: a job blocked on a fence resumes at `offset`. */
struct sim_cmd_state {
	uint64_t batch_va;   /* the batch buffer header (job slot's batch_buf_addr) */
	bool started;	     /* header read and checked */
	uint32_t offset;     /* next command, from the header start */
	uint32_t end;	     /* cmd_buffer_size */
	uint64_t fence_base; /* fence_heap_base_address */
	uint64_t desc_base;  /* descriptor_heap_base_address */
	uint64_t commands;   /* commands executed, for the heartbeat and statistics */
	/*
	 * Set by the caller before a run (0: none): once this long has passed
	 * since the run's second command began, the run stops after the command
	 * it is in, BLOCKED with the job moved on, so one long job cannot keep
	 * the host off the model's lock. A job of one command (a NOP) reads no
	 * clock for it.
	 */
	uint64_t yield_after_ns;
};

/*
 * The largest cmd_buffer_size the model accepts (its own cap; docs/firmware-protocol.md
 * §4.1 gives none). A run walks at most this many bytes, at least 4 per command.
 */
#define SIM_CMD_BUFFER_SIZE_MAX (1u << 20)

enum sim_cmd_result {
	SIM_CMD_DONE, /* the job ended: *status is its JSM status */
	SIM_CMD_BLOCKED, /* a FENCE_WAIT is not satisfied yet, or yield_after_ns passed: run again later */
};

/*
 * What the engine checks and does, where docs/firmware-protocol.md §4 is silent or loose:
 *
 * Header (§4.1): batch_va 64-B aligned; cmd_offset >= 48, a multiple of 4 and
 * <= cmd_buffer_size <= SIM_CMD_BUFFER_SIZE_MAX; context_save_area_address
 * non-zero and 64-B aligned ("required"; the model never preempts, so it
 * never writes there). Bytes 8..15 (api_version, or the old kernel heap base)
 * are ignored. Any violation: PARSING_ERR. cmd_offset == cmd_buffer_size is
 * an empty batch: SUCCESS.
 *
 * 37xx only: the management CPU cannot reach above 4 GiB (§5.6), so a batch
 * buffer, fence or timestamp that ends above 4 GiB is PARSING_ERR.
 *
 * Commands (§4.2): size a non-zero multiple of 4 (§4.2 says 8; 4 is
 * accepted so that only the type decides) that fits in cmd_buffer_size. NOP:
 * >= 8 bytes; every other type its exact size (BARRIER 8, TIMESTAMP 16,
 * FENCE_* 24, METRIC_QUERY_* 16, MEMORY_FILL 32, COPY 24, INFERENCE_EXECUTE
 * 32). UNKNOWN, the deprecated types and any other value: PARSING_ERR.
 * - TIMESTAMP: RAW = the TIM_PERF counter (sim_ip_perf_ticks); SYSTIME = the
 *   host's monotonic clock in µs; DELTA = SYSTIME minus RAW in µs, i.e. where
 *   the counter's origin lies on that clock (our reading of "SysTime delta").
 *   Address 64-B aligned on 37xx, 8-B on 40xx; another type: PARSING_ERR.
 * - FENCE_WAIT: satisfied when fence >= value (§4.4 and §10.4 leave ">=" vs
 *   ">" open; the kmd-test values 1/2/3 and the UMD's 3/4/5 work with both).
 *   Unsatisfied: SIM_CMD_BLOCKED with st->offset left at the FENCE_WAIT, which
 *   re-reads the fence (and the command) when run again. Fence address = fence
 *   heap base + offset: wrapping or misaligned (64 B on 37xx, 8 B on 40xx) is
 *   PARSING_ERR. BARRIER and FENCE_SIGNAL's ordering hold trivially: the engine
 *   completes each command before the next.
 * - METRIC_QUERY_BEGIN/END: data address must be 64-B aligned (else
 *   PARSING_ERR); then MVNCI_NOT_IMPLEMENTED: the model has no counters, and
 *   failing is better than a query that "succeeds" with nothing written.
 * - MEMORY_FILL: the 32-bit pattern repeated from start (pattern byte 0 at
 *   start, a tail shorter than 4 gets the pattern's first bytes); size 0 does
 *   nothing. 37xx: start 64-B aligned; 40xx: size <= 16 MiB; no other limit.
 * - COPY: descriptors at descriptor heap base + offset, 64-B aligned, count
 *   1..4096, layout by s->gen (37xx 64 B, read 80 B at a time as its DMA
 *   prefetches; 40xx and later 192 B). 37xx: size <= 16 MiB, source and
 *   destination below 256 GiB (38-bit DMA). Copied forward one source page at
 *   a time through a 4 KiB bounce buffer, so overlapping ranges get what such
 *   a DMA engine would give. A size of 0 copies nothing.
 * - INFERENCE_EXECUTE: runs the network of this project's own format
 *   (docs/model-format.md, sim_infer.h); its statuses are listed there.
 * A job ended by an error keeps st->offset at the failing command; st->commands
 * counts the commands completed (a blocked FENCE_WAIT counts once it passes).
 */

/* Starts a job's state at its batch buffer. */
void sim_cmd_init(struct sim_cmd_state *st, uint64_t batch_va);

/*
 * Runs the job from where it stood. Status on DONE: SUCCESS; PARSING_ERR for
 * a malformed header, an unknown or deprecated command, sizes that do not
 * fit; MVNCI_CONTEXT_VIOLATION_HW (0xE) when an access faulted in the MMU
 * (the fault is recorded as an MMU event for the job's SSID);
 * MVNCI_NOT_IMPLEMENTED for METRIC_QUERY_*; those of docs/model-format.md §7
 * for INFERENCE_EXECUTE. Never touches memory except
 * through sim_mmu_access(ssid). On BLOCKED, *status is SUCCESS (so far).
 * Any bytes are survived; a run is bounded by cmd_buffer_size and the sizes
 * the commands name.
 */
enum sim_cmd_result sim_cmd_run(struct npu_sim *s, uint32_t ssid, struct sim_cmd_state *st,
				uint32_t *status);

#endif
