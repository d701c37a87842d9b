/* SPDX-License-Identifier: MIT */
/*
 * The NPU's MMU, driver side: stream table, context descriptors, command and
 * event queues, bring-up (docs/firmware-protocol.md §5.1-5.3, §5.7; docs/hardware.md §2.5).
 */
#include "driver/mmu.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "platform/barrier.h"
#include "hw/regs_mmu.h"
#include "hw/timeouts.h"
#include "util/bytes.h"
#include "util/log.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "device tables are little-endian: a big-endian host needs byte swaps in dma_wr64");

#define Q_IDX_WRAP (NPU_MMU_Q_IDX | NPU_MMU_Q_WRAP)

#define STRTAB_SIZE (NPU_MMU_STRTAB_ENTRY_COUNT * NPU_MMU_STRTAB_ENTRY_SIZE)
#define CDTAB_SIZE  (NPU_MMU_CDTAB_ENTRY_COUNT * NPU_MMU_CDTAB_ENTRY_SIZE)
#define CMDQ_SIZE   (NPU_MMU_Q_COUNT * NPU_MMU_CMDQ_ENTRY_SIZE)
#define EVTQ_SIZE   (NPU_MMU_Q_COUNT * NPU_MMU_EVTQ_ENTRY_SIZE)

/*
 * One u64 of a table or queue entry. A single aligned store, so the device
 * never sees half of a valid bit's dword.
 */
static void dma_wr64(const struct npu_dma *dma, size_t off, uint64_t val)
{
	*(volatile uint64_t *)((uint8_t *)dma->cpu + off) = val;
}

/*
 * The MMU reads its tables and command queue without snooping the CPU's
 * caches (TCU_PTW_OVERRIDES, set as Linux does): they are write-back, as
 * Linux's dmam_alloc_coherent gives them, and every entry is flushed after
 * it is written (Linux ivpu_mmu_strtab_link_cd, ivpu_mmu_cdtab_entry_set,
 * ivpu_mmu_cmdq_sync). The event queue is written by the MMU, snooped once
 * the override is set; the records are invalidated before they are read all
 * the same, which costs nothing on the job path (docs/dma.md).
 */
static const struct npu_dma_use use_strtab = { "mmu stream table", NPU_DMA_WB, false };
static const struct npu_dma_use use_cdtab = { "mmu context descriptors", NPU_DMA_WB, false };
static const struct npu_dma_use use_cmdq = { "mmu command queue", NPU_DMA_WB, false };
static const struct npu_dma_use use_evtq = { "mmu event queue", NPU_DMA_WB, true };

static size_t page_round(size_t n)
{
	return (n + NPU_MMU_PAGE_SIZE - 1) & ~(size_t)(NPU_MMU_PAGE_SIZE - 1);
}

/* STE dwords 0 and 1 (docs/firmware-protocol.md §5.3); the other six stay zero. */
static void ste_write(struct npu_mmu *mmu, uint32_t sid)
{
	size_t off = (size_t)sid * NPU_MMU_STRTAB_ENTRY_SIZE;
	uint64_t d0, d1;

	d0 = NPU_MMU_STE_0_V | npu_field_prep64(NPU_MMU_STE_0_CFG, NPU_MMU_STE_0_CFG_S1_TRANS) |
	     npu_field_prep64(NPU_MMU_STE_0_S1FMT, NPU_MMU_STE_0_S1FMT_LINEAR) |
	     npu_field_prep64(NPU_MMU_STE_0_S1CDMAX, NPU_MMU_STE_0_S1CDMAX_VAL) |
	     (mmu->cdtab.addr & NPU_MMU_STE_0_S1CTXPTR);
	d1 = npu_field_prep64(NPU_MMU_STE_1_S1DSS, NPU_MMU_STE_1_S1DSS_TERMINATE) |
	     npu_field_prep64(NPU_MMU_STE_1_S1CIR, NPU_MMU_STE_1_S1C_CACHE_NC) |
	     npu_field_prep64(NPU_MMU_STE_1_S1COR, NPU_MMU_STE_1_S1C_CACHE_NC) |
	     npu_field_prep64(NPU_MMU_STE_1_S1CSH, NPU_MMU_SH_NSH) |
	     npu_field_prep64(NPU_MMU_STE_1_PRIVCFG, NPU_MMU_STE_1_PRIVCFG_UNPRIV) |
	     npu_field_prep64(NPU_MMU_STE_1_INSTCFG, NPU_MMU_STE_1_INSTCFG_DATA) |
	     npu_field_prep64(NPU_MMU_STE_1_STRW, NPU_MMU_STE_1_STRW_NSEL1) |
	     npu_field_prep64(NPU_MMU_STE_1_CONT, NPU_MMU_STE_1_CONT_VAL) | NPU_MMU_STE_1_MEV |
	     NPU_MMU_STE_1_S1STALLD;
	/* V last: the device must not see a valid STE with a stale second dword. */
	dma_wr64(&mmu->strtab, off + 8, d1);
	npu_dma_wmb();
	dma_wr64(&mmu->strtab, off, d0);
	npu_dma_flush(mmu->plat, &mmu->strtab, off, NPU_MMU_STRTAB_ENTRY_SIZE);
}

