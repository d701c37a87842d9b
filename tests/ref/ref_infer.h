/* SPDX-License-Identifier: MIT */
/*
 * A CPU reference of the network format (docs/model-format.md), written from
 * that document alone, apart from the device model's engine: its own parser,
 * its own arithmetic. The tests and the fuzz target hold the simulated NPU's
 * statuses and output bytes against it.
 */
#ifndef NPU_TEST_REF_INFER_H
#define NPU_TEST_REF_INFER_H

#include <stddef.h>
#include <stdint.h>

/* Job statuses of docs/model-format.md §7 (docs/firmware-protocol.md §2.2), restated. */
#define REF_OK		     0x0u
#define REF_PARSING_ERR	     0x1u
#define REF_WRONG_FORMAT     0x7u
#define REF_UNSUPPORTED	     0x8u
#define REF_OUT_OF_RESOURCES 0xAu

/* What a valid blob says about its jobs. */
struct ref_model_info {
	uint32_t sample_size; /* input bytes per sample */
	uint32_t record_size; /* output bytes per sample */
	uint32_t classes;
	int softmax;
	uint64_t work; /* per sample */
};

/*
 * Steps 2 and 3 of §7 on the model_size bytes at model: REF_OK with *info,
 * REF_WRONG_FORMAT or REF_UNSUPPORTED. why (may be NULL) gets the reason.
 */
uint32_t ref_check(const uint8_t *model, size_t model_size, struct ref_model_info *info,
		   const char **why);

/*
 * The status the device gives a job on these bytes (steps 2 to 5; no faults)
 * and, on REF_OK, the batch records in output (output_size bytes; the bytes
 * past the records are left as they were).
 */
uint32_t ref_infer(const uint8_t *model, size_t model_size, uint32_t batch, const uint8_t *input,
		   size_t input_size, uint8_t *output, size_t output_size, const char **why);

#endif
