/* SPDX-License-Identifier: MIT */
/*
 * The driver's page tables (and its stream table and context descriptors)
 * checked against the reference layout (docs/firmware-protocol.md §5.3, §5.4) by reading
 * the DMA memory directly.
 *
 * A fake platform hands out DMA memory from aligned_alloc with bus addresses
 * unrelated to the CPU pointers (so a table descriptor holding a CPU pointer
 * would be caught), counts allocations (so fini is proven to free every table)
 * and fails the n-th allocation on request. It has no registers: the queues
 * are tested against the device model in test_mmu_pair.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/mmu.h"
#include "driver/mmu_ctx.h"
#include "hw/fw_header.h"
#include "hw/regs_mmu.h"

#define MAX_ALLOCS 64
#define FAKE_BUS   0x0000004500000000ull /* where the fake bus addresses start */
#define UNMAPPED   0xDEADB000ull
#define PAGE	   0x1000ull

struct fake_alloc {
	void *cpu;
	uint64_t addr;
	size_t size;
};

struct fake_plat {
	struct npu_platform base; /* first: the ops cast back */
	struct fake_alloc live[MAX_ALLOCS];
	unsigned n_live;
	unsigned allocs, frees;
	int fail_in; /* > 0: the fail_in-th allocation from now fails; 0: never */
	uint64_t next_bus;
};

static struct fake_plat *fp_of(struct npu_platform *p)
{
	return (struct fake_plat *)p;
}

static int fake_dma_alloc(struct npu_platform *p, size_t size, enum npu_dma_caching caching,
			  struct npu_dma *out)
{
	struct fake_plat *fp = fp_of(p);

	(void)caching;
	size_t rounded = (size + PAGE - 1) & ~(size_t)(PAGE - 1);

	if (fp->fail_in > 0 && --fp->fail_in == 0)
		return -ENOMEM;
	assert_true(fp->n_live < MAX_ALLOCS);
	out->cpu = aligned_alloc(PAGE, rounded);
	assert_non_null(out->cpu);
	memset(out->cpu, 0, rounded);
	out->addr = fp->next_bus;
	out->size = rounded;
	out->handle = 0;
	fp->next_bus += rounded + 3 * PAGE; /* gaps: neighbours are not contiguous */
	fp->live[fp->n_live++] = (struct fake_alloc){ out->cpu, out->addr, rounded };
	fp->allocs++;
	return 0;
}

static void fake_dma_free(struct npu_platform *p, struct npu_dma *dma)
{
	struct fake_plat *fp = fp_of(p);

	for (unsigned i = 0; i < fp->n_live; i++) {
		if (fp->live[i].cpu == dma->cpu) {
			assert_int_equal(fp->live[i].addr, dma->addr);
			free(dma->cpu);
			fp->live[i] = fp->live[--fp->n_live];
			fp->frees++;
			return;
		}
	}
	fail_msg("free of a buffer that is not allocated");
}

static const struct npu_platform_ops fake_ops = {
	.name = "fake",
	.dma_alloc = fake_dma_alloc,
	.dma_free = fake_dma_free,
};

/* The CPU view of a fake bus address, or NULL when nothing is allocated there. */
static uint64_t *bus_to_cpu(struct fake_plat *fp, uint64_t addr)
{
	for (unsigned i = 0; i < fp->n_live; i++) {
		if (addr >= fp->live[i].addr && addr < fp->live[i].addr + fp->live[i].size)
			return (uint64_t *)((uint8_t *)fp->live[i].cpu + (addr - fp->live[i].addr));
	}
	return NULL;
}

static int setup(void **state)
{
	struct fake_plat *fp = calloc(1, sizeof(*fp));

	assert_non_null(fp);
	fp->base.ops = &fake_ops;
	fp->next_bus = FAKE_BUS;
	*state = fp;
	return 0;
}

static int teardown(void **state)
{
	struct fake_plat *fp = *state;

	assert_int_equal(fp->n_live, 0);
	assert_int_equal(fp->allocs, fp->frees);
	free(fp);
	return 0;
}

/* Index fields VA[47:39], [38:30], [29:21], [20:12] (docs/firmware-protocol.md §5.4), by hand. */
static unsigned idx(uint64_t va, unsigned level)
{
	static const unsigned shift[4] = { 39, 30, 21, 12 };

	return (unsigned)((va >> shift[level]) & 511u);
}

