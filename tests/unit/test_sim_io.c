/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's I/O reactions, checked against the reference
 * (docs/hardware.md §2.0, §2.6, §2.7; docs/firmware-protocol.md §1.5, §6): the interrupt line,
 * the IPC FIFOs, doorbells, the timer block, unmapped and dead MMIO, and the
 * DMA arena. Each test runs for 37xx and 40xx.
 */
#include <unistd.h>

#include "sim_test_util.h"

/* The NPU raising ICB bits, as its firmware thread does: under the model's lock. */
static void raise_icb(struct npu_sim *s, uint64_t bits)
{
	pthread_mutex_lock(&s->lock);
	sim_icb_raise(s, bits);
	pthread_mutex_unlock(&s->lock);
}

static void test_icb_interrupt_line(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;

	/* Raised but not enabled: no interrupt. */
	wr(s, RB, g->global_mask, 0);
	raise_icb(s, NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0), 0x10u);
	assert_false(irq_readable(s));

	/* Enabled (64-bit) under the global mask: still none. */
	wr(s, RB, g->global_mask, 1);
	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_1), 0x7u);
	assert_false(irq_readable(s));

	/* Global mask cleared: the line rises. */
	wr(s, RB, g->global_mask, 0);
	assert_true(irq_readable(s));

	/* Serviced: clear the source (32-bit), acknowledge; nothing left. */
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, 0x10u);
	npu_sim_irq_ack(s);
	assert_false(irq_readable(s));

	/* Acknowledged while still pending: signalled again. */
	raise_icb(s, NPU_37XX_HOST_SS_ICB_STATUS_0_MMU_IRQ_0);
	assert_true(irq_readable(s));
	npu_sim_irq_ack(s);
	assert_true(irq_readable(s));
	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, NPU_37XX_ICB_ENABLE_VAL);
	npu_sim_irq_ack(s);
	assert_false(irq_readable(s));
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0), 0);

	/* Buttress sources go through LOCAL_INT_MASK; STAT clears by writing 1s. */
	pthread_mutex_lock(&s->lock);
	s->btrs.int_stat |= 2u; /* ATS_ERR */
	sim_irq_update(s);
	pthread_mutex_unlock(&s->lock);
	assert_false(irq_readable(s));
	wr(s, RB, g->local_mask, ~2u);
	assert_true(irq_readable(s));
	wr(s, RB, g->int_stat, 2u);
	assert_int_equal(rd(s, RB, g->int_stat), 0);
	npu_sim_irq_ack(s);
	assert_false(irq_readable(s));
}

/*
 * Setting GLOBAL_INT_MASK does not wait for the firmware: it is taken while
 * the model's lock is held elsewhere (here by the test, as the firmware
 * thread would hold it serving a job), and gates what is raised meanwhile.
 * Clearing it re-sends the interrupt for anything pending, also when the line
 * was high when the mask was set (§2.6 step 4).
 */
static void drain_irq_fd(struct npu_sim *s)
{
	uint64_t buf[8];

	while (read(npu_sim_irq_fd(s), buf, sizeof(buf)) > 0)
		;
}

