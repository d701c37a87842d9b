/* SPDX-License-Identifier: MIT */
/*
 * A context's NPU page tables (docs/firmware-protocol.md §5.4; Linux ivpu_mmu_context.c).
 *
 * VA bits [47:39] index the root (level 0), [38:30] level 1, [29:21] level 2,
 * [20:12] level 3, whose entries are the pages. Table descriptors are the next
 * table's DMA address | 0x3; pages are PA | 0xC43 (+ flags); every entry that
 * maps nothing holds 0xDEADB000 (invalid: bit 0 clear).
 */
#include "driver/mmu_ctx.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "platform/barrier.h"
#include "hw/regs_mmu.h"
#include "util/log.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "page tables are little-endian: a big-endian host needs byte swaps in entry_write");

#define PAGE_MASK   ((uint64_t)NPU_MMU_PAGE_SIZE - 1)
#define VA_LIMIT    (UINT64_C(1) << 48)
#define LEAF_SPAN   (UINT64_C(1) << NPU_MMU_PMD_SHIFT) /* VA covered by one level-3 table */
#define TABLE_BYTES ((size_t)NPU_MMU_PT_ENTRIES * sizeof(uint64_t))

/* Index shifts of the tables above the pages: levels 0, 1, 2. */
static const unsigned level_shift[3] = { NPU_MMU_PGD_SHIFT, NPU_MMU_PUD_SHIFT, NPU_MMU_PMD_SHIFT };

struct npu_mmu_pt {
	struct npu_dma dma;	  /* the 512 entries the device reads */
	struct npu_mmu_pt **next; /* levels 1 and 2: links to the tables below; level 3: NULL */
	/* Set while a map is in progress, to undo it: where this new table was linked. */
	uint64_t *link_entry;
	struct npu_mmu_pt **link_slot;
	struct npu_mmu_pt *undo_next;
};

/* One aligned 64-bit store: the device never sees half an entry. */
static void entry_write(uint64_t *entry, uint64_t val)
{
	*(volatile uint64_t *)entry = val;
}

static uint64_t entry_read(const uint64_t *entry)
{
	return *(const volatile uint64_t *)entry;
}

static void table_fill_unmapped(uint64_t *table)
{
	for (unsigned i = 0; i < NPU_MMU_PT_ENTRIES; i++)
		entry_write(&table[i], NPU_MMU_PTE_UNMAPPED);
}

/*
 * Page tables are write-combined, as Linux maps them (ivpu_mmu_context.c:
 * ivpu_pgtable_alloc_page, set_pages_array_wc): the MMU's walks do not snoop
 * (TCU_PTW_OVERRIDES), and an entry reaches memory at the next store fence,
 * with no cache line to flush. Map and unmap end with that fence; the TLB
 * invalidation the caller then sends orders it before the MMU looks.
 */
static const struct npu_dma_use use_table = { "page table", NPU_DMA_WC, false };

/* A DMA table usable in a descriptor: 4 KiB aligned, addressable in 48 bits. */
static int table_alloc(struct npu_platform *p, struct npu_dma *dma)
{
	int ret = npu_dma_alloc(p, TABLE_BYTES, &use_table, dma);

	if (ret)
		return ret;
	if ((dma->addr & PAGE_MASK) || (dma->addr & ~NPU_MMU_PTE_ADDR) || dma->size < TABLE_BYTES) {
		npu_err(MMU, "platform gave page-table memory at 0x%" PRIx64 " (%zu B): unusable",
			dma->addr, dma->size);
		npu_dma_free(p, dma);
		return -EIO;
	}
	table_fill_unmapped(dma->cpu);
	return 0;
}

static int pt_alloc(struct npu_mmu_ctx *ctx, struct npu_platform *p, bool has_next,
		    struct npu_mmu_pt **out)
{
	struct npu_mmu_pt *pt = calloc(1, sizeof(*pt));
	int ret;

	if (!pt)
		return -ENOMEM;
	if (has_next) {
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of table pointers */
		pt->next = calloc(NPU_MMU_PT_ENTRIES, sizeof(*pt->next));
		if (!pt->next) {
			free(pt);
			return -ENOMEM;
		}
	}
	ret = table_alloc(p, &pt->dma);
	if (ret) {
		free(pt->next);
		free(pt);
		return ret;
	}
	ctx->tables++;
	*out = pt;
	return 0;
}

static void pt_free(struct npu_mmu_ctx *ctx, struct npu_platform *p, struct npu_mmu_pt *pt)
{
	npu_dma_free(p, &pt->dma);
	free(pt->next);
	free(pt);
	ctx->tables--;
}

/* Frees pt and everything below it. Recursion depth: the table levels (at most 4). */
/* NOLINTNEXTLINE(misc-no-recursion) */
static void pt_free_tree(struct npu_mmu_ctx *ctx, struct npu_platform *p, struct npu_mmu_pt *pt)
{
	if (pt->next) {
		for (unsigned i = 0; i < NPU_MMU_PT_ENTRIES; i++) {
			if (pt->next[i])
				pt_free_tree(ctx, p, pt->next[i]);
		}
	}
	pt_free(ctx, p, pt);
}

