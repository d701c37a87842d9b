/* SPDX-License-Identifier: MIT */
#ifndef NPU_DRIVER_STATUS_H
#define NPU_DRIVER_STATUS_H

#include <stdint.h>

/*
 * Plain words for a job status: the firmware's JSM status codes (docs/firmware-protocol.md
 * §2.2) and the driver's NPU_JOB_STATUS_ABORTED (256). Never NULL.
 */
const char *drv_job_status_name(uint32_t status);

#endif
