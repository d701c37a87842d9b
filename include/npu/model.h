/* SPDX-License-Identifier: MIT */
/*
 * The open network format the simulated NPU runs behind INFERENCE_EXECUTE,
 * and the inference descriptor that command points at (docs/model-format.md).
 *
 * All fields are little-endian at the offsets the _Static_asserts pin. The
 * structs describe the layout; code that must work on any host (the device
 * model, the CPU reference) decodes the bytes field by field.
 */
#ifndef NPU_MODEL_H
#define NPU_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* ---- the inference descriptor (docs/model-format.md §1) ---- */

#define NPU_INFER_DESC_MAGIC   0x4955504Eu /* "NPUI" */
#define NPU_INFER_DESC_VERSION 1u
#define NPU_INFER_DESC_SIZE    64u /* INFERENCE_EXECUTE's width */
#define NPU_INFER_DESC_ALIGN   8u
#define NPU_INFER_BATCH_MAX    4096u
#define NPU_INFER_IO_MAX       (16u << 20)  /* input_size, output_size */
#define NPU_INFER_JOB_WORK_MAX (1ull << 24) /* batch x work per sample */

struct npu_infer_desc {
	uint32_t magic;
	uint32_t version;
	uint32_t batch; /* samples, 1..NPU_INFER_BATCH_MAX */
	uint32_t flags; /* 0 */
	uint64_t model_va;
	uint32_t model_size; /* 1..NPU_MODEL_SIZE_MAX */
	uint32_t input_size; /* batch x sample size */
	uint64_t input_va;
	uint64_t output_va;
	uint32_t output_size; /* >= batch x output_record_size */
	uint32_t reserved[3];
};

/* ---- the blob (docs/model-format.md §2-§6) ---- */

#define NPU_MODEL_MAGIC		    0x4D55504Eu /* "NPUM" */
#define NPU_MODEL_VERSION	    1u
#define NPU_MODEL_HEADER_SIZE	    64u
#define NPU_MODEL_LAYER_HEADER_SIZE 64u
#define NPU_MODEL_INPUT_U8	    1u

#define NPU_MODEL_SIZE_MAX    (16u << 20)
#define NPU_MODEL_LAYERS_MAX  64u
#define NPU_MODEL_DIM_MAX     4096u
#define NPU_MODEL_TENSOR_MAX  (1u << 20) /* elements of any tensor */
#define NPU_MODEL_DOT_MAX     16384u	 /* K of a dense or conv2d output */
#define NPU_MODEL_BIAS_MAX    (1 << 30)	 /* |bias| */
#define NPU_MODEL_MULT_MAX    0x7FFFFFFF /* multipliers are 0..this */
#define NPU_MODEL_SHIFT_MAX   62u
#define NPU_MODEL_KERNEL_MAX  64u /* kernel_h/w of conv2d and maxpool */
#define NPU_MODEL_STRIDE_MAX  64u
#define NPU_MODEL_CLASSES_MAX 4096u	 /* K of the head */
#define NPU_MODEL_WORK_MAX    (1u << 24) /* per sample */

/* Layer types. */
#define NPU_MODEL_LAYER_DENSE	1u
#define NPU_MODEL_LAYER_CONV2D	2u
#define NPU_MODEL_LAYER_RELU	3u
#define NPU_MODEL_LAYER_MAXPOOL 4u
#define NPU_MODEL_LAYER_ARGMAX	5u /* the head: last layer, only there */

/* Flags of the head. */
#define NPU_MODEL_HEAD_SOFTMAX 0x1u /* payload: uint16 exp[256]; probabilities in the record */
#define NPU_MODEL_EXP_TABLE    256u

struct npu_model_header {
	uint32_t magic;
	uint32_t version;
	uint32_t header_size; /* NPU_MODEL_HEADER_SIZE */
	uint32_t blob_size;   /* header + every layer record */
	uint32_t layer_count; /* 1..NPU_MODEL_LAYERS_MAX */
	uint32_t input_type;  /* NPU_MODEL_INPUT_U8 */
	uint32_t input_c, input_h, input_w;
	int32_t input_mult;	     /* 0..NPU_MODEL_MULT_MAX */
	uint32_t input_shift;	     /* 0..NPU_MODEL_SHIFT_MAX */
	int32_t input_zp;	     /* -128..127 */
	uint32_t output_count;	     /* K, the head's classes */
	uint32_t output_record_size; /* npu_model_record_size(K, softmax) */
	uint32_t flags;		     /* 0 */
	uint32_t reserved;
};

/*
 * A layer record's header. Dense and conv2d are followed by bias int32[N],
 * mult int32[N], shift int32[N] and weights int8[N x K] padded with zeros to
 * a multiple of 4; a head with NPU_MODEL_HEAD_SOFTMAX by uint16 exp[256].
 */
