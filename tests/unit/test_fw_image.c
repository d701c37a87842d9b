/* SPDX-License-Identifier: MIT */
/*
 * Firmware image parser: Intel's images against the values of docs/hardware.md
 * §4.4 (typed in from the table, not computed), a malformed corpus derived
 * from the synthetic images (every rule of both rule sets broken at least
 * once), random bytes, and the synthetic images themselves.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/fw_image.h"
#include "sim/fw_synth.h"
#include "test_env.h"
#include "util/bytes.h"

/* One image of §4.4. */
struct real_expect {
	const char *file;
	enum npu_gen gen;
	size_t file_size;
	uint64_t image_load_address;
	uint32_t image_size;
	uint64_t entry_point;
	uint32_t compression_type;
	uint64_t firmware_version_load_address;
	uint32_t firmware_version_size;
	uint64_t boot_params_load_address;
	uint32_t api[NPU_FW_API_COUNT];
	uint32_t shave_nn_fw_size, preemption_buffer_1_size, preemption_buffer_2_size;
	uint64_t ro_section_start_address;
	uint32_t ro_section_size;
	const char *version;
	const char *truncated_msg; /* the file cut by one byte */
};

/* Transcribed from the table of §4.4, laid out like it. */
/* clang-format off */
static const struct real_expect real_37xx = {
	.file = "vpu_37xx_v1.bin", .gen = NPU_GEN_37XX, .file_size = 2430744,
	.image_load_address = 0x84802000, .image_size = 0x24F718, .entry_point = 0x84803000,
	.compression_type = 1, .firmware_version_load_address = 0x84801000,
	.firmware_version_size = 0x59, .boot_params_load_address = 0x84800000,
	.api = { [0] = 0x0003001C, [2] = 0x00010000, [3] = 0x00040009, [4] = 0x0003001D,
		 [6] = 0x00010000, [7] = 0x00070000 },
	.shave_nn_fw_size = 0x17C0, .preemption_buffer_1_size = 0xD800,
	.preemption_buffer_2_size = 0x7FE000,
	.version = "20250306*MTL_CLIENT_SILICON-release*1130*ci_tag_ud202512_vpu_rc_20250306_1130*"
		   "5064b5debc3",
	.truncated_msg = "image_size 0x24f718 runs past the end of the file (0x251717)",
};

static const struct real_expect real_40xx = {
	.file = "vpu_40xx_v1.bin", .gen = NPU_GEN_40XX, .file_size = 1977296,
	.image_load_address = 0x80002000, .image_size = 0x1E0BD0, .entry_point = 0x8000200E,
	.compression_type = 0, .firmware_version_load_address = 0x80001000,
	.firmware_version_size = 0x62, .boot_params_load_address = 0x80000000,
	.api = { [0] = 0x0003001C, [2] = 0x00010000, [3] = 0x00040009, [4] = 0x0003001D,
		 [7] = 0x000B0007 },
	.preemption_buffer_1_size = 0xCC00, .preemption_buffer_2_size = 0x1200000,
	.ro_section_start_address = 0x80003000, .ro_section_size = 0xFE000,
	.version = "Mar  6 2025*NPU40xx*ci_tag_ud202512_vpu_rc_20250306_1130*"
		   "5064b5debc377e1c4b74f69dc14e2e536dba393d",
	.truncated_msg = "image_size 0x1e0bd0 runs past the end of the file (0x1e2bcf)",
};
/* clang-format on */

static struct npu_fw_image img; /* 4 KiB of text: not on the stack */
static char where[48];		/* the case being checked, for failure messages */

