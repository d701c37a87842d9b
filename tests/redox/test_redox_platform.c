/* SPDX-License-Identifier: MIT */
/*
 * The Redox platform backend against the fake Redox kernel: the device from
 * the pcid channel, BARs mapped uncached, DMA from the memory scheme in
 * chunks of at most 4 MiB, the MSI vector from the irq scheme; the driver
 * boots the simulated NPU through it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/device.h"
#include "driver/ipc.h"
#include "driver/irq.h"
#include "fake_kernel.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "redox/pcid.h"
#include "redox/redox.h"
#include "sim/fw_synth.h"
#include "empty_fw_dir.h"

static const struct npu_dma_use test_use = { "test", NPU_DMA_WC, false };

/*
 * A firmware file in the folder npud searches: on real hardware there is no
 * built-in image. It is the synthetic one, which the simulated NPU's ROM is.
 */
static void put_firmware(enum npu_gen gen, char *path, size_t len)
{
	uint8_t *img;
	size_t size;
	FILE *f;

	assert_int_equal(npu_fw_synth_build(gen, &img, &size), 0);
	snprintf(path, len, "%s/vpu_%s_v1.bin", fw_dir, npu_gen_name(gen));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
	free(img);
}

static void boot_one(enum npu_gen gen, bool scatter)
{
	char fw[128];
	struct fk_config kc = { .gen = gen, .irq_taken = 2, .scatter_dma = scatter };
	struct npu_platform_config pc = { 0 };
	struct npu_device_config dc = { 0 };
	struct npu_platform *p = NULL;
	struct npu_device d;

	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	assert_string_equal(p->ops->name, "redox");
	assert_string_equal(p->pci.bdf, "0000:00:0b.0");
	assert_int_equal(p->pci.vendor, 0x8086);
	assert_int_equal(p->pci.device, gen == NPU_GEN_40XX ? 0x643e : 0x7d1d);
	assert_int_equal(p->pci.gen, gen);
	assert_false(p->simulated);
	assert_null(p->bar_base[0]); /* accesses go through the accessors */
	assert_int_equal(fk_state()->bars_mapped, 2);
	assert_true(fk_state()->bar_uc);
	/* Vectors 16 and 17 were taken: the first free one is 18, vector 50 on CPU 0. */
	assert_true(fk_state()->msi_enabled);
	assert_int_equal(fk_state()->msi_addr, 0xFEE00000u);
	assert_int_equal(fk_state()->msi_data, 18 + 32);
	assert_int_equal(fk_state()->irq_opened, 18 + 1);

	put_firmware(gen, fw, sizeof(fw));
	assert_int_equal(drv_device_open(&d, p, &dc), 0);
	unlink(fw);
	assert_string_equal(d.fw_path, fw);
	assert_int_equal(drv_device_boot(&d), 0);
	assert_int_equal(d.state, NPU_DEV_READY);
	/* The 64 MiB firmware runtime came as 16 chunks of 4 MiB. */
	assert_true(fk_state()->dma_chunks > 16);
	assert_int_equal(fk_state()->dma_shared_refused, 0);
	drv_device_close(&d);
	npu_platform_close(p);
	assert_int_equal(fk_state()->dma_chunks, 0);
	assert_int_equal(fk_state()->bars_mapped, 0);
	assert_int_equal(fk_state()->pcid_bad_requests, 0);
	fk_stop();
}

static void t_boot_37xx(void **state)
{
	(void)state;
	boot_one(NPU_GEN_37XX, false);
}

/* The 64 MiB firmware runtime in 16 chunks that lie physically apart: the MMU joins them. */
static void t_boot_scattered(void **state)
{
	(void)state;
	boot_one(NPU_GEN_37XX, true);
}

static void t_boot_40xx(void **state)
{
	(void)state;
	boot_one(NPU_GEN_40XX, false);
}

