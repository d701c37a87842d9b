/* SPDX-License-Identifier: MIT */
/*
 * The model's command-buffer engine (docs/firmware-protocol.md §4): reads a job's batch
 * header, walks its commands back to back and executes them in order, in the
 * job's context. Every byte it reads or writes goes through sim_mmu_access(),
 * so a bad address becomes an MMU event and the job's status 0xE, as on
 * silicon. The bytes are the job's, hence untrusted: every size is checked
 * against what was read, every address sum against wrapping, and every loop
 * consumes bytes or pages, so any batch ends.
 *
 * Choices where docs/firmware-protocol.md is silent are listed in sim_cmd.h.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hw/cmd.h"
#include "hw/jsm.h"
#include "sim/sim_cmd.h"
#include "sim/sim_infer.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "util/log.h"

#define CMD_HDR_SIZE	4u  /* {u16 type; u16 size} */
#define CMD_MIN_SIZE	8u  /* the smallest command any type accepts (NOP, BARRIER) */
#define CMD_FETCH_MAX	32u /* the largest fixed-size command (MEMORY_FILL, INFERENCE_EXECUTE) */
#define BATCH_HDR_SIZE	48u
#define DMA_CHUNK	4096u		/* fill chunk: one page */
#define CPU_REACH_37XX	NPU_SZ_GIB(4)	/* 37xx management CPU: below 4 GiB (§5.6) */
#define DMA_REACH_37XX	NPU_SZ_GIB(256) /* 37xx copy addresses (§4.3): 38-bit DMA */
#define DESC_SIZE_37XX	64u		/* docs/firmware-protocol.md §4.3 */
#define DESC_SIZE_40XX	192u		/* docs/firmware-protocol.md §4.3 */
#define DESC_ALIGN	64u		/* descriptor array, §4.2 COPY */
#define STEP_BLOCKED	UINT32_MAX	/* internal: a FENCE_WAIT not satisfied */
#define STATUS_OK	NPU_JSM_STATUS_SUCCESS
#define STATUS_PARSE	NPU_JSM_STATUS_PARSING_ERR
#define STATUS_FAULT	NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW
#define STATUS_NOT_IMPL NPU_JSM_STATUS_MVNCI_NOT_IMPLEMENTED

/* The job being run, for the commands and their messages. */
struct cmd_ctx {
	struct npu_sim *s;
	uint32_t ssid;
	struct sim_cmd_state *st;
	bool gen37; /* 37xx rules; everything later follows 40xx */
};

/* Ends the job with PARSING_ERR, saying why (the command is the one at st->offset). */
static uint32_t parse_error(const struct cmd_ctx *c, const char *why)
{
	npu_dbg(SIM, "job at 0x%" PRIx64 " (SSID %u), +0x%x: %s: PARSING_ERR", c->st->batch_va,
		c->ssid, c->st->offset, why);
	return STATUS_PARSE;
}

/* A device access; a fault (already recorded by the MMU as an event) ends the job with 0xE. */
/* A device access that faulted (the MMU recorded the event): the job's status. */
static uint32_t dev_fault(const struct cmd_ctx *c, uint64_t va, size_t len, bool write)
{
	npu_dbg(SIM,
		"job at 0x%" PRIx64 " (SSID %u), +0x%x: %s of %zu bytes at 0x%" PRIx64
		" faulted: CONTEXT_VIOLATION_HW",
		c->st->batch_va, c->ssid, c->st->offset, write ? "write" : "read", len, va);
	return STATUS_FAULT;
}

static uint32_t dev_access(const struct cmd_ctx *c, uint64_t va, void *buf, size_t len, bool write)
{
	return sim_mmu_access(c->s, c->ssid, va, buf, len, write) == 0
		   ? STATUS_OK
		   : dev_fault(c, va, len, write);
}

/*
 * Whether the management CPU reaches [va, va + len): on 37xx it cannot go above
 * 4 GiB, so batch buffers, fences and timestamps live low (docs/firmware-protocol.md §5.6).
 */
static bool cpu_reaches(const struct cmd_ctx *c, uint64_t va, uint64_t len)
{
	uint64_t end;

	if (__builtin_add_overflow(va, len, &end))
		return false;
	return !c->gen37 || end <= CPU_REACH_37XX;
}

/* ---- TIMESTAMP, fences, metrics ---- */

