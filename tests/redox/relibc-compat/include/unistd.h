/* relibc compat (README.txt): includes <fcntl.h>, so <sys/stat.h> (relibc
 * src/header/unistd/cbindgen.toml). */
#ifndef _RELIBC_UNISTD_H
#define _RELIBC_UNISTD_H
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define F_OK	      0
#define R_OK	      4
#define W_OK	      2
#define X_OK	      1
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
int access(const char *path, int mode);
int unlink(const char *path);
int rmdir(const char *path);
off_t lseek(int fd, off_t off, int whence);
pid_t getpid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
int isatty(int fd);
int pipe(int fds[2]);
int dup(int fd);
int dup2(int a, int b);
unsigned int sleep(unsigned int s);
int usleep(useconds_t us);
long sysconf(int name);
#endif
