/* SPDX-License-Identifier: MIT */
/*
 * The fake Redox kernel (fake_kernel.h): descriptors, the memory and irq
 * schemes, BAR mappings, scheme creation. The pcid channel's bincode is in
 * fake_pcid.c, the client side of the scheme socket in fake_client.c.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, memfd */

#include "fake_kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_internal.h"
#include "sim/sim.h"

struct fk fk;

static size_t err(int e)
{
	return (size_t)0 - (size_t)e;
}

/* The table of descriptors: the daemon's thread and the clients' (the test's) share it. */
static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

struct fk_fd *fk_fd_get(size_t fd)
{
	struct fk_fd *f = NULL;

	pthread_mutex_lock(&fd_lock);
	for (unsigned i = 0; i < FK_FDS && !f; i++)
		if (fk.fds[i].kind != FK_NONE && fk.fds[i].num == fd)
			f = &fk.fds[i];
	pthread_mutex_unlock(&fd_lock);
	return f;
}

size_t fk_fd_new(enum fk_kind kind, int real)
{
	pthread_mutex_lock(&fd_lock);
	for (unsigned i = 0; i < FK_FDS; i++) {
		struct fk_fd *f = &fk.fds[i];

		if (f->kind != FK_NONE)
			continue;
		size_t num = real >= 0 ? (size_t)real : FK_FD_BASE + i;

		memset(f, 0, sizeof(*f));
		f->kind = kind;
		f->num = num;
		pthread_mutex_unlock(&fd_lock);
		return num;
	}
	pthread_mutex_unlock(&fd_lock);
	if (real >= 0)
		close(real);
	return err(EMFILE);
}

void fk_fd_free(struct fk_fd *f)
{
	pthread_mutex_lock(&fd_lock);
	f->kind = FK_NONE;
	pthread_mutex_unlock(&fd_lock);
}

int fk_start(const struct fk_config *cfg)
{
	struct npu_sim_config sc = { .gen = cfg->gen ? cfg->gen : NPU_GEN_37XX };
	char num[32];
	size_t chan;
	int ret;

	memset(&fk, 0, sizeof(fk));
	fk.cfg = *cfg;
	fk.cfg.gen = sc.gen;
	fk.kernel_sock = -1;
	fk.st.bar_uc = true;
	ret = npu_sim_create(&sc, &fk.sim);
	if (ret)
		return ret;
	chan = fk_fd_new(FK_CHANNEL, -1);
	snprintf(num, sizeof(num), "%zu", chan);
	return setenv("PCID_CLIENT_CHANNEL", num, 1) ? -errno : 0;
}

void fk_stop(void)
{
	for (unsigned i = 0; i < FK_MAPS; i++)
		if (fk.maps[i].len)
			redox_munmap_v1(fk.maps[i].user, fk.maps[i].len);
	fk_set_pump(NULL, NULL);
	for (unsigned i = 0; i < FK_FDS; i++) {
		if (fk.fds[i].kind == FK_SCHEME_FILE)
			fk.fds[i].kind = FK_NONE; /* the daemon is gone: nothing to tell it */
		if (fk.fds[i].kind != FK_NONE)
			redox_close_v1(fk.fds[i].num);
	}
	if (fk.kernel_sock >= 0)
		close(fk.kernel_sock);
	fk.kernel_sock = -1;
	for (unsigned i = 0; i < fk.n_spacers; i++)
		npu_sim_dma_free(fk.sim, fk.spacers[i]);
	npu_sim_destroy(fk.sim);
	fk.sim = NULL;
	unsetenv("PCID_CLIENT_CHANNEL");
}

struct npu_sim *fk_sim(void)
{
	return fk.sim;
}

const struct fk_state *fk_state(void)
{
	return &fk.st;
}

void fk_msix_entry(unsigned i, uint32_t out[4])
{
	memcpy(out, &fk.msix_table[(i % FK_MSIX_ENTRIES) * 4], 4 * sizeof(uint32_t));
}

void fk_leave_null_ns(void)
{
	fk.st.null_ns = false;
}

/* --- open --- */

static size_t open_irq(const char *path, uint32_t flags)
{
	unsigned n;
	char extra;
	int fd;

	if (sscanf(path, "/scheme/irq/cpu-00/%u%c", &n, &extra) == 1) {
		if (n >= REDOX_IRQ_FIRST_DYNAMIC && !(flags & REDOX_O_CREAT))
			return err(ENOENT);
		if (n >= REDOX_IRQ_FIRST_DYNAMIC && n < REDOX_IRQ_FIRST_DYNAMIC + fk.cfg.irq_taken)
			return err(EEXIST);
		if (fk.st.irq_opened)
			return err(EEXIST);
	} else if (sscanf(path, "/scheme/irq/%u%c", &n, &extra) == 1 && n < 16) {
		fk.st.legacy_irq = true;
	} else {
		return err(ENOENT);
	}
	fd = dup(npu_sim_irq_fd(fk.sim));
	if (fd < 0)
		return err(errno);
	fk.st.irq_opened = n + 1;
	fk.irq_masked = false;
	fk.st.irq_fd = fk_fd_new(FK_IRQ, fd);
	return fk.st.irq_fd;
}

