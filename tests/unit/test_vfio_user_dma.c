/* SPDX-License-Identifier: MIT */
/*
 * npu-vfio-user's DMA regions over a socketpair, without QEMU: guest memory
 * mapped with DMA_MAP as the model's memory, read by its MMU; regions that
 * overlap, split, vanish, shrink under the server, or go while an access is
 * in flight.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdatomic.h>

#include "sim/sim_mem_backend.h"
#include "vfio_test_util.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dma_model_reads, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_dma_regions, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_dma_shrink, setup37, teardown),
		cmocka_unit_test_setup_teardown(test_dma_unmap_in_flight, setup37, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
