/* SPDX-License-Identifier: MIT */
/*
 * The device model's state, shared by its parts: buttress (sim_btrs.c), IP
 * registers and IPC FIFOs (sim_ip.c), MMU (sim_mmu.c), memory (sim_mem.c),
 * interrupt line (sim.c) and firmware thread (sim_fw.c), with its JSM service
 * (sim_jsm.c), job scheduler (sim_jobs.c) and command engine (sim_cmd.c).
 *
 * One mutex guards everything but struct sim_hostif: the host's MMIO calls
 * and the firmware thread both take it. Functions named sim_* expect it held
 * unless they say not. The registers a host touches for every job take no
 * lock (sim_hostif.c): what they touch is atomic, in struct sim_hostif.
 */
#ifndef NPU_SIM_SIM_INTERNAL_H
#define NPU_SIM_SIM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/sim.h"
#include "sim/sim_mem_backend.h"
#include "sim/sim_rec.h"
#include "sim/sim_cmd.h"
#include "sim/sim_hws.h"
#include "sim/sim_mmu.h"
#include "util/cpu_relax.h"

#define SIM_FIFO_DEPTH 256 /* FIFO_STAT pointers are 8 bits */

/* A FIFO of 32-bit NPU addresses (the TIM IPC FIFOs). */
struct sim_fifo {
	uint32_t slot[SIM_FIFO_DEPTH];
	uint32_t rd, wr, fill;
};

struct sim_btrs {
	uint32_t wp_payload[3];
	bool wp_send;	       /* WP_REQ_CMD.SEND pending */
	uint64_t wp_done_ns;   /* when the pending request completes */
	uint32_t pll_ratio;    /* CURRENT_PLL / PLL_FREQ */
	bool pll_locked;       /* MTL PLL_STATUS.LOCK */
	uint32_t vpu_status;   /* READY, IDLE, ... and the host-written LNL bits */
	uint32_t d0i3;	       /* D0I3_CONTROL: I3 as written */
	uint64_t d0i3_busy_ns; /* INPROGRESS reads 1 until then */
	bool ip_reset;	       /* IP_RESET.TRIGGER pending */
	uint64_t ip_reset_done_ns;
	uint32_t int_stat;
	uint32_t local_mask; /* 1 = masked */
	uint32_t fmin_fuse, fmax_fuse, tile_fuse;
	uint32_t telemetry[3];
	uint32_t port_arb[2]; /* LNL PORT_ARBITRATION_WEIGHTS(_ATS) */
	uint32_t cdyn;	      /* LNL */
	uint32_t mailbox[2];  /* LNL PCODE mailbox status, shadow */
	/*
	 * DCT (LNL): a request raised (npu_sim_dct_request) and not yet answered in
	 * MAILBOX_STATUS; answers that matched the request and the firmware's DCT state,
	 * and those that did not (sim_btrs.c).
	 */
	bool dct_pending;
	bool dct_want; /* the pending request: enable */
	uint32_t dct_answers_ok, dct_answers_bad;
	uint32_t wa_stat; /* raw INTERRUPT_STAT for the write-0 probe */
};

struct sim_ip {
	uint32_t cpr_clk; /* clocks enabled (37xx CLK_SET, 40xx CLK_EN) */
	uint32_t cpr_rst; /* resets released (37xx RST_SET, 40xx RST_EN) */
	bool aon_reset;	  /* 37xx CPR_RST_CLR.AON */
	uint32_t host_noc_qreqn, top_noc_qreqn, cpu_noc_qreqn;
	uint32_t fw_soc_irq_en;
	uint64_t icb_enable; /* ICB_STATUS itself is in struct sim_hostif */
	uint32_t pwr_iso, island_en, trickle_en, island_status;
	uint64_t trickle_ns; /* when TRICKLE_EN was set */
	uint32_t idle_gen, dpu_active;
	uint32_t tcu_ptw_overrides, tbu_mmussidv;
	uint32_t leon_rt_vec;
	bool resume0_seen;     /* 37xx: a RESUME0 set-then-clear pulse with RSTRUN0 set */
	uint32_t loading_addr; /* 37xx LOADING_ADDRESS_LO */
	uint64_t verif_addr;   /* 40xx VERIFICATION_ADDRESS */
	uint32_t tim_safe_unlocked, tim_watchdog, tim_wdog_en, tim_gen_config;
	struct sim_fifo to_fw; /* host -> NPU: CPU_SS_TIM_IPC_FIFO (NPU -> host: sim_hostif) */
	/*
	 * The firmware's own view of the NPU-to-host FIFO: the entries it wrote,
	 * and the host's read count as it last saw it (never ahead of the real
	 * one), so that it reads the shared counts only when this one says full.
	 */
	uint32_t to_host_wr, to_host_rd_seen;
};

