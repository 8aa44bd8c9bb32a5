#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
#
# The host half of testsuite/aster.guest/net.exp (UDP through QEMU's user
# network, which maps the guest's 10.0.2.2 to the host's 127.0.0.1):
#
#   udp-helper.py echo SECS     bind 127.0.0.1 on a free port, print it,
#                               echo every datagram back for SECS seconds;
#                               one over 1400 bytes (which came in IP
#                               fragments) is answered with "len=N sum=S",
#                               S the sum of its bytes
#   udp-helper.py freeport      print a UDP port free on 127.0.0.1 now
#   udp-helper.py send PORT TEXT TRIES
#                               send TEXT to 127.0.0.1:PORT (hostfwd to the
#                               guest) up to TRIES times, 1 s apart, until a
#                               reply comes; print the reply, or nothing
import socket
import sys
import time


def echo(secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1], flush=True)
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            data, peer = s.recvfrom(65535)
        except socket.timeout:
            return
        if len(data) > 1400:
            s.sendto(("len=%d sum=%d" % (len(data), sum(data))).encode(), peer)
        else:
            s.sendto(data, peer)


def freeport():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])


def send(port, text, tries):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    for _ in range(tries):
        s.sendto(text.encode(), ("127.0.0.1", port))
        try:
            data, _ = s.recvfrom(65535)
        except (socket.timeout, ConnectionRefusedError):
            continue
        print(data.decode(errors="replace"))
        return


def main():
    if sys.argv[1] == "echo":
        echo(float(sys.argv[2]))
    elif sys.argv[1] == "freeport":
        freeport()
    elif sys.argv[1] == "send":
        send(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))


main()
