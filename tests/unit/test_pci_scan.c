/* SPDX-License-Identifier: MIT */
/*
 * PCI discovery against fake sysfs trees built in a mkdtemp directory:
 * what is found, what is skipped (and warned about), order, BARs, npu_pci_find.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/pci_scan.h"
#include "util/log.h"

#define MiB (1024ull * 1024ull)

/* Real flags of a 64-bit non-prefetchable BAR: MEM_64 | SIZEALIGN | MEM | 64-bit type bits. */
#define FLAGS_MEM64 0x140204u

struct fake_bar {
	uint64_t start, size;
	uint32_t flags;
};

struct tree {
	char root[64];
	char bus[128];
};

static int pci_warnings;

static void count_warnings(void *ctx, enum npu_log_level level, enum npu_log_cat cat,
			   const char *msg)
{
	(void)ctx;
	(void)msg;
	if (level == NPU_LOG_WARN && cat == NPU_CAT_PCI)
		pci_warnings++;
}

static void remove_tree(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	dir = opendir(path);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		char child[1024];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		remove_tree(child);
	}
	closedir(dir);
	assert_int_equal(rmdir(path), 0);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_text(const char *dir, const char *name, const char *text)
{
	write_file(dir, name, text, strlen(text));
}

static void make_dir(struct tree *t, const char *name, char *dir, size_t len)
{
	snprintf(dir, len, "%s/%s", t->bus, name);
	assert_int_equal(mkdir(dir, 0755), 0);
}

/* Six BAR lines and a ROM line, as the kernel prints them for an endpoint. */
static void format_resource(const struct fake_bar bars[6], char *buf, size_t len)
{
	size_t off = 0;

	for (int i = 0; i < 7; i++) {
		uint64_t start = 0, end = 0, flags = 0;

		if (i < 6 && bars && bars[i].size) {
			start = bars[i].start;
			end = bars[i].start + bars[i].size - 1;
			flags = bars[i].flags;
		}
		off += (size_t)snprintf(buf + off, len - off, "0x%016llx 0x%016llx 0x%016llx\n",
					(unsigned long long)start, (unsigned long long)end,
					(unsigned long long)flags);
	}
}

/* A device with the five attributes; resource NULL gives a standard NPU BAR layout. */
static void add_device(struct tree *t, const char *bdf, unsigned vendor, unsigned device,
		       unsigned class_code, unsigned rev, const char *resource)
{
	const struct fake_bar npu_bars[6] = {
		[0] = { 0x4010000000ull, 128 * MiB, FLAGS_MEM64 },
		[4] = { 0x4018000000ull, 4096, FLAGS_MEM64 },
	};
	char dir[256], text[1024];

	make_dir(t, bdf, dir, sizeof(dir));
	snprintf(text, sizeof(text), "0x%04x\n", vendor);
	write_text(dir, "vendor", text);
	snprintf(text, sizeof(text), "0x%04x\n", device);
	write_text(dir, "device", text);
	snprintf(text, sizeof(text), "0x%06x\n", class_code);
	write_text(dir, "class", text);
	snprintf(text, sizeof(text), "0x%02x\n", rev);
	write_text(dir, "revision", text);
	if (!resource) {
		format_resource(npu_bars, text, sizeof(text));
		resource = text;
	}
	write_text(dir, "resource", resource);
}

/* An MTL-like device whose attribute `attr` holds `text` (NULL: the file is removed). */
static void add_bad_npu(struct tree *t, const char *bdf, const char *attr, const char *text)
{
	char dir[256], path[512];

	add_device(t, bdf, 0x8086, 0x7d1d, 0x120000, 4, NULL);
	snprintf(dir, sizeof(dir), "%s/%s", t->bus, bdf);
	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	assert_int_equal(unlink(path), 0);
	if (text)
		write_text(dir, attr, text);
}

