/* SPDX-License-Identifier: MIT */
/*
 * The virtual NPU's PCI config space, as the silicon presents it
 * (docs/hardware.md §1): Intel's vendor ID, the generation's device ID and
 * revision, class 0x120000 (processing accelerator), a 64-bit memory BAR0
 * (RegV, the IP registers) and BAR4 (RegB, the buttress), the PCI Express
 * capability of a root complex integrated endpoint with function level
 * reset, MSI with one vector, and power management (D0 and D3hot).
 *
 * Writes keep the read-only bits (cfg_wmask), write-one-to-clear bits clear
 * (cfg_w1c), so that BAR sizing by writing all-ones reads back the size.
 * Setting Initiate Function Level Reset resets the model as a cold reset
 * does; D1 and D2 are not supported, a write asking for them is ignored.
 */
#include <string.h>

#include "hw/pci_ids.h"
#include "sim/sim.h"
#include "sim/sim_ctl.h"
#include "util/bytes.h"
#include "util/log.h"
#include "vfio/vu_dev.h"

/* Standard header (PCI Local Bus 3.0). */
#define CFG_COMMAND	  0x04u
#define CFG_STATUS	  0x06u
#define CFG_REVISION	  0x08u
#define CFG_CLASS	  0x09u /* 3 bytes: prog-if, subclass, class */
#define CFG_CACHE_LINE	  0x0Cu
#define CFG_BAR0	  0x10u
#define CFG_SUBSYS_VENDOR 0x2Cu
#define CFG_SUBSYS_ID	  0x2Eu
#define CFG_CAP_PTR	  0x34u
#define CFG_INT_LINE	  0x3Cu
#define CFG_INT_PIN	  0x3Du

#define CMD_IO		 0x0001u
#define CMD_MEM		 0x0002u
#define CMD_MASTER	 0x0004u
#define CMD_PARITY	 0x0040u
#define CMD_SERR	 0x0100u
#define CMD_INTX_DISABLE 0x0400u
#define STATUS_CAP_LIST	 0x0010u
#define STATUS_W1C	 0xF900u /* parity, aborts, SERR: RW1C */

#define BAR_MEM_64 0x4u

/* PCI Express capability, v2, root complex integrated endpoint (type 9). */
#define PCIE_CAP_ID	    0x10u
#define PCIE_FLAGS	    0x02u
#define PCIE_DEVCAP	    0x04u
#define PCIE_DEVCTL	    0x08u
#define PCIE_DEVSTA	    0x0Au
#define PCIE_CAP_SIZE	    0x3Cu
#define PCIE_FLAGS_V2_RCIEP 0x0092u
#define DEVCAP_RBER	    (1u << 15)
#define DEVCAP_FLR	    (1u << 28)
#define DEVCTL_RESET_VAL    0x2810u /* relaxed ordering, no snoop, max read request 512 */
#define DEVCTL_WMASK	    0x7FFFu
#define DEVCTL_FLR	    0x8000u
#define DEVSTA_W1C	    0x000Fu /* correctable, non-fatal, fatal, unsupported request */

/* MSI, 64-bit address, one vector, no per-vector masking. */
#define MSI_CAP_ID     0x05u
#define MSI_CTRL       0x02u
#define MSI_ADDR_LO    0x04u
#define MSI_ADDR_HI    0x08u
#define MSI_DATA       0x0Cu
#define MSI_CTRL_64    0x0080u
#define MSI_CTRL_WMASK 0x0071u /* enable, multiple message enable */

/* Power management v3: D0 and D3hot; No_Soft_Reset (D3hot to D0 keeps the state). */
#define PM_CAP_ID	    0x01u
#define PM_PMC		    0x02u
#define PM_PMCSR	    0x04u
#define PM_PMC_V3	    0x0003u
#define PMCSR_STATE	    0x0003u
#define PMCSR_NO_SOFT_RESET 0x0008u
#define PM_D0		    0u
#define PM_D3HOT	    3u

static void put16(struct vu_dev *d, unsigned off, uint16_t val, uint16_t wmask)
{
	npu_put_le16(d->cfg + off, val);
	npu_put_le16(d->cfg_wmask + off, wmask);
}

static void put32(struct vu_dev *d, unsigned off, uint32_t val, uint32_t wmask)
{
	npu_put_le32(d->cfg + off, val);
	npu_put_le32(d->cfg_wmask + off, wmask);
}

/* A 64-bit memory BAR of size bytes (a power of two, >= 16) at register index i. */
static void bar64(struct vu_dev *d, unsigned i, uint64_t size)
{
	uint64_t mask = ~(size - 1);

	d->bar_size[i] = size;
	put32(d, CFG_BAR0 + 4 * i, BAR_MEM_64, (uint32_t)mask & ~0xFu);
	put32(d, CFG_BAR0 + 4 * (i + 1), 0, (uint32_t)(mask >> 32));
}

