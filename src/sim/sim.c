/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU: creation, the bus (MMIO dispatch by BAR), the interrupt
 * line and the guest-error counter.
 *
 * BAR0 ("RegV") goes to the MMU's window (sim_mmu.c) or to the IP registers
 * (sim_ip.c); BAR4 ("RegB") goes to the buttress (sim_btrs.c) (docs/hardware.md §1).
 * As in a QEMU device model, an access silicon would not honour is logged as
 * a guest error and survived: reads give all-ones, writes are dropped.
 */
/* MAP_ANONYMOUS is not in POSIX 2008; glibc and relibc have it with _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE

#include "sim/sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/eventfd.h>
#endif

#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "sim/sim_internal.h"
#include "util/clock.h"
#include "util/log.h"

#define SIM_MEM_SIZE_DEFAULT (256u << 20)
#define SIM_ALL_ONES32	     0xFFFFFFFFu

uint64_t sim_now_ns(void)
{
	return npu_clock_ns();
}

void sim_guest_error(struct npu_sim *s, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	s->guest_errors++;
	if (!npu_log_enabled(NPU_LOG_DEBUG, NPU_CAT_SIM))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	npu_dbg(SIM, "guest error: %s", msg);
}

/* ---- interrupt line ---- */

static bool irq_level(const struct npu_sim *s)
{
	uint64_t icb = atomic_load_explicit(&s->host.icb_status, memory_order_seq_cst);

	/* GLOBAL_INT_MASK gates everything the buttress routes, the IP's ICB included (§2.6). */
	if (atomic_load_explicit(&s->host.global_mask, memory_order_seq_cst) & 1u)
		return false;
	return (icb & s->ip.icb_enable) != 0 || sim_btrs_pending(s) != 0;
}

static void irq_fd_write(struct npu_sim *s)
{
#if defined(__linux__)
	uint64_t one = 1;
	ssize_t n = write(s->irq_wfd, &one, sizeof(one));
#else
	uint8_t one = 1;
	ssize_t n = write(s->irq_wfd, &one, sizeof(one));
#endif
	/* A full eventfd or pipe is already readable, which is all a signal has to achieve. */
	if (n < 0 && errno != EAGAIN)
		npu_warn(SIM, "interrupt signal failed: %s", strerror(errno));
	/* After the write: an acknowledgement that drains sees this, or comes before it. */
	atomic_store_explicit(&s->host.fd_written, 1, memory_order_seq_cst);
}

/*
 * The MSI, delivered: host.msi set (host.msi went from 0 to 1 in the
 * caller), and the eventfd written unless a host is watching host.msi. Of
 * the firmware's store of msi then load of spinning, and a host's store of
 * spinning then load of msi (npu_sim_irq_spin), one sees the other: a host
 * that stops watching finds the MSI, or the eventfd is written.
 */
static void irq_signal(struct npu_sim *s)
{
	if (!atomic_load_explicit(&s->host.spinning, memory_order_seq_cst))
		irq_fd_write(s);
	if (SIM_RECORDING(s))
		sim_rec_event(s, SIM_REC_IRQ);
}

void sim_irq_drain(struct npu_sim *s)
{
	uint64_t buf[8];

	while (read(s->irq_fd, buf, sizeof(buf)) > 0) {
#if defined(__linux__)
		break; /* an eventfd read takes the whole count */
#endif
	}
}

/* A mirror the host reads without the lock, written only when it changes (its line stays put). */
static void mirror(atomic_uint *m, uint32_t v)
{
	if (atomic_load_explicit(m, memory_order_relaxed) != v)
		atomic_store_explicit(m, v, memory_order_seq_cst);
}

void sim_irq_update(struct npu_sim *s)
{
	bool level;

	/* Before the mask is read (irq_level): a host unmasking sees these, or is seen. */
	mirror(&s->host.btrs_stat, s->btrs.int_stat);
	mirror(&s->host.btrs_pending, sim_btrs_pending(s));
	if (atomic_load_explicit(&s->host.icb_enable, memory_order_relaxed) != s->ip.icb_enable)
		atomic_store_explicit(&s->host.icb_enable, s->ip.icb_enable, memory_order_seq_cst);
	level = irq_level(s);
	if (!level) {
		/* A falling line re-arms the edge, like an MSI re-sent when GLOBAL_INT_MASK is cleared. */
		if (atomic_load_explicit(&s->host.msi, memory_order_relaxed))
			atomic_store_explicit(&s->host.msi, 0, memory_order_seq_cst);
		return;
	}
	/* An exchange: a host clearing msi without the lock (npu_sim_irq_ack) is never undone. */
	if (atomic_load_explicit(&s->host.msi, memory_order_seq_cst) ||
	    atomic_exchange_explicit(&s->host.msi, 1, memory_order_seq_cst))
		return;
	npu_trace(SIM, "interrupt line raised (icb 0x%llx, btrs 0x%x)",
		  (unsigned long long)(atomic_load(&s->host.icb_status) & s->ip.icb_enable),
		  sim_btrs_pending(s));
	irq_signal(s);
}

