/* SPDX-License-Identifier: MIT */
/*
 * Boot and power-down in the order of the Linux driver (docs/hardware.md §3.1-3.6):
 * buttress init, power-up, MMU with the global context, firmware load, boot
 * params, CPU start, wait for the ready message, interrupts on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "driver/boot.h"
#include "driver/btrs.h"
#include "driver/device.h"
#include "driver/hws.h"
#include "driver/fw_load.h"
#include "driver/fw_log.h"
#include "driver/ip.h"
#include "driver/job.h"
#include "driver/jsm.h"
#include "hw/boot_params.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/ipc.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/timeouts.h"
#include "util/log.h"

#define SSID_GLOBAL   0u
#define SSID_RESERVED 1u

static void phase_done(struct npu_device *d, const char *name, uint64_t start_ns)
{
	if (d->n_phases < NPU_BOOT_MAX_PHASES) {
		d->phases[d->n_phases].name = name;
		d->phases[d->n_phases].us = (npu_now_ns(d->plat) - start_ns) / 1000u;
		d->n_phases++;
	}
	npu_dbg(PM, "boot phase '%s' done", name);
}

/* docs/hardware.md §3.3. */
static int power_up(struct npu_device *d)
{
	uint64_t t = npu_now_ns(d->plat);
	int ret;

	if (d->gen == NPU_GEN_37XX) {
		/* Workaround wp0_during_power_up: workpoint 0 first; failure only warns. */
		ret = drv_btrs_wp_drive(d, false);
		if (ret) {
			npu_warn(PM, "workpoint 0 before power-up failed (%d); going on", ret);
			d->fail_step[0] = '\0';
			d->mmio.last_timeout[0] = '\0';
		}
	}
	ret = drv_btrs_d0i3_exit(d);
	if (ret) {
		/* Linux ivpu_hw.c: ivpu_hw_power_up warns and goes on ("Failed to disable D0I3"). */
		npu_warn(PM, "D0i3 exit failed (%d: %s); going on", ret, d->fail_reason);
		d->fail_step[0] = d->fail_reason[0] = '\0';
		d->mmio.last_timeout[0] = '\0';
	}
	phase_done(d, "d0i3_exit", t);
	t = npu_now_ns(d->plat);
	ret = drv_btrs_wp_drive(d, true);
	if (ret)
		return ret;
	phase_done(d, "workpoint", t);
	t = npu_now_ns(d->plat);
	ret = drv_btrs_lnl_setup(d);
	if (!ret)
		ret = drv_ip_host_ss_configure(d);
	if (ret)
		return ret;
	drv_ip_idle_gen_disable(d);
	ret = drv_btrs_clock_own_ack(d);
	if (!ret)
		ret = drv_ip_pwr_domain_enable(d);
	if (ret)
		return ret;
	phase_done(d, "power_domain", t);
	t = npu_now_ns(d->plat);
	ret = drv_ip_axi_enable(d);
	if (ret)
		return ret;
	drv_btrs_port_arbitration(d);
	ret = drv_ip_top_noc_enable(d);
	if (ret)
		return ret;
	phase_done(d, "noc_enable", t);
	return 0;
}

/* docs/hardware.md §3.1 step 5: the MMU with the global (firmware) and reserved contexts. */
static int mmu_up(struct npu_device *d)
{
	int ret = drv_mmu_init(&d->mmu, d->plat);

	if (ret)
		return drv_device_fail(d, "MMU", ret, "cannot allocate the MMU tables");
	d->mmu_ready = true;
	ret = drv_mmu_ctx_init(&d->gctx, d->plat, SSID_GLOBAL);
	if (!ret)
		ret = drv_mmu_ctx_init(&d->rctx, d->plat, SSID_RESERVED);
	if (ret)
		return drv_device_fail(d, "MMU", ret, "cannot allocate the context page tables");
	ret = drv_mmu_enable(&d->mmu, &d->mmio);
	if (!ret)
		ret = drv_mmu_set_cd(&d->mmu, &d->mmio, SSID_GLOBAL, d->gctx.pgd.addr);
	if (!ret)
		ret = drv_mmu_set_cd(&d->mmu, &d->mmio, SSID_RESERVED, d->rctx.pgd.addr);
	if (ret)
		return drv_device_fail(d, "MMU", ret, "the MMU did not come up");
	return 0;
}

