#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What vouches for the underlay: the inbound IPsec policy applies to NVGRE
# as to the kernel's own GRE (plaintext where ESP is required is dropped and
# counted in rx_policy, a gretap under the same policy drops it too, ESP
# is delivered); an ICMP "fragmentation needed" lowers the path MTU only
# when the policy accepts it and it quotes NVGRE from one of our PAs; and
# NVGRE may arrive on any device of the host (the weak host model of
# ip_gre and vxlan), source validation being rp_filter's job.
#
#  vm1a 10.0.0.1 -- [br5001 + nv5001] h1 ul0 192.0.2.1 ------+
#                                                             br0 (sw)
#  vm2a 10.0.0.2 -- [br5001 + nv5001] h2 ul0 192.0.2.2 ------+
#                                        192.0.2.12 (local, not a PA)
#                   gt0 (gretap 192.0.2.1 key 5002 << 8)  h2
#                                     ext0 198.51.100.2 -- eth0 ext
#                                                          198.51.100.1
#
# h2 has the PA 192.0.2.2 on ul0 (add-pa); h1 has no PA table. Records on
# both: VSID 5001 10.0.0.1 at 192.0.2.1, 10.0.0.2 at 192.0.2.2.

. "$(dirname "$0")/lib/lib.sh"

# The checks count frames exactly: the VMs speak IPv4 only, so that no
# IPv6 autoconfiguration of theirs crosses the tunnel meanwhile.
export VM_NO_IPV6=1

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01
PA1=192.0.2.1
PA2=192.0.2.2
GTKEY=$((5002 << 8))
H2MAC=
EXTMAC=

build()
{
	setup_underlay
	add_host h1 $PA1 || return 1
	add_host h2 $PA2 || return 1
	on h2 ip addr add 192.0.2.12/24 dev ul0
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A || return 1
	nsctl h2 add-pa $PA2 dev ul0 || return 1
	provision h1 h2 <<-EOF || return 1
	add-lookup 10.0.0.1 vsid 5001 pa $PA1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa $PA2 mac $MAC2A
	EOF
	mkns ext
	ip link add ext0 netns "$PREFIX-h2" type veth \
		peer name eth0 netns "$PREFIX-ext"
	on h2 ip addr add 198.51.100.2/24 dev ext0
	on h2 ip link set ext0 up
	on ext ip addr add 198.51.100.1/24 dev eth0
	on ext ip link set eth0 up
	on h2 sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.ext0.rp_filter=0 net.ipv4.conf.ul0.rp_filter=0
}

# forge KIND...: NVGRE from PA1 (vm1a's MAC and CA) to h2, sent raw by h1.
forge()
{
	on h1 $PKT send ul0 "$H2MAC" $PA1 $PA2 5001 $MAC1A 10.0.0.1 "$@"
}

# wait_stat HOST DEV COUNTER VALUE: within 10 s COUNTER reaches VALUE.
wait_stat()
{
	local i v
	for i in $(seq 50); do
		v=$(link_stat "$1" "$2" "$3") || return 1
		((v >= $4)) && return 0
		sleep 0.2
	done
	echo "$1 $2 $3: $v, wanted $4"
	return 1
}

# netstat_of HOST NAME: a counter of HOST's /proc/net/netstat or xfrm_stat
# (CONFIG_XFRM_STATISTICS: a kernel without it fails the Xfrm checks).
netstat_of()
{
	local files=(/proc/net/netstat)

	if [[ -e /proc/net/xfrm_stat ]]; then
		files+=(/proc/net/xfrm_stat)
	elif [[ $2 == Xfrm* ]]; then
		echo "no /proc/net/xfrm_stat (CONFIG_XFRM_STATISTICS) for $2" >&2
		return 1
	fi
	on "$1" awk -v n="$2" '
		FILENAME ~ /xfrm_stat/ { if ($1 == n) v = $2; next }
		/^[A-Za-z]+: [0-9]/ { for (i = 2; i <= NF; i++) if (h[i] == n) v = $i; next }
		{ for (i = 2; i <= NF; i++) h[i] = $i }
		END { print v + 0 }' "${files[@]}"
}

# NVGRE for h2's PA (on ul0) that arrives on ext0 is delivered, as ip_gre
# and vxlan accept their packets on any device of the host.
weak_host()
{
	local r0
	r0=$(link_stat h2 nv5001 rx_packets) || return 1
	on ext $PKT send eth0 "$EXTMAC" $PA1 $PA2 5001 $MAC1A 10.0.0.1 \
		good good
	wait_stat h2 nv5001 rx_packets $((r0 + 2))
}

