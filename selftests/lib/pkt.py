#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw packets for the nvgre selftests, with nothing but the standard library.

  pkt.py capture IFACE SECONDS [STOPFILE]
                                      one JSON line per GRE packet seen
                                      (over IPv4 or IPv6); IFACE "any": on
                                      every interface; ends STOP_GRACE
                                      seconds after STOPFILE appears (the
                                      test's sender is done), if sooner
  pkt.py listen IFACE SECONDS [tos]   tags of the test frames that arrived
                                      before the frame of KIND "end"
  pkt.py send IFACE DSTMAC SRC DST VSID INNER_SRC_MAC INNER_SRC_IP KIND...
                                      crafted NVGRE, one frame per KIND; over
                                      IPv6 when SRC and DST are IPv6 (KIND
                                      frag6: a first fragment)
  pkt.py icmp-frag IFACE DSTMAC SRC DST MTU QSRC QDST VSID
                                      an ICMP "fragmentation needed" (MTU)
                                      quoting NVGRE from QSRC to QDST
  pkt.py udp SRC DST COUNT            COUNT UDP flows (distinct ports);
                                      DST may be a broadcast address
  pkt.py nd IFACE DSTMAC SRC DST TYPE [TARGET] [hop=N] [code=N]
                                      one Neighbour Discovery message from
                                      IFACE's MAC: TYPE na (override, with
                                      the target link-layer address), ns,
                                      ra (default router), redirect (to
                                      TARGET for DST)

