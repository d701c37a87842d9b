/* SPDX-License-Identifier: MIT */
/*
 * A vfio-user client for the tests of npu-vfio-user's protocol: the server
 * (vu_conn_serve) runs on a thread at one end of a socketpair, the test
 * speaks QEMU's docs/interop/vfio-user.rst at the other.
 */
#ifndef NPU_TEST_VFIO_TEST_UTIL_H
#define NPU_TEST_VFIO_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/sim.h"
#include "util/bytes.h"
#include "vfio/vu_conn.h"
#include "vfio/vu_dev.h"

/* MMU registers, BAR0 + 0x200000 (docs/firmware-protocol.md §5.1), restated. */
#define R_CR0	    0x200020u
#define R_IRQ_CTRL  0x200050u
#define R_GERROR    0x200060u
#define R_CMDQ_BASE 0x200090u
#define R_CMDQ_PROD 0x200098u
#define R_CMDQ_CONS 0x20009Cu
#define CR0_CMDQEN  0x8u
#define CMD_SYNC    0x46u
#define CONS_ERR(v) (((v) >> 24) & 0x7Fu)
#define ERR_ILL	    1u
#define ERR_ABT	    2u
#define IOVA	    0x40000000ull
#define MAP_SIZE    0x10000ull

struct vt {
	struct npu_sim *sim;
	struct vu_dev dev;
	int fd; /* the client's end */
	pthread_t thread;
	int server_fd;
	uint16_t next_id;
};

static void *vt_serve(void *arg)
{
	struct vt *t = arg;

	vu_conn_serve(&t->dev, t->server_fd, NULL);
	return NULL;
}

/* A new client connection to the same device. */
static inline void vt_connect(struct vt *t)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	t->fd = sv[0];
	t->server_fd = sv[1];
	assert_int_equal(pthread_create(&t->thread, NULL, vt_serve, t), 0);
}

/* The client hangs up; the server thread ends. */
static inline void vt_hangup(struct vt *t)
{
	close(t->fd);
	t->fd = -1;
	pthread_join(t->thread, NULL);
}

static inline struct vt *vt_open(enum npu_gen gen, uint16_t device_id)
{
	struct npu_sim_config sc = { .gen = gen, .mem_size = 4096 };
	struct vu_dev_config dc = { .gen = gen, .device_id = device_id };
	struct vt *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	assert_int_equal(npu_sim_create(&sc, &t->sim), 0);
	assert_int_equal(vu_dev_init(&t->dev, t->sim, &dc), 0);
	vt_connect(t);
	return t;
}

static inline void vt_close(struct vt *t)
{
	if (t->fd >= 0)
		vt_hangup(t);
	vu_dev_fini(&t->dev);
	npu_sim_destroy(t->sim);
	free(t);
}

/* cmocka fixtures: a 37xx device with a connected client. */
static inline int setup37(void **state)
{
	*state = vt_open(NPU_GEN_37XX, 0);
	return 0;
}

static inline int teardown(void **state)
{
	vt_close(*state);
	return 0;
}

