#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: while iperf3 runs between tenant A's VMs, 100,000 record adds,
# replaces and deletes (nvgrectl -b), tenant A's VM moving back and forth
# between h2 and h3, nvgre devices added and removed, then h3's whole
# namespace deleted with its devices and records. Nothing crashes (run.sh
# checks the kernel log), tenant B's VMs, which use the same CAs, see
# none of tenant A's frames, the records are what the batches left, and
# once everything is torn down the record cache holds as many objects as
# before. Last, rmmod while devices, records, traffic and dumps are in
# use: it either refuses (EBUSY) and nothing changed, or succeeds and
# took every device and record with it; the test says which.
#
#  vm1a 10.0.0.1 (5001) -- h1 192.0.2.1 --+                 +-- h2 192.0.2.2 -- vm2a 10.0.0.2 (5001)
#  vm1b 10.0.0.1 (6001) --/               +--- br0 (sw) ----+       \\-- vm2b 10.0.0.2 (6001)
#                                         +-- h3 192.0.2.3 (vm2a moves here and back)
#

. "$(dirname "$0")/lib/lib.sh"

MAC1A=02:00:00:00:01:01
MAC2A=02:00:00:00:02:01
MAC1B=02:00:00:00:01:02
MAC2B=02:00:00:00:02:02
# The batches (100,000 and 10,000 lines), made on the host by
# selftests/lib/Makefile with stress_batch.py: VSIDs 7001-7008 (no device,
# records only), and tenant A's live record replaced by itself.
B1=$LIB_DIR/stress-h1.batch
B2=$LIB_DIR/stress-h2.batch
MOVES=4
T=/tmp/$PREFIX-stress

slab_objs()
{
	echo 1 >/sys/kernel/slab/nvgre_lookup/shrink
	awk '$1 == "nvgre_lookup" { print $2 }' /proc/slabinfo
}

tenant_records()
{
	local pa2=$1
	cat <<-EOF2
	replace-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac $MAC1A
	replace-lookup 10.0.0.2 vsid 5001 pa $pa2 mac $MAC2A
	replace-lookup 10.0.0.1 vsid 6001 pa 192.0.2.1 mac $MAC1B
	replace-lookup 10.0.0.2 vsid 6001 pa 192.0.2.2 mac $MAC2B
	EOF2
}

setup()
{
	setup_underlay
	add_host h1 192.0.2.1
	add_host h2 192.0.2.2
	add_host h3 192.0.2.3
	add_vm h1 vm1a 5001 10.0.0.1 $MAC1A || return 1
	add_vm h2 vm2a 5001 10.0.0.2 $MAC2A || return 1
	add_vm h1 vm1b 6001 10.0.0.1 $MAC1B || return 1
	add_vm h2 vm2b 6001 10.0.0.2 $MAC2B || return 1
	add_segment h3 5001 || return 1
	tenant_records 192.0.2.2 | provision h1 h2 h3
}

start_captures()
{
	local vm
	CAP_PIDS=()
	for vm in vm1b vm2b; do
		: >"$T.$vm.err"
		# not through on(): $! must be tcpdump itself, to stop it
		ip netns exec "$PREFIX-$vm" tcpdump -i eth0 -Q in -nn -l -e \
			"ether src $MAC1A or ether src $MAC2A or tcp port 5201" \
			>"$T.$vm" 2>"$T.$vm.err" &
		CAP_PIDS+=($!)
		wait_text "$T.$vm.err" "listening on" || return 1
	done
}

iperf_start()
{
	on vm2a iperf3 -s -D -I "$T.iperf.pid" >/dev/null 2>&1 || return 1
	sleep 1
	iperf_loop &
	IPERF_PID=$!
}

# iperf_loop: 5 s iperf3 runs from vm1a to vm2a, one after the other, until
# the churn is over ($T.churned): on a debug kernel the churn lasts ten
# times longer than on a stock one, and a single run of fixed length could
# fall entirely in a move of vm2a.
iperf_loop()
{
	local n=0
	while ((n == 0)) || [[ ! -e "$T.churned" ]]; do
		[[ -e "/run/netns/$PREFIX-vm1a" ]] || break	# the test ended
		on vm1a iperf3 -c 10.0.0.2 -t 5 -b 20M -J >"$T.iperf.$n" 2>&1
		n=$((n + 1))
	done
}

