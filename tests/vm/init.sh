#!/bin/sh
# The /init of the `make vm-test` guest (busybox sh). It loads Linux's
# intel_vpu with its dependencies, runs the checks on the virtual NPU and
# reports each as one line on the serial console, which the host's
# scripts/vm/run.sh parses:
#
#   VMTEST PASS name: what was seen
#   VMTEST FAIL name: why
#   VMTEST NOTRUN name: why
#   VMTEST INFO what: what ivpu did with a feature that is not a check
#   VMTEST CTRL request    (the host answers "ack" on the console: fault control)
#   VMTEST DONE
#
# Kernel command line: vmtest.device=none|7d1d|ad1d|643e, vmtest.ivpu="module
# parameters" (spaces as commas), vmtest.tdr=SECONDS.
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

device=none
ivpu_params=
tdr=60
# shellcheck disable=SC2013 # the command line is words
for arg in $(cat /proc/cmdline); do
	case $arg in
	vmtest.device=*) device=${arg#vmtest.device=} ;;
	vmtest.ivpu=*) ivpu_params=$(echo "${arg#vmtest.ivpu=}" | tr , ' ') ;;
	vmtest.tdr=*) tdr=${arg#vmtest.tdr=} ;;
	esac
done

say() { echo "VMTEST $*"; }
pass() { say "PASS $*"; }
fail() { say "FAIL $*"; }
notrun() { say "NOTRUN $*"; }

# The host answers each request with a line "ack" (or "nak: why") on the console.
ctrl() {
	say "CTRL $*"
	read -r answer </dev/console
	case $answer in
	ack*) return 0 ;;
	*)
		echo "vmtest: host answered '$answer' to '$*'"
		return 1
		;;
	esac
}

finish() {
	echo "vmtest: ivpu kernel log follows"
	dmesg | grep -i -e vpu -e accel | sed 's/^/VMLOG /'
	say DONE
	sync
	poweroff -f
	sleep 10
}

# Kernel log lines from ivpu at warning level or worse (raw dmesg: <level>),
# and any kernel WARN/BUG/oops, after line $1 of the log.
ivpu_problems() {
	dmesg -r | tail -n +"$(($1 + 1))" | grep -e '^<[0-4]>.*\(intel_vpu\|ivpu\|accel\)' \
		-e 'WARNING:' -e 'BUG:' -e 'Oops' -e 'Call Trace'
}
log_lines() { dmesg | wc -l; }

# Seconds since boot.
uptime_s() { cut -d. -f1 /proc/uptime; }

# Waits up to $2 seconds for the kernel log to contain $1 at least $3 times.
wait_log() {
	deadline=$(($(uptime_s) + $2))
	while [ "$(dmesg | grep -c -e "$1")" -lt "${3:-1}" ]; do
		[ "$(uptime_s)" -ge $deadline ] && return 1
		sleep 0.2
	done
	return 0
}

# Modules in the order written by the host (dependencies first).
while read -r m; do
	[ "$m" = intel_vpu ] && continue
	insmod "/lib/modules/$m.ko" || fail "modules: insmod $m failed"
done </lib/modules/order

load_ivpu() {
	# shellcheck disable=SC2086
	insmod /lib/modules/intel_vpu.ko $ivpu_params
}

if [ "$device" = none ]; then
	if load_ivpu && [ -d /sys/module/intel_vpu ]; then
		pass "module-load: intel_vpu loaded with no device bound"
	else
		fail "module-load: insmod intel_vpu failed"
	fi
	finish
fi

# ---- 1. probe and firmware boot to READY ----
# Every check after the boot, reported as not run when the boot failed.
notrun_after_boot() {
	for c in runtime-pm uapi-params uapi-bo uapi-jobs uapi-stream tdr-abort tdr-next-job reload; do
		notrun "$c: $1"
	done
}
start=$(log_lines)
if ! load_ivpu; then
	fail "boot: insmod intel_vpu failed"
	notrun_after_boot "the module did not load"
	finish
fi
pci=
for d in /sys/bus/pci/drivers/intel_vpu/*:*; do
	[ -e "$d" ] && pci=${d##*/}
done
# The PCI probe runs inside insmod: once insmod returns, the device booted or not.
if wait_log 'Initialized intel_vpu' 20 && [ -e /dev/accel/accel0 ]; then
	problems=$(ivpu_problems "$start")
	if [ -z "$problems" ]; then
		pass "boot: ivpu bound to $pci and booted the firmware to READY: $(dmesg | grep -m1 -o 'Firmware: .*')"
	else
		fail "boot: initialized, but ivpu logged: $(echo "$problems" | head -3 | tr '\n' '|')"
	fi
