/* SPDX-License-Identifier: MIT */
/* npuctl boot: power up, load the firmware, start it, wait for READY. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "devopen.h"
#include "libopen.h"
#include "util/json.h"

/*
 * --dump-boot-params: the 4 KiB page as it stood when the NPU's CPU was started
 * (the driver's copy at that moment, docs/boot-params.md), also after a boot that
 * failed later; 0 or -1 after saying what went wrong.
 */
static int dump_boot_params(const struct npu_device *d, const char *path)
{
	FILE *f;
	int e;

	if (!d->boot_params_sent_valid) {
		npuctl_err("%s: not written: the boot failed before the firmware was started",
			   path);
		return -1;
	}
	f = fopen(path, "wb");
	if (f && fwrite(d->boot_params_sent, 1, sizeof(d->boot_params_sent), f) ==
		     sizeof(d->boot_params_sent)) {
		if (fclose(f) == 0)
			return 0;
		f = NULL;
	}
	e = errno;
	if (f)
		fclose(f);
	npuctl_err("%s: %s", path, strerror(e ? e : EIO));
	return -1;
}

static void print_json(struct npuctl_dev *nd, int ret, const char *dump)
{
	struct npu_device *d = &nd->dev;
	struct npu_json j;

	npu_json_init(&j, stdout);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "device", nd->device_name);
	npu_json_bool(&j, "simulated", nd->plat->simulated);
	if (nd->pcfg.note[0])
		npu_json_str(&j, "note", nd->pcfg.note);
	npu_json_str(&j, "generation", npu_gen_name(d->gen));
	npu_json_str(&j, "state", ret ? "failed" : drv_dev_state_name(d->state));
	npu_json_str(&j, "firmware_file", d->fw_path);
	npu_json_str(&j, "firmware_version", d->fw.version);
	npu_json_u64(&j, "boot_us", d->boot_us);
	if (dump)
		npu_json_str(&j, "boot_params_file", dump);
	npu_json_arr_begin(&j, "phases");
	for (unsigned i = 0; i < d->n_phases; i++) {
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "name", d->phases[i].name);
		npu_json_u64(&j, "us", d->phases[i].us);
		npu_json_obj_end(&j);
	}
	npu_json_arr_end(&j);
	if (ret) {
		npu_json_str(&j, "failed_step", d->fail_step);
		npu_json_str(&j, "error", d->fail_reason);
	}
	npu_json_obj_end(&j);
	npu_json_finish(&j);
}

static void print_text(struct npuctl_dev *nd, const char *dump)
{
	struct npu_device *d = &nd->dev;

	printf("device     %s (%s%s)\n", nd->device_name, d->plat->pci.platform,
	       nd->plat->simulated ? ", simulated" : "");
	printf("generation %s\n", npu_gen_name(d->gen));
	printf("firmware   %s\n           %s\n", d->fw_path, d->fw.version);
	printf("state      %s, READY received after %llu us\n", drv_dev_state_name(d->state),
	       (unsigned long long)d->boot_us);
	for (unsigned i = 0; i < d->n_phases; i++)
		printf("  %-14s %8llu us\n", d->phases[i].name,
		       (unsigned long long)d->phases[i].us);
	if (dump)
		printf("boot parameters (%zu bytes, as the firmware got them) written to %s\n",
		       sizeof(d->boot_params_sent), dump);
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	struct npuctl_dev nd;
	const char *pos[1], *dump = NULL;
	const struct npuctl_opt opts[] = { { "--dump-boot-params", &dump, NULL },
					   { NULL, NULL, NULL } };
	int n_pos, code, ret, dumped = 0;

	if (npuctl_parse_opts(&npuctl_cmd_boot, argc, argv, opts, pos, 0, &n_pos, &code))
		return code;
	if (npuctl_no_socket(ctl, "boot"))
		return NPUCTL_EXIT_USAGE;
	code = npuctl_dev_open(ctl, &nd);
	if (code != NPUCTL_EXIT_OK) {
		npuctl_dev_close(&nd);
		return code;
	}
	/* --device auto says which device it chose. */
	if (strcmp(ctl->device, "auto") == 0 && nd.pcfg.note[0] && !ctl->json &&
	    ctl->verbosity >= 0)
		fprintf(stderr, "%s\n", nd.pcfg.note);
	ret = drv_device_boot(&nd.dev);
	if (dump)
		dumped = dump_boot_params(&nd.dev, dump);
	if (ctl->json)
		print_json(&nd, ret, dump && !dumped ? dump : NULL);
	else if (!ret)
		print_text(&nd, dump && !dumped ? dump : NULL);
	if (ret) {
		npuctl_dev_boot_failed(&nd);
		if (ctl->verbosity > 0)
			npuctl_dev_dump(&nd, stderr);
	}
	if (npuctl_dev_close(&nd))
		ret = -EIO;
	return ret || dumped ? NPUCTL_EXIT_ERROR : NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_boot = {
	.name = "boot",
	.summary = "Power the NPU up, load and start its firmware, wait for the ready message",
	.usage = "[--device auto|sim|BDF] [--gen 37xx|40xx] [--firmware FILE] [--json] "
		 "[--trace-mmio FILE] [--dump-boot-params FILE]",
	.run = run,
};
