/* SPDX-License-Identifier: MIT */
/*
 * The host's side of IPC, played by hand against the simulated NPU after a real driver boot
 * (test_sim_jobs.c, test_sim_fw_jsm.c, sim_hws_test_util.h): IPC headers and JSM messages
 * written byte by byte at the offsets of docs/firmware-protocol.md §1.2 and §2.1 into the
 * driver's TX buffer and pushed into the host-to-NPU FIFO (§1.4); replies popped from the
 * NPU-to-host FIFO and read out of the RX buffer, each RX slot released (§1.5); and the
 * fence and fill commands of batch buffers (§4.2).
 */
#ifndef NPU_TEST_SIM_HOST_IPC_UTIL_H
#define NPU_TEST_SIM_HOST_IPC_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/device.h"
#include "platform/backends.h"
#include "platform/platform.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "test_time.h"

/* Little-endian fields, as docs/firmware-protocol.md lays them out. */
#define put16 npu_put_le16
#define put32 npu_put_le32
#define put64 npu_put_le64
#define get32 npu_le32
#define get64 npu_le64

#define RV	       0u
#define HOST_FIFO_ATM  0x000200F4u /* docs/firmware-protocol.md §1.5 */
#define HOST_FIFO_STAT 0x000200FCu
#define TX_SLOT	       192u /* header + JSM (§1.1) */
#define TX_SLOTS       (16384u / TX_SLOT)
#define RX_SIZE	       16384u

/* The host's IPC state; a test's host embeds it and fills it in after the driver's boot. */
struct host_ipc {
	struct npu_sim *s;
	enum npu_gen gen;
	const struct npu_gbuf *tx, *rx; /* the driver's IPC buffers, with their NPU addresses */
	uint32_t tx_next, req_id;	/* the next TX slot; the last request id sent */
	unsigned wait_ms;		/* how long host_ipc_request waits for its reply */
	/* host_ipc_next also asserts the header's data_size (128) and data_addr (in the RX buffer) */
	bool check_data;
	/*
	 * Set: the model's lock is taken as a host's register access takes it (sim_host_lock)
	 * and flagged here while held; NULL: a plain pthread_mutex_lock.
	 */
	bool *held;
};

struct msg {
	uint16_t channel;
	uint32_t type, status, request_id, result;
	uint8_t p[96];
};

/*
 * A real driver boot of the simulated NPU; the firmware is looked for in a new empty directory
 * made from tmpl, so both sides use the synthetic image.
 */
static inline void host_boot(char *fwdir, const char *tmpl, struct npu_platform_config *pc,
			     const struct npu_device_config *dc, struct npu_platform **plat,
			     struct npu_sim **s, struct npu_device *d)
{
	strcpy(fwdir, tmpl);
	assert_non_null(mkdtemp(fwdir));
	setenv("NPU_FIRMWARE_PATH", fwdir, 1);
	assert_int_equal(npu_platform_open(pc, plat), 0);
	*s = npu_platform_sim_model(*plat);
	memset(d, 0, sizeof(*d));
	assert_int_equal(drv_device_open(d, *plat, dc), 0);
	assert_int_equal(drv_device_boot(d), 0);
}

static inline void host_ipc_init(struct host_ipc *ipc, struct npu_sim *s, enum npu_gen gen,
				 struct npu_device *d, uint32_t req_id, unsigned wait_ms)
{
	memset(ipc, 0, sizeof(*ipc));
	ipc->s = s;
	ipc->gen = gen;
	ipc->tx = &d->ipc_tx;
	ipc->rx = &d->ipc_rx;
	ipc->req_id = req_id;
	ipc->wait_ms = wait_ms;
}

/* Fills the next TX slot (§1.4 step 2) and returns its header's VA; *slot: its bytes. */
static inline uint32_t host_ipc_fill(struct host_ipc *ipc, uint16_t channel, uint32_t type,
				     const void *payload, size_t len, uint8_t **slot)
{
	uint32_t n = ipc->tx_next++ % TX_SLOTS;
	uint8_t *p = (uint8_t *)ipc->tx->dma.cpu + n * TX_SLOT;
	uint32_t va = (uint32_t)ipc->tx->va + n * TX_SLOT;

	memset(p, 0, TX_SLOT);
	put32(p + 0, va + 64); /* data_addr */
	put32(p + 4, 128);     /* data_size */
	put16(p + 8, channel);
	p[10] = 0;		 /* src_node: host */
	p[11] = 1;		 /* dst_node: NPU */
	p[12] = 1;		 /* status ALLOCATED */
	put32(p + 64 + 8, type); /* JSM type */
	put32(p + 64 + 12, 1);	 /* JSM status ALLOCATED */
	put32(p + 64 + 16, ++ipc->req_id);
	if (len)
		memcpy(p + 64 + 32, payload, len);
	if (slot)
		*slot = p;
	return va;
}

