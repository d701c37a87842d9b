/* SPDX-License-Identifier: MIT */
/*
 * npud's main on Redox (docs/redox.md): pcid-spawner starts it with the NPU
 * in PCID_CLIENT_CHANNEL and waits for its byte on INIT_NOTIFY; it serves
 * the `npu` scheme until SIGTERM or SIGINT (src/redox/daemon.c).
 *
 * Only a Redox build (__redox__) has this main; the tests build it with
 * NPU_REDOX_MAIN on Linux, where it finds no Redox system calls and says
 * so. Anywhere else the file is empty, so the Linux npud (npud.c), whose
 * sources share this folder, is what it was.
 */
#include "redox/daemon.h"

#if defined(__redox__) || defined(NPU_REDOX_MAIN)

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/fw_locate.h"
#include "util/log.h"

static atomic_bool stop;

static const char usage[] =
    "Usage: npud [options]\n"
    "\n"
    "The Intel NPU driver on Redox: serves the NPU that pcid hands over\n"
    "(PCID_CLIENT_CHANNEL) as the scheme /scheme/npu, signals readiness on\n"
    "INIT_NOTIFY, and runs in the null namespace until SIGTERM or SIGINT.\n"
    "\n"
    "  --firmware FILE   firmware image (default: $NPU_FIRMWARE_PATH, then\n"
    "                    " NPU_FW_SYSTEM_DIR "/vpu_<gen>_v1.bin)\n"
    "  --group GID       a group whose members may open /scheme/npu besides root\n"
    "  -v, --verbose     more log output; -q, --quiet: errors only\n"
    "  -h, --help        this help\n"
    "  --version         print the version\n"
    "\n"
    "Environment: NPU_LOG=level[,category...], NPU_FIRMWARE_PATH=folder.\n"
    "Exit status: 0 stopped, 1 start-up failure, 2 usage error.\n";

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop, true);
}

static int usage_err(const char *what, const char *arg)
{
	fprintf(stderr, "npud: %s%s%s\nTry 'npud --help'.\n", what, arg ? ": " : "",
		arg ? arg : "");
	return 2;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct npu_redox_daemon_cfg *cfg, int *verbosity)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(a, "--version") == 0) {
			printf("npud %s (Redox)\n", NPU_VERSION);
			return 0;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			(*verbosity)++;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			(*verbosity)--;
		} else if (strcmp(a, "--firmware") == 0 || strcmp(a, "--group") == 0) {
			char *end;
			unsigned long v;

			if (i + 1 == argc)
				return usage_err("a value is missing after", a);
			if (a[2] == 'f') {
				cfg->firmware = argv[++i];
				continue;
			}
			errno = 0;
			v = strtoul(argv[++i], &end, 10);
			if (errno || !*argv[i] || *end || *argv[i] == '-' || v > UINT32_MAX)
				return usage_err("--group takes a numeric group id, not", argv[i]);
			cfg->have_group = true;
			cfg->group = (uint32_t)v;
		} else {
			return usage_err("unknown option", a);
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct npu_redox_daemon_cfg cfg = { .notify_fd = -1, .stop = &stop };
	struct npu_log_filter filter;
	struct sigaction sa;
	const char *spec = getenv("NPU_LOG");
	char bad[32];
	int verbosity = 0, ret;

	ret = parse(argc, argv, &cfg, &verbosity);
	if (ret >= 0)
		return ret;
	npu_log_filter_default(&filter);
	filter.level = filter.base_level = NPU_LOG_INFO; /* start-up is told at info */
	if (spec && *spec && npu_log_parse_spec(spec, &filter, bad, sizeof(bad)) != 0)
		return usage_err("NPU_LOG: unknown level or category", bad);
	npu_log_set_filter(&filter);
	npu_log_set_sink(npu_log_stderr_sink, NULL); /* stderr is the log on Redox */
	npu_log_adjust(verbosity);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: the loop's wait ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return npu_redox_daemon_run(&cfg) ? 1 : 0;
}

#endif
