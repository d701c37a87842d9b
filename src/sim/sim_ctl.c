/* SPDX-License-Identifier: MIT */
/*
 * Host controls of the simulated NPU (sim_ctl.h).
 */
#include "sim/sim_ctl.h"

#include "sim/sim_internal.h"
#include "util/log.h"

void npu_sim_reset(struct npu_sim *sim)
{
	sim_host_lock(sim);
	/* The order of npu_sim_create: the IP reset stops the firmware. */
	sim_btrs_reset(sim);
	sim_ip_reset(sim);
	sim_mmu_reset(sim);
	sim_irq_resend(sim);
	pthread_mutex_unlock(&sim->lock);
	npu_dbg(SIM, "cold reset");
}

void npu_sim_set_fault(struct npu_sim *sim, enum npu_sim_fault fault)
{
	sim_host_lock(sim);
	sim->fault = fault;
	pthread_mutex_unlock(&sim->lock);
	npu_dbg(SIM, "fault injection now %s", npu_sim_fault_name(fault));
}

enum npu_sim_fault npu_sim_get_fault(struct npu_sim *sim)
{
	enum npu_sim_fault f;

	sim_host_lock(sim);
	f = sim->fault;
	pthread_mutex_unlock(&sim->lock);
	return f;
}

void npu_sim_set_fwlog_echo(struct npu_sim *sim, bool on)
{
	sim_host_lock(sim);
	sim->fwlog_echo = on;
	pthread_mutex_unlock(&sim->lock);
}

void npu_sim_irq_rearm(struct npu_sim *sim)
{
	sim_host_lock(sim);
	sim_irq_drain(sim);
	atomic_store_explicit(&sim->host.fd_written, 0, memory_order_seq_cst);
	atomic_store_explicit(&sim->host.msi, 0, memory_order_seq_cst);
	pthread_mutex_unlock(&sim->lock);
}
