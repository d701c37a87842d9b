/* SPDX-License-Identifier: MIT */
/*
 * Firmware memory in the global context (SSID 0) and the boot parameters
 * (docs/hardware.md §4.5, docs/firmware-protocol.md §1.1): the runtime buffer at the header's
 * boot_params_load_address holding boot params, version page and image; the
 * IPC and log buffers in the global range.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/device.h"
#include "driver/hws.h"
#include "driver/fw_load.h"
#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "util/log.h"

#define PAGE 4096u

static uint64_t page_align(uint64_t v)
{
	return (v + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

struct va_range {
	uint64_t start, size;
};

static struct va_range global_range(const struct npu_device *d)
{
	if (d->gen == NPU_GEN_37XX)
		return (struct va_range){ NPU_VA_37XX_GLOBAL_START, NPU_VA_37XX_GLOBAL_SIZE };
	return (struct va_range){ NPU_VA_40XX_GLOBAL_START, NPU_VA_40XX_GLOBAL_SIZE };
}

static struct va_range user_range(const struct npu_device *d)
{
	if (d->gen == NPU_GEN_37XX)
		return (struct va_range){ NPU_VA_37XX_USER_START, NPU_VA_37XX_USER_SIZE };
	return (struct va_range){ NPU_VA_40XX_USER_START, NPU_VA_40XX_USER_SIZE };
}

/*
 * Caching of the firmware's buffers (docs/dma.md), as Linux ivpu_fw_mem_init
 * and ivpu_ipc_init: the runtime (boot params, image) and the IPC areas
 * write-combined, mapped without snooping; the log buffers write-back and
 * mapped snooped (DRM_IVPU_BO_CACHED: the CPU reads them often, the
 * firmware writes them through the LLC).
 */
static const struct npu_dma_use use_runtime = { "firmware runtime", NPU_DMA_WC, false };
static const struct npu_dma_use use_ipc_tx = { "ipc tx", NPU_DMA_WC, false };
static const struct npu_dma_use use_ipc_rx = { "ipc rx", NPU_DMA_WC, false };
static const struct npu_dma_use use_log_crit = { "log critical", NPU_DMA_WB, true };
static const struct npu_dma_use use_log_verbose = { "log verbose", NPU_DMA_WB, true };
/* The SHAVE-NN buffer: write-combined as Linux ivpu_fw_mem_init allocates it. */
static const struct npu_dma_use use_shave_nn = { "shave nn", NPU_DMA_WC, false };

static struct va_range shave_range(const struct npu_device *d)
{
	if (d->gen == NPU_GEN_37XX)
		return (struct va_range){ NPU_VA_37XX_SHAVE_START, NPU_VA_37XX_SHAVE_SIZE };
	return (struct va_range){ NPU_VA_40XX_SHAVE_START, NPU_VA_40XX_SHAVE_SIZE };
}

/* Allocates DMA memory for use and maps it at va in the global context. */
static int gbuf_map_at(struct npu_device *d, struct npu_gbuf *b, size_t size, uint64_t va,
		       const struct npu_dma_use *use)
{
	int ret = npu_dma_alloc(d->plat, page_align(size), use, &b->dma);

	if (ret)
		return ret;
	ret = drv_mmu_ctx_map_dma(&d->gctx, d->plat, va, &b->dma, 0, b->dma.size,
				  use->snooped ? NPU_MMU_MAP_SNOOP : 0);
	if (ret) {
		npu_dma_free(d->plat, &b->dma);
		return ret;
	}
	b->va = va;
	b->mapped = true;
	return 0;
}

/* Takes the next free VA of the global range (a bump allocator: boot-time buffers only). */
static int gbuf_alloc(struct npu_device *d, struct npu_gbuf *b, size_t size,
		      const struct npu_dma_use *use)
{
	struct va_range r = global_range(d);
	uint64_t va = d->global_next_va ? d->global_next_va : r.start;
	uint64_t len = page_align(size);
	int ret;

	/* The top of the range is the job queues' (drv_global_jobq_va). */
	if (va + len > r.start + r.size - NPU_GLOBAL_JOBQ_AREA)
		return -ENOSPC;
	ret = gbuf_map_at(d, b, len, va, use);
	if (!ret)
		d->global_next_va = va + len;
	return ret;
}

static void gbuf_unmap(struct npu_device *d, struct npu_gbuf *b)
{
	if (b->mapped)
		drv_mmu_ctx_unmap(&d->gctx, b->va, b->dma.size);
	b->mapped = false;
}

static int gbuf_remap(struct npu_device *d, struct npu_gbuf *b)
{
	int ret;

	if (!b->dma.cpu || b->mapped)
		return 0;
	ret = drv_mmu_ctx_map_dma(&d->gctx, d->plat, b->va, &b->dma, 0, b->dma.size, 0);
	if (!ret)
		b->mapped = true;
	return ret;
}

