/* SPDX-License-Identifier: MIT */
#include "hw/gen.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "hw/pci_ids.h"

static const struct npu_pci_model models[] = {
	{ NPU_PCI_DEVICE_MTL, NPU_GEN_37XX, "Meteor Lake" },
	{ NPU_PCI_DEVICE_ARL, NPU_GEN_37XX, "Arrow Lake" },
	{ NPU_PCI_DEVICE_LNL, NPU_GEN_40XX, "Lunar Lake" },
	{ NPU_PCI_DEVICE_PTL_P, NPU_GEN_50XX, "Panther Lake" },
	{ NPU_PCI_DEVICE_WCL, NPU_GEN_50XX, "Wildcat Lake" },
	{ NPU_PCI_DEVICE_NVL, NPU_GEN_60XX, "Nova Lake" },
};

const struct npu_pci_model *npu_pci_model_lookup(uint16_t device_id)
{
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		if (models[i].device_id == device_id)
			return &models[i];
	}
	return NULL;
}

const char *npu_gen_name(enum npu_gen gen)
{
	switch (gen) {
	case NPU_GEN_37XX:
		return "37xx";
	case NPU_GEN_40XX:
		return "40xx";
	case NPU_GEN_50XX:
		return "50xx";
	case NPU_GEN_60XX:
		return "60xx";
	default:
		return "unknown";
	}
}

enum npu_gen npu_gen_parse(const char *s)
{
	static const struct {
		const char *name;
		enum npu_gen gen;
	} names[] = {
		{ "37xx", NPU_GEN_37XX }, { "37", NPU_GEN_37XX },   { "mtl", NPU_GEN_37XX },
		{ "arl", NPU_GEN_37XX },  { "40xx", NPU_GEN_40XX }, { "40", NPU_GEN_40XX },
		{ "lnl", NPU_GEN_40XX },
	};

	if (!s)
		return NPU_GEN_UNKNOWN;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].gen;
	}
	return NPU_GEN_UNKNOWN;
}

bool npu_gen_supported(enum npu_gen gen)
{
	return gen == NPU_GEN_37XX || gen == NPU_GEN_40XX;
}
