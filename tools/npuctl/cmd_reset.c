/* SPDX-License-Identifier: MIT */
/*
 * npuctl reset: a full recovery of the NPU on request (power-down, cold boot,
 * every context put back; jobs in flight end aborted). Through npud
 * (--socket) it is privileged: root and npud's own user only. In-process it
 * boots the device and recovers it, which checks the recovery path itself.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "libopen.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/json_read.h"

struct after {
	const char *state;
	uint64_t recoveries, boot_count;
};

static void report(const struct npuctl *ctl, const struct npu_info *i, const struct after *a,
		   uint64_t us)
{
	if (ctl->json) {
		struct npu_json j;

		npu_json_init(&j, stdout);
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "device", i->pci_address);
		npu_json_str(&j, "generation", i->generation);
		npu_json_str(&j, "via", ctl->socket ? "npud" : "in-process");
		npu_json_str(&j, "state", a->state);
		npu_json_u64(&j, "recoveries", a->recoveries);
		npu_json_u64(&j, "boot_count", a->boot_count);
		npu_json_u64(&j, "reset_us", us);
		npu_json_obj_end(&j);
		npu_json_finish(&j);
		return;
	}
	printf("reset: %s (%s) recovered in %.1f ms%s; state %s, boot %" PRIu64 ", %" PRIu64
	       " recoveries\n",
	       i->pci_address, i->generation, (double)us / 1e3, ctl->socket ? " by npud" : "",
	       a->state, a->boot_count, a->recoveries);
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	static const char *const flags[] = { "--json", NULL };
	struct after a = { .state = "unknown" };
	struct npu_jv *st = NULL;
	struct npu_info info;
	struct npu *n;
	bool flag_set[1];
	const char *pos[1];
	uint64_t t0, us;
	int n_pos, code, ret;

	if (npuctl_parse_args(&npuctl_cmd_reset, argc, argv, flags, flag_set, pos, 0, &n_pos,
			      &code))
		return code;
	if (flag_set[0])
		ctl->json = true;
	code = npuctl_lib_open(ctl, "reset", &n);
	if (code != NPUCTL_EXIT_OK)
		return code;
	code = NPUCTL_EXIT_ERROR;
	ret = npu_query(n, &info);
	if (ret) {
		npuctl_err("reset: cannot query the NPU: %s", npu_last_error(n));
		goto out;
	}
	t0 = npu_clock_us();
	ret = npu_reset(n);
	us = npu_clock_us() - t0;
	if (ret == -EPERM) {
		npuctl_err("reset: not permitted: %s", npu_last_error(n));
		goto out;
	}
	if (ret) {
		npuctl_err("reset: %s", npu_last_error(n));
		goto out;
	}
	st = npuctl_lib_status(n);
	if (!st)
		goto out;
	a.state = npu_jv_get_str(st, "state") ? npu_jv_get_str(st, "state") : "unknown";
	npu_jv_get_u64(st, "recoveries", &a.recoveries);
	npu_jv_get_u64(st, "boot_count", &a.boot_count);
	report(ctl, &info, &a, us);
	code = strcmp(a.state, "ready") == 0 ? NPUCTL_EXIT_OK : NPUCTL_EXIT_ERROR;
	if (code)
		npuctl_err("reset: the NPU is %s after the recovery", a.state);
out:
	npu_jv_free(st);
	npu_close(n);
	return code;
}

const struct npuctl_cmd npuctl_cmd_reset = {
	.name = "reset",
	.summary = "Recover the NPU on request: power-down, cold boot, contexts put back",
	.usage = "[--socket PATH] [--device auto|sim|BDF] [--gen 37xx|40xx] [--json]\n\n"
		 "With --socket, npud recovers the NPU it serves; only root and npud's own user\n"
		 "may. Its clients keep their contexts and buffers; their jobs in flight end\n"
		 "aborted (status 256). Without --socket npuctl boots the device in its own\n"
		 "process and recovers it.",
	.run = run,
};
