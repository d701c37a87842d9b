/* SPDX-License-Identifier: MIT */
/*
 * A context's NPU page tables (docs/firmware-protocol.md §5.4): 4 levels, 4 KiB pages, 48-bit
 * virtual addresses. Each table is one 4 KiB DMA allocation the device walks;
 * the driver writes it through its CPU mapping and finds its way down through
 * a CPU-side shadow of the tree, never by trusting addresses read back from
 * device-visible memory.
 *
 * After drv_mmu_ctx_map() or drv_mmu_ctx_unmap() on a live context the caller
 * must invalidate the MMU's TLB for the context (drv_mmu_tlb_invalidate() in
 * mmu.h, TLBI_NH_ASID + SYNC): until then the device may still use stale
 * translations. Tables emptied by unmap are kept until fini, so a walk the
 * device has already started never reads freed memory.
 *
 * Not thread-safe: the caller serialises calls on one context.
 */
#ifndef NPU_DRIVER_MMU_CTX_H
#define NPU_DRIVER_MMU_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

/* drv_mmu_ctx_map() flags. */
#define NPU_MMU_MAP_READ_ONLY 0x1u /* PTE b7: device writes fault */
#define NPU_MMU_MAP_SNOOP     0x2u /* PTE b2 LLC-coherent: for cached (snooped) buffers */

struct npu_mmu_pt; /* a table below the root and its CPU-side links (mmu_ctx.c) */

struct npu_mmu_ctx {
	uint32_t ssid;
	struct npu_dma pgd;	      /* level-0 table: its addr goes into the CD's TTB0 */
	struct npu_mmu_pt **pgd_next; /* 512 links to the level-1 tables, NULL where none */
	size_t tables;		      /* tables below the root that this context allocated */
	size_t pages;		      /* pages mapped now */
};

/*
 * Allocates the root table with every entry unmapped (0xDEADB000). Returns 0,
 * -EINVAL (ssid >= 256), -ENOMEM or -EIO (unusable table memory, as for map).
 */
int drv_mmu_ctx_init(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint32_t ssid);
/* Frees the root and every table below it. The context's CD must be cleared first. */
void drv_mmu_ctx_fini(struct npu_mmu_ctx *ctx, struct npu_platform *p);

/*
 * Maps [va, va + size) to device memory at dma_addr, page by page: each PTE is
 * dma_addr | 0xC43 (valid, page, user, AF, nG) plus b7 for READ_ONLY and b2 for
 * SNOOP. va, dma_addr and size must be 4 KiB multiples, size non-zero, and both
 * ranges below 2^48. All or nothing: on error the tables are as they were.
 * Returns 0, -EINVAL (bad arguments or flags), -EEXIST (a page of the range is
 * already mapped), -ENOMEM (a table could not be allocated) or -EIO (the
 * platform gave table memory no descriptor can hold: unaligned or above 2^48).
 */
int drv_mmu_ctx_map(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint64_t va, uint64_t dma_addr,
		    size_t size, unsigned flags);

/*
 * Unmaps [va, va + size): each mapped PTE of the range goes back to 0xDEADB000.
 * Pages that were not mapped are skipped, so an error path can unmap a whole
 * range of which only a part went in. Returns 0, -EINVAL (bad range, nothing
 * done) or -ENOENT (some page of the range was not mapped; the others are
 * unmapped all the same).
 */
/*
 * Maps [va, va + size) to bytes [off, off + size) of the buffer, piece by
 * piece when it has several (npu_dma.segs). Same rules and errors as
 * drv_mmu_ctx_map (off a 4 KiB multiple, inside the buffer); all or nothing.
 */
int drv_mmu_ctx_map_dma(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint64_t va,
			const struct npu_dma *dma, size_t off, size_t size, unsigned flags);
int drv_mmu_ctx_unmap(struct npu_mmu_ctx *ctx, uint64_t va, size_t size);

/*
 * The level-3 entry for va (any byte in the page), for tests and diagnostics.
 * Returns 0 with *pte set (possibly an unmapped 0xDEADB000), -ENOENT when no
 * level-3 table covers va (*pte = 0xDEADB000), or -EINVAL (va >= 2^48).
 */
int drv_mmu_ctx_lookup(const struct npu_mmu_ctx *ctx, uint64_t va, uint64_t *pte);

#endif
