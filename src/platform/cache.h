/* SPDX-License-Identifier: MIT */
/*
 * CPU cache maintenance for backends whose DMA memory the CPU maps
 * write-back while the device does not snoop it (docs/dma.md).
 */
#ifndef NPU_PLATFORM_CACHE_H
#define NPU_PLATFORM_CACHE_H

#include <stddef.h>

/*
 * Writes back and invalidates every cache line of [p, p + len) and waits
 * until the writes are done: x86 clflushopt (clflush where the CPU lacks it)
 * per line then sfence, as Linux clflush_cache_range; aarch64 dc civac per
 * line then dsb sy. Elsewhere only a full fence: such a build must map DMA
 * memory uncached or rely on coherent DMA.
 */
void npu_cpu_cache_flush(const void *p, size_t len);

#endif
