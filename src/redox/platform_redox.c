/* SPDX-License-Identifier: MIT */
/*
 * The platform backend on Redox (redox.h). Every system call goes through
 * the redox_* functions of redox_shim.h, so the same code runs against the
 * fake kernel of the tests.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */

#include "redox/redox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hw/gen.h"
#include "hw/pci_ids.h"
#include "platform/cache.h"
#include "platform/host.h"
#include "redox/events.h"
#include "redox/pcid.h"
#include "redox/platform_internal.h"
#include "redox/redox_shim.h"
#include "util/log.h"

struct redox_chunk {
	void *cpu;
	size_t len; /* what was mapped: a power of two of pages */
	uint64_t phys;
};

/* A DMA buffer's chunks; npu_dma.handle points here. */
struct redox_dma {
	void *reserve; /* the address range the chunks fill, or NULL for one chunk */
	size_t reserve_len;
	unsigned n;
	struct npu_dma_seg *segs; /* physically contiguous runs of chunks (npu_dma.segs) */
	unsigned n_segs;
	struct redox_chunk chunk[];
};

static uint32_t rx_read32(struct npu_platform *p, unsigned bar, uint64_t off)
{
	struct redox_platform *rp = to_rp(p);

	if (bar >= NPU_PLATFORM_BARS || !rp->bar[bar] || off + 4 > rp->bar_len[bar])
		return 0xFFFFFFFFu;
	return npu_redox_mmio_read32(rp->bar[bar] + off);
}

static void rx_write32(struct npu_platform *p, unsigned bar, uint64_t off, uint32_t val)
{
	struct redox_platform *rp = to_rp(p);

	if (bar < NPU_PLATFORM_BARS && rp->bar[bar] && off + 4 <= rp->bar_len[bar])
		npu_redox_mmio_write32(rp->bar[bar] + off, val);
}

static uint64_t rx_read64(struct npu_platform *p, unsigned bar, uint64_t off)
{
	struct redox_platform *rp = to_rp(p);

	if (bar >= NPU_PLATFORM_BARS || !rp->bar[bar] || off + 8 > rp->bar_len[bar])
		return UINT64_MAX;
	return npu_redox_mmio_read64(rp->bar[bar] + off);
}

static void rx_write64(struct npu_platform *p, unsigned bar, uint64_t off, uint64_t val)
{
	struct redox_platform *rp = to_rp(p);

	if (bar < NPU_PLATFORM_BARS && rp->bar[bar] && off + 8 <= rp->bar_len[bar])
		npu_redox_mmio_write64(rp->bar[bar] + off, val);
}

/* The physical address of the page at cpu (the memory scheme's translation handle). */
static int translate(struct redox_platform *rp, const void *cpu, uint64_t *phys)
{
	static const uint64_t no_meta[1]; /* none, but a real address: relibc makes a slice of it */
	uint64_t v = (uint64_t)(uintptr_t)cpu;
	size_t r =
	    redox_sys_call_v0(rp->trans_fd, (uint8_t *)&v, sizeof(v), REDOX_CALL_READ, no_meta, 0);

	if (redox_is_err(r))
		return -redox_errno(r);
	*phys = v;
	return 0;
}

/* Pages of len rounded up to a power of two, as the kernel hands them out. */
static size_t pow2_len(size_t len)
{
	size_t n = REDOX_PAGE_SIZE;

	while (n < len)
		n <<= 1;
	return n;
}

/* One physically contiguous chunk at addr (NULL: anywhere; else MAP_FIXED there). */
static int chunk_map(struct redox_platform *rp, void *addr, size_t len, size_t fd,
		     struct redox_chunk *c)
{
	uint32_t flags = REDOX_MAP_PRIVATE | (addr ? REDOX_MAP_FIXED : 0);
	uint64_t last = 0;
	size_t r;
	int ret;

	c->len = pow2_len(len);
	r = redox_mmap_v1(addr, c->len, REDOX_PROT_READ | REDOX_PROT_WRITE, flags, fd, 0);
	if (redox_is_err(r))
		return -redox_errno(r);
	c->cpu = (void *)r; /* NOLINT(performance-no-int-to-ptr): the call returns an address */
	ret = translate(rp, c->cpu, &c->phys);
	if (!ret)
		ret = translate(rp, (uint8_t *)c->cpu + c->len - REDOX_PAGE_SIZE, &last);
	if (!ret && last != c->phys + c->len - REDOX_PAGE_SIZE) {
		npu_err(PCI, "DMA memory asked physically contiguous is not (0x%llx.. then 0x%llx)",
			(unsigned long long)c->phys, (unsigned long long)last);
		ret = -EIO;
	}
	if (ret) {
		redox_munmap_v1(c->cpu, c->len);
		c->cpu = NULL;
	}
	return ret;
}