int drv_mmu_init(struct npu_mmu *mmu, struct npu_platform *p)
{
	int ret;

	memset(mmu, 0, sizeof(*mmu));
	mmu->plat = p;
	ret = npu_dma_alloc(p, page_round(STRTAB_SIZE), &use_strtab, &mmu->strtab);
	if (ret)
		goto err_out;
	ret = npu_dma_alloc(p, page_round(CDTAB_SIZE), &use_cdtab, &mmu->cdtab);
	if (ret)
		goto err_free_strtab;
	ret = npu_dma_alloc(p, page_round(CMDQ_SIZE), &use_cmdq, &mmu->cmdq);
	if (ret)
		goto err_free_cdtab;
	ret = npu_dma_alloc(p, page_round(EVTQ_SIZE), &use_evtq, &mmu->evtq);
	if (ret)
		goto err_free_cmdq;

	/* The buffers come zeroed: every CD and the two unused STEs are invalid. */
	ste_write(mmu, NPU_MMU_STREAM_ID0);
	ste_write(mmu, NPU_MMU_STREAM_ID3);
	npu_dbg(MMU, "stream table at 0x%" PRIx64 ", CD table at 0x%" PRIx64, mmu->strtab.addr,
		mmu->cdtab.addr);
	return 0;

err_free_cmdq:
	npu_dma_free(p, &mmu->cmdq);
err_free_cdtab:
	npu_dma_free(p, &mmu->cdtab);
err_free_strtab:
	npu_dma_free(p, &mmu->strtab);
err_out:
	npu_err(MMU, "cannot allocate the MMU tables: %s", strerror(-ret));
	mmu->plat = NULL;
	return ret;
}

void drv_mmu_fini(struct npu_mmu *mmu)
{
	struct npu_platform *p = mmu->plat;

	if (!p)
		return;
	npu_dma_free(p, &mmu->evtq);
	npu_dma_free(p, &mmu->cmdq);
	npu_dma_free(p, &mmu->cdtab);
	npu_dma_free(p, &mmu->strtab);
	mmu->plat = NULL;
	mmu->enabled = false;
}

/* ---- registers ---- */

static int cr0_write(struct npu_mmio *m, uint32_t val)
{
	REGV_WR32(m, NPU_MMU_CR0, val);
	return REGV_POLL32(m, NPU_MMU_CR0ACK, UINT32_MAX, val, NPU_TIMEOUT_MMU_REG_ACK_US);
}

static int irq_ctrl_write(struct npu_mmio *m, uint32_t val)
{
	REGV_WR32(m, NPU_MMU_IRQ_CTRL, val);
	return REGV_POLL32(m, NPU_MMU_IRQ_CTRLACK, UINT32_MAX, val, NPU_TIMEOUT_MMU_REG_ACK_US);
}

static uint64_t q_base(const struct npu_dma *q)
{
	return NPU_MMU_Q_BASE_RWA | (q->addr & NPU_MMU_Q_BASE_ADDR) |
	       npu_field_prep64(NPU_MMU_Q_BASE_LOG2SIZE, NPU_MMU_Q_COUNT_LOG2);
}

static uint32_t q_inc(uint32_t idx)
{
	return (idx + 1) & Q_IDX_WRAP;
}

/* ---- command queue (docs/firmware-protocol.md §5.2) ---- */

