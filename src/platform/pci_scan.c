/* SPDX-License-Identifier: MIT */
/*
 * PCI discovery through sysfs (see pci_scan.h).
 *
 * Every byte read from sysfs is treated as untrusted text: reads are bounded,
 * parsers are strict, and a device whose attributes do not parse is skipped
 * with a warning instead of failing the whole scan. The formats are those of
 * drivers/pci/pci-sysfs.c: vendor and device "0x%04x\n", class "0x%06x\n",
 * revision "0x%02x\n", resource one "0x%016llx 0x%016llx 0x%016llx\n" line
 * (start, end, flags) per resource, the six BARs first, then the ROM, then
 * (bridges, SR-IOV) more.
 */
#include "platform/pci_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/pci_ids.h"
#include "util/hex.h"
#include "util/log.h"

/* A sysfs attribute holds at most one page; anything longer is not one. */
#define RESOURCE_MAX 4096
/* The numeric attributes are a few bytes ("0x120000\n"). */
#define NUMBER_MAX 64
/* Room for <root>/bus/pci/devices/<name>/<attribute>. */
#define PATH_LEN 4096
/* Matches npu_pci_find holds on its stack before it falls back to the heap. */
#define FIND_STACK_DEVS 8

/* Pseudo-errno values of the parsers, turned into words by attr_error_text. */
#define ERR_SYNTAX (-EINVAL)
#define ERR_RANGE  (-ERANGE)
#define ERR_LONG   (-EFBIG)

struct bus_entry {
	struct npu_pci_addr addr;
	char name[32]; /* the directory name as listed (a valid address is shorter) */
};

/*
 * Parses 1 to 16 hex digits with an optional "0x" prefix. Returns the end of
 * the digits, or NULL when there are none or more than 16 (a u64 overflow).
 */
static const char *parse_hex_u64(const char *p, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	/*
	 * clang 14's analyzer does not model errno: it takes read_attr's "return -errno"
	 * as a possible 0 (success) with buf unwritten. p is always a terminated string.
	 */
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; npu_hex_digit(*p) >= 0; p++, n++) {
		if (n == 16)
			return NULL;
		v = (v << 4) | (uint64_t)npu_hex_digit(*p);
	}
	if (n == 0)
		return NULL;
	*out = v;
	return p;
}

static const char *attr_error_text(int err)
{
	switch (err) {
	case ERR_SYNTAX:
		return "not in the format sysfs writes";
	case ERR_RANGE:
		return "value out of range";
	case ERR_LONG:
		return "too long for a sysfs attribute";
	default:
		return strerror(-err);
	}
}

/*
 * Reads <dir>/<attr> into buf (NUL-terminated, at most cap - 1 bytes). Only a
 * regular file is read (a FIFO planted in a fake tree must not block us).
 * Returns 0, ERR_LONG, ERR_SYNTAX for a NUL byte, or -errno.
 */
static int read_attr(const char *dir, const char *attr, char *buf, size_t cap)
{
	char path[PATH_LEN];
	struct stat st;
	size_t len = 0;
	int fd, n, rc = 0;

	n = snprintf(path, sizeof(path), "%s/%s", dir, attr);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : ERR_SYNTAX;
		goto out_close;
	}
	/* Read one byte more than fits, to tell "exactly full" from "too long". */
	for (;;) {
		char extra;
		/* cppcheck-suppress uninitvar ; only the address of extra is taken here */
		char *dst = len < cap - 1 ? buf + len : &extra;
		size_t want = len < cap - 1 ? cap - 1 - len : 1;
		ssize_t got = read(fd, dst, want);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -errno;
			goto out_close;
		}
		if (got == 0)
			break;
		if (dst == &extra) {
			rc = ERR_LONG;
			goto out_close;
		}
		len += (size_t)got;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		rc = ERR_SYNTAX;
out_close:
	close(fd);
	return rc;
}

/* Reads a one-number attribute such as "0x8086\n" that must not exceed max. */
static int read_number_attr(const char *dir, const char *attr, uint64_t max, uint64_t *out)
{
	char buf[NUMBER_MAX];
	const char *end;
	uint64_t v;
	int rc;

	rc = read_attr(dir, attr, buf, sizeof(buf));
	if (rc)
		return rc;
	end = parse_hex_u64(buf, &v);
	if (!end)
		return ERR_SYNTAX;
	if (*end == '\n')
		end++;
	if (*end != '\0')
		return ERR_SYNTAX;
	if (v > max)
		return ERR_RANGE;
	*out = v;
	return 0;
}

/*
 * Parses the resource file: every line must be three hex numbers with an
 * end not below its start; at least the six BAR lines must be there.
 */