/* Parses and checks the outcome: rule NONE means accepted. */
static void expect(const uint8_t *data, size_t size, enum npu_gen gen, enum npu_fw_rule rule)
{
	struct npu_fw_error err;
	int rc = drv_fw_image_parse(data, size, gen, &img, &err);

	if (rule == NPU_FW_RULE_NONE) {
		if (rc != 0)
			fail_msg("%sgen %s: rejected by %s: %s", where, npu_gen_name(gen),
				 drv_fw_rule_name(err.rule), err.msg);
		assert_int_equal(err.rule, NPU_FW_RULE_NONE);
		assert_ptr_equal(img.image, data + NPU_FW_FILE_IMAGE_OFFSET);
		assert_int_equal(img.image_len, img.image_size);
		return;
	}
	if (rc == 0)
		fail_msg("%sgen %s: accepted, expected rule %s", where, npu_gen_name(gen),
			 drv_fw_rule_name(rule));
	assert_int_equal(rc, -ENOEXEC);
	if (err.rule != rule)
		fail_msg("%sgen %s: rule %s (%s), expected %s", where, npu_gen_name(gen),
			 drv_fw_rule_name(err.rule), err.msg, drv_fw_rule_name(rule));
	assert_true(err.msg[0] != '\0');
	assert_null(strchr(err.msg, '\n'));
	assert_null(img.image);
}

static uint8_t *real_image(const char *name, size_t *size)
{
	uint8_t *data = NULL;

	if (npu_test_read_firmware(name, &data, size) != 0) {
		npu_test_firmware_missing(name);
		if (npu_test_firmware_required())
			fail_msg("%s is required (NPU_REQUIRE_FIRMWARE=1)", name);
		skip();
	}
	return data;
}

/* The state is the struct real_expect of the image. */
static void test_real(void **state)
{
	const struct real_expect *e = *state;
	enum npu_gen other = e->gen == NPU_GEN_37XX ? NPU_GEN_40XX : NPU_GEN_37XX;
	const enum npu_gen gens[] = { NPU_GEN_UNKNOWN, e->gen };
	struct npu_fw_error err;
	size_t size;
	uint8_t *data = real_image(e->file, &size);

	assert_int_equal(size, e->file_size);
	for (size_t g = 0; g < 2; g++) {
		expect(data, size, gens[g], NPU_FW_RULE_NONE);
		assert_int_equal(img.gen, gens[g]);
		assert_int_equal(img.header_version, 1);
		assert_int_equal(img.image_format, 1);
		assert_int_equal(img.image_load_address, e->image_load_address);
		assert_int_equal(img.image_size, e->image_size);
		assert_int_equal(img.entry_point, e->entry_point);
		assert_string_equal(img.vpu_version, "0.0.0");
		assert_int_equal(img.compression_type, e->compression_type);
		assert_int_equal(img.firmware_version_load_address,
				 e->firmware_version_load_address);
		assert_int_equal(img.firmware_version_size, e->firmware_version_size);
		assert_int_equal(img.boot_params_load_address, e->boot_params_load_address);
		assert_memory_equal(img.api_version, e->api, sizeof(e->api));
		assert_int_equal(img.runtime_size, 0x04000000);
		assert_int_equal(img.shave_nn_fw_size, e->shave_nn_fw_size);
		assert_int_equal(img.preemption_buffer_1_size, e->preemption_buffer_1_size);
		assert_int_equal(img.preemption_buffer_2_size, e->preemption_buffer_2_size);
		assert_int_equal(img.preemption_buffer_1_max_size, 0);
		assert_int_equal(img.preemption_buffer_2_max_size, 0);
		assert_int_equal(img.ro_section_start_address, e->ro_section_start_address);
		assert_int_equal(img.ro_section_size, e->ro_section_size);
		assert_int_equal(strncmp(img.version, e->version, strlen(e->version)), 0);
		assert_int_equal(img.file_size, e->file_size);
		assert_int_equal(drv_fw_image_guess_gen(&img), e->gen);
	}
	/* The image ends exactly at the end of the file: one byte less breaks rule 5. */
	for (size_t g = 0; g < 2; g++) {
		assert_int_equal(drv_fw_image_parse(data, size - 1, gens[g], &img, &err), -ENOEXEC);
		assert_int_equal(err.rule, NPU_FW_RULE_IMAGE_SIZE);
		assert_string_equal(err.msg, e->truncated_msg);
	}
	/* Under the other generation the boot params lie outside its range. */
	expect(data, size, other, NPU_FW_RULE_RANGE_BOOT_PARAMS);
	free(data);
}

