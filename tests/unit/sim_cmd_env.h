/* SPDX-License-Identifier: MIT */
/*
 * Shared by test_sim_cmd.c and test_sim_cmd_mem.c: a 37xx or 40xx model with
 * its MMU on and tables for SSID 2 written by hand from the reference bit
 * layouts (docs/firmware-protocol.md §5.3, §5.4), not with the driver's code; batch buffers
 * written by hand from §4.1-§4.3; running a job under the model's lock.
 */
#ifndef NPU_TEST_SIM_CMD_ENV_H
#define NPU_TEST_SIM_CMD_ENV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw/cmd.h"
#include "sim/sim.h"
#include "sim/sim_cmd.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"

/* docs/firmware-protocol.md §2.2 and §4.2, restated on purpose. */
#define ST_OK	    0x0u
#define ST_PARSE    0x1u
#define ST_NOT_IMPL 0xBu
#define ST_CTX_VIOL 0xEu
#define C_NOP	    0x0001u
#define C_TS	    0x0100u
#define C_WAIT	    0x0101u
#define C_SIGNAL    0x0102u
#define C_BARRIER   0x0103u
#define C_MQ_BEGIN  0x0104u
#define C_MQ_END    0x0105u
#define C_FILL	    0x0202u
#define C_COPY	    0x0302u
#define C_INFER	    0x0306u

/* MMU registers (§5.1) and PTE bits (§5.4). */
#define R_CR0	     0x200020u
#define R_IRQ_CTRL   0x200050u
#define R_STRTAB     0x200080u
#define R_STRTAB_CFG 0x200088u
#define R_CMDQ_BASE  0x200090u
#define R_EVTQ_BASE  0x2000A0u
#define R_EVTQ_PROD1 0x2100A8u
#define PAGE	     0x1000ull
#define PTE_PAGE     0xC43ull
#define PTE_RO	     0x80ull

#define SSID	    2u
#define VA_BATCH    0xA0000000ull /* 64 KiB: batch buffers, context save area at +0xF000 */
#define VA_DATA	    0xA0100000ull /* 64 KiB: fences, timestamps, descriptors, fill targets */
#define VA_RO	    0xA0200000ull /* one read-only page */
#define VA_UNMAPPED 0xA0300000ull
#define VA_SRC	    0xA1000000ull /* BIG bytes, pages mapped in reverse order */
#define VA_DST	    0xA2000000ull
#define CSA	    (VA_BATCH + 0xF000)
#define SMALL	    0x10000u
#define BIG	    (3u * 1024 * 1024 + 2 * PAGE)

struct env {
	struct npu_sim *s;
	bool g37;
	uint8_t *cdtab, *evtq, *batch, *data, *ro;
	uint64_t root;
	uint32_t len; /* of the batch being written */
};

static struct env e37, e40;

static inline uint8_t *alloc(struct env *e, size_t size, uint64_t *pa)
{
	void *cpu;

	assert_int_equal(npu_sim_dma_alloc(e->s, size, &cpu, pa), 0);
	return cpu;
}

/* Level-3 entry for va, the tables above it made on the way (table descriptor: next | 0x3). */
static inline void map_page(struct env *e, uint64_t va, uint64_t pte)
{
	static const unsigned shift[3] = { 39, 30, 21 };
	uint64_t table = e->root, pa;

	for (unsigned lvl = 0; lvl < 3; lvl++) {
		uint8_t *ent = sim_mem_ptr(e->s, table + ((va >> shift[lvl]) & 511) * 8, 8);

		if (!(npu_le64(ent) & 1)) {
			alloc(e, PAGE, &pa);
			npu_put_le64(ent, pa | 0x3);
		}
		table = npu_le64(ent) & 0x0000FFFFFFFFF000ull;
	}
	npu_put_le64(sim_mem_ptr(e->s, table + ((va >> 12) & 511) * 8, 8), pte);
}

