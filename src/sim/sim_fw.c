/* SPDX-License-Identifier: MIT */
/*
 * The simulated NPU's firmware: a thread playing the NPU's control CPU.
 *
 * It does not run Intel's code. When the host starts the CPU it does what the
 * firmware must be able to do on silicon: it reads its boot parameters and
 * its own image through the MMU, at the addresses its header (its ROM)
 * names, checks them, and posts the ready message into the host's IPC
 * receive area (hardware.md §3.5, protocol.md §1.6). Anything wrong leaves it
 * silent, as a firmware that cannot start would be: the host times out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/boot_params.h"
#include "hw/fw_header.h"
#include "hw/ipc.h"
#include "sim/fw_synth.h"
#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "util/log.h"

#define BOOT_LATENCY_US	      500u    /* a quick firmware start */
#define LATE_READY_LATENCY_US 600000u /* late, but inside the host's 1 s boot timeout */
#define BAD_READY_DATA_ADDR   0x0BADB007u
#define PAGE		      4096u

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
			fail(s, "cannot read its image at 0x%llx through the MMU (%d)",
			     (unsigned long long)(rom->image_load_address + off), ret);
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

/* Posts one IPC header into the host's header area and its address into the FIFO. */
static int post(struct npu_sim *s, const struct npu_ipc_hdr *hdr)
{
	uint64_t va = s->fw.rx_hdr_area + (uint64_t)s->fw.rx_next * sizeof(*hdr);
	int ret;

	ret = sim_mmu_access(s, 0, va, (void *)hdr, sizeof(*hdr), true);
	if (ret) {
		fail(s, "cannot write an IPC header at 0x%llx (%d)", (unsigned long long)va, ret);
		return ret;
	}
	s->fw.rx_next = (s->fw.rx_next + 1) % s->fw.rx_hdr_slots;
	return sim_ip_post_to_host(s, (uint32_t)va);
}

static void boot(struct npu_sim *s)
{
	struct npu_boot_params *bp;
	struct npu_ipc_hdr ready;
	uint32_t latency = BOOT_LATENCY_US;
	int ret;

	s->fw.state = SIM_FW_BOOTING;
	s->fw.fail_reason[0] = '\0';
	if (s->fw.entry != s->rom.entry_point) {
		fail(s, "started at 0x%llx, but its entry point is 0x%llx",
		     (unsigned long long)s->fw.entry, (unsigned long long)s->rom.entry_point);
		return;
	}
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
	if (bp->magic != NPU_BOOT_PARAMS_MAGIC) {
		fail(s, "boot parameters magic 0x%x, want 0x%x", bp->magic, NPU_BOOT_PARAMS_MAGIC);
		goto out;
	}
	if (bp->ipc_header_area_size < sizeof(struct npu_ipc_hdr) ||
	    bp->ipc_header_area_start % NPU_IPC_ALIGN || bp->ipc_header_area_start >> 32) {
		fail(s, "unusable IPC header area 0x%llx+0x%x",
		     (unsigned long long)bp->ipc_header_area_start, bp->ipc_header_area_size);
		goto out;
	}
	s->fw.rx_hdr_area = bp->ipc_header_area_start;
	s->fw.rx_hdr_slots = bp->ipc_header_area_size / (uint32_t)sizeof(struct npu_ipc_hdr);
	s->fw.rx_next = 0;
	if (check_image(s))
		goto out;

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
	ready.status = NPU_IPC_HDR_ALLOCATED;
	if (post(s, &ready) == 0) {
		s->fw.state = SIM_FW_READY;
		s->fw.ready_ns = sim_now_ns();
		npu_dbg(SIM, "firmware: ready message posted (boot %u)", s->fw.boot_count);
	}
out:
	free(bp);
}

/* Host messages and doorbells: the job protocol is not served by this model yet. */
static void serve(struct npu_sim *s)
{
	uint32_t va;

	while (sim_fifo_pop(&s->ip.to_fw, &va) == 0) {
		s->fw.messages_dropped++;
		npu_dbg(SIM, "firmware: host message at 0x%08x not served (no JSM support yet)",
			va);
	}
	memset(s->ip.doorbells_rung, 0, sizeof(s->ip.doorbells_rung));
}

static void *fw_thread(void *arg)
{
	struct npu_sim *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->fw.quit) {
		if (s->fw.start_pending) {
			s->fw.start_pending = false;
			boot(s);
			continue;
		}
		if (s->fw.state == SIM_FW_READY)
			serve(s);
		pthread_cond_wait(&s->fw.wake, &s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int sim_fw_init(struct npu_sim *s, const struct npu_sim_config *cfg)
{
	const uint8_t *file = cfg->fw_file;
	size_t size = cfg->fw_file_size;
	int ret;

	memset(&s->fw, 0, sizeof(s->fw));
	memset(&s->rom, 0, sizeof(s->rom));
	if (!file) {
		ret = npu_fw_synth_build(cfg->gen, &s->rom.owned, &size);
		if (ret)
			return ret;
		file = s->rom.owned;
	}
	ret = rom_init(&s->rom, file, size);
	if (ret)
		goto err_rom;
	ret = pthread_cond_init(&s->fw.wake, NULL);
	if (ret) {
		ret = -ret;
		goto err_rom;
	}
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
}

void sim_fw_kick(struct npu_sim *s)
{
	pthread_cond_signal(&s->fw.wake);
}
