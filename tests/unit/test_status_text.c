/* SPDX-License-Identifier: MIT */
/*
 * The status report's text (util/status_text.h): a whole report to the
 * character, unknown values, text that is not a report, and a report
 * written by drv_device_stats_json read back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/stats.h"
#include "util/json.h"
#include "util/status_text.h"

#define OUT_MAX 8192

/* Renders json; returns the text (static) or NULL with the error in *ret. */
static const char *render(const char *json, int *ret, char *why, size_t why_len)
{
	static char out[OUT_MAX];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	*ret = npu_status_text(json, strlen(json), f, why, why_len);
	fclose(f);
	return *ret ? NULL : out;
}

static const char full[] =
    "{\"device\":\"0000:00:0b.0\",\"generation\":\"37xx\",\"pci_id\":\"8086:7d1d\","
    "\"firmware_version\":\"20250115*MTL_CLIENT_SILICON-release*1905\",\"state\":\"ready\","
    "\"scheduling\":\"hws\",\"boot_count\":2,\"uptime_us\":4560000,\"busy_time_us\":12300,"
    "\"utilization\":0.25,"
    "\"frequency_mhz\":1400,\"power_state\":\"D0\",\"memory_used_bytes\":70254592,"
    "\"memory_total_bytes\":268435456,\"memory_by_use_bytes\":{\"firmware\":67108864,"
    "\"ipc_and_logs\":1048576,\"mmu\":1572864,\"contexts\":524288},\"clients\":["
    "{\"id\":1,\"ssid\":2,\"memory_bytes\":1536,\"page_table_bytes\":12288,"
    "\"busy_time_us\":850,\"jobs_completed\":7,\"jobs_failed\":1,\"jobs_queued\":0,"
    "\"faulted\":false,\"priority\":\"realtime\",\"name\":\"npuctl\",\"pid\":4242,\"uid\":1000},"
    "{\"id\":12,\"ssid\":13,\"memory_bytes\":0,\"page_table_bytes\":0,\"busy_time_us\":"
    "3723000000,\"jobs_completed\":0,\"jobs_failed\":0,\"jobs_queued\":0,\"faulted\":true,"
    "\"name\":\"bad\\u0007name\",\"pid\":null,\"uid\":0}],"
    "\"jobs_completed\":7,\"jobs_failed\":1,\"jobs_queued\":0,\"recoveries\":1,"
    "\"mmu_faults\":3,\"timeouts\":5,\"ipc_timeouts\":2,\"job_wait_timeouts\":3}\n";

static const char full_text[] =
    "device             0000:00:0b.0 (8086:7d1d, 37xx)\n"
    "firmware           20250115*MTL_CLIENT_SILICON-release*1905\n"
    "state              ready, boot 2, up 4.56 s\n"
    "scheduling         hws\n"
    "power              D0\n"
    "frequency          1400 MHz\n"
    "utilization        12.3 ms busy, 25.0% since READY\n"
    "memory             67.0 MiB of 256.0 MiB DMA\n"
    "                   firmware 64.0 MiB, IPC+logs 1.0 MiB, MMU 1.5 MiB, contexts 512.0 KiB\n"
    "jobs               7 completed, 1 failed, 0 queued\n"
    "errors             1 recoveries, 3 MMU faults, 5 timeouts (2 IPC, 3 job wait)\n"
    "clients            2\n"
    "   ID SSID     MEMORY     TABLES       BUSY COMPLETED FAILED FAULTED PRIORITY     PID    UID "
    "NAME\n"
    "    1    2    1.5 KiB   12.0 KiB     850 us         7      1      no realtime    4242   1000 "
    "npuctl\n"
    "   12   13        0 B        0 B 1h 02m 03s         0      0     yes        -       -      0 "
    "bad?name\n";

static void t_full(void **state)
{
	char why[128];
	int ret;
	const char *text = render(full, &ret, why, sizeof(why));

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(text, full_text);
}