static void tree_new(struct tree *t)
{
	char path[256];

	snprintf(t->root, sizeof(t->root), "/tmp/npu-pci-test-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	snprintf(path, sizeof(path), "%s/bus", t->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/bus/pci", t->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(t->bus, sizeof(t->bus), "%s/bus/pci/devices", t->root);
	assert_int_equal(mkdir(t->bus, 0755), 0);
}

/* The mixed tree: 5 devices kept, 2 ignored, 15 malformed and 3 bad names skipped. */
#define FULL_KEPT    5
#define FULL_ENTRIES 25
#define FULL_SKIPPED 18

static void build_full_tree(struct tree *t)
{
	const struct fake_bar accel_bars[6] = {
		[0] = { 0xa0000000ull, 16 * MiB, 0x2200 }, /* 32-bit prefetchable memory */
		[2] = { 0x3000, 64, 0x101 },		   /* I/O ports */
		[5] = { 0, 4096, 0x20000200u },		   /* memory the kernel left UNSET */
	};
	char res[1024], dir[256], *big;

	tree_new(t);
	/* Created out of order: the scan must sort numerically (10000 after ffff). */
	add_device(t, "10000:00:0b.0", 0x8086, 0xad1d, 0x120000, 4, NULL); /* ARL, VMD domain */
	add_device(t, "0000:80:0b.0", 0x8086, 0x643e, 0x120000, 4, NULL);  /* LNL */
	add_device(t, "0000:00:0c.0", 0x8086, 0xb03e, 0x120000, 0, NULL);  /* PTL */
	add_device(t, "0000:00:0b.0", 0x8086, 0x7d1d, 0x120000, 4, NULL);  /* MTL */
	format_resource(accel_bars, res, sizeof(res));
	add_device(t, "ffff:00:0d.0", 0x8086, 0x1234, 0x120001, 1, res);  /* unknown accelerator */
	add_device(t, "0000:00:02.0", 0x8086, 0x7d55, 0x030000, 8, NULL); /* Intel GPU: ignored */
	add_device(t, "0000:01:00.0", 0x10de, 0x7d1d, 0x120000, 1, NULL); /* not Intel: ignored */

	/* Malformed devices, each skipped with a warning. */
	add_bad_npu(t, "0000:00:10.0", "vendor", NULL);
	add_bad_npu(t, "0000:00:11.0", "device", "");
	add_bad_npu(t, "0000:00:12.0", "vendor", "0xZZZZ\n");
	add_bad_npu(t, "0000:00:13.0", "device", "0x7d1d7d1d\n");
	add_bad_npu(t, "0000:00:14.0", "class", "0x1200000000000000000000\n");
	add_bad_npu(t, "0000:00:15.0", "resource", "0x0 0x0 0x0\nhello world\n");
	add_bad_npu(t, "0000:00:16.0", "resource",
		    "0x0000000000003000 0x0000000000001000 0x0000000000000200\n"
		    "0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n");
	add_bad_npu(t, "0000:00:17.0", "resource", "0x0 0x0 0x0\n0x0 0x0 0x0\n");
	add_bad_npu(t, "0000:00:18.0", "resource",
		    "0x0 0xffffffffffffffff 0x200\n"
		    "0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n0x0 0x0 0x0\n");
	add_bad_npu(t, "0000:00:19.0", "revision", "0x04 trailing\n");
	/* 1 MiB attributes: a number and the resource file. */
	big = malloc(MiB);
	assert_non_null(big);
	memset(big, '0', MiB);
	add_bad_npu(t, "0000:00:1a.0", "revision", NULL);
	snprintf(dir, sizeof(dir), "%s/0000:00:1a.0", t->bus);
	write_file(dir, "revision", big, MiB);
	/* Valid 16-byte lines, so only the size gives it away (a page holds 256 of them). */
	for (size_t off = 0; off < MiB; off += 16)
		memcpy(big + off, "0x00000 0x0 0x0\n", 16);
	add_bad_npu(t, "0000:00:1b.0", "resource", NULL);
	snprintf(dir, sizeof(dir), "%s/0000:00:1b.0", t->bus);
	write_file(dir, "resource", big, MiB);
	free(big);
	/* A NUL byte after a valid number. */
	add_bad_npu(t, "0000:00:1d.0", "device", NULL);
	snprintf(dir, sizeof(dir), "%s/0000:00:1d.0", t->bus);
	write_file(dir, "device", "0x7d1d\0junk\n", 12);
	/* An attribute that is a directory. */
	add_bad_npu(t, "0000:00:1c.0", "vendor", NULL);
	snprintf(dir, sizeof(dir), "%s/0000:00:1c.0/vendor", t->bus);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* A FIFO: must not block the scan. */
	add_bad_npu(t, "0000:00:1e.0", "class", NULL);
	snprintf(dir, sizeof(dir), "%s/0000:00:1e.0/class", t->bus);
	assert_int_equal(mkfifo(dir, 0644), 0);

	/* Names that are not PCI addresses. */
	make_dir(t, "not-a-bdf", dir, sizeof(dir));
	make_dir(t, "0000:00:0e.8", dir, sizeof(dir)); /* function above 7 */
	make_dir(t, "0000:00:20.0", dir, sizeof(dir)); /* device above 0x1f */
}

static int setup_empty(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	tree_new(t);
	pci_warnings = 0;
	npu_log_set_sink(count_warnings, NULL);
	*state = t;
	return 0;
}

static int setup_full(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	build_full_tree(t);
	pci_warnings = 0;
	npu_log_set_sink(count_warnings, NULL);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;

	npu_log_set_sink(NULL, NULL);
	remove_tree(t->root);
	free(t);
	return 0;
}

static void assert_npu_bars(const struct npu_pci_dev *d)
{
	assert_true(d->bar[0].present);
	assert_int_equal(d->bar[0].start, 0x4010000000ull);
	assert_int_equal(d->bar[0].size, 128 * MiB);
	assert_int_equal(d->bar[0].flags, FLAGS_MEM64);
	assert_string_equal(npu_pci_bar_type(d->bar[0].flags), "mem64");
	assert_true(d->bar[4].present);
	assert_int_equal(d->bar[4].start, 0x4018000000ull);
	assert_int_equal(d->bar[4].size, 4096);
	for (int i = 1; i < 4; i++) {
		assert_false(d->bar[i].present);
		assert_int_equal(d->bar[i].size, 0);
		assert_int_equal(d->bar[i].start, 0);
	}
	assert_false(d->bar[5].present);
}

static void test_scan_full_tree(void **state)
{
	struct tree *t = *state;
	struct npu_pci_dev devs[16];
	struct npu_pci_scan_report rep;
	size_t found = 99;

	assert_int_equal(npu_pci_scan(t->root, devs, 16, &found, &rep), 0);
	assert_int_equal(found, FULL_KEPT);
	assert_int_equal(rep.entries, FULL_ENTRIES);
	assert_int_equal(rep.matched, FULL_KEPT);
	assert_int_equal(rep.skipped, FULL_SKIPPED);
	assert_int_equal(rep.overflow, 0);
	assert_int_equal(pci_warnings, FULL_SKIPPED);

	assert_string_equal(devs[0].bdf, "0000:00:0b.0");
	assert_int_equal(devs[0].vendor, 0x8086);
	assert_int_equal(devs[0].device, 0x7d1d);
	assert_int_equal(devs[0].class_code, 0x120000);
	assert_int_equal(devs[0].revision, 4);
	assert_int_equal(devs[0].gen, NPU_GEN_37XX);
	assert_string_equal(devs[0].platform, "Meteor Lake");
	assert_true(devs[0].supported);
	assert_npu_bars(&devs[0]);

	assert_string_equal(devs[1].bdf, "0000:00:0c.0");
	assert_int_equal(devs[1].device, 0xb03e);
	assert_int_equal(devs[1].gen, NPU_GEN_50XX);
	assert_string_equal(devs[1].platform, "Panther Lake");
	assert_int_equal(devs[1].revision, 0);
	assert_false(devs[1].supported);

	assert_string_equal(devs[2].bdf, "0000:80:0b.0");
	assert_int_equal(devs[2].device, 0x643e);
	assert_int_equal(devs[2].gen, NPU_GEN_40XX);
	assert_string_equal(devs[2].platform, "Lunar Lake");
	assert_true(devs[2].supported);
	assert_npu_bars(&devs[2]);

	assert_string_equal(devs[3].bdf, "ffff:00:0d.0");
	assert_int_equal(devs[3].device, 0x1234);
	assert_int_equal(devs[3].class_code, 0x120001);
	assert_int_equal(devs[3].revision, 1);
	assert_int_equal(devs[3].gen, NPU_GEN_UNKNOWN);
	assert_string_equal(devs[3].platform, "unknown Intel accelerator");
	assert_false(devs[3].supported);
	assert_true(devs[3].bar[0].present);
	assert_int_equal(devs[3].bar[0].start, 0xa0000000ull);
	assert_int_equal(devs[3].bar[0].size, 16 * MiB);
	assert_string_equal(npu_pci_bar_type(devs[3].bar[0].flags), "mem");
	assert_true((devs[3].bar[0].flags & NPU_PCI_RES_PREFETCH) != 0);
	assert_true(devs[3].bar[2].present);
	assert_int_equal(devs[3].bar[2].start, 0x3000);
	assert_int_equal(devs[3].bar[2].size, 64);
	assert_string_equal(npu_pci_bar_type(devs[3].bar[2].flags), "io");
	assert_false(devs[3].bar[5].present); /* UNSET: a size but no address */
	assert_int_equal(devs[3].bar[5].size, 4096);

	assert_string_equal(devs[4].bdf, "10000:00:0b.0");
	assert_int_equal(devs[4].device, 0xad1d);
	assert_string_equal(devs[4].platform, "Arrow Lake");
	assert_int_equal(devs[4].gen, NPU_GEN_37XX);
	assert_true(devs[4].supported);
}

static void test_scan_caps_at_max(void **state)
{
	struct tree *t = *state;
	struct npu_pci_dev devs[2];
	struct npu_pci_scan_report rep;
	size_t found = 99;

	assert_int_equal(npu_pci_scan(t->root, devs, 2, &found, &rep), 0);
	assert_int_equal(found, 2);
	assert_int_equal(rep.matched, FULL_KEPT);
	assert_int_equal(rep.overflow, FULL_KEPT - 2);
	assert_string_equal(devs[0].bdf, "0000:00:0b.0");
	assert_string_equal(devs[1].bdf, "0000:00:0c.0");

	/* Counting only: no array at all. */
	assert_int_equal(npu_pci_scan(t->root, NULL, 0, &found, &rep), 0);
	assert_int_equal(found, 0);
	assert_int_equal(rep.overflow, FULL_KEPT);
	assert_int_equal(rep.skipped, FULL_SKIPPED);
}

static void test_find(void **state)
{
	struct tree *t = *state;
	struct npu_pci_dev d;

	assert_int_equal(npu_pci_find(t->root, NULL, &d), 0);
	assert_string_equal(d.bdf, "0000:00:0b.0");
	assert_int_equal(d.gen, NPU_GEN_37XX);

	memset(&d, 0, sizeof(d));
	assert_int_equal(npu_pci_find(t->root, "0000:80:0b.0", &d), 0);
	assert_string_equal(d.bdf, "0000:80:0b.0");
	assert_int_equal(d.gen, NPU_GEN_40XX);
	assert_int_equal(d.revision, 4);
	assert_npu_bars(&d);

	memset(&d, 0, sizeof(d));
	assert_int_equal(npu_pci_find(t->root, "00:0B.0", &d), 0); /* short, upper case */
	assert_string_equal(d.bdf, "0000:00:0b.0");
	assert_int_equal(npu_pci_find(t->root, "10000:00:0b.0", &d), 0);
	assert_int_equal(d.device, 0xad1d);

	memset(&d, 0, sizeof(d));
	assert_int_equal(npu_pci_find(t->root, "0000:00:0c.0", &d), -EOPNOTSUPP);
	assert_string_equal(d.bdf, "0000:00:0c.0");
	assert_int_equal(d.gen, NPU_GEN_50XX);

	assert_int_equal(npu_pci_find(t->root, "ffff:00:0d.0", &d), -ENODEV); /* not an NPU */
	assert_int_equal(npu_pci_find(t->root, "0000:00:02.0", &d), -ENODEV); /* Intel GPU */
	assert_int_equal(npu_pci_find(t->root, "0000:01:00.0", &d), -ENODEV); /* not Intel */
	assert_int_equal(npu_pci_find(t->root, "0000:00:1f.7", &d), -ENODEV); /* absent */
	assert_int_equal(npu_pci_find(t->root, "0000:00:15.0", &d), -EIO);    /* malformed */
	assert_int_equal(npu_pci_find(t->root, "0000:00:0b", &d), -EINVAL);
	assert_int_equal(npu_pci_find(t->root, "", &d), -EINVAL);
}

static void test_find_unsupported_only(void **state)
{
	struct tree *t = *state;
	struct npu_pci_dev d;

	add_device(t, "0000:00:0b.0", 0x8086, 0xfd3e, 0x120000, 1, NULL); /* WCL */
	memset(&d, 0, sizeof(d));
	assert_int_equal(npu_pci_find(t->root, NULL, &d), -EOPNOTSUPP);
	assert_string_equal(d.bdf, "0000:00:0b.0");
	assert_string_equal(d.platform, "Wildcat Lake");
	assert_int_equal(d.gen, NPU_GEN_50XX);
	assert_false(d.supported);
}

/* More Intel accelerators before the NPU than npu_pci_find keeps on its stack. */
static void test_find_past_many_accelerators(void **state)
{
	struct tree *t = *state;
	struct npu_pci_dev d;
	char bdf[32];

	for (int i = 0; i < 20; i++) {
		snprintf(bdf, sizeof(bdf), "0000:00:%02x.0", i);
		add_device(t, bdf, 0x8086, 0x0100 + (unsigned)i, 0x120000, 0, NULL);
	}
	add_device(t, "0000:40:00.0", 0x8086, 0x643e, 0x120000, 3, NULL);
	assert_int_equal(npu_pci_find(t->root, NULL, &d), 0);
	assert_string_equal(d.bdf, "0000:40:00.0");
	assert_int_equal(d.revision, 3);
	assert_int_equal(pci_warnings, 0);
}

static void test_empty_and_missing_roots(void **state)
{
	struct tree *t = *state;
	struct npu_pci_dev devs[4], d;
	struct npu_pci_scan_report rep;
	char path[256];
	size_t found = 99;

	assert_int_equal(npu_pci_scan(t->root, devs, 4, &found, &rep), 0);
	assert_int_equal(found, 0);
	assert_int_equal(rep.entries, 0);
	assert_int_equal(rep.skipped, 0);
	assert_int_equal(npu_pci_find(t->root, NULL, &d), -ENODEV);
	assert_int_equal(npu_pci_find(t->root, "0000:00:0b.0", &d), -ENODEV);

	/* bus/pci/devices is a file, not a directory. */
	assert_int_equal(rmdir(t->bus), 0);
	write_text(t->root, "bus/pci/devices", "x");
	assert_int_equal(npu_pci_scan(t->root, devs, 4, &found, &rep), -ENOTDIR);
	assert_int_equal(npu_pci_find(t->root, "0000:00:0b.0", &d), -ENOTDIR);

	snprintf(path, sizeof(path), "%s/does-not-exist", t->root);
	assert_int_equal(npu_pci_scan(path, devs, 4, &found, &rep), -ENOENT);
	assert_int_equal(found, 0);
	assert_int_equal(npu_pci_find(path, NULL, &d), -ENOENT);
	assert_int_equal(npu_pci_find(path, "0000:00:0b.0", &d), -ENOENT);
	assert_int_equal(pci_warnings, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_full_tree, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_scan_caps_at_max, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_find_unsupported_only, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_find_past_many_accelerators, setup_empty,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_missing_roots, setup_empty,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
