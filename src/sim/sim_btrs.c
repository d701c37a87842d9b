/* SPDX-License-Identifier: MIT */
/*
 * The simulated buttress, BAR4 (docs/hardware.md §2.1 MTL, §2.2 LNL): D0i3, the
 * workpoint (PLL) request, VPU_STATUS, IP reset, interrupt status and masks,
 * fuses, telemetry.
 *
 * Work completes asynchronously, as on silicon: D0i3 transitions, workpoint
 * requests and IP resets take a short time, during which their busy bits
 * read 1. The model has no timer; it settles what has become due whenever
 * the buttress is accessed (btrs_tick), judging each completion by the state
 * at the moment it was due.
 *
 * The latencies and fuse values below are the model's, not silicon facts.
 */
#include <errno.h>

#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "sim/sim_internal.h"
#include "sim/sim_jobs.h"
#include "util/log.h"

#define SIM_D0I3_LATENCY_NS	20000u /* INPROGRESS reads 1 this long */
#define SIM_WP_LATENCY_NS	50000u /* SEND to done */
#define SIM_IP_RESET_LATENCY_NS 10000u /* TRIGGER self-clears */

/* Fuses (model values): MTL ratio x 100/3 MHz, LNL ratio x 25 MHz (docs/hardware.md §3.2). */
#define SIM_MTL_FMIN 2u	 /* 67 MHz */
#define SIM_MTL_PN   14u /* 467 MHz */
#define SIM_MTL_FMAX 35u /* 1167 MHz */
#define SIM_LNL_FMIN 8u	 /* 200 MHz */
#define SIM_LNL_PN   56u /* 1400 MHz */
#define SIM_LNL_FMAX 78u /* 1950 MHz */

/* Telemetry window advertised to the firmware (model values). */
#define SIM_TELEMETRY_OFFSET 0x1000u
#define SIM_TELEMETRY_SIZE   0x400u
#define SIM_TELEMETRY_ENABLE 0u

/* The VPU_STATUS bits the model drives (same positions on MTL and LNL for READY/IDLE). */
#define VPU_STATUS_READY NPU_BTRS_LNL_VPU_STATUS_READY
#define VPU_STATUS_IDLE	 NPU_BTRS_LNL_VPU_STATUS_IDLE
#define VPU_STATUS_LNL_ACKS                               \
	(NPU_BTRS_LNL_VPU_STATUS_CLOCK_RESOURCE_OWN_ACK | \
	 NPU_BTRS_LNL_VPU_STATUS_POWER_RESOURCE_OWN_ACK)
#define VPU_STATUS_LNL_HOST \
	(NPU_BTRS_LNL_VPU_STATUS_PERF_CLK | NPU_BTRS_LNL_VPU_STATUS_DISABLE_CLK_RELINQUISH)
#define D0I3_INPROGRESS NPU_BTRS_LNL_D0I3_CONTROL_INPROGRESS /* same bits on MTL */
#define D0I3_I3		NPU_BTRS_LNL_D0I3_CONTROL_I3
#define FREQ_CHANGE	NPU_BTRS_LNL_INTERRUPT_STAT_FREQ_CHANGE

/* The registers of both buttresses, by role; a table per generation maps offsets to them. */
enum btrs_reg {
	R_NONE = 0,
	R_INT_TYPE,
	R_INT_STAT,
	R_LOCAL_MASK,
	R_GLOBAL_MASK,
	R_WP_PAYLOAD0,
	R_WP_PAYLOAD1,
	R_WP_PAYLOAD2,
	R_WP_CMD,
	R_WP_DOWNLOAD,
	R_PLL_RATIO,
	R_PLL_ENABLE,
	R_PLL_STATUS,
	R_FMIN,
	R_FMAX,
	R_TILE_FUSE,
	R_VPU_STATUS,
	R_PLATFORM_ALIAS,
	R_IP_RESET,
	R_D0I3,
	R_TELEMETRY_OFFSET,
	R_TELEMETRY_SIZE,
	R_TELEMETRY_ENABLE,
	R_ERR_LOG,
	R_ERR_CLEAR,
	R_HM_ATS,
	R_PORT_ARB_ATS,
	R_PORT_ARB,
	R_MAILBOX_STATUS,
	R_MAILBOX_SHADOW,
	R_CDYN,
};