static void dma_release(struct redox_dma *h)
{
	for (unsigned i = 0; i < h->n; i++)
		redox_munmap_v1(h->chunk[i].cpu, h->chunk[i].len);
	if (h->reserve)
		munmap(h->reserve, h->reserve_len);
	free(h->segs);
	free(h);
}

/*
 * Buffers over 4 MiB: 4 MiB chunks mapped back to back into one reserved
 * range, so the CPU sees one buffer. Physically they lie where the memory
 * scheme put them: chunks that follow each other make one piece, and the
 * pieces go to the driver in npu_dma.segs, which the NPU's MMU maps behind
 * one NPU address range.
 */
static int dma_multi(struct redox_platform *rp, size_t size, size_t fd, struct redox_dma *h)
{
	size_t left = size;

	h->reserve_len = (size + REDOX_DMA_CHUNK_MAX - 1) & ~(size_t)(REDOX_DMA_CHUNK_MAX - 1);
	/* cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for */
	h->reserve = mmap(NULL, h->reserve_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h->reserve == MAP_FAILED) {
		h->reserve = NULL;
		return -ENOMEM;
	}
	h->segs = calloc(h->reserve_len / REDOX_DMA_CHUNK_MAX, sizeof(*h->segs));
	if (!h->segs)
		return -ENOMEM;
	for (unsigned i = 0; left; i++) {
		size_t len = left < REDOX_DMA_CHUNK_MAX ? left : REDOX_DMA_CHUNK_MAX;
		uint8_t *at = (uint8_t *)h->reserve + (size_t)i * REDOX_DMA_CHUNK_MAX;
		struct npu_dma_seg *last = h->n_segs ? &h->segs[h->n_segs - 1] : NULL;
		int ret = chunk_map(rp, at, len, fd, &h->chunk[i]);

		if (ret)
			return ret;
		h->n++;
		if (h->chunk[i].cpu != at)
			return -EIO;
		if (last && last->addr + last->size == h->chunk[i].phys)
			last->size += len;
		else
			h->segs[h->n_segs++] = (struct npu_dma_seg){ h->chunk[i].phys, len };
		left -= len;
	}
	if (h->n_segs > NPU_DMA_SEGS_MAX)
		return -ENOMEM;
	npu_dbg(PCI, "DMA buffer of %zu KiB: %u chunks in %u physical pieces", size >> 10, h->n,
		h->n_segs);
	return 0;
}

static int rx_dma_alloc(struct npu_platform *p, size_t size, enum npu_dma_caching caching,
			struct npu_dma *out)
{
	struct redox_platform *rp = to_rp(p);
	struct redox_dma *h;
	size_t rounded, n;
	int ret;

	if (!out || size == 0 || (unsigned)caching > NPU_DMA_UC)
		return -EINVAL;
	if (size > SIZE_MAX / 2)
		return -ENOMEM;
	rounded = (size + REDOX_PAGE_SIZE - 1) & ~(size_t)(REDOX_PAGE_SIZE - 1);
	n = (rounded + REDOX_DMA_CHUNK_MAX - 1) / REDOX_DMA_CHUNK_MAX;
	h = calloc(1, sizeof(*h) + n * sizeof(h->chunk[0]));
	if (!h)
		return -ENOMEM;
	if (n == 1) {
		ret = chunk_map(rp, NULL, rounded, rp->dma_fd[caching], &h->chunk[0]);
		h->n = ret ? 0 : 1;
	} else {
		ret = dma_multi(rp, rounded, rp->dma_fd[caching], h);
	}
	if (ret) {
		dma_release(h);
		out->cpu = NULL;
		return ret;
	}
	out->cpu = h->chunk[0].cpu;
	out->addr = h->chunk[0].phys;
	out->size = rounded;
	out->handle = (uintptr_t)h;
	out->segs = h->n_segs > 1 ? h->segs : NULL;
	out->n_segs = h->n_segs > 1 ? h->n_segs : 0;
	return 0;
}

static void rx_dma_free(struct npu_platform *p, struct npu_dma *dma)
{
	(void)p;
	if (!dma || !dma->cpu)
		return;
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): the handle is our own pointer */
	dma_release((struct redox_dma *)dma->handle);
	memset(dma, 0, sizeof(*dma));
}

/* clflush writes back and drops the lines: the same operation both ways. */
static void rx_dma_sync(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len,
			enum npu_dma_dir dir)
{
	(void)p;
	(void)dir;
	if (dma && dma->cpu && off < dma->size)
		npu_cpu_cache_flush((const uint8_t *)dma->cpu + off,
				    len > dma->size - off ? dma->size - off : len);
}