void sim_icb_raise(struct npu_sim *s, uint64_t bits)
{
	atomic_fetch_or_explicit(&s->host.icb_status, bits, memory_order_seq_cst);
	sim_irq_update(s);
}

void sim_icb_clear(struct npu_sim *s, uint64_t bits)
{
	atomic_fetch_and_explicit(&s->host.icb_status, ~bits, memory_order_seq_cst);
}

void sim_irq_resend(struct npu_sim *s)
{
	atomic_store_explicit(&s->host.msi, 0, memory_order_seq_cst);
	sim_irq_update(s);
}

static int irq_open(struct npu_sim *s)
{
#if defined(__linux__)
	s->irq_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->irq_fd < 0)
		return -errno;
	s->irq_wfd = s->irq_fd;
	return 0;
#else
	int fds[2];

	if (pipe(fds) != 0)
		return -errno;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	s->irq_fd = fds[0];
	s->irq_wfd = fds[1];
	return 0;
#endif
}

static void irq_close(struct npu_sim *s)
{
	if (s->irq_wfd >= 0 && s->irq_wfd != s->irq_fd)
		close(s->irq_wfd);
	if (s->irq_fd >= 0)
		close(s->irq_fd);
	s->irq_fd = s->irq_wfd = -1;
}

int npu_sim_irq_fd(struct npu_sim *sim)
{
	return sim->irq_fd;
}

/*
 * Without the lock unless something is still pending: the host's clear of
 * msi, then its look at the sources, against sim_irq_update's raise of a
 * source, then its exchange of msi: one sees the other, so a source raised
 * meanwhile is signalled by one of the two (or both: a spurious interrupt,
 * which a service finds nothing in).
 */
void npu_sim_irq_ack(struct npu_sim *sim)
{
	bool written = atomic_exchange_explicit(&sim->host.fd_written, 0, memory_order_seq_cst);

	if (SIM_RECORDING(sim))
		sim_rec_event(sim, SIM_REC_IRQ_END);
	/*
	 * A host that slept on the fd always drains it: it may have woken
	 * between the firmware's write and its fd_written store. A host that
	 * watches msi (spinning) drains only what was written.
	 */
	if (written || !atomic_load_explicit(&sim->host.spinning, memory_order_seq_cst))
		sim_irq_drain(sim);
	atomic_store_explicit(&sim->host.msi, 0, memory_order_seq_cst);
	if (!sim_hostif_irq_due(sim))
		return;
	/* Still pending after the host serviced it: signal again. */
	sim_host_lock(sim);
	sim_irq_update(sim);
	pthread_mutex_unlock(&sim->lock);
}

bool npu_sim_irq_pending(struct npu_sim *sim)
{
	return atomic_load_explicit(&sim->host.msi, memory_order_acquire) != 0;
}

/*
 * The MSI taken as it is delivered: lowered before the service, whose
 * GLOBAL_INT_MASK clear at its end sends it again for anything still
 * pending (§2.6), so no look at the sources is needed here. Only what was
 * written to the eventfd is drained; the record's interrupt window ends at
 * that unmask, as for a guest.
 */
bool npu_sim_irq_take(struct npu_sim *sim)
{
	if (!atomic_load_explicit(&sim->host.msi, memory_order_acquire) ||
	    !atomic_exchange_explicit(&sim->host.msi, 0, memory_order_seq_cst))
		return false;
	if (atomic_load_explicit(&sim->host.fd_written, memory_order_relaxed) &&
	    atomic_exchange_explicit(&sim->host.fd_written, 0, memory_order_seq_cst))
		sim_irq_drain(sim);
	return true;
}