struct btrs_map {
	uint32_t off;
	enum btrs_reg reg;
};

static const struct btrs_map mtl_map[] = {
	{ NPU_BTRS_MTL_INTERRUPT_TYPE, R_INT_TYPE },
	{ NPU_BTRS_MTL_INTERRUPT_STAT, R_INT_STAT },
	{ NPU_BTRS_MTL_WP_REQ_PAYLOAD0, R_WP_PAYLOAD0 },
	{ NPU_BTRS_MTL_WP_REQ_PAYLOAD1, R_WP_PAYLOAD1 },
	{ NPU_BTRS_MTL_WP_REQ_PAYLOAD2, R_WP_PAYLOAD2 },
	{ NPU_BTRS_MTL_WP_REQ_CMD, R_WP_CMD },
	{ NPU_BTRS_MTL_WP_DOWNLOAD, R_WP_DOWNLOAD },
	{ NPU_BTRS_MTL_CURRENT_PLL, R_PLL_RATIO },
	{ NPU_BTRS_MTL_PLL_ENABLE, R_PLL_ENABLE },
	{ NPU_BTRS_MTL_FMIN_FUSE, R_FMIN },
	{ NPU_BTRS_MTL_FMAX_FUSE, R_FMAX },
	{ NPU_BTRS_MTL_TILE_FUSE, R_TILE_FUSE },
	{ NPU_BTRS_MTL_LOCAL_INT_MASK, R_LOCAL_MASK },
	{ NPU_BTRS_MTL_GLOBAL_INT_MASK, R_GLOBAL_MASK },
	{ NPU_BTRS_MTL_PLL_STATUS, R_PLL_STATUS },
	{ NPU_BTRS_MTL_VPU_STATUS, R_VPU_STATUS },
	{ NPU_BTRS_MTL_VPU_IP_RESET, R_IP_RESET },
	{ NPU_BTRS_MTL_VPU_D0I3_CONTROL, R_D0I3 },
	{ NPU_BTRS_MTL_VPU_TELEMETRY_OFFSET, R_TELEMETRY_OFFSET },
	{ NPU_BTRS_MTL_VPU_TELEMETRY_SIZE, R_TELEMETRY_SIZE },
	{ NPU_BTRS_MTL_VPU_TELEMETRY_ENABLE, R_TELEMETRY_ENABLE },
	{ NPU_BTRS_MTL_ATS_ERR_LOG_0, R_ERR_LOG },
	{ NPU_BTRS_MTL_ATS_ERR_LOG_1, R_ERR_LOG },
	{ NPU_BTRS_MTL_UFI_ERR_LOG, R_ERR_LOG },
	{ NPU_BTRS_MTL_ATS_ERR_CLEAR, R_ERR_CLEAR },
	{ NPU_BTRS_MTL_UFI_ERR_CLEAR, R_ERR_CLEAR },
	/*
	 * The newest hw.c reads PLATFORM from the LNL VPU_STATUS offset on every
	 * generation (docs/hardware.md §2.2 notes); MTL defines nothing there. Reads 0:
	 * silicon.
	 */
	{ NPU_BTRS_LNL_VPU_STATUS, R_PLATFORM_ALIAS },
};

