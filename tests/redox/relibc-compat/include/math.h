/* relibc compat (README.txt): relibc's <math.h> is openlibm's. */
#ifndef _RELIBC_MATH_H
#define _RELIBC_MATH_H
#define NAN	    (__builtin_nanf(""))
#define INFINITY    (__builtin_inff())
#define isnan(x)    __builtin_isnan(x)
#define isinf(x)    __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
double sqrt(double x);
double fabs(double x);
double floor(double x);
double ceil(double x);
double round(double x);
double exp(double x);
double log(double x);
double log2(double x);
double pow(double x, double y);
float expf(float x);
float sqrtf(float x);
float fabsf(float x);
double fmax(double a, double b);
double fmin(double a, double b);
long lround(double x);
#endif