moves()
{
	local i
	for ((i = 0; i < MOVES; i++)); do
		move_vm vm2a h2 h3 5001 || return 1
		tenant_records 192.0.2.3 | provision h1 h2 h3 || return 1
		sleep 2
		move_vm vm2a h3 h2 5001 || return 1
		tenant_records 192.0.2.2 | provision h1 h2 h3 || return 1
		sleep 2
	done
}

devices()
{
	local i v
	for ((i = 0; i < 5; i++)); do
		for v in 8001 8002 8003; do
			nsctl h1 add-link "nv$v" vsid $v local 192.0.2.1 || return 1
			on h1 ip link set "nv$v" up || return 1
		done
		nsctl h3 add-link nv8001 vsid 8001 || return 1
		for v in 8001 8002 8003; do
			nsctl h1 del-link "nv$v" || return 1
		done
		nsctl h3 del-link nv8001 || return 1
	done
}

churn()
{
	local rc=0 p1 p2 p3 p4
	nsctl h1 -b "$B1" >"$T.b1.out" 2>&1 & p1=$!
	nsctl h2 -b "$B2" >"$T.b2.out" 2>&1 & p2=$!
	moves >"$T.moves" 2>&1 & p3=$!
	devices >"$T.devices" 2>&1 & p4=$!
	wait $p1 || { echo "h1 batch failed:"; tail -5 "$T.b1.out"; rc=1; }
	wait $p2 || { echo "h2 batch failed:"; tail -5 "$T.b2.out"; rc=1; }
	wait $p3 || { echo "moves failed:"; tail -5 "$T.moves"; rc=1; }
	wait $p4 || { echo "devices failed:"; tail -5 "$T.devices"; rc=1; }
	touch "$T.churned"
	return $rc
}

records_as_batched()
{
	local h n want
	for h in h1 h2; do
		want=$(($(<"$LIB_DIR/stress-$h.batch.count") + 4))
		n=$(nsctl $h show-lookup | wc -l)
		((n == want)) || { echo "$h: $n records, the batch leaves $want"; return 1; }
	done
}

iperf_ran()
{
	wait "$IPERF_PID"
	kill "$(<"$T.iperf.pid")" 2>/dev/null
	python3 - "$T".iperf.* <<-'EOF2'
	import json, sys
	runs = done = b = 0
	for f in sys.argv[1:]:
	    if f.endswith(".pid"):
	        continue
	    runs += 1
	    try:
	        r = json.load(open(f))
	        b += r["end"]["sum_received"]["bytes"]
	        done += 1
	    except (ValueError, KeyError):
	        pass
	print("# iperf3: %d runs, %d complete, %d bytes received" % (runs, done, b))
	sys.exit(0 if b > 0 else 1)
	EOF2
}

tenant_a_works()
{
	ping_ok vm1a 10.0.0.2 >/dev/null && ping_ok vm2b 10.0.0.1 >/dev/null
}

del_host()
{
	local n
	on h3 ip link show nv5001 >/dev/null || return 1
	n=$(nsctl h3 show-lookup | wc -l)
	((n == 4)) || { echo "h3 has $n records, want 4"; return 1; }
	ip netns del "$PREFIX-h3"
}

# The captures must see the control, a TCP connection attempt to port
# 5201 inside tenant B (its SYN and RST match the filter), and nothing
# else: any frame from another source is tenant A's.
b_saw_nothing()
{
	local vm n ctl bad=0
	on vm2b timeout 5 bash -c 'echo >/dev/tcp/10.0.0.1/5201' 2>/dev/null
	sleep 1
	kill "${CAP_PIDS[@]}" 2>/dev/null
	wait "${CAP_PIDS[@]}" 2>/dev/null
	for vm in vm1b vm2b; do
		n=$(grep -c . "$T.$vm")
		ctl=$(awk -v a="$MAC1B" -v b="$MAC2B" '$2 == a || $2 == b' "$T.$vm" | wc -l)
		if ((ctl == 0)); then
			echo "$vm: the capture missed the control frames"
			bad=1
		fi
		((n == ctl)) && continue
		echo "$vm received $((n - ctl)) of tenant A's frames:"
		grep -v -e " $MAC1B > " -e " $MAC2B > " "$T.$vm" | head -n 5
		bad=1
	done
	return $bad
}

