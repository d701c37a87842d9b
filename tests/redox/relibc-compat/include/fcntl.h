/* relibc compat (README.txt): includes <sys/stat.h> (relibc src/header/fcntl/cbindgen.toml). */
#ifndef _RELIBC_FCNTL_H
#define _RELIBC_FCNTL_H
#include <sys/stat.h>
#define O_RDONLY    0x00010000
#define O_WRONLY    0x00020000
#define O_RDWR	    0x00030000
#define O_ACCMODE   0x00030000
#define O_NONBLOCK  0x00040000
#define O_APPEND    0x00080000
#define O_CLOEXEC   0x01000000
#define O_CREAT	    0x02000000
#define O_TRUNC	    0x04000000
#define O_EXCL	    0x08000000
#define O_DIRECTORY 0x10000000
#define F_DUPFD	    0
#define F_GETFD	    1
#define F_SETFD	    2
#define F_GETFL	    3
#define F_SETFL	    4
#define FD_CLOEXEC  0x01000000
#define SEEK_SET    0
#define SEEK_CUR    1
#define SEEK_END    2
int open(const char *path, int oflag, ...);
int fcntl(int fd, int cmd, ...);
#endif
