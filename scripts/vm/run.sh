#!/usr/bin/env bash
# `make vm-test`: boots Debian's kernel with its intel_vpu module in QEMU (TCG)
# against the virtual NPU, build/npu-vfio-user, for each generation, and checks
# what Linux's ivpu does with it (tests/vm/init.sh and tests/vm/guest_ivpu.c
# inside the guest; docs/vm-test.md). Everything else comes from Debian's
# archive through scripts/vm/fetch.sh, once, into the cache folder.
#
# Usage: scripts/vm/run.sh [options]
#   --gen 37xx|40xx     a generation to test (repeatable; default both)
#   --build DIR         npud's build folder with npu-vfio-user (default build)
#   --cache DIR         the download cache (default $VM_CACHE or /var/cache/npud-vm)
#   --sched os|hws|auto ivpu's scheduler: its sched_mode parameter 0 or 1, or
#                       auto for the kernel's own choice (default os)
#   --kernel SUITE      whose kernel: trixie (default, 6.12) or e.g.
#                       trixie-backports (fetched into the cache on first use)
#   --no-device         boot and load intel_vpu with no NPU attached (a smoke test
#                       of the guest that needs no server)
#   --timeout SECONDS   per guest (default 300; a guest takes 15-25 s)
#
# Output: one line per check and generation, a summary, and the guest's
# console and the server's log in DIR/vm/. Exit status 0 only when every
# check of every generation passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
gens=()
build=build
cache=${VM_CACHE:-/var/cache/npud-vm}
sched=os
ksuite=trixie
no_device=0
guest_timeout=300

while (($#)); do
	case $1 in
	--gen)
		gens+=("$2")
		shift 2
		;;
	--build)
		build=$2
		shift 2
		;;
	--cache)
		cache=$2
		shift 2
		;;
	--sched)
		sched=$2
		shift 2
		;;
	--kernel)
		ksuite=$2
		shift 2
		;;
	--no-device)
		no_device=1
		shift
		;;
	--timeout)
		guest_timeout=$2
		shift 2
		;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "vm-test: unknown option $1 (see --help)" >&2
		exit 2
		;;
	esac
done
((${#gens[@]})) || gens=(37xx 40xx)
case $sched in
os) sched_mode=,sched_mode=0 ;;
hws) sched_mode=,sched_mode=1 ;;
auto) sched_mode= ;;
*)
	echo "vm-test: --sched is os, hws or auto, not $sched" >&2
	exit 2
	;;
esac

build=$(cd "$top" && mkdir -p "$build" && cd "$build" && pwd)
out=$build/vm
mkdir -p "$out"
t_start=$(date +%s)

"$here/fetch.sh" "$cache" "$ksuite"

tree=$cache/tree
kdir=$cache/kernel
[[ $ksuite == trixie ]] || kdir=$cache/kernel-$ksuite
kernel=$(find "$kdir" -path '*/boot/vmlinuz-*' -o -path '*/usr/lib/modules/*/vmlinuz' | head -1)
qemu=("$tree/usr/lib64/ld-linux-x86-64.so.2" --library-path "$tree/usr/lib/x86_64-linux-gnu"
	"$tree/usr/bin/qemu-system-x86_64" -L "$tree/usr/share/seabios" -L "$tree/usr/share/qemu")

# The guest program: static, with <drm/ivpu_accel.h> from the trixie tree's
# linux-libc-dev (Debian 12's has no ivpu header).
rm -rf "$out/include"
mkdir -p "$out/include"
cp -r "$tree/usr/include/drm" "$out/include/drm"
${CC:-gcc} -std=c11 -static -O2 -Wall -Wextra -Werror -I"$top/src" -I"$out/include" \
	"$top"/tests/vm/guest_{ivpu,uapi,stream,extras}.c -o "$out/guest_ivpu"
"$here/initramfs.sh" "$cache" "$out/guest_ivpu" "$out/initrd.gz" "$kdir" >/dev/null

server=$build/npu-vfio-user
if ((!no_device)) && [[ ! -x $server ]]; then
	echo "vm-test: $server is missing: build it first (make)" >&2
	exit 1
fi

