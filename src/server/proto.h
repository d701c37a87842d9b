/* SPDX-License-Identifier: MIT */
/*
 * npud's request protocol (docs/request-protocol.md), the same behind every transport:
 * the Unix socket on Linux (one SOCK_SEQPACKET message per request and per
 * reply, buffers passed as memfds with SCM_RIGHTS) and the Redox scheme.
 *
 * Every message starts with a fixed header; all fields are little-endian and
 * naturally aligned, with explicit reserved fields that must be zero. A
 * request is at most NPU_PROTO_REQ_MAX bytes, a reply NPU_PROTO_RSP_MAX.
 * A reply echoes the request's op and seq; status is 0 or a negative errno,
 * and on error the payload is a message in plain words (UTF-8, no NUL).
 */
#ifndef NPU_SERVER_PROTO_H
#define NPU_SERVER_PROTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * The structs below are the wire layout on a little-endian host; every NPU
 * host (x86-64) is one, and the build refuses any other.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the request protocol structs assume a little-endian host"
#endif

#define NPU_PROTO_REQ_MAGIC 0x5155504eu /* "NPUQ" */
#define NPU_PROTO_RSP_MAGIC 0x5255504eu /* "NPUR" */
#define NPU_PROTO_VERSION   1u
#define NPU_PROTO_REQ_MAX   4096u
#define NPU_PROTO_RSP_MAX   65536u
#define NPU_PROTO_ERR_MAX   256u /* bytes of an error message */

enum npu_proto_op {
	NPU_OP_HELLO = 1,
	NPU_OP_QUERY = 2,
	NPU_OP_BUF_CREATE = 3,
	NPU_OP_BUF_FREE = 4,
	NPU_OP_BUF_MAP = 5,
	NPU_OP_SUBMIT = 6,
	NPU_OP_WAIT = 7,
	NPU_OP_JOB_QUERY = 8,
	NPU_OP_STATUS = 9,
	NPU_OP_RESET = 10,
	NPU_OP_RUN = 11,
	NPU_OP_SET_PRIORITY = 12,
	NPU_OP_MAX_ = 13,
};

struct npu_req_hdr {
	uint32_t magic;	  /* NPU_PROTO_REQ_MAGIC */
	uint16_t version; /* NPU_PROTO_VERSION */
	uint16_t op;	  /* enum npu_proto_op */
	uint32_t size;	  /* bytes of the whole message, header included */
	uint32_t seq;	  /* the client's; echoed in the reply */
};

struct npu_rsp_hdr {
	uint32_t magic; /* NPU_PROTO_RSP_MAGIC */
	uint16_t version;
	uint16_t op;
	uint32_t size;
	uint32_t seq;
	int32_t status; /* 0 or -errno */
	uint32_t reserved;
};

/* HELLO: the first request of a connection. */
struct npu_req_hello {
	uint32_t version_min, version_max; /* versions the client speaks */
	uint32_t flags;			   /* 0 */
	uint32_t reserved;
	char name[32]; /* the client's name, NUL-padded, for status */
};
struct npu_rsp_hello {
	uint32_t version; /* chosen */
	uint32_t client_id;
	uint32_t max_buffers;
	uint32_t max_queued_jobs;
	uint64_t max_buffer_bytes; /* all of the client's buffers together */
};

/* QUERY: no payload. */
struct npu_rsp_query {
	char generation[8];
	char platform[32];
	char pci_address[32];
	uint16_t pci_vendor, pci_device;
	uint8_t pci_revision;
	uint8_t simulated;
	uint8_t reserved0[2];
	char firmware_version[96];
	char firmware_path[256];
	uint32_t api_version_jsm;
	uint32_t api_version_boot;
	uint64_t capabilities;
	uint64_t memory_total_bytes;
	uint64_t memory_used_bytes;
	char state[16];
};

/* BUF_CREATE: one buffer, shared with the client (a memfd on Linux). */
struct npu_req_buf_create {
	uint64_t size;	/* 1 .. the client's byte limit; rounded up to 4 KiB */
	uint32_t flags; /* 0 */
	uint32_t reserved;
};
/* BUF_CREATE and BUF_MAP reply: the buffer; its memory comes with it. */
struct npu_rsp_buf {
	uint32_t handle; /* the client's name for it, never 0 */
	uint32_t reserved;
	uint64_t va;   /* where the NPU sees it in the client's context */
	uint64_t size; /* bytes, rounded up */
};
/* BUF_FREE and BUF_MAP. */
struct npu_req_buf {
	uint32_t handle;
	uint32_t reserved;
};

