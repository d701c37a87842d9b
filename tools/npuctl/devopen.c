/* SPDX-License-Identifier: MIT */
#include "devopen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/diag.h"
#include "lib/devsetup.h"
#include "libopen.h"

int npuctl_dev_open(const struct npuctl *ctl, struct npuctl_dev *nd)
{
	struct npu_devsetup_opts o = { .device = ctl->device,
				       .firmware = ctl->firmware,
				       .sched = ctl->sched };
	struct npu_device_config dcfg;
	char why[512];
	int ret;

	memset(nd, 0, sizeof(*nd));
	if (npuctl_no_socket(ctl, "this command"))
		return NPUCTL_EXIT_USAGE;
	if (ctl->gen && !npu_gen_supported(npu_gen_parse(ctl->gen)))
		return npuctl_usage_err(NULL, "--gen: '%s' is not 37xx or 40xx", ctl->gen);
	o.gen = ctl->gen;
	if (npu_devsetup_prepare(&o, &nd->pcfg, &dcfg, &nd->rom, &nd->rom_size, why, sizeof(why)) !=
	    0)
		return npuctl_usage_err(NULL, "%s", why);
	if (ctl->trace_mmio) {
		nd->trace = fopen(ctl->trace_mmio, "w");
		if (!nd->trace) {
			npuctl_err("--trace-mmio %s: %s", ctl->trace_mmio, strerror(errno));
			return NPUCTL_EXIT_ERROR;
		}
		dcfg.trace_mmio = nd->trace;
	}
	ret = npu_devsetup_open(&nd->pcfg, &dcfg, &nd->plat, &nd->dev, &nd->dev_open, why,
				sizeof(why));
	if (nd->plat)
		snprintf(nd->device_name, sizeof(nd->device_name), "%s", nd->plat->pci.bdf);
	if (ret) {
		npuctl_err("%s", why);
		return NPUCTL_EXIT_ERROR;
	}
	return NPUCTL_EXIT_OK;
}

int npuctl_dev_close(struct npuctl_dev *nd)
{
	int ret = 0;

	if (nd->dev_open)
		drv_device_close(&nd->dev);
	nd->dev_open = false;
	if (nd->plat)
		npu_platform_close(nd->plat);
	nd->plat = NULL;
	if (nd->trace) {
		/* A trace cut short must not pass for a complete one. */
		bool failed = ferror(nd->trace) != 0;

		if (fclose(nd->trace) != 0 || failed) {
			npuctl_err("--trace-mmio: writing the trace failed; it is incomplete");
			ret = -EIO;
		}
	}
	nd->trace = NULL;
	free(nd->rom);
	nd->rom = NULL;
	return ret;
}

void npuctl_dev_boot_failed(const struct npuctl_dev *nd)
{
	npuctl_err("boot failed at %s: %s", nd->dev.fail_step, nd->dev.fail_reason);
}

void npuctl_dev_dump(struct npuctl_dev *nd, FILE *out)
{
	struct npu_reg_value regs[NPU_DIAG_MAX_REGS];
	size_t n = drv_diag_snapshot(&nd->dev, regs, NPU_DIAG_MAX_REGS);

	fprintf(out, "register dump (%s, %s):\n", nd->device_name, npu_gen_name(nd->dev.gen));
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-24s BAR%u+0x%08x = 0x%08llx\n", regs[i].name, regs[i].bar,
			regs[i].offset, (unsigned long long)regs[i].value);
}
