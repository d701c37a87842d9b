/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the model's command-buffer engine (src/sim/sim_cmd.c): the
 * input is a batch buffer. It is copied into a 64 KiB read-write region of a
 * 37xx and of a 40xx model, mapped at VA_BASE for SSID 2 by tables built here
 * by hand (docs/firmware-protocol.md §5.3/§5.4), with a read-only page right after it; then
 * the job runs until it ends, resuming a few times after satisfying the fence
 * a FENCE_WAIT blocked on. Traps on anything inconsistent: a status outside
 * the engine's set, a fault without 0xE or 0xE without a fault, a state that
 * does not match the header it was read from, a blocked job that does not
 * stand at a FENCE_WAIT or does not move once its fence is satisfied, and any
 * change to the tables or the read-only page.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/sim_cmd.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE	     4096u
#define VA_BASE	     0xA0000000ull
#define RW_SIZE	     0x10000u /* 16 pages at VA_BASE; the read-only page follows */
#define SSID	     2u
#define RESUMES	     4
#define R_CR0	     0x200020u
#define R_IRQ_CTRL   0x200050u
#define R_STRTAB     0x200080u
#define R_STRTAB_CFG 0x200088u
#define R_CMDQ_BASE  0x200090u
#define R_EVTQ_BASE  0x2000A0u
#define R_EVTQ_PROD1 0x2100A8u
#define R_EVTQ_CONS1 0x2100ACu
#define PTE_RW	     0xC43ull /* valid, page, user, AF, nG */
#define PTE_RO	     (PTE_RW | 0x80ull)
#define C_FENCE_WAIT 0x0101u
#define ST_OK	     0x0u
#define ST_PARSE     0x1u
#define ST_NOT_IMPL  0xBu
#define ST_WRONG     0x7u /* INFERENCE_EXECUTE: docs/model-format.md §7 */
#define ST_UNSUPP    0x8u
#define ST_NO_RES    0xAu
#define ST_CTX_VIOL  0xEu
/* Pages that never change: stream table, CD table (4), L0..L3 tables, the read-only page. */
#define FIXED_PAGES   10u
#define FX_STRTAB     0u
#define FX_CDTAB      1u
#define FX_TABLE(lvl) (5u + (lvl))
#define FX_RO	      9u

struct model {
	struct npu_sim *s;
	uint8_t *fixed, *rw, *snapshot;
};

static struct model models[2];

static void trap_unless(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void *alloc(struct npu_sim *s, size_t size, uint64_t *pa)
{
	void *cpu = NULL;

	trap_unless(npu_sim_dma_alloc(s, size, &cpu, pa) == 0);
	return cpu;
}

static void model_build(struct model *m, enum npu_gen gen)
{
	struct npu_sim_config cfg = { .gen = gen, .mem_size = 1u << 20 };
	static const unsigned shift[4] = { 39, 30, 21, 12 };
	uint64_t fixed, rw, cmdq, evtq;
	uint8_t *cd;

	trap_unless(npu_sim_create(&cfg, &m->s) == 0);
	m->fixed = alloc(m->s, FIXED_PAGES * PAGE, &fixed);
	m->rw = alloc(m->s, RW_SIZE, &rw);
	alloc(m->s, PAGE, &cmdq);
	alloc(m->s, PAGE, &evtq);
	/* STE 0: V, S1 translate, S1CDMAX 8, CD table. CD[2]: 48-bit VA, 4 KiB, V, R, ASID 2. */
	npu_put_le64(m->fixed, 1 | 5ull << 1 | 8ull << 59 | (fixed + FX_CDTAB * PAGE));
	npu_put_le64(m->fixed + 8, 2ull << 48);
	cd = m->fixed + FX_CDTAB * PAGE + SSID * 64;
	npu_put_le64(cd, 16 | 1ull << 30 | 1ull << 31 | 5ull << 32 | 1ull << 41 | 1ull << 45 |
			     1ull << 47 | (uint64_t)SSID << 48);
	npu_put_le64(cd + 8, fixed + FX_TABLE(0) * PAGE);
	npu_put_le64(cd + 24, 0x7444);
	/* One table per level: the region and the read-only page share one L3 table. */
	for (unsigned lvl = 0; lvl < 3; lvl++)
		npu_put_le64(m->fixed + FX_TABLE(lvl) * PAGE + ((VA_BASE >> shift[lvl]) & 511) * 8,
			     (fixed + FX_TABLE(lvl + 1) * PAGE) | 0x3);
	for (unsigned i = 0; i <= RW_SIZE / PAGE; i++) {
		uint64_t pte =
		    i < RW_SIZE / PAGE ? (rw + i * PAGE) | PTE_RW : (fixed + FX_RO * PAGE) | PTE_RO;

		npu_put_le64(m->fixed + FX_TABLE(3) * PAGE + (((VA_BASE >> 12) + i) & 511) * 8,
			     pte);
	}
	memset(m->fixed + FX_RO * PAGE, 0x5A, PAGE);
	m->snapshot = malloc(FIXED_PAGES * PAGE);
	trap_unless(m->snapshot != NULL);
	memcpy(m->snapshot, m->fixed, FIXED_PAGES * PAGE);

	npu_sim_write64(m->s, 0, R_STRTAB, 1ull << 62 | fixed);
	npu_sim_write32(m->s, 0, R_STRTAB_CFG, 2);
	npu_sim_write64(m->s, 0, R_CMDQ_BASE, 1ull << 62 | cmdq | 4);
	npu_sim_write64(m->s, 0, R_EVTQ_BASE, 1ull << 62 | evtq | 4);
	npu_sim_write32(m->s, 0, R_IRQ_CTRL, 0x5);
	npu_sim_write32(m->s, 0, R_CR0, 0x1D);
}

static void models_free(void)
{
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		npu_sim_destroy(models[i].s);
		free(models[i].snapshot);
	}
}

