/* SPDX-License-Identifier: MIT */
/*
 * The fake kernel's event queues and irq lines, as Redox has them:
 *
 * - /scheme/event (kernel `scheme/event.rs`, `event.rs`): a queue is opened
 *   like any file, so the null namespace refuses it. Writing a 24-byte event
 *   subscribes a descriptor; the scheme is asked for its readiness then
 *   (`sync`), and the irq scheme answers none (`scheme/irq.rs: fevent`). An
 *   event of EVENT_TIMEOUT_ID sets a timeout for the next read, which
 *   returns that id when nothing came in time.
 * - An interrupt (kernel `scheme/irq.rs: irq_trigger`) counts one and
 *   sends an event to the queues subscribed to the line at that moment:
 *   a queue made later never hears of it. The line is masked from then on
 *   until the count is written back (`arch/x86_shared/interrupt/irq.rs:
 *   trigger`, `acknowledge`), so nothing more is counted before that.
 *   The simulated NPU signals on its eventfd; the fake kernel notices that
 *   on every call that touches irqs or queues, which stands for the moment
 *   the interrupt came.
 * - The scheme socket sends an event when requests come (the kernel sends
 *   one for each, `scheme/user.rs`); here one is sent while requests are
 *   queued and the daemon has not read the socket since the last one.
 *
 * relibc's poll() is here too (`header/poll/mod.rs: poll_epoll`,
 * `platform/redox/epoll.rs`): each call opens a new queue, subscribes the
 * descriptors, reads once with the timeout and closes the queue. It stands in
 * for the C library's poll in the redox test programs for the fake kernel's
 * descriptors; other descriptors are polled as usual.
 */
#define _GNU_SOURCE /* ppoll */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_internal.h"
#include "sim/sim.h"

#define FK_QUEUES 16
#define FK_SUBS	  8
#define FK_RING	  32
#define FK_SLICE  5 /* ms between two looks at the sources while a read blocks */

struct fk_sub {
	size_t fd;
	size_t flags;
	size_t data;
	bool reported; /* the socket's requests were reported and not read since */
};

struct fk_queue {
	size_t num; /* 0: free */
	struct fk_sub subs[FK_SUBS];
	unsigned n_subs;
	struct redox_event ring[FK_RING];
	unsigned n_ring;
	long timeout_ms; /* -1: none */
};

static struct fk_queue queues[FK_QUEUES];
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t err(int e)
{
	return (size_t)0 - (size_t)e;
}

