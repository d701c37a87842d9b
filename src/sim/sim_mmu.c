/* SPDX-License-Identifier: MIT */
/*
 * The device model's MMU (docs/firmware-protocol.md §5, docs/hardware.md §2.5): the command
 * queue it consumes, the event queue it fills, and the walk stream table -> context
 * descriptor -> 4-level page tables through which every device access reaches memory. Its
 * registers are in sim_mmu_regs.c.
 *
 * Device accesses (sim_mmu_access) go through a small translation cache,
 * filled by successful walks and emptied by the invalidation commands
 * (CFGI_STE, CFGI_CD, CFGI_ALL: everything, since an entry carries what the
 * STE and CD said; TLBI_NH_ASID: the entries of that ASID; TLBI_NSNH_ALL:
 * everything) and by an IP reset. The DMA runs of sim_mmu_map_run walk
 * afresh. Every table and page address goes through sim_mem_ptr(); an
 * address outside the DMA arena is an external abort. The MMU's own reads
 * and writes (tables, queues) snoop the CPU's caches as TCU_PTW_OVERRIDES
 * says, the translated accesses as the page's LLC-coherent bit says
 * (sim_cache.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hw/regs_mmu.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "util/log.h"

bool sim_mmu_owns(uint64_t off)
{
	return off >= NPU_MMU_REG_WINDOW_START && off < NPU_MMU_REG_WINDOW_END;
}

void sim_mmu_reset(struct npu_sim *s)
{
	uint64_t faults = s->mmu.faults; /* a statistic, not a register: it survives */

	memset(&s->mmu, 0, sizeof(s->mmu));
	s->mmu.faults = faults;
}

/* ---- queues ---- */

/* A queue as its base register describes it; the size is capped at the IDR1 limit. */
struct sim_q {
	uint64_t addr;
	uint32_t idx;  /* index mask */
	uint32_t wrap; /* the bit above the index */
};

static struct sim_q q_decode(uint64_t base, uint32_t idr1_field)
{
	uint32_t max = npu_field_get(idr1_field, NPU_MMU_IDR1_REF);
	uint32_t log2 = (uint32_t)npu_field_get64(NPU_MMU_Q_BASE_LOG2SIZE, base);
	struct sim_q q;

	if (log2 > max)
		log2 = max;
	q.addr = base & NPU_MMU_Q_BASE_ADDR;
	q.idx = (UINT32_C(1) << log2) - 1;
	q.wrap = UINT32_C(1) << log2;
	return q;
}

static uint32_t q_next(const struct sim_q *q, uint32_t ptr)
{
	uint32_t iw = q->idx | q->wrap;

	return ((ptr & iw) + 1) & iw;
}

/* Entries between cons and prod: 0 empty, the queue size full. */
static uint32_t q_count(const struct sim_q *q, uint32_t prod, uint32_t cons)
{
	return ((prod & (q->idx | q->wrap)) - (cons & (q->idx | q->wrap))) & (q->idx | q->wrap);
}

/* Makes a global error active (GERROR != GERRORN in that bit) and signals it. */
static void gerror_raise(struct npu_sim *s, uint32_t bit)
{
	struct sim_mmu *m = &s->mmu;

	if (!((m->gerror ^ m->gerrorn) & bit))
		m->gerror ^= bit;
	if (m->irq_ctrl & NPU_MMU_IRQ_CTRL_GERROR_EN)
		sim_icb_raise(s, NPU_MMU_ICB_GERROR);
}

/* ---- translation cache ---- */

static void tlb_flush(struct npu_sim *s, bool one_asid, uint16_t asid)
{
	for (unsigned i = 0; i < SIM_TLB_ENTRIES; i++)
		if (!one_asid || s->mmu.tlb[i].asid == asid)
			s->mmu.tlb[i].valid = false;
}

static struct sim_tlb_entry *tlb_slot(struct npu_sim *s, uint32_t ssid, uint64_t va_page)
{
	return &s->mmu.tlb[((va_page >> 12) ^ ((uint64_t)ssid * 0x9Du)) % SIM_TLB_ENTRIES];
}

/* ---- command queue (docs/firmware-protocol.md §5.2) ---- */

