/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU IP, BAR0 outside the MMU window (docs/hardware.md §2.3 37xx,
 * §2.4 40xx): clocks and resets, the power island of the control CPU, the
 * NoC handshakes, the interrupt block (ICB), the snoop and SSID settings, and
 * the CPU start registers. The timer block, IPC FIFOs and doorbells are in
 * sim_ip_tim.c.
 *
 * The model holds the driver to the power-up order of §3.3 and §3.4: the
 * island comes on only after its trickle enable, the NoCs accept only once
 * what they connect is powered, clocked, out of reset and out of isolation,
 * and the CPU starts only when all of that was done. A step skipped is a
 * guest error, and the boot then times out as it would on silicon.
 */
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "sim/sim_internal.h"
#include "sim/sim_ip_tim.h"
#include "util/log.h"

/* Names shared by both generations (same offsets and bits, docs/hardware.md §2.4). */
#define CPR_MASK      NPU_37XX_HOST_SS_CPR_MASK /* TOP_NOC | DSS_MAS | MSS/CSS_MAS */
#define PWR_CPU	      NPU_37XX_AON_PWR_MSS_CPU	/* CSS_CPU on 40xx */
#define HOST_NOC_BIT  NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO
#define ICB_STATUS_1  NPU_37XX_HOST_SS_ICB_STATUS_1
#define ICB_CLEAR_1   NPU_37XX_HOST_SS_ICB_CLEAR_1
#define ICB_ENABLE_1  NPU_37XX_HOST_SS_ICB_ENABLE_1
#define ICB_HALF_MASK 0xFFFFFFFFull

/* Minimum time from TRICKLE_EN0 to ISLAND_EN0 (docs/hardware.md §3.3 step 8, §5). */
#define TRICKLE_TO_ISLAND_NS 500u

/* Plausible HW_VERSION (model values): VPU_GENERATION 0x37 / 0x40, SOC_REVISION 4. */
#define HW_VERSION_37XX 0x00370004u
#define HW_VERSION_40XX 0x00400004u

static bool is_40xx(const struct npu_sim *s)
{
	return s->gen != NPU_GEN_37XX;
}

void sim_ip_reset(struct npu_sim *s)
{
	/* Island off, isolated, clocks off, resets asserted, FIFOs empty, ICB cleared. */
	s->ip = (struct sim_ip){ 0 };
	atomic_store_explicit(&s->host.icb_status, 0, memory_order_seq_cst);
	sim_host_fifo_reset(s);
	s->ip.pwr_iso = PWR_CPU;
	s->ip.aon_reset = true;
	sim_fw_stop(s);
	sim_irq_update(s);
}

/* ---- power, NoC and CPU preconditions ---- */

static uint32_t top_noc_bits(const struct npu_sim *s)
{
	return NPU_37XX_TOP_NOC_CPU_CTRL |
	       (is_40xx(s) ? NPU_40XX_TOP_NOC_HOSTIF_L2CACHE : NPU_37XX_TOP_NOC_HOSTIF_L2CACHE);
}

/* The power domain enable of §3.3 step 8 is complete; the reason it is not otherwise. */
static bool power_domain_on(struct npu_sim *s, const char **why)
{
	const char *w = NULL;

	if (!sim_btrs_ready(s))
		w = "the buttress has not granted a workpoint, or the NPU is in D0i3";
	else if (!(s->ip.island_status & PWR_CPU))
		w = "the power island is off";
	else if ((s->ip.cpr_clk & CPR_MASK) != CPR_MASK)
		w = "the clocks are not enabled";
	else if (s->ip.pwr_iso & PWR_CPU)
		w = "the island is still isolated";
	else if ((s->ip.cpr_rst & CPR_MASK) != CPR_MASK)
		w = "the resets are not released";
	if (why)
		*why = w;
	return w == NULL;
}

static bool host_noc_ok(struct npu_sim *s)
{
	return power_domain_on(s, NULL);
}

static bool host_noc_accepted(struct npu_sim *s)
{
	return (s->ip.host_noc_qreqn & HOST_NOC_BIT) && host_noc_ok(s);
}

/* TOP NoC: only after the host NoC accepted (§3.3 steps 9 and 11). */
static uint32_t top_noc_accept(struct npu_sim *s)
{
	return host_noc_accepted(s) ? s->ip.top_noc_qreqn & top_noc_bits(s) : 0;
}

static bool top_noc_accepted(struct npu_sim *s)
{
	return top_noc_accept(s) == top_noc_bits(s);
}

