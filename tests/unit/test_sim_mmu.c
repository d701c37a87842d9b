/* SPDX-License-Identifier: MIT */
/*
 * The device model's MMU on tables written by hand in this file from the
 * reference bit layouts (docs/firmware-protocol.md §5.1-5.4, §5.7), not with the driver's
 * code: translation, faults and their event records, the command queue, the
 * register mirrors, the event queue filling up.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/sim.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"

/* Register offsets and bits, restated from docs/firmware-protocol.md §5.1 on purpose. */
#define R_IDR0	     0x200000u
#define R_IDR1	     0x200004u
#define R_CR0	     0x200020u
#define R_CR0ACK     0x200024u
#define R_IRQ_CTRL   0x200050u
#define R_IRQ_ACK    0x200054u
#define R_GERROR     0x200060u
#define R_GERRORN    0x200064u
#define R_STRTAB     0x200080u
#define R_STRTAB_CFG 0x200088u
#define R_CMDQ_BASE  0x200090u
#define R_CMDQ_PROD  0x200098u
#define R_CMDQ_CONS  0x20009Cu
#define R_EVTQ_BASE  0x2000A0u
#define R_EVTQ_PROD  0x2000A8u
#define R_EVTQ_CONS  0x2000ACu
#define R_EVTQ_PROD1 0x2100A8u
#define R_EVTQ_CONS1 0x2100ACu
#define CR0_ON	     0x1Du /* SMMUEN | EVTQEN | CMDQEN | ATSCHK */
#define ICB_EVTQ     (1u << 5)
#define ICB_GERROR   (1u << 7)
#define PAGE	     0x1000ull
#define PTE_PAGE     0xC43ull /* valid, page, user, AF, nG */
#define PTE_RO	     0x80ull
#define VA_USER	     0xA0000000ull
#define VA_UNMAPPED  0xA0100000ull

struct buf {
	uint8_t *cpu;
	uint64_t pa;
};

struct env {
	struct npu_sim *s;
	struct buf strtab, cdtab, cmdq, evtq, root[4];
	struct buf data[3]; /* pages mapped at VA_USER, +1, +2 (for SSIDs 0 and 2) */
};

static struct buf alloc_buf(struct env *e, size_t size)
{
	struct buf b;

	assert_int_equal(npu_sim_dma_alloc(e->s, size, (void **)&b.cpu, &b.pa), 0);
	return b;
}

static uint8_t *pa_cpu(struct env *e, uint64_t pa)
{
	uint8_t *p = sim_mem_ptr(e->s, pa, 8);

	assert_non_null(p);
	return p;
}

static void wr32(struct env *e, uint32_t off, uint32_t v)
{
	npu_sim_write32(e->s, 0, off, v);
}

static uint32_t rd32(struct env *e, uint32_t off)
{
	return npu_sim_read32(e->s, 0, off);
}

/* Level-3 entry for va under root, making the tables above it by hand: next | 0x3. */
static void hand_map(struct env *e, uint64_t root, uint64_t va, uint64_t pte)
{
	static const unsigned shift[3] = { 39, 30, 21 };
	uint64_t table = root;

	for (unsigned lvl = 0; lvl < 3; lvl++) {
		uint8_t *ent = pa_cpu(e, table + ((va >> shift[lvl]) & 511) * 8);

		if (!(npu_le64(ent) & 1))
			npu_put_le64(ent, alloc_buf(e, PAGE).pa | 0x3);
		table = npu_le64(ent) & 0x0000FFFFFFFFF000ull;
	}
	npu_put_le64(pa_cpu(e, table + ((va >> 12) & 511) * 8), pte);
}

/* CD for ssid: T0SZ 16, IPS 5 [34:32], EPD1 b30, V b31, AA64 b41, R b45, ASET b47, ASID. */
static void hand_cd(struct env *e, uint32_t ssid, uint64_t root, bool abort_bit)
{
	uint8_t *cd = e->cdtab.cpu + ssid * 64;
	uint64_t d0 = 16 | 5ull << 32 | 1ull << 30 | 1ull << 31 | 1ull << 41 | 1ull << 45 |
		      1ull << 47 | (uint64_t)ssid << 48;

	npu_put_le64(cd, d0 | (abort_bit ? 1ull << 46 : 0));
	npu_put_le64(cd + 8, root);
	npu_put_le64(cd + 24, 0x7444);
}

