/* SPDX-License-Identifier: MIT */
/*
 * A hint for the body of a spin loop: lets the sibling hyper-thread run and
 * saves power while a flag is polled.
 */
#ifndef NPU_UTIL_CPU_RELAX_H
#define NPU_UTIL_CPU_RELAX_H

static inline void npu_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

#endif
