/* SPDX-License-Identifier: MIT */
/* npu_strerror: libnpu's errors in the words of what they mean for an NPU client. */
#include <errno.h>
#include <string.h>

#include "npu/npu.h"

struct err_text {
	int err;
	const char *text;
};

static const struct err_text texts[] = {
	{ EPERM, "not permitted (a reset needs root or npud's owner)" },
	{ ENOENT, "no such job, buffer, device or socket" },
	{ EIO, "the NPU failed" },
	{ E2BIG, "too many buffers for one job" },
	{ EBADF, "no such buffer" },
	{ EAGAIN, "the NPU is not ready (a recovery is under way); try again" },
	{ ENOMEM, "out of memory" },
	{ EACCES, "permission denied (npud's socket or its allowed users)" },
	{ EBUSY, "busy: the job queue is full; wait for a job and retry" },
	{ EINVAL, "invalid argument" },
	{ ENOSPC, "no room: the buffer is too small" },
	{ EPIPE, "npud went away (the connection is closed)" },
	{ ENAMETOOLONG, "the socket path is too long" },
	{ ENODEV, "no such NPU" },
	{ EDQUOT, "over this client's limit of buffers, bytes or queued jobs" },
	{ EPROTO, "npud sent a reply that breaks the protocol" },
	{ EBADFD, "this client's NPU context faulted (MMU fault); open a new handle" },
	{ EMSGSIZE, "the request is too large" },
	{ EPROTONOSUPPORT, "npud speaks no protocol version this library knows" },
	{ EOPNOTSUPP, "not supported by this NPU, generation or build" },
	{ ECONNRESET, "npud went away (connection reset)" },
	{ ETIMEDOUT, "timed out" },
	{ ECONNREFUSED, "no npud listening on the socket (connection refused)" },
	{ ENOTCONN, "not connected to npud" },
	{ ECANCELED, "cancelled" },
};

const char *npu_strerror(int err)
{
	if (err == 0)
		return "success";
	if (err > 0)
		return "not an error code (libnpu returns negative errno values)";
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (texts[i].err == -err)
			return texts[i].text;
	}
	return strerror(-err);
}
