/* SPDX-License-Identifier: MIT */
#include "libopen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/gen.h"
#include "util/json_read.h"

#define STATUS_MAX 65536u

int npuctl_lib_open(const struct npuctl *ctl, const char *what, struct npu **out)
{
	struct npu_open_opts o = { .client_name = "npuctl" };
	int ret;

	*out = NULL;
	if (ctl->priority && npu_priority_parse(ctl->priority, &o.priority) != 0)
		return npuctl_usage_err(
		    NULL, "--priority: '%s' is not idle, normal, focus or realtime", ctl->priority);
	if (ctl->socket && ctl->sched)
		return npuctl_usage_err(NULL,
					"%s: --sched chooses how an NPU boots, and npud booted its "
					"own (npud --sched); leave out --sched or --socket",
					what);
	if (ctl->socket) {
		if (ctl->trace_mmio)
			return npuctl_usage_err(NULL,
						"%s: --trace-mmio needs the device's registers, "
						"which npud drives; leave out --socket to trace "
						"in-process",
						what);
		o.socket = ctl->socket;
	} else {
		if (ctl->gen && !npu_gen_supported(npu_gen_parse(ctl->gen)))
			return npuctl_usage_err(NULL, "--gen: '%s' is not 37xx or 40xx", ctl->gen);
		o.device = ctl->device;
		o.gen = ctl->gen;
		o.firmware = ctl->firmware;
		o.trace_path = ctl->trace_mmio;
		o.sched = ctl->sched;
	}
	ret = npu_open(&o, out);
	if (ret == -EINVAL && !ctl->socket)
		return npuctl_usage_err(NULL, "%s", npu_last_error(NULL));
	if (ret) {
		npuctl_err("%s", npu_last_error(NULL));
		return NPUCTL_EXIT_ERROR;
	}
	return NPUCTL_EXIT_OK;
}

int npuctl_no_socket(const struct npuctl *ctl, const char *what)
{
	if (!ctl->socket)
		return 0;
	return npuctl_usage_err(NULL,
				"%s needs direct access to the device's registers, and npud holds "
				"the device: run it without --socket, with npud stopped",
				what);
}

struct npu_jv *npuctl_lib_status(struct npu *n)
{
	char *text = malloc(STATUS_MAX);
	struct npu_jv *root = NULL;
	char why[128];
	int ret;

	if (!text) {
		npuctl_err("status: out of memory");
		return NULL;
	}
	ret = npu_status_json(n, text, STATUS_MAX);
	if (ret) {
		npuctl_err("status: %s", npu_last_error(n));
	} else if (npu_jv_parse(text, strlen(text), &root, why, sizeof(why)) != 0) {
		npuctl_err("status: the report is not JSON: %s", why);
	} else if (root->type != NPU_JV_OBJECT) {
		npuctl_err("status: the report is not a JSON object");
		npu_jv_free(root);
		root = NULL;
	}
	free(text);
	return root;
}
