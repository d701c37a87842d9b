/* SPDX-License-Identifier: MIT */
/*
 * Private to the `npu` scheme: open descriptions (handles), the replies they
 * hold, the requests parked on them, and the completions waiting to be
 * written to the socket. scheme.c dispatches requests and runs the loop;
 * scheme_conn.c is a connection to the server; scheme_files.c the status
 * files; scheme_infer.c and scheme_infer_run.c the infer file.
 */
#ifndef NPU_REDOX_SCHEME_INTERNAL_H
#define NPU_REDOX_SCHEME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "redox/redox_shim.h"
#include "redox/scheme.h"
#include "server/server.h"

#define SCH_ROOT_HANDLE 0u   /* the scheme's root, from create_this_scheme_fd */
#define SCH_PARKED_MAX	8u   /* blocking reads parked on one handle */
#define SCH_REPLIES_MAX 128u /* replies queued on one handle, unread */
#define SCH_REPLY_BYTES (1u << 20)
#define SCH_INFER_MAX	(64u << 20) /* bytes of a framed model and input */

enum sch_kind { SCH_CONN, SCH_STATUS, SCH_STATUS_JSON, SCH_INFER, SCH_DIR };

/* The scheme's files by path ("": a connection, or with O_DIRECTORY the root's listing). */
struct sch_file {
	const char *path;
	enum sch_kind kind;
};
#define SCH_N_FILES 4u
extern const struct sch_file sch_files[SCH_N_FILES];

struct sch_reply {
	struct sch_reply *next;
	size_t len;
	uint8_t data[];
};

/* A request the daemon answers later: a read (at off), or a call waiting for seq. */
struct sch_parked {
	uint32_t tag;
	uint8_t *buf;
	size_t cap;
	uint32_t seq;
	uint64_t off;
};

/* A buffer of the connection, as its BUF_CREATE or BUF_MAP reply said. */
struct sch_buf {
	uint32_t handle;
	uint64_t va, size;
	void *cpu;
};

struct sch_infer;
struct npu_redox_events;

struct sch_handle {
	struct npu_redox_scheme *x;
	uint64_t id;
	enum sch_kind kind;
	uint32_t uid, gid, oflags;
	int32_t pid;	 /* the opener's */
	uint32_t events; /* what fevent asked for */
	bool event_sent; /* a SendFevent is out for the current readiness */

	/* SCH_CONN */
	struct npu_srv_client *client;
	bool dead; /* the server closed it: replies left, then EOF */
	struct sch_reply *q_head, *q_tail;
	unsigned q_n;
	size_t q_bytes;
	struct sch_parked reads[SCH_PARKED_MAX];
	unsigned n_reads;
	struct sch_parked call;
	bool call_pending;
	uint32_t free_seq, free_handle; /* a BUF_FREE in flight */
	bool free_pending;
	struct sch_buf *bufs;
	unsigned n_bufs, cap_bufs;

	/* SCH_STATUS, SCH_STATUS_JSON: the report, made at open. */
	char *text;
	size_t text_len;

	/* SCH_INFER (scheme_infer.h) */
	struct sch_infer *inf;
};

struct npu_redox_scheme {
	struct npu_server *s;
	char name[32];
	bool have_group;
	uint32_t group;
	size_t sock;
	bool sock_open;
	struct npu_redox_events *ev; /* the platform's: the socket is subscribed to it */
	struct sch_handle **h;
	unsigned n_h, max_h;
	uint64_t next_id;
	struct redox_cqe *out; /* completions not yet written */
	unsigned n_out, cap_out;
	uint8_t in_tail[REDOX_SQE_SIZE]; /* a partial request read from the socket */
	size_t in_tail_len;
};

/* scheme.c */
void sch_complete(struct npu_redox_scheme *x, uint32_t tag, int64_t result, uint8_t extra);
void sch_fevent(struct sch_handle *h, uint32_t flags);

/* scheme_conn.c: the connection kind. */
int sch_conn_open(struct sch_handle *h, int32_t pid);
void sch_conn_close(struct sch_handle *h);
/* Returns a result to reply now, or 1 when the request was parked. */
int64_t sch_conn_read(struct sch_handle *h, uint32_t tag, uint8_t *buf, size_t len, bool nonblock,
		      bool *parked);
int64_t sch_conn_write(struct sch_handle *h, const uint8_t *buf, size_t len);
int64_t sch_conn_call(struct sch_handle *h, uint32_t tag, uint8_t *buf, size_t len, bool *parked);
int64_t sch_conn_mmap(struct sch_handle *h, uint64_t size, uint64_t off);
bool sch_conn_readable(const struct sch_handle *h);
/* Answers a parked request with ECANCELED (EINTR for its caller); false when tag is not parked here. */
bool sch_conn_cancel(struct sch_handle *h, uint32_t tag);

/* scheme_files.c */
int sch_status_make(struct sch_handle *h);
int64_t sch_file_read(struct sch_handle *h, uint8_t *buf, size_t len, uint64_t off);
/* The root's entries from the opaque position off, as getdents wants them; bytes written. */
int64_t sch_dir_getdents(struct sch_handle *h, uint8_t *buf, size_t len, uint64_t off,
			 uint64_t header_size);

/* scheme_infer.c: the infer kind. */
int sch_infer_open(struct sch_handle *h);
void sch_infer_close(struct sch_handle *h);
int64_t sch_infer_write(struct sch_handle *h, const uint8_t *buf, size_t len);
/* Returns a result to reply now; *parked when the read waits for the outputs. */
int64_t sch_infer_read(struct sch_handle *h, uint32_t tag, uint8_t *buf, size_t len, uint64_t off,
		       bool nonblock, bool *parked);
bool sch_infer_cancel(struct sch_handle *h, uint32_t tag);
uint32_t sch_infer_readiness(const struct sch_handle *h);
uint64_t sch_infer_size(const struct sch_handle *h);
/* Takes up the replies that came to infer runs since the last call. */
void sch_infer_progress(struct npu_redox_scheme *x);

#endif