enum sim_fw_state {
	SIM_FW_OFF = 0, /* CPU held or not started */
	SIM_FW_BOOTING, /* started, checking its boot parameters */
	SIM_FW_READY,	/* ready message posted; serving */
	SIM_FW_FAILED,	/* found something wrong; silent, as firmware would be */
};

/* What the model knows of its own image (read from its ROM with hw/fw_header.h). */
struct sim_rom {
	const uint8_t *file;
	size_t file_size;
	uint8_t *owned; /* synthetic image, freed at destroy */
	uint64_t image_load_address;
	uint32_t image_size;
	uint64_t entry_point;
	uint64_t boot_params_load_address;
	uint32_t runtime_size;
	uint32_t shave_nn_fw_size; /* 0: the image needs no SHAVE-NN buffer */
	uint32_t api_job_cmd;	   /* job-command API, (major << 16) | minor */
	uint32_t api_boot;	   /* BOOT API */
};

/* A job queue registered to a doorbell (REGISTER_DB, docs/firmware-protocol.md §3). */
struct sim_queue {
	bool registered;
	uint64_t jobq_va; /* in the global context */
	uint32_t jobq_size;
	uint32_t ssid; /* the context its jobs run in */
	bool running;  /* a job was taken from the queue and has not ended */
	uint32_t job_id;
	struct sim_cmd_state cmd;
	bool active;	      /* its doorbell rang: looked at until it is empty (sim_jobs.c) */
	uint32_t slots;	      /* ring capacity: (jobq_size - 64) / 64 */
	uint32_t slot;	      /* the slot the running job came from */
	uint32_t queue_flags; /* the header's flags when the running job was taken */
	uint32_t tail_seen;   /* the header's tail when the running job was taken */
	/* HWS (sim_hws.c): its command queue, and where a preempted job was saved. */
	uint32_t hws_cmdq; /* index + 1 into sim_hws.q; 0: an OS-scheduling queue */
	bool preempted;	   /* the running job's state is in its preemption buffer */
	uint64_t preempt_va;
	uint32_t preempt_size;
};

#define SIM_DOORBELLS 256

/* One firmware log buffer as the firmware writes it (sim_fwlog.c). */
struct sim_fwlog_buf {
	uint64_t va;	/* 0: none given, unusable, or given up after a fault */
	uint32_t size;	/* the one sub-buffer: header and message area */
	uint32_t write; /* write_index: offset into the message area */
	uint32_t wrap;	/* wrap_count */
};

struct sim_fwlog {
	struct sim_fwlog_buf crit, verbose;
	uint64_t records; /* written since boot */
};

/*
 * What the firmware saves on a D0i3 entry message and restores on a warm boot through
 * save_restore_ret_address (sim_warm.c, docs/hardware.md §3.6): its queues and settings,
 * and the page of its last cold boot, which a warm boot's page must match but for the
 * fields Linux refreshes.
 */
struct sim_warm {
	bool saved;
	uint64_t ret_address; /* written into save_restore_ret_address */
	struct sim_queue queues[SIM_DOORBELLS];
	uint64_t queue_map[SIM_DOORBELLS / 64];
	struct sim_hws hws; /* HWS command queues, bands and scheduling log */
	uint32_t power_level, trace_level, trace_dest;
	uint64_t trace_hw_mask;
	bool dct_enabled;
	uint32_t dct_active_us, dct_inactive_us;
	uint32_t rx_next, rx_payload_next;
	uint8_t bp_cold[4096];
	bool bp_cold_valid;
	uint32_t saves, warm_boots;
};

