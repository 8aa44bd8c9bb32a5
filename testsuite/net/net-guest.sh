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
