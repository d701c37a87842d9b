/* SPDX-License-Identifier: MIT */
/*
 * Logging: levels and categories, filtered once, delivered to a sink.
 *
 * The library never writes to stderr by itself: a program installs a sink
 * (npu_log_set_sink), for example npu_log_stderr_sink, which writes
 * "npu: <cat>: msg" lines to stderr. Without a sink, messages are dropped. The filter comes from a spec such as "debug" or
 * "info,fw,pci" (the NPU_LOG environment variable in the programs).
 */
#ifndef NPU_UTIL_LOG_H
#define NPU_UTIL_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum npu_log_level {
	NPU_LOG_ERROR = 0,
	NPU_LOG_WARN = 1,
	NPU_LOG_INFO = 2,
	NPU_LOG_DEBUG = 3,
	NPU_LOG_TRACE = 4,
};

/* One bit per category; the names are those accepted in a spec. */
enum npu_log_cat {
	NPU_CAT_GEN = 0, /* "gen": anything without a better home */
	NPU_CAT_REG,	 /* "reg": MMIO accesses */
	NPU_CAT_IRQ,	 /* "irq" */
	NPU_CAT_IPC,	 /* "ipc" */
	NPU_CAT_JSM,	 /* "jsm" */
	NPU_CAT_JOB,	 /* "job" */
	NPU_CAT_MMU,	 /* "mmu" */
	NPU_CAT_FW,	 /* "fw": firmware image and boot */
	NPU_CAT_PM,	 /* "pm": power management */
	NPU_CAT_SRV,	 /* "srv": the request server */
	NPU_CAT_PCI,	 /* "pci": device discovery */
	NPU_CAT_SIM,	 /* "sim": the device model */
	NPU_CAT_COUNT
};

#define NPU_LOG_ALL_CATS ((1u << NPU_CAT_COUNT) - 1u)

/*
 * The filter: messages of a category in `cats` pass up to `level`; messages of
 * other categories pass up to `base_level` (warnings by default, so naming a
 * category never hides an error elsewhere).
 */
struct npu_log_filter {
	enum npu_log_level level;
	enum npu_log_level base_level;
	uint32_t cats;
};

typedef void (*npu_log_sink_fn)(void *ctx, enum npu_log_level level, enum npu_log_cat cat,
				const char *msg);

/* The default filter: warnings and errors of every category. */
void npu_log_filter_default(struct npu_log_filter *f);

/*
 * Parses a spec: comma-separated tokens, each a level name (error, warn, info,
 * debug, trace), a category name, or "all". The last level named applies to the
 * named categories (all of them when none is named). Returns 0, or -EINVAL with
 * the offending token copied into `bad` (if not NULL, NUL-terminated, at most
 * bad_len bytes). The filter is left unchanged on error.
 */
int npu_log_parse_spec(const char *spec, struct npu_log_filter *f, char *bad, size_t bad_len);

/* Installs a filter. Thread-safe with respect to concurrent logging. */
void npu_log_set_filter(const struct npu_log_filter *f);
void npu_log_get_filter(struct npu_log_filter *f);

/* Raises (delta > 0) or lowers the level of the current filter, within bounds. */
void npu_log_adjust(int delta);

/* Installs the sink; NULL drops messages. */
void npu_log_set_sink(npu_log_sink_fn fn, void *ctx);

/* A sink for programs: one "npu: <category>: [error: |warning: ]message" line on stderr. */
void npu_log_stderr_sink(void *ctx, enum npu_log_level level, enum npu_log_cat cat,
			 const char *msg);

bool npu_log_enabled(enum npu_log_level level, enum npu_log_cat cat);
bool npu_log_filter_passes(const struct npu_log_filter *f, enum npu_log_level level,
			   enum npu_log_cat cat);

const char *npu_log_level_name(enum npu_log_level level);
const char *npu_log_cat_name(enum npu_log_cat cat);

void npu_log_msg(enum npu_log_level level, enum npu_log_cat cat, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void npu_log_vmsg(enum npu_log_level level, enum npu_log_cat cat, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#define npu_log(level, cat, ...)                                  \
	do {                                                      \
		if (npu_log_enabled((level), (cat)))              \
			npu_log_msg((level), (cat), __VA_ARGS__); \
	} while (0)

#define npu_err(cat, ...)   npu_log(NPU_LOG_ERROR, NPU_CAT_##cat, __VA_ARGS__)
#define npu_warn(cat, ...)  npu_log(NPU_LOG_WARN, NPU_CAT_##cat, __VA_ARGS__)
#define npu_info(cat, ...)  npu_log(NPU_LOG_INFO, NPU_CAT_##cat, __VA_ARGS__)
#define npu_dbg(cat, ...)   npu_log(NPU_LOG_DEBUG, NPU_CAT_##cat, __VA_ARGS__)
#define npu_trace(cat, ...) npu_log(NPU_LOG_TRACE, NPU_CAT_##cat, __VA_ARGS__)

#endif
