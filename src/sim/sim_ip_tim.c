/* SPDX-License-Identifier: MIT */
/*
 * The simulated IP's timer block and IPC FIFOs (docs/hardware.md §2.3, §2.4, §2.7;
 * docs/firmware-protocol.md §1.4, §1.5, §6.2): two FIFOs of 32-bit NPU addresses, the
 * doorbells, the watchdog registers behind TIM_SAFE, and the free-running
 * 38.4 MHz counter.
 *
 * Host to NPU: a write of CPU_SS_TIM_IPC_FIFO pushes a header address for the
 * firmware; a doorbell write records the doorbell. Both wake the firmware.
 * NPU to host: the firmware pushes with sim_ip_post_to_host; the host pops
 * with reads of HOST_SS_TIM_IPC_FIFO_ATM while FIFO_STAT's fill level is not
 * zero. The IPC interrupt (ICB bit 4) is raised when the FIFO goes from empty
 * to not empty, which is why the host must drain it completely (§2.7). That
 * FIFO lives in struct sim_hostif: the host's reads of it take no lock.
 */
#include <errno.h>

#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "sim/sim_internal.h"
#include "sim/sim_ip_tim.h"
#include "util/log.h"

#define DOORBELL_COUNT 256u

/* Where a generation's CPU_SS timer block sits (it moved on 40xx). */
struct tim_layout {
	uint32_t watchdog, wdog_en, safe, ipc_fifo, gen_config, perf, doorbell0;
};

static const struct tim_layout tim_37xx = {
	.watchdog = NPU_37XX_CPU_SS_TIM_WATCHDOG,
	.wdog_en = NPU_37XX_CPU_SS_TIM_WDOG_EN,
	.safe = NPU_37XX_CPU_SS_TIM_SAFE,
	.ipc_fifo = NPU_37XX_CPU_SS_TIM_IPC_FIFO,
	.gen_config = NPU_37XX_CPU_SS_TIM_GEN_CONFIG,
	.perf = NPU_37XX_CPU_SS_TIM_PERF_FREE_CNT,
	.doorbell0 = NPU_37XX_CPU_SS_DOORBELL_0,
};

static const struct tim_layout tim_40xx = {
	.watchdog = NPU_40XX_CPU_SS_TIM_WATCHDOG,
	.wdog_en = NPU_40XX_CPU_SS_TIM_WDOG_EN,
	.safe = NPU_40XX_CPU_SS_TIM_SAFE,
	.ipc_fifo = NPU_40XX_CPU_SS_TIM_IPC_FIFO,
	.gen_config = NPU_40XX_CPU_SS_TIM_GEN_CONFIG,
	.perf = NPU_40XX_CPU_SS_TIM_PERF_EXT_FREE_CNT,
	.doorbell0 = NPU_40XX_CPU_SS_DOORBELL_0,
};

static const struct tim_layout *tim(const struct npu_sim *s)
{
	return s->gen == NPU_GEN_37XX ? &tim_37xx : &tim_40xx;
}

/* ---- FIFOs ---- */

int sim_fifo_push(struct sim_fifo *f, uint32_t val)
{
	if (f->fill >= SIM_FIFO_DEPTH)
		return -ENOSPC;
	f->slot[f->wr] = val;
	f->wr = (f->wr + 1) % SIM_FIFO_DEPTH;
	f->fill++;
	return 0;
}

int sim_fifo_pop(struct sim_fifo *f, uint32_t *val)
{
	if (f->fill == 0)
		return -ENOENT;
	*val = f->slot[f->rd];
	f->rd = (f->rd + 1) % SIM_FIFO_DEPTH;
	f->fill--;
	return 0;
}

uint32_t sim_host_fifo_fill(const struct npu_sim *s)
{
	uint64_t c = atomic_load_explicit(&s->host.fifo_counts, memory_order_acquire);

	return (uint32_t)(c >> 32) - (uint32_t)c;
}

