# For the CLI tests that act as other users (sourced first, before lib.sh).
# shellcheck shell=bash
#
# As root, setpriv switches a client to other uids and gids. A user who is not
# root gets the same inside a user namespace where they are root and a block of
# other ids is mapped: unshare --map-root-user --map-auto, which needs
# newuidmap (Debian's uidmap package) and a range for the user in /etc/subuid
# and /etc/subgid (useradd gives every new user one).

# try_other_users ARGS...: returns 0 when this process may act as other users
# (uids 12345 and 65534, groups 4242); when not root and a user namespace can
# give that, runs the test (with ARGS) again inside one instead of returning.
# Returns 1 otherwise, with the reason in other_users_why.
try_other_users() {
	other_users_why=
	if [[ $(id -u) -eq 0 ]]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
			setpriv --reuid=12345 --regid=12345 --groups=4242 true 2>/dev/null && return 0
		other_users_why="root, but setpriv cannot switch to uids 65534 and 12345"
		return 1
	fi
	if [[ -z ${NPU_TEST_USERNS:-} ]] && command -v newuidmap >/dev/null &&
		unshare --user --map-root-user --map-auto true 2>/dev/null; then
		NPU_TEST_USERNS=1 exec unshare --user --map-root-user --map-auto bash "$0" "$@"
	fi
	other_users_why="acting as other users needs root, or user namespaces with newuidmap"
	other_users_why+=" (package uidmap) and a range for $(id -un) in /etc/subuid and /etc/subgid"
	return 1
}

# need_other_users ARGS...: as try_other_users, but when other users are out of
# reach the test ends: it fails under CI (CI set), and elsewhere is skipped
# (exit 77), saying why.
need_other_users() {
	try_other_users "$@" && return 0
	if [[ -n ${CI:-} ]]; then
		echo "FAIL: $other_users_why"
		exit 1
	fi
	echo "skip: $other_users_why"
	exit 77
}
