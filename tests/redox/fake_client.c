/* SPDX-License-Identifier: MIT */
/*
 * The fake kernel's side of the scheme socket: what a client's system calls
 * become, 64-byte requests written to the daemon and 16-byte replies read
 * back, with the daemon's loop run by the pump callback in between. Without
 * a pump the daemon runs in a thread of its own (npu_redox_daemon_run), and
 * waiting for a reply waits on the socket.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fake_internal.h"

#define FK_MAX_TURNS  20000u
#define FK_TURN_MS    5	  /* a turn without a pump: how long to wait on the socket */
#define FK_HELD	      64u /* replies read while waiting for another */
#define FK_FEVENT_LOG 64u

static fk_pump_fn pump;
static void *pump_arg;
static uint32_t next_tag = 100;
static struct redox_cqe held[FK_HELD];
static unsigned n_held;
static uint64_t fevent_handle[FK_FEVENT_LOG];
static unsigned n_fevents;

/*
 * The requests waiting for their reply, as the kernel keeps them (`scheme/
 * user.rs`: states by tag, canceling once a Cancel was sent). Replies are
 * checked against them when the daemon writes them (fk_replies).
 */
#define FK_WAITING 256u
static struct {
	uint32_t tag;
	bool used, canceling;
} waiting[FK_WAITING];
static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;

static void wait_add(uint32_t tag)
{
	pthread_mutex_lock(&wait_lock);
	for (unsigned i = 0; i < FK_WAITING; i++) {
		if (!waiting[i].used) {
			waiting[i].tag = tag;
			waiting[i].used = true;
			waiting[i].canceling = false;
			break;
		}
	}
	pthread_mutex_unlock(&wait_lock);
}

/* The waiting request of that tag, or -1. Under wait_lock. */
static int wait_find(uint32_t tag)
{
	for (unsigned i = 0; i < FK_WAITING; i++)
		if (waiting[i].used && waiting[i].tag == tag)
			return (int)i;
	return -1;
}

static size_t err(int e)
{
	return (size_t)0 - (size_t)e;
}

/* One reply, checked as the kernel does (`scheme/user.rs: ParsedCqe::parse_cqe, respond`). */
static int check_reply(struct redox_cqe *c)
{
	int i;

	switch (c->flags & 7u) {
	case REDOX_CQE_SEND_FEVENT: /* the flags in tag must be event flags */
		return (c->tag & ~(uint32_t)(REDOX_EVENT_READ | REDOX_EVENT_WRITE)) ? EINVAL : 0;
	case REDOX_CQE_RESPOND:
		i = wait_find(c->tag);
		if (i < 0)
			return EBADFD; /* no request of that tag is waiting */
		/* ECANCELED after a Cancel is EINTR; EINTR without one is EIO. */
		if (waiting[i].canceling && (int64_t)c->result == -ECANCELED)
			c->result = (uint64_t)(int64_t)-EINTR;
		else if (!waiting[i].canceling && (int64_t)c->result == -EINTR)
			c->result = (uint64_t)(int64_t)-EIO;
		waiting[i].used = false;
		return 0;
	default:
		return EINVAL; /* an fd reply or an opcode the daemon has no business sending */
	}
}

size_t fk_replies(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	int e = 0;

	pthread_mutex_lock(&wait_lock);
	for (; done + sizeof(struct redox_cqe) <= len; done += sizeof(struct redox_cqe)) {
		struct redox_cqe c;

		memcpy(&c, (const uint8_t *)buf + done, sizeof(c));
		e = check_reply(&c);
		if (e)
			break; /* the batch ends at the first bad reply */
		if (write(fd, &c, sizeof(c)) != (ssize_t)sizeof(c)) {
			e = EPIPE;
			break;
		}
	}
	if (e)
		fk.st.replies_refused++;
	pthread_mutex_unlock(&wait_lock);
	return done == 0 && e ? err(e) : done;
}

void fk_set_pump(fk_pump_fn fn, void *arg)
{
	pump = fn;
	pump_arg = arg;
	n_held = 0;
	n_fevents = 0;
}

uint32_t fk_send(struct redox_sqe *q)
{
	q->tag = next_tag++;
	wait_add(q->tag);
	if (write(fk.kernel_sock, q, sizeof(*q)) != (ssize_t)sizeof(*q)) {
		fprintf(stderr, "fake kernel: cannot write a request to the scheme socket\n");
		return 0;
	}
	return q->tag;
}

