/* SPDX-License-Identifier: MIT */
/*
 * Firmware image parser: decodes struct vpu_firmware_header from raw bytes and
 * applies the validation rules of the Linux driver (docs/hardware.md §4.2, §4.3).
 *
 * Every address computation is done in u64 with overflow checks, and every
 * byte read is bounded by the buffer size, never by a header field, so any
 * input is safe to parse.
 */
#include "driver/fw_image.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/bytes.h"
#include "util/log.h"

/* The major versions this driver was written for (BOOT API 3.28, JSM API 3.29). */
#define EXPECTED_BOOT_MAJOR 3u
#define EXPECTED_JSM_MAJOR  3u

static const char *const rule_names[NPU_FW_RULE_COUNT] = {
	[NPU_FW_RULE_NONE] = "none",
	[NPU_FW_RULE_FILE_SIZE] = "file_size",
	[NPU_FW_RULE_HEADER_VERSION] = "header_version",
	[NPU_FW_RULE_RUNTIME_ADDR] = "runtime_address",
	[NPU_FW_RULE_RUNTIME_SIZE] = "runtime_size",
	[NPU_FW_RULE_IMAGE_SIZE] = "image_size",
	[NPU_FW_RULE_IMAGE_IN_RUNTIME] = "image_in_runtime",
	[NPU_FW_RULE_SHAVE_NN_SIZE] = "shave_nn_fw_size",
	[NPU_FW_RULE_ENTRY_POINT] = "entry_point",
	[NPU_FW_RULE_API_VERSION] = "api_version",
	[NPU_FW_RULE_RO_SECTION] = "ro_section",
	[NPU_FW_RULE_RANGE_BOOT_PARAMS] = "range_boot_params",
	[NPU_FW_RULE_RANGE_VERSION_SIZE] = "range_version_size",
	[NPU_FW_RULE_RANGE_VERSION_PAGE] = "range_version_page",
	[NPU_FW_RULE_RANGE_RUNTIME] = "range_runtime",
	[NPU_FW_RULE_RANGE_IMAGE] = "range_image",
	[NPU_FW_RULE_RANGE_ENTRY] = "range_entry",
};

const char *drv_fw_rule_name(enum npu_fw_rule rule)
{
	if ((unsigned)rule >= NPU_FW_RULE_COUNT)
		return "?";
	return rule_names[rule];
}

const char *drv_fw_api_name(unsigned index)
{
	switch (index) {
	case NPU_FW_API_IDX_BOOT:
		return "boot";
	case NPU_FW_API_IDX_JOB_CMD:
		return "job_cmd";
	case NPU_FW_API_IDX_JSM:
		return "jsm";
	case NPU_FW_API_IDX_NNRT:
		return "nnrt";
	default:
		return NULL;
	}
}

