/* SPDX-License-Identifier: MIT */
/* The names of the simulated NPU's faults (NPU_SIM_FAULT). */
#include "sim/sim_fault.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static const char *const fault_names[] = {
	[NPU_SIM_FAULT_NONE] = "none",
	[NPU_SIM_FAULT_NO_READY] = "no-ready",
	[NPU_SIM_FAULT_LATE_READY] = "late-ready",
	[NPU_SIM_FAULT_BAD_READY] = "bad-ready",
	[NPU_SIM_FAULT_PLL_NO_LOCK] = "pll-no-lock",
	[NPU_SIM_FAULT_DEAD_MMIO] = "dead-mmio",
	[NPU_SIM_FAULT_HANG_JOB] = "hang-job",
	[NPU_SIM_FAULT_IPC_GARBAGE] = "ipc-garbage",
};

#define FAULT_COUNT (sizeof(fault_names) / sizeof(fault_names[0]))

int npu_sim_fault_parse(const char *s, enum npu_sim_fault *out)
{
	if (!s || !out)
		return -EINVAL;
	for (size_t i = 0; i < FAULT_COUNT; i++) {
		if (strcmp(s, fault_names[i]) == 0) {
			*out = (enum npu_sim_fault)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *npu_sim_fault_name(enum npu_sim_fault f)
{
	if ((unsigned)f < FAULT_COUNT)
		return fault_names[f];
	return "unknown";
}
