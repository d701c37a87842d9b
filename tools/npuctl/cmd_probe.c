/* SPDX-License-Identifier: MIT */
/*
 * npuctl probe: lists the Intel NPUs on the PCI bus, as Linux sysfs shows them
 * ($NPU_SYSFS_ROOT, default /sys). Finding none is an answer, not an error:
 * the simulated NPU is always there. With --socket it asks npud instead
 * (connect, hello, query) which device it serves, and explains why it cannot
 * when it cannot: no socket, nobody listening, no permission on the socket.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "driver/fw_locate.h"
#include "hw/gen.h"
#include "hw/pci_ids.h"
#include "libopen.h"
#include "platform/pci_scan.h"
#include "util/json.h"

/* Far more Intel accelerators than any machine has; the rest are counted. */
#define PROBE_MAX_DEVS 32

struct probe_result {
	const char *root;
	char path[4096];
	struct npu_pci_dev devs[PROBE_MAX_DEVS];
	size_t n;
	struct npu_pci_scan_report report;
	size_t n_npu;	    /* devices of a known NPU generation */
	size_t n_supported; /* of which this driver can run */
};

static const char *status_text(const struct npu_pci_dev *d)
{
	if (d->supported)
		return "supported";
	if (d->gen != NPU_GEN_UNKNOWN)
		return "recognised, not supported yet";
	return "not an NPU this driver knows; not used";
}

static void format_size(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && size >= 1024 && size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", size, units[u]);
}

static const char *bar_kind_text(uint32_t flags)
{
	if (flags & NPU_PCI_RES_IO)
		return "I/O ports";
	if (!(flags & NPU_PCI_RES_MEM))
		return "unknown type";
	if (flags & NPU_PCI_RES_MEM_64)
		return (flags & NPU_PCI_RES_PREFETCH) ? "64-bit memory, prefetchable"
						      : "64-bit memory";
	return (flags & NPU_PCI_RES_PREFETCH) ? "32-bit memory, prefetchable" : "32-bit memory";
}

static void print_bar(const struct npu_pci_dev *d, int index, const char *role)
{
	const struct npu_pci_bar *bar = &d->bar[index];
	char size[32];

	printf("  BAR%d (%s): ", index, role);
	if (bar->size == 0) {
		printf("not present\n");
		return;
	}
	format_size(bar->size, size, sizeof(size));
	if (!bar->present)
		printf("no address assigned, %s, %s\n", size, bar_kind_text(bar->flags));
	else
		printf("0x%" PRIx64 ", %s, %s\n", bar->start, size, bar_kind_text(bar->flags));
}

/* The firmware image the driver would load for a supported NPU: 0 with its path, or -ENOENT. */
static int firmware_of(const struct npu_pci_dev *d, char *path, size_t len)
{
	if (!d->supported)
		return -EINVAL;
	return drv_fw_locate(d->gen, NULL, path, len) == 0 ? 0 : -ENOENT;
}

static void print_firmware(const struct npu_pci_dev *d)
{
	const char *env = getenv("NPU_FIRMWARE_PATH");
	char path[512];
	int ret = firmware_of(d, path, sizeof(path));

	if (ret == -EINVAL)
		return;
	if (ret == 0)
		printf("  Firmware:    %s\n", path);
	else
		printf("  Firmware:    missing (no vpu_%s_v1.bin in %s%s): install %s\n",
		       npu_gen_name(d->gen), env && *env ? env : NPU_FW_SYSTEM_DIR,
		       env && *env ? ", $NPU_FIRMWARE_PATH" : "", NPU_FW_PACKAGE_HINT);
}

static void print_text(const struct probe_result *r)
{
	bool notes = r->n_supported == 0 || r->report.overflow > 0 || r->report.skipped > 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct npu_pci_dev *d = &r->devs[i];
		bool npu = d->gen != NPU_GEN_UNKNOWN;

		if (i > 0)
			putchar('\n');
		printf("%s at %s\n", npu ? "Intel NPU" : "Intel accelerator", d->bdf);
		printf("  PCI ID:      %04x:%04x, revision %02x\n", d->vendor, d->device,
		       d->revision);
		printf("  Platform:    %s\n", d->platform);
		if (npu)
			printf("  Generation:  %s\n", npu_gen_name(d->gen));
		printf("  Status:      %s\n", status_text(d));
		print_bar(d, NPU_PCI_BAR_REGV, "RegV");
		print_bar(d, NPU_PCI_BAR_REGB, "RegB");
		print_firmware(d);
	}
	if (r->n > 0 && notes)
		putchar('\n');
	if (r->n_npu == 0)
		printf("No Intel NPU found on the PCI bus (%s).\n", r->path);
	if (r->n_supported == 0)
		printf("The simulated NPU is available with --device sim.\n");
	if (r->report.overflow > 0)
		printf("%zu more Intel accelerator(s) found but not listed.\n", r->report.overflow);
	if (r->report.skipped > 0)
		printf("%zu PCI device(s) skipped: their sysfs entries could not be read "
		       "(see the warnings above).\n",
		       r->report.skipped);
}