teardown_slab()
{
	local i now
	cleanup
	for i in $(seq 100); do
		now=$(slab_objs)
		((now == SLAB0)) && return 0
		sleep 0.2
	done
	echo "nvgre_lookup objects: $SLAB0 at the start, $now after the teardown"
	return 1
}

# rmmod with devices, records, traffic and a dump loop: refuses with
# EBUSY and leaves everything working, or succeeds and leaves nothing.
rmmod_busy()
{
	local out rc=0 dumper flood n
	# h1's bridge plays the VM 10.0.0.1 (fewer namespaces: TCG is slow);
	# 10.0.0.2's host need not exist: its frames leave on the underlay.
	setup_underlay
	add_host h1 192.0.2.1
	add_segment h1 5001 || return 1
	on h1 ip link set br5001 address $MAC1A
	on h1 ip addr add 10.0.0.1/24 dev br5001
	on h1 ip neigh replace 192.0.2.2 lladdr 02:00:00:00:ff:02 dev ul0 nud permanent
	tenant_records 192.0.2.2 | provision h1 || return 1
	on h1 ping -f -w 20 10.0.0.2 >/dev/null 2>&1 & flood=$!
	(while :; do nsctl h1 show-lookup >/dev/null 2>&1; done) & dumper=$!
	sleep 2
	n=$(link_stat h1 nv5001 tx_packets)
	((n > 0)) || { echo "no traffic through nv5001 before rmmod"; return 1; }
	out=$(rmmod nvgre 2>&1) || rc=$?
	kill $dumper 2>/dev/null
	wait $dumper 2>/dev/null
	if ((rc)); then
		echo "# rmmod refused: $out"
		[[ "$out" == *"in use"* ]] || { echo "rmmod failed otherwise: $out"; return 1; }
		nsctl h1 show-lookup | grep -q '^10.0.0.2 ' ||
			{ echo "records changed by a refused rmmod"; return 1; }
	else
		# The dump loop's next nvgrectl may load the module again (the
		# family's alias): what must be gone is the old one's state.
		echo "# rmmod succeeded under load"
		on h1 ip link show nv5001 >/dev/null 2>&1 && { echo "nv5001 survived rmmod"; return 1; }
		dmesg | grep -q "nvgre_lookup.*still has objects" && { echo "records leaked"; return 1; }
		modprobe nvgre || return 1
		n=$(nsctl h1 show-lookup | wc -l)
		((n == 0)) || { echo "$n records after reloading"; return 1; }
	fi
	kill $flood 2>/dev/null
	wait $flood 2>/dev/null
	return 0
}

require_module
[[ -r "$B1.count" && -r "$B2.count" ]] ||
	{ echo "Bail out! $B1, $B2 not made (make -C selftests/lib)"; exit 1; }
command -v iperf3 >/dev/null || { echo "Bail out! iperf3 missing"; exit 1; }
ktap_plan 10

SLAB0=$(slab_objs)
setup || { echo "Bail out! setup failed"; exit 1; }
OPS=$(wc -l <"$B1")
OPS2=$(wc -l <"$B2")
echo "# $SECONDS s"
start_captures || { echo "Bail out! captures did not start"; exit 1; }
iperf_start || { echo "Bail out! iperf3 did not start"; exit 1; }
check "$OPS record operations on h1 and $OPS2 on h2, $MOVES moves of vm2a h2<->h3, 5 rounds of device adds and deletes, under iperf3" churn
echo "# $SECONDS s"
check "records are what the batches left" records_as_batched
check "iperf3 between tenant A's VMs ran through it" iperf_ran
check "tenant A and B still reach their peers" tenant_a_works
check "h3's namespace deleted with its device and records" del_host
check "tenant A still works without h3" tenant_a_works
check "tenant B's VMs (same CAs) saw none of tenant A's frames, only their control" b_saw_nothing
check "after teardown the record cache is back to its starting objects" teardown_slab
echo "# $SECONDS s"
check "rmmod under load: refused with EBUSY, or clean" rmmod_busy
check "nvgre loaded again for the tests that follow" modprobe nvgre
rm -f "$T".*

ktap_finish
