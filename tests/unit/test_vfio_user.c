/* SPDX-License-Identifier: MIT */
/*
 * npu-vfio-user's protocol over a socketpair, without QEMU: version
 * negotiation, device, region and interrupt info, config space as the
 * silicon's (docs/hardware.md §1), BAR accesses through to the model, DMA
 * regions as the model's memory, MSI through an eventfd, and what a broken
 * or hostile client gets.
 */
#define _GNU_SOURCE /* memfd_create */
#include <poll.h>
#include <stdatomic.h>
#include <sys/eventfd.h>

#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "sim/sim_mem_backend.h"
#include "vfio_test_util.h"

/* MMU registers, BAR0 + 0x200000 (docs/firmware-protocol.md §5.1), restated. */
#define R_CR0	    0x200020u
#define R_IRQ_CTRL  0x200050u
#define R_GERROR    0x200060u
#define R_CMDQ_BASE 0x200090u
#define R_CMDQ_PROD 0x200098u
#define R_CMDQ_CONS 0x20009Cu
#define CR0_CMDQEN  0x8u
#define CMD_SYNC    0x46u
#define CONS_ERR(v) (((v) >> 24) & 0x7Fu)
#define ERR_ILL	    1u
#define ERR_ABT	    2u
#define IOVA	    0x40000000ull
#define MAP_SIZE    0x10000ull

static int setup37(void **state)
{
	*state = vt_open(NPU_GEN_37XX, 0);
	return 0;
}

static int setup40(void **state)
{
	*state = vt_open(NPU_GEN_40XX, 0);
	return 0;
}

static int teardown(void **state)
{
	vt_close(*state);
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

static int memfd_pages(size_t size, uint8_t **map)
{
	int fd = memfd_create("guest-ram", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(*map != MAP_FAILED);
	return fd;
}

static uint32_t dma_map(struct vt *t, uint64_t iova, uint64_t size, uint64_t off, int fd)
{
	uint8_t p[32];

	npu_put_le32(p, 32);
	npu_put_le32(p + 4, VU_DMA_MAP_FLAG_READ | VU_DMA_MAP_FLAG_WRITE);
	npu_put_le64(p + 8, off);
	npu_put_le64(p + 16, iova);
	npu_put_le64(p + 24, size);
	return vt_call(t, VU_CMD_DMA_MAP, p, sizeof(p), &fd, fd >= 0 ? 1 : 0, NULL, 0);
}

static uint32_t dma_unmap(struct vt *t, uint64_t iova, uint64_t size, uint32_t flags)
{
	uint8_t p[24], r[24];
	uint32_t err;

	npu_put_le32(p, 24);
	npu_put_le32(p + 4, flags);
	npu_put_le64(p + 8, iova);
	npu_put_le64(p + 16, size);
	err = vt_call(t, VU_CMD_DMA_UNMAP, p, sizeof(p), NULL, 0, r, sizeof(r));
	if (!err)
		assert_int_equal(npu_le64(r + 8), iova);
	return err;
}

static uint32_t mmu_rd(struct vt *t, uint64_t off)
{
	uint64_t v = 0;

	assert_int_equal(vt_region_read(t, 0, off, 4, &v), 0);
	return (uint32_t)v;
}

/*
 * The model reads guest memory: its MMU's command queue in a DMA_MAP region
 * (a memfd, as QEMU's memory-backend-memfd gives). A queue whose region went
 * away takes the MMU's own fault path: CONS.ERR abort.
 */
static void test_dma_model_reads(void **state)
{
	struct vt *t = *state;
	uint8_t *ram;
	int fd = memfd_pages(2 * MAP_SIZE, &ram);
	uint64_t q = IOVA + 0x3000;

	vt_version(t);
	/* The region is the memfd's second half: the fd offset counts. */
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, MAP_SIZE, fd), 0);
	for (unsigned i = 0; i < 3; i++)
		npu_put_le64(ram + MAP_SIZE + 0x3000 + 16 * i, CMD_SYNC);
	npu_put_le64(ram + MAP_SIZE + 0x3000 + 16 * 3, 0x99); /* not a command */
	vt_region_write(t, 0, R_CMDQ_BASE, 8, 1ull << 62 | q | 4, true);
	vt_region_write(t, 0, R_CR0, 4, CR0_CMDQEN, true);
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 3, true);
	assert_int_equal(mmu_rd(t, R_CMDQ_CONS), 3);
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 4, true);
	assert_int_equal(CONS_ERR(mmu_rd(t, R_CMDQ_CONS)), ERR_ILL);
	assert_int_equal(mmu_rd(t, R_CMDQ_CONS) & 0xFFFFF, 3);

	/* The region vanishes: the next fetch is an abort, no crash. */
	assert_int_equal(dma_unmap(t, IOVA, MAP_SIZE, 0), 0);
	npu_put_le64(ram + MAP_SIZE + 0x3000 + 16 * 3, CMD_SYNC);
	vt_region_write(t, 0, R_GERROR + 4, 4, mmu_rd(t, R_GERROR),
			true); /* GERRORN: acknowledged */
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 5, true);
	assert_int_equal(CONS_ERR(mmu_rd(t, R_CMDQ_CONS)), ERR_ABT);
	munmap(ram, 2 * MAP_SIZE);
	close(fd);
}