static void print_json(const struct probe_result *r)
{
	struct npu_json j;
	char pci_id[16], fw[512];

	npu_json_init(&j, stdout);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "sysfs_root", r->root);
	npu_json_str(&j, "devices_path", r->path);
	npu_json_arr_begin(&j, "devices");
	for (size_t i = 0; i < r->n; i++) {
		const struct npu_pci_dev *d = &r->devs[i];
		bool npu = d->gen != NPU_GEN_UNKNOWN;

		snprintf(pci_id, sizeof(pci_id), "%04x:%04x", d->vendor, d->device);
		npu_json_obj_begin(&j, NULL);
		npu_json_str(&j, "bdf", d->bdf);
		npu_json_u64(&j, "vendor_id", d->vendor);
		npu_json_u64(&j, "device_id", d->device);
		npu_json_str(&j, "pci_id", pci_id);
		npu_json_u64(&j, "class", d->class_code);
		npu_json_bool(&j, "npu", npu);
		npu_json_str(&j, "platform", d->platform);
		npu_json_str(&j, "generation", npu ? npu_gen_name(d->gen) : NULL);
		npu_json_u64(&j, "revision", d->revision);
		npu_json_bool(&j, "supported", d->supported);
		npu_json_str(&j, "status", status_text(d));
		if (firmware_of(d, fw, sizeof(fw)) == 0)
			npu_json_str(&j, "firmware", fw);
		else
			npu_json_null(&j, "firmware");
		npu_json_arr_begin(&j, "bars");
		for (int b = 0; b < NPU_PCI_NUM_BARS; b++) {
			const struct npu_pci_bar *bar = &d->bar[b];

			if (bar->size == 0)
				continue;
			npu_json_obj_begin(&j, NULL);
			npu_json_u64(&j, "index", (uint64_t)b);
			if (bar->present)
				npu_json_u64(&j, "address", bar->start);
			else
				npu_json_null(&j, "address");
			npu_json_u64(&j, "size", bar->size);
			npu_json_str(&j, "type", npu_pci_bar_type(bar->flags));
			npu_json_bool(&j, "prefetchable", (bar->flags & NPU_PCI_RES_PREFETCH) != 0);
			npu_json_obj_end(&j);
		}
		npu_json_arr_end(&j);
		npu_json_obj_end(&j);
	}
	npu_json_arr_end(&j);
	npu_json_u64(&j, "skipped", r->report.skipped);
	npu_json_u64(&j, "not_listed", r->report.overflow);
	npu_json_bool(&j, "simulated_available", true);
	npu_json_obj_end(&j);
	npu_json_finish(&j);
}

/* ---- through npud ---- */

static void print_npud_text(const char *sock, const struct npu_info *i)
{
	const double mib = 1024.0 * 1024.0;

	printf("npud at %s (protocol %u, this client %u)\n", sock, i->protocol_version,
	       i->client_id);
	printf("  Device:      %s%s\n", i->pci_address, i->simulated ? " (simulated NPU)" : "");
	printf("  PCI ID:      %04x:%04x, revision %02x\n", i->pci_vendor, i->pci_device,
	       i->pci_revision);
	printf("  Platform:    %s\n", i->platform[0] ? i->platform : "-");
	printf("  Generation:  %s\n", i->generation);
	printf("  State:       %s\n", i->state);
	printf("  Firmware:    %s\n", i->firmware_version[0] ? i->firmware_version : "-");
	printf("  Memory:      %.1f MiB used of %.1f MiB\n", (double)i->memory_used_bytes / mib,
	       (double)i->memory_total_bytes / mib);
	printf("  Limits:      %u buffers, %.1f MiB in all, %u queued jobs per client\n",
	       i->max_buffers, (double)i->max_buffer_bytes / mib, i->max_queued_jobs);
}

