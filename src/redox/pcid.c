/* SPDX-License-Identifier: MIT */
/*
 * The pcid client channel: bincode requests and responses (pcid.h).
 */
#include "redox/pcid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redox/redox_shim.h"
#include "util/bytes.h"
#include "util/log.h"

/* A bounds-checked reader over a response; any short read sets bad. */
struct rd {
	const uint8_t *p;
	size_t len, at;
	bool bad;
};

static const uint8_t *take(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (r->bad || r->len - r->at < n) {
		r->bad = true;
		return NULL;
	}
	q = r->p + r->at;
	r->at += n;
	return q;
}

static uint8_t rd8(struct rd *r)
{
	const uint8_t *q = take(r, 1);

	return q ? q[0] : 0;
}

static uint16_t rd16(struct rd *r)
{
	const uint8_t *q = take(r, 2);

	return q ? npu_le16(q) : 0;
}

static uint32_t rd32(struct rd *r)
{
	const uint8_t *q = take(r, 4);

	return q ? npu_le32(q) : 0;
}

static uint64_t rd64(struct rd *r)
{
	const uint8_t *q = take(r, 8);

	return q ? npu_le64(q) : 0;
}

/* Option<T>'s leading byte: 0 or 1, anything else is not bincode. */
static bool rd_some(struct rd *r)
{
	uint8_t b = rd8(r);

	if (b > 1)
		r->bad = true;
	return b == 1;
}

static int rd_tag(struct rd *r, uint32_t want)
{
	uint32_t tag = rd32(r);

	if (r->bad)
		return -EPROTO;
	if (tag == NPU_PCID_RSP_ERROR) {
		uint32_t kind = rd32(r);

		npu_err(PCI, "pcid refused the request (error %u%s)", kind,
			kind == 0 ? ": no such feature" : "");
		return -EIO;
	}
	if (tag != want) {
		npu_err(PCI, "pcid answered with response %u where %u was expected", tag, want);
		return -EPROTO;
	}
	return 0;
}

static int rd_end(struct rd *r, const char *what)
{
	if (r->bad || r->at != r->len) {
		npu_err(PCI,
			"pcid's %s response is %zu bytes, which is not the layout npud knows "
			"(a pcid of another Redox release?)",
			what, r->len);
		return -EPROTO;
	}
	return 0;
}

int npu_pcid_decode_config(const uint8_t *buf, size_t len, struct npu_pcid_config *out)
{
	struct rd r = { .p = buf, .len = len };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = rd_tag(&r, NPU_PCID_RSP_CONFIG);
	if (ret)
		return ret;
	out->segment = rd16(&r);
	out->bus = rd8(&r);
	out->dev = rd8(&r);
	out->func = rd8(&r);
	for (unsigned i = 0; i < 6; i++) {
		struct npu_pcid_bar *b = &out->bars[i];

		b->kind = (enum npu_pcid_bar_kind)rd32(&r);
		switch (b->kind) {
		case NPU_PCID_BAR_NONE:
			break;
		case NPU_PCID_BAR_MEM32:
			b->addr = rd32(&r);
			b->size = rd32(&r);
			break;
		case NPU_PCID_BAR_MEM64:
			b->addr = rd64(&r);
			b->size = rd64(&r);
			break;
		case NPU_PCID_BAR_PORT:
			b->addr = rd16(&r);
			break;
		default:
			r.bad = true;
		}
	}
	if (rd_some(&r)) { /* rom: addr, size, enabled */
		rd32(&r);
		rd32(&r);
		rd8(&r);
	}
	if (rd_some(&r)) { /* legacy interrupt line */
		out->has_legacy_irq = true;
		out->legacy_irq = rd8(&r);
		if (rd_some(&r)) { /* device-tree phandle, addr[3], cells */
			take(&r, 4 + 12 + 8);
		}
	}
	out->vendor = rd16(&r);
	out->device = rd16(&r);
	out->class_code = rd8(&r);
	out->subclass = rd8(&r);
	out->interface = rd8(&r);
	out->revision = rd8(&r);
	return rd_end(&r, "Config");
}

/* One request/response exchange on the channel; *rsp is malloc'd. */
static int pcid_transact(size_t fd, const uint8_t *req, size_t req_len, uint8_t **rsp,
			 size_t *rsp_len)
{
	uint8_t lenbuf[8];
	uint64_t n;
	uint8_t *buf;
	size_t r, got;

	r = redox_write_v1(fd, req, req_len);
	if (redox_is_err(r))
		return -redox_errno(r);
	if (r != req_len)
		return -EIO;
	for (got = 0; got < sizeof(lenbuf); got += r) {
		r = redox_read_v1(fd, lenbuf + got, sizeof(lenbuf) - got);
		if (redox_is_err(r))
			return -redox_errno(r);
		if (r == 0)
			return -EPIPE;
	}
	n = npu_le64(lenbuf);
	if (n == 0 || n > NPU_PCID_RSP_MAX) {
		npu_err(PCI, "pcid announced a response of %llu bytes", (unsigned long long)n);
		return -EPROTO;
	}
	buf = malloc((size_t)n);
	if (!buf)
		return -ENOMEM;
	for (got = 0; got < n; got += r) {
		r = redox_read_v1(fd, buf + got, (size_t)n - got);
		if (redox_is_err(r) || r == 0) {
			free(buf);
			return redox_is_err(r) ? -redox_errno(r) : -EPIPE;
		}
	}
	*rsp = buf;
	*rsp_len = (size_t)n;
	return 0;
}

