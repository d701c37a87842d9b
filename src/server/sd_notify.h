/* SPDX-License-Identifier: MIT */
/*
 * Readiness for a service manager (systemd's notify protocol, without
 * libsystemd): a state string such as "READY=1" or "STOPPING=1" sent as one
 * datagram to the AF_UNIX socket named by $NOTIFY_SOCKET, a path or, with a
 * leading '@', an abstract name.
 */
#ifndef NPU_SERVER_SD_NOTIFY_H
#define NPU_SERVER_SD_NOTIFY_H

/*
 * Returns 1 when the state was sent, 0 when NOTIFY_SOCKET is not set, or a
 * negative errno (-EAFNOSUPPORT: an address of a kind other than a path or an
 * abstract name).
 */
int npu_sd_notify(const char *state);

#endif
