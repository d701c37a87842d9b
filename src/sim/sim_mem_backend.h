/* SPDX-License-Identifier: MIT */
/*
 * Where the simulated NPU's DMA goes: its memory backend.
 *
 * By default the model's "physical" memory is its own arena (sim_mem.c), the
 * memory the in-process platform backend hands out as DMA buffers. A host that
 * owns the memory itself (the vfio-user server, whose guest gives its RAM by
 * DMA_MAP) installs a backend instead: every access the model makes (MMU
 * walks, firmware image, IPC, job queues, command buffers, copies) is a call
 * to its map op, which gives a host pointer for a device physical range, or
 * NULL when the range is outside every region. NULL takes the model's own
 * fault path (an MMU external abort, docs/hardware.md §2.5), as an access
 * to memory that answers with an error does on silicon.
 *
 * The model uses a pointer only while it holds its lock, so a host that
 * changes its regions does so inside npu_sim_mem_quiesce: no access is in
 * flight while fn runs, and none starts until it returns.
 */
#ifndef NPU_SIM_SIM_MEM_BACKEND_H
#define NPU_SIM_SIM_MEM_BACKEND_H

#include <stddef.h>
#include <stdint.h>

struct npu_sim;

struct npu_sim_mem_ops {
	/*
	 * A host pointer to the device physical range [pa, pa + len), or NULL.
	 * *avail (when not NULL) is set to how many bytes from pa the pointer
	 * covers contiguously (at least len on success, 0 on NULL, and may be
	 * asked with a len the range cannot cover in one piece: then the
	 * pointer covers *avail bytes, fewer than len).
	 */
	void *(*map)(void *ctx, uint64_t pa, size_t len, size_t *avail);
};

/* Installs ops (NULL: the arena again). Call before the device is used, or inside quiesce. */
void npu_sim_set_mem_backend(struct npu_sim *sim, const struct npu_sim_mem_ops *ops, void *ctx);

/* Runs fn(arg) with no DMA access of the model in flight. */
void npu_sim_mem_quiesce(struct npu_sim *sim, void (*fn)(void *arg), void *arg);

#endif