bool sim_host_fifo_room(struct npu_sim *s)
{
	struct sim_ip *ip = &s->ip;

	if (ip->to_host_wr - ip->to_host_rd_seen < SIM_FIFO_DEPTH)
		return true;
	ip->to_host_rd_seen =
	    (uint32_t)atomic_load_explicit(&s->host.fifo_counts, memory_order_acquire);
	return ip->to_host_wr - ip->to_host_rd_seen < SIM_FIFO_DEPTH;
}

/*
 * The firmware's push, with the lock (the only writer of the entries and of
 * the write count). The entry is written before the count that publishes
 * it; the count's old value says whether the FIFO was empty at that moment,
 * whatever the host popped meanwhile.
 */
int sim_ip_post_to_host(struct npu_sim *s, uint32_t hdr_va)
{
	struct sim_ip *ip = &s->ip;
	uint64_t c;

	if (!sim_host_fifo_room(s)) {
		npu_dbg(SIM, "host IPC FIFO full: message at 0x%x lost", hdr_va);
		return -ENOSPC;
	}
	atomic_store_explicit(&s->host.fifo_slot[ip->to_host_wr % SIM_FIFO_DEPTH], hdr_va,
			      memory_order_relaxed);
	c = atomic_fetch_add_explicit(&s->host.fifo_counts, UINT64_C(1) << 32,
				      memory_order_seq_cst);
	ip->to_host_wr++;
	ip->to_host_rd_seen = (uint32_t)c;
	if ((uint32_t)(c >> 32) == (uint32_t)c)
		sim_icb_raise(s, NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO);
	return 0;
}

/* HOST_SS_TIM_IPC_FIFO_ATM: the oldest entry, taken; -ENOENT when empty. Any thread, no lock. */
int sim_host_fifo_pop(struct npu_sim *s, uint32_t *val)
{
	uint64_t c = atomic_load_explicit(&s->host.fifo_counts, memory_order_acquire);

	for (;;) {
		uint32_t rd = (uint32_t)c, v;

		if ((uint32_t)(c >> 32) == rd)
			return -ENOENT;
		/* Read before the count is taken: a push may reuse the slot after. */
		v = atomic_load_explicit(&s->host.fifo_slot[rd % SIM_FIFO_DEPTH],
					 memory_order_relaxed);
		if (atomic_compare_exchange_weak_explicit(
			&s->host.fifo_counts, &c, (c & ~(uint64_t)UINT32_MAX) | (uint32_t)(rd + 1u),
			memory_order_acq_rel, memory_order_acquire)) {
			*val = v;
			return 0;
		}
	}
}

/*
 * FIFO_STAT: 8-bit pointers and fill level. A full FIFO (256 entries) shows
 * a fill level of 255, not 0, so a host draining "while fill != 0" empties it.
 */
uint32_t sim_host_fifo_stat(const struct npu_sim *s)
{
	uint64_t c = atomic_load_explicit(&s->host.fifo_counts, memory_order_acquire);
	uint32_t rd = (uint32_t)c, wr = (uint32_t)(c >> 32);
	uint32_t fill = wr - rd > 0xFFu ? 0xFFu : wr - rd;

	return npu_field_prep(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_READ_PTR, rd & 0xFFu) |
	       npu_field_prep(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_WRITE_PTR, wr & 0xFFu) |
	       npu_field_prep(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, fill);
}

void sim_host_fifo_reset(struct npu_sim *s)
{
	atomic_store_explicit(&s->host.fifo_counts, 0, memory_order_seq_cst);
}

/* ---- counter ---- */

uint64_t sim_ip_perf_ticks(struct npu_sim *s)
{
	uint64_t ns = sim_now_ns() - s->created_ns;

	/* 38.4 MHz = 48 ticks per 1250 ns; split so the product cannot wrap. */
	return ns / 1250u * 48u + ns % 1250u * 48u / 1250u;
}

/* ---- doorbells ---- */

