/* SPDX-License-Identifier: MIT */
/*
 * The firmware log reader (fw_log.h, docs/firmware-protocol.md §7).
 *
 * The header is copied once and checked before anything in it is used; the
 * message ring is then read between the copied positions, byte by byte, so a
 * firmware writing meanwhile can garble a record (which the sanitiser keeps
 * printable) but never move the reader outside the buffer.
 */
#include "driver/btrs.h"
#include "driver/fw_log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "driver/device.h"
#include "util/bytes.h"

/* Header offsets (docs/firmware-protocol.md §7), read from the copy with util/bytes.h. */
#define OFF_READ_INDEX	    0x04u
#define OFF_READ_WRAP_COUNT 0x08u
#define OFF_CANARY	    0x40u
#define OFF_WRITE_INDEX	    0x44u
#define OFF_WRAP_COUNT	    0x48u
#define OFF_SIZE	    0x50u
#define OFF_HEADER_VERSION  0x54u
#define OFF_HEADER_SIZE	    0x56u
#define OFF_FORMAT	    0x58u
#define OFF_ALIGNMENT	    0x5Cu
#define OFF_NAME	    0x60u

#define ESC 0x1Bu

static int bad(struct npu_fw_log_info *info, int ret, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct npu_fw_log_info *info, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
	return ret;
}

/* ---- records to lines ---- */

struct line_asm {
	char line[NPU_FW_LOG_LINE_MAX];
	size_t n;
	unsigned esc; /* 0 text, 1 after ESC, 2 inside a CSI sequence */
	bool skip;    /* dropping the rest of a record (a partly overwritten one) */
	npu_fw_log_cb cb;
	void *ctx;
	uint64_t records;
};

static void deliver(struct line_asm *a)
{
	if (a->n == 0)
		return;
	a->line[a->n] = '\0';
	a->n = 0;
	a->records++;
	if (a->cb)
		a->cb(a->ctx, a->line);
}

static void feed(struct line_asm *a, const volatile uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (c == 0 || c == '\n') {
			if (!a->skip)
				deliver(a);
			a->skip = false;
			a->esc = 0;
			continue;
		}
		if (a->skip)
			continue;
		if (a->esc == 1) {
			/* ESC [ starts a CSI sequence; ESC and any other byte are dropped. */
			a->esc = c == '[' ? 2 : 0;
			continue;
		}
		if (a->esc == 2) {
			if (c >= 0x40 && c <= 0x7E)
				a->esc = 0; /* the final byte */
			continue;
		}
		if (c == ESC) {
			a->esc = 1;
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\t')
			c = ' ';
		else if (c < 0x20 || c > 0x7E)
			c = '?';
		if (a->n == NPU_FW_LOG_LINE_MAX - 1)
			deliver(a); /* an over-long record is split */
		a->line[a->n++] = (char)c;
	}
}

static void sanitise_name(char *out, const uint8_t *name)
{
	size_t n = 0;

	while (n < NPU_FW_LOG_NAME_LEN && name[n]) {
		uint8_t c = name[n];

		if (c < 0x20 || c > 0x7E)
			c = '?';
		out[n++] = (char)c;
	}
	out[n] = '\0';
}

/* ---- header ---- */

/*
 * Copies and checks the header at offset. 0, -ENOENT (offset > 0 and no
 * canary: the end of the sub-buffer list), -EBADMSG or -EOPNOTSUPP; info is
 * filled with what could be read.
 */
static int check_header(const uint8_t *buf, size_t len, size_t offset, struct npu_fw_log_info *info)
{
	uint8_t h[NPU_FW_LOG_HEADER_SIZE];
	uint32_t canary, data;

	memset(info, 0, sizeof(*info));
	info->offset = (uint32_t)offset;
	if (offset > len || len - offset < sizeof(h)) {
		if (offset)
			return -ENOENT;
		return bad(info, -EBADMSG, "a buffer of %zu bytes cannot hold a %u-byte header",
			   len, NPU_FW_LOG_HEADER_SIZE);
	}
	memcpy(h, buf + offset, sizeof(h));
	canary = npu_le32(h + OFF_CANARY);
	if (canary != NPU_FW_LOG_CANARY) {
		if (offset)
			return -ENOENT;
		return bad(info, -EBADMSG,
			   "canary 0x%08x, want 0x%08x (the firmware has not set up this log)",
			   canary, NPU_FW_LOG_CANARY);
	}
	info->read.index = npu_le32(h + OFF_READ_INDEX);
	info->read.wrap_count = npu_le32(h + OFF_READ_WRAP_COUNT);
	info->write.index = npu_le32(h + OFF_WRITE_INDEX);
	info->write.wrap_count = npu_le32(h + OFF_WRAP_COUNT);
	info->size = npu_le32(h + OFF_SIZE);
	info->header_version = npu_le16(h + OFF_HEADER_VERSION);
	info->header_size = npu_le16(h + OFF_HEADER_SIZE);
	info->format = npu_le32(h + OFF_FORMAT);
	info->alignment = npu_le32(h + OFF_ALIGNMENT);
	sanitise_name(info->name, h + OFF_NAME);
	info->end = info->write;

	if (info->header_size < NPU_FW_LOG_HEADER_SIZE_MIN ||
	    info->header_size > NPU_FW_LOG_HEADER_SIZE_MAX)
		return bad(info, -EBADMSG, "header_size %u outside %u..%u", info->header_size,
			   NPU_FW_LOG_HEADER_SIZE_MIN, NPU_FW_LOG_HEADER_SIZE_MAX);
	if (info->size > len - offset)
		return bad(info, -EBADMSG,
			   "size 0x%x runs past the end of the buffer (0x%zx bytes from 0x%zx)",
			   info->size, len - offset, offset);
	if (info->size <= info->header_size)
		return bad(info, -EBADMSG,
			   "size 0x%x leaves no message area after a %u-byte header", info->size,
			   info->header_size);
	data = info->size - info->header_size;
	if (info->write.index >= data)
		return bad(info, -EBADMSG, "write_index 0x%x outside the 0x%x-byte message area",
			   info->write.index, data);
	if (info->read.index >= data)
		return bad(info, -EBADMSG, "read_index 0x%x outside the 0x%x-byte message area",
			   info->read.index, data);
	if (info->format != NPU_FW_LOG_FORMAT_STRING)
		return bad(info, -EOPNOTSUPP, "format %u (%s) is not decoded", info->format,
			   drv_fw_log_format_name(info->format));
	return 0;
}

