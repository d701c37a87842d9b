/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's per-job host accesses, answered without its lock
 * (sim_hostif.c), checked against the reference (docs/hardware.md §2.6, §2.7;
 * docs/firmware-protocol.md §1.5, §6): each is taken while the firmware holds the lock;
 * the NPU-to-host FIFO keeps every entry, in order, and raises the IPC
 * interrupt whenever it goes from empty to not empty, however the host's
 * drain and the firmware's pushes interleave; and clearing GLOBAL_INT_MASK
 * with a source pending sends the interrupt, whenever the source came; so
 * does the end of a host's watch of the interrupt (sim.h, npu_sim_irq_spin).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "sim_test_util.h"

#define ICB_IPC	 NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO
#define ICB_MMU0 NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_0
#define FIFO_N	 20000u	     /* entries pushed by the concurrent test */
#define ROUNDS	 2000u	     /* of the unmask race */
#define STALL_NS 2000000000u /* a host waiting this long for its interrupt has lost it */

static uint32_t fill_level(struct npu_sim *s)
{
	return npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL,
			     rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT));
}

/* Every per-job access, with the lock held elsewhere: each would deadlock if it took it. */
static void test_per_job_accesses_while_busy(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint32_t v = 0;

	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	pthread_mutex_lock(&s->lock);
	assert_int_equal(sim_ip_post_to_host(s, 0x90000040u), 0);
	assert_int_equal(sim_ip_post_to_host(s, 0x90000080u), 0);
	npu_sim_write32(s, RB, g->global_mask, 1);
	assert_int_equal(npu_sim_read32(s, RB, g->int_stat), 0);
	v = npu_sim_read32(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0);
	assert_int_equal(v & ICB_IPC, ICB_IPC);
	npu_sim_write32(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, v);
	assert_int_equal(fill_level(s), 2);
	assert_int_equal(npu_sim_read32(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM), 0x90000040u);
	assert_int_equal(npu_sim_read32(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM), 0x90000080u);
	assert_int_equal(fill_level(s), 0);
	assert_int_equal(npu_sim_read32(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0) & ICB_IPC, 0);
	npu_sim_write32(s, RB, g->global_mask, 0); /* nothing pending */
	pthread_mutex_unlock(&s->lock);
	assert_false(irq_readable(s));
	assert_int_equal(rd(s, RB, g->global_mask), 0);

	/* The pointers and the fill level are FIFO_STAT's, as before. */
	v = rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_READ_PTR, v), 2);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_WRITE_PTR, v), 2);

	/* A dead device: all-ones, and the FIFO keeps its entry. */
	pthread_mutex_lock(&s->lock);
	assert_int_equal(sim_ip_post_to_host(s, 0x900000C0u), 0);
	pthread_mutex_unlock(&s->lock);
	s->fault = NPU_SIM_FAULT_DEAD_MMIO;
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RB, g->int_stat), 0xFFFFFFFFu);
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_IPC);
	s->fault = NPU_SIM_FAULT_NONE;
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0) & ICB_IPC, ICB_IPC);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM), 0x900000C0u);
}

/* The buttress's INTERRUPT_STAT as the model sets it, also while a workpoint request runs. */
static void test_int_stat_mirror(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;

	pthread_mutex_lock(&s->lock);
	s->btrs.int_stat |= 2u; /* ATS_ERR */
	sim_irq_update(s);
	pthread_mutex_unlock(&s->lock);
	assert_int_equal(rd(s, RB, g->int_stat), 2u);
	wr(s, RB, g->int_stat, 2u);
	assert_int_equal(rd(s, RB, g->int_stat), 0);
	/* A granted workpoint changes the frequency, which INTERRUPT_STAT bit 0 reports. */
	d0i3_exit(g, s);
	wp_send(g, s, true);
	assert_true(wait_reg(s, RB, g->int_stat, 1u, 1u, WAIT_US));
}

/* The firmware's side of the concurrent FIFO test: pushes 0..FIFO_N-1, with the lock. */
struct pusher {
	struct npu_sim *s;
	atomic_uint full; /* pushes refused for a full FIFO, retried */
	atomic_bool stop; /* the host gave up */
};

