/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's power and boot reactions, checked against the reference
 * (docs/hardware.md §2, §3), not against the driver: the power-on state, D0i3, the
 * workpoint request, the power island, the NoC handshakes, the CPU start
 * preconditions and IP reset. Each test runs for 37xx (MTL buttress) and
 * 40xx (LNL buttress) unless it is about one generation.
 */
#include "sim_test_util.h"

static void test_power_on_state(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;
	uint32_t fmin = rd(s, RB, f->g->fmin), fmax = rd(s, RB, f->g->fmax);

	assert_int_equal(rd(s, RB, f->g->d0i3), 4u); /* in D0i3, no transition */
	assert_int_equal(rd(s, RB, f->g->vpu_status) & 0xC7u, 0);
	assert_int_equal(rd(s, RB, f->g->wp_cmd), 0);
	assert_int_equal(rd(s, RB, f->g->ip_reset), 0);
	assert_int_equal(rd(s, RB, f->g->pll_ratio), 0);
	/* Fuses: min <= pn <= max, all non-zero. */
	assert_true((fmin & 0xFF) > 0);
	assert_true((fmin & 0xFF) <= ((fmin >> 8) & 0xFF));
	assert_true(((fmin >> 8) & 0xFF) <= (fmax & 0xFF));
	assert_int_equal(rd(s, RB, f->g->tile_fuse) & 1u, 1u);
	if (f->g->gen == NPU_GEN_40XX)
		assert_int_equal(rd(s, RB, NPU_BTRS_LNL_TILE_FUSE) & NPU_BTRS_LNL_TILE_FUSE_CONFIG,
				 0);
	else
		assert_int_equal(rd(s, RB, NPU_BTRS_MTL_PLL_STATUS), 0);

	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISO_EN0) & (1u << 3), 1u << 3);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QREQN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QACCEPTN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QDENY), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_TOP_NOC_QACCEPTN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT), 0);
	if (f->g->gen == NPU_GEN_37XX) {
		assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_CPR_CLK_SET), 0);
		/* The IP BAR is not ready before the buttress is. */
		assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_CPR_RST_CLR) & 1u, 1u);
	} else {
		assert_int_equal(rd(s, RV, NPU_40XX_HOST_SS_CPR_CLK_EN), 0);
		assert_int_equal(rd(s, RV, NPU_40XX_HOST_SS_CPR_RST_EN), 0);
	}
	assert_false(cpu_started(s, NULL));
	assert_false(irq_readable(s));
	assert_int_equal(guest_errors(s), 0);
}

static void test_d0i3_exit(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;

	wr(s, RB, f->g->d0i3, 0);
	/* The transition takes time: INPROGRESS reads 1 right after the write. */
	assert_busy(s, RB, f->g->d0i3, 1u, &s->btrs.d0i3_busy_ns);
	assert_true(wait_reg(s, RB, f->g->d0i3, 5u, 0, WAIT_US));
	/* Entering again goes through INPROGRESS as well. */
	wr(s, RB, f->g->d0i3, 4u);
	assert_busy(s, RB, f->g->d0i3, 1u, &s->btrs.d0i3_busy_ns);
	assert_int_equal(rd(s, RB, f->g->d0i3) & 4u, 4u);
	assert_true(wait_reg(s, RB, f->g->d0i3, 5u, 4u, WAIT_US));
	assert_int_equal(guest_errors(s), 0);
}

static void test_workpoint_locks(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint32_t st;

	d0i3_exit(g, s);
	wp_send(g, s, true);
	assert_busy(s, RB, g->wp_cmd, 1u, &s->btrs.wp_done_ns); /* SEND set while pending */
	assert_true(wait_reg(s, RB, g->wp_cmd, 1u, 0, WAIT_US));
	if (g->gen == NPU_GEN_37XX)
		assert_int_equal(rd(s, RB, NPU_BTRS_MTL_PLL_STATUS) & 2u, 2u);
	assert_int_equal(rd(s, RB, g->pll_ratio), pn_ratio(g, s));
	st = rd(s, RB, g->vpu_status);
	assert_int_equal(st & 3u, 3u); /* READY, IDLE */
	if (g->gen == NPU_GEN_40XX) {
		assert_int_equal(st & 0xC0u, 0xC0u); /* clock and power resource acks */
		assert_int_equal(rd(s, RB, NPU_BTRS_LNL_CDYN), 0x80u);
		/* Host-written bits are kept. */
		wr(s, RB, g->vpu_status, st | NPU_BTRS_LNL_VPU_STATUS_PERF_CLK);
		assert_int_equal(rd(s, RB, g->vpu_status) & NPU_BTRS_LNL_VPU_STATUS_PERF_CLK,
				 NPU_BTRS_LNL_VPU_STATUS_PERF_CLK);
	} else {
		/* The IP BAR is ready once the buttress is. */
		assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_CPR_RST_CLR) & 1u, 0);
	}

	/* Workpoint disable: unlock, not ready, CDYN back to 0. */
	wp_send(g, s, false);
	assert_true(wait_reg(s, RB, g->wp_cmd, 1u, 0, WAIT_US));
	assert_int_equal(rd(s, RB, g->vpu_status) & 1u, 0);
	assert_int_equal(rd(s, RB, g->pll_ratio), 0);
	if (g->gen == NPU_GEN_37XX)
		assert_int_equal(rd(s, RB, NPU_BTRS_MTL_PLL_STATUS) & 2u, 0);
	else
		assert_int_equal(rd(s, RB, NPU_BTRS_LNL_CDYN), 0);
	assert_int_equal(guest_errors(s), 0);
}

