/* SPDX-License-Identifier: MIT */
/*
 * libnpu over a Unix socket, two ways:
 *
 * - against the real server and Linux transport (server.h, unix.h) run on a
 *   thread of this process over the simulated NPU: buffers arrive as memfds
 *   and are mapped, jobs write through that shared memory, waits park in
 *   the server, two handles stay apart, and a server that stops is seen as
 *   gone;
 * - against a fake npud that answers HELLO and QUERY correctly and then
 *   breaks the protocol in one way per test: every such reply is refused
 *   with -EPROTO (and the connection given up), never trusted.
 */
#define _GNU_SOURCE /* memfd_create */
#include "libnpu_test_util.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "driver/device.h"
#include "server/proto.h"
#include "server/server.h"
#include "server/unix.h"

static char dir[] = "/tmp/npu-libnpu-sock-XXXXXX";
static char path[96];

/* ---- the real server on a thread ---- */

struct real {
	struct npu_platform_config pcfg;
	struct npu_platform *plat;
	struct npu_device dev;
	struct npu_server *srv;
	struct npu_unix *u;
	int stop[2];
	pthread_t thread;
	int serve_ret;
};

static void *serve(void *arg)
{
	struct real *r = arg;

	r->serve_ret = npu_unix_serve(r->u, r->srv);
	return NULL;
}

static void on_stop(int fd, void *arg)
{
	char c;

	(void)arg;
	(void)!read(fd, &c, 1);
}

static int real_setup(void **state)
{
	static struct real r;
	struct npu_device_config dcfg = { 0 };
	struct npu_server_config scfg = { .share_fds = true, .owner_uid = (uint32_t)getuid() };
	struct npu_unix_config ucfg = { .path = path, .mode = 0600, .on_stop = on_stop };
	char err[256];

	memset(&r, 0, sizeof(r));
	r.pcfg.device = "sim";
	r.pcfg.gen = NPU_GEN_40XX;
	assert_int_equal(npu_platform_open(&r.pcfg, &r.plat), 0);
	assert_int_equal(drv_device_open(&r.dev, r.plat, &dcfg), 0);
	assert_int_equal(npu_server_create(&r.dev, &scfg, &r.srv), 0);
	assert_int_equal(pipe(r.stop), 0);
	ucfg.stop_fd = r.stop[0];
	if (npu_unix_listen(&ucfg, &r.u, err, sizeof(err)) != 0)
		fail_msg("listen: %s", err);
	assert_int_equal(pthread_create(&r.thread, NULL, serve, &r), 0);
	*state = &r;
	return 0;
}

static void real_stop(struct real *r)
{
	if (!r->u)
		return;
	assert_int_equal(write(r->stop[1], "x", 1), 1);
	pthread_join(r->thread, NULL);
	assert_int_equal(r->serve_ret, 0);
	npu_unix_close(r->u);
	r->u = NULL;
}

static int real_teardown(void **state)
{
	struct real *r = *state;

	real_stop(r);
	npu_server_destroy(r->srv);
	drv_device_close(&r->dev);
	npu_platform_close(r->plat);
	close(r->stop[0]);
	close(r->stop[1]);
	return 0;
}

static struct npu *connect_npud(void)
{
	struct npu_open_opts o = { .socket = path, .client_name = "sock-test" };
	struct npu *n = NULL;

	if (npu_open(&o, &n) != 0)
		fail_msg("npu_open %s: %s", path, npu_last_error(NULL));
	return n;
}