/* Queues one command; the device sees it at the next cmdq_submit(). */
static int cmdq_push(struct npu_mmu *mmu, uint64_t d0, uint64_t d1)
{
	uint32_t prod = mmu->cmdq_prod;
	size_t off = (size_t)(prod & NPU_MMU_Q_IDX) * NPU_MMU_CMDQ_ENTRY_SIZE;

	/* Full: same index, other lap. Batches are at most 3 commands, so only a bug gets here. */
	if ((prod ^ mmu->cmdq_cons) == NPU_MMU_Q_WRAP) {
		npu_err(MMU, "command queue full (PROD 0x%x, CONS 0x%x)", prod, mmu->cmdq_cons);
		return -EBUSY;
	}
	dma_wr64(&mmu->cmdq, off, d0);
	dma_wr64(&mmu->cmdq, off + 8, d1);
	mmu->cmdq_prod = q_inc(prod);
	return 0;
}

static int cmdq_fail(struct npu_mmu *mmu, uint32_t cons)
{
	npu_err(MMU, "command queue error %u at entry %u (CONS 0x%08x, PROD 0x%x)",
		npu_field_get(NPU_MMU_CMDQ_CONS_ERR, cons), cons & NPU_MMU_Q_IDX, cons,
		mmu->cmdq_prod);
	return -EIO;
}

/* Publishes the queued commands (PROD) and waits until the device consumed them all. */
static int cmdq_submit(struct npu_mmu *mmu, struct npu_mmio *m)
{
	const uint32_t mask = Q_IDX_WRAP | NPU_MMU_CMDQ_CONS_ERR;
	uint32_t cons;

	/* The commands must be in memory before the device can see the new PROD. */
	npu_dma_flush(mmu->plat, &mmu->cmdq, 0, CMDQ_SIZE);
	REGV_WR32(m, NPU_MMU_CMDQ_PROD, mmu->cmdq_prod);

	/* One look first: a command error shows at once, no need to wait 100 ms for it. */
	cons = REGV_RD32(m, NPU_MMU_CMDQ_CONS);
	if (cons != NPU_REG_IO_ERROR && (cons & NPU_MMU_CMDQ_CONS_ERR))
		return cmdq_fail(mmu, cons);
	if ((cons & mask) != mmu->cmdq_prod) {
		int ret =
		    drv_mmio_poll32(m, NPU_PCI_BAR_REGV, NPU_MMU_CMDQ_CONS, "NPU_MMU_CMDQ_CONS",
				    mask, mmu->cmdq_prod, NPU_TIMEOUT_MMU_CMDQ_US, &cons);

		if (ret == -ETIMEDOUT && (cons & NPU_MMU_CMDQ_CONS_ERR))
			return cmdq_fail(mmu, cons);
		if (ret)
			return ret;
	}
	mmu->cmdq_cons = mmu->cmdq_prod;
	return 0;
}

/* What a batch invalidates; every batch ends with a SYNC and waits for it. */
enum {
	INV_CFG_ALL = 1 << 0,  /* CFGI_ALL: every cached STE and CD */
	INV_TLB_ALL = 1 << 1,  /* TLBI_NSNH_ALL */
	INV_TLB_ASID = 1 << 2, /* TLBI_NH_ASID(asid) */
};

static int cmdq_batch(struct npu_mmu *mmu, struct npu_mmio *m, unsigned what, uint32_t asid)
{
	int ret = 0;

	if (what & INV_CFG_ALL)
		ret = cmdq_push(
		    mmu, npu_field_prep64(NPU_MMU_CMD_OPCODE, NPU_MMU_CMD_CFGI_ALL),
		    npu_field_prep64(NPU_MMU_CMD_CFGI_1_RANGE, NPU_MMU_CMD_CFGI_ALL_RANGE));
	if (!ret && (what & INV_TLB_ALL))
		ret = cmdq_push(mmu,
				npu_field_prep64(NPU_MMU_CMD_OPCODE, NPU_MMU_CMD_TLBI_NSNH_ALL), 0);
	if (!ret && (what & INV_TLB_ASID))
		ret = cmdq_push(mmu,
				npu_field_prep64(NPU_MMU_CMD_OPCODE, NPU_MMU_CMD_TLBI_NH_ASID) |
				    npu_field_prep64(NPU_MMU_CMD_TLBI_0_ASID, asid),
				0);
	/* The current SYNC form: no completion signal, the host polls CONS (docs/firmware-protocol.md §5.2). */
	if (!ret)
		ret = cmdq_push(mmu, npu_field_prep64(NPU_MMU_CMD_OPCODE, NPU_MMU_CMD_SYNC), 0);
	if (!ret)
		ret = cmdq_submit(mmu, m);
	return ret;
}

