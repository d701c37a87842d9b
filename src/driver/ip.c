/* SPDX-License-Identifier: MIT */
/*
 * The NPU IP (BAR0): host subsystem, power island, NoC handshakes, snoop and
 * SSID setup, CPU start, interrupt block, IPC FIFO (docs/hardware.md §2.3, §2.4,
 * §3.3, §3.4). 37xx and 40xx differ in a few offsets and bits, handled by
 * small branches on the generation.
 */
#include <errno.h>

#include "driver/device.h"
#include "driver/ip.h"
#include "hw/bits.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/timeouts.h"
#include "util/log.h"

static bool is_37xx(const struct npu_device *d)
{
	return d->gen == NPU_GEN_37XX;
}

/* docs/hardware.md §3.3 step 5: the host subsystem, and the AXI handshake must be idle. */
int drv_ip_host_ss_configure(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t qreqn, qacceptn, qdeny;

	if (is_37xx(d)) {
		int ret =
		    REGV_POLL32(m, NPU_37XX_HOST_SS_CPR_RST_CLR, NPU_37XX_HOST_SS_CPR_RST_CLR_AON,
				0, NPU_TIMEOUT_IP_BAR_READY_37XX_US);

		if (ret)
			return drv_device_fail(d, "host subsystem", ret,
					       "the IP BAR is not ready (CPR_RST_CLR.AON stays 1)");
		REGV_WR32(m, NPU_37XX_HOST_SS_CPR_RST_CLR, NPU_37XX_HOST_SS_CPR_MASK);
	}
	qreqn = REGV_RD32(m, NPU_37XX_HOST_SS_NOC_QREQN) & NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO;
	qacceptn = REGV_RD32(m, NPU_37XX_HOST_SS_NOC_QACCEPTN) & NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO;
	qdeny = REGV_RD32(m, NPU_37XX_HOST_SS_NOC_QDENY) & NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO;
	if (qreqn || qacceptn || qdeny)
		return drv_device_fail(d, "host subsystem", -EIO,
				       "HOST_SS_NOC not idle: QREQN %u, QACCEPTN %u, QDENY %u",
				       qreqn, qacceptn, qdeny);
	return 0;
}

/* docs/hardware.md §3.3 step 6. */
void drv_ip_idle_gen_disable(struct npu_device *d)
{
	drv_mmio_clr32(&d->mmio, NPU_PCI_BAR_REGV, NPU_37XX_AON_VPU_IDLE_GEN,
		       NPU_37XX_AON_VPU_IDLE_GEN_EN);
}

/* Requires the QACCEPTN/QDENY answer of a NoC to a QREQN change (one-shot checks). */
static int noc_check(struct npu_device *d, const char *step, uint64_t acc_reg, uint64_t deny_reg,
		     uint32_t bits, uint32_t want_accept)
{
	uint32_t acc = REGV_RD32(&d->mmio, acc_reg) & bits;
	uint32_t deny = REGV_RD32(&d->mmio, deny_reg) & bits;

	if (acc != want_accept)
		return drv_device_fail(d, step, -EIO, "QACCEPTN 0x%x, want 0x%x (QDENY 0x%x)", acc,
				       want_accept, deny);
	if (deny)
		return drv_device_fail(d, step, -EIO, "QDENY 0x%x: the NoC refused", deny);
	return 0;
}

