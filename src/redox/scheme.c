/* SPDX-License-Identifier: MIT */
/*
 * The `npu` scheme (scheme.h): the socket, the loop, and the dispatch of
 * each 64-byte request to the kind of file it names.
 */
#include "redox/scheme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/device.h"
#include "redox/events.h"
#include "redox/redox.h"
#include "redox/scheme_internal.h"
#include "util/log.h"

#define SCH_READ_BATCH	 16u /* requests read from the socket at once */
#define SCH_READS_A_TURN 4u  /* batches read in one turn before the device's turn */

void sch_complete(struct npu_redox_scheme *x, uint32_t tag, int64_t result, uint8_t extra)
{
	struct redox_cqe *c;

	if (x->n_out == x->cap_out) {
		unsigned cap = x->cap_out ? x->cap_out * 2 : 32;
		struct redox_cqe *n = realloc(x->out, cap * sizeof(*n));

		if (!n) {
			npu_err(SRV, "out of memory for a scheme reply; request %u dropped", tag);
			return;
		}
		x->out = n;
		x->cap_out = cap;
	}
	c = &x->out[x->n_out++];
	memset(c, 0, sizeof(*c));
	c->flags = REDOX_CQE_RESPOND;
	c->extra_raw[0] = extra;
	c->tag = tag;
	c->result = (uint64_t)result;
}

void sch_fevent(struct sch_handle *h, uint32_t flags)
{
	struct npu_redox_scheme *x = h->x;
	size_t before = x->n_out;

	if (!(h->events & flags) || h->event_sent)
		return;
	sch_complete(x, flags & h->events, (int64_t)h->id, 0);
	if (x->n_out > before) {
		x->out[x->n_out - 1].flags = REDOX_CQE_SEND_FEVENT;
		h->event_sent = true;
	}
}

/*
 * Replies the kernel refuses one by one (kernel `scheme/user.rs`): a tag no
 * request waits on (EBADFD), a malformed reply (EINVAL), an fd that is not
 * there (ENOENT). It takes the replies before the refused one and stops
 * there; the refused one is dropped, the others are written again.
 */
static bool refused_reply(int e)
{
	return e == EBADFD || e == EINVAL || e == ENOENT;
}

/* Writes the completions out; the socket takes whole ones. */
static int flush(struct npu_redox_scheme *x)
{
	size_t done = 0, total = (size_t)x->n_out * sizeof(struct redox_cqe);
	const uint8_t *p = (const uint8_t *)x->out;

	while (done < total) {
		size_t r = redox_write_v1(x->sock, p + done, total - done);

		if (redox_is_err(r) && redox_errno(r) == EINTR)
			continue;
		if (redox_is_err(r) && refused_reply(redox_errno(r))) {
			const struct redox_cqe *c = (const struct redox_cqe *)(p + done);

			npu_warn(SRV, "the kernel refused a reply (tag %u, kind %u): %s", c->tag,
				 c->flags & 7u, strerror(redox_errno(r)));
			done += sizeof(*c);
			continue;
		}
		if (redox_is_err(r)) {
			npu_err(SRV, "writing scheme replies: %s", strerror(redox_errno(r)));
			x->n_out = 0;
			return -redox_errno(r);
		}
		if (r == 0)
			break;
		done += r - r % sizeof(struct redox_cqe);
	}
	x->n_out = 0;
	return done == total ? 0 : -EPIPE;
}

static struct sch_handle *find(struct npu_redox_scheme *x, uint64_t id)
{
	for (unsigned i = 0; i < x->n_h; i++)
		if (x->h[i]->id == id)
			return x->h[i];
	return NULL;
}

static void handle_free(struct sch_handle *h)
{
	if (h->kind == SCH_CONN)
		sch_conn_close(h);
	else if (h->kind == SCH_INFER)
		sch_infer_close(h);
	free(h->text);
	free(h);
}