# With rp_filter on ext0, the same packets claim a source that ext0 does
# not route to: the stack drops them before LOCAL_IN, nvgre counts nothing.
rp_filter_drops()
{
	local r0 f0 w0 i
	on h2 sysctl -qw net.ipv4.conf.ext0.rp_filter=1
	r0=$(link_stat h2 nv5001 rx_packets) || return 1
	w0=$(link_stat h2 nv5001 rx_wrong_pa) || return 1
	f0=$(netstat_of h2 IPReversePathFilter)
	on ext $PKT send eth0 "$EXTMAC" $PA1 $PA2 5001 $MAC1A 10.0.0.1 \
		good good
	for i in $(seq 50); do
		(($(netstat_of h2 IPReversePathFilter) >= f0 + 2)) && break
		sleep 0.2
	done
	on h2 sysctl -qw net.ipv4.conf.ext0.rp_filter=0
	((i < 50)) || { echo "IPReversePathFilter did not move from $f0"; return 1; }
	(($(link_stat h2 nv5001 rx_packets) == r0 &&
	  $(link_stat h2 nv5001 rx_wrong_pa) == w0)) || {
		echo "rx_packets $r0 -> $(link_stat h2 nv5001 rx_packets)," \
			"rx_wrong_pa $w0 -> $(link_stat h2 nv5001 rx_wrong_pa)"
		return 1
	}
}

# pmtu_of HOST DST: the MTU HOST's route cache holds for DST, or "none".
pmtu_of()
{
	local out re="mtu ([0-9]+)"
	out=$(on "$1" ip route get "$2")
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[1]}" || echo none
}

# icmp_frag QSRC: an ICMP "fragmentation needed" (MTU 1300) from PA1 to
# h2, quoting NVGRE of VSID 5001 from QSRC to PA1.
icmp_frag()
{
	on h1 $PKT icmp-frag ul0 "$H2MAC" $PA1 $PA2 1300 "$1" $PA1 5001
	# The ICMP error is handled synchronously on receive; a ping through
	# the same path makes sure it has been.
	on h2 ping -c 1 -W 2 $PA1 >/dev/null
}

# ip_gre's own error handler (gre_err()) updates the path MTU for any
# quoted GRE from a local address, whatever nvgre decides. /sys/module
# has ip_gre when it is loaded or built in (it has a parameter).
without_ip_gre()
{
	modprobe -r ip_gre 2>/dev/null
	[[ ! -d /sys/module/ip_gre ]]
}

# Quoting a local address that is not a PA: no path MTU. Quoting the PA:
# 1300 (the check is not vacuous).
icmp_not_our_pa()
{
	local m
	icmp_frag 192.0.2.12
	m=$(pmtu_of h2 $PA1)
	[[ $m == none ]] || { echo "quoting 192.0.2.12: mtu $m"; return 1; }
	icmp_frag $PA2
	m=$(pmtu_of h2 $PA1)
	on h2 ip route flush cache
	[[ $m == 1300 ]] || { echo "quoting the PA: mtu $m"; return 1; }
}

# A plaintext ICMP where the policy requires ESP for ICMP from PA1: no
# path MTU, though it quotes the PA. XfrmInTmplMismatch shows that it
# arrived and met the policy.
icmp_plaintext_refused()
{
	local m x0 x1
	on h2 ip xfrm policy add dir in src $PA1 dst $PA2 proto icmp \
		tmpl proto esp mode transport level required || return 1
	x0=$(netstat_of h2 XfrmInTmplMismatch)
	icmp_frag $PA2
	m=$(pmtu_of h2 $PA1)
	x1=$(netstat_of h2 XfrmInTmplMismatch)
	on h2 ip xfrm policy del dir in src $PA1 dst $PA2 proto icmp
	on h2 ip route flush cache
	[[ $m == none ]] || { echo "mtu $m"; return 1; }
	((x1 > x0)) || { echo "the ICMP never met the policy"; return 1; }
}

gt0_rx()
{
	on h2 cat /sys/class/net/gt0/statistics/rx_packets
}