size_t redox_open_v1(const char *path, size_t len, uint32_t flags, uint16_t mode)
{
	char p[128];
	bool root = fk.cfg.uid == 0;

	(void)mode;
	if (!path || len >= sizeof(p))
		return err(ENAMETOOLONG);
	memcpy(p, path, len);
	p[len] = '\0';
	if (fk.st.scheme_name[0] && strncmp(p, "/scheme/", 8) == 0 &&
	    strncmp(p + 8, fk.st.scheme_name, strlen(fk.st.scheme_name)) == 0 &&
	    (p[8 + strlen(fk.st.scheme_name)] == '/' || !p[8 + strlen(fk.st.scheme_name)]))
		return fk_client_open(p + 8 + strlen(fk.st.scheme_name)); /* another process's */
	/* The null namespace holds memory and pipe only; another scheme is not
	 * found in it (base `bootstrap/src/initnsmgr.rs: open_scheme_resource`). */
	if (strncmp(p, "/scheme/memory/", 15) != 0 && fk.st.null_ns)
		return err(ENODEV);
	if (strcmp(p, REDOX_PATH_EVENT) == 0)
		return fk_event_open();
	/* Every memtype gives the model's write-through memory: coherent, whatever the flag. */
	if (strcmp(p, REDOX_PATH_DMA) == 0 || strcmp(p, REDOX_PATH_DMA_WC) == 0 ||
	    strcmp(p, REDOX_PATH_DMA_UC) == 0)
		return root ? fk_fd_new(FK_DMA, -1) : err(EACCES);
	if (strcmp(p, REDOX_PATH_TRANSLATION) == 0)
		return root ? fk_fd_new(FK_TRANSLATION, -1) : err(EACCES);
	if (strncmp(p, "/scheme/irq/", 12) == 0) {
		if (!root)
			return err(EACCES);
		return strcmp(p, REDOX_PATH_IRQ_BSP) == 0 ? fk_fd_new(FK_BSP, -1)
							  : open_irq(p, flags);
	}
	if (strcmp(p, REDOX_PATH_SCHEME_CAP) == 0)
		return fk_fd_new(FK_CAP, -1);
	return err(ENOENT);
}

size_t redox_dup_v1(size_t fd, const void *buf, size_t len)
{
	struct fk_fd *f = fk_fd_get(fd);
	int sv[2];

	if (!f)
		return err(EBADF);
	if (f->kind == FK_CAP) {
		if (len != strlen(REDOX_CREATE_SCHEME) || memcmp(buf, REDOX_CREATE_SCHEME, len))
			return err(EINVAL);
		if (fk.cfg.uid != 0)
			return err(EACCES);
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			return err(errno);
		fcntl(sv[1], F_SETFL, O_NONBLOCK);
		fk.kernel_sock = sv[1];
		return fk_fd_new(FK_SOCKET, sv[0]);
	}
	if (f->kind == FK_SOCKET) {
		struct redox_new_fd_params np;
		size_t r;

		if (len != sizeof(np))
			return err(EINVAL);
		memcpy(&np, buf, sizeof(np));
		r = fk_fd_new(FK_SCHEME_ROOT, -1);
		if (!redox_is_err(r))
			fk_fd_get(r)->number = np.number;
		return r;
	}
	return err(EINVAL);
}

size_t redox_get_ns_v0(void)
{
	return FK_NS_FD;
}

size_t redox_register_scheme_to_ns_v0(size_t ns, const char *name, size_t len, size_t cap_fd)
{
	struct fk_fd *f = fk_fd_get(cap_fd);

	if (ns != FK_NS_FD || !f || f->kind != FK_SCHEME_ROOT)
		return err(EBADF);
	if (fk.st.scheme_name[0])
		return err(EEXIST);
	if (!len || len >= sizeof(fk.st.scheme_name))
		return err(EINVAL);
	memcpy(fk.st.scheme_name, name, len);
	fk.st.scheme_name[len] = '\0';
	return 0;
}

size_t redox_fcntl_v0(size_t fd, size_t cmd, size_t arg)
{
	struct fk_fd *f = fk_fd_get(fd);
	int fl;

	if (!f)
		return err(EBADF);
	if (f->kind != FK_SOCKET)
		return cmd == REDOX_F_GETFL || cmd == REDOX_F_SETFL ? 0 : err(EINVAL);
	fl = fcntl((int)fd, F_GETFL);
	if (cmd == REDOX_F_GETFL)
		return (fl & O_NONBLOCK) ? REDOX_O_NONBLOCK : 0;
	if (cmd != REDOX_F_SETFL)
		return err(EINVAL);
	fl = (arg & REDOX_O_NONBLOCK) ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl((int)fd, F_SETFL, fl) ? err(errno) : 0;
}

