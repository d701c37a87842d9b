/* SPDX-License-Identifier: MIT */
/*
 * npud - the guest side of `make vm-test`: a static program that runs inside a
 * QEMU guest on Linux's intel_vpu driver and drives the virtual NPU through the
 * ivpu uAPI (<drm/ivpu_accel.h>, Linux's include/uapi/drm/ivpu_accel.h).
 *
 *   guest_ivpu params DEVICE_ID   GET_PARAM: device id, platform, firmware API
 *                                 versions, context id, ...
 *   guest_ivpu jobs               jobs in Intel's command-buffer format (fill,
 *                                 copy, barrier, fence signal and wait,
 *                                 timestamp), BO_WAIT, every byte checked
 *   guest_ivpu stream N           N small jobs, up to 8 in flight, each checked
 *                                 (guest_stream.c)
 *   guest_ivpu hang SECONDS       one job that must be aborted (status
 *                                 DRM_IVPU_JOB_STATUS_ABORTED) by ivpu's
 *                                 timeout detection within SECONDS
 *   guest_ivpu ms                 the metric streamer's GET_INFO
 *   guest_ivpu mmufault           a fill of an address no buffer maps: what
 *                                 ivpu did with the job and the context
 * (the last two are reported as information, "VMTEST INFO", not as checks)
 *
 * Each check prints one line on stdout, "VMTEST PASS name: what" or
 * "VMTEST FAIL name: why", which the host's scripts/vm/run.sh parses. The
 * command layouts are src/hw/cmd.h (docs/firmware-protocol.md §4).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <drm/ivpu_accel.h>

#include "hw/cmd.h"

#include "guest_uapi.h"

/* guest_extras.c */
int guest_do_ms(int fd);
int guest_do_mmufault(int fd);
/* guest_stream.c */
int guest_do_stream(int fd, uint32_t jobs);

/* ---- the checks ---- */

static int do_params(int fd, const char *want_id)
{
	static const struct {
		uint32_t param, index;
		const char *name;
	} list[] = {
		{ DRM_IVPU_PARAM_DEVICE_ID, 0, "device_id" },
		{ DRM_IVPU_PARAM_DEVICE_REVISION, 0, "revision" },
		{ DRM_IVPU_PARAM_PLATFORM_TYPE, 0, "platform" },
		{ DRM_IVPU_PARAM_CORE_CLOCK_RATE, 0, "core_clock_hz" },
		{ DRM_IVPU_PARAM_NUM_CONTEXTS, 0, "contexts" },
		{ DRM_IVPU_PARAM_CONTEXT_BASE_ADDRESS, 0, "context_base" },
		{ DRM_IVPU_PARAM_CONTEXT_ID, 0, "context_id" },
		{ DRM_IVPU_PARAM_FW_API_VERSION, 0, "fw_api_boot" },
		{ DRM_IVPU_PARAM_FW_API_VERSION, 3, "fw_api_job_cmd" },
		{ DRM_IVPU_PARAM_FW_API_VERSION, 4, "fw_api_jsm" },
		{ DRM_IVPU_PARAM_CAPABILITIES, DRM_IVPU_CAP_METRIC_STREAMER,
		  "cap_metric_streamer" },
		{ DRM_IVPU_PARAM_CAPABILITIES, DRM_IVPU_CAP_DMA_MEMORY_RANGE, "cap_dma_range" },
		{ DRM_IVPU_PARAM_ENGINE_HEARTBEAT, DRM_IVPU_ENGINE_COMPUTE, "heartbeat" },
		{ DRM_IVPU_PARAM_UNIQUE_INFERENCE_ID, 0, "unique_id" },
		{ DRM_IVPU_PARAM_TILE_CONFIG, 0, "tile_config" },
		{ DRM_IVPU_PARAM_SKU, 0, "sku" },
	};
	uint64_t v[sizeof(list) / sizeof(list[0])];
	char line[1024];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		int ret = get_param(fd, list[i].param, list[i].index, &v[i]);

		if (ret < 0) {
			result(false, "uapi-params", "GET_PARAM %s: %s", list[i].name,
			       strerror(-ret));
			return -1;
		}
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s=0x%llx", i ? " " : "",
				      list[i].name, (unsigned long long)v[i]);
	}
	printf("guest_ivpu: %s\n", line);
	if (v[0] != strtoull(want_id, NULL, 16)) {
		result(false, "uapi-params", "device id 0x%llx, expected %s",
		       (unsigned long long)v[0], want_id);
	} else if (v[2] != DRM_IVPU_PLATFORM_TYPE_SILICON) {
		result(false, "uapi-params", "platform %llu, expected silicon (0)",
		       (unsigned long long)v[2]);
	} else if (v[6] < 2) {
		result(false, "uapi-params", "context id %llu: user contexts start at 2",
		       (unsigned long long)v[6]);
	} else if ((v[7] >> 16) == 0 || (v[8] >> 16) == 0 || (v[9] >> 16) == 0) {
		result(false, "uapi-params", "a firmware API version is 0: %s", line);
	} else if (v[3] == 0 || v[4] == 0 || v[10] != 1 || v[11] != 1) {
		result(false, "uapi-params", "clock, contexts or capabilities wrong: %s", line);
	} else {
		result(true, "uapi-params",
		       "device 0x%llx, firmware APIs boot %llu.%llu job-cmd %llu.%llu JSM "
		       "%llu.%llu, context %llu",
		       (unsigned long long)v[0], (unsigned long long)(v[7] >> 16),
		       (unsigned long long)(v[7] & 0xffff), (unsigned long long)(v[8] >> 16),
		       (unsigned long long)(v[8] & 0xffff), (unsigned long long)(v[9] >> 16),
		       (unsigned long long)(v[9] & 0xffff), (unsigned long long)v[6]);
	}
	return 0;
}

