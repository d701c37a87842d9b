/* SPDX-License-Identifier: MIT */
/* npuctl diag: boot, then report what the device says about itself. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "driver/hws.h"
#include "cli.h"
#include "devopen.h"
#include "libopen.h"
#include "driver/diag.h"
#include "hw/fw_header.h"
#include "util/json.h"

struct diag {
	struct npu_reg_value regs[NPU_DIAG_MAX_REGS];
	size_t n_regs;
	uint32_t pll_ratio, pll_mhz;
	uint64_t uptime_us;
	struct npu_dma_region *dma; /* the driver's allocations (docs/dma.md) */
	size_t n_dma;
};

/* The platform's live DMA allocations, oldest first; none when out of memory. */
static void dma_snapshot(struct npu_platform *p, struct diag *g)
{
	size_t n = npu_dma_regions(p, NULL, 0);

	g->n_dma = 0;
	g->dma = n ? calloc(n + 8, sizeof(*g->dma)) : NULL;
	if (g->dma)
		g->n_dma = npu_dma_regions(p, g->dma, n + 8);
	if (g->n_dma > n + 8)
		g->n_dma = n + 8;
}

static void api_versions_json(struct npu_json *j, const struct npu_fw_image *fw)
{
	char buf[16];

	npu_json_obj_begin(j, "api_versions");
	for (unsigned i = 0; i < NPU_FW_API_COUNT; i++) {
		const char *name = drv_fw_api_name(i);
		char unnamed[8];

		if (!fw->api_version[i])
			continue;
		if (!name) {
			snprintf(unnamed, sizeof(unnamed), "api%u", i);
			name = unnamed;
		}
		snprintf(buf, sizeof(buf), "%u.%u", drv_fw_api_major(fw->api_version[i]),
			 drv_fw_api_minor(fw->api_version[i]));
		npu_json_str(j, name, buf);
	}
	npu_json_obj_end(j);
}

static void print_json(struct npuctl_dev *nd, const struct diag *g, int ret)
{
	struct npu_device *d = &nd->dev;
	struct npu_json j;

	npu_json_init(&j, stdout);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "device", nd->device_name);
	npu_json_str(&j, "generation", npu_gen_name(d->gen));
	npu_json_str(&j, "state", ret ? "failed" : drv_dev_state_name(d->state));
	if (ret) {
		npu_json_str(&j, "failed_step", d->fail_step);
		npu_json_str(&j, "error", d->fail_reason);
	}
	npu_json_str(&j, "firmware_version", d->fw.version);
	npu_json_str(&j, "scheduling", drv_sched_name(d->sched_mode));
	api_versions_json(&j, &d->fw);
	npu_json_u64(&j, "boot_count", d->boot_count);
	npu_json_u64(&j, "boot_us", d->boot_us);
	npu_json_u64(&j, "uptime_us", g->uptime_us);
	npu_json_u64(&j, "pll_ratio", g->pll_ratio);
	npu_json_u64(&j, "frequency_mhz", g->pll_mhz);
	npu_json_obj_begin(&j, "registers");
	for (size_t i = 0; i < g->n_regs; i++)
		npu_json_u64(&j, g->regs[i].name, g->regs[i].value);
	npu_json_obj_end(&j);
	npu_json_arr_begin(&j, "dma_regions");
	for (size_t i = 0; i < g->n_dma; i++) {
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "name", g->dma[i].name);
		npu_json_u64(&j, "size", g->dma[i].size);
		npu_json_u64(&j, "device_address", g->dma[i].device_address);
		npu_json_str(&j, "caching", npu_dma_caching_name(g->dma[i].caching));
		npu_json_bool(&j, "snooped", g->dma[i].snooped);
		npu_json_obj_end(&j);
	}
	npu_json_arr_end(&j);
	npu_json_obj_end(&j);
	npu_json_finish(&j);
}

static void print_text(struct npuctl_dev *nd, const struct diag *g)
{
	struct npu_device *d = &nd->dev;

	printf("device          %s (%s, %s)\n", nd->device_name, d->plat->pci.platform,
	       npu_gen_name(d->gen));
	printf("state           %s\n", drv_dev_state_name(d->state));
	printf("firmware        %s\n", d->fw.version);
	printf("scheduling      %s\n", drv_hws_on(d) ? "hws (the firmware's hardware scheduler)"
						     : "os (the driver's order)");
	printf("api versions   ");
	for (unsigned i = 0; i < NPU_FW_API_COUNT; i++) {
		const char *name = drv_fw_api_name(i);

		if (d->fw.api_version[i] && name)
			printf(" %s %u.%u", name, drv_fw_api_major(d->fw.api_version[i]),
			       drv_fw_api_minor(d->fw.api_version[i]));
	}
	printf("\nboot count      %u (last boot %llu us)\n", d->boot_count,
	       (unsigned long long)d->boot_us);
	printf("uptime          %llu us\n", (unsigned long long)g->uptime_us);
	printf("PLL             ratio %u, %u MHz\n", g->pll_ratio, g->pll_mhz);
	for (size_t i = 0; i < g->n_regs; i++)
		printf("%-24s BAR%u+0x%08x = 0x%08llx\n", g->regs[i].name, g->regs[i].bar,
		       g->regs[i].offset, (unsigned long long)g->regs[i].value);
	printf("DMA regions     %zu\n", g->n_dma);
	printf("  %-24s %10s  %-18s  %-7s %s\n", "name", "bytes", "device address", "caching",
	       "snooped");
	for (size_t i = 0; i < g->n_dma; i++)
		printf("  %-24s %10zu  0x%016" PRIx64 "  %-7s %s\n", g->dma[i].name, g->dma[i].size,
		       g->dma[i].device_address, npu_dma_caching_name(g->dma[i].caching),
		       g->dma[i].snooped ? "yes" : "no");
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	struct npuctl_dev nd;
	struct diag g = { 0 };
	const char *pos[1];
	int n_pos, code, ret;

	if (npuctl_parse_args(&npuctl_cmd_diag, argc, argv, NULL, NULL, pos, 0, &n_pos, &code))
		return code;
	if (npuctl_no_socket(ctl, "diag"))
		return NPUCTL_EXIT_USAGE;
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK) {
		npuctl_dev_close(&nd);
		return code;
	}
	ret = drv_device_boot(&nd.dev);
	g.n_regs = drv_diag_snapshot(&nd.dev, g.regs, NPU_DIAG_MAX_REGS);
	drv_diag_pll(&nd.dev, &g.pll_ratio, &g.pll_mhz);
	dma_snapshot(nd.plat, &g);
	if (!ret)
		g.uptime_us = (npu_now_ns(nd.plat) - nd.dev.ready_ns) / 1000u;
	if (ctl->json)
		print_json(&nd, &g, ret);
	else
		print_text(&nd, &g);
	free(g.dma);
	if (ret)
		npuctl_dev_boot_failed(&nd);
	if (npuctl_dev_close(&nd))
		ret = -EIO;
	return ret ? NPUCTL_EXIT_ERROR : NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_diag = {
	.name = "diag",
	.summary = "Boot the NPU and report its state, firmware, clocks, key registers and DMA "
		   "buffers",
	.usage = "[--device auto|sim|BDF] [--gen 37xx|40xx] [--firmware FILE] [--sched "
		 "os|hws|auto] [--json]",
	.run = run,
};
