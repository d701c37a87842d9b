/* SPDX-License-Identifier: MIT */
/*
 * A fake Redox kernel for the redox tests: it defines the redox_* calls of
 * src/redox/redox_shim.h on Linux and answers them the way Redox does
 * (docs/redox.md, Redox interfaces), with a simulated NPU behind the device.
 *
 * - pcid: the channel in PCID_CLIENT_CHANNEL speaks bincode (Config,
 *   features, MSI set-up); BARs map through it at (bar << 61 | memtype << 59).
 *   A mapped BAR is inaccessible memory: every access must go through the
 *   npu_redox_mmio_* accessors, which hand it to the simulated NPU.
 * - memory scheme: zeroed@wb?phys_contiguous gives the simulated NPU's DMA
 *   memory, MAP_PRIVATE only, at most 4 MiB, rounded up to a power of two
 *   of pages; translation turns an address into its "physical" (bus) one.
 * - irq scheme: bsp, cpu-00/<n> (O_CREAT; a few taken), legacy lines; read
 *   gives the count, writing it back acknowledges and unmasks; an interrupt
 *   reaches only the event queues that exist when it comes (fake_event.c).
 * - event queues (/scheme/event), and relibc's poll() over them.
 * - scheme creation: the capability, create-scheme (a socketpair whose other
 *   end is the kernel's), the root descriptor, registration of the name.
 * - uid: the daemon's; anything but the memory scheme's zeroed memory needs 0.
 * - setrens(0, 0): afterwards only the memory scheme opens (the event
 *   queue's scheme, event, included: ENODEV).
 *
 * The client side (fk_*) writes 64-byte requests on the kernel's end of the
 * scheme socket and reads 16-byte replies, running the daemon's loop through
 * a pump callback in between (the test is one thread).
 */
#ifndef NPU_TEST_FAKE_KERNEL_H
#define NPU_TEST_FAKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/gen.h"
#include "redox/redox_shim.h"

struct npu_sim;

struct fk_config {
	enum npu_gen gen; /* UNKNOWN: 37xx */
	bool no_msi;	  /* the function offers no MSI (nor MSI-X unless msix): the legacy line */
	bool msix;	  /* it offers MSI-X too, its table in BAR2 (FK_MSIX_ENTRIES entries) */
	bool scatter_dma; /* DMA chunks over one buffer come back physically apart */
	uint32_t uid;	  /* the daemon's */
	unsigned irq_taken; /* cpu-00/<n> already taken from 16 on */
};

int fk_start(const struct fk_config *cfg);
void fk_stop(void);
struct npu_sim *fk_sim(void);

/* What the daemon did, for the tests to check. */
struct fk_state {
	unsigned bars_mapped;	     /* BAR mappings live */
	bool bar_uc;		     /* every BAR mapping asked uncached */
	unsigned dma_chunks;	     /* DMA chunks mapped now */
	unsigned dma_shared_refused; /* MAP_SHARED phys_contiguous attempts */
	bool msi_enabled;
	bool msix_enabled;
	bool msix_masked_at_enable; /* every table entry was masked when MSI-X was enabled */
	uint64_t msi_addr;
	uint32_t msi_data;
	unsigned irq_opened; /* the cpu-00/<n> or legacy line opened, +1; 0: none */
	size_t irq_fd;	     /* its descriptor */
	bool legacy_irq;
	char scheme_name[32]; /* registered; kept after the socket closes, as the namespace does */
	unsigned names_removed; /* unlink of /scheme/<name> */
	bool null_ns;
	unsigned irq_edges;    /* interrupts the irq line counted */
	unsigned irq_acks;     /* counts written back that unmasked the line */
	unsigned event_queues; /* /scheme/event opened */
	unsigned pcid_bad_requests;
	unsigned replies_refused; /* writes of replies cut at a bad one */
};
const struct fk_state *fk_state(void);
#define FK_MSIX_ENTRIES 8u
/* MSI-X table entry i: address low, high, data, vector control. */
void fk_msix_entry(unsigned i, uint32_t out[4]);
/* Back to the namespace the process started in (a new process of the daemon's, say). */
void fk_leave_null_ns(void);

/* --- the client side of the scheme socket --- */

typedef void (*fk_pump_fn)(void *arg);
void fk_set_pump(fk_pump_fn fn, void *arg);

/* Sends a raw request (tag filled in and returned) and waits for its reply. */
int64_t fk_request(struct redox_sqe *q, struct redox_cqe *out);
/* Sends a request that gets no reply (CloseMsg, Detach): no flags, tag 0, as the kernel does. */
void fk_oneway(struct redox_sqe *q);
/* Sends a request without waiting; returns its tag. */
uint32_t fk_send(struct redox_sqe *q);
/* Sends a request in two writes, first bytes then the rest, the daemon run in between. */
uint32_t fk_send_split(struct redox_sqe *q, size_t first);
/* Cancels the request with that tag (the caller was interrupted): a one-way Cancel. */
void fk_cancel(uint32_t tag);
/* Waits up to max_turns pump turns for the reply to tag; false if none came. */
bool fk_wait(uint32_t tag, struct redox_cqe *out, unsigned max_turns);
/* SendFevent completions seen for a handle. */
unsigned fk_fevents(uint64_t handle);

/*
 * A client's redox_* calls on /scheme/<name>/... (open, read, write, mmap,
 * munmap, close) become the requests the kernel sends the daemon, as this
 * uid and gid (default 0, 0). libnpu's scheme transport runs over them.
 */
void fk_client_as(uint32_t uid, uint32_t gid);
/* The client's mappings of the daemon's buffers now. */
unsigned fk_client_maps(void);

int64_t fk_open(const char *path, uint32_t uid, uint32_t gid, uint32_t flags);
int64_t fk_read(uint64_t h, void *buf, size_t len, uint64_t off, uint64_t flags);
int64_t fk_write(uint64_t h, const void *buf, size_t len);
int64_t fk_call(uint64_t h, void *buf, size_t len, uint64_t meta0);
int64_t fk_mmap(uint64_t h, size_t size, uint64_t off); /* MmapPrep: the address */
int64_t fk_fstat(uint64_t h, struct redox_stat *st);
int64_t fk_fevent(uint64_t h, uint32_t flags);
void fk_close(uint64_t h);

#endif
