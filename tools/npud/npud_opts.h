/* SPDX-License-Identifier: MIT */
/* npud's command line (npud_opts.c) and its one-line errors (npud.c). */
#ifndef NPUD_OPTS_H
#define NPUD_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "server/server.h"
#include "server/unix.h"

struct npud_opts {
	const char *device; /* "auto", "sim" or a PCI address */
	const char *gen;
	const char *firmware;
	const char *sched; /* "os", "hws", "auto" (driver/hws.h) */
	bool foreground;
	bool check;
	int verbosity;
	struct npu_unix_config unix_cfg;
	struct npu_server_config srv_cfg;
};

/* Fills o. Returns 0 to run, 1 to exit 0 (help, version), 2 after a usage error. */
int npud_parse_args(int argc, char **argv, struct npud_opts *o);

/* One "npud: ..." line on stderr (to the parent or syslog once daemonised). */
void npud_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