uint64_t drv_global_jobq_va(const struct npu_device *d, uint32_t ctx_id)
{
	struct va_range r = global_range(d);

	return r.start + r.size - NPU_GLOBAL_JOBQ_AREA + (uint64_t)(ctx_id - 1) * NPU_JOBQ_SIZE;
}

static void gbuf_free(struct npu_device *d, struct npu_gbuf *b)
{
	if (b->mapped)
		drv_mmu_ctx_unmap(&d->gctx, b->va, b->dma.size);
	b->mapped = false;
	npu_dma_free(d->plat, &b->dma);
}

/*
 * The runtime buffer (docs/hardware.md §4.5, layout before the 2025 split): one
 * buffer of runtime_size at boot_params_load_address; the first 4 KiB are the
 * boot params, then the version page, then the image at image_load_address.
 * A read-only section, if the header has one, is mapped read-only.
 */
static int map_runtime(struct npu_device *d)
{
	const struct npu_fw_image *fw = &d->fw;
	struct npu_gbuf *rt = &d->fw_runtime;
	uint64_t base = fw->boot_params_load_address;
	uint64_t ro = fw->ro_section_start_address, ro_size = page_align(fw->ro_section_size);
	int ret;

	if (ro_size && (ro & (PAGE - 1)) == 0) {
		uint64_t ro_off = ro - base;

		ret = drv_mmu_ctx_map_dma(&d->gctx, d->plat, base, &rt->dma, 0, ro_off, 0);
		if (!ret)
			ret = drv_mmu_ctx_map_dma(&d->gctx, d->plat, ro, &rt->dma, ro_off, ro_size,
						  NPU_MMU_MAP_READ_ONLY);
		if (!ret)
			ret = drv_mmu_ctx_map_dma(&d->gctx, d->plat, ro + ro_size, &rt->dma,
						  ro_off + ro_size, rt->dma.size - ro_off - ro_size,
						  0);
	} else {
		ret = drv_mmu_ctx_map_dma(&d->gctx, d->plat, base, &rt->dma, 0, rt->dma.size, 0);
	}
	if (ret) {
		/* Unmap whatever part went in; -ENOENT for the parts that did not. */
		drv_mmu_ctx_unmap(&d->gctx, base, rt->dma.size);
		return ret;
	}
	rt->va = base;
	rt->mapped = true;
	return 0;
}

static int load_runtime(struct npu_device *d)
{
	const struct npu_fw_image *fw = &d->fw;
	struct npu_gbuf *rt = &d->fw_runtime;
	uint64_t image_off = fw->image_load_address - fw->boot_params_load_address;
	int ret;

	/* The parser's rules 3-6 hold: the image lies inside [base, base + runtime_size). */
	ret = npu_dma_alloc(d->plat, page_align(fw->runtime_size), &use_runtime, &rt->dma);
	if (ret)
		return ret;
	drv_fw_image_copy(fw, (uint8_t *)rt->dma.cpu + image_off);
	npu_dma_flush(d->plat, &rt->dma, image_off, fw->image_size);
	ret = map_runtime(d);
	if (ret) {
		npu_dma_free(d->plat, &rt->dma);
		return ret;
	}
	npu_dbg(FW, "runtime 0x%llx+0x%zx, image at +0x%llx (%u bytes)", (unsigned long long)rt->va,
		rt->dma.size, (unsigned long long)image_off, fw->image_size);
	return 0;
}

/*
 * The SHAVE-NN buffer (docs/hardware.md §4.5): shave_nn_fw_size bytes, page-rounded,
 * at the start of the shave range, when the image declares a size (the 37xx image:
 * 0x17C0); Linux ivpu_fw.c: ivpu_fw_mem_init. Its address goes into shave_nn_fw_base.
 */
static int shave_nn_alloc(struct npu_device *d)
{
	if (!d->fw.shave_nn_fw_size)
		return 0;
	return gbuf_map_at(d, &d->shave_nn, d->fw.shave_nn_fw_size, shave_range(d).start,
			   &use_shave_nn);
}

