/* relibc compat (README.txt): feature macros, nothing npud needs. */
#ifndef _RELIBC_FEATURES_H
#define _RELIBC_FEATURES_H
#endif
