/* SPDX-License-Identifier: MIT */
/*
 * libnpu: the client side of npud, the Intel NPU driver daemon.
 *
 * One handle (struct npu) is one client of one NPU: its own NPU address
 * space (an MMU context), its own job queue, its own buffers. A handle
 * reaches the NPU one of two ways, with the same calls and the same results:
 *
 *  - through a running npud, over its Unix socket (npu_open with a socket
 *    path); buffers are shared memory between the client and npud, so data
 *    is never copied through the socket;
 *  - in-process: the handle runs the driver itself on the device it names
 *    ("sim" for the simulated NPU, "auto", or a PCI address).
 *
 * Errors: every function returning int returns 0 or a negative errno value;
 * npu_strerror() words it, npu_last_error() gives the detail the server sent
 * with the last error on this handle. A handle is safe to use from several
 * threads (calls are serialised); buffers and batches belong to their handle.
 *
 * Typical use:
 *
 *     struct npu *n;  struct npu_buf *cmd, *dst;  struct npu_batch *b;
 *     npu_open(&(struct npu_open_opts){ .device = "sim" }, &n);
 *     npu_buf_create(n, 1 << 20, 0, &dst);
 *     npu_buf_create(n, npu_batch_size(n, 4, 0), 0, &cmd);
 *     npu_batch_begin(cmd, 4, &b);
 *     npu_batch_fill(b, npu_buf_va(dst), 1 << 20, 0xA5A5A5A5);
 *     npu_batch_end(b);               // the command buffer is ready
 *     npu_submit(n, cmd, (struct npu_buf *[]){ dst }, 1, &job);
 *     npu_wait(n, job, 5000, &status);  // status 0: success
 *     ... read npu_buf_ptr(dst) ...
 *     npu_close(n);                   // frees buffers and batches left over
 */
#ifndef NPU_NPU_H
#define NPU_NPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(NPU_API)
#define NPU_API __attribute__((visibility("default")))
#elif !defined(NPU_API)
#define NPU_API
#endif

/* The request protocol version this library speaks (docs/request-protocol.md). */
#define NPU_PROTOCOL_VERSION 1u

/* Where npud listens by default on Linux. */
#define NPU_DEFAULT_SOCKET "/run/npud/npud.sock"

struct npu;
struct npu_buf;
struct npu_batch;

struct npu_open_opts {
	/* Path of npud's socket: talk to that daemon. NULL: run in-process. */
	const char *socket;
	/* In-process only: "auto" (NULL), "sim", or a PCI address. */
	const char *device;
	/* In-process only: firmware file (NULL: search, else the synthetic image). */
	const char *firmware;
	/* In-process, simulated NPU only: "37xx" or "40xx" (NULL: 37xx). */
	const char *gen;
	/* A name for this client, shown in npuctl status (NULL: the program's). */
	const char *client_name;
	/* In-process, simulated NPU only: a fault to inject (docs/simulator.md; NULL: none). */
	const char *sim_fault;
	/* In-process only: write the register trace to this file (NULL: none). */
	const char *trace_path;
	/* In-process only: hang-detection period in ms (0: the default, 2000). */
	uint32_t tdr_timeout_ms;
	/*
	 * In-process only: "os" (the driver's order), "hws" (the firmware's
	 * hardware scheduler, which honours priorities) or "auto" (NULL:
	 * $NPU_SCHED, else auto: HWS with firmware of JSM API 3.24 or newer, as
	 * Linux chooses).
	 */
	const char *sched;
	/* This client's priority, an NPU_PRIORITY_* (0: the default, normal). */
	uint32_t priority;
};

/*
 * Client priorities: the firmware's priority bands under hardware scheduling
 * (a higher band's jobs run first and preempt a lower band's at command
 * boundaries). The values of Linux's DRM_IVPU_JOB_PRIORITY_*. FOCUS and
 * REALTIME are for privileged clients of npud (root, npud's user, members of
 * npud's group): -EPERM otherwise. Under OS scheduling the priority is kept
 * and reported but does not order jobs.
 */