uint32_t fk_send_split(struct redox_sqe *q, size_t first)
{
	const uint8_t *b = (const uint8_t *)q;

	q->tag = next_tag++;
	wait_add(q->tag);
	if (first > sizeof(*q) || write(fk.kernel_sock, b, first) != (ssize_t)first)
		return 0;
	for (unsigned i = 0; i < 3 && pump; i++)
		pump(pump_arg);
	if (write(fk.kernel_sock, b + first, sizeof(*q) - first) != (ssize_t)(sizeof(*q) - first))
		return 0;
	return q->tag;
}

void fk_cancel(uint32_t tag)
{
	/* As the kernel sends it: one-way, with the cancelled request's tag. */
	struct redox_sqe q = { .opcode = REDOX_OP_CANCEL,
			       .sqe_flags = REDOX_SQE_ONEWAY,
			       .tag = tag };
	int i;

	pthread_mutex_lock(&wait_lock);
	i = wait_find(tag);
	if (i >= 0)
		waiting[i].canceling = true;
	pthread_mutex_unlock(&wait_lock);

	if (write(fk.kernel_sock, &q, sizeof(q)) != (ssize_t)sizeof(q))
		fprintf(stderr, "fake kernel: cannot write a cancel to the scheme socket\n");
	if (pump)
		pump(pump_arg);
}

void fk_oneway(struct redox_sqe *q)
{
	/* CloseMsg and Detach as the kernel sends them: no flags, tag 0, no reply awaited. */
	q->sqe_flags = 0;
	q->tag = 0;
	if (write(fk.kernel_sock, q, sizeof(*q)) != (ssize_t)sizeof(*q))
		fprintf(stderr, "fake kernel: cannot write a request to the scheme socket\n");
	if (pump)
		pump(pump_arg);
}

/* Reads the replies there are (after waiting up to wait_ms for one); SendFevents are logged, the others held. */
static void collect(int wait_ms)
{
	struct pollfd p = { .fd = fk.kernel_sock, .events = POLLIN };
	struct redox_cqe c;

	if (wait_ms > 0)
		poll(&p, 1, wait_ms);
	while (read(fk.kernel_sock, &c, sizeof(c)) == (ssize_t)sizeof(c)) {
		if ((c.flags & 7) == REDOX_CQE_SEND_FEVENT) {
			if (n_fevents < FK_FEVENT_LOG)
				fevent_handle[n_fevents++] = c.result;
		} else if (n_held < FK_HELD) {
			held[n_held++] = c;
		}
	}
}

static bool take(uint32_t tag, struct redox_cqe *out)
{
	for (unsigned i = 0; i < n_held; i++) {
		if (held[i].tag != tag)
			continue;
		*out = held[i];
		held[i] = held[--n_held];
		return true;
	}
	return false;
}

bool fk_wait(uint32_t tag, struct redox_cqe *out, unsigned max_turns)
{
	for (unsigned i = 0; i <= max_turns; i++) {
		collect(i && !pump ? FK_TURN_MS : 0);
		if (take(tag, out))
			return true;
		if (i < max_turns && pump)
			pump(pump_arg);
	}
	return false;
}

unsigned fk_fevents(uint64_t handle)
{
	unsigned n = 0;

	collect(0);
	for (unsigned i = 0; i < n_fevents; i++)
		n += fevent_handle[i] == handle;
	return n;
}

int64_t fk_request(struct redox_sqe *q, struct redox_cqe *out)
{
	struct redox_cqe c;
	uint32_t tag = fk_send(q);

	if (!tag || !fk_wait(tag, &c, FK_MAX_TURNS))
		return -ETIMEDOUT;
	if (out)
		*out = c;
	return (int64_t)c.result;
}

static int64_t req(uint8_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		   uint64_t a5)
{
	struct redox_sqe q = { .opcode = op, .args = { a0, a1, a2, a3, a4, a5 }, .caller = 77 };

	return fk_request(&q, NULL);
}

int64_t fk_open(const char *path, uint32_t uid, uint32_t gid, uint32_t flags)
{
	return req(REDOX_OP_OPENAT, 0, (uint64_t)(uintptr_t)path, strlen(path), flags, 0,
		   uid | ((uint64_t)gid << 32));
}