/* ---- bring-up ---- */

static void check_idr(struct npu_mmio *m, uint64_t off, const char *name, uint32_t ref)
{
	uint32_t v = REGV_RD32(m, off);

	if (v != ref)
		npu_dbg(MMU, "%s = 0x%08x, silicon reads 0x%08x", name, v, ref);
}

static int enable_steps(struct npu_mmu *mmu, struct npu_mmio *m)
{
	uint32_t cr0;
	int ret;

	ret = cr0_write(m, 0);
	if (ret)
		return ret;
	REGV_WR32(m, NPU_MMU_CR1, NPU_MMU_CR1_VAL);

	REGV_WR64(m, NPU_MMU_STRTAB_BASE,
		  NPU_MMU_STRTAB_BASE_RA | (mmu->strtab.addr & NPU_MMU_STRTAB_BASE_ADDR));
	REGV_WR32(m, NPU_MMU_STRTAB_BASE_CFG, NPU_MMU_STRTAB_BASE_CFG_VAL);

	REGV_WR64(m, NPU_MMU_CMDQ_BASE, q_base(&mmu->cmdq));
	REGV_WR32(m, NPU_MMU_CMDQ_PROD, 0);
	REGV_WR32(m, NPU_MMU_CMDQ_CONS, 0);
	mmu->cmdq_prod = 0;
	mmu->cmdq_cons = 0;
	cr0 = NPU_MMU_CR0_CMDQEN;
	ret = cr0_write(m, cr0);
	if (ret)
		return ret;
	ret = cmdq_batch(mmu, m, INV_CFG_ALL | INV_TLB_ALL, 0);
	if (ret)
		return ret;

	REGV_WR64(m, NPU_MMU_EVTQ_BASE, q_base(&mmu->evtq));
	REGV_WR32(m, NPU_MMU_EVTQ_PROD_SEC, 0);
	REGV_WR32(m, NPU_MMU_EVTQ_CONS_SEC, 0);
	mmu->evtq_cons = 0;
	cr0 |= NPU_MMU_CR0_EVTQEN;
	ret = cr0_write(m, cr0);
	if (ret)
		return ret;
	cr0 |= NPU_MMU_CR0_ATSCHK;
	ret = cr0_write(m, cr0);
	if (ret)
		return ret;

	ret = irq_ctrl_write(m, 0);
	if (ret)
		return ret;
	ret = irq_ctrl_write(m, NPU_MMU_IRQ_CTRL_GERROR_EN | NPU_MMU_IRQ_CTRL_EVTQ_EN);
	if (ret)
		return ret;

	cr0 |= NPU_MMU_CR0_SMMUEN;
	return cr0_write(m, cr0);
}

int drv_mmu_enable(struct npu_mmu *mmu, struct npu_mmio *m)
{
	int ret;

	if (!mmu->plat)
		return -EINVAL;
	check_idr(m, NPU_MMU_IDR0, "IDR0", NPU_MMU_IDR0_REF);
	check_idr(m, NPU_MMU_IDR1, "IDR1", NPU_MMU_IDR1_REF);
	check_idr(m, NPU_MMU_IDR3, "IDR3", NPU_MMU_IDR3_REF);
	check_idr(m, NPU_MMU_IDR5, "IDR5", NPU_MMU_IDR5_REF);

	ret = enable_steps(mmu, m);
	if (!ret) {
		/* As Linux: invalidate again once translation is on. */
		mmu->enabled = true;
		ret = cmdq_batch(mmu, m, INV_CFG_ALL | INV_TLB_ALL, 0);
	}
	if (ret) {
		npu_err(MMU, "MMU bring-up failed: %s", strerror(-ret));
		mmu->enabled = false;
		REGV_WR32(m, NPU_MMU_CR0, 0);
		return ret;
	}
	npu_info(MMU, "MMU enabled");
	return 0;
}

