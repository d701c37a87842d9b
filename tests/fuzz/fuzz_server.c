/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the request server's dispatch (src/server/): one input is
 * one connection to a server over a booted simulated NPU.
 *
 * Input: byte 0 chooses the set-up (bit 0: say a valid hello first and make
 * two buffers, handle 1 holding a valid NOP command buffer and handle 2 a
 * data buffer, so submits and waits can succeed; bit 1: the messages carry
 * their own header, else the harness writes a valid one). Then messages, each
 * [u16 length][bytes]: with bit 1 the bytes are the whole message; without,
 * the first 2 bytes are the op and the rest the payload. After each request
 * the server's loop turns once.
 *
 * Traps on: a reply that is not a reply (magic, version, size, op and seq not
 * echoed where the request could be read), an error without a message or with
 * a message over the limit, a success status that is positive, a client still
 * counted after it went away, the device no longer READY, and NPU memory kept
 * for contexts after the client is gone.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/server_test_util.h"
#include "driver/cmdbuf.h"
#include "driver/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct npu_platform *plat;
static struct npu_device dev;
static struct npu_server *srv;
static char fw_dir[64];
static struct npu_device_stats stats;

/* The request being sent, for the reply checks. */
static uint16_t cur_op;
static uint32_t cur_seq;
static bool cur_header_valid;

static int check_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct npu_rsp_hdr h;

	if (len < sizeof(h) || len > NPU_PROTO_RSP_MAX)
		abort();
	memcpy(&h, msg, sizeof(h));
	if (h.magic != NPU_PROTO_RSP_MAGIC || h.version != NPU_PROTO_VERSION || h.size != len ||
	    h.reserved || h.status > 0)
		abort();
	if (h.status < 0 && (len == sizeof(h) || len - sizeof(h) >= NPU_PROTO_ERR_MAX))
		abort();
	/* Parked WAITs and RUNs answer later requests' turns: only the op is known then. */
	if (cur_header_valid && h.op != NPU_OP_WAIT && h.op != NPU_OP_RUN &&
	    (h.op != cur_op || h.seq != cur_seq))
		abort();
	return tc_send(tp, msg, len, att);
}

static void cleanup(void)
{
	npu_server_destroy(srv);
	drv_device_close(&dev);
	npu_platform_close(plat);
	rmdir(fw_dir);
}

static void init_once(void)
{
	struct npu_platform_config pcfg = { .device = "sim" };
	struct npu_device_config dcfg = { 0 };
	struct npu_server_config scfg = { .allow_all = true,
					  .owner_uid = 0,
					  .max_bytes_per_client = 8u << 20,
					  .max_buffers_per_client = 16 };

	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-fuzz-srv-XXXXXX");
	/* An empty firmware folder: driver and model use the synthetic image. */
	if (!mkdtemp(fw_dir) || setenv("NPU_FIRMWARE_PATH", fw_dir, 1) ||
	    npu_platform_open(&pcfg, &plat) || drv_device_open(&dev, plat, &dcfg) ||
	    npu_server_create(&dev, &scfg, &srv) || dev.state != NPU_DEV_READY) {
		fprintf(stderr, "fuzz_server: cannot set up the simulated NPU\n");
		abort();
	}
	atexit(cleanup);
}

static int send_raw(struct tc *t, const uint8_t *msg, size_t len)
{
	struct npu_req_hdr h;

	cur_header_valid = false;
	if (len >= sizeof(h)) {
		memcpy(&h, msg, sizeof(h));
		cur_op = h.op;
		cur_seq = h.seq;
		cur_header_valid = h.magic == NPU_PROTO_REQ_MAGIC && h.size == len &&
				   h.version == NPU_PROTO_VERSION;
	}
	return npu_server_request(t->c, msg, len);
}

/* Hello, then buffer 1 (a NOP batch) and buffer 2 (data). */
static void prepare(struct tc *t)
{
	struct npu_req_hello hello = { .version_min = 1, .version_max = 1, .name = "fuzz" };
	struct npu_req_buf_create bc = { .size = 8192 };
	struct npu_cmdbuf cb;

	cur_header_valid = false;
	if (tc_req(t, NPU_OP_HELLO, &hello, sizeof(hello)) || tc_status(t) ||
	    tc_req(t, NPU_OP_BUF_CREATE, &bc, sizeof(bc)) || tc_status(t))
		abort();
	if (drv_cmdbuf_init(&cb, t->cpu[t->n - 1], 0, 8192, 4, dev.gen) == 0) {
		/* The NPU address is only known from the reply. */
		struct npu_rsp_buf a;
		struct npu_rsp_hdr h;

		tc_last(t, &h, &a, sizeof(a));
		if (drv_cmdbuf_init(&cb, t->cpu[t->n - 1], a.va, a.size, 4, dev.gen) ||
		    drv_cmdbuf_nop(&cb) || drv_cmdbuf_finish(&cb))
			abort();
	}
	if (tc_req(t, NPU_OP_BUF_CREATE, &bc, sizeof(bc)) || tc_status(t))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tc t;
	uint8_t mode;
	size_t pos = 1;

	if (!srv)
		init_once();
	if (size < 1)
		return 0;
	mode = data[0];
	memset(&t, 0, sizeof(t));
	{
		struct npu_srv_peer peer = { .uid = 1000, .gid = 1000, .pid = 1 };

		if (npu_server_client_new(srv, &peer, check_send, &t, &t.c))
			abort();
	}
	if (mode & 1)
		prepare(&t);
	while (pos + 2 <= size) {
		size_t len = (size_t)data[pos] | (size_t)data[pos + 1] << 8;
		const uint8_t *msg = data + pos + 2;

		pos += 2;
		if (len > size - pos)
			len = size - pos;
		pos += len;
		if (mode & 2) {
			if (send_raw(&t, msg, len) < 0)
				break; /* the transport would close the connection here */
		} else {
			uint16_t op = len >= 2 ? (uint16_t)(msg[0] | msg[1] << 8) : 0;

			cur_op = op;
			cur_seq = t.seq + 1;
			cur_header_valid = true;
			if (tc_req(&t, op, len > 2 ? msg + 2 : NULL, len > 2 ? len - 2 : 0) < 0)
				break; /* the transport would close the connection here */
		}
		cur_header_valid = false;
		srv_step(srv, 0);
	}
	npu_server_client_gone(t.c);
	if (npu_server_clients(srv) != 0 || dev.state != NPU_DEV_READY)
		abort();
	drv_device_stats(&dev, &stats);
	if (stats.memory_contexts_bytes != 0 || stats.n_clients != 0)
		abort();
	return 0;
}
