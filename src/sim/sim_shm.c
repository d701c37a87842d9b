/* SPDX-License-Identifier: MIT */
/*
 * Shared buffers of the simulated NPU: a buffer of the arena backed by a
 * memfd mapped over its own place (MAP_FIXED), so the device model keeps
 * reaching it at the same bus address while another process (an npud client)
 * maps the same pages through the fd. Unsharing maps private zeroed memory
 * back over the place and closes the fd: the device never again sees what
 * the client still holds.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/sim_internal.h"
#include "util/log.h"

/* In memory, or in the cached view of write-back buffers (sim_cache.c). */
static bool in_arena(const struct npu_sim *s, const void *cpu, size_t size)
{
	uintptr_t base = (uintptr_t)s->mem, p = (uintptr_t)cpu;

	if ((p & 0xFFFu) || (size & 0xFFFu) || size == 0)
		return false;
	return (p >= base && p - base < s->mem_size && size <= s->mem_size - (p - base)) ||
	       sim_cache_owns(s, cpu, size);
}

int npu_sim_dma_share(struct npu_sim *sim, void *cpu, size_t size)
{
	void *copy, *m;
	int fd, e;

	if (!in_arena(sim, cpu, size))
		return -EINVAL;
	fd = memfd_create("npu-buffer", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) != 0) {
		e = errno;
		close(fd);
		return -e;
	}
	/* What the buffer holds now goes into the memfd first. */
	copy = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (copy == MAP_FAILED) {
		e = errno;
		close(fd);
		return -e;
	}
	memcpy(copy, cpu, size);
	munmap(copy, size);
	m = mmap(cpu, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (m == MAP_FAILED) {
		/* The old mapping is untouched when MAP_FIXED fails before replacing it. */
		e = errno;
		close(fd);
		return -e;
	}
	npu_trace(SIM, "buffer at %p (%zu bytes) shared as fd %d", cpu, size, fd);
	return fd;
}

void npu_sim_dma_unshare(struct npu_sim *sim, void *cpu, size_t size, int fd)
{
	/* The new pages replace the arena's own in place: nothing to keep or unmap. */
	if (in_arena(sim, cpu, size) &&
	    /* cppcheck-suppress [invalidFunctionArg, leakReturnValNotUsed] ; anonymous, in place */
	    mmap(cpu, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		npu_err(SIM, "cannot put private memory back at %p: %s", cpu, strerror(errno));
	if (fd >= 0)
		close(fd);
}
