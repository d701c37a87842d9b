/* SPDX-License-Identifier: MIT */
/* Private to the fake Redox kernel (fake_kernel.h). */
#ifndef NPU_TEST_FAKE_INTERNAL_H
#define NPU_TEST_FAKE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_kernel.h"

#define FK_FDS		 64
#define FK_MAPS		 4096
#define FK_SPACERS	 64
#define FK_FD_BASE	 0x100000u /* fake descriptors: above any real one */
#define FK_NS_FD	 0x1FFFFFu
#define FK_MSIX_BAR	 2u
#define FK_MSIX_BAR_SIZE 0x1000u
#define FK_MSIX_PBA	 0x800u

enum fk_kind {
	FK_NONE = 0,
	FK_CHANNEL,
	FK_DMA,
	FK_TRANSLATION,
	FK_BSP,
	FK_IRQ, /* a real fd: a dup of the simulated NPU's interrupt eventfd */
	FK_CAP,
	FK_SOCKET,	/* a real fd: the daemon's end of the scheme socketpair */
	FK_SCHEME_ROOT, /* the root descriptor made on the socket */
	FK_SCHEME_FILE, /* a client's: a description the daemon serves (handle in number) */
	FK_EVENT,	/* an event queue (fake_event.c) */
};

struct fk_fd {
	enum fk_kind kind;
	size_t num;
	uint64_t number; /* FK_SCHEME_ROOT: the daemon's handle */
	uint8_t *rsp;	 /* FK_CHANNEL: the response being read (length prefix included) */
	size_t rsp_len, rsp_at;
};

enum fk_map_kind { FK_MAP_BAR = 1, FK_MAP_DMA };

struct fk_map {
	enum fk_map_kind kind;
	void *user; /* where the caller sees it */
	size_t len; /* 0: free slot */
	unsigned bar;
	void *arena; /* DMA: the simulated NPU's arena */
	uint64_t phys;
	int memfd; /* DMA mapped at a fixed address: the alias's memfd, else -1 */
};

struct fk {
	struct fk_config cfg;
	struct npu_sim *sim;
	struct fk_state st;
	struct fk_fd fds[FK_FDS];
	struct fk_map maps[FK_MAPS];
	struct fk_map *bars[4]; /* the BAR mappings among maps, for register accesses */
	uint64_t irq_count;	/* the line's interrupts (COUNTS) */
	uint64_t irq_ack;	/* the count last written back */
	bool irq_masked;	/* an interrupt came and was not acknowledged yet */
	uint64_t spacers[FK_SPACERS];
	unsigned n_spacers;
	int kernel_sock;			  /* the kernel's end of the scheme socket */
	uint32_t msix_table[FK_MSIX_ENTRIES * 4]; /* BAR2 when cfg.msix */
};

extern struct fk fk;

/* fake_kernel.c */
struct fk_fd *fk_fd_get(size_t fd);
size_t fk_fd_new(enum fk_kind kind, int real);
void fk_fd_free(struct fk_fd *f);

/* fake_client.c: a client's calls on the daemon's scheme, as the kernel makes them requests. */
size_t fk_client_open(const char *path);
size_t fk_client_read(struct fk_fd *f, void *buf, size_t len);
size_t fk_client_write(struct fk_fd *f, const void *buf, size_t len);
size_t fk_client_mmap(struct fk_fd *f, size_t len, uint64_t off);
bool fk_client_munmap(void *addr, size_t len);
void fk_client_close(struct fk_fd *f);
/* The daemon's replies written to its socket, checked and passed on to fd. */
size_t fk_replies(int fd, const void *buf, size_t len);

/* fake_event.c: event queues, the irq line's count and acknowledgement. */
void fk_irq_sync(void);
size_t fk_irq_read(void *buf, size_t len);
size_t fk_irq_write(const void *buf, size_t len);
size_t fk_event_open(void);
void fk_event_socket_read(size_t fd); /* the daemon read its socket: report new requests */
void fk_event_close(size_t num);
size_t fk_event_write(size_t num, const void *buf, size_t len);
size_t fk_event_read(size_t num, void *buf, size_t len);

/* fake_pcid.c */
size_t fk_pcid_write(struct fk_fd *f, const uint8_t *req, size_t len);
size_t fk_pcid_read(struct fk_fd *f, uint8_t *buf, size_t len);

#endif
