/* SPDX-License-Identifier: MIT */
/*
 * Opening the device a command works on, from the global options: which
 * device (--device, --gen), which firmware (--firmware), the register trace
 * (--trace-mmio) and, for the simulated NPU, NPU_SIM_FAULT.
 */
#ifndef NPUCTL_DEVOPEN_H
#define NPUCTL_DEVOPEN_H

#include <stdio.h>

#include "cli.h"
#include "driver/device.h"

struct npuctl_dev {
	struct npu_platform_config pcfg;
	struct npu_platform *plat;
	struct npu_device dev;
	bool dev_open;
	FILE *trace;
	uint8_t *rom; /* the simulated NPU's copy of the firmware file */
	size_t rom_size;
	char device_name[64]; /* "sim" or the PCI address */
};

/*
 * Opens platform and device (not booted). Returns NPUCTL_EXIT_OK, or the exit
 * code after printing one "npuctl: ..." line. Close with npuctl_dev_close in
 * every case.
 */
int npuctl_dev_open(const struct npuctl *ctl, struct npuctl_dev *nd);
/* Returns -EIO when the --trace-mmio file could not be written in full (said on stderr). */
int npuctl_dev_close(struct npuctl_dev *nd);

/* Says which boot step failed and why: "npuctl: boot failed at <step>: <reason>". */
void npuctl_dev_boot_failed(const struct npuctl_dev *nd);

/* Prints the register snapshot (the diagnostic dump) on out. */
void npuctl_dev_dump(struct npuctl_dev *nd, FILE *out);

#endif