static int64_t op_open(struct npu_redox_scheme *x, const struct redox_sqe *q, uint8_t *extra)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): the kernel maps the path in for us */
	const char *path = (const char *)(uintptr_t)q->args[1];
	size_t len = (size_t)q->args[2];
	uint32_t uid = (uint32_t)q->args[5], gid = (uint32_t)(q->args[5] >> 32);
	struct sch_handle *h;
	enum sch_kind kind;
	unsigned i;
	int ret;

	if (q->args[0] != SCH_ROOT_HANDLE)
		return find(x, q->args[0]) ? -ENOTDIR : -EBADF;
	if (len && !path)
		return -EFAULT;
	while (len && path[0] == '/') {
		path++;
		len--;
	}
	for (i = 0; i < SCH_N_FILES; i++)
		if (strlen(sch_files[i].path) == len && memcmp(sch_files[i].path, path, len) == 0)
			break;
	if (i == SCH_N_FILES)
		return -ENOENT;
	kind = sch_files[i].kind;
	/* The scheme's root as a directory (opendir, `ls /scheme/npu`): no client. */
	if (q->args[3] & REDOX_O_DIRECTORY) {
		if (kind != SCH_CONN)
			return -ENOTDIR;
		kind = SCH_DIR;
	}
	if (uid != 0 && !(x->have_group && gid == x->group)) {
		npu_info(SRV, "%s: uid %u gid %u refused (root and group %u only)", x->name, uid,
			 gid, x->group);
		return -EACCES;
	}
	if (x->n_h >= x->max_h)
		return -ENFILE;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->x = x;
	h->id = ++x->next_id;
	h->kind = kind;
	h->uid = uid;
	h->gid = gid;
	h->oflags = (uint32_t)q->args[3];
	h->pid = (int32_t)q->caller;
	if (h->kind == SCH_CONN)
		ret = sch_conn_open(h, h->pid);
	else if (h->kind == SCH_STATUS || h->kind == SCH_STATUS_JSON)
		ret = sch_status_make(h);
	else if (h->kind == SCH_INFER)
		ret = sch_infer_open(h);
	else
		ret = 0;
	if (ret) {
		free(h);
		return ret;
	}
	x->h[x->n_h++] = h;
	*extra = h->kind == SCH_CONN ? 0 : (uint8_t)REDOX_NEWFD_POSITIONED;
	return (int64_t)h->id;
}

static void op_close(struct npu_redox_scheme *x, uint64_t id)
{
	for (unsigned i = 0; i < x->n_h; i++) {
		if (x->h[i]->id != id)
			continue;
		handle_free(x->h[i]);
		x->h[i] = x->h[--x->n_h];
		return;
	}
}

