#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the bash completion (tools/completion/nvgrectl): sources it
# with bash-completion, completes command lines and compares COMPREPLY
# with what it must be. nvgrectl and ip are stand-ins printing a fixed
# state (the host has no nvgre module):
#
#   initial netns: nv5001 (vsid 5001), nv7000 (vsid 7000); records
#                  10.0.0.1 vsid 5001, 2001:db8::5 vsid 6000;
#                  addresses 127.0.0.1, 192.0.2.1, ::1, fe80::1,
#                  2001:db8:ff::1; PA 192.0.2.1 on eth0; subnet
#                  10.1.0.0/24; route 0.0.0.0/0
#   netns hv2:     nvx (vsid 9000), no records
#
# KTAP output; exit 0 all passed, 1 a failure.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
echo "KTAP version 1"
if [[ ! -r $BASH_COMPLETION ]]; then
	echo "1..1"
	echo "not ok 1 completion: $BASH_COMPLETION missing (install bash-completion)"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/files"
: >"$tmp/files/tenant-a.conf"
: >"$tmp/files/tenant-b.conf"

cat >"$tmp/bin/nvgrectl" <<'EOF'
#!/bin/bash
ns=
[[ $1 == -n ]] && { ns=$2; shift 2; }
case $ns:$1 in
:show-link)
	echo "nv5001: vsid 5001 local 192.0.2.1 rdid 0"
	echo "nv7000: vsid 7000 rdid 0" ;;
:show-lookup)
	echo "10.0.0.1 vsid 5001 pa 192.0.2.2 mac 02:00:00:00:00:01"
	echo "2001:db8::5 vsid 6000 pa 192.0.2.3 mac 02:00:00:00:00:02" ;;
:show-pa)
	echo "192.0.2.1 dev eth0" ;;
:show-subnet)
	echo "10.1.0.0/24 vsid 5001 rdid 1 gateway 10.1.0.1" ;;
:show-route)
	echo "0.0.0.0/0 rdid 1 nexthop 10.1.0.9 metric 0" ;;
hv2:show-link)
	echo "nvx: vsid 9000 rdid 0" ;;
hv2:show-lookup) ;;
*) echo "Error: unexpected $*" >&2; exit 1 ;;
esac
EOF
cat >"$tmp/bin/ip" <<'EOF'
#!/bin/bash
case "$*" in
"-o link show type nvgre")
	echo "5: nv5001: <BROADCAST,MULTICAST> mtu 1458 qdisc noop state DOWN"
	echo "6: nv7000: <BROADCAST,MULTICAST> mtu 1458 qdisc noop state DOWN" ;;
"-n hv2 -o link show type nvgre")
	echo "3: nvx: <BROADCAST,MULTICAST> mtu 1458 qdisc noop state DOWN" ;;
"netns list")
	echo "hv2"
	echo "hv1 (id: 0)" ;;
"-o addr show")
	echo "1: lo    inet 127.0.0.1/8 scope host lo"
	echo "1: lo    inet6 ::1/128 scope host"
	echo "2: eth0    inet 192.0.2.1/24 brd 192.0.2.255 scope global eth0"
	echo "2: eth0    inet6 2001:db8:ff::1/64 scope global"
	echo "2: eth0    inet6 fe80::1/64 scope link" ;;
"-o link show")
	echo "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN"
	echo "2: eth0@if3: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state UP" ;;
*) echo "ip: unexpected $*" >&2; exit 1 ;;
esac
EOF
chmod +x "$tmp/bin/nvgrectl" "$tmp/bin/ip"
PATH=$tmp/bin:$PATH

# shellcheck source=/dev/null
. "$BASH_COMPLETION"
# shellcheck source-path=SCRIPTDIR source=../completion/nvgrectl
. "$here/../completion/nvgrectl"

