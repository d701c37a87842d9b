/* SPDX-License-Identifier: MIT */
/*
 * The NPU's interrupt on Redox, chosen as upstream's drivers choose it (base
 * `drivers/pcid/src/driver_interface/irq_helpers.rs:
 * pci_allocate_interrupt_vector`): MSI-X when the function has it, else
 * MSI, else its legacy line. An MSI or MSI-X message goes to a vector of
 * the BSP taken from the irq scheme (`/scheme/irq/cpu-XX/<n>`, O_CREAT:
 * the first free one).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "redox/platform_internal.h"
#include "redox/redox_shim.h"
#include "util/log.h"

#define MSIX_ENTRY_SIZE	 16u
#define MSIX_ADDR_LO	 0u
#define MSIX_ADDR_HI	 4u
#define MSIX_DATA	 8u
#define MSIX_VEC_CTL	 12u
#define MSIX_VEC_MASKED	 1u    /* vector control bit 0 */
#define MSIX_ENTRIES_MAX 2048u /* the capability's table size field holds N - 1 in 11 bits */

/* A free vector on the BSP, opened: its fd, the BSP's APIC id and the vector's number. */
static int alloc_vector(size_t *fd_out, uint8_t *cpu, uint32_t *vector)
{
	uint8_t bsp[8] = { 0 };
	char path[48];
	size_t fd, r;

	fd = npu_redox_open_path(REDOX_PATH_IRQ_BSP, REDOX_O_RDONLY);
	if (redox_is_err(fd))
		return -redox_errno(fd);
	r = redox_read_v1(fd, bsp, sizeof(bsp));
	redox_close_v1(fd);
	if (redox_is_err(r) || r < 4)
		return redox_is_err(r) ? -redox_errno(r) : -EIO;
	for (unsigned n = REDOX_IRQ_FIRST_DYNAMIC; n <= REDOX_IRQ_LAST; n++) {
		snprintf(path, sizeof(path), "/scheme/irq/cpu-%02x/%u", bsp[0], n);
		fd = npu_redox_open_path(path, REDOX_O_RDWR | REDOX_O_CREAT);
		if (redox_errno(fd) == EEXIST)
			continue;
		if (redox_is_err(fd))
			return -redox_errno(fd);
		*fd_out = fd;
		*cpu = bsp[0];
		*vector = n + REDOX_IRQ_VECTOR_OFFSET;
		return 0;
	}
	npu_err(IRQ, "no free interrupt vector on CPU %u", bsp[0]);
	return -EBUSY;
}

static uint32_t msi_addr(uint8_t cpu)
{
	return REDOX_MSI_ADDR_BASE | ((uint32_t)cpu << 12);
}

static int setup_msi(struct redox_platform *rp)
{
	uint32_t vector = 0;
	uint8_t cpu = 0;
	size_t fd = NO_FD;
	int ret = alloc_vector(&fd, &cpu, &vector);

	if (ret)
		return ret;
	ret = npu_pcid_enable_msi(rp->chan_fd, msi_addr(cpu), vector);
	if (ret) {
		redox_close_v1(fd);
		return ret;
	}
	rp->irq_fd = fd;
	npu_dbg(IRQ, "MSI vector %u on CPU %u", vector, cpu);
	return 0;
}

/*
 * MSI-X as pcid's helpers do it (base `driver_interface/msi.rs:
 * map_and_mask_all`, `MsixTableEntry`): the table's BAR mapped, every entry
 * masked, MSI-X enabled, then entry 0 given the vector's address and data
 * and unmasked.
 */
static int setup_msix(struct redox_platform *rp)
{
	struct npu_pcid_msix info;
	volatile uint8_t *t, *e;
	uint64_t need;
	uint32_t vector = 0;
	uint8_t cpu = 0;
	size_t fd = NO_FD;
	int ret = npu_pcid_msix_info(rp->chan_fd, &info);

	if (ret)
		return ret;
	if (info.table_bar >= NPU_PLATFORM_BARS || !info.table_size ||
	    info.table_size > MSIX_ENTRIES_MAX || info.table_offset % 8) {
		npu_err(IRQ, "pcid's MSI-X table (BAR%u + 0x%x, %u entries) is not one",
			info.table_bar, info.table_offset, info.table_size);
		return -EPROTO;
	}
	need = (uint64_t)info.table_offset + (uint64_t)info.table_size * MSIX_ENTRY_SIZE;
	if (!rp->bar[info.table_bar])
		ret = npu_redox_map_bar(rp, info.table_bar, need);
	else if (rp->bar_len[info.table_bar] < need)
		ret = -EPROTO;
	if (ret)
		return ret;
	t = rp->bar[info.table_bar] + info.table_offset;
	for (unsigned i = 0; i < info.table_size; i++) {
		e = t + (size_t)i * MSIX_ENTRY_SIZE;
		npu_redox_mmio_write32(e + MSIX_VEC_CTL,
				       npu_redox_mmio_read32(e + MSIX_VEC_CTL) | MSIX_VEC_MASKED);
	}
	ret = npu_pcid_enable_feature(rp->chan_fd, NPU_PCID_MSIX);
	if (!ret)
		ret = alloc_vector(&fd, &cpu, &vector);
	if (ret)
		return ret;
	npu_redox_mmio_write32(t + MSIX_ADDR_LO, msi_addr(cpu));
	npu_redox_mmio_write32(t + MSIX_ADDR_HI, 0);
	npu_redox_mmio_write32(t + MSIX_DATA, vector);
	npu_redox_mmio_write32(t + MSIX_VEC_CTL,
			       npu_redox_mmio_read32(t + MSIX_VEC_CTL) & ~MSIX_VEC_MASKED);
	rp->irq_fd = fd;
	rp->msix_entry = t;
	npu_dbg(IRQ, "MSI-X entry 0 of %u (BAR%u): vector %u on CPU %u", info.table_size,
		info.table_bar, vector, cpu);
	return 0;
}

void npu_redox_irq_mask(struct redox_platform *rp)
{
	volatile uint8_t *e = rp->msix_entry;

	if (e)
		npu_redox_mmio_write32(e + MSIX_VEC_CTL,
				       npu_redox_mmio_read32(e + MSIX_VEC_CTL) | MSIX_VEC_MASKED);
	rp->msix_entry = NULL;
}

static int setup_legacy(struct redox_platform *rp)
{
	char path[48];
	size_t fd;

	if (!rp->cfg.has_legacy_irq) {
		npu_err(IRQ, "the NPU has neither MSI-X, MSI nor a legacy interrupt line");
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "/scheme/irq/%u", rp->cfg.legacy_irq);
	fd = npu_redox_open_path(path, REDOX_O_RDWR);
	if (redox_is_err(fd))
		return -redox_errno(fd);
	rp->irq_fd = fd;
	npu_dbg(IRQ, "legacy interrupt line %u", rp->cfg.legacy_irq);
	return 0;
}

int npu_redox_irq_setup(struct redox_platform *rp)
{
	bool msi = false, msix = false;
	int ret = npu_pcid_features(rp->chan_fd, &msi, &msix);

	if (ret)
		return ret;
	if (msix) {
		ret = setup_msix(rp);
		if (!ret || (!msi && !rp->cfg.has_legacy_irq))
			return ret;
		npu_warn(IRQ, "MSI-X could not be set up (%s); trying %s", strerror(-ret),
			 msi ? "MSI" : "the legacy line");
	}
	return msi ? setup_msi(rp) : setup_legacy(rp);
}
