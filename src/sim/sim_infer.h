/* SPDX-License-Identifier: MIT */
/*
 * INFERENCE_EXECUTE on the simulated NPU (docs/model-format.md): the command's
 * inference descriptor, the blob and the samples read through the MMU in the
 * job's context, the network run by sim_model.c, the records written back.
 * Called with sim->lock held, from the command engine (sim_cmd.c).
 */
#ifndef NPU_SIM_SIM_INFER_H
#define NPU_SIM_SIM_INFER_H

#include <stdint.h>

struct npu_sim;

/*
 * Runs the 32-byte INFERENCE_EXECUTE command cmd (docs/firmware-protocol.md §4.2) in context
 * ssid. Returns the job status of docs/model-format.md §7: SUCCESS,
 * PARSING_ERR, MVNCI_WRONG_INPUT_FORMAT, MVNCI_UNSUPPORTED_NETWORK_ELEMENT,
 * MVNCI_OUT_OF_RESOURCES or MVNCI_CONTEXT_VIOLATION_HW (an MMU fault, recorded
 * as an event by the MMU). Any bytes are survived; the work is bounded by
 * NPU_INFER_JOB_WORK_MAX and the size caps of include/npu/model.h.
 */
uint32_t sim_infer_exec(struct npu_sim *s, uint32_t ssid, const uint8_t *cmd);

#endif
