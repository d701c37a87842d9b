/* SPDX-License-Identifier: MIT */
/*
 * Ordering between the CPU's accesses to DMA memory and the register access
 * that tells the device to look at them (queue tail and doorbell, IPC FIFO,
 * MMU CMDQ_PROD), or that tells the CPU the device wrote them (the IPC FIFO
 * pop, EVTQ_PROD).
 *
 * npu_dma_wmb: memory writes before it are visible to the device before any
 * later register write. npu_dma_rmb: the device's memory writes announced by
 * an earlier register read are seen by later memory reads.
 *
 * DMA memory is not coherent with the NPU (docs/dma.md): the driver maps its
 * buffers write-combined (page tables, firmware, IPC, job queues: Linux
 * ivpu_pgtable_alloc_page, ivpu_fw_mem_init, ivpu_ipc_init, ivpu_cmdq_alloc)
 * or write-back (MMU stream table, CD table and queues, log buffers, user
 * buffers). A write-back buffer the device reads without snooping is flushed
 * line by line (npu_dma_flush in platform.h, which ends with this barrier);
 * write-back buffers mapped with the LLC-coherent PTE bit need nothing more.
 * On x86 stores to write-combined memory sit in the CPU's combining buffers
 * until a fence: npu_dma_wmb is sfence there (Linux: the wmb() before the
 * job queue tail in ivpu_cmdq_push_job). npu_dma_rmb is lfence, which keeps
 * the loads from write-combined memory after the register read. Other
 * architectures get a full fence for both.
 *
 * ThreadSanitizer does not model fences (gcc warns about them); there the
 * simulated device's register accesses are atomic operations or its lock,
 * which order the memory accesses around them for the model.
 */
#ifndef NPU_PLATFORM_BARRIER_H
#define NPU_PLATFORM_BARRIER_H

#if defined(__SANITIZE_THREAD__)
#define npu_dma_wmb() __asm__ __volatile__("" ::: "memory")
#define npu_dma_rmb() __asm__ __volatile__("" ::: "memory")
#elif defined(__x86_64__) || defined(__i386__)
#define npu_dma_wmb() __asm__ __volatile__("sfence" ::: "memory")
#define npu_dma_rmb() __asm__ __volatile__("lfence" ::: "memory")
#else
#define npu_dma_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define npu_dma_rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#endif
