/* SPDX-License-Identifier: MIT */
/*
 * Contexts and buffers (docs/firmware-protocol.md §5.5, §5.6, §3.1).
 *
 * A context owns an SSID with its own page tables, a 4 KiB job queue and the
 * buffers mapped in its user range. The page tables and the queue memory are
 * the context's and live as long as it does; what the device holds about them
 * (the context descriptor, the queue's mapping in the global context, the
 * doorbell registration) is lost on every power-down and put back by the boot
 * hooks below. The queue sits at a fixed global VA per context id
 * (drv_global_jobq_va), so the address the firmware is given never changes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "driver/ctx.h"
#include "driver/device.h"
#include "driver/fw_load.h"
#include "driver/hws.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "hw/fw_header.h"
#include "hw/jobq.h"
#include "util/log.h"

/*
 * A context's job queue is write-combined (Linux ivpu_job.c: ivpu_cmdq_alloc,
 * DRM_IVPU_BO_WC) and mapped without the snoop bit: the slot and tail reach
 * memory at the store fence before the doorbell. Buffers are write-back and
 * mapped snooped (PTE bit 2, Linux ivpu_gem.c: ivpu_bo_is_snooped for cached
 * buffers): clients and the CPU write them with no flush (docs/dma.md).
 */
static const struct npu_dma_use use_jobq = { "job queue", NPU_DMA_WC, false };
static const struct npu_dma_use use_bo = { "buffer", NPU_DMA_WB, true };

#define PAGE	    4096u
#define SSID_GLOBAL 0u

static uint64_t page_align(uint64_t v)
{
	return (v + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

/* docs/firmware-protocol.md §5.6, newest kernels: where user buffers go. */
static void user_range(const struct npu_device *d, uint64_t *start, uint64_t *end)
{
	if (d->gen == NPU_GEN_37XX) {
		*start = NPU_VA_37XX_USER_START;
		*end = NPU_VA_37XX_USER_START + NPU_VA_37XX_USER_SIZE;
	} else {
		*start = NPU_VA_40XX_USER_START;
		*end = NPU_VA_40XX_USER_START + NPU_VA_40XX_USER_SIZE;
	}
}

struct npu_ctx *drv_ctx_by_ssid(struct npu_device *d, uint32_t ssid)
{
	if (ssid < NPU_CTX_SSID_FIRST || ssid - NPU_CTX_SSID_FIRST >= NPU_CTX_MAX)
		return NULL;
	return d->ctx[ssid - NPU_CTX_SSID_FIRST];
}

/* An empty queue: engine 0 (compute), head = tail = 0 (docs/firmware-protocol.md §3.1). */
static void jobq_reset(struct npu_ctx *c)
{
	struct npu_jobq_header *h = c->jobq.cpu;

	memset(c->jobq.cpu, 0, NPU_JOBQ_SIZE);
	h->engine_idx = NPU_JSM_ENGINE_COMPUTE;
	c->jobq_tail = 0;
	c->jobq_head = 0;
}

static void jobq_unmap(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;

	if (!c->jobq_mapped)
		return;
	c->jobq_mapped = false;
	if (!d->mmu_ready)
		return; /* the global context went with the MMU */
	drv_mmu_ctx_unmap(&d->gctx, c->jobq_va, NPU_JOBQ_SIZE);
	if (drv_mmu_tlb_invalidate(&d->mmu, &d->mmio, SSID_GLOBAL))
		npu_warn(MMU, "context %u: TLB invalidation after unmapping its job queue failed",
			 c->id);
}

/* Puts the context into the MMU of the current boot: queue mapping and descriptor. */
static int ctx_attach(struct npu_ctx *c)
{
	struct npu_device *d = c->dev;

	if (!c->jobq_mapped) {
		int ret =
		    drv_mmu_ctx_map(&d->gctx, d->plat, c->jobq_va, c->jobq.addr, NPU_JOBQ_SIZE, 0);

		if (ret)
			return ret;
		c->jobq_mapped = true;
		ret = drv_mmu_tlb_invalidate(&d->mmu, &d->mmio, SSID_GLOBAL);
		if (ret)
			return ret;
	}
	return drv_mmu_set_cd(&d->mmu, &d->mmio, c->ssid, c->mmu.pgd.addr);
}

int drv_ctx_attach_all(struct npu_device *d)
{
	int ret;

	/* The new firmware's heartbeat counts from its own start. */
	d->last_heartbeat = 0;
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		struct npu_ctx *c = d->ctx[i];

		if (!c)
			continue;
		ret = ctx_attach(c);
		if (ret)
			return drv_device_fail(d, "contexts", ret,
					       "cannot put context %u (SSID %u) back into the MMU",
					       c->id, c->ssid);
	}
	return 0;
}

void drv_ctx_detach_all(struct npu_device *d)
{
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		struct npu_ctx *c = d->ctx[i];

		if (!c)
			continue;
		/* The firmware forgets its queues and registrations: nothing queued can end. */
		drv_ctx_abort_jobs(c);
		c->db_registered = false;
		c->cmdq_created = false;
		jobq_reset(c);
		jobq_unmap(c);
	}
}