static int setup(void **state)
{
	struct npu_sim_config cfg = { .gen = NPU_GEN_37XX, .mem_size = 16u << 20 };
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	assert_int_equal(npu_sim_create(&cfg, &e->s), 0);
	e->strtab = alloc_buf(e, PAGE);
	e->cdtab = alloc_buf(e, 4 * PAGE);
	e->cmdq = alloc_buf(e, PAGE);
	e->evtq = alloc_buf(e, PAGE);
	/* STE 0: V, CFG 5 (S1 translate) [3:1], S1CDMAX 8 [63:59], CD table; PRIVCFG unpriv. */
	npu_put_le64(e->strtab.cpu, 1 | 5ull << 1 | 8ull << 59 | e->cdtab.pa);
	npu_put_le64(e->strtab.cpu + 8, 2ull << 48);
	for (unsigned i = 0; i < 3; i++) {
		e->data[i] = alloc_buf(e, PAGE);
		memset(e->data[i].cpu, 0xA0 + i, PAGE);
	}
	/* SSID 0 (A set) and 2: VA_USER -> data 0, 1 (read-only at +2 pages: data 2). */
	for (unsigned c = 0; c < 2; c++) {
		uint32_t ssid = c ? 2 : 0;

		e->root[ssid] = alloc_buf(e, PAGE);
		hand_map(e, e->root[ssid].pa, VA_USER, e->data[0].pa | PTE_PAGE);
		hand_map(e, e->root[ssid].pa, VA_USER + PAGE, e->data[1].pa | PTE_PAGE);
		hand_map(e, e->root[ssid].pa, VA_USER + 2 * PAGE,
			 e->data[2].pa | PTE_PAGE | PTE_RO);
		hand_cd(e, ssid, e->root[ssid].pa, ssid == 0);
	}

	npu_sim_write64(e->s, 0, R_STRTAB, 1ull << 62 | e->strtab.pa);
	wr32(e, R_STRTAB_CFG, 2);
	npu_sim_write64(e->s, 0, R_CMDQ_BASE, 1ull << 62 | e->cmdq.pa | 4);
	npu_sim_write64(e->s, 0, R_EVTQ_BASE, 1ull << 62 | e->evtq.pa | 4);
	wr32(e, R_IRQ_CTRL, 0x5);
	wr32(e, R_CR0, CR0_ON);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	npu_sim_destroy(e->s);
	free(e);
	return 0;
}

static int dev_access(struct env *e, uint32_t ssid, uint64_t va, void *buf, size_t len, bool write)
{
	int ret;

	pthread_mutex_lock(&e->s->lock);
	ret = sim_mmu_access(e->s, ssid, va, buf, len, write);
	pthread_mutex_unlock(&e->s->lock);
	return ret;
}

/* Event record n as written by the model (word0 id/SSID, word1 stream, VA, fetch PA). */
static void expect_event(struct env *e, unsigned n, uint32_t id, uint32_t ssid, uint64_t va)
{
	const uint8_t *rec = e->evtq.cpu + (n % 16) * 32;

	assert_int_equal(npu_le32(rec) & 0xFF, id);
	assert_int_equal(npu_le32(rec) >> 12, ssid);
	assert_int_equal(npu_le32(rec + 4), 0); /* stream 0 */
	assert_int_equal(npu_le64(rec + 16), va);
}

