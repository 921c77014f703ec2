#!/usr/bin/env bash
# CPU time one KubeVirt agent-poller cycle costs Somnus and Debian's qemu-ga 7.2, in one run.
#
#   bench/poller-cycle.sh [CYCLES] [IDLE_S] [IDLE_ROUNDS]
#
# A cycle is what KubeVirt's agent poller sends (virt-handler agent-poller, shared/docs/host-stacks.md):
# guest-info, guest-get-osinfo, guest-get-host-name, guest-get-timezone, guest-get-users, guest-get-load,
# guest-get-fsinfo, guest-network-get-interfaces, guest-fsfreeze-status, each on one connection after
# guest-sync-delimited. Both agents run on unix sockets in a temporary folder; qemu-ga with every other
# command blocked, Somnus with --dry-run; both only read. A command one agent lacks is still sent (and
# answered CommandNotFound) and named in the output.
#
# CPU time is the sum over the agent's threads of /proc/<pid>/task/*/schedstat's first field (ns on a
# CPU), read before and after, so it does not depend on the load of the machine the way wall time does.
# "warm": CYCLES cycles back to back after CYCLES warm-up cycles, per cycle. "after idle": IDLE_ROUNDS
# times, the agent sits IDLE_S seconds untouched, then one cycle is sent; the median is reported (a
# host's poller comes every 30 s or more, so this is the case a fleet pays for).
# Needs a built distribution (mvn -B -q package -DskipTests; DIST=folder names another), qemu-guest-agent
# and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cycles=${1:-200}
idle_s=${2:-60}
idle_rounds=${3:-3}
dist="${DIST:-$top/distribution/target/somnus-ga}"
[ -x "$dist/bin/somnus-ga" ] || { echo "no distribution at $dist: run mvn -B -q package -DskipTests" >&2; exit 1; }
command -v qemu-ga >/dev/null || { echo "qemu-ga not installed: apt-get install qemu-guest-agent" >&2; exit 1; }

poller=(guest-info guest-get-osinfo guest-get-host-name guest-get-timezone guest-get-users guest-get-load
    guest-get-fsinfo guest-network-get-interfaces guest-fsfreeze-status)

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_for_socket() { for _ in $(seq 1 600); do [ -S "$1" ] && return 0; sleep 0.05; done; echo "no socket $1" >&2; return 1; }

mkdir -p "$work/qga" "$work/somnus"
keep=" ${poller[*]} guest-ping guest-sync guest-sync-delimited "
blocked=$(qemu-ga -b help | while read -r c; do [[ "$keep" == *" $c "* ]] || printf '%s,' "$c"; done)
QGA_CONF=/nonexistent qemu-ga -m unix-listen -p "$work/qga/sock" -t "$work/qga" -l "$work/qga/log" -b "${blocked%,}" &
pids+=($!)
qga_pid=$!
"$dist/bin/somnus-ga" --dry-run -m unix-listen -p "$work/somnus/sock" -t "$work/somnus" -l "$work/somnus/log" &
pids+=($!)
somnus_pid=$!
wait_for_socket "$work/qga/sock"
wait_for_socket "$work/somnus/sock"

echo "machine: $(nproc) CPUs, $(uname -r); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "qemu-ga: $(qemu-ga -V 2>&1 | head -1); somnus: $($dist/bin/somnus-ga -V 2>&1 | head -1)"

python3 - "$work" "$qga_pid" "$somnus_pid" "$cycles" "$idle_s" "$idle_rounds" "${poller[@]}" <<'EOF'
import glob, json, random, socket, statistics, sys, time
work, qga_pid, somnus_pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cycles, idle_s, idle_rounds = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
poller = sys.argv[7:]

def cpu_ns(pid):
    total = 0
    for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            total += int(open(f).read().split()[0])
        except (OSError, ValueError):
            pass  # a thread that ended between the listing and the read
    return total

def lines(sock):
    buf = b""
    while True:
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise EOFError("agent closed the connection")
        buf += chunk

def cycle(path, missing):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    replies = lines(s)
    for name in poller:
        sid = random.randrange(1, 1 << 62)
        s.sendall(b"\xff" + json.dumps({"execute": "guest-sync-delimited", "arguments": {"id": sid}}).encode() + b"\n")
        while next(replies).lstrip(b"\xff") != b'{"return": %d}' % sid:
            pass
        s.sendall(json.dumps({"execute": name}).encode() + b"\n")
        reply = next(replies)
        if b'"error"' in reply:
            missing.add(name + ": " + json.loads(reply)["error"]["desc"])
    s.close()

agents = {"qemu-ga 7.2": (f"{work}/qga/sock", qga_pid), "Somnus": (f"{work}/somnus/sock", somnus_pid)}
warm, idle, missing = {}, {}, {a: set() for a in agents}
for agent, (path, pid) in agents.items():
    for _ in range(cycles):
        cycle(path, missing[agent])
    before = cpu_ns(pid)
    for _ in range(cycles):
        cycle(path, missing[agent])
    warm[agent] = (cpu_ns(pid) - before) / cycles / 1e3
samples = {a: [] for a in agents}
for r in range(idle_rounds):
    time.sleep(idle_s)  # both agents idle at once: the same machine for both
    for agent, (path, pid) in agents.items():
        before = cpu_ns(pid)
        cycle(path, missing[agent])
        samples[agent].append((cpu_ns(pid) - before) / 1e3)
for agent in agents:
    idle[agent] = statistics.median(samples[agent])
    print(f"{agent}: after-idle samples (us): {' '.join('%.0f' % x for x in samples[agent])}")
    for m in sorted(missing[agent]):
        print(f"{agent}: answered an error: {m}")
print()
print(f"| CPU per poller cycle ({len(poller)} commands) | qemu-ga 7.2 | Somnus | Somnus / qemu-ga |")
print("|---|---|---|---|")
q, s = warm["qemu-ga 7.2"], warm["Somnus"]
print(f"| warm, mean of {cycles} cycles | {q:.0f} us | {s:.0f} us | {s / q:.2f} x |")
q, s = idle["qemu-ga 7.2"], idle["Somnus"]
print(f"| after {idle_s} s idle, median of {idle_rounds} | {q:.0f} us | {s:.0f} us | {s / q:.2f} x |")
EOF
