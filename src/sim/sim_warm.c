/* SPDX-License-Identifier: MIT */
/*
 * D0i3 and the warm boot, as the firmware has them (docs/hardware.md §3.6, Intel
 * vpu_boot_api.h: d0i3_delayed_entry, save_restore_ret_address; Linux ivpu_pm.c:
 * ivpu_pm_runtime_suspend_cb, ivpu_pm_prepare_warm_boot; ivpu_fw.c:
 * ivpu_fw_boot_params_setup's warm branch).
 *
 * With d0i3_delayed_entry = 1 the firmware saves its state only when the host sends
 * PWR_D0I3_ENTER; it then writes the address of its restore entry into the boot
 * parameters' save_restore_ret_address. A CPU start at that address after the power-down
 * is a warm boot: the firmware finds its image, its queues and its settings where it left
 * them. The page must be the one of the last cold boot but for what Linux refreshes on a
 * warm boot (save_restore_ret_address = 0, the two D0i3 fields, the wall clock, and in
 * current Linux boot_type = 1; Linux 6.12 leaves it 0) and what the firmware writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hw/boot_params.h"
#include "sim/sim_internal.h"
#include "sim/sim_mmu.h"
#include "util/log.h"

/*
 * The restore entry: a fixed distance past the cold entry, inside the image, 4 KiB
 * aligned like the cold one: the 37xx LOADING_ADDRESS holds the address >> 9 with its
 * low bits for flags (docs/hardware.md §3.4).
 */
#define WARM_ENTRY_OFFSET 0x1000u

void sim_warm_save(struct npu_sim *s)
{
	struct sim_warm *w = &s->fw.warm;
	uint64_t ret = s->rom.entry_point + WARM_ENTRY_OFFSET;
	uint8_t le[8];

	if (!s->fw.d0i3_delayed_entry || !w->bp_cold_valid) {
		/* "Save state IPC message ignored": every D0i2 entry saves (vpu_boot_api.h). */
		npu_dbg(SIM, "firmware: D0i3 entry message without d0i3_delayed_entry: ignored");
		return;
	}
	memcpy(w->queues, s->fw.queues, sizeof(w->queues));
	memcpy(w->queue_map, s->fw.queue_map, sizeof(w->queue_map));
	for (unsigned db = 0; db < SIM_DOORBELLS; db++)
		w->queues[db].running = w->queues[db].active = false; /* the host made it idle */
	/*
	 * Under HWS the command queues, their doorbells and priorities stay too: Linux
	 * neither creates nor registers them again after a warm boot, and destroys them
	 * later (ivpu_job.c: ivpu_cmdq_unregister sends HWS_DESTROY_CMDQ after
	 * UNREGISTER_DB, ivpu_jsm_msg.c: ivpu_jsm_hws_destroy_cmdq). The engine is idle,
	 * and after the power-down it starts anew: an ENGINE_RESET that was not followed by
	 * HWS_ENGINE_RESUME (Linux debugfs reset_engine sends the reset alone) does not
	 * keep it stopped across the warm boot.
	 */
	w->hws = s->fw.hws;
	w->hws.engine_stopped = false;
	w->hws.current = 0;
	w->hws.slice_start_ns = w->hws.contend_ns = 0;
	for (unsigned i = 0; i < SIM_HWS_CMDQS; i++)
		w->hws.q[i].suspend_pending = false;
	w->power_level = s->fw.power_level;
	w->trace_level = s->fw.trace_level;
	w->trace_dest = s->fw.trace_dest;
	w->trace_hw_mask = s->fw.trace_hw_mask;
	w->dct_enabled = s->fw.dct_enabled;
	w->dct_active_us = s->fw.dct_active_us;
	w->dct_inactive_us = s->fw.dct_inactive_us;
	w->rx_next = s->fw.rx_next;
	w->rx_payload_next = s->fw.rx_payload_next;
	for (unsigned i = 0; i < 8; i++)
		le[i] = (uint8_t)(ret >> (8 * i));
	if (sim_mmu_access(s, 0,
			   s->rom.boot_params_load_address +
			       offsetof(struct npu_boot_params, save_restore_ret_address),
			   le, sizeof(le), true)) {
		sim_fwlog(s, SIM_LOG_ERR, "d0i3: cannot write save_restore_ret_address");
		return;
	}
	w->ret_address = ret;
	w->saved = true;
	w->saves++;
	sim_fwlog(s, SIM_LOG_INFO, "d0i3: state saved, restore entry 0x%" PRIx64, ret);
}

