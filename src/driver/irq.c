/* SPDX-License-Identifier: MIT */
/*
 * Interrupt service (docs/hardware.md §2.6, docs/firmware-protocol.md §6): with the buttress's
 * GLOBAL_INT_MASK set, the buttress errors first, then the IP's ICB, then the
 * mask is cleared again, which re-sends the interrupt for anything still
 * pending. Nothing here recovers the device: errors that need it set
 * d->need_recovery with a reason, and the job layer acts on that.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "driver/btrs.h"
#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "util/log.h"

static bool is_mtl(const struct npu_device *d)
{
	return d->gen == NPU_GEN_37XX;
}

/* The first reason is kept until the recovery runs; every one is logged. */
static void need_recovery(struct npu_device *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void need_recovery(struct npu_device *d, const char *fmt, ...)
{
	char why[sizeof(d->recovery_reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	npu_err(IRQ, "%s: the device needs a recovery", why);
	if (!d->need_recovery) {
		memcpy(d->recovery_reason, why, sizeof(why));
		d->need_recovery = true;
	}
}

/* ---- buttress (docs/firmware-protocol.md §6.3) ---- */

static uint32_t btrs_mtl_handle(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t stat = REGB_RD32(m, NPU_BTRS_MTL_INTERRUPT_STAT);

	if (stat == NPU_REG_IO_ERROR) {
		need_recovery(d, "buttress INTERRUPT_STAT reads all-ones");
		return NPU_BTRS_MTL_IRQ_MASK;
	}
	stat &= NPU_BTRS_MTL_IRQ_MASK;
	if (!stat)
		return 0;
	if (stat & NPU_BTRS_MTL_INTERRUPT_STAT_ATS_ERR) {
		uint32_t lo = REGB_RD32(m, NPU_BTRS_MTL_ATS_ERR_LOG_0);
		uint32_t hi = REGB_RD32(m, NPU_BTRS_MTL_ATS_ERR_LOG_1);

		REGB_WR32(m, NPU_BTRS_MTL_ATS_ERR_CLEAR, 1);
		need_recovery(d, "buttress ATS error, log 0x%08x%08x", hi, lo);
	}
	if (stat & NPU_BTRS_MTL_INTERRUPT_STAT_UFI_ERR) {
		uint32_t log = REGB_RD32(m, NPU_BTRS_MTL_UFI_ERR_LOG);

		REGB_WR32(m, NPU_BTRS_MTL_UFI_ERR_CLEAR, 1);
		need_recovery(d, "buttress UFI error: cq_id 0x%x axi_id 0x%x opcode 0x%x",
			      npu_field_get(NPU_BTRS_MTL_UFI_ERR_LOG_CQ_ID, log),
			      npu_field_get(NPU_BTRS_MTL_UFI_ERR_LOG_AXI_ID, log),
			      npu_field_get(NPU_BTRS_MTL_UFI_ERR_LOG_OPCODE, log));
	}
	/* Some MTL steppings clear the status by writing 0 (probed at boot). */
	REGB_WR32(m, NPU_BTRS_MTL_INTERRUPT_STAT, d->wa_clear_irq_with_0 ? 0 : stat);
	return stat;
}

/* An LNL error source: its status bit, its log registers and its clear register. */
struct lnl_error {
	uint32_t bit;
	const char *name;
	uint32_t log_lo, log_hi; /* log_hi 0: a single log register */
	uint32_t clear;
};

static const struct lnl_error lnl_errors[] = {
	{ NPU_BTRS_LNL_INTERRUPT_STAT_ATS_ERR, "ATS", NPU_BTRS_LNL_ATS_ERR_LOG1,
	  NPU_BTRS_LNL_ATS_ERR_LOG2, NPU_BTRS_LNL_ATS_ERR_CLEAR },
	{ NPU_BTRS_LNL_INTERRUPT_STAT_CFI0_ERR, "CFI0", NPU_BTRS_LNL_CFI0_ERR_LOG, 0,
	  NPU_BTRS_LNL_CFI0_ERR_CLEAR },
	{ NPU_BTRS_LNL_INTERRUPT_STAT_CFI1_ERR, "CFI1", NPU_BTRS_LNL_CFI1_ERR_LOG, 0,
	  NPU_BTRS_LNL_CFI1_ERR_CLEAR },
	{ NPU_BTRS_LNL_INTERRUPT_STAT_IMR0_ERR, "IMR0", NPU_BTRS_LNL_IMR_ERR_CFI0_LOW,
	  NPU_BTRS_LNL_IMR_ERR_CFI0_HIGH, NPU_BTRS_LNL_IMR_ERR_CFI0_CLEAR },
	{ NPU_BTRS_LNL_INTERRUPT_STAT_IMR1_ERR, "IMR1", NPU_BTRS_LNL_IMR_ERR_CFI1_LOW,
	  NPU_BTRS_LNL_IMR_ERR_CFI1_HIGH, NPU_BTRS_LNL_IMR_ERR_CFI1_CLEAR },
};

static uint32_t btrs_lnl_handle(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t stat = REGB_RD32(m, NPU_BTRS_LNL_INTERRUPT_STAT);

	if (stat == NPU_REG_IO_ERROR) {
		need_recovery(d, "buttress INTERRUPT_STAT reads all-ones");
		return NPU_BTRS_LNL_IRQ_MASK;
	}
	stat &= NPU_BTRS_LNL_IRQ_MASK;
	if (!stat)
		return 0;
	for (size_t i = 0; i < sizeof(lnl_errors) / sizeof(lnl_errors[0]); i++) {
		const struct lnl_error *e = &lnl_errors[i];
		uint32_t lo, hi = 0;

		if (!(stat & e->bit))
			continue;
		lo = REGB_RD32(m, e->log_lo);
		if (e->log_hi)
			hi = REGB_RD32(m, e->log_hi);
		REGB_WR32(m, e->clear, 1);
		need_recovery(d, "buttress %s error, log 0x%08x%08x", e->name, hi, lo);
	}
	if (stat & NPU_BTRS_LNL_INTERRUPT_STAT_SURV_ERR)
		/*
		 * A DCT request from PCODE (docs/firmware-protocol.md §6.3): answered outside
		 * the interrupt service, by drv_device_service (pm.c), as Linux queues its
		 * irq_dct_work.
		 */
		d->dct_pending = true;
	REGB_WR32(m, NPU_BTRS_LNL_INTERRUPT_STAT, stat);
	return stat;
}

/* ---- NPU IP (docs/firmware-protocol.md §6.2) ---- */

static void mmu_event(void *arg, const struct npu_mmu_event *ev)
{
	struct npu_device *d = arg;
	uint32_t ssid = ev->ssid;

	d->mmu_faults++;
	npu_warn(MMU, "MMU event %s (0x%x) in SSID %u at VA 0x%llx", drv_mmu_event_name(ev->id),
		 ev->id, ssid, (unsigned long long)ev->input_va);
	if (ssid == 0) {
		need_recovery(d, "MMU fault %s in the firmware's context at 0x%llx",
			      drv_mmu_event_name(ev->id), (unsigned long long)ev->input_va);
		return;
	}
	/* Context id = SSID - 1, stored at ctx[id - 1] (job.h). */
	if (ssid >= NPU_CTX_SSID_FIRST && ssid < NPU_CTX_SSID_FIRST + NPU_CTX_MAX &&
	    d->ctx[ssid - NPU_CTX_SSID_FIRST]) {
		struct npu_ctx *c = d->ctx[ssid - NPU_CTX_SSID_FIRST];
		uint64_t pte;

		/* What the context's own tables say of that address: unmapped, or its entry. */
		if (drv_mmu_ctx_lookup(&c->mmu, ev->input_va, &pte) == 0)
			npu_warn(MMU, "context %u maps VA 0x%llx: PTE 0x%llx", c->id,
				 (unsigned long long)ev->input_va, (unsigned long long)pte);
		else
			npu_warn(MMU, "context %u has nothing mapped at VA 0x%llx", c->id,
				 (unsigned long long)ev->input_va);
		c->faulted = true;
		return;
	}
	npu_warn(MMU, "MMU event for SSID %u, which no context owns", ssid);
}

/*
 * A faulted context's further translation faults are not recorded (Linux
 * ivpu_mmu_irq_evtq_handler: ivpu_mmu_disable_events on its first event):
 * its jobs are aborted anyway, and a context that keeps faulting would fill
 * the 16-record queue and lose the events of the others.
 */
static void mute_faulted(struct npu_device *d)
{
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		const struct npu_ctx *c = d->ctx[i];

		if (!c || !c->faulted || drv_mmu_events_muted(&d->mmu, c->ssid))
			continue;
		if (drv_mmu_mute_events(&d->mmu, &d->mmio, c->ssid))
			npu_warn(MMU, "context %u: cannot mute its MMU events", c->id);
	}
}

/* docs/firmware-protocol.md §6.2 bit 30: each watchdog write needs a fresh TIM_SAFE unlock. */
static void watchdog_disable(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	bool g37 = is_mtl(d);
	uint32_t safe = g37 ? NPU_37XX_CPU_SS_TIM_SAFE : NPU_40XX_CPU_SS_TIM_SAFE;
	/* NOLINTBEGIN(bugprone-branch-clone): equal values today, but per-generation registers */
	uint32_t unlock = g37 ? NPU_37XX_CPU_SS_TIM_SAFE_UNLOCK : NPU_40XX_CPU_SS_TIM_SAFE_UNLOCK;
	uint32_t wdog_disable =
	    g37 ? NPU_37XX_CPU_SS_TIM_WATCHDOG_DISABLE : NPU_40XX_CPU_SS_TIM_WATCHDOG_DISABLE;
	/* NOLINTEND(bugprone-branch-clone) */

	REGV_WR32(m, safe, unlock);
	REGV_WR32(m, g37 ? NPU_37XX_CPU_SS_TIM_WATCHDOG : NPU_40XX_CPU_SS_TIM_WATCHDOG,
		  wdog_disable);
	REGV_WR32(m, safe, unlock);
	REGV_WR32(m, g37 ? NPU_37XX_CPU_SS_TIM_WDOG_EN : NPU_40XX_CPU_SS_TIM_WDOG_EN, 0);
	if (g37)
		drv_mmio_clr32(m, NPU_PCI_BAR_REGV, NPU_37XX_CPU_SS_TIM_GEN_CONFIG,
			       NPU_37XX_CPU_SS_TIM_GEN_CONFIG_WDOG_TO_INT_CLR);
	else
		drv_mmio_clr32(m, NPU_PCI_BAR_REGV, NPU_40XX_CPU_SS_TIM_GEN_CONFIG,
			       NPU_40XX_CPU_SS_TIM_GEN_CONFIG_WDOG_TO_INT_CLR);
}

/* Same ICB offsets and bits on 37xx and 40xx; s is ICB_STATUS_0 as just read. */
static uint32_t ip_handle(struct npu_device *d, uint32_t s)
{
	struct npu_mmio *m = &d->mmio;

	if (s == NPU_REG_IO_ERROR) {
		need_recovery(d, "ICB_STATUS_0 reads all-ones");
		return 0;
	}
	s &= NPU_37XX_ICB_STATUS_0_HANDLED;
	if (!s)
		return 0;
	REGV_WR32(m, NPU_37XX_HOST_SS_ICB_CLEAR_0, s);

	/* MMU events first: a faulted context is marked before its JOB_DONE is processed. */
	if ((s & NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_0) && d->mmu.enabled) {
		if (drv_mmu_drain_events(&d->mmu, m, mmu_event, d) < 0)
			need_recovery(d, "the MMU event queue cannot be read");
		else
			mute_faulted(d);
	}
	if (s & NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO)
		drv_ipc_drain(d);
	if (s & NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_1)
		npu_dbg(IRQ, "MMU command sync interrupt");
	if ((s & NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_2) && d->mmu.enabled)
		drv_mmu_handle_gerror(&d->mmu, m);
	if (s & NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_0) {
		watchdog_disable(d);
		need_recovery(d, "MSS watchdog expired (firmware hang)");
	}
	if (s & NPU_37XX_HOST_SS_ICB_STATUS_0_CPU_INT_REDIRECT_1)
		need_recovery(d, "NCE watchdog expired (firmware hang)");
	if (s & NPU_37XX_HOST_SS_ICB_STATUS_0_NOC_FIREWALL)
		npu_warn(IRQ, "NoC firewall violation reported by the NPU");
	return s;
}

static uint32_t global_mask_reg(const struct npu_device *d)
{
	return is_mtl(d) ? NPU_BTRS_MTL_GLOBAL_INT_MASK : NPU_BTRS_LNL_GLOBAL_INT_MASK;
}

/*
 * Everything pending, with GLOBAL_INT_MASK set by the caller: the buttress,
 * then the IP's ICB. VPU_STATUS is read only when the buttress had
 * something (Linux reads it first, at every interrupt).
 */
static uint32_t service(struct npu_device *d, uint32_t *btrs_out)
{
	uint32_t btrs = is_mtl(d) ? btrs_mtl_handle(d) : btrs_lnl_handle(d), ip = 0;

	/* Linux leaves the IP alone when the buttress had something and the NPU is idle. */
	if (!btrs || !drv_btrs_idle(d))
		ip = ip_handle(d, REGV_RD32(&d->mmio, NPU_37XX_HOST_SS_ICB_STATUS_0));
	*btrs_out = btrs;
	return ip;
}

uint32_t drv_irq_handle(struct npu_device *d)
{
	uint32_t btrs, ip;

	REGB_WR32(&d->mmio, global_mask_reg(d), NPU_BTRS_MTL_GLOBAL_INT_MASK_OFF);
	ip = service(d, &btrs);
	/* Unmasking re-sends the interrupt if anything is still pending (§2.6 step 4). */
	REGB_WR32(&d->mmio, global_mask_reg(d), NPU_BTRS_MTL_GLOBAL_INT_MASK_ON);
	npu_trace(IRQ, "serviced: buttress 0x%x, ICB 0x%x", btrs, ip);
	return ip;
}

void drv_irq_service_taken(struct npu_device *d)
{
	/* The JOB_DONE's header and message lines are fetched while the registers are read. */
	drv_ipc_prefetch(d);
	drv_irq_handle(d);
}

/* Polls the platform's interrupt fd: 1 when it is readable, 0 when not in time, -EIO. */
static int fd_wait(struct npu_platform *p, uint32_t timeout_us)
{
	uint64_t deadline = npu_now_ns(p) + (uint64_t)timeout_us * 1000u;
	struct pollfd pfd = { .fd = p->ops->irq_fd(p), .events = POLLIN };

	if (pfd.fd < 0)
		return -EIO;
	for (;;) {
		uint64_t now = npu_now_ns(p);
		/* poll() counts milliseconds: round up so we never return before the deadline. */
		int ms = now >= deadline ? 0 : (int)((deadline - now + 999999u) / 1000000u);
		int r = poll(&pfd, 1, ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			npu_err(IRQ, "poll on the interrupt fd failed: %s", strerror(errno));
			return -EIO;
		}
		if (r == 0)
			return 0;
		if (!(pfd.revents & POLLIN)) {
			npu_err(IRQ, "interrupt fd error (revents 0x%x)", (unsigned)pfd.revents);
			return -EIO;
		}
		return 1;
	}
}

int drv_irq_wait(struct npu_device *d, uint32_t timeout_us)
{
	struct npu_platform *p = d->plat;
	int r;

	if (p->ops->irq_wait) {
		r = p->ops->irq_wait(p, timeout_us);
		if (r < 0) {
			npu_err(IRQ, "waiting for the interrupt failed: %s", strerror(-r));
			return -EIO;
		}
	} else {
		r = fd_wait(p, timeout_us);
		if (r < 0)
			return r;
	}
	if (r == 0)
		return -ETIMEDOUT;
	/* The simulated device signals on an edge: acknowledge after servicing. */
	drv_irq_handle(d);
	p->ops->irq_ack(p);
	return 0;
}