static void test_registers(void **state)
{
	struct env *e = *state;
	uint64_t ge;

	assert_int_equal(rd32(e, R_IDR0), 0x080F3E0F);
	assert_int_equal(rd32(e, R_IDR1), 0x0E739D18);
	assert_int_equal(rd32(e, R_CR0ACK), CR0_ON);
	assert_int_equal(rd32(e, R_IRQ_ACK), 0x5);
	wr32(e, R_CR0, 0x8);
	assert_int_equal(rd32(e, R_CR0ACK), 0x8);
	wr32(e, R_IRQ_CTRL, 0);
	assert_int_equal(rd32(e, R_IRQ_ACK), 0);

	/* Bases: 64-bit and halves, reserved bits dropped; locked while their queue is on. */
	wr32(e, R_CR0, 0);
	npu_sim_write64(e->s, 0, R_CMDQ_BASE, UINT64_MAX);
	assert_int_equal(npu_sim_read64(e->s, 0, R_CMDQ_BASE), 0x400FFFFFFFFFFFFFull);
	wr32(e, R_CMDQ_BASE + 4, 0);
	assert_int_equal(npu_sim_read64(e->s, 0, R_CMDQ_BASE), 0xFFFFFFFFull);
	wr32(e, R_CR0, 0x8);
	ge = e->s->guest_errors;
	npu_sim_write64(e->s, 0, R_CMDQ_BASE, 0x1000);
	assert_int_equal(npu_sim_read64(e->s, 0, R_CMDQ_BASE), 0xFFFFFFFFull);
	assert_int_equal(e->s->guest_errors, ge + 1);

	/* EVTQ PROD/CONS at both offsets; PROD host-writable only while the queue is off. */
	wr32(e, R_EVTQ_PROD1, 5);
	assert_int_equal(rd32(e, R_EVTQ_PROD), 5);
	wr32(e, R_EVTQ_CONS, 3);
	assert_int_equal(rd32(e, R_EVTQ_CONS1), 3);
	wr32(e, R_CR0, 0x4);
	wr32(e, R_EVTQ_PROD, 0);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 5);
	/* Read-only and unknown offsets are survived. */
	wr32(e, R_CR0ACK, 0x1F);
	wr32(e, R_GERROR, 0x1);
	assert_int_equal(rd32(e, R_CR0ACK), 0x4);
	assert_int_equal(rd32(e, R_GERROR), 0);
	assert_int_equal(rd32(e, 0x200FF0), 0xFFFFFFFFu);

	pthread_mutex_lock(&e->s->lock);
	sim_mmu_reset(e->s);
	pthread_mutex_unlock(&e->s->lock);
	assert_int_equal(rd32(e, R_CR0ACK), 0);
	assert_int_equal(npu_sim_read64(e->s, 0, R_STRTAB), 0);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 0);
}

static void test_translate(void **state)
{
	struct env *e = *state;
	uint8_t buf[64], want[64];

	for (uint32_t ssid = 0; ssid <= 2; ssid += 2) {
		assert_int_equal(dev_access(e, ssid, VA_USER + 0x10, buf, sizeof(buf), false), 0);
		memset(want, 0xA0, sizeof(want));
		assert_memory_equal(buf, want, sizeof(buf));
		assert_int_equal(dev_access(e, ssid, VA_USER + 2 * PAGE + 8, buf, 8, false), 0);
		assert_int_equal(buf[0], 0xA2);
	}
	memcpy(buf, "written by the NPU", 19);
	assert_int_equal(dev_access(e, 2, VA_USER + PAGE + 0x100, buf, 19, true), 0);
	assert_memory_equal(e->data[1].cpu + 0x100, "written by the NPU", 19);
	assert_int_equal(e->s->mmu.faults, 0);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 0);
}

/* 0x20 bytes at VA_USER + 0xFF0: 16 from data page 0, 16 from page 1 (not adjacent in PA). */
static void test_cross_page(void **state)
{
	struct env *e = *state;
	uint8_t buf[0x20];

	e->data[0].cpu[0xFFF] = 0x11;
	e->data[1].cpu[0] = 0x22;
	assert_int_equal(dev_access(e, 2, VA_USER + 0xFF0, buf, sizeof(buf), false), 0);
	assert_int_equal(buf[15], 0x11);
	assert_int_equal(buf[16], 0x22);
	assert_int_equal(buf[31], 0xA1);
	memset(buf, 0x5A, sizeof(buf));
	assert_int_equal(dev_access(e, 2, VA_USER + PAGE + 0xFF8, buf, 0x10, true), -EACCES);
	assert_int_equal(e->data[1].cpu[0xFFF], 0x5A); /* first half went through */
	expect_event(e, 0, 0x13, 2, VA_USER + 2 * PAGE);
}

