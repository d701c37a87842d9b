/* SPDX-License-Identifier: MIT */
/*
 * npuctl: the command-line tool. This file parses the global options (which
 * may stand before or after the subcommand), sets up logging, and dispatches.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static const struct npuctl_cmd *const commands[] = {
	&npuctl_cmd_probe, &npuctl_cmd_fw_info,	 &npuctl_cmd_boot,   &npuctl_cmd_diag,
	&npuctl_cmd_exec,  &npuctl_cmd_selftest, &npuctl_cmd_status, &npuctl_cmd_fw_log,
	&npuctl_cmd_bench, &npuctl_cmd_reset,	 &npuctl_cmd_infer,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char global_usage[] =
    "Global options (before or after the command):\n"
    "  --device auto|sim|BDF  NPU to use: auto (default) picks a real NPU if one is\n"
    "                         found, otherwise the simulated NPU\n"
    "  --gen 37xx|40xx        generation of the simulated NPU (default 37xx)\n"
    "  --firmware FILE        firmware image (default: $NPU_FIRMWARE_PATH, then\n"
    "                         /lib/firmware/intel/vpu/vpu_<gen>_v1.bin)\n"
    "  --sched os|hws|auto    scheduling of the NPU this command boots: the\n"
    "                         driver's order (os) or the firmware's hardware\n"
    "                         scheduler with priorities (hws); auto (default):\n"
    "                         hws with firmware of JSM API 3.24 or newer, as Linux\n"
    "  --priority PRIO        this client's priority: idle, normal (default),\n"
    "                         focus or realtime (focus and realtime: root, npud's\n"
    "                         user or group)\n"
    "  --socket PATH          run the command through a running npud\n"
    "  --trace-mmio FILE      write every register access to FILE\n"
    "  --json                 machine-readable output\n"
    "  -v, --verbose          more log output (repeat for more)\n"
    "  -q, --quiet            errors only\n"
    "  -h, --help             this help, or the command's with a command\n"
    "  --version              print the version\n"
    "\n"
    "Environment: NPU_LOG=level[,category...] (levels error, warn, info, debug, trace;\n"
    "categories gen, reg, irq, ipc, jsm, job, mmu, fw, pm, srv, pci, sim)\n";

void npuctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("npuctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int npuctl_usage_err(const struct npuctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("npuctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'npuctl %s --help'.\n", cmd->name);
	else
		fputs("\nTry 'npuctl --help'.\n", stderr);
	return NPUCTL_EXIT_USAGE;
}

void npuctl_cmd_help(const struct npuctl_cmd *cmd, FILE *out)
{
	fprintf(out, "Usage: npuctl %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
	fputc('\n', out);
	fputs(global_usage, out);
}

static void print_help(FILE *out)
{
	fputs("Usage: npuctl [global options] <command> [options]\n\n"
	      "Control and inspect Intel NPUs (Meteor Lake, Arrow Lake, Lunar Lake) and the\n"
	      "simulated NPU.\n\nCommands:\n",
	      out);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n", out);
	fputs(global_usage, out);
	fputs("\nExit status: 0 success, 1 runtime error, 2 usage error.\n", out);
}

int npuctl_parse_args(const struct npuctl_cmd *cmd, int argc, char **argv, const char *const *flags,
		      bool *flag_set, const char **pos, int max_pos, int *n_pos, int *exit_code)
{
	bool only_pos = false;

	*n_pos = 0;
	for (int f = 0; flags && flags[f]; f++)
		flag_set[f] = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] != '\0') {
			bool known = false;

			if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
				npuctl_cmd_help(cmd, stdout);
				*exit_code = NPUCTL_EXIT_OK;
				return 1;
			}
			for (int f = 0; flags && flags[f]; f++) {
				if (strcmp(a, flags[f]) == 0) {
					flag_set[f] = true;
					known = true;
				}
			}
			if (!known) {
				*exit_code =
				    npuctl_usage_err(cmd, "%s: unknown option '%s'", cmd->name, a);
				return 1;
			}
			continue;
		}
		if (*n_pos >= max_pos) {
			*exit_code =
			    npuctl_usage_err(cmd, "%s: unexpected argument '%s'", cmd->name, a);
			return 1;
		}
		pos[(*n_pos)++] = a;
	}
	return 0;
}

struct global_opt {
	const char *name;
	const char **value; /* NULL for flags */
};

