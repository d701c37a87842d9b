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
#include "util/json.h"
#include "util/json_read.h"

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
	if (s->frequency_known && s->pll_ratio)
		printf("%-18s %u MHz (PLL ratio %u)\n", "frequency", s->frequency_mhz,
		       s->pll_ratio);
	else if (s->frequency_known) /* npud's report does not carry the ratio */
		printf("%-18s %u MHz\n", "frequency", s->frequency_mhz);
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
	printf("  %3s %4s %10s %10s %10s %9s %6s %7s %7s %s\n", "ID", "SSID", "MEMORY", "TABLES",
	       "BUSY", "COMPLETED", "FAILED", "FAULTED", "PID", "NAME");
	for (unsigned i = 0; i < s->n_clients; i++) {
		const struct npu_client_stats *c = &s->clients[i];
		char t[32], pid[16];

		if (c->pid > 0)
			snprintf(pid, sizeof(pid), "%d", (int)c->pid);
		else
			snprintf(pid, sizeof(pid), "-");
		printf("  %3u %4u %10s %10s %10s %9llu %6llu %7s %7s %s\n", c->id, c->ssid,
		       human_bytes(c->memory_bytes, a, sizeof(a)),
		       human_bytes(c->page_table_bytes, b, sizeof(b)),
		       human_us(c->busy_time_us, t, sizeof(t)),
		       (unsigned long long)c->jobs_completed, (unsigned long long)c->jobs_failed,
		       c->faulted ? "yes" : "no", pid, c->name[0] ? c->name : "-");
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

/* ---- through npud: the report as JSON, read back into the same struct for the screen ---- */

static uint64_t u64_of(const struct npu_jv *o, const char *key, bool *known)
{
	uint64_t v = 0;
	bool k = npu_jv_get_u64(o, key, &v);

	if (known)
		*known = k;
	return v;
}

static void str_of(const struct npu_jv *o, const char *key, char *dst, size_t len)
{
	const char *v = npu_jv_get_str(o, key);

	snprintf(dst, len, "%s", v ? v : "");
}

static void stats_from_json(const struct npu_jv *d, struct npu_device_stats *s)
{
	const struct npu_jv *mem = npu_jv_get(d, "memory_by_use_bytes");
	const struct npu_jv *cl = npu_jv_get(d, "clients");
	const struct npu_jv *u = npu_jv_get(d, "utilization");

	memset(s, 0, sizeof(*s));
	str_of(d, "device", s->bdf, sizeof(s->bdf));
	str_of(d, "generation", s->generation, sizeof(s->generation));
	str_of(d, "pci_id", s->pci_id, sizeof(s->pci_id));
	str_of(d, "firmware_version", s->firmware_version, sizeof(s->firmware_version));
	str_of(d, "state", s->state, sizeof(s->state));
	str_of(d, "power_state", s->power_state, sizeof(s->power_state));
	s->boot_count = (uint32_t)u64_of(d, "boot_count", NULL);
	s->uptime_us = u64_of(d, "uptime_us", &s->uptime_known);
	s->busy_time_us = u64_of(d, "busy_time_us", NULL);
	s->utilization_known = u && u->type == NPU_JV_NUMBER;
	s->utilization = s->utilization_known ? u->num : 0.0;
	s->frequency_mhz = (uint32_t)u64_of(d, "frequency_mhz", &s->frequency_known);
	s->memory_used_bytes = u64_of(d, "memory_used_bytes", NULL);
	s->memory_total_bytes = u64_of(d, "memory_total_bytes", &s->memory_total_known);
	s->memory_firmware_bytes = u64_of(mem, "firmware", NULL);
	s->memory_ipc_bytes = u64_of(mem, "ipc_and_logs", NULL);
	s->memory_mmu_bytes = u64_of(mem, "mmu", NULL);
	s->memory_contexts_bytes = u64_of(mem, "contexts", NULL);
	for (const struct npu_jv *c = cl ? cl->kids : NULL;
	     c && s->n_clients < NPU_STATS_MAX_CLIENTS; c = c->next) {
		struct npu_client_stats *o = &s->clients[s->n_clients++];
		const struct npu_jv *f = npu_jv_get(c, "faulted");
		uint64_t pid, uid;

		o->id = (uint32_t)u64_of(c, "id", NULL);
		o->ssid = (uint32_t)u64_of(c, "ssid", NULL);
		o->memory_bytes = u64_of(c, "memory_bytes", NULL);
		o->page_table_bytes = u64_of(c, "page_table_bytes", NULL);
		o->busy_time_us = u64_of(c, "busy_time_us", NULL);
		o->jobs_completed = u64_of(c, "jobs_completed", NULL);
		o->jobs_failed = u64_of(c, "jobs_failed", NULL);
		o->jobs_queued = (uint32_t)u64_of(c, "jobs_queued", NULL);
		o->faulted = f && f->type == NPU_JV_BOOL && f->boolean;
		str_of(c, "name", o->name, sizeof(o->name));
		o->pid = npu_jv_get_u64(c, "pid", &pid) && pid <= INT32_MAX ? (int32_t)pid : -1;
		o->uid = npu_jv_get_u64(c, "uid", &uid) && uid <= INT64_MAX ? (int64_t)uid : -1;
	}
	s->jobs_completed = u64_of(d, "jobs_completed", NULL);
	s->jobs_failed = u64_of(d, "jobs_failed", NULL);
	s->jobs_queued = u64_of(d, "jobs_queued", NULL);
	s->recoveries = u64_of(d, "recoveries", NULL);
	s->mmu_faults = u64_of(d, "mmu_faults", NULL);
	s->timeouts = u64_of(d, "timeouts", NULL);
	s->ipc_timeouts = u64_of(d, "ipc_timeouts", NULL);
	s->job_wait_timeouts = u64_of(d, "job_wait_timeouts", NULL);
}

static int report_npud(struct npuctl *ctl, struct npu *n)
{
	static struct npu_device_stats s;
	static char text[65536];
	struct npu_jv *root;
	char why[128];
	int ret = npu_status_json(n, text, sizeof(text));

	if (ret) {
		npuctl_err("status: %s", npu_last_error(n));
		return ret;
	}
	if (npu_jv_parse(text, strlen(text), &root, why, sizeof(why)) != 0 ||
	    root->type != NPU_JV_OBJECT) {
		npu_jv_free(root);
		npuctl_err("status: npud's report is not a JSON object: %s", why);
		return -EPROTO;
	}
	if (ctl->json) {
		fputs(text, stdout);
		if (text[strlen(text) - 1] != '\n')
			fputc('\n', stdout);
	} else {
		stats_from_json(root, &s);
		print_text(&s);
	}
	npu_jv_free(root);
	fflush(stdout);
	return 0;
}

/* Sleeps ms milliseconds, or until a signal asks to stop. */
static void watch_sleep(uint32_t ms)
{
	uint64_t end = npuctl_now_us() + (uint64_t)ms * 1000u;

	while (!stop_requested) {
		uint64_t now = npuctl_now_us(), left;

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
	ret = npu_device_boot(&nd.dev);
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
