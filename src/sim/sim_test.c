/* SPDX-License-Identifier: MIT */
/* The device model's test interface (sim_test.h), over its own state. */
#include "sim/sim_test.h"

#include <errno.h>
#include <string.h>

#include "sim/sim_internal.h"

_Static_assert(NPU_SIM_FIFO_DEPTH == SIM_FIFO_DEPTH, "the FIFO depth tests see is the model's");

void npu_sim_test_lock(struct npu_sim *sim)
{
	pthread_mutex_lock(&sim->lock);
}

void npu_sim_test_unlock(struct npu_sim *sim)
{
	pthread_mutex_unlock(&sim->lock);
}

void npu_sim_test_fw_stop(struct npu_sim *sim)
{
	sim->fw.state = SIM_FW_FAILED;
}

int npu_sim_test_fw_take(struct npu_sim *sim, uint32_t *hdr_va)
{
	return sim_fifo_pop(&sim->ip.to_fw, hdr_va) == 0 ? 0 : -EAGAIN;
}

unsigned npu_sim_test_fw_pending(const struct npu_sim *sim)
{
	return sim->ip.to_fw.fill;
}

int npu_sim_test_post_to_host(struct npu_sim *sim, uint32_t hdr_va)
{
	return sim_ip_post_to_host(sim, hdr_va);
}

unsigned npu_sim_test_host_pending(const struct npu_sim *sim)
{
	return sim_host_fifo_fill(sim);
}

int npu_sim_test_access(struct npu_sim *sim, uint32_t ssid, uint64_t va, void *buf, size_t len,
			bool write)
{
	return sim_mmu_access(sim, ssid, va, buf, len, write);
}

int npu_sim_test_mem_read(struct npu_sim *sim, uint64_t pa, void *buf, size_t len, bool snooped)
{
	const void *src = sim_mem_view(sim, pa, len, snooped);

	if (!src)
		return -EFAULT;
	memcpy(buf, src, len);
	return 0;
}

void npu_sim_test_set_fault(struct npu_sim *sim, enum npu_sim_fault fault)
{
	sim->fault = fault;
}

void npu_sim_test_arena(const struct npu_sim *sim, void **cpu, size_t *size)
{
	*cpu = sim->mem;
	*size = sim->mem_size;
}

void npu_sim_test_icb_raise(struct npu_sim *sim, uint64_t bits)
{
	sim_icb_raise(sim, bits);
}

uint64_t npu_sim_test_icb_status(const struct npu_sim *sim)
{
	return atomic_load(&sim->host.icb_status);
}

void npu_sim_test_btrs_raise(struct npu_sim *sim, uint32_t bits)
{
	sim->btrs.int_stat |= bits;
	sim_irq_update(sim);
}

void npu_sim_test_tim_get(const struct npu_sim *sim, struct npu_sim_test_tim *tim)
{
	tim->wdog_en = sim->ip.tim_wdog_en;
	tim->watchdog = sim->ip.tim_watchdog;
	tim->gen_config = sim->ip.tim_gen_config;
}

void npu_sim_test_tim_set(struct npu_sim *sim, const struct npu_sim_test_tim *tim)
{
	sim->ip.tim_wdog_en = tim->wdog_en;
	sim->ip.tim_watchdog = tim->watchdog;
	sim->ip.tim_gen_config = tim->gen_config;
}

void npu_sim_test_mmu_get(const struct npu_sim *sim, struct npu_sim_test_mmu *mmu)
{
	mmu->cr0 = sim->mmu.cr0;
	mmu->cr1 = sim->mmu.cr1;
	mmu->irq_ctrl = sim->mmu.irq_ctrl;
	mmu->strtab_cfg = sim->mmu.strtab_cfg;
	mmu->cmdq_base = sim->mmu.cmdq_base;
	mmu->cmdq_prod = sim->mmu.cmdq_prod;
	mmu->cmdq_cons = sim->mmu.cmdq_cons;
	mmu->evtq_prod = sim->mmu.evtq_prod;
	mmu->evtq_cons = sim->mmu.evtq_cons;
	mmu->gerror = sim->mmu.gerror;
	mmu->faults = sim->mmu.faults;
}

void npu_sim_test_mmu_set(struct npu_sim *sim, const struct npu_sim_test_mmu *mmu)
{
	sim->mmu.cmdq_base = mmu->cmdq_base;
	sim->mmu.evtq_prod = mmu->evtq_prod;
	sim->mmu.evtq_cons = mmu->evtq_cons;
}

uint64_t npu_sim_test_guest_errors(const struct npu_sim *sim)
{
	return sim->guest_errors;
}

void npu_sim_test_fwlog_init(struct npu_sim *sim, const struct npu_boot_params *bp)
{
	sim_fwlog_init(sim, bp);
}

void npu_sim_test_fwlog_info(struct npu_sim *sim, const char *text)
{
	sim_fwlog(sim, SIM_LOG_INFO, "%s", text);
}

void npu_sim_test_fwlog_job(struct npu_sim *sim, uint32_t db, uint32_t ssid, uint32_t job_id,
			    uint32_t status)
{
	sim_fwlog_job(sim, db, ssid, job_id, status);
}
