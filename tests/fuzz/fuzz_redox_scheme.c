/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the Redox `npu` scheme (src/redox/scheme*.c): the daemon's
 * side of the scheme socket, against the fake Redox kernel (tests/redox/)
 * with the simulated NPU behind it, set up once as npud does on Redox.
 *
 * Input: a list of calls, each [kind][a][b][len] then len bytes of data:
 * open (a path from a list or the data, as root, a group member or a
 * stranger), write (the data, or a request message with a valid header
 * around it), read, call, mmap, fstat, fevent, close, or a raw 64-byte
 * request whose opcode, flags and numbers come from the data (the argument
 * that is a pointer in the caller's memory always points at a buffer of the
 * length it claims, as the kernel guarantees). Every request that expects a
 * reply must get one with its tag within a few turns of the daemon's loop,
 * or be a read parked for a reply and then answered when cancelled. At the
 * end every description is closed: the daemon must hold none, and its
 * server no client.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/device.h"
#include "fake_kernel.h"
#include "redox/redox.h"
#include "redox/scheme.h"
#include "server/server.h"
#include "sim/fw_synth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GROUP	    77u
#define MAX_HANDLES 8
#define TURNS	    8
#define SCRATCH	    8192

static struct npu_platform *plat;
static struct npu_device dev;
static struct npu_server *srv;
static struct npu_redox_scheme *scheme;
static char fw_dir[64], fw_file[128];
static uint8_t scratch[SCRATCH];

static void pump(void *arg)
{
	(void)arg;
	npu_redox_scheme_step(scheme, 0);
}

static void cleanup(void)
{
	npu_redox_scheme_destroy(scheme);
	npu_server_destroy(srv);
	drv_device_close(&dev);
	npu_platform_close(plat);
	fk_stop();
	unlink(fw_file);
	rmdir(fw_dir);
}

static void init_once(void)
{
	struct fk_config kc = { 0 };
	struct npu_platform_config pc = { 0 };
	struct npu_device_config dc = { .tdr_timeout_us = 30000000u };
	struct npu_server_config sc = { .allow_gids = { GROUP }, .n_allow_gids = 1 };
	struct npu_redox_scheme_config xc = { .have_group = true, .group = GROUP };
	uint8_t *img = NULL;
	size_t n = 0;
	FILE *f;

	snprintf(fw_dir, sizeof(fw_dir), "/tmp/npu-fuzz-rx-XXXXXX");
	if (!mkdtemp(fw_dir) || npu_fw_synth_build(NPU_GEN_37XX, &img, &n))
		abort();
	snprintf(fw_file, sizeof(fw_file), "%s/vpu_37xx_v1.bin", fw_dir);
	f = fopen(fw_file, "wb");
	if (!f || fwrite(img, 1, n, f) != n || fclose(f) || setenv("NPU_FIRMWARE_PATH", fw_dir, 1))
		abort();
	free(img);
	if (fk_start(&kc) || npu_platform_redox_open(&pc, &plat) ||
	    drv_device_open(&dev, plat, &dc) || npu_server_create(&dev, &sc, &srv) ||
	    npu_redox_scheme_create(srv, &xc, &scheme) || redox_setrens_v1(0, 0) ||
	    dev.state != NPU_DEV_READY) {
		fprintf(stderr, "fuzz_redox_scheme: cannot set up the daemon on the fake kernel\n");
		abort();
	}
	fk_set_pump(pump, NULL);
	atexit(cleanup);
}

/* Sends q and waits for its reply; a read left parked is cancelled and must answer then. */
static bool call(struct redox_sqe *q, struct redox_cqe *out)
{
	uint32_t tag = fk_send(q);

	if (!tag)
		abort();
	if (fk_wait(tag, out, TURNS))
		return true;
	if (q->opcode != REDOX_OP_READ && q->opcode != REDOX_OP_CALL)
		abort(); /* only a read (or a call carrying a WAIT) may wait for a job */
	fk_cancel(tag);
	if (!fk_wait(tag, out, TURNS))
		abort(); /* a cancelled request must be answered */
	return false;
}

static const char *const paths[] = { "", "status", "status.json", "infer", "nope", "/", "..//" };

struct state {
	uint64_t h[MAX_HANDLES];
	bool open[MAX_HANDLES];
	uint32_t seq;
};

