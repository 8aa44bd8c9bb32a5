#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/net-guest.sh ECHOPORT TCPECHOPORT -- the guest half of
# testsuite/aster.guest/net.exp, on QEMU's user network (the guest is
# 10.0.2.15/24, the gateway 10.0.2.2 is the host).  Configures eth0 with
# BusyBox ifconfig and route, pings the host, then runs t_inet's network
# mode (a UDP exchange with the host's echo server on ECHOPORT, then a
# datagram from the host through hostfwd to port 5555), then t_tcp's (1 MiB
# through the host's TCP echo server on TCPECHOPORT, then a connection from
# the host through hostfwd to port 5556), between run.sh's markers.  Lines the host checks start with "net: "; ends with
# "net: all done".
PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
echo "net: ifconfig status $(ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up; echo $?)"
echo "net: route status $(route add default gw 10.0.2.2; echo $?)"
ifconfig eth0 | sed 's/^/net: ifconfig: /'
route -n | sed 's/^/net: route: /'
ping -c 3 -W 5 10.0.2.2 | sed 's/^/net: ping: /'
# BusyBox ip over rtnetlink (links, addresses, routes).
echo "net: ip-lo-down status $(ip link set lo down; echo $?)"
ip link show lo | sed 's/^/net: ip-lo-down: /'
echo "net: ip-lo-up status $(ip link set lo up; echo $?)"
ip link show lo | sed 's/^/net: ip-lo-up: /'
ip link show eth0 | sed 's/^/net: ip-link-eth0: /'
ip addr show | sed 's/^/net: ip-addr: /'
ip route show | sed 's/^/net: ip-route: /'
ip neigh show | sed 's/^/net: ip-neigh: /'
echo "net: ip-route-add status $(ip route add 10.9.0.0/16 via 10.0.2.2 dev eth0; echo $?)"
ip route show | sed 's/^/net: ip-route-added: /'
echo "net: ip-route-del status $(ip route del 10.9.0.0/16 via 10.0.2.2 dev eth0; echo $?)"
ip route show | sed 's/^/net: ip-route-deleted: /'
echo "net: ip-addr-add status $(ip addr add 10.0.2.15/24 dev eth0 2>&1; echo $?)"
for f in glibc musl dyn; do
    [ -x /progs/t_inet.$f ] || continue
    echo "aster-progs: begin t_inet-net.$f"
    /progs/t_inet.$f net "$1" 5555
    echo "aster-progs: end t_inet-net.$f status $?"
done
for f in glibc musl dyn; do
    [ -x /progs/t_tcp.$f ] || continue
    echo "aster-progs: begin t_tcp-net.$f"
    /progs/t_tcp.$f net 10.0.2.2 "$2" 5556
    echo "aster-progs: end t_tcp-net.$f status $?"
done
sed 's/^/net: proc-net-dev: /' /proc/net/dev
echo "net: all done"
