/* SPDX-License-Identifier: MIT */
/*
 * The NPU's MMU, driver side (docs/firmware-protocol.md §5, docs/hardware.md §2.5): the stream
 * table, the context-descriptor table, the command and event queues, and the
 * bring-up sequence. A context's page tables are in mmu_ctx.h.
 *
 * Memory the device reads (tables, queues) is DMA memory from the platform,
 * written through its CPU mapping. Everything the device can write (queue
 * indices, event records) is checked before it is used.
 */
#ifndef NPU_DRIVER_MMU_H
#define NPU_DRIVER_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "driver/mmio.h"
#include "hw/regs_mmu.h"
#include "platform/platform.h"

/* One decoded event record (docs/firmware-protocol.md §5.7). */
struct npu_mmu_event {
	uint32_t id;   /* NPU_MMU_EVT_* (regs_mmu.h) */
	uint32_t ssid; /* context the access was made in */
	uint32_t stream_id;
	uint64_t input_va; /* the NPU virtual address that faulted */
	uint64_t fetch_pa; /* the physical address the MMU was fetching, when it says */
	uint32_t raw[8];   /* the whole record, for dumps */
};

struct npu_mmu {
	struct npu_platform *plat;
	struct npu_dma strtab; /* 4 STEs x 64 B */
	struct npu_dma cdtab;  /* 256 CDs x 64 B, index = SSID */
	struct npu_dma cmdq;   /* 16 x 16 B commands */
	struct npu_dma evtq;   /* 16 x 32 B event records */
	uint32_t cmdq_prod;    /* next slot to fill: 4 index bits + wrap bit */
	uint32_t cmdq_cons;    /* last CONS the device reported */
	uint32_t evtq_cons;    /* next record to read, plus OVACKFLG */
	bool enabled;	       /* drv_mmu_enable() succeeded; cleared by disable */
	uint64_t events;       /* records drained since init */
	uint64_t events_lost;  /* overflows the device reported */
	uint8_t muted[NPU_MMU_CDTAB_ENTRY_COUNT / 8]; /* SSIDs whose events are muted */
};

/*
 * Allocates the stream table, CD table and both queues, and writes the two
 * STEs (stream IDs 0 and 3, identical, pointing at the CD table). Touches no
 * register. Returns 0, or -ENOMEM (nothing left allocated).
 */
int drv_mmu_init(struct npu_mmu *mmu, struct npu_platform *p);
/* Frees what init allocated. The MMU must be disabled (or the device reset). Idempotent. */
void drv_mmu_fini(struct npu_mmu *mmu);

/*
 * The bring-up sequence of docs/firmware-protocol.md §5.2 (Linux ivpu_mmu_enable): CR0 = 0,
 * CR1, stream table, command queue, CMDQEN, CFGI_ALL + TLBI_NSNH_ALL + SYNC,
 * event queue, EVTQEN, ATSCHK, IRQ_CTRL = 0 then GERROR_EN | EVTQ_EN, SMMUEN,
 * then CFGI_ALL + TLBI_NSNH_ALL + SYNC again. Every CR0/IRQ_CTRL write waits
 * for its ACK (10 ms), every command batch for CONS == PROD (100 ms). Run it
 * again after every reset or resume. Returns 0, -ETIMEDOUT (an ACK or the
 * queue did not follow), or -EIO (dead device, or a command-queue error).
 * On failure CR0 is written 0 (best effort) and the MMU stays disabled.
 */
int drv_mmu_enable(struct npu_mmu *mmu, struct npu_mmio *m);
/*
 * Marks the MMU off for the driver (no more invalidation commands) without
 * touching CR0, as Linux ivpu_mmu_disable: the IP reset that must follow
 * resets it. The tables stay.
 */
void drv_mmu_disable(struct npu_mmu *mmu, struct npu_mmio *m);

/*
 * Writes the context descriptor of ssid (docs/firmware-protocol.md §5.3) with its root page
 * table at pgd_dma_addr (4 KiB aligned, below 2^48), then, when enabled,
 * CFGI_ALL + SYNC. m may be NULL while the MMU is disabled. Returns 0,
 * -EINVAL (ssid >= 256 or a bad address), or the queue's error.
 */
int drv_mmu_set_cd(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid, uint64_t pgd_dma_addr);
/*
 * Invalidates the CD of ssid (V first), then, when enabled, CFGI_ALL,
 * TLBI_NH_ASID(ssid) and SYNC, so that a later context on the same SSID sees
 * nothing of this one. Returns 0, -EINVAL, or the queue's error.
 */
int drv_mmu_clear_cd(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid);

/*
 * TLBI_NH_ASID(ssid) + SYNC (ASID = SSID): required after drv_mmu_ctx_map()
 * or _unmap() on a context whose CD is live. Nothing to do (returns 0) while
 * the MMU is disabled. Returns 0, -EINVAL, or the queue's error.
 */
int drv_mmu_tlb_invalidate(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid);

/*
 * Stops recording the translation faults of ssid (its CD's R bit cleared,
 * flushed, CFGI_ALL + SYNC), as Linux ivpu_mmu_irq_evtq_handler does on a
 * context's first fault (ivpu_mmu_disable_events): a context that keeps
 * faulting cannot overflow the 16-record event queue and lose the events of
 * the others. drv_mmu_set_cd turns recording back on. 0, -EINVAL (bad ssid),
 * -ENOENT (no valid CD), or a command queue error.
 */
int drv_mmu_mute_events(struct npu_mmu *mmu, struct npu_mmio *m, uint32_t ssid);
bool drv_mmu_events_muted(const struct npu_mmu *mmu, uint32_t ssid);

/*
 * Drains the event queue (the ICB MMU_IRQ_0 handler): reads EVTQ_PROD at the
 * page-1 alias, decodes each record and passes it to cb (may be NULL), then
 * writes EVTQ_CONS. At most 16 records per call. A PROD that claims more
 * records than the queue holds is not trusted: nothing is consumed and the
 * call returns -EIO, like a dead device (PROD all-ones). Returns the number of
 * records drained. An overflow reported by the device is logged, counted in
 * events_lost and acknowledged.
 */
int drv_mmu_drain_events(struct npu_mmu *mmu, struct npu_mmio *m,
			 void (*cb)(void *ctx, const struct npu_mmu_event *ev), void *ctx);

/*
 * The ICB MMU_IRQ_2 handler: reads GERROR/GERRORN, logs the active errors and
 * acknowledges them (GERRORN := GERROR). Returns the bits that were active.
 */
uint32_t drv_mmu_handle_gerror(struct npu_mmu *mmu, struct npu_mmio *m);

/* "F_TRANSLATION", ...; "unknown" for ids docs/firmware-protocol.md §5.7 does not list. */
const char *drv_mmu_event_name(uint32_t id);

#endif
