/* SPDX-License-Identifier: MIT */
/* npud on Redox (daemon.h): set-up in the drivers' order, the loop, the way down. */
#include "redox/daemon.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/device.h"
#include "redox/redox.h"
#include "redox/redox_shim.h"
#include "redox/scheme.h"
#include "server/server.h"
#include "util/log.h"

#define TICK_MS_DEFAULT 1000u

/* INIT_NOTIFY's descriptor, or -1 when there is none (started by hand). */
static int notify_fd_from_env(void)
{
	const char *v = getenv("INIT_NOTIFY");
	char *end;
	long fd;

	if (!v || !*v)
		return -1;
	errno = 0;
	fd = strtol(v, &end, 10);
	if (errno || *end || fd < 0 || fd > INT_MAX) {
		npu_warn(SRV, "INIT_NOTIFY='%s' is not a descriptor; readiness is not signalled",
			 v);
		return -1;
	}
	return (int)fd;
}

/* One byte (0) on the readiness pipe, which is then closed. */
static int notify_ready(int fd)
{
	static const char byte;
	ssize_t w;

	if (fd < 0)
		return 0;
	do {
		w = write(fd, &byte, 1);
	} while (w < 0 && errno == EINTR);
	close(fd);
	if (w != 1) {
		int e = w < 0 ? errno : EIO;

		npu_err(SRV, "signalling readiness on INIT_NOTIFY (%d): %s", fd, strerror(e));
		return -e;
	}
	return 0;
}

struct daemon {
	struct npu_platform *plat;
	struct npu_device dev;
	bool dev_open;
	struct npu_server *srv;
	struct npu_redox_scheme *x;
};

static int set_up(struct daemon *d, const struct npu_redox_daemon_cfg *cfg)
{
	struct npu_platform_config pc = { 0 };
	struct npu_device_config dc = { .fw_path = cfg->firmware,
					.tdr_timeout_us = cfg->tdr_timeout_ms * 1000u };
	/* The scheme loop polls the device with jobs queued (scheme.c). */
	struct npu_server_config sc = { .share_fds = false };
	struct npu_redox_scheme_config xc = { .have_group = cfg->have_group, .group = cfg->group };
	int ret;

	if (cfg->have_group) {
		sc.allow_gids[0] = cfg->group;
		sc.n_allow_gids = 1;
		sc.owner_gid = cfg->group; /* may ask for focus and realtime (server_prio.c) */
		sc.owner_gid_set = true;
	}
	ret = npu_platform_redox_open(&pc, &d->plat);
	if (ret) {
		npu_err(SRV, "no NPU from pcid: %s", strerror(-ret));
		return ret;
	}
	ret = drv_device_open(&d->dev, d->plat, &dc);
	d->dev_open = true; /* drv_device_close is owed even when the open failed */
	if (ret) {
		npu_err(SRV, "opening the NPU: %s", strerror(-ret));
		return ret;
	}
	ret = npu_server_create(&d->dev, &sc, &d->srv);
	if (ret) {
		npu_err(SRV, "starting the server: %s", strerror(-ret));
		return ret;
	}
	return npu_redox_scheme_create(d->srv, &xc, &d->x); /* it logs its failure */
}

static void tear_down(struct daemon *d)
{
	npu_redox_scheme_destroy(d->x); /* every client gone with its handles */
	npu_server_destroy(d->srv);
	if (d->dev_open)
		drv_device_close(&d->dev); /* powers the NPU down */
	if (d->plat) /* npu_platform_close, without platform.c and its Linux backends */
		d->plat->ops->close(d->plat);
}

int npu_redox_daemon_run(const struct npu_redox_daemon_cfg *cfg)
{
	struct daemon d = { 0 };
	unsigned tick = cfg->tick_ms ? cfg->tick_ms : TICK_MS_DEFAULT;
	int notify = cfg->notify_fd >= 0 ? cfg->notify_fd : notify_fd_from_env();
	int ret;
	size_t r;

	if (!npu_redox_available()) {
		npu_err(SRV, "this npud has no Redox system calls: it runs on Redox only");
		return -ENOSYS;
	}
	/* npud starts no program: the pipe needs no close-on-exec before it is closed. */
	ret = set_up(&d, cfg);
	if (!ret)
		ret = notify_ready(notify);
	else if (notify >= 0)
		close(notify); /* pcid-spawner sees the end of the pipe: npud is not coming */
	if (ret) {
		tear_down(&d);
		return ret;
	}
	r = redox_setrens_v1(0, 0);
	if (redox_is_err(r)) {
		npu_err(SRV, "entering the null namespace: %s", strerror(redox_errno(r)));
		tear_down(&d);
		return -redox_errno(r);
	}
	npu_info(SRV, "serving /scheme/npu: %s (%s), %s", d.dev.plat->pci.bdf,
		 drv_dev_state_name(d.dev.state), d.dev.fw_path);
	while (!cfg->stop || !atomic_load(cfg->stop)) {
		ret = npu_redox_scheme_step(d.x, (int)tick);
		if (ret == -EPIPE) {
			npu_err(SRV, "the kernel closed the scheme's socket");
			break;
		}
		if (ret == -EIO) {
			npu_err(SRV, "the event queue cannot be read any more");
			break;
		}
		ret = 0;
	}
	if (!ret)
		npu_info(SRV, "stopping: %u open descriptions, %u clients",
			 npu_redox_scheme_handles(d.x), npu_server_clients(d.srv));
	tear_down(&d);
	return ret;
}
