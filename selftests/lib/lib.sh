# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the nvgre selftests: KTAP output, namespaces and the
# standard topology of hypervisors on one underlay:
#
#   vm ns --veth-- [ brVSID + nvVSID ] host ns ul0 --veth-- br0 (sw ns)
#
# Hosts own PAs in 192.0.2.0/24 (and IPv6 PAs in 2001:db8:ff::/64 when
# given) on the underlay switch; tenant VMs use CAs
# in 10.0.0.0/24 and 2001:db8:VSID::/64; each VSID has a bridge brVSID and
# an nvgre device nvVSID on every host that runs one of its VMs.
# Source it; it installs an EXIT trap that deletes every namespace made.

set -u

# LIB_DIR: this directory, with the tests' helper programs (Makefile);
# SELFTESTS: the tests' directory above it.
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELFTESTS=${LIB_DIR%/*}
NVGRECTL=${NVGRECTL:-$SELFTESTS/../tools/nvgrectl}
# -S: pkt.py needs the standard library only, and without the site
# module python3 starts in half the time under TCG.
PKT="python3 -S $LIB_DIR/pkt.py"
# How long a capture still listens once its sender is done (bg_stop,
# bg_end, pkt.py): for frames in flight and for copies that should not be
# there. run.sh passes NVGRE_GRACE into the VM; check-debug.sh raises it
# for the debug kernel, whose guests run several times slower.
GRACE=${NVGRE_GRACE:-1.5}
export NVGRE_GRACE=$GRACE

# The tests' inline python3 reads JSON and captures with the standard
# library too.
python3()
{
	command python3 -S "$@"
}
PREFIX=nvt$$
NS_LIST=()
KTAP_N=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_plan()
{
	echo "TAP version 13"
	echo "1..$1"
}

# require_root: a test that needs root (every one) is skipped without it,
# exit status 4.
require_root()
{
	((EUID == 0)) && return 0
	echo "TAP version 13"
	echo "1..0 # SKIP needs root"
	exit 4
}

ktap_ok()
{
	KTAP_N=$((KTAP_N + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_N $1"
}

ktap_fail()
{
	KTAP_N=$((KTAP_N + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_N $1"
	shift
	local line
	for line in "$@"; do
		echo "$line" | sed 's/^/# /'
	done
}

ktap_skip()
{
	KTAP_N=$((KTAP_N + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

# check NAME CMD...: passes when CMD succeeds.
check()
{
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ktap_ok "$name"
	else
		ktap_fail "$name" "command: $*" "$out"
	fi
}

# check_fail NAME EXPECTED_TEXT CMD...: passes when CMD fails with a
# non-zero exit and its output contains EXPECTED_TEXT.
check_fail()
{
	local name=$1 want=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc != 0)) && [[ "$out" == *"$want"* ]]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "command: $*" "exit $rc, wanted failure with: $want" "$out"
	fi
}

ktap_finish()
{
	echo "# $KTAP_PASS passed, $KTAP_FAIL failed, $KTAP_SKIP skipped"
	((KTAP_FAIL == 0)) || exit 1
	((KTAP_PASS > 0 || KTAP_SKIP == 0)) || exit 4
	exit 0
}

# Deletes every namespace of this test, also those made in subshells.
cleanup()
{
	local ns
	for ns in $(ip netns list | awk '{print $1}'); do
		[[ "$ns" == "$PREFIX"-* ]] && ip netns del "$ns"
	done
	NS_LIST=()
}
trap cleanup EXIT

# on NS CMD...: runs CMD in namespace NS (short name, without prefix).
# "on NS ip ..." is "ip -n NS ...": one process instead of ip netns exec's
# two and its remount of /sys, which cost 60 to 140 ms more a call in a
# TCG guest.
on()
{
	local ns=$1
	shift
	if [[ "$1" == ip ]]; then
		shift
		command ip -n "$PREFIX-$ns" "$@"
	else
		ip netns exec "$PREFIX-$ns" "$@"
	fi
}

nvgrectl()
{
	"$NVGRECTL" "$@"
}

# nsctl NS ARGS...: nvgrectl in host namespace NS.
nsctl()
{
	local ns=$1
	shift
	"$NVGRECTL" -n "$PREFIX-$ns" "$@"
}

# devconf_inherited: new namespaces start with IPv6 on and without DAD
# because they inherit the initial namespace's settings, which say so
# (net.core.devconf_inherit_init_net=1, as the test VM sets it up:
# selftests/vm/guest.sh). Read with the shell's own read, in the initial
# namespace, once.
devconf_inherited()
{
	local v f

	read -r v </proc/sys/net/core/devconf_inherit_init_net 2>/dev/null || return 1
	[[ "$v" == 1 ]] || return 1
	for f in all/disable_ipv6 all/accept_dad default/accept_dad; do
		read -r v <"/proc/sys/net/ipv6/conf/$f" 2>/dev/null || return 1
		[[ "$v" == 0 ]] || return 1
	done
}
DEVCONF_INHERITED=0
devconf_inherited && DEVCONF_INHERITED=1

# mkns NAME: namespace NAME with lo up, IPv6 on and no DAD.
mkns()
{
	ip netns add "$PREFIX-$1" || return 1
	NS_LIST+=("$PREFIX-$1")
	on "$1" ip link set lo up
	((DEVCONF_INHERITED)) && return 0
	on "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 2>/dev/null
	on "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0
	return 0
}

# setup_underlay: the switch namespace "sw" with bridge br0.
setup_underlay()
{
	mkns sw
	on sw ip link add br0 type bridge
	on sw ip link set br0 up
}

# add_host NAME PA [PA6]: a hypervisor on the underlay with PA/24 on ul0,
# and PA6/64 (without DAD) if given. PA may be "-" for an IPv6-only host.
add_host()
{
	local name=$1 pa=$2 pa6=${3:-}
	mkns "$name"
	ip link add ul0 netns "$PREFIX-$name" type veth \
		peer name "ul-$name" netns "$PREFIX-sw"
	on sw ip link set "ul-$name" master br0 up
	{
		[[ "$pa" == - ]] || echo "addr add $pa/24 dev ul0"
		[[ -z "$pa6" ]] || echo "addr add $pa6/64 dev ul0 nodad"
		echo "link set ul0 up"
	} | on "$name" ip -b -
}

# add_segment HOST VSID [nvgrectl add-link options...]: bridge brVSID with
# the nvgre device nvVSID on HOST.
add_segment()
{
	local host=$1 vsid=$2
	shift 2
	if ! on "$host" ip link show "br$vsid" >/dev/null 2>&1; then
		on "$host" ip link add "br$vsid" type bridge || return 1
		on "$host" ip link set "br$vsid" up
	fi
	on "$host" ip link show "nv$vsid" >/dev/null 2>&1 && return 0
	nsctl "$host" add-link "nv$vsid" vsid "$vsid" "$@" || return 1
	on "$host" ip link set "nv$vsid" master "br$vsid" up
}

# add_vm HOST VM VSID CA4 MAC [CA6]: tenant VM namespace VM with eth0
# bridged into brVSID on HOST.
add_vm()
{
	local host=$1 vm=$2 vsid=$3 ca=$4 mac=$5 ca6=${6:-}
	add_segment "$host" "$vsid" || return 1
	mkns "$vm"
	# VM_NO_IPV6=1: an IPv4-only VM, which sends no router solicitation
	# or MLD report of its own across the tunnel at a random moment.
	[[ -z "${VM_NO_IPV6:-}" ]] ||
		on "$vm" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip link add eth0 netns "$PREFIX-$vm" type veth \
		peer name "v-$vm" netns "$PREFIX-$host"
	on "$host" ip link set "v-$vm" master "br$vsid" up
	{
		echo "link set eth0 address $mac mtu 1400"
		echo "addr add $ca/24 dev eth0"
		[[ -z "$ca6" ]] || echo "addr add $ca6/64 dev eth0 nodad"
		echo "link set eth0 up"
	} | on "$vm" ip -b -
}

# move_vm VM FROM TO VSID: re-plugs VM's eth0 from host FROM into TO.
move_vm()
{
	local vm=$1 from=$2 to=$3 vsid=$4 mac ca
	mac=$(on "$vm" cat /sys/class/net/eth0/address)
	ca=$(on "$vm" ip -4 -o addr show dev eth0 | awk '{print $4}')
	on "$from" ip link del "v-$vm"
	add_segment "$to" "$vsid" || return 1
	ip link add eth0 netns "$PREFIX-$vm" type veth \
		peer name "v-$vm" netns "$PREFIX-$to"
	on "$to" ip link set "v-$vm" master "br$vsid" up
	on "$vm" ip link set eth0 address "$mac" mtu 1400
	on "$vm" ip addr add "$ca" dev eth0
	on "$vm" ip link set eth0 up
}

# provision HOST... <<EOF: the same nvgrectl batch (lookup records) on
# every HOST.
provision()
{
	local batch h
	batch=$(cat)
	for h in "$@"; do
		nsctl "$h" -b - <<<"$batch" || return 1
	done
}

# ping_ok VM DST: a few pings get through.
ping_ok()
{
	on "$1" ping -c 2 -i 0.3 -W 2 "$2"
}

# ping_fails VM DST: no ping gets through.
ping_fails()
{
	! on "$1" ping -c 2 -i 0.3 -W 1 "$2"
}

# ping_dropped HOST DEV COUNTER VM DST: no ping from VM to DST gets through
# (ping_fails), and HOST's DEV counts both in COUNTER (link_stat).
ping_dropped()
{
	local before after
	before=$(link_stat "$1" "$2" "$3") || return 1
	ping_fails "$4" "$5" || { echo "$4 reached $5"; return 1; }
	after=$(link_stat "$1" "$2" "$3") || return 1
	((after >= before + 2)) || { echo "$3: $before -> $after"; return 1; }
}

# link_stat HOST DEV COUNTER: one counter of show-link -s -j. Matched in
# bash: a python3 to read the JSON cost a second and a half of TCG a call.
link_stat()
{
	local j re="\"$3\": *([0-9]+)"

	j=$(nsctl "$1" -j show-link "$2" -s) || return 1
	[[ $j =~ $re ]] || { echo "$1: $2 has no counter $3" >&2; return 1; }
	echo "${BASH_REMATCH[1]}"
}

# dhcp_lease SERVER CLIENT ADDR: CLIENT drops its address ADDR/24 and gets
# it back from a DHCP server (busybox udhcpd, offering ADDR only) on
# SERVER; its DISCOVER and REQUEST are broadcasts from 0.0.0.0, and the
# server's replies broadcasts too (udhcpc -B).
dhcp_lease()
{
	local server=$1 client=$2 addr=$3 d=/tmp/$PREFIX-dhcp out rc=0
	mkdir -p "$d"
	cat >"$d/udhcpd.conf" <<-EOF
	start $addr
	end $addr
	interface eth0
	lease_file $d/leases
	pidfile $d/udhcpd.pid
	option subnet 255.255.255.0
	EOF
	: >"$d/leases"
	on "$server" busybox udhcpd -f "$d/udhcpd.conf" >"$d/udhcpd.log" 2>&1 &
	wait_text "$d/udhcpd.log" "started" || return 1
	on "$client" ip addr flush dev eth0
	out=$(on "$client" timeout 120 busybox udhcpc -i eth0 -B -f -n -q \
		-t 10 -T 3 -s /bin/true 2>&1) || rc=$?
	kill "$(cat "$d/udhcpd.pid")"
	on "$client" ip addr add "$addr/24" dev eth0
	[[ $rc == 0 && "$out" == *"lease of $addr obtained"* ]] || {
		echo "udhcpc exit $rc:"
		echo "$out"
		cat "$d/udhcpd.log"
		return 1
	}
}

# bcast_spoof_refused VM SRC HOST DEV: VM broadcasts UDP from SRC, whose
# record names another host than the sender's: HOST's DEV counts one
# rx_spoof_mac and delivers nothing.
bcast_spoof_refused()
{
	local s0 s1 r0 r1
	s0=$(link_stat "$3" "$4" rx_spoof_mac)
	r0=$(link_stat "$3" "$4" rx_packets)
	on "$1" $PKT udp "$2" 10.0.0.255 1
	sleep 1
	s1=$(link_stat "$3" "$4" rx_spoof_mac)
	r1=$(link_stat "$3" "$4" rx_packets)
	((s1 == s0 + 1 && r1 == r0)) || {
		echo "$3: rx_spoof_mac $s0 -> $s1, rx_packets $r0 -> $r1"
		return 1
	}
}

# wait_text FILE TEXT: waits up to 20 s for TEXT to appear in FILE.
wait_text()
{
	local i
	for i in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "timed out waiting for '$2' in $1"
	return 1
}

# bg_capture VM|HOST FILE SECONDS CMD...: runs a capture CMD (pkt.py or
# tcpdump) in the background with its output in FILE, and returns once it
# listens. bg_wait collects it; bg_stop FILE first creates FILE.stop, which
# ends a "pkt.py capture IFACE SECONDS FILE.stop" early: a window as long
# as the sender takes, not the longest it ever took.
BG_PID=
bg_capture()
{
	local ns=$1 file=$2
	shift 2
	: >"$file.err"
	rm -f "$file.stop"
	on "$ns" "$@" >"$file" 2>"$file.err" &
	BG_PID=$!
	wait_text "$file.err" "ready\|listening on"
}

bg_wait()
{
	wait "$BG_PID"
}

bg_stop()
{
	touch "$1.stop"
	bg_wait
}

# bg_end PID...: ends tcpdump captures (started by bg_capture with
# "timeout N tcpdump --immediate-mode ...") GRACE seconds after the sender is
# done, as bg_stop does for pkt.py. timeout hands SIGTERM on to tcpdump,
# which flushes what it has printed and exits.
bg_end()
{
	local pid
	sleep "$GRACE"
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "$@"; do
		wait "$pid"
	done
	return 0
}

# kasan_kernel: the running kernel has KASAN (the debug kernel of make
# check-debug), where every allocation and access costs about ten times as
# much under TCG: long loops run shorter there (the fuzzers, nvgre_htab.sh).
kasan_kernel()
{
	grep -q ' kasan_report$' /proc/kallsyms
}

require_module()
{
	modprobe nvgre || {
		echo "Bail out! cannot load the nvgre module"
		exit 1
	}
}

# kmsg_mark TEXT: "nvgre-selftest: TEXT" in the kernel log. Between the
# marks "injected failures begin" and "injected failures end" the kernel
# reports failures a test injects on purpose, with stack traces that
# run.sh lets pass (nothing else).
kmsg_mark()
{
	echo "nvgre-selftest: $*" >/dev/kmsg
}

# check_exit NAME RC WANT CMD...: passes when CMD exits with status RC and
# prints exactly WANT (standard output and error together; "" for nothing).
check_exit()
{
	local name=$1 rc_want=$2 want=$3 out rc=0
	shift 3
	out=$("$@" 2>&1) || rc=$?
	if ((rc == rc_want)) && [[ "$out" == "$want" ]]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "command: $*" "exit $rc, wanted $rc_want with:" \
			"$want" "got:" "$out"
	fi
}
