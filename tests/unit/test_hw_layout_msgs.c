/* SPDX-License-Identifier: MIT */
/*
 * Checks the host/firmware message layouts in src/hw/ against the reference document
 * (docs/firmware-protocol.md): IPC header, JSM messages, job queue and job IDs,
 * command buffer, firmware log.
 *
 * The offsets and values below are typed by hand from the reference tables, not derived
 * from the structures: each layout test writes little-endian bytes at the documented
 * offsets of a raw buffer, copies the buffer into the structure and reads the fields
 * back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hw/cmd.h"
#include "hw/fw_log.h"
#include "hw/ipc.h"
#include "hw/jobq.h"
#include "hw/jsm.h"

#include "hw_layout_test_util.h"

/* ---- IPC (docs/firmware-protocol.md §1.2, §1.3) ---- */

static void test_ipc_boot_msg(void **state)
{
	static uint8_t raw[64];
	struct npu_ipc_hdr hdr;
	uint32_t magic = NPU_IPC_BOOT_MSG_DATA_ADDR;
	uint8_t be[4] = { (uint8_t)(magic >> 24), (uint8_t)(magic >> 16), (uint8_t)(magic >> 8),
			  (uint8_t)magic };

	(void)state;
	assert_memory_equal(be, "BOOT", 4);

	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0, 0x424F4F54);
	put_le32(raw, 4, 0);
	put_le16(raw, 8, 0x3FF);
	raw[10] = 1;
	raw[11] = 0;
	raw[12] = 1;
	memcpy(&hdr, raw, sizeof(hdr));
	assert_int_equal(sizeof(hdr), 64);
	assert_int_equal(hdr.data_addr, NPU_IPC_BOOT_MSG_DATA_ADDR);
	assert_int_equal(hdr.channel, NPU_IPC_CHAN_BOOT_MSG);
	assert_int_equal(hdr.src_node, NPU_IPC_NODE_VPU);
	assert_int_equal(hdr.dst_node, NPU_IPC_NODE_HOST);
	assert_int_equal(hdr.status, NPU_IPC_HDR_ALLOCATED);
	/* In memory (little-endian) the word reads "TOOB". */
	assert_memory_equal(raw, "TOOB", 4);

	assert_int_equal(NPU_IPC_CHAN_ASYNC_CMD, 0);
	assert_int_equal(NPU_IPC_CHAN_GEN_CMD, 10);
	assert_int_equal(NPU_IPC_CHAN_JOB_RET, 11);
	assert_true(NPU_IPC_TX_BUF_SIZE == 16384);
	assert_true(NPU_IPC_RX_BUF_SIZE == 16384);
	assert_int_equal(NPU_IPC_JSM_MSG_SIZE, 128);
}

/* ---- JSM (docs/firmware-protocol.md §2, §3.6) ---- */

