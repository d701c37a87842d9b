/* SPDX-License-Identifier: MIT */
/*
 * Private to the Redox backend: the platform's state, shared by
 * platform_redox.c (BARs, DMA, the ops) and irq_setup.c (the interrupt).
 */
#ifndef NPU_REDOX_PLATFORM_INTERNAL_H
#define NPU_REDOX_PLATFORM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"
#include "redox/events.h"
#include "redox/pcid.h"

#define NO_FD ((size_t)-1)

struct redox_platform {
	struct npu_platform base; /* first: the ops get back with container_of */
	size_t chan_fd, trans_fd, irq_fd;
	size_t dma_fd[3]; /* by enum npu_dma_caching: zeroed@wb, @wc, @uc */
	volatile uint8_t *bar[NPU_PLATFORM_BARS];
	size_t bar_len[NPU_PLATFORM_BARS];
	struct npu_pcid_config cfg;
	struct npu_redox_events ev;   /* the daemon's one event queue (events.h) */
	volatile uint8_t *msix_entry; /* MSI-X: the table entry in use, masked at close */
};

#define to_rp(p) ((struct redox_platform *)((char *)(p)-offsetof(struct redox_platform, base)))

/* open() of a Redox path, close-on-exec. */
size_t npu_redox_open_path(const char *path, uint32_t flags);
/* Maps BAR bar uncached through the pcid channel; it must hold min_size bytes. */
int npu_redox_map_bar(struct redox_platform *rp, unsigned bar, uint64_t min_size);
/* irq_setup.c: MSI-X, else MSI, else the legacy line; rp->irq_fd. */
int npu_redox_irq_setup(struct redox_platform *rp);
/* Masks the MSI-X entry in use, if any: its vector goes back to the irq scheme. */
void npu_redox_irq_mask(struct redox_platform *rp);

#endif
