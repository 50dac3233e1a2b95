#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzz: 100,000 malformed and hostile NVGRE datagrams from a packet
# socket on the underlay (selftests/lib/pktfuzz.c): each GRE flag and version,
# wrong protocol types, reserved and unknown VSIDs, truncated GRE, inner
# and outer headers, inner VLAN tags, spoofed outer PAs, inner MACs and
# CAs, tenant A's VM in tenant B's VSID, IP fragments (complete and
# lost), datagrams up to 64 KiB, frames over the underlay MTU, random
# mutants. Every one is accounted for by its category: by the nvgre
# device's drop counters, by rx_unknown_vsid, by the host's GRE stack (a
# raw GRE socket on h1 sees what nvgre leaves alone), by the IP layer's
# header-error and reassembly-timeout counters, or by the underlay veth's
# drop counter; nothing reaches a VM (captures on every VM interface for
# the whole run, checked by well-formed frames at the end).
#
#   vm1a 10.0.0.1 -- [br5001 + nv5001] h1 192.0.2.1 ul0 -- ul-h1 (sw: pktfuzz)
#   vm1b 10.0.0.1 -- [br6001 + nv6001]    192.0.2.11 (no device's local PA)
#
# Records on h1: VSID 5001 10.0.0.1 at 192.0.2.1 (vm1a), 10.0.0.2 at
# 192.0.2.2 (MAC 02:00:00:00:02:01); VSID 6001 10.0.0.1 at 192.0.2.1
# (vm1b), 10.0.0.2 at 192.0.2.2 (MAC 02:00:00:00:02:02). 192.0.2.2 is not
# on the underlay: pktfuzz plays that host, and every other one.
# PKTFUZZ_SEED=N repeats a run, PKTFUZZ_COUNT=N sets the datagrams:
# 100,000, and 30,000 on a KASAN kernel (410 s for 100,000 under TCG).

. "$(dirname "$0")/lib/lib.sh"