static void test_real_jobs(void **state)
{
	struct npu *n = connect_npud(), *other = connect_npud();
	struct npu_buf *dst, *fence, *cmd, *theirs;
	struct npu_batch *b;
	struct npu_info i;
	struct npu_jv *root;
	uint32_t job, status = 0;
	int done = -1;

	(void)state;
	assert_int_equal(npu_query(n, &i), 0);
	assert_string_equal(i.generation, "40xx");
	assert_string_equal(i.pci_address, "sim");
	/* npud's byte limit per client: a quarter of the memory, in one buffer, then no more. */
	assert_true(i.max_buffer_bytes == i.memory_total_bytes / 4);
	assert_int_equal(npu_buf_create(other, i.max_buffer_bytes, 0, &theirs), 0);
	assert_int_equal(npu_buf_create(other, 4096, 0, &dst), -EDQUOT);
	assert_non_null(strstr(npu_last_error(other), "limit"));
	npu_buf_free(theirs);
	assert_int_equal(npu_buf_create(n, 256 << 10, 0, &dst), 0);
	assert_int_equal(run_fill(n, dst, 256 << 10, 0xE1E1E1E1u), 0);
	assert_bytes(npu_buf_ptr(dst), 256 << 10, 0xE1); /* written by the NPU, seen here */

	/* A job blocked on a fence: WAIT parks in npud and runs out; the fence releases it. */
	assert_int_equal(npu_buf_create(n, 4096, 0, &fence), 0);
	assert_int_equal(npu_buf_create(n, npu_batch_size(n, 4, 0), 0, &cmd), 0);
	assert_int_equal(npu_batch_begin(cmd, 4, &b), 0);
	assert_int_equal(npu_batch_fence_wait(b, npu_buf_va(fence), 5), 0);
	assert_int_equal(npu_batch_fill(b, npu_buf_va(dst), 4096, 0), 0);
	assert_int_equal(npu_batch_end(b), 0);
	assert_int_equal(npu_submit(n, cmd, (struct npu_buf *[]){ fence, dst }, 2, &job), 0);
	assert_int_equal(npu_wait(n, job, 0, &status), -ETIMEDOUT);
	assert_int_equal(npu_wait(n, job, 50, &status), -ETIMEDOUT);
	assert_int_equal(npu_job_query(n, job, &done, &status), 0);
	assert_int_equal(done, 0);
	__atomic_store_n((uint64_t *)npu_buf_ptr(fence), 5, __ATOMIC_RELEASE);
	assert_int_equal(npu_wait(n, job, JOB_MS, &status), 0);
	assert_int_equal(status, 0);
	assert_bytes(npu_buf_ptr(dst), 4096, 0);

	/* The other client: its own buffers; ours are not its to use. */
	assert_int_equal(npu_buf_create(other, 4096, 0, &theirs), 0);
	assert_int_equal(npu_submit(other, cmd, NULL, 0, &job), -EINVAL);
	assert_int_equal(npu_wait(other, job, 0, &status), -ENOENT); /* our job, not its */
	assert_non_null(strstr(npu_last_error(other), "no job"));
	root = check_status_json(n, "40xx");
	assert_non_null(npu_jv_get(root, "clients")->kids->next); /* two clients */
	npu_jv_free(root);
	npu_buf_free(cmd);
	npu_buf_free(fence);
	npu_close(other); /* theirs goes with it */
	npu_close(n);	  /* dst goes with it */
}

static void test_real_server_gone(void **state)
{
	struct real *r = *state;
	struct npu *n = connect_npud();
	struct npu_buf *b;
	struct npu_info i;

	assert_int_equal(npu_buf_create(n, 4096, 0, &b), 0);
	real_stop(r);
	assert_true(npu_query(n, &i) < 0);
	assert_non_null(strstr(npu_last_error(n), "npud"));
	/* The connection is given up: the next call says so at once. */
	assert_true(npu_query(n, &i) < 0);
	assert_non_null(strstr(npu_last_error(n), "closed"));
	npu_close(n);
}

/* ---- a fake npud that breaks the protocol ---- */

enum fake_mode {
	FAKE_GOOD,	 /* everything correct */
	FAKE_BAD_SEQ,	 /* the reply after QUERY has another seq */
	FAKE_BAD_MAGIC,	 /* ... another magic */
	FAKE_BAD_OP,	 /* ... another op */
	FAKE_BAD_SIZE,	 /* ... a header size that is not the message's */
	FAKE_SHORT,	 /* ... a payload shorter than the op's */
	FAKE_HUGE,	 /* ... a message over 64 KiB */
	FAKE_NO_FD,	 /* ... a BUF_CREATE reply without memory */
	FAKE_BAD_BUF,	 /* ... a BUF_CREATE reply with a misaligned address */
	FAKE_STRAY_FD,	 /* ... a JOB_QUERY reply with an fd */
	FAKE_HANG_UP,	 /* ... no reply: the connection closed */
	FAKE_POSITIVE,	 /* ... status 5 */
	FAKE_ERR_TEXT,	 /* ... -EBUSY with a message holding control bytes */
	FAKE_BAD_STRING, /* QUERY with a string that fills its field */
	FAKE_VERSION,	 /* HELLO choosing version 2 */
};

struct fake {
	int listen_fd;
	enum fake_mode mode;
	pthread_t thread;
};

/* The next reply's magic and the difference of its size field from the truth. */
static uint32_t next_magic = NPU_PROTO_RSP_MAGIC;
static int next_size_delta;

