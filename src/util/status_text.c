/* SPDX-License-Identifier: MIT */
/* The status report's text (status_text.h), from its JSON. */
#include "util/status_text.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/json_read.h"
#include "util/out.h"

#define COL "%-18s " /* the width of the names on the left */

/* "1.5 MiB", "12.0 KiB", "512 B". */
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

/* A member's u64, or 0 (and *known false) when absent, null or not one. */
static uint64_t num(const struct npu_jv *o, const char *key, bool *known)
{
	uint64_t v = 0;
	bool k = npu_jv_get_u64(o, key, &v);

	if (known)
		*known = k;
	return v;
}

/* A member's string made printable into buf, or dflt when absent or null. */
static const char *text(const struct npu_jv *o, const char *key, const char *dflt, char *buf,
			size_t len)
{
	const struct npu_jv *v = npu_jv_get(o, key);
	size_t n = 0;

	if (!v || v->type != NPU_JV_STRING || v->str_len == 0)
		return dflt;
	for (size_t i = 0; i < v->str_len && n + 1 < len; i++) {
		char c = v->str[i];

		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
		buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

static void device_lines(const struct npu_jv *r, struct npu_out *f)
{
	char a[64], b[64], c[64], t[32], fw[256];
	const struct npu_jv *u = npu_jv_get(r, "utilization");
	bool known;
	uint64_t v;

	npu_out_printf(f, COL "%s (", "device", text(r, "device", "-", a, sizeof(a)));
	npu_out_printf(f, "%s, %s)\n", text(r, "pci_id", "-", b, sizeof(b)),
		       text(r, "generation", "-", c, sizeof(c)));
	npu_out_printf(f, COL "%s\n", "firmware", text(r, "firmware_version", "-", fw, sizeof(fw)));
	npu_out_printf(f, COL "%s, boot %llu", "state", text(r, "state", "unknown", a, sizeof(a)),
		       (unsigned long long)num(r, "boot_count", NULL));
	v = num(r, "uptime_us", &known);
	if (known)
		npu_out_printf(f, ", up %s", us_h(v, t, sizeof(t)));
	npu_out_printf(f, "\n" COL "%s\n", "scheduling", text(r, "scheduling", "-", a, sizeof(a)));
	npu_out_printf(f, COL "%s\n", "power", text(r, "power_state", "unknown", a, sizeof(a)));
	v = num(r, "frequency_mhz", &known);
	if (known)
		npu_out_printf(f, COL "%llu MHz\n", "frequency", (unsigned long long)v);
	else
		npu_out_printf(f, COL "unknown\n", "frequency");
	npu_out_printf(f, COL "%s busy", "utilization",
		       us_h(num(r, "busy_time_us", NULL), t, sizeof(t)));
	if (u && u->type == NPU_JV_NUMBER)
		npu_out_printf(f, ", %.1f%% since READY", u->num * 100.0);
	npu_out_printf(f, "\n" COL "%s", "memory",
		       bytes_h(num(r, "memory_used_bytes", NULL), a, sizeof(a)));
	v = num(r, "memory_total_bytes", &known);
	if (known)
		npu_out_printf(f, " of %s", bytes_h(v, a, sizeof(a)));
	npu_out_printf(f, " DMA\n");
}

static void memory_jobs_errors(const struct npu_jv *r, struct npu_out *f)
{
	const struct npu_jv *m = npu_jv_get(r, "memory_by_use_bytes");
	char a[32];

	npu_out_printf(f, COL "firmware %s, ", "", bytes_h(num(m, "firmware", NULL), a, sizeof(a)));
	npu_out_printf(f, "IPC+logs %s, ", bytes_h(num(m, "ipc_and_logs", NULL), a, sizeof(a)));
	npu_out_printf(f, "MMU %s, ", bytes_h(num(m, "mmu", NULL), a, sizeof(a)));
	npu_out_printf(f, "contexts %s\n", bytes_h(num(m, "contexts", NULL), a, sizeof(a)));
	npu_out_printf(f, COL "%llu completed, %llu failed, %llu queued\n", "jobs",
		       (unsigned long long)num(r, "jobs_completed", NULL),
		       (unsigned long long)num(r, "jobs_failed", NULL),
		       (unsigned long long)num(r, "jobs_queued", NULL));
	npu_out_printf(
	    f, COL "%llu recoveries, %llu MMU faults, %llu timeouts (%llu IPC, %llu job wait)\n",
	    "errors", (unsigned long long)num(r, "recoveries", NULL),
	    (unsigned long long)num(r, "mmu_faults", NULL),
	    (unsigned long long)num(r, "timeouts", NULL),
	    (unsigned long long)num(r, "ipc_timeouts", NULL),
	    (unsigned long long)num(r, "job_wait_timeouts", NULL));
}

/* A number of the client's, or "-". */
static const char *id_or_dash(const struct npu_jv *c, const char *key, char *buf, size_t len)
{
	bool known;
	uint64_t v = num(c, key, &known);

	if (!known)
		return "-";
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

static void client_rows(const struct npu_jv *r, struct npu_out *f)
{
	const struct npu_jv *cl = npu_jv_get(r, "clients");
	unsigned n = 0;

	if (cl && cl->type == NPU_JV_ARRAY)
		for (const struct npu_jv *c = cl->kids; c; c = c->next)
			n++;
	npu_out_printf(f, COL "%u\n", "clients", n);
	if (!n)
		return;
	npu_out_printf(f, "  %3s %4s %10s %10s %10s %9s %6s %7s %8s %7s %6s %s\n", "ID", "SSID",
		       "MEMORY", "TABLES", "BUSY", "COMPLETED", "FAILED", "FAULTED", "PRIORITY",
		       "PID", "UID", "NAME");
	for (const struct npu_jv *c = cl->kids; c; c = c->next) {
		const struct npu_jv *flt = npu_jv_get(c, "faulted");
		char a[32], b[32], t[32], pid[24], uid[24], name[64], prio[16];

		npu_out_printf(f, "  %3llu %4llu %10s %10s %10s %9llu %6llu %7s %8s %7s %6s %s\n",
			       (unsigned long long)num(c, "id", NULL),
			       (unsigned long long)num(c, "ssid", NULL),
			       bytes_h(num(c, "memory_bytes", NULL), a, sizeof(a)),
			       bytes_h(num(c, "page_table_bytes", NULL), b, sizeof(b)),
			       us_h(num(c, "busy_time_us", NULL), t, sizeof(t)),
			       (unsigned long long)num(c, "jobs_completed", NULL),
			       (unsigned long long)num(c, "jobs_failed", NULL),
			       flt && flt->type == NPU_JV_BOOL && flt->boolean ? "yes" : "no",
			       text(c, "priority", "-", prio, sizeof(prio)),
			       id_or_dash(c, "pid", pid, sizeof(pid)),
			       id_or_dash(c, "uid", uid, sizeof(uid)),
			       text(c, "name", "-", name, sizeof(name)));
	}
}

static int render(const struct npu_jv *report, struct npu_out *out)
{
	if (!report || report->type != NPU_JV_OBJECT)
		return -EINVAL;
	device_lines(report, out);
	memory_jobs_errors(report, out);
	client_rows(report, out);
	return npu_out_ok(out) ? 0 : -ENOSPC;
}

int npu_status_text_jv(const struct npu_jv *report, FILE *out)
{
	struct npu_out o = npu_out_file(out);

	return render(report, &o);
}

static int text_to(const char *json, size_t len, struct npu_out *out, char *err, size_t err_len)
{
	struct npu_jv *root = NULL;
	int ret = npu_jv_parse(json, len, &root, err, err_len);

	if (ret)
		return ret;
	ret = render(root, out);
	if (ret && err && err_len)
		snprintf(err, err_len,
			 ret == -ENOSPC ? "the status text does not fit"
					: "the status report is not a JSON object");
	npu_jv_free(root);
	return ret;
}

int npu_status_text(const char *json, size_t len, FILE *out, char *err, size_t err_len)
{
	struct npu_out o = npu_out_file(out);

	return text_to(json, len, &o, err, err_len);
}

int npu_status_text_buf(const char *json, size_t len, char *buf, size_t cap, size_t *n, char *err,
			size_t err_len)
{
	struct npu_out o = npu_out_buf(buf, cap);
	int ret = text_to(json, len, &o, err, err_len);

	*n = o.len;
	return ret;
}
