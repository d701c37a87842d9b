/* SPDX-License-Identifier: MIT */
/*
 * The platform backend over the simulated NPU (src/sim/): register accesses
 * are trapped and delivered to the device model, DMA memory comes from its
 * arena, the interrupt is its eventfd. Files, clock and sleep are the host's.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hw/pci_ids.h"
#include "platform/backends.h"
#include "platform/host.h"
#include "sim/sim.h"
#include "util/log.h"

#define SIM_PAGE_SIZE	 4096u
#define SIM_PCI_REVISION 4u /* LNL B0 and the usual MTL stepping (docs/hardware.md §1) */

struct sim_platform {
	struct npu_platform base; /* first: the ops get back with container_of */
	struct npu_sim *sim;
};

#define to_sim_platform(p) \
	((struct sim_platform *)((char *)(p)-offsetof(struct sim_platform, base)))

static struct npu_sim *sim_of(struct npu_platform *p)
{
	return to_sim_platform(p)->sim;
}

static uint32_t sim_read32(struct npu_platform *p, unsigned bar, uint64_t off)
{
	return npu_sim_read32(sim_of(p), bar, off);
}

static void sim_write32(struct npu_platform *p, unsigned bar, uint64_t off, uint32_t val)
{
	npu_sim_write32(sim_of(p), bar, off, val);
}

static uint64_t sim_read64(struct npu_platform *p, unsigned bar, uint64_t off)
{
	return npu_sim_read64(sim_of(p), bar, off);
}

static void sim_write64(struct npu_platform *p, unsigned bar, uint64_t off, uint64_t val)
{
	npu_sim_write64(sim_of(p), bar, off, val);
}

static int sim_dma_alloc(struct npu_platform *p, size_t size, enum npu_dma_caching caching,
			 struct npu_dma *out)
{
	size_t rounded;
	int ret;

	if (!out || size == 0)
		return -EINVAL;
	if (size > SIZE_MAX - (SIM_PAGE_SIZE - 1))
		return -ENOMEM;
	rounded = (size + SIM_PAGE_SIZE - 1) & ~(size_t)(SIM_PAGE_SIZE - 1);
	ret = npu_sim_dma_alloc_cached(sim_of(p), rounded, caching, &out->cpu, &out->addr);
	if (ret) {
		out->cpu = NULL;
		return ret;
	}
	out->size = rounded;
	out->handle = 0;
	return 0;
}

static void sim_dma_free(struct npu_platform *p, struct npu_dma *dma)
{
	if (!dma || !dma->cpu)
		return;
	if (dma->handle)
		npu_sim_dma_unshare(sim_of(p), dma->cpu, dma->size, (int)(dma->handle - 1));
	dma->handle = 0;
	npu_sim_dma_free(sim_of(p), dma->addr);
	dma->cpu = NULL;
	dma->addr = 0;
	dma->size = 0;
}

/* The model's CPU caches: a flush or invalidate of the range, as clflush on silicon. */
static void sim_dma_sync(struct npu_platform *p, const struct npu_dma *dma, size_t off, size_t len,
			 enum npu_dma_dir dir)
{
	if (!dma || !dma->cpu || off >= dma->size)
		return;
	if (len > dma->size - off)
		len = dma->size - off;
	npu_sim_dma_sync(sim_of(p), (const uint8_t *)dma->cpu + off, len, dir == NPU_DMA_TO_DEVICE);
}

/* The buffer's memfd, kept in its handle as fd + 1 (0: not shared). */
static int sim_dma_share(struct npu_platform *p, struct npu_dma *dma)
{
	int fd;

	if (dma->handle)
		return (int)(dma->handle - 1);
	fd = npu_sim_dma_share(sim_of(p), dma->cpu, dma->size);
	if (fd < 0)
		return fd;
	dma->handle = (uintptr_t)fd + 1;
	return fd;
}

static int sim_irq_fd(struct npu_platform *p)
{
	return npu_sim_irq_fd(sim_of(p));
}

static void sim_irq_ack(struct npu_platform *p)
{
	npu_sim_irq_ack(sim_of(p));
}

static bool sim_irq_take(struct npu_platform *p)
{
	return npu_sim_irq_take(sim_of(p));
}

static void sim_irq_spin(struct npu_platform *p, bool on)
{
	npu_sim_irq_spin(sim_of(p), on);
}

