/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware's log (docs/firmware-protocol.md §7, hw/fw_log.h).
 *
 * At boot the firmware takes the critical and verbose buffers the boot
 * parameters name and makes each one tracing sub-buffer spanning the whole
 * buffer: it writes the firmware half of the header (0x40..0x7F: canary
 * 0xCAFECAFE, write_index 0, wrap_count 0, size, header_version 1,
 * header_size 128, format 0 = NUL-terminated strings, alignment 64, name
 * "LRT": the runtime CPU writes both) and leaves the host's half (0x00..0x3F:
 * host canary, read_index, read_wrap_count) as the host wrote it.
 *
 * A record is one line of text and its NUL, at most SIM_FWLOG_RECORD_MAX
 * bytes: "[seconds.micros] L text", L being I (info), W (warning) or E
 * (error). Errors go to the critical buffer and to the verbose one, the rest
 * to the verbose one only. Records are never split: one that does not fit
 * before the end of the message area leaves the rest of it zeroed (empty
 * records, which readers skip) and goes to its start, wrap_count + 1. The
 * record is written first, then write_index and wrap_count, so a reader that
 * sees the new write_index sees the record.
 *
 * Everything goes through the MMU in the global context, like every other
 * firmware access; a buffer whose access faults is given up (one fault event,
 * not one per record). Every record is written whatever the trace level: the
 * host's default (ERROR) would leave the model's log empty, and its records
 * are few. The level (boot params default_trace_level, TRACE_SET_CONFIG) is
 * only kept and reported. A boot-params format mask without bit 0 (strings),
 * when not 0 (older hosts leave it 0), leaves the log off: the model writes
 * no other format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hw/boot_params.h"
#include "hw/fw_log.h"
#include "hw/jsm.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "util/log.h"

#define HDR_SIZE       NPU_FW_LOG_HEADER_SIZE
#define FW_HALF	       0x40u /* the firmware-owned half of the header starts here */
#define HEADER_VERSION 1u
#define ALIGNMENT      64u
#define LOG_NAME       "LRT"

static const uint8_t zeros[SIM_FWLOG_RECORD_MAX];

static void give_up(struct sim_fwlog_buf *b, const char *what, int ret)
{
	npu_dbg(SIM, "firmware: log at 0x%llx given up: cannot write its %s (%d)",
		(unsigned long long)b->va, what, ret);
	b->va = 0;
}

static void buf_init(struct npu_sim *s, struct sim_fwlog_buf *b, uint64_t va, uint32_t size)
{
	struct npu_fw_log_header h;
	int ret;

	memset(b, 0, sizeof(*b));
	if (!va || size < HDR_SIZE + SIM_FWLOG_RECORD_MAX || va + size < va)
		return;
	memset(&h, 0, sizeof(h));
	h.vpu_canary_start = NPU_FW_LOG_CANARY;
	h.size = size;
	h.header_version = HEADER_VERSION;
	h.header_size = HDR_SIZE;
	h.format = NPU_FW_LOG_FORMAT_STRING;
	h.alignment = ALIGNMENT;
	memcpy(h.name, LOG_NAME, sizeof(LOG_NAME));
	b->va = va;
	b->size = size;
	ret =
	    sim_mmu_access(s, 0, va + FW_HALF, (uint8_t *)&h + FW_HALF, sizeof(h) - FW_HALF, true);
	if (ret)
		give_up(b, "header", ret);
}

static void buf_put(struct npu_sim *s, struct sim_fwlog_buf *b, const char *rec, uint32_t n)
{
	uint32_t data = b->size - HDR_SIZE;
	uint64_t area = b->va + HDR_SIZE;
	uint8_t pos[8];
	int ret = 0;

	if (!b->va)
		return;
	if (data - b->write < n) {
		/* Never split: the tail stays empty, the record starts the next lap. */
		ret = sim_mmu_write(s, 0, area + b->write, zeros, data - b->write);
		b->write = 0;
		b->wrap++;
	}
	if (!ret)
		ret = sim_mmu_write(s, 0, area + b->write, rec, n);
	if (ret) {
		give_up(b, "messages", ret);
		return;
	}
	b->write += n;
	if (b->write == data) {
		b->write = 0;
		b->wrap++;
	}
	npu_put_le32(pos, b->write);
	npu_put_le32(pos + 4, b->wrap);
	ret = sim_mmu_access(s, 0, b->va + offsetof(struct npu_fw_log_header, write_index), pos,
			     sizeof(pos), true);
	if (ret)
		give_up(b, "write_index", ret);
}

