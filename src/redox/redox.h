/* SPDX-License-Identifier: MIT */
/*
 * The Redox platform backend (platform_redox.c): the NPU that pcid handed this
 * process through PCID_CLIENT_CHANNEL, its BARs mapped uncached through the
 * channel, DMA memory from the memory scheme, one MSI vector (or the legacy
 * line) from the irq scheme.
 */
#ifndef NPU_REDOX_REDOX_H
#define NPU_REDOX_REDOX_H

#include "platform/platform.h"

/*
 * Opens the device of PCID_CLIENT_CHANNEL. Must run as root and before the
 * daemon leaves its namespace (it opens irq and pci paths). Returns 0, or
 * -ENOSYS (no Redox system calls in this program), -ENODEV (no channel, not
 * an Intel NPU), -EOPNOTSUPP (a generation this driver cannot run), or the
 * errno of the failed step, which it logs.
 */
int npu_platform_redox_open(const struct npu_platform_config *cfg, struct npu_platform **out);

struct npu_redox_events;
/*
 * The daemon's event queue (events.h), which the backend opens with the
 * irq descriptor subscribed; the scheme subscribes its socket. NULL when p
 * is not the Redox backend.
 */
struct npu_redox_events *npu_redox_platform_events(struct npu_platform *p);

/* The pcid channel fd in PCID_CLIENT_CHANNEL, or -ENODEV. */
int npu_redox_channel_from_env(size_t *fd);

#endif