/* Frees the MMU tables and contexts (the unit is disabled by then, or dead). */
static void mmu_free(struct npu_device *d)
{
	if (!d->mmu_ready)
		return;
	drv_mmu_ctx_fini(&d->rctx, d->plat);
	drv_mmu_ctx_fini(&d->gctx, d->plat);
	drv_mmu_fini(&d->mmu);
	d->mmu_ready = false;
}

static void keep_last(void *ctx, const char *line)
{
	snprintf(ctx, NPU_FW_LOG_LINE_MAX, "%s", line);
}

/*
 * The last line of the firmware's critical log: on a boot that never saw READY it
 * often says why (a firmware that rejects its boot parameters logs the field).
 */
static void fw_last_words(struct npu_device *d, char *out)
{
	struct npu_fw_log_info info;

	out[0] = '\0';
	if (drv_fw_log_read(d, NPU_FW_LOG_CRIT, 0, 0, NULL, keep_last, out, &info) < 0)
		out[0] = '\0';
}

/*
 * docs/hardware.md §3.5 step 3: with interrupts still off, drain the IPC FIFO until
 * a header on channel 0x3FF arrives. Its data_addr must be "BOOT"; anything
 * else on that channel is an error, other channels are dropped.
 */
static int wait_for_ready(struct npu_device *d)
{
	uint64_t deadline = npu_now_ns(d->plat) + (uint64_t)d->boot_timeout_us * 1000u;
	uint64_t rx = d->ipc_rx.va;
	uint32_t dropped = 0;

	for (;;) {
		bool expired = npu_now_ns(d->plat) >= deadline;
		uint32_t fill = drv_ip_fifo_fill(d);

		while (fill--) {
			uint32_t va = drv_ip_fifo_pop(d);
			struct npu_ipc_hdr *slot, hdr;

			/* Headers live in the first half of the RX buffer (the header area). */
			if (va < rx || va - rx > NPU_BOOT_IPC_HEADER_AREA_SIZE - sizeof(hdr) ||
			    (va - rx) % NPU_IPC_ALIGN) {
				npu_warn(IPC,
					 "dropped IPC FIFO entry 0x%08x: outside the IPC header "
					 "area 0x%llx+0x%x",
					 va, (unsigned long long)rx,
					 (unsigned)NPU_BOOT_IPC_HEADER_AREA_SIZE);
				dropped++;
				continue;
			}
			/* Copy it out first: the device may change the memory under us. */
			slot = (struct npu_ipc_hdr *)((uint8_t *)d->ipc_rx.dma.cpu + (va - rx));
			memcpy(&hdr, slot, sizeof(hdr));
			slot->status = NPU_IPC_HDR_FREE;
			if (hdr.channel != NPU_IPC_CHAN_BOOT_MSG) {
				npu_warn(IPC,
					 "dropped a message on channel %u before the ready "
					 "message",
					 hdr.channel);
				dropped++;
				continue;
			}
			if (hdr.data_addr != NPU_IPC_BOOT_MSG_DATA_ADDR)
				return drv_device_fail(d, "wait for ready", -EIO,
						       "the boot message carries data_addr 0x%08x, "
						       "not 0x%08x (\"BOOT\")",
						       hdr.data_addr, NPU_IPC_BOOT_MSG_DATA_ADDR);
			d->ready_ns = npu_now_ns(d->plat);
			return 0;
		}
		if (expired) {
			char last[NPU_FW_LOG_LINE_MAX];

			fw_last_words(d, last);
			return drv_device_fail(d, "wait for ready", -ETIMEDOUT,
					       "no ready message within %u ms (%u FIFO entries "
					       "dropped)%s%s",
					       d->boot_timeout_us / 1000u, dropped,
					       last[0] ? "; the firmware's last log line: " : "",
					       last);
		}
		d->plat->ops->delay_us(d->plat, 100);
	}
}