/* relibc's unlink("/scheme/NAME"): the namespace manager drops the name (root's namespace). */
int npu_redox_unlink(const char *path)
{
	if (fk.st.null_ns)
		return -EACCES; /* no permission to change the null namespace */
	if (strncmp(path, "/scheme/", 8) != 0 || !fk.st.scheme_name[0] ||
	    strcmp(path + 8, fk.st.scheme_name) != 0)
		return -ENODEV;
	fk.st.scheme_name[0] = '\0';
	fk.st.names_removed++;
	return 0;
}

size_t redox_setrens_v1(size_t rns, size_t ens)
{
	(void)rns;
	if (ens == 0)
		fk.st.null_ns = true;
	return 0;
}

/* --- read, write, close --- */

size_t redox_read_v1(size_t fd, void *buf, size_t len)
{
	struct fk_fd *f = fk_fd_get(fd);
	ssize_t n;

	if (!f)
		return err(EBADF);
	switch (f->kind) {
	case FK_CHANNEL:
		return fk_pcid_read(f, buf, len);
	case FK_BSP:
		if (len < 8)
			return err(EINVAL);
		memset(buf, 0, 8); /* APIC id 0 in the low 4 bytes */
		return 8;
	case FK_IRQ: /* never blocks; 0: nothing since the last acknowledgement */
		return fk_irq_read(buf, len);
	case FK_EVENT:
		return fk_event_read(fd, buf, len);
	case FK_SOCKET:
		n = read((int)fd, buf, len);
		fk_event_socket_read(fd);
		return n < 0 ? err(errno) : (size_t)n;
	case FK_SCHEME_FILE:
		return fk_client_read(f, buf, len);
	default:
		return err(EBADF);
	}
}

size_t redox_write_v1(size_t fd, const void *buf, size_t len)
{
	struct fk_fd *f = fk_fd_get(fd);

	if (!f)
		return err(EBADF);
	switch (f->kind) {
	case FK_CHANNEL:
		return fk_pcid_write(f, buf, len);
	case FK_IRQ:
		return fk_irq_write(buf, len);
	case FK_EVENT:
		return fk_event_write(fd, buf, len);
	case FK_SOCKET:
		return fk_replies((int)fd, buf, len);
	case FK_SCHEME_FILE:
		return fk_client_write(f, buf, len);
	default:
		return err(EBADF);
	}
}

size_t redox_close_v1(size_t fd)
{
	struct fk_fd *f = fk_fd_get(fd);

	if (!f)
		return err(EBADF);
	if (f->kind == FK_IRQ || f->kind == FK_SOCKET)
		close((int)fd);
	if (f->kind == FK_SCHEME_FILE)
		fk_client_close(f);
	if (f->kind == FK_IRQ)
		fk.st.irq_opened = 0;
	if (f->kind == FK_EVENT)
		fk_event_close(fd);
	free(f->rsp);
	f->rsp = NULL;
	fk_fd_free(f);
	return 0;
}

/* --- memory: BARs and DMA --- */

static struct fk_map *map_new(void)
{
	for (unsigned i = 0; i < FK_MAPS; i++)
		if (!fk.maps[i].len)
			return &fk.maps[i];
	return NULL;
}

static struct fk_map *map_at(const volatile void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr;

	for (unsigned i = 0; i < FK_MAPS; i++) {
		struct fk_map *m = &fk.maps[i];
		uintptr_t b = (uintptr_t)m->user;

		if (m->len && a >= b && a - b < m->len && len <= m->len - (a - b))
			return m;
	}
	return NULL;
}

static size_t map_bar(size_t len, uint64_t off)
{
	unsigned bar = (unsigned)(off >> 61), memtype = (unsigned)((off >> 59) & 3);
	uint64_t size = bar == 0 ? NPU_SIM_BAR0_SIZE : NPU_SIM_BAR4_SIZE;
	struct fk_map *m = map_new();
	bool msix = fk.cfg.msix && bar == FK_MSIX_BAR;
	void *p;

	if (msix)
		size = FK_MSIX_BAR_SIZE;
	if ((off & ((1ull << 59) - 1)) || (bar != 0 && bar != 4 && !msix))
		return err(EINVAL);
	if (len == 0 || len > size)
		return err(EINVAL);
	if (!m)
		return err(ENOMEM);
	p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return err(ENOMEM);
	fk.st.bar_uc &= memtype == REDOX_BAR_MEMTYPE_UC;
	fk.st.bars_mapped++;
	*m = (struct fk_map){ .kind = FK_MAP_BAR, .user = p, .len = len, .bar = bar };
	for (unsigned i = 0; i < 4; i++) {
		if (!fk.bars[i]) {
			fk.bars[i] = m;
			break;
		}
	}
	return (size_t)p;
}

