/* SPDX-License-Identifier: MIT */
/*
 * npud - the `make vm-test` guest program's helpers on the ivpu uAPI: see
 * guest_uapi.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/ivpu_accel.h>

#include "hw/cmd.h"

#include "guest_uapi.h"

int guest_failures;

void result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("VMTEST %s %s: ", ok ? "PASS" : "FAIL", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		guest_failures++;
}

int get_param(int fd, uint32_t param, uint32_t index, uint64_t *value)
{
	struct drm_ivpu_param p = { .param = param, .index = index };

	if (ioctl(fd, DRM_IOCTL_IVPU_GET_PARAM, &p) < 0)
		return -errno;
	*value = p.value;
	return 0;
}

int bo_new(int fd, uint64_t size, struct bo *bo)
{
	struct drm_ivpu_bo_create c = { .size = size, .flags = DRM_IVPU_BO_MAPPABLE };
	struct drm_ivpu_bo_info info = { 0 };
	void *p;

	if (ioctl(fd, DRM_IOCTL_IVPU_BO_CREATE, &c) < 0)
		return -errno;
	info.handle = c.handle;
	if (ioctl(fd, DRM_IOCTL_IVPU_BO_INFO, &info) < 0)
		return -errno;
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)info.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	bo->handle = c.handle;
	bo->va = c.vpu_addr;
	bo->size = info.size;
	bo->cpu = p;
	return 0;
}

void bo_free(int fd, struct bo *bo)
{
	struct drm_gem_close c = { .handle = bo->handle };

	if (bo->cpu)
		munmap(bo->cpu, bo->size);
	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
	memset(bo, 0, sizeof(*bo));
}

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* DRM_IOCTL_IVPU_BO_WAIT until now + ms; 0 with *status, or -errno. */
int bo_wait(int fd, uint32_t handle, int64_t ms, uint32_t *status)
{
	struct drm_ivpu_bo_wait w = { .handle = handle, .timeout_ns = now_ns() + ms * 1000000 };

	if (ioctl(fd, DRM_IOCTL_IVPU_BO_WAIT, &w) < 0)
		return -errno;
	*status = w.job_status;
	return 0;
}

int submit(int fd, const uint32_t *handles, uint32_t count)
{
	struct drm_ivpu_submit s = {
		.buffers_ptr = (uint64_t)(uintptr_t)handles,
		.buffer_count = count,
		.engine = DRM_IVPU_ENGINE_COMPUTE,
		.commands_offset = 0,
		.priority = DRM_IVPU_JOB_PRIORITY_DEFAULT,
	};

	if (ioctl(fd, DRM_IOCTL_IVPU_SUBMIT, &s) < 0)
		return -errno;
	return 0;
}

void cb_begin(struct cb *cb, struct bo *bo)
{
	memset(bo->cpu, 0, CMD_BO_SZE);
	cb->bo = bo;
	cb->at = CMDS_AT;
}

void cb_put(struct cb *cb, const void *cmd, uint16_t size)
{
	memcpy(cb->bo->cpu + cb->at, cmd, size);
	cb->at += size;
}

void cb_end(struct cb *cb)
{
	struct npu_cmd_buffer_header h = {
		.cmd_buffer_size = cb->at,
		.cmd_offset = CMDS_AT,
		.context_save_area_address = cb->bo->va + SAVE_AREA,
	};

	memcpy(cb->bo->cpu, &h, sizeof(h));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void cmd_fill(struct cb *cb, uint64_t va, uint64_t size, uint32_t pattern)
{
	struct npu_cmd_memory_fill c = {
		.hdr = { NPU_CMD_MEMORY_FILL, sizeof(c) },
		.start_address = va,
		.size = size,
		.fill_pattern = pattern,
	};

	cb_put(cb, &c, sizeof(c));
}

void cmd_barrier(struct cb *cb)
{
	struct npu_cmd_barrier c = { .hdr = { NPU_CMD_BARRIER, sizeof(c) } };

	cb_put(cb, &c, sizeof(c));
}

void cmd_fence(struct cb *cb, uint16_t type, uint64_t va, uint64_t value)
{
	struct npu_cmd_fence c = { .hdr = { type, sizeof(c) }, .offset = va, .value = value };

	cb_put(cb, &c, sizeof(c));
}

void cmd_timestamp(struct cb *cb, uint64_t va)
{
	struct npu_cmd_timestamp c = {
		.hdr = { NPU_CMD_TIMESTAMP, sizeof(c) },
		.type = NPU_TIMESTAMP_RAW,
		.timestamp_address = va,
	};

	cb_put(cb, &c, sizeof(c));
}

/* One COPY command with one descriptor at DESC_AT (37xx or 40xx layout). */
void cmd_copy(struct cb *cb, bool gen40, uint64_t src, uint64_t dst, uint32_t size)
{
	struct npu_cmd_copy c = {
		.hdr = { NPU_CMD_COPY_LOCAL_TO_LOCAL, sizeof(c) },
		.desc_start_offset = cb->bo->va + DESC_AT,
		.desc_count = 1,
	};

	if (gen40) {
		struct npu_copy_desc_40xx d = { .size = size,
						.src_address = src,
						.dst_address = dst };

		memcpy(cb->bo->cpu + DESC_AT, &d, sizeof(d));
	} else {
		struct npu_copy_desc_37xx d = { .src_address = src,
						.dst_address = dst,
						.size = size };

		memcpy(cb->bo->cpu + DESC_AT, &d, sizeof(d));
	}
	cb_put(cb, &c, sizeof(c));
}

uint64_t rd64(const struct bo *bo, uint32_t off)
{
	uint64_t v;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memcpy(&v, bo->cpu + off, sizeof(v));
	return v;
}

void wr64(struct bo *bo, uint32_t off, uint64_t v)
{
	memcpy(bo->cpu + off, &v, sizeof(v));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * Every byte of data in [from, to) must be the 32-bit little-endian pattern
 * (or, with pattern 0x5A5A5A5A, the untouched canary). Returns the first bad
 * offset, or -1.
 */
long check_pattern(const struct bo *data, uint32_t from, uint32_t to, uint32_t pattern)
{
	for (uint32_t i = from; i < to; i++) {
		uint8_t want = (uint8_t)(pattern >> (8 * ((i - from) % 4)));

		if (data->cpu[i] != want)
			return (long)i;
	}
	return -1;
}
