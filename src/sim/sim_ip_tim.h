/* SPDX-License-Identifier: MIT */
/*
 * Private to sim_ip.c and sim_ip_tim.c: the IP's timer block and IPC FIFOs
 * (host side HOST_SS_TIM_IPC_FIFO_ATM/STAT, CPU side CPU_SS_TIM_*), the
 * doorbells and the free-running counter.
 *
 * Each function returns whether the offset is one of its registers; the
 * caller treats the others. Called with sim->lock held.
 */
#ifndef NPU_SIM_SIM_IP_TIM_H
#define NPU_SIM_SIM_IP_TIM_H

#include <stdbool.h>
#include <stdint.h>

struct npu_sim;

bool sim_tim_read32(struct npu_sim *s, uint64_t off, uint32_t *val);
bool sim_tim_write32(struct npu_sim *s, uint64_t off, uint32_t val);
/* The registers read as one 64-bit value (TIM_PERF); others: false. */
bool sim_tim_read64(struct npu_sim *s, uint64_t off, uint64_t *val);

#endif