/*
 * As Linux ivpu_mmu_disable: only the driver's flag. Writing CR0 = 0 here,
 * before the IP reset of a power-down, would let a firmware DMA still in
 * flight through untranslated (Arm SMMUv3: a disabled SMMU bypasses
 * incoming transactions unless GBPA says abort, and nothing sets GBPA); the
 * IP reset that follows turns the MMU off with the rest of the IP, and the
 * next drv_mmu_enable starts from CR0 = 0 (docs/dma.md).
 */
void drv_mmu_disable(struct npu_mmu *mmu, struct npu_mmio *m)
{
	(void)m;
	mmu->enabled = false;
}

/* ---- context descriptors (docs/firmware-protocol.md §5.3) ---- */

static int ssid_check(uint32_t ssid)
{
	if (ssid >= NPU_MMU_CDTAB_ENTRY_COUNT) {
		npu_dbg(MMU, "SSID %u out of range (%u CDs)", ssid, NPU_MMU_CDTAB_ENTRY_COUNT);
		return -EINVAL;
	}
	return 0;
}

int drv_mmu_set_cd(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid, uint64_t pgd_dma_addr)
{
	size_t off = (size_t)ssid * NPU_MMU_CDTAB_ENTRY_SIZE;
	uint64_t d0;
	int ret;

	ret = ssid_check(ssid);
	if (ret)
		return ret;
	if (!mmu->cdtab.cpu || !pgd_dma_addr || (pgd_dma_addr & (NPU_MMU_PAGE_SIZE - 1)) ||
	    (pgd_dma_addr & ~NPU_MMU_PTE_ADDR)) {
		npu_dbg(MMU, "SSID %u: bad root table address 0x%" PRIx64, ssid, pgd_dma_addr);
		return -EINVAL;
	}

	d0 = npu_field_prep64(NPU_MMU_CD_0_TCR_T0SZ, NPU_MMU_T0SZ_48BIT) |
	     npu_field_prep64(NPU_MMU_CD_0_TCR_TG0, NPU_MMU_TG0_4K) |
	     npu_field_prep64(NPU_MMU_CD_0_TCR_IPS, NPU_MMU_IPS_48BIT) | NPU_MMU_CD_0_TCR_EPD1 |
	     NPU_MMU_CD_0_AA64 | NPU_MMU_CD_0_R | NPU_MMU_CD_0_ASET | NPU_MMU_CD_0_V |
	     npu_field_prep64(NPU_MMU_CD_0_ASID, ssid);
	/* SSID 0 (firmware): faulting accesses are aborted rather than read as zero. */
	if (ssid == NPU_MMU_SSID_GLOBAL)
		d0 |= NPU_MMU_CD_0_A;

	dma_wr64(&mmu->cdtab, off + 8, pgd_dma_addr & NPU_MMU_CD_1_TTB0);
	dma_wr64(&mmu->cdtab, off + 16, 0);
	dma_wr64(&mmu->cdtab, off + 24, NPU_MMU_CD_3_MAIR_VAL);
	/* dword0 holds V: the rest must be visible first. */
	npu_dma_wmb();
	dma_wr64(&mmu->cdtab, off, d0);
	npu_dma_flush(mmu->plat, &mmu->cdtab, off, NPU_MMU_CDTAB_ENTRY_SIZE);
	mmu->muted[ssid / 8] &= (uint8_t) ~(1u << (ssid % 8));
	npu_dbg(MMU, "CD %u: root table 0x%" PRIx64, ssid, pgd_dma_addr);

	if (!mmu->enabled)
		return 0;
	return cmdq_batch(mmu, m, INV_CFG_ALL, 0);
}

int drv_mmu_clear_cd(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid)
{
	size_t off = (size_t)ssid * NPU_MMU_CDTAB_ENTRY_SIZE;
	int ret;

	ret = ssid_check(ssid);
	if (ret)
		return ret;
	if (!mmu->cdtab.cpu)
		return -EINVAL;
	/* V off first, then the rest. */
	dma_wr64(&mmu->cdtab, off, 0);
	npu_dma_wmb();
	dma_wr64(&mmu->cdtab, off + 8, 0);
	dma_wr64(&mmu->cdtab, off + 16, 0);
	dma_wr64(&mmu->cdtab, off + 24, 0);
	npu_dma_flush(mmu->plat, &mmu->cdtab, off, NPU_MMU_CDTAB_ENTRY_SIZE);

	if (!mmu->enabled)
		return 0;
	return cmdq_batch(mmu, m, INV_CFG_ALL | INV_TLB_ASID, ssid);
}

