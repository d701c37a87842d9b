/* SPDX-License-Identifier: MIT */
/*
 * npu-vfio-user's protocol over a socketpair, without QEMU: version
 * negotiation, device, region and interrupt info, config space as the
 * silicon's (docs/hardware.md §1), BAR accesses through to the model, MSI
 * and INTx through eventfds, reset, and what a broken or hostile client gets.
 * The DMA regions are test_vfio_user_dma.c's.
 */
#define _GNU_SOURCE /* memfd_create */
#include <poll.h>
#include <sys/eventfd.h>

#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "vfio_test_util.h"

static int setup40(void **state)
{
	*state = vt_open(NPU_GEN_40XX, 0);
	return 0;
}

static void test_version(void **state)
{
	struct vt *t = *state;
	static const char caps[] = "{}";
	uint8_t p[4 + sizeof(caps)], r[512];
	uint32_t err;

	/* Nothing before VERSION. */
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_GET_INFO, "\x10\0\0\0", 4, NULL, 0, NULL, 0),
			 EINVAL);
	/* A major version the server does not speak. */
	npu_put_le16(p, 1);
	npu_put_le16(p + 2, 0);
	memcpy(p + 4, caps, sizeof(caps));
	assert_int_equal(vt_call(t, VU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL, 0), ENOTSUP);

	npu_put_le16(p, 0);
	memset(r, 0, sizeof(r));
	err = vt_call(t, VU_CMD_VERSION, p, sizeof(p), NULL, 0, r, sizeof(r) - 1);
	assert_int_equal(err, 0);
	assert_int_equal(npu_le16(r), 0);
	assert_int_equal(npu_le16(r + 2), 0);
	assert_non_null(strstr((char *)r + 4, "\"max_msg_fds\":8"));
	assert_non_null(strstr((char *)r + 4, "\"pgsizes\":4096"));
	/* Once only. */
	assert_int_equal(vt_call(t, VU_CMD_VERSION, p, sizeof(p), NULL, 0, NULL, 0), EINVAL);
}

static void test_info(void **state)
{
	struct vt *t = *state;
	uint8_t p[32] = { 0 }, r[64];
	static const uint64_t sizes[VU_PCI_NUM_REGIONS] = {
		128u << 20, 0, 0, 0, 4096, 0, 0, 4096, 0
	};

	vt_version(t);
	npu_put_le32(p, 16);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_GET_INFO, p, 4, NULL, 0, r, sizeof(r)), 0);
	assert_int_equal(npu_le32(r + 4), VU_DEVICE_FLAG_RESET | VU_DEVICE_FLAG_PCI);
	assert_int_equal(npu_le32(r + 8), 9);
	assert_int_equal(npu_le32(r + 12), 5);

	for (uint32_t i = 0; i < VU_PCI_NUM_REGIONS; i++) {
		npu_put_le32(p, 32);
		npu_put_le32(p + 8, i);
		assert_int_equal(
		    vt_call(t, VU_CMD_DEVICE_GET_REGION_INFO, p, 32, NULL, 0, r, sizeof(r)), 0);
		assert_int_equal(npu_le32(r + 8), i);
		assert_int_equal(npu_le64(r + 16), sizes[i]);
		assert_int_equal(npu_le32(r + 4), sizes[i] ? 3 : 0);
	}
	npu_put_le32(p + 8, 9);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_GET_REGION_INFO, p, 32, NULL, 0, NULL, 0),
			 EINVAL);

	npu_put_le32(p, 16);
	npu_put_le32(p + 8, VU_PCI_MSI_IRQ);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_GET_IRQ_INFO, p, 16, NULL, 0, r, sizeof(r)), 0);
	assert_int_equal(npu_le32(r + 12), 1);
	assert_true(npu_le32(r + 4) & VU_IRQ_INFO_EVENTFD);
	npu_put_le32(p + 8, VU_PCI_MSIX_IRQ);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_GET_IRQ_INFO, p, 16, NULL, 0, r, sizeof(r)), 0);
	assert_int_equal(npu_le32(r + 12), 0);
}

/* Walks the capability list: the offset of capability id, or 0. */
static unsigned find_cap(struct vt *t, uint8_t id)
{
	unsigned off = vt_cfg32(t, 0x34) & 0xFF;

	for (int n = 0; off && n < 48; n++) {
		uint32_t hdr = vt_cfg32(t, off);

		if ((hdr & 0xFF) == id)
			return off;
		off = (hdr >> 8) & 0xFF;
	}
	return 0;
}