void sim_fwlog_reset(struct npu_sim *s)
{
	memset(&s->fw.log, 0, sizeof(s->fw.log));
}

void sim_fwlog_init(struct npu_sim *s, const struct npu_boot_params *bp)
{
	uint64_t mask = bp->tracing_buff_message_format_mask;

	sim_fwlog_reset(s);
	if (mask && !(mask & NPU_TRACE_FORMAT_MASK_STRING)) {
		npu_dbg(SIM, "firmware: log format mask 0x%llx has no string format: no log",
			(unsigned long long)mask);
		return;
	}
	buf_init(s, &s->fw.log.crit, bp->crit_tracing_buff_addr, bp->crit_tracing_buff_size);
	buf_init(s, &s->fw.log.verbose, bp->verbose_tracing_buff_addr,
		 bp->verbose_tracing_buff_size);
	sim_fwlog(s, SIM_LOG_INFO, "log: crit 0x%llx+0x%x%s, verbose 0x%llx+0x%x%s, trace level %u",
		  (unsigned long long)bp->crit_tracing_buff_addr, bp->crit_tracing_buff_size,
		  s->fw.log.crit.va ? "" : " (unused)",
		  (unsigned long long)bp->verbose_tracing_buff_addr, bp->verbose_tracing_buff_size,
		  s->fw.log.verbose.va ? "" : " (unused)", bp->default_trace_level);
}

/*
 * A record being written: the text so far, cut at SIM_FWLOG_RECORD_MAX - 1
 * bytes. The per-job record is put together with these rather than printf:
 * it is written for every job, and formatting is most of its cost.
 */
struct rec {
	char text[SIM_FWLOG_RECORD_MAX];
	size_t len;
};

/* Appends n bytes, as many as fit. */
static void rec_mem(struct rec *r, const char *p, size_t n)
{
	size_t room = sizeof(r->text) - 1 - r->len;

	if (n > room)
		n = room;
	memcpy(r->text + r->len, p, n);
	r->len += n;
}

static void rec_char(struct rec *r, char c)
{
	rec_mem(r, &c, 1);
}

static void rec_str(struct rec *r, const char *str)
{
	rec_mem(r, str, strlen(str));
}

/* A string literal, its length known at compile time. */
#define REC_LIT(r, lit) rec_mem((r), (lit), sizeof(lit) - 1)

/* v in decimal, padded on the left with pad to width. */
static void rec_dec(struct rec *r, uint64_t v, unsigned width, char pad)
{
	char digits[20];
	unsigned n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	for (unsigned len = sizeof(digits) - n; len < width; len++)
		rec_char(r, pad);
	rec_mem(r, digits + n, sizeof(digits) - n);
}

/* v as 0x and lower-case hex digits, as printf's 0x%x. */
static void rec_hex(struct rec *r, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char digits[18];
	unsigned n = sizeof(digits);

	do {
		digits[--n] = hex[v & 15u];
		v >>= 4;
	} while (v);
	digits[--n] = 'x';
	digits[--n] = '0';
	rec_mem(r, digits + n, sizeof(digits) - n);
}

/* "[seconds.micros] L ": seconds at least 5 wide, micros 6 digits. */
static void rec_begin(struct npu_sim *s, struct rec *r, enum sim_log_level level)
{
	static const char letter[] = { 'I', 'W', 'E' };
	uint64_t us = (sim_now_ns() - s->created_ns) / 1000u;
	char tail[4] = { ']', ' ', letter[level], ' ' };

	r->len = 0;
	rec_char(r, '[');
	rec_dec(r, us / 1000000u, 5, ' ');
	rec_char(r, '.');
	rec_dec(r, us % 1000000u, 6, '0');
	rec_mem(r, tail, sizeof(tail));
}