struct sim_fw {
	pthread_t thread;
	bool thread_running;
	struct sim_warm warm;
	bool d0i3_delayed_entry; /* the boot parameters asked for the D0i3 message */
	/* The boot-parameter page as the firmware read it on its last boot (for tests). */
	uint8_t bp_seen[4096];
	bool bp_seen_valid;
	pthread_cond_t wake;
	bool quit;
	/*
	 * Bumped by every kick: the firmware polls it, without the lock, for
	 * poll_ns after its last work before it sleeps on `wake`. A doorbell
	 * write sets its bit in doorbells_rung and kicks without the lock (as
	 * the silicon takes a posted write while the firmware works); the
	 * firmware takes the bits under the lock. sleeping is set while the
	 * thread waits on `wake` (and just before): a kick that sees it signals
	 * `wake`, under the lock. kicks_served: the count as read before the
	 * firmware last took its work; a different one means work came since.
	 */
	_Alignas(64) atomic_uint kicks;
	atomic_uint doorbells_rung[SIM_DOORBELLS / 32]; /* a bit per doorbell 0..255 */
	atomic_bool sleeping;
	unsigned kicks_served;
	_Alignas(64) uint64_t poll_ns;
	bool yield;	  /* the job engine used its time slice: let the host have the lock */
	uint32_t rr_next; /* the queue the next slice starts with (doorbell - first doorbell) */
	enum sim_fw_state state;
	uint64_t entry;	    /* as decoded from the CPU start registers */
	bool start_pending; /* the CPU was started; the thread has not begun */
	uint32_t boot_count;
	uint64_t ready_ns; /* when the ready message went out */
	uint32_t epoch;	   /* bumped by every stop: a boot in flight notices and gives up */
	/* Learnt from the boot parameters. */
	uint64_t rx_hdr_area;	   /* host's IPC header area (NPU VA) */
	uint32_t rx_hdr_slots;	   /* 64-byte slots in it */
	uint32_t rx_next;	   /* next slot the firmware writes */
	uint64_t messages_dropped; /* host messages the firmware could not read */
	uint64_t rx_payload_area;  /* host's IPC payload area (NPU VA) */
	uint32_t rx_payload_slots; /* 128-byte JSM slots in it */
	uint32_t rx_payload_next;
	/* sim_fw_can_post found the slots at rx_next and rx_payload_next free: the next post's. */
	bool rx_free_known;
	uint64_t heartbeat; /* advances while the firmware makes progress */
	uint64_t jobs_done;
	struct sim_queue queues[SIM_DOORBELLS]; /* by doorbell id */
	/* Doorbells registered at some point: set by REGISTER_DB, cleared lazily by the scheduler. */
	uint64_t queue_map[SIM_DOORBELLS / 64];
	bool hung;	      /* fault hang-job: a job was taken; the heartbeat is frozen */
	bool wake_monotonic;  /* `wake` times its waits on CLOCK_MONOTONIC */
	uint32_t power_level; /* SET_POWER_LEVEL (sim_jsm.c) */
	/* DCT_ENABLE / DCT_DISABLE (sim_jsm.c): duty cycling on, and its cycle. */
	bool dct_enabled;
	uint32_t dct_active_us, dct_inactive_us;
	uint32_t trace_level; /* TRACE_SET_CONFIG, as the host set it */
	uint32_t trace_dest;
	uint64_t trace_hw_mask;
	uint32_t garbage_next;	  /* fault ipc-garbage: the next kind of garbage posted */
	uint64_t messages_served; /* host messages read and answered (or not, if none due) */
	uint64_t rx_full;	  /* times a message waited for the host to free an RX slot */
	struct sim_fwlog log;	  /* the log buffers (sim_fwlog.c) */
	struct sim_hws hws;	  /* the hardware scheduler (sim_hws.c) */
	char fail_reason[160];
};

/*
 * The registers a host reads and writes for every job, kept atomic so that
 * they are answered without the model's lock, as silicon answers its bus
 * while the firmware works (sim_hostif.c): ICB_STATUS, the NPU-to-host IPC
 * FIFO, GLOBAL_INT_MASK, and the buttress's INTERRUPT_STAT; and the
 * interrupt's delivery. Three cache lines: what a waiting host watches (the
 * MSI) with what its service reads first (ICB_STATUS), what it touches once
 * it has seen something, and the FIFO's entries.
 */
