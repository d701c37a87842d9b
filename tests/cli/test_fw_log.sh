#!/usr/bin/env bash
# npuctl fw-log against the simulated NPU: the boot and READY records of the
# firmware's verbose log on both generations (Intel's images and the synthetic
# one), --json, the critical log of a failed boot, --follow until SIGINT, and
# usage errors.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
fwdir=${NPU_TEST_FIRMWARE_DIR:-/lib/firmware/intel/vpu}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"


command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
mkdir "$tmp/empty"
# The synthetic image always; Intel's when installed.
runs=("synthetic")
have_fw=1
for g in 37xx 40xx; do
	[[ -r $fwdir/vpu_${g}_v1.bin ]] || have_fw=0
done
if ((have_fw)); then
	runs+=("intel")
elif [[ ${NPU_REQUIRE_FIRMWARE:-0} == 1 ]]; then
	bad "Intel's firmware images missing from $fwdir with NPU_REQUIRE_FIRMWARE=1"
else
	echo "note: Intel's images not in $fwdir (firmware-intel-misc): synthetic image only"
fi

for r in "${runs[@]}"; do
	for g in 37xx 40xx; do
		if [[ $r == synthetic ]]; then
			env=(env "NPU_FIRMWARE_PATH=$tmp/empty")
			fw=()
		else
			env=(env)
			fw=(--firmware "$fwdir/vpu_${g}_v1.bin")
		fi
		"${env[@]}" "$NPUCTL" fw-log ${fw[@]+"${fw[@]}"} --device sim --gen $g >"$tmp/out" 2>"$tmp/err"
		expect_rc "fw-log $r $g" 0 $?
		grep -q '^==== verbose log "LRT" ====$' "$tmp/out" && ok || bad "$r $g: no verbose section: $(cat "$tmp/out")"
		grep -q '^\[ *[0-9]*\.[0-9]\{6\}\] I boot: entry 0x[0-9a-f]*, boot params at 0x' "$tmp/out" && ok ||
			bad "$r $g: no boot record: $(cat "$tmp/out")"
		grep -q '\] I ready: .*READY' "$tmp/out" && ok || bad "$r $g: no READY record: $(cat "$tmp/out")"
		# The critical log has nothing after a good boot.
		sed -n '/^==== crit log/,/^====/p' "$tmp/out" | grep -q '^(empty)$' && ok || bad "$r $g: crit not empty: $(cat "$tmp/out")"
		[[ -s $tmp/err ]] && bad "$r $g: stderr: $(cat "$tmp/err")" || ok

		"${env[@]}" "$NPUCTL" fw-log ${fw[@]+"${fw[@]}"} --device sim --gen $g --json >"$tmp/out" 2>/dev/null
		expect_rc "fw-log --json $r $g" 0 $?
		json_check "json $r $g keys" "$tmp/out" \
			"[b['log'] for b in d['buffers']] == ['crit', 'verbose'] and all(set(b) >= {'name', 'format', 'size', 'write_index', 'wrap_count', 'records'} for b in d['buffers'])"
		json_check "json $r $g values" "$tmp/out" \
			"d['buffers'][0]['size'] == 512 * 1024 and d['buffers'][1]['size'] == 1024 * 1024 and d['buffers'][1]['format'] == 'string' and d['buffers'][1]['name'] == 'LRT' and d['buffers'][0]['records'] == []"
		json_check "json $r $g records" "$tmp/out" \
			"any(' I boot: entry 0x' in x for x in d['buffers'][1]['records']) and any('READY' in x for x in d['buffers'][1]['records']) and d['buffers'][1]['write_index'] == sum(len(x) + 1 for x in d['buffers'][1]['records'])"
	done
done

# One log only.
NPU_FIRMWARE_PATH=$tmp/empty "$NPUCTL" fw-log --device sim --crit --json >"$tmp/out" 2>/dev/null
json_check "--crit" "$tmp/out" "[b['log'] for b in d['buffers']] == ['crit']"
NPU_FIRMWARE_PATH=$tmp/empty "$NPUCTL" --json fw-log --verbose-log --device sim >"$tmp/out" 2>/dev/null
json_check "--verbose-log" "$tmp/out" "[b['log'] for b in d['buffers']] == ['verbose']"

# A boot that fails: exit 1, and the critical log says why.
NPU_FIRMWARE_PATH=$tmp/empty NPU_SIM_FAULT=no-ready "$NPUCTL" fw-log --device sim >"$tmp/out" 2>"$tmp/err"
expect_rc "no-ready" 1 $?
sed -n '/^==== crit log/,/^==== verbose/p' "$tmp/out" | grep -q '\] E boot: failed: fault injection no-ready' && ok ||
	bad "no-ready: not in the crit log: $(cat "$tmp/out")"
grep -q '^npuctl: boot failed at wait for ready: ' "$tmp/err" && ok || bad "no-ready: stderr: $(cat "$tmp/err")"

# --follow: the boot's records, then it waits; SIGINT ends it with exit 0.
follow_case() { # follow_case NAME ARGS...: runs until its output has READY, then SIGINT
	local name=$1 pid rc
	shift
	NPU_FIRMWARE_PATH=$tmp/empty "$NPUCTL" fw-log --device sim --follow "$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 200); do
		grep -q 'READY' "$tmp/out" 2>/dev/null && break
		sleep 0.05
	done
	sleep 0.2
	kill -INT $pid
	for _ in $(seq 100); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 $pid 2>/dev/null; then
		bad "$name: still running 5 s after SIGINT"
		kill -KILL $pid
	fi
	wait $pid
	rc=$?
	expect_rc "$name SIGINT" 0 $rc
}
follow_case "--follow"
grep -q 'READY' "$tmp/out" && ok || bad "--follow: no READY record: $(cat "$tmp/out")"
[[ $(grep -c 'I boot: entry' "$tmp/out") -eq 1 ]] && ok || bad "--follow: records repeated: $(cat "$tmp/out")"
follow_case "--follow --json" --json
json_check "--follow --json" "$tmp/out" "len(d['buffers']) == 2"

# Usage errors.
"$NPUCTL" fw-log --bogus >/dev/null 2>"$tmp/err"
expect_rc "unknown option" 2 $?
grep -q "^npuctl: fw-log: unknown option '--bogus'" "$tmp/err" && ok || bad "unknown option: $(cat "$tmp/err")"
"$NPUCTL" fw-log extra >/dev/null 2>&1
expect_rc "extra argument" 2 $?
"$NPUCTL" fw-log --gen 99xx --device sim >/dev/null 2>&1
expect_rc "bad --gen" 2 $?
"$NPUCTL" fw-log --help >"$tmp/out"
expect_rc "--help" 0 $?
grep -q -- '--follow' "$tmp/out" && ok || bad "--help lacks --follow"
"$NPUCTL" --help | grep -q '^  fw-log ' && ok || bad "fw-log not in the command list"

finish
