/* SPDX-License-Identifier: MIT */
/*
 * IPC with the firmware (docs/firmware-protocol.md §1): JSM messages in 192-byte TX slots
 * (64-byte IPC header + 128-byte JSM message) whose header address goes into
 * the host-to-NPU FIFO register; replies and JOB_DONE arrive as header
 * addresses in the NPU-to-host FIFO, pointing into the RX buffer.
 *
 * The driver is single-threaded per device: a request is sent, then the
 * caller waits on the interrupt fd, services the interrupt (which drains the
 * FIFO and dispatches what came) until its reply arrived or the deadline
 * passed. Everything the device writes is checked before use: an address
 * outside the RX buffer, a size or channel that does not fit, a reply nobody
 * waits for are logged, counted and dropped.
 */
#ifndef NPU_DRIVER_IPC_H
#define NPU_DRIVER_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/jsm.h"

struct npu_device;

struct npu_ipc_stats {
	uint64_t tx;	     /* requests sent */
	uint64_t rx;	     /* messages received and dispatched */
	uint64_t rx_dropped; /* messages refused (bad address, channel, size, no consumer) */
	uint64_t timeouts;   /* requests without a reply in time */
	uint64_t job_done;   /* JOB_DONE messages handed to the job layer */
};

struct npu_ipc {
	bool enabled;
	uint32_t next_request_id; /* device-global, from 1 */
	uint32_t tx_next;	  /* next TX slot */
	/* The one request in flight (the driver is synchronous). */
	bool waiting;
	bool replied;
	uint16_t wait_channel;
	uint32_t wait_request_id;
	struct npu_jsm_msg reply;
	struct npu_ipc_stats stats;
	/* RX offsets of the slots after the last header and message read (drv_ipc_prefetch). */
	uint32_t rx_hdr_after, rx_msg_after;
};

/* Zeroes the TX/RX buffers and the state (before a cold boot); IPC stays off. */
void drv_ipc_reset(struct npu_device *d);
/* IPC on (after READY, Linux ivpu_ipc_enable). */
void drv_ipc_enable(struct npu_device *d);
/* IPC off: requests fail with -EAGAIN (reset, power-down). */
void drv_ipc_disable(struct npu_device *d);

/*
 * Sends a JSM request of type `type` with `payload` (len bytes, at most 96)
 * on `channel`, and waits up to timeout_us (0: the 500 ms of docs/hardware.md §5)
 * for the reply of type `reply_type` with the same request id. Returns 0 with
 * *reply filled (may be NULL); -EAGAIN when IPC is off; -ETIMEDOUT; -EBADMSG
 * when the reply's result is not SUCCESS (reply still filled); -EBADE for a
 * reply of another type (reply filled too). Also -EINVAL for a payload over
 * 96 bytes, -EBUSY when called while another request waits (e.g. from
 * drv_job_done), -ECANCELED when IPC was disabled during the wait, -EIO when
 * waiting on the interrupt failed.
 */
int drv_ipc_request(struct npu_device *d, uint16_t channel, uint32_t type, const void *payload,
		    size_t len, uint32_t reply_type, struct npu_jsm_msg *reply,
		    uint32_t timeout_us);

/*
 * Sends without waiting for a reply. No driver path uses it since STATE_DUMP
 * is awaited (drv_jsm_state_dump); the tests use it to put a message in flight.
 */
int drv_ipc_send(struct npu_device *d, uint16_t channel, uint32_t type, const void *payload,
		 size_t len);

/*
 * Starts loading the RX slots after the last ones read into the cache: the
 * firmware fills its slots in order, so those are likely the next message's.
 * A hint only: nothing is read from them here.
 */
void drv_ipc_prefetch(struct npu_device *d);

/*
 * Drains the NPU-to-host FIFO (it must be emptied or no further IPC
 * interrupt comes) and dispatches each message: the awaited reply to the
 * waiter, JOB_DONE (channel 11) to drv_job_done(); frees each RX slot.
 * Called from the interrupt service.
 */
void drv_ipc_drain(struct npu_device *d);

#endif