/* 40xx CPU NoC: only after the TOP NoC accepted (§3.4 step 4). */
static bool cpu_noc_accepted(struct npu_sim *s)
{
	return (s->ip.cpu_noc_qreqn & NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO) && top_noc_accepted(s);
}

bool sim_ip_cpu_can_run(struct npu_sim *s, const char **why)
{
	const char *w = NULL;

	if (!power_domain_on(s, &w))
		goto out;
	if (!host_noc_accepted(s))
		w = "the host NoC has not accepted (HOST_SS_NOC_QREQN)";
	else if (!top_noc_accepted(s))
		w = "the TOP NoC has not accepted CPU_CTRL and L2CACHE";
	else if (!is_40xx(s) &&
		 !(s->ip.leon_rt_vec & NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RSTRUN0))
		w = "LEON_RT_VEC.IRQI_RSTRUN0 is not set";
	else if (!is_40xx(s) && !s->ip.resume0_seen)
		w = "LEON_RT_VEC.IRQI_RESUME0 was not pulsed";
	else if (is_40xx(s) && !cpu_noc_accepted(s))
		w = "the CPU NoC has not accepted (CPU_SS_CPR_NOC_QREQN)";
out:
	if (why)
		*why = w;
	return w == NULL;
}

static void cpu_start(struct npu_sim *s, uint64_t entry, const char *reg)
{
	const char *why;

	if (s->fw.start_pending || s->fw.state != SIM_FW_OFF) {
		sim_guest_error(s, "%s: CPU start at 0x%llx while the CPU runs: ignored", reg,
				(unsigned long long)entry);
		return;
	}
	if (!sim_ip_cpu_can_run(s, &why)) {
		sim_guest_error(s, "%s: CPU start at 0x%llx refused: %s", reg,
				(unsigned long long)entry, why);
		return;
	}
	npu_dbg(SIM, "CPU started at 0x%llx (%s)", (unsigned long long)entry, reg);
	sim_fw_start(s, entry);
}

/* ---- power island ---- */

static void island_en_write(struct npu_sim *s, uint32_t val)
{
	struct sim_ip *ip = &s->ip;
	uint64_t now = sim_now_ns();

	ip->island_en = val;
	if (!(val & PWR_CPU)) {
		if (ip->island_status & PWR_CPU) {
			npu_dbg(SIM, "power island off");
			sim_fw_stop(s);
		}
		ip->island_status &= ~PWR_CPU;
		return;
	}
	if (ip->island_status & PWR_CPU)
		return;
	if (!(ip->trickle_en & PWR_CPU))
		sim_guest_error(s, "power island enabled without TRICKLE_EN0: stays off");
	else if (now - ip->trickle_ns < TRICKLE_TO_ISLAND_NS)
		sim_guest_error(
		    s, "power island enabled %llu ns after TRICKLE_EN0 (needs %u): stays off",
		    (unsigned long long)(now - ip->trickle_ns), TRICKLE_TO_ISLAND_NS);
	else if (!sim_btrs_ready(s))
		sim_guest_error(s, "power island enabled without a workpoint: stays off");
	else
		ip->island_status |= PWR_CPU;
}

static void trickle_write(struct npu_sim *s, uint32_t val)
{
	if ((val & PWR_CPU) && !(s->ip.trickle_en & PWR_CPU))
		s->ip.trickle_ns = sim_now_ns();
	s->ip.trickle_en = val;
}

/* 37xx LEON_RT_VEC: RSTRUN0 set, then RESUME0 set and cleared (docs/hardware.md §3.4 step 3). */
static void leon_rt_vec_write(struct npu_sim *s, uint32_t val)
{
	uint32_t prev = s->ip.leon_rt_vec;

	if ((prev & NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RESUME0) &&
	    !(val & NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RESUME0) &&
	    (val & NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RSTRUN0))
		s->ip.resume0_seen = true;
	s->ip.leon_rt_vec = val;
}

static void verif_addr_write(struct npu_sim *s, uint64_t val)
{
	s->ip.verif_addr = val;
	/* 40xx: the full byte address, << 3, with DONE in bit 0 (docs/hardware.md §3.4 step 4). */
	if (val & NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO_DONE)
		cpu_start(s, (val & ~(uint64_t)0x7) >> NPU_40XX_VERIFICATION_ADDRESS_SHIFT,
			  "VERIFICATION_ADDRESS");
}

/* ---- register access ---- */