static void test_translation_fault(void **state)
{
	struct env *e = *state;
	uint8_t buf[16];

	e->s->host.icb_status = 0;
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED + 0x40, buf, sizeof(buf), false), -EFAULT);
	expect_event(e, 0, 0x10, 2, VA_UNMAPPED + 0x40);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 1);
	assert_true(e->s->host.icb_status & ICB_EVTQ);
	assert_int_equal(e->s->mmu.faults, 1);
	assert_int_equal(buf[0], 0); /* A clear: the faulting read reads as zero */

	/* SSID 0 has A set: aborted, the buffer untouched. At or above 2^48: translation fault. */
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(dev_access(e, 0, VA_UNMAPPED, buf, sizeof(buf), false), -EFAULT);
	assert_int_equal(buf[0], 0x77);
	expect_event(e, 1, 0x10, 0, VA_UNMAPPED);
	assert_int_equal(dev_access(e, 0, 1ull << 48 | VA_USER, buf, 4, false), -EFAULT);
	expect_event(e, 2, 0x10, 0, 1ull << 48 | VA_USER); /* no aliasing */

	/* Bad PTEs: no AF -> F_ACCESS; page bit clear -> F_TRANSLATION; no user bit -> perm. */
	hand_map(e, e->root[2].pa, VA_UNMAPPED, e->data[0].pa | (PTE_PAGE & ~0x400ull));
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED, buf, 4, false), -EFAULT);
	expect_event(e, 3, 0x12, 2, VA_UNMAPPED);
	hand_map(e, e->root[2].pa, VA_UNMAPPED, e->data[0].pa | (PTE_PAGE & ~0x2ull));
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED, buf, 4, false), -EFAULT);
	expect_event(e, 4, 0x10, 2, VA_UNMAPPED);
	hand_map(e, e->root[2].pa, VA_UNMAPPED, e->data[0].pa | (PTE_PAGE & ~0x40ull));
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED, buf, 4, false), -EACCES);
	expect_event(e, 5, 0x13, 2, VA_UNMAPPED);

	/* R clear in the CD: translation faults are not recorded, still counted. */
	npu_put_le64(e->cdtab.cpu + 2 * 64, npu_le64(e->cdtab.cpu + 2 * 64) & ~(1ull << 45));
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED + PAGE, buf, 4, false), -EFAULT);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 6);
	assert_int_equal(e->s->mmu.faults, 7);
}

static void test_permission(void **state)
{
	struct env *e = *state;
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	assert_int_equal(dev_access(e, 2, VA_USER + 2 * PAGE + 0x80, buf, sizeof(buf), true),
			 -EACCES);
	expect_event(e, 0, 0x13, 2, VA_USER + 2 * PAGE + 0x80);
	assert_int_equal(e->data[2].cpu[0x80], 0xA2);
	assert_int_equal(dev_access(e, 0, VA_USER + 2 * PAGE, buf, sizeof(buf), false), 0);
}