static uint8_t *synth(enum npu_gen gen, size_t *size)
{
	uint8_t *data = NULL;

	assert_int_equal(npu_fw_synth_build(gen, &data, size), 0);
	return data;
}

/* Files too short to be an image at all. */
static void test_short_files(void **state)
{
	static const uint8_t four[4] = { 1, 0, 0, 0 };
	struct npu_fw_error err;
	size_t size;
	uint8_t *data = synth(NPU_GEN_37XX, &size);
	const size_t cuts[] = { 0, 1, 0x80, sizeof(struct npu_fw_header), 0x1000, 0x2000 };

	(void)state;
	expect(NULL, 0, NPU_GEN_UNKNOWN, NPU_FW_RULE_FILE_SIZE);
	assert_int_equal(drv_fw_image_parse(NULL, 0, NPU_GEN_37XX, &img, &err), -ENOEXEC);
	assert_string_equal(
	    err.msg, "file size 0x0 is not larger than the header and version pages (0x2000)");
	expect(four, sizeof(four), NPU_GEN_UNKNOWN, NPU_FW_RULE_FILE_SIZE);
	expect(four, sizeof(four), NPU_GEN_40XX, NPU_FW_RULE_FILE_SIZE);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		/* An exact-size copy, so ASan sees any read past the end. */
		uint8_t *cut = malloc(cuts[i] ? cuts[i] : 1);

		memcpy(cut, data, cuts[i]);
		expect(cut, cuts[i], NPU_GEN_UNKNOWN, NPU_FW_RULE_FILE_SIZE);
		expect(cut, cuts[i], NPU_GEN_37XX, NPU_FW_RULE_FILE_SIZE);
		free(cut);
	}
	/* The header fields are still decoded once they are all there. */
	expect(data, 0x2000, NPU_GEN_UNKNOWN, NPU_FW_RULE_FILE_SIZE);
	assert_int_equal(img.boot_params_load_address, 0x84800000);
	assert_int_equal(drv_fw_header_decode(data, sizeof(struct npu_fw_header) - 1, &img),
			 -ENOEXEC);
	assert_int_equal(drv_fw_header_decode(data, sizeof(struct npu_fw_header), &img), 0);
	assert_int_equal(drv_fw_image_guess_gen(&img), NPU_GEN_37XX);
	/* Bad arguments are not rule failures. */
	assert_int_equal(drv_fw_image_parse(data, size, NPU_GEN_UNKNOWN, NULL, &err), -EINVAL);
	assert_int_equal(drv_fw_image_parse(NULL, 5, NPU_GEN_UNKNOWN, &img, &err), -EINVAL);
	assert_int_equal(drv_fw_image_parse(data, size, NPU_GEN_UNKNOWN, &img, NULL), 0);
	free(data);
}

/* Header field offsets, typed from docs/hardware.md §4.2 (independent of the parser's struct). */
#define OFF_HEADER_VERSION		  0x00
#define OFF_IMAGE_FORMAT		  0x04
#define OFF_IMAGE_LOAD_ADDRESS		  0x08
#define OFF_IMAGE_SIZE			  0x10
#define OFF_ENTRY_POINT			  0x14
#define OFF_VPU_VERSION			  0x1C
#define OFF_COMPRESSION_TYPE		  0x3C
#define OFF_FIRMWARE_VERSION_LOAD_ADDRESS 0x40
#define OFF_FIRMWARE_VERSION_SIZE	  0x48
#define OFF_BOOT_PARAMS_LOAD_ADDRESS	  0x4C
#define OFF_API_VERSION			  0x54
#define OFF_RUNTIME_SIZE		  0x94
#define OFF_SHAVE_NN_FW_SIZE		  0x98
#define OFF_RO_SECTION_START_ADDRESS	  0xBC
#define OFF_RO_SECTION_SIZE		  0xC4

struct edit {
	uint16_t off;
	uint8_t width; /* 4 or 8; 0 ends the list */
	uint64_t value;
};

