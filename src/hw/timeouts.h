/* SPDX-License-Identifier: MIT */
/*
 * npud - poll interval, timeouts and delays (docs/hardware.md §2.0, §5; docs/firmware-protocol.md §1.7).
 *
 * Silicon values unless the name says otherwise. All values are in microseconds
 * (NPU_TIMEOUT_<NAME>_US) except the one nanosecond delay, which says so.
 */
#ifndef NPU_HW_TIMEOUTS_H
#define NPU_HW_TIMEOUTS_H

#include <stdint.h>

/* Register polls re-read every 50 us until match or timeout (docs/hardware.md §2.0). */
#define NPU_POLL_INTERVAL_US 50u

/* Firmware boot: ready message on IPC channel 0x3FF (docs/hardware.md §5). */
#define NPU_TIMEOUT_BOOT_US	   1000000u
#define NPU_TIMEOUT_BOOT_SIMICS_US 50000u
#define NPU_TIMEOUT_BOOT_FPGA_US   50000u /* newest; older kernels 100 s */

/* JSM / IPC response. */
#define NPU_TIMEOUT_JSM_US	500000u
#define NPU_TIMEOUT_JSM_FPGA_US 15000000u

/* TDR: job hang check, the heartbeat must advance (module parameter tdr_timeout_ms). */
#define NPU_TIMEOUT_TDR_US 2000000u

/* Maximum inference duration (newest kernels). */
#define NPU_TIMEOUT_INFERENCE_US	60000000u
#define NPU_TIMEOUT_INFERENCE_FPGA_US	900000000u
#define NPU_TIMEOUT_INFERENCE_SIMICS_US 300000000u

/* Runtime-PM autosuspend delay. */
#define NPU_TIMEOUT_AUTOSUSPEND_37XX_US 10000u
#define NPU_TIMEOUT_AUTOSUSPEND_US	100000u /* 40xx and later */

/* PWR_D0I3_ENTER message, then VPU_STATUS.IDLE poll. */
#define NPU_TIMEOUT_D0I3_ENTRY_MSG_US 5000u

/* STATE_DUMP message: STATE_DUMP_RSP awaited this long (6.12 slept it; older kernels 10 ms). */
#define NPU_TIMEOUT_STATE_DUMP_MSG_US 100000u

/* Buttress (docs/hardware.md §3.2, §3.3, §3.6). */
#define NPU_TIMEOUT_WP_SEND_US	       1500000u /* WP_REQ_CMD.SEND == 0 */
#define NPU_TIMEOUT_PLL_LOCK_US	       1500000u /* MTL PLL_STATUS.LOCK */
#define NPU_TIMEOUT_VPU_READY_US       1500000u /* VPU_STATUS.READY */
#define NPU_TIMEOUT_D0I3_US	       150000u	/* D0I3_CONTROL.INPROGRESS == 0 */
#define NPU_TIMEOUT_IP_RESET_US	       150000u	/* IP_RESET.TRIGGER == 0 */
#define NPU_TIMEOUT_CLK_RES_OWN_ACK_US 150000u	/* LNL VPU_STATUS.CLOCK_RESOURCE_OWN_ACK */
#define NPU_TIMEOUT_IDLE_US	       5000u	/* VPU_STATUS.IDLE (old37: 500 ms) */

/* IP block (docs/hardware.md §3.3). */
#define NPU_TIMEOUT_PWR_ISLAND_US	 5000u /* AON_PWR_ISLAND_STATUS0 */
#define NPU_TIMEOUT_IP_BAR_READY_37XX_US 100u  /* CPR_RST_CLR.AON == 0 */

/* MMU (docs/hardware.md §2.5). */
#define NPU_TIMEOUT_MMU_REG_ACK_US 10000u  /* CR0ACK, IRQ_CTRLACK */
#define NPU_TIMEOUT_MMU_CMDQ_US	   100000u /* CMDQ_CONS == PROD */

/* Fixed delays (docs/hardware.md §5). */
#define NPU_DELAY_PWR_ISLAND_TRICKLE_NS 500u /* TRICKLE_EN0 set -> ISLAND_EN0 set */
#define NPU_DELAY_D0I3_ENTRY_US		5u   /* after D0i3 enter */

#endif /* NPU_HW_TIMEOUTS_H */