Crafted NVGRE may carry ND too: KIND "na=TARGET" (from INNER_SRC_IP) and
"ra" (from INNER_SRC_MAC's EUI-64 link-local address), to all nodes.

Test frames carry a UDP payload "nvgre-test:<kind>" so a listener on a VM
can tell which of them were (wrongly) delivered.
"""

import json
import os
import random
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
ETH_P_TEB = 0x6558
TAG = b"nvgre-test:"
INNER_DST_MAC = "02:00:00:00:01:01"


def mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, df=True, tos=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload),
                      random.randint(0, 0xFFFF), 0x4000 if df else 0, 64,
                      proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nexthdr, payload, tclass=0):
    hdr = struct.pack("!IHBB16s16s", 6 << 28 | tclass << 20, len(payload),
                      nexthdr, 64, socket.inet_pton(socket.AF_INET6, src),
                      socket.inet_pton(socket.AF_INET6, dst))
    return hdr + payload


def udp(src, dst, sport, dport, payload, tos=0):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    return ipv4(src, dst, 17, hdr + payload, df=False, tos=tos)


# Inner TOS of the test frames: the ECN kinds carry ECT(0) or Not-ECT.
INNER_TOS = {"ecn-ce-ect0": 0x02, "ecn-ce-notect": 0x00,
             "ecn-ect1-ect0": 0x02}
# Outer TOS: CE or ECT(1) for the ECN kinds.
OUTER_TOS = {"ecn-ce-ect0": 0x03, "ecn-ce-notect": 0x03,
             "ecn-ect1-ect0": 0x01}


def inner_frame(kind, src_mac, src_ip, dst_ip="10.0.0.1"):
    payload = udp(src_ip, dst_ip, 40000, 9999, TAG + kind.encode(),
                  tos=INNER_TOS.get(kind, 0))
    eth = mac(INNER_DST_MAC) + mac(src_mac)
    if kind == "vlan":
        return eth + struct.pack("!HHH", 0x8100, 100, ETH_P_IP) + payload
    return eth + struct.pack("!H", ETH_P_IP) + payload


def eui64_ll(src_mac):
    """The modified EUI-64 link-local address of src_mac."""
    m = bytearray(mac(src_mac))
    m[0] ^= 2
    iid = bytes(m[:3]) + b"\xff\xfe" + bytes(m[3:])
    return socket.inet_ntop(socket.AF_INET6, b"\xfe\x80" + b"\0" * 6 + iid)


def nd_message(typ, src_mac, target=None, dst=None):
    """The ICMPv6 body (checksum 0) of a Neighbour Discovery message."""
    def a6(x):
        return socket.inet_pton(socket.AF_INET6, x)
    if typ == "na":
        # Override set: a cache entry of the target takes the new MAC.
        return (struct.pack("!BBHI", 136, 0, 0, 0x20000000) + a6(target) +
                struct.pack("!BB", 2, 1) + mac(src_mac))
    if typ == "ns":
        body = struct.pack("!BBHI", 135, 0, 0, 0) + a6(target)
        return body + struct.pack("!BB", 1, 1) + mac(src_mac)
    if typ == "ra":
        return (struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0) +
                struct.pack("!BB", 1, 1) + mac(src_mac))
    if typ == "redirect":
        return struct.pack("!BBHI", 137, 0, 0, 0) + a6(target) + a6(dst)
    raise SystemExit("unknown ND type " + typ)


def nd_frame(dst_mac, src_mac, src, dst, body, hop=255, code=0):
    """An Ethernet frame with an ICMPv6 ND message, checksummed."""
    body = body[:1] + bytes([code]) + body[2:]
    pseudo = (socket.inet_pton(socket.AF_INET6, src) +
              socket.inet_pton(socket.AF_INET6, dst) +
              struct.pack("!IxxxB", len(body), 58))
    body = body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(body), 58, hop,
                      socket.inet_pton(socket.AF_INET6, src),
                      socket.inet_pton(socket.AF_INET6, dst))
    return mac(dst_mac) + mac(src_mac) + struct.pack("!H", ETH_P_IPV6) + \
        hdr + body


def gre(flags, key, inner):
    hdr = struct.pack("!HH", flags, ETH_P_TEB)
    if flags & 0xC000:
        # RFC 1701: checksum and offset are there if C or R is set
        hdr += struct.pack("!HH", 0, 0)
    if flags & 0x2000:
        hdr += struct.pack("!I", key)
    if flags & 0x1000:
        hdr += struct.pack("!I", 1)
    return hdr + inner


def craft(kind, vsid, src_mac, src_ip):
    """The GRE payload of one crafted packet."""
    key = vsid << 8 | 0x5A
    if kind in ("good", "end", "ecn-ce-ect0", "ecn-ce-notect",
                "ecn-ect1-ect0"):
        return gre(0x2000, key, inner_frame(kind, src_mac, src_ip))
    if kind == "csum":
        return gre(0xA000, key, inner_frame(kind, src_mac, src_ip))
    if kind == "seq":
        return gre(0x3000, key, inner_frame(kind, src_mac, src_ip))
    if kind == "routing":
        return gre(0x6000, key, inner_frame(kind, src_mac, src_ip))
    if kind == "vlan":
        return gre(0x2000, key, inner_frame(kind, src_mac, src_ip))
    if kind == "unknown-vsid":
        return gre(0x2000, (vsid + 1) << 8, inner_frame(kind, src_mac, src_ip))
    if kind == "spoof-mac":
        return gre(0x2000, key, inner_frame(kind, "02:66:66:66:66:66", src_ip))
    if kind == "spoof-ca":
        return gre(0x2000, key, inner_frame(kind, src_mac, "10.0.0.99"))
    if kind == "short-inner":
        return gre(0x2000, key, b"\x02\x00\x00")
    if kind == "short-gre":
        return struct.pack("!HH", 0x2000, ETH_P_TEB) + b"\x00\x13"
    if kind.startswith("na="):
        body = nd_message("na", src_mac, kind[3:])
        return gre(0x2000, key, nd_frame("33:33:00:00:00:01", src_mac,
                                         src_ip, "ff02::1", body))
    if kind == "ra":
        body = nd_message("ra", src_mac)
        return gre(0x2000, key, nd_frame("33:33:00:00:00:01", src_mac,
                                         eui64_ll(src_mac), "ff02::1", body))
    if kind == "mcast-src":
        return gre(0x2000, key, inner_frame(kind, "03:00:00:00:00:01", src_ip))
    raise SystemExit("unknown kind " + kind)


def cmd_send(args):
    iface, dstmac, src, dst, vsid, smac, sip = args[:7]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    with open("/sys/class/net/%s/address" % iface) as f:
        own = mac(f.read().strip())
    for kind in args[7:]:
        if kind == "frag6":
            # The first fragment of a good frame, cut after 64 bytes.
            payload = craft("good", int(vsid), smac, sip)[:64]
            frag = struct.pack("!BBHI", 47, 0, 1, random.getrandbits(32))
            pkt = ipv6(src, dst, 44, frag + payload)
            proto = ETH_P_IPV6
        elif ":" in src:
            payload = craft(kind, int(vsid), smac, sip)
            pkt = ipv6(src, dst, 47, payload, OUTER_TOS.get(kind, 0))
            proto = ETH_P_IPV6
        else:
            payload = craft(kind, int(vsid), smac, sip)
            pkt = ipv4(src, dst, 47, payload, tos=OUTER_TOS.get(kind, 0))
            proto = ETH_P_IP
        s.send(mac(dstmac) + own + struct.pack("!H", proto) + pkt)
        time.sleep(0.02)


def cmd_icmp_frag(args):
    iface, dstmac, src, dst, mtu, qsrc, qdst, vsid = args[:8]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    with open("/sys/class/net/%s/address" % iface) as f:
        own = mac(f.read().strip())
    quoted = ipv4(qsrc, qdst, 47, gre(0x2000, int(vsid) << 8,
                                      inner_frame("good", "02:00:00:00:01:01",
                                                  "10.0.0.1")))[:28 + 8]
    icmp = struct.pack("!BBHHH", 3, 4, 0, 0, int(mtu)) + quoted
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    pkt = ipv4(src, dst, 1, icmp)
    s.send(mac(dstmac) + own + struct.pack("!H", ETH_P_IP) + pkt)


PACKET_OUTGOING = 4
# What a capture still waits once the sender is done: for frames in flight
# and for copies that should not be there (lib.sh: GRACE).
STOP_GRACE = float(os.environ.get("NVGRE_GRACE", "1.5"))


def frames(iface, seconds, incoming_only=False, with_addr=False, stop=None):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    if iface != "any":
        s.bind((iface, 0))
    s.settimeout(0.2)
    print("ready", file=sys.stderr, flush=True)
    end = time.time() + float(seconds)
    while True:
        if stop and os.path.exists(stop):
            end = min(end, time.time() + STOP_GRACE)
            stop = None
        if time.time() >= end:
            # What the socket queued while this process was not scheduled
            # (a slow guest) still belongs to the window: read it, then end.
            s.setblocking(False)
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        except BlockingIOError:
            break
        if not (incoming_only and addr[2] == PACKET_OUTGOING):
            yield (frame, addr) if with_addr else frame


def outer_header(f):
    """The outer IPv4 or IPv6 header of a GRE frame as a record, and the
    GRE header and what follows; None if f is not GRE."""
    ethertype = struct.unpack("!H", f[12:14])[0]
    ip = f[14:]
    if ethertype == ETH_P_IP and len(ip) >= 20 + 8 and ip[9] == 47:
        rec = {
            "src": socket.inet_ntoa(ip[12:16]),
            "dst": socket.inet_ntoa(ip[16:20]),
            "df": bool(struct.unpack("!H", ip[6:8])[0] & 0x4000),
            "tos": ip[1], "ttl": ip[8], "len": len(ip),
        }
        return rec, ip[(ip[0] & 15) * 4:]
    if ethertype == ETH_P_IPV6 and len(ip) >= 40 + 8 and ip[6] == 47:
        first = struct.unpack("!I", ip[:4])[0]
        rec = {
            "src": socket.inet_ntop(socket.AF_INET6, ip[8:24]),
            "dst": socket.inet_ntop(socket.AF_INET6, ip[24:40]),
            "df": True, "tos": first >> 20 & 0xFF, "ttl": ip[7],
            "flowlabel": first & 0xFFFFF, "len": len(ip),
        }
        return rec, ip[40:]
    return None


def cmd_capture(args):
    stop = args[2] if len(args) > 2 else None
    for f, addr in frames(args[0], args[1], with_addr=True, stop=stop):
        outer = outer_header(f) if len(f) >= 14 else None
        if not outer:
            continue
        rec, g = outer
        flags, proto = struct.unpack("!HH", g[:4])
        rec.update({"flags": flags, "proto": proto, "iface": addr[0],
                    "out": addr[2] == PACKET_OUTGOING})
        if flags & 0x2000 and not flags & 0x8000:
            key = struct.unpack("!I", g[4:8])[0]
            rec["vsid"] = key >> 8
            rec["flowid"] = key & 0xFF
            inner = g[8:]
            rec["inner_ethertype"] = struct.unpack("!H", inner[12:14])[0]
            rec["inner_dst_mac"] = inner[0:6].hex(":")
            rec["inner_src_mac"] = inner[6:12].hex(":")
            if rec["inner_ethertype"] == ETH_P_IP and len(inner) > 15:
                rec["inner_tos"] = inner[15]
            if rec["inner_ethertype"] == ETH_P_IP and len(inner) >= 34:
                rec["inner_ttl"] = inner[22]
                rec["inner_src"] = socket.inet_ntoa(inner[26:30])
                rec["inner_dst"] = socket.inet_ntoa(inner[30:34])
            if rec["inner_ethertype"] == ETH_P_IPV6 and len(inner) >= 54:
                rec["inner_ttl"] = inner[21]
                rec["inner_next"] = inner[20]
                rec["inner_src"] = socket.inet_ntop(socket.AF_INET6,
                                                    inner[22:38])
                rec["inner_dst"] = socket.inet_ntop(socket.AF_INET6,
                                                    inner[38:54])
            if (rec["inner_ethertype"] == ETH_P_IP and
                    len(inner) >= 14 + 20 + 8 and inner[14 + 9] == 17):
                ihl2 = (inner[14] & 15) * 4
                rec["inner_dport"] = struct.unpack(
                    "!H", inner[14 + ihl2 + 2:14 + ihl2 + 4])[0]
        print(json.dumps(rec), flush=True)


def cmd_listen(args):
    """Tags of the test frames seen until the "end" frame; with "tos",
    as TAG/TOS."""
    seen = set()
    for f in frames(args[0], args[1], incoming_only=True):
        i = f.find(TAG)
        if i >= 0:
            tag = f[i + len(TAG):].decode(errors="replace")
            if tag == "end":
                break
            if len(args) > 2 and args[2] == "tos" and len(f) > 15:
                tag += "/%d" % f[15]
            seen.add(tag)
    print(" ".join(sorted(seen)))


def cmd_udp(args):
    src, dst, count = args[0], args[1], int(args[2])
    for port in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind((src, 20000 + port))
        s.sendto(b"flow", (dst, 7777))
        s.close()
        time.sleep(0.01)


def cmd_nd(args):
    iface, dstmac, src, dst, typ = args[:5]
    opts = dict(a.split("=", 1) for a in args[5:] if "=" in a)
    target = ([a for a in args[5:] if "=" not in a] or [None])[0]
    with open("/sys/class/net/%s/address" % iface) as f:
        own = f.read().strip()
    body = nd_message(typ, own, target, dst)
    if typ == "ns" and src == "::":
        body = body[:-8]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(nd_frame(dstmac, own, src, dst, body, int(opts.get("hop", 255)),
                    int(opts.get("code", 0))))


def main():
    cmds = {"send": cmd_send, "capture": cmd_capture, "listen": cmd_listen,
            "udp": cmd_udp, "nd": cmd_nd, "icmp-frag": cmd_icmp_frag}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        raise SystemExit(__doc__)
    cmds[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