static void print_npud_json(const char *sock, const struct npu_info *i)
{
	struct npu_json j;
	char pci_id[16];

	snprintf(pci_id, sizeof(pci_id), "%04x:%04x", i->pci_vendor, i->pci_device);
	npu_json_init(&j, stdout);
	npu_json_obj_begin(&j, NULL);
	npu_json_str(&j, "socket", sock);
	npu_json_u64(&j, "protocol_version", i->protocol_version);
	npu_json_u64(&j, "client_id", i->client_id);
	npu_json_obj_begin(&j, "device");
	npu_json_str(&j, "bdf", i->pci_address);
	npu_json_str(&j, "pci_id", pci_id);
	npu_json_u64(&j, "revision", i->pci_revision);
	npu_json_str(&j, "platform", i->platform);
	npu_json_str(&j, "generation", i->generation);
	npu_json_bool(&j, "simulated", i->simulated);
	npu_json_str(&j, "state", i->state);
	npu_json_str(&j, "firmware_version", i->firmware_version);
	npu_json_str(&j, "firmware_path", i->firmware_path);
	npu_json_u64(&j, "capabilities", i->capabilities);
	npu_json_u64(&j, "memory_used_bytes", i->memory_used_bytes);
	npu_json_u64(&j, "memory_total_bytes", i->memory_total_bytes);
	npu_json_obj_end(&j);
	npu_json_obj_begin(&j, "limits");
	npu_json_u64(&j, "max_buffers", i->max_buffers);
	npu_json_u64(&j, "max_buffer_bytes", i->max_buffer_bytes);
	npu_json_u64(&j, "max_queued_jobs", i->max_queued_jobs);
	npu_json_obj_end(&j);
	npu_json_obj_end(&j);
	npu_json_finish(&j);
}

static int probe_npud(const struct npuctl *ctl)
{
	struct npu_info info;
	struct npu *n;
	int code = npuctl_lib_open(ctl, "probe", &n);

	if (code != NPUCTL_EXIT_OK)
		return code;
	if (npu_query(n, &info) != 0) {
		npuctl_err("probe: npud at %s: %s", ctl->socket, npu_last_error(n));
		npu_close(n);
		return NPUCTL_EXIT_ERROR;
	}
	if (ctl->json)
		print_npud_json(ctl->socket, &info);
	else
		print_npud_text(ctl->socket, &info);
	npu_close(n);
	return NPUCTL_EXIT_OK;
}

static int run(struct npuctl *ctl, int argc, char **argv)
{
	static const char *const flags[] = { "--json", NULL };
	static struct probe_result r; /* a few KiB: kept off the stack */
	const char *env_root = getenv("NPU_SYSFS_ROOT");
	const char *from_env = "";
	bool flag_set[1];
	const char *pos[1];
	int n_pos, exit_code, rc;

	if (npuctl_parse_args(&npuctl_cmd_probe, argc, argv, flags, flag_set, pos, 0, &n_pos,
			      &exit_code))
		return exit_code;
	if (flag_set[0])
		ctl->json = true;
	if (ctl->socket)
		return probe_npud(ctl);

	memset(&r, 0, sizeof(r));
	r.root = NPU_PCI_SYSFS_ROOT_DEFAULT;
	if (env_root && *env_root) {
		r.root = env_root;
		from_env = " (NPU_SYSFS_ROOT)";
	}
	if (npu_pci_devices_path(r.root, r.path, sizeof(r.path)) != 0) {
		npuctl_err("probe: sysfs root path is too long%s", from_env);
		return NPUCTL_EXIT_ERROR;
	}
	rc = npu_pci_scan(r.root, r.devs, PROBE_MAX_DEVS, &r.n, &r.report);
	if (rc == -ENOENT) {
		npuctl_err("probe: cannot list PCI devices: %s does not exist%s", r.path,
			   *from_env ? from_env : " (is sysfs mounted?)");
		return NPUCTL_EXIT_ERROR;
	}
	if (rc < 0) {
		npuctl_err("probe: cannot list PCI devices in %s%s: %s", r.path, from_env,
			   strerror(-rc));
		return NPUCTL_EXIT_ERROR;
	}
	for (size_t i = 0; i < r.n; i++) {
		r.n_npu += r.devs[i].gen != NPU_GEN_UNKNOWN;
		r.n_supported += r.devs[i].supported;
	}

	if (ctl->json)
		print_json(&r);
	else
		print_text(&r);
	return NPUCTL_EXIT_OK;
}

const struct npuctl_cmd npuctl_cmd_probe = {
	.name = "probe",
	.summary = "List the Intel NPUs on this machine",
	.usage = "[--json] [--socket PATH]\n\n"
		 "Lists the Intel NPUs in <root>/bus/pci/devices (root: $NPU_SYSFS_ROOT, default\n"
		 "/sys) with PCI ID, platform, generation, support status and BARs. Finding no\n"
		 "NPU is not an error (exit 0): the simulated NPU is always available.\n"
		 "With --socket, asks npud there which NPU it serves (exit 1, saying why, when\n"
		 "npud cannot be reached: no socket, nobody listening, no permission).",
	.run = run,
};
