/* relibc compat (README.txt). */
#ifndef _RELIBC_SIGNAL_H
#define _RELIBC_SIGNAL_H
#include <sys/types.h>
typedef unsigned long long sigset_t;
typedef int sig_atomic_t;
#define SIGHUP	   1
#define SIGINT	   2
#define SIGQUIT	   3
#define SIGKILL	   9
#define SIGPIPE	   13
#define SIGTERM	   15
#define SIG_DFL	   ((void (*)(int))0)
#define SIG_IGN	   ((void (*)(int))1)
#define SA_RESTART 0x10000000
struct sigaction {
	void (*sa_handler)(int);
	unsigned long sa_flags;
	void (*sa_restorer)(void);
	sigset_t sa_mask;
};
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int sigemptyset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int kill(pid_t pid, int sig);
int raise(int sig);
#endif
