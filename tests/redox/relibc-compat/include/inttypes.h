/* relibc compat (README.txt): x86_64, where int64_t is long. */
#ifndef _RELIBC_INTTYPES_H
#define _RELIBC_INTTYPES_H
#include <stdint.h>
#define PRId8	"d"
#define PRId16	"d"
#define PRId32	"d"
#define PRId64	"ld"
#define PRIi64	"li"
#define PRIu8	"u"
#define PRIu16	"u"
#define PRIu32	"u"
#define PRIu64	"lu"
#define PRIx8	"x"
#define PRIx16	"x"
#define PRIx32	"x"
#define PRIx64	"lx"
#define PRIX32	"X"
#define PRIX64	"lX"
#define PRIuPTR "lu"
#define PRIxPTR "lx"
#define SCNu64	"lu"
#define SCNx64	"lx"
#define SCNu32	"u"
#endif
