/* SPDX-License-Identifier: MIT */
#include "lib/devsetup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/fw_locate.h"
#include "driver/hws.h"
#include "util/file.h"
#include "util/log.h"

#define TDR_MAX_MS 600000u

static const char fault_names[] = "none, no-ready, late-ready, bad-ready, pll-no-lock, "
				  "dead-mmio, hang-job, ipc-garbage";

/* The hang-detection period: the option, else the environment, else the default (0). */
static int tdr_us(uint32_t opt_ms, uint32_t *us, char *why, size_t why_len)
{
	const char *env = getenv("NPU_TDR_TIMEOUT_MS");
	unsigned long ms;
	char *end;

	*us = 0;
	if (opt_ms) {
		if (opt_ms > TDR_MAX_MS) {
			snprintf(why, why_len, "tdr_timeout_ms: %u is more than %u", opt_ms,
				 TDR_MAX_MS);
			return -EINVAL;
		}
		*us = opt_ms * 1000u;
		return 0;
	}
	if (!env || !*env)
		return 0;
	errno = 0;
	ms = strtoul(env, &end, 10);
	if (errno || *end || *env == '-' || *env == '+' || ms == 0 || ms > TDR_MAX_MS) {
		snprintf(why, why_len, "NPU_TDR_TIMEOUT_MS: '%s' is not 1..%u", env, TDR_MAX_MS);
		return -EINVAL;
	}
	*us = (uint32_t)ms * 1000u;
	return 0;
}

/* The scheduling mode (driver/hws.h): the option, else NPU_SCHED, else as Linux chooses. */
static int sched_mode(const char *opt, struct npu_device_config *dcfg, char *why, size_t why_len)
{
	const char *v = opt ? opt : getenv("NPU_SCHED");
	enum npu_sched_req req;

	if (v && *v && drv_sched_parse(v, &req) != 0) {
		snprintf(why, why_len, "%s: '%s' is not os, hws or auto",
			 opt ? "sched" : "NPU_SCHED", v);
		return -EINVAL;
	}
	dcfg->sched = v && *v ? (int)req : NPU_SCHED_AUTO;
	return 0;
}

/*
 * The simulated NPU's own copy of the firmware file, to check the load
 * against. No image (the synthetic one serves both sides) or an unreadable
 * one (the device open reports it, in its words): the model gets none.
 */
static void read_rom(enum npu_gen gen, const char *firmware, struct npu_platform_config *pcfg,
		     uint8_t **rom, size_t *rom_size)
{
	char path[512];

	*rom = NULL;
	*rom_size = 0;
	if (drv_fw_locate(gen, firmware, path, sizeof(path)) != 0 ||
	    npu_read_file(path, NPU_FW_FILE_MAX, rom, rom_size) != 0) {
		*rom = NULL;
		*rom_size = 0;
		return;
	}
	pcfg->sim_fw_file = *rom;
	pcfg->sim_fw_file_size = *rom_size;
}

int npu_devsetup_prepare(const struct npu_devsetup_opts *o, struct npu_platform_config *pcfg,
			 struct npu_device_config *dcfg, uint8_t **rom, size_t *rom_size, char *why,
			 size_t why_len)
{
	const char *fault = o->sim_fault;
	const char *fault_from = "sim_fault";
	enum npu_gen gen = NPU_GEN_37XX;
	int ret;

	memset(pcfg, 0, sizeof(*pcfg));
	memset(dcfg, 0, sizeof(*dcfg));
	*rom = NULL;
	*rom_size = 0;
	if (o->gen) {
		gen = npu_gen_parse(o->gen);
		if (!npu_gen_supported(gen)) {
			snprintf(why, why_len, "generation '%s' is not 37xx or 40xx", o->gen);
			return -EINVAL;
		}
	}
	if (!fault) {
		fault = getenv("NPU_SIM_FAULT");
		fault_from = "NPU_SIM_FAULT";
	}
	if (fault && *fault && npu_sim_fault_parse(fault, &pcfg->fault) != 0) {
		snprintf(why, why_len, "%s: unknown fault '%s' (%s)", fault_from, fault,
			 fault_names);
		return -EINVAL;
	}
	ret = tdr_us(o->tdr_timeout_ms, &dcfg->tdr_timeout_us, why, why_len);
	if (ret)
		return ret;
	ret = sched_mode(o->sched, dcfg, why, why_len);
	if (ret)
		return ret;
	pcfg->device = o->device ? o->device : "auto";
	pcfg->gen = gen;
	pcfg->sysfs_root = getenv("NPU_SYSFS_ROOT");
	dcfg->fw_path = o->firmware;
	dcfg->trace_mmio = o->trace;
	read_rom(gen, o->firmware, pcfg, rom, rom_size);
	return 0;
}

int npu_devsetup_open(struct npu_platform_config *pcfg, const struct npu_device_config *dcfg,
		      struct npu_platform **plat, struct npu_device *dev, bool *dev_open, char *why,
		      size_t why_len)
{
	int ret;

	*dev_open = false;
	ret = npu_platform_open(pcfg, plat);
	if (ret) {
		*plat = NULL;
		snprintf(why, why_len, "device %s: %s", pcfg->device,
			 pcfg->note[0] ? pcfg->note : strerror(-ret));
		return ret;
	}
	if (pcfg->note[0])
		npu_info(GEN, "%s", pcfg->note);
	ret = drv_device_open(dev, *plat, dcfg);
	*dev_open = true;
	if (ret)
		snprintf(why, why_len, "%s",
			 dev->fail_reason[0] ? dev->fail_reason : strerror(-ret));
	return ret;
}
