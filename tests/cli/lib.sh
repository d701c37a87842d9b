# Shared by the CLI tests (sourced, not run): a scratch folder removed on exit,
# pass/fail counting, and the checks the tests make.
# shellcheck shell=bash

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fails=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_rc NAME EXPECTED ACTUAL: with the start of $tmp/err when a command left one.
expect_rc() {
	[[ $2 -eq $3 ]] && ok || bad "$1: exit $3, expected $2 ($(head -c 400 "$tmp/err" 2>/dev/null))"
}
# json_check NAME FILE PYTHON-EXPR: the expression is evaluated with the document as d.
json_check() {
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($3) else 1)" "$2"; then
		ok
	else
		bad "$1: $3 is false for: $(cat "$2")"
	fi
}
# The closing line, and the exit status of the test.
finish() {
	echo "$pass passed, $fails failed"
	[[ $fails -eq 0 ]]
}