static uint32_t exec_timestamp(const struct cmd_ctx *c, const uint8_t *cmd)
{
	uint32_t type = npu_le32(cmd + offsetof(struct npu_cmd_timestamp, type));
	uint64_t va = npu_le64(cmd + offsetof(struct npu_cmd_timestamp, timestamp_address));
	uint8_t val[8];

	/* 37xx: 64-B aligned (cache operations); 40xx: 8-B (docs/firmware-protocol.md §4.2). */
	if (va % (c->gen37 ? 64u : 8u) != 0)
		return parse_error(c, "timestamp address misaligned");
	if (!cpu_reaches(c, va, sizeof(val)))
		return parse_error(c, "timestamp address out of the CPU's reach");
	switch (type) {
	case NPU_TIMESTAMP_RAW:
		npu_put_le64(val, sim_ip_perf_ticks(c->s));
		break;
	case NPU_TIMESTAMP_SYSTIME:
		npu_put_le64(val, sim_now_ns() / 1000u);
		break;
	case NPU_TIMESTAMP_DELTA:
		/* SYSTIME minus the perf counter in µs: where the counter's origin lies. */
		npu_put_le64(val, c->s->created_ns / 1000u);
		break;
	default:
		return parse_error(c, "unknown timestamp type");
	}
	return dev_access(c, va, val, sizeof(val), true);
}

/* The fence of a FENCE_WAIT/SIGNAL: heap base + offset, 64-B aligned on 37xx, 8-B after. */
static uint32_t fence_address(const struct cmd_ctx *c, const uint8_t *cmd, uint64_t *va)
{
	uint64_t off = npu_le64(cmd + offsetof(struct npu_cmd_fence, offset));

	if (__builtin_add_overflow(c->st->fence_base, off, va))
		return parse_error(c, "fence address wraps");
	if (*va % (c->gen37 ? 64u : 8u) != 0)
		return parse_error(c, "fence address misaligned");
	if (!cpu_reaches(c, *va, 8))
		return parse_error(c, "fence out of the CPU's reach");
	return STATUS_OK;
}

/* Satisfied once the fence is >= the value (see sim_cmd.h); else the job blocks here. */
static uint32_t exec_fence_wait(const struct cmd_ctx *c, const uint8_t *cmd)
{
	uint64_t va, want = npu_le64(cmd + offsetof(struct npu_cmd_fence, value));
	uint8_t cur[8];
	uint32_t ret = fence_address(c, cmd, &va);

	if (ret == STATUS_OK)
		ret = dev_access(c, va, cur, sizeof(cur), false);
	if (ret != STATUS_OK)
		return ret;
	return npu_le64(cur) >= want ? STATUS_OK : STEP_BLOCKED;
}

static uint32_t exec_fence_signal(const struct cmd_ctx *c, const uint8_t *cmd)
{
	uint64_t va;
	uint8_t val[8];
	uint32_t ret = fence_address(c, cmd, &va);

	if (ret != STATUS_OK)
		return ret;
	/* Commands complete in order here, so "after all previous commands" holds already. */
	npu_put_le64(val, npu_le64(cmd + offsetof(struct npu_cmd_fence, value)));
	return dev_access(c, va, val, sizeof(val), true);
}

static uint32_t exec_metric_query(const struct cmd_ctx *c, const uint8_t *cmd)
{
	uint64_t va = npu_le64(cmd + offsetof(struct npu_cmd_metric_query, metric_data_address));

	if (va % 64u != 0)
		return parse_error(c, "metric data address misaligned");
	/* No performance counters in the model: say so rather than report empty metrics. */
	npu_dbg(SIM, "job at 0x%" PRIx64 ", +0x%x: metric query: NOT_IMPLEMENTED", c->st->batch_va,
		c->st->offset);
	return STATUS_NOT_IMPL;
}

/* ---- MEMORY_FILL and COPY ---- */

static uint32_t exec_memory_fill(const struct cmd_ctx *c, const uint8_t *cmd)
{
	uint64_t start = npu_le64(cmd + offsetof(struct npu_cmd_memory_fill, start_address));
	uint64_t size = npu_le64(cmd + offsetof(struct npu_cmd_memory_fill, size)), end;
	uint32_t pattern = npu_le32(cmd + offsetof(struct npu_cmd_memory_fill, fill_pattern));
	uint8_t chunk[DMA_CHUNK];

	if (c->gen37 && start % 64u != 0)
		return parse_error(c, "fill start misaligned");
	if (!c->gen37 && size > NPU_MEMORY_FILL_SIZE_MAX_40XX)
		return parse_error(c, "fill larger than 16 MiB");
	if (__builtin_add_overflow(start, size, &end))
		return parse_error(c, "fill range wraps");
	/* The pattern's byte 0 lands on start; chunks are DMA_CHUNK long, a multiple of 4. */
	for (size_t i = 0; i < sizeof(chunk); i += 4)
		npu_put_le32(chunk + i, pattern);
	for (uint64_t done = 0; done < size;) {
		size_t n = size - done < DMA_CHUNK ? (size_t)(size - done) : DMA_CHUNK;
		uint32_t ret = dev_access(c, start + done, chunk, n, true);

		if (ret != STATUS_OK)
			return ret;
		done += n;
	}
	return STATUS_OK;
}

