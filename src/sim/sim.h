/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU: a device model of the 37xx and 40xx NPU with its
 * firmware, at the register, IPC, MMU and job level.
 *
 * It sees only what silicon sees: MMIO accesses to BAR0 (RegV) and BAR4
 * (RegB), and the DMA memory the driver gave it, which it reaches through its
 * own walk of the driver's MMU tables. Its firmware runs on its own thread,
 * like another CPU. The driver reaches it only through the platform interface
 * (src/platform/platform_sim.c); nothing here calls into the driver.
 */
#ifndef NPU_SIM_SIM_H
#define NPU_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/dma_caching.h"
#include "hw/gen.h"
#include "sim/sim_fault.h"

struct npu_sim;

struct npu_sim_config {
	enum npu_gen gen;	  /* NPU_GEN_37XX or NPU_GEN_40XX */
	enum npu_sim_fault fault; /* fault injection */
	size_t mem_size;	  /* bytes of "physical" DMA memory; 0: 256 MiB */
	/*
	 * The firmware image the model's firmware is (its ROM): the model checks
	 * that the driver loaded exactly this image's image section and started
	 * it at its entry point. NULL: the built-in synthetic image.
	 */
	const uint8_t *fw_file;
	size_t fw_file_size;
	/*
	 * How long the firmware polls its doorbells and IPC FIFO after its last
	 * piece of work before it sleeps until the next kick, in µs: a job rung
	 * inside the window starts without a wake-up. 0: NPU_SIM_POLL_US_DEFAULT;
	 * NPU_SIM_POLL_NONE: it sleeps at once.
	 */
	uint32_t poll_us;
	/*
	 * Record what the driver gives the model into this folder (sim_rec.h,
	 * docs/virtual-npu.md); NULL: no recording.
	 */
	const char *record_dir;
};

#define NPU_SIM_POLL_US_DEFAULT 1000u
#define NPU_SIM_POLL_NONE	UINT32_MAX

int npu_sim_create(const struct npu_sim_config *cfg, struct npu_sim **out);
void npu_sim_destroy(struct npu_sim *sim);

/* MMIO, as the bus delivers it. Offsets outside a BAR read 0xFFFFFFFF. */
uint32_t npu_sim_read32(struct npu_sim *sim, unsigned bar, uint64_t off);
void npu_sim_write32(struct npu_sim *sim, unsigned bar, uint64_t off, uint32_t val);
uint64_t npu_sim_read64(struct npu_sim *sim, unsigned bar, uint64_t off);
void npu_sim_write64(struct npu_sim *sim, unsigned bar, uint64_t off, uint64_t val);

/*
 * DMA memory: zeroed, 4 KiB aligned; addr is the "physical" address.
 * npu_sim_dma_alloc gives a write-through (write-combined) buffer: the CPU's
 * stores are the device's. npu_sim_dma_alloc_cached with NPU_DMA_WB gives a
 * write-back one, whose CPU view reaches a non-snooping device only through
 * npu_sim_dma_sync (docs/simulator.md, "Non-coherent memory").
 */
int npu_sim_dma_alloc(struct npu_sim *sim, size_t size, void **cpu, uint64_t *addr);
int npu_sim_dma_alloc_cached(struct npu_sim *sim, size_t size, enum npu_dma_caching caching,
			     void **cpu, uint64_t *addr);
/*
 * The CPU's cache maintenance over [cpu, cpu + len) of a buffer: to_device
 * writes its cached view back to memory (clflush), else memory replaces the
 * cached view (an invalidate). Write-through buffers: nothing to do. 0.
 */
int npu_sim_dma_sync(struct npu_sim *sim, const void *cpu, size_t len, bool to_device);
void npu_sim_dma_free(struct npu_sim *sim, uint64_t addr);
/*
 * Backs the buffer at cpu (size bytes, from npu_sim_dma_alloc) with a memfd
 * mapped over the same place of the arena, its contents kept: the device and
 * every process that maps the fd see one memory. Returns the fd or -errno.
 * npu_sim_dma_unshare puts private memory back (zeroed) and closes the fd.
 */
int npu_sim_dma_share(struct npu_sim *sim, void *cpu, size_t size);
void npu_sim_dma_unshare(struct npu_sim *sim, void *cpu, size_t size, int fd);
/* Bytes of the DMA arena. */
size_t npu_sim_mem_size(const struct npu_sim *sim);

/*
 * The built-in synthetic firmware file (sim/fw_synth.h) the model runs when it
 * was given none: *data is the model's own copy, valid until npu_sim_destroy.
 * -ENOENT when the model runs a file it was given.
 */
int npu_sim_builtin_fw(const struct npu_sim *sim, const uint8_t **data, size_t *size);

/*
 * The interrupt (the device's MSI). The fd is readable while the line is
 * asserted and not yet acknowledged, except while a host spins: a host
 * that watches for it without sleeping brackets its watch with
 * npu_sim_irq_spin(on) and (off) and calls npu_sim_irq_take, a look at one
 * word and no register access, which takes the interrupt when it has come
 * (the host then services it, ending with GLOBAL_INT_MASK cleared, which
 * sends it again for anything still pending); the model skips the eventfd
 * write meanwhile, and makes it at the end of the watch for an interrupt
 * not yet taken. npu_sim_irq_ack, after a service woken by the fd, lowers
 * the line and signals again if a source is still pending.
 * npu_sim_irq_pending looks without taking (for tests).
 */
int npu_sim_irq_fd(struct npu_sim *sim);
void npu_sim_irq_ack(struct npu_sim *sim);
bool npu_sim_irq_take(struct npu_sim *sim);
bool npu_sim_irq_pending(struct npu_sim *sim);
void npu_sim_irq_spin(struct npu_sim *sim, bool on);

/*
 * Lunar Lake and later: PCODE asks for duty-cycle throttling (DCT, docs/hardware.md §2.2,
 * docs/firmware-protocol.md §6.3): the request goes into PCODE_MAILBOX_SHADOW (CMD 2,
 * PARAM1 1 enable / 0 disable) and INTERRUPT_STAT.SURV_ERR is raised. -EOPNOTSUPP on 37xx.
 */
int npu_sim_dct_request(struct npu_sim *sim, bool enable);

/* BAR sizes the model decodes. */
#define NPU_SIM_BAR0_SIZE 0x08000000u /* 128 MiB: covers doorbell 255 (0x063FF000) */
#define NPU_SIM_BAR4_SIZE 0x00001000u /* 4 KiB: covers the LNL buttress (0x17C) */

/* Base of the "physical" address space of the DMA arena (never 0, above 4 GiB). */
#define NPU_SIM_MEM_BASE 0x100000000ull

#endif
