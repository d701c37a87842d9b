/* SPDX-License-Identifier: MIT */
/*
 * The vfio-user commands of the virtual NPU (QEMU's docs/interop/
 * vfio-user.rst): one message in, at most one reply out.
 *
 * Every length is checked before a field is read; every fd that came with a
 * message is kept (DMA_MAP, SET_IRQS with eventfds) or closed. A command
 * with the No_reply flag gets no reply, not even an error (QEMU posts BAR
 * writes so: a reply would put the stream out of step). A message the stream
 * cannot be trusted after (a reply where only commands come, an unknown
 * type) closes the connection; anything else malformed gets an error reply.
 */
#include "vfio/vu_dev.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hw/pci_ids.h"
#include "sim/sim.h"
#include "sim/sim_ctl.h"
#include "sim/sim_mem_backend.h"
#include "util/bytes.h"
#include "util/log.h"

/* The capabilities the server states in its VERSION reply. */
#define CAPS_JSON                                                                         \
	"{\"capabilities\":{\"max_msg_fds\":%u,\"max_data_xfer_size\":%u,\"pgsizes\":%u," \
	"\"max_dma_maps\":%u}}"

int vu_dev_init(struct vu_dev *d, struct npu_sim *sim, const struct vu_dev_config *cfg)
{
	memset(d, 0, sizeof(*d));
	if (!sim || !cfg)
		return -EINVAL;
	if (cfg->gen != NPU_GEN_37XX && cfg->gen != NPU_GEN_40XX)
		return -EOPNOTSUPP;
	d->sim = sim;
	d->gen = cfg->gen;
	d->device_id = cfg->device_id;
	if (!d->device_id)
		d->device_id = cfg->gen == NPU_GEN_37XX ? NPU_PCI_DEVICE_MTL : NPU_PCI_DEVICE_LNL;
	d->revision = cfg->revision ? cfg->revision : NPU_VU_REVISION_DEFAULT;
	for (unsigned i = 0; i < VU_PCI_NUM_IRQS; i++)
		d->irq_fd[i] = -1;
	vu_pci_init(d);
	npu_sim_set_mem_backend(sim, &vu_dma_mem_ops, &d->dma);
	return 0;
}

static void irqs_close(struct vu_dev *d)
{
	for (unsigned i = 0; i < VU_PCI_NUM_IRQS; i++) {
		if (d->irq_fd[i] >= 0)
			close(d->irq_fd[i]);
		d->irq_fd[i] = -1;
	}
	d->intx_masked = false;
	d->intx_pending = false;
}

void vu_dev_disconnect(struct vu_dev *d)
{
	/* The model first: no DMA of a firmware still running into regions about to go. */
	npu_sim_reset(d->sim);
	vu_dma_unmap(d, 0, 0, true);
	irqs_close(d);
	vu_pci_init(d);
	d->negotiated = false;
}

void vu_dev_fini(struct vu_dev *d)
{
	if (!d->sim)
		return;
	vu_dev_disconnect(d);
	npu_sim_set_mem_backend(d->sim, NULL, NULL);
	vu_dma_fini(d);
	d->sim = NULL;
}

void vu_dev_reset(struct vu_dev *d, const char *what)
{
	npu_info(PCI, "%s", what);
	d->resets++;
	vu_pci_init(d);
	npu_sim_reset(d->sim);
}

/* ---- interrupts ---- */