int drv_fw_mem_init(struct npu_device *d)
{
	int ret;

	d->global_next_va = 0;
	ret = load_runtime(d);
	if (ret)
		return drv_device_fail(d, "firmware load", ret,
				       "cannot place the firmware runtime");
	ret = gbuf_alloc(d, &d->ipc_tx, NPU_IPC_TX_BUF_SIZE, &use_ipc_tx);
	if (!ret)
		ret = gbuf_alloc(d, &d->ipc_rx, NPU_IPC_RX_BUF_SIZE, &use_ipc_rx);
	if (!ret)
		ret = gbuf_alloc(d, &d->log_crit, NPU_BOOT_CRIT_TRACING_BUFF_SIZE, &use_log_crit);
	if (!ret)
		ret = gbuf_alloc(d, &d->log_verbose, NPU_BOOT_VERBOSE_TRACING_BUFF_SIZE,
				 &use_log_verbose);
	if (ret) {
		drv_fw_mem_fini(d);
		return drv_device_fail(d, "firmware load", ret,
				       "cannot allocate the IPC and log buffers");
	}
	ret = shave_nn_alloc(d);
	if (ret) {
		drv_fw_mem_fini(d);
		return drv_device_fail(d, "firmware load", ret,
				       "cannot place the SHAVE-NN buffer of %u bytes at 0x%llx",
				       d->fw.shave_nn_fw_size,
				       (unsigned long long)shave_range(d).start);
	}
	return 0;
}

void drv_fw_mem_fini(struct npu_device *d)
{
	gbuf_free(d, &d->shave_nn);
	gbuf_free(d, &d->log_verbose);
	gbuf_free(d, &d->log_crit);
	gbuf_free(d, &d->ipc_rx);
	gbuf_free(d, &d->ipc_tx);
	gbuf_free(d, &d->fw_runtime);
	d->global_next_va = 0;
}

void drv_fw_mem_unmap(struct npu_device *d)
{
	gbuf_unmap(d, &d->shave_nn);
	gbuf_unmap(d, &d->log_verbose);
	gbuf_unmap(d, &d->log_crit);
	gbuf_unmap(d, &d->ipc_rx);
	gbuf_unmap(d, &d->ipc_tx);
	gbuf_unmap(d, &d->fw_runtime);
}

int drv_fw_mem_remap(struct npu_device *d)
{
	int ret = d->fw_runtime.mapped ? 0 : map_runtime(d);

	if (!ret)
		ret = gbuf_remap(d, &d->ipc_tx);
	if (!ret)
		ret = gbuf_remap(d, &d->ipc_rx);
	if (!ret)
		ret = gbuf_remap(d, &d->log_crit);
	if (!ret)
		ret = gbuf_remap(d, &d->log_verbose);
	if (!ret)
		ret = gbuf_remap(d, &d->shave_nn);
	if (ret)
		return drv_device_fail(d, "firmware load", ret,
				       "cannot map the kept firmware memory again");
	return 0;
}

/* The PCI bus number of a "dddd:bb:dd.f" or "bb:dd.f" address; 0 when there is none ("sim"). */
static uint32_t pci_bus_number(const char *bdf)
{
	const char *colon = strrchr(bdf, ':');
	const char *bus = colon;
	unsigned long v;
	char *end;

	if (!colon)
		return 0;
	while (bus > bdf && bus[-1] != ':')
		bus--;
	v = strtoul(bus, &end, 16);
	return end == colon && v <= 0xFF ? (uint32_t)v : 0;
}

/*
 * docs/hardware.md §4.5, docs/boot-params.md: what Linux ivpu_fw.c:
 * ivpu_fw_boot_params_setup writes on a cold boot in OS scheduling mode, field by
 * field; everything else stays 0 (the page is zeroed first).
 */
