/* relibc compat (README.txt): includes <fcntl.h> (relibc src/header/sys_mman/cbindgen.toml). */
#ifndef _RELIBC_SYS_MMAN_H
#define _RELIBC_SYS_MMAN_H
#include <fcntl.h>
#define PROT_NONE     0x0
#define PROT_WRITE    0x2
#define PROT_READ     0x4
#define PROT_EXEC     0x1
#define MAP_SHARED    0x1
#define MAP_PRIVATE   0x2
#define MAP_FIXED     0x4
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_FAILED    ((void *)-1)
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
#endif
