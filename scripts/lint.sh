#!/usr/bin/env bash
# Static analysis: the citation check (scripts/check-citations.py), the layers'
# include rules (scripts/check-layers.sh), then clang-tidy (.clang-tidy) and
# cppcheck (.cppcheck-suppressions) over the sources CMake builds from src/
# and tools/. Any finding fails.
#
# Usage: scripts/lint.sh [BUILD_DIR]   (default build-lint; JOBS sets parallelism)
#
# Both tools read the compile database of BUILD_DIR, configured here with
# CMAKE_EXPORT_COMPILE_COMMANDS=ON (nothing is compiled). clang-tidy runs once
# per file: one process per translation unit, because clang-tidy 14's va_list
# checker misfires on the second and later files of a multi-file invocation.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every document a comment or doc cites is in the repository, with the sections it names.
scripts/check-citations.py

build=${1:-build-lint}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
tidy=${CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy || true)}
cppcheck=${CPPCHECK:-$(command -v cppcheck || true)}

# The layers first: no compiler needed, and it names every bad include at once.
layers_rc=0
scripts/check-layers.sh || layers_rc=$?

if [[ -z $tidy || -z $cppcheck ]]; then
	echo "lint: needs clang-tidy and cppcheck ('make deps' as root installs them)" >&2
	exit 1
fi

# BUILD_TESTING=OFF: the database then holds exactly the library, npuctl and npud.
cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DBUILD_TESTING=OFF -DNPU_FUZZ=OFF \
	>/dev/null
db=$build/compile_commands.json

mapfile -t files < <(python3 - "$db" "$PWD" <<'PY'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
for entry in json.load(open(db)):
    path = os.path.relpath(os.path.join(entry["directory"], entry["file"]), root)
    if path.startswith(("src/", "tools/")):
        print(path)
PY
)
if ((${#files[@]} == 0)); then
	echo "lint: no sources found in $db" >&2
	exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# clang-tidy: one process per file, $jobs at a time, each into its own log so
# the reports do not interleave.
# shellcheck disable=SC2016 # $1..$4 are the inner shell's arguments
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -I{} sh -c \
	'"$1" -p "$2" --quiet "$3" >"$4/$(echo "$3" | tr / _).log" 2>&1 || echo "$3" >>"$4/failed"' \
	sh "$tidy" "$build" {} "$out"
cat "$out"/*.log | grep -v -E '^[0-9]+ (warning|error)s? (generated|treated as errors?)\.$' |
	sed "s|$PWD/||" >"$out/tidy.txt" || true
# A header's finding is reported once per file that includes it: count it once.
tidy_findings=$({ grep -E '^[^ ].*: (warning|error): ' "$out/tidy.txt" || true; } | sort -u | wc -l)
# Files clang-tidy failed on (findings are errors, so these include any crash).
tidy_failed=0
[[ -e $out/failed ]] && tidy_failed=$(wc -l <"$out/failed")

# cppcheck: the whole project at once (it is fast).
cppcheck_rc=0
"$cppcheck" --project="$db" --file-filter='src/*' --file-filter='tools/*' \
	--enable=warning,style,performance,portability --std=c11 --library=posix \
	--inline-suppr --suppressions-list=.cppcheck-suppressions --error-exitcode=1 \
	--quiet -j "$jobs" --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	2>"$out/cppcheck.txt" || cppcheck_rc=$?
# Its own errors ("cppcheck: error: ...", a bad filter or project) count too.
cppcheck_findings=$(grep -c -E '(: (error|warning|style|performance|portability): |^cppcheck: error)' \
	"$out/cppcheck.txt" || true)

if ((tidy_findings || tidy_failed)); then
	echo "== clang-tidy"
	cat "$out/tidy.txt"
fi
if ((cppcheck_findings || cppcheck_rc)); then
	echo "== cppcheck"
	cat "$out/cppcheck.txt"
fi

summary="lint: ${#files[@]} files: clang-tidy $tidy_findings finding(s), cppcheck $cppcheck_findings finding(s)"
if ((layers_rc)); then
	summary="$summary, includes against the layers (above)"
fi
if ((tidy_findings || tidy_failed || cppcheck_findings || cppcheck_rc || layers_rc)); then
	((tidy_failed && !tidy_findings)) && echo "lint: clang-tidy failed on: $(tr "\n" " " <"$out/failed")" >&2
	echo "$summary: FAILED" >&2
	exit 1
fi
echo "$summary: clean"
