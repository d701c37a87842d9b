/* SPDX-License-Identifier: MIT */
#ifndef NPU_DRIVER_FW_LOAD_H
#define NPU_DRIVER_FW_LOAD_H

struct npu_device;

/* Places the firmware runtime, IPC and log buffers in the global context. */
int npu_fw_mem_init(struct npu_device *d);
void npu_fw_mem_fini(struct npu_device *d);

/* Writes the cold-boot parameters into the first page of the runtime buffer. */
void npu_fw_boot_params_fill(struct npu_device *d);

#endif