static const struct btrs_map lnl_map[] = {
	{ NPU_BTRS_LNL_INTERRUPT_STAT, R_INT_STAT },
	{ NPU_BTRS_LNL_LOCAL_INT_MASK, R_LOCAL_MASK },
	{ NPU_BTRS_LNL_GLOBAL_INT_MASK, R_GLOBAL_MASK },
	{ NPU_BTRS_LNL_HM_ATS, R_HM_ATS },
	{ NPU_BTRS_LNL_ATS_ERR_LOG1, R_ERR_LOG },
	{ NPU_BTRS_LNL_ATS_ERR_LOG2, R_ERR_LOG },
	{ NPU_BTRS_LNL_ATS_ERR_CLEAR, R_ERR_CLEAR },
	{ NPU_BTRS_LNL_CFI0_ERR_LOG, R_ERR_LOG },
	{ NPU_BTRS_LNL_CFI0_ERR_CLEAR, R_ERR_CLEAR },
	{ NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS_ATS, R_PORT_ARB_ATS },
	{ NPU_BTRS_LNL_CFI1_ERR_LOG, R_ERR_LOG },
	{ NPU_BTRS_LNL_CFI1_ERR_CLEAR, R_ERR_CLEAR },
	{ NPU_BTRS_LNL_IMR_ERR_CFI0_LOW, R_ERR_LOG },
	{ NPU_BTRS_LNL_IMR_ERR_CFI0_HIGH, R_ERR_LOG },
	{ NPU_BTRS_LNL_IMR_ERR_CFI0_CLEAR, R_ERR_CLEAR },
	{ NPU_BTRS_LNL_PORT_ARBITRATION_WEIGHTS, R_PORT_ARB },
	{ NPU_BTRS_LNL_IMR_ERR_CFI1_LOW, R_ERR_LOG },
	{ NPU_BTRS_LNL_IMR_ERR_CFI1_HIGH, R_ERR_LOG },
	{ NPU_BTRS_LNL_IMR_ERR_CFI1_CLEAR, R_ERR_CLEAR },
	{ NPU_BTRS_LNL_PCODE_MAILBOX_STATUS, R_MAILBOX_STATUS },
	{ NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW, R_MAILBOX_SHADOW },
	{ NPU_BTRS_LNL_WP_REQ_PAYLOAD0, R_WP_PAYLOAD0 },
	{ NPU_BTRS_LNL_WP_REQ_PAYLOAD1, R_WP_PAYLOAD1 },
	{ NPU_BTRS_LNL_WP_REQ_PAYLOAD2, R_WP_PAYLOAD2 },
	{ NPU_BTRS_LNL_WP_REQ_CMD, R_WP_CMD },
	{ NPU_BTRS_LNL_PLL_FREQ, R_PLL_RATIO },
	{ NPU_BTRS_LNL_CDYN, R_CDYN },
	{ NPU_BTRS_LNL_TILE_FUSE, R_TILE_FUSE },
	{ NPU_BTRS_LNL_VPU_STATUS, R_VPU_STATUS },
	{ NPU_BTRS_LNL_IP_RESET, R_IP_RESET },
	{ NPU_BTRS_LNL_D0I3_CONTROL, R_D0I3 },
	{ NPU_BTRS_LNL_VPU_TELEMETRY_OFFSET, R_TELEMETRY_OFFSET },
	{ NPU_BTRS_LNL_VPU_TELEMETRY_SIZE, R_TELEMETRY_SIZE },
	{ NPU_BTRS_LNL_VPU_TELEMETRY_ENABLE, R_TELEMETRY_ENABLE },
	{ NPU_BTRS_LNL_FMIN_FUSE, R_FMIN },
	{ NPU_BTRS_LNL_FMAX_FUSE, R_FMAX },
};

#define MAP_LEN(m) (sizeof(m) / sizeof((m)[0]))

/* The role of a generation's buttress offset; R_NONE when it is no register. */
static enum btrs_reg decode(const struct npu_sim *s, uint64_t off)
{
	const struct btrs_map *map = s->gen == NPU_GEN_37XX ? mtl_map : lnl_map;
	size_t n = s->gen == NPU_GEN_37XX ? MAP_LEN(mtl_map) : MAP_LEN(lnl_map);

	for (size_t i = 0; i < n; i++) {
		if (map[i].off == off)
			return map[i].reg;
	}
	return R_NONE;
}

uint64_t sim_btrs_global_mask_off(const struct npu_sim *s)
{
	return s->gen == NPU_GEN_37XX ? NPU_BTRS_MTL_GLOBAL_INT_MASK : NPU_BTRS_LNL_GLOBAL_INT_MASK;
}

uint64_t sim_btrs_int_stat_off(const struct npu_sim *s)
{
	return s->gen == NPU_GEN_37XX ? NPU_BTRS_MTL_INTERRUPT_STAT : NPU_BTRS_LNL_INTERRUPT_STAT;
}

static bool is_lnl(const struct npu_sim *s)
{
	return s->gen != NPU_GEN_37XX;
}