/* clang-format off */
#define E32(field, v) { .off = OFF_##field, .width = 4, .value = (v) }
#define E64(field, v) { .off = OFF_##field, .width = 8, .value = (v) }
#define API(i, v)     { .off = OFF_API_VERSION + 4 * (i), .width = 4, .value = (v) }
#define NONE          NPU_FW_RULE_NONE
#define R(x)          NPU_FW_RULE_##x
#define G37           NPU_GEN_37XX
#define G40           NPU_GEN_40XX
#define CASE(gen, generic_rule, ranged_rule, ...) \
	{ .synth = (gen), .generic = (generic_rule), .ranged = (ranged_rule), \
	  .edits = { __VA_ARGS__ } }
#define MSG(gen, generic_rule, ranged_rule, text, ...) \
	{ .synth = (gen), .generic = (generic_rule), .ranged = (ranged_rule), .msg = (text), \
	  .edits = { __VA_ARGS__ } }
/* clang-format on */

/*
 * One malformed (or boundary) image: edits of the synthetic image of `synth`,
 * the rule expected under NPU_GEN_UNKNOWN and under the synthetic image's own
 * generation (NONE: accepted), and optionally the exact generic message.
 * 37xx synthetic layout: boot params 0x84800000, version page 0x84801000,
 * image 0x84802000 + 0x4000, entry 0x84803000, file 0x6000, runtime 64 MiB,
 * range [0x84800000, 0x88800000). 40xx: the same from 0x80000000, entry
 * image + 0xE, RO section image + 0x1000, 0x2000 bytes.
 */
struct bad_image {
	enum npu_gen synth;
	struct edit edits[4];
	enum npu_fw_rule generic, ranged;
	const char *msg;
};

