/* SPDX-License-Identifier: MIT */
/*
 * The fake kernel's register accesses: the npu_redox_mmio_* accessors of
 * redox_shim.h, each access delivered to the simulated NPU at its BAR offset.
 * An access outside a mapped BAR aborts the test.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fake_internal.h"
#include "sim/sim.h"

static struct fk_map *bar_of(const volatile void *addr, size_t width, uint64_t *off)
{
	uintptr_t a = (uintptr_t)addr;
	struct fk_map *m = NULL;

	for (unsigned i = 0; i < 4 && !m; i++) {
		struct fk_map *b = fk.bars[i];

		if (b && a >= (uintptr_t)b->user && a - (uintptr_t)b->user < b->len &&
		    width <= b->len - (a - (uintptr_t)b->user))
			m = b;
	}
	if (!m) {
		fprintf(stderr, "fake kernel: register access at %p outside any BAR\n",
			(const void *)addr);
		abort();
	}
	*off = (uint64_t)((uintptr_t)addr - (uintptr_t)m->user);
	return m;
}

/* The MSI-X table's BAR: the table, then the pending bits (read as 0). */
static uint32_t *msix_word(const struct fk_map *m, uint64_t off)
{
	static uint32_t elsewhere; /* the rest of the BAR: reads 0, writes go nowhere */

	if (!fk.cfg.msix || m->bar != FK_MSIX_BAR)
		return NULL;
	if (off % 4 == 0 && off < sizeof(fk.msix_table))
		return &fk.msix_table[off / 4];
	elsewhere = 0;
	return &elsewhere;
}

uint32_t npu_redox_mmio_read32(const volatile void *addr)
{
	uint64_t off;
	struct fk_map *m = bar_of(addr, 4, &off);
	const uint32_t *w = msix_word(m, off);

	return w ? *w : npu_sim_read32(fk.sim, m->bar, off);
}

void npu_redox_mmio_write32(volatile void *addr, uint32_t val)
{
	uint64_t off;
	struct fk_map *m = bar_of(addr, 4, &off);
	uint32_t *w = msix_word(m, off);

	if (w)
		*w = val;
	else
		npu_sim_write32(fk.sim, m->bar, off, val);
	if (w)
		fk_irq_sync(); /* an entry unmasked with a message pending sends it */
}

uint64_t npu_redox_mmio_read64(const volatile void *addr)
{
	uint64_t off;
	struct fk_map *m = bar_of(addr, 8, &off);

	return npu_sim_read64(fk.sim, m->bar, off);
}

void npu_redox_mmio_write64(volatile void *addr, uint64_t val)
{
	uint64_t off;
	struct fk_map *m = bar_of(addr, 8, &off);

	npu_sim_write64(fk.sim, m->bar, off, val);
}
