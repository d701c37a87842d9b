/* SPDX-License-Identifier: MIT */
/*
 * The in-process benches' rig (bench_inproc.c): the driver on a simulated
 * NPU of the bench's generation, with the synthetic firmware image, and
 * command buffers of one NOP or one COPY.
 */
#ifndef NPU_BENCH_BENCH_RIG_H
#define NPU_BENCH_BENCH_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "driver/device.h"
#include "driver/job.h"

struct bench_rig {
	struct npu_platform *plat;
	struct npu_device d;
	bool open;
};

/* Opens the platform and the device, and boots it when asked. */
int bench_rig_open(const struct bench_cfg *c, struct bench_rig *r, bool boot);
void bench_rig_close(struct bench_rig *r);
/* A command buffer of one NOP (n == 0), or of one COPY of n bytes from src to dst. */
int bench_make_cmd(struct npu_ctx *ctx, enum npu_gen gen, uint64_t dst, uint64_t src, size_t n,
		   struct npu_bo **out);

/* The driver's own time per job (bench_cpu.c); writes driver_cpu_per_job_ns and its parts. */
int bench_driver_cpu(const struct bench_cfg *c, struct npu_json *j);

#endif