int drv_mmu_mute_events(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid)
{
	size_t off = (size_t)ssid * NPU_MMU_CDTAB_ENTRY_SIZE;
	uint64_t d0;
	int ret;

	ret = ssid_check(ssid);
	if (ret)
		return ret;
	if (!mmu->cdtab.cpu)
		return -EINVAL;
	if (drv_mmu_events_muted(mmu, ssid))
		return 0;
	d0 = *(volatile uint64_t *)((uint8_t *)mmu->cdtab.cpu + off);
	if (!(d0 & NPU_MMU_CD_0_V))
		return -ENOENT;
	/* CD.R clear: the context's translation faults are no longer recorded (the SSID's). */
	dma_wr64(&mmu->cdtab, off, d0 & ~NPU_MMU_CD_0_R);
	npu_dma_flush(mmu->plat, &mmu->cdtab, off, NPU_MMU_CDTAB_ENTRY_SIZE);
	mmu->muted[ssid / 8] |= (uint8_t)(1u << (ssid % 8));
	npu_dbg(MMU, "SSID %u: MMU events muted", ssid);
	if (!mmu->enabled)
		return 0;
	return cmdq_batch(mmu, m, INV_CFG_ALL, 0);
}

bool drv_mmu_events_muted(const struct npu_mmu *mmu, uint32_t ssid)
{
	return ssid < NPU_MMU_CDTAB_ENTRY_COUNT &&
	       ((unsigned)mmu->muted[ssid / 8] >> (ssid % 8)) & 1u;
}

int drv_mmu_tlb_invalidate(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid)
{
	int ret;

	ret = ssid_check(ssid);
	if (ret || !mmu->enabled)
		return ret;
	return cmdq_batch(mmu, m, INV_TLB_ASID, ssid);
}

/* ---- events (docs/firmware-protocol.md §5.7) ---- */

static void event_decode(const uint8_t *rec, struct npu_mmu_event *ev)
{
	for (unsigned i = 0; i < NPU_MMU_EVT_WORDS; i++)
		ev->raw[i] = npu_le32(rec + 4 * i);
	ev->id = npu_field_get(NPU_MMU_EVT_0_ID, ev->raw[0]);
	ev->ssid = npu_field_get(NPU_MMU_EVT_0_SSID, ev->raw[0]);
	ev->stream_id = ev->raw[NPU_MMU_EVT_WORD_STREAM_ID];
	ev->input_va = npu_le64(rec + 4 * NPU_MMU_EVT_WORD_INPUT_VA);
	ev->fetch_pa = npu_le64(rec + 4 * NPU_MMU_EVT_WORD_FETCH_PA);
}

int drv_mmu_drain_events(struct npu_mmu *mmu, struct npu_mmio *m,
			 void (*cb)(void *ctx, const struct npu_mmu_event *ev), void *ctx)
{
	uint32_t prod, cons, pending;
	int n = 0;

	if (!mmu->evtq.cpu)
		return -EINVAL;
	prod = REGV_RD32(m, NPU_MMU_EVTQ_PROD_SEC);
	if (prod == NPU_REG_IO_ERROR) {
		npu_err(MMU, "EVTQ_PROD reads all-ones: device gone");
		return -EIO;
	}
	cons = mmu->evtq_cons & Q_IDX_WRAP;
	/* Records between CONS and PROD, counting the wrap bit as a lap (0..2 x 16 - 1). */
	pending = ((prod & Q_IDX_WRAP) - cons) & Q_IDX_WRAP;
	if (pending > NPU_MMU_Q_COUNT) {
		npu_err(MMU, "EVTQ_PROD 0x%08x claims %u records after CONS 0x%x; queue holds %u",
			prod, pending, cons, NPU_MMU_Q_COUNT);
		return -EIO;
	}
	/* Read PROD before the records it covers, and from memory, not from stale lines. */
	npu_dma_invalidate(mmu->plat, &mmu->evtq, 0, EVTQ_SIZE);

	while (n < (int)NPU_MMU_Q_COUNT && cons != (prod & Q_IDX_WRAP)) {
		const uint8_t *rec = (const uint8_t *)mmu->evtq.cpu +
				     (size_t)(cons & NPU_MMU_Q_IDX) * NPU_MMU_EVTQ_ENTRY_SIZE;
		struct npu_mmu_event ev;

		event_decode(rec, &ev);
		npu_dbg(MMU, "event 0x%02x %s: SSID %u stream %u VA 0x%" PRIx64 " PA 0x%" PRIx64,
			ev.id, drv_mmu_event_name(ev.id), ev.ssid, ev.stream_id, ev.input_va,
			ev.fetch_pa);
		if (cb)
			cb(ctx, &ev);
		cons = q_inc(cons);
		n++;
	}

	/* The device toggles OVFLG when it drops an event; acknowledge by copying it. */
	if ((prod ^ mmu->evtq_cons) & NPU_MMU_EVTQ_PROD_OVFLG) {
		npu_warn(MMU, "event queue overflowed: events were lost");
		mmu->events_lost++;
	}
	mmu->evtq_cons = cons | (prod & NPU_MMU_EVTQ_PROD_OVFLG);
	mmu->events += (uint64_t)n;
	/* The records are read before the device may reuse their slots. */
	npu_dma_wmb();
	REGV_WR32(m, NPU_MMU_EVTQ_CONS_SEC, mmu->evtq_cons);
	return n;
}

