/* SPDX-License-Identifier: MIT */
/*
 * PCI discovery through Linux sysfs: finds Intel NPUs (docs/hardware.md §1) by
 * reading <root>/bus/pci/devices/<BDF>/{vendor,device,class,revision,resource}.
 *
 * The root is "/sys" on a real machine; tests and `npuctl` (NPU_SYSFS_ROOT)
 * point it at a fake tree. Nothing here opens config space or maps a BAR: this
 * only says which devices exist and where their BARs are.
 */
#ifndef NPU_PLATFORM_PCI_SCAN_H
#define NPU_PLATFORM_PCI_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/gen.h"

#define NPU_PCI_SYSFS_ROOT_DEFAULT "/sys"
#define NPU_PCI_NUM_BARS	   6

/*
 * BAR flags as the kernel prints them in the sysfs "resource" file: the
 * IORESOURCE_* bits of include/linux/ioport.h, which the kernel keeps stable
 * because they are visible to user space there.
 */
#define NPU_PCI_RES_IO	     0x00000100u /* IORESOURCE_IO: I/O ports */
#define NPU_PCI_RES_MEM	     0x00000200u /* IORESOURCE_MEM: memory space */
#define NPU_PCI_RES_PREFETCH 0x00002000u /* IORESOURCE_PREFETCH: no side effects */
#define NPU_PCI_RES_MEM_64   0x00100000u /* IORESOURCE_MEM_64: a 64-bit memory BAR */
#define NPU_PCI_RES_UNSET    0x20000000u /* IORESOURCE_UNSET: no address assigned */

/* A PCI function address: domain, bus, device (0..31), function (0..7). */
struct npu_pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
};

struct npu_pci_bar {
	uint64_t start; /* bus address as the kernel reports it */
	uint64_t size;	/* end - start + 1 when start or end is not zero, else 0 */
	uint32_t flags; /* NPU_PCI_RES_* bits (the low 32 bits of the kernel's flags) */
	/*
	 * The BAR exists and has an address: size is not zero and the kernel did
	 * not flag it UNSET (a BAR it could not place shows start 0, end size-1).
	 */
	bool present;
};

/*
 * One Intel device found on the bus: an NPU this driver knows (gen is not
 * NPU_GEN_UNKNOWN), or another Intel processing accelerator (class 0x1200xx;
 * gen NPU_GEN_UNKNOWN, never supported, never used).
 */
struct npu_pci_dev {
	char bdf[32]; /* "dddd:bb:dd.f", lower-case hex as Linux names it */
	uint16_t vendor, device;
	uint32_t class_code; /* 24 bits: class, subclass, programming interface */
	uint8_t revision;
	enum npu_gen gen;
	const char *platform; /* static string: "Meteor Lake", ...; never NULL */
	bool supported;	      /* this driver can run it (37xx, 40xx) */
	struct npu_pci_bar bar[NPU_PCI_NUM_BARS];
};

/* What a scan looked at and left out. All counts, none of them an error. */
struct npu_pci_scan_report {
	size_t entries;	 /* entries of the bus directory, "." and ".." aside */
	size_t matched;	 /* Intel NPUs and accelerators found, stored or not */
	size_t skipped;	 /* not a BDF name, or an attribute missing, unreadable or malformed */
	size_t overflow; /* matched but not stored: devs[] was full */
};

/*
 * Lists the Intel NPUs and accelerators under <sysfs_root>/bus/pci/devices
 * (sysfs_root NULL or "" means "/sys") into devs[0..max), sorted by address;
 * *found is the number stored. A device whose attributes cannot be read or
 * parsed is skipped with a warning logged (category pci) and counted in
 * report->skipped; report may be NULL.
 *
 * Returns 0 (also when nothing is found), or a negative errno when the bus
 * directory cannot be listed: -ENOENT when it does not exist, -ENOTDIR,
 * -EACCES, -ENAMETOOLONG for a root path too long, -ENOMEM.
 */
int npu_pci_scan(const char *sysfs_root, struct npu_pci_dev *devs, size_t max, size_t *found,
		 struct npu_pci_scan_report *report);

/*
 * Finds one NPU. With bdf_or_null NULL: the first supported NPU in address
 * order. With a BDF ("0000:00:0b.0", or "00:0b.0" for domain 0): that device.
 *
 * Returns 0 with *out filled, or:
 *   -ENODEV      no such NPU (no NPU at all, or the BDF is absent or is not an
 *                NPU this driver knows);
 *   -EOPNOTSUPP  an NPU of a generation not supported yet: the BDF names one,
 *                or (without a BDF) only such NPUs exist. *out describes it,
 *                so the caller can name it.
 *   -EINVAL      bdf_or_null is not a PCI address;
 *   -EIO         the device with that BDF has unreadable or malformed attributes;
 *   or an error of npu_pci_scan (-ENOENT for a missing bus directory, ...).
 */
int npu_pci_find(const char *sysfs_root, const char *bdf_or_null, struct npu_pci_dev *out);

/*
 * Parses "dddd:bb:dd.f" (domain of 4 to 8 hex digits, as Linux prints the
 * domains above 0xffff that VMD creates) or the short "bb:dd.f" (domain 0).
 * Hex digits of either case; device at most 0x1f, function at most 7.
 * Returns 0, or -EINVAL.
 */
int npu_pci_addr_parse(const char *s, struct npu_pci_addr *addr);

/* Writes the canonical name of addr ("%04x:%02x:%02x.%x") to buf; false when it does not fit. */
bool npu_pci_addr_format(const struct npu_pci_addr *addr, char *buf, size_t len);

/* Orders two addresses: domain, then bus, device, function. */
int npu_pci_addr_cmp(const struct npu_pci_addr *a, const struct npu_pci_addr *b);

/*
 * Writes "<sysfs_root>/bus/pci/devices" (root NULL or "" means "/sys"; trailing
 * slashes of the root dropped) to buf. Returns 0, or -ENAMETOOLONG.
 */
int npu_pci_devices_path(const char *sysfs_root, char *buf, size_t len);

/* "mem", "mem64", "io" or "unknown", from a BAR's flags. */
const char *npu_pci_bar_type(uint32_t flags);

#endif