/*
 * Copies size bytes from src to dst as a DMA engine does: straight from one
 * memory to the other, in runs of physically contiguous pages on both sides
 * (memmove: the two runs may overlap). A fault stops it where it happens.
 */
static uint32_t copy_range(const struct cmd_ctx *c, uint64_t dst, uint64_t src, uint64_t size)
{
	for (uint64_t done = 0; done < size;) {
		size_t want = size - done > SIZE_MAX ? SIZE_MAX : (size_t)(size - done);
		uint8_t *from, *to;
		size_t n_from, n_to;

		if (sim_mmu_map_run(c->s, c->ssid, src + done, want, false, &from, &n_from))
			return dev_fault(c, src + done, want, false);
		if (sim_mmu_map_run(c->s, c->ssid, dst + done, n_from, true, &to, &n_to))
			return dev_fault(c, dst + done, n_from, true);
		memmove(to, from, n_to);
		done += n_to;
	}
	return STATUS_OK;
}

/* One copy descriptor, in the layout of the model's generation (docs/firmware-protocol.md §4.3). */
static uint32_t copy_one(const struct cmd_ctx *c, uint64_t desc_va)
{
	/* 37xx DMA fetches 80 bytes per 64-byte descriptor: the 16 after it must be readable. */
	uint8_t d[DESC_SIZE_40XX];
	size_t fetch = c->gen37 ? NPU_COPY_DESC_37XX_PREFETCH : DESC_SIZE_40XX;
	uint64_t src, dst, size, end;
	uint32_t ret = dev_access(c, desc_va, d, fetch, false);

	if (ret != STATUS_OK)
		return ret;
	if (c->gen37) {
		src = npu_le64(d + offsetof(struct npu_copy_desc_37xx, src_address));
		dst = npu_le64(d + offsetof(struct npu_copy_desc_37xx, dst_address));
		size = npu_le32(d + offsetof(struct npu_copy_desc_37xx, size));
	} else {
		src = npu_le64(d + offsetof(struct npu_copy_desc_40xx, src_address));
		dst = npu_le64(d + offsetof(struct npu_copy_desc_40xx, dst_address));
		size = npu_le32(d + offsetof(struct npu_copy_desc_40xx, size));
	}
	if (__builtin_add_overflow(src, size, &end) || __builtin_add_overflow(dst, size, &end))
		return parse_error(c, "copy range wraps");
	if (c->gen37) {
		if (size > NPU_COPY_DESC_SIZE_MAX)
			return parse_error(c, "copy descriptor larger than 16 MiB");
		if (src + size > DMA_REACH_37XX || dst + size > DMA_REACH_37XX)
			return parse_error(c, "copy address at or above 256 GiB");
	}
	return copy_range(c, dst, src, size);
}

static uint32_t exec_copy(const struct cmd_ctx *c, const uint8_t *cmd)
{
	uint64_t off = npu_le64(cmd + offsetof(struct npu_cmd_copy, desc_start_offset)), base;
	uint32_t count = npu_le32(cmd + offsetof(struct npu_cmd_copy, desc_count));
	uint64_t stride = c->gen37 ? DESC_SIZE_37XX : DESC_SIZE_40XX, last;

	if (__builtin_add_overflow(c->st->desc_base, off, &base))
		return parse_error(c, "descriptor address wraps");
	if (base % DESC_ALIGN != 0)
		return parse_error(c, "descriptor array misaligned");
	if (count == 0 || count > NPU_CMD_COPY_DESC_COUNT_MAX)
		return parse_error(c, "descriptor count not in 1..4096");
	/* count * stride + 16 of prefetch <= 4096 * 192: only the sum with base can wrap. */
	if (__builtin_add_overflow(base, (uint64_t)count * stride + 16u, &last))
		return parse_error(c, "descriptor array wraps");
	for (uint32_t i = 0; i < count; i++) {
		uint32_t ret = copy_one(c, base + (uint64_t)i * stride);

		if (ret != STATUS_OK)
			return ret;
	}
	return STATUS_OK;
}

