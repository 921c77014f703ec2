#!/usr/bin/env bash
# Sequential and pipelined guest-ping throughput of Somnus and of Debian's qemu-ga 7.2, in one run.
#
#   bench/protocol-bench.sh [SEQ_N] [PIPE_N] [ROUNDS]
#
# Needs a built distribution (mvn -B -q package -DskipTests) and the qemu-guest-agent package.
# Both agents run on unix sockets in a temporary folder and receive only guest-sync and guest-ping.
# Each agent gets one warm-up round per mode (not counted: the JVM compiles its hot path there), then
# ROUNDS measured rounds; the median is reported. Prints one Markdown table.
set -euo pipefail
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
QGA_CONF=/nonexistent qemu-ga -m unix-listen -p "$work/qga/sock" -t "$work/qga" -l "$work/qga/log" &
pids+=($!)
"$dist/bin/somnus-ga" -m unix-listen -p "$work/somnus/sock" -t "$work/somnus" -l "$work/somnus/log" &
pids+=($!)
wait_for_socket "$work/qga/sock"
wait_for_socket "$work/somnus/sock"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # socket mode n -> median rate
    "$work/qga-load" "$1" "$2" "$3" >/dev/null   # warm-up
    for _ in $(seq 1 "$rounds"); do "$work/qga-load" "$1" "$2" "$3" | sed 's/.*rate=\([0-9]*\).*/\1/'; done | median
}
q_seq=$(measure "$work/qga/sock" seq "$seq_n")
s_seq=$(measure "$work/somnus/sock" seq "$seq_n")
q_pipe=$(measure "$work/qga/sock" pipe "$pipe_n")
s_pipe=$(measure "$work/somnus/sock" pipe "$pipe_n")

echo "| mode | qemu-ga 7.2 (/s) | Somnus (/s) | Somnus / qemu-ga |"
echo "|---|---|---|---|"
awk -v n="$seq_n" -v q="$q_seq" -v s="$s_seq" 'BEGIN { printf "| sequential guest-ping, one in flight (n=%s) | %d | %d | %.2f |\n", n, q, s, s / q }'
awk -v n="$pipe_n" -v q="$q_pipe" -v s="$s_pipe" 'BEGIN { printf "| pipelined guest-ping (n=%s) | %d | %d | %.2f |\n", n, q, s, s / q }'