struct sim_hostif {
	/* ICB_STATUS_0/1: NPU sources set bits (sim_icb_raise), the host clears them. */
	_Alignas(64) _Atomic uint64_t icb_status;
	/*
	 * The interrupt as delivered, on ICB_STATUS's line, which a host that has
	 * seen it reads next. msi: sent and not yet acknowledged (the line
	 * asserted: sim_irq_update sets it when it signals; a falling level, a
	 * re-send, the host's acknowledgement or take, or a vfio-user server's
	 * re-arm (npu_sim_irq_rearm) clear it). spinning: host threads
	 * watching msi (npu_sim_irq_spin), for whom no eventfd write is made.
	 * fd_written: the eventfd was written since the host last drained it.
	 */
	atomic_uint msi;
	atomic_uint spinning;
	atomic_uint fd_written;
	/*
	 * The NPU-to-host FIFO: entries pushed by the firmware (with the lock),
	 * popped by the host (without). Free-running 32-bit counts of entries
	 * written (high half) and read (low half), in one word so that a push
	 * knows atomically whether the FIFO was empty: the IPC interrupt is
	 * raised on that edge (sim_ip_tim.c).
	 */
	_Alignas(64) _Atomic uint64_t fifo_counts;
	/*
	 * The buttress's GLOBAL_INT_MASK (1 = all masked). A host masks right
	 * after its doorbell and unmasks after its service; neither waits for
	 * the firmware. Unmasking takes the lock only when something is pending.
	 */
	atomic_uint global_mask;
	/* Mirrors, written under the lock by sim_irq_update, read by the host without it. */
	atomic_uint btrs_stat;	     /* INTERRUPT_STAT */
	atomic_uint btrs_pending;    /* its sources that exist and LOCAL_INT_MASK lets through */
	_Atomic uint64_t icb_enable; /* ICB_ENABLE */
	/* A timed buttress event is in flight: INTERRUPT_STAT reads take the lock to settle it. */
	atomic_bool btrs_timed;
	_Alignas(64) atomic_uint fifo_slot[SIM_FIFO_DEPTH];
};

struct npu_sim {
	/*
	 * The lock and the counters host threads write go on cache lines of
	 * their own: a host polling a register must not keep taking away the
	 * line the firmware reads its state from.
	 */
	_Alignas(64) pthread_mutex_t lock;
	/* Host threads waiting for the lock (sim_host_lock): the firmware thread lets them in. */
	_Alignas(64) atomic_uint host_waiting;
	struct sim_hostif host;
	_Alignas(64) enum npu_gen gen;
	enum npu_sim_fault fault;

	/* The "physical" memory the driver's DMA buffers live in. */
	uint8_t *mem;
	size_t mem_size;
	uint8_t *mem_map; /* one byte per 4 KiB page: 0 free, 1 used, 2 used (first of a run) */
	/* Set: DMA goes to this backend instead of the arena (sim_mem_backend.h). */
	const struct npu_sim_mem_ops *mem_ops;
	void *mem_ctx;
	/* The CPU's cached view of write-back buffers (sim_cache.c). */
	uint8_t *cache;
	uint8_t *page_wb;     /* one byte per page: 1 where a write-back buffer lies */
	uint64_t cache_syncs; /* flushes and invalidates the host asked for */

	struct sim_btrs btrs;
	struct sim_ip ip;
	struct sim_mmu mmu;
	struct sim_rom rom;
	struct sim_fw fw;

	uint64_t created_ns;   /* sim_now_ns() at create: origin of the TIM_PERF counter */
	int irq_fd;	       /* eventfd (a pipe's read end where there is no eventfd) */
	int irq_wfd;	       /* where the line is signalled: irq_fd, or the pipe's write end */
	uint64_t guest_errors; /* accesses the model refused or ignored */
	bool fwlog_echo;       /* firmware log records also go to the host's log (sim_ctl.h) */
	struct sim_rec *rec;   /* recording (sim_rec.h); NULL: off */
};

/* Whether the model records (sim_rec.h): the hooks' one test on the hot path. */
#define SIM_RECORDING(s) __builtin_expect((s)->rec != NULL, 0)

