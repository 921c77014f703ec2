#!/usr/bin/env bash
# What an idle agent costs (issue 15), in one run, for Somnus, the "floor" and qemu-ga 7.2:
# exec -> first guest-ping reply (median of RUNS), idle RSS, idle wake-ups per second (context
# switches, voluntary + nonvoluntary, of all threads over IDLE_S seconds), CPU while idle, threads,
# and the wake-ups of each thread by name, so a regression names its thread.
#
#   bench/footprint.sh [RUNS] [IDLE_S]        (defaults 5 and 30)
#
# Somnus is the built distribution (distribution/target/somnus-ga) started with --dry-run
# -m unix-listen; the floor is a bare JVM with bin/somnus-ga's default JVM options whose only code
# answers guest-ping on a unix socket (bench/Floor.java, compiled here); qemu-ga is Debian's 7.2
# (QGA_CONF=/nonexistent). Start-up runs are interleaved; the idle phase runs the three side by
# side, after a settling time (SETTLE_S, default 10 s) so start-up work is over. $SOMNUS_JAVA_OPTS
# (if set) replaces bin/somnus-ga's defaults for Somnus AND the floor, to weigh a JVM option.
# $DIST names another distribution folder (e.g. a copy of main's, for a before/after).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${1:-5}
idle_s=${2:-30}
settle_s=${SETTLE_S:-10}
dist=${DIST:-$top/distribution/target/somnus-ga}
[ -x "$dist/bin/somnus-ga" ] || { echo "no distribution at $dist: mvn -B -o -q -pl distribution -am package -DskipTests" >&2; exit 1; }
[ -x /usr/sbin/qemu-ga ] || { echo "qemu-ga not installed: apt-get install qemu-guest-agent" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
gcc -O2 -o "$work/qga-start" "$here/qga-start.c"
javac -d "$work" "$here/Floor.java"
defaults=$(sed -n 's/.*SOMNUS_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$dist/bin/somnus-ga")
[ -n "$defaults" ] || { echo "cannot read the default JVM options from bin/somnus-ga" >&2; exit 1; }
jvm_opts=${SOMNUS_JAVA_OPTS:-$defaults}
export SOMNUS_JAVA_OPTS="$jvm_opts"
export QGA_CONF=/nonexistent

names=(Somnus floor qemu-ga)
# The program and arguments of agent $1 listening on socket $2 with state folder $3.
command_of() {
    case $1 in
        Somnus) echo "$dist/bin/somnus-ga --dry-run -m unix-listen -p $2 -t $3 -l $3/log" ;;
        floor) echo "java $jvm_opts -cp $work Floor $2" ;;
        qemu-ga) echo "/usr/sbin/qemu-ga -m unix-listen -p $2 -t $3 -l $3/log" ;;
    esac
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$runs"); do
    for i in "${!names[@]}"; do
        dir=$(mktemp -d -p "$work")
        # shellcheck disable=SC2046 # word splitting of the command is wanted
        "$work/qga-start" "$dir/sock" 300 $(command_of "${names[$i]}" "$dir/sock" "$dir") \
            | sed -n 's/.*first_reply_ms=\([0-9.]*\).*/\1/p' >>"$work/first-$i"
        rm -rf "$dir"
    done
done

# Idle phase: the three agents at once, each behind qga-start (first ping, then idle, then SIGTERM).
declare -a pid
for i in "${!names[@]}"; do
    dir=$(mktemp -d -p "$work")
    # shellcheck disable=SC2046
    "$work/qga-start" "$dir/sock" $(( (settle_s + idle_s + 5) * 1000 )) $(command_of "${names[$i]}" "$dir/sock" "$dir") \
        >"$work/idle-run-$i" &
    q=$!
    for _ in $(seq 1 100); do
        child=$(cat "/proc/$q/task/$q/children" 2>/dev/null | awk '{print $1}')
        [ -n "$child" ] && break
        sleep 0.05
    done
    pid[$i]=$child
done
sleep "$settle_s"
for i in "${!names[@]}"; do
    [ -n "${pid[$i]:-}" ] && [ -d "/proc/${pid[$i]}" ] || {
        echo "${names[$i]} is not running after $settle_s s (pid ${pid[$i]:-none}): $(cat "$work/idle-run-$i")" >&2
        exit 1
    }
done

# One line per thread: tid name switches (voluntary + nonvoluntary)
switches() {
    for t in /proc/"$1"/task/*; do
        awk -v tid="${t##*/}" -v name="$(tr ' ' '_' <"$t/comm")" \
            '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print tid, name, s}' "$t/status" 2>/dev/null || true
    done
}
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz}' "/proc/$1/stat"; }
for i in "${!names[@]}"; do
    switches "${pid[$i]}" >"$work/sw0-$i"
    cpu_ms "${pid[$i]}" >"$work/cpu0-$i"
done
sleep "$idle_s"
for i in "${!names[@]}"; do
    switches "${pid[$i]}" >"$work/sw1-$i"
    cpu_ms "${pid[$i]}" >"$work/cpu1-$i"
    awk '/^VmRSS/ {print $2}' "/proc/${pid[$i]}/status" >"$work/rss-$i"
    awk '/^Threads/ {print $2}' "/proc/${pid[$i]}/status" >"$work/threads-$i"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
wait

# Per thread: switches over the idle window, per second; threads born in the window count from 0.
per_thread() {
    awk -v s="$idle_s" 'NR == FNR {a[$1] = $3; next} {d = $3 - a[$1]; printf "%s %.2f\n", $2, d / s}' "$work/sw0-$1" "$work/sw1-$1"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(uname -r)"
echo "load average before: $load_before, after: $load_after"
echo "JVM options (Somnus and floor): $jvm_opts"
echo "start-up runs: $runs (interleaved); idle window: $idle_s s after $settle_s s settling, the three side by side"
echo
echo "| | ${names[0]} | ${names[1]} | ${names[2]} |"
echo "|---|---|---|---|"
row() { # label, then a command printing agent $i's value
    local label=$1 out="| $1 |"
    shift
    for i in "${!names[@]}"; do out="$out $("$@" "$i") |"; done
    echo "$out"
}
first() { awk '{printf "%.0f ms\n", $1}' < <(median <"$work/first-$1"); }
rss() { awk '{printf "%.1f MB\n", $1 / 1024}' "$work/rss-$1"; }
wakeups() { per_thread "$1" | awk '{s += $2} END {printf "%.2f /s\n", s}'; }
cpu() { paste "$work/cpu0-$1" "$work/cpu1-$1" | awk '{printf "%.0f ms\n", $2 - $1}'; }
threads() { cat "$work/threads-$1"; }
row "exec -> first guest-ping reply (median of $runs)" first
row "idle RSS" rss
row "idle wake-ups (context switches of all threads)" wakeups
row "CPU while idle $idle_s s" cpu
row "threads" threads
for i in 0 1; do
    echo
    echo "${names[$i]}: wake-ups per thread (/s, threads of one name summed; zeros left out)"
    per_thread "$i" | awk '{a[$1] += $2; n[$1]++} END {for (k in a) if (a[k] > 0) printf "  %-16s %5.2f  (%d thread%s)\n", k, a[k], n[k], (n[k] > 1 ? "s" : "")}' | sort -k2 -rn
done
