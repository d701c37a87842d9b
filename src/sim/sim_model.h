/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's network engine (docs/model-format.md): checks a blob
 * held in local memory and runs its layers on one sample at a time, in
 * integer arithmetic only. No memory access besides the buffers given; the
 * MMU side (descriptor, copies in and out) is sim_infer.c.
 */
#ifndef NPU_SIM_SIM_MODEL_H
#define NPU_SIM_SIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "npu/model.h"

/* One layer, decoded and checked; arrays point into the blob. */
struct sim_layer {
	uint32_t type, flags;
	uint32_t in_c, in_h, in_w;
	uint32_t out_c, out_h, out_w;
	uint32_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
	int32_t in_zp, out_zp, w_zp;
	uint32_t dot;			    /* K: terms per output (dense, conv2d), logits (head) */
	const uint8_t *bias, *mult, *shift; /* int32 LE [out_c] each */
	const uint8_t *weights;		    /* int8 [out_c][dot] */
	const uint8_t *exp;		    /* uint16 LE [256], head with softmax */
};

struct sim_model {
	uint32_t blob_size;
	uint32_t in_c, in_h, in_w;
	uint32_t sample_size; /* bytes per input sample */
	int32_t in_mult, in_zp;
	uint32_t in_shift;
	uint32_t classes, record_size;
	uint32_t n_layers;
	uint32_t max_elems; /* largest tensor */
	uint32_t max_plane; /* largest conv2d output plane (out_h x out_w) */
	uint64_t work;	    /* per sample (docs/model-format.md §5) */
	struct sim_layer layer[NPU_MODEL_LAYERS_MAX];
};

/*
 * Step 2 of docs/model-format.md §7 on the first 64 bytes of the blob: magic,
 * version, header_size, blob_size against model_size. Returns 0 with
 * *blob_size, or MVNCI_WRONG_INPUT_FORMAT with *why.
 */
uint32_t sim_model_check_header(const uint8_t *hdr, uint32_t model_size, uint32_t *blob_size,
				const char **why);

/*
 * Step 3: the whole blob (blob_size bytes, its header already checked).
 * Returns 0 with *m filled (pointing into blob, which must outlive it), or
 * MVNCI_WRONG_INPUT_FORMAT / MVNCI_UNSUPPORTED_NETWORK_ELEMENT with *why.
 */
uint32_t sim_model_parse(struct sim_model *m, const uint8_t *blob, uint32_t blob_size,
			 const char **why);

/* Bytes of scratch sim_model_run needs for m (at most 6 MiB). */
size_t sim_model_scratch_size(const struct sim_model *m);

/*
 * Runs one sample (m->sample_size bytes) and writes its record
 * (m->record_size bytes), using scratch (sim_model_scratch_size bytes,
 * aligned for int32_t, as malloc gives).
 */
void sim_model_run(const struct sim_model *m, const uint8_t *sample, uint8_t *record,
		   void *scratch);

#endif