static int parse_resource(const char *text, struct npu_pci_bar bar[NPU_PCI_NUM_BARS])
{
	const char *p = text;
	unsigned line = 0;

	memset(bar, 0, sizeof(bar[0]) * NPU_PCI_NUM_BARS);
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): as in parse_hex_u64 */
	while (*p != '\0') {
		uint64_t start, end, flags;

		p = parse_hex_u64(p, &start);
		if (!p || *p != ' ')
			return ERR_SYNTAX;
		p = parse_hex_u64(p + 1, &end);
		if (!p || *p != ' ')
			return ERR_SYNTAX;
		p = parse_hex_u64(p + 1, &flags);
		if (!p || (*p != '\n' && *p != '\0'))
			return ERR_SYNTAX;
		if (*p == '\n')
			p++;
		/* 0..UINT64_MAX would have a size of 2^64, which no BAR has. */
		if ((start != 0 || end != 0) && (end < start || end - start == UINT64_MAX))
			return ERR_RANGE;
		if (line < NPU_PCI_NUM_BARS && (start != 0 || end != 0)) {
			bar[line].start = start;
			bar[line].size = end - start + 1;
			/* The defined IORESOURCE_* bits all sit in the low 32 bits. */
			bar[line].flags = (uint32_t)flags;
			bar[line].present = !(flags & NPU_PCI_RES_UNSET);
		}
		line++;
	}
	return line < NPU_PCI_NUM_BARS ? ERR_SYNTAX : 0;
}

/*
 * Reads one device directory. Returns 0 with *keep telling whether it is an
 * Intel NPU or accelerator (then *d is filled, except bdf), or a negative
 * error with *bad_attr naming the attribute at fault. Non-Intel devices and
 * Intel devices of other classes stop after the attributes that rule them out.
 */
static int read_device(const char *dir, struct npu_pci_dev *d, bool *keep, const char **bad_attr)
{
	char text[RESOURCE_MAX + 1];
	const struct npu_pci_model *model;
	uint64_t vendor, device, class_code, revision;
	int rc;

	*keep = false;
	*bad_attr = "vendor";
	rc = read_number_attr(dir, "vendor", 0xffff, &vendor);
	if (rc || vendor != NPU_PCI_VENDOR_INTEL)
		return rc;
	*bad_attr = "device";
	rc = read_number_attr(dir, "device", 0xffff, &device);
	if (rc)
		return rc;
	*bad_attr = "class";
	rc = read_number_attr(dir, "class", 0xffffff, &class_code);
	if (rc)
		return rc;
	model = npu_pci_model_lookup((uint16_t)device);
	if (!model && (class_code >> 8) != NPU_PCI_CLASS_ACCEL)
		return 0;
	*bad_attr = "revision";
	rc = read_number_attr(dir, "revision", 0xff, &revision);
	if (rc)
		return rc;
	*bad_attr = "resource";
	rc = read_attr(dir, "resource", text, sizeof(text));
	if (rc)
		return rc;
	rc = parse_resource(text, d->bar);
	if (rc)
		return rc;

	d->vendor = (uint16_t)vendor;
	d->device = (uint16_t)device;
	d->class_code = (uint32_t)class_code;
	d->revision = (uint8_t)revision;
	d->gen = model ? model->gen : NPU_GEN_UNKNOWN;
	d->platform = model ? model->platform : "unknown Intel accelerator";
	d->supported = model && npu_gen_supported(model->gen);
	*keep = true;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct bus_entry *ea = a, *eb = b;
	int c = npu_pci_addr_cmp(&ea->addr, &eb->addr);

	return c ? c : strcmp(ea->name, eb->name);
}

/* Lists the valid BDF names of the bus directory into a malloc'd array. */
static int list_bus(const char *bus, struct bus_entry **out, size_t *count,
		    struct npu_pci_scan_report *rep)
{
	struct bus_entry *ents = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	dir = opendir(bus);
	if (!dir) {
		rc = -errno;
		npu_dbg(PCI, "cannot list %s: %s", bus, strerror(-rc));
		return rc;
	}
	for (;;) {
		struct npu_pci_addr addr;
		const char *name;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			rc = -errno;
			break;
		}
		name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		rep->entries++;
		if (strlen(name) >= sizeof(ents[0].name) || npu_pci_addr_parse(name, &addr) != 0) {
			rep->skipped++;
			npu_warn(PCI, "%s: skipped '%.40s': not a PCI address", bus, name);
			continue;
		}
		if (n == cap) {
			size_t new_cap = cap ? cap * 2 : 64;
			struct bus_entry *grown;

			if (new_cap > SIZE_MAX / sizeof(*ents)) {
				rc = -ENOMEM;
				break;
			}
			grown = realloc(ents, new_cap * sizeof(*ents));
			if (!grown) {
				rc = -ENOMEM;
				break;
			}
			ents = grown;
			cap = new_cap;
		}
		ents[n].addr = addr;
		memcpy(ents[n].name, name, strlen(name) + 1);
		n++;
	}
	closedir(dir);
	if (rc) {
		free(ents);
		return rc;
	}
	*out = ents;
	*count = n;
	return 0;
}

int npu_pci_scan(const char *sysfs_root, struct npu_pci_dev *devs, size_t max, size_t *found,
		 struct npu_pci_scan_report *report)
{
	struct npu_pci_scan_report rep = { 0 };
	struct bus_entry *ents = NULL;
	char bus[PATH_LEN];
	size_t n = 0, stored = 0;
	int rc;