static void check_config(struct vt *t, uint16_t device)
{
	unsigned pcie, msi, pm;

	vt_version(t);
	assert_int_equal(vt_cfg32(t, 0x00), (uint32_t)device << 16 | NPU_PCI_VENDOR_INTEL);
	/* Class 0x12 subclass 0 interface 0, revision 4. */
	assert_int_equal(vt_cfg32(t, 0x08), 0x12000000u | NPU_VU_REVISION_DEFAULT);
	assert_true(vt_cfg32(t, 0x04) & (0x10u << 16)); /* capability list */

	/* BAR sizing: all-ones written, the size read back; 64-bit memory BARs 0 and 4. */
	assert_int_equal(vt_cfg32(t, 0x10) & 0xF, 0x4);
	assert_int_equal(vt_region_write(t, VU_PCI_CONFIG_REGION, 0x10, 4, 0xFFFFFFFFu, false), 0);
	assert_int_equal(vt_region_write(t, VU_PCI_CONFIG_REGION, 0x14, 4, 0xFFFFFFFFu, false), 0);
	assert_int_equal(vt_cfg32(t, 0x10), 0xF8000004u); /* 128 MiB */
	assert_int_equal(vt_cfg32(t, 0x14), 0xFFFFFFFFu);
	assert_int_equal(vt_region_write(t, VU_PCI_CONFIG_REGION, 0x20, 4, 0xFFFFFFFFu, false), 0);
	assert_int_equal(vt_cfg32(t, 0x20), 0xFFFFF004u); /* 4 KiB */
	assert_int_equal(vt_region_write(t, VU_PCI_CONFIG_REGION, 0x18, 4, 0xFFFFFFFFu, false), 0);
	assert_int_equal(vt_cfg32(t, 0x18), 0); /* BAR2: none */
	/* Read-only fields stay. */
	assert_int_equal(vt_region_write(t, VU_PCI_CONFIG_REGION, 0, 4, 0x12345678u, false), 0);
	assert_int_equal(vt_cfg32(t, 0x00) & 0xFFFF, NPU_PCI_VENDOR_INTEL);

	pcie = find_cap(t, 0x10);
	msi = find_cap(t, 0x05);
	pm = find_cap(t, 0x01);
	assert_int_not_equal(pcie, 0);
	assert_int_not_equal(msi, 0);
	assert_int_not_equal(pm, 0);
	/* PCIe v2, root complex integrated endpoint; FLR capable. */
	assert_int_equal((vt_cfg32(t, pcie) >> 16) & 0xFF, 0x92);
	assert_true(vt_cfg32(t, pcie + 4) & (1u << 28));
	/* MSI: 64-bit, one vector. */
	assert_int_equal((vt_cfg32(t, msi) >> 16) & 0x8E, 0x80);
	/* PM v3, D0 now; D3hot taken, D1 refused. */
	assert_int_equal((vt_cfg32(t, pm) >> 16) & 7, 3);
	assert_int_equal(vt_cfg32(t, pm + 4) & 3, 0);
	vt_region_write(t, VU_PCI_CONFIG_REGION, pm + 4, 2, 3, false);
	assert_int_equal(vt_cfg32(t, pm + 4) & 3, 3);
	vt_region_write(t, VU_PCI_CONFIG_REGION, pm + 4, 2, 1, false);
	assert_int_equal(vt_cfg32(t, pm + 4) & 3, 3);
	vt_region_write(t, VU_PCI_CONFIG_REGION, pm + 4, 2, 0, false);
	assert_int_equal(vt_cfg32(t, pm + 4) & 3, 0);
	/* The extended space is there, empty. */
	assert_int_equal(vt_cfg32(t, 0x100), 0);
	assert_int_equal(vt_cfg32(t, 0xFFC), 0);
}

static void test_config37(void **state)
{
	check_config(*state, NPU_PCI_DEVICE_MTL);
}

static void test_config40(void **state)
{
	check_config(*state, NPU_PCI_DEVICE_LNL);
}

static void test_config_arl(void **state)
{
	struct vt *t = vt_open(NPU_GEN_37XX, NPU_PCI_DEVICE_ARL);

	(void)state;
	vt_version(t);
	assert_int_equal(vt_cfg32(t, 0x00) >> 16, NPU_PCI_DEVICE_ARL);
	vt_close(t);
}