else
	fail "boot: no 'Initialized intel_vpu': $(ivpu_problems "$start" | head -3 | tr '\n' '|')"
	notrun_after_boot "the device did not boot"
	finish
fi
pdev=/sys/bus/pci/devices/$pci

# ---- 2. runtime PM: suspend (D0i3 entry answered) and resume, twice ----
rpm_wait() {
	deadline=$(($(uptime_s) + $2))
	while [ "$(cat "$pdev/power/runtime_status")" != "$1" ]; do
		[ "$(uptime_s)" -ge $deadline ] && return 1
		sleep 0.1
	done
	return 0
}
start=$(log_lines)
d0i3_before=$(dmesg | grep -c 'D0I3_ENTER_DONE')
rpm_ok=1
rpm_why=
echo auto >"$pdev/power/control"
for round in 1 2; do
	if ! rpm_wait suspended 30; then
		rpm_ok=0
		rpm_why="round $round: not suspended after 30 s (runtime_status $(cat "$pdev/power/runtime_status"))"
		break
	fi
	echo on >"$pdev/power/control"
	if ! rpm_wait active 30; then
		rpm_ok=0
		rpm_why="round $round: not active 30 s after power/control=on"
		break
	fi
	echo auto >"$pdev/power/control"
done
if [ $rpm_ok = 1 ] && ! rpm_wait suspended 30; then
	rpm_ok=0
	rpm_why="not suspended again after power/control=auto"
fi
d0i3=$(($(dmesg | grep -c 'D0I3_ENTER_DONE') - d0i3_before))
problems=$(ivpu_problems "$start")
if [ $rpm_ok = 1 ] && [ -z "$problems" ] && [ "$d0i3" -ge 2 ]; then
	pass "runtime-pm: suspended and resumed twice (power/control on, then auto), $d0i3 D0i3 entries answered"
elif [ $rpm_ok = 1 ] && [ -z "$problems" ]; then
	fail "runtime-pm: suspended and resumed, but only $d0i3 D0I3_ENTER_DONE replies seen in the log"
else
	fail "runtime-pm: ${rpm_why:-ivpu logged: $(echo "$problems" | head -3 | tr '\n' '|')}"
fi

# ---- 3. the uAPI: parameters, buffers, jobs ----
start=$(log_lines)
guest_ivpu params "$device"
guest_ivpu jobs
guest_ivpu stream 256
problems=$(ivpu_problems "$start")
[ -n "$problems" ] && fail "uapi-log: ivpu logged during the jobs: $(echo "$problems" | head -3 | tr '\n' '|')"