/* ---- the walk ---- */

/*
 * The size a type demands: its exact size, 0 for "at least 8" (NOP), -1 if not accepted.
 * NOP is a command from job-command API 4.10 on (Intel vpu_jsm_job_cmd_api.h); firmware
 * of an older API does not know the type (docs/firmware-protocol.md §4.2).
 */
static int cmd_size(uint16_t type, uint32_t job_cmd_api)
{
	switch (type) {
	case NPU_CMD_NOP:
		return job_cmd_api >= NPU_JOB_CMD_API_NOP_MIN ? 0 : -1;
	case NPU_CMD_BARRIER:
		return (int)sizeof(struct npu_cmd_barrier);
	case NPU_CMD_TIMESTAMP:
		return (int)sizeof(struct npu_cmd_timestamp);
	case NPU_CMD_FENCE_WAIT:
	case NPU_CMD_FENCE_SIGNAL:
		return (int)sizeof(struct npu_cmd_fence);
	case NPU_CMD_METRIC_QUERY_BEGIN:
	case NPU_CMD_METRIC_QUERY_END:
		return (int)sizeof(struct npu_cmd_metric_query);
	case NPU_CMD_MEMORY_FILL:
		return (int)sizeof(struct npu_cmd_memory_fill);
	case NPU_CMD_COPY_LOCAL_TO_LOCAL:
		return (int)sizeof(struct npu_cmd_copy);
	case NPU_CMD_INFERENCE_EXECUTE:
		return (int)sizeof(struct npu_cmd_inference_execute);
	default:
		return -1; /* UNKNOWN (0), the deprecated types of §4.2, anything else */
	}
}

/* Runs a command whose type and size were checked; cmd holds its fixed-size part. */
static uint32_t exec_cmd(const struct cmd_ctx *c, uint16_t type, const uint8_t *cmd)
{
	switch (type) {
	case NPU_CMD_NOP:
	case NPU_CMD_BARRIER:
		/* In-order execution: every earlier command has completed already. */
		return STATUS_OK;
	case NPU_CMD_TIMESTAMP:
		return exec_timestamp(c, cmd);
	case NPU_CMD_FENCE_WAIT:
		return exec_fence_wait(c, cmd);
	case NPU_CMD_FENCE_SIGNAL:
		return exec_fence_signal(c, cmd);
	case NPU_CMD_METRIC_QUERY_BEGIN:
	case NPU_CMD_METRIC_QUERY_END:
		return exec_metric_query(c, cmd);
	case NPU_CMD_MEMORY_FILL:
		return exec_memory_fill(c, cmd);
	case NPU_CMD_COPY_LOCAL_TO_LOCAL:
		return exec_copy(c, cmd);
	case NPU_CMD_INFERENCE_EXECUTE:
		return sim_infer_exec(c->s, c->ssid, cmd);
	default:
		return parse_error(c, "unknown command type");
	}
}

/* Fetches, checks and runs the command at st->offset; moves past it once it completed. */
static uint32_t step(const struct cmd_ctx *c)
{
	struct sim_cmd_state *st = c->st;
	uint64_t va = st->batch_va + st->offset; /* batch_va + end was checked not to wrap */
	uint32_t left = st->end - st->offset, ret;
	uint8_t cmd[CMD_FETCH_MAX];
	/* Up to the page end only, so that a fault belongs to the command it is in. */
	size_t fetch = DMA_CHUNK - (size_t)(va % DMA_CHUNK);
	uint16_t type, size;
	int want;

	if (left < CMD_HDR_SIZE)
		return parse_error(c, "command header cut by cmd_buffer_size");
	if (fetch > left)
		fetch = left;
	if (fetch > sizeof(cmd))
		fetch = sizeof(cmd);
	ret = dev_access(c, va, cmd, fetch, false);
	if (ret != STATUS_OK)
		return ret;
	type = npu_le16(cmd + offsetof(struct npu_cmd_header, type));
	size = npu_le16(cmd + offsetof(struct npu_cmd_header, size));
	/* Multiples of 4 keep every command's fields 4-byte aligned; 0 would never advance. */
	if (size < CMD_HDR_SIZE || size % 4u != 0)
		return parse_error(c, "command size not a non-zero multiple of 4");
	if (size > left)
		return parse_error(c, "command runs past cmd_buffer_size");
	want = cmd_size(type, c->s->rom.api_job_cmd);
	if (want < 0 && type == NPU_CMD_NOP)
		return parse_error(c, "NOP is unknown to firmware below job-command API 4.10");
	if (want < 0)
		return parse_error(c, "unknown or deprecated command type");
	if (want == 0 ? size < CMD_MIN_SIZE : size != (unsigned)want)
		return parse_error(c, "command size does not fit its type");
	/* The rest of a fixed-size command (<= CMD_FETCH_MAX) if it crosses a page; a NOP's
	 * payload is never read. */
	if ((size_t)want > fetch) {
		ret = dev_access(c, va + fetch, cmd + fetch, (size_t)want - fetch, false);
		if (ret != STATUS_OK)
			return ret;
	}
	ret = exec_cmd(c, type, cmd);
	if (ret == STATUS_OK) {
		st->offset += size;
		st->commands++;
	}
	return ret;
}

