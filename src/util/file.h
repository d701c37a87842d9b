/* SPDX-License-Identifier: MIT */
#ifndef NPU_UTIL_FILE_H
#define NPU_UTIL_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads a whole regular file into a malloc'd buffer (freed by the caller).
 * Files larger than max_size are refused with -EFBIG before anything is read;
 * something that is not a regular file gives -EINVAL. Other failures return
 * the negative errno of the failing call.
 */
int npu_read_file(const char *path, size_t max_size, uint8_t **data, size_t *size);

#endif
