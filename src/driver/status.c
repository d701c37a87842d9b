/* SPDX-License-Identifier: MIT */
#include "driver/status.h"

#include "driver/job.h"
#include "hw/jsm.h"

const char *drv_job_status_name(uint32_t status)
{
	switch (status) {
	case NPU_JSM_STATUS_SUCCESS:
		return "success";
	case NPU_JSM_STATUS_PARSING_ERR:
		return "the command buffer could not be parsed";
	case NPU_JSM_STATUS_PROCESSING_ERR:
		return "processing error";
	case NPU_JSM_STATUS_PREEMPTED:
		return "preempted";
	case NPU_JSM_STATUS_ABORTED:
		return "aborted by the firmware";
	case NPU_JSM_STATUS_USER_CTX_VIOL_ERR:
		return "context violation";
	case NPU_JSM_STATUS_GLOBAL_CTX_VIOL_ERR:
		return "global context violation";
	case NPU_JSM_STATUS_MVNCI_WRONG_INPUT_FORMAT:
		return "wrong input format (a malformed network blob)";
	case NPU_JSM_STATUS_MVNCI_UNSUPPORTED_NETWORK_ELEMENT:
		return "unsupported network element";
	case NPU_JSM_STATUS_MVNCI_OUT_OF_RESOURCES:
		return "out of resources";
	case NPU_JSM_STATUS_MVNCI_NOT_IMPLEMENTED:
		return "not implemented by the firmware";
	case NPU_JSM_STATUS_MVNCI_CONTEXT_VIOLATION_HW:
		return "MMU fault in the job's context";
	case NPU_JOB_STATUS_ABORTED:
		return "aborted by the driver (device reset or faulted context)";
	default:
		return "failed";
	}
}
