/* SPDX-License-Identifier: MIT */
/*
 * The register accesses a host makes for every job, answered without the
 * model's lock, as silicon answers its bus while its firmware works. A host
 * submitting a job and taking its completion makes only these:
 *
 *   doorbell write                 the submission (sim_fw_ring)
 *   GLOBAL_INT_MASK write          set before its service or polling, cleared after
 *   ICB_STATUS_0 read              what a polling host reads over and over
 *   buttress INTERRUPT_STAT read   its service's first look (the lock when a
 *                                  timed buttress event may have become due)
 *   ICB_CLEAR_0 write              the sources it saw, acknowledged
 *   HOST_SS_TIM_IPC_FIFO_STAT and HOST_SS_TIM_IPC_FIFO_ATM reads
 *                                  the NPU-to-host FIFO drained
 *
 * so the firmware's work under the lock (a log record, the next queue) never
 * holds up a host taking a completion. Everything else takes the lock.
 *
 * Why no interrupt is lost. The line is raised by sim_irq_update, under the
 * lock, which reads ICB_STATUS and GLOBAL_INT_MASK after whatever raised a
 * source. A host clearing the mask here reads the sources after its write:
 * of two sequentially consistent write-then-read pairs, one sees the other,
 * so either the firmware sees the mask clear and signals, or the host sees
 * the source and signals under the lock (both may: a spurious interrupt,
 * which a service finds nothing in). A source cleared here leaves the line
 * (host.msi) as it was; a line left high only ever means a signal not yet
 * acknowledged (npu_sim_irq_ack lowers it and looks at the sources after),
 * so the host still wakes for anything raised after.
 */
#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "sim/sim_internal.h"

#define ALL_ONES 0xFFFFFFFFu

static bool dead(const struct npu_sim *s)
{
	return s->fault == NPU_SIM_FAULT_DEAD_MMIO;
}

bool sim_hostif_read32(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t *val)
{
	if (bar == NPU_PCI_BAR_REGB) {
		if (off != sim_btrs_int_stat_off(s) ||
		    atomic_load_explicit(&s->host.btrs_timed, memory_order_seq_cst))
			return false;
		*val = dead(s) ? ALL_ONES
			       : atomic_load_explicit(&s->host.btrs_stat, memory_order_seq_cst);
		return true;
	}
	if (bar != NPU_PCI_BAR_REGV)
		return false;
	switch (off) {
	case NPU_37XX_HOST_SS_ICB_STATUS_0:
		/* Everything the NPU wrote before it raised a bit is visible after. */
		*val = (uint32_t)atomic_load_explicit(&s->host.icb_status, memory_order_acquire);
		break;
	case NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT:
		*val = sim_host_fifo_stat(s);
		break;
	case NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM:
		/* Empty: the locked path reads it again and counts the guest error. */
		if (!dead(s) && sim_host_fifo_pop(s, val) != 0)
			return false;
		break;
	default:
		return false;
	}
	if (dead(s))
		*val = ALL_ONES;
	return true;
}

/* Sources that would raise the line once the global mask is clear, read without the lock. */
static bool pending(const struct npu_sim *s)
{
	uint64_t icb = atomic_load_explicit(&s->host.icb_status, memory_order_seq_cst);

	return (icb & atomic_load_explicit(&s->host.icb_enable, memory_order_seq_cst)) != 0 ||
	       atomic_load_explicit(&s->host.btrs_pending, memory_order_seq_cst) != 0;
}

bool sim_hostif_irq_due(const struct npu_sim *s)
{
	return !(atomic_load_explicit(&s->host.global_mask, memory_order_seq_cst) & 1u) &&
	       pending(s);
}

static void global_mask_write(struct npu_sim *s, uint32_t val)
{
	/* Set: the line is gated from here on (sim_irq_update reads the mask). */
	if (atomic_exchange_explicit(&s->host.global_mask, val, memory_order_seq_cst) == val ||
	    (val & 1u) || !pending(s))
		return;
	/* Cleared with something pending: re-sent, as the silicon re-sends its MSI (§2.6). */
	sim_host_lock(s);
	if (!(atomic_load_explicit(&s->host.global_mask, memory_order_relaxed) & 1u))
		sim_irq_resend(s);
	pthread_mutex_unlock(&s->lock);
}

bool sim_hostif_write32(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t val)
{
	int db;

	if (bar == NPU_PCI_BAR_REGB) {
		if (off != sim_btrs_global_mask_off(s))
			return false;
		if (!dead(s)) /* a dead device drops writes as it fails reads */
			global_mask_write(s, val);
		return true;
	}
	if (bar != NPU_PCI_BAR_REGV)
		return false;
	if (off == NPU_37XX_HOST_SS_ICB_CLEAR_0) {
		if (!dead(s))
			sim_icb_clear(s, val);
		return true;
	}
	/* A doorbell: its bit and the firmware's kick need no other state. */
	db = sim_tim_doorbell(s, off);
	if (db < 0)
		return false;
	if (!dead(s) && (val & NPU_37XX_CPU_SS_DOORBELL_SET))
		sim_fw_ring(s, (unsigned)db, false);
	return true;
}
