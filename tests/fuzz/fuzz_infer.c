/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the simulated NPU's network engine (src/sim/sim_infer.c,
 * src/sim/sim_model.c) behind INFERENCE_EXECUTE, held against the CPU
 * reference (tests/ref/ref_infer.c).
 *
 * Input: byte 0 picks the batch (1 + b % 8), byte 1 the output's slack
 * (b % 64 bytes past the records), bytes 2..3 seed the samples, the rest is
 * the blob (at most BLOB_MAX bytes). A 37xx model with a 256 KiB read-write
 * region mapped for SSID 2 at VA_BASE (tables built here by hand,
 * docs/firmware-protocol.md §5.3/§5.4) holds the batch buffer, the descriptor, the records,
 * the samples and the blob; the job runs through the command engine.
 *
 * Traps on: a status other than the reference's; any MMU fault; records that
 * differ from the reference's by one bit; a byte written outside the records;
 * a change to the descriptor, samples or blob. Valid blobs whose job would
 * take more than WORK_MAX are skipped: the target is for the checks and the
 * edges of the layers, not for throughput (test_infer.c covers the cap).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "npu/model.h"
#include "ref_infer.h"
#include "sim/sim.h"
#include "sim/sim_cmd.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE	     4096u
#define VA_BASE	     0xA0000000ull
#define REGION	     0x40000u /* 64 pages at VA_BASE, one L3 table */
#define SSID	     2u
#define OFF_DESC     0x1000u
#define OFF_OUT	     0x2000u /* records: up to OUT_MAX bytes */
#define OUT_MAX	     0x6000u
#define OFF_IN	     0x8000u /* samples: up to IN_MAX bytes */
#define IN_MAX	     0x8000u
#define OFF_BLOB     0x10000u /* the blob: up to BLOB_MAX bytes */
#define BLOB_MAX     (REGION - OFF_BLOB)
#define CSA	     0x800u
#define WORK_MAX     (1u << 21)
#define FILL	     0xA5u
#define R_CR0	     0x200020u
#define R_IRQ_CTRL   0x200050u
#define R_STRTAB     0x200080u
#define R_STRTAB_CFG 0x200088u
#define R_CMDQ_BASE  0x200090u
#define R_EVTQ_BASE  0x2000A0u
#define R_EVTQ_PROD1 0x2100A8u
#define R_EVTQ_CONS1 0x2100ACu
#define PTE_RW	     0xC43ull /* valid, page, user, AF, nG */
#define TABLES	     6u	      /* stream table, CD table, L0..L3 */

static struct npu_sim *sim;
static uint8_t *region, *want, *samples;

