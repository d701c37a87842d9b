/* SPDX-License-Identifier: MIT */
/*
 * Register access: 32/64-bit reads and writes of BAR0 (RegV, NPU IP) and
 * BAR4 (RegB, buttress), an optional trace of every access, and bounded polls.
 *
 * Trace format, one access per line in program order:
 *   R|W <width 32|64> <bar 0|4> 0x<offset> 0x<value>     e.g. "W 32 4 0x60 0x0"
 */
#ifndef NPU_DRIVER_MMIO_H
#define NPU_DRIVER_MMIO_H

#include <stdint.h>
#include <stdio.h>

#include "hw/pci_ids.h"
#include "platform/platform.h"

struct npu_mmio {
	struct npu_platform *plat;
	FILE *trace; /* NULL: no trace */
	/* The last poll that timed out: register, value read, time waited ("" when none). */
	char last_timeout[160];
};

#define NPU_REG_IO_ERROR 0xFFFFFFFFu /* what a dead device reads as (docs/hardware.md §2.0) */

static inline void drv_mmio_trace(struct npu_mmio *m, char dir, int width, unsigned bar,
				  uint64_t off, uint64_t val)
{
	if (m->trace)
		fprintf(m->trace, "%c %d %u 0x%llx 0x%llx\n", dir, width, bar,
			(unsigned long long)off, (unsigned long long)val);
}

static inline uint32_t drv_mmio_read32(struct npu_mmio *m, unsigned bar, uint64_t off)
{
	struct npu_platform *p = m->plat;
	uint32_t v;

	if (p->bar_base[bar])
		v = *(volatile uint32_t *)(p->bar_base[bar] + off);
	else
		v = p->ops->read32(p, bar, off);
	drv_mmio_trace(m, 'R', 32, bar, off, v);
	return v;
}

static inline void drv_mmio_write32(struct npu_mmio *m, unsigned bar, uint64_t off, uint32_t val)
{
	struct npu_platform *p = m->plat;

	drv_mmio_trace(m, 'W', 32, bar, off, val);
	if (p->bar_base[bar])
		*(volatile uint32_t *)(p->bar_base[bar] + off) = val;
	else
		p->ops->write32(p, bar, off, val);
}

static inline uint64_t drv_mmio_read64(struct npu_mmio *m, unsigned bar, uint64_t off)
{
	struct npu_platform *p = m->plat;
	uint64_t v;

	if (p->bar_base[bar])
		v = *(volatile uint64_t *)(p->bar_base[bar] + off);
	else
		v = p->ops->read64(p, bar, off);
	drv_mmio_trace(m, 'R', 64, bar, off, v);
	return v;
}

static inline void drv_mmio_write64(struct npu_mmio *m, unsigned bar, uint64_t off, uint64_t val)
{
	struct npu_platform *p = m->plat;

	drv_mmio_trace(m, 'W', 64, bar, off, val);
	if (p->bar_base[bar])
		*(volatile uint64_t *)(p->bar_base[bar] + off) = val;
	else
		p->ops->write64(p, bar, off, val);
}

/*
 * Re-reads a 32-bit register every NPU_POLL_INTERVAL_US until (value & mask)
 * == want or timeout_us passes. Returns 0, or -ETIMEDOUT after recording the
 * register's name and the value last read in m->last_timeout (-EIO when that
 * was all-ones, the signature of a dead device). *last (may be NULL) gets the
 * value last read.
 */
int drv_mmio_poll32(struct npu_mmio *m, unsigned bar, uint64_t off, const char *name, uint32_t mask,
		    uint32_t want, uint32_t timeout_us, uint32_t *last);

/* Read-modify-write helpers. */
static inline void drv_mmio_set32(struct npu_mmio *m, unsigned bar, uint64_t off, uint32_t bits)
{
	drv_mmio_write32(m, bar, off, drv_mmio_read32(m, bar, off) | bits);
}

static inline void drv_mmio_clr32(struct npu_mmio *m, unsigned bar, uint64_t off, uint32_t bits)
{
	drv_mmio_write32(m, bar, off, drv_mmio_read32(m, bar, off) & ~bits);
}

/* Named accessors: the register's name goes into poll errors (REGV = BAR0, REGB = BAR4). */
#define REGV_RD32(m, reg)    drv_mmio_read32((m), NPU_PCI_BAR_REGV, (reg))
#define REGV_WR32(m, reg, v) drv_mmio_write32((m), NPU_PCI_BAR_REGV, (reg), (v))
#define REGV_RD64(m, reg)    drv_mmio_read64((m), NPU_PCI_BAR_REGV, (reg))
#define REGV_WR64(m, reg, v) drv_mmio_write64((m), NPU_PCI_BAR_REGV, (reg), (v))
#define REGB_RD32(m, reg)    drv_mmio_read32((m), NPU_PCI_BAR_REGB, (reg))
#define REGB_WR32(m, reg, v) drv_mmio_write32((m), NPU_PCI_BAR_REGB, (reg), (v))
#define REGV_POLL32(m, reg, mask, want, us) \
	drv_mmio_poll32((m), NPU_PCI_BAR_REGV, (reg), #reg, (mask), (want), (us), NULL)
#define REGB_POLL32(m, reg, mask, want, us) \
	drv_mmio_poll32((m), NPU_PCI_BAR_REGB, (reg), #reg, (mask), (want), (us), NULL)

#endif
