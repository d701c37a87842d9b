/* SPDX-License-Identifier: MIT */
#ifndef NPU_DRIVER_FW_LOAD_H
#define NPU_DRIVER_FW_LOAD_H

#include <stdbool.h>
#include <stdint.h>

struct npu_device;
struct npu_fw_image;

/* Places the firmware runtime, IPC and log buffers in the global context. */
int drv_fw_mem_init(struct npu_device *d);
void drv_fw_mem_fini(struct npu_device *d);

/*
 * Each context's job queue has a fixed global VA, one 4 KiB page per context
 * id (1..64) at the top of the global range, which the boot-time buffers never
 * reach: the VA stays the same across every reboot and recovery.
 */
#define NPU_GLOBAL_JOBQ_AREA (64u * 4096u)
uint64_t drv_global_jobq_va(const struct npu_device *d, uint32_t ctx_id);

/*
 * Warm boot (docs/boot-params.md): the firmware memory stays allocated while the MMU
 * tables go; unmap takes it out of the global context, remap puts it back at the same
 * addresses. The restore address is what the firmware wrote into the boot parameters.
 */
void drv_fw_mem_unmap(struct npu_device *d);
int drv_fw_mem_remap(struct npu_device *d);
uint64_t drv_fw_restore_address(const struct npu_device *d);
/* Refreshes the warm-boot fields of the page (boot type, D0i3 times, wall clock). */
void drv_fw_boot_params_warm(struct npu_device *d);

/* Writes the cold-boot parameters into the first page of the runtime buffer. */
void drv_fw_boot_params_fill(struct npu_device *d);

/* Whether the firmware takes PWR_D0I3_ENTER (BOOT API >= 3.17, as Linux). */
bool drv_fw_d0i3_msg_supported(const struct npu_fw_image *fw);

#endif