static void *push_all(void *arg)
{
	struct pusher *p = arg;

	for (uint32_t i = 0; i < FIFO_N && !atomic_load(&p->stop);) {
		int ret;

		pthread_mutex_lock(&p->s->lock);
		ret = sim_ip_post_to_host(p->s, i);
		pthread_mutex_unlock(&p->s->lock);
		if (ret == 0)
			i++;
		else
			atomic_fetch_add(&p->full, 1u);
		/* Now and then a pause, so the host also finds the FIFO empty. */
		if (i % 7u == 0)
			sleep_us(1);
	}
	return NULL;
}

/*
 * The host as the driver serves the FIFO (docs/firmware-protocol.md §1.5): wait for ICB
 * bit 4, clear it, pop while FIFO_STAT's fill level is not 0. An entry left
 * without an edge would stall it: it gives up after STALL_NS.
 */
static void test_fifo_concurrent(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;
	struct pusher p = { .s = s };
	pthread_t t;
	uint32_t next = 0;
	uint64_t waited_since = sim_now_ns();

	assert_int_equal(pthread_create(&t, NULL, push_all, &p), 0);
	while (next < FIFO_N) {
		if (!(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0) & ICB_IPC)) {
			if (sim_now_ns() - waited_since > STALL_NS)
				break;
			continue;
		}
		waited_since = sim_now_ns();
		wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_IPC);
		while (fill_level(s) != 0) {
			uint32_t v = rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM);

			assert_int_equal(v, next); /* none lost, none twice, in order */
			next++;
		}
	}
	atomic_store(&p.stop, true);
	pthread_join(t, NULL);
	if (next < FIFO_N)
		fail_msg("the host saw no IPC interrupt for 2 s with entry %u of %u in the FIFO "
			 "(fill level %u)",
			 next, FIFO_N, fill_level(s));
	assert_int_equal(fill_level(s), 0);
	print_message("%u entries, %u pushes refused for a full FIFO\n", FIFO_N,
		      atomic_load(&p.full));
}

/* The firmware's side of the unmask race: raises MMU_IRQ_0 once per round, at some point. */
struct raiser {
	struct npu_sim *s;
	atomic_uint go, done;
};

static void *raise_rounds(void *arg)
{
	struct raiser *r = arg;

	for (uint32_t round = 1; round <= ROUNDS; round++) {
		uint32_t go;

		while ((go = atomic_load(&r->go)) != round)
			if (go > ROUNDS)
				return NULL; /* the host gave up */
		for (uint32_t spin = round % 64u * 8u; spin; spin--)
			npu_cpu_relax();
		pthread_mutex_lock(&r->s->lock);
		sim_icb_raise(r->s, ICB_MMU0);
		pthread_mutex_unlock(&r->s->lock);
		atomic_store(&r->done, round);
	}
	return NULL;
}

/*
 * Each round: the host masks, the firmware raises a source at some point
 * around the unmask, the host unmasks. Once both are done the source is
 * pending and enabled with the mask clear: the interrupt must have been sent
 * (§2.6), whichever came first.
 */
static void test_unmask_race(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	struct raiser r = { .s = s };
	pthread_t t;

	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	assert_int_equal(pthread_create(&t, NULL, raise_rounds, &r), 0);
	for (uint32_t round = 1; round <= ROUNDS; round++) {
		wr(s, RB, g->global_mask, 1);
		atomic_store(&r.go, round);
		for (uint32_t spin = (round * 7u) % 64u * 8u; spin; spin--)
			npu_cpu_relax();
		wr(s, RB, g->global_mask, 0);
		while (atomic_load(&r.done) != round)
			;
		if (!irq_readable(s)) {
			atomic_store(&r.go, ROUNDS + 1u);
			pthread_join(t, NULL);
			fail_msg(
			    "round %u: the source pending with the mask clear sent no interrupt",
			    round);
		}
		wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_MMU0);
		npu_sim_irq_ack(s);
		assert_false(irq_readable(s));
	}
	pthread_join(t, NULL);
}

static void raise_mmu0(struct npu_sim *s)
{
	pthread_mutex_lock(&s->lock);
	sim_icb_raise(s, ICB_MMU0);
	pthread_mutex_unlock(&s->lock);
}

/*
 * The interrupt watched without sleeping (sim.h, npu_sim_irq_spin): it shows
 * in npu_sim_irq_pending with no eventfd write while the host watches; the
 * end of the watch writes the eventfd for an interrupt not yet taken; one
 * taken (npu_sim_irq_take) is lowered, and the service's unmask sends it
 * again while its source is still pending.
 */
