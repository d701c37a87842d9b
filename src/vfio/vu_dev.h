/* SPDX-License-Identifier: MIT */
/*
 * The virtual NPU served over vfio-user (QEMU's docs/interop/vfio-user.rst):
 * the simulated NPU (src/sim) behind a PCI function with the silicon's config
 * space (docs/hardware.md §1), the guest's DMA regions as the model's memory,
 * and the model's interrupt line relayed to the guest's MSI (or INTx) eventfd.
 *
 * vu_dev_handle() is the whole protocol: one message in, at most one reply
 * out, no I/O of its own, so that tests and the fuzzer drive it directly.
 * vu_conn.c moves messages between it and a socket.
 */
#ifndef NPU_VFIO_VU_DEV_H
#define NPU_VFIO_VU_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/gen.h"
#include "vfio/vu_proto.h"

struct npu_sim;

#define VU_CFG_SIZE 4096u /* PCI Express extended config space */
#define VU_NUM_BARS 6u

/* One DMA_MAP region: device addresses [iova, iova + size), at host (NULL: no fd given). */
struct vu_dma_region {
	uint64_t iova;
	uint64_t size;
	uint8_t *host;
};

/* The guest's DMA regions, sorted by iova, none overlapping (vu_dma.c). */
struct vu_dma {
	struct vu_dma_region *r;
	unsigned n, cap;
};

struct vu_dev_config {
	enum npu_gen gen;
	uint16_t device_id; /* 0: the generation's first (0x7D1D, 0x643E) */
	uint8_t revision;   /* 0: NPU_VU_REVISION_DEFAULT */
};

#define NPU_VU_REVISION_DEFAULT 4u /* the usual MTL and LNL B0 stepping (docs/hardware.md §1) */

struct vu_dev {
	struct npu_sim *sim; /* not owned */
	enum npu_gen gen;
	uint16_t device_id;
	uint8_t revision;
	uint8_t cfg[VU_CFG_SIZE];
	uint8_t cfg_wmask[256]; /* writable bits of the first 256 bytes; the rest reads as set */
	uint8_t cfg_w1c[256];	/* write-one-to-clear bits */
	uint64_t bar_size[VU_NUM_BARS];
	int irq_fd[VU_PCI_NUM_IRQS]; /* the guest's eventfd per interrupt index, or -1 */
	bool intx_masked;
	bool intx_pending;
	bool negotiated; /* VERSION done */
	struct vu_dma dma;
	/* Counters (npu-vfio-user's exit summary, tests). */
	uint64_t msgs, errors, resets, irqs_sent, irqs_dropped;
	unsigned long shrunk_seen; /* vu_dma_shrunk() when last told */
};

/* What vu_dev_handle wants done with the connection after a message. */
struct vu_reply {
	uint8_t *buf; /* reply bytes (header first), VU_MAX_MSG of room */
	size_t len;   /* 0: no reply (No_reply, or the connection is dropped) */
	bool close;   /* the stream cannot be trusted any more: drop the client */
};

int vu_dev_init(struct vu_dev *d, struct npu_sim *sim, const struct vu_dev_config *cfg);
/* Unmaps every DMA region, closes the eventfds, takes the model's memory backend off. */
void vu_dev_fini(struct vu_dev *d);
/* A client went away: its DMA regions and eventfds go, the device is reset (cold). */
void vu_dev_disconnect(struct vu_dev *d);
/* DEVICE_RESET or a function level reset (logged as what): config space and the model anew. */
void vu_dev_reset(struct vu_dev *d, const char *what);

/*
 * Handles one whole message of len bytes (len >= 16 and its header's size
 * equal to len, which vu_conn.c checks) with the fds that came with it; every
 * fd is consumed (kept or closed). Fills out (out->buf has VU_MAX_MSG bytes).
 */
void vu_dev_handle(struct vu_dev *d, const uint8_t *msg, size_t len, int *fds, size_t nfds,
		   struct vu_reply *out);

/* The model's interrupt line rose (its eventfd was readable): relay it to the guest. */
void vu_dev_irq(struct vu_dev *d);

/* vu_pci.c: config space. */
void vu_pci_init(struct vu_dev *d);
void vu_pci_read(struct vu_dev *d, uint64_t off, uint8_t *buf, uint32_t count);
void vu_pci_write(struct vu_dev *d, uint64_t off, const uint8_t *buf, uint32_t count);
/* The function in D0 (in D3hot it does not answer its BARs). */
bool vu_pci_mem_enabled(const struct vu_dev *d);
/* INTx not disabled in the Command register. */
bool vu_pci_intx_enabled(const struct vu_dev *d);
/* The PCIe and PM capability offsets (tests). */
#define VU_CAP_PCIE 0x40u
#define VU_CAP_MSI  0x80u
#define VU_CAP_PM   0xDCu

/* vu_dma.c: the DMA regions and the model's memory backend over them. */
int vu_dma_map(struct vu_dev *d, uint64_t iova, uint64_t size, uint64_t offset, uint32_t prot,
	       int fd);
int vu_dma_unmap(struct vu_dev *d, uint64_t iova, uint64_t size, bool all);
void vu_dma_fini(struct vu_dev *d);
/* The host pointer for [pa, pa + len), or NULL; the model's map op (sim_mem_backend.h). */
void *vu_dma_ptr(const struct vu_dma *dma, uint64_t pa, size_t len, size_t *avail);
extern const struct npu_sim_mem_ops vu_dma_mem_ops;
/* Pages of DMA regions found gone (their file shrunk under them) and replaced by zero pages. */
unsigned long vu_dma_shrunk(void);

#endif