static void test_config_faults(void **state)
{
	struct env *e = *state;
	uint8_t buf[4];

	/* Invalid CD (SSID 3 was never written). */
	assert_int_equal(dev_access(e, 3, VA_USER, buf, 4, false), -EFAULT);
	expect_event(e, 0, 0x0A, 3, VA_USER);
	/* SSID beyond S1CDMAX (256 CDs). */
	assert_int_equal(dev_access(e, 256, VA_USER, buf, 4, false), -EFAULT);
	expect_event(e, 1, 0x08, 256, VA_USER);
	/* Table descriptor pointing outside memory: walk external abort at that entry. */
	npu_put_le64(e->root[2].cpu + 8 * 5, 0x1000 | 0x3);
	assert_int_equal(dev_access(e, 2, 5ull << 39, buf, 4, false), -EFAULT);
	expect_event(e, 2, 0x0B, 2, 5ull << 39);
	assert_int_equal(npu_le64(e->evtq.cpu + 2 * 32 + 24), 0x1000);
	/* Page outside memory. */
	hand_map(e, e->root[2].pa, VA_UNMAPPED, 0x7000 | PTE_PAGE);
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED, buf, 4, false), -EFAULT);
	expect_event(e, 3, 0x0B, 2, VA_UNMAPPED);
	/* STE invalid. */
	npu_put_le64(e->strtab.cpu, npu_le64(e->strtab.cpu) & ~1ull);
	assert_int_equal(dev_access(e, 2, VA_USER, buf, 4, false), -EFAULT);
	expect_event(e, 4, 0x04, 2, VA_USER);
	/* MMU off: the access fails, no event. */
	wr32(e, R_CR0, 0xC);
	assert_int_equal(dev_access(e, 0, VA_USER, buf, 4, false), -EFAULT);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 5);
	assert_int_equal(e->s->mmu.faults, 6);
}

static void put_cmd(struct env *e, unsigned slot, uint64_t d0, uint64_t d1)
{
	npu_put_le64(e->cmdq.cpu + slot * 16, d0);
	npu_put_le64(e->cmdq.cpu + slot * 16 + 8, d1);
}

static void test_cmdq(void **state)
{
	struct env *e = *state;
	/* SYNC, legacy form: CS=2 [13:12], MSH=3 [23:22], MSIATTR=0xF [27:24]. */
	const uint64_t sync_legacy = 0x46 | 2ull << 12 | 3ull << 22 | 0xFull << 24;

	put_cmd(e, 0, 0x04, 0x1F);	     /* CFGI_ALL */
	put_cmd(e, 1, 0x30, 0);		     /* TLBI_NSNH_ALL */
	put_cmd(e, 2, 0x11 | 5ull << 48, 0); /* TLBI_NH_ASID 5 */
	put_cmd(e, 3, 0x03, 0);		     /* CFGI_STE */
	put_cmd(e, 4, 0x05 | 2ull << 32, 0); /* CFGI_CD */
	put_cmd(e, 5, 0x46, 0);		     /* SYNC, current form */
	put_cmd(e, 6, sync_legacy, 0);
	wr32(e, R_CMDQ_PROD, 7);
	assert_int_equal(rd32(e, R_CMDQ_CONS), 7);

	/* Queued while CMDQEN is off: consumed when it comes on. Wraps past entry 15. */
	wr32(e, R_CR0, 0x5);
	for (unsigned i = 7; i < 18; i++)
		put_cmd(e, i % 16, 0x46, 0);
	wr32(e, R_CMDQ_PROD, 0x12);
	assert_int_equal(rd32(e, R_CMDQ_CONS), 7);
	wr32(e, R_CR0, CR0_ON);
	assert_int_equal(rd32(e, R_CMDQ_CONS), 0x12);

	/* Unknown opcode: CONS stops at it with ERR 1, GERROR.CMDQ active, ICB b7. */
	e->s->host.icb_status = 0;
	put_cmd(e, 2, 0x99, 0);
	put_cmd(e, 3, 0x46, 0);
	wr32(e, R_CMDQ_PROD, 0x14);
	assert_int_equal(rd32(e, R_CMDQ_CONS), 1u << 24 | 0x12);
	assert_int_equal((rd32(e, R_GERROR) ^ rd32(e, R_GERRORN)) & 1, 1);
	assert_true(e->s->host.icb_status & ICB_GERROR);
	/* Fixed and acknowledged: consumption resumes. */
	put_cmd(e, 2, 0x46, 0);
	wr32(e, R_GERRORN, rd32(e, R_GERROR));
	assert_int_equal(rd32(e, R_CMDQ_CONS), 0x14);

	/* A queue outside memory: ERR 2 (abort). */
	wr32(e, R_CR0, 0x5);
	npu_sim_write64(e->s, 0, R_CMDQ_BASE, 0x2000 | 4);
	wr32(e, R_CR0, CR0_ON);
	wr32(e, R_CMDQ_PROD, 0x15);
	assert_int_equal(rd32(e, R_CMDQ_CONS) >> 24, 2);
}