int drv_fw_runtime_range(enum npu_gen gen, uint64_t *start, uint64_t *size)
{
	switch (gen) {
	case NPU_GEN_37XX:
		*start = NPU_VA_37XX_RUNTIME_START;
		*size = NPU_VA_37XX_RUNTIME_SIZE;
		break;
	case NPU_GEN_40XX:
	case NPU_GEN_50XX:
	case NPU_GEN_60XX:
		/* 40xx and later share one range (hw.c memory_ranges_init, §4.5) */
		*start = NPU_VA_40XX_RUNTIME_START;
		*size = NPU_VA_40XX_RUNTIME_SIZE;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* [start, start + len) lies inside [outer, outer + outer_len); false if an end overflows. */
static bool range_within(uint64_t start, uint64_t len, uint64_t outer, uint64_t outer_len)
{
	uint64_t end, outer_end;

	if (__builtin_add_overflow(start, len, &end) ||
	    __builtin_add_overflow(outer, outer_len, &outer_end))
		return false;
	return start >= outer && end <= outer_end;
}

/* Records a rule failure (err is never NULL here) and returns -ENOEXEC. */
static int fail(struct npu_fw_error *err, enum npu_fw_rule rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct npu_fw_error *err, enum npu_fw_rule rule, const char *fmt, ...)
{
	va_list ap;

	err->rule = rule;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* Debug only: the caller decides how loudly to report the failure. */
	npu_dbg(FW, "image rejected by rule %s: %s", drv_fw_rule_name(rule), err->msg);
	return -ENOEXEC;
}

/*
 * Copies text of at most max bytes, stopping at a NUL, into dst (max + 1
 * bytes). Bytes outside printable ASCII become '?', so the text is safe to
 * print on a terminal or in a log line.
 */
static void copy_text(char *dst, const uint8_t *src, size_t max)
{
	size_t i;

	for (i = 0; i < max && src[i] != 0; i++)
		dst[i] = (char)((src[i] >= 0x20 && src[i] < 0x7F) ? src[i] : '?');
	dst[i] = '\0';
}

/* Decodes the fixed header fields; the caller has checked size >= sizeof(struct npu_fw_header). */
static void decode_fields(const uint8_t *h, struct npu_fw_image *img)
{
	img->header_version = npu_le32(h + NPU_FW_OFF(header_version));
	img->image_format = npu_le32(h + NPU_FW_OFF(image_format));
	img->image_load_address = npu_le64(h + NPU_FW_OFF(image_load_address));
	img->image_size = npu_le32(h + NPU_FW_OFF(image_size));
	img->entry_point = npu_le64(h + NPU_FW_OFF(entry_point));
	copy_text(img->vpu_version, h + NPU_FW_OFF(vpu_version), NPU_FW_VPU_VERSION_LEN);
	img->compression_type = npu_le32(h + NPU_FW_OFF(compression_type));
	img->firmware_version_load_address =
	    npu_le64(h + NPU_FW_OFF(firmware_version_load_address));
	img->firmware_version_size = npu_le32(h + NPU_FW_OFF(firmware_version_size));
	img->boot_params_load_address = npu_le64(h + NPU_FW_OFF(boot_params_load_address));
	for (unsigned i = 0; i < NPU_FW_API_COUNT; i++)
		img->api_version[i] = npu_le32(h + NPU_FW_OFF(api_version) + 4 * i);
	img->runtime_size = npu_le32(h + NPU_FW_OFF(runtime_size));
	img->shave_nn_fw_size = npu_le32(h + NPU_FW_OFF(shave_nn_fw_size));
	img->preemption_buffer_1_size = npu_le32(h + NPU_FW_OFF(preemption_buffer_1_size));
	img->preemption_buffer_2_size = npu_le32(h + NPU_FW_OFF(preemption_buffer_2_size));
	img->preemption_buffer_1_max_size = npu_le32(h + NPU_FW_OFF(preemption_buffer_1_max_size));
	img->preemption_buffer_2_max_size = npu_le32(h + NPU_FW_OFF(preemption_buffer_2_max_size));
	img->ro_section_start_address = npu_le64(h + NPU_FW_OFF(ro_section_start_address));
	img->ro_section_size = npu_le32(h + NPU_FW_OFF(ro_section_size));
}

int drv_fw_header_decode(const void *data, size_t size, struct npu_fw_image *img)
{
	if (!img || (!data && size))
		return -EINVAL;
	memset(img, 0, sizeof(*img));
	img->file_size = size;
	if (size < sizeof(struct npu_fw_header))
		return -ENOEXEC;
	decode_fields(data, img);
	return 0;
}

enum npu_gen drv_fw_image_guess_gen(const struct npu_fw_image *img)
{
	static const enum npu_gen gens[] = { NPU_GEN_37XX, NPU_GEN_40XX };
	uint64_t start, size;

	if (!img)
		return NPU_GEN_UNKNOWN;
	for (size_t i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		if (drv_fw_runtime_range(gens[i], &start, &size) == 0 &&
		    range_within(img->boot_params_load_address, 1, start, size))
			return gens[i];
	}
	return NPU_GEN_UNKNOWN;
}

/*
 * Newest kernels (P-SPLIT, §4.3): boot params, version page and runtime are
 * separate buffers that must sit in the generation's fixed runtime range.
 */
static int check_range_rules(const struct npu_fw_image *img, uint64_t start, uint64_t size,
			     struct npu_fw_error *err)
{
	const char *gen = npu_gen_name(img->gen);
	uint64_t end = start + size; /* fixed constants: cannot overflow */
	uint64_t version_pages, runtime_len;

	if (!range_within(img->boot_params_load_address, NPU_FW_VERSION_PAGE_SIZE, start, size))
		return fail(err, NPU_FW_RULE_RANGE_BOOT_PARAMS,
			    "boot_params_load_address 0x%" PRIx64
			    " (4 KiB page) is outside the %s runtime range [0x%" PRIx64
			    ", 0x%" PRIx64 ")",
			    img->boot_params_load_address, gen, start, end);

	/* The version buffer is exactly one page: align_up(size, 4 KiB) == 4 KiB. */
	version_pages = ((uint64_t)img->firmware_version_size + NPU_FW_VERSION_PAGE_SIZE - 1) /
			NPU_FW_VERSION_PAGE_SIZE;
	if (version_pages != 1)
		return fail(err, NPU_FW_RULE_RANGE_VERSION_SIZE,
			    "firmware_version_size 0x%" PRIx32
			    " does not round up to one 4 KiB page (0x1..0x1000)",
			    img->firmware_version_size);
	if (!range_within(img->firmware_version_load_address, NPU_FW_VERSION_PAGE_SIZE, start,
			  size))
		return fail(err, NPU_FW_RULE_RANGE_VERSION_PAGE,
			    "firmware_version_load_address 0x%" PRIx64
			    " (4 KiB page) is outside the %s runtime range [0x%" PRIx64
			    ", 0x%" PRIx64 ")",
			    img->firmware_version_load_address, gen, start, end);

	/* runtime_size still counts the boot params and version pages (8 KiB). */
	if (img->runtime_size < NPU_FW_RUNTIME_PREFIX_SIZE)
		return fail(err, NPU_FW_RULE_RANGE_RUNTIME,
			    "runtime_size 0x%" PRIx32
			    " is smaller than the boot params and version pages (0x2000)",
			    img->runtime_size);
	runtime_len = (uint64_t)img->runtime_size - NPU_FW_RUNTIME_PREFIX_SIZE;
	if (!range_within(img->image_load_address, runtime_len, start, size))
		return fail(err, NPU_FW_RULE_RANGE_RUNTIME,
			    "runtime image_load_address 0x%" PRIx64 " + runtime_size 0x%" PRIx32
			    " - 0x2000 is outside the %s runtime range [0x%" PRIx64 ", 0x%" PRIx64
			    ")",
			    img->image_load_address, img->runtime_size, gen, start, end);

	if (!range_within(img->image_load_address, img->image_size, start, size))
		return fail(err, NPU_FW_RULE_RANGE_IMAGE,
			    "image_load_address 0x%" PRIx64 " + image_size 0x%" PRIx32
			    " is outside the %s runtime range [0x%" PRIx64 ", 0x%" PRIx64 ")",
			    img->image_load_address, img->image_size, gen, start, end);

	/* The image lies in the range, so its end cannot overflow. */
	if (!range_within(img->entry_point, 1, img->image_load_address, img->image_size))
		return fail(err, NPU_FW_RULE_RANGE_ENTRY,
			    "entry_point 0x%" PRIx64 " is outside the image [0x%" PRIx64
			    ", 0x%" PRIx64 ")",
			    img->entry_point, img->image_load_address,
			    img->image_load_address + img->image_size);
	return 0;
}

/* Rule 9: a major older than 3 is incompatible; a newer one may still work. */
static int check_api(const struct npu_fw_image *img, unsigned index, const char *what,
		     unsigned min_major, unsigned expected_major, struct npu_fw_error *err)
{
	uint32_t v = img->api_version[index];
	unsigned major = drv_fw_api_major(v), minor = drv_fw_api_minor(v);

	if (major < min_major)
		return fail(err, NPU_FW_RULE_API_VERSION,
			    "%s API version %u.%u (api_version[%u] 0x%" PRIx32
			    ") is older than the oldest supported %u.0",
			    what, major, minor, index, v, min_major);
	if (major != expected_major)
		npu_warn(FW, "firmware %s API version %u.%u: this driver was written for %u.x",
			 what, major, minor, expected_major);
	return 0;
}

/* Rules 3-10 of the kernels before Sept 2025 (§4.3). */
static int check_rules(const struct npu_fw_image *img, size_t size, struct npu_fw_error *err)
{
	uint64_t runtime_addr = img->boot_params_load_address;
	uint64_t image_end;
	int rc;

	if (runtime_addr < NPU_FW_LEGACY_RUNTIME_ADDR_MIN ||
	    runtime_addr > NPU_FW_LEGACY_RUNTIME_ADDR_MAX)
		return fail(err, NPU_FW_RULE_RUNTIME_ADDR,
			    "boot_params_load_address 0x%" PRIx64
			    " is outside the runtime address window [0x%" PRIx64 ", 0x%" PRIx64 "]",
			    runtime_addr, (uint64_t)NPU_FW_LEGACY_RUNTIME_ADDR_MIN,
			    (uint64_t)NPU_FW_LEGACY_RUNTIME_ADDR_MAX);

	if (img->runtime_size < size)
		return fail(err, NPU_FW_RULE_RUNTIME_SIZE,
			    "runtime_size 0x%" PRIx32 " is smaller than the file (0x%zx)",
			    img->runtime_size, size);
	if (img->runtime_size > NPU_FW_RUNTIME_SIZE_MAX)
		return fail(err, NPU_FW_RULE_RUNTIME_SIZE,
			    "runtime_size 0x%" PRIx32 " exceeds the limit 0x%" PRIx64 " (512 MiB)",
			    img->runtime_size, (uint64_t)NPU_FW_RUNTIME_SIZE_MAX);

	/* size > 0x2000 (rule 1), so size - 0x2000 cannot wrap. */
	if (img->image_size > size - NPU_FW_FILE_IMAGE_OFFSET)
		return fail(err, NPU_FW_RULE_IMAGE_SIZE,
			    "image_size 0x%" PRIx32 " runs past the end of the file (0x%zx)",
			    img->image_size, size);

	if (!range_within(img->image_load_address, img->image_size, runtime_addr,
			  img->runtime_size))
		return fail(err, NPU_FW_RULE_IMAGE_IN_RUNTIME,
			    "image_load_address 0x%" PRIx64 " + image_size 0x%" PRIx32
			    " is outside the runtime boot_params_load_address 0x%" PRIx64
			    " + runtime_size 0x%" PRIx32,
			    img->image_load_address, img->image_size, runtime_addr,
			    img->runtime_size);
	/* Inside the runtime, which ends below 4 GiB: no overflow from here on. */
	image_end = img->image_load_address + img->image_size;

	if (img->shave_nn_fw_size > NPU_FW_SHAVE_NN_SIZE_MAX)
		return fail(err, NPU_FW_RULE_SHAVE_NN_SIZE,
			    "shave_nn_fw_size 0x%" PRIx32 " exceeds the limit 0x%" PRIx64
			    " (2 MiB)",
			    img->shave_nn_fw_size, (uint64_t)NPU_FW_SHAVE_NN_SIZE_MAX);

	if (img->entry_point < img->image_load_address || img->entry_point >= image_end)
		return fail(err, NPU_FW_RULE_ENTRY_POINT,
			    "entry_point 0x%" PRIx64 " is outside the image [0x%" PRIx64
			    ", 0x%" PRIx64 ")",
			    img->entry_point, img->image_load_address, image_end);

	rc = check_api(img, NPU_FW_API_IDX_BOOT, "BOOT", NPU_FW_BOOT_API_MAJOR_MIN,
		       EXPECTED_BOOT_MAJOR, err);
	if (rc)
		return rc;
	rc = check_api(img, NPU_FW_API_IDX_JSM, "JSM", NPU_FW_JSM_API_MAJOR_MIN, EXPECTED_JSM_MAJOR,
		       err);
	if (rc)
		return rc;

	/* Present when either field is set; a zero size at a stray address is still wrong. */
	if ((img->ro_section_start_address || img->ro_section_size) &&
	    !range_within(img->ro_section_start_address, img->ro_section_size,
			  img->image_load_address, img->image_size))
		return fail(err, NPU_FW_RULE_RO_SECTION,
			    "ro_section_start_address 0x%" PRIx64 " + ro_section_size 0x%" PRIx32
			    " is outside the image [0x%" PRIx64 ", 0x%" PRIx64 ")",
			    img->ro_section_start_address, img->ro_section_size,
			    img->image_load_address, image_end);
	return 0;
}

int drv_fw_image_parse(const void *data, size_t size, enum npu_gen gen, struct npu_fw_image *img,
		       struct npu_fw_error *err)
{
	const uint8_t *bytes = data;
	struct npu_fw_error local_err;
	uint64_t range_start = 0, range_size = 0;
	size_t text_max;
	int rc;

	if (!err)
		err = &local_err;
	err->rule = NPU_FW_RULE_NONE;
	err->msg[0] = '\0';
	if (!img || (!data && size)) {
		snprintf(err->msg, sizeof(err->msg), "invalid arguments");
		return -EINVAL;
	}
	memset(img, 0, sizeof(*img));
	img->file_size = size;
	if (drv_fw_runtime_range(gen, &range_start, &range_size) == 0)
		img->gen = gen;
	if (size >= sizeof(struct npu_fw_header))
		decode_fields(bytes, img);

	/* Rule 1: header and version pages, and at least one image byte. */
	if (size <= NPU_FW_FILE_IMAGE_OFFSET)
		return fail(err, NPU_FW_RULE_FILE_SIZE,
			    "file size 0x%zx is not larger than the header and version pages "
			    "(0x%x)",
			    size, NPU_FW_FILE_IMAGE_OFFSET);

	/* The version page is in the file (rule 1); firmware_version_size only bounds it. */
	text_max = img->firmware_version_size;
	if (text_max > NPU_FW_VERSION_TEXT_MAX)
		text_max = NPU_FW_VERSION_TEXT_MAX;
	copy_text(img->version, bytes + NPU_FW_VERSION_PAGE_OFFSET, text_max);

	/* Rule 2: the header version is the only "magic" (§4.2). */
	if (img->header_version != NPU_FW_HEADER_VERSION)
		return fail(err, NPU_FW_RULE_HEADER_VERSION,
			    "header_version 0x%" PRIx32 " is not the supported 0x%x",
			    img->header_version, NPU_FW_HEADER_VERSION);

	if (img->gen != NPU_GEN_UNKNOWN) {
		rc = check_range_rules(img, range_start, range_size, err);
		if (rc)
			return rc;
	}
	rc = check_rules(img, size, err);
	if (rc)
		return rc;

	img->image = bytes + NPU_FW_FILE_IMAGE_OFFSET;
	img->image_len = img->image_size;
	npu_dbg(FW,
		"image: %s rules, load 0x%" PRIx64 " size 0x%" PRIx32 " entry 0x%" PRIx64
		", version \"%s\"",
		img->gen == NPU_GEN_UNKNOWN ? "generic" : npu_gen_name(img->gen),
		img->image_load_address, img->image_size, img->entry_point, img->version);
	return 0;
}

void drv_fw_image_copy(const struct npu_fw_image *img, void *dst)
{
	memcpy(dst, img->image, img->image_size);
}
