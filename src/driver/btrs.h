/* SPDX-License-Identifier: MIT */
/*
 * The buttress, per generation (btrs.c; docs/hardware.md §3.2, §3.3): D0i3,
 * workpoint, IP reset, interrupts, the PLL ratio. boot.c's steps.
 */
#ifndef NPU_DRIVER_BTRS_H
#define NPU_DRIVER_BTRS_H

#include <stdbool.h>
#include <stdint.h>

struct npu_device;

int drv_btrs_init(struct npu_device *d);
int drv_btrs_d0i3_exit(struct npu_device *d);
int drv_btrs_d0i3_enter(struct npu_device *d);
int drv_btrs_wp_drive(struct npu_device *d, bool enable);
int drv_btrs_lnl_setup(struct npu_device *d);
int drv_btrs_clock_own_ack(struct npu_device *d);
void drv_btrs_port_arbitration(struct npu_device *d);
int drv_btrs_ip_reset(struct npu_device *d);
void drv_btrs_irq_enable(struct npu_device *d);
void drv_btrs_irq_disable(struct npu_device *d);
uint32_t drv_btrs_vpu_status(struct npu_device *d);
/* VPU_STATUS says READY and IDLE (Linux ivpu_hw_is_idle). */
bool drv_btrs_idle(struct npu_device *d);
uint32_t drv_btrs_pll_ratio(struct npu_device *d);
uint32_t drv_btrs_ratio_to_mhz(const struct npu_device *d, uint32_t ratio);

#endif