/* Nulls and missing keys: unknown, "-", left out; no clients, no table. */
static void t_unknown(void **state)
{
	static const char json[] =
	    "{\"device\":\"sim\",\"generation\":\"40xx\",\"pci_id\":\"8086:643e\","
	    "\"firmware_version\":null,\"state\":\"failed\",\"boot_count\":1,\"uptime_us\":null,"
	    "\"busy_time_us\":0,\"utilization\":null,\"frequency_mhz\":null,\"power_state\":null,"
	    "\"memory_used_bytes\":512,\"memory_total_bytes\":null,\"clients\":[]}";
	static const char want[] =
	    "device             sim (8086:643e, 40xx)\n"
	    "firmware           -\n"
	    "state              failed, boot 1\n"
	    "scheduling         -\n"
	    "power              unknown\n"
	    "frequency          unknown\n"
	    "utilization        0 us busy\n"
	    "memory             512 B DMA\n"
	    "                   firmware 0 B, IPC+logs 0 B, MMU 0 B, contexts 0 B\n"
	    "jobs               0 completed, 0 failed, 0 queued\n"
	    "errors             0 recoveries, 0 MMU faults, 0 timeouts (0 IPC, 0 job wait)\n"
	    "clients            0\n";
	char why[128];
	int ret;
	const char *text = render(json, &ret, why, sizeof(why));

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(text, want);
}

static void t_not_a_report(void **state)
{
	char why[128] = "";
	int ret;

	(void)state;
	assert_null(render("{\"device\":", &ret, why, sizeof(why)));
	assert_int_equal(ret, -EINVAL);
	assert_true(why[0] != '\0');
	why[0] = '\0';
	assert_null(render("[1, 2]", &ret, why, sizeof(why)));
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(why, "the status report is not a JSON object");
	assert_int_equal(npu_status_text_jv(NULL, stdout), -EINVAL);
}

/* What drv_device_stats_json writes reads back into the same screen. */
static void t_from_stats(void **state)
{
	static struct npu_device_stats s;
	static char json[OUT_MAX];
	struct npu_json j;
	FILE *f = fmemopen(json, sizeof(json), "w");
	char why[128];
	const char *text;
	int ret;

	(void)state;
	assert_non_null(f);
	memset(&s, 0, sizeof(s));
	snprintf(s.bdf, sizeof(s.bdf), "0000:00:0b.0");
	snprintf(s.generation, sizeof(s.generation), "37xx");
	snprintf(s.pci_id, sizeof(s.pci_id), "8086:7d1d");
	snprintf(s.state, sizeof(s.state), "ready");
	snprintf(s.scheduling, sizeof(s.scheduling), "os");
	s.boot_count = 1;
	s.frequency_known = true;
	s.frequency_mhz = 700;
	s.pll_ratio = 21; /* not in the report: the text leaves it out */
	s.n_clients = 2;
	s.clients[0] = (struct npu_client_stats){ .id = 3, .ssid = 4, .pid = 77, .uid = 1000 };
	snprintf(s.clients[0].name, sizeof(s.clients[0].name), "redox-test");
	snprintf(s.clients[0].priority, sizeof(s.clients[0].priority), "focus");
	s.clients[1] = (struct npu_client_stats){ .id = 5, .ssid = 6, .pid = -1, .uid = -1 };
	npu_json_init(&j, f);
	drv_device_stats_json(&j, NULL, &s);
	assert_int_equal(npu_json_finish(&j), 0);
	fclose(f);
	text = render(json, &ret, why, sizeof(why));
	assert_int_equal(ret, 0);
	assert_non_null(strstr(text, "device             0000:00:0b.0 (8086:7d1d, 37xx)\n"));
	assert_non_null(strstr(text, "frequency          700 MHz\n"));
	assert_non_null(strstr(text,
			       "\n    3    4        0 B        0 B       0 us         0      0"
			       "      no    focus      77   1000 redox-test\n"));
	assert_non_null(strstr(text, "scheduling         os\n"));
	assert_non_null(strstr(text,
			       "\n    5    6        0 B        0 B       0 us         0      0"
			       "      no        -       -      - -\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_full),
		cmocka_unit_test(t_unknown),
		cmocka_unit_test(t_not_a_report),
		cmocka_unit_test(t_from_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
