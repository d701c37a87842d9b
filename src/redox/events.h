/* SPDX-License-Identifier: MIT */
/*
 * npud's one event queue on Redox (docs/redox.md): opened before the daemon
 * leaves its namespace (the null namespace has no `event` scheme, so a queue
 * cannot be opened later, nor can relibc's poll(), which opens one per call),
 * with the NPU's irq descriptor and the scheme socket subscribed. Every wait
 * goes through it: the serving loop, and the driver's interrupt waits (IPC
 * replies, jobs) through the platform's irq_wait.
 *
 * An event the waiter did not ask for stays pending for the other: an
 * interrupt wait inside a request leaves the socket's event to the loop, and
 * the loop's wait takes an interrupt the driver has not waited for.
 */
#ifndef NPU_REDOX_EVENTS_H
#define NPU_REDOX_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#define NPU_REDOX_EV_IRQ    1u /* the NPU's interrupt */
#define NPU_REDOX_EV_SOCKET 2u /* the scheme socket has requests */

struct npu_redox_events {
	size_t fd;
	bool open;
	unsigned pending; /* NPU_REDOX_EV_* read from the queue and not taken yet */
};

/* Opens the queue (/scheme/event). Returns 0 or -errno. */
int npu_redox_events_open(struct npu_redox_events *ev);
void npu_redox_events_close(struct npu_redox_events *ev);
/* Subscribes fd for reading; its events come back as token (NPU_REDOX_EV_*). */
int npu_redox_events_watch(struct npu_redox_events *ev, size_t fd, unsigned token);
/* Marks token pending, as if its event had come (a source to look at again). */
void npu_redox_events_mark(struct npu_redox_events *ev, unsigned token);
/*
 * Waits up to timeout_ms (0: not at all; < 0: for as long as it takes) for
 * one of want. Returns those of want that came, taken (no longer pending),
 * 0 when none came in time, or -errno when the queue cannot be read.
 */
int npu_redox_events_wait(struct npu_redox_events *ev, unsigned want, int timeout_ms);

#endif
