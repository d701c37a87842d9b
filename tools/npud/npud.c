/* SPDX-License-Identifier: MIT */
/*
 * npud: the daemon that owns one NPU and serves it to many clients over a
 * Unix socket (src/server/unix.c; the request protocol in docs/request-protocol.md).
 *
 * Start-up: options, the start-up checks (which NPU, which firmware image,
 * whether the image is valid for it; --check stops there), daemonising
 * unless --foreground, the socket, the device and its boot, then readiness
 * (NOTIFY_SOCKET, and the parent of a daemonised npud). SIGTERM or SIGINT
 * stops it: no new work, jobs in flight finish or fail, the NPU powers down,
 * exit 0.
 */
#define _GNU_SOURCE /* pipe2 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <unistd.h>

#include "driver/device.h"
#include "driver/fw_image.h"
#include "driver/fw_locate.h"
#include "hw/gen.h"
#include "lib/devsetup.h"
#include "npu/npu.h"
#include "platform/pci_scan.h"
#include "server/sd_notify.h"
#include "server/server.h"
#include "server/unix.h"
#include "util/file.h"
#include "util/log.h"

#include "npud_opts.h"

/* While a daemonised npud starts, its errors go to the parent through this pipe. */
static int report_fd = -1;
static bool use_syslog;

void npud_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (report_fd >= 0)
		dprintf(report_fd, "npud: %s\n", msg);
	else if (use_syslog)
		syslog(LOG_ERR, "%s", msg);
	else
		fprintf(stderr, "npud: %s\n", msg);
}

static void syslog_sink(void *ctx, enum npu_log_level level, enum npu_log_cat cat, const char *msg)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG, LOG_DEBUG };

	(void)ctx;
	syslog(prio[level <= NPU_LOG_TRACE ? level : NPU_LOG_TRACE], "%s: %s",
	       npu_log_cat_name(cat), msg);
}

/* Chooses the device: a real NPU for auto when one is found, else the model. */
static int select_device(const struct npud_opts *o, enum npu_gen *gen, char *what, size_t len)
{
	const char *root = getenv("NPU_SYSFS_ROOT");
	struct npu_pci_dev dev;
	int ret;

	if (strcmp(o->device, "sim") == 0) {
		snprintf(what, len, "simulated NPU (%s)", npu_gen_name(*gen));
		return 0;
	}
	ret = npu_pci_find(root, strcmp(o->device, "auto") == 0 ? NULL : o->device, &dev);
	if (ret == 0) {
		*gen = dev.gen;
		snprintf(what, len, "%s NPU %s (%s, 8086:%04x)", dev.platform, dev.bdf,
			 npu_gen_name(dev.gen), dev.device);
		return 0;
	}
	if (strcmp(o->device, "auto") == 0 && ret == -ENODEV) {
		snprintf(what, len, "simulated NPU (%s): no NPU found on the PCI bus",
			 npu_gen_name(*gen));
		return 0;
	}
	if (ret == -EOPNOTSUPP)
		npud_err("device %s is an NPU of a generation this driver does not support yet",
			 o->device);
	else
		npud_err("device %s: %s", o->device, strerror(-ret));
	return ret;
}

/* Locates and validates the image. */
static int check_firmware(const struct npud_opts *o, enum npu_gen gen)
{
	char path[4096];
	struct npu_fw_image img;
	struct npu_fw_error fwerr;
	uint8_t *buf;
	size_t len;
	int ret = drv_fw_locate(gen, o->firmware, path, sizeof(path));

	if (ret == -ENOENT) {
		npu_warn(FW,
			 "no %s firmware image (last tried %s); it comes with %s; the simulated "
			 "NPU would boot its built-in synthetic image",
			 npu_gen_name(gen), path, NPU_FW_PACKAGE_HINT);
		return 0;
	}
	if (ret != 0) {
		npud_err("firmware: %s", strerror(-ret));
		return ret;
	}
	ret = npu_read_file(path, NPU_FW_FILE_MAX, &buf, &len);
	if (ret != 0) {
		npud_err("%s: %s", path,
			 ret == -EFBIG ? "larger than any firmware image (512 MiB)"
				       : strerror(-ret));
		return ret;
	}
	ret = drv_fw_image_parse(buf, len, gen, &img, &fwerr);
	if (ret != 0)
		npud_err("%s: %s", path, fwerr.msg);
	else
		npu_info(FW, "firmware %s: %s", path, img.version);
	free(buf);
	return ret;
}

