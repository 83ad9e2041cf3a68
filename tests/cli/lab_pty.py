#!/usr/bin/env python3
"""lab_pty.py QUORATE TOPOLOGY: drive `quorate lab` through a pseudo-terminal
(libedit mode): commands typed with carriage returns, a history recall with
the up arrow, then quit. Prints everything the console wrote; exits 0 when
the session ended by itself with status 0, 77 when no pty is available."""
import os
import select
import sys
import time

try:
    import pty
except ImportError:
    sys.exit(77)

q, topo = sys.argv[1], sys.argv[2]
try:
    pid, fd = pty.fork()
except OSError:
    sys.exit(77)
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execv(q, [q, "lab", topo])

out = b""


def read_until(needle, timeout=10.0):
    global out
    end = time.time() + timeout
    while needle not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return needle in out


def send(text):
    os.write(fd, text.encode())


ok = read_until(b"lab> ")
for line, wait_for in (("crash s1\r", b"quorum LOST"),
                       ("advance 1m\r", b"now 00:01:00"),
                       ("\x1b[A\r", b"now 00:02:00"),      # up arrow: history
                       ("status\r", b"fabric: counted, absent"),
                       ("quit\r", None)):
    read_until(b"lab> ") if ok else None
    send(line)
    if wait_for is not None:
        ok = read_until(wait_for) and ok
end = time.time() + 10
status = None
while time.time() < end:
    try:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        out += chunk
    except OSError:
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(0 if ok and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 1)