/* sim.c */
uint64_t sim_now_ns(void);
/* Re-evaluates the interrupt line after a state change; signals the eventfd on a rising edge. */
void sim_irq_update(struct npu_sim *s);
/* Sets ICB_STATUS bits (the NPU raising an interrupt source). */
void sim_icb_raise(struct npu_sim *s, uint64_t bits);
/*
 * Clears ICB_STATUS bits (the host's ICB_CLEAR), with or without the lock;
 * the line is left as it was (sim_hostif.c says why no interrupt is lost).
 */
void sim_icb_clear(struct npu_sim *s, uint64_t bits);
/* GLOBAL_INT_MASK cleared: the line is lowered and looked at again, so pending sources signal anew. */
void sim_irq_resend(struct npu_sim *s);
/* Empties the interrupt eventfd (or pipe) of every signal written to it. */
void sim_irq_drain(struct npu_sim *s);
/* Logs a driver access the silicon would not honour, and counts it. */
void sim_guest_error(struct npu_sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * sim_mem.c: bounds-checked view of "physical" memory; NULL outside the arena
 * (or outside every region of the memory backend, when one is installed).
 */
void *sim_mem_ptr(struct npu_sim *s, uint64_t pa, size_t len);
/* How many of the len bytes from pa one pointer covers (0: none): a run stops there. */
size_t sim_mem_contig(struct npu_sim *s, uint64_t pa, size_t len);
/* sim_mem_backend.c: the installed backend's pointer, the miss logged as a guest error. */
void *sim_mem_backend_ptr(struct npu_sim *s, uint64_t pa, size_t len);

/* sim_cache.c: the CPU's caches as a non-snooping device sees them. */
int sim_cache_init(struct npu_sim *s);
void sim_cache_fini(struct npu_sim *s);
/* Marks pages [first, first + n) with their caching, zeroes them; returns the CPU pointer. */
void *sim_cache_alloc(struct npu_sim *s, size_t first, size_t n, enum npu_dma_caching caching);
void sim_cache_free(struct npu_sim *s, size_t first, size_t n);
/* Whether cpu (size bytes) lies in the cached view of write-back buffers. */
bool sim_cache_owns(const struct npu_sim *s, const void *cpu, size_t size);
/* Bytes from pa (in the arena) on, up to len, whose pages have pa's page's caching. */
size_t sim_cache_same(const struct npu_sim *s, uint64_t pa, size_t len);
/*
 * What a device access of len bytes at pa reaches: memory, or with snooped
 * the CPU's view (the cached one for write-back pages). NULL outside the
 * arena, or for a snooped range whose pages differ in caching.
 */
void *sim_mem_view(struct npu_sim *s, uint64_t pa, size_t len, bool snooped);
/*
 * A device read of len bytes at src (a pointer sim_mem_view gave), as the bus reads: aligned
 * 32-bit words one load each (sim_cache.c), so a word the CPU stores at once (a fence, a
 * queue's tail) is never seen half written.
 */
void sim_dma_load(void *buf, const uint8_t *src, size_t len);
/*
 * A device write of len bytes at pa: to memory, and with snooped to the
 * CPU's cached view of write-back pages too. -EFAULT outside the arena.
 */
int sim_dma_write(struct npu_sim *s, uint64_t pa, const void *buf, size_t len, bool snooped);
/* The MMU's own accesses (tables, queues), snooped as TCU_PTW_OVERRIDES says. */
bool sim_cache_tcu_snooped(const struct npu_sim *s, bool write);
void *sim_tcu_ptr(struct npu_sim *s, uint64_t pa, size_t len, bool write);

/* sim_btrs.c */
void sim_btrs_reset(struct npu_sim *s);
uint32_t sim_btrs_read32(struct npu_sim *s, uint64_t off);
void sim_btrs_write32(struct npu_sim *s, uint64_t off, uint32_t val);
bool sim_btrs_ready(struct npu_sim *s); /* workpoint granted, out of D0i3 */
/* The offsets of GLOBAL_INT_MASK and INTERRUPT_STAT in this generation's buttress. */
uint64_t sim_btrs_global_mask_off(const struct npu_sim *s);
uint64_t sim_btrs_int_stat_off(const struct npu_sim *s);
/* Whether the buttress sources pending would raise the line, the global mask aside. */
uint32_t sim_btrs_pending(const struct npu_sim *s);

/*
 * sim_hostif.c, called without the lock: the accesses answered from struct
 * sim_hostif. True when the access was one of them (and done).
 */
bool sim_hostif_read32(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t *val);
bool sim_hostif_write32(struct npu_sim *s, unsigned bar, uint64_t off, uint32_t val);
/* GLOBAL_INT_MASK clear and a source pending, read without the lock. */
bool sim_hostif_irq_due(const struct npu_sim *s);

/* sim_ip.c */
void sim_ip_reset(struct npu_sim *s);
uint32_t sim_ip_read32(struct npu_sim *s, uint64_t off);
void sim_ip_write32(struct npu_sim *s, uint64_t off, uint32_t val);
uint64_t sim_ip_read64(struct npu_sim *s, uint64_t off);
void sim_ip_write64(struct npu_sim *s, uint64_t off, uint64_t val);
/* The firmware posts a message: pushes its header's address to the host FIFO, raises bit 4. */
int sim_fifo_push(struct sim_fifo *f, uint32_t val);
int sim_fifo_pop(struct sim_fifo *f, uint32_t *val);
int sim_ip_post_to_host(struct npu_sim *s, uint32_t hdr_va);
/* Whether the NPU-to-host FIFO has room for a push (the firmware's check, with the lock). */
bool sim_host_fifo_room(struct npu_sim *s);
/* The NPU-to-host FIFO, for any thread without the lock: entries, FIFO_STAT, a pop (-ENOENT). */
uint32_t sim_host_fifo_fill(const struct npu_sim *s);
uint32_t sim_host_fifo_stat(const struct npu_sim *s);
int sim_host_fifo_pop(struct npu_sim *s, uint32_t *val);
/* With the lock (an IP reset): the NPU-to-host FIFO emptied. */
void sim_host_fifo_reset(struct npu_sim *s);
/* Whether the IP is powered, clocked, out of reset and its NoCs accept traffic. */
bool sim_ip_cpu_can_run(struct npu_sim *s, const char **why);
/* The doorbell a BAR0 offset names, or -1 (sim_ip_tim.c; needs no lock). */
int sim_tim_doorbell(const struct npu_sim *s, uint64_t off);
/* The free-running TIM_PERF counter: 38.4 MHz ticks since create. */
uint64_t sim_ip_perf_ticks(struct npu_sim *s);

/* sim_fw.c */
int sim_fw_init(struct npu_sim *s, const struct npu_sim_config *cfg);
void sim_fw_fini(struct npu_sim *s); /* called without the lock */
/* The CPU was started at entry (from the CPU start registers). */
void sim_fw_start(struct npu_sim *s, uint64_t entry);
/* IP reset or power-down: the CPU stops, the firmware forgets everything. */
void sim_fw_stop(struct npu_sim *s);
/* The host pushed an IPC header address / rang a doorbell: wake the firmware. */
void sim_fw_kick(struct npu_sim *s);
/* Doorbell db rung (the lock held with locked, else not): its bit set, the firmware kicked. */
void sim_fw_ring(struct npu_sim *s, unsigned db, bool locked);
/*
 * Whether the host's RX area has a free header slot and a free payload slot
 * (status FREE: the host released them), so that sim_fw_post_msg can post.
 */
bool sim_fw_can_post(struct npu_sim *s);
/*
 * Posts a JSM message to the host (docs/firmware-protocol.md §1.5): writes it, with status
 * ALLOCATED, into a free slot of the payload area, and an IPC header {data_addr
 * = that slot, data_size 128, channel, src 1, dst 0, ALLOCATED} into a free
 * slot of the header area, then pushes the header's address into the host
 * FIFO. Returns 0, -EBUSY (no free slot: the host has not released any),
 * -EFAULT (the RX area is not reachable through the MMU) or -ENOSPC (FIFO full).
 */
struct npu_jsm_msg;
struct npu_ipc_hdr;
int sim_fw_post_msg(struct npu_sim *s, uint16_t channel, struct npu_jsm_msg *msg);
/*
 * The transport under it (sim_fw.c): writes msg, when given, into a free
 * payload slot, hdr into a free header slot, and pushes the header's address.
 * hdr->data_addr becomes the payload slot's address with msg, the header's
 * own with self, else stays as given; status fields are set ALLOCATED.
 * record: msg goes into the recording (sim_rec.h) just before the push.
 */
int sim_fw_post_hdr(struct npu_sim *s, struct npu_ipc_hdr *hdr, struct npu_jsm_msg *msg, bool self,
		    bool record);
/* The firmware made progress: the heartbeat advances (unless hung by fault injection). */
void sim_fw_heartbeat(struct npu_sim *s);

/*
 * sim_jsm.c: reads and answers the host messages waiting in the to_fw FIFO,
 * as long as the RX area has room for the replies (sim_fw_post_msg is there).
 */
void sim_jsm_serve(struct npu_sim *s);

/*
 * sim_fwlog.c: the firmware log (docs/firmware-protocol.md §7) in the buffers the boot
 * parameters name. Records are at most SIM_FWLOG_RECORD_MAX bytes (longer
 * text is cut); errors go to the critical buffer too. Nothing is written
 * before sim_fwlog_init or after sim_fwlog_reset.
 */
#define SIM_FWLOG_RECORD_MAX 256u

enum sim_log_level {
	SIM_LOG_INFO = 0,
	SIM_LOG_WARN,
	SIM_LOG_ERR,
};

struct npu_boot_params;
/*
 * sim_bootp.c: the firmware's checks of its boot parameters on a cold boot; -EINVAL
 * with why filled when the page is one the firmware could not run with.
 */
int sim_boot_params_check(struct npu_sim *s, const struct npu_boot_params *bp, char *why,
			  size_t len);
/* system_time_us read as a wall clock (cold and warm boot). */
int sim_boot_params_time_check(const struct npu_boot_params *bp, char *why, size_t len);
/*
 * sim_warm.c: PWR_D0I3_ENTER saves the firmware's state and writes its restore entry
 * into the boot parameters (when they asked for the message); a CPU start at that
 * address is a warm boot, whose page sim_warm_check checks against the cold one;
 * sim_warm_restore puts the state back.
 */
void sim_warm_save(struct npu_sim *s);
int sim_warm_check(struct npu_sim *s, const struct npu_boot_params *bp, char *why, size_t len);
void sim_warm_restore(struct npu_sim *s);
/* Boot: takes the log buffers of bp and writes their headers. */
void sim_fwlog_init(struct npu_sim *s, const struct npu_boot_params *bp);
/* CPU stopped: the firmware forgets its log buffers (the host may free them). */
void sim_fwlog_reset(struct npu_sim *s);
void sim_fwlog(struct npu_sim *s, enum sim_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A host request served, with its result. */
void sim_fwlog_jsm(struct npu_sim *s, uint32_t type, uint32_t request_id, uint32_t result);
/* A job ended (with a record of the MMU fault when that ended it). */
void sim_fwlog_job(struct npu_sim *s, uint32_t db, uint32_t ssid, uint32_t job_id, uint32_t status);
/* STATE_DUMP: heartbeat, counters and the first few queues. */
void sim_fwlog_state_dump(struct npu_sim *s);

/*
 * The host's side of the lock (register accesses, DMA allocation, interrupt
 * acknowledgement): counted while waiting, so the firmware thread ends its
 * slice early and hands the lock over, as silicon answers the bus while it
 * computes.
 */
#define SIM_LOCK_SPINS 4000u /* about 100 us of pause instructions */

static inline void sim_host_lock(struct npu_sim *s)
{
	/*
	 * A bus access does not sleep: the lock is tried for a while first
	 * (the firmware holds it for a few microseconds per message or NOP),
	 * and only then waited for.
	 */
	if (pthread_mutex_trylock(&s->lock) == 0)
		return;
	atomic_fetch_add_explicit(&s->host_waiting, 1u, memory_order_relaxed);
	for (unsigned i = 0; i < SIM_LOCK_SPINS; i++) {
		if (pthread_mutex_trylock(&s->lock) == 0)
			goto locked;
		npu_cpu_relax();
	}
	pthread_mutex_lock(&s->lock);
locked:
	atomic_fetch_sub_explicit(&s->host_waiting, 1u, memory_order_relaxed);
}

static inline bool sim_host_waiting(struct npu_sim *s)
{
	return atomic_load_explicit(&s->host_waiting, memory_order_relaxed) != 0;
}

#endif
