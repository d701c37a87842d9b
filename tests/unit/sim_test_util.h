/* SPDX-License-Identifier: MIT */
/*
 * Shared by the device-model register tests (test_sim_regs.c, test_sim_io.c):
 * the registers that differ between the generations, a fixture per
 * generation, polling helpers, and the driver's power-up and CPU-start steps
 * written from the reference (docs/hardware.md §3.2-§3.4), not from the driver.
 */
#ifndef NPU_TEST_SIM_TEST_UTIL_H
#define NPU_TEST_SIM_TEST_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <poll.h>
#include <time.h>

#include <cmocka.h>

#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "sim/sim.h"
#include "sim/sim_internal.h"
#include "test_time.h"

#define RV NPU_PCI_BAR_REGV
#define RB NPU_PCI_BAR_REGB

#define WAIT_US 200000u /* generous: the model's latencies are tens of microseconds */

/* What differs between the generations, as docs/hardware.md names it. */
struct gen {
	enum npu_gen gen;
	uint32_t d0i3, wp0, wp1, wp2, wp_cmd, vpu_status, ip_reset, int_stat, local_mask,
	    global_mask, pll_ratio, fmin, fmax, tile_fuse;
	uint32_t top_l2, tim_fifo, doorbell0, tim_safe, tim_watchdog, tim_wdog_en, perf;
	uint64_t entry; /* of the real image (docs/hardware.md §4.4) */
};

static const struct gen g37 = {
	.gen = NPU_GEN_37XX,
	.d0i3 = NPU_BTRS_MTL_VPU_D0I3_CONTROL,
	.wp0 = NPU_BTRS_MTL_WP_REQ_PAYLOAD0,
	.wp1 = NPU_BTRS_MTL_WP_REQ_PAYLOAD1,
	.wp2 = NPU_BTRS_MTL_WP_REQ_PAYLOAD2,
	.wp_cmd = NPU_BTRS_MTL_WP_REQ_CMD,
	.vpu_status = NPU_BTRS_MTL_VPU_STATUS,
	.ip_reset = NPU_BTRS_MTL_VPU_IP_RESET,
	.int_stat = NPU_BTRS_MTL_INTERRUPT_STAT,
	.local_mask = NPU_BTRS_MTL_LOCAL_INT_MASK,
	.global_mask = NPU_BTRS_MTL_GLOBAL_INT_MASK,
	.pll_ratio = NPU_BTRS_MTL_CURRENT_PLL,
	.fmin = NPU_BTRS_MTL_FMIN_FUSE,
	.fmax = NPU_BTRS_MTL_FMAX_FUSE,
	.tile_fuse = NPU_BTRS_MTL_TILE_FUSE,
	.top_l2 = NPU_37XX_TOP_NOC_HOSTIF_L2CACHE,
	.tim_fifo = NPU_37XX_CPU_SS_TIM_IPC_FIFO,
	.doorbell0 = NPU_37XX_CPU_SS_DOORBELL_0,
	.tim_safe = NPU_37XX_CPU_SS_TIM_SAFE,
	.tim_watchdog = NPU_37XX_CPU_SS_TIM_WATCHDOG,
	.tim_wdog_en = NPU_37XX_CPU_SS_TIM_WDOG_EN,
	.perf = NPU_37XX_CPU_SS_TIM_PERF_FREE_CNT,
	.entry = 0x84803000u,
};

static const struct gen g40 = {
	.gen = NPU_GEN_40XX,
	.d0i3 = NPU_BTRS_LNL_D0I3_CONTROL,
	.wp0 = NPU_BTRS_LNL_WP_REQ_PAYLOAD0,
	.wp1 = NPU_BTRS_LNL_WP_REQ_PAYLOAD1,
	.wp2 = NPU_BTRS_LNL_WP_REQ_PAYLOAD2,
	.wp_cmd = NPU_BTRS_LNL_WP_REQ_CMD,
	.vpu_status = NPU_BTRS_LNL_VPU_STATUS,
	.ip_reset = NPU_BTRS_LNL_IP_RESET,
	.int_stat = NPU_BTRS_LNL_INTERRUPT_STAT,
	.local_mask = NPU_BTRS_LNL_LOCAL_INT_MASK,
	.global_mask = NPU_BTRS_LNL_GLOBAL_INT_MASK,
	.pll_ratio = NPU_BTRS_LNL_PLL_FREQ,
	.fmin = NPU_BTRS_LNL_FMIN_FUSE,
	.fmax = NPU_BTRS_LNL_FMAX_FUSE,
	.tile_fuse = NPU_BTRS_LNL_TILE_FUSE,
	.top_l2 = NPU_40XX_TOP_NOC_HOSTIF_L2CACHE,
	.tim_fifo = NPU_40XX_CPU_SS_TIM_IPC_FIFO,
	.doorbell0 = NPU_40XX_CPU_SS_DOORBELL_0,
	.tim_safe = NPU_40XX_CPU_SS_TIM_SAFE,
	.tim_watchdog = NPU_40XX_CPU_SS_TIM_WATCHDOG,
	.tim_wdog_en = NPU_40XX_CPU_SS_TIM_WDOG_EN,
	.perf = NPU_40XX_CPU_SS_TIM_PERF_EXT_FREE_CNT,
	.entry = 0x8000200Eu,
};

