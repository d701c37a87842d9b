/* SPDX-License-Identifier: MIT */
/*
 * npuctl fw-log: the firmware's log (docs/firmware-protocol.md §7), read from the critical
 * and verbose buffers the driver gave it (driver/fw_log.h).
 *
 * There is no daemon yet: npuctl boots the device in its own process, so the
 * log holds what the firmware wrote during this boot. --follow then polls
 * every 100 ms, servicing the device's interrupts in between, and prints new
 * records until SIGINT or SIGTERM; in-process the firmware only writes when
 * this process gives it something to do, so --follow is mostly useful through
 * npud (later). A boot that fails still prints what the firmware logged.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "devopen.h"
#include "libopen.h"
#include "driver/fw_log.h"
#include "driver/irq.h"
#include "util/json.h"

#define FOLLOW_POLL_US 100000u
#define SUBS_MAX       16u /* sub-buffers looked at per log buffer */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct lines {
	char **v;
	size_t n, cap;
	bool oom;
};

static void collect(void *ctx, const char *line)
{
	struct lines *l = ctx;
	char *copy;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->oom = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	copy = strdup(line);
	if (!copy) {
		l->oom = true;
		return;
	}
	l->v[l->n++] = copy;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct fwlog {
	struct npuctl *ctl;
	struct npu_device *d;
	bool want[2];				/* by enum npu_fw_log_which */
	struct npu_fw_log_pos cur[2][SUBS_MAX]; /* --follow: where each sub-buffer was read to */
	bool valid[2][SUBS_MAX];		/* cur is a position of a readable sub-buffer */
	unsigned subs[2];			/* sub-buffers to look at */
	int last_which, last_sub;		/* the section the text output is in */
	int errors;				/* logs that could not be read at first */
};

static void section(struct fwlog *f, int which, unsigned sub, const struct npu_fw_log_info *info)
{
	if (f->last_which == which && f->last_sub == (int)sub)
		return;
	printf("==== %s log \"%s\" ====\n", drv_fw_log_which_name((enum npu_fw_log_which)which),
	       info->name);
	f->last_which = which;
	f->last_sub = (int)sub;
}

static void buffer_json(struct npu_json *j, int which, const struct npu_fw_log_info *info,
			const struct lines *l, int ret)
{
	npu_json_obj_begin(j, NULL);
	npu_json_str(j, "log", drv_fw_log_which_name((enum npu_fw_log_which)which));
	npu_json_str(j, "name", info->name);
	npu_json_str(j, "format", drv_fw_log_format_name(info->format));
	npu_json_u64(j, "offset", info->offset);
	npu_json_u64(j, "size", info->size);
	npu_json_u64(j, "header_size", info->header_size);
	npu_json_u64(j, "write_index", info->write.index);
	npu_json_u64(j, "wrap_count", info->write.wrap_count);
	npu_json_u64(j, "read_index", info->read.index);
	if (ret)
		npu_json_str(j, "error", info->why);
	npu_json_arr_begin(j, "records");
	for (size_t i = 0; i < l->n; i++)
		npu_json_str(j, NULL, l->v[i]);
	npu_json_arr_end(j);
	npu_json_obj_end(j);
}

/* --follow --json: one object per record, one per line. */
static void record_json(const char *log, const char *name, const char *line)
{
	struct npu_json j;

	npu_json_init(&j, stdout);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "log", log);
	npu_json_str(&j, "name", name);
	npu_json_str(&j, "record", line);
	npu_json_obj_end(&j);
	npu_json_finish(&j);
}

/*
 * Reads every sub-buffer of one log and prints its records: all of them into
 * the report (j: its JSON document, or NULL for text), or with follow the new
 * ones since the last read.
 */
static void read_log(struct fwlog *f, struct npu_json *j, int which, bool follow)
{
	enum npu_fw_log_which w = (enum npu_fw_log_which)which;
	const char *log = drv_fw_log_which_name(w);

	for (unsigned sub = 0; sub < f->subs[which]; sub++) {
		bool had = f->valid[which][sub];
		const struct npu_fw_log_pos *from = follow && had ? &f->cur[which][sub] : NULL;
		struct npu_fw_log_info info;
		struct lines l = { 0 };
		int ret = drv_fw_log_read(f->d, w, sub, 0, from, collect, &l, &info);

		if (ret == -ENOENT) {
			f->subs[which] = sub;
			lines_free(&l);
			break;
		}
		if (l.oom)
			npuctl_err("%s log: out of memory: records left out", log);
		if (!follow && j)
			buffer_json(j, which, &info, &l, ret);
		else if (!follow)
			section(f, which, sub, &info);
		if (!follow && !ret && l.n == 0 && !j)
			puts("(empty)");
		if (follow && had && info.overrun)
			npuctl_err("%s log \"%s\": records were overwritten before they were read",
				   log, info.name);
		f->valid[which][sub] = ret == 0;
		if (ret) {
			/* A header the device broke: said once, not every 100 ms. */
			if (!follow || had)
				npuctl_err("%s log: %s", log, info.why);
			f->errors += !follow;
			lines_free(&l);
			break;
		}
		f->cur[which][sub] = info.end;
		for (size_t i = 0; follow && i < l.n; i++) {
			if (f->ctl->json) {
				record_json(log, info.name, l.v[i]);
			} else {
				section(f, which, sub, &info);
				puts(l.v[i]);
			}
		}
		for (size_t i = 0; !follow && !j && i < l.n; i++)
			puts(l.v[i]);
		lines_free(&l);
	}
}