/* Pushes a TX header's VA into the host-to-NPU FIFO (§1.4 step 3). */
static inline void host_ipc_push(const struct host_ipc *ipc, uint32_t va)
{
	npu_sim_write32(ipc->s, RV, ipc->gen == NPU_GEN_37XX ? 0x060200F0u : 0x010200F0u, va);
}

/* A request posted and pushed; returns its request id. */
static inline uint32_t host_ipc_send(struct host_ipc *ipc, uint16_t channel, uint32_t type,
				     const void *payload, size_t len)
{
	host_ipc_push(ipc, host_ipc_fill(ipc, channel, type, payload, len, NULL));
	return ipc->req_id;
}

/* The next entry of the NPU-to-host FIFO, polled every 100 us for up to timeout_ms. */
static inline bool host_ipc_pop(const struct host_ipc *ipc, uint32_t *va, unsigned timeout_ms)
{
	for (unsigned t = 0; t <= timeout_ms * 10u; t++) {
		if ((npu_sim_read32(ipc->s, RV, HOST_FIFO_STAT) >> 16) & 0xFFu) {
			*va = npu_sim_read32(ipc->s, RV, HOST_FIFO_ATM);
			return true;
		}
		sleep_us(100);
	}
	return false;
}

/* A reply's channel (from its header) and JSM fields (§2.1). */
static inline void host_ipc_read(const uint8_t *hdr, const uint8_t *jsm, struct msg *m)
{
	m->channel = (uint16_t)(hdr[8] | hdr[9] << 8);
	m->type = get32(jsm + 8);
	m->status = get32(jsm + 12);
	m->request_id = get32(jsm + 16);
	m->result = get32(jsm + 20);
	memcpy(m->p, jsm + 32, sizeof(m->p));
}

/* The host's release of an RX slot (§1.5): header and JSM status back to FREE. */
static inline void host_ipc_release(const struct host_ipc *ipc, uint8_t *hdr, uint8_t *jsm)
{
	if (ipc->held) {
		sim_host_lock(ipc->s);
		*ipc->held = true;
	} else {
		pthread_mutex_lock(&ipc->s->lock);
	}
	hdr[12] = 0;
	if (jsm)
		put32(jsm + 12, 0);
	if (ipc->held)
		*ipc->held = false;
	pthread_mutex_unlock(&ipc->s->lock);
}

/* The next message from the RX buffer (the model posts no garbage here), read and released. */
static inline bool host_ipc_next(const struct host_ipc *ipc, struct msg *m, unsigned timeout_ms)
{
	uint64_t rx = ipc->rx->va;
	uint8_t *base = ipc->rx->dma.cpu, *hdr, *jsm;
	uint32_t va;

	if (!host_ipc_pop(ipc, &va, timeout_ms))
		return false;
	assert_true(va >= rx && va - rx <= RX_SIZE - 64 && (va - rx) % 64 == 0);
	hdr = base + (va - rx);
	if (ipc->check_data) {
		assert_int_equal(get32(hdr + 4), 128);
		assert_true(get32(hdr) >= rx && get32(hdr) - rx <= RX_SIZE - 128);
	}
	jsm = base + (get32(hdr) - rx);
	host_ipc_read(hdr, jsm, m);
	host_ipc_release(ipc, hdr, jsm);
	return true;
}

/* A request on channel 0 and its reply (of type want), waited for wait_ms; returns the result. */
static inline uint32_t host_ipc_request(struct host_ipc *ipc, uint32_t type, const void *payload,
					size_t len, uint32_t want, struct msg *m)
{
	uint32_t id = host_ipc_send(ipc, 0, type, payload, len);

	assert_true(host_ipc_next(ipc, m, ipc->wait_ms));
	assert_int_equal(m->channel, 0);
	assert_int_equal(m->request_id, id);
	assert_int_equal(m->type, want);
	return m->result;
}

/*
 * Commands of a batch buffer (docs/firmware-protocol.md §4.2), written byte by byte; each
 * returns its size. A fence command: type 0x0101 waits, 0x0102 signals.
 */
static inline uint32_t fence_cmd(uint8_t *c, uint16_t type, uint64_t va, uint64_t value)
{
	put16(c, type);
	put16(c + 2, 24);
	put32(c + 4, 0);
	put64(c + 8, va);
	put64(c + 16, value);
	return 24;
}

/* A fill of size bytes at va with a 32-bit pattern. */
static inline uint32_t fill_cmd(uint8_t *c, uint64_t va, uint64_t size, uint32_t pattern)
{
	put16(c, 0x0202);
	put16(c + 2, 32);
	put32(c + 4, 0);
	put64(c + 8, va);
	put64(c + 16, size);
	put32(c + 24, pattern);
	put32(c + 28, 0);
	return 32;
}

#endif