struct npu_model_layer {
	uint16_t type;
	uint16_t flags;
	uint32_t size; /* the whole record */
	uint32_t in_c, in_h, in_w;
	uint32_t out_c, out_h, out_w;
	uint16_t kernel_h, kernel_w;
	uint16_t stride_h, stride_w;
	uint16_t pad_h, pad_w;
	int32_t in_zp;
	int32_t out_zp;
	int32_t w_zp;
	uint32_t reserved[2];
};

/* Bytes per sample in the output: u32 class, int8 logits[K], [uint16 probabilities[K]]. */
static inline uint32_t npu_model_record_size(uint32_t classes, int softmax)
{
	uint32_t logits = (classes + 3u) & ~3u;
	uint32_t probs = softmax ? (2u * classes + 3u) & ~3u : 0u;

	return 4u + logits + probs;
}

/* Where the probabilities start in a record. */
static inline uint32_t npu_model_record_probs_offset(uint32_t classes)
{
	return 4u + ((classes + 3u) & ~3u);
}

#define NPU_MODEL_OFF(s, f, off) _Static_assert(offsetof(struct s, f) == (off), #s "." #f)

_Static_assert(sizeof(struct npu_infer_desc) == NPU_INFER_DESC_SIZE, "npu_infer_desc size");
NPU_MODEL_OFF(npu_infer_desc, magic, 0);
NPU_MODEL_OFF(npu_infer_desc, version, 4);
NPU_MODEL_OFF(npu_infer_desc, batch, 8);
NPU_MODEL_OFF(npu_infer_desc, flags, 12);
NPU_MODEL_OFF(npu_infer_desc, model_va, 16);
NPU_MODEL_OFF(npu_infer_desc, model_size, 24);
NPU_MODEL_OFF(npu_infer_desc, input_size, 28);
NPU_MODEL_OFF(npu_infer_desc, input_va, 32);
NPU_MODEL_OFF(npu_infer_desc, output_va, 40);
NPU_MODEL_OFF(npu_infer_desc, output_size, 48);
NPU_MODEL_OFF(npu_infer_desc, reserved, 52);

_Static_assert(sizeof(struct npu_model_header) == NPU_MODEL_HEADER_SIZE, "npu_model_header size");
NPU_MODEL_OFF(npu_model_header, magic, 0);
NPU_MODEL_OFF(npu_model_header, version, 4);
NPU_MODEL_OFF(npu_model_header, header_size, 8);
NPU_MODEL_OFF(npu_model_header, blob_size, 12);
NPU_MODEL_OFF(npu_model_header, layer_count, 16);
NPU_MODEL_OFF(npu_model_header, input_type, 20);
NPU_MODEL_OFF(npu_model_header, input_c, 24);
NPU_MODEL_OFF(npu_model_header, input_h, 28);
NPU_MODEL_OFF(npu_model_header, input_w, 32);
NPU_MODEL_OFF(npu_model_header, input_mult, 36);
NPU_MODEL_OFF(npu_model_header, input_shift, 40);
NPU_MODEL_OFF(npu_model_header, input_zp, 44);
NPU_MODEL_OFF(npu_model_header, output_count, 48);
NPU_MODEL_OFF(npu_model_header, output_record_size, 52);
NPU_MODEL_OFF(npu_model_header, flags, 56);
NPU_MODEL_OFF(npu_model_header, reserved, 60);

_Static_assert(sizeof(struct npu_model_layer) == NPU_MODEL_LAYER_HEADER_SIZE,
	       "npu_model_layer size");
NPU_MODEL_OFF(npu_model_layer, type, 0);
NPU_MODEL_OFF(npu_model_layer, flags, 2);
NPU_MODEL_OFF(npu_model_layer, size, 4);
NPU_MODEL_OFF(npu_model_layer, in_c, 8);
NPU_MODEL_OFF(npu_model_layer, in_h, 12);
NPU_MODEL_OFF(npu_model_layer, in_w, 16);
NPU_MODEL_OFF(npu_model_layer, out_c, 20);
NPU_MODEL_OFF(npu_model_layer, out_h, 24);
NPU_MODEL_OFF(npu_model_layer, out_w, 28);
NPU_MODEL_OFF(npu_model_layer, kernel_h, 32);
NPU_MODEL_OFF(npu_model_layer, kernel_w, 34);
NPU_MODEL_OFF(npu_model_layer, stride_h, 36);
NPU_MODEL_OFF(npu_model_layer, stride_w, 38);
NPU_MODEL_OFF(npu_model_layer, pad_h, 40);
NPU_MODEL_OFF(npu_model_layer, pad_w, 42);
NPU_MODEL_OFF(npu_model_layer, in_zp, 44);
NPU_MODEL_OFF(npu_model_layer, out_zp, 48);
NPU_MODEL_OFF(npu_model_layer, w_zp, 52);
NPU_MODEL_OFF(npu_model_layer, reserved, 56);

#undef NPU_MODEL_OFF

#endif /* NPU_MODEL_H */