/* SYNC after the commands put in slots first..slot - 1, with PROD at slot + 1. */
static void run_cmds(struct env *e, unsigned slot)
{
	put_cmd(e, slot, 0x46, 0);
	wr32(e, R_CMDQ_PROD, slot + 1);
	assert_int_equal(rd32(e, R_CMDQ_CONS), slot + 1);
}

static uint8_t read_byte(struct env *e, uint32_t ssid)
{
	uint8_t b = 0;

	assert_int_equal(dev_access(e, ssid, VA_USER, &b, 1, false), 0);
	return b;
}

/*
 * The model keeps translations until the host invalidates them (docs/firmware-protocol.md
 * §5.2: after a map or an unmap, TLBI_NH_ASID(SSID) and SYNC): a page moved
 * or unmapped without it is still reached where it was; faults are not kept.
 */
static void test_tlb_invalidation(void **state)
{
	struct env *e = *state;
	uint8_t b;

	assert_int_equal(read_byte(e, 2), 0xA0);
	assert_int_equal(read_byte(e, 0), 0xA0);
	/* Moved to data page 1 without an invalidation: still page 0. */
	hand_map(e, e->root[2].pa, VA_USER, e->data[1].pa | PTE_PAGE);
	assert_int_equal(read_byte(e, 2), 0xA0);
	/* Another ASID's invalidation leaves it. */
	put_cmd(e, 0, 0x11 | 5ull << 48, 0);
	run_cmds(e, 1);
	assert_int_equal(read_byte(e, 2), 0xA0);
	/* TLBI_NH_ASID 2, the CD's ASID: the new page; SSID 0 keeps its own. */
	put_cmd(e, 2, 0x11 | 2ull << 48, 0);
	run_cmds(e, 3);
	assert_int_equal(read_byte(e, 2), 0xA1);
	assert_int_equal(read_byte(e, 0), 0xA0);
	/* Unmapped without an invalidation: still readable; after TLBI_NSNH_ALL, a fault. */
	hand_map(e, e->root[2].pa, VA_USER, 0);
	assert_int_equal(read_byte(e, 2), 0xA1);
	put_cmd(e, 4, 0x30, 0);
	run_cmds(e, 5);
	assert_int_not_equal(dev_access(e, 2, VA_USER, &b, 1, false), 0);
	assert_int_equal(e->s->mmu.faults, 1);
	/* The fault was not kept: mapped again (data page 2), reached without an invalidation. */
	hand_map(e, e->root[2].pa, VA_USER, e->data[2].pa | PTE_PAGE);
	assert_int_equal(read_byte(e, 2), 0xA2);
	/* CFGI_ALL drops everything too: SSID 0 (cached again) moved to page 1 is seen after it. */
	assert_int_equal(read_byte(e, 0), 0xA0);
	hand_map(e, e->root[0].pa, VA_USER, e->data[1].pa | PTE_PAGE);
	assert_int_equal(read_byte(e, 0), 0xA0);
	put_cmd(e, 6, 0x04, 0x1F);
	run_cmds(e, 7);
	assert_int_equal(read_byte(e, 0), 0xA1);
}