# Without a policy, forged plaintext from PA1 passes (it is well-formed
# and its source has records), on nvgre as on the kernel's gretap.
plaintext_without_policy()
{
	local r0 g0 i
	on h2 ip link add gt0 type gretap local $PA2 remote $PA1 \
		key $GTKEY || return 1
	on h2 ip link set gt0 up
	r0=$(link_stat h2 nv5001 rx_packets) || return 1
	g0=$(gt0_rx)
	forge good unknown-vsid
	wait_stat h2 nv5001 rx_packets $((r0 + 1)) || return 1
	for i in $(seq 50); do
		(($(gt0_rx) > g0)) && return 0
		sleep 0.2
	done
	echo "gt0 rx_packets $g0 -> $(gt0_rx)"
	return 1
}

# With "proto gre" requiring ESP from PA1, the same packets are refused:
# nvgre counts rx_policy and delivers nothing, and the kernel refuses the
# gretap's (XfrmInTmplMismatch counts all four).
plaintext_refused()
{
	local r0 p0 g0 x0 x1
	on h2 ip xfrm policy add dir in src $PA1 dst $PA2 proto gre \
		tmpl proto esp mode transport level required || return 1
	r0=$(link_stat h2 nv5001 rx_packets) || return 1
	p0=$(link_stat h2 nv5001 rx_policy) || return 1
	g0=$(gt0_rx)
	x0=$(netstat_of h2 XfrmInTmplMismatch)
	forge good good good unknown-vsid
	wait_stat h2 nv5001 rx_policy $((p0 + 3)) || return 1
	on h2 ping -c 1 -W 2 $PA1 >/dev/null
	x1=$(netstat_of h2 XfrmInTmplMismatch)
	(($(link_stat h2 nv5001 rx_packets) == r0 && $(gt0_rx) == g0 &&
	  x1 == x0 + 4)) || {
		echo "rx_packets $r0 -> $(link_stat h2 nv5001 rx_packets)," \
			"gt0 $g0 -> $(gt0_rx), XfrmInTmplMismatch $x0 -> $x1"
		return 1
	}
}

# esp_sa HOST: the transport mode SAs PA1 -> PA2 and PA2 -> PA1, null
# encryption and authentication.
esp_sa()
{
	on "$1" ip xfrm state add src $PA1 dst $PA2 proto esp spi 0x1001 \
		mode transport enc 'ecb(cipher_null)' '' auth digest_null '' &&
	on "$1" ip xfrm state add src $PA2 dst $PA1 proto esp spi 0x1002 \
		mode transport enc 'ecb(cipher_null)' '' auth digest_null ''
}

# With SAs and output policies on both hosts, the tenant's traffic runs
# over ESP and is delivered; nothing counts in rx_policy.
esp_delivered()
{
	local p0 n
	esp_sa h1 && esp_sa h2 || return 1
	on h1 ip xfrm policy add dir out src $PA1 dst $PA2 proto gre \
		tmpl proto esp mode transport level required || return 1
	on h2 ip xfrm policy add dir out src $PA2 dst $PA1 proto gre \
		tmpl proto esp mode transport level required || return 1
	p0=$(link_stat h2 nv5001 rx_policy) || return 1
	ping_ok vm1a 10.0.0.2 >/dev/null || { echo "no ping over ESP"; return 1; }
	n=$(on h2 ip -s xfrm state get src $PA1 dst $PA2 proto esp spi 0x1001 |
		grep -o '[0-9][0-9]*(packets)' | head -n 1)
	((${n%(packets)} >= 2)) || { echo "h2's inbound SA: '$n'"; return 1; }
	(($(link_stat h2 nv5001 rx_policy) == p0))
}

require_module
ktap_plan 8

check "topology: two hosts, a gretap and a second underlay device" build
H2MAC=$(on h2 cat /sys/class/net/ul0/address)
EXTMAC=$(on h2 cat /sys/class/net/ext0/address)
check "NVGRE for a PA arriving on another device is delivered (weak host)" \
	weak_host
check "rp_filter drops forged sources on that device before nvgre" \
	rp_filter_drops
if without_ip_gre; then
	check "ICMP quoting a local address that is not a PA: no PMTU" \
		icmp_not_our_pa
else
	ktap_skip "ICMP quoting a local address that is not a PA: no PMTU" \
		"ip_gre is loaded: its gre_err() updates the PMTU itself"
fi
check "plaintext ICMP where the policy requires ESP: no PMTU" \
	icmp_plaintext_refused
check "without a policy, forged plaintext passes (nvgre and gretap)" \
	plaintext_without_policy
check "ESP required: plaintext dropped, rx_policy; gretap dropped too" \
	plaintext_refused
check "ESP (null SAs): the tenant's traffic is delivered" esp_delivered

ktap_finish
