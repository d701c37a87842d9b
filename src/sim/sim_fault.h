/* SPDX-License-Identifier: MIT */
/*
 * Fault-injection knobs of the simulated NPU (NPU_SIM_FAULT, docs/simulator.md).
 * The model's own: the simulated platform backend passes the one configured
 * (struct npu_platform_config) on to npu_sim_create.
 */
#ifndef NPU_SIM_SIM_FAULT_H
#define NPU_SIM_SIM_FAULT_H

enum npu_sim_fault {
	NPU_SIM_FAULT_NONE = 0,
	NPU_SIM_FAULT_NO_READY,	   /* the firmware never posts the ready message */
	NPU_SIM_FAULT_LATE_READY,  /* ready arrives late, within the boot timeout */
	NPU_SIM_FAULT_BAD_READY,   /* ready carries a wrong data_addr */
	NPU_SIM_FAULT_PLL_NO_LOCK, /* the workpoint request never locks the PLL */
	NPU_SIM_FAULT_DEAD_MMIO,   /* every register read returns 0xFFFFFFFF */
	NPU_SIM_FAULT_HANG_JOB,	   /* jobs are taken, never completed; the heartbeat stops */
	NPU_SIM_FAULT_IPC_GARBAGE, /* malformed IPC messages are posted alongside real ones */
};

/* Parses an NPU_SIM_FAULT value ("no-ready", ...); -EINVAL when unknown. */
int npu_sim_fault_parse(const char *s, enum npu_sim_fault *out);
const char *npu_sim_fault_name(enum npu_sim_fault f);

#endif
