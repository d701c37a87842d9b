/* SPDX-License-Identifier: MIT */
/*
 * npuctl: shared state of the command-line tool and its subcommands.
 *
 * Conventions every subcommand follows: exit 0 on success, 1 on a runtime
 * error, 2 on a usage error; errors are one plain line on stderr starting with
 * "npuctl: "; --help on every subcommand; --json where there is output.
 */
#ifndef NPUCTL_CLI_H
#define NPUCTL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum {
	NPUCTL_EXIT_OK = 0,
	NPUCTL_EXIT_ERROR = 1,
	NPUCTL_EXIT_USAGE = 2,
};

/* Global options, accepted before or after the subcommand. */
struct npuctl {
	const char *device;	/* --device auto|sim|BDF (default auto) */
	const char *gen;	/* --gen 37xx|40xx, NULL when not given */
	const char *firmware;	/* --firmware FILE */
	const char *socket;	/* --socket PATH: talk to a running npud */
	const char *trace_mmio; /* --trace-mmio FILE */
	const char *sched;	/* --sched os|hws|auto (in-process only) */
	const char *priority;	/* --priority idle|normal|focus|realtime */
	bool json;		/* --json */
	int verbosity;		/* -v adds one, -q subtracts one */
};

struct npuctl_cmd {
	const char *name;
	const char *summary;
	const char *usage; /* options of the subcommand, printed by --help */
	int (*run)(struct npuctl *ctl, int argc, char **argv);
};

/* Prints "npuctl: <message>" on stderr. */
void npuctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the usage error and a hint; returns NPUCTL_EXIT_USAGE. */
int npuctl_usage_err(const struct npuctl_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the full help of a subcommand on out. */
void npuctl_cmd_help(const struct npuctl_cmd *cmd, FILE *out);

/*
 * Scans the subcommand's own arguments: handles --help (prints help, returns
 * 1 with *exit_code = 0), rejects unknown options (returns 1 with *exit_code =
 * 2), and collects the positional arguments into pos[] (at most max_pos, more
 * is a usage error). Returns 0 when the command should run. The option names
 * in `flags` (NULL-terminated) are accepted as booleans and reported in
 * flag_set[] in the same order.
 */
int npuctl_parse_args(const struct npuctl_cmd *cmd, int argc, char **argv, const char *const *flags,
		      bool *flag_set, const char **pos, int max_pos, int *n_pos, int *exit_code);

/* An option of a subcommand: a flag (value NULL) or an option with a value. */
struct npuctl_opt {
	const char *name;   /* "--size" */
	const char **value; /* set to the argument for an option with a value */
	bool *flag;	    /* set true for a flag */
};

/*
 * Like npuctl_parse_args, with options that take a value ("--size N" or
 * "--size=N"). opts ends with a { NULL } entry.
 */
int npuctl_parse_opts(const struct npuctl_cmd *cmd, int argc, char **argv,
		      const struct npuctl_opt *opts, const char **pos, int max_pos, int *n_pos,
		      int *exit_code);

/* Parses an unsigned size with an optional K, M or G suffix (powers of 1024). */
int npuctl_parse_size(const char *s, uint64_t *out);

/* Subcommands. */
extern const struct npuctl_cmd npuctl_cmd_probe;
extern const struct npuctl_cmd npuctl_cmd_fw_info;
extern const struct npuctl_cmd npuctl_cmd_boot;
extern const struct npuctl_cmd npuctl_cmd_diag;
extern const struct npuctl_cmd npuctl_cmd_exec;
extern const struct npuctl_cmd npuctl_cmd_selftest;
extern const struct npuctl_cmd npuctl_cmd_status;
extern const struct npuctl_cmd npuctl_cmd_fw_log;
extern const struct npuctl_cmd npuctl_cmd_bench;
extern const struct npuctl_cmd npuctl_cmd_reset;
extern const struct npuctl_cmd npuctl_cmd_infer;

#endif
