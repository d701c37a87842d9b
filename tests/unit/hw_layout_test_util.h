/* SPDX-License-Identifier: MIT */
/*
 * Shared by the hardware-layout tests (test_hw_layout_boot.c, test_hw_layout_msgs.c):
 * little-endian byte writers and readers for the raw buffers that the layout tests fill
 * at the documented offsets and copy into (or out of) the structures.
 */
#ifndef NPU_TEST_HW_LAYOUT_TEST_UTIL_H
#define NPU_TEST_HW_LAYOUT_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "these tests (and the device layouts) assume a little-endian host"
#endif

static inline void put_le16(uint8_t *buf, size_t off, uint16_t v)
{
	buf[off] = (uint8_t)v;
	buf[off + 1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *buf, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[off + i] = (uint8_t)(v >> (8 * i));
}

static inline void put_le64(uint8_t *buf, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		buf[off + i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t get_le32(const uint8_t *buf, size_t off)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | buf[off + i];
	return v;
}

static inline uint64_t get_le64(const uint8_t *buf, size_t off)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | buf[off + i];
	return v;
}

#endif /* NPU_TEST_HW_LAYOUT_TEST_UTIL_H */