/* Sends a message; returns its id. */
static inline uint16_t vt_send(struct vt *t, uint16_t cmd, uint32_t flags, const void *payload,
			       size_t len, const int *fds, size_t nfds)
{
	uint8_t *buf = malloc(VU_HDR_SIZE + len);
	union {
		char b[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	uint16_t id = t->next_id++;

	assert_non_null(buf);
	npu_put_le16(buf, id);
	npu_put_le16(buf + 2, cmd);
	npu_put_le32(buf + 4, (uint32_t)(VU_HDR_SIZE + len));
	npu_put_le32(buf + 8, flags);
	npu_put_le32(buf + 12, 0);
	if (len)
		memcpy(buf + VU_HDR_SIZE, payload, len);
	iov.iov_base = buf;
	iov.iov_len = VU_HDR_SIZE + len;
	if (nfds) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	assert_int_equal(sendmsg(t->fd, &mh, MSG_NOSIGNAL), (ssize_t)(VU_HDR_SIZE + len));
	free(buf);
	return id;
}

/* Raw bytes, as a hostile client would send them. */
static inline void vt_send_raw(struct vt *t, const void *b, size_t len)
{
	assert_int_equal(send(t->fd, b, len, MSG_NOSIGNAL), (ssize_t)len);
}

static inline int vt_read_full(int fd, uint8_t *b, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, b + got, len - got, 0);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/*
 * Reads one reply into buf (cap bytes); returns its payload length, or -1
 * when the server closed the connection. *err: the error field (0: success).
 */
static inline long vt_recv(struct vt *t, uint16_t id, uint8_t *buf, size_t cap, uint32_t *err)
{
	uint32_t size, flags;

	if (vt_read_full(t->fd, buf, VU_HDR_SIZE))
		return -1;
	size = npu_le32(buf + 4);
	assert_true(size >= VU_HDR_SIZE && size <= cap);
	assert_int_equal(vt_read_full(t->fd, buf + VU_HDR_SIZE, size - VU_HDR_SIZE), 0);
	assert_int_equal(npu_le16(buf), id);
	flags = npu_le32(buf + 8);
	assert_int_equal(flags & VU_FLAG_TYPE_MASK, VU_FLAG_REPLY);
	*err = (flags & VU_FLAG_ERROR) ? npu_le32(buf + 12) : 0;
	if (flags & VU_FLAG_ERROR)
		assert_int_not_equal(*err, 0);
	return (long)(size - VU_HDR_SIZE);
}

/* A command and its reply: the error (0: success), the payload into out (out_cap bytes). */
static inline uint32_t vt_call(struct vt *t, uint16_t cmd, const void *payload, size_t len,
			       const int *fds, size_t nfds, void *out, size_t out_cap)
{
	static uint8_t buf[VU_HDR_SIZE + 8192];
	uint32_t err = 0;
	uint16_t id = vt_send(t, cmd, 0, payload, len, fds, nfds);
	long n = vt_recv(t, id, buf, sizeof(buf), &err);

	assert_true(n >= 0);
	if (out) {
		assert_true((size_t)n <= out_cap);
		memcpy(out, buf + VU_HDR_SIZE, (size_t)n);
	}
	return err;
}

static inline void vt_version(struct vt *t)
{
	static const char caps[] = "{\"capabilities\":{\"max_msg_fds\":16}}";
	uint8_t p[4 + sizeof(caps)];

	npu_put_le16(p, 0);
	npu_put_le16(p + 2, 0);
	memcpy(p + 4, caps, sizeof(caps));
	assert_int_equal(vt_call(t, VU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL, 0), 0);
}

/* REGION_READ of count (<= 8) bytes; the error, the value in *val. */
static inline uint32_t vt_region_read(struct vt *t, uint32_t region, uint64_t off, uint32_t count,
				      uint64_t *val)
{
	uint8_t p[16], r[16 + 4096];
	uint32_t err;

	npu_put_le64(p, off);
	npu_put_le32(p + 8, region);
	npu_put_le32(p + 12, count);
	err = vt_call(t, VU_CMD_REGION_READ, p, sizeof(p), NULL, 0, r, sizeof(r));
	if (!err) {
		uint8_t v[8] = { 0 };

		assert_int_equal(npu_le32(r + 12), count);
		memcpy(v, r + 16, count < 8 ? count : 8);
		*val = npu_le64(v);
	}
	return err;
}

/* REGION_WRITE; posted (No_reply) when post, then no reply is read. */
static inline uint32_t vt_region_write(struct vt *t, uint32_t region, uint64_t off, uint32_t count,
				       uint64_t val, bool post)
{
	uint8_t p[16 + 8];

	npu_put_le64(p, off);
	npu_put_le32(p + 8, region);
	npu_put_le32(p + 12, count);
	npu_put_le64(p + 16, val);
	if (post) {
		vt_send(t, VU_CMD_REGION_WRITE, VU_FLAG_NO_REPLY, p, 16 + count, NULL, 0);
		return 0;
	}
	return vt_call(t, VU_CMD_REGION_WRITE, p, 16 + count, NULL, 0, NULL, 0);
}

static inline uint32_t vt_cfg32(struct vt *t, uint64_t off)
{
	uint64_t v = 0;

	assert_int_equal(vt_region_read(t, VU_PCI_CONFIG_REGION, off, 4, &v), 0);
	return (uint32_t)v;
}

/* Open fds of this process (the server runs in it too: a leak shows here). */
static inline int vt_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Guest memory for DMA_MAP, and the model's MMU registers read through BAR0. */
static inline int memfd_pages(size_t size, uint8_t **map)
{
	int fd = memfd_create("guest-ram", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(*map != MAP_FAILED);
	return fd;
}

static inline uint32_t dma_map(struct vt *t, uint64_t iova, uint64_t size, uint64_t off, int fd)
{
	uint8_t p[32];

	npu_put_le32(p, 32);
	npu_put_le32(p + 4, VU_DMA_MAP_FLAG_READ | VU_DMA_MAP_FLAG_WRITE);
	npu_put_le64(p + 8, off);
	npu_put_le64(p + 16, iova);
	npu_put_le64(p + 24, size);
	return vt_call(t, VU_CMD_DMA_MAP, p, sizeof(p), &fd, fd >= 0 ? 1 : 0, NULL, 0);
}

static inline uint32_t dma_unmap(struct vt *t, uint64_t iova, uint64_t size, uint32_t flags)
{
	uint8_t p[24], r[24];
	uint32_t err;

	npu_put_le32(p, 24);
	npu_put_le32(p + 4, flags);
	npu_put_le64(p + 8, iova);
	npu_put_le64(p + 16, size);
	err = vt_call(t, VU_CMD_DMA_UNMAP, p, sizeof(p), NULL, 0, r, sizeof(r));
	if (!err)
		assert_int_equal(npu_le64(r + 8), iova);
	return err;
}

static inline uint32_t mmu_rd(struct vt *t, uint64_t off)
{
	uint64_t v = 0;

	assert_int_equal(vt_region_read(t, 0, off, 4, &v), 0);
	return (uint32_t)v;
}

#endif