/*
 * Walks the tables the way the device does, from the root's bus address, checking
 * every table descriptor on the way (next table's bus address | 0x3, an address the
 * fake platform handed out). Returns the level-3 entry, or UNMAPPED where a level
 * above has none.
 */
static uint64_t walk(struct fake_plat *fp, const struct npu_mmu_ctx *ctx, uint64_t va)
{
	uint64_t *table = bus_to_cpu(fp, ctx->pgd.addr);

	assert_ptr_equal(table, ctx->pgd.cpu);
	for (unsigned lvl = 0; lvl < 3; lvl++) {
		uint64_t d = table[idx(va, lvl)];

		if (d == UNMAPPED)
			return UNMAPPED;
		assert_int_equal(d & 0xFFFull, 0x3);
		assert_int_equal(d >> 48, 0);
		table = bus_to_cpu(fp, d & ~0xFFFull);
		assert_non_null(table);
		assert_true((uint64_t)(uintptr_t)table != (d & ~0xFFFull));
	}
	return table[idx(va, 3)];
}

static void test_init_fini(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 256), -EINVAL);
	fp->fail_in = 1;
	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 2), -ENOMEM);
	assert_int_equal(fp->n_live, 0);

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 2), 0);
	assert_int_equal(ctx.ssid, 2);
	assert_int_equal(fp->n_live, 1);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(((uint64_t *)ctx.pgd.cpu)[i], UNMAPPED);
	drv_mmu_ctx_fini(&ctx, &fp->base);
	drv_mmu_ctx_fini(&ctx, &fp->base); /* idempotent */
	assert_int_equal(fp->n_live, 0);
}

/* One page in each reference range: 37xx runtime/global/user, 40xx user, and a high VA. */
static void test_map_layout(void **state)
{
	static const struct {
		uint64_t va;
		unsigned i[4];
	} cases[] = {
		{ NPU_VA_37XX_RUNTIME_START, { 0, 2, 0x24, 0 } }, /* 0x8480_0000 */
		{ NPU_VA_37XX_GLOBAL_START, { 0, 2, 0x80, 0 } },  /* 0x9000_0000 */
		{ NPU_VA_37XX_USER_START, { 0, 2, 0x100, 0 } },	  /* 0xA000_0000 */
		{ NPU_VA_40XX_USER_START + 0x23456000, { 0, 4, 0x11A, 0x56 } },
		{ 0x7F1234567000ull, { 0xFE, 0x48, 0x1A2, 0x167 } },
	};
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t pte;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 3), 0);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		uint64_t va = cases[c].va, pa = 0x12345000ull + c * PAGE;

		for (unsigned lvl = 0; lvl < 4; lvl++)
			assert_int_equal(idx(va, lvl), cases[c].i[lvl]);
		assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, pa, PAGE, 0), 0);
		assert_int_equal(walk(fp, &ctx, va), pa | 0xC43);
		assert_int_equal(drv_mmu_ctx_lookup(&ctx, va + 0x123, &pte), 0);
		assert_int_equal(pte, pa | 0xC43);
		/* Neighbours stay unmapped. */
		assert_int_equal(walk(fp, &ctx, va + PAGE), UNMAPPED);
		assert_int_equal(walk(fp, &ctx, va - PAGE), UNMAPPED);
	}
	/* The 37xx VAs share levels 1 and 2 (2 + 3 leaves), 40xx adds 2, the high VA 3. */
	assert_int_equal(ctx.tables, 2 + 3 + 2 + 3);
	assert_int_equal(fp->n_live, 1 + ctx.tables);
	assert_int_equal(ctx.pages, 5);
	drv_mmu_ctx_fini(&ctx, &fp->base);
	assert_int_equal(fp->n_live, 0);
}

static void test_flags(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t va = NPU_VA_37XX_USER_START;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 4), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, 0x1000, PAGE, NPU_MMU_MAP_READ_ONLY),
			 0);
	assert_int_equal(
	    drv_mmu_ctx_map(&ctx, &fp->base, va + PAGE, 0x2000, PAGE, NPU_MMU_MAP_SNOOP), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va + 2 * PAGE, 0xFFFFFFFFF000ull, PAGE,
					 NPU_MMU_MAP_SNOOP | NPU_MMU_MAP_READ_ONLY),
			 0);
	assert_int_equal(walk(fp, &ctx, va), 0x1000 | 0xC43 | 0x80);
	assert_int_equal(walk(fp, &ctx, va + PAGE), 0x2000 | 0xC43 | 0x4);
	assert_int_equal(walk(fp, &ctx, va + 2 * PAGE), 0xFFFFFFFFF000ull | 0xC43 | 0x84);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va + 3 * PAGE, 0x3000, PAGE, 0x4),
			 -EINVAL);
	drv_mmu_ctx_fini(&ctx, &fp->base);
}

