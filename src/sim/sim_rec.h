/* SPDX-License-Identifier: MIT */
/*
 * The model's recording of what a driver gave it (docs/virtual-npu.md,
 * "Recording"): the boot-parameter page as read at each CPU start, every JSM
 * message in order with its payload (host to firmware and back), and every
 * register access, with the events that delimit boots, interrupts and jobs,
 * and the counts of reads and writes per phase. The same record comes from the
 * in-process simulated NPU (NPU_SIM_RECORD=DIR) and from npu-vfio-user
 * (--record DIR), so that two drivers can be compared on one device.
 *
 * The hooks below do nothing unless recording is on (s->rec set), and are
 * called from any thread: the recorder has its own lock.
 */
#ifndef NPU_SIM_SIM_REC_H
#define NPU_SIM_SIM_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct npu_sim;
struct npu_jsm_msg;
struct sim_rec;

/* Starts recording into dir (created if missing). 0 or a negative errno. */
int sim_rec_open(struct npu_sim *s, const char *dir);
/* Writes counts.json and closes the files. */
void sim_rec_close(struct npu_sim *s);

void sim_rec_reg(struct npu_sim *s, char dir, unsigned width, unsigned bar, uint64_t off,
		 uint64_t val);
void sim_rec_boot_params(struct npu_sim *s, const void *bp, size_t len);
void sim_rec_jsm(struct npu_sim *s, bool from_host, uint16_t channel,
		 const struct npu_jsm_msg *msg);

enum sim_rec_event {
	SIM_REC_READY,	 /* the firmware posted READY */
	SIM_REC_STOP,	 /* the CPU stopped (IP reset, power-down): a boot phase begins */
	SIM_REC_IRQ,	 /* the interrupt line was signalled */
	SIM_REC_IRQ_END, /* the host acknowledged it (npu_sim_irq_ack) */
};
void sim_rec_event(struct npu_sim *s, enum sim_rec_event ev);

#endif
