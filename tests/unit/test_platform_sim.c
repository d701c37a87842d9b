/* SPDX-License-Identifier: MIT */
/*
 * The platform layer over the simulated NPU: fault names, what each device
 * name opens ("sim", "auto" with and without an NPU on a fake bus, a PCI
 * address), the identity the simulated device reports, and its operations.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw/pci_ids.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "platform/platform.h"
#include "sim/sim.h"

static const struct npu_dma_use test_use = { "test", NPU_DMA_WC, false };

static void test_fault_names(void **state)
{
	static const char *const names[] = { "none",	  "no-ready",	 "late-ready",
					     "bad-ready", "pll-no-lock", "dead-mmio" };
	enum npu_sim_fault f;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(npu_sim_fault_parse(names[i], &f), 0);
		assert_int_equal(f, (enum npu_sim_fault)i);
		assert_string_equal(npu_sim_fault_name(f), names[i]);
	}
	assert_int_equal(npu_sim_fault_parse("dead", &f), -EINVAL);
	assert_int_equal(npu_sim_fault_parse("", &f), -EINVAL);
	assert_int_equal(npu_sim_fault_parse(NULL, &f), -EINVAL);
	assert_string_equal(npu_sim_fault_name((enum npu_sim_fault)99), "unknown");
}

static void test_open_sim(void **state)
{
	struct npu_platform_config cfg = { .device = "sim", .gen = NPU_GEN_40XX };
	struct npu_platform *p = NULL;
	struct npu_dma dma = { 0 };

	(void)state;
	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	assert_non_null(p);
	assert_string_equal(p->ops->name, "sim");
	assert_true(p->simulated);
	assert_string_equal(p->pci.bdf, "sim");
	assert_int_equal(p->pci.vendor, NPU_PCI_VENDOR_INTEL);
	assert_int_equal(p->pci.device, NPU_PCI_DEVICE_LNL);
	assert_int_equal(p->pci.revision, 4);
	assert_int_equal(p->pci.gen, NPU_GEN_40XX);
	assert_string_equal(p->pci.platform, "Lunar Lake");
	assert_int_equal(p->pci.bar_size[NPU_PCI_BAR_REGV], NPU_SIM_BAR0_SIZE);
	assert_int_equal(p->pci.bar_size[NPU_PCI_BAR_REGB], NPU_SIM_BAR4_SIZE);
	assert_null(p->bar_base[NPU_PCI_BAR_REGV]);

	/* Register accesses reach the model: the LNL buttress comes up in D0i3. */
	assert_int_equal(p->ops->read32(p, NPU_PCI_BAR_REGB, NPU_BTRS_LNL_D0I3_CONTROL),
			 NPU_BTRS_LNL_D0I3_CONTROL_I3);

	assert_int_equal(npu_dma_alloc(p, 5000, &test_use, &dma), 0);
	assert_non_null(dma.cpu);
	assert_int_equal(dma.size, 8192);
	assert_true(dma.addr >= NPU_SIM_MEM_BASE);
	npu_dma_free(p, &dma);
	assert_null(dma.cpu);

	assert_true(p->ops->irq_fd(p) >= 0);
	p->ops->irq_ack(p);
	assert_true(npu_now_ns(p) > 0);
	p->ops->delay_us(p, 10);
	npu_platform_close(p);
}

static void test_open_default_gen(void **state)
{
	struct npu_platform_config cfg = { .device = "sim" };
	struct npu_platform *p = NULL;

	(void)state;
	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	assert_int_equal(p->pci.gen, NPU_GEN_37XX);
	assert_int_equal(p->pci.device, NPU_PCI_DEVICE_MTL);
	assert_int_equal(p->ops->read32(p, NPU_PCI_BAR_REGB, NPU_BTRS_MTL_VPU_D0I3_CONTROL),
			 NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3);
	npu_platform_close(p);
}

static void test_open_bdf(void **state)
{
	struct npu_platform_config cfg = { .device = "0000:00:0b.0" };
	struct npu_platform *p = (struct npu_platform *)&cfg;

	(void)state;
	assert_int_equal(npu_platform_open(&cfg, &p), -EOPNOTSUPP);
	assert_null(p);
	assert_non_null(strstr(cfg.note, "VFIO"));
	cfg.device = "not-a-device";
	assert_int_equal(npu_platform_open(&cfg, &p), -EINVAL);
	cfg.device = "sim";
	cfg.gen = NPU_GEN_50XX;
	assert_int_equal(npu_platform_open(&cfg, &p), -EOPNOTSUPP);
}

static void test_open_auto_empty_bus(void **state)
{
	struct npu_platform_config cfg = { .device = NULL,
					   .sysfs_root = "/nonexistent/npu-test-sysfs" };
	struct npu_platform *p = NULL;

	(void)state;
	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	assert_true(p->simulated);
	assert_string_equal(cfg.note, "no NPU found on the PCI bus; using the simulated NPU");
	npu_platform_close(p);
}

static void write_attr(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_open_auto_finds_npu(void **state)
{
	static const char *const attrs[] = { "vendor", "device", "class", "revision", "resource" };
	char root[] = "/tmp/npu-plat-test-XXXXXX", dir[256], path[512];
	struct npu_platform_config cfg = { .device = "auto" };
	struct npu_platform *p = NULL;
	const char *sub[] = { "bus", "bus/pci", "bus/pci/devices", "bus/pci/devices/0000:00:0b.0" };

	(void)state;
	assert_non_null(mkdtemp(root));
	for (size_t i = 0; i < 4; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, sub[i]);
		assert_int_equal(mkdir(dir, 0755), 0);
	}
	write_attr(dir, "vendor", "0x8086\n");
	write_attr(dir, "device", "0x643e\n");
	write_attr(dir, "class", "0x120000\n");
	write_attr(dir, "revision", "0x04\n");
	write_attr(dir, "resource",
		   "0x0000004010000000 0x0000004017ffffff 0x0000000000140204\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000004018000000 0x0000004018000fff 0x0000000000140204\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	cfg.sysfs_root = root;

	assert_int_equal(npu_platform_open(&cfg, &p), 0);
	assert_true(p->simulated);
	/* The simulated NPU takes the generation of the one found. */
	assert_int_equal(p->pci.gen, NPU_GEN_40XX);
	assert_string_equal(cfg.note, "found Lunar Lake NPU at 0000:00:0b.0, but this build has "
				      "no backend for real hardware yet; using the simulated NPU");
	npu_platform_close(p);

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, attrs[i]);
		unlink(path);
	}
	for (size_t i = 4; i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", root, sub[i]);
		rmdir(path);
	}
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_names),
		cmocka_unit_test(test_open_sim),
		cmocka_unit_test(test_open_default_gen),
		cmocka_unit_test(test_open_bdf),
		cmocka_unit_test(test_open_auto_empty_bus),
		cmocka_unit_test(test_open_auto_finds_npu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
