/* SPDX-License-Identifier: MIT */
/*
 * libnpu's in-process transport: the server (server.h) and the driver run in
 * the client's own process, on the device the open options name. A request
 * goes straight to npu_server_request; the reply comes back through the send
 * callback, at once, or later for a parked WAIT: then this transport runs the
 * event loop npud would run (the device's interrupt fd, the server's timers)
 * until the reply is there.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/devsetup.h"
#include "lib/lib_internal.h"
#include "server/server.h"
#include "util/clock.h"

#define LOOP_SLICE_MS 1000 /* the longest poll, whatever the server says */

struct local {
	struct npu_platform_config pcfg;
	struct npu_device_config dcfg;
	uint8_t *rom;
	size_t rom_size;
	FILE *trace;
	struct npu_platform *plat;
	struct npu_device dev;
	bool dev_open;
	struct npu_server *srv;
	struct npu_srv_client *client;
	/* The reply being waited for, filled by the send callback. */
	bool expecting, got;
	uint8_t *rsp;
	size_t rsp_len;
	struct npu_lib_attach att;
	unsigned dropped; /* replies nobody asked for */
};

static int local_send(void *tp, const void *msg, size_t len, const struct npu_srv_attach *att)
{
	struct local *l = tp;

	if (!l->expecting || l->got || len > NPU_PROTO_RSP_MAX) {
		l->dropped++;
		return len > NPU_PROTO_RSP_MAX ? -EMSGSIZE : 0;
	}
	memcpy(l->rsp, msg, len);
	l->rsp_len = len;
	l->att.fd = -1; /* in-process: the server's mapping, never a descriptor */
	l->att.cpu = att ? att->cpu : NULL;
	l->att.size = att && att->cpu ? att->size : 0;
	l->got = true;
	return 0;
}

/* Runs the server's event loop once: the interrupt when it is pending, then the timers. */
static int loop_once(struct npu *n, struct local *l, uint64_t deadline)
{
	int fd = npu_server_irq_fd(l->srv);
	int ms = npu_server_tick(l->srv);
	uint64_t now = npu_clock_ms();
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int wait, r;

	if (l->got)
		return 0;
	if (now >= deadline)
		return npu_lib_fail(n, -ETIMEDOUT,
				    "the in-process server left the request unanswered");
	if (fd < 0 && ms < 0)
		return npu_lib_fail(n, -EIO,
				    "the in-process server left the request unanswered "
				    "with nothing pending");
	wait = (ms < 0 || ms > LOOP_SLICE_MS) ? LOOP_SLICE_MS : ms;
	if ((uint64_t)wait > deadline - now)
		wait = (int)(deadline - now);
	if (fd < 0) {
		if (wait > 0)
			nanosleep(&(struct timespec){ .tv_sec = wait / 1000,
						      .tv_nsec = (long)(wait % 1000) * 1000000L },
				  NULL);
		return 0;
	}
	r = poll(&p, 1, wait);
	if (r < 0 && errno != EINTR)
		return npu_lib_fail(n, -errno, "waiting for the device's interrupt: %s",
				    strerror(errno));
	if (r > 0)
		npu_server_irq(l->srv);
	return 0;
}

static int local_request(struct npu *n, const void *req, size_t len, void *rsp, size_t *rsp_len,
			 struct npu_lib_attach *att, uint32_t timeout_ms)
{
	struct local *l = n->tp;
	uint64_t deadline = npu_clock_ms() + timeout_ms;
	int ret, closing;

	att->fd = -1;
	att->cpu = NULL;
	att->size = 0;
	if (!l->client)
		return npu_lib_fail(n, -EPIPE, "the in-process server closed this connection");
	l->rsp = rsp;
	l->got = false;
	l->expecting = true;
	closing = npu_server_request(l->client, req, len);
	ret = 0;
	while (!l->got && !ret && !closing)
		ret = loop_once(n, l, deadline);
	l->expecting = false;
	if (closing) {
		/* A reply, if any, goes to the caller; the next request finds the connection closed. */
		npu_server_client_gone(l->client);
		l->client = NULL;
	}
	if (!l->got && !ret)
		ret = npu_lib_fail(n, closing,
				   "the in-process server closed the connection "
				   "without a reply: %s",
				   strerror(-closing));
	if (ret)
		return ret;
	*rsp_len = l->rsp_len;
	*att = l->att;
	return 0;
}

