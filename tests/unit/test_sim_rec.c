/* SPDX-License-Identifier: MIT */
/*
 * The model's recording (src/sim/sim_rec.c, docs/virtual-npu.md): npud's
 * driver boots the in-process simulated NPU with NPU_SIM_RECORD set, and the
 * record holds the boot-parameter page it wrote, the JSM messages both ways
 * in order, every register access, and counts that add up to those accesses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "hw/boot_params.h"
#include "platform/platform.h"
#include "util/file.h"

static char dir[64], fw_dir[64];

static char *slurp(const char *name)
{
	char path[160];
	uint8_t *data = NULL;
	size_t size = 0;
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(npu_read_file(path, 64u << 20, &data, &size), 0);
	s = malloc(size + 1);
	assert_non_null(s);
	memcpy(s, data, size);
	s[size] = '\0';
	free(data);
	return s;
}

static unsigned long long json_num(const char *json, const char *key)
{
	const char *p = strstr(json, key);

	assert_non_null(p);
	return strtoull(p + strlen(key), NULL, 10);
}

static void remove_all(void)
{
	static const char *const names[] = { "regs.log", "jsm.log", "counts.json",
					     "boot-params-1.hex", "boot-params-2.hex" };
	char path[160];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void test_record_boot(void **state)
{
	struct npu_platform_config pcfg = { .device = "sim", .gen = NPU_GEN_37XX };
	struct npu_device_config dcfg = { 0 };
	struct npu_platform *plat = NULL;
	struct npu_device d;
	char *hex, *jsm, *regs, *counts, *line;
	unsigned long long reads = 0, writes = 0, host = 0, fw = 0, seq_prev = 0;
	unsigned magic[4];

	(void)state;
	assert_int_equal(setenv("NPU_SIM_RECORD", dir, 1), 0);
	assert_int_equal(npu_platform_open(&pcfg, &plat), 0);
	unsetenv("NPU_SIM_RECORD");
	assert_int_equal(drv_device_open(&d, plat, &dcfg), 0);
	assert_int_equal(drv_device_boot(&d), 0);
	drv_device_close(&d);
	npu_platform_close(plat);

	/* The page as the firmware read it at CPU start: the magic first (docs/hardware.md §4.5). */
	hex = slurp("boot-params-1.hex");
	assert_int_equal(
	    sscanf(hex, "0000: %x %x %x %x", &magic[0], &magic[1], &magic[2], &magic[3]), 4);
	assert_int_equal(magic[0] | magic[1] << 8 | magic[2] << 16 | magic[3] << 24,
			 NPU_BOOT_PARAMS_MAGIC);
	assert_non_null(strstr(hex, "\n0ff0:"));
	assert_null(strstr(hex, "\n1000:"));

	/* Every register access is a line; the counts add up to them; one boot. */
	regs = slurp("regs.log");
	for (line = strtok(regs, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long seq;
		char what[16];

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%llu %15s", &seq, what), 2);
		assert_true(seq > seq_prev);
		seq_prev = seq;
		reads += strcmp(what, "R") == 0;
		writes += strcmp(what, "W") == 0;
	}
	counts = slurp("counts.json");
	assert_int_equal(json_num(counts, "\"boots\":"), 1);
	assert_int_equal(json_num(counts, "\"boot\":{\"reads\":"),
			 reads - json_num(counts, "\"interrupt\":{\"reads\":") -
			     json_num(counts, "\"job\":{\"reads\":") -
			     json_num(counts, "\"idle\":{\"reads\":"));
	assert_true(reads > 10 && writes > 10);

	/* JSM lines: each from host or firmware, with the whole 128-byte message. */
	jsm = slurp("jsm.log");
	for (line = strtok(jsm, "\n"); line; line = strtok(NULL, "\n")) {
		char from[8], bytes[300];
		unsigned long long seq;
		unsigned ch, type, id, result;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%llu %7s %u %x %u %x %299s", &seq, from, &ch, &type,
					&id, &result, bytes),
				 7);
		assert_int_equal(strlen(bytes), 256);
		host += strcmp(from, "host") == 0;
		fw += strcmp(from, "fw") == 0;
	}
	/* A boot under hardware scheduling (Linux's choice) sets up the priority bands: answered. */
	assert_true(host > 0 && fw > 0);
	assert_int_equal(json_num(counts, "\"messages_from_host\":"), host);
	assert_int_equal(json_num(counts, "\"messages_from_firmware\":"), fw);
	free(hex);
	free(regs);
	free(jsm);
	free(counts);
}

static int setup(void **state)
{
	(void)state;
	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-rec-fw-XXXXXX");
	snprintf(dir, sizeof(dir), "/tmp/npu-rec-XXXXXX");
	if (!mkdtemp(fw_dir) || !mkdtemp(dir))
		return -1;
	/* An empty firmware folder: driver and model both use the synthetic image. */
	return setenv("NPU_FIRMWARE_PATH", fw_dir, 1);
}

static int teardown(void **state)
{
	(void)state;
	remove_all();
	return rmdir(fw_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_boot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