/* The engine's state after a run, against the header it started from (hdr, 48 bytes). */
static void check_run(const struct sim_cmd_state *st, const uint8_t *hdr, enum sim_cmd_result r,
		      uint32_t status, bool faulted)
{
	uint32_t first = npu_le32(hdr + 4);

	trap_unless(st->batch_va == VA_BASE);
	if (r == SIM_CMD_BLOCKED) {
		trap_unless(st->started && st->offset < st->end && status == ST_OK && !faulted);
	} else {
		trap_unless(r == SIM_CMD_DONE);
		trap_unless(status == ST_OK || status == ST_PARSE || status == ST_NOT_IMPL ||
			    status == ST_CTX_VIOL || status == ST_WRONG || status == ST_UNSUPP ||
			    status == ST_NO_RES);
		/* 0xE exactly when the MMU saw a fault (and recorded it). */
		trap_unless((status == ST_CTX_VIOL) == faulted);
		if (status == ST_OK)
			trap_unless(st->started && st->offset == st->end);
	}
	if (!st->started) {
		trap_unless(st->offset == 0 && st->commands == 0);
		return;
	}
	trap_unless(st->end == npu_le32(hdr) && st->end <= SIM_CMD_BUFFER_SIZE_MAX);
	trap_unless(st->desc_base == npu_le64(hdr + 16) && st->fence_base == npu_le64(hdr + 32));
	trap_unless(first >= 48 && first <= st->offset && st->offset <= st->end);
	trap_unless(st->offset % 4 == 0 && first % 4 == 0);
	/* Every command that ran took at least 8 bytes. */
	trap_unless((uint64_t)st->commands * 8 <= st->offset - first);
}

/*
 * The job stands at a FENCE_WAIT (which the engine read whole): a run without
 * change must leave it there; then the fence is set to all-ones. Returns
 * whether that write went through (a fence on the read-only page stays).
 */
static bool check_blocked(struct npu_sim *s, struct sim_cmd_state *st)
{
	struct sim_cmd_state before = *st;
	uint8_t cmd[24], ones[8];
	uint32_t status;
	uint64_t faults = s->mmu.faults, fence, at = st->batch_va + st->offset;

	trap_unless(sim_mmu_access(s, SSID, at, cmd, sizeof(cmd), false) == 0);
	trap_unless(npu_le16(cmd) == C_FENCE_WAIT && npu_le16(cmd + 2) == sizeof(cmd));
	trap_unless(sim_cmd_run(s, SSID, st, &status) == SIM_CMD_BLOCKED);
	trap_unless(st->offset == before.offset && st->commands == before.commands &&
		    st->end == before.end && s->mmu.faults == faults);
	trap_unless(!__builtin_add_overflow(st->fence_base, npu_le64(cmd + 8), &fence));
	/* A fence inside the command itself would rewrite the command: leave it. */
	if (fence < at + sizeof(cmd) && at < fence + sizeof(ones))
		return false;
	memset(ones, 0xFF, sizeof(ones));
	return sim_mmu_access(s, SSID, fence, ones, sizeof(ones), true) == 0;
}

static void run_one(struct model *m, const uint8_t *data, size_t size)
{
	struct npu_sim *s = m->s;
	struct sim_cmd_state st;
	uint8_t hdr[48];
	bool satisfied = false;

	memset(m->rw, 0, RW_SIZE);
	memcpy(m->rw, data, size < RW_SIZE ? size : RW_SIZE);
	memcpy(hdr, m->rw, sizeof(hdr));
	/* Drain the event queue as the host would, so that every input finds it empty. */
	npu_sim_write32(s, 0, R_EVTQ_CONS1, npu_sim_read32(s, 0, R_EVTQ_PROD1));

	pthread_mutex_lock(&s->lock);
	sim_cmd_init(&st, VA_BASE);
	for (int i = 0; i < RESUMES; i++) {
		uint32_t offset = st.offset, status = 0xFFFF;
		uint64_t faults = s->mmu.faults, commands = st.commands;
		enum sim_cmd_result r = sim_cmd_run(s, SSID, &st, &status);

		check_run(&st, hdr, r, status, s->mmu.faults != faults);
		/* A satisfied wait is passed: the job moves on (offsets only grow). */
		if (satisfied)
			trap_unless(st.offset > offset && st.commands > commands);
		if (r == SIM_CMD_DONE)
			break;
		satisfied = check_blocked(s, &st);
	}
	pthread_mutex_unlock(&s->lock);
	trap_unless(memcmp(m->fixed, m->snapshot, FIXED_PAGES * PAGE) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool built;

	if (!built) {
		model_build(&models[0], NPU_GEN_37XX);
		model_build(&models[1], NPU_GEN_40XX);
		atexit(models_free);
		built = true;
	}
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		run_one(&models[i], data, size);
	return 0;
}
