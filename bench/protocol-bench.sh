#!/usr/bin/env bash
# Sequential and pipelined guest-ping throughput of Somnus and of Debian's qemu-ga 7.2, in one run.
#
#   bench/protocol-bench.sh [SEQ_N] [PIPE_N] [ROUNDS]
#
# Needs a built distribution (mvn -B -q package -DskipTests) and the qemu-guest-agent package.
# Both agents run on unix sockets in a temporary folder and receive only guest-sync and guest-ping.
# Each agent gets one warm-up round per mode (not counted: the JVM compiles its hot path there), then
# ROUNDS measured rounds, the agents alternating; the median is reported. Prints the load average, every
# round's rate and one Markdown table.
#
# PIN=<cpu> runs both agents and the client on that one CPU (taskset): the round trip is then the
# agents' own work and context switches, without the cross-CPU wake-up latency of the machine, which
# on this 2-vCPU VM is about 40 us per round trip and caps every agent alike (BENCHMARKS.md §1).
set -euo pipefail
pin=()
[ -n "${PIN:-}" ] && pin=(taskset -c "$PIN")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
seq_n=${1:-20000}
pipe_n=${2:-200000}
rounds=${3:-5}
dist="$top/distribution/target/somnus-ga"
[ -x "$dist/bin/somnus-ga" ] || { echo "no distribution at $dist: run mvn -B -q package -DskipTests" >&2; exit 1; }
command -v qemu-ga >/dev/null || { echo "qemu-ga not installed: apt-get install qemu-guest-agent" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -pthread -o "$work/qga-load" "$here/qga-load.c"

wait_for_socket() { for _ in $(seq 1 200); do [ -S "$1" ] && return 0; sleep 0.05; done; echo "no socket $1" >&2; return 1; }

mkdir -p "$work/qga" "$work/somnus"
QGA_CONF=/nonexistent "${pin[@]}" qemu-ga -m unix-listen -p "$work/qga/sock" -t "$work/qga" -l "$work/qga/log" &
pids+=($!)
"${pin[@]}" "$dist/bin/somnus-ga" -m unix-listen -p "$work/somnus/sock" -t "$work/somnus" -l "$work/somnus/log" &
pids+=($!)
wait_for_socket "$work/qga/sock"
wait_for_socket "$work/somnus/sock"

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rate() { "${pin[@]}" "$work/qga-load" "$@" | sed 's/.*rate=\([0-9]*\).*/\1/'; }
# One warm-up round per agent and mode (the JVM compiles its hot path there), then ROUNDS rounds with
# the two agents alternating, so both see the same machine.
for mode in seq pipe; do
    n=$seq_n; [ $mode = pipe ] && n=$pipe_n
    rate "$work/qga/sock" $mode "$n" >/dev/null
    rate "$work/somnus/sock" $mode "$n" >/dev/null
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
q_seq_all= s_seq_all= q_pipe_all= s_pipe_all=
for _ in $(seq 1 "$rounds"); do
    q_seq_all+=" $(rate "$work/qga/sock" seq "$seq_n")"
    s_seq_all+=" $(rate "$work/somnus/sock" seq "$seq_n")"
    q_pipe_all+=" $(rate "$work/qga/sock" pipe "$pipe_n")"
    s_pipe_all+=" $(rate "$work/somnus/sock" pipe "$pipe_n")"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
q_seq=$(median <<<"$q_seq_all") s_seq=$(median <<<"$s_seq_all")
q_pipe=$(median <<<"$q_pipe_all") s_pipe=$(median <<<"$s_pipe_all")

echo "rounds: $rounds (alternating)${PIN:+, pinned to CPU $PIN}, load average before: $load_before, after: $load_after"
echo "sequential rounds (/s): qemu-ga$q_seq_all; Somnus$s_seq_all"
echo "pipelined rounds (/s): qemu-ga$q_pipe_all; Somnus$s_pipe_all"
echo

# The ratio of each round's pair (measured seconds apart) is steadier than the ratio of medians on a
# busy machine; both are shown.
paired() { paste <(tr ' ' '\n' <<<"$2" | grep .) <(tr ' ' '\n' <<<"$1" | grep .) | awk '{printf "%.3f\n", $1 / $2}' | median; }
echo "| mode | qemu-ga 7.2 (/s) | Somnus (/s) | ratio of medians | median of paired ratios |"
echo "|---|---|---|---|---|"
awk -v n="$seq_n" -v q="$q_seq" -v s="$s_seq" -v p="$(paired "$q_seq_all" "$s_seq_all")" \
    'BEGIN { printf "| sequential guest-ping, one in flight (n=%s) | %d | %d | %.2f | %.2f |\n", n, q, s, s / q, p }'
awk -v n="$pipe_n" -v q="$q_pipe" -v s="$s_pipe" -v p="$(paired "$q_pipe_all" "$s_pipe_all")" \
    'BEGIN { printf "| pipelined guest-ping (n=%s) | %d | %d | %.2f | %.2f |\n", n, q, s, s / q, p }'
