/* SPDX-License-Identifier: MIT */
/*
 * Interrupt service (docs/hardware.md §2.6, docs/firmware-protocol.md §6): buttress errors, then
 * the IP's ICB: IPC FIFO, MMU event queue and global error, watchdogs, NoC
 * firewall. Errors that need a full recovery set d->need_recovery with the
 * reason; the caller (job wait) runs the recovery.
 */
#ifndef NPU_DRIVER_IRQ_H
#define NPU_DRIVER_IRQ_H

#include <stdint.h>

struct npu_device;

/* Services whatever is pending. Returns the ICB_STATUS_0 bits it handled. */
uint32_t drv_irq_handle(struct npu_device *d);

/*
 * The interrupt taken by a watch of the platform's irq_take
 * (drv_device_poll): serviced as drv_irq_handle does (no irq_ack).
 */
void drv_irq_service_taken(struct npu_device *d);

/*
 * Waits up to timeout_us for the interrupt fd, then services it. Returns 0
 * after servicing, -ETIMEDOUT when nothing came, -EIO on a poll failure.
 */
int drv_irq_wait(struct npu_device *d, uint32_t timeout_us);

#endif