void npu_sim_irq_spin(struct npu_sim *sim, bool on)
{
	if (on) {
		atomic_fetch_add_explicit(&sim->host.spinning, 1, memory_order_seq_cst);
		return;
	}
	atomic_fetch_sub_explicit(&sim->host.spinning, 1, memory_order_seq_cst);
	/*
	 * An MSI that came while the host watched had no eventfd write: make
	 * it now, so that a host sleeping on the fd from here on still wakes
	 * for it. fd_written is no guide here: a take may have drained the
	 * count of an earlier write whose flag came after it. (Both this and
	 * the firmware may write: one more wake-up, which finds nothing.)
	 */
	if (atomic_load_explicit(&sim->host.msi, memory_order_seq_cst) &&
	    !atomic_load_explicit(&sim->host.spinning, memory_order_seq_cst))
		irq_fd_write(sim);
}

/* ---- lifecycle ---- */

int npu_sim_create(const struct npu_sim_config *cfg, struct npu_sim **out)
{
	struct npu_sim *s;
	size_t pages;
	int ret;

	if (!cfg || !out)
		return -EINVAL;
	*out = NULL;
	if (cfg->gen != NPU_GEN_37XX && cfg->gen != NPU_GEN_40XX)
		return -EOPNOTSUPP;

	/* Its lock and counters are cache-line aligned (sim_internal.h). */
	s = aligned_alloc(64, (sizeof(*s) + 63u) & ~(size_t)63u);
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->gen = cfg->gen;
	s->fault = cfg->fault;
	s->irq_fd = s->irq_wfd = -1;
	s->mem_size = cfg->mem_size ? cfg->mem_size : SIM_MEM_SIZE_DEFAULT;
	s->mem_size &= ~(size_t)0xFFF;
	if (s->mem_size == 0) {
		ret = -EINVAL;
		goto err_free;
	}
	ret = pthread_mutex_init(&s->lock, NULL);
	if (ret) {
		ret = -ret;
		goto err_free;
	}

	pages = s->mem_size >> 12;
	/*
	 * Page-aligned and zero-filled on first touch, as DMA memory is: CPU
	 * pointers into it keep the alignment of the device addresses.
	 */
	s->mem =
	    /* cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for */
	    mmap(NULL, s->mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED)
		s->mem = NULL;
	s->mem_map = calloc(pages, 1);
	if (!s->mem || !s->mem_map || sim_cache_init(s)) {
		ret = -ENOMEM;
		goto err_mem;
	}
	ret = irq_open(s);
	if (ret)
		goto err_mem;
	if (cfg->record_dir) {
		ret = sim_rec_open(s, cfg->record_dir);
		if (ret)
			goto err_irq;
	}

	s->created_ns = sim_now_ns();
	/* The firmware first: resetting the IP stops it, which needs it initialised. */
	ret = sim_fw_init(s, cfg);
	if (ret)
		goto err_irq;
	pthread_mutex_lock(&s->lock);
	sim_btrs_reset(s);
	sim_ip_reset(s);
	sim_mmu_reset(s);
	pthread_mutex_unlock(&s->lock);

	npu_dbg(SIM, "simulated %s NPU created: %zu MiB of DMA memory at 0x%llx, fault %s",
		npu_gen_name(s->gen), s->mem_size >> 20, (unsigned long long)NPU_SIM_MEM_BASE,
		npu_sim_fault_name(s->fault));
	*out = s;
	return 0;

err_irq:
	sim_rec_close(s);
	irq_close(s);
err_mem:
	sim_cache_fini(s);
	free(s->mem_map);
	if (s->mem)
		munmap(s->mem, s->mem_size);
	pthread_mutex_destroy(&s->lock);
err_free:
	free(s);
	return ret;
}

void npu_sim_destroy(struct npu_sim *sim)
{
	if (!sim)
		return;
	sim_fw_fini(sim);
	sim_rec_close(sim);
	if (sim->guest_errors)
		npu_dbg(SIM, "destroyed after %llu guest errors",
			(unsigned long long)sim->guest_errors);
	irq_close(sim);
	sim_cache_fini(sim);
	free(sim->mem_map);
	munmap(sim->mem, sim->mem_size);
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}

/* ---- the bus ---- */

static uint64_t bar_size(unsigned bar)
{
	if (bar == NPU_PCI_BAR_REGV)
		return NPU_SIM_BAR0_SIZE;
	if (bar == NPU_PCI_BAR_REGB)
		return NPU_SIM_BAR4_SIZE;
	return 0;
}