uint32_t drv_mmu_handle_gerror(struct npu_mmu *mmu, struct npu_mmio *m)
{
	uint32_t gerror = REGV_RD32(m, NPU_MMU_GERROR);
	uint32_t gerrorn = REGV_RD32(m, NPU_MMU_GERRORN);
	uint32_t active = (gerror ^ gerrorn) & NPU_MMU_GERROR_ERR_MASK;

	(void)mmu;
	if (gerror == NPU_REG_IO_ERROR) {
		npu_err(MMU, "GERROR reads all-ones: device gone");
		return 0;
	}
	if (!active)
		return 0;
	npu_err(MMU, "MMU global error 0x%02x%s%s%s", active,
		(active & NPU_MMU_GERROR_CMDQ) ? " CMDQ" : "",
		(active & NPU_MMU_GERROR_EVTQ_ABT) ? " EVTQ_ABT" : "",
		(active & NPU_MMU_GERROR_PRIQ_ABT) ? " PRIQ_ABT" : "");
	REGV_WR32(m, NPU_MMU_GERRORN, gerror);
	return active;
}

const char *drv_mmu_event_name(uint32_t id)
{
	static const char *const names[] = {
		[NPU_MMU_EVT_F_UUT] = "F_UUT",
		[NPU_MMU_EVT_C_BAD_STREAMID] = "C_BAD_STREAMID",
		[NPU_MMU_EVT_F_STE_FETCH] = "F_STE_FETCH",
		[NPU_MMU_EVT_C_BAD_STE] = "C_BAD_STE",
		[NPU_MMU_EVT_F_BAD_ATS_TREQ] = "F_BAD_ATS_TREQ",
		[NPU_MMU_EVT_F_STREAM_DISABLED] = "F_STREAM_DISABLED",
		[NPU_MMU_EVT_F_TRANSL_FORBIDDEN] = "F_TRANSL_FORBIDDEN",
		[NPU_MMU_EVT_C_BAD_SUBSTREAMID] = "C_BAD_SUBSTREAMID",
		[NPU_MMU_EVT_F_CD_FETCH] = "F_CD_FETCH",
		[NPU_MMU_EVT_C_BAD_CD] = "C_BAD_CD",
		[NPU_MMU_EVT_F_WALK_EABT] = "F_WALK_EABT",
		[NPU_MMU_EVT_F_TRANSLATION] = "F_TRANSLATION",
		[NPU_MMU_EVT_F_ADDR_SIZE] = "F_ADDR_SIZE",
		[NPU_MMU_EVT_F_ACCESS] = "F_ACCESS",
		[NPU_MMU_EVT_F_PERMISSION] = "F_PERMISSION",
		[NPU_MMU_EVT_F_TLB_CONFLICT] = "F_TLB_CONFLICT",
		[NPU_MMU_EVT_F_CFG_CONFLICT] = "F_CFG_CONFLICT",
		[NPU_MMU_EVT_E_PAGE_REQUEST] = "E_PAGE_REQUEST",
		[NPU_MMU_EVT_F_VMS_FETCH] = "F_VMS_FETCH",
	};

	if (id >= sizeof(names) / sizeof(names[0]) || !names[id])
		return "unknown";
	return names[id];
}
