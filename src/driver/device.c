/* SPDX-License-Identifier: MIT */
/* Opening and closing a device: firmware file, failure records. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/device.h"
#include "driver/hws.h"
#include "driver/fw_locate.h"
#include "hw/pci_ids.h"
#include "hw/timeouts.h"
#include "util/log.h"

const char *drv_dev_state_name(enum npu_dev_state s)
{
	switch (s) {
	case NPU_DEV_OFF:
		return "off";
	case NPU_DEV_BOOTING:
		return "booting";
	case NPU_DEV_READY:
		return "ready";
	case NPU_DEV_FAILED:
		return "failed";
	}
	return "unknown";
}

int drv_device_fail(struct npu_device *d, const char *step, int ret, const char *fmt, ...)
{
	if (d->fail_step[0] == '\0') {
		va_list ap;

		snprintf(d->fail_step, sizeof(d->fail_step), "%s", step);
		va_start(ap, fmt);
		vsnprintf(d->fail_reason, sizeof(d->fail_reason), fmt, ap);
		va_end(ap);
		if (d->mmio.last_timeout[0]) {
			size_t n = strlen(d->fail_reason);

			snprintf(d->fail_reason + n, sizeof(d->fail_reason) - n, " (%s)",
				 d->mmio.last_timeout);
		}
		/* The caller reports it to the user; here only for the debug log. */
		npu_dbg(PM, "%s failed: %s", d->fail_step, d->fail_reason);
	}
	d->mmio.last_timeout[0] = '\0';
	return ret;
}

/*
 * The firmware file: the configured path, else the search of fw_locate.h;
 * with no image anywhere, the simulated NPU boots the built-in synthetic one
 * (silicon cannot: it needs Intel's image).
 */
static int load_firmware_file(struct npu_device *d, const char *path_cfg)
{
	struct npu_fw_error err;
	int ret = drv_fw_locate(d->gen, path_cfg, d->fw_path, sizeof(d->fw_path));

	if (ret == -ENOENT && d->plat->ops->builtin_firmware &&
	    (ret = d->plat->ops->builtin_firmware(d->plat, &d->fw_file, &d->fw_file_size)) == 0) {
		snprintf(d->fw_path, sizeof(d->fw_path), "(synthetic)");
		d->fw_synthetic = true;
		npu_info(FW, "no %s firmware image installed: using the built-in synthetic image",
			 npu_gen_name(d->gen));
	} else if (ret == -ENOENT) {
		return drv_device_fail(d, "firmware", ret, "no firmware image (last tried %s); %s",
				       d->fw_path, NPU_FW_PACKAGE_HINT " provides it");
	} else if (ret) {
		return drv_device_fail(d, "firmware", ret, "cannot locate the firmware: %s",
				       strerror(-ret));
	} else {
		ret = d->plat->ops->read_file(d->plat, d->fw_path, NPU_FW_FILE_MAX, &d->fw_file,
					      &d->fw_file_size);
		if (ret)
			return drv_device_fail(d, "firmware", ret, "%s: %s", d->fw_path,
					       ret == -EFBIG ? "larger than 512 MiB"
							     : strerror(-ret));
	}
	ret = drv_fw_image_parse(d->fw_file, d->fw_file_size, d->gen, &d->fw, &err);
	if (ret)
		return drv_device_fail(d, "firmware", ret, "%s: %s", d->fw_path, err.msg);
	return 0;
}

int drv_device_open(struct npu_device *d, struct npu_platform *plat,
		    const struct npu_device_config *cfg)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->plat = plat;
	d->mmio.plat = plat;
	d->mmio.trace = cfg ? cfg->trace_mmio : NULL;
	d->gen = plat->pci.gen;
	d->boot_timeout_us =
	    (cfg && cfg->boot_timeout_us) ? cfg->boot_timeout_us : NPU_TIMEOUT_BOOT_US;
	d->tdr_timeout_us = (cfg && cfg->tdr_timeout_us) ? cfg->tdr_timeout_us : NPU_TIMEOUT_TDR_US;
	d->d0i3_timeout_us =
	    (cfg && cfg->d0i3_timeout_us) ? cfg->d0i3_timeout_us : NPU_TIMEOUT_D0I3_ENTRY_MSG_US;
	d->inference_timeout_us = NPU_TIMEOUT_INFERENCE_US;
	if (!npu_gen_supported(d->gen))
		return drv_device_fail(d, "open", -EOPNOTSUPP,
				       "generation %s is not supported by this driver",
				       npu_gen_name(d->gen));
	/* Linux ivpu_pci_init: dma_set_mask_and_coherent(DMA_BIT_MASK(38 or 48)). */
	plat->dma_addr_bits = d->gen == NPU_GEN_37XX ? NPU_DMA_BITS_37XX : NPU_DMA_BITS_40XX;
	ret = load_firmware_file(d, cfg ? cfg->fw_path : NULL);
	if (ret) {
		free(d->fw_file);
		d->fw_file = NULL;
		return ret;
	}
	d->sched_mode = drv_hws_select(d, cfg ? (enum npu_sched_req)cfg->sched : NPU_SCHED_AUTO);
	npu_info(FW, "scheduling mode: %s", drv_sched_name(d->sched_mode));
	return 0;
}

void drv_device_close(struct npu_device *d)
{
	if (d->state != NPU_DEV_OFF)
		drv_device_power_down(d);
	free(d->fw_file);
	d->fw_file = NULL;
}