	if (found)
		*found = 0;
	if (report)
		*report = rep;
	if (!devs)
		max = 0;
	rc = npu_pci_devices_path(sysfs_root, bus, sizeof(bus));
	if (rc)
		return rc;
	rc = list_bus(bus, &ents, &n, &rep);
	if (rc)
		return rc;
	if (n > 1)
		qsort(ents, n, sizeof(*ents), entry_cmp);

	for (size_t i = 0; i < n; i++) {
		char dir[PATH_LEN];
		struct npu_pci_dev d;
		const char *bad_attr = "";
		bool keep = false;
		int len;

		memset(&d, 0, sizeof(d));
		len = snprintf(dir, sizeof(dir), "%s/%s", bus, ents[i].name);
		rc = (len < 0 || (size_t)len >= sizeof(dir))
			 ? -ENAMETOOLONG
			 : read_device(dir, &d, &keep, &bad_attr);
		if (rc) {
			rep.skipped++;
			npu_warn(PCI, "%s: skipped: %s: %s", ents[i].name, bad_attr,
				 attr_error_text(rc));
			continue;
		}
		if (!keep)
			continue;
		npu_pci_addr_format(&ents[i].addr, d.bdf, sizeof(d.bdf));
		npu_dbg(PCI, "%s: %04x:%04x class %06x rev %02x: %s (%s)", d.bdf, d.vendor,
			d.device, d.class_code, d.revision, d.platform, npu_gen_name(d.gen));
		rep.matched++;
		if (stored < max)
			devs[stored++] = d;
		else
			rep.overflow++;
	}
	free(ents);
	if (found)
		*found = stored;
	if (report)
		*report = rep;
	return 0;
}

/* npu_pci_find with a BDF: reads that one device directory. */
static int find_by_addr(const char *sysfs_root, const struct npu_pci_addr *want,
			struct npu_pci_dev *out)
{
	char bus[PATH_LEN], dir[PATH_LEN], bdf[32];
	const char *bad_attr = "";
	struct npu_pci_dev d;
	struct stat st;
	bool keep = false;
	int rc, len;

	rc = npu_pci_devices_path(sysfs_root, bus, sizeof(bus));
	if (rc)
		return rc;
	if (stat(bus, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	npu_pci_addr_format(want, bdf, sizeof(bdf));
	len = snprintf(dir, sizeof(dir), "%s/%s", bus, bdf);
	if (len < 0 || (size_t)len >= sizeof(dir))
		return -ENAMETOOLONG;
	if (stat(dir, &st) != 0) {
		npu_dbg(PCI, "%s: no such PCI device", bdf);
		return -ENODEV;
	}
	memset(&d, 0, sizeof(d));
	rc = read_device(dir, &d, &keep, &bad_attr);
	if (rc) {
		npu_warn(PCI, "%s: %s: %s", bdf, bad_attr, attr_error_text(rc));
		return -EIO;
	}
	if (!keep || d.gen == NPU_GEN_UNKNOWN) {
		npu_dbg(PCI, "%s: not an Intel NPU this driver knows", bdf);
		return -ENODEV;
	}
	memcpy(d.bdf, bdf, sizeof(d.bdf));
	*out = d;
	return d.supported ? 0 : -EOPNOTSUPP;
}

/* The first supported NPU of devs[0..n), else the first NPU, else -ENODEV. */
static int pick_npu(const struct npu_pci_dev *devs, size_t n, struct npu_pci_dev *out)
{
	const struct npu_pci_dev *unsupported = NULL;

	for (size_t i = 0; i < n; i++) {
		if (devs[i].supported) {
			*out = devs[i];
			return 0;
		}
		if (devs[i].gen != NPU_GEN_UNKNOWN && !unsupported)
			unsupported = &devs[i];
	}
	if (!unsupported)
		return -ENODEV;
	*out = *unsupported;
	return -EOPNOTSUPP;
}

int npu_pci_find(const char *sysfs_root, const char *bdf_or_null, struct npu_pci_dev *out)
{
	struct npu_pci_dev stack_devs[FIND_STACK_DEVS];
	struct npu_pci_scan_report rep;
	struct npu_pci_dev *devs;
	size_t n;
	int rc;

	if (bdf_or_null) {
		struct npu_pci_addr want;

		if (npu_pci_addr_parse(bdf_or_null, &want) != 0)
			return -EINVAL;
		return find_by_addr(sysfs_root, &want, out);
	}
	rc = npu_pci_scan(sysfs_root, stack_devs, FIND_STACK_DEVS, &n, &rep);
	if (rc)
		return rc;
	if (rep.overflow == 0)
		return pick_npu(stack_devs, n, out);

	/* More Intel accelerators than the stack holds: scan again into the heap. */
	devs = calloc(rep.matched, sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	rc = npu_pci_scan(sysfs_root, devs, rep.matched, &n, NULL);
	if (rc == 0)
		rc = pick_npu(devs, n, out);
	free(devs);
	return rc;
}