void drv_ctx_detach_all_warm(struct npu_device *d)
{
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		if (d->ctx[i])
			jobq_unmap(d->ctx[i]);
	}
}

bool drv_ctx_any_queued(const struct npu_device *d)
{
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		if (d->ctx[i] && d->ctx[i]->queued)
			return true;
	}
	return false;
}

int drv_ctx_create(struct npu_device *d, struct npu_ctx **out)
{
	struct npu_ctx *c;
	uint64_t end;
	uint32_t id = 0;
	int ret;

	*out = NULL;
	for (uint32_t i = 0; i < NPU_CTX_MAX && !id; i++) {
		if (!d->ctx[i])
			id = i + 1;
	}
	if (!id)
		return -EBUSY;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->dev = d;
	c->id = id;
	c->owner_pid = -1;
	c->owner_uid = -1;
	c->priority = NPU_PRIO_NORMAL;
	c->ssid = id + 1; /* SSIDs 0 and 1 are the firmware's (docs/firmware-protocol.md §5.5) */
	c->jobq_va = drv_global_jobq_va(d, id);
	user_range(d, &c->va_next, &end);

	ret = drv_mmu_ctx_init(&c->mmu, d->plat, c->ssid);
	if (ret)
		goto err_free;
	ret = npu_dma_alloc(d->plat, NPU_JOBQ_SIZE, &use_jobq, &c->jobq);
	if (ret)
		goto err_mmu_ctx;
	jobq_reset(c);
	/* While the MMU is down (not booted) the next boot attaches the context. */
	if (d->mmu_ready) {
		ret = ctx_attach(c);
		if (ret)
			goto err_detach;
	}
	d->ctx[id - 1] = c;
	npu_dbg(JOB, "context %u: SSID %u, job queue at 0x%" PRIx64, c->id, c->ssid, c->jobq_va);
	*out = c;
	return 0;

err_detach:
	drv_mmu_clear_cd(&d->mmu, &d->mmio, c->ssid);
	jobq_unmap(c);
	npu_dma_free(d->plat, &c->jobq);
err_mmu_ctx:
	drv_mmu_ctx_fini(&c->mmu, d->plat);
err_free:
	free(c);
	return ret;
}

static void bo_unlink(struct npu_bo *bo)
{
	struct npu_bo **pp = &bo->ctx->bos;

	while (*pp && *pp != bo)
		pp = &(*pp)->next;
	if (*pp)
		*pp = bo->next;
	bo->next = NULL;
}