/* Buttress and IP registers read through to the model, 4 and 8 bytes at a time. */
static void test_bar_access(void **state)
{
	struct vt *t = *state;
	uint64_t v = 0;

	vt_version(t);
	/* The buttress comes up in D0i3 (docs/hardware.md §3.6), its interrupts masked. */
	assert_int_equal(vt_region_read(t, 4, NPU_BTRS_MTL_VPU_D0I3_CONTROL, 4, &v), 0);
	assert_true(v & NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3);
	assert_int_equal(v, npu_sim_read32(t->sim, 4, NPU_BTRS_MTL_VPU_D0I3_CONTROL));
	assert_int_equal(vt_region_read(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, &v), 0);
	assert_int_equal(v, NPU_BTRS_MTL_GLOBAL_INT_MASK_OFF);
	/* A posted write (No_reply: no answer comes), then the read after it sees it. */
	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, 0x80, true);
	assert_int_equal(vt_region_read(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, &v), 0);
	assert_int_equal(v, 0x80);
	/* 8 bytes: the MMU's 64-bit CMDQ_BASE. */
	assert_int_equal(
	    vt_region_write(t, 0, R_CMDQ_BASE, 8, 1ull << 62 | 0x1234000ull | 4, false), 0);
	assert_int_equal(vt_region_read(t, 0, R_CMDQ_BASE, 8, &v), 0);
	assert_int_equal(v, 1ull << 62 | 0x1234000ull | 4);
	/* Outside the BAR, or a BAR that is not there. */
	assert_int_equal(vt_region_read(t, 0, 128u << 20, 4, &v), EINVAL);
	assert_int_equal(vt_region_read(t, 4, 4094, 4, &v), EINVAL);
	assert_int_equal(vt_region_read(t, 2, 0, 4, &v), EINVAL);
	assert_int_equal(vt_region_read(t, 0, UINT64_MAX - 1, 4, &v), EINVAL);
	/* In D3hot the BARs do not answer. */
	vt_region_write(t, VU_PCI_CONFIG_REGION, VU_CAP_PM + 4, 2, 3, false);
	assert_int_equal(vt_region_read(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, &v), 0);
	assert_int_equal(v, 0xFFFFFFFFu);
}

/* The model's interrupt line drives the MSI eventfd the client set. */
static void test_msi(void **state)
{
	struct vt *t = *state;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	uint8_t p[20];
	uint8_t *ram;
	int fd = memfd_pages(MAP_SIZE, &ram);
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t cnt = 0;

	vt_version(t);
	npu_put_le32(p, 20);
	npu_put_le32(p + 4, VU_IRQ_SET_DATA_EVENTFD | VU_IRQ_SET_ACTION_TRIGGER);
	npu_put_le32(p + 8, VU_PCI_MSI_IRQ);
	npu_put_le32(p + 12, 0);
	npu_put_le32(p + 16, 1);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_SET_IRQS, p, 20, &efd, 1, NULL, 0), 0);

	/* An MMU global error (an unknown command), routed: ICB bit 7, buttress unmasked. */
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	npu_put_le64(ram, 0x99);
	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, 1u << 7, true);
	vt_region_write(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, 0, true);
	vt_region_write(t, 0, R_IRQ_CTRL, 4, 0x5, true);
	vt_region_write(t, 0, R_CMDQ_BASE, 8, 1ull << 62 | IOVA | 4, true);
	vt_region_write(t, 0, R_CR0, 4, CR0_CMDQEN, true);
	assert_int_equal(poll(&pfd, 1, 0), 0); /* nothing yet */
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 1, true);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
	assert_int_equal(cnt, 1);

	/*
	 * Serviced as ivpu services it (mask, clear the source, unmask: nothing
	 * pending), then the same source raised again: a second MSI. The error
	 * is acknowledged (GERRORN) with the bad command still in place, so the
	 * MMU fails on it again.
	 */
	vt_region_write(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, 1, true);
	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_CLEAR_0, 4, 1u << 7, true);
	vt_region_write(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, 0, true);
	assert_int_equal(poll(&pfd, 1, 100), 0);
	vt_region_write(t, 0, R_GERROR + 4, 4, mmu_rd(t, R_GERROR), true);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));

	/* Cleared: an eventfd set without fds means none. */
	npu_put_le32(p + 16, 1);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_SET_IRQS, p, 20, NULL, 0, NULL, 0), 0);
	/* The source raised again (the bad command fails again): nothing comes any more. */
	vt_region_write(t, 0, R_GERROR + 4, 4, mmu_rd(t, R_GERROR), true);
	/* The write was served and the error is active again (GERROR != GERRORN). */
	assert_int_not_equal(mmu_rd(t, R_GERROR), mmu_rd(t, R_GERROR + 4));
	assert_int_equal(poll(&pfd, 1, 200), 0);
	/* Vectors the device does not have. */
	npu_put_le32(p + 16, 2);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_SET_IRQS, p, 20, NULL, 0, NULL, 0), EINVAL);
	close(efd);
	munmap(ram, MAP_SIZE);
	close(fd);
}

