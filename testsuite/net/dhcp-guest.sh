#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/dhcp-guest.sh -- the guest half of testsuite/aster.guest/dhcp.exp,
# on QEMU's user network: BusyBox udhcpc gets a lease from QEMU's DHCP
# server (10.0.2.15/24, router 10.0.2.2) through AF_PACKET sockets and a
# BPF filter, and /progs/dhcp-script.sh configures eth0 with it; then the
# configuration is shown, the router pinged and arpinged.  Lines the host checks
# start with "dhcp: "; ends with "dhcp: all done".
PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
ifconfig eth0 up
out=$(udhcpc -i eth0 -n -q -t 5 -T 3 -s /progs/dhcp-script.sh 2>&1)
st=$?
echo "$out" | sed 's/^/dhcp: udhcpc: /'
echo "dhcp: udhcpc status $st"
ifconfig eth0 | sed 's/^/dhcp: ifconfig: /'
route -n | sed 's/^/dhcp: route: /'
ping -c 1 -W 5 10.0.2.2 | sed 's/^/dhcp: ping: /'
# arping: an ARP request and its reply through a SOCK_DGRAM ETH_P_ARP packet socket.
out=$(arping -c 1 -w 5 -I eth0 10.0.2.2 2>&1)
st=$?
echo "$out" | sed 's/^/dhcp: arping: /'
echo "dhcp: arping status $st"
echo "dhcp: all done"