/*
 * Removes the global options from argv (wherever they stand) and returns the
 * new argc. Returns -1 after printing a usage error.
 */
static int take_global_opts(struct npuctl *ctl, int argc, char **argv, bool *help, bool *version)
{
	const struct global_opt opts[] = {
		{ "--device", &ctl->device },	      { "--gen", &ctl->gen },
		{ "--firmware", &ctl->firmware },     { "--socket", &ctl->socket },
		{ "--trace-mmio", &ctl->trace_mmio }, { "--sched", &ctl->sched },
		{ "--priority", &ctl->priority },
	};
	int out = 1;
	bool rest = false;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		bool taken = false;

		if (rest || strcmp(a, "--") == 0) {
			rest = true;
			argv[out++] = a;
			continue;
		}
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t n = strlen(opts[k].name);

			if (strncmp(a, opts[k].name, n) != 0 || (a[n] != '\0' && a[n] != '='))
				continue;
			if (a[n] == '=') {
				*opts[k].value = a + n + 1;
			} else if (i + 1 < argc) {
				*opts[k].value = argv[++i];
			} else {
				npuctl_usage_err(NULL, "option '%s' needs a value", opts[k].name);
				return -1;
			}
			taken = true;
			break;
		}
		if (!taken) {
			if (strcmp(a, "--json") == 0) {
				ctl->json = true;
			} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
				ctl->verbosity++;
			} else if (strcmp(a, "-vv") == 0) {
				ctl->verbosity += 2;
			} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
				ctl->verbosity--;
			} else if (strcmp(a, "--version") == 0) {
				*version = true;
			} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				*help = true;
				argv[out++] = a; /* the command shows its own help */
			} else {
				argv[out++] = a;
			}
		}
	}
	argv[out] = NULL;
	return out;
}

static int setup_logging(const struct npuctl *ctl)
{
	const char *spec = getenv("NPU_LOG");
	struct npu_log_filter f;
	char bad[32];

	npu_log_filter_default(&f);
	if (spec && *spec && npu_log_parse_spec(spec, &f, bad, sizeof(bad)) != 0) {
		npuctl_err("NPU_LOG: unknown level or category '%s' (levels: error, warn, info, "
			   "debug, trace; categories: gen, reg, irq, ipc, jsm, job, mmu, fw, pm, "
			   "srv, pci, sim)",
			   bad);
		return -1;
	}
	npu_log_set_filter(&f);
	npu_log_set_sink(npu_log_stderr_sink, NULL);
	npu_log_adjust(ctl->verbosity);
	return 0;
}

int main(int argc, char **argv)
{
	struct npuctl ctl = { .device = "auto" };
	bool help = false, version = false;
	const struct npuctl_cmd *cmd = NULL;

	argc = take_global_opts(&ctl, argc, argv, &help, &version);
	if (argc < 0)
		return NPUCTL_EXIT_USAGE;
	if (setup_logging(&ctl) != 0)
		return NPUCTL_EXIT_USAGE;
	if (version) {
		printf("npuctl %s\n", NPU_VERSION);
		return NPUCTL_EXIT_OK;
	}
	if (argc < 2 || (argv[1][0] == '-' && help)) {
		if (help) {
			print_help(stdout);
			return NPUCTL_EXIT_OK;
		}
		print_help(stderr);
		return NPUCTL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			print_help(stdout);
			return NPUCTL_EXIT_OK;
		}
		for (size_t i = 0; i < N_COMMANDS; i++) {
			if (strcmp(argv[2], commands[i]->name) == 0) {
				npuctl_cmd_help(commands[i], stdout);
				return NPUCTL_EXIT_OK;
			}
		}
		return npuctl_usage_err(NULL, "no command '%s'", argv[2]);
	}
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i]->name) == 0)
			cmd = commands[i];
	}
	if (!cmd) {
		if (argv[1][0] == '-')
			return npuctl_usage_err(NULL, "unknown option '%s'", argv[1]);
		return npuctl_usage_err(NULL, "no command '%s'", argv[1]);
	}
	return cmd->run(&ctl, argc - 2, argv + 2);
}