static inline uint8_t *map_region(struct env *e, uint64_t va, size_t size, uint64_t flags,
				  bool reverse)
{
	uint64_t pa, pages = size / PAGE;
	uint8_t *cpu = alloc(e, size, &pa);

	for (uint64_t i = 0; i < pages; i++)
		map_page(e, va + i * PAGE, (pa + (reverse ? pages - 1 - i : i) * PAGE) | flags);
	return cpu;
}

static inline int setup(void **state)
{
	struct env *e = *state;
	struct npu_sim_config cfg = { .gen = e == &e37 ? NPU_GEN_37XX : NPU_GEN_40XX,
				      .mem_size = 16u << 20 };
	uint64_t strtab, cdtab, cmdq, evtq;
	uint8_t *ste, *cd;

	assert_int_equal(npu_sim_create(&cfg, &e->s), 0);
	/* Firmware of the job-command API this header describes (4.15), which knows NOP. */
	e->s->rom.api_job_cmd = NPU_JOB_CMD_API_VERSION;
	e->g37 = e == &e37;
	ste = alloc(e, PAGE, &strtab);
	e->cdtab = alloc(e, 4 * PAGE, &cdtab);
	alloc(e, PAGE, &cmdq);
	e->evtq = alloc(e, PAGE, &evtq);
	alloc(e, PAGE, &e->root);
	/* STE 0: V, CFG 5 (S1) [3:1], S1CDMAX 8 [63:59], CD table; dword1 PRIVCFG unpriv. */
	npu_put_le64(ste, 1 | 5ull << 1 | 8ull << 59 | cdtab);
	npu_put_le64(ste + 8, 2ull << 48);
	/* CD[2]: T0SZ 16, EPD1 b30, V b31, IPS 5, AA64 b41, R b45, ASET b47, ASID; root; MAIR. */
	cd = e->cdtab + SSID * 64;
	npu_put_le64(cd, 16 | 1ull << 30 | 1ull << 31 | 5ull << 32 | 1ull << 41 | 1ull << 45 |
			     1ull << 47 | (uint64_t)SSID << 48);
	npu_put_le64(cd + 8, e->root);
	npu_put_le64(cd + 24, 0x7444);
	e->batch = map_region(e, VA_BATCH, SMALL, PTE_PAGE, false);
	e->data = map_region(e, VA_DATA, SMALL, PTE_PAGE, false);
	e->ro = map_region(e, VA_RO, PAGE, PTE_PAGE | PTE_RO, false);
	map_region(e, VA_SRC, BIG, PTE_PAGE, true);
	map_region(e, VA_DST, BIG, PTE_PAGE, true);
	memset(e->ro, 0x5A, PAGE);

	npu_sim_write64(e->s, 0, R_STRTAB, 1ull << 62 | strtab);
	npu_sim_write32(e->s, 0, R_STRTAB_CFG, 2);
	npu_sim_write64(e->s, 0, R_CMDQ_BASE, 1ull << 62 | cmdq | 4);
	npu_sim_write64(e->s, 0, R_EVTQ_BASE, 1ull << 62 | evtq | 4);
	npu_sim_write32(e->s, 0, R_IRQ_CTRL, 0x5);
	npu_sim_write32(e->s, 0, R_CR0, 0x1D); /* SMMUEN | EVTQEN | CMDQEN | ATSCHK */
	return 0;
}

static inline int teardown(void **state)
{
	struct env *e = *state;

	npu_sim_destroy(e->s);
	e->s = NULL;
	return 0;
}

/* ---- the device's view of memory, and running a job ---- */

static inline void dev_rw(struct env *e, uint64_t va, void *buf, size_t len, bool write)
{
	pthread_mutex_lock(&e->s->lock);
	assert_int_equal(sim_mmu_access(e->s, SSID, va, buf, len, write), 0);
	pthread_mutex_unlock(&e->s->lock);
}

static inline enum sim_cmd_result run(struct env *e, struct sim_cmd_state *st, uint32_t *status)
{
	enum sim_cmd_result r;

	pthread_mutex_lock(&e->s->lock);
	r = sim_cmd_run(e->s, SSID, st, status);
	pthread_mutex_unlock(&e->s->lock);
	return r;
}