static void test_global_mask_while_busy(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;

	npu_sim_write64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0, NPU_37XX_ICB_ENABLE_VAL);
	wr(s, RB, g->global_mask, 0);
	pthread_mutex_lock(&s->lock);
	npu_sim_write32(s, RB, g->global_mask, 1); /* would deadlock if it took the lock */
	sim_icb_raise(s, NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO);
	pthread_mutex_unlock(&s->lock);
	assert_int_equal(rd(s, RB, g->global_mask), 1);
	assert_false(irq_readable(s));
	wr(s, RB, g->global_mask, 0);
	assert_true(irq_readable(s));

	/*
	 * The line is high (still pending, the notification consumed) when the
	 * mask is set: clearing the mask signals again.
	 */
	drain_irq_fd(s);
	assert_false(irq_readable(s));
	pthread_mutex_lock(&s->lock);
	npu_sim_write32(s, RB, g->global_mask, 1);
	pthread_mutex_unlock(&s->lock);
	wr(s, RB, g->global_mask, 0);
	assert_true(irq_readable(s));

	/* Cleared and raised again under the mask: signalled at the unmask, not before. */
	wr(s, RB, g->global_mask, 1);
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, 0x10u);
	npu_sim_irq_ack(s);
	assert_false(irq_readable(s));
	raise_icb(s, NPU_37XX_HOST_SS_ICB_STATUS_0_HOST_IPC_FIFO);
	assert_false(irq_readable(s));
	wr(s, RB, g->global_mask, 0);
	assert_true(irq_readable(s));
	wr(s, RV, NPU_37XX_HOST_SS_ICB_CLEAR_0, 0x10u);
	npu_sim_irq_ack(s);
	assert_false(irq_readable(s));

	/* A dead device drops the write, as it drops every other. */
	s->fault = NPU_SIM_FAULT_DEAD_MMIO;
	npu_sim_write32(s, RB, g->global_mask, 1);
	s->fault = NPU_SIM_FAULT_NONE;
	assert_int_equal(rd(s, RB, g->global_mask), 0);
}

static void test_ipc_fifos(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint32_t stat, v;
	int ret;

	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(sim_ip_post_to_host(s, 0x90000000u + i * 0x40u), 0);
	pthread_mutex_unlock(&s->lock);
	stat = rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, stat), 3);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_WRITE_PTR, stat), 3);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_READ_PTR, stat), 0);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_ICB_STATUS_0) & 0x10u, 0x10u);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM),
				 0x90000000u + i * 0x40u);
	stat = rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, stat), 0);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_READ_PTR, stat), 3);
	/* Empty: 0, and a guest error. */
	v = guest_errors(s);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM), 0);
	assert_int_equal(guest_errors(s), v + 1);

	/* 256 entries fit; the 257th does not. A full FIFO never shows fill level 0. */
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < SIM_FIFO_DEPTH; i++)
		assert_int_equal(sim_ip_post_to_host(s, i), 0);
	ret = sim_ip_post_to_host(s, 0xDEAD);
	pthread_mutex_unlock(&s->lock);
	assert_int_equal(ret, -ENOSPC);
	stat = rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT);
	assert_int_equal(npu_field_get(NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT_FILL_LEVEL, stat), 255);
	for (uint32_t i = 0; i < SIM_FIFO_DEPTH; i++) {
		assert_int_not_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT) & 0xFF0000u, 0);
		assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_ATM), i);
	}
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT) & 0xFF0000u, 0);

	/* Host to NPU: the TX register pushes for the firmware. */
	wr(s, RV, g->tim_fifo, 0x90001000u);
	pthread_mutex_lock(&s->lock);
	ret = sim_fifo_pop(&s->ip.to_fw, &v);
	pthread_mutex_unlock(&s->lock);
	assert_int_equal(ret, 0);
	assert_int_equal(v, 0x90001000u);
}

static void test_doorbells(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint32_t rung[8];
	uint64_t errs;

	wr(s, RV, g->doorbell0 + 5u * 0x1000u, 1u);
	wr(s, RV, g->doorbell0 + 6u * 0x1000u, 0u); /* no SET: nothing */
	/* Rung while the lock is held elsewhere (the firmware serving): taken all the same. */
	pthread_mutex_lock(&s->lock);
	npu_sim_write32(s, RV, g->doorbell0 + 255u * 0x1000u, 1u);
	pthread_mutex_unlock(&s->lock);
	/* As two 32-bit halves, the low one the doorbell: rung too. */
	npu_sim_write64(s, RV, g->doorbell0 + 9u * 0x1000u, 1u);
	errs = guest_errors(s);
	wr(s, RV, g->doorbell0 + 7u * 0x1000u + 4u, 1u); /* not a doorbell register */
	assert_int_equal(guest_errors(s), errs + 1);
	for (int i = 0; i < 8; i++)
		rung[i] = atomic_load(&s->fw.doorbells_rung[i]);
	assert_int_equal(rung[0], 1u << 5 | 1u << 9);
	assert_int_equal(rung[7], 1u << 31);
	for (int i = 1; i < 7; i++)
		assert_int_equal(rung[i], 0);
}

