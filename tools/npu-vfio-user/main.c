/* SPDX-License-Identifier: MIT */
/*
 * npu-vfio-user: the simulated NPU served as a PCI device over vfio-user
 * (QEMU's docs/interop/vfio-user.rst), for a VM whose own driver (Linux's
 * intel_vpu, or npud on Redox) drives it. docs/virtual-npu.md, the man page
 * docs/man/npu-vfio-user.1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "driver/fw_locate.h"
#include "hw/gen.h"
#include "hw/pci_ids.h"
#include "sim/sim.h"
#include "sim/sim_ctl.h"
#include "util/file.h"
#include "util/log.h"
#include "vfio/vu_conn.h"
#include "vfio/vu_dev.h"

static const char usage[] =
    "Usage: npu-vfio-user --socket PATH [options]\n"
    "\n"
    "Serves the simulated Intel NPU as a PCI device over vfio-user on a Unix\n"
    "socket, for QEMU's vfio-user-pci device: a VM's own driver (Linux's\n"
    "intel_vpu) drives it as it drives the silicon. One client at a time; when\n"
    "it goes away the device is reset and the next one is served. Stops on\n"
    "SIGINT or SIGTERM.\n"
    "\n"
    "  --socket PATH          the socket to listen on (a stale socket is replaced)\n"
    "  --gen 37xx|40xx        generation (default 37xx)\n"
    "  --pci-id 7d1d|ad1d|643e  PCI device ID (default 7d1d for 37xx, 643e for 40xx)\n"
    "  --firmware FILE        the firmware image the guest loads, which the model\n"
    "                         checks it against (default: $NPU_FIRMWARE_PATH, then\n"
    "                         /lib/firmware/intel/vpu/vpu_<gen>_v1.bin)\n"
    "  --firmware-log         print the model firmware's log records\n"
    "  --record DIR           record what the guest's driver gives the device (boot\n"
    "                         parameters, JSM messages, register accesses and their\n"
    "                         counts) into DIR, written out at exit\n"
    "  --once                 exit after the first client goes away\n"
    "  -v, --verbose          more log output (repeatable)\n"
    "  -h, --help             this help\n"
    "\n"
    "Signals: SIGUSR1 makes the model hang the jobs it takes from then on (its\n"
    "hang-job fault), SIGUSR2 clears it.\n"
    "Environment: NPU_LOG=level[,category...], NPU_FIRMWARE_PATH=folder.\n"
    "Exit status: 0 stopped by a signal or --once, 1 failure, 2 usage error.\n";

struct opts {
	const char *socket;
	const char *gen;
	const char *pci_id;
	const char *firmware;
	const char *record;
	bool fw_log;
	bool once;
	int verbose;
};

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	/* A full pipe already holds a wake-up. */
	if (write(sig_pipe[1], &c, 1) < 0) {
	}
	errno = saved;
}

