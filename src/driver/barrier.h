/* SPDX-License-Identifier: MIT */
/*
 * Ordering between the CPU's accesses to DMA memory and the register access
 * that tells the device to look at them (queue tail and doorbell, IPC FIFO),
 * or that tells the CPU the device wrote them (the IPC FIFO pop).
 *
 * npu_dma_wmb: memory writes before it are visible to the device before any
 * later register write. npu_dma_rmb: the device's memory writes announced by
 * an earlier register read are seen by later memory reads.
 *
 * Every backend maps DMA memory write-back and cache-coherent: ordinary
 * memory for the simulated NPU, `zeroed@wb` on Redox x86, the IOMMU-mapped
 * pages of a process under VFIO. On x86 (TSO: stores leave in order, loads
 * are not reordered with older loads, and an uncached register access is
 * ordered with the write-back accesses around it) that needs only the
 * compiler kept from moving accesses across, as Linux's dma_wmb() and
 * dma_rmb() on x86. Other architectures get a full fence. A mapping that is
 * write-combined would need sfence on x86: none is used.
 *
 * ThreadSanitizer does not model fences (gcc warns about them); there the
 * simulated device's register accesses are atomic operations or its lock,
 * which order the memory accesses around them for the model.
 */
#ifndef NPU_DRIVER_BARRIER_H
#define NPU_DRIVER_BARRIER_H

#if defined(__SANITIZE_THREAD__) || defined(__x86_64__) || defined(__i386__)
#define npu_dma_fence() __asm__ __volatile__("" ::: "memory")
#else
#define npu_dma_fence() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#define npu_dma_wmb() npu_dma_fence()
#define npu_dma_rmb() npu_dma_fence()

#endif