static void do_open(struct state *st, uint8_t a, uint8_t b, const uint8_t *d, size_t len)
{
	static const uint32_t uids[3] = { 0, 1000, 2000 }, gids[3] = { 0, GROUP, 2000 };
	char path[64];
	struct redox_cqe c;
	struct redox_sqe q = { .opcode = REDOX_OP_OPENAT, .caller = 77 };
	unsigned slot = a % MAX_HANDLES, who = b % 3;

	if (b & 0x80) {
		size_t n = len < sizeof(path) - 1 ? len : sizeof(path) - 1;

		memcpy(path, d, n);
		path[n] = '\0';
	} else {
		snprintf(path, sizeof(path), "%s",
			 paths[(b >> 2) % (sizeof(paths) / sizeof(paths[0]))]);
	}
	if (st->open[slot])
		return;
	q.args[1] = (uint64_t)(uintptr_t)path;
	q.args[2] = strlen(path);
	q.args[3] = (b & 0x40) ? 0x4000u : 0; /* O_NONBLOCK or not */
	q.args[5] = uids[who] | ((uint64_t)gids[who] << 32);
	call(&q, &c);
	if ((int64_t)c.result >= 0) {
		st->h[slot] = c.result;
		st->open[slot] = true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { 0 };
	size_t pos = 0;

	if (!scheme)
		init_once();
	while (pos + 4 <= size) {
		uint8_t kind = data[pos], a = data[pos + 1], b = data[pos + 2];
		size_t len = data[pos + 3];
		const uint8_t *d = data + pos + 4;
		unsigned slot = a % MAX_HANDLES;
		uint64_t h = st.open[slot] ? st.h[slot] : (uint64_t)a * 7919u;
		struct redox_sqe q = { .caller = 77, .args = { h } };
		struct redox_cqe c;

		pos += 4;
		if (len > size - pos)
			len = size - pos;
		pos += len;
		memset(scratch, 0, sizeof(scratch));
		switch (kind % 9) {
		case 0:
			do_open(&st, a, b, d, len);
			continue;
		case 1: /* write: raw, or a request with a valid header */
			q.opcode = REDOX_OP_WRITE;
			if ((b & 1) && len >= 1) {
				struct npu_req_hdr hd = { .magic = NPU_PROTO_REQ_MAGIC,
							  .version = NPU_PROTO_VERSION,
							  .op = (uint16_t)(d[0] % 12),
							  .size = (uint32_t)(sizeof(hd) + len - 1),
							  .seq = ++st.seq };

				memcpy(scratch, &hd, sizeof(hd));
				memcpy(scratch + sizeof(hd), d + 1, len - 1);
				q.args[2] = sizeof(hd) + len - 1;
			} else {
				memcpy(scratch, d, len);
				q.args[2] = len;
			}
			q.args[1] = (uint64_t)(uintptr_t)scratch;
			break;
		case 2:
			q.opcode = REDOX_OP_READ;
			q.args[1] = (uint64_t)(uintptr_t)scratch;
			q.args[2] = ((size_t)b + 1) * 32u;
			break;
		case 3:
			q.opcode = REDOX_OP_CALL;
			memcpy(scratch, d, len);
			q.args[1] = (uint64_t)(uintptr_t)scratch;
			q.args[2] = b & 1 ? 4096 : len;
			q.args[3] = b % 3;
			break;
		case 4:
			q.opcode = REDOX_OP_MMAP_PREP;
			q.args[1] = ((uint64_t)b + 1) * 4096u;
			q.args[2] = 3;
			for (size_t i = 0; i < 8 && i < len; i++)
				q.args[3] |= (uint64_t)d[i] << (8 * i);
			break;
		case 5:
			q.opcode = REDOX_OP_STD_FS_CALL;
			q.args[1] = (uint64_t)(uintptr_t)scratch;
			q.args[2] = sizeof(struct redox_stat);
			q.args[3] = b;
			break;
		case 6:
			q.opcode = REDOX_OP_FEVENT;
			q.args[1] = b;
			break;
		case 7:
			if (st.open[slot]) {
				q.opcode = REDOX_OP_CLOSE;
				fk_oneway(&q);
				st.open[slot] = false;
			}
			continue;
		default: /* raw: opcode, flags and numbers from the data */
			if (len >= sizeof(q))
				memcpy(&q, d, sizeof(q));
			else
				q.opcode = b;
			q.sqe_flags &= (uint8_t)~REDOX_SQE_ONEWAY;
			if (q.opcode == REDOX_OP_CLOSE || q.opcode == REDOX_OP_DETACH ||
			    q.opcode == REDOX_OP_CANCEL)
				continue; /* one-way: no reply to wait for */
			q.args[1] = (uint64_t)(uintptr_t)scratch;
			q.args[2] %= SCRATCH + 1;
			break;
		}
		if (call(&q, &c) && (q.opcode == REDOX_OP_OPENAT || q.opcode == REDOX_OP_DUP) &&
		    (int64_t)c.result >= 0) {
			/* A raw open or dup made a description: close it at once. */
			struct redox_sqe cl = { .opcode = REDOX_OP_CLOSE, .args = { c.result } };

			fk_oneway(&cl);
		}
	}
	for (unsigned i = 0; i < MAX_HANDLES; i++) {
		if (st.open[i]) {
			struct redox_sqe q = { .opcode = REDOX_OP_CLOSE, .args = { st.h[i] } };

			fk_oneway(&q);
		}
	}
	pump(NULL);
	if (npu_redox_scheme_handles(scheme) != 0 || npu_server_clients(srv) != 0 ||
	    dev.state != NPU_DEV_READY)
		abort();
	return 0;
}