/* Buttress interrupt sources that exist (docs/hardware.md §2.1, §2.2). */
uint32_t sim_btrs_pending(const struct npu_sim *s)
{
	return s->btrs.int_stat & ~s->btrs.local_mask & (is_lnl(s) ? 0x7Fu : 0x7u);
}

/* Whether INTERRUPT_STAT may be read from its mirror: nothing timed left to settle first. */
static void timed_sync(struct npu_sim *s)
{
	atomic_store_explicit(&s->host.btrs_timed, s->btrs.wp_send || s->btrs.ip_reset,
			      memory_order_seq_cst);
}

void sim_btrs_reset(struct npu_sim *s)
{
	struct sim_btrs *b = &s->btrs;

	*b = (struct sim_btrs){ 0 };
	b->d0i3 = D0I3_I3; /* the device comes up in D0i3 */
	b->local_mask = 0xFFFFFFFFu;
	atomic_store_explicit(&s->host.global_mask, 1u, memory_order_relaxed);
	timed_sync(s);
	if (is_lnl(s)) {
		b->fmin_fuse = SIM_LNL_FMIN | SIM_LNL_PN << 8;
		b->fmax_fuse = SIM_LNL_FMAX;
		b->tile_fuse = NPU_BTRS_LNL_TILE_FUSE_VALID; /* no tile disabled */
	} else {
		b->fmin_fuse = SIM_MTL_FMIN | SIM_MTL_PN << 8;
		b->fmax_fuse = SIM_MTL_FMAX;
		b->tile_fuse = NPU_BTRS_MTL_TILE_FUSE_VALID;
	}
	b->telemetry[0] = SIM_TELEMETRY_OFFSET;
	b->telemetry[1] = SIM_TELEMETRY_SIZE;
	b->telemetry[2] = SIM_TELEMETRY_ENABLE;
}

/* Out of D0i3 at time t: I3 clear and the exit transition over by then. */
static bool in_d0_at(const struct sim_btrs *b, uint64_t t)
{
	return !(b->d0i3 & D0I3_I3) && b->d0i3_busy_ns <= t;
}

static void set_pll(struct npu_sim *s, bool locked, uint32_t ratio)
{
	struct sim_btrs *b = &s->btrs;

	if (b->pll_ratio != ratio) {
		b->int_stat |= FREQ_CHANGE;
		sim_irq_update(s);
	}
	b->pll_locked = locked;
	b->pll_ratio = ratio;
	if (locked)
		b->vpu_status |= VPU_STATUS_READY | (is_lnl(s) ? VPU_STATUS_LNL_ACKS : 0);
	else
		b->vpu_status &= ~(VPU_STATUS_READY | VPU_STATUS_LNL_ACKS);
}

/* The workpoint request became due at b->wp_done_ns (docs/hardware.md §3.2). */
static void wp_complete(struct npu_sim *s)
{
	struct sim_btrs *b = &s->btrs;
	uint32_t target =
	    npu_field_get(NPU_BTRS_MTL_WP_REQ_PAYLOAD1_TARGET_RATIO, b->wp_payload[1]);
	uint32_t epp = npu_field_get(NPU_BTRS_MTL_WP_REQ_PAYLOAD1_EPP, b->wp_payload[1]);
	/*
	 * MTL disables with target ratio 0. LNL always sends the PN ratio and
	 * disables with EPP 0 and CDYN 0 (docs/hardware.md §3.2); the model keys on EPP,
	 * which every LNL driver version sends (CDYN is newer).
	 */
	bool disable = target == 0 || (is_lnl(s) && epp == 0);

	b->wp_send = false;
	if (disable) {
		npu_dbg(SIM, "workpoint request done: disabled");
		set_pll(s, false, 0);
		b->cdyn = 0;
	} else if (!in_d0_at(b, b->wp_done_ns)) {
		/* The buttress takes the request but cannot start the PLL in D0i3. */
		npu_dbg(SIM, "workpoint request (ratio %u) done while in D0i3: PLL not started",
			target);
	} else if (s->fault == NPU_SIM_FAULT_PLL_NO_LOCK) {
		npu_dbg(SIM, "workpoint request (ratio %u) done; fault pll-no-lock: no lock",
			target);
		set_pll(s, false, 0);
	} else {
		npu_dbg(SIM, "workpoint request done: PLL locked at ratio %u", target);
		set_pll(s, true, target);
		if (is_lnl(s))
			b->cdyn =
			    npu_field_get(NPU_BTRS_LNL_WP_REQ_PAYLOAD2_CDYN, b->wp_payload[2]);
	}
}

