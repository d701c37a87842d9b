/* SPDX-License-Identifier: MIT */
/* Recovering the device, and a user context's MMU fault (recover.c). */
#ifndef NPU_DRIVER_RECOVER_H
#define NPU_DRIVER_RECOVER_H

#include <stdint.h>

struct npu_ctx;
struct npu_device;

/*
 * A full recovery (docs/firmware-protocol.md §3.7, docs/hardware.md §3.6):
 * state dump, power-down, every queued job ABORTED, cold boot, contexts back
 * in place. Returns 0, or the boot's error (the device is then FAILED and
 * submits return -EIO).
 */
int drv_device_recover(struct npu_device *d, const char *reason);

/*
 * A user context's MMU fault (the interrupt service, for an event on a user
 * SSID; JOB_DONE with status 0xE): the context is faulted, its queued jobs end
 * ABORTED, later submits get -EBADFD. Its doorbell is unregistered and its SSID
 * released at the next wait or submit (not from inside interrupt service).
 * Unknown SSIDs are ignored. Safe to call from IPC dispatch.
 */
void drv_ctx_fault(struct npu_device *d, uint32_t ssid, const char *why);

/*
 * Sends the faulted context's UNREGISTER_DB and SSID_RELEASE once
 * (docs/firmware-protocol.md §2.5).
 */
void drv_ctx_abort_send(struct npu_ctx *c);

#endif