static void irq_write(int fd)
{
	uint64_t one = 1;

	/* A full eventfd is already signalled, which is all the write is for. */
	if (write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		npu_warn(PCI, "interrupt eventfd write failed: %s", strerror(errno));
}

static void irq_send(struct vu_dev *d)
{
	if (d->irq_fd[VU_PCI_MSI_IRQ] >= 0) {
		irq_write(d->irq_fd[VU_PCI_MSI_IRQ]);
		d->irqs_sent++;
	} else if (d->irq_fd[VU_PCI_INTX_IRQ] >= 0 && vu_pci_intx_enabled(d)) {
		if (d->intx_masked) {
			d->intx_pending = true;
			return;
		}
		/* INTx is automasked: the client unmasks after the guest's EOI. */
		d->intx_masked = true;
		irq_write(d->irq_fd[VU_PCI_INTX_IRQ]);
		d->irqs_sent++;
	} else {
		d->irqs_dropped++;
	}
}

void vu_dev_irq(struct vu_dev *d)
{
	/*
	 * The model's line rose (it signals edges: sim.c). Re-armed before the
	 * MSI goes out, so a source raised after the guest's handler looked is
	 * signalled again (sim_ctl.h).
	 */
	npu_sim_irq_rearm(d->sim);
	irq_send(d);
}

/* ---- replies ---- */

static void reply_hdr(const uint8_t *msg, struct vu_reply *out, size_t payload)
{
	memcpy(out->buf, msg, 4); /* id and command */
	npu_put_le32(out->buf + VU_HDR_SIZE_OFF, (uint32_t)(VU_HDR_SIZE + payload));
	npu_put_le32(out->buf + VU_HDR_FLAGS, VU_FLAG_REPLY);
	npu_put_le32(out->buf + VU_HDR_ERROR, 0);
	out->len = VU_HDR_SIZE + payload;
}

static void reply_error(const uint8_t *msg, struct vu_reply *out, int err)
{
	reply_hdr(msg, out, 0);
	npu_put_le32(out->buf + VU_HDR_FLAGS, VU_FLAG_REPLY | VU_FLAG_ERROR);
	npu_put_le32(out->buf + VU_HDR_ERROR, (uint32_t)err);
}

static void close_fds(int *fds, size_t nfds)
{
	for (size_t i = 0; i < nfds; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* ---- commands; each returns 0 (reply built in out) or a negative errno ---- */

static int cmd_version(struct vu_dev *d, const uint8_t *p, size_t n, const uint8_t *msg,
		       struct vu_reply *out)
{
	int len;

	if (d->negotiated || n < 4)
		return -EINVAL;
	if (npu_le16(p) != VU_VERSION_MAJOR)
		return -ENOTSUP;
	npu_put_le16(out->buf + VU_HDR_SIZE, VU_VERSION_MAJOR);
	npu_put_le16(out->buf + VU_HDR_SIZE + 2, VU_VERSION_MINOR);
	len = snprintf((char *)out->buf + VU_HDR_SIZE + 4, 256, CAPS_JSON, VU_MAX_FDS,
		       VU_MAX_DATA_XFER, VU_PAGE_SIZE, VU_MAX_DMA_MAPS);
	reply_hdr(msg, out, 4 + (size_t)len + 1); /* the NUL is part of the message */
	d->negotiated = true;
	npu_dbg(PCI, "vfio-user %u.%u negotiated", VU_VERSION_MAJOR, VU_VERSION_MINOR);
	return 0;
}

static int cmd_device_info(const uint8_t *p, size_t n, const uint8_t *msg, struct vu_reply *out)
{
	uint8_t *r = out->buf + VU_HDR_SIZE;

	if (n < 4 || npu_le32(p) < VU_DEVICE_INFO_SIZE)
		return -EINVAL;
	reply_hdr(msg, out, VU_DEVICE_INFO_SIZE);
	npu_put_le32(r, VU_DEVICE_INFO_SIZE);
	npu_put_le32(r + 4, VU_DEVICE_FLAG_RESET | VU_DEVICE_FLAG_PCI);
	npu_put_le32(r + 8, VU_PCI_NUM_REGIONS);
	npu_put_le32(r + 12, VU_PCI_NUM_IRQS);
	return 0;
}

static uint64_t region_size(const struct vu_dev *d, uint32_t index)
{
	if (index <= VU_PCI_BAR5_REGION)
		return d->bar_size[index];
	if (index == VU_PCI_CONFIG_REGION)
		return VU_CFG_SIZE;
	return 0;
}

static int cmd_region_info(struct vu_dev *d, const uint8_t *p, size_t n, const uint8_t *msg,
			   struct vu_reply *out)
{
	uint8_t *r = out->buf + VU_HDR_SIZE;
	uint32_t index;
	uint64_t size;

	if (n < 12 || npu_le32(p) < VU_REGION_INFO_SIZE)
		return -EINVAL;
	index = npu_le32(p + 8);
	if (index >= VU_PCI_NUM_REGIONS)
		return -EINVAL;
	size = region_size(d, index);
	reply_hdr(msg, out, VU_REGION_INFO_SIZE);
	memset(r, 0, VU_REGION_INFO_SIZE);
	npu_put_le32(r, VU_REGION_INFO_SIZE);
	npu_put_le32(r + 4, size ? VU_REGION_FLAG_READ | VU_REGION_FLAG_WRITE : 0);
	npu_put_le32(r + 8, index);
	npu_put_le64(r + 16, size);
	return 0;
}

static uint32_t irq_count(uint32_t index)
{
	return index == VU_PCI_INTX_IRQ || index == VU_PCI_MSI_IRQ ? 1 : 0;
}

static int cmd_irq_info(const uint8_t *p, size_t n, const uint8_t *msg, struct vu_reply *out)
{
	uint8_t *r = out->buf + VU_HDR_SIZE;
	uint32_t index, flags = 0;

	if (n < 12 || npu_le32(p) < VU_IRQ_INFO_SIZE)
		return -EINVAL;
	index = npu_le32(p + 8);
	if (index >= VU_PCI_NUM_IRQS)
		return -EINVAL;
	if (index == VU_PCI_INTX_IRQ)
		flags = VU_IRQ_INFO_EVENTFD | VU_IRQ_INFO_MASKABLE | VU_IRQ_INFO_AUTOMASKED;
	else if (index == VU_PCI_MSI_IRQ)
		flags = VU_IRQ_INFO_EVENTFD | VU_IRQ_INFO_NORESIZE;
	reply_hdr(msg, out, VU_IRQ_INFO_SIZE);
	npu_put_le32(r, VU_IRQ_INFO_SIZE);
	npu_put_le32(r + 4, flags);
	npu_put_le32(r + 8, index);
	npu_put_le32(r + 12, irq_count(index));
	return 0;
}

static bool one_bit(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int cmd_set_irqs(struct vu_dev *d, const uint8_t *p, size_t n, int *fds, size_t nfds,
			const uint8_t *msg, struct vu_reply *out)
{
	uint32_t flags, index, start, count, data, action, max;

	if (n < VU_SET_IRQS_SIZE || npu_le32(p) < VU_SET_IRQS_SIZE)
		return -EINVAL;
	flags = npu_le32(p + 4);
	index = npu_le32(p + 8);
	start = npu_le32(p + 12);
	count = npu_le32(p + 16);
	data = flags & VU_IRQ_SET_DATA_MASK;
	action = flags & VU_IRQ_SET_ACTION_MASK_ALL;
	if ((flags & ~(VU_IRQ_SET_DATA_MASK | VU_IRQ_SET_ACTION_MASK_ALL)) || !one_bit(data) ||
	    !one_bit(action) || index >= VU_PCI_NUM_IRQS)
		return -EINVAL;
	if (nfds && !(data == VU_IRQ_SET_DATA_EVENTFD && action == VU_IRQ_SET_ACTION_TRIGGER))
		return -EINVAL;
	max = irq_count(index);
	/* DATA_NONE, TRIGGER, count 0: every interrupt of the index off. */
	if (count == 0 && data == VU_IRQ_SET_DATA_NONE && action == VU_IRQ_SET_ACTION_TRIGGER) {
		if (d->irq_fd[index] >= 0)
			close(d->irq_fd[index]);
		d->irq_fd[index] = -1;
		goto done;
	}
	if (start >= max || count > max - start || count == 0)
		return -EINVAL;
	/* Here max is 1: start 0, count 1. */
	if (action == VU_IRQ_SET_ACTION_MASK || action == VU_IRQ_SET_ACTION_UNMASK) {
		if (index != VU_PCI_INTX_IRQ || data != VU_IRQ_SET_DATA_NONE)
			return -EINVAL;
		d->intx_masked = action == VU_IRQ_SET_ACTION_MASK;
		if (!d->intx_masked && d->intx_pending) {
			d->intx_pending = false;
			irq_send(d);
		}
		goto done;
	}
	if (data == VU_IRQ_SET_DATA_EVENTFD) {
		/* Either an fd per vector, or none: every vector's eventfd off. */
		if (nfds != 0 && nfds != count)
			return -EINVAL;
		if (d->irq_fd[index] >= 0)
			close(d->irq_fd[index]);
		d->irq_fd[index] = nfds ? fds[0] : -1;
		if (nfds)
			fds[0] = -1; /* kept */
		npu_dbg(PCI, "%s eventfd %s", index == VU_PCI_MSI_IRQ ? "MSI" : "INTx",
			nfds ? "set" : "cleared");
		goto done;
	}
	if (data == VU_IRQ_SET_DATA_BOOL) {
		if (n < VU_SET_IRQS_SIZE + 1)
			return -EINVAL;
		if (!p[VU_SET_IRQS_SIZE])
			goto done;
	}
	/* TRIGGER with no data or a true: the interrupt is signalled now (a loopback test). */
	if (d->irq_fd[index] >= 0)
		irq_write(d->irq_fd[index]);
done:
	reply_hdr(msg, out, 0);
	return 0;
}

/* Whether [off, off + count) lies inside a region of size bytes (no sum may wrap). */
static bool in_region(uint64_t off, uint32_t count, uint64_t size)
{
	return count != 0 && off < size && count <= size - off;
}

static void bar_read(struct vu_dev *d, unsigned bar, uint64_t off, uint8_t *buf, uint32_t count)
{
	if (!vu_pci_mem_enabled(d)) {
		memset(buf, 0xFF, count); /* a function in D3hot does not answer its BARs */
		return;
	}
	if (count == 8 && !(off & 3)) {
		npu_put_le64(buf, npu_sim_read64(d->sim, bar, off));
		return;
	}
	for (uint32_t i = 0; i < count;) {
		uint64_t a = off + i;
		uint32_t v = npu_sim_read32(d->sim, bar, a & ~(uint64_t)3);
		uint32_t k = (uint32_t)(a & 3);

		/* Bytes of one dword per read (a narrow read sees its lanes). */
		for (; k < 4 && i < count; k++, i++)
			buf[i] = (uint8_t)(v >> (8 * k));
	}
}

static void bar_write(struct vu_dev *d, unsigned bar, uint64_t off, const uint8_t *buf,
		      uint32_t count)
{
	if (!vu_pci_mem_enabled(d))
		return;
	if (count == 8 && !(off & 3)) {
		npu_sim_write64(d->sim, bar, off, npu_le64(buf));
		return;
	}
	if ((off & 3) || (count & 3)) {
		/* The registers take whole dwords (docs/hardware.md §2.0): not delivered. */
		npu_dbg(PCI, "BAR%u write of %u bytes at 0x%llx: not whole dwords, dropped", bar,
			count, (unsigned long long)off);
		return;
	}
	for (uint32_t i = 0; i < count; i += 4)
		npu_sim_write32(d->sim, bar, off + i, npu_le32(buf + i));
}

static int cmd_region_rw(struct vu_dev *d, bool write, const uint8_t *p, size_t n,
			 const uint8_t *msg, struct vu_reply *out)
{
	uint64_t off;
	uint32_t region, count;
	uint8_t *data = out->buf + VU_HDR_SIZE + VU_REGION_RW_SIZE;

	if (n < VU_REGION_RW_SIZE)
		return -EINVAL;
	off = npu_le64(p);
	region = npu_le32(p + 8);
	count = npu_le32(p + 12);
	if (count > VU_MAX_DATA_XFER || region >= VU_PCI_NUM_REGIONS ||
	    !in_region(off, count, region_size(d, region)))
		return -EINVAL;
	if (write && n - VU_REGION_RW_SIZE < count)
		return -EINVAL;
	if (region == VU_PCI_CONFIG_REGION) {
		if (write)
			vu_pci_write(d, off, p + VU_REGION_RW_SIZE, count);
		else
			vu_pci_read(d, off, data, count);
	} else if (write) {
		bar_write(d, region, off, p + VU_REGION_RW_SIZE, count);
	} else {
		bar_read(d, region, off, data, count);
	}
	reply_hdr(msg, out, VU_REGION_RW_SIZE + (write ? 0 : count));
	memcpy(out->buf + VU_HDR_SIZE, p, VU_REGION_RW_SIZE);
	return 0;
}

static int cmd_dma_map(struct vu_dev *d, const uint8_t *p, size_t n, int *fds, size_t nfds,
		       const uint8_t *msg, struct vu_reply *out)
{
	int ret;

	if (n < VU_DMA_MAP_SIZE || npu_le32(p) < VU_DMA_MAP_SIZE || nfds > 1)
		return -EINVAL;
	ret = vu_dma_map(d, npu_le64(p + 16), npu_le64(p + 24), npu_le64(p + 8), npu_le32(p + 4),
			 nfds ? fds[0] : -1);
	if (ret)
		return ret;
	reply_hdr(msg, out, 0);
	return 0;
}

static int cmd_dma_unmap(struct vu_dev *d, const uint8_t *p, size_t n, const uint8_t *msg,
			 struct vu_reply *out)
{
	uint32_t flags;
	uint64_t iova, size;
	int ret;

	if (n < VU_DMA_UNMAP_SIZE || npu_le32(p) < VU_DMA_UNMAP_SIZE)
		return -EINVAL;
	flags = npu_le32(p + 4);
	iova = npu_le64(p + 8);
	size = npu_le64(p + 16);
	if (flags & VU_DMA_UNMAP_FLAG_DIRTY)
		return -ENOTSUP;
	if (flags & ~VU_DMA_UNMAP_FLAG_ALL)
		return -EINVAL;
	if ((flags & VU_DMA_UNMAP_FLAG_ALL) && (iova || size))
		return -EINVAL;
	ret = vu_dma_unmap(d, iova, size, flags & VU_DMA_UNMAP_FLAG_ALL);
	if (ret)
		return ret;
	reply_hdr(msg, out, VU_DMA_UNMAP_SIZE);
	memcpy(out->buf + VU_HDR_SIZE, p, VU_DMA_UNMAP_SIZE);
	npu_put_le32(out->buf + VU_HDR_SIZE, VU_DMA_UNMAP_SIZE);
	return 0;
}

static int dispatch(struct vu_dev *d, uint16_t cmd, const uint8_t *p, size_t n, int *fds,
		    size_t nfds, const uint8_t *msg, struct vu_reply *out)
{
	if (cmd != VU_CMD_VERSION && !d->negotiated)
		return -EINVAL; /* VERSION comes first */
	if (nfds && cmd != VU_CMD_DMA_MAP && cmd != VU_CMD_DEVICE_SET_IRQS)
		return -EINVAL;
	switch (cmd) {
	case VU_CMD_VERSION:
		return cmd_version(d, p, n, msg, out);
	case VU_CMD_DMA_MAP:
		return cmd_dma_map(d, p, n, fds, nfds, msg, out);
	case VU_CMD_DMA_UNMAP:
		return cmd_dma_unmap(d, p, n, msg, out);
	case VU_CMD_DEVICE_GET_INFO:
		return cmd_device_info(p, n, msg, out);
	case VU_CMD_DEVICE_GET_REGION_INFO:
		return cmd_region_info(d, p, n, msg, out);
	case VU_CMD_DEVICE_GET_IRQ_INFO:
		return cmd_irq_info(p, n, msg, out);
	case VU_CMD_DEVICE_SET_IRQS:
		return cmd_set_irqs(d, p, n, fds, nfds, msg, out);
	case VU_CMD_REGION_READ:
		return cmd_region_rw(d, false, p, n, msg, out);
	case VU_CMD_REGION_WRITE:
		return cmd_region_rw(d, true, p, n, msg, out);
	case VU_CMD_DEVICE_RESET:
		vu_dev_reset(d, "device reset");
		reply_hdr(msg, out, 0);
		return 0;
	default:
		return -ENOTSUP;
	}
}

void vu_dev_handle(struct vu_dev *d, const uint8_t *msg, size_t len, int *fds, size_t nfds,
		   struct vu_reply *out)
{
	uint16_t cmd;
	uint32_t flags;
	int ret;

	unsigned long shrunk = vu_dma_shrunk();

	out->len = 0;
	out->close = false;
	d->msgs++;
	if (shrunk != d->shrunk_seen) {
		npu_warn(PCI, "guest memory shrank under %lu page(s) of DMA regions: read as zeros",
			 shrunk - d->shrunk_seen);
		d->shrunk_seen = shrunk;
	}
	if (len < VU_HDR_SIZE || npu_le32(msg + VU_HDR_SIZE_OFF) != len) {
		out->close = true;
		goto drop;
	}
	cmd = npu_le16(msg + VU_HDR_CMD);
	flags = npu_le32(msg + VU_HDR_FLAGS);
	if ((flags & VU_FLAG_TYPE_MASK) != VU_FLAG_COMMAND) {
		/* The server sends no commands, so no reply can be due: the stream is confused. */
		npu_warn(PCI, "vfio-user message of type %u: closing the connection",
			 flags & VU_FLAG_TYPE_MASK);
		out->close = true;
		goto drop;
	}
	ret = dispatch(d, cmd, msg + VU_HDR_SIZE, len - VU_HDR_SIZE, fds, nfds, msg, out);
	close_fds(fds, nfds); /* those kept were set to -1 */
	if (ret) {
		d->errors++;
		npu_dbg(PCI, "vfio-user command %u (%zu bytes): %s", cmd, len, strerror(-ret));
		reply_error(msg, out, -ret);
	}
	if (flags & VU_FLAG_NO_REPLY)
		out->len = 0;
	return;
drop:
	d->errors++;
	close_fds(fds, nfds);
}