/* A range across an L2 boundary (two level-3 tables) and across an L1 boundary. */
static void test_span(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t va = 0x9FFFE000ull, pa = 0x40000000ull;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 5), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, pa, 4 * PAGE, 0), 0);
	assert_int_equal(idx(va, 2), 0xFF);
	assert_int_equal(idx(va + 2 * PAGE, 2), 0x100);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(walk(fp, &ctx, va + i * PAGE), (pa + i * PAGE) | 0xC43);
	assert_int_equal(ctx.tables, 1 + 1 + 2);

	va = 0xBFFFF000ull; /* L1 index 2 -> 3 */
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, pa, 2 * PAGE, 0), 0);
	assert_int_equal(walk(fp, &ctx, va), pa | 0xC43);
	assert_int_equal(walk(fp, &ctx, va + PAGE), (pa + PAGE) | 0xC43);
	assert_int_equal(ctx.tables, 4 + 1 + 1 + 1);
	drv_mmu_ctx_fini(&ctx, &fp->base);
}

static void test_unmap(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t va = NPU_VA_37XX_GLOBAL_START, pte;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 0), 0);
	assert_int_equal(drv_mmu_ctx_unmap(&ctx, va, PAGE), -ENOENT);
	assert_int_equal(drv_mmu_ctx_lookup(&ctx, va, &pte), -ENOENT);
	assert_int_equal(pte, UNMAPPED);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, 0x5000, 3 * PAGE, 0), 0);

	assert_int_equal(drv_mmu_ctx_unmap(&ctx, va, 2 * PAGE), 0);
	assert_int_equal(walk(fp, &ctx, va), UNMAPPED);
	assert_int_equal(walk(fp, &ctx, va + PAGE), UNMAPPED);
	assert_int_equal(walk(fp, &ctx, va + 2 * PAGE), 0x7000 | 0xC43);
	assert_int_equal(drv_mmu_ctx_lookup(&ctx, va, &pte), 0);
	assert_int_equal(pte, UNMAPPED);
	assert_int_equal(drv_mmu_ctx_unmap(&ctx, va, PAGE), -ENOENT);
	assert_int_equal(ctx.pages, 1);

	/* A range only partly mapped (the last page has no level-3 table even): what is
	 * mapped goes, the rest is reported. */
	assert_int_equal(drv_mmu_ctx_unmap(&ctx, va + PAGE, 0x200000), -ENOENT);
	assert_int_equal(walk(fp, &ctx, va + 2 * PAGE), UNMAPPED);
	assert_int_equal(ctx.pages, 0);
	/* Unmapped pages can be mapped again. */
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, 0x9000, PAGE, 0), 0);
	assert_int_equal(walk(fp, &ctx, va), 0x9000 | 0xC43);
	drv_mmu_ctx_fini(&ctx, &fp->base);
}

static void test_exists(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t va = NPU_VA_37XX_USER_START;
	unsigned live;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 6), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, 0x1000, PAGE, 0), 0);
	live = fp->n_live;

	/* Starts in a 2 MiB region without a table: the table made for it is taken back. */
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va - 2 * PAGE, 0x8000, 3 * PAGE, 0),
			 -EEXIST);
	assert_int_equal(fp->n_live, live);
	assert_int_equal(walk(fp, &ctx, va - PAGE), UNMAPPED);
	assert_int_equal(walk(fp, &ctx, va), 0x1000 | 0xC43);

	/* Same region, the clash at the end: the pages before it were not written. */
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va + PAGE, 0x8000, 2 * PAGE, 0), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va - PAGE, 0x8000, 2 * PAGE, 0), -EEXIST);
	assert_int_equal(walk(fp, &ctx, va - PAGE), UNMAPPED);
	drv_mmu_ctx_fini(&ctx, &fp->base);
}

