/* SPDX-License-Identifier: MIT */
/*
 * PCI addresses ("dddd:bb:dd.f") and small naming helpers of the sysfs scan
 * (see pci_scan.h). Linux names a function "%04x:%02x:%02x.%x"; the domain
 * grows past four digits for the domains VMD creates (0x10000 and up).
 */
#include "platform/pci_scan.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/hex.h"

/* Parses exactly min..max hex digits (no prefix) into *out. */
static const char *parse_hex_digits(const char *p, int min, int max, uint32_t *out)
{
	uint32_t v = 0;
	int n = 0;

	for (; n < max && npu_hex_digit(*p) >= 0; p++, n++)
		v = (v << 4) | (uint32_t)npu_hex_digit(*p);
	if (n < min || npu_hex_digit(*p) >= 0)
		return NULL;
	*out = v;
	return p;
}

int npu_pci_addr_parse(const char *s, struct npu_pci_addr *addr)
{
	uint32_t domain = 0, bus, dev, fn;
	const char *p = s;
	int colons = 0;

	if (!s)
		return -EINVAL;
	for (const char *c = s; *c; c++)
		colons += *c == ':';
	if (colons == 2) {
		p = parse_hex_digits(p, 4, 8, &domain);
		if (!p || *p++ != ':')
			return -EINVAL;
	} else if (colons != 1) {
		return -EINVAL;
	}
	p = parse_hex_digits(p, 2, 2, &bus);
	if (!p || *p++ != ':')
		return -EINVAL;
	p = parse_hex_digits(p, 2, 2, &dev);
	if (!p || *p++ != '.')
		return -EINVAL;
	p = parse_hex_digits(p, 1, 1, &fn);
	if (!p || *p != '\0' || dev > 0x1f || fn > 7)
		return -EINVAL;
	addr->domain = domain;
	addr->bus = (uint8_t)bus;
	addr->dev = (uint8_t)dev;
	addr->fn = (uint8_t)fn;
	return 0;
}

bool npu_pci_addr_format(const struct npu_pci_addr *addr, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%04x:%02x:%02x.%x", (unsigned)addr->domain, (unsigned)addr->bus,
			 (unsigned)addr->dev, (unsigned)addr->fn);

	return n >= 0 && (size_t)n < len;
}

int npu_pci_addr_cmp(const struct npu_pci_addr *a, const struct npu_pci_addr *b)
{
	uint64_t ka =
	    ((uint64_t)a->domain << 16) | ((uint64_t)a->bus << 8) | ((uint64_t)a->dev << 3) | a->fn;
	uint64_t kb =
	    ((uint64_t)b->domain << 16) | ((uint64_t)b->bus << 8) | ((uint64_t)b->dev << 3) | b->fn;

	return ka < kb ? -1 : ka > kb ? 1 : 0;
}

int npu_pci_devices_path(const char *sysfs_root, char *buf, size_t len)
{
	size_t root_len;
	int n;

	if (!sysfs_root || !*sysfs_root)
		sysfs_root = NPU_PCI_SYSFS_ROOT_DEFAULT;
	root_len = strlen(sysfs_root);
	/* "/sys/" and "/sys" name the same directory; "/" leaves an empty prefix. */
	while (root_len > 0 && sysfs_root[root_len - 1] == '/')
		root_len--;
	if (root_len > INT_MAX)
		return -ENAMETOOLONG;
	n = snprintf(buf, len, "%.*s/bus/pci/devices", (int)root_len, sysfs_root);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

const char *npu_pci_bar_type(uint32_t flags)
{
	if (flags & NPU_PCI_RES_IO)
		return "io";
	if (flags & NPU_PCI_RES_MEM)
		return (flags & NPU_PCI_RES_MEM_64) ? "mem64" : "mem";
	return "unknown";
}
