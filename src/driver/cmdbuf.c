/* SPDX-License-Identifier: MIT */
#include "driver/cmdbuf.h"

#include <errno.h>
#include <string.h>

#include "hw/cmd.h"

#define HDR_SIZE      sizeof(struct npu_cmd_buffer_header)
#define MAX_CMD_SIZE  32u
#define COPY_CHUNK    (8u << 20) /* the user-mode driver's descriptor size */
#define DESC_PREFETCH 16u	 /* 37xx DMA reads 80 bytes per 64-byte descriptor */

static size_t align64(size_t v)
{
	return (v + 63) & ~(size_t)63;
}

static size_t desc_size(enum npu_gen gen)
{
	return gen == NPU_GEN_37XX ? sizeof(struct npu_copy_desc_37xx)
				   : sizeof(struct npu_copy_desc_40xx);
}

size_t drv_cmdbuf_size_for(enum npu_gen gen, unsigned n_cmds, unsigned n_desc)
{
	size_t cmds = align64(HDR_SIZE + (size_t)n_cmds * MAX_CMD_SIZE);

	return cmds + NPU_CONTEXT_SAVE_AREA_SIZE + (size_t)n_desc * desc_size(gen) + DESC_PREFETCH;
}

int drv_cmdbuf_init(struct npu_cmdbuf *cb, void *cpu, uint64_t va, size_t size, unsigned n_cmds,
		    enum npu_gen gen)
{
	memset(cb, 0, sizeof(*cb));
	if (!cpu || ((uintptr_t)cpu | va) % NPU_CMD_BUFFER_ALIGN)
		return -EINVAL;
	cb->cpu = cpu;
	cb->va = va;
	cb->size = size;
	cb->gen = gen;
	cb->cmd_len = HDR_SIZE;
	cb->cmd_cap = align64(HDR_SIZE + (size_t)n_cmds * MAX_CMD_SIZE);
	cb->desc_off = cb->cmd_cap + NPU_CONTEXT_SAVE_AREA_SIZE;
	if (cb->desc_off + DESC_PREFETCH > size)
		return -EINVAL;
	memset(cpu, 0, cb->desc_off);
	return 0;
}

static void *append(struct npu_cmdbuf *cb, uint16_t type, uint16_t size)
{
	struct npu_cmd_header *h;

	if (cb->cmd_len + size > cb->cmd_cap)
		return NULL;
	h = (struct npu_cmd_header *)(cb->cpu + cb->cmd_len);
	memset(h, 0, size);
	h->type = type;
	h->size = size;
	cb->cmd_len += size;
	cb->n_cmds++;
	return h;
}

uint16_t drv_cmd_noop_type(uint32_t job_cmd_api)
{
	return job_cmd_api >= NPU_JOB_CMD_API_NOP_MIN ? NPU_CMD_NOP : NPU_CMD_BARRIER;
}

const char *drv_cmd_noop_name(uint32_t job_cmd_api)
{
	return drv_cmd_noop_type(job_cmd_api) == NPU_CMD_NOP ? "NOP" : "BARRIER";
}

void drv_cmdbuf_set_api(struct npu_cmdbuf *cb, uint32_t job_cmd_api)
{
	cb->job_cmd_api = job_cmd_api;
}

int drv_cmdbuf_nop(struct npu_cmdbuf *cb)
{
	_Static_assert(sizeof(struct npu_cmd_nop) == sizeof(struct npu_cmd_barrier),
		       "NOP and BARRIER are both 8 bytes");
	return append(cb, drv_cmd_noop_type(cb->job_cmd_api), sizeof(struct npu_cmd_nop)) ? 0
											  : -ENOSPC;
}

int drv_cmdbuf_barrier(struct npu_cmdbuf *cb)
{
	return append(cb, NPU_CMD_BARRIER, sizeof(struct npu_cmd_barrier)) ? 0 : -ENOSPC;
}

int drv_cmdbuf_timestamp(struct npu_cmdbuf *cb, uint64_t va, uint32_t type)
{
	struct npu_cmd_timestamp *c;

	/* 37xx wants the target 64-byte aligned, 40xx 8-byte (docs/firmware-protocol.md §4.2). */
	if (va % (cb->gen == NPU_GEN_37XX ? 64u : 8u))
		return -EINVAL;
	c = append(cb, NPU_CMD_TIMESTAMP, sizeof(*c));
	if (!c)
		return -ENOSPC;
	c->type = type;
	c->timestamp_address = va;
	return 0;
}

static int fence(struct npu_cmdbuf *cb, uint16_t type, uint64_t va, uint64_t value)
{
	struct npu_cmd_fence *c;

	if (va % (cb->gen == NPU_GEN_37XX ? 64u : 8u))
		return -EINVAL;
	c = append(cb, type, sizeof(*c));
	if (!c)
		return -ENOSPC;
	c->offset = va; /* fence heap base 0: the offset is the fence's VA (§4.4) */
	c->value = value;
	return 0;
}

