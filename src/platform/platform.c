/* SPDX-License-Identifier: MIT */
/*
 * Choosing and opening a platform backend.
 *
 * This build has one backend, the simulated NPU. "auto" still looks at the
 * PCI bus, so that it can tell the user what it found and why it is using
 * the simulator anyway.
 */
#include "platform/platform.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform/backends.h"
#include "platform/pci_scan.h"
#include "util/log.h"

/* The generation to simulate: the configured one, else the one found, else 37xx. */
static enum npu_gen sim_gen(const struct npu_platform_config *cfg, enum npu_gen found)
{
	if (cfg->gen != NPU_GEN_UNKNOWN)
		return cfg->gen;
	if (npu_gen_supported(found))
		return found;
	return NPU_GEN_37XX;
}

/* "auto": look at the bus, say what is there, and use the simulated NPU. */
static int open_auto(struct npu_platform_config *cfg, struct npu_platform **out)
{
	struct npu_pci_dev dev;
	enum npu_gen found = NPU_GEN_UNKNOWN;
	int ret = npu_pci_find(cfg->sysfs_root, NULL, &dev);

	if (ret == 0) {
		found = dev.gen;
		snprintf(cfg->note, sizeof(cfg->note),
			 "found %s NPU at %s, but this build has no backend for real hardware "
			 "yet; using the simulated NPU",
			 dev.platform, dev.bdf);
	} else if (ret == -EOPNOTSUPP) {
		snprintf(cfg->note, sizeof(cfg->note),
			 "found %s NPU at %s (%s), not supported yet; using the simulated NPU",
			 dev.platform, dev.bdf, npu_gen_name(dev.gen));
	} else if (ret == -ENODEV || ret == -ENOENT) {
		snprintf(cfg->note, sizeof(cfg->note),
			 "no NPU found on the PCI bus; using the simulated NPU");
	} else {
		snprintf(cfg->note, sizeof(cfg->note),
			 "could not scan the PCI bus (%s); using the simulated NPU",
			 strerror(-ret));
	}
	npu_info(PCI, "%s", cfg->note);
	return npu_platform_sim_open(cfg, sim_gen(cfg, found), out);
}

int npu_platform_open(struct npu_platform_config *cfg, struct npu_platform **out)
{
	struct npu_pci_addr addr;
	const char *dev;

	if (!cfg || !out)
		return -EINVAL;
	*out = NULL;
	cfg->note[0] = '\0';
	dev = cfg->device ? cfg->device : "auto";

	if (strcmp(dev, "auto") == 0)
		return open_auto(cfg, out);
	if (strcmp(dev, "sim") == 0) {
		snprintf(cfg->note, sizeof(cfg->note), "using the simulated NPU, as asked");
		return npu_platform_sim_open(cfg, sim_gen(cfg, NPU_GEN_UNKNOWN), out);
	}
	if (npu_pci_addr_parse(dev, &addr) != 0) {
		snprintf(cfg->note, sizeof(cfg->note),
			 "'%.40s' is neither \"auto\", \"sim\" nor a PCI address", dev);
		return -EINVAL;
	}
	snprintf(cfg->note, sizeof(cfg->note),
		 "%.40s: real hardware needs the VFIO backend, which this build does not have yet",
		 dev);
	return -EOPNOTSUPP;
}

void npu_platform_close(struct npu_platform *p)
{
	if (p)
		p->ops->close(p);
}
