/* SPDX-License-Identifier: MIT */
/*
 * Firmware memory in the global context (SSID 0) and the boot parameters
 * (hardware.md §4.5, protocol.md §1.1): the runtime buffer at the header's
 * boot_params_load_address holding boot params, version page and image; the
 * IPC and log buffers in the global range.
 */
#include <errno.h>
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

/* Allocates DMA memory and maps it at va in the global context. */
static int gbuf_map_at(struct npu_device *d, struct npu_gbuf *b, size_t size, uint64_t va)
{
	int ret = npu_dma_alloc(d->plat, page_align(size), &b->dma);

	if (ret)
		return ret;
	ret = npu_mmu_ctx_map_dma(&d->gctx, d->plat, va, &b->dma, 0, b->dma.size, 0);
	if (ret) {
		npu_dma_free(d->plat, &b->dma);
		return ret;
	}
	b->va = va;
	b->mapped = true;
	return 0;
}

/* Takes the next free VA of the global range (a bump allocator: boot-time buffers only). */
static int gbuf_alloc(struct npu_device *d, struct npu_gbuf *b, size_t size)
{
	struct va_range r = global_range(d);
	uint64_t va = d->global_next_va ? d->global_next_va : r.start;
	uint64_t len = page_align(size);
	int ret;

	/* The top of the range is the job queues' (npu_global_jobq_va). */
	if (va + len > r.start + r.size - NPU_GLOBAL_JOBQ_AREA)
		return -ENOSPC;
	ret = gbuf_map_at(d, b, len, va);
	if (!ret)
		d->global_next_va = va + len;
	return ret;
}

uint64_t npu_global_jobq_va(const struct npu_device *d, uint32_t ctx_id)
{
	struct va_range r = global_range(d);

	return r.start + r.size - NPU_GLOBAL_JOBQ_AREA + (uint64_t)(ctx_id - 1) * NPU_JOBQ_SIZE;
}

static void gbuf_free(struct npu_device *d, struct npu_gbuf *b)
{
	if (b->mapped)
		npu_mmu_ctx_unmap(&d->gctx, b->va, b->dma.size);
	b->mapped = false;
	npu_dma_free(d->plat, &b->dma);
}

/*
 * The runtime buffer (hardware.md §4.5, layout before the 2025 split): one
 * buffer of runtime_size at boot_params_load_address; the first 4 KiB are the
 * boot params, then the version page, then the image at image_load_address.
 * A read-only section, if the header has one, is mapped read-only.
 */
static int load_runtime(struct npu_device *d)
{
	const struct npu_fw_image *fw = &d->fw;
	struct npu_gbuf *rt = &d->fw_runtime;
	uint64_t base = fw->boot_params_load_address;
	uint64_t image_off = fw->image_load_address - base;
	uint64_t ro = fw->ro_section_start_address, ro_size = page_align(fw->ro_section_size);
	int ret;

	/* The parser's rules 3-6 hold: the image lies inside [base, base + runtime_size). */
	ret = npu_dma_alloc(d->plat, page_align(fw->runtime_size), &rt->dma);
	if (ret)
		return ret;
	npu_fw_image_copy(fw, (uint8_t *)rt->dma.cpu + image_off);
	if (ro_size && (ro & (PAGE - 1)) == 0) {
		uint64_t ro_off = ro - base;

		ret = npu_mmu_ctx_map_dma(&d->gctx, d->plat, base, &rt->dma, 0, ro_off, 0);
		if (!ret)
			ret = npu_mmu_ctx_map_dma(&d->gctx, d->plat, ro, &rt->dma, ro_off, ro_size,
						  NPU_MMU_MAP_READ_ONLY);
		if (!ret)
			ret = npu_mmu_ctx_map_dma(&d->gctx, d->plat, ro + ro_size, &rt->dma,
						  ro_off + ro_size, rt->dma.size - ro_off - ro_size,
						  0);
	} else {
		ret = npu_mmu_ctx_map_dma(&d->gctx, d->plat, base, &rt->dma, 0, rt->dma.size, 0);
	}
	if (ret) {
		/* Unmap whatever part went in; -ENOENT for the parts that did not. */
		npu_mmu_ctx_unmap(&d->gctx, base, rt->dma.size);
		npu_dma_free(d->plat, &rt->dma);
		return ret;
	}
	rt->va = base;
	rt->mapped = true;
	npu_dbg(FW, "runtime 0x%llx+0x%zx, image at +0x%llx (%u bytes)", (unsigned long long)base,
		rt->dma.size, (unsigned long long)image_off, fw->image_size);
	return 0;
}

