/* SPDX-License-Identifier: MIT */
/* The host's monotonic clock and sleep. */
#ifndef NPU_UTIL_CLOCK_H
#define NPU_UTIL_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds, microseconds, milliseconds. */
uint64_t npu_clock_ns(void);
uint64_t npu_clock_us(void);
uint64_t npu_clock_ms(void);

/* Sleeps at least us microseconds (a signal does not cut it short). */
void npu_sleep_us(uint32_t us);

#endif