/*
 * The interrupt through the event queue: Redox's descriptors cannot be
 * poll()ed once the daemon is in the null namespace (relibc's poll opens a
 * queue of its own each call), and an interrupt reaches only the queues that
 * exist when it comes. 1: it came; 0: not in time.
 */
static int rx_irq_wait(struct npu_platform *p, uint32_t timeout_us)
{
	uint32_t ms = timeout_us / 1000u + (timeout_us % 1000u != 0);
	int r = npu_redox_events_wait(&to_rp(p)->ev, NPU_REDOX_EV_IRQ,
				      ms > INT32_MAX ? INT32_MAX : (int)ms);

	return r < 0 ? r : r != 0;
}

/* Acknowledges the interrupts counted so far: read the count, write it back. */
static void rx_irq_ack(struct npu_platform *p)
{
	struct redox_platform *rp = to_rp(p);
	uint64_t count;
	size_t r = redox_read_v1(rp->irq_fd, &count, sizeof(count));

	if (r == sizeof(count))
		redox_write_v1(rp->irq_fd, &count, sizeof(count));
}

static void rx_close(struct npu_platform *p)
{
	struct redox_platform *rp = to_rp(p);

	npu_redox_irq_mask(rp); /* before its BAR goes */
	for (unsigned i = 0; i < NPU_PLATFORM_BARS; i++) {
		/* The mapping, as munmap takes it: no access goes through it. */
		union {
			/* cppcheck-suppress unusedStructMember ; set, then read as addr */
			volatile uint8_t *bar;
			void *addr;
		} m = { .bar = rp->bar[i] };

		if (m.addr)
			redox_munmap_v1(m.addr, rp->bar_len[i]);
	}
	npu_redox_events_close(&rp->ev);
	if (rp->irq_fd != NO_FD)
		redox_close_v1(rp->irq_fd);
	if (rp->trans_fd != NO_FD)
		redox_close_v1(rp->trans_fd);
	for (unsigned i = 0; i < 3; i++)
		if (rp->dma_fd[i] != NO_FD)
			redox_close_v1(rp->dma_fd[i]);
	npu_dma_regions_release(p);
	if (rp->chan_fd != NO_FD)
		redox_close_v1(rp->chan_fd);
	free(rp);
}

static const struct npu_platform_ops redox_ops = {
	.name = "redox",
	.read32 = rx_read32,
	.write32 = rx_write32,
	.read64 = rx_read64,
	.write64 = rx_write64,
	.dma_alloc = rx_dma_alloc,
	.dma_free = rx_dma_free,
	.dma_sync = rx_dma_sync,
	.irq_ack = rx_irq_ack,
	.irq_wait = rx_irq_wait,
	.read_file = npu_host_read_file,
	.now_ns = npu_host_now_ns,
	.delay_us = npu_host_delay_us,
	.close = rx_close,
};

size_t npu_redox_open_path(const char *path, uint32_t flags)
{
	return redox_open_v1(path, strlen(path), flags | REDOX_O_CLOEXEC, 0);
}

int npu_redox_map_bar(struct redox_platform *rp, unsigned bar, uint64_t min_size)
{
	const struct npu_pcid_bar *b = &rp->cfg.bars[bar];
	size_t r;

	if (b->kind != NPU_PCID_BAR_MEM32 && b->kind != NPU_PCID_BAR_MEM64) {
		npu_err(PCI, "BAR%u is not a memory BAR", bar);
		return -ENODEV;
	}
	if (b->size < min_size || b->size > SIZE_MAX) {
		npu_err(PCI, "BAR%u is %llu bytes; the NPU's registers need %llu", bar,
			(unsigned long long)b->size, (unsigned long long)min_size);
		return -ENODEV;
	}
	r = redox_mmap_v1(NULL, (size_t)b->size, REDOX_PROT_READ | REDOX_PROT_WRITE,
			  REDOX_MAP_SHARED, rp->chan_fd,
			  redox_bar_offset(bar, REDOX_BAR_MEMTYPE_UC));
	if (redox_is_err(r)) {
		npu_err(PCI, "mapping BAR%u through the pcid channel: %s", bar,
			strerror(redox_errno(r)));
		return -redox_errno(r);
	}
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): the call returns an address */
	rp->bar[bar] = (volatile uint8_t *)r;
	rp->bar_len[bar] = (size_t)b->size;
	rp->base.pci.bar_size[bar] = b->size;
	return 0;
}

struct npu_redox_events *npu_redox_platform_events(struct npu_platform *p)
{
	if (!p || p->ops != &redox_ops || !to_rp(p)->ev.open)
		return NULL;
	return &to_rp(p)->ev;
}

