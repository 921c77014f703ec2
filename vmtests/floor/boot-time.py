#!/usr/bin/env python3
"""Boots one guest image with the QEMU argv of vmtests' Guest.java and prints the host wall clock
from QEMU's start to the agent's first answer to 0xFF + guest-sync-delimited (the same handshake
and the same clock as the vmtests' "QEMU start -> agent answers"), then kills QEMU.

    boot-time.py IMAGE_DIR [RUN_DIR] [--somnus] [--linger SECONDS]   (IMAGE_DIR holds vmlinuz and initramfs.cpio)

--somnus: after the answer, ask __dev.somnus_get-suspend-support once (is the agent complete at its
first answer?) and then the test-support bundle's __dev.somnus.test_boot-info until it answers, to
print the agent's own start -> first answer (guest time: its uptime minus the host time since the
answer), which leaves out the kernel's and /init's share and the host's.
--linger: keep the guest running that long after the answer (timeline-image.sh's guest prints its
class-load log to the console 30 s after the agent's start; RUN_DIR/console.log then holds it).

Prints: seconds, the guest uptime at which /init started the agent (from the console), the image.
Run it under the machine lock: flock /tmp/somnus-machine.lock boot-time.py ...
"""
import os, re, socket, subprocess, sys, tempfile, time

KERNEL_WORDS = "console=ttyS0 no_console_suspend hibernate=nocompress init_on_alloc=0"
TIMEOUT = 120.0


def argv(image, run):
    return ["qemu-system-x86_64", "-machine", "pc,accel=tcg", "-cpu", "max", "-smp", "1", "-m", "512M",
            "-nographic", "-monitor", "none",
            "-serial", "file:" + os.path.join(run, "console.log"),
            "-qmp", "unix:" + os.path.join(run, "qmp.sock") + ",server=on,wait=off",
            "-kernel", os.path.join(image, "vmlinuz"), "-initrd", os.path.join(image, "initramfs.cpio"),
            "-append", KERNEL_WORDS,
            "-drive", "file=" + os.path.join(run, "data.img") + ",format=raw,if=none,id=data,cache=unsafe",
            "-device", "virtio-blk-pci,drive=data,addr=0x4",
            "-drive", "file=" + os.path.join(run, "swap.img") + ",format=raw,if=none,id=swap,cache=unsafe",
            "-device", "virtio-blk-pci,drive=swap,addr=0x5",
            "-device", "virtio-serial-pci,addr=0x6",
            "-chardev", "socket,path=" + os.path.join(run, "qga.sock") + ",server=on,wait=off,id=qga0",
            "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0,id=qgaport",
            "-no-reboot", "-global", "PIIX4_PM.disable_s4=0"]


def request(sock, execute, rid):
    """One request with an id; returns the reply with that id (stale sync replies are skipped)."""
    import json
    sock.settimeout(30)
    sock.sendall(json.dumps({"execute": execute, "id": rid}).encode() + b"\n")
    buf = b""
    while True:
        data = sock.recv(65536)
        if not data:
            raise SystemExit("the agent closed the channel")
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.strip(b"\xff \r")
            if line:
                reply = json.loads(line)
                if reply.get("id") == rid:
                    return reply


def somnus_details(sock, answered_at):
    support = request(sock, "__dev.somnus_get-suspend-support", "support")
    complete = "complete-at-first-answer" if "return" in support else \
        "incomplete-at-first-answer(%s)" % support.get("error", {}).get("class")
    n = 0
    while True:
        n += 1
        info = request(sock, "__dev.somnus.test_boot-info", "boot-info-%d" % n)
        now = time.monotonic()
        if "return" in info:
            agent = info["return"]["uptime-ms"] / 1000.0 - (now - answered_at)
            return "%s\tagent-start-to-answer=%.2f" % (complete, agent)
        time.sleep(0.1)


def main():
    args = sys.argv[1:]
    linger = 0.0
    somnus = "--somnus" in args
    if somnus:
        args.remove("--somnus")
    if "--linger" in args:
        i = args.index("--linger")
        linger = float(args[i + 1])
        del args[i:i + 2]
    image = os.path.abspath(args[0])
    run = args[1] if len(args) > 1 else tempfile.mkdtemp(prefix="boot-time-")
    os.makedirs(run, exist_ok=True)
    for name, size in (("data.img", 16 << 20), ("swap.img", 512 << 20)):
        with open(os.path.join(run, name), "wb") as f:
            f.truncate(size)
    for name in ("qga.sock", "qmp.sock", "console.log"):
        if os.path.exists(os.path.join(run, name)):
            os.unlink(os.path.join(run, name))
    start = time.monotonic()
    qemu = subprocess.Popen(argv(image, run), stdin=subprocess.DEVNULL,
                            stdout=open(os.path.join(run, "qemu.out"), "wb"), stderr=subprocess.STDOUT)
    try:
        sock = None
        while sock is None:
            if time.monotonic() - start > TIMEOUT or qemu.poll() is not None:
                raise SystemExit("no agent socket (QEMU exited or timeout); see " + run)
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(os.path.join(run, "qga.sock"))
                sock = s
            except OSError:
                time.sleep(0.05)
        sock.settimeout(0.5)
        next_id, buf, answered = 1000, b"", None
        while answered is None:
            if time.monotonic() - start > TIMEOUT:
                raise SystemExit("no answer within %d s; see %s" % (TIMEOUT, run))
            next_id += 1
            try:
                sock.sendall(b"\xff" + b'{"execute":"guest-sync-delimited","arguments":{"id":%d}}\n' % next_id)
            except socket.timeout:
                pass
            deadline = time.monotonic() + 0.5
            while answered is None and time.monotonic() < deadline:
                try:
                    data = sock.recv(4096)
                except socket.timeout:
                    break
                if not data:
                    time.sleep(0.05)
                    continue
                buf += data
                # Any reply carrying the latest id: stale requests are read when the guest opens the port.
                if re.search(rb'"return":\s*%d\b' % next_id, buf):
                    answered = time.monotonic() - start
        extra = ""
        if somnus:
            extra = "\t" + somnus_details(sock, start + answered)
        time.sleep(linger)
        console = open(os.path.join(run, "console.log"), errors="replace").read()
        m = re.search(r"starting the agent at uptime ([0-9.]+)", console)
        print("%.2f\tinit-starts-agent-at=%s\t%s%s" % (answered, m.group(1) if m else "?", image, extra))
    finally:
        qemu.kill()
        qemu.wait()


if __name__ == "__main__":
    main()
