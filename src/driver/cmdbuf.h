/* SPDX-License-Identifier: MIT */
/*
 * Building a command ("batch") buffer (docs/firmware-protocol.md §4) in a buffer the CPU
 * can write and the NPU sees at `va`: the 48-byte header, the commands after
 * it, a 64-byte context save area, and COPY descriptors in their own area.
 *
 * Layout of the buffer: [0, 48) header; [48, cmd_cap) commands; the context
 * save area at cmd_cap; descriptors from desc_off (64-byte aligned) to the
 * end, with the 16 bytes the 37xx copy engine prefetches past the last one.
 */
#ifndef NPU_DRIVER_CMDBUF_H
#define NPU_DRIVER_CMDBUF_H

#include <stddef.h>
#include <stdint.h>

#include "hw/gen.h"

struct npu_cmdbuf {
	uint8_t *cpu;
	uint64_t va;
	size_t size;
	enum npu_gen gen;
	size_t cmd_len;	 /* bytes of header + commands so far */
	size_t cmd_cap;	 /* where commands must end (the save area follows) */
	size_t desc_off; /* start of the descriptor area */
	size_t desc_len;
	unsigned n_cmds;
	/*
	 * The firmware's job-command API, (major << 16) | minor (header api_version[3]);
	 * 0 when not known. It decides what drv_cmdbuf_nop emits.
	 */
	uint32_t job_cmd_api;
};

/* Bytes a buffer needs for n_cmds commands of at most 32 bytes and n_desc descriptors. */
size_t drv_cmdbuf_size_for(enum npu_gen gen, unsigned n_cmds, unsigned n_desc);

/* Starts a buffer; -EINVAL if cpu/va are not 64-byte aligned or size is too small. */
int drv_cmdbuf_init(struct npu_cmdbuf *cb, void *cpu, uint64_t va, size_t size, unsigned n_cmds,
		    enum npu_gen gen);

/*
 * The command a job that does nothing carries: NOP on job-command API 4.10 and later,
 * BARRIER below it and when the API is not known (0), as Intel's user-mode driver does
 * (docs/firmware-protocol.md §4.2): firmware before 4.10 fails NOP as an unknown type.
 */
uint16_t drv_cmd_noop_type(uint32_t job_cmd_api);
/* "NOP" or "BARRIER". */
const char *drv_cmd_noop_name(uint32_t job_cmd_api);
/* Sets the firmware's job-command API a buffer is built for (before any command). */
void drv_cmdbuf_set_api(struct npu_cmdbuf *cb, uint32_t job_cmd_api);

/*
 * Appends a command; -ENOSPC when the buffer is full, -EINVAL for bad arguments.
 * drv_cmdbuf_nop appends drv_cmd_noop_type(cb->job_cmd_api).
 */
int drv_cmdbuf_nop(struct npu_cmdbuf *cb);
int drv_cmdbuf_barrier(struct npu_cmdbuf *cb);
int drv_cmdbuf_timestamp(struct npu_cmdbuf *cb, uint64_t va, uint32_t type);
int drv_cmdbuf_fence_wait(struct npu_cmdbuf *cb, uint64_t fence_va, uint64_t value);
int drv_cmdbuf_fence_signal(struct npu_cmdbuf *cb, uint64_t fence_va, uint64_t value);
/* Fills size bytes at va with a 32-bit pattern (split in 16 MiB commands on 40xx). */
int drv_cmdbuf_fill(struct npu_cmdbuf *cb, uint64_t va, uint64_t size, uint32_t pattern);
/* Copies size bytes (descriptors of at most 8 MiB each, as the user-mode driver splits them). */
int drv_cmdbuf_copy(struct npu_cmdbuf *cb, uint64_t dst, uint64_t src, uint64_t size);
/*
 * INFERENCE_EXECUTE (docs/firmware-protocol.md §4.2) on the inference descriptor of desc_size
 * bytes at desc_va (on the simulated NPU: docs/model-format.md); inference_id
 * is carried as given. -EINVAL for a descriptor at 0 or of size 0.
 */
int drv_cmdbuf_inference(struct npu_cmdbuf *cb, uint64_t desc_va, uint32_t desc_size,
			 uint64_t inference_id);
/* Appends raw bytes as one command (type, size from the bytes), for tests. */
int drv_cmdbuf_raw(struct npu_cmdbuf *cb, const void *cmd, size_t len);

/* Writes the header. The buffer is then ready for submission at cb->va. */
int drv_cmdbuf_finish(struct npu_cmdbuf *cb);

#endif