static void trap_unless(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void *alloc(size_t size, uint64_t *pa)
{
	void *cpu = NULL;

	trap_unless(npu_sim_dma_alloc(sim, size, &cpu, pa) == 0);
	return cpu;
}

static void model_build(void)
{
	struct npu_sim_config cfg = { .gen = NPU_GEN_37XX, .mem_size = 2u << 20 };
	static const unsigned shift[3] = { 39, 30, 21 };
	uint64_t tables, rw, cmdq, evtq;
	uint8_t *t, *cd;

	trap_unless(npu_sim_create(&cfg, &sim) == 0);
	t = alloc(TABLES * PAGE, &tables);
	region = alloc(REGION, &rw);
	alloc(PAGE, &cmdq);
	alloc(PAGE, &evtq);
	/* STE 0: V, S1 translate, S1CDMAX 8, CD table. CD[2]: 48-bit VA, 4 KiB, V, R, ASID 2. */
	npu_put_le64(t, 1 | 5ull << 1 | 8ull << 59 | (tables + PAGE));
	npu_put_le64(t + 8, 2ull << 48);
	cd = t + PAGE + SSID * 64;
	npu_put_le64(cd, 16 | 1ull << 30 | 1ull << 31 | 5ull << 32 | 1ull << 41 | 1ull << 45 |
			     1ull << 47 | (uint64_t)SSID << 48);
	npu_put_le64(cd + 8, tables + 2 * PAGE);
	npu_put_le64(cd + 24, 0x7444);
	for (unsigned lvl = 0; lvl < 3; lvl++)
		npu_put_le64(t + (2 + lvl) * PAGE + ((VA_BASE >> shift[lvl]) & 511) * 8,
			     (tables + (3 + lvl) * PAGE) | 0x3);
	for (unsigned i = 0; i < REGION / PAGE; i++)
		npu_put_le64(t + 5 * PAGE + (((VA_BASE >> 12) + i) & 511) * 8,
			     (rw + (uint64_t)i * PAGE) | PTE_RW);

	npu_sim_write64(sim, 0, R_STRTAB, 1ull << 62 | tables);
	npu_sim_write32(sim, 0, R_STRTAB_CFG, 2);
	npu_sim_write64(sim, 0, R_CMDQ_BASE, 1ull << 62 | cmdq | 4);
	npu_sim_write64(sim, 0, R_EVTQ_BASE, 1ull << 62 | evtq | 4);
	npu_sim_write32(sim, 0, R_IRQ_CTRL, 0x5);
	npu_sim_write32(sim, 0, R_CR0, 0x1D);
	want = malloc(OUT_MAX);
	samples = malloc(IN_MAX);
	trap_unless(want && samples);
}

static void model_free(void)
{
	npu_sim_destroy(sim);
	free(want);
	free(samples);
}

/* Batch header at 0, INFERENCE_EXECUTE at 48 on the descriptor at OFF_DESC. */
static void write_batch(void)
{
	memset(region, 0, OFF_DESC);
	npu_put_le32(region, 48 + 32);
	npu_put_le32(region + 4, 48);
	npu_put_le64(region + 40, VA_BASE + CSA);
	npu_put_le16(region + 48, 0x0306);
	npu_put_le16(region + 50, 32);
	npu_put_le64(region + 56, 0x1F0221u);
	npu_put_le64(region + 64, VA_BASE + OFF_DESC);
	npu_put_le32(region + 72, NPU_INFER_DESC_SIZE);
}

static void write_desc(uint32_t batch, uint32_t blob, uint32_t in, uint32_t out)
{
	uint8_t *d = region + OFF_DESC;

	memset(d, 0, NPU_INFER_DESC_SIZE);
	npu_put_le32(d, NPU_INFER_DESC_MAGIC);
	npu_put_le32(d + 4, NPU_INFER_DESC_VERSION);
	npu_put_le32(d + 8, batch);
	npu_put_le64(d + 16, VA_BASE + OFF_BLOB);
	npu_put_le32(d + 24, blob);
	npu_put_le32(d + 28, in);
	npu_put_le64(d + 32, VA_BASE + OFF_IN);
	npu_put_le64(d + 40, VA_BASE + OFF_OUT);
	npu_put_le32(d + 48, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool built;
	struct ref_model_info info;
	struct sim_cmd_state st;
	uint32_t batch, blob, in, out, status = 0xFFFF, expect, seed;
	uint64_t faults;
	uint8_t desc[NPU_INFER_DESC_SIZE];

	if (!built) {
		model_build();
		atexit(model_free);
		built = true;
	}
	if (size < 4)
		return 0;
	batch = 1 + data[0] % 8;
	blob = size - 4 < BLOB_MAX ? (uint32_t)(size - 4) : BLOB_MAX;
	/* Sizes the reference finds right, kept inside their areas; else one area's worth. */
	in = IN_MAX;
	out = OUT_MAX;
	if (ref_check(data + 4, blob, &info, NULL) == REF_OK) {
		if (info.work > WORK_MAX)
			return 0;
		while (batch > 1 && ((uint64_t)batch * info.sample_size > IN_MAX ||
				     (uint64_t)batch * info.record_size > OUT_MAX ||
				     batch * info.work > WORK_MAX))
			batch--;
		if ((uint64_t)batch * info.sample_size <= IN_MAX)
			in = batch * info.sample_size;
		if ((uint64_t)batch * info.record_size + data[1] % 64 <= OUT_MAX)
			out = batch * info.record_size + data[1] % 64;
	}

	write_batch();
	write_desc(batch, blob, in, out);
	memset(region + OFF_OUT, FILL, OUT_MAX);
	seed = data[2] | (uint32_t)data[3] << 8;
	for (uint32_t i = 0; i < IN_MAX; i++) {
		seed = seed * 1103515245u + 12345u;
		samples[i] = (uint8_t)(seed >> 16);
	}
	memcpy(region + OFF_IN, samples, IN_MAX);
	memset(region + OFF_BLOB, 0, BLOB_MAX);
	memcpy(region + OFF_BLOB, data + 4, blob);
	memcpy(desc, region + OFF_DESC, sizeof(desc));
	memset(want, FILL, OUT_MAX);
	/* model_size 0 is the descriptor's error (§7 step 1), before any blob rule. */
	expect = blob == 0 ? REF_PARSING_ERR
			   : ref_infer(data + 4, blob, batch, samples, in, want, out, NULL);

	npu_sim_write32(sim, 0, R_EVTQ_CONS1, npu_sim_read32(sim, 0, R_EVTQ_PROD1));
	pthread_mutex_lock(&sim->lock);
	faults = sim->mmu.faults;
	sim_cmd_init(&st, VA_BASE);
	trap_unless(sim_cmd_run(sim, SSID, &st, &status) == SIM_CMD_DONE);
	trap_unless(sim->mmu.faults == faults);
	pthread_mutex_unlock(&sim->lock);

	trap_unless(status == expect);
	trap_unless(status == REF_OK || status == REF_PARSING_ERR || status == REF_WRONG_FORMAT ||
		    status == REF_UNSUPPORTED || status == REF_OUT_OF_RESOURCES);
	/* Records only on success, exactly the reference's, nothing past them. */
	trap_unless(memcmp(region + OFF_OUT, want, OUT_MAX) == 0);
	trap_unless(memcmp(region + OFF_DESC, desc, sizeof(desc)) == 0);
	trap_unless(memcmp(region + OFF_IN, samples, IN_MAX) == 0);
	trap_unless(memcmp(region + OFF_BLOB, data + 4, blob) == 0);
	return 0;
}
