#!/usr/bin/env bash
# Request -> action latency of guest-suspend-ram, Somnus side by side with Debian's qemu-ga 7.2, in
# one run (BENCHMARKS.md, "Suspend dispatch latency").
#
#   bench/suspend-latency.sh [N] [WARMUP]      (as root; default N=200, WARMUP=500: C1 compiles a method after ~200 calls)
#   PAUSE_US=5000 bench/suspend-latency.sh ... (each request only after the machine sat idle that long)
#
# Needs a built distribution (mvn -B -q package -DskipTests), qemu-guest-agent, gcc, socat, unshare.
#
# Three guests, each served by a fresh qemu-ga and a fresh Somnus:
#   systemd   systemctl status <unit> exits 3, the action is `systemctl suspend`
#   pm-utils  systemd does not know the unit (exit 4), pm-is-supported says yes, the action is `pm-suspend`
#   sysfs     systemd: exit 4, pm-is-supported says no (1), the action is writing "mem" to /sys/power/state
# The latency is from the client's write of the request to its inotify wake-up when the action
# happened: the fake action program appending to its log, or the agent writing the fake state file.
# Where the action is a program, a second table takes the instant the program was exec'd instead:
# the kernel's timestamp of the execve (proc connector), before the fake runs any code of its own.
# Both agents run at once and one client asks them in turn, so load on the machine falls on both
# alike. A last row gives the floor: the fake action program started by posix_spawn from C.
#
# SAFETY. qemu-ga's paths are fixed, so the whole script always re-runs itself in a new private
# mount namespace (unshare -m --propagation private; it refuses to mount anything unless its
# namespace differs from its caller's) in which a fake folder is bind-mounted over /sys/power and the
# fake helper over every systemctl / pm-* on the real PATH; qemu-ga also gets PATH=<fake folder>
# only. Before any request is sent the script checks, inside the namespace, that /sys/power is the
# fake (marker file, content) and that each real helper path now is the fake program. The fake
# programs only record the call (bench/fake-helper.c). Somnus is configured onto the same fakes
# through the conf/*.cfg of a private copy of the distribution, and its support query must name
# only fake paths before it is sent anything.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
dist="$top/distribution/target/somnus-ga"
helpers="systemctl pm-is-supported pm-hibernate pm-suspend pm-suspend-hybrid"

