/* SPDX-License-Identifier: MIT */
/*
 * npud - the `make vm-test` guest program's information runs: what Linux's
 * ivpu does with the metric streamer and with an MMU fault on the virtual NPU.
 * They print "VMTEST INFO" lines, not checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <drm/drm.h>
#include <drm/ivpu_accel.h>

#include "guest_uapi.h"
#include "hw/bits.h"

#define FILL_PATTERN 0xD00DFEEDu

/* DRM_IOCTL_IVPU_METRIC_STREAMER_GET_INFO for metric group 0: information only. */
int guest_do_ms(int fd)
{
	struct drm_ivpu_metric_streamer_get_data info = { .metric_group_mask = 1 };

	if (ioctl(fd, DRM_IOCTL_IVPU_METRIC_STREAMER_GET_INFO, &info) < 0)
		printf("VMTEST INFO metric-streamer: GET_INFO of group 0: %s\n", strerror(errno));
	else
		printf("VMTEST INFO metric-streamer: GET_INFO of group 0: %llu bytes of info\n",
		       (unsigned long long)info.data_size);
	return 0;
}

/* A MEMORY_FILL of an NPU address nothing maps (64 MiB past a buffer): information only. */
int guest_do_mmufault(int fd)
{
	struct bo cmd = { 0 }, data = { 0 };
	uint32_t handles[2], status = 0;
	struct cb cb;
	int64_t t0;
	int ret;

	if ((ret = bo_new(fd, CMD_BO_SZE, &cmd)) < 0 || (ret = bo_new(fd, 4096, &data)) < 0) {
		printf("VMTEST INFO mmu-fault: BO_CREATE: %s\n", strerror(-ret));
		goto out;
	}
	cb_begin(&cb, &cmd);
	cmd_fill(&cb, data.va + NPU_SZ_MIB(64), 4096, FILL_PATTERN);
	cb_end(&cb);
	handles[0] = cmd.handle;
	handles[1] = data.handle;
	if ((ret = submit(fd, handles, 2)) < 0) {
		printf("VMTEST INFO mmu-fault: SUBMIT: %s\n", strerror(-ret));
		goto out;
	}
	t0 = now_ns();
	ret = bo_wait(fd, cmd.handle, 20000, &status);
	printf("VMTEST INFO mmu-fault: a fill of unmapped NPU VA 0x%llx: BO_WAIT %s after %lld ms, "
	       "job status 0x%x\n",
	       (unsigned long long)(data.va + NPU_SZ_MIB(64)), ret < 0 ? strerror(-ret) : "ok",
	       (long long)((now_ns() - t0) / 1000000), status);
	ret = submit(fd, handles, 2);
	printf("VMTEST INFO mmu-fault: the next SUBMIT on that file: %s\n",
	       ret < 0 ? strerror(-ret) : "accepted");
	if (ret == 0)
		bo_wait(fd, cmd.handle, 20000, &status);
out:
	bo_free(fd, &data);
	bo_free(fd, &cmd);
	return 0;
}