/* SUBMIT: the command buffer and every buffer the job uses. */
#define NPU_PROTO_SUBMIT_MAX_BUFS 64u
struct npu_req_submit {
	uint32_t cmd_handle; /* the command buffer starts at its first byte */
	uint32_t n_bufs;     /* <= NPU_PROTO_SUBMIT_MAX_BUFS */
	uint32_t bufs[];     /* n_bufs handles */
};
struct npu_rsp_submit {
	uint32_t job_id;
	uint32_t reserved;
};

/* WAIT: replied when the job completes or the timeout passes (-ETIMEDOUT). */
struct npu_req_wait {
	uint32_t job_id;
	uint32_t timeout_ms; /* 0: look only; at most NPU_PROTO_WAIT_MAX_MS */
};
#define NPU_PROTO_WAIT_MAX_MS 3600000u
/* WAIT and JOB_QUERY reply. */
struct npu_rsp_job {
	uint32_t job_id;
	uint32_t done; /* 1: completed, status valid */
	uint32_t status;
	uint32_t reserved;
};
/*
 * RUN: SUBMIT and WAIT in one request, replied (struct npu_rsp_job) when the
 * job ends, or with done 0 once timeout_ms has passed: the job runs on, and
 * WAIT or JOB_QUERY take it by its id.
 */
struct npu_req_run {
	uint32_t timeout_ms; /* 0: submit and look once; at most NPU_PROTO_WAIT_MAX_MS */
	uint32_t reserved;
	/* then a SUBMIT payload: struct npu_req_submit and its handles */
};
/* JOB_QUERY. */
struct npu_req_job {
	uint32_t job_id;
	uint32_t reserved;
};

/* STATUS: the device status report, as JSON text. */
struct npu_req_status {
	uint32_t format; /* 0: JSON */
	uint32_t reserved;
};

/* RESET: no payload; privileged. */

/*
 * SET_PRIORITY: the client's scheduling priority (docs/request-protocol.md),
 * the values of Linux's DRM_IVPU_JOB_PRIORITY_*: 0 default (normal), 1 idle,
 * 2 normal, 3 focus, 4 realtime. Focus and realtime are for privileged
 * clients. Empty reply.
 */
#define NPU_PROTO_PRIORITY_MAX 4u
struct npu_req_priority {
	uint32_t priority;
	uint32_t reserved; /* 0 */
};

_Static_assert(sizeof(struct npu_req_hdr) == 16, "request header");
_Static_assert(sizeof(struct npu_rsp_hdr) == 24, "reply header");
_Static_assert(sizeof(struct npu_req_hello) == 48, "hello");
_Static_assert(sizeof(struct npu_rsp_hello) == 24, "hello reply");
_Static_assert(sizeof(struct npu_rsp_query) == 480, "query reply");
_Static_assert(offsetof(struct npu_rsp_query, firmware_version) == 80, "query layout");
_Static_assert(offsetof(struct npu_rsp_query, capabilities) == 440, "query layout");
_Static_assert(sizeof(struct npu_req_buf_create) == 16, "buf create");
_Static_assert(sizeof(struct npu_rsp_buf) == 24, "buf reply");
_Static_assert(sizeof(struct npu_req_buf) == 8, "buf");
_Static_assert(sizeof(struct npu_req_submit) == 8, "submit");
_Static_assert(sizeof(struct npu_rsp_submit) == 8, "submit reply");
_Static_assert(sizeof(struct npu_req_wait) == 8, "wait");
_Static_assert(sizeof(struct npu_rsp_job) == 16, "job reply");
_Static_assert(sizeof(struct npu_req_job) == 8, "job query");
_Static_assert(sizeof(struct npu_req_status) == 8, "status");
_Static_assert(sizeof(struct npu_req_priority) == 8, "priority");

const char *npu_proto_op_name(unsigned op);

#endif
