/* SPDX-License-Identifier: MIT */
/* Diagnostics: a named snapshot of the registers that tell a device's state. */
#ifndef NPU_DRIVER_DIAG_H
#define NPU_DRIVER_DIAG_H

#include <stddef.h>
#include <stdint.h>

struct npu_device;

struct npu_reg_value {
	const char *name;
	unsigned bar;
	uint32_t offset;
	uint64_t value;
};

#define NPU_DIAG_MAX_REGS 32

/* Reads the state registers of d's generation into out; returns how many. */
size_t drv_diag_snapshot(struct npu_device *d, struct npu_reg_value *out, size_t max);

/* PLL ratio and frequency now (docs/hardware.md §3.2 conversion). */
void drv_diag_pll(struct npu_device *d, uint32_t *ratio, uint32_t *mhz);

#endif
