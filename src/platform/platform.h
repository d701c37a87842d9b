/* SPDX-License-Identifier: MIT */
/*
 * The platform interface: everything the driver core needs of the OS.
 *
 * Open the PCI device, reach its BARs, allocate DMA memory (CPU pointer plus
 * device address), wait for the interrupt (a waitable fd), read a file, read
 * the clock. One const table of operations per backend: the simulated NPU
 * (platform_sim.c) and Redox (src/redox/platform_redox.c); there is no Linux VFIO
 * backend for real NPUs on Linux. The driver core uses nothing else of
 * the OS, so it is the same code on silicon and on the device model.
 */
#ifndef NPU_PLATFORM_PLATFORM_H
#define NPU_PLATFORM_PLATFORM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hw/dma_caching.h"
#include "hw/gen.h"
#include "sim/sim_fault.h"

#define NPU_PLATFORM_BARS 6

/* One physically contiguous piece of a DMA buffer. */
struct npu_dma_seg {
	uint64_t addr; /* device address of its first byte */
	size_t size;   /* bytes, a multiple of 4 KiB */
};

/* Pieces a platform may split a buffer into; larger buffers it refuses (-ENOMEM). */
#define NPU_DMA_SEGS_MAX 256u
/* Buffers up to this size always come as one piece (MMU tables, queues, IPC). */
#define NPU_DMA_ONE_PIECE_MAX ((size_t)4 << 20)

/* Direction of a cache maintenance operation (ops->dma_sync). */
enum npu_dma_dir {
	NPU_DMA_TO_DEVICE,   /* CPU cache -> memory: the device then reads what the CPU wrote */
	NPU_DMA_FROM_DEVICE, /* drop the CPU's lines: it then reads what the device wrote */
};

/*
 * What a buffer is for, as npu_dma_alloc takes it: its caching, whether the
 * device's accesses to it snoop the CPU's caches, and a name for
 * diagnostics (npuctl diag). Static storage: the buffer keeps the pointer.
 */
struct npu_dma_use {
	const char *name;
	enum npu_dma_caching caching;
	bool snooped;
};

/*
 * A DMA buffer: what the CPU sees (one contiguous mapping) and what the device
 * uses. Most platforms give one physically contiguous piece at addr. Where
 * the OS gives at most so much contiguous memory at a time (Redox: 4 MiB), a
 * larger buffer comes in pieces, listed in segs in CPU order (the first at
 * addr); the NPU's MMU maps them behind one NPU address range.
 */
struct npu_dma {
	void *cpu;	  /* CPU mapping, valid until freed */
	uint64_t addr;	  /* device (bus) address of the first byte */
	size_t size;	  /* bytes, a multiple of 4 KiB */
	uintptr_t handle; /* backend's own */
	const struct npu_dma_seg
	    *segs; /* NULL: one piece; else n_segs of them, owned by the backend */
	unsigned n_segs;
	enum npu_dma_caching caching;  /* how cpu is mapped */
	const struct npu_dma_use *use; /* as allocated (NULL for a backend's own buffers) */
};

struct npu_platform;

