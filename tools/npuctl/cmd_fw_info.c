/* SPDX-License-Identifier: MIT */
/*
 * npuctl fw-info [FILE] [--json]: validates a firmware image with the rules of
 * the Linux driver (docs/hardware.md §4.3) and prints its header.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "driver/fw_image.h"
#include "driver/fw_locate.h"
#include "util/file.h"
#include "util/json.h"

/* The kernel refuses runtime_size above 512 MiB, so no valid file is larger. */

/* "boot", ..., or "api<index>" for the indices no header names. */
static const char *api_label(unsigned index, char *buf, size_t len)
{
	const char *name = drv_fw_api_name(index);

	if (name)
		return name;
	snprintf(buf, len, "api%u", index);
	return buf;
}

/* Named APIs always; unnamed indices only when the firmware declares them. */
static int api_shown(const struct npu_fw_image *img, unsigned index)
{
	return drv_fw_api_name(index) != NULL || img->api_version[index] != 0;
}

static void print_json(const struct npu_fw_image *img, const char *path, enum npu_gen gen)
{
	struct npu_json j;
	char label[16], ver[24];

	npu_json_init(&j, stdout);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "file", path);
	npu_json_u64(&j, "file_size", img->file_size);
	if (gen == NPU_GEN_UNKNOWN)
		npu_json_null(&j, "generation");
	else
		npu_json_str(&j, "generation", npu_gen_name(gen));
	npu_json_u64(&j, "header_version", img->header_version);
	npu_json_u64(&j, "image_format", img->image_format);
	npu_json_u64(&j, "image_load_address", img->image_load_address);
	npu_json_u64(&j, "image_size", img->image_size);
	npu_json_u64(&j, "entry_point", img->entry_point);
	npu_json_str(&j, "vpu_version", img->vpu_version);
	npu_json_u64(&j, "compression_type", img->compression_type);
	npu_json_u64(&j, "firmware_version_load_address", img->firmware_version_load_address);
	npu_json_u64(&j, "firmware_version_size", img->firmware_version_size);
	npu_json_u64(&j, "boot_params_load_address", img->boot_params_load_address);
	npu_json_u64(&j, "runtime_size", img->runtime_size);
	npu_json_u64(&j, "shave_nn_fw_size", img->shave_nn_fw_size);
	npu_json_u64(&j, "preemption_buffer_1_size", img->preemption_buffer_1_size);
	npu_json_u64(&j, "preemption_buffer_2_size", img->preemption_buffer_2_size);
	npu_json_u64(&j, "preemption_buffer_1_max_size", img->preemption_buffer_1_max_size);
	npu_json_u64(&j, "preemption_buffer_2_max_size", img->preemption_buffer_2_max_size);
	npu_json_u64(&j, "ro_section_start_address", img->ro_section_start_address);
	npu_json_u64(&j, "ro_section_size", img->ro_section_size);
	npu_json_str(&j, "firmware_version", img->version);
	npu_json_obj_begin(&j, "api_versions");
	for (unsigned i = 0; i < NPU_FW_API_COUNT; i++) {
		if (!api_shown(img, i))
			continue;
		snprintf(ver, sizeof(ver), "%u.%u", drv_fw_api_major(img->api_version[i]),
			 drv_fw_api_minor(img->api_version[i]));
		npu_json_str(&j, api_label(i, label, sizeof(label)), ver);
	}
	npu_json_obj_end(&j);
	npu_json_obj_end(&j);
	npu_json_finish(&j);
}

static void line_hex(const char *name, uint64_t v)
{
	printf("%-30s 0x%" PRIx64 "\n", name, v);
}

/* Sizes in hex and decimal. */
static void line_size(const char *name, uint64_t v)
{
	printf("%-30s 0x%" PRIx64 " (%" PRIu64 ")\n", name, v, v);
}

static void print_text(const struct npu_fw_image *img, const char *path, enum npu_gen gen,
		       bool guessed)
{
	char label[32], name[16];

	printf("%-30s %s\n", "file", path);
	line_size("file_size", img->file_size);
	if (gen == NPU_GEN_UNKNOWN)
		printf("%-30s unknown (generation-independent rules only)\n", "generation");
	else
		printf("%-30s %s (%s)\n", "generation", npu_gen_name(gen),
		       guessed ? "from boot_params_load_address" : "from --gen");
	printf("%-30s %s\n", "firmware_version", img->version);
	printf("%-30s %" PRIu32 "\n", "header_version", img->header_version);
	printf("%-30s %" PRIu32 "\n", "image_format", img->image_format);
	line_hex("image_load_address", img->image_load_address);
	line_size("image_size", img->image_size);
	line_hex("entry_point", img->entry_point);
	printf("%-30s %s\n", "vpu_version", img->vpu_version);
	printf("%-30s %" PRIu32 "\n", "compression_type", img->compression_type);
	line_hex("firmware_version_load_address", img->firmware_version_load_address);
	line_size("firmware_version_size", img->firmware_version_size);
	line_hex("boot_params_load_address", img->boot_params_load_address);
	line_size("runtime_size", img->runtime_size);
	line_size("shave_nn_fw_size", img->shave_nn_fw_size);
	line_size("preemption_buffer_1_size", img->preemption_buffer_1_size);
	line_size("preemption_buffer_2_size", img->preemption_buffer_2_size);
	line_size("preemption_buffer_1_max_size", img->preemption_buffer_1_max_size);
	line_size("preemption_buffer_2_max_size", img->preemption_buffer_2_max_size);
	line_hex("ro_section_start_address", img->ro_section_start_address);
	line_size("ro_section_size", img->ro_section_size);
	for (unsigned i = 0; i < NPU_FW_API_COUNT; i++) {
		if (!api_shown(img, i))
			continue;
		snprintf(label, sizeof(label), "api %s", api_label(i, name, sizeof(name)));
		printf("%-30s %u.%u\n", label, drv_fw_api_major(img->api_version[i]),
		       drv_fw_api_minor(img->api_version[i]));
	}
}