#define NPU_PRIORITY_DEFAULT  0u /* normal */
#define NPU_PRIORITY_IDLE     1u
#define NPU_PRIORITY_NORMAL   2u
#define NPU_PRIORITY_FOCUS    3u
#define NPU_PRIORITY_REALTIME 4u

/* Connects or starts the driver. -ECONNREFUSED/-ENOENT: no npud there; -EACCES: not allowed. */
NPU_API int npu_open(const struct npu_open_opts *opts, struct npu **out);
/* Frees every buffer and batch of the handle and disconnects (jobs in flight are dropped). */
NPU_API void npu_close(struct npu *n);

/* What the NPU is. Strings are NUL-terminated and always present ("" when unknown). */
struct npu_info {
	uint32_t protocol_version;
	char generation[8];   /* "37xx", "40xx" */
	char platform[32];    /* "Meteor Lake", ... */
	char pci_address[32]; /* "0000:00:0b.0", or "sim" */
	uint16_t pci_vendor, pci_device;
	uint8_t pci_revision;
	uint8_t simulated; /* 1: the simulated NPU */
	char firmware_version[96];
	char firmware_path[256];
	uint32_t api_version_jsm;  /* major << 16 | minor, 0: unknown */
	uint32_t api_version_boot; /* major << 16 | minor, 0: unknown */
	uint64_t capabilities;	   /* NPU_CAP_* */
	uint64_t memory_total_bytes;
	uint64_t memory_used_bytes;
	char state[16]; /* "ready", "failed", ... */
	uint32_t client_id;
	uint32_t max_buffers; /* this client's limits */
	uint64_t max_buffer_bytes;
	uint32_t max_queued_jobs;
};

#define NPU_CAP_COPY	  (1ull << 0) /* COPY_SYSTEM_TO_SYSTEM */
#define NPU_CAP_FILL	  (1ull << 1) /* MEMORY_FILL */
#define NPU_CAP_FENCE	  (1ull << 2) /* FENCE_WAIT / FENCE_SIGNAL */
#define NPU_CAP_TIMESTAMP (1ull << 3)
#define NPU_CAP_INFERENCE (1ull << 4) /* INFERENCE_EXECUTE (docs/model-format.md on the model) */
#define NPU_CAP_SIMULATED (1ull << 63)

NPU_API int npu_query(struct npu *n, struct npu_info *info);

/* Buffers: memory both the client and the NPU see, at a fixed NPU address. */
NPU_API int npu_buf_create(struct npu *n, size_t size, unsigned flags, struct npu_buf **out);
NPU_API void npu_buf_free(struct npu_buf *b);
NPU_API void *npu_buf_ptr(const struct npu_buf *b);
NPU_API uint64_t npu_buf_va(const struct npu_buf *b);
NPU_API size_t npu_buf_size(const struct npu_buf *b);

/*
 * Command buffers ("batches", docs/firmware-protocol.md §4): built in a buffer created for
 * it, npu_batch_size() bytes big for n_cmds commands and n_copy_desc copy
 * descriptors (each COPY of up to 8 MiB takes one).
 */
NPU_API size_t npu_batch_size(struct npu *n, unsigned n_cmds, unsigned n_copy_desc);
NPU_API int npu_batch_begin(struct npu_buf *buf, unsigned n_cmds, struct npu_batch **out);
/*
 * npu_batch_nop appends a command that does nothing. The client is not told the
 * firmware's job-command API, so it is a BARRIER, which every firmware knows (NOP
 * needs job-command API 4.10; Intel's user-mode driver also sends BARRIER below it).
 */
