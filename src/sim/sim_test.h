/* SPDX-License-Identifier: MIT */
/*
 * The device model's test interface: what tests of the other layers may do
 * to the simulated NPU besides what the bus does (sim.h). A test that plays
 * the firmware stops the model's own, then takes the host's messages and
 * posts its own through these calls; a test of the interrupt service raises
 * the device's interrupt sources. The model's private state (sim_internal.h)
 * stays the model's own, and its own tests'.
 *
 * Every call but npu_sim_test_lock/unlock needs the model's lock held, as
 * the model's firmware holds it: take it around a sequence of them.
 */
#ifndef NPU_SIM_SIM_TEST_H
#define NPU_SIM_SIM_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

struct npu_boot_params;

/* Entries of each IPC FIFO (to the firmware, to the host). */
#define NPU_SIM_FIFO_DEPTH 256u

void npu_sim_test_lock(struct npu_sim *sim);
void npu_sim_test_unlock(struct npu_sim *sim);

/* The model's firmware stops serving (as after a fatal error): the test is the firmware. */
void npu_sim_test_fw_stop(struct npu_sim *sim);
/* The next IPC header address the host posted to the firmware; -EAGAIN when none. */
int npu_sim_test_fw_take(struct npu_sim *sim, uint32_t *hdr_va);
/* How many the host posted that the firmware has not taken. */
unsigned npu_sim_test_fw_pending(const struct npu_sim *sim);
/* Posts an IPC header address to the host (and interrupts it); -ENOSPC when its FIFO is full. */
int npu_sim_test_post_to_host(struct npu_sim *sim, uint32_t hdr_va);
/* How many posted to the host it has not read yet. */
unsigned npu_sim_test_host_pending(const struct npu_sim *sim);

/*
 * An access of the NPU to its memory through its MMU, as its firmware (ssid
 * 0) or a job makes it: a fault is recorded and interrupts the host as the
 * device's would. Returns 0 or the negative errno of the fault.
 */
int npu_sim_test_access(struct npu_sim *sim, uint32_t ssid, uint64_t va, void *buf, size_t len,
			bool write);
/* Changes the injected fault (sim_fault.h) from now on. */
void npu_sim_test_set_fault(struct npu_sim *sim, enum npu_sim_fault fault);
/* The DMA arena (its "physical" memory): where the CPU sees it and its size. */
void npu_sim_test_arena(const struct npu_sim *sim, void **cpu, size_t *size);

/* Interrupt sources: bits of ICB_STATUS_0/1 and of the buttress's INTERRUPT_STAT. */
void npu_sim_test_icb_raise(struct npu_sim *sim, uint64_t bits);
uint64_t npu_sim_test_icb_status(const struct npu_sim *sim);
void npu_sim_test_btrs_raise(struct npu_sim *sim, uint32_t bits);

/* The firmware's TIM watchdog registers (TIM_WDOG_EN, TIM_WATCHDOG, TIM_GEN_CONFIG). */
struct npu_sim_test_tim {
	uint32_t wdog_en, watchdog, gen_config;
};
void npu_sim_test_tim_get(const struct npu_sim *sim, struct npu_sim_test_tim *tim);
void npu_sim_test_tim_set(struct npu_sim *sim, const struct npu_sim_test_tim *tim);

/* The device's SMMU registers and its count of translation faults. */
struct npu_sim_test_mmu {
	uint32_t cr0, cr1, irq_ctrl, strtab_cfg;
	uint64_t cmdq_base;
	uint32_t cmdq_prod, cmdq_cons, evtq_prod, evtq_cons;
	uint32_t gerror;
	uint64_t faults;
};
void npu_sim_test_mmu_get(const struct npu_sim *sim, struct npu_sim_test_mmu *mmu);
/* Sets cmdq_base, evtq_prod and evtq_cons (as a device gone wrong would); the rest is ignored. */
void npu_sim_test_mmu_set(struct npu_sim *sim, const struct npu_sim_test_mmu *mmu);
/*
 * Reads len bytes of device memory at bus address pa as the device would: snooped (the
 * CPU's view of write-back buffers) or not (memory). 0, or -EFAULT outside memory.
 */
int npu_sim_test_mem_read(struct npu_sim *sim, uint64_t pa, void *buf, size_t len, bool snooped);
/* Accesses the model refused or ignored (a driver that follows the rules makes none). */
uint64_t npu_sim_test_guest_errors(const struct npu_sim *sim);

/*
 * The firmware log writer: takes the log buffers bp names (as at boot), and
 * writes an INFO record of text, or the record of a job that ended.
 */
void npu_sim_test_fwlog_init(struct npu_sim *sim, const struct npu_boot_params *bp);
void npu_sim_test_fwlog_info(struct npu_sim *sim, const char *text);
void npu_sim_test_fwlog_job(struct npu_sim *sim, uint32_t db, uint32_t ssid, uint32_t job_id,
			    uint32_t status);

#endif