/* ---- parse ---- */

int drv_fw_log_parse(void *buf, size_t len, size_t offset, unsigned flags,
		     const struct npu_fw_log_pos *from, npu_fw_log_cb cb, void *ctx,
		     struct npu_fw_log_info *info)
{
	struct npu_fw_log_info local;
	struct line_asm *a;
	struct line_asm la;
	struct npu_fw_log_pos w, s, oldest;
	const volatile uint8_t *ring;
	uint32_t data;
	bool skip_partial = false;
	int ret;

	if (!info)
		info = &local;
	ret = check_header(buf, len, offset, info);
	if (ret)
		return ret;
	ring = (const uint8_t *)buf + offset + info->header_size;
	data = info->size - info->header_size;
	w = info->write;
	/* The oldest record still there: the ring's start, or past the write position once lapped. */
	oldest = w.wrap_count ? (struct npu_fw_log_pos){ w.index, w.wrap_count - 1 }
			      : (struct npu_fw_log_pos){ 0, 0 };
	if (from)
		s = *from;
	else if (flags & NPU_FW_LOG_UNREAD)
		s = info->read;
	else
		s = oldest;
	/* Valid starts: on this lap, behind the writer; or on the last one, ahead of it. */
	if (!((s.wrap_count == w.wrap_count && s.index <= w.index) ||
	      (s.wrap_count + 1 == w.wrap_count && s.index >= w.index && s.index < data))) {
		info->overrun = true;
		s = oldest;
	}
	/* Reading from the oldest byte of a lapped ring: its first record may be a remnant. */
	if (s.index == oldest.index && s.wrap_count == oldest.wrap_count && w.wrap_count &&
	    w.index && (info->overrun || (!from && !(flags & NPU_FW_LOG_UNREAD))))
		skip_partial = true;

	a = &la;
	memset(a, 0, sizeof(*a));
	a->cb = cb;
	a->ctx = ctx;
	a->skip = skip_partial;
	if (s.wrap_count == w.wrap_count) {
		feed(a, ring + s.index, w.index - s.index);
	} else {
		feed(a, ring + s.index, data - s.index);
		feed(a, ring, w.index);
	}
	a->skip = false;
	deliver(a); /* a record without its NUL at the end of what was written */
	info->records = a->records;
	info->end = w;
	if (flags & NPU_FW_LOG_CONSUME) {
		uint8_t *h = (uint8_t *)buf + offset;

		npu_put_le32(h + OFF_READ_INDEX, w.index);
		npu_put_le32(h + OFF_READ_WRAP_COUNT, w.wrap_count);
	}
	return 0;
}

int drv_fw_log_read(struct npu_device *d, enum npu_fw_log_which which, unsigned sub, unsigned flags,
		    const struct npu_fw_log_pos *from, npu_fw_log_cb cb, void *ctx,
		    struct npu_fw_log_info *info)
{
	struct npu_gbuf *b = which == NPU_FW_LOG_CRIT ? &d->log_crit : &d->log_verbose;
	struct npu_fw_log_info local;
	size_t offset = 0;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	if (!b->dma.cpu || !b->mapped) {
		snprintf(info->why, sizeof(info->why), "no %s log buffer: the NPU is not booted",
			 drv_fw_log_which_name(which));
		return -ENODEV;
	}
	/* A read completion follows the device's earlier writes (PCIe ordering). */
	(void)drv_btrs_vpu_status(d);
	for (unsigned i = 0; i < sub; i++) {
		int ret = check_header(b->dma.cpu, b->dma.size, offset, info);

		/* A sub-buffer of a format not decoded still has a size to step over. */
		if (ret && ret != -EOPNOTSUPP)
			return ret;
		offset += info->size;
	}
	return drv_fw_log_parse(b->dma.cpu, b->dma.size, offset, flags, from, cb, ctx, info);
}

const char *drv_fw_log_which_name(enum npu_fw_log_which which)
{
	return which == NPU_FW_LOG_CRIT ? "crit" : "verbose";
}

const char *drv_fw_log_format_name(uint32_t format)
{
	switch (format) {
	case NPU_FW_LOG_FORMAT_STRING:
		return "string";
	case NPU_FW_LOG_FORMAT_SIZE_STRING:
		return "size+string";
	case NPU_FW_LOG_FORMAT_MIPI_SYST:
		return "mipi-syst";
	default:
		return "unknown";
	}
}
