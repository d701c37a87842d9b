/* SPDX-License-Identifier: MIT */
/*
 * The scheme tests' fixture: the daemon set up in the order Redox drivers
 * use (device and firmware, server, scheme socket and registration, null
 * namespace) over the fake kernel, and requests sent through the scheme's
 * wire format by write/read or SYS_CALL.
 */
#ifndef NPU_TEST_SCHEME_FIXTURE_H
#define NPU_TEST_SCHEME_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "fake_kernel.h"
#include "redox/redox.h"
#include "redox/scheme.h"
#include "server/server.h"
#include "synth_fw_dir.h"

#define GROUP 77u

struct fx {
	struct npu_platform *plat;
	struct npu_device d;
	struct npu_server *s;
	struct npu_redox_scheme *x;
	uint32_t seq;
};

static inline void pump(void *arg)
{
	struct fx *f = arg;

	npu_redox_scheme_step(f->x, 1);
}

static inline void fx_open(struct fx *f)
{
	struct fk_config kc = { 0 };
	struct npu_platform_config pc = { 0 };
	struct npu_device_config dc = { .tdr_timeout_us = 30000000u };
	struct npu_server_config sc = { .allow_gids = { GROUP }, .n_allow_gids = 1 };
	struct npu_redox_scheme_config xc = { .have_group = true, .group = GROUP };

	memset(f, 0, sizeof(*f));
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &f->plat), 0);
	assert_int_equal(drv_device_open(&f->d, f->plat, &dc), 0); /* reads the firmware */
	assert_int_equal(npu_server_create(&f->d, &sc, &f->s), 0);
	assert_int_equal(npu_redox_scheme_create(f->s, &xc, &f->x), 0);
	assert_string_equal(fk_state()->scheme_name, "npu");
	assert_int_equal(redox_setrens_v1(0, 0), 0);
	fk_set_pump(pump, f);
}

static inline void fx_close(struct fx *f)
{
	npu_redox_scheme_destroy(f->x);
	npu_server_destroy(f->s);
	drv_device_close(&f->d);
	npu_platform_close(f->plat);
	assert_int_equal(fk_state()->dma_chunks, 0);
	fk_stop();
}

/* A request message: header and body in buf; returns its length. */
static inline size_t msg(struct fx *f, uint8_t *buf, uint16_t op, const void *body, size_t len)
{
	struct npu_req_hdr h = { .magic = NPU_PROTO_REQ_MAGIC,
				 .version = NPU_PROTO_VERSION,
				 .op = op,
				 .size = (uint32_t)(sizeof(h) + len),
				 .seq = ++f->seq };

	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), body, len);
	return sizeof(h) + len;
}

/* write() the request, read() its reply; returns the reply's status, body in out. */
static inline int32_t rw(struct fx *f, uint64_t h, uint16_t op, const void *body, size_t len,
			 void *out, size_t out_len)
{
	uint8_t q[NPU_PROTO_REQ_MAX], *r = malloc(NPU_PROTO_RSP_MAX);
	struct npu_rsp_hdr rh;
	size_t n = msg(f, q, op, body, len);
	int64_t got;

	assert_non_null(r);
	assert_int_equal(fk_write(h, q, n), n);
	got = fk_read(h, r, NPU_PROTO_RSP_MAX, 0, 0);
	assert_true(got >= (int64_t)sizeof(rh));
	memcpy(&rh, r, sizeof(rh));
	assert_int_equal(rh.magic, NPU_PROTO_RSP_MAGIC);
	assert_int_equal(rh.seq, f->seq);
	assert_int_equal(rh.size, got);
	if (out)
		memcpy(out, r + sizeof(rh),
		       (size_t)got - sizeof(rh) < out_len ? (size_t)got - sizeof(rh) : out_len);
	free(r);
	return rh.status;
}

/* The same through SYS_CALL: the reply comes back over the request. */
static inline int32_t call(struct fx *f, uint64_t h, uint16_t op, const void *body, size_t len,
			   void *out, size_t out_len)
{
	uint8_t q[1024];
	struct npu_rsp_hdr rh;
	int64_t got;

	msg(f, q, op, body, len);
	got = fk_call(h, q, sizeof(q), NPU_REDOX_CALL_REQUEST);
	assert_true(got >= (int64_t)sizeof(rh));
	memcpy(&rh, q, sizeof(rh));
	assert_int_equal(rh.seq, f->seq);
	if (out)
		memcpy(out, q + sizeof(rh), out_len);
	return rh.status;
}

static inline int32_t hello(struct fx *f, uint64_t h)
{
	struct npu_req_hello q = { .version_min = 1, .version_max = 1, .name = "redox-test" };
	struct npu_rsp_hello a;

	return rw(f, h, NPU_OP_HELLO, &q, sizeof(q), &a, sizeof(a));
}

#endif