int64_t fk_read(uint64_t h, void *buf, size_t len, uint64_t off, uint64_t flags)
{
	return req(REDOX_OP_READ, h, (uint64_t)(uintptr_t)buf, len, off, flags, 0);
}

int64_t fk_write(uint64_t h, const void *buf, size_t len)
{
	return req(REDOX_OP_WRITE, h, (uint64_t)(uintptr_t)buf, len, 0, 0, 0);
}

int64_t fk_call(uint64_t h, void *buf, size_t len, uint64_t meta0)
{
	return req(REDOX_OP_CALL, h, (uint64_t)(uintptr_t)buf, len, meta0, 0, 0);
}

int64_t fk_mmap(uint64_t h, size_t size, uint64_t off)
{
	return req(REDOX_OP_MMAP_PREP, h, size, REDOX_PROT_READ | REDOX_PROT_WRITE, off, 0, 0);
}

int64_t fk_fstat(uint64_t h, struct redox_stat *st)
{
	return req(REDOX_OP_STD_FS_CALL, h, (uint64_t)(uintptr_t)st, sizeof(*st), REDOX_STDFS_FSTAT,
		   0, 0);
}

int64_t fk_fevent(uint64_t h, uint32_t flags)
{
	return req(REDOX_OP_FEVENT, h, flags, 0, 0, 0, 0);
}

void fk_close(uint64_t h)
{
	struct redox_sqe q = { .opcode = REDOX_OP_CLOSE, .args = { h } };

	fk_oneway(&q);
}

/* --- a client's redox_* calls on the scheme (fake_internal.h) --- */

#define FK_CLIENT_MAPS 64
#define FK_CLIENT_PID  4242u

static uint32_t client_uid, client_gid;
static struct {
	void *addr;
	size_t len;
} client_maps[FK_CLIENT_MAPS];

void fk_client_as(uint32_t uid, uint32_t gid)
{
	client_uid = uid;
	client_gid = gid;
}

static size_t raw(int64_t r)
{
	return (size_t)r; /* a negative errno is the raw error value */
}

size_t fk_client_open(const char *path)
{
	struct redox_sqe q = { .opcode = REDOX_OP_OPENAT,
			       .args = { 0, (uint64_t)(uintptr_t)path, strlen(path), REDOX_O_RDWR,
					 0, client_uid | ((uint64_t)client_gid << 32) },
			       .caller = FK_CLIENT_PID };
	int64_t h = fk_request(&q, NULL);
	size_t fd;

	if (h < 0)
		return raw(h);
	fd = fk_fd_new(FK_SCHEME_FILE, -1);
	if (redox_is_err(fd))
		fk_close((uint64_t)h);
	else
		fk_fd_get(fd)->number = (uint64_t)h;
	return fd;
}

size_t fk_client_read(struct fk_fd *f, void *buf, size_t len)
{
	return raw(fk_read(f->number, buf, len, 0, 0));
}

size_t fk_client_write(struct fk_fd *f, const void *buf, size_t len)
{
	return raw(fk_write(f->number, buf, len));
}

/* The daemon's address of the pages (MmapPrep): one process here, so the client's too. */
size_t fk_client_mmap(struct fk_fd *f, size_t len, uint64_t off)
{
	int64_t r = fk_mmap(f->number, len, off);

	if (r < 0)
		return raw(r);
	for (unsigned i = 0; i < FK_CLIENT_MAPS; i++) {
		if (!client_maps[i].addr) {
			client_maps[i].addr = (void *)(uintptr_t)r;
			client_maps[i].len = len;
			return (size_t)r;
		}
	}
	return raw(-ENOMEM);
}

bool fk_client_munmap(void *addr, size_t len)
{
	for (unsigned i = 0; i < FK_CLIENT_MAPS; i++) {
		if (client_maps[i].addr == addr && client_maps[i].len == len) {
			client_maps[i].addr = NULL;
			return true;
		}
	}
	return false;
}

void fk_client_close(struct fk_fd *f)
{
	fk_close(f->number);
}

unsigned fk_client_maps(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < FK_CLIENT_MAPS; i++)
		n += client_maps[i].addr != NULL;
	return n;
}
