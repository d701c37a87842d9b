/* SPDX-License-Identifier: MIT */
/*
 * /scheme/npu/status and status.json.
 *
 * The status files hold the report made when they were opened: status.json
 * is what the STATUS request answers (npu_device_stats_json of the server's
 * device), status the same numbers in the words of `npuctl status`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/stats.h"
#include "redox/scheme_internal.h"
#include "util/json.h"

#define STATUS_MAX (NPU_PROTO_RSP_MAX - sizeof(struct npu_rsp_hdr))

/* "1.5 MiB", "512 B". */
static const char *bytes_h(uint64_t n, char *buf, size_t len)
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
static const char *us_h(uint64_t us, char *buf, size_t len)
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

static void status_text(FILE *f, const struct npu_device_stats *s)
{
	char a[32], b[32], t[32];

	fprintf(f, "%-18s %s (%s, %s)\n", "device", s->bdf, s->pci_id, s->generation);
	fprintf(f, "%-18s %s\n", "firmware", s->firmware_version[0] ? s->firmware_version : "-");
	fprintf(f, "%-18s %s, boot %u", "state", s->state, s->boot_count);
	if (s->uptime_known)
		fprintf(f, ", up %s", us_h(s->uptime_us, a, sizeof(a)));
	fprintf(f, "\n%-18s %s\n", "power", s->power_state[0] ? s->power_state : "unknown");
	if (s->frequency_known)
		fprintf(f, "%-18s %u MHz (PLL ratio %u)\n", "frequency", s->frequency_mhz,
			s->pll_ratio);
	else
		fprintf(f, "%-18s unknown\n", "frequency");
	fprintf(f, "%-18s %s busy", "utilization", us_h(s->busy_time_us, a, sizeof(a)));
	if (s->utilization_known)
		fprintf(f, ", %.1f%% since READY", s->utilization * 100.0);
	fprintf(f, "\n%-18s %s", "memory", bytes_h(s->memory_used_bytes, a, sizeof(a)));
	if (s->memory_total_known)
		fprintf(f, " of %s", bytes_h(s->memory_total_bytes, b, sizeof(b)));
	fprintf(f, " DMA\n%-18s firmware %s, IPC+logs ", "",
		bytes_h(s->memory_firmware_bytes, a, sizeof(a)));
	fprintf(f, "%s, ", bytes_h(s->memory_ipc_bytes, a, sizeof(a)));
	fprintf(f, "MMU %s, ", bytes_h(s->memory_mmu_bytes, a, sizeof(a)));
	fprintf(f, "contexts %s\n", bytes_h(s->memory_contexts_bytes, a, sizeof(a)));
	fprintf(f, "%-18s %llu completed, %llu failed, %llu queued\n", "jobs",
		(unsigned long long)s->jobs_completed, (unsigned long long)s->jobs_failed,
		(unsigned long long)s->jobs_queued);
	fprintf(f,
		"%-18s %llu recoveries, %llu MMU faults, %llu timeouts (%llu IPC, %llu job wait)\n",
		"errors", (unsigned long long)s->recoveries, (unsigned long long)s->mmu_faults,
		(unsigned long long)s->timeouts, (unsigned long long)s->ipc_timeouts,
		(unsigned long long)s->job_wait_timeouts);
	fprintf(f, "%-18s %u\n", "clients", s->n_clients);
	if (!s->n_clients)
		return;
	fprintf(f, "  %3s %4s %10s %10s %10s %9s %6s %7s\n", "ID", "SSID", "MEMORY", "TABLES",
		"BUSY", "COMPLETED", "FAILED", "FAULTED");
	for (unsigned i = 0; i < s->n_clients; i++) {
		const struct npu_client_stats *c = &s->clients[i];

		fprintf(f, "  %3u %4u %10s %10s %10s %9llu %6llu %7s\n", c->id, c->ssid,
			bytes_h(c->memory_bytes, a, sizeof(a)),
			bytes_h(c->page_table_bytes, b, sizeof(b)),
			us_h(c->busy_time_us, t, sizeof(t)), (unsigned long long)c->jobs_completed,
			(unsigned long long)c->jobs_failed, c->faulted ? "yes" : "no");
	}
}

int sch_status_make(struct sch_handle *h)
{
	struct npu_device_stats *st = malloc(sizeof(*st));
	char *text = malloc(STATUS_MAX);
	FILE *f = text ? fmemopen(text, STATUS_MAX, "w") : NULL;
	int ret = 0;
	long n;

	if (!st || !f) {
		if (f)
			fclose(f);
		free(st);
		free(text);
		return -ENOMEM;
	}
	npu_device_stats(npu_server_device(h->x->s), st);
	if (h->kind == SCH_STATUS_JSON) {
		struct npu_json j;

		npu_json_init(&j, f);
		npu_device_stats_json(&j, NULL, st);
		ret = npu_json_finish(&j) ? -EIO : 0;
	} else {
		status_text(f, st);
	}
	fflush(f);
	n = ftell(f);
	fclose(f);
	free(st);
	if (ret || n <= 0 || (size_t)n >= STATUS_MAX) {
		free(text);
		return ret ? ret : -ENOSPC;
	}
	h->text = text;
	h->text_len = (size_t)n;
	return 0;
}

int64_t sch_file_read(struct sch_handle *h, uint8_t *buf, size_t len, uint64_t off)
{
	size_t n;

	if (off >= h->text_len)
		return 0;
	n = h->text_len - (size_t)off;
	if (n > len)
		n = len;
	memcpy(buf, h->text + off, n);
	return (int64_t)n;
}
