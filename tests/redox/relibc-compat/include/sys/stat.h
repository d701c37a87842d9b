/* relibc compat (README.txt): the time fields are st_atim etc., and their POSIX
 * names are macros (relibc src/header/sys_stat/cbindgen.toml). */
#ifndef _RELIBC_SYS_STAT_H
#define _RELIBC_SYS_STAT_H
#include <sys/types.h>
#include <time.h>
struct stat {
	dev_t st_dev;
	ino_t st_ino;
	nlink_t st_nlink;
	mode_t st_mode;
	uid_t st_uid;
	gid_t st_gid;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	blkcnt_t st_blocks;
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
};
#define S_IFMT	      0170000
#define S_IFDIR	      0040000
#define S_IFCHR	      0020000
#define S_IFREG	      0100000
#define S_ISDIR(mode) (((mode)&S_IFMT) == S_IFDIR)
#define S_ISCHR(mode) (((mode)&S_IFMT) == S_IFCHR)
#define S_ISREG(mode) (((mode)&S_IFMT) == S_IFREG)
#define st_atime      st_atim.tv_sec
#define st_mtime      st_mtim.tv_sec
#define st_ctime      st_ctim.tv_sec
int fstat(int fd, struct stat *buf);
int stat(const char *path, struct stat *buf);
int mkdir(const char *path, mode_t mode);
mode_t umask(mode_t mask);
#endif
