/* SPDX-License-Identifier: MIT */
#include "driver/mmio.h"

#include <errno.h>
#include <stdio.h>

#include "hw/timeouts.h"
#include "util/log.h"

int drv_mmio_poll32(struct npu_mmio *m, unsigned bar, uint64_t off, const char *name, uint32_t mask,
		    uint32_t want, uint32_t timeout_us, uint32_t *last)
{
	struct npu_platform *p = m->plat;
	uint64_t deadline = npu_now_ns(p) + (uint64_t)timeout_us * 1000u;
	uint32_t v;

	for (;;) {
		/* Read, then check the clock: a slow read still gets its last look. */
		bool expired = npu_now_ns(p) >= deadline;

		v = drv_mmio_read32(m, bar, off);
		if ((v & mask) == want)
			break;
		if (expired) {
			if (last)
				*last = v;
			snprintf(m->last_timeout, sizeof(m->last_timeout),
				 "%s at BAR%u+0x%llx read 0x%08x for %u us, want 0x%x under "
				 "mask 0x%x",
				 name, bar, (unsigned long long)off, v, timeout_us, want, mask);
			npu_dbg(REG, "poll timeout: %s", m->last_timeout);
			return v == NPU_REG_IO_ERROR ? -EIO : -ETIMEDOUT;
		}
		p->ops->delay_us(p, NPU_POLL_INTERVAL_US);
	}
	if (last)
		*last = v;
	return 0;
}