int drv_cmdbuf_fence_wait(struct npu_cmdbuf *cb, uint64_t fence_va, uint64_t value)
{
	return fence(cb, NPU_CMD_FENCE_WAIT, fence_va, value);
}

int drv_cmdbuf_fence_signal(struct npu_cmdbuf *cb, uint64_t fence_va, uint64_t value)
{
	return fence(cb, NPU_CMD_FENCE_SIGNAL, fence_va, value);
}

int drv_cmdbuf_fill(struct npu_cmdbuf *cb, uint64_t va, uint64_t size, uint32_t pattern)
{
	uint64_t chunk = cb->gen == NPU_GEN_37XX ? size : NPU_MEMORY_FILL_SIZE_MAX_40XX;

	if (cb->gen == NPU_GEN_37XX && va % 64u)
		return -EINVAL;
	while (size) {
		uint64_t n = size < chunk ? size : chunk;
		struct npu_cmd_memory_fill *c = append(cb, NPU_CMD_MEMORY_FILL, sizeof(*c));

		if (!c)
			return -ENOSPC;
		c->start_address = va;
		c->size = n;
		c->fill_pattern = pattern;
		va += n;
		size -= n;
	}
	return 0;
}

int drv_cmdbuf_copy(struct npu_cmdbuf *cb, uint64_t dst, uint64_t src, uint64_t size)
{
	size_t dsz = desc_size(cb->gen);
	uint64_t n_desc = (size + COPY_CHUNK - 1) / COPY_CHUNK;
	size_t first = cb->desc_len;
	struct npu_cmd_copy *c;

	if (size == 0 || n_desc > NPU_CMD_COPY_DESC_COUNT_MAX)
		return -EINVAL;
	if (cb->desc_off + (first + n_desc) * dsz + DESC_PREFETCH > cb->size)
		return -ENOSPC;
	c = append(cb, NPU_CMD_COPY_LOCAL_TO_LOCAL, sizeof(*c));
	if (!c)
		return -ENOSPC;
	for (uint64_t i = 0; i < n_desc; i++) {
		uint8_t *p = cb->cpu + cb->desc_off + (first + i) * dsz;
		uint32_t len = (uint32_t)(size - i * COPY_CHUNK < COPY_CHUNK ? size - i * COPY_CHUNK
									     : COPY_CHUNK);

		memset(p, 0, dsz);
		if (cb->gen == NPU_GEN_37XX) {
			struct npu_copy_desc_37xx *d = (void *)p;

			d->src_address = src + i * COPY_CHUNK;
			d->dst_address = dst + i * COPY_CHUNK;
			d->size = len;
		} else {
			struct npu_copy_desc_40xx *d = (void *)p;

			d->src_address = src + i * COPY_CHUNK;
			d->dst_address = dst + i * COPY_CHUNK;
			d->size = len;
		}
	}
	cb->desc_len = first + n_desc;
	/* Descriptor heap base 0: the offset is the descriptors' VA. */
	c->desc_start_offset = cb->va + cb->desc_off + first * dsz;
	c->desc_count = (uint32_t)n_desc;
	return 0;
}

int drv_cmdbuf_inference(struct npu_cmdbuf *cb, uint64_t desc_va, uint32_t desc_size,
			 uint64_t inference_id)
{
	struct npu_cmd_inference_execute *c;

	if (desc_va == 0 || desc_size == 0)
		return -EINVAL;
	c = append(cb, NPU_CMD_INFERENCE_EXECUTE, sizeof(*c));
	if (!c)
		return -ENOSPC;
	c->inference_id = inference_id;
	c->host_mapped_inference.address = desc_va;
	c->host_mapped_inference.width = desc_size;
	return 0;
}

int drv_cmdbuf_raw(struct npu_cmdbuf *cb, const void *cmd, size_t len)
{
	if (len < sizeof(struct npu_cmd_header) || len > cb->cmd_cap - cb->cmd_len)
		return len < sizeof(struct npu_cmd_header) ? -EINVAL : -ENOSPC;
	memcpy(cb->cpu + cb->cmd_len, cmd, len);
	cb->cmd_len += len;
	cb->n_cmds++;
	return 0;
}

int drv_cmdbuf_finish(struct npu_cmdbuf *cb)
{
	struct npu_cmd_buffer_header *h = (struct npu_cmd_buffer_header *)cb->cpu;

	memset(h, 0, sizeof(*h));
	h->cmd_buffer_size = (uint32_t)cb->cmd_len;
	h->cmd_offset = HDR_SIZE;
	/* api_version 0: the conservative choice for firmware with job-cmd API 4.9 (§4.1). */
	h->context_save_area_address = cb->va + cb->cmd_cap;
	return 0;
}
