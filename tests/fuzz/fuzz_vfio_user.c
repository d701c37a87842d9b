/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of npu-vfio-user's message parser (src/vfio/vu_dev.c): what a
 * hostile or broken vfio-user client sends (QEMU's docs/interop/vfio-user.rst).
 *
 * One simulated 37xx NPU behind one vfio-user device, made once. An input is
 * one byte of options, then messages back to back: each is taken as its
 * header's size says (the rest of the input when it says more; a size that
 * is not the message's own is what a broken stream looks like, and the
 * parser must drop it). Options: bit 0 gives every DMA_MAP a 64 KiB memfd,
 * bit 1 every DEVICE_SET_IRQS an eventfd, bit 2 a stray eventfd to every
 * other message. After each input the client goes away (vu_dev_disconnect):
 * every input starts from a fresh device.
 *
 * It traps when a reply is malformed (not a reply, not the command's id, a
 * size other than its length, longer than the buffer), when an fd given to
 * the parser is still open and not one it keeps (a DMA region's memory is
 * mapped, not kept as an fd; an eventfd is kept only as the device's
 * interrupt), or when the device's invariants break (DMA regions sorted and
 * disjoint).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/sim.h"
#include "util/bytes.h"
#include "util/log.h"
#include "vfio/vu_dev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_SIZE 0x10000u

static struct npu_sim *sim;
static struct vu_dev dev;
static struct vu_reply out;
static uint8_t *msgbuf;

static void trap(void)
{
	__builtin_trap();
}

static void init_once(void)
{
	struct npu_sim_config sc = { .gen = NPU_GEN_37XX, .mem_size = 4096 };
	struct vu_dev_config dc = { .gen = NPU_GEN_37XX };

	if (sim)
		return;
	if (npu_sim_create(&sc, &sim) != 0 || vu_dev_init(&dev, sim, &dc) != 0)
		trap();
	out.buf = malloc(VU_MAX_MSG);
	msgbuf = malloc(VU_MAX_MSG);
	if (!out.buf || !msgbuf)
		trap();
}

static int make_fd(bool memory)
{
	int fd;

	if (!memory)
		return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	fd = memfd_create("fuzz-ram", MFD_CLOEXEC);
	if (fd >= 0 && ftruncate(fd, RAM_SIZE) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

static bool kept_by_device(int fd)
{
	for (unsigned i = 0; i < VU_PCI_NUM_IRQS; i++)
		if (dev.irq_fd[i] == fd)
			return true;
	return false;
}

static void check_reply(const uint8_t *msg, size_t len)
{
	if (!out.len)
		return;
	if (out.len < VU_HDR_SIZE || out.len > VU_MAX_MSG ||
	    npu_le32(out.buf + VU_HDR_SIZE_OFF) != out.len || len < VU_HDR_SIZE ||
	    memcmp(out.buf, msg, 4) != 0 ||
	    (npu_le32(out.buf + VU_HDR_FLAGS) & VU_FLAG_TYPE_MASK) != VU_FLAG_REPLY)
		trap();
	/* An error reply carries an errno and nothing else. */
	if ((npu_le32(out.buf + VU_HDR_FLAGS) & VU_FLAG_ERROR) &&
	    (out.len != VU_HDR_SIZE || npu_le32(out.buf + VU_HDR_ERROR) == 0))
		trap();
}

static void check_dma(void)
{
	for (unsigned i = 0; i < dev.dma.n; i++) {
		const struct vu_dma_region *r = &dev.dma.r[i];

		if (r->size == 0 || r->iova + r->size < r->iova)
			trap();
		if (i && dev.dma.r[i - 1].iova + dev.dma.r[i - 1].size > r->iova)
			trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t opts;
	size_t pos = 1;

	init_once();
	if (size < 1)
		return 0;
	opts = data[0];
	while (pos < size) {
		size_t left = size - pos, len = left;
		int fds[2] = { -1, -1 };
		size_t nfds = 0;
		uint16_t cmd = 0;

		if (left >= VU_HDR_SIZE) {
			uint32_t want = npu_le32(data + pos + VU_HDR_SIZE_OFF);

			cmd = npu_le16(data + pos + VU_HDR_CMD);
			if (want >= VU_HDR_SIZE && want < left)
				len = want;
		}
		if (len > VU_MAX_MSG)
			len = VU_MAX_MSG;
		memcpy(msgbuf, data + pos, len);
		pos += len;
		if (cmd == VU_CMD_DMA_MAP && (opts & 1))
			fds[nfds++] = make_fd(true);
		else if (cmd == VU_CMD_DEVICE_SET_IRQS && (opts & 2))
			fds[nfds++] = make_fd(false);
		else if (opts & 4)
			fds[nfds++] = make_fd(false);
		if (nfds && fds[0] < 0)
			nfds = 0;
		{
			int given[2] = { fds[0], fds[1] };

			vu_dev_handle(&dev, msgbuf, len, fds, nfds, &out);
			check_reply(msgbuf, len);
			/* Every fd given is closed by now, unless the device keeps it as an eventfd. */
			for (size_t i = 0; i < nfds; i++)
				if (fd_open(given[i]) && !kept_by_device(given[i]))
					trap();
		}
		check_dma();
		if (out.close)
			break;
	}
	vu_dev_disconnect(&dev);
	if (dev.dma.n != 0)
		trap();
	return 0;
}
