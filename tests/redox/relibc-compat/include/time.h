/* relibc compat (README.txt). */
#ifndef _RELIBC_TIME_H
#define _RELIBC_TIME_H
#include <sys/types.h>
struct timespec {
	time_t tv_sec;
	long tv_nsec;
};
struct tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};
#define CLOCK_REALTIME	1
#define CLOCK_MONOTONIC 4
int clock_gettime(clockid_t clock, struct timespec *tp);
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp);
time_t time(time_t *t);
struct tm *gmtime_r(const time_t *t, struct tm *out);
struct tm *localtime_r(const time_t *t, struct tm *out);
size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm);
char *ctime(const time_t *t);
#endif