/* Data BO regions (each 64-B aligned, sizes multiples of 64). */
#define DATA_SIZE 0x100000u
#define REG_A	  0x00000u /* filled */
#define REG_B	  0x20000u /* copy of A */
#define REG_C	  0x40000u /* filled after a satisfied FENCE_WAIT */
#define REG_D	  0x80000u /* filled after a FENCE_WAIT the host satisfies */
#define LEN_AB	  0x10000u
#define LEN_CD	  0x1000u
#define CANARY	  0x5A5A5A5Au
#define PAT_A	  0x1E0FC3A5u
#define PAT_C	  0xD00DFEEDu
#define PAT_D	  0x600DCAFEu
#define FENCE_END UINT64_C(0x123456789ABCDEF0)

/* Every byte of the data BO: the filled regions as expected, the rest untouched. */
static bool check_data(const struct bo *data, bool with_d, char *why, size_t len)
{
	static const struct {
		uint32_t from, to, pattern;
	} map[] = {
		{ 0, REG_A, CANARY },
		{ REG_A, REG_A + LEN_AB, PAT_A },
		{ REG_A + LEN_AB, REG_B, CANARY },
		{ REG_B, REG_B + LEN_AB, PAT_A },
		{ REG_B + LEN_AB, REG_C, CANARY },
		{ REG_C, REG_C + LEN_CD, PAT_C },
		{ REG_C + LEN_CD, REG_D, CANARY },
		{ REG_D, REG_D + LEN_CD, PAT_D },
		{ REG_D + LEN_CD, DATA_SIZE, CANARY },
	};

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint32_t pat = map[i].from == REG_D && !with_d ? CANARY : map[i].pattern;
		long bad = check_pattern(data, map[i].from, map[i].to, pat);

		if (bad >= 0) {
			snprintf(why, len, "data byte 0x%lx is 0x%02x, expected 0x%02x", bad,
				 data->cpu[bad], (uint8_t)(pat >> (8 * ((bad - map[i].from) % 4))));
			return false;
		}
	}
	return true;
}