/* Unmaps and frees; invalidate: the context's descriptor is still live. */
static void bo_free(struct npu_bo *bo, bool invalidate)
{
	struct npu_ctx *c = bo->ctx;
	struct npu_device *d = c->dev;
	struct npu_bo *owner = bo->owner;

	bo_unlink(bo);
	drv_mmu_ctx_unmap(&c->mmu, bo->va, bo->size);
	if (invalidate && d->mmu_ready && drv_mmu_tlb_invalidate(&d->mmu, &d->mmio, c->ssid))
		npu_warn(MMU, "context %u: TLB invalidation after unmapping 0x%" PRIx64 " failed",
			 c->id, bo->va);
	bo->ctx = NULL;
	if (owner) {
		owner->shares--;
		if (owner->orphan && !owner->shares) {
			npu_dma_free(d->plat, &owner->dma);
			free(owner);
		}
		free(bo);
	} else if (bo->shares) {
		bo->orphan = true; /* the shares still map the memory */
	} else {
		npu_dma_free(d->plat, &bo->dma);
		free(bo);
	}
}

void drv_ctx_destroy(struct npu_ctx *c)
{
	struct npu_device *d;
	unsigned left = 0;
	int ret;

	if (!c)
		return;
	d = c->dev;
	/* docs/firmware-protocol.md §9 step 10 and §2.5 (OS scheduling): the firmware lets go first. */
	if (d->state == NPU_DEV_READY && drv_hws_on(d)) {
		drv_hws_ctx_unregister(c); /* UNREGISTER_DB, DESTROY_CMD_QUEUE (§2.5) */
	} else if (d->state == NPU_DEV_READY) {
		if (c->db_registered) {
			ret = drv_jsm_unregister_db(d, c->db_id);
			if (ret)
				npu_warn(JOB, "context %u: UNREGISTER_DB %u failed (%d)", c->id,
					 c->db_id, ret);
			c->db_registered = false;
		}
		if (!c->abort_sent) {
			ret = drv_jsm_ssid_release(d, c->ssid);
			if (ret)
				npu_warn(JOB, "context %u: SSID_RELEASE %u failed (%d)", c->id,
					 c->ssid, ret);
		}
	}
	drv_ctx_abort_jobs(c);
	/* From here a late JOB_DONE for the SSID finds no context and is dropped. */
	d->ctx[c->id - 1] = NULL;
	if (d->mmu_ready) {
		ret = drv_mmu_clear_cd(&d->mmu, &d->mmio, c->ssid);
		if (ret)
			npu_warn(MMU, "context %u: clearing CD %u failed (%d)", c->id, c->ssid,
				 ret);
	}
	/* The descriptor is gone (and its TLB entries with it): no more invalidations. */
	for (struct npu_bo *bo = c->bos, *next; bo; bo = next) {
		next = bo->next; /* bo_free unlinks bo from c->bos and frees it */
		bo_free(bo, false);
		left++;
	}
	if (left)
		npu_dbg(JOB, "context %u: freed %u buffers left behind", c->id, left);
	jobq_unmap(c);
	npu_dma_free(d->plat, &c->jobq);
	drv_mmu_ctx_fini(&c->mmu, d->plat);
	npu_dbg(JOB, "context %u destroyed (%" PRIu64 " jobs completed, %" PRIu64 " failed)", c->id,
		c->jobs_completed, c->jobs_failed);
	free(c);
}

static bool va_overlaps(const struct npu_ctx *c, uint64_t va, uint64_t len)
{
	for (const struct npu_bo *b = c->bos; b; b = b->next) {
		if (va < b->va + b->size && b->va < va + len)
			return true;
	}
	return false;
}

/*
 * A free VA range of len bytes: at the bump pointer while it lasts (fresh
 * addresses make a stale device access fault instead of hitting a new
 * buffer), else the first gap from the start of the range.
 */
static int va_find(const struct npu_ctx *c, uint64_t len, uint64_t *out)
{
	uint64_t start, end, va;

	user_range(c->dev, &start, &end);
	if (c->va_next >= start && c->va_next <= end && len <= end - c->va_next &&
	    !va_overlaps(c, c->va_next, len)) {
		*out = c->va_next;
		return 0;
	}
	va = start;
	for (const struct npu_bo *b = c->bos; b; b = b->next) {
		if (b->va >= va + len)
			break; /* the list is sorted: the gap before b fits */
		if (b->va + b->size > va)
			va = b->va + b->size;
	}
	if (va > end || len > end - va)
		return -ENOMEM;
	*out = va;
	return 0;
}

