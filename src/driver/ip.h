/* SPDX-License-Identifier: MIT */
/*
 * The NPU IP, per generation (ip.c; docs/hardware.md §3.4): host subsystem, power
 * domain, AXI and NoC, CPU start, interrupts, the IPC FIFO. boot.c's steps.
 */
#ifndef NPU_DRIVER_IP_H
#define NPU_DRIVER_IP_H

#include <stdint.h>

struct npu_device;

int drv_ip_host_ss_configure(struct npu_device *d);
void drv_ip_idle_gen_disable(struct npu_device *d);
int drv_ip_pwr_domain_enable(struct npu_device *d);
int drv_ip_axi_enable(struct npu_device *d);
int drv_ip_top_noc_enable(struct npu_device *d);
void drv_ip_snoop_and_ssid(struct npu_device *d);
int drv_ip_cpu_start(struct npu_device *d, uint64_t entry);
void drv_ip_irq_clear(struct npu_device *d);
void drv_ip_irq_enable(struct npu_device *d);
void drv_ip_irq_disable(struct npu_device *d);
uint32_t drv_ip_fifo_fill(struct npu_device *d);
uint32_t drv_ip_fifo_pop(struct npu_device *d);

#endif
