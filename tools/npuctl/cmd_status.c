/* SPDX-License-Identifier: MIT */
/*
 * npuctl status: the driver's counters and the device's state (stats.h).
 *
 * There is no daemon yet: npuctl opens and boots the device in its own
 * process, so the counters are this process's, and start at zero after the
 * boot (no jobs have run). Through npud (later) the same report covers every
 * client of the daemon. --watch samples again every MS milliseconds,
 * servicing the device's interrupts in between, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "devopen.h"
#include "driver/irq.h"
#include "driver/stats.h"
#include "util/json.h"

#define WATCH_MIN_MS   100u
#define WATCH_MAX_MS   86400000u /* a day */
#define WATCH_SLICE_US 50000u	 /* how soon a signal is noticed */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* "1.5 MiB", "12 KiB", "512 B". */
static const char *human_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	unsigned u = 0;

	while (v >= 1024.0 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

/* "850 us", "12.3 ms", "4.56 s", "1h 02m 03s". */
static const char *human_us(uint64_t us, char *buf, size_t len)
{
	if (us < 1000u)
		snprintf(buf, len, "%llu us", (unsigned long long)us);
	else if (us < 1000000u)
		snprintf(buf, len, "%.1f ms", (double)us / 1e3);
	else if (us < 3600000000ull)
		snprintf(buf, len, "%.2f s", (double)us / 1e6);
	else
		snprintf(buf, len, "%lluh %02llum %02llus",
			 (unsigned long long)(us / 3600000000ull),
			 (unsigned long long)(us / 60000000u % 60u),
			 (unsigned long long)(us / 1000000u % 60u));
	return buf;
}

static void print_text(const struct npu_device_stats *s)
{
	char a[32], b[32];

	printf("%-18s %s (%s, %s)\n", "device", s->bdf, s->pci_id, s->generation);
	printf("%-18s %s\n", "firmware", s->firmware_version[0] ? s->firmware_version : "-");
	printf("%-18s %s, boot %u", "state", s->state, s->boot_count);
	if (s->uptime_known)
		printf(", up %s", human_us(s->uptime_us, a, sizeof(a)));
	printf("\n%-18s %s\n", "power", s->power_state[0] ? s->power_state : "unknown");
	if (s->frequency_known)
		printf("%-18s %u MHz (PLL ratio %u)\n", "frequency", s->frequency_mhz,
		       s->pll_ratio);
	else
		printf("%-18s unknown\n", "frequency");
	printf("%-18s %s busy", "utilization", human_us(s->busy_time_us, a, sizeof(a)));
	if (s->utilization_known)
		printf(", %.1f%% since READY", s->utilization * 100.0);
	printf("\n%-18s %s", "memory", human_bytes(s->memory_used_bytes, a, sizeof(a)));
	if (s->memory_total_known)
		printf(" of %s", human_bytes(s->memory_total_bytes, b, sizeof(b)));
	printf(" DMA\n");
	printf("%-18s firmware %s, IPC+logs ", "",
	       human_bytes(s->memory_firmware_bytes, a, sizeof(a)));
	printf("%s, ", human_bytes(s->memory_ipc_bytes, a, sizeof(a)));
	printf("MMU %s, ", human_bytes(s->memory_mmu_bytes, a, sizeof(a)));
	printf("contexts %s\n", human_bytes(s->memory_contexts_bytes, a, sizeof(a)));
	printf("%-18s %llu completed, %llu failed, %llu queued\n", "jobs",
	       (unsigned long long)s->jobs_completed, (unsigned long long)s->jobs_failed,
	       (unsigned long long)s->jobs_queued);
	printf("%-18s %llu recoveries, %llu MMU faults, %llu timeouts (%llu IPC, %llu job wait)\n",
	       "errors", (unsigned long long)s->recoveries, (unsigned long long)s->mmu_faults,
	       (unsigned long long)s->timeouts, (unsigned long long)s->ipc_timeouts,
	       (unsigned long long)s->job_wait_timeouts);
	printf("%-18s %u\n", "clients", s->n_clients);
	if (!s->n_clients)
		return;
	printf("  %3s %4s %10s %10s %10s %9s %6s %7s\n", "ID", "SSID", "MEMORY", "TABLES", "BUSY",
	       "COMPLETED", "FAILED", "FAULTED");
	for (unsigned i = 0; i < s->n_clients; i++) {
		const struct npu_client_stats *c = &s->clients[i];
		char t[32];

		printf("  %3u %4u %10s %10s %10s %9llu %6llu %7s\n", c->id, c->ssid,
		       human_bytes(c->memory_bytes, a, sizeof(a)),
		       human_bytes(c->page_table_bytes, b, sizeof(b)),
		       human_us(c->busy_time_us, t, sizeof(t)),
		       (unsigned long long)c->jobs_completed, (unsigned long long)c->jobs_failed,
		       c->faulted ? "yes" : "no");
	}
}

static void report(struct npuctl *ctl, struct npu_device *d)
{
	struct npu_device_stats s;

	npu_device_stats(d, &s);
	if (ctl->json) {
		struct npu_json j;

		npu_json_init(&j, stdout);
		npu_device_stats_json(&j, NULL, &s);
		npu_json_finish(&j);
	} else {
		print_text(&s);
	}
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
			if (npu_irq_wait(d, left < WATCH_SLICE_US ? (uint32_t)left
								  : WATCH_SLICE_US) == -EIO)
				return;
		} else {
			d->plat->ops->delay_us(d->plat, left < WATCH_SLICE_US ? (uint32_t)left
									      : WATCH_SLICE_US);
		}
	}
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
	struct sigaction sa;
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
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK) {
		npuctl_dev_close(&nd);
		return code;
	}
	ret = npu_device_boot(&nd.dev);
	if (ret) {
		/* The report still says what the device measured: state failed. */
		report(ctl, &nd.dev);
		npuctl_dev_boot_failed(&nd);
		npuctl_dev_close(&nd);
		return NPUCTL_EXIT_ERROR;
	}
	if (watch_ms) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	for (bool first = true; !stop_requested; first = false) {
		if (!first && !ctl->json && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		else if (!first && !ctl->json)
			fputc('\n', stdout);
		report(ctl, &nd.dev);
		if (!watch_ms)
			break;
		watch_wait(&nd.dev, watch_ms);
	}
	return npuctl_dev_close(&nd) ? NPUCTL_EXIT_ERROR : NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_status = {
	.name = "status",
	.summary = "Boot the NPU and report utilization, clock, power, memory, clients, jobs",
	.usage = "[--device auto|sim|BDF] [--gen 37xx|40xx] [--json] [--watch MS]\n\n"
		 "  --watch MS   report again every MS milliseconds (at least 100) until\n"
		 "               interrupted; with --json one object per line\n\n"
		 "npuctl runs the driver in its own process: the counters are this process's\n"
		 "and start at zero after the boot. Through npud they cover all its clients.",
	.run = run,
};
