/* SPDX-License-Identifier: MIT */
/*
 * Driver counters and the device status report (stats.h): the job layer's
 * busy-time hooks, the walk over the DMA memory the driver holds, the power
 * state and clock from the buttress, and the report's JSON form.
 */
#include "driver/btrs.h"
#include "driver/hws.h"
#include "driver/stats.h"

#include <stdio.h>
#include <string.h>

#include "driver/device.h"
#include "driver/diag.h"
#include "driver/job.h"
#include "hw/regs_btrs_lnl.h"
#include "hw/regs_btrs_mtl.h"
#include "hw/regs_mmu.h"
#include "util/json.h"

_Static_assert(NPU_STATS_MAX_CLIENTS == NPU_CTX_MAX, "one report entry per context");

/* One page table of mmu_ctx.c: 512 eight-byte entries, one 4 KiB allocation. */
#define PT_BYTES ((uint64_t)NPU_MMU_PT_ENTRIES * sizeof(uint64_t))

/* ---- busy time (job-layer hooks) ---- */

static void busy_inc(struct npu_busy *b, uint64_t now)
{
	if (b->queued++ == 0)
		b->since_ns = now;
}

static void busy_dec(struct npu_busy *b, uint64_t now)
{
	if (!b->queued)
		return;
	if (--b->queued == 0 && now > b->since_ns)
		b->total_ns += now - b->since_ns;
}

/* The busy time up to now, the open interval included. */
static uint64_t busy_ns(const struct npu_busy *b, uint64_t now)
{
	return b->total_ns + (b->queued && now > b->since_ns ? now - b->since_ns : 0);
}

void drv_stats_job_queued(struct npu_ctx *c, uint64_t now_ns)
{
	struct npu_device *d = c->dev;
	struct npu_dev_counters *k = &d->counters;

	/* The first interval of a new boot: what came before belongs to earlier boots. */
	if (!k->busy.queued && k->busy_boot_ready_ns != d->ready_ns) {
		k->busy_boot_ready_ns = d->ready_ns;
		k->busy_before_boot_ns = k->busy.total_ns;
	}
	busy_inc(&k->busy, now_ns);
	busy_inc(&c->busy, now_ns);
}

void drv_stats_job_done(struct npu_ctx *c, uint64_t now_ns, uint32_t status)
{
	struct npu_dev_counters *k = &c->dev->counters;

	busy_dec(&k->busy, now_ns);
	busy_dec(&c->busy, now_ns);
	if (status == NPU_JSM_STATUS_SUCCESS)
		k->jobs_completed++;
	else
		k->jobs_failed++;
}

void drv_stats_wait_timed_out(struct npu_device *d, uint32_t timeout_us)
{
	/* A zero timeout is a poll, not a wait that gave up. */
	if (timeout_us)
		d->counters.job_wait_timeouts++;
}

/* ---- DMA memory: a walk over what the driver holds ---- */

static uint64_t dma_bytes(const struct npu_dma *dma)
{
	return dma->cpu ? dma->size : 0;
}

static uint64_t page_table_bytes(const struct npu_mmu_ctx *m)
{
	return m->pgd.cpu ? dma_bytes(&m->pgd) + (uint64_t)m->tables * PT_BYTES : 0;
}

/*
 * An orphan (owner destroyed, memory kept for its shares) is on no list: it
 * is counted at its first share in walk order (contexts by id, buffers by VA).
 */
static bool first_share_of_orphan(const struct npu_device *d, const struct npu_bo *share)
{
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		const struct npu_ctx *c = d->ctx[i];

		if (!c)
			continue;
		for (const struct npu_bo *b = c->bos; b; b = b->next) {
			if (b == share)
				return true;
			if (b->owner == share->owner)
				return false;
		}
	}
	return true;
}

/* The context's DMA memory: owned buffers, orphans it shares (once), queue, tables. */
static uint64_t ctx_dma_bytes(const struct npu_device *d, const struct npu_ctx *c)
{
	uint64_t n = dma_bytes(&c->jobq) + page_table_bytes(&c->mmu);

	for (const struct npu_bo *b = c->bos; b; b = b->next) {
		if (!b->owner)
			n += dma_bytes(&b->dma);
		else if (b->owner->orphan && first_share_of_orphan(d, b))
			n += dma_bytes(&b->owner->dma);
	}
	return n;
}

static void client_fill(const struct npu_ctx *c, uint64_t now, struct npu_client_stats *o)
{
	memset(o, 0, sizeof(*o));
	o->id = c->id;
	o->ssid = c->ssid;
	o->memory_bytes = dma_bytes(&c->jobq);
	for (const struct npu_bo *b = c->bos; b; b = b->next)
		o->memory_bytes += b->size;
	o->page_table_bytes = page_table_bytes(&c->mmu);
	o->busy_time_us = busy_ns(&c->busy, now) / 1000u;
	o->jobs_completed = c->jobs_completed;
	o->jobs_failed = c->jobs_failed;
	o->jobs_queued = c->queued;
	o->faulted = c->faulted;
	memcpy(o->name, c->owner_name, sizeof(o->name));
	o->name[sizeof(o->name) - 1] = '\0';
	o->pid = c->owner_pid;
	o->uid = c->owner_uid;
	snprintf(o->priority, sizeof(o->priority), "%s", drv_prio_name(c->priority));
}