int npu_redox_channel_from_env(size_t *fd)
{
	const char *s = getenv("PCID_CLIENT_CHANNEL");
	char *end;
	unsigned long v;

	if (!s || !*s)
		return -ENODEV;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || *s == '-' || *s == '+')
		return -ENODEV;
	*fd = (size_t)v;
	return 0;
}

static int probe(struct redox_platform *rp)
{
	struct npu_platform_pci *pci = &rp->base.pci;
	const struct npu_pci_model *model;
	size_t r;
	int ret;

	ret = npu_pcid_get_config(rp->chan_fd, &rp->cfg);
	if (ret) {
		npu_err(PCI, "reading the device's configuration from pcid: %s", strerror(-ret));
		return ret;
	}
	model = npu_pci_model_lookup(rp->cfg.device);
	if (rp->cfg.vendor != NPU_PCI_VENDOR_INTEL || !model) {
		npu_err(PCI, "pcid's device %04x:%04x is not an Intel NPU", rp->cfg.vendor,
			rp->cfg.device);
		return -ENODEV;
	}
	npu_pcid_bdf(&rp->cfg, pci->bdf, sizeof(pci->bdf));
	pci->vendor = rp->cfg.vendor;
	pci->device = rp->cfg.device;
	pci->revision = rp->cfg.revision;
	pci->gen = model->gen;
	pci->platform = model->platform;
	if (!npu_gen_supported(model->gen)) {
		npu_err(PCI, "%s NPU (%s) is not supported yet", model->platform,
			npu_gen_name(model->gen));
		return -EOPNOTSUPP;
	}
	ret = npu_redox_map_bar(rp, NPU_PCI_BAR_REGV,
				model->gen == NPU_GEN_37XX ? NPU_PCI_BAR_REGV_MIN_SIZE_37XX
							   : NPU_PCI_BAR_REGV_MIN_SIZE_40XX);
	if (!ret)
		ret = npu_redox_map_bar(rp, NPU_PCI_BAR_REGB, NPU_PCI_BAR_REGB_MIN_SIZE_LNL);
	if (ret)
		return ret;
	r = npu_redox_open_path(REDOX_PATH_DMA, REDOX_O_RDWR);
	if (!redox_is_err(r)) {
		rp->dma_fd[NPU_DMA_WB] = r;
		r = npu_redox_open_path(REDOX_PATH_DMA_WC, REDOX_O_RDWR);
	}
	if (!redox_is_err(r)) {
		rp->dma_fd[NPU_DMA_WC] = r;
		r = npu_redox_open_path(REDOX_PATH_DMA_UC, REDOX_O_RDWR);
	}
	if (!redox_is_err(r)) {
		rp->dma_fd[NPU_DMA_UC] = r;
		r = npu_redox_open_path(REDOX_PATH_TRANSLATION, REDOX_O_RDONLY);
	}
	if (redox_is_err(r)) {
		npu_err(PCI, "opening the memory scheme: %s", strerror(redox_errno(r)));
		return -redox_errno(r);
	}
	rp->trans_fd = r;
	ret = npu_redox_irq_setup(rp);
	if (ret) {
		npu_err(IRQ, "setting up the NPU's interrupt: %s", strerror(-ret));
		return ret;
	}
	ret = npu_redox_events_open(&rp->ev);
	if (!ret)
		ret = npu_redox_events_watch(&rp->ev, rp->irq_fd, NPU_REDOX_EV_IRQ);
	/*
	 * The irq scheme reports nothing on subscribing: an interrupt that came
	 * before would wait for the next. The first wait takes it as come, so
	 * the device's status is read once from here on.
	 */
	npu_redox_events_mark(&rp->ev, NPU_REDOX_EV_IRQ);
	return ret;
}

int npu_platform_redox_open(const struct npu_platform_config *cfg, struct npu_platform **out)
{
	struct redox_platform *rp;
	size_t chan;
	int ret;

	(void)cfg;
	if (!npu_redox_available()) {
		npu_err(PCI, "this program was built without Redox system calls");
		return -ENOSYS;
	}
	ret = npu_redox_channel_from_env(&chan);
	if (ret) {
		npu_err(PCI, "PCID_CLIENT_CHANNEL does not name a pcid channel (npud on Redox is "
			     "started by pcid-spawner)");
		return ret;
	}
	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return -ENOMEM;
	rp->base.ops = &redox_ops;
	rp->chan_fd = chan;
	rp->dma_fd[0] = rp->dma_fd[1] = rp->dma_fd[2] = rp->trans_fd = rp->irq_fd = NO_FD;
	ret = probe(rp);
	if (ret) {
		rx_close(&rp->base);
		return ret;
	}
	npu_info(PCI, "%s NPU %04x:%04x at %s", rp->base.pci.platform, rp->cfg.vendor,
		 rp->cfg.device, rp->base.pci.bdf);
	*out = &rp->base;
	return 0;
}