static int local_map(struct npu *n, struct npu_lib_attach *att, size_t size, void **cpu)
{
	*cpu = att->cpu;
	att->cpu = NULL;
	if (!*cpu || att->size < size)
		return npu_lib_fail(n, -EPROTO,
				    "the in-process server gave %zu bytes of memory for a buffer "
				    "of %zu",
				    *cpu ? att->size : 0, size);
	return 0;
}

static void local_unmap(struct npu *n, void *cpu, size_t size)
{
	(void)n;
	(void)cpu;
	(void)size; /* the server's mapping: it goes with BUF_FREE */
}

static void local_free(struct local *l)
{
	if (l->client)
		npu_server_client_gone(l->client);
	if (l->srv)
		npu_server_destroy(l->srv);
	if (l->dev_open)
		drv_device_close(&l->dev);
	if (l->plat)
		npu_platform_close(l->plat);
	if (l->trace)
		fclose(l->trace);
	free(l->rom);
	free(l);
}

static void local_close(struct npu *n)
{
	if (n->tp)
		local_free(n->tp);
	n->tp = NULL;
}

static const struct npu_transport_ops local_ops = {
	.name = "in-process",
	.request = local_request,
	.map = local_map,
	.unmap = local_unmap,
	.close = local_close,
};

int npu_local_open(struct npu *n, const struct npu_open_opts *opts)
{
	struct npu_devsetup_opts o = {
		.device = opts->device,
		.gen = opts->gen,
		.firmware = opts->firmware,
		.sim_fault = opts->sim_fault,
		.tdr_timeout_ms = opts->tdr_timeout_ms,
		.sched = opts->sched,
	};
	struct npu_server_config cfg = { .allow_all = true, .share_fds = false };
	struct npu_srv_peer peer = { .uid = (uint32_t)getuid(),
				     .gid = (uint32_t)getgid(),
				     .pid = (int32_t)getpid() };
	struct local *l = calloc(1, sizeof(*l));
	int ret;

	if (!l)
		return npu_lib_fail(n, -ENOMEM, "out of memory");
	if (opts->trace_path) {
		l->trace = fopen(opts->trace_path, "we");
		if (!l->trace) {
			ret = npu_lib_fail(n, -errno, "register trace %s: %s", opts->trace_path,
					   strerror(errno));
			goto fail;
		}
		o.trace = l->trace;
	}
	ret = npu_devsetup_prepare(&o, &l->pcfg, &l->dcfg, &l->rom, &l->rom_size, n->err,
				   sizeof(n->err));
	if (!ret)
		ret = npu_devsetup_open(&l->pcfg, &l->dcfg, &l->plat, &l->dev, &l->dev_open, n->err,
					sizeof(n->err));
	if (ret)
		goto fail;
	cfg.owner_uid = peer.uid;
	/* The only client: the device's memory is its limit, not a share of it. */
	cfg.max_bytes_per_client = l->plat->dma_mem_size;
	ret = npu_server_create(&l->dev, &cfg, &l->srv);
	if (ret) {
		if (l->dev.fail_step[0])
			npu_lib_fail(n, ret, "boot failed at %s: %s", l->dev.fail_step,
				     l->dev.fail_reason);
		else
			npu_lib_fail(n, ret, "cannot start the in-process server: %s",
				     strerror(-ret));
		goto fail;
	}
	ret = npu_server_client_new(l->srv, &peer, local_send, l, &l->client);
	if (ret) {
		npu_lib_fail(n, ret, "cannot connect to the in-process server: %s", strerror(-ret));
		goto fail;
	}
	n->tp = l;
	n->ops = &local_ops;
	return 0;
fail:
	local_free(l);
	return ret;
}