/* A new buffer in c: fresh memory, or owner's (a share). */
static int bo_new(struct npu_ctx *c, size_t size, uint64_t va, unsigned flags, struct npu_bo *owner,
		  struct npu_bo **out)
{
	struct npu_device *d = c->dev;
	struct npu_bo *bo, **pp;
	uint64_t start, end, len;
	int ret;

	*out = NULL;
	user_range(d, &start, &end);
	if (!size || size > end - start || (flags & ~(NPU_MMU_MAP_READ_ONLY | NPU_MMU_MAP_SNOOP)))
		return -EINVAL;
	len = page_align(size);
	if (va) {
		if ((va & (PAGE - 1)) || va < start || va > end || len > end - va)
			return -EINVAL;
		if (va_overlaps(c, va, len))
			return -EEXIST;
	} else {
		ret = va_find(c, len, &va);
		if (ret)
			return ret;
	}
	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	if (owner) {
		bo->dma = owner->dma;
	} else {
		ret = npu_dma_alloc(d->plat, len, &use_bo, &bo->dma);
		if (ret)
			goto err_free;
	}
	/* Cached, so snooped: the device sees what the CPU (or a client) wrote, no flush. */
	ret =
	    drv_mmu_ctx_map_dma(&c->mmu, d->plat, va, &bo->dma, 0, len, flags | NPU_MMU_MAP_SNOOP);
	if (ret)
		goto err_dma;
	/* Entries that were invalid are not cached, but a context reusing VAs needs it. */
	if (d->mmu_ready && drv_mmu_tlb_invalidate(&d->mmu, &d->mmio, c->ssid))
		npu_warn(MMU, "context %u: TLB invalidation after mapping 0x%" PRIx64 " failed",
			 c->id, va);
	bo->ctx = c;
	bo->va = va;
	bo->size = len;
	bo->flags = flags;
	bo->owner = owner;
	if (owner)
		owner->shares++;
	for (pp = &c->bos; *pp && (*pp)->va < va; pp = &(*pp)->next)
		;
	bo->next = *pp;
	*pp = bo;
	if (va + len > c->va_next)
		c->va_next = va + len;
	npu_dbg(JOB, "context %u: buffer 0x%" PRIx64 "+0x%" PRIx64 "%s", c->id, va, len,
		owner ? " (shared)" : "");
	*out = bo;
	return 0;

err_dma:
	if (!owner)
		npu_dma_free(d->plat, &bo->dma);
err_free:
	free(bo);
	return ret;
}

int drv_bo_create(struct npu_ctx *c, size_t size, uint64_t va, unsigned flags, struct npu_bo **out)
{
	return bo_new(c, size, va, flags, NULL, out);
}

int drv_bo_share(struct npu_bo *bo, struct npu_ctx *to, uint64_t va, struct npu_bo **out)
{
	struct npu_bo *owner = bo->owner ? bo->owner : bo;

	*out = NULL;
	if (owner->orphan || !bo->ctx || bo->ctx->dev != to->dev)
		return -EINVAL;
	return bo_new(to, owner->size, va, owner->flags, owner, out);
}

int drv_bo_create_top(struct npu_ctx *c, size_t size, uint64_t below, struct npu_bo **out)
{
	uint64_t start, end, next = c->va_next, len = page_align(size);
	int ret;

	user_range(c->dev, &start, &end);
	below = page_align(below);
	if (!len || below > end - start || len > end - start - below)
		return -EINVAL;
	ret = bo_new(c, size, end - below - len, 0, NULL, out);
	c->va_next = next; /* the client's addresses go on where they were */
	return ret;
}

void drv_bo_destroy(struct npu_bo *bo)
{
	if (bo)
		bo_free(bo, true);
}

int drv_bo_fd(struct npu_bo *bo)
{
	struct npu_bo *owner = bo->owner ? bo->owner : bo;
	/* A share's struct npu_dma is a copy: the owner's holds the fd. */
	return npu_dma_share(bo->ctx->dev->plat, &owner->dma);
}
