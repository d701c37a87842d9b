/* SPDX-License-Identifier: MIT */
/* Servicing the device from an event loop (service.c). */
#ifndef NPU_DRIVER_SERVICE_H
#define NPU_DRIVER_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

struct npu_device;

/*
 * For event loops (the daemon) instead of drv_job_wait: drv_device_irq when
 * the platform's interrupt fd polls readable (services and acknowledges it),
 * drv_device_service after it and whenever the time it returned has come
 * (faulted contexts, a recovery the interrupt service asked for, hang
 * detection of queued jobs). drv_device_service returns the monotonic time
 * in ns when it wants to run next, UINT64_MAX when nothing is queued.
 */
void drv_device_irq(struct npu_device *d);
uint64_t drv_device_service(struct npu_device *d);
/*
 * The fast path of an event loop with jobs in flight: watches for the
 * device's interrupt without sleeping (the platform's irq_take, which
 * reads no register) for up to window_ns and services it when it comes, as
 * drv_device_irq would; stop (may be NULL), asked every few looks, ends it
 * early (the loop's other sources have something). True when it serviced;
 * drv_device_service and the loop's progress then follow as after an
 * interrupt. False at once on a platform without irq_take. Nothing is
 * lost either way: an interrupt not serviced here wakes the interrupt fd.
 */
bool drv_device_poll(struct npu_device *d, uint64_t window_ns, bool (*stop)(void *arg), void *arg);
/* How long a wait, or an event loop with jobs in flight, watches before it sleeps on the interrupt. */
#define NPU_POLL_WINDOW_NS 20000u

#endif
