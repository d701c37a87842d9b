/* SPDX-License-Identifier: MIT */
/*
 * A vfio-user connection on a Unix stream socket (QEMU's docs/interop/
 * vfio-user.rst): messages read whole with the fds that came in SCM_RIGHTS,
 * handed to vu_dev_handle, replies written back; the model's interrupt line
 * relayed to the guest's eventfd between messages. One client at a time.
 */
#ifndef NPU_VFIO_VU_CONN_H
#define NPU_VFIO_VU_CONN_H

#include "vfio/vu_dev.h"

struct vu_conn_hooks {
	/* Also polled (-1: none); on_ctl runs when it is readable. Nonzero stops serving. */
	int ctl_fd;
	int (*on_ctl)(void *arg);
	void *arg;
};

/*
 * Serves the client on sock until it goes away, breaks the protocol beyond
 * an error reply, or on_ctl asks to stop; then disconnects it from the device
 * (vu_dev_disconnect) and closes sock. Returns 0 when the client went away or
 * was dropped, 1 when on_ctl asked to stop.
 */
int vu_conn_serve(struct vu_dev *d, int sock, const struct vu_conn_hooks *hooks);

/* Listens on a Unix stream socket at path (a stale socket there is replaced). Returns the fd. */
int vu_listen(const char *path);

#endif