static void set_irq(struct vt *t, uint32_t index, uint32_t flags, const int *fd)
{
	uint8_t p[20];

	npu_put_le32(p, 20);
	npu_put_le32(p + 4, flags);
	npu_put_le32(p + 8, index);
	npu_put_le32(p + 12, 0);
	npu_put_le32(p + 16, 1);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_SET_IRQS, p, 20, fd, fd ? 1 : 0, NULL, 0), 0);
}

/*
 * Without MSI the line goes to INTx, automasked: a second interrupt while
 * the client has not unmasked waits for the unmask (QEMU's after the guest's
 * EOI), and then comes.
 */
static void test_intx(void **state)
{
	struct vt *t = *state;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	uint8_t *ram;
	int fd = memfd_pages(MAP_SIZE, &ram);
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t cnt = 0;

	vt_version(t);
	set_irq(t, VU_PCI_INTX_IRQ, VU_IRQ_SET_DATA_EVENTFD | VU_IRQ_SET_ACTION_TRIGGER, &efd);
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	npu_put_le64(ram, 0x99); /* an unknown MMU command: a global error, ICB bit 7 */
	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, 1u << 7, true);
	vt_region_write(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, 0, true);
	vt_region_write(t, 0, R_IRQ_CTRL, 4, 0x5, true);
	vt_region_write(t, 0, R_CMDQ_BASE, 8, 1ull << 62 | IOVA | 4, true);
	vt_region_write(t, 0, R_CR0, 4, CR0_CMDQEN, true);
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 1, true);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));

	/* Serviced, then raised again (GERRORN with the bad command in place): held back. */
	vt_region_write(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, 1, true);
	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_CLEAR_0, 4, 1u << 7, true);
	vt_region_write(t, 4, NPU_BTRS_MTL_GLOBAL_INT_MASK, 4, 0, true);
	vt_region_write(t, 0, R_GERROR + 4, 4, mmu_rd(t, R_GERROR), true);
	assert_int_equal(poll(&pfd, 1, 200), 0);
	/* The unmask lets it through. */
	set_irq(t, VU_PCI_INTX_IRQ, VU_IRQ_SET_DATA_NONE | VU_IRQ_SET_ACTION_UNMASK, NULL);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
	/* MSI masking is not a thing (no per-vector mask): refused. */
	{
		uint8_t p[20];

		npu_put_le32(p, 20);
		npu_put_le32(p + 4, VU_IRQ_SET_DATA_NONE | VU_IRQ_SET_ACTION_MASK);
		npu_put_le32(p + 8, VU_PCI_MSI_IRQ);
		npu_put_le32(p + 12, 0);
		npu_put_le32(p + 16, 1);
		assert_int_equal(vt_call(t, VU_CMD_DEVICE_SET_IRQS, p, 20, NULL, 0, NULL, 0),
				 EINVAL);
	}
	close(efd);
	munmap(ram, MAP_SIZE);
	close(fd);
}

/* Errors get error replies; fds where none belong are closed; nothing leaks. */
static void test_malformed(void **state)
{
	struct vt *t = *state;
	uint8_t p[64] = { 0 };
	int efd = eventfd(0, EFD_CLOEXEC);
	int before;
	uint64_t v;

	vt_version(t);
	before = vt_count_fds();
	/* fds with a command that takes none. */
	npu_put_le32(p, 16);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_GET_INFO, p, 4, &efd, 1, NULL, 0), EINVAL);
	/* Short payloads. */
	assert_int_equal(vt_call(t, VU_CMD_DMA_MAP, p, 8, NULL, 0, NULL, 0), EINVAL);
	assert_int_equal(vt_call(t, VU_CMD_REGION_READ, p, 15, NULL, 0, NULL, 0), EINVAL);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_SET_IRQS, p, 19, &efd, 1, NULL, 0), EINVAL);
	/* A write whose data is shorter than its count. */
	npu_put_le32(p + 8, VU_PCI_CONFIG_REGION);
	npu_put_le32(p + 12, 8);
	assert_int_equal(vt_call(t, VU_CMD_REGION_WRITE, p, 20, NULL, 0, NULL, 0), EINVAL);
	/* Commands the server does not serve. */
	assert_int_equal(vt_call(t, VU_CMD_DMA_READ, p, 16, NULL, 0, NULL, 0), ENOTSUP);
	assert_int_equal(vt_call(t, 999, NULL, 0, NULL, 0, NULL, 0), ENOTSUP);
	/* A map with two fds. */
	{
		int two[2] = { efd, efd };

		npu_put_le32(p, 32);
		assert_int_equal(vt_call(t, VU_CMD_DMA_MAP, p, 32, two, 2, NULL, 0), EINVAL);
	}
	/* An eventfd map of a non-file (an eventfd is no memory). */
	npu_put_le32(p, 32);
	npu_put_le64(p + 16, IOVA);
	npu_put_le64(p + 24, 0x1000);
	assert_int_equal(vt_call(t, VU_CMD_DMA_MAP, p, 32, &efd, 1, NULL, 0), EINVAL);
	assert_int_equal(vt_count_fds(), before);
	/* A posted write that fails gets no error reply either: the next reply is the next call's. */
	vt_region_write(t, 0, 128u << 20, 4, 0, true);
	vt_region_write(t, 9, 0, 4, 0, true);
	/* Still serving. */
	assert_int_equal(vt_region_read(t, VU_PCI_CONFIG_REGION, 0, 2, &v), 0);
	assert_int_equal(v, NPU_PCI_VENDOR_INTEL);
	close(efd);
}