static void fake_reply(int fd, const struct npu_req_hdr *q, int status, const void *body,
		       size_t len, int pass_fd)
{
	static uint8_t msg[NPU_PROTO_RSP_MAX + 4096];
	struct npu_rsp_hdr h = { .magic = next_magic,
				 .version = NPU_PROTO_VERSION,
				 .op = q->op,
				 .size = (uint32_t)((int)(sizeof(h) + len) + next_size_delta),
				 .seq = q->seq,
				 .status = status };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(h) + len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	next_magic = NPU_PROTO_RSP_MAGIC;
	next_size_delta = 0;
	memcpy(msg, &h, sizeof(h));
	if (len)
		memcpy(msg + sizeof(h), body, len);
	if (pass_fd >= 0) {
		struct cmsghdr *c;

		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	(void)!sendmsg(fd, &m, MSG_NOSIGNAL);
}

static void fake_answer(struct fake *f, int fd, struct npu_req_hdr *q)
{
	struct npu_rsp_hello hello = { .version = 1,
				       .client_id = 7,
				       .max_buffers = 8,
				       .max_queued_jobs = 4,
				       .max_buffer_bytes = 1 << 20 };
	struct npu_rsp_query query = { .generation = "37xx",
				       .pci_address = "sim",
				       .state = "ready",
				       .capabilities = NPU_CAP_FILL };
	struct npu_rsp_buf buf = { .handle = 1, .va = 0x10000, .size = 4096 };
	struct npu_rsp_job job = { .job_id = 1 };
	uint8_t big[NPU_PROTO_RSP_MAX] = { 0 };
	int mfd;

	if (q->op == NPU_OP_HELLO) {
		hello.version = f->mode == FAKE_VERSION ? 2 : 1;
		fake_reply(fd, q, 0, &hello, sizeof(hello), -1);
		return;
	}
	if (q->op == NPU_OP_QUERY && f->mode == FAKE_BAD_STRING)
		memset(query.platform, 'x', sizeof(query.platform));
	if (q->op == NPU_OP_QUERY) {
		fake_reply(fd, q, 0, &query, sizeof(query), -1);
		return;
	}
	switch (f->mode) {
	case FAKE_BAD_SEQ:
		q->seq++;
		fake_reply(fd, q, 0, &job, sizeof(job), -1);
		return;
	case FAKE_BAD_MAGIC:
		next_magic = NPU_PROTO_REQ_MAGIC;
		fake_reply(fd, q, 0, &job, sizeof(job), -1);
		return;
	case FAKE_BAD_OP:
		q->op = NPU_OP_WAIT; /* a reply to another op */
		fake_reply(fd, q, 0, &job, sizeof(job), -1);
		return;
	case FAKE_BAD_SIZE:
		next_size_delta = 8;
		fake_reply(fd, q, 0, &job, sizeof(job), -1);
		return;
	case FAKE_SHORT:
		fake_reply(fd, q, 0, &job, 8, -1);
		return;
	case FAKE_HUGE:
		fake_reply(fd, q, 0, big, sizeof(big), -1);
		return;
	case FAKE_POSITIVE:
		fake_reply(fd, q, 5, NULL, 0, -1);
		return;
	case FAKE_ERR_TEXT:
		fake_reply(fd, q, -EBUSY, "busy\n\033[2Jnow", sizeof("busy\n\033[2Jnow") - 1, -1);
		return;
	case FAKE_HANG_UP:
		return;
	default:
		break;
	}
	mfd = memfd_create("fake", MFD_CLOEXEC);
	assert_true(mfd >= 0);
	assert_int_equal(ftruncate(mfd, 4096), 0);
	if (f->mode == FAKE_BAD_BUF)
		buf.va += 16;
	if (q->op == NPU_OP_BUF_CREATE)
		fake_reply(fd, q, 0, &buf, sizeof(buf), f->mode == FAKE_NO_FD ? -1 : mfd);
	else
		fake_reply(fd, q, 0, &job, sizeof(job), f->mode == FAKE_STRAY_FD ? mfd : -1);
	close(mfd);
}

static void *fake_serve(void *arg)
{
	struct fake *f = arg;
	int fd = accept(f->listen_fd, NULL, NULL);
	uint8_t req[NPU_PROTO_REQ_MAX];
	ssize_t got;

	while (fd >= 0 &&
	       (got = recv(fd, req, sizeof(req), 0)) >= (ssize_t)sizeof(struct npu_req_hdr)) {
		struct npu_req_hdr q;

		memcpy(&q, req, sizeof(q));
		fake_answer(f, fd, &q);
		if (f->mode == FAKE_HANG_UP && q.op != NPU_OP_HELLO && q.op != NPU_OP_QUERY)
			break;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void fake_start(struct fake *f, enum fake_mode mode)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	unlink(path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	f->mode = mode;
	f->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(f->listen_fd >= 0);
	assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(f->listen_fd, 1), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_serve, f), 0);
}

static void fake_stop(struct fake *f)
{
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	unlink(path);
}

static unsigned open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* One broken reply to the request after open: the call fails as expected, and so does the next. */
static void broken_reply(enum fake_mode mode, int want, const char *text)
{
	struct fake f;
	struct npu *n = NULL;
	struct npu_buf *b;
	uint32_t status;
	int done, ret;
	unsigned fds = open_fds();

	fake_start(&f, mode);
	if (npu_open(&(struct npu_open_opts){ .socket = path }, &n) != 0)
		fail_msg("open: %s", npu_last_error(NULL));
	if (mode == FAKE_NO_FD || mode == FAKE_BAD_BUF)
		ret = npu_buf_create(n, 4096, 0, &b);
	else
		ret = npu_job_query(n, 1, &done, &status);
	if (ret != want || !strstr(npu_last_error(n), text))
		fail_msg("mode %d: %d (%s), expected %d and '%s'", mode, ret, npu_last_error(n),
			 want, text);
	if (want == -EPROTO || mode == FAKE_HANG_UP) {
		/* The connection is given up: the next call fails at once, saying why. */
		assert_int_equal(npu_job_query(n, 1, &done, &status), want);
		assert_non_null(strstr(npu_last_error(n), "closed"));
	}
	npu_close(n);
	fake_stop(&f);
	assert_int_equal(open_fds(), fds); /* nothing that came with a reply is left open */
}

static void test_fake_good(void **state)
{
	struct fake f;
	struct npu *n;
	struct npu_buf *b;
	uint32_t status;
	int done;

	(void)state;
	fake_start(&f, FAKE_GOOD);
	assert_int_equal(npu_open(&(struct npu_open_opts){ .socket = path }, &n), 0);
	assert_int_equal(npu_buf_create(n, 4096, 0, &b), 0);
	assert_int_equal(npu_buf_va(b), 0x10000);
	memset(npu_buf_ptr(b), 1, 4096);
	assert_int_equal(npu_job_query(n, 1, &done, &status), 0);
	npu_close(n);
	fake_stop(&f);
}

static void test_fake_broken(void **state)
{
	(void)state;
	broken_reply(FAKE_BAD_SEQ, -EPROTO, "sequence number");
	broken_reply(FAKE_BAD_MAGIC, -EPROTO, "magic");
	broken_reply(FAKE_BAD_OP, -EPROTO, "answers op");
	broken_reply(FAKE_BAD_SIZE, -EPROTO, "header says");
	broken_reply(FAKE_SHORT, -EPROTO, "bytes of payload");
	broken_reply(FAKE_HUGE, -EPROTO, "larger than");
	broken_reply(FAKE_NO_FD, -EPROTO, "no memory");
	broken_reply(FAKE_BAD_BUF, -EPROTO, "NPU address 0x10010");
	broken_reply(FAKE_STRAY_FD, -EPROTO, "memory came with it");
	broken_reply(FAKE_POSITIVE, -EPROTO, "status 5");
	broken_reply(FAKE_HANG_UP, -ECONNRESET, "closed the connection");
	broken_reply(FAKE_ERR_TEXT, -EBUSY, "busy??[2Jnow");
}

static void test_fake_open(void **state)
{
	struct fake f;
	struct npu *n = NULL;

	(void)state;
	fake_start(&f, FAKE_BAD_STRING);
	assert_int_equal(npu_open(&(struct npu_open_opts){ .socket = path }, &n), -EPROTO);
	assert_non_null(strstr(npu_last_error(NULL), "platform"));
	assert_null(n);
	fake_stop(&f);
	fake_start(&f, FAKE_VERSION);
	assert_int_equal(npu_open(&(struct npu_open_opts){ .socket = path }, &n), -EPROTO);
	assert_non_null(strstr(npu_last_error(NULL), "version 2"));
	fake_stop(&f);
}

int main(void)
{
	const struct CMUnitTest real[] = {
		cmocka_unit_test(test_real_jobs),
		cmocka_unit_test(test_real_server_gone), /* last: it stops the server */
	};
	const struct CMUnitTest fake[] = {
		cmocka_unit_test(test_fake_good),
		cmocka_unit_test(test_fake_broken),
		cmocka_unit_test(test_fake_open),
	};
	int ret;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/npud.sock", dir);
	setenv("NPU_FIRMWARE_PATH", dir, 1); /* no image there: the synthetic one */
	ret = cmocka_run_group_tests_name("real npud", real, real_setup, real_teardown);
	ret |= cmocka_run_group_tests_name("fake npud", fake, NULL, NULL);
	unlink(path);
	rmdir(dir);
	return ret;
}
