/* SPDX-License-Identifier: MIT */
/*
 * /scheme/npu/status and status.json.
 *
 * The status files hold the report made when they were opened: status.json
 * is what the STATUS request answers (npu_device_stats_json of the server's
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

/* Runs fill into a STATUS_MAX buffer; returns the text (NUL-terminated) or NULL. */
static char *write_text(int (*fill)(FILE *f, void *arg), void *arg, size_t *len, int *err)
{
	char *text = malloc(STATUS_MAX);
	FILE *f = text ? fmemopen(text, STATUS_MAX, "w") : NULL;
	long n;
	int ret;

	if (!f) {
		free(text);
		*err = -ENOMEM;
		return NULL;
	}
	ret = fill(f, arg);
	fflush(f);
	n = ftell(f);
	fclose(f);
	if (ret || n <= 0 || (size_t)n >= STATUS_MAX) {
		free(text);
		*err = ret ? ret : -ENOSPC;
		return NULL;
	}
	text[n] = '\0';
	*len = (size_t)n;
	return text;
}

static int fill_json(FILE *f, void *arg)
{
	struct npu_json j;

	npu_json_init(&j, f);
	npu_device_stats_json(&j, NULL, arg);
	return npu_json_finish(&j) ? -EIO : 0;
}

struct json_text {
	const char *json;
	size_t len;
};

static int fill_text(FILE *f, void *arg)
{
	const struct json_text *jt = arg;
	char why[128];
	int ret = npu_status_text(jt->json, jt->len, f, why, sizeof(why));

	if (ret)
		npu_err(SRV, "the status report does not render: %s", why);
	return ret;
}

int sch_status_make(struct sch_handle *h)
{
	struct npu_device_stats *st = malloc(sizeof(*st));
	struct json_text jt;
	char *json;
	int ret = 0;

	if (!st)
		return -ENOMEM;
	npu_device_stats(npu_server_device(h->x->s), st);
	json = write_text(fill_json, st, &jt.len, &ret);
	free(st);
	if (!json)
		return ret;
	if (h->kind == SCH_STATUS_JSON) {
		h->text = json;
		h->text_len = jt.len;
		return 0;
	}
	jt.json = json;
	h->text = write_text(fill_text, &jt, &h->text_len, &ret);
	free(json);
	return h->text ? 0 : ret;
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
