/* SPDX-License-Identifier: MIT */
/*
 * npud - the `make vm-test` guest program's helpers on the ivpu uAPI
 * (<drm/ivpu_accel.h>): buffers, submit, wait, and a writer of Intel's command
 * buffers (src/hw/cmd.h, docs/firmware-protocol.md §4).
 */
#ifndef NPU_TESTS_VM_GUEST_UAPI_H
#define NPU_TESTS_VM_GUEST_UAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACCEL_NODE  "/dev/accel/accel0"
#define PCI_ID_40XX 0x643e

struct bo {
	uint32_t handle;
	uint64_t va; /* NPU virtual address */
	uint64_t size;
	uint8_t *cpu; /* mmap'ed */
};

/* Command BO layout: the batch header at offset 0, then the commands. */
#define CMDS_AT	   64u	 /* first command */
#define SAVE_AREA  4096u /* context save area */
#define DESC_AT	   8192u /* copy descriptors */
#define FENCES_AT  12288u
#define STAMPS_AT  16384u
#define CMD_BO_SZE 65536u

/* A command buffer being written: commands from CMDS_AT, cb_end writes the header. */
struct cb {
	struct bo *bo;
	uint32_t at;
};

/* Failed checks so far (result() with ok false). */
extern int guest_failures;

/* Prints "VMTEST PASS name: ..." or "VMTEST FAIL name: ..." on stdout. */
void result(bool ok, const char *name, const char *fmt, ...);

/* The ioctls: 0 or -errno. bo_new creates a mappable BO and mmaps it. */
int get_param(int fd, uint32_t param, uint32_t index, uint64_t *value);
int bo_new(int fd, uint64_t size, struct bo *bo);
void bo_free(int fd, struct bo *bo);
int64_t now_ns(void); /* CLOCK_MONOTONIC */
/* DRM_IOCTL_IVPU_BO_WAIT until now + ms: 0 with the job's *status, or -errno. */
int bo_wait(int fd, uint32_t handle, int64_t ms, uint32_t *status);
/* DRM_IOCTL_IVPU_SUBMIT: handles[0] is the command BO (header at offset 0). */
int submit(int fd, const uint32_t *handles, uint32_t count);

/* Intel's commands (src/hw/cmd.h); cmd_copy's one descriptor goes at DESC_AT. */
void cb_begin(struct cb *cb, struct bo *bo);
void cb_put(struct cb *cb, const void *cmd, uint16_t size);
void cb_end(struct cb *cb);
void cmd_fill(struct cb *cb, uint64_t va, uint64_t size, uint32_t pattern);
void cmd_barrier(struct cb *cb);
void cmd_fence(struct cb *cb, uint16_t type, uint64_t va, uint64_t value);
void cmd_timestamp(struct cb *cb, uint64_t va);
void cmd_copy(struct cb *cb, bool gen40, uint64_t src, uint64_t dst, uint32_t size);
/* 64-bit CPU reads and writes of a BO, with a full fence. */
uint64_t rd64(const struct bo *bo, uint32_t off);
void wr64(struct bo *bo, uint32_t off, uint64_t v);
/* First offset in [from, to) not holding the 32-bit LE pattern, or -1. */
long check_pattern(const struct bo *data, uint32_t from, uint32_t to, uint32_t pattern);

#endif /* NPU_TESTS_VM_GUEST_UAPI_H */
