/* SPDX-License-Identifier: MIT */
/*
 * The `npu` scheme: npud's transport on Redox (docs/redox.md). The scheme
 * socket's 64-byte requests become calls on the same server as the Linux
 * socket (server.h); replies go back as 16-byte completions, now or later.
 *
 *   /scheme/npu            a connection: write a request message (proto.h),
 *                          read its reply; or SYS_CALL with metadata[0] =
 *                          NPU_REDOX_CALL_REQUEST, the reply written back
 *                          over the request; mmap at a buffer's va maps it
 *   /scheme/npu/status     the text of `npuctl status`
 *   /scheme/npu/status.json  its JSON (the STATUS reply)
 *   /scheme/npu/infer      write a framed model and input, read the outputs
 *
 * Only root and the configured group may open anything here. A read with no
 * reply yet is parked and answered when the reply comes (from the interrupt
 * path); with O_NONBLOCK it is EAGAIN.
 */
#ifndef NPU_REDOX_SCHEME_H
#define NPU_REDOX_SCHEME_H

#include <stdbool.h>
#include <stdint.h>

struct npu_server;
struct npu_redox_scheme;

#define NPU_REDOX_CALL_REQUEST 1u /* SYS_CALL metadata[0]: one request, its reply */

struct npu_redox_scheme_config {
	const char *name; /* NULL: "npu" */
	bool have_group;
	uint32_t group;	      /* may open the scheme, besides root */
	unsigned max_handles; /* open descriptions at once; 0: 256 */
};

/*
 * Creates the scheme socket (through the namespace's scheme-creation
 * capability), subscribes it to the Redox backend's event queue (the
 * server's device must be on that backend: -EINVAL otherwise) and registers
 * the name in this process's namespace. Root only; before the daemon leaves
 * its namespace. Returns 0 or -errno.
 */
int npu_redox_scheme_create(struct npu_server *s, const struct npu_redox_scheme_config *cfg,
			    struct npu_redox_scheme **out);
/* Closes every open description (their clients gone) and the socket. */
void npu_redox_scheme_destroy(struct npu_redox_scheme *x);

/* The scheme socket (subscribed to the Redox backend's event queue). */
int npu_redox_scheme_fd(const struct npu_redox_scheme *x);

/*
 * One turn of the loop: waits up to timeout_ms (capped by the server's
 * timers; 0: not at all) for requests or the interrupt, serves them, runs the
 * timers. Returns 0, -EPIPE once the kernel closed the socket, or -EIO when
 * the event queue cannot be read.
 */
int npu_redox_scheme_step(struct npu_redox_scheme *x, int timeout_ms);

/* Open descriptions now. */
unsigned npu_redox_scheme_handles(const struct npu_redox_scheme *x);

#endif