static size_t map_dma(void *addr, size_t len, uint32_t flags)
{
	struct fk_map *m = map_new();
	size_t pages = REDOX_PAGE_SIZE;
	void *cpu, *p;
	uint64_t phys, spacer;
	void *sp_cpu;
	int fd;

	if (flags & REDOX_MAP_SHARED) {
		fk.st.dma_shared_refused++;
		return err(EOPNOTSUPP);
	}
	while (pages < len)
		pages <<= 1;
	if (pages > REDOX_DMA_CHUNK_MAX || len == 0)
		return err(ENOMEM);
	if (!m)
		return err(ENOMEM);
	if (fk.cfg.scatter_dma && (flags & REDOX_MAP_FIXED) && fk.n_spacers < FK_SPACERS &&
	    !npu_sim_dma_alloc(fk.sim, REDOX_PAGE_SIZE, &sp_cpu, &spacer))
		fk.spacers[fk.n_spacers++] = spacer;
	if (npu_sim_dma_alloc(fk.sim, pages, &cpu, &phys))
		return err(ENOMEM);
	*m = (struct fk_map){ .kind = FK_MAP_DMA,
			      .user = cpu,
			      .arena = cpu,
			      .len = pages,
			      .phys = phys,
			      .memfd = -1 };
	if (flags & REDOX_MAP_FIXED) {
		/* The simulated NPU reads its arena: the fixed address aliases it. */
		fd = npu_sim_dma_share(fk.sim, cpu, pages);
		if (fd < 0) {
			npu_sim_dma_free(fk.sim, phys);
			m->len = 0;
			return err(-fd);
		}
		p = mmap(addr, pages, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
		if (p == MAP_FAILED) {
			npu_sim_dma_unshare(fk.sim, cpu, pages, fd);
			npu_sim_dma_free(fk.sim, phys);
			m->len = 0;
			return err(ENOMEM);
		}
		m->user = p;
		m->memfd = fd;
	}
	fk.st.dma_chunks++;
	return (size_t)m->user;
}

size_t redox_mmap_v1(void *addr, size_t len, uint32_t prot, uint32_t flags, size_t fd, uint64_t off)
{
	struct fk_fd *f = fk_fd_get(fd);

	(void)prot;
	if (!f)
		return err(EBADF);
	if (f->kind == FK_CHANNEL)
		return (flags & REDOX_MAP_SHARED) ? map_bar(len, off) : err(EINVAL);
	if (f->kind == FK_DMA)
		return off ? err(EINVAL) : map_dma(addr, len, flags);
	if (f->kind == FK_SCHEME_FILE)
		return fk_client_mmap(f, len, off);
	return err(ENODEV);
}

size_t redox_munmap_v1(void *addr, size_t len)
{
	struct fk_map *m;

	if (fk_client_munmap(addr, len))
		return 0;
	m = map_at(addr, 1);
	if (!m || m->user != addr || m->len != len)
		return err(EINVAL);
	if (m->kind == FK_MAP_BAR) {
		for (unsigned i = 0; i < 4; i++)
			if (fk.bars[i] == m)
				fk.bars[i] = NULL;
		munmap(m->user, m->len);
		fk.st.bars_mapped--;
	} else {
		if (m->memfd >= 0) {
			/* Back to an inaccessible hole in the caller's reserved range. */
			mmap(m->user, m->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			     -1, 0);
			npu_sim_dma_unshare(fk.sim, m->arena, m->len, m->memfd);
		}
		npu_sim_dma_free(fk.sim, m->phys);
		fk.st.dma_chunks--;
	}
	m->len = 0;
	return 0;
}

size_t redox_sys_call_v0(size_t fd, uint8_t *payload, size_t len, size_t flags,
			 const uint64_t *meta, size_t n_meta)
{
	struct fk_fd *f = fk_fd_get(fd);
	struct fk_map *m;
	uint64_t v;

	if (!meta || (len && !payload))
		return err(EFAULT); /* relibc makes slices of them: NULL is undefined behaviour */
	if (!f)
		return err(EBADF);
	if (f->kind != FK_TRANSLATION || n_meta || len != 8 || flags != REDOX_CALL_READ)
		return err(EINVAL);
	memcpy(&v, payload, 8);
	m = map_at((void *)(uintptr_t)v, 1);
	if (!m || m->kind != FK_MAP_DMA)
		return err(ENOENT);
	v = m->phys + (v - (uint64_t)(uintptr_t)m->user);
	memcpy(payload, &v, 8);
	return 0;
}
