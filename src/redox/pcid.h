/* SPDX-License-Identifier: MIT */
/*
 * The pcid client channel (PCID_CLIENT_CHANNEL): one bincode-encoded request
 * written, then an 8-byte little-endian length and that many bytes of the
 * bincode-encoded response read (docs/redox.md, Redox interfaces). Only what npud
 * needs: the device's configuration, its features, and MSI set-up.
 *
 * bincode 1.3 as pcid uses it: little-endian fixed-width integers, enum tags
 * as u32, Option as one byte 0/1 then the value, Vec as a u64 count.
 */
#ifndef NPU_REDOX_PCID_H
#define NPU_REDOX_PCID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NPU_PCID_RSP_MAX (1u << 20) /* what pcid_interface accepts */

enum npu_pcid_req {
	NPU_PCID_REQ_ENABLE_DEVICE = 0,
	NPU_PCID_REQ_CONFIG = 1,
	NPU_PCID_REQ_FEATURES = 2,
	NPU_PCID_REQ_ENABLE_FEATURE = 4,
	NPU_PCID_REQ_FEATURE_INFO = 5,
	NPU_PCID_REQ_SET_FEATURE_INFO = 6,
};

enum npu_pcid_rsp {
	NPU_PCID_RSP_ENABLED_DEVICE = 0,
	NPU_PCID_RSP_CONFIG = 1,
	NPU_PCID_RSP_ALL_FEATURES = 2,
	NPU_PCID_RSP_FEATURE_ENABLED = 4,
	NPU_PCID_RSP_ERROR = 6,
	NPU_PCID_RSP_FEATURE_INFO = 7,
	NPU_PCID_RSP_SET_FEATURE_INFO = 8,
};

enum npu_pcid_feature { NPU_PCID_MSI = 0, NPU_PCID_MSIX = 1 };

enum npu_pcid_bar_kind {
	NPU_PCID_BAR_NONE = 0,
	NPU_PCID_BAR_MEM32 = 1,
	NPU_PCID_BAR_MEM64 = 2,
	NPU_PCID_BAR_PORT = 3,
};

struct npu_pcid_bar {
	enum npu_pcid_bar_kind kind;
	uint64_t addr, size; /* port: addr is the port, size 0 */
};

/* SubdriverArguments, the reply to RequestConfig. */
struct npu_pcid_config {
	uint16_t segment;
	uint8_t bus, dev, func;
	struct npu_pcid_bar bars[6];
	bool has_legacy_irq;
	uint8_t legacy_irq;
	uint16_t vendor, device;
	uint8_t class_code, subclass, interface, revision;
};

/*
 * Decodes a whole Config response (tag included). -EPROTO when it is not one
 * or its bytes do not add up (pcid changed: pin the Redox release), -EIO when
 * pcid answered Error.
 */
int npu_pcid_decode_config(const uint8_t *buf, size_t len, struct npu_pcid_config *out);

int npu_pcid_get_config(size_t fd, struct npu_pcid_config *out);
/* Which of MSI and MSI-X the function has. */
int npu_pcid_features(size_t fd, bool *msi, bool *msix);
/* Programs one MSI message (address, data) and enables MSI. */
int npu_pcid_enable_msi(size_t fd, uint64_t addr, uint32_t data);

/* MsixInfo (base `drivers/pcid/src/driver_interface/msi.rs`): where the table is. */
struct npu_pcid_msix {
	uint8_t table_bar;
	uint32_t table_offset;
	uint16_t table_size; /* entries of 16 bytes */
	uint8_t pba_bar;
	uint32_t pba_offset;
};

/* FeatureInfo(MsiX): the function's MSI-X table. */
int npu_pcid_msix_info(size_t fd, struct npu_pcid_msix *out);
/* EnableFeature(feature). */
int npu_pcid_enable_feature(size_t fd, enum npu_pcid_feature feature);

/* "0000:00:0b.0" */
void npu_pcid_bdf(const struct npu_pcid_config *c, char *buf, size_t len);

#endif
