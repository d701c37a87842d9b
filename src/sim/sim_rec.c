/* SPDX-License-Identifier: MIT */
/*
 * The model's recording (sim_rec.h), in the text formats docs/virtual-npu.md
 * describes: boot-params-N.hex, jsm.log, regs.log and counts.json in one
 * folder. Lines of jsm.log and regs.log share one sequence number, so the two
 * interleave in the order the model saw them.
 *
 * Phases for the counts: "boot" from the creation of the model or the CPU's
 * stop (IP reset, power-down) until the firmware posts READY; "interrupt"
 * from a signal of the interrupt line until the host clears GLOBAL_INT_MASK
 * or acknowledges it; "job" while READY and a doorbell was rung since the
 * last JOB_DONE the firmware posted; "idle" otherwise. Each access counts in
 * exactly one phase, "interrupt" first.
 */
#include "sim/sim_rec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hw/jsm.h"
#include "hw/pci_ids.h"
#include "hw/regs_37xx.h"
#include "sim/sim_internal.h"
#include "util/log.h"

enum phase { PH_BOOT, PH_IRQ, PH_JOB, PH_IDLE, PH_COUNT };

static const char *const phase_name[PH_COUNT] = { "boot", "interrupt", "job", "idle" };

struct sim_rec {
	pthread_mutex_t lock;
	char dir[400];
	FILE *regs, *jsm;
	uint64_t seq;
	bool ready, in_irq;
	unsigned jobs_open; /* doorbells rung since the last JOB_DONE */
	uint64_t boots, irqs, jobs, doorbells, messages[2];
	uint64_t reads[PH_COUNT], writes[PH_COUNT];
};

static FILE *open_in(struct sim_rec *r, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	return fopen(path, "we");
}

int sim_rec_open(struct npu_sim *s, const char *dir)
{
	struct sim_rec *r;
	int ret;

	if (!dir || !*dir || strlen(dir) >= sizeof(r->dir))
		return -EINVAL;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	memcpy(r->dir, dir, strlen(dir) + 1); /* fits: checked above */
	ret = pthread_mutex_init(&r->lock, NULL);
	if (ret) {
		free(r);
		return -ret;
	}
	r->regs = open_in(r, "regs.log");
	r->jsm = open_in(r, "jsm.log");
	if (!r->regs || !r->jsm) {
		ret = -errno;
		if (r->regs)
			fclose(r->regs);
		if (r->jsm)
			fclose(r->jsm);
		pthread_mutex_destroy(&r->lock);
		free(r);
		return ret;
	}
	fprintf(r->regs, "# npu register accesses: seq R|W width BAR offset value, and events\n");
	fprintf(r->jsm, "# npu JSM messages: seq from channel type id result bytes(128)\n");
	s->rec = r;
	return 0;
}

static void write_counts(struct sim_rec *r)
{
	FILE *f = open_in(r, "counts.json");

	if (!f) {
		npu_warn(SIM, "recording: cannot write %s/counts.json: %s", r->dir,
			 strerror(errno));
		return;
	}
	fprintf(f,
		"{\"boots\":%llu,\"interrupts\":%llu,\"jobs\":%llu,\"doorbells\":%llu,"
		"\"messages_from_host\":%llu,\"messages_from_firmware\":%llu,\"phases\":{",
		(unsigned long long)r->boots, (unsigned long long)r->irqs,
		(unsigned long long)r->jobs, (unsigned long long)r->doorbells,
		(unsigned long long)r->messages[1], (unsigned long long)r->messages[0]);
	for (int p = 0; p < PH_COUNT; p++)
		fprintf(f, "%s\"%s\":{\"reads\":%llu,\"writes\":%llu}", p ? "," : "", phase_name[p],
			(unsigned long long)r->reads[p], (unsigned long long)r->writes[p]);
	fprintf(f, "}}\n");
	fclose(f);
}