/* Without MSI the legacy line from the Config is used. */
static void t_legacy_irq(void **state)
{
	struct fk_config kc = { .no_msi = true };
	struct npu_platform_config pc = { 0 };
	struct npu_platform *p = NULL;

	(void)state;
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	assert_true(fk_state()->legacy_irq);
	assert_false(fk_state()->msi_enabled);
	assert_int_equal(fk_state()->irq_opened, 11 + 1);
	npu_platform_close(p);
	fk_stop();
}

/*
 * MSI-X first, as pcid's helpers choose: its table's BAR mapped, every entry
 * masked before MSI-X is enabled, entry 0 aimed at the vector and unmasked;
 * the NPU boots on it, and closing masks the entry again.
 */
static void t_msix(void **state)
{
	struct fk_config kc = { .msix = true, .irq_taken = 2 };
	struct npu_platform_config pc = { 0 };
	struct npu_device_config dc = { 0 };
	struct npu_platform *p = NULL;
	struct npu_device d;
	uint32_t e[4];
	char fw[128];

	(void)state;
	put_firmware(NPU_GEN_37XX, fw, sizeof(fw));
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	assert_true(fk_state()->msix_enabled);
	assert_false(fk_state()->msi_enabled);
	assert_false(fk_state()->legacy_irq);
	assert_true(fk_state()->msix_masked_at_enable);
	assert_int_equal(fk_state()->bars_mapped, 3);
	assert_int_equal(fk_state()->irq_opened, 18 + 1);
	fk_msix_entry(0, e);
	assert_int_equal(e[0], 0xFEE00000u);
	assert_int_equal(e[1], 0);
	assert_int_equal(e[2], 18 + 32);
	assert_int_equal(e[3] & 1u, 0);
	for (unsigned i = 1; i < FK_MSIX_ENTRIES; i++) {
		fk_msix_entry(i, e);
		assert_int_equal(e[3] & 1u, 1);
	}
	assert_int_equal(drv_device_open(&d, p, &dc), 0);
	assert_int_equal(drv_device_boot(&d), 0);
	/* An interrupt comes through the entry: a heartbeat's reply, waited for. */
	assert_int_equal(drv_ipc_send(&d, NPU_IPC_CHAN_ASYNC_CMD, NPU_JSM_MSG_QUERY_ENGINE_HB,
				      &(uint64_t){ 0 }, sizeof(uint64_t)),
			 0);
	for (unsigned i = 0; i < 50 && !fk_state()->irq_edges; i++)
		drv_irq_wait(&d, 100000u);
	assert_true(fk_state()->irq_edges > 0);
	drv_device_close(&d);
	npu_platform_close(p);
	fk_msix_entry(0, e);
	assert_int_equal(e[3] & 1u, 1);
	fk_stop();
	unlink(fw);
}

/* Not root: the memory and irq schemes refuse, and open says so. */
static void t_not_root(void **state)
{
	struct fk_config kc = { .uid = 1000 };
	struct npu_platform_config pc = { 0 };
	struct npu_platform *p = NULL;

	(void)state;
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), -EACCES);
	assert_null(p);
	assert_int_equal(fk_state()->bars_mapped, 0);
	fk_stop();
}

static void t_no_channel(void **state)
{
	struct npu_platform_config pc = { 0 };
	struct npu_platform *p = NULL;

	(void)state;
	unsetenv("PCID_CLIENT_CHANNEL");
	assert_int_equal(npu_platform_redox_open(&pc, &p), -ENODEV);
	setenv("PCID_CLIENT_CHANNEL", "12x", 1);
	assert_int_equal(npu_platform_redox_open(&pc, &p), -ENODEV);
	unsetenv("PCID_CLIENT_CHANNEL");
}

