/* SPDX-License-Identifier: MIT */
/*
 * The device model's MMU registers (docs/firmware-protocol.md §5.1, docs/hardware.md §2.5):
 * BAR0 at 0x200000 with the page-1 alias at +64 KiB, the enable handshakes (CR0ACK,
 * IRQ_CTRLACK), the queue bases and pointers, GERROR/GERRORN. Writing the command queue's
 * producer makes the MMU consume it (sim_mmu.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hw/regs_mmu.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "util/log.h"

#define ALL_ONES32     0xFFFFFFFFu
#define IRQ_CTRL_MASK  0x7u /* GERROR_EN, PRIQ_EN (no PRI queue here), EVTQ_EN */
#define STRTAB_BASE_RW (NPU_MMU_STRTAB_BASE_RA | NPU_MMU_STRTAB_BASE_ADDR)
#define Q_BASE_RW      (NPU_MMU_Q_BASE_RWA | NPU_MMU_Q_BASE_ADDR | NPU_MMU_Q_BASE_LOG2SIZE)
#define STRTAB_CFG_RW  (NPU_MMU_STRTAB_BASE_CFG_LOG2SIZE | NPU_MMU_STRTAB_BASE_CFG_FMT)

/* ---- registers ---- */

/* A 64-bit base register: its storage, writable bits, and the CR0 bit that locks it. */
struct base_reg {
	uint64_t *val;
	uint64_t rw;
	uint32_t lock; /* read-only while set (Arm SMMUv3: SMMUEN, CMDQEN, EVTQEN) */
};

/* Whether off is either half of a base register. */
static bool base_find(struct sim_mmu *m, uint64_t off, struct base_reg *b)
{
	switch (off & ~(uint64_t)4) {
	case NPU_MMU_STRTAB_BASE:
		*b = (struct base_reg){ &m->strtab_base, STRTAB_BASE_RW, NPU_MMU_CR0_SMMUEN };
		return true;
	case NPU_MMU_CMDQ_BASE:
		*b = (struct base_reg){ &m->cmdq_base, Q_BASE_RW, NPU_MMU_CR0_CMDQEN };
		return true;
	case NPU_MMU_EVTQ_BASE:
		*b = (struct base_reg){ &m->evtq_base, Q_BASE_RW, NPU_MMU_CR0_EVTQEN };
		return true;
	default:
		return false;
	}
}

/* Whether a write to the register at off is ignored because CR0 has lock set. */
static bool write_locked(struct npu_sim *s, uint32_t lock, uint64_t off)
{
	if (!(s->mmu.cr0 & lock))
		return false;
	sim_guest_error(s, "MMU write of 0x%" PRIx64 " while in use (CR0 0x%x): ignored", off,
			s->mmu.cr0);
	return true;
}

/* Writes the bits of val outside keep. */
static void base_write(struct npu_sim *s, const struct base_reg *b, uint64_t val, uint64_t keep,
		       uint64_t off)
{
	if (!write_locked(s, b->lock, off))
		*b->val = ((*b->val & keep) | (val & ~keep)) & b->rw;
}

uint32_t sim_mmu_read32(struct npu_sim *s, uint64_t off)
{
	struct sim_mmu *m = &s->mmu;
	struct base_reg b;

	if (base_find(m, off, &b))
		return (uint32_t)(*b.val >> ((off & 4) ? 32 : 0));
	switch (off) {
	case NPU_MMU_IDR0:
		return NPU_MMU_IDR0_REF;
	case NPU_MMU_IDR1:
		return NPU_MMU_IDR1_REF;
	case NPU_MMU_IDR3:
		return NPU_MMU_IDR3_REF;
	case NPU_MMU_IDR5:
		return NPU_MMU_IDR5_REF;
	case NPU_MMU_CR0:
	case NPU_MMU_CR0ACK: /* updates take effect at once: ACK always equals CR0 */
		return m->cr0;
	case NPU_MMU_CR1:
		return m->cr1;
	case NPU_MMU_IRQ_CTRL:
	case NPU_MMU_IRQ_CTRLACK:
		return m->irq_ctrl;
	case NPU_MMU_GERROR:
		return m->gerror;
	case NPU_MMU_GERRORN:
		return m->gerrorn;
	case NPU_MMU_STRTAB_BASE_CFG:
		return m->strtab_cfg;
	case NPU_MMU_CMDQ_PROD:
		return m->cmdq_prod;
	case NPU_MMU_CMDQ_CONS:
		return m->cmdq_cons;
	case NPU_MMU_EVTQ_PROD:
	case NPU_MMU_EVTQ_PROD_SEC:
		return m->evtq_prod;
	case NPU_MMU_EVTQ_CONS:
	case NPU_MMU_EVTQ_CONS_SEC:
		return m->evtq_cons;
	default:
		sim_guest_error(s, "MMU read of unknown offset 0x%" PRIx64, off);
		return ALL_ONES32;
	}
}