static void test_jsm_layout(void **state)
{
	static uint8_t raw[128];
	struct npu_jsm_msg msg;

	(void)state;
	assert_int_equal(sizeof(msg), 128);

	/* JOB_DONE from docs/firmware-protocol.md §9 step 8. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 8, 0x2100);
	put_le32(raw, 12, 1);
	put_le32(raw, 16, 0);
	put_le32(raw, 20, 0);
	put_le32(raw, 32 + 0, 0);
	put_le32(raw, 32 + 4, 1);
	put_le32(raw, 32 + 8, 0x100);
	put_le32(raw, 32 + 12, 0xE);
	put_le32(raw, 32 + 16, 2);
	put_le64(raw, 32 + 24, 0x0102030405060708ull);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.type, NPU_JSM_MSG_JOB_DONE);
	assert_int_equal(msg.status, NPU_JSM_MSG_ALLOCATED);
	assert_int_equal(msg.request_id, 0);
	assert_int_equal(msg.result, NPU_JSM_STATUS_SUCCESS);
	assert_int_equal(msg.payload.job_done.engine_idx, NPU_JSM_ENGINE_COMPUTE);
	assert_int_equal(msg.payload.job_done.db_idx, 1);
	assert_int_equal(msg.payload.job_done.job_id, 0x100);
	assert_int_equal(msg.payload.job_done.job_status,
			 NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW);
	assert_int_equal(msg.payload.job_done.host_ssid, 2);
	assert_true(msg.payload.job_done.cmdq_id == 0x0102030405060708ull);

	/* REGISTER_DB from docs/firmware-protocol.md §9 step 5. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 8, 0x1102);
	put_le32(raw, 16, 77);
	put_le32(raw, 32 + 0, 1);
	put_le64(raw, 32 + 8, 0x90010000ull);
	put_le32(raw, 32 + 16, 4096);
	put_le32(raw, 32 + 20, 2);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.type, NPU_JSM_MSG_REGISTER_DB);
	assert_int_equal(msg.request_id, 77);
	assert_int_equal(msg.payload.register_db.db_idx, 1);
	assert_true(msg.payload.register_db.jobq_base == 0x90010000ull);
	assert_int_equal(msg.payload.register_db.jobq_size, 4096);
	assert_int_equal(msg.payload.register_db.host_ssid, 2);

	/* HWS_REGISTER_DB: 0 db_id, 4 host_ssid, 8 cmdq_id, 16 base, 24 size. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 32 + 4, 3);
	put_le64(raw, 32 + 16, 0x90020000ull);
	put_le64(raw, 32 + 24, 4096);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.payload.hws_register_db.host_ssid, 3);
	assert_true(msg.payload.hws_register_db.cmdq_base == 0x90020000ull);
	assert_true(msg.payload.hws_register_db.cmdq_size == 4096);

	/* QUERY_ENGINE_HB_DONE heartbeat at payload + 8. */
	memset(raw, 0, sizeof(raw));
	put_le64(raw, 32 + 8, 0xAABBCCDDEEFF0011ull);
	memcpy(&msg, raw, sizeof(msg));
	assert_true(msg.payload.query_engine_hb_done.heartbeat == 0xAABBCCDDEEFF0011ull);

	/* SET_CONTEXT_SCHED_PROPERTIES: quantum at payload + 32. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 32 + 24, (uint32_t)-7);
	put_le64(raw, 32 + 32, 20000);
	memcpy(&msg, raw, sizeof(msg));
	assert_int_equal(msg.payload.context_sched_properties.in_process_priority, -7);
	assert_true(msg.payload.context_sched_properties.context_quantum == 20000);

	/* Type and status values. */
	assert_int_equal(NPU_JSM_MSG_REGISTER_DB_DONE, 0x2202);
	assert_int_equal(NPU_JSM_MSG_HWS_REGISTER_DB, 0x1117);
	assert_int_equal(NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP, 0x1113);
	assert_int_equal(NPU_JSM_MSG_SET_PRIORITY_BAND_SETUP_RSP, 0x2214);
	assert_int_equal(NPU_JSM_MSG_HWS_RESUME_ENGINE_DONE, 0x221C);
	assert_int_equal(NPU_JSM_MSG_PWR_D0I3_ENTER, 0x1202);
	assert_int_equal(NPU_JSM_MSG_PWR_D0I3_ENTER_DONE, 0x2302);
	assert_int_equal(NPU_JSM_MSG_STATE_DUMP, 0x11FF);
	assert_int_equal(NPU_JSM_MSG_UNKNOWN, 0xFFFFFFFFu);
	assert_int_equal(NPU_JSM_STATUS_PREEMPTED_MID_INFERENCE, 0xD);
	assert_int_equal(sizeof(msg.payload.dyndbg_control), 96);
}

/* ---- job queue (docs/firmware-protocol.md §3) ---- */