static void test_timer_block(void **state)
{
	struct fx *f = *state;
	const struct gen *g = f->g;
	struct npu_sim *s = f->s;
	uint64_t a, b;

	/* The watchdog takes writes only right after the TIM_SAFE unlock. */
	wr(s, RV, g->tim_watchdog, 0x1234u);
	assert_int_equal(rd(s, RV, g->tim_watchdog), 0);
	wr(s, RV, g->tim_safe, NPU_37XX_CPU_SS_TIM_SAFE_UNLOCK);
	wr(s, RV, g->tim_watchdog, 0xFFFFFFFFu);
	assert_int_equal(rd(s, RV, g->tim_watchdog), 0xFFFFFFFFu);
	wr(s, RV, g->tim_wdog_en, 1u); /* the unlock was used up */
	assert_int_equal(rd(s, RV, g->tim_wdog_en), 0);

	/* The free-running counter advances at 38.4 MHz. */
	a = npu_sim_read64(s, RV, g->perf);
	sleep_us(1000);
	b = npu_sim_read64(s, RV, g->perf);
	assert_true(b - a >= 38400u * 9u / 10u);
	assert_true(b - a < 38400u * 1000u);
}

static void test_unmapped_offsets(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = f->s;
	uint64_t errs = guest_errors(s);

	assert_int_equal(rd(s, RV, 0x00012344u), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RB, 0x800u), 0xFFFFFFFFu);
	assert_int_equal(rd(s, 2, 0), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RV, NPU_SIM_BAR0_SIZE), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RB, NPU_SIM_BAR4_SIZE - 2u), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RB, 0x2u), 0xFFFFFFFFu); /* misaligned */
	assert_int_equal(npu_sim_read64(s, RV, NPU_SIM_BAR0_SIZE - 4u), UINT64_MAX);
	assert_int_equal(rd(s, RB, UINT64_MAX - 1u), 0xFFFFFFFFu);
	wr(s, RV, 0x00012344u, 1u);
	wr(s, 3, 0, 1u);
	npu_sim_write64(s, RB, NPU_SIM_BAR4_SIZE, 1u);
	assert_int_equal(guest_errors(s), errs + 11);
	/* A generation's registers are not the other's. */
	if (f->g->gen == NPU_GEN_37XX)
		assert_int_equal(rd(s, RV, NPU_40XX_CPU_SS_TIM_IPC_FIFO), 0xFFFFFFFFu);
	else
		assert_int_equal(rd(s, RV, NPU_37XX_CPU_SS_MSSCPU_CPR_LEON_RT_VEC), 0xFFFFFFFFu);
	/* The model still works. */
	assert_int_equal(rd(s, RB, f->g->d0i3), 4u);
}

static void test_dead_mmio(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = create(f->g, NPU_SIM_FAULT_DEAD_MMIO, 1u << 20);

	assert_int_equal(rd(s, RB, f->g->d0i3), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RB, f->g->fmin), 0xFFFFFFFFu);
	assert_int_equal(rd(s, RV, NPU_37XX_HOST_SS_TIM_IPC_FIFO_STAT), 0xFFFFFFFFu);
	assert_int_equal(npu_sim_read64(s, RV, NPU_37XX_HOST_SS_ICB_ENABLE_0), UINT64_MAX);
	wr(s, RB, f->g->d0i3, 0);
	pthread_mutex_lock(&s->lock);
	assert_int_equal(s->btrs.d0i3, 4u); /* the write went nowhere */
	pthread_mutex_unlock(&s->lock);
	npu_sim_destroy(s);
}