/* Settles what has become due. */
static void btrs_tick(struct npu_sim *s)
{
	struct sim_btrs *b = &s->btrs;
	uint64_t now;

	if (!b->ip_reset && !b->wp_send)
		return; /* nothing timed in flight: no need for the time */
	now = sim_now_ns();
	if (b->ip_reset && now >= b->ip_reset_done_ns)
		b->ip_reset = false;
	if (b->wp_send && now >= b->wp_done_ns)
		wp_complete(s);
	timed_sync(s); /* after what settled reached the mirrors (sim_irq_update) */
}

bool sim_btrs_ready(struct npu_sim *s)
{
	btrs_tick(s);
	return (s->btrs.vpu_status & VPU_STATUS_READY) && in_d0_at(&s->btrs, sim_now_ns());
}

static uint32_t vpu_status_read(struct npu_sim *s)
{
	uint32_t v = s->btrs.vpu_status;

	/*
	 * docs/hardware.md §3.6: IDLE while the workpoint is granted and no job runs or
	 * waits to (Linux ivpu_hw_is_idle, read before D0i3 entry and power-down).
	 */
	if ((v & VPU_STATUS_READY) && !sim_jobs_busy(s))
		v |= VPU_STATUS_IDLE | (is_lnl(s) ? NPU_BTRS_LNL_VPU_STATUS_DUP_IDLE : 0);
	return v; /* PLATFORM [31:29] = 0: silicon */
}

uint32_t sim_btrs_read32(struct npu_sim *s, uint64_t off)
{
	struct sim_btrs *b = &s->btrs;

	btrs_tick(s);
	switch (decode(s, off)) {
	case R_INT_TYPE:
	case R_PLL_ENABLE:
	case R_ERR_LOG:
	case R_ERR_CLEAR:
	case R_HM_ATS:
	case R_PLATFORM_ALIAS:
		return 0;
	case R_INT_STAT:
		return b->int_stat;
	case R_LOCAL_MASK:
		return b->local_mask;
	case R_GLOBAL_MASK:
		return atomic_load_explicit(&s->host.global_mask, memory_order_relaxed);
	case R_WP_PAYLOAD0:
		return b->wp_payload[0];
	case R_WP_PAYLOAD1:
		return b->wp_payload[1];
	case R_WP_PAYLOAD2:
		return b->wp_payload[2];
	case R_WP_CMD:
		return b->wp_send ? NPU_BTRS_MTL_WP_REQ_CMD_SEND : 0;
	case R_WP_DOWNLOAD:
	case R_PLL_RATIO:
		return b->pll_ratio;
	case R_PLL_STATUS:
		return b->pll_locked ? NPU_BTRS_MTL_PLL_STATUS_LOCK : 0;
	case R_FMIN:
		return b->fmin_fuse;
	case R_FMAX:
		return b->fmax_fuse;
	case R_TILE_FUSE:
		return b->tile_fuse;
	case R_VPU_STATUS:
		return vpu_status_read(s);
	case R_IP_RESET:
		return b->ip_reset ? NPU_BTRS_MTL_VPU_IP_RESET_TRIGGER : 0;
	case R_D0I3:
		return (b->d0i3 & D0I3_I3) | (sim_now_ns() < b->d0i3_busy_ns ? D0I3_INPROGRESS : 0);
	case R_TELEMETRY_OFFSET:
		return b->telemetry[0];
	case R_TELEMETRY_SIZE:
		return b->telemetry[1];
	case R_TELEMETRY_ENABLE:
		return b->telemetry[2];
	case R_PORT_ARB_ATS:
		return b->port_arb[0];
	case R_PORT_ARB:
		return b->port_arb[1];
	case R_MAILBOX_STATUS:
		return b->mailbox[0];
	case R_MAILBOX_SHADOW:
		return b->mailbox[1];
	case R_CDYN:
		return b->cdyn;
	case R_NONE:
		break;
	}
	sim_guest_error(s, "buttress read of unknown offset 0x%llx", (unsigned long long)off);
	return 0xFFFFFFFFu;
}