/*
 * Forks. The parent waits for the child to say READY through a pipe and
 * exits 0, or relays the child's error and exits 1; it never returns. The
 * child returns 0 in its own session, reporting through report_fd.
 */
static int daemonize(void)
{
	char buf[2048];
	size_t got = 0;
	ssize_t n;
	int p[2];
	pid_t pid;

	fflush(NULL);
	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
		npud_err("cannot start the daemon: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		setsid();
		return 0;
	}
	close(p[1]);
	while (got < sizeof(buf) - 1 && ((n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0 ||
					 (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	buf[got] = '\0';
	if (strcmp(buf, "READY\n") == 0)
		_exit(0);
	if (got)
		fputs(buf, stderr);
	else
		fputs("npud: the daemon exited before it was ready\n", stderr);
	_exit(1);
}

/* Descriptors 0..2 open (to /dev/null when closed), so no socket or file takes their place. */
static void stdio_open(void)
{
	int fd;

	do {
		fd = open("/dev/null", O_RDWR);
	} while (fd >= 0 && fd <= STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* The daemonised child is ready: the parent exits 0, stdio goes to /dev/null, logs to syslog. */
static void detach(void)
{
	int null;

	if (report_fd < 0)
		return;
	if (write(report_fd, "READY\n", 6) != 6)
		npu_warn(SRV, "cannot tell the parent process that npud is ready");
	close(report_fd);
	report_fd = -1;
	openlog("npud", LOG_PID, LOG_DAEMON);
	use_syslog = true;
	npu_log_set_sink(syslog_sink, NULL);
	null = open("/dev/null", O_RDWR);
	if (null > STDERR_FILENO) { /* stdio_open() made sure 0..2 are taken */
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	if (chdir("/") != 0)
		npu_warn(SRV, "chdir /: %s", strerror(errno));
}

/* SIGTERM and SIGINT arrive on a signalfd; they are blocked before any thread starts. */
static int signals_fd(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		npud_err("cannot set up signal handling: %s", strerror(errno));
		return -1;
	}
	return fd;
}

static void on_stop(int fd, void *arg)
{
	struct signalfd_siginfo si;

	(void)arg;
	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		npu_info(SRV, "received %s, stopping",
			 si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
	npu_sd_notify("STOPPING=1");
}

/* Buffers, contexts and connections each hold fds: take what the hard limit allows. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The device npud serves: configured before it forks, opened after. */
struct npud_dev {
	struct npu_platform_config pcfg;
	struct npu_device_config dcfg;
	uint8_t *rom; /* the simulated NPU's copy of the firmware file */
	size_t rom_size;
	struct npu_platform *plat;
	struct npu_device dev;
	bool dev_open;
};

/* Opens and boots the device; says why not in one line. */
static int open_device(struct npud_dev *nd)
{
	char why[512];
	int ret = npu_devsetup_open(&nd->pcfg, &nd->dcfg, &nd->plat, &nd->dev, &nd->dev_open, why,
				    sizeof(why));

	if (ret) {
		npud_err("%s", why);
		return ret;
	}
	ret = drv_device_boot(&nd->dev);
	if (ret)
		npud_err("boot failed at %s: %s", nd->dev.fail_step, nd->dev.fail_reason);
	return ret;
}

static void close_device(struct npud_dev *nd)
{
	if (nd->dev_open)
		drv_device_close(&nd->dev); /* powers the NPU down */
	nd->dev_open = false;
	if (nd->plat)
		npu_platform_close(nd->plat);
	nd->plat = NULL;
}

/* Who may connect to the socket by its group may use the NPU too. */
static void allow_socket_group(struct npud_opts *o, const struct npu_unix *ux)
{
	struct npu_server_config *sc = &o->srv_cfg;
	uint32_t gid;

	if (!npu_unix_group(ux, &gid))
		return;
	for (unsigned i = 0; i < sc->n_allow_gids; i++)
		if (sc->allow_gids[i] == gid)
			return;
	if (sc->n_allow_gids < NPU_SERVER_MAX_ALLOW)
		sc->allow_gids[sc->n_allow_gids++] = gid;
	else
		npu_warn(SRV,
			 "members of the socket's group %u are not allowed: %u --allow-gid already",
			 gid, NPU_SERVER_MAX_ALLOW);
}

/* Socket, device, server; serves until a signal. Returns the exit status. */
static int run(struct npud_opts *o, struct npud_dev *nd)
{
	char err[512];
	struct npu_server *srv = NULL;
	struct npu_unix *ux = NULL;
	int sfd, ret, status = 1;

	sfd = signals_fd();
	if (sfd < 0)
		return 1;
	raise_fd_limit();
	o->unix_cfg.stop_fd = sfd;
	o->unix_cfg.on_stop = on_stop;
	ret = npu_unix_listen(&o->unix_cfg, &ux, err, sizeof(err));
	if (ret) {
		npud_err("%s", err);
		goto out;
	}
	allow_socket_group(o, ux);
	if (open_device(nd) != 0)
		goto out;
	o->srv_cfg.share_fds = true;
	o->srv_cfg.owner_uid = (uint32_t)geteuid();
	o->srv_cfg.owner_gid = (uint32_t)getegid(); /* may ask for focus and realtime */
	o->srv_cfg.owner_gid_set = true;
	ret = npu_server_create(&nd->dev, &o->srv_cfg, &srv);
	if (ret) {
		npud_err("cannot create the server: %s", strerror(-ret));
		goto out;
	}
	npu_info(SRV, "ready: %s %s, socket %s", nd->plat->pci.bdf, npu_gen_name(nd->dev.gen),
		 npu_unix_path(ux));
	ret = npu_sd_notify("READY=1");
	if (ret < 0)
		npu_warn(SRV, "NOTIFY_SOCKET: cannot notify readiness: %s", strerror(-ret));
	detach();
	ret = npu_unix_serve(ux, srv);
	status = ret ? 1 : 0;
out:
	npu_server_destroy(srv);
	npu_unix_close(ux);
	close_device(nd);
	close(sfd);
	if (status == 0)
		npu_info(SRV, "stopped; the NPU is powered down");
	return status;
}

int main(int argc, char **argv)
{
	struct npud_opts o;
	struct npud_dev nd = { 0 };
	struct npu_log_filter filter;
	const char *spec = getenv("NPU_LOG");
	enum npu_gen gen;
	char what[256];
	char why[512];
	char bad[32];
	int ret;

	stdio_open();
	ret = npud_parse_args(argc, argv, &o);
	if (ret != 0)
		return ret == 1 ? 0 : 2;
	npu_log_filter_default(&filter);
	/* The daemon reports its start-up at info level unless told otherwise. */
	filter.level = filter.base_level = NPU_LOG_INFO;
	if (spec && *spec && npu_log_parse_spec(spec, &filter, bad, sizeof(bad)) != 0) {
		npud_err("NPU_LOG: unknown level or category '%s'", bad);
		return 2;
	}
	npu_log_set_filter(&filter);
	npu_log_set_sink(npu_log_stderr_sink, NULL);
	npu_log_adjust(o.verbosity);

	gen = o.gen ? npu_gen_parse(o.gen) : NPU_GEN_37XX;
	if (!npu_gen_supported(gen)) {
		npud_err("--gen: '%s' is not a supported generation (37xx or 40xx)\n"
			 "Try 'npud --help'.",
			 o.gen);
		return 2;
	}
	/* NPU_SIM_FAULT and NPU_TDR_TIMEOUT_MS are checked here, before any fork. */
	ret = npu_devsetup_prepare(
	    &(struct npu_devsetup_opts){
		.device = o.device, .gen = o.gen, .firmware = o.firmware, .sched = o.sched },
	    &nd.pcfg, &nd.dcfg, &nd.rom, &nd.rom_size, why, sizeof(why));
	if (ret) {
		npud_err("%s\nTry 'npud --help'.", why);
		return 2;
	}
	ret = 1;
	if (select_device(&o, &gen, what, sizeof(what)) != 0)
		goto out;
	npu_info(SRV, "device: %s", what);
	if (check_firmware(&o, gen) != 0)
		goto out;
	if (o.check) {
		npu_info(SRV, "start-up checks passed");
		ret = 0;
	} else if (o.foreground || daemonize() == 0) {
		ret = run(&o, &nd);
	}
out:
	free(nd.rom);
	return ret;
}
