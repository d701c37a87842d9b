/* SPDX-License-Identifier: MIT */
/*
 * IPC with the firmware (docs/firmware-protocol.md §1, docs/hardware.md §2.7).
 *
 * Host to NPU: a 192-byte TX slot (IPC header + JSM message) in the 16 KiB TX
 * buffer, its header's 32-bit NPU address written to CPU_SS_TIM_IPC_FIFO.
 * NPU to host: header addresses popped from HOST_SS_TIM_IPC_FIFO_ATM, each
 * naming a header in the RX buffer's first half whose data_addr names the
 * JSM message. The device may write anything there, so each header and
 * message is copied out of DMA memory first and only the copy is checked
 * and used.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform/barrier.h"
#include "driver/device.h"
#include "driver/ip.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "driver/job.h"
#include "hw/boot_params.h"
#include "hw/ipc.h"
#include "hw/regs_37xx.h"
#include "hw/regs_40xx.h"
#include "hw/timeouts.h"
#include "util/log.h"

#define TX_SLOTS	(uint32_t)(NPU_IPC_TX_BUF_SIZE / NPU_IPC_TX_SLOT_SIZE) /* 85 */
#define TX_JSM_OFFSET	64u /* the JSM message follows the header in a slot */
#define RX_HDR_AREA	NPU_BOOT_IPC_HEADER_AREA_SIZE /* headers live in the first 8 KiB */
#define DRAIN_MAX_POPS	256u /* per call: a FILL_LEVEL that never drops cannot hold us */
#define DROP_WARN_FIRST 8u   /* drops logged at warn; after that only at powers of two */

_Static_assert(NPU_IPC_TX_SLOT_SIZE == sizeof(struct npu_ipc_hdr) + sizeof(struct npu_jsm_msg),
	       "TX slot = header + JSM message");

static uint32_t tx_fifo_reg(const struct npu_device *d)
{
	return d->gen == NPU_GEN_37XX ? NPU_37XX_CPU_SS_TIM_IPC_FIFO : NPU_40XX_CPU_SS_TIM_IPC_FIFO;
}