void vu_pci_init(struct vu_dev *d)
{
	unsigned c;

	memset(d->cfg, 0, sizeof(d->cfg));
	memset(d->cfg_wmask, 0, sizeof(d->cfg_wmask));
	memset(d->cfg_w1c, 0, sizeof(d->cfg_w1c));
	memset(d->bar_size, 0, sizeof(d->bar_size));

	put16(d, 0x00, NPU_PCI_VENDOR_INTEL, 0);
	put16(d, 0x02, d->device_id, 0);
	put16(d, CFG_COMMAND, 0,
	      CMD_IO | CMD_MEM | CMD_MASTER | CMD_PARITY | CMD_SERR | CMD_INTX_DISABLE);
	put16(d, CFG_STATUS, STATUS_CAP_LIST, 0);
	npu_put_le16(d->cfg_w1c + CFG_STATUS, STATUS_W1C);
	d->cfg[CFG_REVISION] = d->revision;
	/* Class code 0x12 "processing accelerator", subclass 0, interface 0. */
	d->cfg[CFG_CLASS] = 0x00;
	d->cfg[CFG_CLASS + 1] = (uint8_t)(NPU_PCI_CLASS_ACCEL & 0xFF);
	d->cfg[CFG_CLASS + 2] = (uint8_t)(NPU_PCI_CLASS_ACCEL >> 8);
	d->cfg_wmask[CFG_CACHE_LINE] = 0xFF;

	bar64(d, NPU_PCI_BAR_REGV, NPU_SIM_BAR0_SIZE);
	bar64(d, NPU_PCI_BAR_REGB, NPU_SIM_BAR4_SIZE);

	put16(d, CFG_SUBSYS_VENDOR, NPU_PCI_VENDOR_INTEL, 0);
	put16(d, CFG_SUBSYS_ID, 0, 0);
	d->cfg[CFG_CAP_PTR] = VU_CAP_PCIE;
	d->cfg_wmask[CFG_INT_LINE] = 0xFF;
	d->cfg[CFG_INT_PIN] = 1; /* INTA# */

	c = VU_CAP_PCIE;
	d->cfg[c] = PCIE_CAP_ID;
	d->cfg[c + 1] = VU_CAP_MSI;
	put16(d, c + PCIE_FLAGS, PCIE_FLAGS_V2_RCIEP, 0);
	put32(d, c + PCIE_DEVCAP, DEVCAP_RBER | DEVCAP_FLR, 0);
	put16(d, c + PCIE_DEVCTL, DEVCTL_RESET_VAL, DEVCTL_WMASK);
	npu_put_le16(d->cfg_w1c + c + PCIE_DEVSTA, DEVSTA_W1C);

	c = VU_CAP_MSI;
	d->cfg[c] = MSI_CAP_ID;
	d->cfg[c + 1] = VU_CAP_PM;
	put16(d, c + MSI_CTRL, MSI_CTRL_64, MSI_CTRL_WMASK);
	put32(d, c + MSI_ADDR_LO, 0, 0xFFFFFFFCu);
	put32(d, c + MSI_ADDR_HI, 0, 0xFFFFFFFFu);
	put16(d, c + MSI_DATA, 0, 0xFFFFu);

	c = VU_CAP_PM;
	d->cfg[c] = PM_CAP_ID;
	d->cfg[c + 1] = 0;
	put16(d, c + PM_PMC, PM_PMC_V3, 0);
	put16(d, c + PM_PMCSR, PMCSR_NO_SOFT_RESET, PMCSR_STATE);
}

void vu_pci_read(struct vu_dev *d, uint64_t off, uint8_t *buf, uint32_t count)
{
	/* The caller checked off + count <= VU_CFG_SIZE. */
	memcpy(buf, d->cfg + off, count);
}

static unsigned pm_state(const struct vu_dev *d)
{
	return npu_le16(d->cfg + VU_CAP_PM + PM_PMCSR) & PMCSR_STATE;
}

bool vu_pci_mem_enabled(const struct vu_dev *d)
{
	return pm_state(d) == PM_D0;
}

bool vu_pci_intx_enabled(const struct vu_dev *d)
{
	return !(npu_le16(d->cfg + CFG_COMMAND) & CMD_INTX_DISABLE);
}

void vu_pci_write(struct vu_dev *d, uint64_t off, const uint8_t *buf, uint32_t count)
{
	unsigned old_pm = pm_state(d);
	bool flr = false;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t a = off + i;
		uint8_t v = buf[i], wm, old;

		if (a >= sizeof(d->cfg_wmask))
			continue; /* extended space: nothing writable */
		if (a == VU_CAP_PCIE + PCIE_DEVCTL + 1 && (v & (DEVCTL_FLR >> 8)))
			flr = true;
		wm = d->cfg_wmask[a];
		old = d->cfg[a];
		d->cfg[a] = (uint8_t)((old & ~wm) | (v & wm));
		d->cfg[a] &= (uint8_t) ~(v & d->cfg_w1c[a]);
	}

	/* D1 and D2 are not supported: a write asking for them leaves the state as it was. */
	if (pm_state(d) == 1 || pm_state(d) == 2) {
		uint16_t pmcsr = npu_le16(d->cfg + VU_CAP_PM + PM_PMCSR);

		npu_put_le16(d->cfg + VU_CAP_PM + PM_PMCSR,
			     (uint16_t)((pmcsr & ~PMCSR_STATE) | old_pm));
	}
	if (pm_state(d) != old_pm)
		npu_dbg(PCI, "virtual NPU now in D%s", pm_state(d) == PM_D0 ? "0" : "3hot");
	if (flr)
		vu_dev_reset(d, "function level reset");
}