static uint32_t noc_deny(uint32_t qreqn, uint32_t accept)
{
	return qreqn & ~accept;
}

uint32_t sim_ip_read32(struct npu_sim *s, uint64_t off)
{
	struct sim_ip *ip = &s->ip;
	uint32_t v;

	switch (off) {
	case NPU_40XX_HOST_SS_CPR_CLK_EN:
		if (!is_40xx(s))
			break;
		return ip->cpr_clk;
	case NPU_37XX_HOST_SS_CPR_CLK_SET:
		return ip->cpr_clk;
	case NPU_40XX_HOST_SS_CPR_RST_EN:
		if (!is_40xx(s))
			break;
		return ip->cpr_rst;
	case NPU_37XX_HOST_SS_CPR_RST_SET:
		return ip->cpr_rst;
	case NPU_37XX_HOST_SS_CPR_RST_CLR:
		/* Reads the resets held; 37xx AON: held until the buttress is ready ("IP BAR"). */
		v = CPR_MASK & ~ip->cpr_rst;
		if (!is_40xx(s)) {
			ip->aon_reset = !sim_btrs_ready(s);
			v |= ip->aon_reset ? NPU_37XX_HOST_SS_CPR_RST_CLR_AON : 0;
		}
		return v;
	case NPU_37XX_HOST_SS_HW_VERSION:
		return is_40xx(s) ? HW_VERSION_40XX : HW_VERSION_37XX;
	case NPU_40XX_HOST_SS_SW_VERSION:
		if (!is_40xx(s))
			break;
		return 0;
	case NPU_37XX_HOST_SS_GEN_CTRL:
		return 0; /* PS = 0: silicon */
	case NPU_37XX_HOST_SS_NOC_QREQN:
		return ip->host_noc_qreqn;
	case NPU_37XX_HOST_SS_NOC_QACCEPTN:
		return host_noc_accepted(s) ? HOST_NOC_BIT : 0;
	case NPU_37XX_HOST_SS_NOC_QDENY:
		return noc_deny(ip->host_noc_qreqn & HOST_NOC_BIT,
				host_noc_accepted(s) ? HOST_NOC_BIT : 0);
	case NPU_37XX_TOP_NOC_QREQN:
		return ip->top_noc_qreqn;
	case NPU_37XX_TOP_NOC_QACCEPTN:
		return top_noc_accept(s);
	case NPU_37XX_TOP_NOC_QDENY:
		return noc_deny(ip->top_noc_qreqn & top_noc_bits(s), top_noc_accept(s));
	case NPU_37XX_HOST_SS_FW_SOC_IRQ_EN:
		return ip->fw_soc_irq_en;
	case NPU_37XX_HOST_SS_ICB_STATUS_0:
		return (uint32_t)atomic_load(&s->host.icb_status);
	case ICB_STATUS_1:
		return (uint32_t)(atomic_load(&s->host.icb_status) >> 32);
	case NPU_37XX_HOST_SS_ICB_CLEAR_0:
	case ICB_CLEAR_1:
		return 0;
	case NPU_37XX_HOST_SS_ICB_ENABLE_0:
		return (uint32_t)ip->icb_enable;
	case ICB_ENABLE_1:
		return (uint32_t)(ip->icb_enable >> 32);
	case NPU_37XX_AON_PWR_ISO_EN0:
		return ip->pwr_iso;
	case NPU_37XX_AON_PWR_ISLAND_EN0:
		return ip->island_en;
	case NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0:
		return ip->trickle_en;
	case NPU_37XX_AON_PWR_ISLAND_STATUS0:
		return ip->island_status;
	case NPU_37XX_AON_VPU_IDLE_GEN:
		return ip->idle_gen;
	case NPU_37XX_AON_DPU_ACTIVE:
		if (is_40xx(s))
			break;
		return ip->dpu_active;
	case NPU_37XX_HOST_SS_LOADING_ADDRESS_LO:
		if (is_40xx(s))
			break;
		return ip->loading_addr;
	case NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO:
		if (!is_40xx(s))
			break;
		return (uint32_t)ip->verif_addr;
	case NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_HI:
		if (!is_40xx(s))
			break;
		return (uint32_t)(ip->verif_addr >> 32);
	case NPU_37XX_HOST_SS_WORKPOINT_CONFIG_MIRROR:
		if (!s->btrs.pll_locked)
			return 0;
		return npu_field_prep(NPU_37XX_HOST_SS_WORKPOINT_CONFIG_MIRROR_FINAL_PLL_FREQ,
				      s->btrs.pll_ratio) |
		       npu_field_prep(NPU_37XX_HOST_SS_WORKPOINT_CONFIG_MIRROR_CONFIG_ID,
				      s->btrs.wp_payload[2]);
	case NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES:
		return ip->tcu_ptw_overrides;
	case NPU_37XX_HOST_IF_TBU_MMUSSIDV:
		return ip->tbu_mmussidv;
	case NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC:
		if (is_40xx(s))
			break;
		return ip->leon_rt_vec;
	case NPU_40XX_CPU_SS_CPR_NOC_QREQN:
		if (!is_40xx(s))
			break;
		return ip->cpu_noc_qreqn;
	case NPU_40XX_CPU_SS_CPR_NOC_QACCEPTN:
		if (!is_40xx(s))
			break;
		return cpu_noc_accepted(s) ? NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO : 0;
	case NPU_40XX_CPU_SS_CPR_NOC_QDENY:
		if (!is_40xx(s))
			break;
		return noc_deny(ip->cpu_noc_qreqn & NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO,
				cpu_noc_accepted(s) ? NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO : 0);
	case NPU_37XX_CPU_SS_DSU_LEON_RT_DSU_CTRL:
	case NPU_37XX_CPU_SS_DSU_LEON_RT_PC_REG:
	case NPU_37XX_CPU_SS_DSU_LEON_RT_NPC_REG:
	case NPU_37XX_CPU_SS_DSU_LEON_RT_TRAP_REG:
		return 0; /* the debug unit is not modelled */
	default:
		if (sim_tim_read32(s, off, &v))
			return v;
		break;
	}
	sim_guest_error(s, "IP read of unknown offset 0x%llx", (unsigned long long)off);
	return 0xFFFFFFFFu;
}

