#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
#
# The host half of the TCP part of testsuite/aster.guest/net.exp (QEMU's
# user network maps the guest's 10.0.2.2 to the host's 127.0.0.1):
#
#   tcp-helper.py echo SECS     listen on 127.0.0.1, a free port, print it;
#                               echo every connection's bytes back until it
#                               ends its side, for SECS seconds at most
#   tcp-helper.py freeport      print a TCP port free on 127.0.0.1 now
#   tcp-helper.py send PORT TEXT TRIES
#                               connect to 127.0.0.1:PORT (hostfwd to the
#                               guest), send TEXT, print what comes back
#                               before the guest closes; up to TRIES tries,
#                               1 s apart, while nothing comes back
import socket
import sys
import threading
import time


def serve(c, end):
    try:
        while True:
            c.settimeout(max(end - time.monotonic(), 0.1))
            data = c.recv(65536)
            if not data:
                break
            c.sendall(data)
    except OSError:
        pass
    c.close()


def echo(secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    print(s.getsockname()[1], flush=True)
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            c, _ = s.accept()
        except socket.timeout:
            return
        threading.Thread(target=serve, args=(c, end), daemon=True).start()


def freeport():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])


def send(port, text, tries):
    for _ in range(tries):
        reply = b""
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=5)
            c.sendall(text.encode())
            while True:
                data = c.recv(4096)
                if not data:
                    break
                reply += data
            c.close()
        except OSError:
            pass
        if reply:
            print(reply.decode(errors="replace"))
            return
        time.sleep(1)


def main():
    if sys.argv[1] == "echo":
        echo(float(sys.argv[2]))
    elif sys.argv[1] == "freeport":
        freeport()
    elif sys.argv[1] == "send":
        send(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))


main()