n=0 fail=0
# t LINE WANT...: completing LINE (the cursor at its end) gives WANT.
t() {
	local line=$1 got want
	shift
	# The stand-in is the nvgrectl being completed.
	COMP_LINE=$tmp/bin/$line
	COMP_POINT=${#COMP_LINE}
	read -r -a COMP_WORDS <<<"$COMP_LINE"
	[[ $line == *' ' ]] && COMP_WORDS+=('')
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_nvgrectl nvgrectl "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | xargs)
	want=$(printf '%s\n' "$@" | sort | xargs)
	n=$((n + 1))
	if [[ "$got" == "$want" ]]; then
		echo "ok $n completion: \"$line\""
	else
		fail=$((fail + 1))
		echo "not ok $n completion: \"$line\""
		echo "# want: $want"
		echo "# got:  $got"
	fi
}

cmds=(add-link del-link show-link add-lookup replace-lookup del-lookup
      show-lookup flush-lookup add-pa del-pa show-pa add-subnet del-subnet
      show-subnet add-route del-route show-route monitor save restore get help)
echo "1..42"
t "nvgrectl " "${cmds[@]}"
t "nvgrectl add-" add-link add-lookup add-pa add-subnet add-route
t "nvgrectl -" -j -json -p -pretty -n -netns -s -stats -b -batch \
	--store -V -Version -h -help
t "nvgrectl -n " hv1 hv2
t "nvgrectl --store http://192.0.2.9:2379 show-lo" show-lookup
t "nvgrectl -j -n hv1 sh" show-link show-lookup show-pa show-subnet show-route
t "nvgrectl del-link " nv5001 nv7000 help
t "nvgrectl -n hv2 del-link " nvx help
t "nvgrectl add-link nv1 " vsid local rdid ttl tos group
t "nvgrectl add-link nv1 vsid 5001 t" ttl tos
t "nvgrectl add-link nv1 vsid 5001 ttl " inherit
t "nvgrectl add-link nv1 vsid 5001 local " 192.0.2.1 2001:db8:ff::1
t "nvgrectl add-link nv1 vsid "
t "nvgrectl add-link vsid " vsid local rdid ttl tos group
t "nvgrectl add-lookup 10.0.0.9 " vsid pa mac type proto
t "nvgrectl add-lookup 10.0.0.9 vsid " 5001 6000 7000
t "nvgrectl add-lookup 10.0.0.9 vsid 5001 pa 192.0.2.2 " mac type proto
t "nvgrectl add-lookup 10.0.0.9 vsid 5001 type " static l2only gateway
t "nvgrectl del-lookup " 10.0.0.1 2001:db8::5 help
t "nvgrectl del-lookup 10.0.0.1 " vsid type proto
t "nvgrectl show-lookup " vsid help
t "nvgrectl -n hv2 flush-lookup vsid " 9000
t "nvgrectl -j show-link nv5001 -" -s -stats
t "nvgrectl monitor count 5 "
t "nvgrectl monitor " events misses all count help
t "nvgrectl monitor misses " count
t "nvgrectl add-pa " 192.0.2.1 2001:db8:ff::1
t "nvgrectl add-pa 192.0.2.1 " dev
t "nvgrectl add-pa 192.0.2.1 dev " lo eth0
t "nvgrectl del-pa " 192.0.2.1 help
t "nvgrectl add-subnet 10.2.0.0/24 " vsid rdid gateway
t "nvgrectl del-subnet " 10.1.0.0/24 help
t "nvgrectl add-route 0.0.0.0/0 " rdid vsid nexthop metric
t "nvgrectl add-route 0.0.0.0/0 rdid 1 nexthop 10.1.0.9 " vsid metric
t "nvgrectl del-route " 0.0.0.0/0 help
t "nvgrectl show-route " rdid help
t "nvgrectl get " 10.0.0.1 2001:db8::5 help
t "nvgrectl get 10.0.0.1 vsid 5001 " from mac lladdr dev dir pa to
t "nvgrectl get 10.0.0.1 vsid 5001 dir in pa 192.0.2.2 to "
t "nvgrectl get 10.0.0.1 vsid 5001 dir " out in
t "nvgrectl restore $tmp/files/tenant-" "$tmp/files/tenant-a.conf" \
	"$tmp/files/tenant-b.conf"
t "nvgrectl -b $tmp/files/tenant-a.conf "
echo "$((n - fail)) passed, $fail failed"
((fail == 0))
