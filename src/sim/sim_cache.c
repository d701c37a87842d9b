/* SPDX-License-Identifier: MIT */
/*
 * The CPU's caches as a non-snooping NPU sees them (docs/simulator.md,
 * "Non-coherent memory"; docs/dma.md).
 *
 * The arena s->mem is memory: what the NPU's non-snooped accesses read and
 * write. A write-back buffer gets its CPU mapping in a second arena of the
 * same size, s->cache, at the same offset: the CPU's cached view. The two
 * meet only where the hardware makes them meet:
 *
 *   - the CPU's flush of a range (npu_sim_dma_sync TO_DEVICE, clflush on
 *     silicon) copies the cached view into memory;
 *   - its invalidate (FROM_DEVICE) copies memory into the cached view, as the
 *     next CPU read after dropping its lines comes from memory;
 *   - a snooped device access (the PTE's LLC-coherent bit, or the TCU's snoop
 *     override for the MMU's own tables and queues) reads the cached view, as
 *     a snoop hits the CPU's lines; its writes (sim_dma_write) go to both
 *     views, as a snooped write leaves memory and the CPU's caches agreeing,
 *     so that a later invalidate by the CPU loses nothing. The copy engine's
 *     runs (sim_mmu_map_run) write through one pointer: into snooped
 *     write-back pages they reach the cached view only, as a write that
 *     allocates into the cache, and memory at the CPU's next flush;
 *   - a non-snooped device write goes to memory: the CPU reads the stale
 *     cached bytes until it invalidates.
 *
 * The model keeps whole buffers, not lines, and knows no dirtiness: a flush
 * writes every byte of the range back, so a CPU that flushes over what a
 * non-snooping device wrote loses it, as on silicon when the CPU holds
 * dirty lines there. Write-combined and uncached buffers are mapped in s->mem
 * itself: the CPU's stores are the device's (the fence is the driver's).
 *
 * Nothing here costs on the job path: the hot buffers are write-combined or
 * snooped (one page-attribute look-up per page to choose the view), and a
 * flush copies only what it names. The second arena is reserved, not
 * touched, until a write-back buffer uses its pages.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "sim/sim_internal.h"
#include "util/log.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((size_t)1 << PAGE_SHIFT)

int sim_cache_init(struct npu_sim *s)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

	/* cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for */
	s->cache = mmap(NULL, s->mem_size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (s->cache == MAP_FAILED) {
		s->cache = NULL;
		return -ENOMEM;
	}
	s->page_wb = calloc(s->mem_size >> PAGE_SHIFT, 1);
	if (!s->page_wb) {
		munmap(s->cache, s->mem_size);
		s->cache = NULL;
		return -ENOMEM;
	}
	return 0;
}

void sim_cache_fini(struct npu_sim *s)
{
	free(s->page_wb);
	s->page_wb = NULL;
	if (s->cache)
		munmap(s->cache, s->mem_size);
	s->cache = NULL;
}

void *sim_cache_alloc(struct npu_sim *s, size_t first, size_t n, enum npu_dma_caching caching)
{
	size_t off = first << PAGE_SHIFT, len = n << PAGE_SHIFT;
	bool wb = caching == NPU_DMA_WB;

	memset(s->page_wb + first, wb, n);
	/* Memory holds zeroes, and so does a write-back buffer's cached view. */
	memset(s->mem + off, 0, len);
	if (!wb)
		return s->mem + off;
	memset(s->cache + off, 0, len);
	return s->cache + off;
}

void sim_cache_free(struct npu_sim *s, size_t first, size_t n)
{
	memset(s->page_wb + first, 0, n);
}

bool sim_cache_owns(const struct npu_sim *s, const void *cpu, size_t size)
{
	uintptr_t base = (uintptr_t)s->cache, p = (uintptr_t)cpu;

	return s->cache && p >= base && p - base < s->mem_size && size <= s->mem_size - (p - base);
}

/*
 * Whether the page of pa holds a write-back buffer of the arena. Memory the
 * model reaches elsewhere (outside the arena) is written through.
 */
static bool pa_wb(const struct npu_sim *s, uint64_t pa)
{
	uint64_t off = pa - NPU_SIM_MEM_BASE;

	return s->page_wb && pa >= NPU_SIM_MEM_BASE && off < s->mem_size &&
	       s->page_wb[off >> PAGE_SHIFT];
}

size_t sim_cache_same(const struct npu_sim *s, uint64_t pa, size_t len)
{
	size_t n = PAGE_SIZE - (size_t)(pa & (PAGE_SIZE - 1));
	bool wb = pa_wb(s, pa);

	while (n < len && pa_wb(s, pa + n) == wb)
		n += PAGE_SIZE;
	return n < len ? n : len;
}

void *sim_mem_view(struct npu_sim *s, uint64_t pa, size_t len, bool snooped)
{
	uint8_t *m = sim_mem_ptr(s, pa, len);

	if (!m || !snooped || len == 0 || !pa_wb(s, pa))
		return m;
	/* A view that mixes attributes has no single pointer: callers split at the change. */
	if (sim_cache_same(s, pa, len) < len)
		return NULL;
	return s->cache + (size_t)(pa - NPU_SIM_MEM_BASE);
}