int drv_mmu_ctx_init(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint32_t ssid)
{
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	if (ssid >= NPU_MMU_CDTAB_ENTRY_COUNT)
		return -EINVAL;
	ctx->ssid = ssid;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of table pointers */
	ctx->pgd_next = calloc(NPU_MMU_PT_ENTRIES, sizeof(*ctx->pgd_next));
	if (!ctx->pgd_next)
		return -ENOMEM;
	ret = table_alloc(p, &ctx->pgd);
	if (ret) {
		free(ctx->pgd_next);
		ctx->pgd_next = NULL;
		return ret;
	}
	npu_dbg(MMU, "context %u: root table at 0x%" PRIx64, ssid, ctx->pgd.addr);
	return 0;
}

void drv_mmu_ctx_fini(struct npu_mmu_ctx *ctx, struct npu_platform *p)
{
	if (!ctx->pgd_next)
		return;
	for (unsigned i = 0; i < NPU_MMU_PT_ENTRIES; i++) {
		if (ctx->pgd_next[i])
			pt_free_tree(ctx, p, ctx->pgd_next[i]);
	}
	free(ctx->pgd_next);
	ctx->pgd_next = NULL;
	npu_dma_free(p, &ctx->pgd);
	ctx->pages = 0;
}

/* 4 KiB multiples, non-empty, inside the 48-bit space. */
static bool range_ok(uint64_t addr, size_t size)
{
	uint64_t sz = (uint64_t)size;

	return sz && !(addr & PAGE_MASK) && !(sz & PAGE_MASK) && addr < VA_LIMIT &&
	       sz <= VA_LIMIT - addr;
}

/* The level-3 table covering va, or NULL. */
static struct npu_mmu_pt *leaf_find(const struct npu_mmu_ctx *ctx, uint64_t va)
{
	struct npu_mmu_pt *const *next = ctx->pgd_next;
	struct npu_mmu_pt *pt = NULL;

	for (unsigned lvl = 0; lvl < 3; lvl++) {
		pt = next[NPU_MMU_PT_INDEX(va, level_shift[lvl])];
		if (!pt)
			return NULL;
		next = pt->next;
	}
	return pt;
}

/*
 * The level-3 table covering va, creating the missing tables on the way. Each
 * new table is filled before it is linked, and pushed on *undo.
 */
static int leaf_get(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint64_t va,
		    struct npu_mmu_pt **undo, struct npu_mmu_pt **out)
{
	uint64_t *table = ctx->pgd.cpu;
	struct npu_mmu_pt **next = ctx->pgd_next;
	struct npu_mmu_pt *pt = NULL;
	int ret;

	for (unsigned lvl = 0; lvl < 3; lvl++) {
		uint32_t i = NPU_MMU_PT_INDEX(va, level_shift[lvl]);

		pt = next[i];
		if (!pt) {
			ret = pt_alloc(ctx, p, lvl < 2, &pt);
			if (ret)
				return ret;
			pt->link_entry = &table[i];
			pt->link_slot = &next[i];
			pt->undo_next = *undo;
			*undo = pt;
			next[i] = pt;
			npu_dma_wmb();
			entry_write(&table[i], pt->dma.addr | NPU_MMU_PTE_TABLE);
		}
		table = pt->dma.cpu;
		next = pt->next;
	}
	*out = pt;
	return 0;
}

/* Unlinks and frees the tables a failed map created, newest (deepest) first. */
static void undo_tables(struct npu_mmu_ctx *ctx, struct npu_platform *p, struct npu_mmu_pt *undo)
{
	while (undo) {
		struct npu_mmu_pt *pt = undo;

		undo = pt->undo_next;
		entry_write(pt->link_entry, NPU_MMU_PTE_UNMAPPED);
		*pt->link_slot = NULL;
		pt_free(ctx, p, pt);
	}
}

static uint64_t *leaf_entry(struct npu_mmu_pt *leaf, uint64_t va)
{
	return (uint64_t *)leaf->dma.cpu + NPU_MMU_PT_INDEX(va, NPU_MMU_PTE_SHIFT);
}

