/* SPDX-License-Identifier: MIT */
/* npud's options (docs/man/npud.8). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu.h"
#include "npud_opts.h"

static const char usage[] =
    "Usage: npud [options]\n"
    "\n"
    "The Intel NPU daemon: owns one NPU (or the simulated NPU) and serves it to\n"
    "clients (libnpu, npuctl --socket) over a Unix socket. It runs the start-up\n"
    "checks (device, firmware image), boots the NPU and serves until SIGTERM or\n"
    "SIGINT; then jobs in flight finish (or fail after a few seconds), the NPU\n"
    "powers down and npud exits 0.\n"
    "\n"
    "Device:\n"
    "  --device auto|sim|BDF   NPU to serve (default auto: a real NPU if found,\n"
    "                          otherwise the simulated NPU)\n"
    "  --gen 37xx|40xx         generation of the simulated NPU (default 37xx)\n"
    "  --firmware FILE         firmware image (default: $NPU_FIRMWARE_PATH, then\n"
    "                          /lib/firmware/intel/vpu/vpu_<gen>_v1.bin)\n"
    "  --sched os|hws|auto     scheduling: the OS's (npud's order) or the\n"
    "                          firmware's hardware scheduler with priorities;\n"
    "                          auto (default): HWS when the firmware's JSM API\n"
    "                          is 3.24 or newer, as Linux chooses\n"
    "Socket and access:\n"
    "  --socket PATH           socket to serve on (default " NPU_DEFAULT_SOCKET ")\n"
    "  --socket-mode OCTAL     permissions of the socket (default 0660)\n"
    "  --socket-group NAME     group of the socket (default npu, when it exists)\n"
    "  --allow-uid UID|USER    a user allowed besides root and npud's own (repeatable)\n"
    "  --allow-gid GID|GROUP   a group whose members are allowed (repeatable)\n"
    "Limits:\n"
    "  --max-clients N         clients served at once, one NPU context each\n"
    "                          (default 64, at most 64)\n"
    "  --max-connections N     connections at once, served or not (default 256)\n"
    "  --max-buffers N         buffers per client (default 1024)\n"
    "  --max-bytes SIZE        bytes of buffers per client, K/M/G suffixes\n"
    "                          (default a quarter of the NPU's memory)\n"
    "  --max-jobs N            jobs queued per client (default 63, at most 63)\n"
    "Power:\n"
    "  --autosuspend-ms MS     suspend the NPU (D0i3, warm resume) after MS ms with\n"
    "                          no job and no request (default 0: never)\n"
    "Running:\n"
    "  --foreground            do not daemonise (under systemd: Type=notify)\n"
    "  --check                 run the start-up checks and exit\n"
    "  -v, --verbose           more log output; -q, --quiet: errors only\n"
    "  -h, --help              this help\n"
    "  --version               print the version\n"
    "\n"
    "Environment: NPU_LOG=level[,category...], NPU_FIRMWARE_PATH=folder,\n"
    "NOTIFY_SOCKET (readiness), NPU_SIM_FAULT, NPU_TDR_TIMEOUT_MS=ms,\n"
    "NPU_SCHED=os|hws|auto.\n"
    "Exit status: 0 success, 1 start-up failure, 2 usage error.\n";

static int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_err(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	npud_err("%s\nTry 'npud --help'.", msg);
	return 2;
}

/* A decimal number in [min, max]. */
static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* A byte count with an optional K, M or G (KiB, MiB, GiB) suffix. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	else if (*end)
		return -EINVAL;
	if (shift && end[1] && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return -EINVAL;
	if (v == 0 || v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

/* A uid or gid, by number or by name. */
static int parse_id(const char *s, bool group, uint32_t *out)
{
	char buf[16384];
	int e;

	if (parse_u32(s, 0, UINT32_MAX - 1, out) == 0)
		return 0;
	if (group) {
		struct group gr, *res = NULL;

		e = getgrnam_r(s, &gr, buf, sizeof(buf), &res);
		if (res)
			*out = (uint32_t)res->gr_gid;
		return res ? 0 : e ? -e : -ENOENT;
	} else {
		struct passwd pw, *res = NULL;

		e = getpwnam_r(s, &pw, buf, sizeof(buf), &res);
		if (res)
			*out = (uint32_t)res->pw_uid;
		return res ? 0 : e ? -e : -ENOENT;
	}
}

static int add_id(const char *opt, const char *val, bool group, uint32_t *ids, unsigned *n)
{
	if (*n >= NPU_SERVER_MAX_ALLOW)
		return usage_err("%s: at most %u of them", opt, NPU_SERVER_MAX_ALLOW);
	if (parse_id(val, group, &ids[*n]) != 0)
		return usage_err("%s: '%s' is neither a number nor a known %s", opt, val,
				 group ? "group" : "user");
	(*n)++;
	return 0;
}

/* An option that takes a value (takes_value); 0, or 2 after a usage error. */
static int value_opt(const char *a, const char *v, struct npud_opts *o)
{
	struct npu_server_config *sc = &o->srv_cfg;
	uint32_t n;
	char *end;

	if (strcmp(a, "--device") == 0) {
		o->device = v;
	} else if (strcmp(a, "--gen") == 0) {
		o->gen = v;
	} else if (strcmp(a, "--firmware") == 0) {
		o->firmware = v;
	} else if (strcmp(a, "--sched") == 0) {
		o->sched = v;
	} else if (strcmp(a, "--socket") == 0) {
		o->unix_cfg.path = v;
	} else if (strcmp(a, "--socket-group") == 0) {
		o->unix_cfg.group = v;
	} else if (strcmp(a, "--socket-mode") == 0) {
		unsigned long m = strtoul(v, &end, 8);

		if (!*v || *end || *v == '-' || m == 0 || m > 07777)
			return usage_err("--socket-mode: '%s' is not an octal mode 1..7777", v);
		o->unix_cfg.mode = (uint32_t)m;
	} else if (strcmp(a, "--allow-uid") == 0) {
		return add_id(a, v, false, sc->allow_uids, &sc->n_allow_uids);
	} else if (strcmp(a, "--allow-gid") == 0) {
		return add_id(a, v, true, sc->allow_gids, &sc->n_allow_gids);
	} else if (strcmp(a, "--max-clients") == 0) {
		if (parse_u32(v, 1, 64, &sc->max_clients))
			return usage_err("--max-clients: '%s' is not 1..64", v);
	} else if (strcmp(a, "--max-connections") == 0) {
		if (parse_u32(v, 1, 65536, &n))
			return usage_err("--max-connections: '%s' is not 1..65536", v);
		o->unix_cfg.max_conns = n;
	} else if (strcmp(a, "--max-buffers") == 0) {
		if (parse_u32(v, 1, 1u << 20, &sc->max_buffers_per_client))
			return usage_err("--max-buffers: '%s' is not 1..1048576", v);
	} else if (strcmp(a, "--max-bytes") == 0) {
		if (parse_size(v, &sc->max_bytes_per_client))
			return usage_err("--max-bytes: '%s' is not a size such as 64M", v);
	} else if (strcmp(a, "--max-jobs") == 0) {
		if (parse_u32(v, 1, 63, &sc->max_jobs_per_client))
			return usage_err("--max-jobs: '%s' is not 1..63", v);
	} else if (strcmp(a, "--autosuspend-ms") == 0) {
		if (parse_u32(v, 0, 3600000, &sc->autosuspend_ms))
			return usage_err("--autosuspend-ms: '%s' is not 0..3600000", v);
	}
	return 0;
}

static int flag_opt(const char *a, struct npud_opts *o)
{
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		fputs(usage, stdout);
		return 1;
	} else if (strcmp(a, "--version") == 0) {
		printf("npud %s\n", NPU_VERSION);
		return 1;
	} else if (strcmp(a, "--foreground") == 0) {
		o->foreground = true;
	} else if (strcmp(a, "--check") == 0) {
		o->check = true;
	} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
		o->verbosity++;
	} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
		o->verbosity--;
	} else {
		return -1;
	}
	return 0;
}

static bool takes_value(const char *a)
{
	static const char *const names[] = {
		"--device",	    "--gen",
		"--firmware",	    "--sched",
		"--socket",	    "--socket-group",
		"--socket-mode",    "--allow-uid",
		"--allow-gid",	    "--max-clients",
		"--max-buffers",    "--max-bytes",
		"--max-jobs",	    "--max-connections",
		"--autosuspend-ms",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

int npud_parse_args(int argc, char **argv, struct npud_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->device = "auto";
	o->unix_cfg.stop_fd = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int ret = flag_opt(a, o);

		if (ret > 0)
			return ret;
		if (ret == 0)
			continue;
		if (!takes_value(a))
			return usage_err("unknown option '%s'", a);
		if (i + 1 >= argc)
			return usage_err("option '%s' needs a value", a);
		ret = value_opt(a, argv[++i], o);
		if (ret)
			return ret;
	}
	return 0;
}
