/* SPDX-License-Identifier: MIT */
/*
 * npuctl bench: the driver against the machine's own limits (bench/).
 * Progress on stderr; the figures in words, or one JSON object with --json.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bench/bench.h"
#include "../../bench/bench_rig.h"
#include "cli.h"
#include "util/json.h"

#define INTEL_37XX "/lib/firmware/intel/vpu/vpu_37xx_v1.bin"
#define INTEL_40XX "/lib/firmware/intel/vpu/vpu_40xx_v1.bin"

/* A file beside this program (npud, libnpu.so), or NULL. */
static const char *beside_me(char *buf, size_t size, const char *name)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + 1 + strlen(name) >= size)
		return NULL;
	memcpy(slash + 1, name, strlen(name) + 1); /* fits: checked above */
	return access(buf, F_OK) == 0 ? buf : NULL;
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	const char *runs_s = NULL, *jobs_s = NULL, *copy_s = NULL, *npud = NULL;
	bool quick = false, no_daemon = false;
	char self[512], daemon_path[512], lib_path[512];
	const struct npuctl_opt opts[] = {
		{ "--runs", &runs_s, NULL },
		{ "--jobs", &jobs_s, NULL },
		{ "--copy-size", &copy_s, NULL },
		{ "--quick", NULL, &quick },
		{ "--npud", &npud, NULL },
		{ "--no-daemon", NULL, &no_daemon },
		{ NULL, NULL, NULL },
	};
	struct bench_cfg c = {
		.runs = 7, .jobs = 2000, .copy_bytes = 64u << 20, .progress = stderr
	};
	struct npu_json j;
	FILE *out;
	uint64_t v;
	int n_pos = 0, code = 0, ret;

	if (npuctl_parse_opts(&npuctl_cmd_bench, argc, argv, opts, NULL, 0, &n_pos, &code))
		return code;
	c.quick = quick;
	if (quick) {
		c.runs = 3;
		c.jobs = 200;
		c.copy_bytes = 8u << 20;
	}
	if (runs_s && (npuctl_parse_size(runs_s, &v) || v < 1 || v > 1000))
		return npuctl_usage_err(&npuctl_cmd_bench, "--runs takes 1 to 1000, not '%s'",
					runs_s);
	if (runs_s)
		c.runs = (unsigned)v;
	if (jobs_s && (npuctl_parse_size(jobs_s, &v) || v < 10 || v > 10000000))
		return npuctl_usage_err(&npuctl_cmd_bench, "--jobs takes 10 to 10000000, not '%s'",
					jobs_s);
	if (jobs_s)
		c.jobs = (unsigned)v;
	if (copy_s && (npuctl_parse_size(copy_s, &v) || v < 4096 || v > (64u << 20)))
		return npuctl_usage_err(&npuctl_cmd_bench, "--copy-size takes 4K to 64M, not '%s'",
					copy_s);
	if (copy_s)
		c.copy_bytes = (size_t)v;
	if (ctl->socket) {
		npuctl_err("bench measures the driver in this process and starts its own npud; "
			   "it does not use --socket");
		return NPUCTL_EXIT_USAGE;
	}
	/* auto is the default: the bench always measures the simulated NPU. */
	if (ctl->device && strcmp(ctl->device, "sim") != 0 && strcmp(ctl->device, "auto") != 0) {
		npuctl_err("bench runs on the simulated NPU only (--device sim), not '%s'",
			   ctl->device);
		return NPUCTL_EXIT_USAGE;
	}
	c.gen = ctl->gen && strcmp(ctl->gen, "40xx") == 0 ? NPU_GEN_40XX : NPU_GEN_37XX;
	c.fw_file =
	    ctl->firmware ? ctl->firmware : (c.gen == NPU_GEN_40XX ? INTEL_40XX : INTEL_37XX);
	if (!ctl->firmware && access(c.fw_file, R_OK) != 0)
		c.fw_file = NULL; /* the synthetic image */
	c.text = ctl->json ? NULL : stdout;
	c.npuctl = beside_me(self, sizeof(self), "npuctl");
	c.libnpu = beside_me(lib_path, sizeof(lib_path), "libnpu.so");
	c.npud = no_daemon ? NULL
		 : npud	   ? npud
			   : beside_me(daemon_path, sizeof(daemon_path), "npud");
	if (npud && access(npud, X_OK) != 0) {
		npuctl_err("--npud %s: %s", npud, strerror(errno));
		return NPUCTL_EXIT_USAGE;
	}

	/* Without --json the figures are said in words; the JSON is written nowhere. */
	out = ctl->json ? stdout : fopen("/dev/null", "w");
	if (!out) {
		npuctl_err("/dev/null: %s", strerror(errno));
		return NPUCTL_EXIT_ERROR;
	}
	npu_json_init(&j, out);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "generation", c.gen == NPU_GEN_40XX ? "40xx" : "37xx");
	npu_json_u64(&j, "runs", c.runs);
	bench_progress(&c, "firmware load");
	ret = bench_fw_load(&c, &j);
	if (!ret) {
		bench_progress(&c, "cold boots");
		ret = bench_boot(&c, &j);
	}
	if (!ret) {
		bench_progress(&c, "jobs");
		ret = bench_jobs(&c, &j);
	}
	if (!ret) {
		bench_progress(&c, "driver CPU per job");
		ret = bench_driver_cpu(&c, &j);
	}
	if (!ret && c.npud) {
		bench_progress(&c, "npud: %s", c.npud);
		ret = bench_daemon(&c, &j);
		if (!ret)
			ret = bench_priority(&c, &j);
	} else if (!ret) {
		bench_say(&c, "daemon figures not measured: %s",
			  no_daemon ? "--no-daemon" : "no npud beside npuctl (--npud PATH)");
		npu_json_null(&j, "daemon_rtt");
		npu_json_null(&j, "scaling");
		npu_json_null(&j, "memory");
		npu_json_null(&j, "priority");
	}
	npu_json_obj_end(&j);
	npu_json_finish(&j);
	if (out != stdout)
		fclose(out);
	if (ret) {
		npuctl_err("bench failed: %s", strerror(-ret));
		return NPUCTL_EXIT_ERROR;
	}
	return NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_bench = {
	.name = "bench",
	.summary = "measure the driver against this machine's own limits",
	.usage = "[--quick] [--runs N] [--jobs N] [--copy-size SIZE] [--npud PATH | --no-daemon] "
		 "[--json]",
	.run = run,
};