int drv_mmu_ctx_map(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint64_t va, uint64_t dma_addr,
		    size_t size, unsigned flags)
{
	uint64_t pages = (uint64_t)size >> NPU_MMU_PAGE_SHIFT;
	uint64_t pte_flags = NPU_MMU_PTE_PAGE_DEFAULT;
	struct npu_mmu_pt *undo = NULL, *leaf = NULL;
	int ret;

	if (!ctx->pgd_next || (flags & ~(NPU_MMU_MAP_READ_ONLY | NPU_MMU_MAP_SNOOP)) ||
	    !range_ok(va, size) || !range_ok(dma_addr, size)) {
		npu_dbg(MMU,
			"context %u: cannot map VA 0x%" PRIx64 " -> 0x%" PRIx64
			" size 0x%zx flags 0x%x",
			ctx->ssid, va, dma_addr, size, flags);
		return -EINVAL;
	}
	if (flags & NPU_MMU_MAP_READ_ONLY)
		pte_flags |= NPU_MMU_PTE_RO;
	if (flags & NPU_MMU_MAP_SNOOP)
		pte_flags |= NPU_MMU_PTE_LLC_COHERENT;

	/* Pass 1: every table exists and no page of the range is mapped yet. */
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pva = va + (i << NPU_MMU_PAGE_SHIFT);

		if (!leaf || !(pva & (LEAF_SPAN - 1))) {
			ret = leaf_get(ctx, p, pva, &undo, &leaf);
			if (ret)
				goto err_undo;
		}
		if (entry_read(leaf_entry(leaf, pva)) & NPU_MMU_PTE_VALID) {
			npu_dbg(MMU, "context %u: VA 0x%" PRIx64 " is already mapped", ctx->ssid,
				pva);
			ret = -EEXIST;
			goto err_undo;
		}
	}

	/* Pass 2: the pages. Nothing can fail any more. */
	npu_dma_wmb();
	leaf = NULL;
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pva = va + (i << NPU_MMU_PAGE_SHIFT);

		if (!leaf || !(pva & (LEAF_SPAN - 1)))
			leaf = leaf_find(ctx, pva);
		entry_write(leaf_entry(leaf, pva),
			    ((dma_addr + (i << NPU_MMU_PAGE_SHIFT)) & NPU_MMU_PTE_ADDR) |
				pte_flags);
	}
	/* The write-combined entries leave the CPU before anyone tells the MMU. */
	npu_dma_wmb();
	for (struct npu_mmu_pt *pt = undo; pt; pt = pt->undo_next) {
		pt->link_entry = NULL;
		pt->link_slot = NULL;
	}
	ctx->pages += pages;
	npu_trace(MMU,
		  "context %u: mapped VA 0x%" PRIx64 " -> 0x%" PRIx64 " (%" PRIu64
		  " pages, flags 0x%x)",
		  ctx->ssid, va, dma_addr, pages, flags);
	return 0;

err_undo:
	undo_tables(ctx, p, undo);
	return ret;
}

int drv_mmu_ctx_unmap(struct npu_mmu_ctx *ctx, uint64_t va, size_t size)
{
	uint64_t pages = (uint64_t)size >> NPU_MMU_PAGE_SHIFT, missing = 0;
	struct npu_mmu_pt *leaf = NULL;

	if (!ctx->pgd_next || !range_ok(va, size))
		return -EINVAL;

	/* Emptied tables stay until fini. */
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pva = va + (i << NPU_MMU_PAGE_SHIFT);
		uint64_t *pte;

		if (!leaf || !(pva & (LEAF_SPAN - 1)))
			leaf = leaf_find(ctx, pva);
		pte = leaf ? leaf_entry(leaf, pva) : NULL;
		if (!pte || !(entry_read(pte) & NPU_MMU_PTE_VALID)) {
			missing++;
			continue;
		}
		entry_write(pte, NPU_MMU_PTE_UNMAPPED);
		ctx->pages--;
	}
	npu_dma_wmb();
	if (missing) {
		npu_dbg(MMU,
			"context %u: %" PRIu64 " of %" PRIu64 " pages at VA 0x%" PRIx64
			" were not mapped",
			ctx->ssid, missing, pages, va);
		return -ENOENT;
	}
	npu_trace(MMU, "context %u: unmapped VA 0x%" PRIx64 " (%" PRIu64 " pages)", ctx->ssid, va,
		  pages);
	return 0;
}

int drv_mmu_ctx_lookup(const struct npu_mmu_ctx *ctx, uint64_t va, uint64_t *pte)
{
	struct npu_mmu_pt *leaf;

	*pte = NPU_MMU_PTE_UNMAPPED;
	if (!ctx->pgd_next || va >= VA_LIMIT)
		return -EINVAL;
	leaf = leaf_find(ctx, va);
	if (!leaf)
		return -ENOENT;
	*pte = entry_read(leaf_entry(leaf, va));
	return 0;
}

int drv_mmu_ctx_map_dma(struct npu_mmu_ctx *ctx, struct npu_platform *p, uint64_t va,
			const struct npu_dma *dma, size_t off, size_t size, unsigned flags)
{
	size_t done = 0, skip = off;
	int ret = 0;

	if (off > dma->size || size > dma->size - off)
		return -EINVAL;
	if (!dma->segs)
		return drv_mmu_ctx_map(ctx, p, va, dma->addr + off, size, flags);
	for (unsigned i = 0; i < dma->n_segs && done < size; i++) {
		const struct npu_dma_seg *sg = &dma->segs[i];
		size_t n;

		if (skip >= sg->size) {
			skip -= sg->size;
			continue;
		}
		n = sg->size - skip < size - done ? sg->size - skip : size - done;
		ret = drv_mmu_ctx_map(ctx, p, va + done, sg->addr + skip, n, flags);
		if (ret)
			break;
		done += n;
		skip = 0;
	}
	if (!ret && done != size)
		ret = -EINVAL; /* the pieces do not cover the buffer */
	if (ret && done)
		drv_mmu_ctx_unmap(ctx, va, done); /* all or nothing, as drv_mmu_ctx_map */
	return ret;
}