# ivpu's debug output for firmware boot, PM, jobs, JSM messages and runtime PM
# (IVPU_DBG_FW_BOOT | PM | JOB | JSM | RPM, Linux ivpu_drv.h), printed through
# dynamic debug.
ivpu_params="dbg_mask=0x1660,dyndbg=+p$sched_mode"

checks=(boot runtime-pm uapi-params uapi-bo uapi-jobs uapi-stream tdr-abort tdr-next-job reload server differential)
((no_device)) && checks=(module-load)
declare -A pci_id=([37xx]=7d1d [40xx]=643e)

# The server's fault injection, asked for by the guest ("VMTEST CTRL fault X").
# Prints "ack" or "nak: why".
server_pid=
fault_control() {
	local fault=$1
	if [[ -z $server_pid ]]; then
		echo "nak: no server"
		return
	fi
	# npu-vfio-user(1): SIGUSR1 switches the model's hang-job fault on, SIGUSR2 off.
	case $fault in
	hang-job) kill -USR1 "$server_pid" 2>/dev/null && echo ack || echo "nak: the server is gone" ;;
	none) kill -USR2 "$server_pid" 2>/dev/null && echo ack || echo "nak: the server is gone" ;;
	*) echo "nak: no fault $fault" ;;
	esac
}

# One guest: returns 0 when every check passed.
run_gen() {
	local gen=$1 sock=$out/npu-$1.sock console=$out/console-$1.log slog=$out/server-$1.log
	local device=none line answer t0 rc=0 name status
	local fw=$cache/firmware/usr/lib/firmware/intel/vpu/vpu_${gen}_v1.bin
	declare -A got=()

	rm -f "$sock" "$console" "$slog"
	server_pid=
	local dev_args=()
	if ((!no_device)); then
		device=${pci_id[$gen]}
		rm -rf "$out/rec-$gen"
		"$server" --gen "$gen" --socket "$sock" --once --firmware "$fw" --record "$out/rec-$gen" \
			>"$slog" 2>&1 &
		server_pid=$!
		for _ in $(seq 100); do
			[[ -S $sock ]] && break
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		if [[ ! -S $sock ]]; then
			echo "vm-test $gen: the server did not open $sock: $(tail -3 "$slog")" >&2
			for name in "${checks[@]}"; do
				echo "vm-test $gen: NOT RUN $name: no server"
			done
			kill "$server_pid" 2>/dev/null || true
			return 1
		fi
		# shellcheck disable=SC2054 # QEMU's options are comma-separated
		dev_args=(-object memory-backend-memfd,id=mem,size=1G,share=on
			-machine q35,memory-backend=mem
			-device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":\"$sock\"}}")
	else
		dev_args=(-m 1G)
	fi

	t0=$(date +%s)
	coproc QEMU {
		exec timeout "$guest_timeout" "${qemu[@]}" -machine q35 -accel tcg -cpu max -m 1G -smp 1 \
			-display none -no-reboot -monitor none -serial stdio "${dev_args[@]}" \
			-kernel "$kernel" -initrd "$out/initrd.gz" \
			-append "console=ttyS0 panic=-1 quiet log_buf_len=8M vmtest.device=$device vmtest.ivpu=$ivpu_params" 2>&1
	}
	local qin=${QEMU[1]} qout=${QEMU[0]} qpid=$QEMU_PID
	while IFS= read -r line <&"$qout"; do
		line=${line%$'\r'}
		printf '%s\n' "$line" >>"$console"
		case $line in
		"VMTEST CTRL fault "*)
			answer=$(fault_control "${line#VMTEST CTRL fault }")
			echo "vm-test $gen: guest asked for fault ${line#VMTEST CTRL fault }: $answer"
			printf '%s\n' "$answer" >&"$qin"
			;;
		"VMTEST PASS "* | "VMTEST FAIL "* | "VMTEST NOTRUN "*)
			status=${line#VMTEST }
			status=${status%% *}
			name=${line#VMTEST "$status" }
			name=${name%%:*}
			[[ $status == NOTRUN ]] && status="NOT RUN"
			# A check reported twice keeps its worst result.
			if [[ ${got[$name]:-PASS} == PASS ]]; then
				got[$name]=$status
			fi
			echo "vm-test $gen: $status ${line#VMTEST * }"
			;;
		"VMTEST INFO "*)
			echo "vm-test $gen: INFO ${line#VMTEST INFO }"
			;;
		"VMTEST DONE")
			got[.done]=1
			;;
		esac
	done
	wait "$qpid" 2>/dev/null || true
	# The server (--once) ends by itself when QEMU goes away: status 0, and no
	# sanitizer report when it is built with one (make vm-test VM_BUILD=build-asan).
	if [[ -n $server_pid ]]; then
		local srv_rc=0 why=
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$server_pid" 2>/dev/null; then
			why="it did not exit 5 s after its client went away"
			kill "$server_pid" 2>/dev/null || true
		fi
		wait "$server_pid" 2>/dev/null || srv_rc=$?
		[[ -z $why && $srv_rc -ne 0 ]] && why="it exited with status $srv_rc"
		if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' \
			-e 'WARNING: ThreadSanitizer' "$slog"; then
			why="${why:+$why; }a sanitizer report in $slog"
		fi
		if [[ -n $why ]]; then
			got[server]=FAIL
			echo "vm-test $gen: FAIL server: $why"
		else
			got[server]=PASS
			echo "vm-test $gen: PASS server: npu-vfio-user served the guest and exited cleanly"
		fi
	fi
	# The differential: npud's driver in-process on the same model and firmware,
	# its record compared with ivpu's (scripts/vm/differential.sh).
	if [[ -n $server_pid && -s $out/rec-$gen/counts.json ]]; then
		local drc=0 dsched=auto
		# npud schedules as ivpu did in the guest ("Scheduler mode: HW|OS", ivpu_fw.c).
		if grep -q 'Scheduler mode: HW' "$out/console-$gen.log" 2>/dev/null; then
			dsched=hws
		elif grep -q 'Scheduler mode: OS' "$out/console-$gen.log" 2>/dev/null; then
			dsched=os
		fi
		"$here/differential.sh" "$gen" "$build" "$fw" "$out/rec-$gen" "$out" "$dsched" >"$out/differential-$gen.out" 2>&1 || drc=$?
		if ((drc == 0)); then
			got[differential]=PASS
			echo "vm-test $gen: PASS differential: npud's record differs from ivpu's only as explained ($out/differential-$gen.txt)"
		else
			got[differential]=FAIL
			echo "vm-test $gen: FAIL differential: $(grep -m3 -e UNEXPLAINED -e failed "$out/differential-$gen.out" "$out/differential-$gen.txt" 2>/dev/null | tr '\n' ' ')(see $out/differential-$gen.txt)"
		fi
	elif [[ -n $server_pid ]]; then
		got[differential]=FAIL
		echo "vm-test $gen: FAIL differential: the server left no record in $out/rec-$gen"
	fi
	if [[ -z ${got[.done]:-} ]]; then
		echo "vm-test $gen: the guest did not finish (timeout ${guest_timeout} s or crash): see $console"
		rc=1
	fi
	for name in "${checks[@]}"; do
		if [[ -z ${got[$name]:-} ]]; then
			echo "vm-test $gen: NOT RUN $name: the guest never reported it"
			rc=1
		elif [[ ${got[$name]} != PASS ]]; then
			rc=1
		fi
	done
	for name in "${!got[@]}"; do
		[[ $name != .done && ${got[$name]} != PASS ]] && rc=1
	done
	echo "vm-test $gen: $( ((rc)) && echo FAILED || echo passed) in $(($(date +%s) - t0)) s (console: $console)"
	return $rc
}

failed=()
for gen in "${gens[@]}"; do
	if [[ -z ${pci_id[$gen]:-} ]]; then
		echo "vm-test: unknown generation $gen (37xx or 40xx)" >&2
		exit 2
	fi
	run_gen "$gen" || failed+=("$gen")
done
echo "vm-test: $(($(date +%s) - t_start)) s in all; $( ((${#failed[@]})) && echo "FAILED: ${failed[*]}" || echo "all checks passed")"
((${#failed[@]} == 0))