static void dump(struct fwlog *f)
{
	struct npu_json j;

	if (f->ctl->json) {
		npu_json_init(&j, stdout);
		npu_json_obj_begin(&j, NULL);
		npu_json_arr_begin(&j, "buffers");
	}
	for (int w = 0; w < 2; w++)
		if (f->want[w])
			read_log(f, f->ctl->json ? &j : NULL, w, false);
	if (f->ctl->json) {
		npu_json_arr_end(&j);
		npu_json_obj_end(&j);
		npu_json_finish(&j);
	}
	fflush(stdout);
}

/* Waits FOLLOW_POLL_US, servicing the device's interrupts, or until a signal. */
static void follow_wait(struct npu_device *d)
{
	if (d->state != NPU_DEV_READY || drv_irq_wait(d, FOLLOW_POLL_US) == -EIO)
		d->plat->ops->delay_us(d->plat, FOLLOW_POLL_US);
}

static void follow(struct fwlog *f)
{
	uint32_t boots = f->d->boot_count;

	while (!stop_requested) {
		follow_wait(f->d);
		if (stop_requested)
			break;
		if (f->d->boot_count != boots) {
			/* Recovered: a new boot, a new log, read from its start. */
			boots = f->d->boot_count;
			memset(f->valid, 0, sizeof(f->valid));
			f->subs[0] = f->subs[1] = SUBS_MAX;
		}
		for (int w = 0; w < 2; w++)
			if (f->want[w])
				read_log(f, NULL, w, true);
		fflush(stdout);
	}
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	static const char *const flags[] = { "--crit", "--verbose-log", "--follow", NULL };
	bool set[3];
	struct sigaction sa;
	struct fwlog f = {
		.ctl = ctl, .subs = { SUBS_MAX, SUBS_MAX }, .last_which = -1, .last_sub = -1
	};
	struct npuctl_dev nd;
	const char *pos[1];
	int n_pos, code, ret;

	if (npuctl_parse_args(&npuctl_cmd_fw_log, argc, argv, flags, set, pos, 0, &n_pos, &code))
		return code;
	f.want[NPU_FW_LOG_CRIT] = set[0] || !set[1];
	f.want[NPU_FW_LOG_VERBOSE] = set[1] || !set[0];
	if (set[2]) {
		/*
		 * Before the boot: a signal that comes early still ends --follow
		 * (a shell starts background commands with SIGINT ignored).
		 */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (npuctl_no_socket(ctl, "fw-log"))
		return NPUCTL_EXIT_USAGE;
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK) {
		npuctl_dev_close(&nd);
		return code;
	}
	f.d = &nd.dev;
	ret = drv_device_boot(&nd.dev);
	if (ret) {
		/* What the firmware logged before it stopped is the best clue there is. */
		if (nd.dev.log_crit.dma.cpu)
			dump(&f);
		npuctl_dev_boot_failed(&nd);
		npuctl_dev_close(&nd);
		return NPUCTL_EXIT_ERROR;
	}
	dump(&f);
	if (set[2])
		follow(&f);
	if (npuctl_dev_close(&nd))
		f.errors++;
	return f.errors ? NPUCTL_EXIT_ERROR : NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_fw_log = {
	.name = "fw-log",
	.summary = "Boot the NPU and print the firmware's log",
	.usage = "[--device auto|sim|BDF] [--gen 37xx|40xx] [--crit | --verbose-log] [--follow]\n"
		 "                     [--json]\n\n"
		 "  --crit         only the critical log (errors)\n"
		 "  --verbose-log  only the verbose log (everything; errors too)\n"
		 "                 (default: both; --verbose is the global -v)\n"
		 "  --follow       then print new records as they come (polled every 100 ms)\n"
		 "                 until interrupted; with --json one object per record\n\n"
		 "npuctl runs the driver in its own process: the log holds what the firmware\n"
		 "wrote during this boot, and --follow sees only what this process makes it\n"
		 "do. Through npud (later) it follows the device's whole life.",
	.run = run,
};
