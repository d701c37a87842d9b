/* SPDX-License-Identifier: MIT */
/*
 * /scheme/npu/status and status.json.
 *
 * The status files hold the report made when they were opened: status.json
 * is what the STATUS request answers (drv_device_stats_json of the server's
 * device), status that JSON rendered as `npuctl status` shows it
 * (util/status_text.h, the one renderer of the text).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/stats.h"
#include "redox/scheme_internal.h"
#include "util/json.h"
#include "util/log.h"
#include "util/status_text.h"

#define STATUS_MAX (NPU_PROTO_RSP_MAX - sizeof(struct npu_rsp_hdr))

/* The report's JSON into a STATUS_MAX buffer (a caller's buffer: relibc has no fmemopen). */
static char *json_text(const struct npu_device_stats *st, size_t *len, int *err)
{
	char *text = malloc(STATUS_MAX);
	struct npu_json j;

	if (!text) {
		*err = -ENOMEM;
		return NULL;
	}
	npu_json_init_buf(&j, text, STATUS_MAX);
	drv_device_stats_json(&j, NULL, st);
	if (npu_json_finish(&j)) {
		free(text);
		*err = -ENOSPC;
		return NULL;
	}
	*len = npu_json_len(&j);
	return text;
}

int sch_status_make(struct sch_handle *h)
{
	struct npu_device_stats *st = malloc(sizeof(*st));
	char *json, why[128];
	size_t len;
	int ret = 0;

	if (!st)
		return -ENOMEM;
	drv_device_stats(npu_server_device(h->x->s), st);
	json = json_text(st, &len, &ret);
	free(st);
	if (!json)
		return ret;
	if (h->kind == SCH_STATUS_JSON) {
		h->text = json;
		h->text_len = len;
		return 0;
	}
	h->text = malloc(STATUS_MAX);
	ret = h->text ? npu_status_text_buf(json, len, h->text, STATUS_MAX, &h->text_len, why,
					    sizeof(why))
		      : -ENOMEM;
	free(json);
	if (ret) {
		if (ret != -ENOMEM)
			npu_err(SRV, "the status report does not render: %s", why);
		free(h->text);
		h->text = NULL;
	}
	return ret;
}

const struct sch_file sch_files[SCH_N_FILES] = {
	{ "", SCH_CONN },
	{ "status", SCH_STATUS },
	{ "status.json", SCH_STATUS_JSON },
	{ "infer", SCH_INFER },
};

/*
 * Each entry: the header (inode, next position, record length, kind), then
 * the name and a NUL, padded to REDOX_DIRENT_ALIGN (syscall `dirent.rs:
 * DirentBuf::entry`). The positions are the entries' indices; "" (the
 * connection itself) is not listed.
 */
int64_t sch_dir_getdents(struct sch_handle *h, uint8_t *buf, size_t len, uint64_t off,
			 uint64_t header_size)
{
	size_t done = 0;

	(void)h;
	if (header_size < REDOX_DIRENT_HEADER || header_size > 256 || (len && !buf))
		return -EINVAL;
	for (uint64_t i = off ? off : 1; i < SCH_N_FILES; i++) {
		const char *name = sch_files[i].path;
		size_t n = strlen(name);
		size_t rec = (size_t)header_size + n + 1;
		uint64_t next = i + 1;
		uint16_t rec16;
		uint8_t kind = sch_files[i].kind == SCH_INFER ? REDOX_DIRENT_CHR : REDOX_DIRENT_REG;

		rec = (rec + REDOX_DIRENT_ALIGN - 1) & ~(size_t)(REDOX_DIRENT_ALIGN - 1);
		if (len - done < rec)
			return done ? (int64_t)done : -EINVAL; /* not even one entry fits */
		rec16 = (uint16_t)rec;
		memset(buf + done, 0, rec);
		memcpy(buf + done, &i, 8); /* inode */
		memcpy(buf + done + 8, &next, 8);
		memcpy(buf + done + 16, &rec16, 2);
		buf[done + 18] = kind;
		memcpy(buf + done + header_size, name, n + 1); /* with its NUL */
		done += rec;
	}
	return (int64_t)done;
}

int64_t sch_file_read(struct sch_handle *h, uint8_t *buf, size_t len, uint64_t off)
{
	size_t n;

	if (off >= h->text_len)
		return 0;
	n = h->text_len - (size_t)off;
	if (n > len)
		n = len;
	memcpy(buf, h->text + off, n);
	return (int64_t)n;
}