die() { echo "suspend-latency: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (mount namespace)"
[ -x "$dist/bin/somnus-ga" ] || die "no distribution at $dist: run mvn -B -q package -DskipTests"
[ -x /usr/sbin/qemu-ga ] || die "qemu-ga not installed: apt-get install qemu-guest-agent"
command -v socat >/dev/null || die "socat not installed"

# Always re-run in a new mount namespace; never trust the caller to have made one.
if [ "${1:-}" != --in-private-namespace ]; then
    exec unshare -m --propagation private "$0" --in-private-namespace "$(readlink /proc/self/ns/mnt)" "$@"
fi
outer_ns=${2:-}
shift 2
n=${1:-200}
warmup=${2:-500}

# ---- inside the private mount namespace from here on. Fail closed: an unreadable namespace is a no.
inner_ns=$(readlink /proc/self/ns/mnt || true)
parent_ns=$(readlink "/proc/$PPID/ns/mnt" || true)
[ -n "$outer_ns" ] && [ -n "$inner_ns" ] && [ -n "$parent_ns" ] \
    && [ "$inner_ns" != "$outer_ns" ] && [ "$inner_ns" != "$parent_ns" ] \
    || die "not in a mount namespace of its own (this: '$inner_ns', caller: '$parent_ns'): refusing to mount anything"
[ "$(findmnt -n -o PROPAGATION /)" = private ] || die "mounts would propagate out of this namespace"
work=$(mktemp -d /tmp/somnus-suspend-bench.XXXXXX)
pids=()
mounts=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    # the namespace ends with this script; unmounting first only lets rm remove the fakes
    for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fake="$work/fake"
power="$work/power"
mkdir -p "$fake" "$power" "$work/run"
gcc -O2 -o "$work/suspend-latency" "$here/suspend-latency.c"
gcc -O2 -DFAKE_DIR="\"$fake\"" -o "$fake/fake-helper" "$here/fake-helper.c"
for h in $helpers; do cp "$fake/fake-helper" "$fake/$h"; done
: > "$fake/actions.log"
touch "$power/somnus-fake-power"
printf 'freeze mem disk' > "$power/state"

mount --bind "$power" /sys/power
mounts+=(/sys/power)
for h in $helpers; do
    for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
        if [ -e "$d/$h" ]; then mount --bind "$fake/$h" "$d/$h"; mounts+=("$d/$h"); fi
    done
done
# Verify the fakes before anything can be asked to suspend.
[ -e /sys/power/somnus-fake-power ] || die "/sys/power is not the fake: refusing to continue"
[ "$(cat /sys/power/state)" = "freeze mem disk" ] || die "/sys/power/state is not the fake: refusing to continue"
for h in $helpers; do
    for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
        if [ -e "$d/$h" ]; then cmp -s "$d/$h" "$fake/$h" || die "$d/$h is not the fake: refusing to continue"; fi
    done
done
[ "$(PATH="$fake" command -v systemctl)" = "$fake/systemctl" ] || die "PATH lookup does not find the fake systemctl"

# Somnus: a private copy of the distribution configured onto the fakes.
cp -a "$dist" "$work/somnus-ga"
conf="$work/somnus-ga/conf"
echo "trusted.directories=$fake" > "$conf/dev.somnus.reaper.cfg"
echo "root=$power" > "$conf/dev.somnus.suspend.sysfs.cfg"
echo "systemctl=$fake/systemctl
runDir=$work/run/systemd/system" > "$conf/dev.somnus.suspend.systemd.cfg"
echo "pmIsSupported=$fake/pm-is-supported
pmHibernate=$fake/pm-hibernate
pmSuspend=$fake/pm-suspend
pmSuspendHybrid=$fake/pm-suspend-hybrid" > "$conf/dev.somnus.suspend.pmutils.cfg"
echo "procRoot=$work/proc
sysRoot=$work/sys" > "$conf/dev.somnus.suspend.cfg"

wait_for_socket() { for _ in $(seq 1 600); do [ -S "$1" ] && return 0; sleep 0.05; done; die "no socket $1"; }
# SIGTERM, then SIGKILL after 5 s: qemu-ga 7.2 was once seen to hang in a futex after SIGTERM
# (its handler quitting the main loop at a bad moment), which left the whole run waiting.
stop() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# Waits until Somnus serves guest-suspend-ram through the expected provider, every provider on a fake.
await_somnus() { # socket provider
    local report=""
    for _ in $(seq 1 300); do
        report=$(printf '{"execute":"__dev.somnus_get-suspend-support","arguments":{"dry-run":true}}\n' \
            | socat -t2 - "UNIX-CONNECT:$1" 2>/dev/null || true)
        local actions fakes
        actions=$(grep -oE '"action": "([^"\\]|\\.)*"' <<<"$report" | wc -l || true)
        fakes=$(grep -oE '"action": "([^"\\]|\\.)*"' <<<"$report" | grep -c -F "$work" || true)
        if [ "$actions" -ge 9 ] && [ "$actions" = "$fakes" ] \
            && grep -q "\"command\": \"guest-suspend-ram\", \"provider\": \"$2\"" <<<"$report"; then
            return 0
        fi
        sleep 0.2
    done
    die "Somnus never offered guest-suspend-ram through $2 on the fakes; last report: $report"
}

# fields "LINE" NAME... : the values of NAME=value words of one result line, in the order asked (empty if any is missing)
fields() {
    local line=$1 v out=""; shift
    for name in "$@"; do
        v=$(grep -oE "(^| )$name=[0-9]+" <<<"$line" | sed 's/.*=//') || return 0
        [ -n "$v" ] || return 0
        out+="${out:+ }$v"
    done
    echo "$out"
}

results=()
execs=()
scenario() { # name somnus-provider watched expected-action [restore]
    local name=$1 provider=$2 watched=$3 expected=$4 restore=${5:-}
    rm -rf "$work/qga" "$work/somnus" && mkdir -p "$work/qga" "$work/somnus"
    QGA_CONF=/nonexistent PATH="$fake" /usr/sbin/qemu-ga -m unix-listen -p "$work/qga/sock" -t "$work/qga" \
        -l "$work/qga/log" &
    local qpid=$!; pids+=("$qpid")
    "$work/somnus-ga/bin/somnus-ga" -m unix-listen -p "$work/somnus/sock" -t "$work/somnus" -l "$work/somnus/log" &
    local spid=$!; pids+=("$spid")
    wait_for_socket "$work/qga/sock"
    wait_for_socket "$work/somnus/sock"
    await_somnus "$work/somnus/sock" "$provider"
    : > "$fake/actions.log"

    # both agents in one client, asked in turn (qemu-ga first in each round)
    local out
    # AGENT_PIDS: where the action is a program, the client also takes the instant of its exec
    out=$(AGENT_PIDS="$qpid,$spid" "$work/suspend-latency" "$work/qga/sock,$work/somnus/sock" guest-suspend-ram \
        "$watched" "$n" "$warmup" ${restore:+"$restore"}) || die "$name: the measurement failed"
    stop "$qpid"
    stop "$spid"
    local q s qe se
    q=$(fields "$(sed -n 1p <<<"$out")" median_us p10_us p90_us first_us)
    s=$(fields "$(sed -n 2p <<<"$out")" median_us p10_us p90_us first_us)
    [ -n "$q" ] && [ -n "$s" ] || die "$name: no result in: $out"
    qe=$(fields "$(sed -n 1p <<<"$out")" exec_median_us exec_p10_us exec_p90_us exec_first_us)
    se=$(fields "$(sed -n 2p <<<"$out")" exec_median_us exec_p10_us exec_p90_us exec_first_us)
    [ -n "$restore" ] || { [ -n "$qe" ] && [ -n "$se" ]; } || die "$name: no exec instants in: $out"

    if [ -n "$restore" ]; then
        [ "$(cat "$power/state")" = mem ] || die "$name: the fake state file holds $(cat "$power/state")"
    else
        local actions; actions=$(grep -c -x -F "$expected" "$fake/actions.log" || true)
        [ "$actions" = $((2 * (n + warmup))) ] || die "$name: '$expected' ran $actions times, not $((2 * (n + warmup)))"
    fi
    results+=("$(awk -v name="$name" -v a="$expected" -v q="$q" -v s="$s" \
        'BEGIN { split(q, Q, " "); split(s, S, " ");
                 printf "| %s | %s | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) | %.2f | %.2f / %.2f |", name, a,
                        Q[1]/1000, Q[2]/1000, Q[3]/1000, S[1]/1000, S[2]/1000, S[3]/1000, S[1]/Q[1], Q[4]/1000, S[4]/1000 }')")
    if [ -z "$restore" ]; then
        execs+=("$(awk -v name="$name" -v a="$expected" -v q="$qe" -v s="$se" \
            'BEGIN { split(q, Q, " "); split(s, S, " ");
                     printf "| %s | %s | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) | %.2f | %.2f / %.2f |", name, a,
                            Q[1]/1000, Q[2]/1000, Q[3]/1000, S[1]/1000, S[2]/1000, S[3]/1000, S[1]/Q[1], Q[4]/1000, S[4]/1000 }')")
    fi
}

echo 3 > "$fake/systemctl-status-exit"; echo 0 > "$fake/pm-is-supported-exit"; mkdir -p "$work/run/systemd/system"
scenario systemd systemd "$fake/actions.log" "systemctl suspend"
echo 4 > "$fake/systemctl-status-exit"; rm -rf "$work/run/systemd"
scenario pm-utils pmutils "$fake/actions.log" "pm-suspend"
echo 1 > "$fake/pm-is-supported-exit"
scenario sysfs sysfs "$power/state" "write mem" "freeze mem disk"

# The floor: the fake action program started by a C program, no agent.
: > "$fake/actions.log"
floor_line=$("$work/suspend-latency" --spawn "$fake/systemctl" "$fake/actions.log" "$n" "$warmup") || die "no floor measurement"
floor=$(fields "$floor_line" median_us p10_us p90_us)
floor_exec=$(fields "$floor_line" exec_median_us exec_p10_us exec_p90_us)
[ -n "$floor" ] && [ -n "$floor_exec" ] || die "no floor measurement in: $floor_line"
floor_row() { # "median p10 p90"
    awk -v f="$1" 'BEGIN { split(f, F, " "); printf "| (floor: no agent, posix_spawn of the fake from C) | systemctl suspend | | %.2f (%.2f-%.2f) | | |\n", F[1]/1000, F[2]/1000, F[3]/1000 }'
}

echo "guest-suspend-ram, request -> action, milliseconds: median (10th-90th percentile) of $n after $warmup warm-up requests${PAUSE_US:+, each after a pause of $PAUSE_US us}"
echo
echo "Action = the fake program's log line written (or the fake state file written):"
echo
echo "| guest | action | qemu-ga 7.2 | Somnus | Somnus / qemu-ga | first request: qemu-ga / Somnus |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
floor_row "$floor"
echo
echo "Action = the helper program exec'd (the kernel's timestamp of the execve, proc connector):"
echo
echo "| guest | action | qemu-ga 7.2 | Somnus | Somnus / qemu-ga | first request: qemu-ga / Somnus |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${execs[@]}"
floor_row "$floor_exec"