/* docs/hardware.md §3.3 step 8: power island, clocks, isolation, resets. */
int drv_ip_pwr_domain_enable(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t island = NPU_37XX_AON_PWR_MSS_CPU; /* bit 3 on both (CSS_CPU on 40xx) */
	uint32_t l2 =
	    is_37xx(d) ? NPU_37XX_TOP_NOC_HOSTIF_L2CACHE : NPU_40XX_TOP_NOC_HOSTIF_L2CACHE;
	uint32_t top;
	int ret;

	drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0, island);
	d->plat->ops->delay_us(d->plat, 1); /* at least 500 ns between trickle and enable */
	drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_37XX_AON_PWR_ISLAND_EN0, island);
	ret = REGV_POLL32(m, NPU_37XX_AON_PWR_ISLAND_STATUS0, island, island,
			  NPU_TIMEOUT_PWR_ISLAND_US);
	if (ret)
		return drv_device_fail(d, "power island", ret,
				       "ISLAND_STATUS0 did not report power");
	top = REGV_RD32(m, NPU_37XX_TOP_NOC_QREQN) & (NPU_37XX_TOP_NOC_CPU_CTRL | l2);
	if (top)
		return drv_device_fail(d, "power island", -EIO,
				       "TOP_NOC_QREQN 0x%x before the clocks are on", top);
	if (is_37xx(d))
		drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_37XX_HOST_SS_CPR_CLK_SET,
			       NPU_37XX_HOST_SS_CPR_MASK);
	else
		drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_40XX_HOST_SS_CPR_CLK_EN,
			       NPU_40XX_HOST_SS_CPR_MASK);
	drv_mmio_clr32(m, NPU_PCI_BAR_REGV, NPU_37XX_AON_PWR_ISO_EN0, island);
	if (is_37xx(d)) {
		drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_37XX_HOST_SS_CPR_RST_SET,
			       NPU_37XX_HOST_SS_CPR_MASK);
		drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_37XX_AON_DPU_ACTIVE,
			       NPU_37XX_AON_DPU_ACTIVE_DPU_ACTIVE);
	} else {
		drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_40XX_HOST_SS_CPR_RST_EN,
			       NPU_40XX_HOST_SS_CPR_MASK);
	}
	return 0;
}

/* docs/hardware.md §3.3 step 9. */
int drv_ip_axi_enable(struct npu_device *d)
{
	drv_mmio_set32(&d->mmio, NPU_PCI_BAR_REGV, NPU_37XX_HOST_SS_NOC_QREQN,
		       NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO);
	return noc_check(d, "AXI enable", NPU_37XX_HOST_SS_NOC_QACCEPTN, NPU_37XX_HOST_SS_NOC_QDENY,
			 NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO, NPU_37XX_HOST_SS_NOC_TOP_SOCMMIO);
}

/* docs/hardware.md §3.3 step 11. */
int drv_ip_top_noc_enable(struct npu_device *d)
{
	uint32_t bits = NPU_37XX_TOP_NOC_CPU_CTRL | (is_37xx(d) ? NPU_37XX_TOP_NOC_HOSTIF_L2CACHE
								: NPU_40XX_TOP_NOC_HOSTIF_L2CACHE);

	drv_mmio_set32(&d->mmio, NPU_PCI_BAR_REGV, NPU_37XX_TOP_NOC_QREQN, bits);
	return noc_check(d, "TOP NoC enable", NPU_37XX_TOP_NOC_QACCEPTN, NPU_37XX_TOP_NOC_QDENY,
			 bits, bits);
}

/* docs/hardware.md §3.4 steps 1-2: page-table walks snooped for writes only; SSIDs valid. */
void drv_ip_snoop_and_ssid(struct npu_device *d)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t v = REGV_RD32(m, NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES);

	if (is_37xx(d)) {
		v |= NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_NOSNOOP_OVERRIDE_EN;
		v &= ~NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_AW_NOSNOOP;
		v |= NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_AR_NOSNOOP;
	} else {
		v |= NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_SNOOP_OVERRIDE_EN;
		v |= NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_AW_SNOOP;
		v &= ~NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_AR_SNOOP;
	}
	REGV_WR32(m, NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES, v);
	drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_37XX_HOST_IF_TBU_MMUSSIDV,
		       is_37xx(d) ? NPU_37XX_TBU_MMUSSIDV_VAL : NPU_40XX_TBU_MMUSSIDV_VAL);
}