/* The file under a region shrinks mid-job: the model reads zeros there, nothing crashes. */
static void test_dma_shrink(void **state)
{
	struct vt *t = *state;
	uint8_t *ram;
	int fd = memfd_pages(MAP_SIZE, &ram);
	unsigned long before = vu_dma_shrunk();

	vt_version(t);
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	npu_put_le64(ram, CMD_SYNC);
	vt_region_write(t, 0, R_CMDQ_BASE, 8, 1ull << 62 | IOVA | 4, true);
	vt_region_write(t, 0, R_CR0, 4, CR0_CMDQEN, true);
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 1, true);
	assert_int_equal(mmu_rd(t, R_CMDQ_CONS), 1);
	/* Gone from under the region: the next command reads as 0, not a command. */
	munmap(ram, MAP_SIZE);
	assert_int_equal(ftruncate(fd, 0), 0);
	vt_region_write(t, 0, R_CMDQ_PROD, 4, 2, true);
	assert_int_equal(CONS_ERR(mmu_rd(t, R_CMDQ_CONS)), ERR_ILL);
	assert_true(vu_dma_shrunk() > before);
	/* The region unmaps as usual. */
	assert_int_equal(dma_unmap(t, IOVA, MAP_SIZE, 0), 0);
	close(fd);
}

/* A stand-in for the model's firmware thread: reads a page through the backend while it runs. */
struct race {
	struct vt *t;
	atomic_bool stop;
	unsigned long hits, misses, torn;
};

static void race_read(void *arg)
{
	struct race *r = arg;
	const uint8_t *p = vu_dma_ptr(&r->t->dev.dma, IOVA + 0x1000, 0x1000, NULL);

	if (!p) {
		r->misses++;
		return;
	}
	/* One region's page, whole: 0xA1 throughout, or 0xB2. */
	for (unsigned i = 0; i < 0x1000; i++)
		if (p[i] != p[0] || (p[0] != 0xA1 && p[0] != 0xB2))
			r->torn++;
	r->hits++;
}

struct race_counts {
	struct race *r;
	unsigned long hits, misses;
};

static void race_count(void *arg)
{
	struct race_counts *c = arg;

	c->hits = c->r->hits;
	c->misses = c->r->misses;
}

static void *race_reader(void *arg)
{
	struct race *r = arg;

	while (!atomic_load(&r->stop))
		npu_sim_mem_quiesce(r->t->sim, race_read, r);
	return NULL;
}

/*
 * Regions mapped and unmapped while the model reads them: an unmap waits for
 * the access in flight, an access after it finds nothing (never freed
 * memory, never half of one region and half of another).
 */