static const struct bad_image bad_images[] = {
	MSG(G37, R(HEADER_VERSION), R(HEADER_VERSION),
	    "header_version 0x0 is not the supported 0x1", E32(HEADER_VERSION, 0)),
	CASE(G37, R(HEADER_VERSION), R(HEADER_VERSION), E32(HEADER_VERSION, 2)),
	/* rule 3 and the boot-params range */
	MSG(G37, R(RUNTIME_ADDR), R(RANGE_BOOT_PARAMS),
	    "boot_params_load_address 0x7ffff000 is outside the runtime address window "
	    "[0x80000000, 0xb0000000]",
	    E64(BOOT_PARAMS_LOAD_ADDRESS, 0x7FFFF000)),
	CASE(G37, R(RUNTIME_ADDR), R(RANGE_BOOT_PARAMS), E64(BOOT_PARAMS_LOAD_ADDRESS, 0xB0001000)),
	CASE(G37, R(RUNTIME_ADDR), R(RANGE_BOOT_PARAMS),
	     E64(BOOT_PARAMS_LOAD_ADDRESS, 0xFFFFFFFFFFFFF000)),
	CASE(G37, NONE, R(RANGE_BOOT_PARAMS), E64(BOOT_PARAMS_LOAD_ADDRESS, 0x847FF000)),
	CASE(G37, R(IMAGE_IN_RUNTIME), R(RANGE_BOOT_PARAMS),
	     E64(BOOT_PARAMS_LOAD_ADDRESS, 0x887FF800)),
	/* everything moved to the top of the old window: still valid there */
	CASE(G37, NONE, R(RANGE_BOOT_PARAMS), E64(BOOT_PARAMS_LOAD_ADDRESS, 0xB0000000),
	     E64(IMAGE_LOAD_ADDRESS, 0xB0002000), E64(ENTRY_POINT, 0xB0003000),
	     E64(FIRMWARE_VERSION_LOAD_ADDRESS, 0xB0001000)),
	/* version page: only the newest rules look at it */
	CASE(G37, NONE, R(RANGE_VERSION_SIZE), E32(FIRMWARE_VERSION_SIZE, 0)),
	CASE(G37, NONE, R(RANGE_VERSION_SIZE), E32(FIRMWARE_VERSION_SIZE, 0x1001)),
	CASE(G37, NONE, R(RANGE_VERSION_SIZE), E32(FIRMWARE_VERSION_SIZE, 0xFFFFFFFF)),
	CASE(G37, NONE, NONE, E32(FIRMWARE_VERSION_SIZE, 0x1000)),
	CASE(G37, NONE, R(RANGE_VERSION_PAGE), E64(FIRMWARE_VERSION_LOAD_ADDRESS, 0x90000000)),
	CASE(G37, NONE, R(RANGE_VERSION_PAGE), E64(FIRMWARE_VERSION_LOAD_ADDRESS, 0x887FF001)),
	CASE(G37, NONE, R(RANGE_VERSION_PAGE),
	     E64(FIRMWARE_VERSION_LOAD_ADDRESS, 0xFFFFFFFFFFFFF800)),
	/* rule 4 and the runtime window */
	MSG(G37, R(RUNTIME_SIZE), R(RUNTIME_SIZE),
	    "runtime_size 0x5fff is smaller than the file (0x6000)", E32(RUNTIME_SIZE, 0x5FFF)),
	CASE(G37, NONE, NONE, E32(RUNTIME_SIZE, 0x6000)),
	CASE(G37, R(RUNTIME_SIZE), R(RANGE_RUNTIME), E32(RUNTIME_SIZE, 0x1000)),
	CASE(G37, NONE, R(RANGE_RUNTIME), E32(RUNTIME_SIZE, 0x4001000)),
	CASE(G37, NONE, R(RANGE_RUNTIME), E32(RUNTIME_SIZE, 0x20000000)),
	MSG(G37, R(RUNTIME_SIZE), R(RANGE_RUNTIME),
	    "runtime_size 0x20000001 exceeds the limit 0x20000000 (512 MiB)",
	    E32(RUNTIME_SIZE, 0x20000001)),
	CASE(G37, R(RUNTIME_SIZE), R(RANGE_RUNTIME), E32(RUNTIME_SIZE, 0xFFFFFFFF)),
	/* rule 5 and the image range */
	MSG(G37, R(IMAGE_SIZE), R(IMAGE_SIZE),
	    "image_size 0x4001 runs past the end of the file (0x6000)", E32(IMAGE_SIZE, 0x4001)),
	CASE(G37, R(IMAGE_SIZE), R(RANGE_IMAGE), E32(IMAGE_SIZE, 0xFFFFFFFF)),
	CASE(G37, R(ENTRY_POINT), R(RANGE_ENTRY), E32(IMAGE_SIZE, 0)),
	CASE(G37, R(RUNTIME_SIZE), R(RANGE_IMAGE), E32(RUNTIME_SIZE, 0x3000),
	     E64(IMAGE_LOAD_ADDRESS, 0x887FF000)),
	/* rule 6 */
	CASE(G37, R(IMAGE_IN_RUNTIME), R(RANGE_RUNTIME), E64(IMAGE_LOAD_ADDRESS, 0x847FF000)),
	CASE(G37, R(IMAGE_IN_RUNTIME), R(RANGE_RUNTIME),
	     E64(IMAGE_LOAD_ADDRESS, 0xFFFFFFFFFFFFF000)),
	CASE(G37, R(IMAGE_IN_RUNTIME), R(IMAGE_IN_RUNTIME), E32(RUNTIME_SIZE, 0x6000),
	     E64(IMAGE_LOAD_ADDRESS, 0x84802001)),
	/* rule 7 */
	MSG(G37, R(SHAVE_NN_SIZE), R(SHAVE_NN_SIZE),
	    "shave_nn_fw_size 0x200001 exceeds the limit 0x200000 (2 MiB)",
	    E32(SHAVE_NN_FW_SIZE, 0x200001)),
	CASE(G37, R(SHAVE_NN_SIZE), R(SHAVE_NN_SIZE), E32(SHAVE_NN_FW_SIZE, 0xFFFFFFFF)),
	CASE(G37, NONE, NONE, E32(SHAVE_NN_FW_SIZE, 0x200000)),
	/* rule 8 and the entry range */
	MSG(G37, R(ENTRY_POINT), R(RANGE_ENTRY),
	    "entry_point 0x84806000 is outside the image [0x84802000, 0x84806000)",
	    E64(ENTRY_POINT, 0x84806000)),
	CASE(G37, R(ENTRY_POINT), R(RANGE_ENTRY), E64(ENTRY_POINT, 0x84801FFF)),
	CASE(G37, R(ENTRY_POINT), R(RANGE_ENTRY), E64(ENTRY_POINT, 0xFFFFFFFFFFFFFFFF)),
	CASE(G37, NONE, NONE, E64(ENTRY_POINT, 0x84802000)),
	CASE(G37, NONE, NONE, E64(ENTRY_POINT, 0x84805FFF)),
	/* rule 9: older majors refused, newer ones only warned about */
	MSG(G37, R(API_VERSION), R(API_VERSION),
	    "BOOT API version 2.28 (api_version[0] 0x2001c) is older than the oldest supported 3.0",
	    API(0, 0x0002001C)),
	CASE(G37, R(API_VERSION), R(API_VERSION), API(4, 0x0002001D)),
	CASE(G37, R(API_VERSION), R(API_VERSION), API(0, 0)),
	CASE(G37, NONE, NONE, API(0, 0x00040000)),
	CASE(G37, NONE, NONE, API(4, 0xFFFFFFFF)),
	/* rule 10 */
	CASE(G37, R(RO_SECTION), R(RO_SECTION), E64(RO_SECTION_START_ADDRESS, 0x84805000),
	     E32(RO_SECTION_SIZE, 0x2000)),
	CASE(G37, R(RO_SECTION), R(RO_SECTION), E64(RO_SECTION_START_ADDRESS, 0xFFFFFFFFFFFFF000),
	     E32(RO_SECTION_SIZE, 0x2000)),
	CASE(G37, R(RO_SECTION), R(RO_SECTION), E64(RO_SECTION_START_ADDRESS, 0x84803000),
	     E32(RO_SECTION_SIZE, 0xFFFFFFFF)),
	CASE(G37, R(RO_SECTION), R(RO_SECTION), E64(RO_SECTION_START_ADDRESS, 0x84801000),
	     E32(RO_SECTION_SIZE, 0x1000)),
	CASE(G37, R(RO_SECTION), R(RO_SECTION), E32(RO_SECTION_SIZE, 0x1000)),
	CASE(G37, NONE, NONE, E64(RO_SECTION_START_ADDRESS, 0x84802000),
	     E32(RO_SECTION_SIZE, 0x4000)),
	/* fields no rule looks at */
	CASE(G37, NONE, NONE, E32(IMAGE_FORMAT, 0xFFFFFFFF), E32(COMPRESSION_TYPE, 0xFFFFFFFF)),
	/* 40xx: its range, its RO section */
	CASE(G40, R(RUNTIME_ADDR), R(RANGE_BOOT_PARAMS), E64(BOOT_PARAMS_LOAD_ADDRESS, 0x7FFFF000)),
	CASE(G40, NONE, R(RANGE_VERSION_PAGE), E64(FIRMWARE_VERSION_LOAD_ADDRESS, 0x84000000)),
	CASE(G40, NONE, R(RANGE_RUNTIME), E32(RUNTIME_SIZE, 0x4001000)),
	CASE(G40, R(ENTRY_POINT), R(RANGE_ENTRY), E64(ENTRY_POINT, 0x80006000)),
	CASE(G40, R(RO_SECTION), R(RO_SECTION), E64(RO_SECTION_START_ADDRESS, 0x80005000)),
};

