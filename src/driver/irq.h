/* SPDX-License-Identifier: MIT */
/*
 * Interrupt service (docs/hardware.md §2.6, docs/firmware-protocol.md §6): buttress errors, then
 * the IP's ICB: IPC FIFO, MMU event queue and global error, watchdogs, NoC
 * firewall. Errors that need a full recovery set d->need_recovery with the
 * reason; the caller (job wait) runs the recovery.
 */
#ifndef NPU_DRIVER_IRQ_H
#define NPU_DRIVER_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct npu_device;

/* Services whatever is pending. Returns the ICB_STATUS_0 bits it handled. */
uint32_t drv_irq_handle(struct npu_device *d);

/*
 * Polling, for a wait's first phase. drv_irq_poll_begin masks the interrupt
 * (GLOBAL_INT_MASK): the device raises no MSI while the host looks for
 * itself. drv_irq_poll reads ICB_STATUS_0 once and, when it shows something
 * the service handles, services everything pending; true when it did.
 * drv_irq_poll_end unmasks, which signals anything still pending, so the
 * sleeping phase that may follow misses nothing.
 */
void drv_irq_poll_begin(struct npu_device *d);
bool drv_irq_poll(struct npu_device *d);
void drv_irq_poll_end(struct npu_device *d);

/*
 * Waits up to timeout_us for the interrupt fd, then services it. Returns 0
 * after servicing, -ETIMEDOUT when nothing came, -EIO on a poll failure.
 */
int drv_irq_wait(struct npu_device *d, uint32_t timeout_us);

#endif
