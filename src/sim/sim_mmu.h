/* SPDX-License-Identifier: MIT */
/*
 * The device model's MMU (docs/firmware-protocol.md §5, docs/hardware.md §2.5): its registers in
 * BAR0 at 0x200000, the command queue it consumes, the event queue it fills,
 * and the walk of stream table, context descriptor and 4-level page tables
 * through which every device access to DMA memory goes.
 *
 * All functions are called with sim->lock held.
 */
#ifndef NPU_SIM_SIM_MMU_H
#define NPU_SIM_SIM_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/regs_mmu.h"

struct npu_sim;

/* One cached translation: a page of a context, with what the walk found on the way. */
struct sim_tlb_entry {
	bool valid;
	uint16_t asid; /* the CD's, which TLBI_NH_ASID names */
	uint32_t ssid;
	uint32_t privcfg; /* the STE's */
	uint64_t va_page, pa_page;
	uint64_t pte; /* the level-3 descriptor: its permission bits */
};

#define SIM_TLB_ENTRIES 64u /* direct-mapped */

/* The PROD/CONS pointer bits the model keeps (wrap bit and index). */
#define SIM_MMU_Q_PTR_MASK NPU_MMU_CMDQ_CONS_VAL

struct sim_mmu {
	uint32_t cr0; /* CR0ACK mirrors it */
	uint32_t cr1;
	uint32_t irq_ctrl; /* IRQ_CTRLACK mirrors it */
	uint32_t gerror, gerrorn;
	uint64_t strtab_base;
	uint32_t strtab_cfg;
	uint64_t cmdq_base;
	uint32_t cmdq_prod, cmdq_cons;
	uint64_t evtq_base;
	uint32_t evtq_prod, evtq_cons;
	uint64_t faults; /* translation faults seen */
	/*
	 * Translations the model keeps, as the silicon's TLB and configuration
	 * cache do, until the host invalidates them (CFGI_*, TLBI_*) or the IP is
	 * reset: a host that changes its tables without invalidating keeps seeing
	 * the old ones. Faults are never cached.
	 */
	struct sim_tlb_entry tlb[SIM_TLB_ENTRIES];
};

/* Whether a BAR0 offset belongs to the MMU's register window. */
bool sim_mmu_owns(uint64_t off);
uint32_t sim_mmu_read32(struct npu_sim *s, uint64_t off);
void sim_mmu_write32(struct npu_sim *s, uint64_t off, uint32_t val);
uint64_t sim_mmu_read64(struct npu_sim *s, uint64_t off);
void sim_mmu_write64(struct npu_sim *s, uint64_t off, uint64_t val);
/* Back to the reset state (IP reset, power-down). */
void sim_mmu_reset(struct npu_sim *s);

/*
 * A device access of len bytes at NPU virtual address va in context ssid,
 * through the tables the driver built. Returns 0, or a negative errno after
 * recording an event (and raising the MMU event-queue interrupt when the
 * queue is enabled): -EFAULT translation fault (unmapped, invalid entry,
 * MMU or stream disabled, bad CD), -EACCES permission (write to read-only).
 */
int sim_mmu_access(struct npu_sim *s, uint32_t ssid, uint64_t va, void *buf, size_t len,
		   bool write);

/* A device write from a buffer it only reads (sim_mmu_access never writes buf then). */
static inline int sim_mmu_write(struct npu_sim *s, uint32_t ssid, uint64_t va, const void *buf,
				size_t len)
{
	union {
		/* cppcheck-suppress unusedStructMember ; set, then read as arg */
		const void *in;
		void *arg;
	} b = { .in = buf };

	return sim_mmu_access(s, ssid, va, b.arg, len, true);
}

/*
 * The same translation for a device that moves data itself (the copy engine):
 * *mem points at the memory behind va, valid for *run bytes (1 .. len), the
 * pages from va on that follow each other in physical memory. Faults as
 * sim_mmu_access, recorded for va.
 */
int sim_mmu_map_run(struct npu_sim *s, uint32_t ssid, uint64_t va, size_t len, bool write,
		    uint8_t **mem, size_t *run);

/* Consumes the command queue up to its producer (sim_mmu.c; the register writes call it). */
void sim_mmu_cmdq_consume(struct npu_sim *s);

#endif
