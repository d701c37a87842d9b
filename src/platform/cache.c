/* SPDX-License-Identifier: MIT */
/* CPU cache maintenance over a range (cache.h). */
#include "platform/cache.h"

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* Line size (CPUID.1:EBX[15:8] x 8) and clflushopt (CPUID.(7,0):EBX[23]); asked once. */
static unsigned line_size;
static unsigned has_clflushopt;

static void cpu_probe(void)
{
	unsigned a, b, c, d, size = 64, opt = 0;

	if (__get_cpuid(1, &a, &b, &c, &d) && ((b >> 8) & 0xFFu))
		size = ((b >> 8) & 0xFFu) * 8u;
	if (__get_cpuid_max(0, NULL) >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		opt = (b >> 23) & 1u;
	}
	__atomic_store_n(&has_clflushopt, opt, __ATOMIC_RELAXED);
	__atomic_store_n(&line_size, size, __ATOMIC_RELEASE);
}

void npu_cpu_cache_flush(const void *p, size_t len)
{
	unsigned line = __atomic_load_n(&line_size, __ATOMIC_ACQUIRE);
	const volatile char *a, *end;

	if (!line) {
		cpu_probe();
		line = __atomic_load_n(&line_size, __ATOMIC_ACQUIRE);
	}
	if (!len)
		return;
	a = (const volatile char *)p - ((uintptr_t)p & (line - 1));
	end = (const volatile char *)p + len;
	/* The stores before must be in the lines the flushes write back. */
	__asm__ __volatile__("mfence" ::: "memory");
	if (__atomic_load_n(&has_clflushopt, __ATOMIC_RELAXED)) {
		for (; a < end; a += line)
			/* clflushopt is clflush with a 0x66 prefix (Intel SDM vol. 2A). */
			__asm__ __volatile__(".byte 0x66; clflush %0" ::"m"(*a) : "memory");
	} else {
		for (; a < end; a += line)
			__asm__ __volatile__("clflush %0" ::"m"(*a) : "memory");
	}
	/* clflushopt is ordered only by a fence; clflush by it with respect to later stores. */
	__asm__ __volatile__("sfence" ::: "memory");
}

#elif defined(__aarch64__)

void npu_cpu_cache_flush(const void *p, size_t len)
{
	uint64_t ctr;
	uintptr_t a, end, line;

	if (!len)
		return;
	/* CTR_EL0.DminLine: log2 of the smallest data cache line in words. */
	__asm__ __volatile__("mrs %0, ctr_el0" : "=r"(ctr));
	line = (uintptr_t)4 << ((ctr >> 16) & 0xFu);
	a = (uintptr_t)p & ~(line - 1);
	end = (uintptr_t)p + len;
	__asm__ __volatile__("dsb ish" ::: "memory");
	for (; a < end; a += line)
		__asm__ __volatile__("dc civac, %0" ::"r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

#else

void npu_cpu_cache_flush(const void *p, size_t len)
{
	(void)p;
	(void)len;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif
