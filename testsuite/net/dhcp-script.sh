#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
#
# /progs/dhcp-script.sh -- udhcpc's script for testsuite/aster.guest/dhcp.exp:
# on "bound" (and "renew") configure the interface and the default route
# from the lease udhcpc passes in the environment.
case "$1" in
deconfig)
	ifconfig "$interface" up
	;;
bound|renew)
	ifconfig "$interface" "$ip" netmask "$subnet" up
	for r in $router; do
		route add default gw "$r" dev "$interface"
	done
	echo "dhcp: bound $interface $ip $subnet $router"
	;;
esac
exit 0
