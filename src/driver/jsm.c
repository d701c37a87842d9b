/* SPDX-License-Identifier: MIT */
/*
 * The JSM requests of OS scheduling (docs/firmware-protocol.md §2.3, §2.4): a payload, the
 * channel, the reply type; drv_ipc_request does the rest. Everything goes on
 * ASYNC_CMD except PWR_D0I3_ENTER, which goes on GEN_CMD like Linux sends it.
 */
#include <string.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/jsm.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "hw/timeouts.h"
#include "util/log.h"

/* A request on ASYNC_CMD with the default timeout (500 ms). */
static int async_request(struct npu_device *d, uint32_t type, const void *payload, size_t len,
			 uint32_t reply_type, struct npu_jsm_msg *reply)
{
	int ret =
	    drv_ipc_request(d, NPU_IPC_CHAN_ASYNC_CMD, type, payload, len, reply_type, reply, 0);

	if (ret)
		npu_dbg(JSM, "request 0x%x failed: %d", type, ret);
	return ret;
}

int drv_jsm_register_db(struct npu_device *d, uint32_t db_id, uint64_t jobq_va, uint32_t jobq_size,
			uint32_t ssid)
{
	struct npu_jsm_register_db p = {
		.db_idx = db_id,
		.jobq_base = jobq_va,
		.jobq_size = jobq_size,
		.host_ssid = ssid,
	};

	return async_request(d, NPU_JSM_MSG_REGISTER_DB, &p, sizeof(p),
			     NPU_JSM_MSG_REGISTER_DB_DONE, NULL);
}

int drv_jsm_unregister_db(struct npu_device *d, uint32_t db_id)
{
	struct npu_jsm_unregister_db p = { .db_idx = db_id };

	return async_request(d, NPU_JSM_MSG_UNREGISTER_DB, &p, sizeof(p),
			     NPU_JSM_MSG_UNREGISTER_DB_DONE, NULL);
}

int drv_jsm_engine_reset(struct npu_device *d, uint32_t engine)
{
	struct npu_jsm_engine_reset p = { .engine_idx = engine };

	return async_request(d, NPU_JSM_MSG_ENGINE_RESET, &p, sizeof(p),
			     NPU_JSM_MSG_ENGINE_RESET_DONE, NULL);
}

int drv_jsm_query_heartbeat(struct npu_device *d, uint32_t engine, uint64_t *heartbeat)
{
	struct npu_jsm_engine_reset p = { .engine_idx = engine }; /* same layout (§2.3) */
	struct npu_jsm_msg reply;
	int ret;

	ret = async_request(d, NPU_JSM_MSG_QUERY_ENGINE_HB, &p, sizeof(p),
			    NPU_JSM_MSG_QUERY_ENGINE_HB_DONE, &reply);
	if (ret)
		return ret;
	if (heartbeat)
		*heartbeat = reply.payload.query_engine_hb_done.heartbeat;
	return 0;
}

int drv_jsm_ssid_release(struct npu_device *d, uint32_t ssid)
{
	struct npu_jsm_ssid_release p = { .host_ssid = ssid };

	return async_request(d, NPU_JSM_MSG_SSID_RELEASE, &p, sizeof(p),
			     NPU_JSM_MSG_SSID_RELEASE_DONE, NULL);
}

/* docs/firmware-protocol.md §2.4: send_response = 1; the caller then polls the buttress for idle. */
int drv_jsm_pwr_d0i3_enter(struct npu_device *d)
{
	struct npu_jsm_pwr_d0i3_enter p = { .send_response = 1 };
	int ret;

	ret = drv_ipc_request(d, NPU_IPC_CHAN_GEN_CMD, NPU_JSM_MSG_PWR_D0I3_ENTER, &p, sizeof(p),
			      NPU_JSM_MSG_PWR_D0I3_ENTER_DONE, NULL, d->d0i3_timeout_us);
	if (ret)
		npu_dbg(JSM, "PWR_D0I3_ENTER failed: %d", ret);
	return ret;
}

/* DCT (docs/firmware-protocol.md §2.4, §6.3): the duty cycle, in microseconds of D0 and D0i2. */
int drv_jsm_dct_enable(struct npu_device *d, uint32_t active_us, uint32_t inactive_us)
{
	struct npu_jsm_dct_enable p = { .dct_active_us = active_us,
					.dct_inactive_us = inactive_us };

	return async_request(d, NPU_JSM_MSG_DCT_ENABLE, &p, sizeof(p), NPU_JSM_MSG_DCT_ENABLE_DONE,
			     NULL);
}

int drv_jsm_dct_disable(struct npu_device *d)
{
	return async_request(d, NPU_JSM_MSG_DCT_DISABLE, NULL, 0, NPU_JSM_MSG_DCT_DISABLE_DONE,
			     NULL);
}

/*
 * docs/firmware-protocol.md §1.7: the firmware writes its state into its log and answers
 * STATE_DUMP_RSP, awaited for the state-dump timeout (Linux 7.x ivpu_jsm_state_dump; 6.12
 * slept that long instead). -ETIMEDOUT when no answer came: a firmware being recovered may be
 * past answering.
 */
int drv_jsm_state_dump(struct npu_device *d)
{
	int ret = drv_ipc_request(d, NPU_IPC_CHAN_ASYNC_CMD, NPU_JSM_MSG_STATE_DUMP, NULL, 0,
				  NPU_JSM_MSG_STATE_DUMP_RSP, NULL, NPU_TIMEOUT_STATE_DUMP_MSG_US);

	if (ret)
		npu_dbg(JSM, "STATE_DUMP: %d", ret);
	return ret;
}