/* docs/hardware.md §3.4 step 3: the 37xx LEON start and loading address. */
static int cpu_start_37xx(struct npu_device *d, uint64_t entry)
{
	struct npu_mmio *m = &d->mmio;
	uint64_t vec_reg = NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC;
	uint32_t v = REGV_RD32(m, vec_reg);
	uint32_t loading;

	if (entry >> 32)
		return drv_device_fail(d, "CPU start", -EINVAL,
				       "entry point 0x%llx is above 4 GiB: LOADING_ADDRESS cannot "
				       "hold it",
				       (unsigned long long)entry);
	v |= NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RSTRUN0;
	v &= ~NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RSTVEC;
	REGV_WR32(m, vec_reg, v);
	v |= NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RESUME0;
	REGV_WR32(m, vec_reg, v);
	v &= ~NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC_IRQI_RESUME0;
	REGV_WR32(m, vec_reg, v);
	loading = (uint32_t)(entry >> NPU_37XX_LOADING_ADDRESS_SHIFT);
	REGV_WR32(m, NPU_37XX_HOST_SS_LOADING_ADDRESS_LO, loading);
	REGV_WR32(m, NPU_37XX_HOST_SS_LOADING_ADDRESS_LO,
		  loading | NPU_37XX_HOST_SS_LOADING_ADDRESS_LO_DONE);
	return 0;
}

/* docs/hardware.md §3.4 step 4: the 40xx SoC-CPU handshake and verification address. */
static int cpu_start_40xx(struct npu_device *d, uint64_t entry)
{
	struct npu_mmio *m = &d->mmio;
	uint32_t lo;
	int ret;

	drv_mmio_set32(m, NPU_PCI_BAR_REGV, NPU_40XX_CPU_SS_CPR_NOC_QREQN,
		       NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO);
	ret = noc_check(d, "CPU start", NPU_40XX_CPU_SS_CPR_NOC_QACCEPTN,
			NPU_40XX_CPU_SS_CPR_NOC_QDENY, NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO,
			NPU_40XX_CPU_SS_CPR_NOC_TOP_MMIO);
	if (ret)
		return ret;
	REGV_WR64(m, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO,
		  entry << NPU_40XX_VERIFICATION_ADDRESS_SHIFT);
	lo = REGV_RD32(m, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO);
	REGV_WR32(m, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO,
		  lo | NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO_DONE);
	return 0;
}

int drv_ip_cpu_start(struct npu_device *d, uint64_t entry)
{
	return is_37xx(d) ? cpu_start_37xx(d, entry) : cpu_start_40xx(d, entry);
}

/* docs/hardware.md §3.5 step 4: clear what is pending before interrupts go on. */
void drv_ip_irq_clear(struct npu_device *d)
{
	REGV_WR64(&d->mmio, NPU_37XX_HOST_SS_ICB_CLEAR_0, NPU_37XX_ICB_ENABLE_VAL);
}

/* docs/hardware.md §2.6. */
void drv_ip_irq_enable(struct npu_device *d)
{
	REGV_WR32(&d->mmio, NPU_37XX_HOST_SS_FW_SOC_IRQ_EN, NPU_37XX_HOST_SS_FW_SOC_IRQ_EN_ALL);
	REGV_WR64(&d->mmio, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
}

void drv_ip_irq_disable(struct npu_device *d)
{
	REGV_WR64(&d->mmio, NPU_37XX_HOST_SS_ICB_ENABLE_0, 0);
	REGV_WR32(&d->mmio, NPU_37XX_HOST_SS_FW_SOC_IRQ_EN, 0);
}

/* The NPU-to-host IPC FIFO (same offsets on both generations). */
uint32_t drv_ip_fifo_fill(struct npu_device *d)
{
	uint32_t stat = REGV_RD32(&d->mmio, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT);

	if (stat == NPU_REG_IO_ERROR)
		return 0;
	return npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, stat);
}

uint32_t drv_ip_fifo_pop(struct npu_device *d)
{
	return REGV_RD32(&d->mmio, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM);
}
