/* SPDX-License-Identifier: MIT */
/*
 * The JSM requests the driver sends (docs/firmware-protocol.md §2), in OS scheduling mode.
 * Each returns 0 or a negative errno of drv_ipc_request.
 */
#ifndef NPU_DRIVER_JSM_H
#define NPU_DRIVER_JSM_H

#include <stdint.h>

struct npu_device;

int drv_jsm_register_db(struct npu_device *d, uint32_t db_id, uint64_t jobq_va, uint32_t jobq_size,
			uint32_t ssid);
int drv_jsm_unregister_db(struct npu_device *d, uint32_t db_id);
int drv_jsm_engine_reset(struct npu_device *d, uint32_t engine);
int drv_jsm_query_heartbeat(struct npu_device *d, uint32_t engine, uint64_t *heartbeat);
int drv_jsm_ssid_release(struct npu_device *d, uint32_t ssid);
int drv_jsm_pwr_d0i3_enter(struct npu_device *d);
int drv_jsm_dct_enable(struct npu_device *d, uint32_t active_us, uint32_t inactive_us);
int drv_jsm_dct_disable(struct npu_device *d);
/* Asks the firmware to dump its state into its log; no reply is awaited. */
int drv_jsm_state_dump(struct npu_device *d);

#endif