/* Executes one command; false when it is not one the MMU knows (CERROR_ILL). */
static bool cmd_exec(struct npu_sim *s, uint64_t d0, uint64_t d1)
{
	uint32_t op = (uint32_t)npu_field_get64(NPU_MMU_CMD_OPCODE, d0);

	switch (op) {
	case NPU_MMU_CMD_CFGI_STE:
	case NPU_MMU_CMD_CFGI_ALL:
	case NPU_MMU_CMD_CFGI_CD:
	case NPU_MMU_CMD_TLBI_NSNH_ALL:
	case NPU_MMU_CMD_TLBI_NH_ASID:
		npu_trace(SIM, "MMU command 0x%02x (0x%016" PRIx64 " 0x%016" PRIx64 ")", op, d0,
			  d1);
		/* A CFGI drops everything too: each entry carries what the STE and CD said. */
		tlb_flush(s, op == NPU_MMU_CMD_TLBI_NH_ASID,
			  (uint16_t)npu_field_get64(NPU_MMU_CMD_TLBI_0_ASID, d0));
		return true;
	case NPU_MMU_CMD_SYNC:
		/*
		 * Current kernels: dword0 = 0x46, no completion signal. Before Oct 2023 also
		 * CS = SEV, MSH = ISH, MSIATTR = WB (docs/firmware-protocol.md §5.2). SEV wakes nothing here;
		 * CS = IRQ raises MMU_IRQ_1; CS = 3 is reserved.
		 */
		switch ((uint32_t)npu_field_get64(NPU_MMU_CMD_SYNC_0_CS, d0)) {
		case NPU_MMU_CMD_SYNC_CS_NONE:
		case NPU_MMU_CMD_SYNC_CS_SEV:
			return true;
		case NPU_MMU_CMD_SYNC_CS_IRQ:
			sim_icb_raise(s, NPU_MMU_ICB_SYNC);
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

/*
 * Consumes commands from CONS up to PROD while CMDQEN is set and no error is
 * pending; at most one lap per call, whatever PROD says. On a command it cannot
 * fetch or does not know it stops at that entry, sets CONS.ERR and GERROR.CMDQ.
 */
void sim_mmu_cmdq_consume(struct npu_sim *s)
{
	struct sim_mmu *m = &s->mmu;
	struct sim_q q = q_decode(m->cmdq_base, NPU_MMU_IDR1_CMDQS);
	uint32_t n;

	if (!(m->cr0 & NPU_MMU_CR0_CMDQEN) || (m->cmdq_cons & NPU_MMU_CMDQ_CONS_ERR))
		return;
	for (n = 0; n <= q.idx && q_count(&q, m->cmdq_prod, m->cmdq_cons); n++) {
		uint64_t pa = q.addr + (uint64_t)(m->cmdq_cons & q.idx) * NPU_MMU_CMDQ_ENTRY_SIZE;
		const uint8_t *cmd = sim_tcu_ptr(s, pa, NPU_MMU_CMDQ_ENTRY_SIZE, false);
		uint32_t err = NPU_MMU_CMDQ_ERR_NONE;

		if (!cmd) {
			sim_guest_error(s, "MMU command at 0x%" PRIx64 " is outside memory", pa);
			err = NPU_MMU_CMDQ_ERR_ABT;
		} else if (!cmd_exec(s, npu_le64(cmd), npu_le64(cmd + 8))) {
			sim_guest_error(s, "MMU command 0x%016" PRIx64 " at entry %u: unknown",
					npu_le64(cmd), m->cmdq_cons & q.idx);
			err = NPU_MMU_CMDQ_ERR_ILL;
		}
		if (err) {
			m->cmdq_cons = (m->cmdq_cons & SIM_MMU_Q_PTR_MASK) |
				       npu_field_prep(NPU_MMU_CMDQ_CONS_ERR, err);
			gerror_raise(s, NPU_MMU_GERROR_CMDQ);
			return;
		}
		m->cmdq_cons = q_next(&q, m->cmdq_cons);
	}
}

/* ---- event queue (docs/firmware-protocol.md §5.7) ---- */

static void evtq_record(struct npu_sim *s, uint32_t id, uint32_t ssid, uint32_t sid, uint64_t va,
			uint64_t fetch_pa)
{
	struct sim_mmu *m = &s->mmu;
	struct sim_q q = q_decode(m->evtq_base, NPU_MMU_IDR1_EVTQS);

	if (!(m->cr0 & NPU_MMU_CR0_EVTQEN))
		return;
	if (q_count(&q, m->evtq_prod, m->evtq_cons) >= q.wrap) {
		/*
		 * Lost: say so through PROD.OVFLG, toggled when no overflow is
		 * pending (OVFLG == CONS.OVACKFLG), so that the host sees one
		 * whatever the number of events lost (Arm SMMUv3 queue overflow).
		 */
		if (!((m->evtq_prod ^ m->evtq_cons) & NPU_MMU_EVTQ_PROD_OVFLG))
			m->evtq_prod ^= NPU_MMU_EVTQ_PROD_OVFLG;
		sim_guest_error(s, "MMU event queue full: event 0x%02x at VA 0x%" PRIx64 " dropped",
				id, va);
	} else {
		uint64_t pa = q.addr + (uint64_t)(m->evtq_prod & q.idx) * NPU_MMU_EVTQ_ENTRY_SIZE;
		uint8_t rec[NPU_MMU_EVTQ_ENTRY_SIZE] = { 0 };

		npu_put_le32(rec, npu_field_prep(NPU_MMU_EVT_0_ID, id) |
				      npu_field_prep(NPU_MMU_EVT_0_SSID, ssid));
		npu_put_le32(rec + 4 * NPU_MMU_EVT_WORD_STREAM_ID, sid);
		npu_put_le64(rec + 4 * NPU_MMU_EVT_WORD_INPUT_VA, va);
		npu_put_le64(rec + 4 * NPU_MMU_EVT_WORD_FETCH_PA, fetch_pa);
		if (sim_dma_write(s, pa, rec, sizeof(rec), sim_cache_tcu_snooped(s, true))) {
			sim_guest_error(
			    s, "MMU event queue entry at 0x%" PRIx64 " is outside memory", pa);
			gerror_raise(s, NPU_MMU_GERROR_EVTQ_ABT);
			return;
		}
		m->evtq_prod = (m->evtq_prod & NPU_MMU_EVTQ_PROD_OVFLG) | q_next(&q, m->evtq_prod);
	}
	if (m->irq_ctrl & NPU_MMU_IRQ_CTRL_EVTQ_EN)
		sim_icb_raise(s, NPU_MMU_ICB_EVTQ);
}

/* ---- the walk ---- */

struct walk {
	uint32_t ssid, sid;
	bool write;
	bool have_cd; /* cd0 is a valid CD's dword0 */
	uint64_t cd0;
	uint32_t privcfg; /* STE PRIVCFG */
	uint64_t ttb;	  /* root table */
};

/*
 * Counts a fault and records its event. Translation-class faults (0x10..0x13)
 * are recorded only when the CD's R bit asks for it; configuration errors always.
 */
static int walk_fault(struct npu_sim *s, const struct walk *w, uint32_t id, uint64_t va,
		      uint64_t fetch_pa)
{
	bool translation = id >= NPU_MMU_EVT_F_TRANSLATION && id <= NPU_MMU_EVT_F_PERMISSION;

	s->mmu.faults++;
	npu_dbg(SIM, "MMU fault 0x%02x: SSID %u stream %u %s VA 0x%" PRIx64 " (PA 0x%" PRIx64 ")",
		id, w->ssid, w->sid, w->write ? "write" : "read", va, fetch_pa);
	if (!translation || !w->have_cd || (w->cd0 & NPU_MMU_CD_0_R))
		evtq_record(s, id, w->ssid, w->sid, va, fetch_pa);
	return id == NPU_MMU_EVT_F_PERMISSION ? -EACCES : -EFAULT;
}

/* Stream table entry and context descriptor for w->sid / w->ssid (docs/firmware-protocol.md §5.3). */
static int walk_config(struct npu_sim *s, struct walk *w, uint64_t va)
{
	const struct sim_mmu *m = &s->mmu;
	uint32_t log2 = npu_field_get(NPU_MMU_STRTAB_BASE_CFG_LOG2SIZE, m->strtab_cfg);
	uint32_t cdmax;
	uint64_t pa, s0, s1, c0, c1;
	const uint8_t *e;

	if (npu_field_get(NPU_MMU_STRTAB_BASE_CFG_FMT, m->strtab_cfg) !=
		NPU_MMU_STRTAB_BASE_CFG_LINEAR ||
	    (log2 < 32 && (w->sid >> log2)))
		return walk_fault(s, w, NPU_MMU_EVT_C_BAD_STREAMID, va, 0);
	pa = (m->strtab_base & NPU_MMU_STRTAB_BASE_ADDR) +
	     (uint64_t)w->sid * NPU_MMU_STRTAB_ENTRY_SIZE;
	e = sim_tcu_ptr(s, pa, NPU_MMU_STRTAB_ENTRY_SIZE, false);
	if (!e)
		return walk_fault(s, w, NPU_MMU_EVT_F_STE_FETCH, va, pa);
	s0 = npu_le64(e);
	s1 = npu_le64(e + 8);
	/* Only what the driver builds is supported: valid, stage-1 translate, linear CD table. */
	if (!(s0 & NPU_MMU_STE_0_V) ||
	    npu_field_get64(NPU_MMU_STE_0_CFG, s0) != NPU_MMU_STE_0_CFG_S1_TRANS ||
	    npu_field_get64(NPU_MMU_STE_0_S1FMT, s0) != NPU_MMU_STE_0_S1FMT_LINEAR)
		return walk_fault(s, w, NPU_MMU_EVT_C_BAD_STE, va, pa);
	cdmax = (uint32_t)npu_field_get64(NPU_MMU_STE_0_S1CDMAX, s0);
	if (w->ssid >> cdmax)
		return walk_fault(s, w, NPU_MMU_EVT_C_BAD_SUBSTREAMID, va, pa);
	w->privcfg = (uint32_t)npu_field_get64(NPU_MMU_STE_1_PRIVCFG, s1);

	pa = (s0 & NPU_MMU_STE_0_S1CTXPTR) + (uint64_t)w->ssid * NPU_MMU_CDTAB_ENTRY_SIZE;
	e = sim_tcu_ptr(s, pa, NPU_MMU_CDTAB_ENTRY_SIZE, false);
	if (!e)
		return walk_fault(s, w, NPU_MMU_EVT_F_CD_FETCH, va, pa);
	c0 = npu_le64(e);
	c1 = npu_le64(e + 8);
	if (!(c0 & NPU_MMU_CD_0_V))
		return walk_fault(s, w, NPU_MMU_EVT_C_BAD_CD, va, pa);
	w->have_cd = true;
	w->cd0 = c0;
	w->ttb = c1 & NPU_MMU_CD_1_TTB0;
	/* 64-bit format, 48-bit input, 4 KiB granule, page-aligned root: else unusable. */
	if (!(c0 & NPU_MMU_CD_0_AA64) ||
	    npu_field_get64(NPU_MMU_CD_0_TCR_T0SZ, c0) != NPU_MMU_T0SZ_48BIT ||
	    npu_field_get64(NPU_MMU_CD_0_TCR_TG0, c0) != NPU_MMU_TG0_4K ||
	    (w->ttb & (NPU_MMU_PAGE_SIZE - 1)))
		return walk_fault(s, w, NPU_MMU_EVT_C_BAD_CD, va, pa);
	if (w->ttb & NPU_MMU_DESC_OA_HIGH)
		return walk_fault(s, w, NPU_MMU_EVT_F_ADDR_SIZE, va, pa);
	/*
	 * CD.A (set by the driver for SSID 0) is Arm SMMUv3's "abort": it chooses how a
	 * transaction that faults is terminated (abort to the client instead of
	 * read-as-zero/write-ignored). It does not block translations that succeed.
	 */
	return 0;
}

/*
 * The level-3 table a walk last reached, and the 2 MiB of input it maps: a
 * walk cache that lives for one run of pages (sim_mmu_map_run), inside which
 * nothing can change the tables (the lock is held), as the silicon's walk
 * caches keep the upper levels while it walks along one table.
 */
struct walk_hint {
	bool valid;
	uint64_t region; /* va >> 21 */
	uint64_t table;	 /* the level-3 table's physical address */
};

/* Translates va through the 4 levels (docs/firmware-protocol.md §5.4). */
/*
 * A page's translation; quiet: a fault is only returned (-EFAULT), not
 * recorded; leaf (may be NULL): the level-3 descriptor; h (may be NULL):
 * where levels 0-2 may be skipped, updated by a walk that reaches level 3.
 */
static int walk_page_h(struct npu_sim *s, const struct walk *w, uint64_t va, uint64_t *pa,
		       bool quiet, uint64_t *leaf, struct walk_hint *h)
{
	uint64_t table = w->ttb;
	unsigned first = 0;

	/* T0SZ 16: TTB0 covers [0, 2^48); TTB1 walks are off (EPD1), so the rest faults. */
	if ((va >> 48) || (w->cd0 & NPU_MMU_CD_0_TCR_EPD0))
		return quiet ? -EFAULT : walk_fault(s, w, NPU_MMU_EVT_F_TRANSLATION, va, 0);
	if (h && h->valid && h->region == va >> 21) {
		table = h->table;
		first = 3;
	}
	for (unsigned lvl = first; lvl < 4; lvl++) {
		unsigned shift = NPU_MMU_PGD_SHIFT - 9 * lvl;
		uint64_t ent = table + (uint64_t)NPU_MMU_PT_INDEX(va, shift) * 8;
		const uint8_t *p = sim_tcu_ptr(s, ent, 8, false);
		uint64_t d;

		if (!p)
			return quiet ? -EFAULT : walk_fault(s, w, NPU_MMU_EVT_F_WALK_EABT, va, ent);
		d = npu_le64(p);
		/* Bits 0 and 1 both: a table (levels 0-2) or a page (level 3). Blocks: unsupported. */
		if ((d & NPU_MMU_PTE_TABLE) != NPU_MMU_PTE_TABLE)
			return quiet ? -EFAULT
				     : walk_fault(s, w, NPU_MMU_EVT_F_TRANSLATION, va, ent);
		if (d & NPU_MMU_DESC_OA_HIGH)
			return quiet ? -EFAULT : walk_fault(s, w, NPU_MMU_EVT_F_ADDR_SIZE, va, ent);
		if (lvl < 3) {
			table = d & NPU_MMU_PTE_ADDR;
			if (lvl == 2 && h)
				*h = (struct walk_hint){ true, va >> 21, table };
			continue;
		}
		if (!(d & NPU_MMU_PTE_AF))
			return quiet ? -EFAULT : walk_fault(s, w, NPU_MMU_EVT_F_ACCESS, va, ent);
		/* The STE makes every access unprivileged: the page must allow user (AP[1]). */
		if ((w->privcfg != NPU_MMU_STE_1_PRIVCFG_PRIV && !(d & NPU_MMU_PTE_USER)) ||
		    (w->write && (d & NPU_MMU_PTE_RO)))
			return quiet ? -EFAULT
				     : walk_fault(s, w, NPU_MMU_EVT_F_PERMISSION, va, ent);
		*pa = (d & NPU_MMU_PTE_ADDR) | (va & (NPU_MMU_PAGE_SIZE - 1));
		if (leaf)
			*leaf = d;
	}
	return 0;
}

static int walk_page_q(struct npu_sim *s, const struct walk *w, uint64_t va, uint64_t *pa,
		       bool quiet, uint64_t *leaf)
{
	return walk_page_h(s, w, va, pa, quiet, leaf, NULL);
}

/*
 * A cached translation of the page at va for this access, or false: not
 * cached, or one whose permissions refuse it (the walk then finds the fault).
 */
static bool tlb_lookup(struct npu_sim *s, const struct walk *w, uint64_t va, uint64_t *pa,
		       uint64_t *pte)
{
	uint64_t page = va & ~(uint64_t)(NPU_MMU_PAGE_SIZE - 1);
	const struct sim_tlb_entry *e = tlb_slot(s, w->ssid, page);

	if (!e->valid || e->ssid != w->ssid || e->va_page != page)
		return false;
	if ((e->privcfg != NPU_MMU_STE_1_PRIVCFG_PRIV && !(e->pte & NPU_MMU_PTE_USER)) ||
	    (w->write && (e->pte & NPU_MMU_PTE_RO)))
		return false;
	*pa = e->pa_page | (va & (NPU_MMU_PAGE_SIZE - 1));
	*pte = e->pte;
	return true;
}

static void tlb_fill(struct npu_sim *s, const struct walk *w, uint64_t va, uint64_t pa,
		     uint64_t pte)
{
	uint64_t page = va & ~(uint64_t)(NPU_MMU_PAGE_SIZE - 1);
	struct sim_tlb_entry *e = tlb_slot(s, w->ssid, page);

	*e = (struct sim_tlb_entry){ .valid = true,
				     .asid = (uint16_t)npu_field_get64(NPU_MMU_CD_0_ASID, w->cd0),
				     .ssid = w->ssid,
				     .privcfg = w->privcfg,
				     .va_page = page,
				     .pa_page = pa & ~(uint64_t)(NPU_MMU_PAGE_SIZE - 1),
				     .pte = pte };
}

/* One translated piece of an access, to or from memory at pa; -EFAULT outside memory. */
static int bus_copy(struct npu_sim *s, uint64_t pa, uint8_t *buf, size_t len, bool snooped,
		    bool write)
{
	const void *mem;

	if (write)
		return sim_dma_write(s, pa, buf, len, snooped);
	mem = sim_mem_view(s, pa, len, snooped);
	if (!mem)
		return -EFAULT;
	sim_dma_load(buf, mem, len);
	return 0;
}

int sim_mmu_access(struct npu_sim *s, uint32_t ssid, uint64_t va, void *buf, size_t len, bool write)
{
	/* The firmware's and the jobs' accesses all come on stream 0 (docs/firmware-protocol.md §5.3). */
	struct walk w = { .ssid = ssid, .sid = NPU_MMU_STREAM_ID0, .write = write };
	uint8_t *b = buf;
	size_t done = 0;
	bool configured = false;
	int ret = 0;

	if (len == 0)
		return 0;
	if (!(s->mmu.cr0 & NPU_MMU_CR0_SMMUEN)) {
		/* No translation, no event queue to speak of: the access just fails. */
		s->mmu.faults++;
		npu_dbg(SIM, "MMU access at VA 0x%" PRIx64 " with the MMU disabled", va);
		return -EFAULT;
	}
	while (done < len) {
		uint64_t cur = va + done, pa = 0, pte = 0;
		size_t chunk = NPU_MMU_PAGE_SIZE - (size_t)(cur & (NPU_MMU_PAGE_SIZE - 1));

		if (chunk > len - done)
			chunk = len - done;
		if (!tlb_lookup(s, &w, cur, &pa, &pte)) {
			if (!configured) {
				configured = true;
				ret = walk_config(s, &w, cur);
				if (ret)
					break;
			}
			ret = walk_page_q(s, &w, cur, &pa, false, &pte);
			if (ret)
				break;
			tlb_fill(s, &w, cur, pa, pte);
		}
		if (bus_copy(s, pa, b + done, chunk, (pte & NPU_MMU_PTE_LLC_COHERENT) != 0,
			     write)) {
			ret = walk_fault(s, &w, NPU_MMU_EVT_F_WALK_EABT, cur, pa);
			break;
		}
		done += chunk;
	}
	/*
	 * CD.A clear: the faulting transaction reads as zero (and a write is
	 * ignored). A fault comes from a walk, which read the CD first.
	 */
	if (ret && !write && w.have_cd && !(w.cd0 & NPU_MMU_CD_0_A))
		memset(b + done, 0, len - done);
	return ret;
}

int sim_mmu_map_run(struct npu_sim *s, uint32_t ssid, uint64_t va, size_t len, bool write,
		    uint8_t **mem, size_t *run)
{
	struct walk w = { .ssid = ssid, .sid = NPU_MMU_STREAM_ID0, .write = write };
	struct walk_hint hint = { 0 };
	uint64_t pa = 0, next_pa = 0, pte = 0, next_pte = 0;
	bool snooped;
	size_t n;
	int ret;

	*mem = NULL;
	*run = 0;
	if (len == 0)
		return 0;
	if (!(s->mmu.cr0 & NPU_MMU_CR0_SMMUEN)) {
		s->mmu.faults++;
		npu_dbg(SIM, "MMU access at VA 0x%" PRIx64 " with the MMU disabled", va);
		return -EFAULT;
	}
	ret = walk_config(s, &w, va);
	if (!ret)
		ret = walk_page_h(s, &w, va, &pa, false, &pte, &hint);
	if (ret)
		return ret;
	snooped = (pte & NPU_MMU_PTE_LLC_COHERENT) != 0;
	n = NPU_MMU_PAGE_SIZE - (size_t)(va & (NPU_MMU_PAGE_SIZE - 1));
	/*
	 * Further pages join the run while they follow in physical memory with
	 * the same snoop attribute; the first to fail ends it.
	 */
	while (n < len && walk_page_h(s, &w, va + n, &next_pa, true, &next_pte, &hint) == 0 &&
	       next_pa == pa + n && ((next_pte & NPU_MMU_PTE_LLC_COHERENT) != 0) == snooped)
		n += NPU_MMU_PAGE_SIZE;
	if (n > len)
		n = len;
	/* A run also ends where the memory behind it stops being one piece (sim_mem_backend.h). */
	if (s->mem_ops) {
		size_t c = sim_mem_contig(s, pa, n);

		if (c >= NPU_MMU_PAGE_SIZE - (size_t)(va & (NPU_MMU_PAGE_SIZE - 1)) && c < n)
			n = c;
	}
	/* A snooped run reaches the CPU's view: it ends where the caching of the pages changes. */
	if (snooped && sim_mem_ptr(s, pa, n))
		n = sim_cache_same(s, pa, n);
	*mem = sim_mem_view(s, pa, n, snooped);
	if (!*mem)
		return walk_fault(s, &w, NPU_MMU_EVT_F_WALK_EABT, va, pa);
	*run = n;
	return 0;
}