/*
 * The host's answer to a DCT request (docs/firmware-protocol.md §6.3, Linux ivpu_hw_btrs.c:
 * ivpu_hw_btrs_dct_set_status): CMD DCT_REQ, PARAM1 the request's enable, PARAM2 the
 * active share in U1.7 (round(percent * 128 / 100)); by then the firmware must have been
 * told with DCT_ENABLE (that share of the 35300 us period) or DCT_DISABLE.
 */
static void dct_answer(struct npu_sim *s, uint32_t val)
{
	struct sim_btrs *b = &s->btrs;
	uint32_t cmd = npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_STATUS_CMD, val);
	uint32_t p1 = npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_STATUS_PARAM1, val);
	uint32_t p2 = npu_field_get(NPU_BTRS_LNL_PCODE_MAILBOX_STATUS_PARAM2, val);
	uint32_t period = s->fw.dct_active_us + s->fw.dct_inactive_us;
	uint32_t want_p2 = 0;
	const char *why = NULL;

	if (cmd != NPU_BTRS_LNL_PCODE_CMD_DCT_REQ)
		return;
	if (s->fw.dct_enabled && period)
		want_p2 = (s->fw.dct_active_us * 128u + period / 2) / period;
	if (!b->dct_pending)
		why = "no DCT request is pending";
	else if (p1 !=
		 (b->dct_want ? NPU_BTRS_LNL_PCODE_DCT_ENABLE : NPU_BTRS_LNL_PCODE_DCT_DISABLE))
		why = "PARAM1 is not the request's enable";
	else if (s->fw.dct_enabled != b->dct_want)
		why = "the firmware was not told (DCT_ENABLE / DCT_DISABLE) before the answer";
	else if (b->dct_want && period != NPU_BTRS_LNL_DCT_PERIOD_US)
		why = "the firmware's cycle is not the 35300 us period";
	else if (p2 != want_p2)
		why = "PARAM2 is not the active share in U1.7";
	if (why) {
		b->dct_answers_bad++;
		sim_guest_error(s, "DCT answer 0x%08x: %s", val, why);
		return;
	}
	b->dct_pending = false;
	b->dct_answers_ok++;
}

