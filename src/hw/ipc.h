/* SPDX-License-Identifier: MIT */
/*
 * npud - IPC transport: header, channels, buffers (docs/firmware-protocol.md §1, docs/hardware.md §2.7).
 *
 * The device's little-endian layout. A TX slot is an IPC header immediately followed
 * by a JSM message (jsm.h); the header's VPU address is pushed into the TIM IPC FIFO.
 */
#ifndef NPU_HW_IPC_H
#define NPU_HW_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "bits.h"

/* Buffers (docs/firmware-protocol.md §1.1): 16 KiB each in the global (SSID 0) address space. */
#define NPU_IPC_TX_BUF_SIZE  NPU_SZ_KIB(16)
#define NPU_IPC_RX_BUF_SIZE  NPU_SZ_KIB(16)
#define NPU_IPC_ALIGN	     64u	  /* headers and JSM messages are 64-B aligned */
#define NPU_IPC_JSM_MSG_SIZE 128u	  /* data_size the host always writes */
#define NPU_IPC_TX_SLOT_SIZE (64u + 128u) /* header + JSM message */
#define NPU_IPC_RX_MSG_MAX   128u	  /* queued received messages (129 accepted) */

/* Channels (docs/firmware-protocol.md §1.3). */
#define NPU_IPC_CHAN_ASYNC_CMD 0u /* almost all requests and responses */
/*
 * GEN_CMD: PWR_D0I3_ENTER and DYNDBG_CONTROL. Linux sent DYNDBG on ASYNC_CMD up to 6.12
 * and moved it here in 6.13 ("accel/ivpu: Fix ivpu_jsm_dyndbg_control()": "use correct
 * channel"); npud follows the corrected channel (docs/boot-params.md).
 */
#define NPU_IPC_CHAN_GEN_CMD  10u
#define NPU_IPC_CHAN_JOB_RET  11u    /* JOB_DONE */
#define NPU_IPC_CHAN_BOOT_MSG 0x3FFu /* ready notification, no JSM payload */

/* Header status (docs/firmware-protocol.md §1.2); the JSM message uses the same values. */
#define NPU_IPC_HDR_FREE      0u
#define NPU_IPC_HDR_ALLOCATED 1u

/* Nodes. */
#define NPU_IPC_NODE_HOST 0u
#define NPU_IPC_NODE_VPU  1u

/* data_addr of the boot message: ASCII "BOOT" read as a big-endian word. */
#define NPU_IPC_BOOT_MSG_DATA_ADDR 0x424F4F54u

/* docs/firmware-protocol.md §1.2: struct ivpu_ipc_hdr, padded to 64 bytes */
struct npu_ipc_hdr {
	uint32_t data_addr; /* VPU address of the JSM message, or the boot magic */
	uint32_t data_size; /* 128 from the host */
	uint16_t channel;
	uint8_t src_node;
	uint8_t dst_node;
	uint8_t status;
	uint8_t reserved[51];
};

_Static_assert(sizeof(struct npu_ipc_hdr) == 64, "ipc hdr size");
_Static_assert(offsetof(struct npu_ipc_hdr, data_addr) == 0, "ipc data_addr");
_Static_assert(offsetof(struct npu_ipc_hdr, data_size) == 4, "ipc data_size");
_Static_assert(offsetof(struct npu_ipc_hdr, channel) == 8, "ipc channel");
_Static_assert(offsetof(struct npu_ipc_hdr, src_node) == 10, "ipc src_node");
_Static_assert(offsetof(struct npu_ipc_hdr, dst_node) == 11, "ipc dst_node");
_Static_assert(offsetof(struct npu_ipc_hdr, status) == 12, "ipc status");
_Static_assert(offsetof(struct npu_ipc_hdr, reserved) == 13, "ipc reserved");

#endif /* NPU_HW_IPC_H */