NPU_API int npu_batch_nop(struct npu_batch *b);
NPU_API int npu_batch_barrier(struct npu_batch *b);
NPU_API int npu_batch_fill(struct npu_batch *b, uint64_t va, uint64_t size, uint32_t pattern);
NPU_API int npu_batch_copy(struct npu_batch *b, uint64_t dst_va, uint64_t src_va, uint64_t size);
NPU_API int npu_batch_timestamp(struct npu_batch *b, uint64_t va);
NPU_API int npu_batch_fence_signal(struct npu_batch *b, uint64_t va, uint64_t value);
NPU_API int npu_batch_fence_wait(struct npu_batch *b, uint64_t va, uint64_t value);
/* INFERENCE_EXECUTE on the inference descriptor at desc_va (docs/model-format.md). */
NPU_API int npu_batch_inference(struct npu_batch *b, uint64_t desc_va, uint32_t desc_size,
				uint64_t inference_id);
/* Writes the header and frees the builder: the buffer is ready to submit. */
NPU_API int npu_batch_end(struct npu_batch *b);

/*
 * Queues the command buffer cmd, which uses the buffers bufs (they stay
 * alive until the job completes: npu_buf_free of one in use only drops the
 * client's view; the driver frees it when the job is done).
 * -EBUSY: the queue is full, wait for a job and retry; -EAGAIN: device not
 * ready (recovering); -EIO: the device failed.
 */
NPU_API int npu_submit(struct npu *n, struct npu_buf *cmd, struct npu_buf *const *bufs,
		       unsigned n_bufs, uint32_t *job_id);

/* Job status values besides the firmware's own (0 = success; docs/firmware-protocol.md §2.2). */
#define NPU_STATUS_ABORTED 256u /* lost to a device reset, or the client's context faulted */

/* Waits up to timeout_ms (0: just look) for the job. -ETIMEDOUT; -ENOENT: unknown job. */
NPU_API int npu_wait(struct npu *n, uint32_t job_id, uint32_t timeout_ms, uint32_t *status);
/*
 * npu_submit and npu_wait in one request, so one round trip to npud: queues
 * cmd and waits up to timeout_ms for the job. 0 with *status when it ended;
 * -ETIMEDOUT when it still runs (*job_id names it for npu_wait); the errors
 * of npu_submit otherwise. job_id may be NULL.
 */
NPU_API int npu_run(struct npu *n, struct npu_buf *cmd, struct npu_buf *const *bufs,
		    unsigned n_bufs, uint32_t timeout_ms, uint32_t *job_id, uint32_t *status);
/* Without waiting: *done 1 and *status when the job completed, *done 0 while it runs. */
NPU_API int npu_job_query(struct npu *n, uint32_t job_id, int *done, uint32_t *status);
/* A job status in words: "success", "MMU fault", "aborted", ... */
NPU_API const char *npu_status_name(uint32_t status);

/*
 * The device status as a JSON object (the keys of docs/cli.md, npuctl status),
 * NUL-terminated in buf. -ENOSPC when len is too small (64 KiB always fits).
 */
NPU_API int npu_status_json(struct npu *n, char *buf, size_t len);

/*
 * Changes this client's priority (NPU_PRIORITY_*); it applies to the jobs
 * the firmware picks from now on. -EINVAL for an unknown value, -EPERM for
 * FOCUS or REALTIME without the privilege.
 */
NPU_API int npu_set_priority(struct npu *n, uint32_t priority);
/* The priority's name: "idle", "normal", "focus", "realtime"; NULL for another value. */
NPU_API const char *npu_priority_name(uint32_t priority);
/* Parses such a name (or "default"): 0 with *priority, -EINVAL. */
NPU_API int npu_priority_parse(const char *name, uint32_t *priority);

/* A full recovery of the NPU (privileged through npud: -EPERM). */
NPU_API int npu_reset(struct npu *n);

/* The text of a negative errno from this library. */
NPU_API const char *npu_strerror(int err);
/*
 * The detail of the latest failed call on n: npud's message, or what the
 * library found. With NULL: why the calling thread's latest npu_open failed.
 */
NPU_API const char *npu_last_error(const struct npu *n);

/* The library's version, "MAJOR.MINOR.PATCH". */
NPU_API const char *npu_version(void);

#ifdef __cplusplus
}
#endif

#endif
