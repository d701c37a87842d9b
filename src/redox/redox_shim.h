/* SPDX-License-Identifier: MIT */
/*
 * What the Redox backend and the `npu` scheme use of Redox, declared by hand
 * (relibc ships no C header for these; docs/redox.md, "Redox interfaces and
 * their sources", for where each fact comes from).
 *
 * - The relibc-exported redox_*_vN functions. They return a "raw result":
 *   a value above SIZE_MAX - 4095 is -errno, and errno is not set.
 * - The scheme wire structs: a 64-byte request (SQE) read from the scheme
 *   socket, a 16-byte reply (CQE) written to it.
 * - The Redox values of the open flags, mmap bits and call flags, which the
 *   redox_* calls take as they are (they are not Linux's).
 *
 * On Redox relibc defines the functions. Elsewhere they are weak
 * declarations: the tests link a fake Redox kernel that defines them
 * (tests/redox/fake_kernel.c); any other program has none, and the backend
 * says so (npu_redox_available()) rather than calling a null function.
 */
#ifndef NPU_REDOX_REDOX_SHIM_H
#define NPU_REDOX_REDOX_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Redox wire structs are declared for a little-endian host"
#endif

#ifdef __redox__
#define NPU_REDOX_IMPORT
#else
#define NPU_REDOX_IMPORT __attribute__((weak))
#endif

/* Open flags (relibc <fcntl.h> on Redox). */
#define REDOX_O_RDONLY	  0x00010000u
#define REDOX_O_WRONLY	  0x00020000u
#define REDOX_O_RDWR	  0x00030000u
#define REDOX_O_ACCMODE	  0x00030000u
#define REDOX_O_NONBLOCK  0x00040000u
#define REDOX_O_CLOEXEC	  0x01000000u
#define REDOX_O_CREAT	  0x02000000u
#define REDOX_O_DIRECTORY 0x10000000u

/* mmap: prot and flags (relibc sys_mman on Redox). */
#define REDOX_PROT_NONE	  0x0u
#define REDOX_PROT_WRITE  0x2u
#define REDOX_PROT_READ	  0x4u
#define REDOX_MAP_SHARED  0x1u
#define REDOX_MAP_PRIVATE 0x2u
#define REDOX_MAP_FIXED	  0x4u

/* SYS_CALL flags. */
#define REDOX_CALL_CONSUME (1u << 8)
#define REDOX_CALL_WRITE   (1u << 9)  /* the payload goes to the callee */
#define REDOX_CALL_READ	   (1u << 10) /* the payload comes back */
#define REDOX_CALL_FD	   (1u << 11)

/* Event flags (event scheme, fevent, SendFevent). */
#define REDOX_EVENT_READ  1u
#define REDOX_EVENT_WRITE 2u

/* A raw result that is an error, and its errno. */
static inline bool redox_is_err(size_t r)
{
	return r > SIZE_MAX - 4095u;
}

static inline int redox_errno(size_t r)
{
	return redox_is_err(r) ? (int)(0 - r) : 0;
}

/* relibc's exported C ABI (relibc/src/platform/redox/libredox.rs). */
NPU_REDOX_IMPORT size_t redox_open_v1(const char *path, size_t len, uint32_t flags, uint16_t mode);
NPU_REDOX_IMPORT size_t redox_dup_v1(size_t fd, const void *buf, size_t len);
NPU_REDOX_IMPORT size_t redox_read_v1(size_t fd, void *buf, size_t len);
NPU_REDOX_IMPORT size_t redox_write_v1(size_t fd, const void *buf, size_t len);
NPU_REDOX_IMPORT size_t redox_close_v1(size_t fd);
NPU_REDOX_IMPORT size_t redox_mmap_v1(void *addr, size_t len, uint32_t prot, uint32_t flags,
				      size_t fd, uint64_t off);
NPU_REDOX_IMPORT size_t redox_munmap_v1(void *addr, size_t len);
NPU_REDOX_IMPORT size_t redox_sys_call_v0(size_t fd, uint8_t *payload, size_t len, size_t flags,
					  const uint64_t *meta, size_t n_meta);
NPU_REDOX_IMPORT size_t redox_get_ns_v0(void);
NPU_REDOX_IMPORT size_t redox_register_scheme_to_ns_v0(size_t ns, const char *name, size_t len,
						       size_t cap_fd);
