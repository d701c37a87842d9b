/* relibc compat (README.txt). */
#ifndef _RELIBC_PTHREAD_H
#define _RELIBC_PTHREAD_H
#include <sys/types.h>
#include <time.h>
typedef struct {
	unsigned char opaque[12];
} pthread_mutex_t;
typedef struct {
	unsigned char opaque[4];
} pthread_mutexattr_t;
typedef struct {
	unsigned char opaque[8];
} pthread_cond_t;
typedef struct {
	unsigned char opaque[8];
} pthread_condattr_t;
typedef unsigned long pthread_t;
typedef struct {
	unsigned char opaque[32];
} pthread_attr_t;
typedef struct {
	unsigned char opaque[4];
} pthread_once_t;
#define PTHREAD_MUTEX_INITIALIZER \
	{                         \
		{                 \
			0         \
		}                 \
	}
#define PTHREAD_COND_INITIALIZER \
	{                        \
		{                \
			0        \
		}                \
	}
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int pthread_join(pthread_t t, void **ret);
pthread_t pthread_self(void);
#endif
