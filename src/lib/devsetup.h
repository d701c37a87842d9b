/* SPDX-License-Identifier: MIT */
/*
 * Opening a device in this process, from the options a program or libnpu's
 * in-process mode was given: which device and generation, which firmware,
 * the simulated NPU's fault (NPU_SIM_FAULT) and its copy of the firmware
 * file (its "ROM"), the hang-detection period (NPU_TDR_TIMEOUT_MS), the
 * register trace. npuctl and libnpu's local transport share it.
 */
#ifndef NPU_LIB_DEVSETUP_H
#define NPU_LIB_DEVSETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "driver/device.h"
#include "platform/platform.h"

struct npu_devsetup_opts {
	const char *device;	 /* "auto" (NULL), "sim", or a PCI address */
	const char *gen;	 /* "37xx", "40xx"; NULL: 37xx */
	const char *firmware;	 /* NULL: search; none found: the synthetic image */
	const char *sim_fault;	 /* NULL: $NPU_SIM_FAULT */
	uint32_t tdr_timeout_ms; /* 0: $NPU_TDR_TIMEOUT_MS, else the driver's default */
	const char *sched;	 /* "os", "hws", "auto"; NULL: $NPU_SCHED, else auto */
	FILE *trace;		 /* the register trace (the caller's), or NULL */
};

/*
 * Fills the platform and device configurations from the options and the
 * environment and reads the simulated NPU's ROM copy of the firmware file
 * into *rom (free it after the platform is closed; NULL when there is none).
 * Returns 0, or -EINVAL with `why` naming the option or variable at fault.
 */
int npu_devsetup_prepare(const struct npu_devsetup_opts *o, struct npu_platform_config *pcfg,
			 struct npu_device_config *dcfg, uint8_t **rom, size_t *rom_size, char *why,
			 size_t why_len);

/*
 * Opens the platform and binds the device to it (not booted). On failure
 * `why` says what failed in plain words. *dev_open tells whether
 * drv_device_close is owed (it is even when drv_device_open failed).
 */
int npu_devsetup_open(struct npu_platform_config *pcfg, const struct npu_device_config *dcfg,
		      struct npu_platform **plat, struct npu_device *dev, bool *dev_open, char *why,
		      size_t why_len);

#endif
