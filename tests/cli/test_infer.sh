#!/usr/bin/env bash
# npuctl infer on the simulated NPU: the digits model (models/digits.blob) on
# the held-out samples 1000..1796 of load_digits (tests/data/digits) classifies
# at least 93% right on both generations, in-process and through npud; the
# predictions do not depend on the batch size; malformed blobs, inputs and
# options give one clear line and a non-zero exit, and the device goes on.
set -u
: "${NPUCTL:?NPUCTL must point at the npuctl binary}"
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"
data=${NPU_TEST_DATA_DIR:-$here/../data}/digits
model=${NPU_TEST_MODEL_DIR:-$here/../../models}/digits.blob
export NPU_FIRMWARE_PATH=$tmp/nofw
mkdir "$NPU_FIRMWARE_PATH"

# Samples 1000..1796: 64 bytes each, one label byte each.
tail -c $((797 * 64)) "$data/samples.u8" >"$tmp/held.u8"
tail -c 797 "$data/labels.u8" >"$tmp/labels.u8"
[[ $(stat -c %s "$tmp/held.u8") -eq 51008 && $(stat -c %s "$tmp/labels.u8") -eq 797 ]] && ok ||
	bad "the digits data in $data is not 1797 samples"

for g in 37xx 40xx; do
	"$NPUCTL" infer --device sim --gen $g --model "$model" --input "$tmp/held.u8" \
		--labels "$tmp/labels.u8" --json >"$tmp/out_$g" 2>"$tmp/err"
	expect_rc "infer $g" 0 $?
	json_check "infer $g" "$tmp/out_$g" \
		"d['samples'] == 797 and len(d['predictions']) == 797 and d['accuracy'] >= 0.93 and
		 d['correct'] == sum(p == l for p, l in zip(d['predictions'], open('$tmp/labels.u8', 'rb').read()))
		 and d['us_per_sample'] > 0 and d['jobs'] == 13 and d['batch'] == 64"
done
# The same predictions on both generations, and whatever the batch size.
"$NPUCTL" infer --device sim --model "$model" --input "$tmp/held.u8" --batch 1 --json \
	>"$tmp/out_b1" 2>"$tmp/err"
expect_rc "infer --batch 1" 0 $?
"$NPUCTL" infer --device sim --model "$model" --input "$tmp/held.u8" --batch 797 --json \
	>"$tmp/out_b797" 2>"$tmp/err"
expect_rc "infer --batch 797" 0 $?
python3 - "$tmp" <<'EOF' && ok || bad "predictions differ between generations or batch sizes"
import json, sys
p = [json.load(open(f"{sys.argv[1]}/{n}"))["predictions"] for n in ("out_37xx", "out_40xx", "out_b1", "out_b797")]
sys.exit(0 if all(x == p[0] for x in p) else 1)
EOF

# Text: one "i: class" line per sample, then the summary and the accuracy.
"$NPUCTL" infer --device sim --model "$model" --input "$tmp/held.u8" --labels "$tmp/labels.u8" \
	>"$tmp/text" 2>"$tmp/err"
expect_rc "infer text" 0 $?
python3 - "$tmp" <<'EOF' && ok || bad "infer text: $(tail -3 "$tmp/text")"
import json, re, sys
lines = open(f"{sys.argv[1]}/text").read().splitlines()
want = json.load(open(f"{sys.argv[1]}/out_37xx"))["predictions"]
ok = [f"{i}: {c}" for i, c in enumerate(want)] == lines[:797]
ok = ok and re.fullmatch(r"797 samples in 13 jobs of up to 64: [0-9.]+ us per sample", lines[797])
ok = ok and re.fullmatch(r"accuracy: \d+/797 = \d+\.\d\d%", lines[798]) and len(lines) == 799
sys.exit(0 if ok else 1)
EOF

# expect_fail NAME RC PATTERN ARGS...: exit RC and one "npuctl: " line matching PATTERN.
expect_fail() {
	local name=$1 rc=$2 pattern=$3
	shift 3
	"$NPUCTL" infer --device sim "$@" >"$tmp/out" 2>"$tmp/err"
	expect_rc "$name" "$rc" $?
	if head -1 "$tmp/err" | grep -Eq "^npuctl: .*$pattern" && [[ ! -s $tmp/out ]]; then
		ok
	else
		bad "$name: stderr: $(head -c 300 "$tmp/err")"
	fi
}
python3 - "$model" "$tmp" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
d = sys.argv[2]
chain = bytearray(b); struct.pack_into("<I", chain, 64 + 8, 2)  # layer 0 takes 2 channels
open(f"{d}/chain.blob", "wb").write(chain)
unknown = bytearray(b); struct.pack_into("<H", unknown, 64, 77)  # layer 0 of type 77
open(f"{d}/unknown.blob", "wb").write(unknown)
magic = bytearray(b); magic[0] ^= 0x20
open(f"{d}/magic.blob", "wb").write(magic)
open(f"{d}/short.blob", "wb").write(b[:4000])
EOF
expect_fail "shapes that do not chain" 1 "refused the model as malformed.*status 0x7" \
	--model "$tmp/chain.blob" --input "$tmp/held.u8"
expect_fail "unknown layer" 1 "does not support.*status 0x8" \
	--model "$tmp/unknown.blob" --input "$tmp/held.u8"
expect_fail "bad magic" 1 "not a model blob" --model "$tmp/magic.blob" --input "$tmp/held.u8"
expect_fail "truncated blob" 1 "truncated" --model "$tmp/short.blob" --input "$tmp/held.u8"
expect_fail "input not whole samples" 1 "not a whole number of 64-byte samples" \
	--model "$model" --input "$tmp/labels.u8"
expect_fail "labels for other samples" 1 "51008 labels for 797 samples" \
	--model "$model" --input "$tmp/held.u8" --labels "$tmp/held.u8"
expect_fail "missing model" 1 "No such file" --model "$tmp/none.blob" --input "$tmp/held.u8"
expect_fail "no --input" 2 "--model FILE and --input FILE are required" --model "$model"
expect_fail "batch 0" 2 "--batch must be 1..4096" --model "$model" --input "$tmp/held.u8" \
	--batch 0
expect_fail "batch 4097" 2 "--batch must be 1..4096" --model "$model" --input "$tmp/held.u8" \
	--batch 4097

# Through npud: the same predictions; a malformed blob fails its job, the next client is served.
if [[ -n ${NPUD:-} ]]; then
	# shellcheck source=npud_lib.sh
	. "$here/npud_lib.sh"
	sock=$tmp/run/npud.sock
	if start_npud "$sock" "$tmp/npud.log"; then
		"$NPUCTL" infer --socket "$sock" --model "$model" --input "$tmp/held.u8" --json \
			>"$tmp/out_sock" 2>"$tmp/err"
		expect_rc "infer through npud" 0 $?
		cmp -s <(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['predictions'])" "$tmp/out_sock") \
			<(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['predictions'])" "$tmp/out_37xx") &&
			ok || bad "infer through npud: other predictions"
		"$NPUCTL" infer --socket "$sock" --model "$tmp/chain.blob" --input "$tmp/held.u8" \
			>/dev/null 2>"$tmp/err"
		expect_rc "malformed blob through npud" 1 $?
		"$NPUCTL" infer --socket "$sock" --model "$model" --input "$tmp/held.u8" \
			--labels "$tmp/labels.u8" >"$tmp/out" 2>"$tmp/err"
		expect_rc "infer through npud after a bad blob" 0 $?
		alive "after the bad blob"
		stop_npud "npud stop"
	fi
fi
finish