/* ICB_CLEAR: write 1 to clear (32-bit ICB_CLEAR_0 writes come without the lock: sim_hostif.c). */
static void icb_clear(struct npu_sim *s, uint64_t val, uint64_t mask)
{
	sim_icb_clear(s, val & mask);
	sim_irq_update(s);
}

static void icb_enable(struct npu_sim *s, uint64_t val, uint64_t mask)
{
	s->ip.icb_enable = (s->ip.icb_enable & ~mask) | (val & mask);
	sim_irq_update(s);
}

void sim_ip_write32(struct npu_sim *s, uint64_t off, uint32_t val)
{
	struct sim_ip *ip = &s->ip;

	switch (off) {
	case NPU_40XX_HOST_SS_CPR_CLK_EN:
		if (!is_40xx(s))
			break;
		ip->cpr_clk = val;
		return;
	case NPU_37XX_HOST_SS_CPR_CLK_SET:
		ip->cpr_clk |= val;
		return;
	case NPU_40XX_HOST_SS_CPR_RST_EN:
		if (!is_40xx(s))
			break;
		ip->cpr_rst = val;
		return;
	case NPU_37XX_HOST_SS_CPR_RST_SET:
		ip->cpr_rst |= val;
		return;
	case NPU_37XX_HOST_SS_CPR_RST_CLR:
		ip->cpr_rst &= ~val; /* asserts the resets named (docs/hardware.md §7: inferred) */
		return;
	case NPU_37XX_HOST_SS_NOC_QREQN:
		ip->host_noc_qreqn = val;
		return;
	case NPU_37XX_TOP_NOC_QREQN:
		ip->top_noc_qreqn = val;
		return;
	case NPU_37XX_HOST_SS_FW_SOC_IRQ_EN:
		ip->fw_soc_irq_en = val;
		return;
	case NPU_37XX_HOST_SS_ICB_CLEAR_0:
		icb_clear(s, val, ICB_HALF_MASK);
		return;
	case ICB_CLEAR_1:
		icb_clear(s, (uint64_t)val << 32, ICB_HALF_MASK << 32);
		return;
	case NPU_37XX_HOST_SS_ICB_ENABLE_0:
		icb_enable(s, val, ICB_HALF_MASK);
		return;
	case ICB_ENABLE_1:
		icb_enable(s, (uint64_t)val << 32, ICB_HALF_MASK << 32);
		return;
	case NPU_37XX_AON_PWR_ISO_EN0:
		ip->pwr_iso = val;
		return;
	case NPU_37XX_AON_PWR_ISLAND_EN0:
		island_en_write(s, val);
		return;
	case NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0:
		trickle_write(s, val);
		return;
	case NPU_37XX_AON_VPU_IDLE_GEN:
		ip->idle_gen = val;
		return;
	case NPU_37XX_AON_DPU_ACTIVE:
		if (is_40xx(s))
			break;
		ip->dpu_active = val;
		return;
	case NPU_37XX_HOST_SS_LOADING_ADDRESS_LO:
		if (is_40xx(s))
			break;
		ip->loading_addr = val;
		/* 37xx: entry >> 9 with DONE in bit 0 (docs/hardware.md §3.4 step 3). */
		if (val & NPU_37XX_HOST_SS_LOADING_ADDRESS_LO_DONE)
			cpu_start(s, (uint64_t)(val & ~0x7u) << NPU_37XX_LOADING_ADDRESS_SHIFT,
				  "LOADING_ADDRESS");
		return;
	case NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO:
		if (!is_40xx(s))
			break;
		verif_addr_write(s, (ip->verif_addr & ~ICB_HALF_MASK) | val);
		return;
	case NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_HI:
		if (!is_40xx(s))
			break;
		ip->verif_addr = (ip->verif_addr & ICB_HALF_MASK) | (uint64_t)val << 32;
		return;
	case NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES:
		ip->tcu_ptw_overrides = val;
		return;
	case NPU_37XX_HOST_IF_TBU_MMUSSIDV:
		ip->tbu_mmussidv = val;
		return;
	case NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC:
		if (is_40xx(s))
			break;
		leon_rt_vec_write(s, val);
		return;
	case NPU_40XX_CPU_SS_CPR_NOC_QREQN:
		if (!is_40xx(s))
			break;
		ip->cpu_noc_qreqn = val;
		return;
	case NPU_37XX_CPU_SS_DSU_LEON_RT_DSU_CTRL:
	case NPU_37XX_CPU_SS_DSU_LEON_RT_PC_REG:
	case NPU_37XX_CPU_SS_DSU_LEON_RT_NPC_REG:
	case NPU_37XX_CPU_SS_DSU_LEON_RT_TRAP_REG:
		return; /* the debug unit is not modelled */
	case NPU_40XX_HOST_SS_SW_VERSION:
	case NPU_40XX_CPU_SS_CPR_NOC_QACCEPTN:
	case NPU_40XX_CPU_SS_CPR_NOC_QDENY:
		if (!is_40xx(s))
			break;
		goto read_only;
	case NPU_37XX_HOST_SS_HW_VERSION:
	case NPU_37XX_HOST_SS_GEN_CTRL:
	case NPU_37XX_HOST_SS_NOC_QACCEPTN:
	case NPU_37XX_HOST_SS_NOC_QDENY:
	case NPU_37XX_TOP_NOC_QACCEPTN:
	case NPU_37XX_TOP_NOC_QDENY:
	case NPU_37XX_HOST_SS_ICB_STATUS_0:
	case ICB_STATUS_1:
	case NPU_37XX_AON_PWR_ISLAND_STATUS0:
	case NPU_37XX_HOST_SS_WORKPOINT_CONFIG_MIRROR:
		goto read_only;
	default:
		if (sim_tim_write32(s, off, val))
			return;
		break;
	}
	sim_guest_error(s, "IP write of unknown offset 0x%llx (0x%x)", (unsigned long long)off,
			val);
	return;
read_only:
	sim_guest_error(s, "IP write of read-only offset 0x%llx (0x%x)", (unsigned long long)off,
			val);
}

uint64_t sim_ip_read64(struct npu_sim *s, uint64_t off)
{
	uint64_t v;

	if (sim_tim_read64(s, off, &v))
		return v;
	if (is_40xx(s) && off == NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO)
		return s->ip.verif_addr;
	return sim_ip_read32(s, off) | (uint64_t)sim_ip_read32(s, off + 4) << 32;
}

void sim_ip_write64(struct npu_sim *s, uint64_t off, uint64_t val)
{
	switch (off) {
	case NPU_37XX_HOST_SS_ICB_CLEAR_0:
		icb_clear(s, val, UINT64_MAX);
		return;
	case NPU_37XX_HOST_SS_ICB_ENABLE_0:
		icb_enable(s, val, UINT64_MAX);
		return;
	case NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO:
		if (!is_40xx(s))
			break;
		verif_addr_write(s, val);
		return;
	default:
		break;
	}
	sim_ip_write32(s, off, (uint32_t)val);
	sim_ip_write32(s, off + 4, (uint32_t)(val >> 32));
}