static void test_watch(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;

	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	wr(s, RB, f->g->global_mask, 0);
	assert_false(npu_sim_irq_pending(s));
	npu_sim_irq_spin(s, true);
	raise_mmu0(s);
	assert_true(npu_sim_irq_pending(s));
	assert_false(irq_readable(s));
	npu_sim_irq_spin(s, false);
	assert_true(irq_readable(s));
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_MMU0);
	npu_sim_irq_ack(s);
	assert_false(npu_sim_irq_pending(s));
	assert_false(irq_readable(s));

	/*
	 * Taken as delivered, serviced with the source left pending: the
	 * service's unmask sends it again, to the watcher, with no eventfd write.
	 */
	npu_sim_irq_spin(s, true);
	raise_mmu0(s);
	assert_true(npu_sim_irq_take(s));
	assert_false(npu_sim_irq_pending(s));
	assert_false(npu_sim_irq_take(s));
	wr(s, RB, f->g->global_mask, 1);
	wr(s, RB, f->g->global_mask, 0);
	assert_true(npu_sim_irq_take(s));
	wr(s, RB, f->g->global_mask, 1);
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_MMU0);
	wr(s, RB, f->g->global_mask, 0);
	assert_false(npu_sim_irq_take(s));
	npu_sim_irq_spin(s, false);
	assert_false(irq_readable(s));

	/*
	 * A watch that ends with the interrupt untaken writes the eventfd even
	 * when the model believes it written: a take may have drained that
	 * write's count before its flag was set (here: drained by hand).
	 */
	raise_mmu0(s);
	assert_true(irq_readable(s));
	{
		uint64_t count;

		assert_int_equal(read(npu_sim_irq_fd(s), &count, sizeof(count)), sizeof(count));
	}
	assert_false(irq_readable(s));
	npu_sim_irq_spin(s, true);
	npu_sim_irq_spin(s, false);
	assert_true(irq_readable(s));
	wr(s, RB, f->g->global_mask, 1);
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_MMU0);
	wr(s, RB, f->g->global_mask, 0);
	npu_sim_irq_ack(s);
	assert_false(irq_readable(s));
	assert_false(npu_sim_irq_pending(s));

	/* Masked: nothing is sent; the unmask sends it (§2.6). */
	wr(s, RB, f->g->global_mask, 1);
	npu_sim_irq_spin(s, true);
	raise_mmu0(s);
	assert_false(npu_sim_irq_pending(s));
	wr(s, RB, f->g->global_mask, 0);
	assert_true(npu_sim_irq_take(s));
	wr(s, RB, f->g->global_mask, 1);
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_MMU0);
	wr(s, RB, f->g->global_mask, 0);
	npu_sim_irq_spin(s, false);
	assert_false(irq_readable(s));
	assert_false(npu_sim_irq_pending(s));
}

/*
 * Each round the firmware raises a source around the moment the host stops
 * watching: once both are done, the interrupt unacknowledged must have
 * reached the eventfd, whichever came first, or a host that sleeps next
 * would never wake for it.
 */
static void test_watch_end_race(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;
	struct raiser r = { .s = s };
	pthread_t t;

	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	wr(s, RB, f->g->global_mask, 0);
	assert_int_equal(pthread_create(&t, NULL, raise_rounds, &r), 0);
	for (uint32_t round = 1; round <= ROUNDS; round++) {
		npu_sim_irq_spin(s, true);
		atomic_store(&r.go, round);
		for (uint32_t spin = (round * 7u) % 64u * 8u; spin; spin--)
			npu_cpu_relax();
		npu_sim_irq_spin(s, false);
		while (atomic_load(&r.done) != round)
			;
		if (!irq_readable(s)) {
			atomic_store(&r.go, ROUNDS + 1u);
			pthread_join(t, NULL);
			fail_msg("round %u: an interrupt raised as the watch ended never reached "
				 "the eventfd",
				 round);
		}
		wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, ICB_MMU0);
		npu_sim_irq_ack(s);
		assert_false(irq_readable(s));
		assert_false(npu_sim_irq_pending(s));
	}
	pthread_join(t, NULL);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		BOTH(test_per_job_accesses_while_busy),
		BOTH(test_int_stat_mirror),
		BOTH(test_fifo_concurrent),
		BOTH(test_unmask_race),
		BOTH(test_watch),
		BOTH(test_watch_end_race),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