static int usage_err(const char *msg, const char *arg)
{
	fprintf(stderr, "npu-vfio-user: %s%s%s\nTry 'npu-vfio-user --help'.\n", msg,
		arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_SOCKET = 256, O_GEN, O_PCI_ID, O_FIRMWARE, O_FWLOG, O_RECORD, O_ONCE };
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, O_SOCKET },
		{ "gen", required_argument, NULL, O_GEN },
		{ "pci-id", required_argument, NULL, O_PCI_ID },
		{ "firmware", required_argument, NULL, O_FIRMWARE },
		{ "firmware-log", no_argument, NULL, O_FWLOG },
		{ "record", required_argument, NULL, O_RECORD },
		{ "once", no_argument, NULL, O_ONCE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
		switch (c) {
		case O_SOCKET:
			o->socket = optarg;
			break;
		case O_GEN:
			o->gen = optarg;
			break;
		case O_PCI_ID:
			o->pci_id = optarg;
			break;
		case O_FIRMWARE:
			o->firmware = optarg;
			break;
		case O_FWLOG:
			o->fw_log = true;
			break;
		case O_RECORD:
			o->record = optarg;
			break;
		case O_ONCE:
			o->once = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			return usage_err("unknown option or missing argument", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_err("unexpected argument", argv[optind]);
	if (!o->socket)
		return usage_err("--socket PATH is needed", NULL);
	return 0;
}

/* The device ID for --pci-id, checked against the generation; 0 on a mismatch. */
static uint16_t pci_id(const char *s, enum npu_gen gen)
{
	const struct npu_pci_model *m;
	char *end;
	unsigned long v;

	if (!s)
		return gen == NPU_GEN_37XX ? NPU_PCI_DEVICE_MTL : NPU_PCI_DEVICE_LNL;
	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno || *end || !*s || v > UINT16_MAX)
		return 0;
	m = npu_pci_model_lookup((uint16_t)v);
	return m && m->gen == gen ? m->device_id : 0;
}

struct run {
	struct npu_sim *sim;
	bool stop;
};

/* Signals that came: 1 when serving must stop. */
static int on_ctl(void *arg)
{
	struct run *r = arg;
	unsigned char sig[16];
	ssize_t n = read(sig_pipe[0], sig, sizeof(sig));

	for (ssize_t i = 0; i < n; i++) {
		if (sig[i] == SIGUSR1) {
			npu_sim_set_fault(r->sim, NPU_SIM_FAULT_HANG_JOB);
			npu_info(SIM, "hang-job fault on: jobs taken from now on never end");
		} else if (sig[i] == SIGUSR2) {
			npu_sim_set_fault(r->sim, NPU_SIM_FAULT_NONE);
			npu_info(SIM, "fault injection off");
		} else {
			r->stop = true;
		}
	}
	return r->stop;
}

static int setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int sigs[] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2 };

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int serve(int lfd, struct vu_dev *dev, struct run *r, bool once)
{
	struct vu_conn_hooks hooks = { .ctl_fd = sig_pipe[0], .on_ctl = on_ctl, .arg = r };

	while (!r->stop) {
		struct pollfd pfd[2] = { { .fd = lfd, .events = POLLIN },
					 { .fd = sig_pipe[0], .events = POLLIN } };
		int cfd;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			npu_err(PCI, "poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[1].revents & POLLIN) {
			on_ctl(r);
			continue;
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				npu_warn(PCI, "accept: %s", strerror(errno));
			continue;
		}
		npu_info(PCI, "vfio-user client connected");
		vu_conn_serve(dev, cfd, &hooks);
		if (once)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct npu_log_filter filter;
	const char *spec = getenv("NPU_LOG");
	struct npu_sim_config sc = { 0 };
	struct vu_dev_config dc = { 0 };
	struct vu_dev *dev = NULL;
	struct run r = { 0 };
	struct opts o;
	char fw_path[512];
	char bad[32];
	uint8_t *rom = NULL;
	size_t rom_size = 0;
	int ret, lfd = -1, status = 1;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret == 1 ? 0 : 2;
	npu_log_filter_default(&filter);
	filter.level = filter.base_level = NPU_LOG_INFO;
	if (spec && *spec && npu_log_parse_spec(spec, &filter, bad, sizeof(bad)) != 0)
		return usage_err("NPU_LOG: unknown level or category", bad);
	npu_log_set_filter(&filter);
	npu_log_set_sink(npu_log_stderr_sink, NULL);
	npu_log_adjust(o.verbose);

	sc.gen = o.gen ? npu_gen_parse(o.gen) : NPU_GEN_37XX;
	if (sc.gen != NPU_GEN_37XX && sc.gen != NPU_GEN_40XX)
		return usage_err("--gen: not 37xx or 40xx", o.gen);
	dc.gen = sc.gen;
	dc.device_id = pci_id(o.pci_id, sc.gen);
	if (!dc.device_id)
		return usage_err("--pci-id: not a device ID of this generation (7d1d or ad1d for "
				 "37xx, 643e for 40xx)",
				 o.pci_id);

	ret = drv_fw_locate(sc.gen, o.firmware, fw_path, sizeof(fw_path));
	if (ret == 0)
		ret = npu_read_file(fw_path, NPU_FW_FILE_MAX, &rom, &rom_size);
	if (ret) {
		if (o.firmware) {
			fprintf(stderr, "npu-vfio-user: --firmware %s: %s\n", o.firmware,
				strerror(-ret));
			return 1;
		}
		npu_warn(FW,
			 "no firmware image for %s (%s): the model expects its built-in "
			 "synthetic image",
			 npu_gen_name(sc.gen), fw_path);
		rom = NULL;
	} else {
		npu_info(FW, "the model checks the guest's firmware against %s", fw_path);
	}
	sc.fw_file = rom;
	sc.fw_file_size = rom_size;
	sc.mem_size = VU_PAGE_SIZE; /* the arena is not used: guest memory comes by DMA_MAP */
	sc.record_dir = o.record;

	if (setup_signals() != 0) {
		fprintf(stderr, "npu-vfio-user: signals: %s\n", strerror(errno));
		goto out;
	}
	ret = npu_sim_create(&sc, &r.sim);
	if (ret) {
		fprintf(stderr, "npu-vfio-user: the simulated NPU%s%s: %s\n",
			o.record ? ", recording into " : "", o.record ? o.record : "",
			strerror(-ret));
		goto out;
	}
	if (o.fw_log)
		npu_sim_set_fwlog_echo(r.sim, true);
	dev = calloc(1, sizeof(*dev));
	if (!dev || vu_dev_init(dev, r.sim, &dc) != 0) {
		fprintf(stderr, "npu-vfio-user: out of memory\n");
		goto out;
	}
	lfd = vu_listen(o.socket);
	if (lfd < 0) {
		fprintf(stderr, "npu-vfio-user: --socket %s: %s\n", o.socket, strerror(-lfd));
		goto out;
	}
	npu_info(PCI, "serving a %s NPU (8086:%04x) on %s", npu_gen_name(sc.gen), dc.device_id,
		 o.socket);
	status = serve(lfd, dev, &r, o.once);
	npu_info(PCI, "stopped after %llu messages (%llu refused), %llu interrupts, %llu resets",
		 (unsigned long long)dev->msgs, (unsigned long long)dev->errors,
		 (unsigned long long)dev->irqs_sent, (unsigned long long)dev->resets);
out:
	if (lfd >= 0) {
		close(lfd);
		unlink(o.socket);
	}
	if (dev) {
		vu_dev_fini(dev);
		free(dev);
	}
	npu_sim_destroy(r.sim);
	free(rom);
	return status;
}
