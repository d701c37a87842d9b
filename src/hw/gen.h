/* SPDX-License-Identifier: MIT */
/*
 * NPU generations and the PCI device IDs that select them (docs/hardware.md §1).
 */
#ifndef NPU_HW_GEN_H
#define NPU_HW_GEN_H

#include <stdbool.h>
#include <stdint.h>

enum npu_gen {
	NPU_GEN_UNKNOWN = 0,
	NPU_GEN_37XX, /* Meteor Lake, Arrow Lake: 37xx IP, MTL buttress */
	NPU_GEN_40XX, /* Lunar Lake: 40xx IP, LNL buttress */
	NPU_GEN_50XX, /* Panther Lake, Wildcat Lake: recognised, not supported yet */
	NPU_GEN_60XX, /* Nova Lake: recognised, not supported yet */
};

struct npu_pci_model {
	uint16_t device_id;
	enum npu_gen gen;
	const char *platform; /* "Meteor Lake", ... */
};

/* The model of an Intel PCI device ID, or NULL when it is not an NPU we know. */
const struct npu_pci_model *npu_pci_model_lookup(uint16_t device_id);

/* "37xx", "40xx", ...; "unknown" for NPU_GEN_UNKNOWN. */
const char *npu_gen_name(enum npu_gen gen);

/* Parses "37xx"/"40xx" (also "37"/"40", "mtl"/"arl"/"lnl"); NPU_GEN_UNKNOWN if not one. */
enum npu_gen npu_gen_parse(const char *s);

/* Whether this driver can run the generation (37xx and 40xx). */
bool npu_gen_supported(enum npu_gen gen);

#endif