void drv_fw_boot_params_fill(struct npu_device *d)
{
	struct npu_boot_params *bp = d->fw_runtime.dma.cpu;
	struct va_range g = global_range(d), u = user_range(d);
	bool mtl = d->gen == NPU_GEN_37XX;
	struct npu_mmio *m = &d->mmio;
	uint64_t shave = mtl ? NPU_VA_37XX_SHAVE_START : NPU_VA_40XX_SHAVE_START;

	memset(bp, 0, sizeof(*bp));
	bp->magic = NPU_BOOT_PARAMS_MAGIC;
	bp->vpu_id = pci_bus_number(d->plat->pci.bdf);
	/* frequency: Linux 6.12 wrote the PLL frequency, current kernels leave it 0. */
	bp->perf_clk_frequency = NPU_BOOT_PERF_CLK_DEFAULT_HZ;
	bp->ipc_header_area_start = d->ipc_rx.va;
	bp->ipc_header_area_size = NPU_BOOT_IPC_HEADER_AREA_SIZE;
	bp->shared_region_base = g.start;
	bp->shared_region_size = (uint32_t)g.size;
	bp->ipc_payload_area_start = d->ipc_rx.va + NPU_BOOT_IPC_PAYLOAD_AREA_OFFSET;
	bp->ipc_payload_area_size = NPU_BOOT_IPC_PAYLOAD_AREA_SIZE;
	bp->global_aliased_pio_base = u.start;
	bp->global_aliased_pio_size = (uint32_t)u.size; /* u32: 256 GiB reads 0, as on Linux */
	bp->autoconfig = NPU_BOOT_AUTOCONFIG;
	/* L2 cache on for the first 2 GiB of the shave range: bytes 0x136 and 0x137. */
	bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].use = 1;
	bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg =
	    (uint8_t)(shave >> NPU_BOOT_CACHE_CFG_SHIFT);
	/* global_memory_allocator_base/_size: Linux leaves both 0. */
	if (d->shave_nn.mapped)
		bp->shave_nn_fw_base = d->shave_nn.va;
	bp->watchdog_irq_mss = (int32_t)NPU_BOOT_WATCHDOG_IRQ_MSS;
	bp->watchdog_irq_nce = (int32_t)NPU_BOOT_WATCHDOG_IRQ_NCE;
	bp->si_stepping = d->plat->pci.revision;
	bp->device_id = d->plat->pci.device;
	bp->feature_exclusion = mtl ? NPU_BTRS_MTL_TILE_FUSE_DEFAULT
				    : npu_field_get(NPU_BTRS_LNL_TILE_FUSE_CONFIG,
						    REGB_RD32(m, NPU_BTRS_LNL_TILE_FUSE));
	bp->sku = mtl ? NPU_BTRS_MTL_SKU : 0;
	bp->min_freq_pll_ratio = d->min_ratio;
	bp->max_freq_pll_ratio = d->max_ratio;
	bp->pn_freq_pll_ratio = d->pn_ratio;
	bp->default_trace_level = NPU_TRACE_LEVEL_ERROR;
	bp->boot_type = NPU_BOOT_TYPE_COLD;
	bp->punit_telemetry_sram_base = REGB_RD32(m, mtl ? NPU_BTRS_MTL_VPU_TELEMETRY_OFFSET
							 : NPU_BTRS_LNL_VPU_TELEMETRY_OFFSET);
	bp->punit_telemetry_sram_size =
	    REGB_RD32(m, mtl ? NPU_BTRS_MTL_VPU_TELEMETRY_SIZE : NPU_BTRS_LNL_VPU_TELEMETRY_SIZE);
	bp->vpu_telemetry_enable = REGB_RD32(m, mtl ? NPU_BTRS_MTL_VPU_TELEMETRY_ENABLE
						    : NPU_BTRS_LNL_VPU_TELEMETRY_ENABLE);
	bp->crit_tracing_buff_addr = d->log_crit.va;
	bp->crit_tracing_buff_size = (uint32_t)d->log_crit.dma.size;
	bp->verbose_tracing_buff_addr = d->log_verbose.va;
	bp->verbose_tracing_buff_size = (uint32_t)d->log_verbose.dma.size;
	bp->trace_destination_mask = NPU_TRACE_DEST_VERBOSE_TRACING;
	bp->trace_hw_component_mask = NPU_TRACE_HW_COMPONENT_MASK_ALL;
	bp->tracing_buff_message_format_mask = NPU_TRACE_FORMAT_MASK_STRING;
	bp->dvfs_mode = 0;
	bp->d0i3_delayed_entry = drv_fw_d0i3_msg_supported(&d->fw) ? 1u : 0u;
	bp->system_time_us = npu_realtime_ns(d->plat) / 1000u; /* ktime_get_real */
	drv_hws_boot_params(d, bp); /* vpu_scheduling_mode, vpu_focus_present_timer_ms */
	npu_dma_flush(d->plat, &d->fw_runtime.dma, 0, sizeof(*bp));
}

/*
 * docs/boot-params.md "Warm boot": Linux ivpu_fw_boot_params_setup on a warm boot
 * refreshes these fields only; the CPU then starts at the address the firmware left in
 * save_restore_ret_address, which the host clears.
 */
void drv_fw_boot_params_warm(struct npu_device *d)
{
	struct npu_boot_params *bp = d->fw_runtime.dma.cpu;

	bp->d0i3_residency_time_us = (npu_now_ns(d->plat) - d->d0i3_entry_host_ns) / 1000u;
	bp->d0i3_entry_vpu_ts = d->d0i3_entry_vpu_ts;
	bp->system_time_us = npu_realtime_ns(d->plat) / 1000u;
	bp->save_restore_ret_address = 0;
	bp->boot_type = NPU_BOOT_TYPE_WARM;
	npu_dma_flush(d->plat, &d->fw_runtime.dma, 0, sizeof(*bp));
}

uint64_t drv_fw_restore_address(const struct npu_device *d)
{
	const struct npu_boot_params *bp = d->fw_runtime.dma.cpu;

	return bp ? bp->save_restore_ret_address : 0;
}

bool drv_fw_d0i3_msg_supported(const struct npu_fw_image *fw)
{
	/* Linux ivpu_fw.c: ivpu_fw_init_wa, disable_d0i3_msg below BOOT API 3.17. */
	return fw->api_version[NPU_FW_API_IDX_BOOT] >= NPU_FW_BOOT_API_D0I3_MSG_MIN;
}