static void gerrorn_write(struct npu_sim *s, uint32_t val)
{
	struct sim_mmu *m = &s->mmu;
	bool cmdq_was_active = (m->gerror ^ m->gerrorn) & NPU_MMU_GERROR_CMDQ;

	m->gerrorn = val & NPU_MMU_GERROR_ERR_MASK;
	/* Command error acknowledged: consumption resumes at the entry that failed. */
	if (cmdq_was_active && !((m->gerror ^ m->gerrorn) & NPU_MMU_GERROR_CMDQ)) {
		m->cmdq_cons &= SIM_MMU_Q_PTR_MASK;
		sim_mmu_cmdq_consume(s);
	}
}

void sim_mmu_write32(struct npu_sim *s, uint64_t off, uint32_t val)
{
	struct sim_mmu *m = &s->mmu;
	struct base_reg b;
	uint32_t old;

	if (base_find(m, off, &b)) {
		if (off & 4)
			base_write(s, &b, (uint64_t)val << 32, UINT32_MAX, off);
		else
			base_write(s, &b, val, ~(uint64_t)UINT32_MAX, off);
		return;
	}
	switch (off) {
	case NPU_MMU_CR0:
		old = m->cr0;
		m->cr0 = val & NPU_MMU_CR0_MASK;
		if (!(old & NPU_MMU_CR0_CMDQEN))
			sim_mmu_cmdq_consume(s); /* commands queued before CMDQEN */
		break;
	case NPU_MMU_CR1:
		m->cr1 = val;
		break;
	case NPU_MMU_IRQ_CTRL:
		m->irq_ctrl = val & IRQ_CTRL_MASK;
		break;
	case NPU_MMU_GERRORN:
		gerrorn_write(s, val);
		break;
	case NPU_MMU_STRTAB_BASE_CFG:
		if (!write_locked(s, NPU_MMU_CR0_SMMUEN, off))
			m->strtab_cfg = val & STRTAB_CFG_RW;
		break;
	case NPU_MMU_CMDQ_PROD:
		m->cmdq_prod = val & SIM_MMU_Q_PTR_MASK;
		sim_mmu_cmdq_consume(s);
		break;
	case NPU_MMU_CMDQ_CONS:
		if (!write_locked(s, NPU_MMU_CR0_CMDQEN, off))
			m->cmdq_cons = val & SIM_MMU_Q_PTR_MASK;
		break;
	case NPU_MMU_EVTQ_PROD:
	case NPU_MMU_EVTQ_PROD_SEC:
		if (!write_locked(s, NPU_MMU_CR0_EVTQEN, off))
			m->evtq_prod = val & (SIM_MMU_Q_PTR_MASK | NPU_MMU_EVTQ_PROD_OVFLG);
		break;
	case NPU_MMU_EVTQ_CONS:
	case NPU_MMU_EVTQ_CONS_SEC:
		m->evtq_cons = val & (SIM_MMU_Q_PTR_MASK | NPU_MMU_EVTQ_CONS_OVACKFLG);
		break;
	default:
		/* IDRs, the ACKs and GERROR are read-only; the rest is unknown. */
		sim_guest_error(s, "MMU write of offset 0x%" PRIx64 " (0x%x): ignored", off, val);
		break;
	}
}

uint64_t sim_mmu_read64(struct npu_sim *s, uint64_t off)
{
	struct base_reg b;

	if (base_find(&s->mmu, off, &b) && !(off & 4))
		return *b.val;
	return sim_mmu_read32(s, off) | (uint64_t)sim_mmu_read32(s, off + 4) << 32;
}

void sim_mmu_write64(struct npu_sim *s, uint64_t off, uint64_t val)
{
	struct base_reg b;

	if (base_find(&s->mmu, off, &b) && !(off & 4)) {
		base_write(s, &b, val, 0, off);
		return;
	}
	sim_mmu_write32(s, off, (uint32_t)val);
	sim_mmu_write32(s, off + 4, (uint32_t)(val >> 32));
}