/* The test's fixture: the generation (prestate) and the model. */
struct fx {
	const struct gen *g;
	struct npu_sim *s;
};

static struct fx fx37 = { &g37, NULL }, fx40 = { &g40, NULL };

static inline struct npu_sim *create(const struct gen *g, enum npu_sim_fault fault, size_t mem)
{
	struct npu_sim_config cfg = { .gen = g->gen, .fault = fault, .mem_size = mem };
	struct npu_sim *s = NULL;

	assert_int_equal(npu_sim_create(&cfg, &s), 0);
	assert_non_null(s);
	return s;
}

static inline int setup(void **state)
{
	struct fx *f = *state;

	f->s = create(f->g, NPU_SIM_FAULT_NONE, 16u << 20);
	return 0;
}

static inline int teardown(void **state)
{
	struct fx *f = *state;

	npu_sim_destroy(f->s);
	f->s = NULL;
	return 0;
}

static inline uint32_t rd(struct npu_sim *s, unsigned bar, uint64_t off)
{
	return npu_sim_read32(s, bar, off);
}

static inline void wr(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t val)
{
	npu_sim_write32(s, bar, off, val);
}

/* Polls (reg & mask) == want like the driver does; true when it matched in time. */
static inline bool wait_reg(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t mask,
			    uint32_t want, unsigned timeout_us)
{
	for (unsigned t = 0; t <= timeout_us; t += 10) {
		if ((rd(s, bar, off) & mask) == want)
			return true;
		sleep_us(10);
	}
	return (rd(s, bar, off) & mask) == want;
}