PKTFUZZ=$LIB_DIR/pktfuzz
COUNT=100000
kasan_kernel && COUNT=30000
COUNT=${PKTFUZZ_COUNT:-$COUNT}
SEED=${PKTFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
GOOD=20
T=/tmp/$PREFIX-pktfuzz
MAC1A=02:00:00:00:01:01
MAC1B=02:00:00:00:01:02
MAC2A=02:00:00:00:02:01
MAC2B=02:00:00:00:02:02

# counters FILE: every number this test accounts with, as "name value".
counters()
{
	{
		nsctl h1 -j show-link -s | python3 -c '
import json, sys
tot = {}
for link in json.load(sys.stdin):
    for k, v in (link.get("stats") or link.get("namespace_stats", {})).items():
        tot[k] = tot.get(k, 0) + v
for k, v in sorted(tot.items()):
    print(k, v)'
		on h1 nstat -asz | awk '{ print $1, $2 }'
		echo "ul_tx_dropped $(on sw cat /sys/class/net/ul-h1/statistics/tx_dropped)"
	} >"$1"
}

setup()
{
	setup_underlay
	add_host h1 192.0.2.1
	on h1 ip addr add 192.0.2.11/24 dev ul0
	# Nothing but the fuzz may reach a VM: no IPv6 chatter of the bridges.
	on h1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	on h1 sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	on h1 sysctl -qw net.ipv4.ipfrag_time=2
	add_segment h1 5001 local 192.0.2.1 || return 1
	add_segment h1 6001 local 192.0.2.1 || return 1
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h1 vm1b 6001 10.0.0.1 $MAC1B || return 1
	on vm1a sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	on vm1b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	# vm1a answers the control frames with ICMP: no ARP request for it,
	# whose (legitimate) reply the capture would count.
	on vm1a ip neigh replace 10.0.0.2 lladdr $MAC2A dev eth0 nud permanent
	nsctl h1 -b - <<-EOF2 || return 1
	add-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	add-lookup 10.0.0.2 vsid 5001 pa 192.0.2.2 mac $MAC2A
	add-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B
	add-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac $MAC2B
	EOF2
	# Frames over h1's MTU must leave the sender to be dropped on the way.
	on sw ip link set ul-h1 mtu 9000
	H1MAC=$(on h1 cat /sys/class/net/ul0/address)
}

# start_captures: tcpdump on every VM interface, incoming frames.
CAP_PIDS=()
start_captures()
{
	local vm
	for vm in vm1a vm1b; do
		: >"$T.$vm.err"
		# not through on(): $! must be tcpdump itself, to stop it
		ip netns exec "$PREFIX-$vm" tcpdump -i eth0 -Q in -nn -l -e \
			>"$T.$vm" 2>"$T.$vm.err" &
		CAP_PIDS+=($!)
		wait_text "$T.$vm.err" "listening on" || return 1
	done
	: >"$T.raw.err"
	ip netns exec "$PREFIX-h1" "$PKTFUZZ" count-gre >"$T.raw" 2>"$T.raw.err" &
	RAW_PID=$!
	wait_text "$T.raw.err" ready
}

stop_captures()
{
	sleep 2
	kill "$RAW_PID" "${CAP_PIDS[@]}" 2>/dev/null
	wait "$RAW_PID" "${CAP_PIDS[@]}" 2>/dev/null
	return 0
}

fuzz()
{
	counters "$T.before"
	on sw "$PKTFUZZ" send ul-h1 "$H1MAC" "$SEED" "$COUNT" >"$T.sent" 2>&1 ||
		{ cat "$T.sent"; return 1; }
	# lost fragments expire after ipfrag_time (2 s)
	sleep 4
	counters "$T.after"
}

# account: every category's datagrams were counted where they must be.
account()
{
	python3 - "$T" "$COUNT" <<-'EOF2'
	import sys
	t, count = sys.argv[1], int(sys.argv[2])
	def kv(path, prefix=""):
	    d = {}
	    for line in open(path):
	        f = line.split()
	        if len(f) >= (3 if prefix else 2) and (f[0] == prefix or not prefix):
	            d[f[1] if prefix else f[0]] = int(f[2] if prefix else f[1])
	    return d
	sent = kv(t + ".sent", "sent")
	stack = kv(t + ".raw", "stack")
	b, a = kv(t + ".before"), kv(t + ".after")
	d = lambda k: a.get(k, 0) - b.get(k, 0)
	raw = open(t + ".raw").read()
	if "stack-total" not in raw:
	    sys.exit("the raw GRE socket on h1 reported nothing: " + raw)
	stack_total = int(raw.split("stack-total")[1].split()[0])
	s = lambda *cats: sum(sent.get(c, 0) for c in cats)
	fails = []
	def want(what, got, exp):
	    ok = got == exp
	    print("# %-58s %8d %s %d" % (what, got, "==" if ok else "!= expected", exp))
	    if not ok:
	        fails.append(what)
	print("# sent per category: " + " ".join("%s:%d" % kv_ for kv_ in sent.items()))
	want("datagrams sent", sum(sent.values()), count)
	# Mutants end wherever their bytes take them: the module's counters
	# get at least their categories' datagrams, and the excess over all
	# of them is exactly the mutants the GRE stack did not get.
	excess = 0
	def at_least(what, ctr, cats):
	    global excess
	    got, exp = d(ctr), s(*cats)
	    ok = got >= exp
	    excess += got - exp
	    print("# %-58s %8d %s %d" % (what, got, ">=" if ok else "< expected", exp))
	    if not ok:
	        fails.append(what)
	at_least("rx_bad_flags (bad_flags)", "rx_bad_flags", ("bad_flags",))
	at_least("rx_vlan (vlan)", "rx_vlan", ("vlan",))
	want("rx_wrong_pa (wrong_pa; mutants go to the local PA)", d("rx_wrong_pa"), s("wrong_pa"))
	at_least("rx_spoof_mac (spoof_pa, spoof_mac, cross_tenant)", "rx_spoof_mac",
	         ("spoof_pa", "spoof_mac", "cross_tenant"))
	at_least("rx_spoof_ca (spoof_ca, frag, oversize)", "rx_spoof_ca",
	         ("spoof_ca", "frag", "oversize"))
	at_least("rx_malformed (trunc_inner, mcast_src, bad_l3)", "rx_malformed",
	         ("trunc_inner", "mcast_src", "bad_l3"))
	want("mutants counted by nvgre (the excess above)", excess,
	     s("mutant") - stack.get("mutant", 0))
	# mutants may turn into unknown VSIDs too: those are the stack's
	extra = d("rx_unknown_vsid") - s("unknown_vsid")
	ok = 0 <= extra <= stack.get("mutant", 0)
	print("# %-58s %8d %s" % ("rx_unknown_vsid (unknown_vsid, some mutants)",
	      d("rx_unknown_vsid"), "ok" if ok else "!= expected %d" % s("unknown_vsid")))
	if not ok:
	    fails.append("rx_unknown_vsid")
	for c in ("unknown_vsid", "reserved_vsid", "version", "no_key", "wrong_proto",
	          "trunc_gre"):
	    want("GRE stack got %s" % c, stack.get(c, 0), s(c))
	want("IpInHdrErrors + IpExtInTruncatedPkts (bad_ip)",
	     d("IpInHdrErrors") + d("IpExtInTruncatedPkts"), s("bad_ip"))
	want("IpReasmTimeout (frag_lost)", d("IpReasmTimeout"), s("frag_lost"))
	want("underlay veth tx_dropped (oversize_l2)", d("ul_tx_dropped"), s("oversize_l2"))
	want("rx_packets (nothing delivered)", d("rx_packets"), 0)
	drops = sum(d(k) for k in ("rx_bad_flags", "rx_vlan", "rx_wrong_pa", "rx_spoof_mac",
	                          "rx_spoof_ca", "rx_malformed", "rx_errors", "rx_ecn"))
	want("every datagram accounted for once (nvgre drops + GRE stack + IP + underlay)",
	     drops + stack_total + d("IpInHdrErrors") + d("IpExtInTruncatedPkts")
	     + d("IpReasmTimeout") + d("ul_tx_dropped") + d("rx_packets"), count)
	sys.exit(1 if fails else 0)
	EOF2
}

# no_vm_got N_A: vm1a saw exactly the N_A control frames, vm1b nothing.
vm_captures()
{
	local a b
	a=$(grep -c . "$T.vm1a")
	b=$(grep -c . "$T.vm1b")
	((a == GOOD && b == 0)) && return 0
	echo "vm1a got $a frames (want the $GOOD control frames), vm1b $b (want 0)"
	head -n 20 "$T.vm1a" "$T.vm1b"
	return 1
}

require_module
[[ -x "$PKTFUZZ" ]] || { echo "Bail out! $PKTFUZZ not built (make -C selftests/lib)"; exit 1; }
ktap_plan 4

setup || { echo "Bail out! setup failed"; exit 1; }
start_captures || { echo "Bail out! captures did not start"; exit 1; }
check "pktfuzz: $COUNT hostile datagrams sent (seed $SEED)" fuzz
# The control: well-formed frames reach vm1a, so the captures see.
check "$GOOD well-formed frames sent to vm1a" on sw "$PKTFUZZ" good ul-h1 "$H1MAC" $GOOD
stop_captures
sed 's/^/# /' "$T.raw"
# The accounting table goes to the output whether it passes or not.
ACCT_RC=0
account >"$T.acct" 2>&1 || ACCT_RC=$?
cat "$T.acct"
check "every datagram counted by its reason" test "$ACCT_RC" -eq 0
check "no fuzz frame reached a VM (captures on vm1a, vm1b)" vm_captures
rm -f "$T".*

ktap_finish
