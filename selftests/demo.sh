#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: two hypervisors, two tenants with the same addresses.
#
#   blue1 10.0.0.1 --+                    +-- blue2 10.0.0.2  (Blue, VSID 5001)
#   red1  10.0.0.1 --+ h1 192.0.2.1       +-- red2  10.0.0.2  (Red,  VSID 6001)
#                    |  ul0   h2 192.0.2.2+-- red3  10.0.0.3  (Red only)
#                    +--- br0 (sw) ---ul0-+
#
# Every host gets an nvgre device per tenant and the lookup records of
# that tenant; each command is printed as it runs. Then: each tenant
# reaches its own VMs, Blue reaches nothing of Red's, red3 moves from h2
# to h1 and comes back after replace-lookup.
#
# Then the fleet: h3, h4 and h5 on the same underlay run nvgre-agent
# against one etcd member e1 (192.0.2.100); tenant Green (VSID 7001) is
# provisioned only through "nvgrectl --store", a VM moves by one write,
# and a failover told to one host only (a local replace-lookup) is
# followed by the whole fleet. Exits 1 if any of that fails.

. "$(dirname "$0")/lib/lib.sh"

declare -A MAC=(
	[blue1]=02:00:00:00:50:01 [blue2]=02:00:00:00:50:02
	[red1]=02:00:00:00:60:01 [red2]=02:00:00:00:60:02
	[red3]=02:00:00:00:60:03
)
declare -A PA=([h1]=192.0.2.1 [h2]=192.0.2.2)
FAILED=0

# ctl HOST ARGS...: nvgrectl ARGS on HOST, shown as a shell prompt.
ctl()
{
	local host=$1
	shift
	echo "$host# nvgrectl $*"
	nsctl "$host" "$@" || fail "nvgrectl $*"
}

# link HOST VSID: the device of VSID on HOST, bridged with the VM ports.
link()
{
	echo "$1# nvgrectl add-link nv$2 vsid $2 local ${PA[$1]}"
	add_segment "$1" "$2" local "${PA[$1]}" || fail "add-link on $1"
}

# lookup HOST VSID CA VM VMHOST: the record of VM on HOST.
lookup()
{
	ctl "$1" add-lookup "$3" vsid "$2" pa "${PA[$5]}" mac "${MAC[$4]}"
}

fail()
{
	echo "   FAILED: $*"
	FAILED=1
}

# ping_from VM DST ok|none: pings and reports the replies.
ping_from()
{
	local vm=$1 dst=$2 want=$3 got
	got=$(on "$vm" ping -c 3 -i 0.3 -W 1 "$dst" 2>/dev/null |
	      sed -n 's/.* \([0-9]*\) received.*/\1/p')
	got=${got:-0}
	printf '%s$ ping %s: %s/3 replies' "$vm" "$dst" "$got"
	if [[ $want == ok ]]; then
		echo
		((got > 0)) || fail "expected replies"
	else
		echo " (as it should)"
		((got == 0)) || fail "expected no reply"
	fi
}

# ---- the fleet ---------------------------------------------------------

AGENT=${NVGRE_AGENT:-$SELFTESTS/../tools/agent/nvgre-agent}
ETCD=http://192.0.2.100:2379
PA+=([h3]=192.0.2.3 [h4]=192.0.2.4 [h5]=192.0.2.5)
MAC+=([green1]=02:00:00:00:70:01 [green2]=02:00:00:00:70:02
      [green3]=02:00:00:00:70:03)
FLEET=$(mktemp -d /tmp/nvgre-demo.XXXXXX)