static void apply(uint8_t *data, const struct edit *edits)
{
	for (size_t i = 0; i < 4 && edits[i].width; i++) {
		if (edits[i].width == 8)
			npu_put_le64(data + edits[i].off, edits[i].value);
		else
			npu_put_le32(data + edits[i].off, (uint32_t)edits[i].value);
	}
}

static void test_malformed(void **state)
{
	bool seen[NPU_FW_RULE_COUNT] = { false };
	struct npu_fw_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_images) / sizeof(bad_images[0]); i++) {
		const struct bad_image *b = &bad_images[i];
		size_t size;
		uint8_t *data = synth(b->synth, &size);

		snprintf(where, sizeof(where), "case %zu (%s image): ", i, npu_gen_name(b->synth));
		apply(data, b->edits);
		expect(data, size, NPU_GEN_UNKNOWN, b->generic);
		expect(data, size, b->synth, b->ranged);
		if (b->msg) {
			drv_fw_image_parse(data, size, NPU_GEN_UNKNOWN, &img, &err);
			assert_string_equal(err.msg, b->msg);
		}
		seen[b->generic] = seen[b->ranged] = true;
		free(data);
	}
	where[0] = '\0';
	/* Every rule is broken by some case (file size and entry by other tests too). */
	for (int r = NPU_FW_RULE_HEADER_VERSION; r < NPU_FW_RULE_COUNT; r++) {
		if (!seen[r])
			fail_msg("no case breaks rule %s", drv_fw_rule_name((enum npu_fw_rule)r));
	}
}