/* Whether a width-byte access at off decodes to a register: inside the BAR, naturally 4-aligned. */
static bool access_ok(struct npu_sim *s, unsigned bar, uint64_t off, unsigned width, char dir)
{
	uint64_t size = bar_size(bar);

	if (size == 0 || off >= size || size - off < width || (off & 3)) {
		sim_guest_error(s, "%c%u of BAR%u offset 0x%llx: outside any register", dir,
				width * 8, bar, (unsigned long long)off);
		return false;
	}
	return true;
}

static uint32_t bus_read32(struct npu_sim *s, unsigned bar, uint64_t off)
{
	if (bar == NPU_PCI_BAR_REGB)
		return sim_btrs_read32(s, off);
	if (sim_mmu_owns(off))
		return sim_mmu_read32(s, off);
	return sim_ip_read32(s, off);
}

static void bus_write32(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t val)
{
	if (bar == NPU_PCI_BAR_REGB)
		sim_btrs_write32(s, off, val);
	else if (sim_mmu_owns(off))
		sim_mmu_write32(s, off, val);
	else
		sim_ip_write32(s, off, val);
}

uint32_t npu_sim_read32(struct npu_sim *sim, unsigned bar, uint64_t off)
{
	uint32_t val = SIM_ALL_ONES32;

	if (!sim_hostif_read32(sim, bar, off, &val)) {
		sim_host_lock(sim);
		if (access_ok(sim, bar, off, 4, 'R'))
			val = bus_read32(sim, bar, off);
		if (sim->fault == NPU_SIM_FAULT_DEAD_MMIO)
			val = SIM_ALL_ONES32;
		pthread_mutex_unlock(&sim->lock);
	}
	if (SIM_RECORDING(sim))
		sim_rec_reg(sim, 'R', 32, bar, off, val);
	return val;
}

void npu_sim_write32(struct npu_sim *sim, unsigned bar, uint64_t off, uint32_t val)
{
	if (SIM_RECORDING(sim))
		sim_rec_reg(sim, 'W', 32, bar, off, val);
	if (sim_hostif_write32(sim, bar, off, val))
		return;
	sim_host_lock(sim);
	/* A dead device drops writes as it fails reads. */
	if (sim->fault != NPU_SIM_FAULT_DEAD_MMIO && access_ok(sim, bar, off, 4, 'W'))
		bus_write32(sim, bar, off, val);
	pthread_mutex_unlock(&sim->lock);
}

/*
 * 64-bit accesses: the registers the driver accesses as 64 bits (docs/hardware.md
 * §2.0) are decoded by their block; the buttress has no 64-bit register the
 * model handles specially (MTL ATS_ERR_LOG reads fine as two halves), and
 * anything else is two 32-bit accesses, low half first.
 */
uint64_t npu_sim_read64(struct npu_sim *sim, unsigned bar, uint64_t off)
{
	uint64_t val = UINT64_MAX;

	sim_host_lock(sim);
	if (access_ok(sim, bar, off, 8, 'R')) {
		if (bar == NPU_PCI_BAR_REGB)
			val = sim_btrs_read32(sim, off) | (uint64_t)sim_btrs_read32(sim, off + 4)
							      << 32;
		else if (sim_mmu_owns(off))
			val = sim_mmu_read64(sim, off);
		else
			val = sim_ip_read64(sim, off);
	}
	if (sim->fault == NPU_SIM_FAULT_DEAD_MMIO)
		val = UINT64_MAX;
	pthread_mutex_unlock(&sim->lock);
	if (SIM_RECORDING(sim))
		sim_rec_reg(sim, 'R', 64, bar, off, val);
	return val;
}

void npu_sim_write64(struct npu_sim *sim, unsigned bar, uint64_t off, uint64_t val)
{
	if (SIM_RECORDING(sim))
		sim_rec_reg(sim, 'W', 64, bar, off, val);
	sim_host_lock(sim);
	if (sim->fault != NPU_SIM_FAULT_DEAD_MMIO && access_ok(sim, bar, off, 8, 'W')) {
		if (bar == NPU_PCI_BAR_REGB) {
			sim_btrs_write32(sim, off, (uint32_t)val);
			sim_btrs_write32(sim, off + 4, (uint32_t)(val >> 32));
		} else if (sim_mmu_owns(off)) {
			sim_mmu_write64(sim, off, val);
		} else {
			sim_ip_write64(sim, off, val);
		}
	}
	pthread_mutex_unlock(&sim->lock);
}