static void test_dma_unmap_in_flight(void **state)
{
	struct vt *t = *state;
	struct race r = { .t = t };
	uint8_t *ram[2];
	int fd[2] = { memfd_pages(MAP_SIZE, &ram[0]), memfd_pages(MAP_SIZE, &ram[1]) };
	pthread_t reader;

	memset(ram[0], 0xA1, MAP_SIZE);
	memset(ram[1], 0xB2, MAP_SIZE);
	assert_int_equal(pthread_create(&reader, NULL, race_reader, &r), 0);
	/* Until the reader has found the page there and not there often enough (bounded). */
	for (unsigned i = 0; i < 200000; i++) {
		struct race_counts c = { .r = &r };

		assert_int_equal(vu_dma_map(&t->dev, IOVA, MAP_SIZE, 0, 3, fd[i & 1]), 0);
		assert_int_equal(vu_dma_unmap(&t->dev, IOVA, MAP_SIZE, false), 0);
		npu_sim_mem_quiesce(t->sim, race_count, &c);
		if (c.hits >= 100 && c.misses >= 100)
			break;
	}
	atomic_store(&r.stop, true);
	pthread_join(reader, NULL);
	assert_int_equal(r.torn, 0);
	assert_true(r.hits >= 100 && r.misses >= 100);
	for (unsigned i = 0; i < 2; i++) {
		munmap(ram[i], MAP_SIZE);
		close(fd[i]);
	}
}

static void test_dma_regions(void **state)
{
	struct vt *t = *state;
	uint8_t *ram;
	int fd = memfd_pages(MAP_SIZE, &ram);

	vt_version(t);
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	/* Overlapping another region, unaligned, empty, wrapping, past the file's end. */
	assert_int_equal(dma_map(t, IOVA + 0x1000, 0x1000, 0, fd), EEXIST);
	assert_int_equal(dma_map(t, IOVA - 0x1000, 0x2000, 0, fd), EEXIST);
	assert_int_equal(dma_map(t, IOVA + MAP_SIZE + 1, 0x1000, 0, fd), EINVAL);
	assert_int_equal(dma_map(t, IOVA + MAP_SIZE, 0, 0, fd), EINVAL);
	assert_int_equal(dma_map(t, UINT64_MAX & ~0xFFFull, 0x2000, 0, fd), EINVAL);
	assert_int_equal(dma_map(t, IOVA + MAP_SIZE, MAP_SIZE, 0x1000, fd), EINVAL);
	/* A region without fd is taken (QEMU sends some), though the model cannot reach it. */
	assert_int_equal(dma_map(t, 0x1000, 0x1000, 0, -1), 0);
	/* An unmap may not split a region; one covering whole regions takes them. */
	assert_int_equal(dma_unmap(t, IOVA, 0x1000, 0), EINVAL);
	assert_int_equal(dma_unmap(t, 0, IOVA + MAP_SIZE, 0), 0);
	/* Both gone: their places map again. */
	assert_int_equal(dma_map(t, 0x1000, 0x1000, 0, -1), 0);
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	assert_int_equal(dma_unmap(t, 0, IOVA + MAP_SIZE, 0), 0);
	/* Dirty bitmaps are not served; ALL with a range is malformed. */
	assert_int_equal(dma_unmap(t, 0, 0, VU_DMA_UNMAP_FLAG_DIRTY), ENOTSUP);
	assert_int_equal(dma_unmap(t, IOVA, 1, VU_DMA_UNMAP_FLAG_ALL), EINVAL);
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	assert_int_equal(dma_map(t, 0x1000, 0x1000, 0, -1), 0);
	assert_int_equal(dma_unmap(t, 0, 0, VU_DMA_UNMAP_FLAG_ALL), 0);
	assert_int_equal(dma_map(t, 0x1000, 0x1000, 0, -1), 0);
	assert_int_equal(dma_map(t, IOVA, MAP_SIZE, 0, fd), 0);
	/* The server's own view, once the connection is over (the thread joined). */
	vt_hangup(t);
	assert_int_equal(t->dev.dma.n, 0);
	munmap(ram, MAP_SIZE);
	close(fd);
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
	assert_int_equal(mmu_rd(t, R_GERROR), mmu_rd(t, R_GERROR)); /* the write was served */
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
		cmocka_unit_test_setup_teardown(test_dma_model_reads, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_dma_regions, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_dma_shrink, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_dma_unmap_in_flight, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_msi, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_intx, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_stream, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup37, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
