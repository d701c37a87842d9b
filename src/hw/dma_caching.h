/* SPDX-License-Identifier: MIT */
/* How the CPU maps memory the NPU reads and writes: a fact the platform and the model share. */
#ifndef NPU_HW_DMA_CACHING_H
#define NPU_HW_DMA_CACHING_H

/*
 * How the CPU maps a DMA buffer (docs/dma.md). The NPU is not coherent with
 * the CPU's caches unless an access carries the snoop attribute (the PTE's
 * LLC-coherent bit, or the MMU's snoop override for its own table walks):
 * what the CPU writes through a write-back mapping reaches a non-snooping
 * device only after npu_dma_flush. Write-combined and uncached mappings write
 * through: npu_dma_wmb is enough.
 */
enum npu_dma_caching {
	NPU_DMA_WB = 0, /* write-back cached */
	NPU_DMA_WC,	/* write-combined */
	NPU_DMA_UC,	/* uncached */
};

#endif