static int sim_builtin_firmware(struct npu_platform *p, uint8_t **data, size_t *size)
{
	const uint8_t *rom;
	size_t n;
	int ret = npu_sim_builtin_fw(sim_of(p), &rom, &n);

	if (ret)
		return ret;
	*data = malloc(n);
	if (!*data)
		return -ENOMEM;
	memcpy(*data, rom, n);
	*size = n;
	return 0;
}

static void sim_close(struct npu_platform *p)
{
	struct sim_platform *sp = to_sim_platform(p);

	npu_dma_regions_release(p);
	npu_sim_destroy(sp->sim);
	free(sp);
}

static const struct npu_platform_ops sim_ops;

struct npu_sim *npu_platform_sim_model(struct npu_platform *p)
{
	return (p && p->ops == &sim_ops) ? sim_of(p) : NULL;
}

static const struct npu_platform_ops sim_ops = {
	.name = "sim",
	.read32 = sim_read32,
	.write32 = sim_write32,
	.read64 = sim_read64,
	.write64 = sim_write64,
	.dma_alloc = sim_dma_alloc,
	.dma_free = sim_dma_free,
	.dma_sync = sim_dma_sync,
	.dma_share = sim_dma_share,
	.irq_fd = sim_irq_fd,
	.irq_ack = sim_irq_ack,
	.irq_take = sim_irq_take,
	.irq_spin = sim_irq_spin,
	.read_file = npu_host_read_file,
	.builtin_firmware = sim_builtin_firmware,
	.now_ns = npu_host_now_ns,
	.delay_us = npu_host_delay_us,
	.close = sim_close,
};

/*
 * NPU_SIM_POLL_US: how long the simulated firmware polls for work before it
 * sleeps (0: it never polls). Unset or not a number up to 1 s: the default.
 */
static uint32_t sim_poll_us(void)
{
	const char *v = getenv("NPU_SIM_POLL_US");
	char *end;
	unsigned long us;

	if (!v || !*v)
		return 0;
	errno = 0;
	us = strtoul(v, &end, 10);
	if (errno || *end || us > 1000000ul || v[0] == '-') {
		npu_warn(SIM, "NPU_SIM_POLL_US=%s is not 0 to 1000000: the default (%u us)", v,
			 NPU_SIM_POLL_US_DEFAULT);
		return 0;
	}
	return us ? (uint32_t)us : NPU_SIM_POLL_NONE;
}

int npu_platform_sim_open(const struct npu_platform_config *cfg, enum npu_gen gen,
			  struct npu_platform **out)
{
	struct npu_sim_config sc = { 0 };
	struct sim_platform *sp;
	struct npu_platform_pci *pci;
	const struct npu_pci_model *model;
	uint16_t device;
	int ret;

	if (gen == NPU_GEN_37XX)
		device = NPU_PCI_DEVICE_MTL;
	else if (gen == NPU_GEN_40XX)
		device = NPU_PCI_DEVICE_LNL;
	else
		return -EOPNOTSUPP;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sc.gen = gen;
	sc.fault = cfg->fault;
	sc.fw_file = cfg->sim_fw_file;
	sc.fw_file_size = cfg->sim_fw_file_size;
	sc.poll_us = sim_poll_us();
	/* NPU_SIM_RECORD=DIR: the model records what the driver gives it (docs/virtual-npu.md). */
	sc.record_dir = getenv("NPU_SIM_RECORD");
	if (sc.record_dir && !*sc.record_dir)
		sc.record_dir = NULL;
	ret = npu_sim_create(&sc, &sp->sim);
	if (ret) {
		free(sp);
		return ret;
	}

	model = npu_pci_model_lookup(device);
	sp->base.ops = &sim_ops;
	sp->base.simulated = true;
	sp->base.dma_mem_size = npu_sim_mem_size(sp->sim);
	pci = &sp->base.pci;
	strcpy(pci->bdf, "sim");
	pci->vendor = NPU_PCI_VENDOR_INTEL;
	pci->device = device;
	pci->revision = SIM_PCI_REVISION;
	pci->gen = gen;
	pci->platform = model ? model->platform : "unknown";
	pci->bar_size[NPU_PCI_BAR_REGV] = NPU_SIM_BAR0_SIZE;
	pci->bar_size[NPU_PCI_BAR_REGB] = NPU_SIM_BAR4_SIZE;
	npu_dbg(SIM, "simulated %s NPU (%s, fault %s)", npu_gen_name(gen), pci->platform,
		npu_sim_fault_name(cfg->fault));
	*out = &sp->base;
	return 0;
}