static int64_t op_fstat(struct sch_handle *h, uint8_t *buf, size_t len)
{
	struct redox_stat st;

	if (!buf || len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.st_ino = h->id;
	st.st_nlink = 1;
	st.st_gid = h->x->have_group ? h->x->group : 0;
	st.st_blksize = REDOX_PAGE_SIZE;
	if (h->kind == SCH_CONN) {
		st.st_mode = REDOX_MODE_CHR | 0660;
	} else if (h->kind == SCH_DIR) {
		st.st_mode = REDOX_MODE_DIR | 0550;
	} else if (h->kind == SCH_INFER) {
		st.st_mode = REDOX_MODE_CHR | 0660;
		st.st_size = sch_infer_size(h); /* the outputs, once there */
	} else {
		st.st_mode = REDOX_MODE_FILE | 0440;
		st.st_size = h->text_len;
	}
	memcpy(buf, &st, sizeof(st));
	return 0;
}

static int64_t op_fpath(struct sch_handle *h, uint8_t *buf, size_t len)
{
	char path[64];
	int n;

	for (unsigned i = 0; i < SCH_N_FILES; i++) {
		if (sch_files[i].kind != (h->kind == SCH_DIR ? SCH_CONN : h->kind))
			continue;
		n = snprintf(path, sizeof(path), "/scheme/%s%s%s", h->x->name,
			     sch_files[i].path[0] ? "/" : "", sch_files[i].path);
		if (n < 0 || !buf)
			return -EINVAL;
		memcpy(buf, path, (size_t)n < len ? (size_t)n : len);
		return (size_t)n < len ? n : (int64_t)len;
	}
	return -EBADF;
}

static uint32_t readiness(const struct sch_handle *h)
{
	if (h->kind == SCH_CONN)
		return REDOX_EVENT_WRITE | (sch_conn_readable(h) ? REDOX_EVENT_READ : 0);
	if (h->kind == SCH_INFER)
		return sch_infer_readiness(h);
	return REDOX_EVENT_READ | REDOX_EVENT_WRITE;
}

static void op_cancel(struct npu_redox_scheme *x, uint32_t tag)
{
	for (unsigned i = 0; i < x->n_h; i++) {
		struct sch_handle *h = x->h[i];

		if (h->kind == SCH_CONN && sch_conn_cancel(h, tag))
			return;
		if (h->kind == SCH_INFER && sch_infer_cancel(h, tag))
			return;
	}
}

/* The requests a handle serves; others are ENOSYS whatever they name. */
static bool handle_op(uint8_t op)
{
	switch (op) {
	case REDOX_OP_READ:
	case REDOX_OP_WRITE:
	case REDOX_OP_CALL:
	case REDOX_OP_MMAP_PREP:
	case REDOX_OP_MUNMAP:
	case REDOX_OP_FSTAT:
	case REDOX_OP_STD_FS_CALL:
	case REDOX_OP_FSIZE:
	case REDOX_OP_FEVENT:
	case REDOX_OP_FPATH:
	case REDOX_OP_FCNTL:
		return true;
	default:
		return false;
	}
}

/* Serves one request; replies now unless it was parked or is one-way. */
static void dispatch(struct npu_redox_scheme *x, const struct redox_sqe *q)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): the kernel maps the caller's buffer in */
	uint8_t *buf = (uint8_t *)(uintptr_t)q->args[1];
	size_t len = (size_t)q->args[2];
	struct sch_handle *h = NULL;
	uint8_t extra = 0;
	bool parked = false, nonblock;
	int64_t r;

	switch (q->opcode) {
	case REDOX_OP_OPENAT:
		r = op_open(x, q, &extra);
		break;
	case REDOX_OP_CLOSE: /* sent without ONEWAY and with tag 0: never answered */
		op_close(x, q->args[0]);
		return;
	case REDOX_OP_DETACH: /* the same: no reply */
		return;
	case REDOX_OP_CANCEL: /* one-way; the cancelled request is answered (ECANCELED) */
		op_cancel(x, q->tag);
		return;
	default:
		if (q->sqe_flags & REDOX_SQE_ONEWAY)
			return;
		h = find(x, q->args[0]);
		r = handle_op(q->opcode) ? -EBADF : -ENOSYS;
		if (!h || r == -ENOSYS)
			break;
		nonblock = ((h->oflags | q->args[4]) & REDOX_O_NONBLOCK) != 0;
		switch (q->opcode) {
		case REDOX_OP_READ:
			if (len && !buf)
				r = -EFAULT;
			else if (h->kind == SCH_CONN)
				r = sch_conn_read(h, q->tag, buf, len, nonblock, &parked);
			else if (h->kind == SCH_INFER)
				r = sch_infer_read(h, q->tag, buf, len, q->args[3], nonblock,
						   &parked);
			else
				r = sch_file_read(h, buf, len, q->args[3]);
			break;
		case REDOX_OP_WRITE:
			if (len && !buf)
				r = -EFAULT;
			else if (h->kind == SCH_CONN)
				r = sch_conn_write(h, buf, len);
			else if (h->kind == SCH_INFER)
				r = sch_infer_write(h, buf, len);
			else
				r = -EBADF;
			break;
		case REDOX_OP_CALL:
			if (q->sqe_flags & REDOX_SQE_MULTIPLE_IDS || h->kind != SCH_CONN ||
			    q->args[3] != NPU_REDOX_CALL_REQUEST)
				r = -EINVAL;
			else
				r = sch_conn_call(h, q->tag, buf, len, &parked);
			break;
		case REDOX_OP_MMAP_PREP:
			r = h->kind == SCH_CONN ? sch_conn_mmap(h, q->args[1], q->args[3])
						: -ENODEV;
			break;
		case REDOX_OP_MUNMAP:
			r = 0;
			break;
		case REDOX_OP_FSTAT:
			r = op_fstat(h, buf, len);
			break;
		case REDOX_OP_STD_FS_CALL:
			if (q->args[3] == REDOX_STDFS_FSTAT)
				r = op_fstat(h, buf, len);
			else if (q->args[3] == REDOX_STDFS_GETDENTS)
				r = h->kind == SCH_DIR
					? sch_dir_getdents(h, buf, len, q->args[4], q->args[5])
					: -ENOTDIR;
			else
				r = -ENOSYS;
			break;
		case REDOX_OP_FSIZE:
			r = (int64_t)(h->kind == SCH_INFER ? sch_infer_size(h) : h->text_len);
			break;
		case REDOX_OP_FEVENT:
			h->events = (uint32_t)q->args[1];
			h->event_sent = false;
			r = readiness(h) & h->events;
			break;
		case REDOX_OP_FPATH:
			r = op_fpath(h, buf, len);
			break;
		case REDOX_OP_FCNTL:
			r = 0;
			break;
		default:
			r = -ENOSYS;
		}
	}
	if (!parked)
		sch_complete(x, q->tag, r, extra);
}

