/* SPDX-License-Identifier: MIT */
/*
 * The platform operations every backend so far takes from the host as they
 * are: whole-file reads, the monotonic clock, sleeping. A backend puts these
 * in its ops table (npu_platform_ops.read_file, now_ns, delay_us).
 */
#ifndef NPU_PLATFORM_HOST_H
#define NPU_PLATFORM_HOST_H

#include "platform/platform.h"

int npu_host_read_file(struct npu_platform *p, const char *path, size_t max_size, uint8_t **data,
		       size_t *size);
uint64_t npu_host_now_ns(struct npu_platform *p);
void npu_host_delay_us(struct npu_platform *p, uint32_t us);

#endif