static void test_jobq(void **state)
{
	static uint8_t raw[4096];
	struct npu_jobq q;

	(void)state;
	assert_int_equal(NPU_JOBQ_SLOT_COUNT, 63);
	assert_int_equal(sizeof(q), 4096);

	memset(raw, 0, sizeof(raw));
	put_le32(raw, 4, 5);
	put_le32(raw, 8, 9);
	put_le32(raw, 12, 0x3);
	put_le32(raw, 24, 31);
	/* slot 2 at 64 + 2 * 64 */
	put_le64(raw, 192 + 0, 0xA0000000ull);
	put_le32(raw, 192 + 8, 0x101);
	put_le32(raw, 192 + 12, 0x2);
	put_le64(raw, 192 + 32, 0x1234000ull);
	put_le32(raw, 192 + 40, 0xD800);
	put_le32(raw, 192 + 44, 0x7FE000);
	put_le64(raw, 192 + 48, 0x5678000ull);
	/* last slot (62) ends exactly at 4096 */
	put_le64(raw, 64 + 62 * 64 + 56, 0xFFull);
	memcpy(&q, raw, sizeof(q));

	assert_int_equal(q.header.head, 5);
	assert_int_equal(q.header.tail, 9);
	assert_int_equal(q.header.flags,
			 NPU_JOBQ_FLAGS_NO_JOB_DONE | NPU_JOBQ_FLAGS_USE_NATIVE_FENCE);
	assert_int_equal(q.header.realtime_priority_level, 31);
	assert_true(q.slot[2].batch_buf_addr == 0xA0000000ull);
	assert_int_equal(q.slot[2].job_id, 0x101);
	assert_int_equal(q.slot[2].flags, NPU_JOB_FLAGS_INLINE_CMD);
	assert_true(q.slot[2].primary_preempt_buf_addr == 0x1234000ull);
	assert_int_equal(q.slot[2].primary_preempt_buf_size, 0xD800);
	assert_int_equal(q.slot[2].secondary_preempt_buf_size, 0x7FE000);
	assert_true(q.slot[2].secondary_preempt_buf_addr == 0x5678000ull);
	assert_true(q.slot[62].reserved == 0xFF);

	/* Ring: full when (tail + 1) % 63 == head. */
	assert_int_equal(npu_jobq_next(62), 0);
	assert_true(npu_jobq_is_full(0, 62));
	assert_false(npu_jobq_is_full(0, 61));
	assert_true(npu_jobq_is_full(10, 9));
}

static void test_job_id(void **state)
{
	(void)state;
	/* docs/firmware-protocol.md §9: context 2, first job -> 0x100. */
	assert_int_equal(npu_job_id(2, 0), 0x100);
	assert_int_equal(npu_job_id(1, 0), 0x000);
	assert_int_equal(npu_job_id(66, 255), (65u << 8) | 255u);
	assert_int_equal(npu_job_id(3, 256), 0x200); /* counter wraps within [7:0] */
	assert_int_equal(npu_job_id_ctx(0x41FF), 66);
	assert_int_equal(npu_job_id_seq(0x41FF), 255);
	for (uint32_t ctx = 1; ctx <= 130; ctx += 7)
		for (uint32_t seq = 0; seq < 256; seq += 17) {
			uint32_t id = npu_job_id(ctx, seq);

			assert_int_equal(npu_job_id_ctx(id), ctx);
			assert_int_equal(npu_job_id_seq(id), seq);
		}
	assert_int_equal(NPU_DOORBELL_ID_MIN, 1);
	assert_int_equal(NPU_DOORBELL_ID_MAX, 255);
}

/* ---- command buffer (docs/firmware-protocol.md §4) ---- */