struct npu_platform_ops {
	const char *name;
	/*
	 * Register access for backends that trap it (the simulator). Backends
	 * that map BARs leave these NULL and set npu_platform.bar_base[] instead.
	 */
	uint32_t (*read32)(struct npu_platform *p, unsigned bar, uint64_t off);
	void (*write32)(struct npu_platform *p, unsigned bar, uint64_t off, uint32_t val);
	uint64_t (*read64)(struct npu_platform *p, unsigned bar, uint64_t off);
	void (*write64)(struct npu_platform *p, unsigned bar, uint64_t off, uint64_t val);
	/*
	 * Zeroed, 4 KiB aligned memory the device can reach, mapped for the CPU
	 * with the caching asked for (the zeroes are in memory, not only in the
	 * CPU's cache): physically contiguous up to NPU_DMA_ONE_PIECE_MAX, in
	 * pieces (npu_dma.segs) above it where the OS cannot do better.
	 */
	int (*dma_alloc)(struct npu_platform *p, size_t size, enum npu_dma_caching caching,
			 struct npu_dma *out);
	void (*dma_free)(struct npu_platform *p, struct npu_dma *dma);
	/*
	 * Cache maintenance of bytes [off, off + len) of a write-back buffer:
	 * TO_DEVICE writes the CPU's lines back to memory (x86: clflushopt or
	 * clflush per line, then sfence), FROM_DEVICE drops them so that the
	 * next CPU read comes from memory. Never called for WC/UC buffers.
	 */
	void (*dma_sync)(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len,
			 enum npu_dma_dir dir);
	/*
	 * Optional (NULL: -EOPNOTSUPP): makes the buffer's memory shareable with
	 * another process and returns a file descriptor for it (a memfd on
	 * Linux), owned by the buffer and closed by dma_free. Asking again gives
	 * the same fd. The device keeps seeing the same memory at the same address.
	 */
	int (*dma_share)(struct npu_platform *p, struct npu_dma *dma);
	/* An fd that polls readable while the device's interrupt is pending. */
	int (*irq_fd)(struct npu_platform *p);
	/* Consumes the pending interrupt notification (after servicing it). */
	void (*irq_ack)(struct npu_platform *p);
	/*
	 * Optional (NULL: a wait sleeps on the interrupt at once): whether the
	 * interrupt has come, answered at once, without blocking and without
	 * touching the device; true takes it, as its delivery does (the caller
	 * services it, and the service's GLOBAL_INT_MASK clear sends it again
	 * for anything still pending; no irq_ack follows). What a wait watches
	 * instead of a status register, so that a completion costs the register
	 * reads of its service and no more. irq_spin (optional) brackets such a
	 * watch, on then off: the platform may skip its fd's wake-up while
	 * someone watches, and must make it at the end of the watch for an
	 * interrupt not yet taken.
	 */
	bool (*irq_take)(struct npu_platform *p);
	void (*irq_spin)(struct npu_platform *p, bool on);
	/*
	 * Optional, for an OS whose interrupt is not a pollable fd (Redox: the
	 * daemon's one event queue, src/redox/events.h): waits up to timeout_us
	 * for the interrupt. Returns 1 when it came, 0 when not in time, or
	 * -errno. NULL: irq_fd is polled.
	 */
	int (*irq_wait)(struct npu_platform *p, uint32_t timeout_us);
	/* Reads a whole file (e.g. firmware); files over max_size are -EFBIG. */
	int (*read_file)(struct npu_platform *p, const char *path, size_t max_size, uint8_t **data,
			 size_t *size);
	/*
	 * Optional (NULL: none): the firmware file the platform has built in, for
	 * when none is installed; the simulated NPU answers with the synthetic
	 * image its model runs. A malloc'd copy the caller frees; -ENOENT: none.
	 */
	int (*builtin_firmware)(struct npu_platform *p, uint8_t **data, size_t *size);
	/* Monotonic clock. */
	uint64_t (*now_ns)(struct npu_platform *p);
	/* Optional wall clock, ns since 1970 (NULL: the C library's CLOCK_REALTIME). */
	uint64_t (*realtime_ns)(struct npu_platform *p);
	/* Sleeps at least us microseconds. */
	void (*delay_us)(struct npu_platform *p, uint32_t us);
	/* Releases everything open() took. */
	void (*close)(struct npu_platform *p);
};

/* The device as the platform found it. */
struct npu_platform_pci {
	char bdf[32]; /* "sim" for the simulated NPU */
	uint16_t vendor;
	uint16_t device;
	uint8_t revision;
	enum npu_gen gen;
	const char *platform; /* "Meteor Lake", ... */
	uint64_t bar_size[NPU_PLATFORM_BARS];
};

struct npu_platform {
	const struct npu_platform_ops *ops;
	struct npu_platform_pci pci;
	/* Mapped BARs (uncached), or NULL where ops->read32/write32 trap accesses. */
	volatile uint8_t *bar_base[NPU_PLATFORM_BARS];
	bool simulated;
	/* Bytes of DMA memory the backend can give in all; 0: it cannot say (npuctl status). */
	uint64_t dma_mem_size;
	/*
	 * Device addresses must fit in this many bits (37xx: 38, docs/hardware.md
	 * §2.5; Linux ivpu_hw_37xx.c: DMA mask); 0: no limit. Set by the driver.
	 */
	unsigned dma_addr_bits;
	struct npu_dma_registry *dma_reg; /* npu_dma_regions (platform/dma.c) */
};