static void test_workpoint_in_d0i3_never_locks(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;

	wp_send(g, s, true); /* still in D0i3: the reordered driver */
	assert_true(wait_reg(s, RB, g->wp_cmd, 1u, 0, WAIT_US));
	d0i3_exit(g, s);
	sleep_us(2000);
	assert_int_equal(rd(s, RB, g->vpu_status) & 1u, 0);
	if (g->gen == NPU_GEN_37XX)
		assert_int_equal(rd(s, RB, NPU_BTRS_MTL_PLL_STATUS) & 2u, 0);
}

static void test_pll_no_lock(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = create(g, NPU_SIM_FAULT_PLL_NO_LOCK, 1u << 20);

	d0i3_exit(g, s);
	wp_send(g, s, true);
	assert_true(wait_reg(s, RB, g->wp_cmd, 1u, 0, WAIT_US)); /* SEND still completes */
	sleep_us(2000);
	assert_int_equal(rd(s, RB, g->vpu_status) & 1u, 0);
	if (g->gen == NPU_GEN_37XX)
		assert_int_equal(rd(s, RB, NPU_BTRS_MTL_PLL_STATUS) & 2u, 0);
	npu_sim_destroy(s);
}

static void test_island_needs_trickle(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint64_t errs;

	/* Before the workpoint, even the full island sequence leaves it off. */
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0, 1u << 3);
	sleep_us(1);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 1u << 3);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0), 0);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 0);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0, 0);

	d0i3_exit(g, s);
	wp_enable(g, s);
	/* Enable alone: no. */
	errs = guest_errors(s);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 1u << 3);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0), 0);
	assert_true(guest_errors(s) > errs);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 0);
	/* Trickle, then enable 500 ns later: yes. */
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_TRICKLE_EN0, 1u << 3);
	sleep_us(1);
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 1u << 3);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0), 1u << 3);
	/* And off again with the enable. */
	wr(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0, 0);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0), 0);
}

static void test_noc_order(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint32_t top = 1u | g->top_l2;

	d0i3_exit(g, s);
	wp_enable(g, s);
	/* Host NoC before the power domain is on: denied. */
	wr(s, RV, NPU_37XX_HOST_SS_NOC_QREQN, 1u);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QACCEPTN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QDENY), 1u);
	wr(s, RV, NPU_37XX_HOST_SS_NOC_QREQN, 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QDENY), 0);

	power_domain(g, s, SKIP_NONE);
	/* TOP NoC before the host NoC: denied. */
	wr(s, RV, NPU_37XX_TOP_NOC_QREQN, top);
	assert_int_equal(rd(s, RV, NPU_37XX_TOP_NOC_QACCEPTN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_TOP_NOC_QDENY), top);
	wr(s, RV, NPU_37XX_TOP_NOC_QREQN, 0);
	if (g->gen == NPU_GEN_40XX) {
		wr(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QREQN, 1u);
		assert_int_equal(rd(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QDENY), 1u);
		wr(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QREQN, 0);
	}

	/* In order: host, TOP, (40xx) CPU. */
	wr(s, RV, NPU_37XX_HOST_SS_NOC_QREQN, 1u);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QACCEPTN), 1u);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QDENY), 0);
	wr(s, RV, NPU_37XX_TOP_NOC_QREQN, top);
	assert_int_equal(rd(s, RV, NPU_37XX_TOP_NOC_QACCEPTN), top);
	assert_int_equal(rd(s, RV, NPU_37XX_TOP_NOC_QDENY), 0);
	if (g->gen == NPU_GEN_40XX) {
		wr(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QREQN, 1u);
		assert_int_equal(rd(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QACCEPTN), 1u);
		assert_int_equal(rd(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QDENY), 0);
	}
}

static void test_cpu_start_refused_then_accepted(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint64_t errs, entry = 0;

	/* Isolation left on: the NoCs deny and the CPU does not start. */
	full_power_up(g, s, SKIP_ISOLATION);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QDENY), 1u);
	errs = guest_errors(s);
	cpu_start(g, s, SKIP_NONE);
	assert_false(cpu_started(s, NULL));
	assert_true(guest_errors(s) > errs);

	/* Isolation off: the same steps now start it at the header's entry point. */
	wr(s, RV, NPU_37XX_AON_PWR_ISO_EN0, 0);
	wr(s, RV, NPU_37XX_HOST_SS_NOC_QREQN, 0);
	wr(s, RV, NPU_37XX_TOP_NOC_QREQN, 0);
	if (g->gen == NPU_GEN_40XX)
		wr(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QREQN, 0);
	nocs_on(g, s);
	cpu_start(g, s, SKIP_NONE);
	assert_true(cpu_started(s, &entry));
	assert_int_equal(entry, g->entry);
}