int sim_tim_doorbell(const struct npu_sim *s, uint64_t off)
{
	uint64_t base = tim(s)->doorbell0;

	if (off < base || off - base >= (uint64_t)DOORBELL_COUNT * NPU_37XX_CPU_SS_DOORBELL_STRIDE)
		return -1;
	if ((off - base) % NPU_37XX_CPU_SS_DOORBELL_STRIDE)
		return -1;
	return (int)((off - base) / NPU_37XX_CPU_SS_DOORBELL_STRIDE);
}

/* ---- registers ---- */

bool sim_tim_read32(struct npu_sim *s, uint64_t off, uint32_t *val)
{
	const struct tim_layout *t = tim(s);

	if (off == NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM) {
		if (sim_host_fifo_pop(s, val) != 0) {
			sim_guest_error(s, "IPC FIFO read while empty");
			*val = 0;
		}
		return true;
	}
	if (off == NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT) {
		*val = sim_host_fifo_stat(s);
		return true;
	}
	if (off == t->watchdog)
		*val = s->ip.tim_watchdog;
	else if (off == t->wdog_en)
		*val = s->ip.tim_wdog_en;
	else if (off == t->gen_config)
		*val = s->ip.tim_gen_config;
	else if (off == t->perf)
		*val = (uint32_t)sim_ip_perf_ticks(s);
	else if (off == t->perf + 4u)
		*val = (uint32_t)(sim_ip_perf_ticks(s) >> 32);
	else if (off == t->safe || sim_tim_doorbell(s, off) >= 0)
		*val = 0; /* TIM_SAFE and the doorbells read as zero */
	else
		return false;
	return true;
}

bool sim_tim_read64(struct npu_sim *s, uint64_t off, uint64_t *val)
{
	if (off != tim(s)->perf)
		return false;
	*val = sim_ip_perf_ticks(s);
	return true;
}

/* The watchdog registers take a write only right after TIM_SAFE was written the unlock value. */
static void tim_locked_write(struct npu_sim *s, bool unlocked, uint32_t *reg, const char *name,
			     uint32_t val)
{
	if (!unlocked) {
		sim_guest_error(s, "%s = 0x%x without the TIM_SAFE unlock: ignored", name, val);
		return;
	}
	*reg = val;
}

bool sim_tim_write32(struct npu_sim *s, uint64_t off, uint32_t val)
{
	const struct tim_layout *t = tim(s);
	bool unlocked = s->ip.tim_safe_unlocked != 0;
	int db;

	if (off == NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM || off == NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT ||
	    off == t->perf || off == t->perf + 4u) {
		sim_guest_error(s, "write of read-only IP offset 0x%llx (0x%x)",
				(unsigned long long)off, val);
		return true;
	}
	if (off == t->ipc_fifo) {
		if (sim_fifo_push(&s->ip.to_fw, val) != 0) {
			sim_guest_error(s, "IPC message 0x%x pushed into a full FIFO: lost", val);
			return true;
		}
		npu_trace(SIM, "IPC message 0x%x for the firmware", val);
		sim_fw_kick(s);
		return true;
	}
	db = sim_tim_doorbell(s, off);
	if (db >= 0) {
		/* npu_sim_write32 rings without the lock; this is the 64-bit write's way. */
		if (val & NPU_37XX_CPU_SS_DOORBELL_SET)
			sim_fw_ring(s, (unsigned)db, true);
		return true;
	}
	if (off != t->safe && off != t->watchdog && off != t->wdog_en && off != t->gen_config)
		return false;

	/* Any write to the timer block uses up an unlock. */
	s->ip.tim_safe_unlocked = 0;
	if (off == t->safe)
		s->ip.tim_safe_unlocked = val == NPU_37XX_CPU_SS_TIM_SAFE_UNLOCK;
	else if (off == t->watchdog)
		tim_locked_write(s, unlocked, &s->ip.tim_watchdog, "TIM_WATCHDOG", val);
	else if (off == t->wdog_en)
		tim_locked_write(s, unlocked, &s->ip.tim_wdog_en, "TIM_WDOG_EN", val);
	else
		s->ip.tim_gen_config = val;
	return true;
}