/* Counts a refused message and logs it; a flood is logged at debug level past the first few. */
static void rx_drop(struct npu_device *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void rx_drop(struct npu_device *d, const char *fmt, ...)
{
	uint64_t n = ++d->ipc.stats.rx_dropped;
	bool loud = n <= DROP_WARN_FIRST || (n & (n - 1)) == 0;
	char why[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	npu_log(loud ? NPU_LOG_WARN : NPU_LOG_DEBUG, NPU_CAT_IPC,
		"dropped a message from the firmware: %s (%llu dropped so far)", why,
		(unsigned long long)n);
}

void drv_ipc_reset(struct npu_device *d)
{
	struct npu_ipc_stats stats = d->ipc.stats;

	/*
	 * docs/firmware-protocol.md §1.1: both areas are zeroed before a cold boot, before
	 * the firmware can post its ready message into them (Linux ivpu_pm.c:
	 * ivpu_pm_prepare_cold_boot calls ivpu_ipc_reset before the firmware is started).
	 */
	if (d->ipc_tx.dma.cpu)
		memset(d->ipc_tx.dma.cpu, 0, d->ipc_tx.dma.size);
	if (d->ipc_rx.dma.cpu)
		memset(d->ipc_rx.dma.cpu, 0, d->ipc_rx.dma.size);
	npu_dma_wmb();
	memset(&d->ipc, 0, sizeof(d->ipc));
	d->ipc.stats = stats;
}

void drv_ipc_enable(struct npu_device *d)
{
	d->ipc.enabled = true;
	npu_dbg(IPC, "IPC on");
}

void drv_ipc_disable(struct npu_device *d)
{
	if (d->ipc.enabled)
		npu_dbg(IPC, "IPC off");
	d->ipc.enabled = false;
}

/* Device-global request ids count from 1; 0 is JOB_DONE's and is never used. */
static uint32_t next_request_id(struct npu_ipc *ipc)
{
	uint32_t id = ++ipc->next_request_id;

	if (id == 0)
		id = ++ipc->next_request_id;
	return id;
}

/*
 * docs/firmware-protocol.md §1.4: fills the next TX slot and pushes its header's address.
 * Returns 0 with the request id, -EINVAL for a payload over 96 bytes, -EAGAIN
 * without a TX buffer.
 */
static int tx_post(struct npu_device *d, uint16_t channel, uint32_t type, const void *payload,
		   size_t len, uint32_t *request_id)
{
	struct npu_ipc *ipc = &d->ipc;
	struct npu_ipc_hdr hdr;
	struct npu_jsm_msg msg;
	uint32_t slot = ipc->tx_next % TX_SLOTS;
	uint64_t va = d->ipc_tx.va + (uint64_t)slot * NPU_IPC_TX_SLOT_SIZE;
	uint8_t *cpu;

	if (len > NPU_JSM_PAYLOAD_SIZE || (len && !payload))
		return -EINVAL;
	if (!d->ipc_tx.dma.cpu || d->ipc_tx.dma.size < NPU_IPC_TX_BUF_SIZE)
		return -EAGAIN;
	if (d->ipc_tx.va + NPU_IPC_TX_BUF_SIZE > UINT64_C(1) << 32)
		return -EINVAL; /* the FIFO takes 32-bit addresses; the global range is below 4 GiB */
	cpu = (uint8_t *)d->ipc_tx.dma.cpu + (size_t)slot * NPU_IPC_TX_SLOT_SIZE;
	ipc->tx_next = (slot + 1) % TX_SLOTS;

	/* The firmware frees a slot once it has read it; a slot still taken means it did not. */
	memcpy(&hdr, cpu, sizeof(hdr));
	memcpy(&msg, cpu + TX_JSM_OFFSET, sizeof(msg));
	if (hdr.status == NPU_IPC_HDR_ALLOCATED || msg.status == NPU_JSM_MSG_ALLOCATED)
		npu_warn(IPC,
			 "TX slot %u reused while still allocated (IPC status %u, JSM status %u, "
			 "type 0x%x, id %u): the firmware did not release it",
			 slot, hdr.status, msg.status, msg.type, msg.request_id);

	memset(&msg, 0, sizeof(msg));
	msg.type = type;
	msg.status = NPU_JSM_MSG_ALLOCATED;
	msg.request_id = next_request_id(ipc);
	if (len)
		memcpy(msg.payload.raw, payload, len);
	memset(&hdr, 0, sizeof(hdr));
	hdr.data_addr = (uint32_t)(va + TX_JSM_OFFSET);
	hdr.data_size = NPU_JSM_MSG_SIZE;
	hdr.channel = channel;
	hdr.src_node = NPU_IPC_NODE_HOST;
	hdr.dst_node = NPU_IPC_NODE_VPU;
	hdr.status = NPU_IPC_HDR_ALLOCATED;
	memcpy(cpu + TX_JSM_OFFSET, &msg, sizeof(msg));
	memcpy(cpu, &hdr, sizeof(hdr));

	/* The buffer is write-combined: the slot must be visible before its address is. */
	npu_dma_wmb();
	REGV_WR32(&d->mmio, tx_fifo_reg(d), (uint32_t)va);
	ipc->stats.tx++;
	*request_id = msg.request_id;
	npu_dbg(IPC, "sent type 0x%x id %u on channel %u (slot %u at 0x%08x)", type, msg.request_id,
		channel, slot, (uint32_t)va);
	return 0;
}

int drv_ipc_send(struct npu_device *d, uint16_t channel, uint32_t type, const void *payload,
		 size_t len)
{
	uint32_t id;

	if (!d->ipc.enabled)
		return -EAGAIN;
	return tx_post(d, channel, type, payload, len, &id);
}

int drv_ipc_request(struct npu_device *d, uint16_t channel, uint32_t type, const void *payload,
		    size_t len, uint32_t reply_type, struct npu_jsm_msg *reply, uint32_t timeout_us)
{
	struct npu_ipc *ipc = &d->ipc;
	uint64_t deadline;
	uint32_t id;
	int ret;

	if (!ipc->enabled)
		return -EAGAIN;
	if (ipc->waiting)
		return -EBUSY; /* one request at a time: a callback must not send and wait */
	if (!timeout_us)
		timeout_us = NPU_TIMEOUT_JSM_US;
	ret = tx_post(d, channel, type, payload, len, &id);
	if (ret)
		return ret;
	ipc->waiting = true;
	ipc->replied = false;
	ipc->wait_channel = channel;
	ipc->wait_request_id = id;

	deadline = npu_now_ns(d->plat) + (uint64_t)timeout_us * 1000u;
	while (!ipc->replied) {
		uint64_t now = npu_now_ns(d->plat);

		if (now >= deadline)
			break;
		ret = drv_irq_wait(d, (uint32_t)((deadline - now + 999u) / 1000u));
		if (ret && ret != -ETIMEDOUT) {
			ipc->waiting = false;
			return ret;
		}
		if (!ipc->enabled) {
			ipc->waiting = false;
			return -ECANCELED;
		}
	}
	ipc->waiting = false;
	if (!ipc->replied) {
		ipc->stats.timeouts++;
		npu_warn(IPC, "no reply to type 0x%x id %u on channel %u within %u us", type, id,
			 channel, timeout_us);
		return -ETIMEDOUT;
	}
	ipc->replied = false;
	if (reply)
		*reply = ipc->reply;
	if (ipc->reply.type != reply_type) {
		npu_warn(IPC, "request 0x%x id %u answered with type 0x%x, expected 0x%x", type, id,
			 ipc->reply.type, reply_type);
		return -EBADE;
	}
	if (ipc->reply.result != NPU_JSM_STATUS_SUCCESS) {
		npu_dbg(IPC, "request 0x%x id %u failed in the firmware: result 0x%x", type, id,
			ipc->reply.result);
		return -EBADMSG;
	}
	return 0;
}

static bool rx_channel_known(uint16_t channel)
{
	return channel == NPU_IPC_CHAN_ASYNC_CMD || channel == NPU_IPC_CHAN_GEN_CMD ||
	       channel == NPU_IPC_CHAN_JOB_RET;
}

/* docs/firmware-protocol.md §1.5 release: status FREE in the header and, when it was readable, the message. */
static void rx_release(struct npu_device *d, uint64_t hdr_off, bool has_msg, uint64_t msg_off)
{
	uint8_t *rx = d->ipc_rx.dma.cpu;
	const uint32_t msg_free = NPU_JSM_MSG_FREE;

	if (has_msg)
		memcpy(rx + msg_off + offsetof(struct npu_jsm_msg, status), &msg_free,
		       sizeof(msg_free));
	rx[hdr_off + offsetof(struct npu_ipc_hdr, status)] = NPU_IPC_HDR_FREE;
	npu_dma_wmb();
}

static void rx_dispatch(struct npu_device *d, const struct npu_ipc_hdr *hdr,
			const struct npu_jsm_msg *msg)
{
	struct npu_ipc *ipc = &d->ipc;

	if (hdr->channel == NPU_IPC_CHAN_JOB_RET) {
		if (msg->type != NPU_JSM_MSG_JOB_DONE) {
			rx_drop(d, "type 0x%x on the job-return channel", msg->type);
			return;
		}
		ipc->stats.rx++;
		ipc->stats.job_done++;
		drv_job_done(d, msg);
		return;
	}
	if (ipc->waiting && !ipc->replied && hdr->channel == ipc->wait_channel &&
	    msg->request_id == ipc->wait_request_id) {
		ipc->reply = *msg;
		ipc->replied = true;
		ipc->stats.rx++;
		npu_dbg(IPC, "reply type 0x%x id %u result 0x%x", msg->type, msg->request_id,
			msg->result);
		return;
	}
	rx_drop(d, "type 0x%x id %u on channel %u: nobody waits for it", msg->type, msg->request_id,
		hdr->channel);
}

/* One FIFO entry: the NPU address of a header in the RX buffer. */
static void rx_one(struct npu_device *d, uint32_t hdr_va)
{
	const uint64_t base = d->ipc_rx.va;
	const uint8_t *rx = d->ipc_rx.dma.cpu;
	struct npu_ipc_hdr hdr;
	struct npu_jsm_msg msg;
	uint64_t hdr_off, msg_off;

	if (!rx || d->ipc_rx.dma.size < NPU_IPC_RX_BUF_SIZE) {
		rx_drop(d, "header at 0x%08x while there is no receive buffer", hdr_va);
		return;
	}
	if (hdr_va < base || hdr_va - base > RX_HDR_AREA - sizeof(hdr) ||
	    (hdr_va - base) % NPU_IPC_ALIGN) {
		rx_drop(
		    d, "header address 0x%08x is not a 64-byte slot of the header area 0x%llx+0x%x",
		    hdr_va, (unsigned long long)base, (unsigned)RX_HDR_AREA);
		return;
	}
	hdr_off = hdr_va - base;
	memcpy(&hdr, rx + hdr_off, sizeof(hdr));
	if (!rx_channel_known(hdr.channel)) {
		rx_release(d, hdr_off, false, 0);
		rx_drop(d, "header at 0x%08x on channel 0x%x", hdr_va, hdr.channel);
		return;
	}
	if (hdr.data_size != NPU_JSM_MSG_SIZE) {
		rx_release(d, hdr_off, false, 0);
		rx_drop(d, "header at 0x%08x with data_size %u, not %u", hdr_va, hdr.data_size,
			NPU_JSM_MSG_SIZE);
		return;
	}
	if (hdr.data_addr < base || hdr.data_addr - base > NPU_IPC_RX_BUF_SIZE - sizeof(msg) ||
	    (hdr.data_addr - base) % NPU_IPC_ALIGN) {
		rx_release(d, hdr_off, false, 0);
		rx_drop(d,
			"header at 0x%08x with data_addr 0x%08x outside the receive buffer "
			"0x%llx+0x%x or misaligned",
			hdr_va, hdr.data_addr, (unsigned long long)base,
			(unsigned)NPU_IPC_RX_BUF_SIZE);
		return;
	}
	msg_off = hdr.data_addr - base;
	memcpy(&msg, rx + msg_off, sizeof(msg));
	rx_release(d, hdr_off, true, msg_off);
	d->ipc.rx_hdr_after = (uint32_t)(hdr_off + sizeof(hdr)) % RX_HDR_AREA;
	d->ipc.rx_msg_after = msg_off + 2 * sizeof(msg) <= NPU_IPC_RX_BUF_SIZE
				  ? (uint32_t)(msg_off + sizeof(msg))
				  : RX_HDR_AREA;
	rx_dispatch(d, &hdr, &msg);
}

void drv_ipc_prefetch(struct npu_device *d)
{
	const uint8_t *rx = d->ipc_rx.dma.cpu;

	if (!rx || d->ipc_rx.dma.size < NPU_IPC_RX_BUF_SIZE)
		return;
	__builtin_prefetch(rx + d->ipc.rx_hdr_after);
	__builtin_prefetch(rx + d->ipc.rx_msg_after);
	__builtin_prefetch(rx + d->ipc.rx_msg_after + 64);
}

/*
 * FIFO_STAT's fill level says how many entries are there: that many are
 * popped before it is read again (Linux reads it before every pop), and it
 * is read once more at the end, for entries pushed meanwhile.
 */
void drv_ipc_drain(struct npu_device *d)
{
	uint32_t pops = 0, fill;

	/* drv_ip_fifo_fill reads 0 for an all-ones FILL register: a dead device ends the loop. */
	while ((fill = drv_ip_fifo_fill(d)) != 0) {
		if (pops + fill > DRAIN_MAX_POPS) {
			npu_warn(IPC,
				 "the IPC FIFO still reports %u entries after %u reads: "
				 "leaving them",
				 fill, pops);
			return;
		}
		for (uint32_t i = 0; i < fill; i++) {
			uint32_t hdr_va = drv_ip_fifo_pop(d);

			pops++;
			/* The pop is the device telling us the header is written: read it after. */
			npu_dma_rmb();
			rx_one(d, hdr_va);
		}
	}
}
