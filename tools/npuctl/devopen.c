/* SPDX-License-Identifier: MIT */
#include "devopen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/diag.h"
#include "driver/fw_locate.h"
#include "util/file.h"
#include "util/log.h"

/* The simulated NPU carries its own copy of the firmware (its ROM) to check the load against. */
static void read_rom(const struct npuctl *ctl, struct npuctl_dev *nd, enum npu_gen gen)
{
	char path[512];

	/*
	 * No image (the synthetic one serves both sides) or an unreadable one
	 * (the device open reports it, in its words): the model gets none.
	 */
	if (npu_fw_locate(gen, ctl->firmware, path, sizeof(path)) != 0 ||
	    npu_read_file(path, NPU_FW_FILE_MAX, &nd->rom, &nd->rom_size) != 0) {
		nd->rom = NULL;
		return;
	}
	nd->pcfg.sim_fw_file = nd->rom;
	nd->pcfg.sim_fw_file_size = nd->rom_size;
}

int npuctl_dev_open(const struct npuctl *ctl, struct npuctl_dev *nd)
{
	struct npu_device_config dcfg = { 0 };
	const char *fault = getenv("NPU_SIM_FAULT");
	const char *tdr = getenv("NPU_TDR_TIMEOUT_MS");
	enum npu_gen gen = NPU_GEN_37XX;
	int ret;

	memset(nd, 0, sizeof(*nd));
	if (ctl->gen) {
		gen = npu_gen_parse(ctl->gen);
		if (!npu_gen_supported(gen))
			return npuctl_usage_err(NULL, "--gen: '%s' is not 37xx or 40xx", ctl->gen);
	}
	nd->pcfg.device = ctl->device;
	nd->pcfg.gen = gen;
	nd->pcfg.sysfs_root = getenv("NPU_SYSFS_ROOT");
	if (fault && *fault && npu_sim_fault_parse(fault, &nd->pcfg.fault) != 0)
		return npuctl_usage_err(NULL,
					"NPU_SIM_FAULT: unknown fault '%s' (none, no-ready, "
					"late-ready, bad-ready, pll-no-lock, dead-mmio, hang-job, "
					"ipc-garbage)",
					fault);
	if (ctl->trace_mmio) {
		nd->trace = fopen(ctl->trace_mmio, "w");
		if (!nd->trace) {
			npuctl_err("--trace-mmio %s: %s", ctl->trace_mmio, strerror(errno));
			return NPUCTL_EXIT_ERROR;
		}
	}
	read_rom(ctl, nd, gen);
	ret = npu_platform_open(&nd->pcfg, &nd->plat);
	if (ret) {
		npuctl_err("device %s: %s", ctl->device,
			   nd->pcfg.note[0] ? nd->pcfg.note : strerror(-ret));
		return NPUCTL_EXIT_ERROR;
	}
	if (nd->pcfg.note[0])
		npu_info(GEN, "%s", nd->pcfg.note);
	snprintf(nd->device_name, sizeof(nd->device_name), "%s", nd->plat->pci.bdf);
	dcfg.fw_path = ctl->firmware;
	if (tdr && *tdr) {
		char *end;
		unsigned long ms = strtoul(tdr, &end, 10);

		if (*end || ms == 0 || ms > 600000)
			return npuctl_usage_err(NULL, "NPU_TDR_TIMEOUT_MS: '%s' is not 1..600000",
						tdr);
		dcfg.tdr_timeout_us = (uint32_t)ms * 1000u;
	}
	dcfg.trace_mmio = nd->trace;
	ret = npu_device_open(&nd->dev, nd->plat, &dcfg);
	nd->dev_open = true;
	if (ret) {
		npuctl_err("%s", nd->dev.fail_reason);
		return NPUCTL_EXIT_ERROR;
	}
	return NPUCTL_EXIT_OK;
}

int npuctl_dev_close(struct npuctl_dev *nd)
{
	int ret = 0;

	if (nd->dev_open)
		npu_device_close(&nd->dev);
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
	size_t n = npu_diag_snapshot(&nd->dev, regs, NPU_DIAG_MAX_REGS);

	fprintf(out, "register dump (%s, %s):\n", nd->device_name, npu_gen_name(nd->dev.gen));
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-24s BAR%u+0x%08x = 0x%08llx\n", regs[i].name, regs[i].bar,
			regs[i].offset, (unsigned long long)regs[i].value);
}
