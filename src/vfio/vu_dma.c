/* SPDX-License-Identifier: MIT */
/*
 * The guest's DMA regions (DMA_MAP / DMA_UNMAP, QEMU's docs/interop/
 * vfio-user.rst) and the model's memory backend over them.
 *
 * A region comes with the fd of the guest's RAM (a memfd) and is mapped here
 * whole; the model's DMA then reads and writes guest memory directly. A
 * region without an fd (the client would serve it by DMA_READ/DMA_WRITE
 * messages) is recorded but not reachable: the model's accesses to it take
 * its fault path, as do accesses outside every region. Regions never overlap
 * (a map over an existing one is refused, as Linux's vfio type1 does); an
 * unmap removes the regions inside its range and refuses to split one.
 *
 * A client may shrink the file under a region it mapped (ftruncate of its
 * memfd): the model's next access there would raise SIGBUS. A handler for
 * SIGBUS inside a region maps a zero page over the faulting page, so the
 * access reads zeros (and writes are lost), as memory that stopped answering;
 * the shrink is counted and logged (vu_dma_shrunk). A SIGBUS anywhere else is
 * passed on to the handler that was there before.
 *
 * The table changes only inside npu_sim_mem_quiesce: the model holds its lock
 * across every use of a pointer it got from vu_dma_ptr, so an unmap waits for
 * an access in flight, and an access after it finds nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/sim_mem_backend.h"
#include "util/log.h"
#include "vfio/vu_dev.h"

/* ---- regions whose file may shrink: the SIGBUS net ---- */

#define NET_SLOTS 4096u

/* Mapped ranges, read by the signal handler: start 0 is a free slot. */
static struct {
	_Atomic uintptr_t start, end;
} net[NET_SLOTS];
static atomic_ulong shrunk;
static pthread_mutex_t net_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction net_prev;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;

	for (unsigned i = 0; i < NET_SLOTS; i++) {
		uintptr_t s = atomic_load_explicit(&net[i].start, memory_order_acquire);

		if (s && a >= s && a < atomic_load_explicit(&net[i].end, memory_order_acquire)) {
			char *page = (char *)si->si_addr - (a & (VU_PAGE_SIZE - 1));
			int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
			void *z =
			    /* cppcheck-suppress invalidFunctionArg ; fd -1 is what MAP_ANONYMOUS asks for */
			    mmap(page, VU_PAGE_SIZE, PROT_READ | PROT_WRITE, flags, -1, 0);

			if (z != MAP_FAILED) {
				atomic_fetch_add(&shrunk, 1);
				return; /* the access is made again, on the zero page */
			}
			break;
		}
	}
	/* Not ours: whoever handled SIGBUS before does. */
	if (net_prev.sa_flags & SA_SIGINFO) {
		net_prev.sa_sigaction(sig, si, ctx);
	} else if (net_prev.sa_handler != SIG_DFL && net_prev.sa_handler != SIG_IGN) {
		net_prev.sa_handler(sig);
	} else {
		signal(SIGBUS, SIG_DFL);
		raise(SIGBUS);
	}
}

static void net_add(const uint8_t *host, uint64_t size)
{
	struct sigaction cur;

	pthread_mutex_lock(&net_lock);
	/* Installed again if someone replaced it since (a test harness does, per test). */
	if (sigaction(SIGBUS, NULL, &cur) == 0 &&
	    !((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigbus)) {
		struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, &net_prev);
	}
	for (unsigned i = 0; i < NET_SLOTS; i++) {
		if (!atomic_load_explicit(&net[i].start, memory_order_relaxed)) {
			atomic_store_explicit(&net[i].end, (uintptr_t)host + size,
					      memory_order_release);
			atomic_store_explicit(&net[i].start, (uintptr_t)host, memory_order_release);
			break;
		}
	}
	pthread_mutex_unlock(&net_lock);
}

static void net_remove(const uint8_t *host)
{
	pthread_mutex_lock(&net_lock);
	for (unsigned i = 0; i < NET_SLOTS; i++) {
		if (atomic_load_explicit(&net[i].start, memory_order_relaxed) == (uintptr_t)host) {
			atomic_store_explicit(&net[i].start, 0, memory_order_release);
			break;
		}
	}
	pthread_mutex_unlock(&net_lock);
}

unsigned long vu_dma_shrunk(void)
{
	return atomic_load(&shrunk);
}

static bool page_aligned(uint64_t v)
{
	return (v & (VU_PAGE_SIZE - 1)) == 0;
}

