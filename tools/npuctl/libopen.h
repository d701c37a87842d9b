/* SPDX-License-Identifier: MIT */
/*
 * Commands that go through libnpu (exec, status --socket, probe --socket,
 * reset): a handle through npud with --socket, else in-process on the device
 * the global options name. And the refusal of --socket by the commands that
 * need the device's registers.
 */
#ifndef NPUCTL_LIBOPEN_H
#define NPUCTL_LIBOPEN_H

#include <stdint.h>

#include "cli.h"
#include "npu/npu.h"

/*
 * Opens a handle for the command `what` ("exec", ...). Returns
 * NPUCTL_EXIT_OK, or the exit code after one "npuctl: ..." line: 2 for a bad
 * option or environment value, 1 for the rest (no npud there, no permission
 * on its socket, a device that cannot be opened).
 */
int npuctl_lib_open(const struct npuctl *ctl, const char *what, struct npu **out);

/*
 * For commands that read the device's registers themselves: with --socket
 * they cannot run (npud holds the device). Returns 0 to go on, or exit code 2
 * after saying so.
 */
int npuctl_no_socket(const struct npuctl *ctl, const char *what);

/* The status report of the handle, parsed (free with npu_jv_free); NULL after an error line. */
struct npu_jv *npuctl_lib_status(struct npu *n);

/* npuctl selftest --socket: the battery through npud (selftest_npud.c); the exit code. */
int npuctl_selftest_npud(const struct npuctl *ctl);

#endif
