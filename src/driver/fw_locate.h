/* SPDX-License-Identifier: MIT */
/*
 * Where a generation's firmware image is looked for (docs/hardware.md §4.1):
 * an explicit file, else $NPU_FIRMWARE_PATH (a folder), else the system
 * firmware folder; in a folder, vpu_<gen>_v1.bin first, then vpu_<gen>_v0.0.bin.
 */
#ifndef NPU_DRIVER_FW_LOCATE_H
#define NPU_DRIVER_FW_LOCATE_H

#include <stddef.h>

#include "hw/gen.h"

/* Redox: where packaging/redox/npu-firmware installs Intel's images (docs/redox.md). */
#ifdef __redox__
#define NPU_FW_SYSTEM_DIR "/usr/lib/firmware/intel/vpu"
#else
#define NPU_FW_SYSTEM_DIR "/lib/firmware/intel/vpu"
#endif

/*
 * Finds the image for `gen`. `explicit_path` (may be NULL) wins when given and
 * is returned as is, even if missing, so the caller reports it. Otherwise the
 * first existing candidate is copied to `out`. Returns 0, -ENOENT when no
 * candidate exists (`out` then holds the last path tried), -EINVAL for a
 * generation without firmware names, -ENAMETOOLONG when a path does not fit.
 */
int drv_fw_locate(enum npu_gen gen, const char *explicit_path, char *out, size_t out_len);

/* The Debian package that ships Intel's images, for messages. */
/* Largest file taken for a firmware image: the runtime window limit (docs/hardware.md §4.3). */
#define NPU_FW_FILE_MAX ((size_t)512 << 20)

#define NPU_FW_PACKAGE_HINT \
	"Debian's firmware-intel-misc package (bookworm-backports, non-free-firmware)"

#endif