/* Version text: bounded by the size field and 4 KiB, NUL-stopped, sanitised. */
static void test_version_text(void **state)
{
	size_t size;
	uint8_t *data = synth(NPU_GEN_37XX, &size);
	uint8_t *page = data + NPU_FW_VERSION_PAGE_OFFSET;

	(void)state;
	memcpy(page,
	       "ab\x01\xff"
	       "cd",
	       7);
	npu_put_le32(data + OFF_FIRMWARE_VERSION_SIZE, 7);
	expect(data, size, NPU_GEN_37XX, NONE);
	assert_string_equal(img.version, "ab??cd");
	npu_put_le32(data + OFF_FIRMWARE_VERSION_SIZE, 3);
	expect(data, size, NPU_GEN_37XX, NONE);
	assert_string_equal(img.version, "ab?");
	/* A full page without a NUL and a size field past it: 4096 bytes kept. */
	memset(page, 'A', NPU_FW_VERSION_PAGE_SIZE);
	npu_put_le32(data + OFF_FIRMWARE_VERSION_SIZE, 0xFFFFFFFF);
	expect(data, size, NPU_GEN_UNKNOWN, NONE);
	assert_int_equal(strlen(img.version), NPU_FW_VERSION_TEXT_MAX);
	/* vpu_version fills its 32 bytes without a NUL. */
	memset(data + OFF_VPU_VERSION, 'v', NPU_FW_VPU_VERSION_LEN);
	expect(data, size, NPU_GEN_UNKNOWN, NONE);
	assert_int_equal(strlen(img.vpu_version), NPU_FW_VPU_VERSION_LEN);
	free(data);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint8_t rng_byte(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint8_t)(rng_state >> 24);
}

/* Any outcome but a crash, and a consistent one. */
static void parse_any(const uint8_t *data, size_t size)
{
	static const enum npu_gen gens[] = { NPU_GEN_UNKNOWN, NPU_GEN_37XX, NPU_GEN_40XX,
					     NPU_GEN_50XX, NPU_GEN_60XX };
	struct npu_fw_error err;

	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++) {
		int rc = drv_fw_image_parse(data, size, gens[g], &img, &err);

		if (rc == 0) {
			assert_true(img.image_len <= size - NPU_FW_FILE_IMAGE_OFFSET);
			assert_true(img.entry_point - img.image_load_address < img.image_len);
		} else {
			assert_int_equal(rc, -ENOEXEC);
			assert_true(err.rule > NPU_FW_RULE_NONE && err.rule < NPU_FW_RULE_COUNT);
		}
		assert_true(memchr(img.version, 0, sizeof(img.version)) != NULL);
	}
}