/*
 * One boot: cold from the header's entry point, or warm from the restore entry the
 * firmware left (docs/boot-params.md "Warm boot"), with the firmware memory kept.
 */
static int boot_once(struct npu_device *d, bool warm)
{
	uint64_t start = npu_now_ns(d->plat), t;
	uint64_t entry = warm ? d->warm_entry : d->fw.entry_point;
	int ret;

	d->state = NPU_DEV_BOOTING;
	d->n_phases = 0;
	d->fail_step[0] = d->fail_reason[0] = d->mmio.last_timeout[0] = '\0';
	d->boot_params_sent_valid = false;

	t = npu_now_ns(d->plat);
	ret = drv_btrs_init(d);
	if (ret)
		goto fail;
	phase_done(d, "buttress_init", t);
	ret = power_up(d);
	if (ret)
		goto fail;
	t = npu_now_ns(d->plat);
	ret = mmu_up(d);
	if (!ret)
		ret = drv_ctx_attach_all(d); /* contexts that outlived a power-down */
	if (ret)
		goto fail;
	phase_done(d, "mmu", t);
	t = npu_now_ns(d->plat);
	if (warm) {
		ret = drv_fw_mem_remap(d);
		if (ret)
			goto fail;
		drv_fw_boot_params_warm(d);
		phase_done(d, "firmware_remap", t);
	} else {
		if (d->fw_mem_kept) /* a suspend kept it; a cold boot starts afresh */
			drv_fw_mem_fini(d);
		d->fw_mem_kept = false;
		ret = drv_fw_mem_init(d);
		if (ret)
			goto fail;
		drv_fw_boot_params_fill(d);
		drv_ipc_reset(
		    d); /* docs/firmware-protocol.md §1.1: fresh TX/RX areas before the CPU */
		phase_done(d, "firmware_load", t);
	}
	t = npu_now_ns(d->plat);
	drv_ip_snoop_and_ssid(d);
	/* What the firmware is handed, for npuctl boot --dump-boot-params (docs/boot-params.md). */
	memcpy(d->boot_params_sent, d->fw_runtime.dma.cpu, sizeof(d->boot_params_sent));
	d->boot_params_sent_valid = true;
	ret = drv_ip_cpu_start(d, entry);
	if (ret)
		goto fail;
	phase_done(d, "cpu_start", t);
	t = npu_now_ns(d->plat);
	ret = wait_for_ready(d);
	if (ret)
		goto fail;
	drv_ipc_enable(d); /* before interrupts */
	phase_done(d, "wait_ready", t);
	t = npu_now_ns(d->plat);
	drv_ip_irq_clear(d);
	d->plat->ops->irq_ack(d->plat);
	drv_ip_irq_enable(d);
	drv_btrs_irq_enable(d);
	phase_done(d, "irq_enable", t);

	d->state = NPU_DEV_READY;
	d->warm_entry = 0;
	d->last_boot_warm = warm;
	if (warm)
		d->warm_boots++;
	/* A duty cycle in force is given to the new firmware (Linux ivpu_boot: ivpu_pm_dct_init). */
	if (d->dct_active_percent) {
		uint32_t active = NPU_BTRS_LNL_DCT_PERIOD_US * d->dct_active_percent / 100u;

		if (drv_jsm_dct_enable(d, active, NPU_BTRS_LNL_DCT_PERIOD_US - active))
			npu_warn(PM, "DCT could not be given to the firmware again");
	}
	ret = drv_hws_boot_setup(d); /* HWS: the priority bands (docs/firmware-protocol.md §2.5) */
	if (ret) {
		drv_device_fail(d, "priority bands", ret, "SET_PRIORITY_BAND_SETUP failed (%d)",
				ret);
		goto fail;
	}
	d->boot_count++;
	d->boot_us = (npu_now_ns(d->plat) - start) / 1000u;
	npu_info(PM, "%s NPU ready in %llu us (%s boot, firmware %s)", npu_gen_name(d->gen),
		 (unsigned long long)d->boot_us, warm ? "warm" : "cold", d->fw.version);
	return 0;
fail:
	d->state = NPU_DEV_FAILED;
	d->boot_us = (npu_now_ns(d->plat) - start) / 1000u;
	return ret;
}

