/* SPDX-License-Identifier: MIT */
/*
 * npud - bit and field helpers for the hardware-definition headers.
 *
 * Every register field in src/hw/ is a mask built with NPU_BIT()/NPU_GENMASK() (or the
 * 64-bit variants); npu_field_get()/npu_field_prep() move a value out of / into such a
 * mask, like the kernel's FIELD_GET()/FIELD_PREP(). The device's register and memory
 * layouts are little-endian.
 */
#ifndef NPU_HW_BITS_H
#define NPU_HW_BITS_H

#include <stdint.h>

/* 32-bit single bit, and contiguous mask of bits [hi:lo] (31 >= hi >= lo >= 0). */
#define NPU_BIT(n)	    (UINT32_C(1) << (n))
#define NPU_GENMASK(hi, lo) ((UINT32_MAX >> (31 - (hi))) & (UINT32_MAX << (lo)))

/* 64-bit variants (63 >= hi >= lo >= 0). */
#define NPU_BIT64(n)	      (UINT64_C(1) << (n))
#define NPU_GENMASK64(hi, lo) ((UINT64_MAX >> (63 - (hi))) & (UINT64_MAX << (lo)))

/* Sizes, as 64-bit constants. */
#define NPU_SZ_KIB(n) ((uint64_t)(n) << 10)
#define NPU_SZ_MIB(n) ((uint64_t)(n) << 20)
#define NPU_SZ_GIB(n) ((uint64_t)(n) << 30)

/*
 * Value of the field selected by @mask in @reg. @mask must be non-zero and contiguous:
 * the result is shifted down by the position of its lowest set bit.
 */
static inline uint32_t npu_field_get(uint32_t mask, uint32_t reg)
{
	return (reg & mask) >> __builtin_ctz(mask);
}

/* @val placed in the field selected by @mask; bits of @val that do not fit are dropped. */
static inline uint32_t npu_field_prep(uint32_t mask, uint32_t val)
{
	return (val << __builtin_ctz(mask)) & mask;
}

static inline uint64_t npu_field_get64(uint64_t mask, uint64_t reg)
{
	return (reg & mask) >> __builtin_ctzll(mask);
}

static inline uint64_t npu_field_prep64(uint64_t mask, uint64_t val)
{
	return (val << __builtin_ctzll(mask)) & mask;
}

#endif /* NPU_HW_BITS_H */