static int do_jobs(int fd)
{
	struct bo cmd = { 0 }, cmd2 = { 0 }, data = { 0 };
	uint64_t id = 0;
	uint32_t status = 0, handles[2];
	bool gen40;
	struct cb cb;
	char why[160];
	uint64_t ts0, ts1, f0, f1;
	int ret;

	if (get_param(fd, DRM_IVPU_PARAM_DEVICE_ID, 0, &id) < 0)
		id = 0;
	gen40 = id == PCI_ID_40XX;
	if ((ret = bo_new(fd, CMD_BO_SZE, &cmd)) < 0 || (ret = bo_new(fd, CMD_BO_SZE, &cmd2)) < 0 ||
	    (ret = bo_new(fd, DATA_SIZE, &data)) < 0) {
		result(false, "uapi-bo", "BO_CREATE/BO_INFO/mmap: %s", strerror(-ret));
		goto out;
	}
	result(true, "uapi-bo", "3 BOs at NPU VA 0x%llx, 0x%llx, 0x%llx",
	       (unsigned long long)cmd.va, (unsigned long long)cmd2.va,
	       (unsigned long long)data.va);
	memset(data.cpu, (int)(CANARY & 0xff), DATA_SIZE);

	/* Job 1: fill, barrier, copy, fences, a satisfied wait, timestamps. */
	cb_begin(&cb, &cmd);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, cmd.va + FENCES_AT, 1);
	cmd_timestamp(&cb, cmd.va + STAMPS_AT);
	cmd_fill(&cb, data.va + REG_A, LEN_AB, PAT_A);
	cmd_barrier(&cb);
	cmd_copy(&cb, gen40, data.va + REG_A, data.va + REG_B, LEN_AB);
	cmd_barrier(&cb);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, cmd.va + FENCES_AT, 3);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, cmd.va + FENCES_AT, 2);
	cmd_fill(&cb, data.va + REG_C, LEN_CD, PAT_C);
	cmd_timestamp(&cb, cmd.va + STAMPS_AT + 64);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, cmd.va + FENCES_AT + 64, FENCE_END);
	cb_end(&cb);
	handles[0] = cmd.handle;
	handles[1] = data.handle;
	if ((ret = submit(fd, handles, 2)) < 0) {
		result(false, "uapi-jobs", "SUBMIT: %s", strerror(-ret));
		goto out;
	}
	if ((ret = bo_wait(fd, cmd.handle, 20000, &status)) < 0 || status != 0) {
		result(false, "uapi-jobs", "job 1: BO_WAIT %s, job status %u",
		       ret < 0 ? strerror(-ret) : "ok", status);
		goto out;
	}
	ts0 = rd64(&cmd, STAMPS_AT);
	ts1 = rd64(&cmd, STAMPS_AT + 64);
	f0 = rd64(&cmd, FENCES_AT);
	f1 = rd64(&cmd, FENCES_AT + 64);
	if (!check_data(&data, false, why, sizeof(why))) {
		result(false, "uapi-jobs", "job 1 (fill, copy, fences): %s", why);
		goto out;
	}
	if (f0 != 3 || f1 != FENCE_END) {
		result(false, "uapi-jobs", "job 1: fences 0x%llx 0x%llx, expected 3 and 0x%llx",
		       (unsigned long long)f0, (unsigned long long)f1,
		       (unsigned long long)FENCE_END);
		goto out;
	}
	if (ts0 == 0 || ts1 < ts0) {
		result(false, "uapi-jobs", "job 1: timestamps %llu then %llu",
		       (unsigned long long)ts0, (unsigned long long)ts1);
		goto out;
	}

	/* Job 2: blocks on a FENCE_WAIT until the CPU moves the fence from 1 to 2. */
	cb_begin(&cb, &cmd2);
	wr64(&cmd2, FENCES_AT, 1);
	cmd_fence(&cb, NPU_CMD_FENCE_WAIT, cmd2.va + FENCES_AT, 2);
	cmd_fill(&cb, data.va + REG_D, LEN_CD, PAT_D);
	cmd_fence(&cb, NPU_CMD_FENCE_SIGNAL, cmd2.va + FENCES_AT, 3);
	cb_end(&cb);
	handles[0] = cmd2.handle;
	if ((ret = submit(fd, handles, 2)) < 0) {
		result(false, "uapi-jobs", "SUBMIT job 2: %s", strerror(-ret));
		goto out;
	}
	ret = bo_wait(fd, cmd2.handle, 300, &status);
	if (ret != -ETIMEDOUT) {
		result(false, "uapi-jobs",
		       "job 2 ended (%s, status %u) before its fence was signalled",
		       ret < 0 ? strerror(-ret) : "ok", status);
		goto out;
	}
	if (!check_data(&data, false, why, sizeof(why))) {
		result(false, "uapi-jobs", "job 2 ran past its FENCE_WAIT: %s", why);
		goto out;
	}
	wr64(&cmd2, FENCES_AT, 2);
	if ((ret = bo_wait(fd, cmd2.handle, 20000, &status)) < 0 || status != 0) {
		result(false, "uapi-jobs", "job 2 after the fence: BO_WAIT %s, job status %u",
		       ret < 0 ? strerror(-ret) : "ok", status);
		goto out;
	}
	if (!check_data(&data, true, why, sizeof(why)) || rd64(&cmd2, FENCES_AT) != 3) {
		result(false, "uapi-jobs", "job 2: %s",
		       rd64(&cmd2, FENCES_AT) != 3 ? "fence not signalled to 3" : why);
		goto out;
	}
	result(true, "uapi-jobs",
	       "fill %u B, copy %u B (%s descriptor), barrier, fence signal/wait, a wait the "
	       "host satisfied, timestamps %llu..%llu: all %u bytes checked",
	       LEN_AB, LEN_AB, gen40 ? "40xx" : "37xx", (unsigned long long)ts0,
	       (unsigned long long)ts1, DATA_SIZE);