/* Index of the first region whose end is above pa (the one holding pa, if any). */
static unsigned find(const struct vu_dma *dma, uint64_t pa)
{
	unsigned lo = 0, hi = dma->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct vu_dma_region *r = &dma->r[mid];

		if (r->iova + r->size <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *vu_dma_ptr(const struct vu_dma *dma, uint64_t pa, size_t len, size_t *avail)
{
	unsigned i = find(dma, pa);
	const struct vu_dma_region *r;
	uint64_t off, left;

	if (avail)
		*avail = 0;
	if (i >= dma->n || dma->r[i].iova > pa || !dma->r[i].host)
		return NULL;
	r = &dma->r[i];
	off = pa - r->iova;
	left = r->size - off;
	if (avail)
		*avail = left < len ? (size_t)left : len;
	else if (len > left)
		return NULL;
	return r->host + off;
}

static void *mem_map(void *ctx, uint64_t pa, size_t len, size_t *avail)
{
	return vu_dma_ptr(ctx, pa, len, avail);
}

const struct npu_sim_mem_ops vu_dma_mem_ops = { .map = mem_map };

/* ---- changes, with the model quiesced ---- */

struct change {
	struct vu_dma *dma;
	struct vu_dma_region add; /* map: the region to insert */
	uint64_t iova, size;	  /* unmap */
	bool all;
	int ret;
};

static void do_insert(void *arg)
{
	struct change *c = arg;
	struct vu_dma *dma = c->dma;
	unsigned i = find(dma, c->add.iova);

	if (i < dma->n && dma->r[i].iova < c->add.iova + c->add.size) {
		c->ret = -EEXIST;
		return;
	}
	memmove(dma->r + i + 1, dma->r + i, (dma->n - i) * sizeof(*dma->r));
	dma->r[i] = c->add;
	dma->n++;
	c->ret = 0;
}

static void do_grow(void *arg)
{
	struct change *c = arg;
	struct vu_dma *dma = c->dma;
	unsigned cap = dma->cap ? dma->cap * 2 : 16;
	struct vu_dma_region *r = realloc(dma->r, cap * sizeof(*r));

	if (!r) {
		c->ret = -ENOMEM;
		return;
	}
	dma->r = r;
	dma->cap = cap;
	c->ret = 0;
}

static void region_release(struct vu_dma_region *r)
{
	if (r->host) {
		net_remove(r->host);
		munmap(r->host, (size_t)r->size);
	}
	r->host = NULL;
}

static void do_remove(void *arg)
{
	struct change *c = arg;
	struct vu_dma *dma = c->dma;
	uint64_t end = c->iova + c->size;
	unsigned first, last;

	if (c->all) {
		for (unsigned i = 0; i < dma->n; i++)
			region_release(&dma->r[i]);
		dma->n = 0;
		c->ret = 0;
		return;
	}
	first = find(dma, c->iova);
	last = first;
	while (last < dma->n && dma->r[last].iova < end)
		last++;
	/* Regions first..last-1 meet the range: each must lie wholly inside it. */
	for (unsigned i = first; i < last; i++) {
		if (dma->r[i].iova < c->iova || dma->r[i].iova + dma->r[i].size > end) {
			c->ret = -EINVAL;
			return;
		}
	}
	for (unsigned i = first; i < last; i++)
		region_release(&dma->r[i]);
	memmove(dma->r + first, dma->r + last, (dma->n - last) * sizeof(*dma->r));
	dma->n -= last - first;
	c->ret = 0;
}

static int map_fd(int fd, uint64_t offset, uint64_t size, uint32_t prot, uint8_t **out)
{
	struct stat st;
	void *p;
	int mprot = PROT_READ | PROT_WRITE;
	/* A region the guest gave read-only: the device's writes land in a private copy. */
	int flags = (prot & VU_DMA_MAP_FLAG_WRITE) ? MAP_SHARED : MAP_PRIVATE;

	if (fstat(fd, &st) != 0)
		return -errno;
	/* Memory behind a file must be there: mapping past its end would fault on access. */
	if (!S_ISREG(st.st_mode) || st.st_size < 0 || offset > (uint64_t)st.st_size ||
	    size > (uint64_t)st.st_size - offset)
		return -EINVAL;
	if (size > SIZE_MAX || offset > (uint64_t)INT64_MAX)
		return -EINVAL;
	p = mmap(NULL, (size_t)size, mprot, flags, fd, (off_t)offset);
	if (p == MAP_FAILED)
		return -errno;
	net_add(p, size);
	*out = p;
	return 0;
}

int vu_dma_map(struct vu_dev *d, uint64_t iova, uint64_t size, uint64_t offset, uint32_t prot,
	       int fd)
{
	struct change c = { .dma = &d->dma };

	if (size == 0 || !page_aligned(iova) || !page_aligned(size) || !page_aligned(offset) ||
	    iova + size < iova || (prot & ~(VU_DMA_MAP_FLAG_READ | VU_DMA_MAP_FLAG_WRITE)))
		return -EINVAL;
	if (d->dma.n >= VU_MAX_DMA_MAPS)
		return -ENOSPC;
	if (d->dma.n == d->dma.cap) {
		/* The table moves: the model must not be reading it meanwhile. */
		npu_sim_mem_quiesce(d->sim, do_grow, &c);
		if (c.ret)
			return c.ret;
	}
	c.add = (struct vu_dma_region){ .iova = iova, .size = size };
	if (fd >= 0) {
		int ret = map_fd(fd, offset, size, prot, &c.add.host);

		if (ret)
			return ret;
	}
	npu_sim_mem_quiesce(d->sim, do_insert, &c);
	if (c.ret) {
		region_release(&c.add);
		return c.ret;
	}
	npu_dbg(PCI, "DMA map 0x%llx..0x%llx%s", (unsigned long long)iova,
		(unsigned long long)(iova + size - 1), fd >= 0 ? "" : " (no fd: unreachable)");
	return 0;
}

int vu_dma_unmap(struct vu_dev *d, uint64_t iova, uint64_t size, bool all)
{
	struct change c = { .dma = &d->dma, .iova = iova, .size = size, .all = all };

	if (!all && (size == 0 || iova + size < iova))
		return -EINVAL;
	npu_sim_mem_quiesce(d->sim, do_remove, &c);
	if (!c.ret)
		npu_dbg(PCI, "DMA unmap 0x%llx+0x%llx%s", (unsigned long long)iova,
			(unsigned long long)size, all ? " (all)" : "");
	return c.ret;
}

void vu_dma_fini(struct vu_dev *d)
{
	vu_dma_unmap(d, 0, 0, true);
	free(d->dma.r);
	d->dma.r = NULL;
	d->dma.n = d->dma.cap = 0;
}