NPU_REDOX_IMPORT size_t redox_setrens_v1(size_t rns, size_t ens);

/* Whether the calls above exist in this program (always on Redox). */
static inline bool npu_redox_available(void)
{
#ifdef __redox__
	return true;
#else
	return redox_open_v1 != NULL && redox_mmap_v1 != NULL && redox_sys_call_v0 != NULL;
#endif
}

/*
 * Register accesses on a BAR mapping: plain volatile loads and stores on
 * Redox. Elsewhere the fake kernel defines them and hands each access to the
 * simulated NPU (its mapping of a BAR is inaccessible memory, so any access
 * that bypassed these would fault).
 */
#ifdef __redox__
static inline uint32_t npu_redox_mmio_read32(const volatile void *addr)
{
	return *(const volatile uint32_t *)addr;
}
static inline void npu_redox_mmio_write32(volatile void *addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}
static inline uint64_t npu_redox_mmio_read64(const volatile void *addr)
{
	return *(const volatile uint64_t *)addr;
}
static inline void npu_redox_mmio_write64(volatile void *addr, uint64_t val)
{
	*(volatile uint64_t *)addr = val;
}
#else
NPU_REDOX_IMPORT uint32_t npu_redox_mmio_read32(const volatile void *addr);
NPU_REDOX_IMPORT void npu_redox_mmio_write32(volatile void *addr, uint32_t val);
NPU_REDOX_IMPORT uint64_t npu_redox_mmio_read64(const volatile void *addr);
NPU_REDOX_IMPORT void npu_redox_mmio_write64(volatile void *addr, uint64_t val);
#endif

/* --- The scheme socket (syscall/src/schemev2.rs) --- */

/* A request as the kernel queues it on the scheme socket. */
struct redox_sqe {
	uint8_t opcode;
	uint8_t sqe_flags; /* REDOX_SQE_* */
	uint16_t rsvd;
	uint32_t tag; /* echoed in the reply */
	uint64_t args[6];
	uint64_t caller; /* the caller's pid (0 for CloseMsg) */
};

/* A reply the daemon writes back. */
struct redox_cqe {
	uint8_t flags;	      /* bits 2:0: REDOX_CQE_* */
	uint8_t extra_raw[3]; /* [0]: REDOX_NEWFD_* on open replies */
	uint32_t tag;	      /* the request's; event flags for SendFevent */
	uint64_t result;      /* value, or (uint64_t)-errno; handle for SendFevent */
};

/* The argument of create_this_scheme_fd (redox_dup_v1 on the socket). */
struct redox_new_fd_params {
	uint64_t offset;
	uint64_t number; /* the handle the new description refers to */
	uint64_t flags;
	uint8_t internal_flags;
	uint8_t pad[7];
};

/* syscall::Stat, what Fstat fills. */
struct redox_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint16_t st_mode;
	uint16_t pad0;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_size;
	uint32_t st_blksize;
	uint32_t pad1;
	uint64_t st_blocks;
	uint64_t st_mtime;
	uint32_t st_mtime_nsec;
	uint32_t pad2;
	uint64_t st_atime;
	uint32_t st_atime_nsec;
	uint32_t pad3;
	uint64_t st_ctime;
	uint32_t st_ctime_nsec;
	uint32_t pad4;
};

#define REDOX_SQE_ONEWAY       1u
#define REDOX_SQE_MULTIPLE_IDS 2u

enum redox_sqe_op {
	REDOX_OP_DUP = 4,
	REDOX_OP_READ = 5,
	REDOX_OP_WRITE = 6,
	REDOX_OP_FSIZE = 7,
	REDOX_OP_FCNTL = 10,
	REDOX_OP_FEVENT = 11,
	REDOX_OP_FPATH = 13,
	REDOX_OP_FSTAT = 15,
	REDOX_OP_MMAP_PREP = 20,
	REDOX_OP_MUNMAP = 23,
	REDOX_OP_CANCEL = 25,
	REDOX_OP_GETDENTS = 26,
	REDOX_OP_CLOSE = 27, /* one-way: no reply */
	REDOX_OP_CALL = 28,
	REDOX_OP_OPENAT = 29,
	REDOX_OP_STD_FS_CALL = 33,
	REDOX_OP_DETACH = 34, /* one-way */
};