# ---- information, not checks: more of ivpu's interface to the firmware ----
# (Linux ivpu_debugfs.c; each reads or writes one JSM message or log buffer.)
info() { say "INFO $*"; }
dbg=
for d in /sys/kernel/debug/accel/*; do
	[ -e "$d/fw_log" ] && dbg=$d
done
if [ -n "$dbg" ]; then
	start=$(log_lines)
	info "fw-log: $(wc -l <"$dbg/fw_log") lines of firmware log read by ivpu ($(grep -c . "$dbg/fw_log") non-empty)"
	info "fw-trace-capability: $(tr '\n' ' ' <"$dbg/fw_trace_capability" 2>&1)"
	info "fw-trace-config: $(tr '\n' ' ' <"$dbg/fw_trace_config" 2>&1)"
	if echo 0 >"$dbg/reset_engine" 2>/tmp/err; then
		info "reset-engine: ENGINE_RESET of engine 0 answered"
		# Under hardware scheduling the engine stays stopped after ENGINE_RESET until
		# HWS_ENGINE_RESUME (vpu_jsm_api.h); ivpu's debugfs sends them apart
		# (ivpu_debugfs.c: reset_engine, resume_engine), so resume it here.
		if dmesg | grep -q 'Scheduler mode: HW' && [ -e "$dbg/resume_engine" ]; then
			if echo 0 >"$dbg/resume_engine" 2>/tmp/err; then
				info "resume-engine: HWS_ENGINE_RESUME of engine 0 answered"
			else
				info "resume-engine: HWS_ENGINE_RESUME of engine 0 failed: $(cat /tmp/err)"
			fi
		fi
	else
		info "reset-engine: ENGINE_RESET of engine 0 failed: $(cat /tmp/err)"
	fi
	info "reset-counter: $(cat "$dbg/reset_counter"), last boot mode: $(cat "$dbg/last_bootmode" 2>&1)"
	# Duty-cycle throttling (40xx on): DCT_ENABLE with 50 % and 100 % active, then
	# DCT_DISABLE. Linux ivpu_debugfs.c dct_active_set: a percent enables, 0 disables.
	if [ -e "$dbg/dct" ]; then
		if echo 50 >"$dbg/dct" 2>/tmp/err; then
			d=$(cat "$dbg/dct")
			if ! echo 100 >"$dbg/dct" 2>/tmp/err; then
				info "dct: DCT_ENABLE at 50 % answered (read $d), DCT_ENABLE at 100 % failed: $(cat /tmp/err)"
			elif echo 0 >"$dbg/dct" 2>/tmp/err; then
				info "dct: DCT_ENABLE at 50 % (debugfs dct read $d) and 100 % answered, DCT_DISABLE answered (read $(cat "$dbg/dct"))"
			else
				info "dct: DCT_ENABLE at 50 % and 100 % answered, DCT_DISABLE failed: $(cat /tmp/err)"
			fi
		else
			info "dct: DCT_ENABLE at 50 % failed: $(cat /tmp/err)"
		fi
	fi
	guest_ivpu ms
	mstart=$(log_lines)
	guest_ivpu mmufault
	dmesg | tail -n +"$((mstart + 1))" | grep -e 'MMU' -e 'abort' -e 'Abort' -e 'ERROR' -e 'TDR' |
		head -12 | sed 's/^/vmtest: mmu-fault: /'
	problems=$(ivpu_problems "$start")
	[ -n "$problems" ] && info "extras-log: ivpu logged: $(echo "$problems" | head -4 | tr '\n' '|')"
else
	info "debugfs: no ivpu debugfs folder under /sys/kernel/debug/accel"
fi

# ---- 4. a job that never ends: TDR, recovery, the next job ----
# Linux ivpu_job.c/ivpu_pm.c: the TDR ends the job with status ABORTED and
# logs "Recovery triggered by TDR" (6.12; newer kernels, which first check that
# the firmware's heartbeat stopped: "Recovery triggered by Job timeout") and
# "Recovering the NPU"; the next use of the device boots the firmware again.
# Under hardware scheduling newer kernels (7.x ivpu_pm.c: ivpu_job_timeout_work)
# recover the NPU only in OS mode: with "Scheduler mode: HW" they log "Job timeout
# detected", send STATE_DUMP and queue the context abort work
# (ivpu_job.c: ivpu_context_abort_work_fn), which resets the engine
# (reset_engine_and_mark_faulty_contexts: ENGINE_RESET, "Engine reset performed,
# impacted contexts: N"), aborts those contexts (UNREGISTER_DB, DESTROY_CMD_QUEUE)
# and resumes the engine (HWS_ENGINE_RESUME); the firmware keeps running and the
# next job runs on a command queue created again. Linux 6.12 recovers in both modes.
if ctrl fault hang-job; then
	start=$(log_lines)
	guest_ivpu hang "$tdr" >/tmp/hang 2>&1
	sed 's/^VMTEST /vmtest: hang: /' /tmp/hang
	recovered=$(dmesg | tail -n +"$((start + 1))" | grep -c 'Recovering the NPU')
	engine_reset=
	if [ "$recovered" -lt 1 ] && dmesg | grep -q 'Scheduler mode: HW' &&
		dmesg | tail -n +"$((start + 1))" | grep -q 'Job timeout detected'; then
		engine_reset=yes
	fi
	# 7.x awaits STATE_DUMP_RSP (ivpu_jsm_state_dump); the firmware answers it.
	dump_failed=$(dmesg | tail -n +"$((start + 1))" | grep -m1 'failed: type VPU_JSM_MSG_STATE_DUMP')
	if ! grep -q '^VMTEST PASS tdr-abort' /tmp/hang; then
		why=$(grep -m1 '^VMTEST FAIL' /tmp/hang | cut -d' ' -f3-)
		fail "tdr-abort: ${why:-guest_ivpu hang reported no result}"
	elif [ -n "$dump_failed" ]; then
		fail "tdr-abort: ivpu's STATE_DUMP got no answer: ${dump_failed#*ERROR\* }"
	elif [ -n "$engine_reset" ]; then
		hang_log=$(dmesg | tail -n +"$((start + 1))")
		if ! echo "$hang_log" | grep -q 'Engine reset performed, impacted contexts: [1-9]'; then
			fail "tdr-abort: HWS: the timeout was detected, but no engine reset named the hung context ('Engine reset performed, impacted contexts: N')"
		elif ! echo "$hang_log" | grep -q 'Context ID: [0-9]* abort'; then
			fail "tdr-abort: HWS: the engine was reset, but ivpu aborted no context"
		elif echo "$hang_log" | grep -q -e 'Engine reset failed' -e 'Engine resume failed' -e 'Failed to resume engine' -e 'Failed to destroy command queue'; then
			fail "tdr-abort: HWS: $(echo "$hang_log" | grep -m1 -e 'Engine re' -e 'Failed to' | sed 's/^.*ERROR\* //')"
		else
			pass "tdr-abort: $(grep -m1 '^VMTEST PASS tdr-abort' /tmp/hang | cut -d' ' -f4-); HWS: timeout detected, engine reset, context aborted, engine resumed"
		fi
	elif ! dmesg | tail -n +"$((start + 1))" | grep -q 'Recovery triggered by \(TDR\|Job timeout\)'; then
		fail "tdr-abort: the job was aborted, but not by ivpu's timeout detection (no 'Recovery triggered by TDR' or '... by Job timeout')"
	elif [ "$recovered" -lt 1 ]; then
		fail "tdr-abort: the TDR fired, but ivpu did not recover the NPU (no 'Recovering the NPU')"
	else
		pass "tdr-abort: $(grep -m1 '^VMTEST PASS tdr-abort' /tmp/hang | cut -d' ' -f4-); TDR and recovery in the log"
	fi
	if ctrl fault none; then
		guest_ivpu jobs >/tmp/next 2>&1
		sed 's/^VMTEST /vmtest: next job: /' /tmp/next
		# The firmware's boots after the recovery, as ivpu logs them (IVPU_DBG_PM).
		booted=$(dmesg | tail -n +"$((start + 1))" | sed -n '/Recovering the NPU/,$p' |
			grep -c 'ready message received')
		# HWS engine reset: the aborted context's queue is gone; the next job creates one.
		recreated=$(dmesg | tail -n +"$((start + 1))" | sed -n '/Engine reset performed/,$p' |
			grep -c 'Command queue [0-9]* created')
		if ! grep -q '^VMTEST PASS uapi-jobs' /tmp/next || grep -q '^VMTEST FAIL' /tmp/next; then
			why=$(grep -m1 '^VMTEST FAIL' /tmp/next | cut -d' ' -f3-)
			fail "tdr-next-job: ${why:-guest_ivpu jobs reported no PASS uapi-jobs}"
		elif [ -n "$engine_reset" ]; then
			if [ "$recreated" -lt 1 ]; then
				fail "tdr-next-job: HWS: the jobs ran, but no command queue was created after the engine reset"
			else
				pass "tdr-next-job: HWS: after the engine reset new jobs ran on a new command queue and every byte checked out"
			fi
		elif [ "$booted" -lt 1 ]; then
			fail "tdr-next-job: the jobs ran, but the firmware was not booted again after a recovery"
		else
			pass "tdr-next-job: the firmware booted again after the recovery; new jobs ran and every byte checked out"
		fi
	else
		notrun "tdr-next-job: the host could not clear the fault"
	fi
	echo "vmtest: log of the recovery:"
	dmesg | tail -n +"$((start + 1))" | grep -e 'TDR' -e 'Recover' -e 'ready message' -e 'Booting' \
		-e 'Job timeout' -e 'Engine re' -e 'abort' -e 'ENGINE_RES' | tail -20
else
	notrun "tdr-abort: the host could not enable the hang fault"
	notrun "tdr-next-job: the host could not enable the hang fault"
fi

# ---- 5. unload and load again; the device boots again ----
boots=$(dmesg | grep -c 'Initialized intel_vpu')
if rmmod intel_vpu; then
	stale=0
	if [ -e /dev/accel/accel0 ]; then
		stale=1
		fail "reload: /dev/accel/accel0 still there after rmmod"
	fi
	start=$(log_lines)
	if load_ivpu && wait_log 'Initialized intel_vpu' 20 $((boots + 1)) &&
		guest_ivpu params "$device" >/tmp/params 2>&1 &&
		guest_ivpu stream 16 >>/tmp/params 2>&1; then
		problems=$(ivpu_problems "$start")
		if [ -n "$problems" ]; then
			fail "reload: booted again, but ivpu logged: $(echo "$problems" | head -3 | tr '\n' '|')"
		elif [ $stale = 0 ]; then
			pass "reload: rmmod, insmod, the firmware booted again, GET_PARAM answered and 16 jobs ran"
		fi
	else
		fail "reload: the device did not boot again: $(tr '\n' '|' </tmp/params 2>/dev/null)"
	fi
else
	fail "reload: rmmod intel_vpu failed"
fi
finish
