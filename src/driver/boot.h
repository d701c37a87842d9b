/* SPDX-License-Identifier: MIT */
/* Booting the NPU and powering it down (boot.c). */
#ifndef NPU_DRIVER_BOOT_H
#define NPU_DRIVER_BOOT_H

#include <stdbool.h>

struct npu_device;

/*
 * Power-up, MMU, firmware load, CPU start, wait for the ready message,
 * interrupts on (docs/hardware.md §3). Returns 0 when READY was received; else a
 * negative errno with d->fail_step and d->fail_reason saying what failed.
 */
int drv_device_boot(struct npu_device *d);

/* The way down: interrupts off, IP reset, workpoint disable, D0i3 entry. */
int drv_device_power_down(struct npu_device *d);

/* The power-down; keep_fw keeps the firmware memory for a warm boot. */
int drv_device_power_off(struct npu_device *d, bool keep_fw);

#endif
