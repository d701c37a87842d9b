/* SPDX-License-Identifier: MIT */
#include "util/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static const char *const level_names[] = { "error", "warn", "info", "debug", "trace" };
static const char *const cat_names[NPU_CAT_COUNT] = {
	"gen", "reg", "irq", "ipc", "jsm", "job", "mmu", "fw", "pm", "srv", "pci", "sim",
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct npu_log_filter log_filter = { NPU_LOG_WARN, NPU_LOG_WARN, NPU_LOG_ALL_CATS };
/*
 * What the filter lets through, by level: a bit per category. Written under
 * log_lock whenever the filter changes, read without it by npu_log_enabled,
 * which the hot paths call (a job's submit and completion; the device
 * model's firmware thread at the same time): a shared lock there would move
 * its cache line between the CPUs on every call.
 */
static atomic_uint log_passes[NPU_LOG_TRACE + 1] = {
	[NPU_LOG_ERROR] = NPU_LOG_ALL_CATS,
	[NPU_LOG_WARN] = NPU_LOG_ALL_CATS,
};

/* With log_lock held, after log_filter changed. */
static void passes_update(void)
{
	for (int level = NPU_LOG_ERROR; level <= NPU_LOG_TRACE; level++) {
		uint32_t cats = 0;

		for (int cat = 0; cat < NPU_CAT_COUNT; cat++)
			if (npu_log_filter_passes(&log_filter, (enum npu_log_level)level,
						  (enum npu_log_cat)cat))
				cats |= 1u << cat;
		atomic_store_explicit(&log_passes[level], cats, memory_order_relaxed);
	}
}
static npu_log_sink_fn log_sink;
static void *log_sink_ctx;

void npu_log_filter_default(struct npu_log_filter *f)
{
	f->level = NPU_LOG_WARN;
	f->base_level = NPU_LOG_WARN;
	f->cats = NPU_LOG_ALL_CATS;
}

const char *npu_log_level_name(enum npu_log_level level)
{
	if ((unsigned)level > NPU_LOG_TRACE)
		return "?";
	return level_names[level];
}

const char *npu_log_cat_name(enum npu_log_cat cat)
{
	if ((unsigned)cat >= NPU_CAT_COUNT)
		return "?";
	return cat_names[cat];
}

static int lookup(const char *tok, size_t len, const char *const *names, int count)
{
	for (int i = 0; i < count; i++) {
		if (strlen(names[i]) == len && strncmp(tok, names[i], len) == 0)
			return i;
	}
	return -1;
}

static void copy_bad(char *bad, size_t bad_len, const char *tok, size_t len)
{
	if (!bad || bad_len == 0)
		return;
	if (len >= bad_len)
		len = bad_len - 1;
	memcpy(bad, tok, len);
	bad[len] = '\0';
}

int npu_log_parse_spec(const char *spec, struct npu_log_filter *f, char *bad, size_t bad_len)
{
	struct npu_log_filter out;
	int level = -1;
	uint32_t cats = 0;
	const char *p = spec ? spec : "";

	npu_log_filter_default(&out);
	while (*p) {
		size_t len = strcspn(p, ",");
		int v;

		if (len == 0) {
			p++;
			continue;
		}
		if ((v = lookup(p, len, level_names, NPU_LOG_TRACE + 1)) >= 0) {
			level = v;
		} else if ((v = lookup(p, len, cat_names, NPU_CAT_COUNT)) >= 0) {
			cats |= 1u << v;
		} else if (len == 3 && strncmp(p, "all", 3) == 0) {
			cats = NPU_LOG_ALL_CATS;
		} else {
			copy_bad(bad, bad_len, p, len);
			return -EINVAL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (level < 0 && cats == 0) {
		/* Nothing named: the default filter. */
		*f = out;
		return 0;
	}
	if (cats == 0)
		cats = NPU_LOG_ALL_CATS;
	/* Categories named without a level get debug: "fw" alone means "show me fw". */
	out.level = level >= 0 ? (enum npu_log_level)level : NPU_LOG_DEBUG;
	out.cats = cats;
	/*
	 * Every category: the level is the base level too. Some: a spec can lower
	 * everything ("error"), never hide errors of other categories.
	 */
	if (cats == NPU_LOG_ALL_CATS || out.level < out.base_level)
		out.base_level = out.level;
	*f = out;
	return 0;
}

void npu_log_set_filter(const struct npu_log_filter *f)
{
	pthread_mutex_lock(&log_lock);
	log_filter = *f;
	passes_update();
	pthread_mutex_unlock(&log_lock);
}

void npu_log_get_filter(struct npu_log_filter *f)
{
	pthread_mutex_lock(&log_lock);
	*f = log_filter;
	pthread_mutex_unlock(&log_lock);
}

static enum npu_log_level clamp_level(int v)
{
	if (v < NPU_LOG_ERROR)
		return NPU_LOG_ERROR;
	if (v > NPU_LOG_TRACE)
		return NPU_LOG_TRACE;
	return (enum npu_log_level)v;
}

void npu_log_adjust(int delta)
{
	pthread_mutex_lock(&log_lock);
	log_filter.level = clamp_level((int)log_filter.level + delta);
	log_filter.base_level = clamp_level((int)log_filter.base_level + delta);
	passes_update();
	pthread_mutex_unlock(&log_lock);
}

void npu_log_set_sink(npu_log_sink_fn fn, void *ctx)
{
	pthread_mutex_lock(&log_lock);
	log_sink = fn;
	log_sink_ctx = ctx;
	pthread_mutex_unlock(&log_lock);
}

bool npu_log_filter_passes(const struct npu_log_filter *f, enum npu_log_level level,
			   enum npu_log_cat cat)
{
	if ((unsigned)cat < NPU_CAT_COUNT && (f->cats & (1u << cat)))
		return level <= f->level;
	return level <= f->base_level;
}

bool npu_log_enabled(enum npu_log_level level, enum npu_log_cat cat)
{
	bool pass;

	if ((unsigned)level <= NPU_LOG_TRACE && (unsigned)cat < NPU_CAT_COUNT)
		return (atomic_load_explicit(&log_passes[level], memory_order_relaxed) >> cat) & 1u;
	pthread_mutex_lock(&log_lock);
	pass = npu_log_filter_passes(&log_filter, level, cat);
	pthread_mutex_unlock(&log_lock);
	return pass;
}

void npu_log_vmsg(enum npu_log_level level, enum npu_log_cat cat, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	pthread_mutex_lock(&log_lock);
	/* No sink installed: the library keeps quiet (the program decides where logs go). */
	if (log_sink)
		log_sink(log_sink_ctx, level, cat, msg);
	pthread_mutex_unlock(&log_lock);
}

void npu_log_stderr_sink(void *ctx, enum npu_log_level level, enum npu_log_cat cat, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "npu: %s: %s%s\n", npu_log_cat_name(cat),
		level == NPU_LOG_ERROR	? "error: "
		: level == NPU_LOG_WARN ? "warning: "
					: "",
		msg);
}

void npu_log_msg(enum npu_log_level level, enum npu_log_cat cat, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	npu_log_vmsg(level, cat, fmt, ap);
	va_end(ap);
}