/*
 * Reads one batch of whole requests and serves them. Returns 1 when the
 * batch was full (more may be queued), 0 when the socket is empty, -EPIPE
 * when it is gone.
 */
static int serve_batch(struct npu_redox_scheme *x)
{
	uint8_t buf[SCH_READ_BATCH * REDOX_SQE_SIZE];
	size_t have = x->in_tail_len, r;

	memcpy(buf, x->in_tail, have);
	r = redox_read_v1(x->sock, buf + have, sizeof(buf) - have);
	if (redox_is_err(r)) {
		int e = redox_errno(r);

		return (e == EAGAIN || e == EWOULDBLOCK || e == EINTR) ? 0 : -EPIPE;
	}
	if (r == 0)
		return -EPIPE;
	have += r;
	for (size_t at = 0; at + REDOX_SQE_SIZE <= have; at += REDOX_SQE_SIZE) {
		struct redox_sqe q;

		memcpy(&q, buf + at, sizeof(q));
		dispatch(x, &q);
	}
	x->in_tail_len = have % REDOX_SQE_SIZE;
	memcpy(x->in_tail, buf + have - x->in_tail_len, x->in_tail_len);
	return have == sizeof(buf);
}

/* Serves what the socket has (it is non-blocking); what is left is the next turn's. */
static int serve_socket(struct npu_redox_scheme *x)
{
	for (unsigned i = 0; i < SCH_READS_A_TURN; i++) {
		int r = serve_batch(x);

		if (r <= 0)
			return r;
	}
	npu_redox_events_mark(x->ev, NPU_REDOX_EV_SOCKET);
	return 0;
}

int npu_redox_scheme_step(struct npu_redox_scheme *x, int timeout_ms)
{
	int ms = npu_server_tick(x->s), ret = 0, ready;

	sch_infer_progress(x);
	flush(x);
	if (ms < 0 || ms > timeout_ms)
		ms = timeout_ms < 0 ? 0 : timeout_ms;
	/*
	 * The one event queue: the interrupt and the socket (events.h). Unlike
	 * npud's Unix loop, nothing watches the interrupt before the wait: the
	 * Redox backend has no irq_take (npu_server_poll would return at once).
	 */
	ready = npu_redox_events_wait(x->ev, NPU_REDOX_EV_IRQ | NPU_REDOX_EV_SOCKET, ms);
	if (ready < 0)
		return -EIO;
	if ((unsigned)ready & NPU_REDOX_EV_IRQ)
		npu_server_irq(x->s);
	if ((unsigned)ready & NPU_REDOX_EV_SOCKET)
		ret = serve_socket(x);
	npu_server_tick(x->s);
	sch_infer_progress(x); /* WAIT replies that came from the interrupt path or the timers */
	if (flush(x))
		return -EPIPE; /* the socket is gone, whatever serving it said */
	return ret;
}