static void test_cmd_buffer(void **state)
{
	static uint8_t raw[256];
	struct npu_cmd_buffer_header bh;
	struct npu_cmd_fence fence;
	struct npu_copy_desc_37xx d37;
	struct npu_copy_desc_40xx d40;

	(void)state;
	/* docs/firmware-protocol.md §9 step 6: header + one FENCE_SIGNAL at +48. */
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0, 48 + 24);
	put_le32(raw, 4, 48);
	put_le32(raw, 8, 0x0004000F);
	put_le64(raw, 24, 0x123456789ull);
	put_le64(raw, 40, 0xA0000080ull);
	put_le16(raw, 48, 0x0102);
	put_le16(raw, 50, 24);
	put_le64(raw, 56, 0xA0000400ull);
	put_le64(raw, 64, 3);
	memcpy(&bh, raw, sizeof(bh));
	memcpy(&fence, raw + 48, sizeof(fence));
	assert_int_equal(bh.cmd_buffer_size, 72);
	assert_int_equal(bh.cmd_offset, sizeof(struct npu_cmd_buffer_header));
	assert_int_equal(bh.api_version, NPU_JOB_CMD_API_VERSION);
	assert_true(bh.kernel_heap_base_address == 0x0004000Full); /* legacy view of 8..15 */
	assert_true(bh.submission_timestamp == 0x123456789ull);
	assert_true(bh.context_save_area_address == 0xA0000080ull);
	assert_int_equal(fence.hdr.type, NPU_CMD_FENCE_SIGNAL);
	assert_int_equal(fence.hdr.size, sizeof(fence));
	assert_true(fence.offset == 0xA0000400ull);
	assert_true(fence.value == 3);

	/* Copy descriptors (docs/firmware-protocol.md §4.3). */
	memset(raw, 0, sizeof(raw));
	put_le64(raw, 16, 0x1000);
	put_le64(raw, 24, 0x2000);
	put_le32(raw, 32, 0x800000);
	memcpy(&d37, raw, sizeof(d37));
	assert_int_equal(sizeof(d37), 64);
	assert_true(d37.src_address == 0x1000 && d37.dst_address == 0x2000);
	assert_int_equal(d37.size, 0x800000);
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 24, 0x400000);
	put_le64(raw, 40, 0x3000);
	put_le64(raw, 48, 0x4000);
	memcpy(&d40, raw, sizeof(d40));
	assert_int_equal(sizeof(d40), 192);
	assert_int_equal(d40.size, 0x400000);
	assert_true(d40.src_address == 0x3000 && d40.dst_address == 0x4000);

	assert_int_equal(NPU_CMD_NOP, 0x0001);
	assert_int_equal(NPU_CMD_TIMESTAMP, 0x0100);
	assert_int_equal(NPU_CMD_BARRIER, 0x0103);
	assert_int_equal(NPU_CMD_METRIC_QUERY_END, 0x0105);
	assert_int_equal(NPU_CMD_MEMORY_FILL, 0x0202);
	assert_int_equal(NPU_CMD_COPY_LOCAL_TO_LOCAL, 0x0302);
	assert_int_equal(NPU_CMD_INFERENCE_EXECUTE, 0x0306);
	assert_int_equal(NPU_CMD_OV_BLOB_EXECUTE, 0x0305);
	assert_int_equal(NPU_CONTEXT_SAVE_AREA_SIZE, 64);
	assert_int_equal(sizeof(struct npu_cmd_inference_execute), 32);
	assert_int_equal(sizeof(struct npu_cmd_memory_fill), 32);
}

/* ---- firmware log (docs/firmware-protocol.md §7) ---- */

static void test_fw_log(void **state)
{
	static uint8_t raw[128];
	struct npu_fw_log_header lh;

	(void)state;
	memset(raw, 0, sizeof(raw));
	put_le32(raw, 0x04, 0x30);
	put_le32(raw, 0x40, 0xCAFECAFE);
	put_le32(raw, 0x44, 0x200);
	put_le32(raw, 0x48, 1);
	put_le32(raw, 0x50, 0x80000);
	put_le16(raw, 0x54, 1);
	put_le16(raw, 0x56, 128);
	put_le32(raw, 0x58, 0);
	put_le32(raw, 0x5C, 8);
	memcpy(raw + 0x60, "LRT", 4);
	memcpy(&lh, raw, sizeof(lh));
	assert_int_equal(lh.read_index, 0x30);
	assert_int_equal(lh.vpu_canary_start, NPU_FW_LOG_CANARY);
	assert_int_equal(lh.write_index, 0x200);
	assert_int_equal(lh.wrap_count, 1);
	assert_int_equal(lh.size, 0x80000);
	assert_int_equal(lh.header_version, 1);
	assert_int_equal(lh.header_size, NPU_FW_LOG_HEADER_SIZE_MIN);
	assert_int_equal(lh.format, NPU_FW_LOG_FORMAT_STRING);
	assert_int_equal(lh.alignment, 8);
	assert_string_equal(lh.name, "LRT");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipc_boot_msg),
		cmocka_unit_test(test_jsm_layout),
		cmocka_unit_test(test_jobq),
		cmocka_unit_test(test_job_id),
		cmocka_unit_test(test_cmd_buffer),
		cmocka_unit_test(test_fw_log),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}