int drv_device_boot(struct npu_device *d)
{
	bool warm = d->warm_entry && d->fw_mem_kept;
	int ret;

	if (d->state == NPU_DEV_READY)
		return 0;
	if (d->state != NPU_DEV_OFF)
		return drv_device_fail(d, "boot", -EBUSY, "device is %s; power it down first",
				       drv_dev_state_name(d->state));
	ret = boot_once(d, warm);
	if (ret && warm) {
		/* Linux ivpu_pm.c: ivpu_resume falls back to a cold boot once. */
		npu_warn(PM, "warm boot failed at %s: %s; booting cold", d->fail_step,
			 d->fail_reason);
		drv_device_power_off(d, false);
		ret = boot_once(d, false);
	}
	return ret;
}

/* A device whose registers read all-ones is gone: don't run sequences against it. */
static bool device_alive(struct npu_device *d)
{
	return drv_btrs_vpu_status(d) != NPU_REG_IO_ERROR;
}

/* The NPU's free-running perf counter (Linux ivpu_hw_ip_read_perf_timer_counter). */
static uint64_t perf_counter(struct npu_device *d)
{
	return REGV_RD64(&d->mmio, d->gen == NPU_GEN_37XX ? NPU_37XX_CPU_SS_TIM_PERF_FREE_CNT
							  : NPU_40XX_CPU_SS_TIM_PERF_EXT_FREE_CNT);
}

int drv_device_power_off(struct npu_device *d, bool keep_fw)
{
	bool alive = device_alive(d);
	int ret = 0;

	drv_ipc_disable(d); /* requests from here on fail with -EAGAIN */
	if (d->state == NPU_DEV_OFF) {
		if (!keep_fw && d->fw_mem_kept) { /* a suspend kept it for a warm boot */
			drv_fw_mem_fini(d);
			d->fw_mem_kept = false;
		}
		d->warm_entry = 0;
		return 0;
	}
	if (alive) {
		int r;

		/* Linux ivpu_hw_power_down: the times a warm boot reports, first. */
		d->d0i3_entry_host_ns = npu_now_ns(d->plat);
		d->d0i3_entry_vpu_ts = perf_counter(d);
		/* docs/hardware.md §2.6 (disable), §3.6: MMU off, IP reset, workpoint 0, D0i3. */
		drv_btrs_irq_disable(d);
		drv_ip_irq_disable(d);
		if (d->mmu_ready)
			drv_mmu_disable(&d->mmu, &d->mmio);
		/* Every step runs; the first error is the one returned. */
		ret = drv_btrs_ip_reset(d);
		r = drv_btrs_wp_drive(d, false);
		ret = ret ? ret : r;
		r = drv_btrs_d0i3_enter(d);
		ret = ret ? ret : r;
	} else {
		npu_warn(PM, "the device does not respond (registers read 0xffffffff): skipping "
			     "the power-down sequence");
		keep_fw = false;
	}
	if (keep_fw) {
		drv_ctx_detach_all_warm(d); /* the firmware keeps its queues */
		drv_fw_mem_unmap(d);
		d->fw_mem_kept = true;
	} else {
		drv_ctx_detach_all(d); /* queued jobs end, job queues leave the global context */
		drv_fw_mem_fini(d);    /* unmaps from the global context: before the contexts go */
		d->fw_mem_kept = false;
		d->warm_entry = 0;
	}
	mmu_free(d);
	d->state = NPU_DEV_OFF;
	return ret;
}

int drv_device_power_down(struct npu_device *d)
{
	return drv_device_power_off(d, false);
}