/*
 * The device's bus accesses to memory: aligned 32-bit words one access each, so a word the
 * CPU writes at once (a queue's tail or head, a fence) is never seen half written; unaligned
 * pieces byte by byte.
 *
 * They are the device's, not a C thread's: the driver orders its side with barriers and the
 * doorbell, as on silicon, and the firmware thread reads and writes what the host shares with
 * the device at any time (a fence it polls, a queue header, a buffer a job fills). So these
 * two functions, and nothing else of the model, are left out of ThreadSanitizer's view, as a
 * device's DMA is out of the C memory model; they copy by hand, since a memcpy would be
 * seen. The model's own synchronisation (its lock, its atomics) stays checked.
 */
#if defined(__SANITIZE_THREAD__)
#define SIM_DMA_ACCESS __attribute__((no_sanitize("thread"), noinline))
#else
#define SIM_DMA_ACCESS
#endif

/* A word as the bytes memory holds, in the host's own order. */
union word {
	uint8_t b[4];
	uint32_t w;
};

SIM_DMA_ACCESS static void dev_store(uint8_t *dst, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	size_t i = 0;

	if ((((uintptr_t)dst | len) & 3u) == 0) {
		for (; i < len; i += 4) {
			union word w = { .b = { b[i], b[i + 1], b[i + 2], b[i + 3] } };

			__atomic_store_n((uint32_t *)(void *)(dst + i), w.w, __ATOMIC_RELEASE);
		}
		return;
	}
	for (; i < len; i++)
		((volatile uint8_t *)dst)[i] = b[i];
}

SIM_DMA_ACCESS void sim_dma_load(void *buf, const uint8_t *src, size_t len)
{
	uint8_t *b = buf;
	size_t i = 0;

	if ((((uintptr_t)src | len) & 3u) == 0) {
		for (; i < len; i += 4) {
			union word w;

			w.w = __atomic_load_n((const uint32_t *)(const void *)(src + i),
					      __ATOMIC_ACQUIRE);
			for (unsigned k = 0; k < 4; k++)
				b[i + k] = w.b[k];
		}
		return;
	}
	for (; i < len; i++)
		b[i] = ((const volatile uint8_t *)src)[i];
}

int sim_dma_write(struct npu_sim *s, uint64_t pa, const void *buf, size_t len, bool snooped)
{
	uint8_t *m = sim_mem_ptr(s, pa, len);
	size_t done = 0;

	if (!m)
		return -EFAULT;
	dev_store(m, buf, len);
	while (snooped && done < len) {
		size_t n = sim_cache_same(s, pa + done, len - done);

		if (pa_wb(s, pa + done))
			dev_store(s->cache + (size_t)(pa + done - NPU_SIM_MEM_BASE),
				  (const uint8_t *)buf + done, n);
		done += n;
	}
	return 0;
}

/* The TCU's snoop attribute for its reads or writes (docs/hardware.md §2.5: TCU_PTW_OVERRIDES). */
bool sim_cache_tcu_snooped(const struct npu_sim *s, bool write)
{
	uint32_t v = s->ip.tcu_ptw_overrides;

	if (s->gen == NPU_GEN_37XX) {
		if (!(v & NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_NOSNOOP_OVERRIDE_EN))
			return false;
		return !(v & (write ? NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_AW_NOSNOOP
				    : NPU_37XX_HOST_IF_TCU_PTW_OVERRIDES_AR_NOSNOOP));
	}
	if (!(v & NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_SNOOP_OVERRIDE_EN))
		return false;
	return (v & (write ? NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_AW_SNOOP
			   : NPU_40XX_HOST_IF_TCU_PTW_OVERRIDES_AR_SNOOP)) != 0;
}

void *sim_tcu_ptr(struct npu_sim *s, uint64_t pa, size_t len, bool write)
{
	return sim_mem_view(s, pa, len, sim_cache_tcu_snooped(s, write));
}

int npu_sim_dma_sync(struct npu_sim *sim, const void *cpu, size_t len, bool to_device)
{
	size_t off, end;

	if (len == 0)
		return 0;
	/* A write-through buffer's CPU view is memory: nothing to do. */
	if (!sim_cache_owns(sim, cpu, len))
		return 0;
	off = (size_t)((const uint8_t *)cpu - sim->cache);
	end = off + len;
	sim_host_lock(sim);
	sim->cache_syncs++;
	while (off < end) {
		size_t page = off >> PAGE_SHIFT;
		size_t n = PAGE_SIZE - (off & (PAGE_SIZE - 1));

		if (n > end - off)
			n = end - off;
		if (sim->page_wb[page]) {
			if (to_device)
				memcpy(sim->mem + off, sim->cache + off, n);
			else
				memcpy(sim->cache + off, sim->mem + off, n);
		}
		off += n;
	}
	pthread_mutex_unlock(&sim->lock);
	return 0;
}
