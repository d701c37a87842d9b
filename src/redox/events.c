/* SPDX-License-Identifier: MIT */
/*
 * The event queue (events.h). Subscribing is writing a struct redox_event to
 * the queue; reading it returns the events that came. A timeout is an event
 * of id REDOX_EVENT_TIMEOUT_ID written before each read (kernel `event.rs:
 * EventQueue::write`, `read_with_timeout`; relibc `platform/redox/epoll.rs`
 * does the same for its epoll calls): the read then returns that id when nothing
 * came in time, and with 0 it does not block.
 */
#include "redox/events.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "redox/redox_shim.h"
#include "util/clock.h"
#include "util/log.h"

#define EV_BATCH 8u

static size_t open_queue(void)
{
	return redox_open_v1(REDOX_PATH_EVENT, strlen(REDOX_PATH_EVENT),
			     REDOX_O_RDWR | REDOX_O_CLOEXEC, 0);
}

int npu_redox_events_open(struct npu_redox_events *ev)
{
	size_t fd = open_queue();

	memset(ev, 0, sizeof(*ev));
	if (redox_is_err(fd)) {
		npu_err(IRQ, "opening an event queue (%s): %s", REDOX_PATH_EVENT,
			strerror(redox_errno(fd)));
		return -redox_errno(fd);
	}
	ev->fd = fd;
	ev->open = true;
	return 0;
}

void npu_redox_events_close(struct npu_redox_events *ev)
{
	if (ev->open)
		redox_close_v1(ev->fd);
	ev->open = false;
	ev->pending = 0;
}

static int put(struct npu_redox_events *ev, size_t id, size_t flags, size_t data)
{
	struct redox_event e = { .id = id, .flags = flags, .data = data };
	size_t r = redox_write_v1(ev->fd, &e, sizeof(e));

	if (redox_is_err(r))
		return -redox_errno(r);
	return r == sizeof(e) ? 0 : -EIO;
}

int npu_redox_events_watch(struct npu_redox_events *ev, size_t fd, unsigned token)
{
	int ret = ev->open ? put(ev, fd, REDOX_EVENT_READ, token) : -EBADF;

	if (ret)
		npu_err(IRQ, "subscribing descriptor %zu to the event queue: %s", fd,
			strerror(-ret));
	return ret;
}

void npu_redox_events_mark(struct npu_redox_events *ev, unsigned token)
{
	ev->pending |= token;
}

/* One read of the queue, waiting up to ms (< 0: no timeout); *timed_out when it said so. */
static int read_once(struct npu_redox_events *ev, long ms, bool *timed_out)
{
	struct redox_event e[EV_BATCH];
	size_t r;

	if (ms >= 0) {
		int ret = put(ev, REDOX_EVENT_TIMEOUT_ID, REDOX_EVENT_READ, (size_t)ms);
		if (ret)
			return ret;
	}
	r = redox_read_v1(ev->fd, e, sizeof(e));
	if (redox_is_err(r))
		return redox_errno(r) == EINTR ? 0 : -redox_errno(r);
	for (size_t i = 0; i < r / sizeof(e[0]); i++) {
		if (e[i].id == REDOX_EVENT_TIMEOUT_ID)
			*timed_out = true;
		else
			ev->pending |= (unsigned)e[i].data;
	}
	return 0;
}

int npu_redox_events_wait(struct npu_redox_events *ev, unsigned want, int timeout_ms)
{
	uint64_t end = timeout_ms < 0 ? UINT64_MAX : npu_clock_ms() + (uint64_t)timeout_ms;
	bool timed_out = false;

	if (!ev->open)
		return -EBADF;
	for (;;) {
		unsigned got = ev->pending & want;
		uint64_t now;
		int ret;

		if (got) {
			ev->pending &= ~got;
			return (int)got;
		}
		if (timed_out)
			return 0;
		now = npu_clock_ms();
		ret = read_once(ev, end == UINT64_MAX ? -1 : (long)(end > now ? end - now : 0),
				&timed_out);
		if (ret) {
			npu_err(IRQ, "reading the event queue: %s", strerror(-ret));
			return ret;
		}
	}
}