fleet_stop()
{
	local f p
	for f in "$FLEET"/*.pid; do
		[[ -f "$f" ]] || continue
		p=$(<"$f")
		kill "$p" 2>/dev/null
		while kill -0 "$p" 2>/dev/null; do
			sleep 0.1
		done
	done
	rm -rf "$FLEET"
}
trap 'fleet_stop; cleanup' EXIT

# bg NAME HOST CMD...: CMD runs in HOST's namespace in the background.
bg()
{
	local name=$1 host=$2
	shift 2
	(ip netns exec "$PREFIX-$host" "$@" >>"$FLEET/$name.log" 2>&1 &
	echo $! >"$FLEET/$name.pid")
}

# store ARGS...: nvgrectl --store, as the provisioning system runs it.
store()
{
	local in=
	[[ "$*" != "-b -" ]] || in=$(cat)
	echo "ops\$ nvgrectl --store $ETCD $*"
	[[ -z "$in" ]] || sed 's/^/   /' <<<"$in"
	on e1 "$NVGRECTL" --store "$ETCD" "$@" <<<"$in" ||
		fail "nvgrectl --store $*"
}

# everywhere LINE: every fleet host has LINE in show-lookup (10 s).
everywhere()
{
	local h i
	for h in h3 h4 h5; do
		for ((i = 0; i < 50; i++)); do
			nsctl $h show-lookup | grep -qx "$1" && break
			sleep 0.2
		done
		((i < 50)) || { fail "$h lacks \"$1\""; return 1; }
	done
	echo "   (h3, h4 and h5 hold: $1)"
}

fleet()
{
	local h i

	add_host e1 192.0.2.100
	for h in h3 h4 h5; do
		add_host $h "${PA[$h]}"
		link $h 7001
	done
	add_vm h3 green1 7001 10.0.0.1 "${MAC[green1]}"
	add_vm h4 green2 7001 10.0.0.2 "${MAC[green2]}"
	add_vm h5 green3 7001 10.0.0.3 "${MAC[green3]}"
	echo "e1# etcd --listen-client-urls $ETCD ..."
	bg etcd e1 etcd --name e1 --data-dir "$FLEET/e1" \
		--listen-client-urls "$ETCD" --advertise-client-urls "$ETCD" \
		--listen-peer-urls http://192.0.2.100:2380 \
		--initial-advertise-peer-urls http://192.0.2.100:2380 \
		--initial-cluster e1=http://192.0.2.100:2380
	for ((i = 0; i < 300; i++)); do
		on e1 curl -sf -m 2 "$ETCD/health" 2>/dev/null |
			grep -q '"health":"true"' && break
		sleep 0.2
	done
	((i < 300)) || { fail "etcd did not start"; return; }
	printf 'endpoints %s\nprogress-timeout 10\nbackoff-max 2\n' "$ETCD" \
		>"$FLEET/agent.conf"
	for h in h3 h4 h5; do
		echo "$h# nvgre-agent -c agent.conf"
		bg $h $h "$AGENT" -c "$FLEET/agent.conf" -s "$FLEET/$h.status"
	done

	echo
	echo "== Provisioning: the records are written once, to the store"
	store -b - <<-EOF
	add-lookup 10.0.0.1 vsid 7001 pa ${PA[h3]} mac ${MAC[green1]}
	add-lookup 10.0.0.2 vsid 7001 pa ${PA[h4]} mac ${MAC[green2]}
	add-lookup 10.0.0.3 vsid 7001 pa ${PA[h5]} mac ${MAC[green3]}
	EOF
	echo "ops\$ nvgrectl --store $ETCD show-lookup vsid 7001"
	on e1 "$NVGRECTL" --store "$ETCD" show-lookup vsid 7001 | sed 's/^/   /'
	everywhere "10.0.0.3 vsid 7001 pa ${PA[h5]} mac ${MAC[green3]} proto agent" ||
		return
	ctl h3 show-lookup
	ping_from green1 10.0.0.2 ok
	ping_from green1 10.0.0.3 ok

	echo
	echo "== green3 moves from h5 to h4: one write to the store, every host follows"
	move_vm green3 h5 h4 7001 || fail "move"
	store replace-lookup 10.0.0.3 vsid 7001 pa "${PA[h4]}" mac "${MAC[green3]}"
	everywhere "10.0.0.3 vsid 7001 pa ${PA[h4]} mac ${MAC[green3]} proto agent"
	ping_from green1 10.0.0.3 ok

	echo
	echo "== A failover: the cluster restarts green2 on h5, whose hook tells"
	echo "   h5 alone. h5's agent publishes the move, the fleet follows"
	move_vm green2 h4 h5 7001 || fail "move"
	ctl h5 replace-lookup 10.0.0.2 vsid 7001 pa "${PA[h5]}" mac "${MAC[green2]}"
	everywhere "10.0.0.2 vsid 7001 pa ${PA[h5]} mac ${MAC[green2]} proto agent"
	echo "ops\$ nvgrectl --store $ETCD show-lookup vsid 7001"
	on e1 "$NVGRECTL" --store "$ETCD" show-lookup vsid 7001 | sed 's/^/   /'
	ping_from green1 10.0.0.2 ok

	echo
	echo "== h3's agent"
	echo "h3# nvgre-agent status"
	"$AGENT" -s "$FLEET/h3.status" status | sed 's/^/   /'
}

echo "== Underlay: h1 ${PA[h1]} and h2 ${PA[h2]} on one switch"
echo "== Tenant Blue (VSID 5001): 10.0.0.1 on h1, 10.0.0.2 on h2"
echo "== Tenant Red  (VSID 6001): 10.0.0.1 on h1, 10.0.0.2 and 10.0.0.3 on h2"
require_module
setup_underlay
add_host h1 "${PA[h1]}"
add_host h2 "${PA[h2]}"

echo
echo "== Provisioning (each nvVSID is bridged with its tenant's VM ports)"
for h in h1 h2; do
	link $h 5001
	link $h 6001
done
add_vm h1 blue1 5001 10.0.0.1 "${MAC[blue1]}"
add_vm h2 blue2 5001 10.0.0.2 "${MAC[blue2]}"
add_vm h1 red1 6001 10.0.0.1 "${MAC[red1]}"
add_vm h2 red2 6001 10.0.0.2 "${MAC[red2]}"
add_vm h2 red3 6001 10.0.0.3 "${MAC[red3]}"
for h in h1 h2; do
	lookup $h 5001 10.0.0.1 blue1 h1
	lookup $h 5001 10.0.0.2 blue2 h2
	lookup $h 6001 10.0.0.1 red1 h1
	lookup $h 6001 10.0.0.2 red2 h2
	lookup $h 6001 10.0.0.3 red3 h2
done

echo
echo "== Each tenant reaches its own VMs across the hypervisors"
ping_from blue1 10.0.0.2 ok
ping_from blue2 10.0.0.1 ok
ping_from red1 10.0.0.2 ok
ping_from red1 10.0.0.3 ok

echo
echo "== Blue cannot reach Red, though both use 10.0.0.0/24"
cap=$(mktemp -d)
for vm in red2 red3; do
	on $vm timeout 12 tcpdump -ni eth0 ether src "${MAC[blue1]}" \
		>"$cap/$vm.out" 2>"$cap/$vm" &
done
for vm in red2 red3; do	# until tcpdump listens
	for ((i = 0; i < 50; i++)); do
		grep -q '^listening on' "$cap/$vm" && break
		sleep 0.2
	done
done
ping_from blue1 10.0.0.2 ok
ping_from blue1 10.0.0.3 none
echo "   (Blue has no 10.0.0.3: h1 answered no ARP for it, tx_arp_miss $(link_stat h1 nv5001 tx_arp_miss))"
wait
for vm in red2 red3; do
	n=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$cap/$vm")
	echo "$vm heard ${n:-?} frames from blue1 meanwhile"
	[[ "$n" == 0 ]] || fail "Red saw Blue's frames: $(cat "$cap/$vm.out" "$cap/$vm")"
done
rm -rf "$cap"

echo
echo "== red3 (10.0.0.3) moves from h2 to h1: h2 unplugs it, h1 plugs it in"
move_vm red3 h2 h1 6001 || fail "move"
ping_from red2 10.0.0.3 none
echo "   (h2's record still places red3 on h2 itself: tx_local_pa $(link_stat h2 nv6001 tx_local_pa))"
ctl h1 replace-lookup 10.0.0.3 vsid 6001 pa "${PA[h1]}" mac "${MAC[red3]}"
ctl h2 replace-lookup 10.0.0.3 vsid 6001 pa "${PA[h1]}" mac "${MAC[red3]}"
ping_from red2 10.0.0.3 ok

echo
echo "== The records and the counters"
ctl h2 show-lookup
ctl h2 show-link -s

echo
echo "== The fleet: three more hypervisors (h3 h4 h5), one etcd member, and"
echo "   nvgre-agent on each host, which keeps its kernel equal to the store"
echo "== Tenant Green (VSID 7001): 10.0.0.1 on h3, 10.0.0.2 on h4, 10.0.0.3 on h5"
if ! command -v etcd >/dev/null || [[ ! -x "$AGENT" ]]; then
	fail "etcd or $AGENT missing"
else
	fleet
fi

echo
if ((FAILED)); then
	echo "== Demo FAILED"
	exit 1
fi
echo "== Demo done: every expectation held"