/* DMA: small buffers one chunk; large ones adjacent chunks, or refused. */
static void t_dma(void **state)
{
	struct fk_config kc = { 0 };
	struct npu_platform_config pc = { 0 };
	struct npu_platform *p = NULL;
	struct npu_dma a, b;

	(void)state;
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	assert_int_equal(npu_dma_alloc(p, 5000, &test_use, &a), 0);
	assert_int_equal(a.size, 8192);
	assert_int_equal(fk_state()->dma_chunks, 1);
	assert_true(a.addr >= 0x100000000ull); /* the simulated NPU's bus addresses */
	memset(a.cpu, 0xA5, a.size);
	assert_int_equal(npu_dma_alloc(p, (9u << 20) + 1, &test_use, &b), 0);
	assert_int_equal(b.size, (9u << 20) + 4096);
	assert_int_equal(fk_state()->dma_chunks, 4);
	memset(b.cpu, 0x5A, b.size); /* the whole range is mapped */
	npu_dma_free(p, &b);
	npu_dma_free(p, &a);
	assert_int_equal(fk_state()->dma_chunks, 0);
	npu_platform_close(p);
	fk_stop();

	/* Chunks that come physically apart: one buffer for the CPU, pieces for the device. */
	kc.scatter_dma = true;
	assert_int_equal(fk_start(&kc), 0);
	assert_int_equal(npu_platform_redox_open(&pc, &p), 0);
	assert_int_equal(npu_dma_alloc(p, 4u << 20, &test_use, &a), 0); /* one chunk: one piece */
	assert_null(a.segs);
	assert_int_equal(npu_dma_alloc(p, (8u << 20) + 4096, &test_use, &b), 0);
	assert_int_equal(fk_state()->dma_chunks, 4);
	assert_non_null(b.segs);
	assert_int_equal(b.n_segs, 3);
	assert_int_equal(b.segs[0].addr, b.addr);
	assert_int_equal(b.segs[0].size + b.segs[1].size + b.segs[2].size, b.size);
	assert_true(b.segs[1].addr != b.segs[0].addr + b.segs[0].size);
	assert_int_equal(npu_dma_addr_at(&b, (4u << 20) + 8), b.segs[1].addr + 8);
	memset(b.cpu, 0x5A, b.size); /* the whole range is mapped */
	npu_dma_free(p, &b);
	npu_dma_free(p, &a);
	npu_platform_close(p);
	fk_stop();
}

/* The Config decoder against truncated and unknown responses. */
static void t_pcid_decode(void **state)
{
	static const uint8_t err_rsp[] = { 6, 0, 0, 0, 1, 0, 0, 0 };
	uint8_t blob[256] = { 1, 0, 0, 0 };
	struct npu_pcid_config c;
	size_t n = 4;

	(void)state;
	n += 5;				 /* address 0000:00:00.0 */
	for (unsigned i = 0; i < 6; i++) /* six None BARs */
		n += 4;
	n += 1 + 1; /* no rom, no legacy line */
	blob[n++] = 0x86, blob[n++] = 0x80, blob[n++] = 0x1d, blob[n++] = 0x7d;
	n += 4;
	assert_int_equal(npu_pcid_decode_config(blob, n, &c), 0);
	assert_int_equal(c.vendor, 0x8086);
	assert_int_equal(c.device, 0x7d1d);
	assert_false(c.has_legacy_irq);
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(npu_pcid_decode_config(blob, cut, &c), -EPROTO);
	assert_int_equal(npu_pcid_decode_config(blob, n + 1, &c), -EPROTO);
	blob[9] = 7; /* a BAR kind that does not exist */
	assert_int_equal(npu_pcid_decode_config(blob, n, &c), -EPROTO);
	assert_int_equal(npu_pcid_decode_config(err_rsp, sizeof(err_rsp), &c), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_boot_37xx),
		cmocka_unit_test(t_boot_40xx),
		cmocka_unit_test(t_legacy_irq),
		cmocka_unit_test(t_msix),
		cmocka_unit_test(t_not_root),
		cmocka_unit_test(t_no_channel),
		cmocka_unit_test(t_dma),
		cmocka_unit_test(t_pcid_decode),
		cmocka_unit_test(t_boot_scattered),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