static int real_poll(struct pollfd *p, nfds_t n, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	return ppoll(p, n, ms < 0 ? NULL : &ts, NULL);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return fd >= 0 && real_poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

static struct fk_queue *queue_of(size_t num)
{
	for (unsigned i = 0; i < FK_QUEUES; i++)
		if (queues[i].num == num)
			return &queues[i];
	return NULL;
}

static void push(struct fk_queue *q, size_t id, size_t flags, size_t data)
{
	if (q->n_ring < FK_RING)
		q->ring[q->n_ring++] =
		    (struct redox_event){ .id = id, .flags = flags, .data = data };
}

/* An interrupt the simulated NPU signalled since the last look: counted, sent, masked. */
static void irq_sync_locked(void)
{
	if (!fk.sim || !fk.st.irq_opened || fk.irq_masked || !readable(npu_sim_irq_fd(fk.sim)))
		return;
	/* MSI-X: a masked entry holds the message (pending) until it is unmasked. */
	if (fk.st.msix_enabled && (fk.msix_table[3] & 1u))
		return;
	fk.irq_count++;
	fk.irq_masked = true;
	fk.st.irq_edges++;
	for (unsigned i = 0; i < FK_QUEUES; i++) {
		struct fk_queue *q = &queues[i];

		for (unsigned k = 0; q->num && k < q->n_subs; k++) {
			const struct fk_fd *f = fk_fd_get(q->subs[k].fd);

			if (f && f->kind == FK_IRQ && (q->subs[k].flags & REDOX_EVENT_READ))
				push(q, q->subs[k].fd, REDOX_EVENT_READ, q->subs[k].data);
		}
	}
}

void fk_irq_sync(void)
{
	pthread_mutex_lock(&ev_lock);
	irq_sync_locked();
	pthread_mutex_unlock(&ev_lock);
}

size_t fk_irq_read(void *buf, size_t len)
{
	uint64_t c;
	bool news;

	if (len < sizeof(c))
		return err(EINVAL);
	pthread_mutex_lock(&ev_lock);
	irq_sync_locked();
	c = fk.irq_count;
	news = fk.irq_ack != c;
	pthread_mutex_unlock(&ev_lock);
	if (!news)
		return 0;
	memcpy(buf, &c, sizeof(c));
	return sizeof(c);
}

size_t fk_irq_write(const void *buf, size_t len)
{
	uint64_t c;

	if (len < sizeof(c))
		return err(EINVAL);
	memcpy(&c, buf, sizeof(c));
	pthread_mutex_lock(&ev_lock);
	if (c != fk.irq_count) {
		pthread_mutex_unlock(&ev_lock);
		return 0; /* stale: an interrupt came since that count was read */
	}
	fk.irq_ack = c;
	fk.irq_masked = false; /* unmasked: a source still pending signals again */
	fk.st.irq_acks++;
	npu_sim_irq_ack(fk.sim);
	pthread_mutex_unlock(&ev_lock);
	return sizeof(c);
}

void fk_event_socket_read(size_t fd)
{
	pthread_mutex_lock(&ev_lock);
	for (unsigned i = 0; i < FK_QUEUES; i++)
		for (unsigned k = 0; queues[i].num && k < queues[i].n_subs; k++)
			if (queues[i].subs[k].fd == fd)
				queues[i].subs[k].reported = false;
	pthread_mutex_unlock(&ev_lock);
}

size_t fk_event_open(void)
{
	size_t fd;

	pthread_mutex_lock(&ev_lock);
	irq_sync_locked(); /* what came before the queue is not the queue's */
	fd = fk_fd_new(FK_EVENT, -1);
	for (unsigned i = 0; !redox_is_err(fd) && i < FK_QUEUES; i++) {
		if (queues[i].num)
			continue;
		memset(&queues[i], 0, sizeof(queues[i]));
		queues[i].num = fd;
		queues[i].timeout_ms = -1;
		fk.st.event_queues++;
		pthread_mutex_unlock(&ev_lock);
		return fd;
	}
	if (!redox_is_err(fd))
		fk_fd_free(fk_fd_get(fd));
	pthread_mutex_unlock(&ev_lock);
	return err(EMFILE);
}

void fk_event_close(size_t num)
{
	struct fk_queue *q;

	pthread_mutex_lock(&ev_lock);
	q = queue_of(num);
	if (q)
		q->num = 0;
	pthread_mutex_unlock(&ev_lock);
}

static size_t subscribe(struct fk_queue *q, const struct redox_event *e)
{
	const struct fk_fd *f;
	unsigned k;

	if (e->id == REDOX_EVENT_TIMEOUT_ID) {
		q->timeout_ms = e->flags ? (long)e->data : -1;
		return 0;
	}
	f = fk_fd_get(e->id);
	if (!f || (f->kind != FK_IRQ && f->kind != FK_SOCKET))
		return err(EBADF);
	for (k = 0; k < q->n_subs && q->subs[k].fd != e->id; k++)
		;
	if (!e->flags) {
		if (k < q->n_subs)
			q->subs[k] = q->subs[--q->n_subs];
		return 0;
	}
	if (k == q->n_subs && q->n_subs == FK_SUBS)
		return err(ENOMEM);
	if (k == q->n_subs)
		q->n_subs++;
	q->subs[k] = (struct fk_sub){ .fd = e->id, .flags = e->flags, .data = e->data };
	/* sync: the irq scheme's fevent reports nothing; the socket is level below. */
	return 0;
}

size_t fk_event_write(size_t num, const void *buf, size_t len)
{
	struct redox_event e;
	struct fk_queue *q;
	size_t done = 0, r = 0;

	pthread_mutex_lock(&ev_lock);
	q = queue_of(num);
	for (; q && done + sizeof(e) <= len; done += sizeof(e)) {
		memcpy(&e, (const uint8_t *)buf + done, sizeof(e));
		r = subscribe(q, &e);
		if (redox_is_err(r))
			break;
	}
	pthread_mutex_unlock(&ev_lock);
	if (!q)
		return err(EBADF);
	return redox_is_err(r) ? r : done;
}

/* Takes what is there: the events sent, then the sockets readable now. */
static unsigned take_locked(struct fk_queue *q, struct redox_event *out, unsigned max)
{
	unsigned n = 0;

	irq_sync_locked();
	while (n < max && q->n_ring) {
		out[n++] = q->ring[0];
		memmove(q->ring, q->ring + 1, --q->n_ring * sizeof(q->ring[0]));
	}
	for (unsigned k = 0; k < q->n_subs && n < max; k++) {
		const struct fk_fd *f = fk_fd_get(q->subs[k].fd);

		if (f && f->kind == FK_SOCKET && (q->subs[k].flags & REDOX_EVENT_READ) &&
		    !q->subs[k].reported && readable((int)f->num)) {
			out[n++] = (struct redox_event){ q->subs[k].fd, REDOX_EVENT_READ,
							 q->subs[k].data };
			q->subs[k].reported = true;
		}
	}
	return n;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

size_t fk_event_read(size_t num, void *buf, size_t len)
{
	struct redox_event ev[FK_RING];
	unsigned max = (unsigned)(len / sizeof(ev[0])), n;
	struct fk_queue *q;
	long timeout;
	uint64_t end;

	if (max == 0)
		return err(EINVAL);
	if (max > FK_RING)
		max = FK_RING;
	pthread_mutex_lock(&ev_lock);
	q = queue_of(num);
	timeout = q ? q->timeout_ms : -1;
	if (q)
		q->timeout_ms = -1; /* one read's */
	pthread_mutex_unlock(&ev_lock);
	if (!q)
		return err(EBADF);
	end = timeout >= 0 ? now_ms() + (uint64_t)timeout : UINT64_MAX;
	for (;;) {
		struct pollfd p[1 + FK_SUBS];
		nfds_t np = 0;

		pthread_mutex_lock(&ev_lock);
		q = queue_of(num);
		n = q ? take_locked(q, ev, max) : 0;
		for (unsigned k = 0; q && !n && k < q->n_subs; k++) {
			const struct fk_fd *f = fk_fd_get(q->subs[k].fd);

			if (f && f->kind == FK_SOCKET && !q->subs[k].reported)
				p[np++] = (struct pollfd){ .fd = (int)f->num, .events = POLLIN };
		}
		if (q && !n && fk.sim && fk.st.irq_opened && !fk.irq_masked)
			p[np++] = (struct pollfd){ .fd = npu_sim_irq_fd(fk.sim), .events = POLLIN };
		pthread_mutex_unlock(&ev_lock);
		if (!q)
			return err(EBADF);
		if (n) {
			memcpy(buf, ev, n * sizeof(ev[0]));
			return n * sizeof(ev[0]);
		}
		if (now_ms() >= end) {
			ev[0] = (struct redox_event){ REDOX_EVENT_TIMEOUT_ID, REDOX_EVENT_READ,
						      (size_t)timeout };
			memcpy(buf, ev, sizeof(ev[0]));
			return sizeof(ev[0]);
		}
		real_poll(p, np, end - now_ms() < FK_SLICE ? (int)(end - now_ms()) : FK_SLICE);
	}
}

/* relibc's poll(), over a queue of its own each call. */
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct redox_event e[16];
	bool fake = false;
	size_t q, r;
	int count = 0;

	for (nfds_t i = 0; fk.sim && i < n; i++)
		fake |= fds[i].fd >= 0 && fk_fd_get((size_t)fds[i].fd) != NULL;
	if (!fake)
		return real_poll(fds, n, timeout);
	q = redox_open_v1(REDOX_PATH_EVENT, strlen(REDOX_PATH_EVENT),
			  REDOX_O_RDWR | REDOX_O_CLOEXEC, 0);
	if (redox_is_err(q)) {
		errno = redox_errno(q);
		return -1;
	}
	for (nfds_t i = 0; i < n; i++) {
		struct redox_event s = { (size_t)fds[i].fd,
					 ((fds[i].events & POLLIN) ? REDOX_EVENT_READ : 0) |
					     ((fds[i].events & POLLOUT) ? REDOX_EVENT_WRITE : 0),
					 (size_t)i };

		fds[i].revents = 0;
		if (fds[i].fd >= 0 && redox_is_err(redox_write_v1(q, &s, sizeof(s))))
			fds[i].revents = POLLNVAL;
	}
	if (timeout >= 0) {
		struct redox_event t = { REDOX_EVENT_TIMEOUT_ID, REDOX_EVENT_READ,
					 (size_t)timeout };

		redox_write_v1(q, &t, sizeof(t));
	}
	r = redox_read_v1(q, e, (n < 16 ? n : 16) * sizeof(e[0]));
	redox_close_v1(q);
	if (redox_is_err(r)) {
		errno = redox_errno(r);
		return -1;
	}
	for (size_t i = 0; i < r / sizeof(e[0]); i++) {
		if (e[i].id == REDOX_EVENT_TIMEOUT_ID || e[i].data >= n)
			continue;
		fds[e[i].data].revents |= (short)(((e[i].flags & REDOX_EVENT_READ) ? POLLIN : 0) |
						  ((e[i].flags & REDOX_EVENT_WRITE) ? POLLOUT : 0));
	}
	for (nfds_t i = 0; i < n; i++)
		count += fds[i].revents != 0;
	return count;
}