static void test_bad_ranges(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	const uint64_t top = 1ull << 48;
	uint64_t pte;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 7), 0);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, 0xA0000800ull, 0x1000, PAGE, 0), -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, 0xA0000000ull, 0x1800, PAGE, 0), -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, 0xA0000000ull, 0x1000, 0x800, 0),
			 -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, 0xA0000000ull, 0x1000, 0, 0), -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, top, 0x1000, PAGE, 0), -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, top - PAGE, 0x1000, 2 * PAGE, 0),
			 -EINVAL);
	assert_int_equal(
	    drv_mmu_ctx_map(&ctx, &fp->base, UINT64_MAX & ~0xFFFull, 0x1000, 2 * PAGE, 0), -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, 0xA0000000ull, top, PAGE, 0), -EINVAL);
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, 0xA0000000ull, top - PAGE, 2 * PAGE, 0),
			 -EINVAL);
	assert_int_equal(drv_mmu_ctx_unmap(&ctx, top - PAGE, 2 * PAGE), -EINVAL);
	assert_int_equal(drv_mmu_ctx_unmap(&ctx, 0xA0000010ull, PAGE), -EINVAL);
	assert_int_equal(drv_mmu_ctx_lookup(&ctx, top, &pte), -EINVAL);
	/* The last page below 2^48 is fine. */
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, top - PAGE, 0x1000, PAGE, 0), 0);
	assert_int_equal(walk(fp, &ctx, top - PAGE), 0x1000 | 0xC43);
	assert_int_equal(ctx.tables, 3);
	drv_mmu_ctx_fini(&ctx, &fp->base);
}

/* An allocation failing at each depth leaves the tables and the allocator as they were. */
static void test_alloc_rollback(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t va = 0x9FFFF000ull; /* 2 pages, 2 level-3 tables: 4 new tables in all */

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 8), 0);
	for (int n = 1; n <= 4; n++) {
		fp->fail_in = n;
		assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, 0x1000, 2 * PAGE, 0),
				 -ENOMEM);
		assert_int_equal(fp->n_live, 1);
		assert_int_equal(ctx.tables, 0);
		assert_int_equal(ctx.pages, 0);
		for (unsigned i = 0; i < 512; i++)
			assert_int_equal(((uint64_t *)ctx.pgd.cpu)[i], UNMAPPED);
	}
	fp->fail_in = 0;
	assert_int_equal(drv_mmu_ctx_map(&ctx, &fp->base, va, 0x1000, 2 * PAGE, 0), 0);
	assert_int_equal(ctx.tables, 4);
	assert_int_equal(walk(fp, &ctx, va + PAGE), 0x2000 | 0xC43);
	drv_mmu_ctx_fini(&ctx, &fp->base);
	assert_int_equal(fp->n_live, 0);
}

/* STEs 0 and 3 and a CD, bit by bit from docs/firmware-protocol.md §5.3 and docs/hardware.md §2.5. */
static void test_ste_cd(void **state)
{
	struct fake_plat *fp = *state;
	struct npu_mmu mmu;
	const uint64_t *ste, *cd;
	uint64_t d0;

	fp->fail_in = 3;
	assert_int_equal(drv_mmu_init(&mmu, &fp->base), -ENOMEM);
	assert_int_equal(fp->n_live, 0);
	assert_int_equal(drv_mmu_init(&mmu, &fp->base), 0);
	ste = mmu.strtab.cpu;
	/* V, CFG=5 [3:1], S1FMT linear, S1CDMAX 8 [63:59], CD table address. */
	d0 = 1ull | 5ull << 1 | 8ull << 59 | mmu.cdtab.addr;
	assert_int_equal(ste[0], d0);
	/* CONT 2 [16:13], MEV b19, S1STALLD b27, PRIVCFG 2 [49:48], INSTCFG 2 [51:50]. */
	assert_int_equal(ste[1], 2ull << 13 | 1ull << 19 | 1ull << 27 | 2ull << 48 | 2ull << 50);
	assert_memory_equal(&ste[3 * 8], &ste[0], 64);
	for (unsigned i = 8; i < 24; i++)
		assert_int_equal(ste[i], 0); /* STEs 1 and 2 invalid */

	assert_int_equal(drv_mmu_set_cd(&mmu, NULL, 256, 0x1000), -EINVAL);
	assert_int_equal(drv_mmu_set_cd(&mmu, NULL, 2, 0x1800), -EINVAL);
	assert_int_equal(drv_mmu_set_cd(&mmu, NULL, 0, 0x123456789000ull), 0);
	assert_int_equal(drv_mmu_set_cd(&mmu, NULL, 5, 0x2000), 0);
	cd = mmu.cdtab.cpu;
	/* T0SZ 16, IPS 5 [34:32], EPD1 b30, V b31, AA64 b41, R b45, A b46 (SSID 0), ASET b47. */
	d0 = 16ull | 5ull << 32 | 1ull << 30 | 1ull << 31 | 1ull << 41 | 1ull << 45 | 1ull << 47;
	assert_int_equal(cd[0], d0 | 1ull << 46);
	assert_int_equal(cd[1], 0x123456789000ull);
	assert_int_equal(cd[2], 0);
	assert_int_equal(cd[3], 0x7444);
	assert_int_equal(cd[5 * 8], d0 | 5ull << 48); /* ASID = SSID, no A */
	assert_int_equal(cd[5 * 8 + 1], 0x2000);
	assert_int_equal(drv_mmu_clear_cd(&mmu, NULL, 5), 0);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(cd[5 * 8 + i], 0);
	drv_mmu_fini(&mmu);
	drv_mmu_fini(&mmu);
}

