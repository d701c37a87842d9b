/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's firmware: a thread playing the NPU's control CPU.
 *
 * It does not run Intel's code. When the host starts the CPU it does what the
 * firmware must be able to do on silicon: it reads its boot parameters and
 * its own image through the MMU, at the addresses its header (its ROM)
 * names, checks them, and posts the ready message into the host's IPC
 * receive area (docs/hardware.md §3.5, docs/firmware-protocol.md §1.6). Anything wrong leaves it
 * silent, as a firmware that cannot start would be: the host times out.
 *
 * Once ready it serves: host messages (sim_jsm.c) and job queues (sim_jobs.c),
 * each time the host kicks it, and every millisecond while a job is blocked
 * on a fence or a message waits for a free slot in the host's RX area. Its
 * messages go into the first free slots of the RX header and payload areas
 * (status FREE: released by the host), never over one the host still holds.
 */
#include <errno.h>
#include <sched.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/ipc.h"
#include "hw/jsm.h"
#include "sim/fw_synth.h"
#include "sim/sim_internal.h"
#include "sim/sim_jobs.h"
#include "util/bytes.h"
#include "util/cpu_relax.h"
#include "util/log.h"

#define BOOT_LATENCY_US	      500u    /* a quick firmware start */
#define LATE_READY_LATENCY_US 600000u /* late, but inside the host's 1 s boot timeout */
#define BAD_READY_DATA_ADDR   0x0BADB007u
#define PAGE		      4096u
#define RERUN_NS	      1000000L /* blocked work is looked at again after 1 ms */
#define STATUS_OFFSET	      12u      /* of the status in an IPC header and in a JSM message */
#define POLL_YIELD_NS	      20000u   /* polling gives its core away this often */
#define RX_SLOTS_MAX	      1024u /* slots used per RX area: bounds the search for a free one */

/* Reads the ROM's header with the reference layout (hw/fw_header.h), not the driver's parser. */
static int rom_init(struct sim_rom *rom, const uint8_t *file, size_t size)
{
	const size_t image_off = NPU_FW_FILE_IMAGE_OFFSET;

	rom->file = file;
	rom->file_size = size;
	if (size < image_off)
		return -EINVAL;
	rom->image_load_address =
	    npu_le64(file + offsetof(struct npu_fw_header, image_load_address));
	rom->image_size = npu_le32(file + offsetof(struct npu_fw_header, image_size));
	rom->entry_point = npu_le64(file + offsetof(struct npu_fw_header, entry_point));
	rom->boot_params_load_address =
	    npu_le64(file + offsetof(struct npu_fw_header, boot_params_load_address));
	rom->runtime_size = npu_le32(file + offsetof(struct npu_fw_header, runtime_size));
	rom->shave_nn_fw_size = npu_le32(file + offsetof(struct npu_fw_header, shave_nn_fw_size));
	rom->api_job_cmd = npu_le32(file + offsetof(struct npu_fw_header, api_version) +
				    4u * NPU_FW_API_IDX_JOB_CMD);
	rom->api_boot =
	    npu_le32(file + offsetof(struct npu_fw_header, api_version) + 4u * NPU_FW_API_IDX_BOOT);
	if (rom->image_size > size - image_off)
		return -EINVAL;
	return 0;
}

static void fail(struct npu_sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct npu_sim *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->fw.fail_reason, sizeof(s->fw.fail_reason), fmt, ap);
	va_end(ap);
	s->fw.state = SIM_FW_FAILED;
	npu_info(SIM, "firmware: boot abandoned: %s", s->fw.fail_reason);
	sim_fwlog(s, SIM_LOG_ERR, "boot: failed: %s", s->fw.fail_reason);
}

/* Sleeps with the lock released; false if the CPU was stopped meanwhile. */
static bool sleep_unlocked(struct npu_sim *s, uint32_t us)
{
	uint32_t epoch = s->fw.epoch;
	struct timespec ts = { us / 1000000u, (long)(us % 1000000u) * 1000 };

	pthread_mutex_unlock(&s->lock);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	pthread_mutex_lock(&s->lock);
	return s->fw.epoch == epoch && !s->fw.quit;
}