/* StdFsCall metadata[0]. */
#define REDOX_STDFS_FSTAT 4u

enum redox_cqe_op {
	REDOX_CQE_RESPOND = 0,
	REDOX_CQE_RESPOND_WITH_FD = 1,
	REDOX_CQE_SEND_FEVENT = 2,
};

#define REDOX_NEWFD_POSITIONED 1u /* the kernel keeps the offset, passed in args[3] */

#define REDOX_MODE_DIR	0x4000u
#define REDOX_MODE_FILE 0x8000u
#define REDOX_MODE_CHR	0x2000u

#define REDOX_SQE_SIZE 64u
#define REDOX_CQE_SIZE 16u

_Static_assert(sizeof(struct redox_sqe) == REDOX_SQE_SIZE, "SQE is 64 bytes");
_Static_assert(offsetof(struct redox_sqe, tag) == 4, "SQE tag");
_Static_assert(offsetof(struct redox_sqe, args) == 8, "SQE args");
_Static_assert(offsetof(struct redox_sqe, caller) == 56, "SQE caller");
_Static_assert(sizeof(struct redox_cqe) == REDOX_CQE_SIZE, "CQE is 16 bytes");
_Static_assert(offsetof(struct redox_cqe, tag) == 4, "CQE tag");
_Static_assert(offsetof(struct redox_cqe, result) == 8, "CQE result");
_Static_assert(sizeof(struct redox_new_fd_params) == 32, "new fd params");
_Static_assert(sizeof(struct redox_stat) == 104, "syscall::Stat");
_Static_assert(offsetof(struct redox_stat, st_mode) == 16, "st_mode");
_Static_assert(offsetof(struct redox_stat, st_nlink) == 20, "st_nlink");
_Static_assert(offsetof(struct redox_stat, st_uid) == 24, "st_uid");
_Static_assert(offsetof(struct redox_stat, st_gid) == 28, "st_gid");
_Static_assert(offsetof(struct redox_stat, st_size) == 32, "st_size");
_Static_assert(offsetof(struct redox_stat, st_blksize) == 40, "st_blksize");
_Static_assert(offsetof(struct redox_stat, st_blocks) == 48, "st_blocks");
_Static_assert(offsetof(struct redox_stat, st_mtime) == 56, "st_mtime");
_Static_assert(offsetof(struct redox_stat, st_mtime_nsec) == 64, "st_mtime_nsec");
_Static_assert(offsetof(struct redox_stat, st_atime) == 72, "st_atime");
_Static_assert(offsetof(struct redox_stat, st_atime_nsec) == 80, "st_atime_nsec");
_Static_assert(offsetof(struct redox_stat, st_ctime) == 88, "st_ctime");
_Static_assert(offsetof(struct redox_stat, st_ctime_nsec) == 96, "st_ctime_nsec");

/* --- Paths --- */

#define REDOX_PATH_SCHEME_CAP	"/scheme/namespace/scheme-creation-cap"
#define REDOX_CREATE_SCHEME	"create-scheme"
#define REDOX_PATH_DMA		"/scheme/memory/zeroed@wb?phys_contiguous"
#define REDOX_PATH_TRANSLATION	"/scheme/memory/translation"
#define REDOX_PATH_IRQ_BSP	"/scheme/irq/bsp"
#define REDOX_DMA_CHUNK_MAX	(4u << 20) /* the buddy allocator's largest block */
#define REDOX_PAGE_SIZE		4096u
#define REDOX_MSI_ADDR_BASE	0xFEE00000u
#define REDOX_IRQ_VECTOR_OFFSET 32u /* cpu-XX/<n> is vector n + 32 */
#define REDOX_IRQ_FIRST_DYNAMIC 16u /* below: the legacy lines on the BSP */
#define REDOX_IRQ_LAST		223u

/* BAR mapping offset through the pcid channel: BAR index, memory type. */
#define REDOX_BAR_MEMTYPE_UC 1u
static inline uint64_t redox_bar_offset(unsigned bar, unsigned memtype)
{
	return ((uint64_t)bar << 61) | ((uint64_t)memtype << 59);
}

#endif