int npu_sim_dct_request(struct npu_sim *s, bool enable)
{
	struct sim_btrs *b = &s->btrs;

	if (!is_lnl(s))
		return -EOPNOTSUPP;
	sim_host_lock(s);
	b->mailbox[1] =
	    npu_field_prep(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_CMD, NPU_BTRS_LNL_PCODE_CMD_DCT_REQ) |
	    npu_field_prep(NPU_BTRS_LNL_PCODE_MAILBOX_SHADOW_PARAM1,
			   enable ? NPU_BTRS_LNL_PCODE_DCT_ENABLE : NPU_BTRS_LNL_PCODE_DCT_DISABLE);
	b->dct_pending = true;
	b->dct_want = enable;
	b->int_stat |= NPU_BTRS_LNL_INTERRUPT_STAT_SURV_ERR;
	sim_irq_update(s);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static void d0i3_write(struct npu_sim *s, uint32_t val)
{
	struct sim_btrs *b = &s->btrs;
	uint64_t now = sim_now_ns();
	uint32_t i3 = val & D0I3_I3;

	if (now < b->d0i3_busy_ns) {
		sim_guest_error(s, "D0I3_CONTROL written (0x%x) while a transition is in progress",
				val);
		return;
	}
	if (i3 == (b->d0i3 & D0I3_I3))
		return;
	b->d0i3 = i3;
	b->d0i3_busy_ns = now + SIM_D0I3_LATENCY_NS;
	npu_dbg(SIM, "D0i3 %s", i3 ? "entry" : "exit");
	if (i3) {
		/* D0i3 gates the PLL and the IP's power: what was running is lost. */
		if (b->pll_locked || (b->vpu_status & VPU_STATUS_READY))
			npu_dbg(SIM, "D0i3 entered with the workpoint still granted");
		set_pll(s, false, 0);
		b->cdyn = 0;
		sim_ip_reset(s);
		sim_mmu_reset(s);
	}
}

static void wp_cmd_write(struct npu_sim *s, uint32_t val)
{
	struct sim_btrs *b = &s->btrs;

	if (!(val & NPU_BTRS_MTL_WP_REQ_CMD_SEND))
		return;
	if (b->wp_send) {
		sim_guest_error(s, "workpoint SEND while a request is pending: ignored");
		return;
	}
	b->wp_send = true;
	b->wp_done_ns = sim_now_ns() + SIM_WP_LATENCY_NS;
	timed_sync(s);
	npu_dbg(SIM, "workpoint request: payload 0x%x 0x%x 0x%x", b->wp_payload[0],
		b->wp_payload[1], b->wp_payload[2]);
}

static void ip_reset_write(struct npu_sim *s, uint32_t val)
{
	struct sim_btrs *b = &s->btrs;

	if (!(val & NPU_BTRS_MTL_VPU_IP_RESET_TRIGGER))
		return;
	if (b->ip_reset) {
		sim_guest_error(s, "IP reset triggered while one is in progress: ignored");
		return;
	}
	b->ip_reset = true;
	b->ip_reset_done_ns = sim_now_ns() + SIM_IP_RESET_LATENCY_NS;
	timed_sync(s);
	npu_dbg(SIM, "IP reset");
	sim_ip_reset(s); /* stops the firmware too */
	sim_mmu_reset(s);
}

void sim_btrs_write32(struct npu_sim *s, uint64_t off, uint32_t val)
{
	struct sim_btrs *b = &s->btrs;
	enum btrs_reg reg = decode(s, off);

	btrs_tick(s);
	switch (reg) {
	case R_INT_STAT:
		/* Write-1-to-clear; so the driver's write-0 probe finds no workaround needed. */
		b->wa_stat = val;
		b->int_stat &= ~val;
		sim_irq_update(s);
		return;
	case R_LOCAL_MASK:
		b->local_mask = val;
		sim_irq_update(s);
		return;
	case R_GLOBAL_MASK:
		/*
		 * A set mask lowers the line; clearing it re-sends the interrupt for
		 * anything pending, however the mask was set. The 64-bit write's way:
		 * 32-bit writes are taken without the lock (sim_hostif.c).
		 */
		if (atomic_exchange_explicit(&s->host.global_mask, val, memory_order_seq_cst) & 1u)
			sim_irq_resend(s);
		else
			sim_irq_update(s);
		return;
	case R_WP_PAYLOAD0:
	case R_WP_PAYLOAD1:
	case R_WP_PAYLOAD2:
		b->wp_payload[reg - R_WP_PAYLOAD0] = val;
		return;
	case R_WP_CMD:
		wp_cmd_write(s, val);
		return;
	case R_D0I3:
		d0i3_write(s, val);
		return;
	case R_IP_RESET:
		ip_reset_write(s, val);
		return;
	case R_VPU_STATUS:
		if (is_lnl(s)) {
			b->vpu_status =
			    (b->vpu_status & ~VPU_STATUS_LNL_HOST) | (val & VPU_STATUS_LNL_HOST);
			return;
		}
		break;
	case R_ERR_CLEAR:
	case R_PLL_ENABLE:
		return; /* no error log is ever latched by the model */
	case R_PORT_ARB_ATS:
		b->port_arb[0] = val;
		return;
	case R_PORT_ARB:
		b->port_arb[1] = val;
		return;
	case R_MAILBOX_STATUS:
		b->mailbox[0] = val;
		dct_answer(s, val);
		return;
	case R_CDYN:
		b->cdyn = val & NPU_BTRS_LNL_CDYN_CDYN;
		return;
	case R_NONE:
		sim_guest_error(s, "buttress write of unknown offset 0x%llx (0x%x)",
				(unsigned long long)off, val);
		return;
	default:
		break;
	}
	sim_guest_error(s, "buttress write of read-only offset 0x%llx (0x%x)",
			(unsigned long long)off, val);
}
