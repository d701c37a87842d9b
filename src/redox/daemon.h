/* SPDX-License-Identifier: MIT */
/*
 * npud on Redox (docs/redox.md): the daemon's life from start to stop, in
 * the order Redox drivers use. tools/npud/npud_redox.c is its main; the
 * redox tests run it against the fake kernel.
 *
 *  1. the NPU pcid handed over in PCID_CLIENT_CHANNEL (the Redox backend);
 *  2. the device opened, which reads the firmware: before privileges drop;
 *  3. the server over it (it boots the NPU), buffers not shared as fds;
 *  4. the `npu` scheme created and registered;
 *  5. one byte on INIT_NOTIFY: pcid-spawner waits for it;
 *  6. the null namespace (setrens(0, 0)): from here on only memory and
 *     pipes can be opened, and every descriptor needed is open;
 *  7. the scheme's loop until told to stop; then everything is closed and
 *     the NPU powered down.
 */
#ifndef NPU_REDOX_DAEMON_H
#define NPU_REDOX_DAEMON_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct npu_redox_daemon_cfg {
	const char *firmware; /* firmware file; NULL: $NPU_FIRMWARE_PATH, then the system's */
	bool have_group;
	uint32_t group;		 /* may use the NPU besides root */
	int notify_fd;		 /* the readiness pipe; -1: $INIT_NOTIFY (none when unset) */
	const atomic_bool *stop; /* the loop ends once it is true (a signal handler); NULL: never */
	unsigned tick_ms;	 /* the longest wait of one turn of the loop; 0: 1000 */
	uint32_t tdr_timeout_ms; /* hang detection; 0: the driver's default */
};

/*
 * Runs the daemon. Returns 0 when stopped, -EPIPE when the kernel closed
 * the scheme's socket, or the negative errno of the step that failed (which
 * it logs); readiness is signalled only when every step up to 5 succeeded.
 * -ENOSYS: this program has no Redox system calls.
 */
int npu_redox_daemon_run(const struct npu_redox_daemon_cfg *cfg);

#endif
