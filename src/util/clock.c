/* SPDX-License-Identifier: MIT */
#include "util/clock.h"

#include <errno.h>
#include <time.h>

uint64_t npu_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t npu_clock_us(void)
{
	return npu_clock_ns() / 1000u;
}

uint64_t npu_clock_ms(void)
{
	return npu_clock_ns() / 1000000u;
}

void npu_sleep_us(uint32_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000u, .tv_nsec = (long)(us % 1000000u) * 1000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
