/* SPDX-License-Identifier: MIT */
/*
 * The fake kernel's pcid channel: requests decoded and responses encoded in
 * bincode by hand, independently of src/redox/pcid.c, from the layouts of
 * docs/redox.md (Redox interfaces: pcid requests and answers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"
#include "hw/pci_ids.h"
#include "sim/sim.h"

#define FK_BAR0_ADDR 0x4010000000ull
#define FK_BAR4_ADDR 0x4018000000ull
#define FK_BAR2_ADDR 0x4017000000ull
#define FK_LEGACY    11u

struct wr {
	uint8_t b[512];
	size_t n;
};

static void w8(struct wr *w, uint8_t v)
{
	w->b[w->n++] = v;
}

static void wn(struct wr *w, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		w8(w, (uint8_t)(v >> (8 * i)));
}

static uint64_t rn(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void config(struct wr *w)
{
	uint16_t dev = fk.cfg.gen == NPU_GEN_40XX ? NPU_PCI_DEVICE_LNL : NPU_PCI_DEVICE_MTL;

	wn(w, 1, 4);				      /* Config */
	wn(w, 0, 2), w8(w, 0), w8(w, 0x0b), w8(w, 0); /* 0000:00:0b.0 */
	for (unsigned i = 0; i < 6; i++) {
		if (i == 0 || i == 4) { /* Memory64 */
			wn(w, 2, 4);
			wn(w, i == 0 ? FK_BAR0_ADDR : FK_BAR4_ADDR, 8);
			wn(w, i == 0 ? NPU_SIM_BAR0_SIZE : NPU_SIM_BAR4_SIZE, 8);
		} else if (i == FK_MSIX_BAR && fk.cfg.msix) { /* the MSI-X table's */
			wn(w, 2, 4);
			wn(w, FK_BAR2_ADDR, 8);
			wn(w, FK_MSIX_BAR_SIZE, 8);
		} else {
			wn(w, 0, 4); /* None; 1 and 5 are the upper halves */
		}
	}
	w8(w, 0);		    /* rom: None */
	w8(w, 1), w8(w, FK_LEGACY); /* legacy line: Some { irq, phandled: None } */
	w8(w, 0);
	wn(w, NPU_PCI_VENDOR_INTEL, 2), wn(w, dev, 2);
	w8(w, 0x12), w8(w, 0x00), w8(w, 0x00), w8(w, 4); /* class, subclass, interface, rev */
}

static void error(struct wr *w)
{
	fk.st.pcid_bad_requests++;
	wn(w, 6, 4); /* Error(InvalidBitPattern) */
	wn(w, 1, 4);
}

/* SetFeatureInfo(Msi{ Some(0), Some{addr, data}, None }) is what npud sends. */
static void set_feature_info(struct wr *w, const uint8_t *p, size_t len)
{
	if (len != 4 + 4 + 2 + 13 + 1 || rn(p + 4, 4) != 0 || p[8] != 1 || p[9] != 0 ||
	    p[10] != 1 || p[23] != 0) {
		error(w);
		return;
	}
	fk.st.msi_addr = rn(p + 11, 8);
	fk.st.msi_data = (uint32_t)rn(p + 19, 4);
	wn(w, 8, 4);
	wn(w, 0, 4);
}

size_t fk_pcid_write(struct fk_fd *f, const uint8_t *req, size_t len)
{
	struct wr w = { .n = 8 };
	uint32_t tag;

	if (f->rsp)
		return (size_t)0 - EINVAL; /* the last response was not read */
	if (len < 4)
		return (size_t)0 - EINVAL;
	tag = (uint32_t)rn(req, 4);
	if (tag == 0 && len == 4) {
		wn(&w, 0, 4);
	} else if (tag == 1 && len == 4) {
		config(&w);
	} else if (tag == 2 && len == 4) { /* AllFeatures: Msi = 0, MsiX = 1 */
		wn(&w, 2, 4);
		wn(&w, (uint64_t)!fk.cfg.no_msi + fk.cfg.msix, 8);
		if (!fk.cfg.no_msi)
			wn(&w, 0, 4);
		if (fk.cfg.msix)
			wn(&w, 1, 4);
	} else if (tag == 4 && len == 8) { /* EnableFeature */
		uint32_t feat = (uint32_t)rn(req + 4, 4);

		if (feat == 0 && !fk.cfg.no_msi && fk.st.msi_addr) {
			fk.st.msi_enabled = true;
			wn(&w, 4, 4);
			wn(&w, feat, 4);
		} else if (feat == 1 && fk.cfg.msix && !fk.st.msi_enabled) {
			fk.st.msix_enabled = true;
			fk.st.msix_masked_at_enable = true;
			for (unsigned i = 0; i < FK_MSIX_ENTRIES; i++)
				fk.st.msix_masked_at_enable &= (fk.msix_table[i * 4 + 3] & 1u) != 0;
			wn(&w, 4, 4);
			wn(&w, feat, 4);
		} else {
			error(&w);
		}
	} else if (tag == 5 && len == 8 && rn(req + 4, 4) == 1 && fk.cfg.msix) {
		/* FeatureInfo(MsiX, MsiX(MsixInfo { table_bar, table_offset, table_size, pba_bar,
		 * pba_offset })) (base driver_interface/msi.rs) */
		wn(&w, 7, 4);
		wn(&w, 1, 4);
		wn(&w, 1, 4);
		w8(&w, FK_MSIX_BAR), wn(&w, 0, 4), wn(&w, FK_MSIX_ENTRIES, 2);
		w8(&w, FK_MSIX_BAR), wn(&w, FK_MSIX_PBA, 4);
	} else if (tag == 6) {
		set_feature_info(&w, req, len);
	} else {
		error(&w);
	}
	f->rsp = malloc(w.n);
	if (!f->rsp)
		return (size_t)0 - ENOMEM;
	memcpy(w.b, &(uint64_t){ w.n - 8 }, 8);
	memcpy(f->rsp, w.b, w.n);
	f->rsp_len = w.n;
	f->rsp_at = 0;
	return len;
}

size_t fk_pcid_read(struct fk_fd *f, uint8_t *buf, size_t len)
{
	size_t n;

	if (!f->rsp)
		return (size_t)0 - EINVAL;
	n = f->rsp_len - f->rsp_at;
	if (n > len)
		n = len;
	memcpy(buf, f->rsp + f->rsp_at, n);
	f->rsp_at += n;
	if (f->rsp_at == f->rsp_len) {
		free(f->rsp);
		f->rsp = NULL;
	}
	return n;
}