/* A buffer in pieces (Redox: at most 4 MiB each): each page maps into its own piece. */
static void test_map_pieces(void **state)
{
	static const struct npu_dma_seg segs[3] = { { 0x10000000ull, 2 * PAGE },
						    { 0x30000000ull, PAGE },
						    { 0x20000000ull, 3 * PAGE } };
	static const uint64_t want[6] = { 0x10000000ull, 0x10001000ull, 0x30000000ull,
					  0x20000000ull, 0x20001000ull, 0x20002000ull };
	struct npu_dma dma = { .addr = 0x10000000ull, .size = 6 * PAGE, .segs = segs, .n_segs = 3 };
	struct fake_plat *fp = *state;
	struct npu_mmu_ctx ctx;
	uint64_t va = 0x84000000ull, va2 = 0x85000000ull;

	assert_int_equal(drv_mmu_ctx_init(&ctx, &fp->base, 9), 0);
	assert_int_equal(drv_mmu_ctx_map_dma(&ctx, &fp->base, va, &dma, 0, 6 * PAGE, 0), 0);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(walk(fp, &ctx, va + i * PAGE), want[i] | 0xC43);
	assert_int_equal(walk(fp, &ctx, va + 6 * PAGE), UNMAPPED);
	/* From an offset inside the first piece, across the others. */
	assert_int_equal(
	    drv_mmu_ctx_map_dma(&ctx, &fp->base, va2, &dma, PAGE, 4 * PAGE, NPU_MMU_MAP_READ_ONLY),
	    0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(walk(fp, &ctx, va2 + i * PAGE), want[i + 1] | 0xC43 | 0x80);
	assert_int_equal(walk(fp, &ctx, va2 + 4 * PAGE), UNMAPPED);
	/* Past the buffer: refused. */
	assert_int_equal(
	    drv_mmu_ctx_map_dma(&ctx, &fp->base, 0x86000000ull, &dma, PAGE, 6 * PAGE, 0), -EINVAL);
	/* A clash in the third piece: nothing of the range stays mapped. */
	assert_int_equal(
	    drv_mmu_ctx_map(&ctx, &fp->base, 0x87000000ull + 4 * PAGE, 0x40000000ull, PAGE, 0), 0);
	assert_int_equal(drv_mmu_ctx_map_dma(&ctx, &fp->base, 0x87000000ull, &dma, 0, 6 * PAGE, 0),
			 -EEXIST);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(walk(fp, &ctx, 0x87000000ull + i * PAGE), UNMAPPED);
	assert_int_equal(walk(fp, &ctx, 0x87000000ull + 4 * PAGE), 0x40000000ull | 0xC43);
	/* Pieces that do not cover the size they claim: refused. */
	dma.n_segs = 2;
	assert_int_equal(drv_mmu_ctx_map_dma(&ctx, &fp->base, 0x88000000ull, &dma, 0, 6 * PAGE, 0),
			 -EINVAL);
	assert_int_equal(walk(fp, &ctx, 0x88000000ull), UNMAPPED);
	drv_mmu_ctx_fini(&ctx, &fp->base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_fini, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ste_cd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_pieces, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
