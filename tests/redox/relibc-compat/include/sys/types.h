/* relibc compat (README.txt). */
#ifndef _RELIBC_SYS_TYPES_H
#define _RELIBC_SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef long ssize_t;
typedef long long off_t;
typedef int pid_t;
typedef int uid_t;
typedef int gid_t;
typedef int mode_t;
typedef unsigned long nlink_t;
typedef unsigned long long ino_t;
typedef unsigned long long dev_t;
typedef long blksize_t;
typedef unsigned long long blkcnt_t;
typedef long long time_t;
typedef int clockid_t;
typedef unsigned int useconds_t;
#endif
