#!/usr/bin/env bash
# Who may use npud: root and npud's own user always; others by --allow-uid or
# --allow-gid (their primary or supplementary groups); anyone else gets EACCES
# with a reason and the connection closed. RESET is for root and the owner
# only. The socket's mode keeps out who may not even connect. Clients act as
# other users through setpriv: as root, or, for a user who is not, as root of a
# user namespace with other ids mapped (users.sh).
set -u
# shellcheck source=users.sh
. "$(dirname "$0")/users.sh"
need_other_users "$@"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=npud_lib.sh
. "$(dirname "$0")/npud_lib.sh"

py=$(command -v /usr/bin/python3 || command -v python3)
# Other users reach the socket and the client through $tmp.
chmod 755 "$tmp"
cp "$client" "$tmp/client.py"
chmod 644 "$tmp/client.py"
# as UID GROUPS CMD...: run as that user, gid UID, with the supplementary GROUPS ("-": none).
as() {
	local uid=$1 groups=$2
	shift 2
	if [[ $groups == - ]]; then
		setpriv --reuid="$uid" --regid="$uid" --clear-groups "$@"
	else
		setpriv --reuid="$uid" --regid="$uid" --groups="$groups" "$@"
	fi
}

sock=$tmp/npud.sock
start_npud "$sock" "$tmp/log" --socket-mode 0666 --allow-uid 12345 --allow-gid 4242 \
	--allow-gid 4343 || {
	finish
	exit
}
# nobody, in no allowed group: refused, with the reason.
as 65534 - "$py" "$tmp/client.py" denied "$sock" >"$tmp/err" 2>&1
expect_rc "nobody is refused" 0 $?
grep -q "uid 65534 (gid 65534) is not allowed" "$tmp/err" && ok || bad "refusal message: $(cat "$tmp/err")"
# npuctl says so too: one line, exit 1.
if [[ -n ${NPUCTL:-} ]]; then
	cp "$NPUCTL" "$tmp/npuctl" && chmod 755 "$tmp/npuctl"
	as 65534 - "$tmp/npuctl" --socket "$sock" status >"$tmp/err" 2>&1
	expect_rc "npuctl as nobody" 1 $?
	grep -q "^npuctl: .*not allowed" "$tmp/err" && ok || bad "npuctl as nobody: $(cat "$tmp/err")"
	as 12345 - "$tmp/npuctl" --socket "$sock" exec fill --size 1M --pattern 0x5A >"$tmp/err" 2>&1
	expect_rc "npuctl as an allowed user" 0 $?
fi
# An allowed uid, a supplementary group, a primary group.
as 12345 - "$py" "$tmp/client.py" smoke "$sock" >"$tmp/err" 2>&1
expect_rc "--allow-uid 12345" 0 $?
as 65534 1000,4242 "$py" "$tmp/client.py" smoke "$sock" >"$tmp/err" 2>&1
expect_rc "--allow-gid 4242 as a supplementary group" 0 $?
setpriv --reuid=65534 --regid=4343 --clear-groups "$py" "$tmp/client.py" smoke "$sock" >"$tmp/err" 2>&1
expect_rc "--allow-gid 4343 as the primary group" 0 $?
# RESET: refused to an allowed user, done for root.
as 12345 - "$py" "$tmp/client.py" reset "$sock" -1 >"$tmp/err" 2>&1
expect_rc "reset refused to uid 12345" 0 $?
"$py" "$client" reset "$sock" 0 >"$tmp/err" 2>&1
expect_rc "reset by root" 0 $?
"$py" "$client" smoke "$sock" >"$tmp/err" 2>&1
expect_rc "served after the reset" 0 $?
alive "after the refusals"
stop_npud "stop"

# The socket's group (0660): its members connect and are allowed; others cannot connect.
start_npud "$sock" "$tmp/log" --socket-group nogroup && {
	as 12345 65534 "$py" "$tmp/client.py" smoke "$sock" >"$tmp/err" 2>&1
	expect_rc "a member of the socket's group" 0 $?
	as 12345 - "$py" "$tmp/client.py" smoke "$sock" >"$tmp/err" 2>&1
	expect_rc "not a member of the socket's group" 1 $?
	grep -q "Permission denied" "$tmp/err" && ok || bad "connect as a non-member: $(cat "$tmp/err")"
	stop_npud "stop"
}

# The default mode 0660 (root's group here): nobody cannot even connect.
start_npud "$sock" "$tmp/log" --allow-uid 65534 && {
	as 65534 - "$py" "$tmp/client.py" smoke "$sock" >"$tmp/err" 2>&1
	expect_rc "mode 0660 keeps nobody out" 1 $?
	grep -q "Permission denied" "$tmp/err" && ok || bad "connect as nobody: $(cat "$tmp/err")"
	stop_npud "stop"
}
finish