/* Bytes that cannot be a message close the connection; the next client is served. */
static void test_hostile_stream(void **state)
{
	struct vt *t = *state;
	uint8_t hdr[16] = { 0 }, b[64];
	uint32_t err;
	/* The connection's two ends are open now; after a hang-up they are not. */
	int before = vt_count_fds() - 2;

	/* A size below the header's. */
	npu_put_le32(hdr + 4, 8);
	vt_send_raw(t, hdr, sizeof(hdr));
	assert_int_equal(vt_recv(t, 0, b, sizeof(b), &err), -1);
	vt_hangup(t);

	/* A size of 4 GiB. */
	vt_connect(t);
	npu_put_le32(hdr + 4, 0xFFFFFFFFu);
	vt_send_raw(t, hdr, sizeof(hdr));
	assert_int_equal(vt_recv(t, 0, b, sizeof(b), &err), -1);
	vt_hangup(t);

	/* A reply where only commands come. */
	vt_connect(t);
	npu_put_le32(hdr + 4, 16);
	npu_put_le32(hdr + 8, VU_FLAG_REPLY);
	vt_send_raw(t, hdr, sizeof(hdr));
	assert_int_equal(vt_recv(t, 0, b, sizeof(b), &err), -1);
	vt_hangup(t);

	/* Half a header, then gone. */
	vt_connect(t);
	vt_send_raw(t, hdr, 7);
	vt_hangup(t);

	/* Regions and eventfds of a client that went away are gone; the next one is served. */
	vt_connect(t);
	{
		uint8_t *ram;
		int fd = memfd_pages(MAP_SIZE, &ram);

		vt_version(t);
		assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
		munmap(ram, MAP_SIZE);
		close(fd);
	}
	vt_hangup(t);
	assert_int_equal(t->dev.dma.n, 0);
	assert_int_equal(vt_count_fds(), before);
	vt_connect(t);
	vt_version(t);
	assert_int_equal(vt_cfg32(t, 0) & 0xFFFF, NPU_PCI_VENDOR_INTEL);
}

/* DEVICE_RESET and function level reset put the model back to its power-on state. */
static void test_reset(void **state)
{
	struct vt *t = *state;
	uint64_t v;

	vt_version(t);
	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, 0x80, true);
	assert_int_equal(vt_call(t, VU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL, 0), 0);
	assert_int_equal(vt_region_read(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, &v), 0);
	assert_int_equal(v, 0);

	vt_region_write(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, 0x80, true);
	/* Device Control, Initiate Function Level Reset (bit 15). */
	vt_region_write(t, VU_PCI_CONFIG_REGION, VU_CAP_PCIE + 8, 2, 0x8000 | 0x2810, false);
	assert_int_equal(vt_region_read(t, 0, NPU_37XX_HOST_SS_ICB_ENABLE_0, 4, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vt_cfg32(t, VU_CAP_PCIE + 8) & 0x8000, 0);
	vt_hangup(t); /* the server's counters, read once its thread is joined */
	assert_int_equal(t->dev.resets, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_info, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_config37, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_config40, setup40, teardown),
		cmocka_unit_test(test_config_arl),
		cmocka_unit_test_setup_teardown(test_bar_access, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_msi, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_intx, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_stream, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup37, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
