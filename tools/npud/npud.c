/* SPDX-License-Identifier: MIT */
/*
 * npud: the daemon that owns one NPU and serves it to many clients.
 *
 * This version performs the start-up checks (which NPU, which firmware image,
 * whether the image is valid for it) and reports them. The request service
 * (Unix socket on Linux, the npu scheme on Redox) is not part of this version:
 * after the checks npud waits for SIGINT or SIGTERM and exits cleanly, or exits
 * at once with --check.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/fw_image.h"
#include "driver/fw_locate.h"
#include "driver/gen.h"
#include "platform/pci_scan.h"
#include "util/file.h"
#include "util/log.h"

struct npud_opts {
	const char *device;
	const char *gen;
	const char *firmware;
	const char *socket;
	bool foreground;
	bool check;
	int verbosity;
};

static const char usage[] =
    "Usage: npud [options]\n"
    "\n"
    "The Intel NPU daemon: owns one NPU (or the simulated NPU) and serves it to\n"
    "clients. This version runs the start-up checks only: it finds the device,\n"
    "locates and validates the firmware image, reports, and then waits for\n"
    "SIGINT/SIGTERM (or exits at once with --check). The request service comes\n"
    "in a later version.\n"
    "\n"
    "Options:\n"
    "  --device auto|sim|BDF  NPU to serve (default auto: a real NPU if found,\n"
    "                         otherwise the simulated NPU)\n"
    "  --gen 37xx|40xx        generation of the simulated NPU (default 37xx)\n"
    "  --firmware FILE        firmware image (default: $NPU_FIRMWARE_PATH, then\n"
    "                         /lib/firmware/intel/vpu/vpu_<gen>_v1.bin)\n"
    "  --socket PATH          socket to serve on (default /run/npud/npud.sock)\n"
    "  --foreground           stay in the foreground (the only mode so far)\n"
    "  --check                run the start-up checks and exit\n"
    "  -v, --verbose          more log output; -q, --quiet: errors only\n"
    "  -h, --help             this help\n"
    "  --version              print the version\n"
    "\n"
    "Environment: NPU_LOG=level[,category...], NPU_FIRMWARE_PATH=folder.\n"
    "Exit status: 0 success, 1 start-up failure, 2 usage error.\n";

static void npud_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void npud_err(const char *fmt, ...)
{
	va_list ap;

	fputs("npud: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Returns 0 to run, 1 to exit 0 (help, version), 2 on a usage error. */
static int parse_args(int argc, char **argv, struct npud_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;

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
		} else if (strcmp(a, "--device") == 0) {
			val = &o->device;
		} else if (strcmp(a, "--gen") == 0) {
			val = &o->gen;
		} else if (strcmp(a, "--firmware") == 0) {
			val = &o->firmware;
		} else if (strcmp(a, "--socket") == 0) {
			val = &o->socket;
		} else {
			npud_err("unknown option '%s'\nTry 'npud --help'.", a);
			return 2;
		}
		if (val) {
			if (i + 1 >= argc) {
				npud_err("option '%s' needs a value\nTry 'npud --help'.", a);
				return 2;
			}
			*val = argv[++i];
		}
	}
	return 0;
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

static int check_firmware(const struct npud_opts *o, enum npu_gen gen)
{
	char path[4096];
	struct npu_fw_image img;
	struct npu_fw_error fwerr;
	uint8_t *buf;
	size_t len;
	int ret = npu_fw_locate(gen, o->firmware, path, sizeof(path));

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
	ret = npu_fw_image_parse(buf, len, gen, &img, &fwerr);
	if (ret != 0)
		npud_err("%s: %s", path, fwerr.msg);
	else
		npu_info(FW, "firmware %s: %s", path, img.version);
	free(buf);
	return ret;
}

static int wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 || sigwait(&set, &sig) != 0) {
		npud_err("cannot wait for signals: %s", strerror(errno));
		return -1;
	}
	npu_info(SRV, "received %s, exiting", sig == SIGINT ? "SIGINT" : "SIGTERM");
	return 0;
}

int main(int argc, char **argv)
{
	struct npud_opts o = { .device = "auto", .socket = "/run/npud/npud.sock" };
	struct npu_log_filter filter;
	const char *spec = getenv("NPU_LOG");
	enum npu_gen gen;
	char what[256];
	char bad[32];
	int ret = parse_args(argc, argv, &o);

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
	if (select_device(&o, &gen, what, sizeof(what)) != 0)
		return 1;
	npu_info(SRV, "device: %s", what);
	if (check_firmware(&o, gen) != 0)
		return 1;
	if (o.check) {
		npu_info(SRV, "start-up checks passed");
		return 0;
	}
	npu_info(SRV,
		 "start-up checks passed; the request service (socket %s) is not part of "
		 "this version; waiting for SIGINT or SIGTERM",
		 o.socket);
	return wait_for_signal() == 0 ? 0 : 1;
}