int npu_fw_mem_init(struct npu_device *d)
{
	int ret;

	d->global_next_va = 0;
	ret = load_runtime(d);
	if (ret)
		return npu_device_fail(d, "firmware load", ret,
				       "cannot place the firmware runtime");
	ret = gbuf_alloc(d, &d->ipc_tx, NPU_IPC_TX_BUF_SIZE);
	if (!ret)
		ret = gbuf_alloc(d, &d->ipc_rx, NPU_IPC_RX_BUF_SIZE);
	if (!ret)
		ret = gbuf_alloc(d, &d->log_crit, NPU_BOOT_CRIT_TRACING_BUFF_SIZE);
	if (!ret)
		ret = gbuf_alloc(d, &d->log_verbose, NPU_BOOT_VERBOSE_TRACING_BUFF_SIZE);
	if (ret) {
		npu_fw_mem_fini(d);
		return npu_device_fail(d, "firmware load", ret,
				       "cannot allocate the IPC and log buffers");
	}
	return 0;
}

void npu_fw_mem_fini(struct npu_device *d)
{
	gbuf_free(d, &d->log_verbose);
	gbuf_free(d, &d->log_crit);
	gbuf_free(d, &d->ipc_rx);
	gbuf_free(d, &d->ipc_tx);
	gbuf_free(d, &d->fw_runtime);
	d->global_next_va = 0;
}

/* hardware.md §4.5: what Linux writes on a cold boot, OS scheduling mode. */
void npu_fw_boot_params_fill(struct npu_device *d)
{
	struct npu_boot_params *bp = d->fw_runtime.dma.cpu;
	struct va_range g = global_range(d), u = user_range(d);
	bool mtl = d->gen == NPU_GEN_37XX;
	struct npu_mmio *m = &d->mmio;
	uint64_t shave = mtl ? NPU_VA_37XX_SHAVE_START : NPU_VA_40XX_SHAVE_START;

	memset(bp, 0, sizeof(*bp));
	bp->magic = NPU_BOOT_PARAMS_MAGIC;
	bp->vpu_id = 0; /* the PCI bus number; 0 for the simulated NPU and 00:0b.0 */
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
	bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].use = 1;
	bp->cache_defaults[NPU_BOOT_CACHE_CFG_NN].cfg =
	    (uint32_t)(shave >> NPU_BOOT_CACHE_CFG_SHIFT);
	bp->watchdog_irq_mss = NPU_BOOT_WATCHDOG_IRQ_MSS;
	bp->watchdog_irq_nce = NPU_BOOT_WATCHDOG_IRQ_NCE;
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
	bp->tracing_buff_message_destination_mask = NPU_TRACE_DEST_VERBOSE_TRACING;
	bp->trace_hw_component_mask = NPU_TRACE_HW_COMPONENT_MASK_ALL;
	bp->tracing_buff_message_format_mask = NPU_TRACE_FORMAT_MASK_STRING;
	bp->dvfs_mode = 0;
	bp->d0i3_delayed_entry = 1;
	bp->system_time_us = npu_now_ns(d->plat) / 1000u;
	npu_hws_boot_params(d, bp); /* vpu_scheduling_mode, vpu_focus_present_timer_ms */
}