static int make_socket(struct npu_redox_scheme *x)
{
	struct redox_new_fd_params np = { .number = SCH_ROOT_HANDLE, .flags = REDOX_O_RDWR };
	size_t cap, sock, capfd, r;
	int ret;

	cap = redox_open_v1(REDOX_PATH_SCHEME_CAP, strlen(REDOX_PATH_SCHEME_CAP),
			    REDOX_O_RDONLY | REDOX_O_CLOEXEC, 0);
	if (redox_is_err(cap)) {
		npu_err(SRV, "opening the scheme-creation capability: %s",
			strerror(redox_errno(cap)));
		return -redox_errno(cap);
	}
	sock = redox_dup_v1(cap, REDOX_CREATE_SCHEME, strlen(REDOX_CREATE_SCHEME));
	redox_close_v1(cap);
	if (redox_is_err(sock)) {
		npu_err(SRV, "creating the scheme socket: %s", strerror(redox_errno(sock)));
		return -redox_errno(sock);
	}
	x->sock = sock;
	x->sock_open = true;
	/* Non-blocking: the loop reads until the socket is empty and waits on the queue. */
	r = redox_fcntl_v0(sock, REDOX_F_GETFL, 0);
	if (!redox_is_err(r))
		r = redox_fcntl_v0(sock, REDOX_F_SETFL, r | REDOX_O_NONBLOCK);
	if (redox_is_err(r)) {
		npu_err(SRV, "making the scheme socket non-blocking: %s", strerror(redox_errno(r)));
		return -redox_errno(r);
	}
	ret = npu_redox_events_watch(x->ev, sock, NPU_REDOX_EV_SOCKET);
	if (ret)
		return ret;
	capfd = redox_dup_v1(sock, &np, sizeof(np));
	if (redox_is_err(capfd)) {
		npu_err(SRV, "making the scheme's root descriptor: %s",
			strerror(redox_errno(capfd)));
		return -redox_errno(capfd);
	}
	r = redox_register_scheme_to_ns_v0(redox_get_ns_v0(), x->name, strlen(x->name), capfd);
	if (redox_errno(r) == EEXIST) {
		/*
		 * The name outlives the daemon that registered it: this is npud
		 * again after a restart (pcid gave it the device, so no other npud
		 * has it). The stale name goes, this one takes its place.
		 */
		char path[48];

		snprintf(path, sizeof(path), "/scheme/%s", x->name);
		npu_warn(SRV, "%s is registered already (npud restarted?): replacing it", path);
#ifndef __redox__
		if (!npu_redox_unlink)
			ret = -ENOSYS;
		else
#endif
			ret = npu_redox_unlink(path);
		if (ret)
			npu_err(SRV, "removing the stale %s: %s", path, strerror(-ret));
		else
			r = redox_register_scheme_to_ns_v0(redox_get_ns_v0(), x->name,
							   strlen(x->name), capfd);
	}
	redox_close_v1(capfd);
	if (redox_is_err(r)) {
		npu_err(SRV, "registering the scheme '%s': %s", x->name, strerror(redox_errno(r)));
		return -redox_errno(r);
	}
	return 0;
}

int npu_redox_scheme_create(struct npu_server *s, const struct npu_redox_scheme_config *cfg,
			    struct npu_redox_scheme **out)
{
	struct npu_redox_scheme *x;
	const char *name = cfg && cfg->name ? cfg->name : "npu";
	int ret;

	if (!npu_redox_available())
		return -ENOSYS;
	if (!s || !*name || strlen(name) >= sizeof(x->name) || strchr(name, '/'))
		return -EINVAL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->s = s;
	memcpy(x->name, name, strlen(name) + 1); /* shorter than x->name: checked above */
	x->have_group = cfg && cfg->have_group;
	x->group = cfg ? cfg->group : 0;
	x->max_h = cfg && cfg->max_handles ? cfg->max_handles : 256;
	x->ev = npu_redox_platform_events(npu_server_device(s)->plat);
	if (!x->ev) {
		npu_err(SRV, "the npu scheme needs the Redox backend's event queue");
		free(x);
		return -EINVAL;
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of handle pointers */
	x->h = calloc(x->max_h, sizeof(*x->h));
	ret = x->h ? make_socket(x) : -ENOMEM;
	if (ret) {
		npu_redox_scheme_destroy(x);
		return ret;
	}
	*out = x;
	return 0;
}

void npu_redox_scheme_destroy(struct npu_redox_scheme *x)
{
	if (!x)
		return;
	for (unsigned i = 0; x->h && i < x->n_h; i++)
		handle_free(x->h[i]);
	if (x->sock_open)
		redox_close_v1(x->sock);
	free(x->h);
	free(x->out);
	free(x);
}

int npu_redox_scheme_fd(const struct npu_redox_scheme *x)
{
	return (int)x->sock;
}

unsigned npu_redox_scheme_handles(const struct npu_redox_scheme *x)
{
	return x->n_h;
}