static void test_dma_arena(void **state)
{
	struct fx *f = *state;
	struct npu_sim *s = create(f->g, NPU_SIM_FAULT_NONE, 64u * 4096u);
	void *a, *b, *c;
	uint64_t pa, pb, pc, errs;

	assert_int_equal(npu_sim_dma_alloc(s, 3 * 4096, &a, &pa), 0);
	assert_int_equal(pa, NPU_SIM_MEM_BASE);
	assert_int_equal(npu_sim_dma_alloc(s, 1, &b, &pb), 0);
	assert_int_equal(pb, NPU_SIM_MEM_BASE + 3 * 4096);
	memset(a, 0xAB, 3 * 4096);
	pthread_mutex_lock(&s->lock);
	assert_ptr_equal(sim_mem_ptr(s, pa, 3 * 4096), a);
	assert_ptr_equal(sim_mem_ptr(s, pb + 100, 8), (uint8_t *)b + 100);
	assert_null(sim_mem_ptr(s, NPU_SIM_MEM_BASE - 1, 1));
	assert_null(sim_mem_ptr(s, NPU_SIM_MEM_BASE + 64 * 4096 - 4, 8));
	assert_null(sim_mem_ptr(s, NPU_SIM_MEM_BASE + 8, SIZE_MAX));
	assert_null(sim_mem_ptr(s, UINT64_MAX, 1));
	pthread_mutex_unlock(&s->lock);

	/* Exhaustion, then first fit into the hole a free leaves; reused memory is zeroed. */
	assert_int_equal(npu_sim_dma_alloc(s, 61 * 4096, &c, &pc), -ENOMEM);
	assert_int_equal(npu_sim_dma_alloc(s, 60 * 4096, &c, &pc), 0);
	assert_int_equal(npu_sim_dma_alloc(s, 4096, &c, &pc), -ENOMEM);
	npu_sim_dma_free(s, pa);
	assert_int_equal(npu_sim_dma_alloc(s, 2 * 4096, &c, &pc), 0);
	assert_int_equal(pc, pa);
	for (size_t i = 0; i < 2 * 4096; i++)
		assert_int_equal(((uint8_t *)c)[i], 0);
	assert_int_equal(npu_sim_dma_alloc(s, 2 * 4096, &c, &pc), -ENOMEM);

	/* Double free, interior and foreign addresses: guest errors, nothing freed. */
	errs = guest_errors(s);
	npu_sim_dma_free(s, pa + 2 * 4096);
	npu_sim_dma_free(s, pa + 4096);
	npu_sim_dma_free(s, 0x1000);
	npu_sim_dma_free(s, pb + 1);
	npu_sim_dma_free(s, UINT64_MAX & ~0xFFFull);
	assert_int_equal(guest_errors(s), errs + 5);
	npu_sim_dma_free(s, pb);
	npu_sim_dma_free(s, pb);
	assert_int_equal(guest_errors(s), errs + 6);
	/* First fit: the page left free before pb comes first. */
	assert_int_equal(npu_sim_dma_alloc(s, 4096, &c, &pc), 0);
	assert_int_equal(pc, pa + 2 * 4096);
	assert_int_equal(npu_sim_dma_alloc(s, 4096, &c, &pc), 0);
	assert_int_equal(pc, pb);
	assert_int_equal(npu_sim_dma_alloc(s, 0, &c, &pc), -EINVAL);
	assert_int_equal(npu_sim_dma_alloc(s, SIZE_MAX, &c, &pc), -ENOMEM);
	npu_sim_destroy(s);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		BOTH(test_icb_interrupt_line),
		BOTH(test_global_mask_while_busy),
		BOTH(test_ipc_fifos),
		BOTH(test_doorbells),
		BOTH(test_timer_block),
		BOTH(test_unmapped_offsets),
		BOTH(test_dead_mmio),
		BOTH(test_dma_arena),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
