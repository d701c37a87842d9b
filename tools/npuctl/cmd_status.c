/* SPDX-License-Identifier: MIT */
/*
 * npuctl status: the driver's counters and the device's state (stats.h).
 *
 * Without --socket npuctl opens and boots the device in its own process, so
 * the counters are this process's, and start at zero after the boot (no jobs
 * have run, no clients). With --socket the report is npud's (STATUS through
 * libnpu), covering every client of the daemon, this one included; its JSON
 * is printed as it came, and read back for the text screen. --watch samples
 * again every MS milliseconds (servicing the device's interrupts in between,
 * in-process) until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "devopen.h"
#include "driver/irq.h"
#include "driver/stats.h"
#include "libopen.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/json_read.h"
#include "util/status_text.h"

#define WATCH_MIN_MS   100u
#define WATCH_MAX_MS   86400000u /* a day */
#define WATCH_SLICE_US 50000u	 /* how soon a signal is noticed */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The report in JSON (--json), or as the one screen util/status_text.h makes of that JSON. */
static void report(struct npuctl *ctl, struct npu_device *d)
{
	static struct npu_device_stats s;
	struct npu_json j;
	char *text = NULL, why[128];
	size_t len = 0;
	FILE *mem;

	drv_device_stats(d, &s);
	if (ctl->json) {
		npu_json_init(&j, stdout);
		drv_device_stats_json(&j, NULL, &s);
		npu_json_finish(&j);
	} else if ((mem = open_memstream(&text, &len)) != NULL) {
		npu_json_init(&j, mem);
		drv_device_stats_json(&j, NULL, &s);
		npu_json_finish(&j);
		if (fclose(mem) != 0 || npu_status_text(text, len, stdout, why, sizeof(why)) != 0)
			npuctl_err("status: cannot show the report: %s", why);
	} else {
		npuctl_err("status: out of memory");
	}
	free(text);
	fflush(stdout);
}

/* Services the device's interrupts for ms milliseconds, or until a signal. */
static void watch_wait(struct npu_device *d, uint32_t ms)
{
	uint64_t end = npu_now_ns(d->plat) + (uint64_t)ms * 1000000u;

	while (!stop_requested) {
		uint64_t now = npu_now_ns(d->plat), left;

		if (now >= end)
			return;
		left = (end - now + 999u) / 1000u;
		if (d->state == NPU_DEV_READY) {
			if (drv_irq_wait(d, left < WATCH_SLICE_US ? (uint32_t)left
								  : WATCH_SLICE_US) == -EIO)
				return;
		} else {
			d->plat->ops->delay_us(d->plat, left < WATCH_SLICE_US ? (uint32_t)left
									      : WATCH_SLICE_US);
		}
	}
}

/* ---- through npud: its report as JSON, shown as it came or as the one screen ---- */

static int report_npud(struct npuctl *ctl, struct npu *n)
{
	static char text[65536];
	char why[128];
	int ret = npu_status_json(n, text, sizeof(text));

	if (ret) {
		npuctl_err("status: %s", npu_last_error(n));
		return ret;
	}
	if (ctl->json) {
		struct npu_jv *root;

		if (npu_jv_parse(text, strlen(text), &root, why, sizeof(why)) != 0 ||
		    root->type != NPU_JV_OBJECT) {
			npu_jv_free(root);
			npuctl_err("status: npud's report is not a JSON object: %s", why);
			return -EPROTO;
		}
		npu_jv_free(root);
		fputs(text, stdout);
		if (text[strlen(text) - 1] != '\n')
			fputc('\n', stdout);
	} else if (npu_status_text(text, strlen(text), stdout, why, sizeof(why)) != 0) {
		npuctl_err("status: npud's report is not a JSON object: %s", why);
		return -EPROTO;
	}
	fflush(stdout);
	return 0;
}

static void watch_sleep(uint32_t ms)
{
	uint64_t end = npu_clock_us() + (uint64_t)ms * 1000u;

	while (!stop_requested) {
		uint64_t now = npu_clock_us(), left;

		if (now >= end)
			return;
		left = end - now < WATCH_SLICE_US ? end - now : WATCH_SLICE_US;
		nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = (long)left * 1000L }, NULL);
	}
}

static void watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void watch_separator(const struct npuctl *ctl)
{
	if (!ctl->json && isatty(STDOUT_FILENO))
		fputs("\033[H\033[2J", stdout);
	else if (!ctl->json)
		fputc('\n', stdout);
}

static int run_npud(struct npuctl *ctl, uint32_t watch_ms)
{
	struct npu *n;
	int code = npuctl_lib_open(ctl, "status", &n);

	if (code != NPUCTL_EXIT_OK)
		return code;
	if (watch_ms)
		watch_signals();
	for (bool first = true; !stop_requested; first = false) {
		if (!first)
			watch_separator(ctl);
		if (report_npud(ctl, n)) {
			code = NPUCTL_EXIT_ERROR;
			break;
		}
		if (!watch_ms)
			break;
		watch_sleep(watch_ms);
	}
	npu_close(n);
	return code;
}

static int parse_watch(const char *arg, uint32_t *ms)
{
	char *end;
	unsigned long v;

	if (!arg || !*arg || *arg == '-' || *arg == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || v < WATCH_MIN_MS || v > WATCH_MAX_MS)
		return -EINVAL;
	*ms = (uint32_t)v;
	return 0;
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	const char *watch_arg = NULL;
	const struct npuctl_opt opts[] = { { "--watch", &watch_arg, NULL }, { NULL, NULL, NULL } };
	struct npuctl_dev nd;
	const char *pos[1];
	uint32_t watch_ms = 0;
	int n_pos, code, ret;

	if (npuctl_parse_opts(&npuctl_cmd_status, argc, argv, opts, pos, 0, &n_pos, &code))
		return code;
	if (watch_arg && parse_watch(watch_arg, &watch_ms))
		return npuctl_usage_err(&npuctl_cmd_status,
					"status: --watch '%s' is not a number of milliseconds "
					"from %u to %u",
					watch_arg, WATCH_MIN_MS, WATCH_MAX_MS);
	if (ctl->socket)
		return run_npud(ctl, watch_ms);
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK) {
		npuctl_dev_close(&nd);
		return code;
	}
	ret = drv_device_boot(&nd.dev);
	if (ret) {
		/* The report still says what the device measured: state failed. */
		report(ctl, &nd.dev);
		npuctl_dev_boot_failed(&nd);
		npuctl_dev_close(&nd);
		return NPUCTL_EXIT_ERROR;
	}
	if (watch_ms)
		watch_signals();
	for (bool first = true; !stop_requested; first = false) {
		if (!first)
			watch_separator(ctl);
		report(ctl, &nd.dev);
		if (!watch_ms)
			break;
		watch_wait(&nd.dev, watch_ms);
	}
	return npuctl_dev_close(&nd) ? NPUCTL_EXIT_ERROR : NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_status = {
	.name = "status",
	.summary = "Report utilization, clock, power, memory, clients, jobs (booting the NPU "
		   "in-process)",
	.usage =
	    "[--device auto|sim|BDF] [--gen 37xx|40xx] [--socket PATH] [--json] [--watch MS]\n\n"
	    "  --watch MS   report again every MS milliseconds (at least 100) until\n"
	    "               interrupted; with --json one object per line\n\n"
	    "Without --socket npuctl runs the driver in its own process: the counters are\n"
	    "this process's and start at zero after the boot. With --socket they are npud's\n"
	    "and cover all its clients, this one included.",
	.run = run,
};