struct npu_platform_config {
	const char *device;	  /* "auto" (default when NULL), "sim", or a PCI address */
	enum npu_gen gen;	  /* simulated NPU's generation; UNKNOWN means 37xx */
	const char *sysfs_root;	  /* NULL: /sys (or $NPU_SYSFS_ROOT) */
	enum npu_sim_fault fault; /* simulated NPU only */
	/*
	 * Simulated NPU only: the firmware file the simulated NPU checks the
	 * loaded image against (its "ROM"; the caller keeps it alive while the
	 * platform is open). NULL: the built-in synthetic image.
	 */
	const uint8_t *sim_fw_file;
	size_t sim_fw_file_size;
	/* Filled by open: why auto chose what it chose, for the user. */
	char note[160];
};

/*
 * Opens the device the config names. "auto" uses an NPU found on the PCI bus
 * when this build has a backend for it, otherwise the simulated NPU, and says
 * which in cfg->note. Returns 0 or a negative errno (-ENODEV: no such device;
 * -EOPNOTSUPP: a generation or backend this build cannot drive).
 */
int npu_platform_open(struct npu_platform_config *cfg, struct npu_platform **out);
void npu_platform_close(struct npu_platform *p);

/*
 * Allocates a DMA buffer for use (caching, snooping, name), and records it
 * for npu_dma_regions. The device addresses of the whole buffer fit in
 * p->dma_addr_bits (-ENOMEM otherwise, nothing kept). 0 or -errno.
 */
int npu_dma_alloc(struct npu_platform *p, size_t size, const struct npu_dma_use *use,
		  struct npu_dma *out);
void npu_dma_free(struct npu_platform *p, struct npu_dma *dma);

/*
 * Makes what the CPU wrote into bytes [off, off + len) of the buffer visible
 * to the device: for a write-back buffer a cache flush of the range, then a
 * store fence; for a write-combined or uncached one the fence alone. Call it
 * after writing device-visible data and before the register access that
 * tells the device to look (which npu_dma_wmb still orders).
 */
void npu_dma_flush(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len);
/*
 * Before the CPU reads what a non-snooping device wrote into a write-back
 * buffer: drops the CPU's stale lines of the range. Nothing to do otherwise.
 */
void npu_dma_invalidate(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len);

/* One live allocation, as npuctl diag shows it. */
struct npu_dma_region {
	const char *name;
	size_t size;
	uint64_t device_address;
	enum npu_dma_caching caching;
	bool snooped;
};

/*
 * Copies up to max of the platform's live allocations into out (oldest
 * first); returns how many there are in all (may exceed max).
 */
size_t npu_dma_regions(struct npu_platform *p, struct npu_dma_region *out, size_t max);
/* "wb", "wc", "uc". */
const char *npu_dma_caching_name(enum npu_dma_caching c);
/* Forgets every recorded allocation (the platform is closing). */
void npu_dma_regions_release(struct npu_platform *p);

/* The device address of byte off of the buffer (off < size). */
static inline uint64_t npu_dma_addr_at(const struct npu_dma *dma, size_t off)
{
	if (!dma->segs)
		return dma->addr + off;
	for (unsigned i = 0; i < dma->n_segs; i++) {
		if (off < dma->segs[i].size)
			return dma->segs[i].addr + off;
		off -= dma->segs[i].size;
	}
	return 0; /* past the end: not a device address the driver ever uses */
}

static inline int npu_dma_share(struct npu_platform *p, struct npu_dma *dma)
{
	if (!p->ops->dma_share || !dma->cpu)
		return -EOPNOTSUPP;
	return p->ops->dma_share(p, dma);
}

static inline uint64_t npu_now_ns(struct npu_platform *p)
{
	return p->ops->now_ns(p);
}

/* Wall-clock time, ns since 1970 (boot parameters' system_time_us, as ktime_get_real). */
static inline uint64_t npu_realtime_ns(struct npu_platform *p)
{
	struct timespec ts;

	if (p->ops->realtime_ns)
		return p->ops->realtime_ns(p);
	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
