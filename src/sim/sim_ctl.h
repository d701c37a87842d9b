/* SPDX-License-Identifier: MIT */
/*
 * Controls a host of the simulated NPU has besides the bus: a cold reset (PCI
 * function level reset, vfio-user DEVICE_RESET) and fault injection switched
 * while the device runs (the vfio-user server's hang control).
 */
#ifndef NPU_SIM_SIM_CTL_H
#define NPU_SIM_SIM_CTL_H

#include <stdbool.h>

#include "platform/platform.h"

struct npu_sim;

/* Everything back to its power-on state: buttress, IP, MMU, firmware stopped. */
void npu_sim_reset(struct npu_sim *sim);
/* The fault injected from now on (NPU_SIM_FAULT_NONE: none). */
void npu_sim_set_fault(struct npu_sim *sim, enum npu_sim_fault fault);
enum npu_sim_fault npu_sim_get_fault(struct npu_sim *sim);
/*
 * For a host that delivers the model's interrupt as an MSI (the vfio-user
 * server): takes the signal off the eventfd and re-arms the line's edge
 * without looking at the sources again. The MSI the host sends for this
 * signal makes the driver service every source pending now (it reads
 * ICB_STATUS and the buttress in its handler, docs/hardware.md §2.6); any
 * source raised after this call signals anew, as an MSI is sent again for a
 * new interrupt once the last was delivered. Unlike npu_sim_irq_ack, it does
 * not signal again for sources still pending: the driver has not serviced
 * them yet, and a message per poll would flood it.
 */
void npu_sim_irq_rearm(struct npu_sim *sim);
/* Firmware log records also printed to the host's log (category fw, level info). */
void npu_sim_set_fwlog_echo(struct npu_sim *sim, bool on);

#endif
