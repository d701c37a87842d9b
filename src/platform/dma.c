/* SPDX-License-Identifier: MIT */
/*
 * DMA buffers over any backend: the caching attribute and address limit at
 * allocation, the flush discipline (docs/dma.md), and the list of live
 * allocations npuctl diag shows (dma_regions).
 *
 * The list is a growable array per platform, made on the first allocation
 * and dropped when the last buffer is freed, behind one lock for all
 * platforms: allocations are rare (boot, contexts, buffers), never per job.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "platform/barrier.h"
#include "platform/platform.h"
#include "util/log.h"

struct npu_dma_registry {
	struct npu_dma_region *r;
	size_t n, cap;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

const char *npu_dma_caching_name(enum npu_dma_caching c)
{
	switch (c) {
	case NPU_DMA_WB:
		return "wb";
	case NPU_DMA_WC:
		return "wc";
	case NPU_DMA_UC:
		return "uc";
	}
	return "unknown";
}

static void reg_add(struct npu_platform *p, const struct npu_dma *dma)
{
	struct npu_dma_registry *g;

	pthread_mutex_lock(&reg_lock);
	g = p->dma_reg;
	if (!g) {
		g = calloc(1, sizeof(*g));
		p->dma_reg = g;
	}
	if (g && g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct npu_dma_region *r = realloc(g->r, cap * sizeof(*r));

		if (r) {
			g->r = r;
			g->cap = cap;
		}
	}
	/* Out of memory for the list: the buffer works, diag just does not show it. */
	if (g && g->n < g->cap)
		g->r[g->n++] = (struct npu_dma_region){ .name = dma->use->name,
							.size = dma->size,
							.device_address = dma->addr,
							.caching = dma->caching,
							.snooped = dma->use->snooped };
	pthread_mutex_unlock(&reg_lock);
}

static void reg_del(struct npu_platform *p, uint64_t addr)
{
	struct npu_dma_registry *g;

	pthread_mutex_lock(&reg_lock);
	g = p->dma_reg;
	for (size_t i = 0; g && i < g->n; i++) {
		if (g->r[i].device_address != addr)
			continue;
		memmove(&g->r[i], &g->r[i + 1], (g->n - i - 1) * sizeof(g->r[0]));
		g->n--;
		break;
	}
	if (g && g->n == 0) {
		free(g->r);
		free(g);
		p->dma_reg = NULL;
	}
	pthread_mutex_unlock(&reg_lock);
}

/* Whether every device address of the buffer fits in bits. */
static bool addr_fits(const struct npu_dma *dma, unsigned bits)
{
	uint64_t limit;

	if (bits == 0 || bits >= 64)
		return true;
	limit = UINT64_C(1) << bits;
	if (!dma->segs)
		return dma->addr < limit && dma->size <= limit - dma->addr;
	for (unsigned i = 0; i < dma->n_segs; i++)
		if (dma->segs[i].addr >= limit || dma->segs[i].size > limit - dma->segs[i].addr)
			return false;
	return true;
}

int npu_dma_alloc(struct npu_platform *p, size_t size, const struct npu_dma_use *use,
		  struct npu_dma *out)
{
	int ret;

	if (!p || !use || !out)
		return -EINVAL;
	if (use->caching != NPU_DMA_WB && use->caching != NPU_DMA_WC && use->caching != NPU_DMA_UC)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	ret = p->ops->dma_alloc(p, size, use->caching, out);
	if (ret) {
		out->cpu = NULL;
		return ret;
	}
	out->caching = use->caching;
	out->use = use;
	if (!addr_fits(out, p->dma_addr_bits)) {
		/* Linux sets the DMA mask (ivpu_drv.c: ivpu_pci_init); here the buffer is refused. */
		npu_err(PCI,
			"%s: DMA buffer at 0x%" PRIx64 " (%zu bytes) is beyond the %u-bit "
			"addresses the NPU can reach",
			use->name, out->addr, out->size, p->dma_addr_bits);
		p->ops->dma_free(p, out);
		memset(out, 0, sizeof(*out));
		return -ENOMEM;
	}
	reg_add(p, out);
	return 0;
}

void npu_dma_free(struct npu_platform *p, struct npu_dma *dma)
{
	uint64_t addr;

	if (!dma->cpu)
		return;
	addr = dma->addr;
	if (dma->use)
		reg_del(p, addr);
	p->ops->dma_free(p, dma);
	dma->cpu = NULL;
}

void npu_dma_flush(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len)
{
	if (dma->caching == NPU_DMA_WB && p->ops->dma_sync && len && off < dma->size)
		p->ops->dma_sync(p, dma, off, len > dma->size - off ? dma->size - off : len,
				 NPU_DMA_TO_DEVICE);
	npu_dma_wmb();
}

void npu_dma_invalidate(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len)
{
	npu_dma_rmb();
	if (dma->caching == NPU_DMA_WB && p->ops->dma_sync && len && off < dma->size)
		p->ops->dma_sync(p, dma, off, len > dma->size - off ? dma->size - off : len,
				 NPU_DMA_FROM_DEVICE);
}

size_t npu_dma_regions(struct npu_platform *p, struct npu_dma_region *out, size_t max)
{
	size_t n;

	pthread_mutex_lock(&reg_lock);
	n = p->dma_reg ? p->dma_reg->n : 0;
	if (out)
		for (size_t i = 0; i < n && i < max; i++)
			out[i] = p->dma_reg->r[i];
	pthread_mutex_unlock(&reg_lock);
	return n;
}

void npu_dma_regions_release(struct npu_platform *p)
{
	pthread_mutex_lock(&reg_lock);
	if (p->dma_reg) {
		free(p->dma_reg->r);
		free(p->dma_reg);
		p->dma_reg = NULL;
	}
	pthread_mutex_unlock(&reg_lock);
}