static int simple_request(size_t fd, const uint8_t *req, size_t len, uint32_t want, struct rd *r,
			  uint8_t **keep)
{
	int ret = pcid_transact(fd, req, len, keep, &r->len);

	if (ret)
		return ret;
	r->p = *keep;
	r->at = 0;
	r->bad = false;
	return rd_tag(r, want);
}

int npu_pcid_get_config(size_t fd, struct npu_pcid_config *out)
{
	uint8_t req[4], *rsp = NULL;
	size_t len;
	int ret;

	npu_put_le32(req, NPU_PCID_REQ_CONFIG);
	ret = pcid_transact(fd, req, sizeof(req), &rsp, &len);
	if (ret)
		return ret;
	ret = npu_pcid_decode_config(rsp, len, out);
	free(rsp);
	return ret;
}

int npu_pcid_features(size_t fd, bool *msi, bool *msix)
{
	uint8_t req[4], *rsp = NULL;
	struct rd r = { 0 };
	uint64_t n;
	int ret;

	*msi = *msix = false;
	npu_put_le32(req, NPU_PCID_REQ_FEATURES);
	ret = simple_request(fd, req, sizeof(req), NPU_PCID_RSP_ALL_FEATURES, &r, &rsp);
	if (ret)
		goto out;
	n = rd64(&r);
	for (uint64_t i = 0; i < n && !r.bad; i++) {
		uint32_t f = rd32(&r);

		*msi |= f == NPU_PCID_MSI;
		*msix |= f == NPU_PCID_MSIX;
	}
	ret = rd_end(&r, "AllFeatures");
out:
	free(rsp);
	return ret;
}

int npu_pcid_enable_msi(size_t fd, uint64_t addr, uint32_t data)
{
	uint8_t req[32], *rsp = NULL;
	struct rd r = { 0 };
	size_t n = 0;
	int ret;

	/* SetFeatureInfo(Msi { mme: Some(0), message: Some{addr, data}, mask_bits: None }) */
	npu_put_le32(req + n, NPU_PCID_REQ_SET_FEATURE_INFO);
	npu_put_le32(req + n + 4, NPU_PCID_MSI);
	n += 8;
	req[n++] = 1;
	req[n++] = 0;
	req[n++] = 1;
	npu_put_le64(req + n, addr);
	npu_put_le32(req + n + 8, data);
	n += 12;
	req[n++] = 0;
	ret = simple_request(fd, req, n, NPU_PCID_RSP_SET_FEATURE_INFO, &r, &rsp);
	if (!ret && rd32(&r) != NPU_PCID_MSI)
		ret = -EPROTO;
	if (!ret)
		ret = rd_end(&r, "SetFeatureInfo");
	free(rsp);
	rsp = NULL;
	if (ret)
		return ret;

	return npu_pcid_enable_feature(fd, NPU_PCID_MSI);
}

int npu_pcid_enable_feature(size_t fd, enum npu_pcid_feature feature)
{
	uint8_t req[8], *rsp = NULL;
	struct rd r = { 0 };
	int ret;

	npu_put_le32(req, NPU_PCID_REQ_ENABLE_FEATURE);
	npu_put_le32(req + 4, (uint32_t)feature);
	ret = simple_request(fd, req, sizeof(req), NPU_PCID_RSP_FEATURE_ENABLED, &r, &rsp);
	if (!ret && rd32(&r) != (uint32_t)feature)
		ret = -EPROTO;
	if (!ret)
		ret = rd_end(&r, "FeatureEnabled");
	free(rsp);
	return ret;
}

int npu_pcid_msix_info(size_t fd, struct npu_pcid_msix *out)
{
	uint8_t req[8], *rsp = NULL;
	struct rd r = { 0 };
	int ret;

	/* FeatureInfo(MsiX) -> FeatureInfo(MsiX, PciFeatureInfo::MsiX(MsixInfo)) */
	npu_put_le32(req, NPU_PCID_REQ_FEATURE_INFO);
	npu_put_le32(req + 4, NPU_PCID_MSIX);
	ret = simple_request(fd, req, sizeof(req), NPU_PCID_RSP_FEATURE_INFO, &r, &rsp);
	if (!ret) {
		uint32_t feature = rd32(&r);
		uint32_t info_kind = rd32(&r); /* PciFeatureInfo: Msi 0, MsiX 1 */

		if (feature != NPU_PCID_MSIX || info_kind != NPU_PCID_MSIX)
			ret = -EPROTO;
	}
	if (!ret) {
		out->table_bar = rd8(&r);
		out->table_offset = rd32(&r);
		out->table_size = rd16(&r);
		out->pba_bar = rd8(&r);
		out->pba_offset = rd32(&r);
		ret = rd_end(&r, "FeatureInfo");
	}
	free(rsp);
	return ret;
}

void npu_pcid_bdf(const struct npu_pcid_config *c, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%u", c->segment, c->bus, c->dev, c->func);
}