static inline uint64_t guest_errors(struct npu_sim *s)
{
	uint64_t n;

	pthread_mutex_lock(&s->lock);
	n = s->guest_errors;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static inline bool cpu_started(struct npu_sim *s, uint64_t *entry)
{
	bool started;

	pthread_mutex_lock(&s->lock);
	started = s->fw.start_pending || s->fw.state != SIM_FW_OFF;
	if (entry)
		*entry = s->fw.entry;
	pthread_mutex_unlock(&s->lock);
	return started;
}

/*
 * The busy bit of a transition that ends at *done_ns (read under the lock
 * right after starting it): reads 1 while the transition runs. A slow machine
 * (sanitizers) may read after the end; then only 0 is checked for later.
 */
static inline void assert_busy(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t bit,
			       const uint64_t *done_ns)
{
	uint64_t done;
	uint32_t v;

	pthread_mutex_lock(&s->lock);
	done = *done_ns;
	pthread_mutex_unlock(&s->lock);
	v = rd(s, bar, off);
	if (sim_now_ns() < done)
		assert_int_equal(v & bit, bit);
	assert_true(done > s->created_ns);
}

static inline bool irq_readable(struct npu_sim *s)
{
	struct pollfd p = { .fd = npu_sim_irq_fd(s), .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* ---- the driver's steps, from docs/hardware.md §3.2-§3.4 ---- */

static inline void d0i3_exit(const struct gen *g, struct npu_sim *s)
{
	assert_true(wait_reg(s, RB, g->d0i3, 1u, 0, WAIT_US));
	wr(s, RB, g->d0i3, rd(s, RB, g->d0i3) & ~4u);
	assert_true(wait_reg(s, RB, g->d0i3, 1u, 0, WAIT_US));
}

/* The PN ratio, as the driver reads it from FMIN_FUSE. */
static inline uint32_t pn_ratio(const struct gen *g, struct npu_sim *s)
{
	return (rd(s, RB, g->fmin) >> 8) & 0xFFu;
}

/* §3.2 payloads: MTL target PN or 0; LNL target PN always, EPP and CDYN 0x80 or 0. */
static inline void wp_send(const struct gen *g, struct npu_sim *s, bool enable)
{
	uint32_t pn = pn_ratio(g, s);

	assert_true(wait_reg(s, RB, g->wp_cmd, 1u, 0, WAIT_US));
	wr(s, RB, g->wp0, (rd(s, RB, g->fmin) & 0xFFu) | (rd(s, RB, g->fmax) & 0xFFu) << 16);
	if (g->gen == NPU_GEN_37XX) {
		wr(s, RB, g->wp1, (enable ? pn : 0) | 0x80u << 16);
		wr(s, RB, g->wp2, enable ? 0x0202u : 0);
	} else {
		wr(s, RB, g->wp1, pn | (enable ? 0x80u : 0) << 16);
		wr(s, RB, g->wp2, (enable ? 0x80u : 0) << 16);
	}
	wr(s, RB, g->wp_cmd, 1u);
}

static inline void wp_enable(const struct gen *g, struct npu_sim *s)
{
	wp_send(g, s, true);
	assert_true(wait_reg(s, RB, g->wp_cmd, 1u, 0, WAIT_US));
	assert_true(wait_reg(s, RB, g->vpu_status, 1u, 1u, WAIT_US));
}

/* Power domain enable, §3.3 steps 5-8, with one step optionally left out. */
enum skip { SKIP_NONE, SKIP_ISOLATION, SKIP_RESUME };

static inline void power_domain(const struct gen *g, struct npu_sim *s, enum skip skip)
{
	uint32_t clk =
	    g->gen == NPU_GEN_37XX ? NPU_37XX_HOST_SS_CPR_CLK_SET : NPU_40XX_HOST_SS_CPR_CLK_EN;
	uint32_t rst =
	    g->gen == NPU_GEN_37XX ? NPU_37XX_HOST_SS_CPR_RST_SET : NPU_40XX_HOST_SS_CPR_RST_EN;

	if (g->gen == NPU_GEN_37XX) {
		assert_true(wait_reg(s, RV, NPU_37XX_HOST_SS_CPR_RST_CLR, 1u, 0, 100));
		wr(s, RV, NPU_37XX_HOST_SS_CPR_RST_CLR, 0xC02u);
	}
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0, 1u << 3);
	sleep_us(1);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 1u << 3);
	assert_true(wait_reg(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0, 1u << 3, 1u << 3, 5000));
	wr(s, RV, clk, rd(s, RV, clk) | 0xC02u);
	if (skip != SKIP_ISOLATION)
		wr(s, RV, NPU_37XX_AON_PWR_ISO_EN0,
		   rd(s, RV, NPU_37XX_AON_PWR_ISO_EN0) & ~(1u << 3));
	wr(s, RV, rst, rd(s, RV, rst) | 0xC02u);
}

static inline void nocs_on(const struct gen *g, struct npu_sim *s)
{
	wr(s, RV, NPU_37XX_HOST_SS_NOC_QREQN, 1u);
	wr(s, RV, NPU_37XX_TOP_NOC_QREQN, 1u | g->top_l2);
}

static inline void full_power_up(const struct gen *g, struct npu_sim *s, enum skip skip)
{
	d0i3_exit(g, s);
	wp_enable(g, s);
	power_domain(g, s, skip);
	nocs_on(g, s);
}

/* §3.4: the CPU start of each generation. */
static inline void cpu_start(const struct gen *g, struct npu_sim *s, enum skip skip)
{
	if (g->gen == NPU_GEN_37XX) {
		uint32_t vec = NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC;
		uint32_t v = (rd(s, RV, vec) | 1u) & 0xFu;
		uint32_t lo = (uint32_t)(g->entry >> 9);

		wr(s, RV, vec, v);
		if (skip != SKIP_RESUME) {
			wr(s, RV, vec, v | 2u);
			wr(s, RV, vec, v & ~2u);
		}
		wr(s, RV, NPU_37XX_HOST_SS_LOADING_ADDRESS_LO, lo);
		wr(s, RV, NPU_37XX_HOST_SS_LOADING_ADDRESS_LO, lo | 1u);
	} else {
		wr(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QREQN, 1u);
		npu_sim_write64(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO, g->entry << 3);
		wr(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO,
		   rd(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO) | 1u);
	}
}

#define BOTH(fn)                                                              \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &fx37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &fx40)

#endif