out:
	bo_free(fd, &data);
	bo_free(fd, &cmd2);
	bo_free(fd, &cmd);
	return 0;
}

/* A job the model never ends: ivpu's TDR must abort it and recover the NPU. */
static int do_hang(int fd, long seconds)
{
	struct bo cmd = { 0 }, data = { 0 };
	uint32_t handles[2], status = 0;
	struct cb cb;
	int64_t t0;
	int ret;

	if ((ret = bo_new(fd, CMD_BO_SZE, &cmd)) < 0 || (ret = bo_new(fd, 4096, &data)) < 0) {
		result(false, "tdr-abort", "BO_CREATE: %s", strerror(-ret));
		goto out;
	}
	cb_begin(&cb, &cmd);
	cmd_fill(&cb, data.va, 4096, PAT_C);
	cb_end(&cb);
	handles[0] = cmd.handle;
	handles[1] = data.handle;
	if ((ret = submit(fd, handles, 2)) < 0) {
		result(false, "tdr-abort", "SUBMIT: %s", strerror(-ret));
		goto out;
	}
	t0 = now_ns();
	ret = bo_wait(fd, cmd.handle, seconds * 1000, &status);
	if (ret < 0)
		result(false, "tdr-abort", "the hung job was not ended in %ld s (BO_WAIT: %s)",
		       seconds, strerror(-ret));
	else
		result(status == DRM_IVPU_JOB_STATUS_ABORTED, "tdr-abort",
		       "the hung job ended after %lld ms with status %u (aborted is %u)",
		       (long long)((now_ns() - t0) / 1000000), status, DRM_IVPU_JOB_STATUS_ABORTED);
out:
	bo_free(fd, &data);
	bo_free(fd, &cmd);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: guest_ivpu params DEVICE_ID | jobs | stream N | hang "
				"SECONDS | ms | mmufault\n");
		return 2;
	}
	fd = open(ACCEL_NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		result(false, strcmp(argv[1], "hang") ? "uapi-open" : "tdr-abort", "open %s: %s",
		       ACCEL_NODE, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "params") && argc == 3)
		do_params(fd, argv[2]);
	else if (!strcmp(argv[1], "jobs"))
		do_jobs(fd);
	else if (!strcmp(argv[1], "hang") && argc == 3)
		do_hang(fd, strtol(argv[2], NULL, 10));
	else if (!strcmp(argv[1], "stream") && argc == 3)
		guest_do_stream(fd, (uint32_t)strtoul(argv[2], NULL, 10));
	else if (!strcmp(argv[1], "ms"))
		guest_do_ms(fd);
	else if (!strcmp(argv[1], "mmufault"))
		guest_do_mmufault(fd);
	else
		fprintf(stderr, "guest_ivpu: unknown command %s\n", argv[1]);
	close(fd);
	return guest_failures ? 1 : 0;
}