static int read_image(const char *path, uint8_t **data, size_t *size)
{
	int ret = npu_read_file(path, NPU_FW_FILE_MAX, data, size);

	if (ret == -EFBIG)
		npuctl_err("%s: larger than 512 MiB, the most a firmware image can be", path);
	else if (ret == -EINVAL)
		npuctl_err("%s: not a regular file", path);
	else if (ret != 0)
		npuctl_err("%s: %s", path, strerror(-ret));
	return ret;
}

/* FILE, else --firmware, else the image of --gen where drv_fw_locate finds it. */
static const char *pick_path(const struct npuctl *ctl, const char *arg, enum npu_gen gen, char *buf,
			     size_t len)
{
	if (arg)
		return arg;
	if (ctl->firmware && *ctl->firmware)
		return ctl->firmware;
	if (gen == NPU_GEN_UNKNOWN)
		return NULL;
	/* When nothing exists, buf names the last path tried, which the read reports. */
	if (drv_fw_locate(gen, NULL, buf, len) != 0 && buf[0] == '\0')
		return NULL;
	return buf;
}

static int run(struct npuctl *ctl, int argc, char **argv);

const struct npuctl_cmd npuctl_cmd_fw_info = {
	.name = "fw-info",
	.summary = "Validate a firmware image and print its header",
	.usage = "[FILE] [--json]\n\n"
		 "FILE defaults to --firmware, else to the installed image of --gen.\n"
		 "Without --gen the generation is guessed from boot_params_load_address.\n"
		 "An invalid image exits 1 with one line naming the rule and the values.",
	.run = run,
};

static int run(struct npuctl *ctl, int argc, char **argv)
{
	static const char *const flags[] = { "--json", NULL };
	bool flag_set[1];
	const char *pos[1] = { NULL };
	struct npu_fw_image *img;
	struct npu_fw_error err;
	enum npu_gen gen = NPU_GEN_UNKNOWN;
	char located[4096] = "";
	const char *path;
	uint8_t *data = NULL;
	size_t size = 0;
	int n_pos, exit_code, ret;

	if (npuctl_parse_args(&npuctl_cmd_fw_info, argc, argv, flags, flag_set, pos, 1, &n_pos,
			      &exit_code))
		return exit_code;
	if (flag_set[0])
		ctl->json = true;
	if (ctl->gen) {
		gen = npu_gen_parse(ctl->gen);
		if (gen == NPU_GEN_UNKNOWN)
			return npuctl_usage_err(&npuctl_cmd_fw_info,
						"--gen: unknown generation '%s' (37xx or 40xx)",
						ctl->gen);
	}
	path = pick_path(ctl, pos[0], gen, located, sizeof(located));
	if (!path)
		return npuctl_usage_err(&npuctl_cmd_fw_info,
					"fw-info: no FILE given (name one, or use --firmware FILE "
					"or --gen 37xx|40xx)");
	if (read_image(path, &data, &size) != 0)
		return NPUCTL_EXIT_ERROR;

	/* struct npu_fw_image holds 4 KiB of version text: keep it off the stack. */
	img = malloc(sizeof(*img));
	if (!img) {
		free(data);
		npuctl_err("out of memory");
		return NPUCTL_EXIT_ERROR;
	}
	if (!ctl->gen && drv_fw_header_decode(data, size, img) == 0)
		gen = drv_fw_image_guess_gen(img);
	ret = drv_fw_image_parse(data, size, gen, img, &err);
	if (ret != 0) {
		npuctl_err("%s: %s", path, err.msg);
		exit_code = NPUCTL_EXIT_ERROR;
	} else {
		if (ctl->json)
			print_json(img, path, gen);
		else
			print_text(img, path, gen, ctl->gen == NULL);
		exit_code = NPUCTL_EXIT_OK;
	}
	free(img);
	free(data);
	return exit_code;
}