static void test_evtq_full(void **state)
{
	struct env *e = *state;
	uint64_t ge = e->s->guest_errors;
	uint8_t buf[4];

	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(dev_access(e, 2, VA_UNMAPPED + i * PAGE, buf, 4, false), -EFAULT);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 0x10); /* full: index 0, wrap bit set */
	expect_event(e, 15, 0x10, 2, VA_UNMAPPED + 15 * PAGE);

	/* One more: dropped, PROD.OVFLG toggles, the slot-0 record is kept. */
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED + 16 * PAGE, buf, 4, false), -EFAULT);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 0x80000010u);
	expect_event(e, 0, 0x10, 2, VA_UNMAPPED);
	assert_int_equal(e->s->mmu.faults, 17);
	assert_int_equal(e->s->guest_errors, ge + 1);

	/* The host drains: the next event lands in slot 0 again. */
	wr32(e, R_EVTQ_CONS1, 0x80000010u);
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED + 17 * PAGE, buf, 4, false), -EFAULT);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 0x80000011u);
	expect_event(e, 0, 0x10, 2, VA_UNMAPPED + 17 * PAGE);

	/* Event queue off: counted, not recorded, no interrupt. */
	e->s->host.icb_status = 0;
	wr32(e, R_CR0, 0x9);
	assert_int_equal(dev_access(e, 2, VA_UNMAPPED, buf, 4, false), -EFAULT);
	assert_int_equal(rd32(e, R_EVTQ_PROD1), 0x80000011u);
	assert_false(e->s->host.icb_status & ICB_EVTQ);
	assert_int_equal(e->s->mmu.faults, 19);
}

static int map_run(struct env *e, uint64_t va, size_t len, bool write, uint8_t **mem, size_t *run)
{
	int ret;

	pthread_mutex_lock(&e->s->lock);
	ret = sim_mmu_map_run(e->s, 2, va, len, write, mem, run);
	pthread_mutex_unlock(&e->s->lock);
	return ret;
}

/*
 * The copy engine's runs: pages that follow each other in physical memory,
 * across the 2 MiB boundary where a new level-3 table takes over (its own
 * entries, not the last table's, decide), ending at the first page that does
 * not follow, is unmapped, or refuses the access.
 */
static void test_runs(void **state)
{
	struct env *e = *state;
	const uint64_t va = 0xB0200000ull - 2 * PAGE; /* two pages each side of the boundary */
	struct buf mem = alloc_buf(e, 6 * PAGE);
	uint8_t *p;
	size_t run;

	for (unsigned i = 0; i < 4; i++)
		hand_map(e, e->root[2].pa, va + i * PAGE, (mem.pa + i * PAGE) | PTE_PAGE);
	assert_int_equal(map_run(e, va + 0x10, 4 * PAGE - 0x10, false, &p, &run), 0);
	assert_ptr_equal(p, mem.cpu + 0x10);
	assert_int_equal(run, 4 * PAGE - 0x10);
	assert_int_equal(map_run(e, va, 3 * PAGE + 1, true, &p, &run), 0);
	assert_int_equal(run, 3 * PAGE + 1);

	/* The fourth page elsewhere: the run ends before it. */
	hand_map(e, e->root[2].pa, va + 3 * PAGE, (mem.pa + 5 * PAGE) | PTE_PAGE);
	assert_int_equal(map_run(e, va, 4 * PAGE, false, &p, &run), 0);
	assert_int_equal(run, 3 * PAGE);
	assert_int_equal(map_run(e, va + 3 * PAGE, PAGE, false, &p, &run), 0);
	assert_ptr_equal(p, mem.cpu + 5 * PAGE);

	/* The second page read-only: a read runs on, a write stops before it. */
	hand_map(e, e->root[2].pa, va + PAGE, (mem.pa + PAGE) | PTE_PAGE | PTE_RO);
	assert_int_equal(map_run(e, va, 3 * PAGE, false, &p, &run), 0);
	assert_int_equal(run, 3 * PAGE);
	assert_int_equal(map_run(e, va, 3 * PAGE, true, &p, &run), 0);
	assert_int_equal(run, PAGE);

	/* The third (first above the boundary) unmapped: runs end before it; starting there faults. */
	hand_map(e, e->root[2].pa, va + 2 * PAGE, 0);
	assert_int_equal(map_run(e, va, 4 * PAGE, false, &p, &run), 0);
	assert_int_equal(run, 2 * PAGE);
	assert_int_equal(map_run(e, va + 2 * PAGE, PAGE, false, &p, &run), -EFAULT);
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_translate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cross_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_translation_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlb_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evtq_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