/* The fields a warm boot may change: refreshed by the host or written by the firmware. */
static bool may_change(size_t off)
{
	static const struct {
		size_t off, len;
	} refreshed[] = {
		{ offsetof(struct npu_boot_params, save_restore_ret_address), 8 },
		{ offsetof(struct npu_boot_params, boot_type), 4 },
		{ offsetof(struct npu_boot_params, d0i3_residency_time_us), 8 },
		{ offsetof(struct npu_boot_params, d0i3_entry_vpu_ts), 8 },
		{ offsetof(struct npu_boot_params, system_time_us), 8 },
		{ offsetof(struct npu_boot_params, device_time_delta_ticks), 8 },
		{ offsetof(struct npu_boot_params, power_states_timestamps),
		  sizeof(((struct npu_boot_params *)0)->power_states_timestamps) },
	};

	for (size_t i = 0; i < sizeof(refreshed) / sizeof(refreshed[0]); i++) {
		if (off >= refreshed[i].off && off < refreshed[i].off + refreshed[i].len)
			return true;
	}
	return false;
}

int sim_warm_check(struct npu_sim *s, const struct npu_boot_params *bp, char *why, size_t len)
{
	const uint8_t *now = (const uint8_t *)bp, *cold = s->fw.warm.bp_cold;

	/*
	 * Current Linux writes boot_type 1 (warm) here; Linux 6.12's warm branch of
	 * ivpu_fw_boot_params_setup never touches boot_type, so it stays the cold boot's
	 * 0. The firmware knows a warm boot by its start at the restore entry, so both
	 * are taken; any other value is garbage.
	 */
	if (bp->boot_type != NPU_BOOT_TYPE_WARM && bp->boot_type != NPU_BOOT_TYPE_COLD) {
		snprintf(why, len, "boot_type %u at the restore entry, not 1 (warm) or 0",
			 bp->boot_type);
		return -EINVAL;
	}
	if (bp->save_restore_ret_address) {
		snprintf(why, len, "save_restore_ret_address 0x%" PRIx64 " not cleared by the host",
			 bp->save_restore_ret_address);
		return -EINVAL;
	}
	for (size_t off = 0; off < sizeof(*bp); off++) {
		if (now[off] != cold[off] && !may_change(off)) {
			snprintf(why, len,
				 "byte 0x%zx changed since the cold boot (0x%02x, was 0x%02x): a "
				 "warm boot refreshes only the D0i3 and time fields",
				 off, now[off], cold[off]);
			return -EINVAL;
		}
	}
	return sim_boot_params_time_check(bp, why, len);
}

void sim_warm_restore(struct npu_sim *s)
{
	struct sim_warm *w = &s->fw.warm;

	memcpy(s->fw.queues, w->queues, sizeof(s->fw.queues));
	memcpy(s->fw.queue_map, w->queue_map, sizeof(s->fw.queue_map));
	s->fw.hws = w->hws;
	s->fw.power_level = w->power_level;
	s->fw.trace_level = w->trace_level;
	s->fw.trace_dest = w->trace_dest;
	s->fw.trace_hw_mask = w->trace_hw_mask;
	s->fw.dct_enabled = w->dct_enabled;
	s->fw.dct_active_us = w->dct_active_us;
	s->fw.dct_inactive_us = w->dct_inactive_us;
	s->fw.rx_next = w->rx_next;
	s->fw.rx_payload_next = w->rx_payload_next;
	w->saved = false; /* the next warm boot needs another D0i3 entry */
	w->warm_boots++;
}