/* Runs the batch at va from the start; it must end. Returns its status. */
static inline uint32_t run_at(struct env *e, uint64_t va, struct sim_cmd_state *st)
{
	uint32_t status = 0xFFFF;

	sim_cmd_init(st, va);
	assert_int_equal(run(e, st, &status), SIM_CMD_DONE);
	return status;
}

static inline uint32_t run_batch(struct env *e)
{
	struct sim_cmd_state st;

	return run_at(e, VA_BATCH, &st);
}

static inline uint64_t faults(struct env *e)
{
	return e->s->mmu.faults;
}

/* Event record n (§5.7): word0 [7:0] id, [31:12] SSID; input VA at +16. */
static inline void expect_event(struct env *e, unsigned n, uint32_t id, uint64_t va)
{
	const uint8_t *rec = e->evtq + (n % 16) * 32;

	assert_int_equal(npu_sim_read32(e->s, 0, R_EVTQ_PROD1) & 0x1F, n + 1);
	assert_int_equal(npu_le32(rec) & 0xFF, id);
	assert_int_equal(npu_le32(rec) >> 12, SSID);
	assert_int_equal(npu_le64(rec + 16), va);
}

/* ---- writing batches (§4.1, §4.2) ---- */

static inline uint8_t *batch_at(struct env *e, uint64_t va)
{
	return e->batch + (va - VA_BATCH);
}

/* Header at VA_BATCH, commands from +48 (the kmd-test layout). */
static inline void begin(struct env *e, uint64_t fence_base, uint64_t desc_base)
{
	memset(e->batch, 0, CSA - VA_BATCH);
	npu_put_le32(e->batch + 4, 48);
	npu_put_le64(e->batch + 16, desc_base);
	npu_put_le64(e->batch + 32, fence_base);
	npu_put_le64(e->batch + 40, CSA);
	e->len = 48;
	npu_put_le32(e->batch, e->len);
}

static inline uint8_t *cmd(struct env *e, uint16_t type, uint16_t size)
{
	uint8_t *p = e->batch + e->len;

	npu_put_le16(p, type);
	npu_put_le16(p + 2, size);
	e->len += size;
	npu_put_le32(e->batch, e->len); /* cmd_buffer_size */
	return p;
}

/* TIMESTAMP/METRIC (16): u32 at 4, u64 at 8. FENCE (24): u64 at 8, u64 at 16. */
static inline void cmd_ts(struct env *e, uint16_t type, uint32_t a, uint64_t b)
{
	uint8_t *p = cmd(e, type, 16);

	npu_put_le32(p + 4, a);
	npu_put_le64(p + 8, b);
}

static inline void cmd_fence(struct env *e, uint16_t type, uint64_t offset, uint64_t value)
{
	uint8_t *p = cmd(e, type, 24);

	npu_put_le64(p + 8, offset);
	npu_put_le64(p + 16, value);
}

static inline void cmd_fill(struct env *e, uint64_t start, uint64_t size, uint32_t pattern)
{
	uint8_t *p = cmd(e, C_FILL, 32);

	npu_put_le64(p + 8, start);
	npu_put_le64(p + 16, size);
	npu_put_le32(p + 24, pattern);
}

static inline void cmd_copy(struct env *e, uint64_t offset, uint32_t count)
{
	uint8_t *p = cmd(e, C_COPY, 24);

	npu_put_le64(p + 8, offset);
	npu_put_le32(p + 16, count);
}

/* Copy descriptor i of an array at data offset off (§4.3), in 37xx or 40xx layout. */
static inline void desc(struct env *e, bool layout37, uint32_t off, unsigned i, uint64_t src,
			uint64_t dst, uint32_t size)
{
	uint8_t *d = e->data + off + i * (layout37 ? 64 : 192);

	memset(d, 0, layout37 ? 64 : 192);
	npu_put_le64(d + (layout37 ? 16 : 40), src);
	npu_put_le64(d + (layout37 ? 24 : 48), dst);
	npu_put_le32(d + (layout37 ? 32 : 24), size);
}

#define BOTH(fn)                                                             \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &e37), \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &e40)

#endif
