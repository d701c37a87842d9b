/* SPDX-License-Identifier: MIT */
/*
 * Ordering between the CPU's writes to DMA memory and the register access
 * that tells the device to look at them (queue PROD, doorbell, IPC FIFO).
 *
 * npu_dma_wmb: memory writes before it are visible to the device before any
 * later register write. npu_dma_rmb: the device's memory writes announced by
 * an earlier register read are seen by later memory reads. A full fence for
 * both: write-combined mappings need more than a compiler barrier.
 *
 * ThreadSanitizer does not model fences (gcc warns about them); there the
 * simulated device synchronises through its own lock on every register
 * access, so a compiler barrier keeps the build clean without hiding a race.
 */
#ifndef NPU_DRIVER_BARRIER_H
#define NPU_DRIVER_BARRIER_H

#if defined(__SANITIZE_THREAD__)
#define npu_dma_fence() __asm__ __volatile__("" ::: "memory")
#else
#define npu_dma_fence() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#define npu_dma_wmb() npu_dma_fence()
#define npu_dma_rmb() npu_dma_fence()

#endif