static void test_cpu_start_needs_resume_pulse(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;

	full_power_up(f->g, s, SKIP_NONE);
	cpu_start(f->g, s, SKIP_RESUME);
	assert_false(cpu_started(s, NULL));
	cpu_start(f->g, s, SKIP_NONE);
	assert_true(cpu_started(s, NULL));
}

static void test_cpu_start_40xx_two_halves(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;
	uint64_t v = g40.entry << 3, entry = 0;

	full_power_up(&g40, s, SKIP_NONE);
	wr(s, RV, NPU_40XX_CPU_SS_CPR_NOC_QREQN, 1u);
	wr(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_HI, (uint32_t)(v >> 32));
	wr(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO, (uint32_t)v);
	assert_false(cpu_started(s, NULL));
	assert_int_equal(npu_sim_read64(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO), v);
	wr(s, RV, NPU_40XX_HOST_SS_VERIFICATION_ADDRESS_LO, (uint32_t)v | 1u);
	assert_true(cpu_started(s, &entry));
	assert_int_equal(entry, g40.entry);
}

static void test_mtl_write0_probe(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;

	/* docs/hardware.md §2.6: write 0x7, read back; 0 means ones clear and no workaround. */
	pthread_mutex_lock(&s->lock);
	s->btrs.int_stat = 0x7u;
	pthread_mutex_unlock(&s->lock);
	wr(s, RB, NPU_BTRS_MTL_INTERRUPT_STAT, NPU_BTRS_MTL_INTERRUPT_STAT_PROBE);
	assert_int_equal(rd(s, RB, NPU_BTRS_MTL_INTERRUPT_STAT), 0);
}

static void test_ip_reset(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;

	full_power_up(g, s, SKIP_NONE);
	cpu_start(g, s, SKIP_NONE);
	assert_true(cpu_started(s, NULL));
	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	pthread_mutex_lock(&s->lock);
	sim_ip_post_to_host(s, 0x90000000u);
	pthread_mutex_unlock(&s->lock);

	assert_true(wait_reg(s, RB, g->ip_reset, 1u, 0, WAIT_US));
	wr(s, RB, g->ip_reset, 1u);
	assert_busy(s, RB, g->ip_reset, 1u, &s->btrs.ip_reset_done_ns);
	assert_true(wait_reg(s, RB, g->ip_reset, 1u, 0, WAIT_US));

	assert_false(cpu_started(s, NULL));
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_STATUS0), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISLAND_EN0), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_AON_PWR_ISO_EN0) & (1u << 3), 1u << 3);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QACCEPTN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_NOC_QREQN), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_TOP_NOC_QACCEPTN), 0);
	assert_int_equal(npu_sim_read64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT), 0);
	if (g->gen == NPU_GEN_37XX)
		assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_CPR_CLK_SET), 0);
	else
		assert_int_equal(rd(s, RV, NPU_40XX_HOST_SS_CPR_CLK_EN), 0);
	/* The buttress is not part of the IP: the workpoint is still granted. */
	assert_int_equal(rd(s, RB, g->vpu_status) & 1u, 1u);

	/* And the IP powers up and starts again. */
	power_domain(g, s, SKIP_NONE);
	nocs_on(g, s);
	cpu_start(g, s, SKIP_NONE);
	assert_true(cpu_started(s, NULL));
}

static void test_create_rejects(void **state)
{
	struct npu_sim_config cfg = { .gen = NPU_GEN_50XX };
	struct npu_sim *s = (struct npu_sim *)&cfg; /* anything but NULL: create clears it */

	(void)state;

	assert_int_equal(npu_sim_create(&cfg, &s), -EOPNOTSUPP);
	assert_null(s);
	cfg.gen = NPU_GEN_UNKNOWN;
	assert_int_equal(npu_sim_create(&cfg, &s), -EOPNOTSUPP);
	assert_int_equal(npu_sim_create(NULL, &s), -EINVAL);
	npu_sim_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_power_on_state),
		BOTH(test_d0i3_exit),
		BOTH(test_workpoint_locks),
		BOTH(test_workpoint_in_d0i3_never_locks),
		BOTH(test_pll_no_lock),
		BOTH(test_island_needs_trickle),
		BOTH(test_noc_order),
		BOTH(test_cpu_start_refused_then_accepted),
		cmocka_unit_test_prestate_setup_teardown(test_cpu_start_needs_resume_pulse, setup,
							 teardown, &fx37),
		cmocka_unit_test_prestate_setup_teardown(test_cpu_start_40xx_two_halves, setup,
							 teardown, &fx40),
		cmocka_unit_test_prestate_setup_teardown(test_mtl_write0_probe, setup, teardown,
							 &fx37),
		BOTH(test_ip_reset),
		cmocka_unit_test(test_create_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
