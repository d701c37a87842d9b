/* SPDX-License-Identifier: MIT */
/*
 * Little-endian loads and stores through byte pointers.
 *
 * Firmware files and device memory are little-endian and their fields are not
 * naturally aligned (the firmware header is pack(4), so its u64 fields sit on
 * 4-byte boundaries: docs/hardware.md §4.2). These helpers assemble values byte by
 * byte, so they work on any host and any alignment without type punning. The
 * caller guarantees that the bytes exist.
 */
#ifndef NPU_UTIL_BYTES_H
#define NPU_UTIL_BYTES_H

#include <stdint.h>

static inline uint16_t npu_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | (uint16_t)b[1] << 8);
}

static inline uint32_t npu_le32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t npu_le64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)npu_le32(b) | (uint64_t)npu_le32(b + 4) << 32;
}

static inline void npu_put_le16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static inline void npu_put_le32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

static inline void npu_put_le64(void *p, uint64_t v)
{
	uint8_t *b = p;

	npu_put_le32(b, (uint32_t)v);
	npu_put_le32(b + 4, (uint32_t)(v >> 32));
}

#endif
