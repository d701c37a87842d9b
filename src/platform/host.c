/* SPDX-License-Identifier: MIT */
#include "platform/host.h"

#include "util/clock.h"
#include "util/file.h"

int npu_host_read_file(struct npu_platform *p, const char *path, size_t max_size, uint8_t **data,
		       size_t *size)
{
	(void)p;
	return npu_read_file(path, max_size, data, size);
}

uint64_t npu_host_now_ns(struct npu_platform *p)
{
	(void)p;
	return npu_clock_ns();
}

void npu_host_delay_us(struct npu_platform *p, uint32_t us)
{
	(void)p;
	npu_sleep_us(us);
}
