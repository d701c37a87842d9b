/* SPDX-License-Identifier: MIT */
/*
 * SET_PRIORITY (docs/request-protocol.md): a client's scheduling priority,
 * its context's priority band under hardware scheduling (driver/hws.h).
 *
 * Linux ivpu takes every priority from any client (ivpu_job.c:
 * ivpu_submit_ioctl checks only the range). npud keeps the two bands that
 * can hold the NPU away from everyone else, focus and realtime, for root,
 * npud's own user and the members of npud's group; idle and normal are for
 * everyone.
 */
#include <errno.h>
#include <string.h>

#include "driver/hws.h"
#include "driver/job.h"
#include "server/proto.h"
#include "server/server_internal.h"
#include "util/log.h"

static bool may_raise(const struct npu_srv_client *c)
{
	const struct npu_server_config *cfg = &c->s->cfg;

	if (c->privileged || cfg->allow_all)
		return true;
	return cfg->owner_gid_set && srv_peer_in_group(&c->peer, cfg->owner_gid);
}

int srv_op_priority(const struct srv_req *r)
{
	struct npu_srv_client *c = r->c;
	struct npu_req_priority p;
	enum npu_prio band;
	int ret;

	if (r->len != sizeof(p))
		return srv_reply_err(r, -EINVAL, "set-priority takes %zu bytes, not %zu", sizeof(p),
				     r->len);
	memcpy(&p, r->body, sizeof(p));
	if (p.reserved || p.priority > NPU_PROTO_PRIORITY_MAX)
		return srv_reply_err(r, -EINVAL,
				     "priority %u: 0 (default), 1 idle, 2 normal, 3 focus or "
				     "4 realtime",
				     p.priority);
	/* Linux ivpu_job.c: ivpu_job_to_jsm_priority: the default is the normal band. */
	band = p.priority ? (enum npu_prio)(p.priority - 1) : NPU_PRIO_NORMAL;
	if (band > NPU_PRIO_NORMAL && !may_raise(c))
		return srv_reply_err(r, -EPERM,
				     "priority %s is for root and npud's user or group; uid %u is "
				     "none of them",
				     drv_prio_name(band), c->peer.uid);
	if (!c->ctx)
		return srv_reply_err(r, -EPROTO, "no context yet");
	ret = drv_ctx_set_priority(c->ctx, band);
	if (ret)
		return srv_reply_err(r, ret, "the NPU did not take priority %s: %s",
				     drv_prio_name(band), strerror(-ret));
	npu_dbg(SRV, "client %u: priority %s", c->id, drv_prio_name(band));
	return srv_reply(r, NULL, 0, NULL);
}