void sim_rec_close(struct npu_sim *s)
{
	struct sim_rec *r = s->rec;

	if (!r)
		return;
	s->rec = NULL;
	write_counts(r);
	fclose(r->regs);
	fclose(r->jsm);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static enum phase phase(const struct sim_rec *r)
{
	if (r->in_irq)
		return PH_IRQ;
	if (!r->ready)
		return PH_BOOT;
	return r->jobs_open ? PH_JOB : PH_IDLE;
}

void sim_rec_reg(struct npu_sim *s, char dir, unsigned width, unsigned bar, uint64_t off,
		 uint64_t val)
{
	struct sim_rec *r = s->rec;
	enum phase p;

	pthread_mutex_lock(&r->lock);
	p = phase(r);
	if (dir == 'R')
		r->reads[p]++;
	else
		r->writes[p]++;
	fprintf(r->regs, "%llu %c %u %u 0x%08llx 0x%llx\n", (unsigned long long)++r->seq, dir,
		width, bar, (unsigned long long)off, (unsigned long long)val);
	if (dir == 'W' && bar == NPU_PCI_BAR_REGB && off == sim_btrs_global_mask_off(s) &&
	    !(val & 1u) && r->in_irq) {
		r->in_irq = false;
		fprintf(r->regs, "%llu event irq-end\n", (unsigned long long)++r->seq);
	}
	if (dir == 'W' && bar == NPU_PCI_BAR_REGV && sim_tim_doorbell(s, off) >= 0 &&
	    (val & NPU_37XX_CPU_SS_DOORBELL_SET)) {
		r->doorbells++;
		r->jobs_open++;
		fprintf(r->regs, "%llu event doorbell %d\n", (unsigned long long)++r->seq,
			sim_tim_doorbell(s, off));
	}
	pthread_mutex_unlock(&r->lock);
}

void sim_rec_boot_params(struct npu_sim *s, const void *bp, size_t len)
{
	struct sim_rec *r = s->rec;
	const uint8_t *b = bp;
	char name[64];
	FILE *f;

	pthread_mutex_lock(&r->lock);
	snprintf(name, sizeof(name), "boot-params-%u.hex", s->fw.boot_count);
	f = open_in(r, name);
	if (f) {
		for (size_t off = 0; off < len; off += 16) {
			fprintf(f, "%04zx:", off);
			for (size_t i = off; i < off + 16 && i < len; i++)
				fprintf(f, " %02x", b[i]);
			fputc('\n', f);
		}
		fclose(f);
	} else {
		npu_warn(SIM, "recording: cannot write %s/%s: %s", r->dir, name, strerror(errno));
	}
	fprintf(r->regs, "%llu event boot-params %u\n", (unsigned long long)++r->seq,
		s->fw.boot_count);
	pthread_mutex_unlock(&r->lock);
}

void sim_rec_jsm(struct npu_sim *s, bool from_host, uint16_t channel, const struct npu_jsm_msg *msg)
{
	struct sim_rec *r = s->rec;
	const uint8_t *b = (const uint8_t *)msg;

	pthread_mutex_lock(&r->lock);
	r->messages[from_host]++;
	if (!from_host && msg->type == NPU_JSM_MSG_JOB_DONE) {
		r->jobs++;
		if (r->jobs_open)
			r->jobs_open--;
	}
	fprintf(r->jsm, "%llu %s %u 0x%04x %u 0x%x ", (unsigned long long)++r->seq,
		from_host ? "host" : "fw", channel, msg->type, msg->request_id, msg->result);
	for (size_t i = 0; i < sizeof(*msg); i++)
		fprintf(r->jsm, "%02x", b[i]);
	fputc('\n', r->jsm);
	pthread_mutex_unlock(&r->lock);
}

void sim_rec_event(struct npu_sim *s, enum sim_rec_event ev)
{
	static const char *const names[] = { "ready", "stop", "irq", "irq-end" };
	struct sim_rec *r = s->rec;

	pthread_mutex_lock(&r->lock);
	switch (ev) {
	case SIM_REC_READY:
		r->ready = true;
		r->boots++;
		break;
	case SIM_REC_STOP:
		if (!r->ready && r->boots == 0 && r->seq == 0) {
			pthread_mutex_unlock(&r->lock);
			return; /* the reset at creation */
		}
		r->ready = false;
		r->jobs_open = 0;
		break;
	case SIM_REC_IRQ:
		r->in_irq = true;
		r->irqs++;
		break;
	case SIM_REC_IRQ_END:
		if (!r->in_irq) {
			pthread_mutex_unlock(&r->lock);
			return;
		}
		r->in_irq = false;
		break;
	}
	fprintf(r->regs, "%llu event %s\n", (unsigned long long)++r->seq, names[ev]);
	pthread_mutex_unlock(&r->lock);
}