static void memory_fill(struct npu_device *d, struct npu_device_stats *s)
{
	const struct npu_mmu *mmu = &d->mmu;

	s->memory_firmware_bytes = dma_bytes(&d->fw_runtime.dma) + dma_bytes(&d->shave_nn.dma);
	s->memory_ipc_bytes = dma_bytes(&d->ipc_tx.dma) + dma_bytes(&d->ipc_rx.dma) +
			      dma_bytes(&d->log_crit.dma) + dma_bytes(&d->log_verbose.dma);
	s->memory_mmu_bytes = dma_bytes(&mmu->strtab) + dma_bytes(&mmu->cdtab) +
			      dma_bytes(&mmu->cmdq) + dma_bytes(&mmu->evtq) +
			      page_table_bytes(&d->gctx) + page_table_bytes(&d->rctx);
	s->memory_contexts_bytes = 0;
	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		if (d->ctx[i])
			s->memory_contexts_bytes += ctx_dma_bytes(d, d->ctx[i]);
	}
	s->memory_used_bytes = s->memory_firmware_bytes + s->memory_ipc_bytes +
			       s->memory_mmu_bytes + s->memory_contexts_bytes;
	s->memory_total_known = d->plat->dma_mem_size != 0;
	s->memory_total_bytes = d->plat->dma_mem_size;
}

/* ---- registers: power state and clock ---- */

static void power_fill(struct npu_device *d, struct npu_device_stats *s)
{
	bool mtl = d->gen == NPU_GEN_37XX;
	uint32_t d0i3 =
	    REGB_RD32(&d->mmio, mtl ? NPU_BTRS_MTL_VPU_D0I3_CONTROL : NPU_BTRS_LNL_D0I3_CONTROL);
	uint32_t status = drv_btrs_vpu_status(d);
	/* The I3 and READY bits sit alike in both buttress layouts. */
	bool d0 =
	    !(d0i3 & NPU_BTRS_MTL_VPU_D0I3_CONTROL_I3) && (status & NPU_BTRS_MTL_VPU_STATUS_READY);

	if (d0i3 == NPU_REG_IO_ERROR || status == NPU_REG_IO_ERROR) {
		s->power_state[0] = '\0'; /* the device does not answer */
		s->frequency_known = false;
		return;
	}
	snprintf(s->power_state, sizeof(s->power_state), "%s", d0 ? "D0" : "D0i3");
	drv_diag_pll(d, &s->pll_ratio, &s->frequency_mhz);
	s->frequency_known = true;
}

/* ---- the report ---- */

void drv_device_stats(struct npu_device *d, struct npu_device_stats *out)
{
	const struct npu_dev_counters *k = &d->counters;
	const struct npu_platform_pci *pci = &d->plat->pci;
	uint64_t now = npu_now_ns(d->plat), busy = busy_ns(&k->busy, now);
	struct npu_device_stats *s = out;
	size_t n;

	memset(s, 0, sizeof(*s));
	snprintf(s->generation, sizeof(s->generation), "%s", npu_gen_name(d->gen));
	s->pci_vendor = pci->vendor;
	s->pci_device = pci->device;
	snprintf(s->pci_id, sizeof(s->pci_id), "%04x:%04x", pci->vendor, pci->device);
	snprintf(s->bdf, sizeof(s->bdf), "%s", pci->bdf);
	/* Longer version texts are cut (the full one is in npuctl diag). */
	n = strnlen(d->fw.version, sizeof(s->firmware_version) - 1);
	memcpy(s->firmware_version, d->fw.version, n);
	snprintf(s->state, sizeof(s->state), "%s", drv_dev_state_name(d->state));
	snprintf(s->scheduling, sizeof(s->scheduling), "%s", drv_sched_name(d->sched_mode));
	s->boot_count = d->boot_count;

	s->busy_time_us = busy / 1000u;
	if (d->state == NPU_DEV_READY && now >= d->ready_ns) {
		/* Intervals opened before this boot's first one all ended at a power-down. */
		uint64_t since =
		    k->busy_boot_ready_ns == d->ready_ns ? busy - k->busy_before_boot_ns : 0;
		uint64_t up = now - d->ready_ns;

		s->uptime_known = true;
		s->uptime_us = up / 1000u;
		s->utilization_known = true;
		s->utilization = up ? (double)since / (double)up : 0.0;
		if (s->utilization > 1.0)
			s->utilization = 1.0;
	}

	power_fill(d, s);
	memory_fill(d, s);

	for (unsigned i = 0; i < NPU_CTX_MAX; i++) {
		if (d->ctx[i])
			client_fill(d->ctx[i], now, &s->clients[s->n_clients++]);
	}
	s->jobs_completed = k->jobs_completed;
	s->jobs_failed = k->jobs_failed;
	s->jobs_queued = k->busy.queued;
	s->recoveries = d->recoveries;
	s->mmu_faults = d->mmu_faults;
	s->ipc_timeouts = d->ipc.stats.timeouts;
	s->job_wait_timeouts = k->job_wait_timeouts;
	s->timeouts = s->ipc_timeouts + s->job_wait_timeouts;
}

