/* SPDX-License-Identifier: MIT */
/*
 * Reading the firmware log (docs/firmware-protocol.md §7, hw/fw_log.h): the critical and
 * verbose log buffers the driver gives the firmware in the boot parameters.
 *
 * Each buffer holds one or more tracing sub-buffers: a 128-byte (or larger)
 * header and a ring of messages after it. Everything the device wrote is
 * untrusted: a header is used only when its canary is 0xCAFECAFE, header_size
 * is 128..1024, size fits in what is left of the buffer and leaves a message
 * area, and write_index and read_index lie inside the message area; anything
 * else is -EBADMSG with the reason in info->why. Only format 0 (NUL-terminated
 * strings) is decoded; other formats are -EOPNOTSUPP (info filled).
 *
 * Positions (write_index, read_index) are offsets into the message area, which
 * starts header_size bytes into the sub-buffer and holds size - header_size
 * bytes (the Linux reader's convention; an empty log has write_index 0 and
 * wrap_count 0). The firmware's wrap_count counts its laps; the host's
 * read_wrap_count (at 0x08) the laps its read_index is on.
 *
 * Records are delivered one at a time, oldest first, as NUL-terminated lines
 * of printable ASCII: a record ends at a NUL or a newline; empty records
 * (padding) are skipped; '\r' is dropped, ANSI escape sequences are removed,
 * a tab becomes a space and every other byte outside 0x20..0x7E becomes '?';
 * a record longer than NPU_FW_LOG_LINE_MAX - 1 bytes is split. A record cut
 * by the end of the ring continues at its start. A record left without its
 * NUL at the end of what was written is delivered as it stands.
 */
#ifndef NPU_DRIVER_FW_LOG_H
#define NPU_DRIVER_FW_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/fw_log.h"

struct npu_device;

#define NPU_FW_LOG_LINE_MAX 256u /* bytes of a delivered line, NUL included */

enum npu_fw_log_which {
	NPU_FW_LOG_CRIT = 0, /* critical buffer (crit_tracing_buff_*) */
	NPU_FW_LOG_VERBOSE,  /* verbose buffer (verbose_tracing_buff_*) */
};

/* A position in the message ring: offset into the message area and lap. */
struct npu_fw_log_pos {
	uint32_t index;
	uint32_t wrap_count;
};

/* Read flags. */
#define NPU_FW_LOG_UNREAD  (1u << 0) /* start at the host's read_index, not the oldest record */
#define NPU_FW_LOG_CONSUME (1u << 1) /* afterwards read_index := write_index ("clear", §7) */

/* What a read found; filled as far as the header could be read. */
struct npu_fw_log_info {
	char name[NPU_FW_LOG_NAME_LEN + 1]; /* sanitised like a record */
	uint32_t offset;		    /* of the sub-buffer in its log buffer */
	uint32_t size, header_size, format, alignment;
	uint16_t header_version;
	struct npu_fw_log_pos write; /* the firmware's write_index, wrap_count */
	struct npu_fw_log_pos read;  /* the host's read_index, read_wrap_count (before) */
	struct npu_fw_log_pos end;   /* where this read ended: a cursor for the next one */
	uint64_t records;	     /* lines delivered */
	bool overrun;		     /* the writer lapped the start: older records are gone */
	char why[160];		     /* -EBADMSG, -EOPNOTSUPP: what is wrong */
};

typedef void (*npu_fw_log_cb)(void *ctx, const char *line);

/*
 * Parses the sub-buffer at byte `offset` of a log buffer buf[0..len) and
 * delivers its records to cb. Where to start: `from` when given (a cursor
 * from an earlier info->end), else read_index with NPU_FW_LOG_UNREAD, else
 * the oldest record still in the ring. A start the writer has since lapped
 * (or one that makes no sense against write_index) starts at the oldest
 * record instead, with info->overrun set. With NPU_FW_LOG_CONSUME the host's
 * read_index and read_wrap_count are set to write_index and wrap_count.
 *
 * Returns 0; -ENOENT when offset > 0 and no sub-buffer starts there (the end
 * of the list); -EBADMSG or -EOPNOTSUPP as above. info may be NULL.
 */
int drv_fw_log_parse(void *buf, size_t len, size_t offset, unsigned flags,
		     const struct npu_fw_log_pos *from, npu_fw_log_cb cb, void *ctx,
		     struct npu_fw_log_info *info);

/*
 * drv_fw_log_parse on sub-buffer number `sub` (0: the first) of one of the
 * device's log buffers, read through the driver's own CPU mapping. A register
 * read first orders the device's earlier log writes before ours (as an MMIO
 * read completion does on PCIe). Returns -ENODEV when the buffers are not
 * allocated (the device was never booted, or is powered down), -ENOENT when
 * there is no sub-buffer `sub`, else as drv_fw_log_parse.
 */
int drv_fw_log_read(struct npu_device *d, enum npu_fw_log_which which, unsigned sub, unsigned flags,
		    const struct npu_fw_log_pos *from, npu_fw_log_cb cb, void *ctx,
		    struct npu_fw_log_info *info);

/* "crit" or "verbose". */
const char *drv_fw_log_which_name(enum npu_fw_log_which which);

/* "string", "size+string", "mipi-syst" or "unknown". */
const char *drv_fw_log_format_name(uint32_t format);

#endif