static void test_garbage(void **state)
{
	static const size_t sizes[] = { 1, 3, 0xCB, 0xCC, 0x1000, 0x2000, 0x2001, 0x2100, 0x6000 };
	size_t synth_size;
	uint8_t *ref = synth(NPU_GEN_40XX, &synth_size);

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int round = 0; round < 40; round++) {
			uint8_t *data = malloc(sizes[s]);

			for (size_t i = 0; i < sizes[s]; i++)
				data[i] = rng_byte();
			/* Half the rounds: a plausible header with random damage. */
			if (round % 2 && sizes[s] >= sizeof(struct npu_fw_header)) {
				memcpy(data, ref, sizeof(struct npu_fw_header));
				for (int k = 0; k < 4; k++)
					data[rng_byte() % sizeof(struct npu_fw_header)] =
					    rng_byte();
			}
			parse_any(data, sizes[s]);
			free(data);
		}
	}
	free(ref);
}

static void test_synthetic(void **state)
{
	static const enum npu_gen gens[] = { NPU_GEN_37XX, NPU_GEN_40XX };
	size_t size;
	uint8_t *data;

	(void)state;
	for (size_t g = 0; g < 2; g++) {
		char text[64], tag[NPU_FW_SYNTH_TAG_LEN] = { 0 };

		data = synth(gens[g], &size);
		assert_true(size <= 0x10000);
		expect(data, size, NPU_GEN_UNKNOWN, NONE);
		assert_int_equal(drv_fw_image_guess_gen(&img), gens[g]);
		expect(data, size, gens[g], NONE);
		snprintf(text, sizeof(text), "npud synthetic firmware %s", npu_gen_name(gens[g]));
		assert_string_equal(img.version, text);
		assert_int_equal(img.api_version[NPU_FW_API_IDX_BOOT], 0x0003001C);
		assert_int_equal(img.api_version[NPU_FW_API_IDX_JSM], 0x0003001D);
		assert_int_equal(img.runtime_size, 64u << 20);
		assert_int_equal(img.image_len, NPU_FW_SYNTH_IMAGE_SIZE);
		snprintf(tag, sizeof(tag), "%s%s", NPU_FW_SYNTH_TAG, npu_gen_name(gens[g]));
		assert_memory_equal(img.image, tag, sizeof(tag));
		assert_int_equal(npu_le32(img.image + 0x100), npu_fw_synth_word(0x40));
		/* 50xx and 60xx share the 40xx range. */
		expect(data, size, NPU_GEN_50XX, g == 1 ? NONE : R(RANGE_BOOT_PARAMS));
		expect(data, size, NPU_GEN_60XX, g == 1 ? NONE : R(RANGE_BOOT_PARAMS));
		free(data);
	}
	assert_int_equal(npu_fw_synth_build(NPU_GEN_50XX, &data, &size), -EINVAL);
	assert_int_equal(npu_fw_synth_build(NPU_GEN_UNKNOWN, &data, &size), -EINVAL);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(drv_fw_api_name(0), "boot");
	assert_string_equal(drv_fw_api_name(3), "job_cmd");
	assert_string_equal(drv_fw_api_name(4), "jsm");
	assert_string_equal(drv_fw_api_name(7), "nnrt");
	for (unsigned i = 0; i < 40; i++) {
		if (i != 0 && i != 3 && i != 4 && i != 7)
			assert_null(drv_fw_api_name(i));
	}
	for (int r = 0; r < NPU_FW_RULE_COUNT; r++) {
		assert_string_not_equal(drv_fw_rule_name((enum npu_fw_rule)r), "?");
		for (int q = 0; q < r; q++)
			assert_string_not_equal(drv_fw_rule_name((enum npu_fw_rule)r),
						drv_fw_rule_name((enum npu_fw_rule)q));
	}
	assert_string_equal(drv_fw_rule_name(NPU_FW_RULE_COUNT), "?");
	assert_string_equal(drv_fw_rule_name(NPU_FW_RULE_IMAGE_SIZE), "image_size");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		{ .name = "test_real_37xx",
		  .test_func = test_real,
		  .initial_state = (void *)&real_37xx },
		{ .name = "test_real_40xx",
		  .test_func = test_real,
		  .initial_state = (void *)&real_40xx },
		cmocka_unit_test(test_short_files),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_version_text),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
