#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The installed packages at work, in the VM that scripts/packaging.sh
# boots with run.sh --installed once nvgre-dkms and nvgre-tools are
# installed on the host: no nvgre.ko of the build tree, only what dkms
# built and installed for this kernel, and /usr/sbin/nvgrectl. Not an
# nvgre_*.sh test: the normal runs do not install the packages.
#
#   init netns: nvpkg0 (vsid 5001) and nvpkg1 (vsid 5002) come and go;
#   netns nvpkg-<pid>: nvpkg2 (vsid 5003)
#
# nvgre.service's ExecStart, ExecReload and ExecStop lines are run as
# systemd would run them (the guest has no systemd): nothing to restore on
# first boot, save on stop, restore at start and reload, no save when the
# module is gone.
# /etc/nvgre lives in the guest's tmpfs overlay, not on the host.
#
# KTAP output; exit 0 all passed, 1 a failure.

set -uo pipefail

CTL=/usr/sbin/nvgrectl
UNIT=/lib/systemd/system/nvgre.service
CONF=/etc/nvgre/nvgre.conf
NS=nvpkg-$$
kver=$(uname -r)

n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $*"; }
check() {	# check <description> <command...>
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		printf '%s\n' "command: $*" "$out" | sed 's/^/# /'
	fi
}

cleanup() {
	ip netns del "$NS" 2>/dev/null
	ip link del nvpkg0 2>/dev/null
	ip link del nvpkg1 2>/dev/null
	"$CTL" flush-lookup >/dev/null 2>&1
	rm -rf /etc/nvgre
}
trap cleanup EXIT

# The command of the unit's ExecStart= or ExecStop= line, run by bash:
# the unit uses no systemd specifiers or variables, so its quoting is the
# shell's.
unit_exec() {
	local line
	line=$(sed -n "s/^$1=//p" "$UNIT")
	[[ -n "$line" ]] || { echo "no $1= in $UNIT"; return 1; }
	eval "$line"
}

dkms_path() {
	local path
	path=$(modinfo -n nvgre) || return 1
	echo "modinfo -n nvgre: $path"
	[[ $path == /lib/modules/$kver/updates/dkms/nvgre.ko* ||
	   $path == /usr/lib/modules/$kver/updates/dkms/nvgre.ko* ]]
}

# The module in memory is the file modinfo names.
loaded_is_dkms() {
	local want have
	want=$(modinfo -F srcversion "$(modinfo -n nvgre)") || return 1
	have=$(cat /sys/module/nvgre/srcversion) || return 1
	echo "file $want, loaded $have"
	[[ -n "$want" && "$want" == "$have" ]]
}

vermagic() {
	local v
	v=$(modinfo -F vermagic nvgre) || return 1
	echo "vermagic: $v"
	[[ $v == "$kver "* ]]
}

# modprobe -r removes a module's unused softdeps with it: the shipped
# modprobe.d must not make "modprobe -r nvgre" take the bridges down.
bridge_survives() {
	ip link add nvpkgbr type bridge || return 1
	modprobe -r nvgre || return 1
	ip link show nvpkgbr >/dev/null || return 1
	ip link del nvpkgbr
}

show_link_netns() {
	local out
	ip netns add "$NS" || return 1
	"$CTL" -n "$NS" add-link nvpkg2 vsid 5003 || return 1
	out=$("$CTL" -n "$NS" show-link) || return 1
	echo "$out"
	[[ "$out" == "nvpkg2: vsid 5003"* ]]
}

first_boot() {
	local out
	rm -rf /etc/nvgre
	mkdir -m 0750 /etc/nvgre		# ConfigurationDirectory=
	out=$(unit_exec ExecStart) || { echo "$out"; return 1; }
	echo "$out"
	[[ ! -e $CONF && -z "$("$CTL" show-link)" ]]
}

save_on_stop() {
	"$CTL" add-link nvpkg1 vsid 5002 || return 1
	"$CTL" add-lookup 10.0.0.1 vsid 5002 pa 192.0.2.2 \
		mac 02:00:00:00:00:01 || return 1
	unit_exec ExecStop || return 1
	cat "$CONF"
	grep -q '^add-link nvpkg1 vsid 5002' "$CONF" &&
		grep -q '^add-lookup 10.0.0.1 vsid 5002 pa 192.0.2.2 mac 02:00:00:00:00:01' "$CONF" &&
		[[ ! -e $CONF.new && $(stat -c %a "$CONF") == 600 ]]
}

restore_on_start() {
	"$CTL" del-link nvpkg1 || return 1
	"$CTL" flush-lookup || return 1
	unit_exec ExecStart || return 1
	"$CTL" show-link nvpkg1 | grep -q '^nvpkg1: vsid 5002' &&
		"$CTL" show-lookup | grep -q '^10.0.0.1 vsid 5002 pa 192.0.2.2'
}

reload_applies_edit() {
	sed -i 's/ pa 192.0.2.2 / pa 192.0.2.9 /' "$CONF" || return 1
	unit_exec ExecReload || return 1
	"$CTL" show-lookup | grep -q '^10.0.0.1 vsid 5002 pa 192.0.2.9'
}

# A file of its own: this holds whether or not the saves above worked.
no_save_unloaded() {
	local kept='add-link nvpkg0 vsid 5001'
	echo "$kept" >"$CONF" || return 1
	ip link del nvpkg1 2>/dev/null
	"$CTL" flush-lookup || return 1
	modprobe -r nvgre || return 1
	unit_exec ExecStop || return 1
	[[ "$(cat "$CONF")" == "$kept" && ! -e $CONF.new ]]
}

echo "KTAP version 1"
echo "1..14"
check "modinfo -n nvgre is the dkms module (updates/dkms)" dkms_path
check "the dkms module's vermagic is $kver" vermagic
check "modprobe nvgre" modprobe nvgre
check "the loaded nvgre is the dkms module" loaded_is_dkms
check "a bridge survives modprobe -r nvgre (modprobe.d)" bridge_survives
check "modprobe nvgre after modprobe -r" modprobe nvgre
check "$CTL add-link, show-link in a netns" show_link_netns
check "$CTL show-link in the initial netns" "$CTL" show-link
check "$UNIT: ExecStart without $CONF (first boot) restores nothing" first_boot
check "$UNIT: ExecStop saves devices and records to $CONF" save_on_stop
check "$UNIT: ExecStart restores them" restore_on_start
check "$UNIT: ExecReload applies an edited $CONF" reload_applies_edit
check "$UNIT: ExecStop does not save when nvgre is not loaded" no_save_unloaded
# guest.sh unloads the module after the tests: leave it loaded.
check "modprobe nvgre again" modprobe nvgre

echo "$pass passed, $fail failed"
((fail == 0))