static void rec_put(struct npu_sim *s, struct rec *r, enum sim_log_level level)
{
	r->text[r->len] = '\0';
	s->fw.log.records++;
	if (s->fwlog_echo)
		npu_info(FW, "firmware: %s", r->text);
	/* With the NUL. */
	buf_put(s, &s->fw.log.verbose, r->text, (uint32_t)r->len + 1u);
	if (level == SIM_LOG_ERR)
		buf_put(s, &s->fw.log.crit, r->text, (uint32_t)r->len + 1u);
}

static bool log_on(const struct npu_sim *s)
{
	return s->fw.log.crit.va || s->fw.log.verbose.va || s->fwlog_echo;
}

void sim_fwlog(struct npu_sim *s, enum sim_log_level level, const char *fmt, ...)
{
	struct rec r;
	va_list ap;
	int n;

	if (!log_on(s))
		return;
	rec_begin(s, &r, level);
	va_start(ap, fmt);
	n = vsnprintf(r.text + r.len, sizeof(r.text) - r.len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* vsnprintf cut what was longer. */
	r.len = r.len + (size_t)n < sizeof(r.text) - 1 ? r.len + (size_t)n : sizeof(r.text) - 1;
	rec_put(s, &r, level);
}

/* ---- what the firmware says ---- */

static const struct {
	uint32_t type;
	const char *name;
} jsm_names[] = {
	{ NPU_JSM_MSG_ENGINE_RESET, "ENGINE_RESET" },
	{ NPU_JSM_MSG_ENGINE_PREEMPT, "ENGINE_PREEMPT" },
	{ NPU_JSM_MSG_REGISTER_DB, "REGISTER_DB" },
	{ NPU_JSM_MSG_UNREGISTER_DB, "UNREGISTER_DB" },
	{ NPU_JSM_MSG_QUERY_ENGINE_HB, "QUERY_ENGINE_HB" },
	{ NPU_JSM_MSG_GET_POWER_LEVEL_COUNT, "GET_POWER_LEVEL_COUNT" },
	{ NPU_JSM_MSG_GET_POWER_LEVEL, "GET_POWER_LEVEL" },
	{ NPU_JSM_MSG_SET_POWER_LEVEL, "SET_POWER_LEVEL" },
	{ NPU_JSM_MSG_TRACE_SET_CONFIG, "TRACE_SET_CONFIG" },
	{ NPU_JSM_MSG_TRACE_GET_CONFIG, "TRACE_GET_CONFIG" },
	{ NPU_JSM_MSG_TRACE_GET_CAPABILITY, "TRACE_GET_CAPABILITY" },
	{ NPU_JSM_MSG_TRACE_GET_NAME, "TRACE_GET_NAME" },
	{ NPU_JSM_MSG_SSID_RELEASE, "SSID_RELEASE" },
	{ NPU_JSM_MSG_DCT_ENABLE, "DCT_ENABLE" },
	{ NPU_JSM_MSG_DCT_DISABLE, "DCT_DISABLE" },
	{ NPU_JSM_MSG_STATE_DUMP, "STATE_DUMP" },
	{ NPU_JSM_MSG_DYNDBG_CONTROL, "DYNDBG_CONTROL" },
	{ NPU_JSM_MSG_PWR_D0I3_ENTER, "PWR_D0I3_ENTER" },
};

static const char *const status_names[] = {
	"SUCCESS",
	"PARSING_ERR",
	"PROCESSING_ERR",
	"PREEMPTED",
	"ABORTED",
	"USER_CTX_VIOL",
	"GLOBAL_CTX_VIOL",
	"WRONG_INPUT_FORMAT",
	"UNSUPPORTED_ELEMENT",
	"INVALID_HANDLE",
	"OUT_OF_RESOURCES",
	"NOT_IMPLEMENTED",
	"INTERNAL_ERROR",
	"PREEMPTED_MID_CMD",
	"CONTEXT_VIOLATION_HW",
	"PREEMPTION_TIMED_OUT",
};

static const char *jsm_name(uint32_t type)
{
	for (size_t i = 0; i < sizeof(jsm_names) / sizeof(jsm_names[0]); i++)
		if (jsm_names[i].type == type)
			return jsm_names[i].name;
	return "JSM";
}

static const char *status_name(uint32_t status)
{
	return status < sizeof(status_names) / sizeof(status_names[0]) ? status_names[status]
								       : "status";
}

static enum sim_log_level status_level(uint32_t status)
{
	if (status == NPU_JSM_STATUS_SUCCESS)
		return SIM_LOG_INFO;
	return status == NPU_JSM_STATUS_MVNCI_NOT_IMPLEMENTED ? SIM_LOG_WARN : SIM_LOG_ERR;
}

void sim_fwlog_jsm(struct npu_sim *s, uint32_t type, uint32_t request_id, uint32_t result)
{
	sim_fwlog(s, status_level(result), "jsm: %s (0x%x) request %u: %s (0x%x)", jsm_name(type),
		  type, request_id, status_name(result), result);
}

void sim_fwlog_job(struct npu_sim *s, uint32_t db, uint32_t ssid, uint32_t job_id, uint32_t status)
{
	enum sim_log_level level = status_level(status);
	struct rec r;

	if (!log_on(s))
		return;
	if (status == NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW)
		sim_fwlog(s, SIM_LOG_ERR, "mmu: job 0x%x faulted in SSID %u (%llu faults so far)",
			  job_id, ssid, (unsigned long long)s->mmu.faults);
	/* "job: 0x%x of doorbell %u (SSID %u) done: %s (0x%x)", without printf. */
	rec_begin(s, &r, level);
	REC_LIT(&r, "job: ");
	rec_hex(&r, job_id);
	REC_LIT(&r, " of doorbell ");
	rec_dec(&r, db, 0, ' ');
	REC_LIT(&r, " (SSID ");
	rec_dec(&r, ssid, 0, ' ');
	REC_LIT(&r, ") done: ");
	rec_str(&r, status_name(status));
	REC_LIT(&r, " (");
	rec_hex(&r, status);
	rec_char(&r, ')');
	rec_put(s, &r, level);
}

#define DUMP_QUEUES 4u /* queues listed by a state dump; the rest are counted */

void sim_fwlog_state_dump(struct npu_sim *s)
{
	unsigned registered = 0, running = 0, listed = 0;

	for (uint32_t db = 0; db < SIM_DOORBELLS; db++) {
		registered += s->fw.queues[db].registered;
		running += s->fw.queues[db].running;
	}
	sim_fwlog(s, SIM_LOG_WARN,
		  "state dump: heartbeat %llu, jobs done %llu, %u queues, %u jobs running, "
		  "%llu messages served, %llu dropped, %llu MMU faults",
		  (unsigned long long)s->fw.heartbeat, (unsigned long long)s->fw.jobs_done,
		  registered, running, (unsigned long long)s->fw.messages_served,
		  (unsigned long long)s->fw.messages_dropped, (unsigned long long)s->mmu.faults);
	for (uint32_t db = 0; db < SIM_DOORBELLS && listed < DUMP_QUEUES; db++) {
		const struct sim_queue *q = &s->fw.queues[db];

		if (!q->registered)
			continue;
		listed++;
		if (q->running)
			sim_fwlog(
			    s, SIM_LOG_WARN,
			    "state dump: doorbell %u, SSID %u, queue 0x%llx: job 0x%x running", db,
			    q->ssid, (unsigned long long)q->jobq_va, q->job_id);
		else
			sim_fwlog(s, SIM_LOG_WARN,
				  "state dump: doorbell %u, SSID %u, queue 0x%llx: idle", db,
				  q->ssid, (unsigned long long)q->jobq_va);
	}
	if (registered > listed)
		sim_fwlog(s, SIM_LOG_WARN, "state dump: %u more queues", registered - listed);
}