/* Reads and checks the batch header (docs/firmware-protocol.md §4.1); sets up the walk. */
static uint32_t batch_start(const struct cmd_ctx *c)
{
	struct sim_cmd_state *st = c->st;
	uint8_t h[BATCH_HDR_SIZE];
	uint32_t size, first, ret;
	uint64_t csa;

	if (st->batch_va % NPU_CMD_BUFFER_ALIGN != 0)
		return parse_error(c, "batch header misaligned");
	if (!cpu_reaches(c, st->batch_va, sizeof(h)))
		return parse_error(c, "batch header out of the CPU's reach");
	ret = dev_access(c, st->batch_va, h, sizeof(h), false);
	if (ret != STATUS_OK)
		return ret;
	size = npu_le32(h + offsetof(struct npu_cmd_buffer_header, cmd_buffer_size));
	first = npu_le32(h + offsetof(struct npu_cmd_buffer_header, cmd_offset));
	csa = npu_le64(h + offsetof(struct npu_cmd_buffer_header, context_save_area_address));
	if (size > SIM_CMD_BUFFER_SIZE_MAX)
		return parse_error(c, "cmd_buffer_size above the model's cap");
	if (first < BATCH_HDR_SIZE || first > size || first % 4u != 0)
		return parse_error(c,
				   "cmd_offset not in 48..cmd_buffer_size or not 4-byte aligned");
	if (!cpu_reaches(c, st->batch_va, size))
		return parse_error(c, "batch buffer wraps or is out of the CPU's reach");
	if (csa == 0 || csa % NPU_CONTEXT_SAVE_AREA_SIZE != 0)
		return parse_error(c, "context save area missing or misaligned");
	st->end = size;
	st->offset = first;
	st->desc_base =
	    npu_le64(h + offsetof(struct npu_cmd_buffer_header, descriptor_heap_base_address));
	st->fence_base =
	    npu_le64(h + offsetof(struct npu_cmd_buffer_header, fence_heap_base_address));
	st->started = true;
	return STATUS_OK;
}

void sim_cmd_init(struct sim_cmd_state *st, uint64_t batch_va)
{
	*st = (struct sim_cmd_state){ .batch_va = batch_va };
}

enum sim_cmd_result sim_cmd_run(struct npu_sim *s, uint32_t ssid, struct sim_cmd_state *st,
				uint32_t *status)
{
	struct cmd_ctx c = { .s = s, .ssid = ssid, .st = st, .gen37 = s->gen == NPU_GEN_37XX };
	uint32_t ret = STATUS_OK;
	uint64_t yield_at = 0;

	if (!st->started)
		ret = batch_start(&c);
	/* Each step consumes >= 4 bytes of at most SIM_CMD_BUFFER_SIZE_MAX, or ends the run. */
	for (unsigned n = 0; ret == STATUS_OK && st->offset < st->end; n++) {
		/* At least one command a run; then the slice may end it, to go on next time. */
		if (n && st->yield_after_ns) {
			uint64_t now = sim_now_ns();

			if (!yield_at)
				yield_at = now + st->yield_after_ns;
			if (now >= yield_at || sim_host_waiting(s)) {
				ret = STEP_BLOCKED;
				break;
			}
		}
		ret = step(&c);
	}
	*status = ret == STEP_BLOCKED ? STATUS_OK : ret;
	return ret == STEP_BLOCKED ? SIM_CMD_BLOCKED : SIM_CMD_DONE;
}