/* Compares the image the host loaded (read through the MMU) with the ROM's. */
static int check_image(struct npu_sim *s)
{
	const struct sim_rom *rom = &s->rom;
	const uint8_t *want = rom->file + NPU_FW_FILE_IMAGE_OFFSET;
	uint8_t page[PAGE];

	for (uint32_t off = 0; off < rom->image_size; off += PAGE) {
		uint32_t n = rom->image_size - off < PAGE ? rom->image_size - off : PAGE;
		int ret = sim_mmu_access(s, 0, rom->image_load_address + off, page, n, false);

		if (ret) {
			fail(s, "cannot read its image at 0x%" PRIx64 " through the MMU (%d)",
			     rom->image_load_address + off, ret);
			return ret;
		}
		if (memcmp(page, want + off, n) != 0) {
			fail(s,
			     "the image loaded at 0x%llx differs from the firmware file at +0x%x",
			     (unsigned long long)rom->image_load_address, off);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- posting into the host's RX area (docs/firmware-protocol.md §1.5) ---- */

/* The first slot from start whose status (len bytes at offset 12) is FREE; -EBUSY if none. */
static int find_free(struct npu_sim *s, uint64_t area, uint32_t slots, uint32_t start,
		     uint32_t slot_size, size_t len, uint32_t *found)
{
	for (uint32_t i = 0; i < slots; i++) {
		uint32_t n = (start + i) % slots;
		uint8_t st[4] = { 0 };

		if (sim_mmu_access(s, 0, area + (uint64_t)n * slot_size + STATUS_OFFSET, st, len,
				   false))
			return -EFAULT;
		if ((st[0] | st[1] | st[2] | st[3]) == 0) {
			*found = n;
			return 0;
		}
	}
	return -EBUSY;
}

int sim_fw_post_hdr(struct npu_sim *s, struct npu_ipc_hdr *hdr, struct npu_jsm_msg *msg, bool self,
		    bool record)
{
	uint32_t h = 0, p = 0;
	uint64_t hdr_va;
	int ret;

	if (!sim_host_fifo_room(s))
		return -ENOSPC;
	if (s->fw.rx_free_known) {
		/* sim_fw_can_post found both free, and only the firmware takes slots. */
		h = s->fw.rx_next;
		p = s->fw.rx_payload_next;
		s->fw.rx_free_known = false;
	} else {
		ret = find_free(s, s->fw.rx_hdr_area, s->fw.rx_hdr_slots, s->fw.rx_next,
				(uint32_t)sizeof(*hdr), sizeof(hdr->status), &h);
		if (!ret && msg)
			ret = find_free(s, s->fw.rx_payload_area, s->fw.rx_payload_slots,
					s->fw.rx_payload_next, NPU_JSM_MSG_SIZE,
					sizeof(msg->status), &p);
		if (ret)
			return ret;
	}
	hdr_va = s->fw.rx_hdr_area + (uint64_t)h * sizeof(*hdr);
	if (msg) {
		uint64_t msg_va = s->fw.rx_payload_area + (uint64_t)p * NPU_JSM_MSG_SIZE;

		msg->status = NPU_JSM_MSG_ALLOCATED;
		ret = sim_mmu_access(s, 0, msg_va, msg, sizeof(*msg), true);
		if (ret)
			return ret;
		s->fw.rx_payload_next = (p + 1) % s->fw.rx_payload_slots;
		hdr->data_addr = (uint32_t)msg_va;
	} else if (self) {
		hdr->data_addr = (uint32_t)hdr_va;
	}
	hdr->status = NPU_IPC_HDR_ALLOCATED;
	ret = sim_mmu_access(s, 0, hdr_va, hdr, sizeof(*hdr), true);
	if (ret)
		return ret;
	s->fw.rx_next = (h + 1) % s->fw.rx_hdr_slots;
	/* Recorded before the host can see it: its place in the record is before the host's pop. */
	if (record && msg && SIM_RECORDING(s))
		sim_rec_jsm(s, false, hdr->channel, msg);
	return sim_ip_post_to_host(s, (uint32_t)hdr_va);
}

bool sim_fw_can_post(struct npu_sim *s)
{
	uint32_t h = 0, p = 0;
	int ret = sim_host_fifo_room(s) ? 0 : -EBUSY;

	if (s->fw.rx_free_known && !ret)
		return true;
	if (!ret)
		ret = find_free(s, s->fw.rx_hdr_area, s->fw.rx_hdr_slots, s->fw.rx_next,
				(uint32_t)sizeof(struct npu_ipc_hdr), 1, &h);
	if (!ret)
		ret = find_free(s, s->fw.rx_payload_area, s->fw.rx_payload_slots,
				s->fw.rx_payload_next, NPU_JSM_MSG_SIZE, 4, &p);
	if (ret == -EBUSY) {
		s->fw.rx_full++;
		return false;
	}
	if (!ret) {
		/* The next post writes there: the first free slots from where it would look. */
		s->fw.rx_next = h;
		s->fw.rx_payload_next = p;
		s->fw.rx_free_known = true;
	}
	/* A fault is recorded once, by the post that follows, not every millisecond. */
	return true;
}

void sim_fw_heartbeat(struct npu_sim *s)
{
	if (!s->fw.hung)
		s->fw.heartbeat++;
}

/*
 * An IPC area the firmware cannot use: smaller than one slot, not 64-byte aligned, or not
 * wholly below 4 GiB (the 32-bit data_addr of docs/firmware-protocol.md §1.1).
 */
static bool ipc_area_unusable(uint64_t start, uint32_t size, uint32_t slot)
{
	return size < slot || start % NPU_IPC_ALIGN || start >> 32 || (start + size - 1) >> 32;
}
/* ---- boot ---- */

static void boot(struct npu_sim *s)
{
	struct npu_boot_params *bp;
	struct npu_ipc_hdr ready;
	char why[200];
	uint32_t latency = BOOT_LATENCY_US;
	bool warm = s->fw.warm.saved && s->fw.entry == s->fw.warm.ret_address;
	int ret;

	s->fw.state = SIM_FW_BOOTING;
	s->fw.fail_reason[0] = '\0';
	sim_fwlog_reset(s);
	if (!warm && s->fw.entry != s->rom.entry_point) {
		fail(s, "started at 0x%llx, but its entry point is 0x%llx%s",
		     (unsigned long long)s->fw.entry, (unsigned long long)s->rom.entry_point,
		     s->fw.warm.saved ? " and its restore entry another" : "");
		return;
	}
	if (!warm)
		s->fw.warm.saved = false; /* a cold boot: whatever was saved is gone */
	bp = malloc(sizeof(*bp));
	if (!bp) {
		fail(s, "out of memory");
		return;
	}
	ret = sim_mmu_access(s, 0, s->rom.boot_params_load_address, bp, sizeof(*bp), false);
	if (ret) {
		fail(s, "cannot read its boot parameters at 0x%llx through the MMU (%d)",
		     (unsigned long long)s->rom.boot_params_load_address, ret);
		goto out;
	}
	memcpy(s->fw.bp_seen, bp, sizeof(s->fw.bp_seen));
	s->fw.bp_seen_valid = true;
	if (SIM_RECORDING(s))
		sim_rec_boot_params(s, bp, sizeof(*bp));
	if (bp->magic != NPU_BOOT_PARAMS_MAGIC) {
		fail(s, "boot parameters magic 0x%x, want 0x%x", bp->magic, NPU_BOOT_PARAMS_MAGIC);
		goto out;
	}
	sim_fwlog_init(s, bp); /* from here on the firmware can say what goes wrong */
	if (warm ? sim_warm_check(s, bp, why, sizeof(why))
		 : sim_boot_params_check(s, bp, why, sizeof(why))) {
		fail(s, "bad boot parameters%s: %s", warm ? " for a warm boot" : "", why);
		goto out;
	}
	sim_hws_boot(s, bp); /* the scheduling mode (sim_hws.h) */
	if (ipc_area_unusable(bp->ipc_header_area_start, bp->ipc_header_area_size,
			      (uint32_t)sizeof(struct npu_ipc_hdr))) {
		fail(s, "unusable IPC header area 0x%llx+0x%x",
		     (unsigned long long)bp->ipc_header_area_start, bp->ipc_header_area_size);
		goto out;
	}
	s->fw.rx_hdr_area = bp->ipc_header_area_start;
	s->fw.rx_hdr_slots = bp->ipc_header_area_size / (uint32_t)sizeof(struct npu_ipc_hdr);
	if (s->fw.rx_hdr_slots > RX_SLOTS_MAX)
		s->fw.rx_hdr_slots = RX_SLOTS_MAX;
	s->fw.rx_next = 0;
	s->fw.rx_free_known = false;
	/* JSM replies go there: 128-byte slots, addressed by the 32-bit data_addr (§1.1). */
	if (ipc_area_unusable(bp->ipc_payload_area_start, bp->ipc_payload_area_size,
			      NPU_JSM_MSG_SIZE)) {
		fail(s, "unusable IPC payload area 0x%llx+0x%x",
		     (unsigned long long)bp->ipc_payload_area_start, bp->ipc_payload_area_size);
		goto out;
	}
	s->fw.rx_payload_area = bp->ipc_payload_area_start;
	s->fw.rx_payload_slots = bp->ipc_payload_area_size / NPU_JSM_MSG_SIZE;
	if (s->fw.rx_payload_slots > RX_SLOTS_MAX)
		s->fw.rx_payload_slots = RX_SLOTS_MAX;
	s->fw.rx_payload_next = 0;
	sim_fwlog(s, SIM_LOG_INFO,
		  "boot: entry 0x%llx, boot params at 0x%llx, IPC headers 0x%llx+0x%x, payloads "
		  "0x%llx+0x%x",
		  (unsigned long long)s->fw.entry,
		  (unsigned long long)s->rom.boot_params_load_address,
		  (unsigned long long)s->fw.rx_hdr_area, bp->ipc_header_area_size,
		  (unsigned long long)s->fw.rx_payload_area, bp->ipc_payload_area_size);
	if (check_image(s))
		goto out;
	if (warm) {
		sim_warm_restore(s);
		sim_fwlog(s, SIM_LOG_INFO, "boot: warm, from 0x%llx",
			  (unsigned long long)s->fw.entry);
	} else {
		memcpy(s->fw.warm.bp_cold, bp, sizeof(s->fw.warm.bp_cold));
		s->fw.warm.bp_cold_valid = true;
		s->fw.d0i3_delayed_entry = bp->d0i3_delayed_entry == 1;
	}

	if (s->fault == NPU_SIM_FAULT_NO_READY) {
		fail(s, "fault injection no-ready: the firmware hangs before its ready message");
		goto out;
	}
	if (s->fault == NPU_SIM_FAULT_LATE_READY)
		latency = LATE_READY_LATENCY_US;
	if (!sleep_unlocked(s, latency))
		goto out;

	memset(&ready, 0, sizeof(ready));
	ready.data_addr =
	    s->fault == NPU_SIM_FAULT_BAD_READY ? BAD_READY_DATA_ADDR : NPU_IPC_BOOT_MSG_DATA_ADDR;
	ready.channel = NPU_IPC_CHAN_BOOT_MSG;
	ready.src_node = NPU_IPC_NODE_VPU;
	ready.dst_node = NPU_IPC_NODE_HOST;
	/* Before the message: a host that has seen READY finds the record. */
	sim_fwlog(s, SIM_LOG_INFO, "ready: boot %u, image checked, posting READY",
		  s->fw.boot_count);
	ret = sim_fw_post_hdr(s, &ready, NULL, false, false);
	if (ret) {
		fail(s, "cannot post its ready message into the IPC header area 0x%llx (%d)",
		     (unsigned long long)s->fw.rx_hdr_area, ret);
		goto out;
	}
	s->fw.state = SIM_FW_READY;
	s->fw.ready_ns = sim_now_ns();
	if (SIM_RECORDING(s))
		sim_rec_event(s, SIM_REC_READY);
	npu_dbg(SIM, "firmware: ready message posted (boot %u)", s->fw.boot_count);
out:
	free(bp);
}

/* ---- serving ---- */

/* Host messages, then job queues. True when work is left that only time can move. */
static bool serve(struct npu_sim *s)
{
	bool again;

	/* Before the work is taken: a kick from here on is work this pass may miss. */
	s->fw.kicks_served = atomic_load_explicit(&s->fw.kicks, memory_order_seq_cst);
	sim_jsm_serve(s);
	again = sim_jobs_run(s);
	/* Messages left in the FIFO wait for the host to release an RX slot. */
	return again || s->ip.to_fw.fill != 0;
}

/*
 * Idle, lock held: polls the kick counter with the lock let go for up to
 * poll_ns, as a firmware that spins on its doorbells for a while after work
 * before it enters its low-power wait. True when a kick came since the last
 * serve took its work (kicks_served); one that comes later is seen by
 * wait_for_work, never lost.
 */
static bool poll_kicks(struct npu_sim *s)
{
	unsigned k0 = s->fw.kicks_served;
	uint64_t start, end, next_yield;
	bool kicked = false;

	if (!s->fw.poll_ns)
		return false;
	pthread_mutex_unlock(&s->lock); /* first: a host access may be waiting for it */
	start = sim_now_ns();
	end = start + s->fw.poll_ns;
	next_yield = start + POLL_YIELD_NS;
	for (unsigned i = 1;; i++) {
		if (atomic_load_explicit(&s->fw.kicks, memory_order_acquire) != k0) {
			kicked = true;
			break;
		}
		npu_cpu_relax();
		/* Now and then the time; every 20 us the other threads of this core. */
		if (i % 256 == 0) {
			uint64_t now = sim_now_ns();

			if (now >= end)
				break;
			if (now >= next_yield) {
				sched_yield();
				next_yield = now + POLL_YIELD_NS;
			}
		}
	}
	pthread_mutex_lock(&s->lock);
	return kicked || atomic_load_explicit(&s->fw.kicks, memory_order_relaxed) != k0;
}

/*
 * Whether the thread may sleep on `wake`: sleeping is set first, then the
 * kick count read (both sequentially consistent), while a kick bumps the
 * count first, then reads sleeping. So either the thread sees the kick here
 * and stays up, or the kick sees sleeping and signals, under the lock, which
 * the thread lets go only inside its wait. Not ready, only a start or a quit
 * wakes it, and those signal unconditionally.
 */
static bool may_sleep(struct npu_sim *s)
{
	if (s->fw.state != SIM_FW_READY)
		return true;
	atomic_store_explicit(&s->fw.sleeping, true, memory_order_seq_cst);
	if (atomic_load_explicit(&s->fw.kicks, memory_order_seq_cst) == s->fw.kicks_served)
		return true;
	atomic_store_explicit(&s->fw.sleeping, false, memory_order_relaxed);
	return false;
}

/* Waits for a kick; with soon, for 1 ms at most (a kick is not what unblocks a fence). */
static void wait_for_work(struct npu_sim *s, bool soon)
{
	struct timespec ts;

	if (!soon) {
		if (s->fw.state == SIM_FW_READY && !s->fw.quit && poll_kicks(s))
			return;
		if (s->fw.quit || s->fw.start_pending || !may_sleep(s))
			return;
		pthread_cond_wait(&s->fw.wake, &s->lock);
		atomic_store_explicit(&s->fw.sleeping, false, memory_order_relaxed);
		return;
	}
	if (!may_sleep(s))
		return;
	clock_gettime(s->fw.wake_monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
	ts.tv_nsec += RERUN_NS;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&s->fw.wake, &s->lock, &ts);
	atomic_store_explicit(&s->fw.sleeping, false, memory_order_relaxed);
}

static void *fw_thread(void *arg)
{
	struct npu_sim *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->fw.quit) {
		bool soon = false;

		if (s->fw.start_pending) {
			s->fw.start_pending = false;
			boot(s);
			continue;
		}
		if (s->fw.state == SIM_FW_READY) {
			soon = serve(s);
			/* Its scheduler loop runs while work is pending: it is alive. */
			if (soon)
				sim_fw_heartbeat(s);
		}
		if (s->fw.yield) {
			/* Work is left but the slice is used: the host's accesses go first. */
			s->fw.yield = false;
			pthread_mutex_unlock(&s->lock);
			/* Bounded: a host thread that waits gets the lock before the next slice. */
			for (unsigned i = 0; i < 1000 && sim_host_waiting(s); i++)
				sched_yield();
			sched_yield();
			pthread_mutex_lock(&s->lock);
			continue;
		}
		wait_for_work(s, soon);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* A condition variable timed on the monotonic clock where the platform has it. */
static int wake_init(struct npu_sim *s)
{
	pthread_condattr_t attr;
	int ret = pthread_condattr_init(&attr);

	if (ret)
		return -ret;
	s->fw.wake_monotonic = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0;
	ret = pthread_cond_init(&s->fw.wake, &attr);
	pthread_condattr_destroy(&attr);
	return -ret;
}

int sim_fw_init(struct npu_sim *s, const struct npu_sim_config *cfg)
{
	const uint8_t *file = cfg->fw_file;
	size_t size = cfg->fw_file_size;
	int ret;

	memset(&s->fw, 0, sizeof(s->fw));
	memset(&s->rom, 0, sizeof(s->rom));
	s->fw.poll_ns =
	    cfg->poll_us == NPU_SIM_POLL_NONE
		? 0
		: (uint64_t)(cfg->poll_us ? cfg->poll_us : NPU_SIM_POLL_US_DEFAULT) * 1000u;
	if (!file) {
		ret = npu_fw_synth_build(cfg->gen, &s->rom.owned, &size);
		if (ret)
			return ret;
		file = s->rom.owned;
	}
	ret = rom_init(&s->rom, file, size);
	if (ret)
		goto err_rom;
	ret = wake_init(s);
	if (ret)
		goto err_rom;
	ret = pthread_create(&s->fw.thread, NULL, fw_thread, s);
	if (ret) {
		ret = -ret;
		goto err_cond;
	}
	s->fw.thread_running = true;
	return 0;
err_cond:
	pthread_cond_destroy(&s->fw.wake);
err_rom:
	free(s->rom.owned);
	s->rom.owned = NULL;
	return ret;
}

void sim_fw_fini(struct npu_sim *s)
{
	if (s->fw.thread_running) {
		pthread_mutex_lock(&s->lock);
		s->fw.quit = true;
		pthread_cond_signal(&s->fw.wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->fw.thread, NULL);
		s->fw.thread_running = false;
		pthread_cond_destroy(&s->fw.wake);
	}
	free(s->rom.owned);
	s->rom.owned = NULL;
}

int npu_sim_builtin_fw(const struct npu_sim *sim, const uint8_t **data, size_t *size)
{
	if (!sim->rom.owned)
		return -ENOENT;
	*data = sim->rom.owned;
	*size = sim->rom.file_size;
	return 0;
}

void sim_fw_start(struct npu_sim *s, uint64_t entry)
{
	if (s->fw.state != SIM_FW_OFF || s->fw.start_pending) {
		sim_guest_error(s, "CPU start while the CPU runs (firmware state %d)", s->fw.state);
		return;
	}
	s->fw.entry = entry;
	s->fw.start_pending = true;
	s->fw.boot_count++;
	pthread_cond_signal(&s->fw.wake);
}

void sim_fw_stop(struct npu_sim *s)
{
	s->fw.epoch++;
	s->fw.start_pending = false;
	s->fw.state = SIM_FW_OFF;
	if (SIM_RECORDING(s))
		sim_rec_event(s, SIM_REC_STOP);
	/* A restarted firmware knows nothing of the last one's queues, jobs or settings. */
	sim_jobs_reset(s);
	sim_hws_reset(s);
	sim_fwlog_reset(s); /* nor of its log buffers, which the host may free */
	s->fw.heartbeat = 0;
	s->fw.power_level = 0;
	s->fw.dct_enabled = false;
	s->fw.dct_active_us = s->fw.dct_inactive_us = 0;
	s->fw.trace_level = s->fw.trace_dest = 0;
	s->fw.trace_hw_mask = 0;
}

/* The count first, then the mark (may_sleep); the signal under the lock, taken if not held. */
static void kick(struct npu_sim *s, bool locked)
{
	atomic_fetch_add_explicit(&s->fw.kicks, 1u, memory_order_seq_cst);
	if (!atomic_load_explicit(&s->fw.sleeping, memory_order_seq_cst))
		return;
	/* Asleep, or about to be: it lets the lock go only inside its wait. */
	if (!locked)
		sim_host_lock(s);
	pthread_cond_signal(&s->fw.wake);
	if (!locked)
		pthread_mutex_unlock(&s->lock);
}

void sim_fw_kick(struct npu_sim *s)
{
	kick(s, true);
}

void sim_fw_ring(struct npu_sim *s, unsigned db, bool locked)
{
	npu_trace(SIM, "doorbell %u rung", db);
	atomic_fetch_or_explicit(&s->fw.doorbells_rung[db / 32], 1u << (db % 32),
				 memory_order_release);
	kick(s, locked);
}