/* ---- JSON ---- */

static void json_u64_or_null(struct npu_json *j, const char *key, bool known, uint64_t v)
{
	if (known)
		npu_json_u64(j, key, v);
	else
		npu_json_null(j, key);
}

static void json_str_or_null(struct npu_json *j, const char *key, const char *v)
{
	if (v[0])
		npu_json_str(j, key, v);
	else
		npu_json_null(j, key);
}

static void client_json(struct npu_json *j, const struct npu_client_stats *c)
{
	npu_json_obj_begin(j, NULL);
	npu_json_u64(j, "id", c->id);
	npu_json_u64(j, "ssid", c->ssid);
	npu_json_u64(j, "memory_bytes", c->memory_bytes);
	npu_json_u64(j, "page_table_bytes", c->page_table_bytes);
	npu_json_u64(j, "busy_time_us", c->busy_time_us);
	npu_json_u64(j, "jobs_completed", c->jobs_completed);
	npu_json_u64(j, "jobs_failed", c->jobs_failed);
	npu_json_u64(j, "jobs_queued", c->jobs_queued);
	npu_json_bool(j, "faulted", c->faulted);
	if (c->priority[0])
		npu_json_str(j, "priority", c->priority);
	else
		npu_json_null(j, "priority");
	if (c->name[0])
		npu_json_str(j, "name", c->name);
	else
		npu_json_null(j, "name");
	if (c->pid > 0)
		npu_json_i64(j, "pid", c->pid);
	else
		npu_json_null(j, "pid");
	if (c->uid >= 0)
		npu_json_i64(j, "uid", c->uid);
	else
		npu_json_null(j, "uid");
	npu_json_obj_end(j);
}

void drv_device_stats_json(struct npu_json *j, const char *key, const struct npu_device_stats *s)
{
	npu_json_obj_begin(j, key);
	npu_json_str(j, "device", s->bdf);
	npu_json_str(j, "generation", s->generation);
	npu_json_str(j, "pci_id", s->pci_id);
	json_str_or_null(j, "firmware_version", s->firmware_version);
	npu_json_str(j, "state", s->state);
	npu_json_str(j, "scheduling", s->scheduling);
	npu_json_u64(j, "boot_count", s->boot_count);
	json_u64_or_null(j, "uptime_us", s->uptime_known, s->uptime_us);
	npu_json_u64(j, "busy_time_us", s->busy_time_us);
	if (s->utilization_known)
		npu_json_double(j, "utilization", s->utilization);
	else
		npu_json_null(j, "utilization");
	json_u64_or_null(j, "frequency_mhz", s->frequency_known, s->frequency_mhz);
	json_str_or_null(j, "power_state", s->power_state);
	npu_json_u64(j, "memory_used_bytes", s->memory_used_bytes);
	json_u64_or_null(j, "memory_total_bytes", s->memory_total_known, s->memory_total_bytes);
	npu_json_obj_begin(j, "memory_by_use_bytes");
	npu_json_u64(j, "firmware", s->memory_firmware_bytes);
	npu_json_u64(j, "ipc_and_logs", s->memory_ipc_bytes);
	npu_json_u64(j, "mmu", s->memory_mmu_bytes);
	npu_json_u64(j, "contexts", s->memory_contexts_bytes);
	npu_json_obj_end(j);
	npu_json_arr_begin(j, "clients");
	for (unsigned i = 0; i < s->n_clients; i++)
		client_json(j, &s->clients[i]);
	npu_json_arr_end(j);
	npu_json_u64(j, "jobs_completed", s->jobs_completed);
	npu_json_u64(j, "jobs_failed", s->jobs_failed);
	npu_json_u64(j, "jobs_queued", s->jobs_queued);
	npu_json_u64(j, "recoveries", s->recoveries);
	npu_json_u64(j, "mmu_faults", s->mmu_faults);
	npu_json_u64(j, "timeouts", s->timeouts);
	npu_json_u64(j, "ipc_timeouts", s->ipc_timeouts);
	npu_json_u64(j, "job_wait_timeouts", s->job_wait_timeouts);
	npu_json_obj_end(j);
}
