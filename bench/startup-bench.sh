#!/usr/bin/env bash
# Start-up time (process start to the first guest-ping reply) and idle RSS of Somnus under several JVM
# settings, and of Debian's qemu-ga 7.2, in one run.
#
#   bench/startup-bench.sh [RUNS] [IDLE_MS]
#
# Needs a built distribution (mvn -B -q package -DskipTests) and the qemu-guest-agent package. Every
# run starts the agent on a unix socket in a fresh state folder (except the "persistent state" rows,
# which reuse one), connects as soon as the socket accepts, sends one guest-ping, leaves the agent idle
# for IDLE_MS, reads its VmRSS and stops it with SIGTERM (bench/qga-start.c). Variants are interleaved
# run by run so all see the same machine; the median of RUNS is reported. Prints one Markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${1:-7}
idle_ms=${2:-3000}
dist="$top/distribution/target/somnus-ga"
[ -x "$dist/bin/somnus-ga" ] || { echo "no distribution at $dist: run mvn -B -q package -DskipTests" >&2; exit 1; }
command -v qemu-ga >/dev/null || { echo "qemu-ga not installed: apt-get install qemu-guest-agent" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/qga-start" "$here/qga-start.c"

# The JVM options bin/somnus-ga uses when $SOMNUS_JAVA_OPTS is unset.
defaults=$(sed -n 's/.*SOMNUS_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$dist/bin/somnus-ga")
[ -n "$defaults" ] || { echo "cannot read the default JVM options from bin/somnus-ga" >&2; exit 1; }
# A small initial heap keeps the serial collector's eden (and so the pages touched while starting) small;
# the tight caps below are measured for comparison only: a 64 MiB request (the protocol's limit) needs more.
small="-Xms8m"
without_small=$(sed 's/ *-Xms8m//' <<<"$defaults")
sizing="-Xms8m -Xmx32m -Xss256k -XX:MaxMetaspaceSize=32m -XX:ReservedCodeCacheSize=16m"
cds="-XX:SharedArchiveFile=$work/somnus.jsa"

# name|JVM options ("-" = qemu-ga)|state folder ("fresh" or "persistent")
variants=(
    "qemu-ga 7.2|-|fresh"
    "Somnus, JDK default flags|-Xshare:auto|fresh"
    "Somnus, bin/somnus-ga defaults ($defaults)|$defaults|fresh"
    "Somnus, defaults without $small ($without_small)|$without_small|fresh"
    "Somnus, defaults + tight caps ($sizing)|$defaults $sizing|fresh"
    "Somnus, defaults + AppCDS archive|$defaults $cds|fresh"
    "Somnus, defaults + persistent state folder|$defaults|persistent"
    "Somnus, defaults + AppCDS + persistent state folder|$defaults $cds|persistent"
)
# More rows from the environment, one per line in the same form; the words $defaults and $cds stand
# for the options above. E.g. for an experimental build:
#   STARTUP_EXTRA='Somnus, bundle cache kept|$defaults $cds -Dsome.flag=1|persistent'
while IFS= read -r extra; do
    [ -n "$extra" ] || continue
    extra=${extra//\$defaults/$defaults}
    variants+=("${extra//\$cds/$cds}")
done <<<"${STARTUP_EXTRA:-}"

start_once() { # options state-mode result-file
    local opts=$1 mode=$2 out=$3 dir
    if [ "$mode" = persistent ]; then dir="$work/persistent-$(echo "$opts" | md5sum | cut -c1-8)"; else dir=$(mktemp -d -p "$work"); fi
    mkdir -p "$dir"
    rm -f "$dir/sock"
    if [ "$opts" = - ]; then
        QGA_CONF=/nonexistent "$work/qga-start" "$dir/sock" "$idle_ms" \
            qemu-ga -m unix-listen -p "$dir/sock" -t "$dir" -l "$dir/log" >>"$out"
    else
        SOMNUS_JAVA_OPTS="$opts" QGA_CONF=/nonexistent "$work/qga-start" "$dir/sock" "$idle_ms" \
            "$dist/bin/somnus-ga" -m unix-listen -p "$dir/sock" -t "$dir" -l "$dir/log" >>"$out"
    fi
    [ "$mode" = persistent ] || rm -rf "$dir"
}

# The AppCDS archive: one start with -XX:ArchiveClassesAtExit (written when the agent exits on SIGTERM).
dump=$(mktemp -d -p "$work")
SOMNUS_JAVA_OPTS="$defaults -XX:ArchiveClassesAtExit=$work/somnus.jsa" QGA_CONF=/nonexistent \
    "$work/qga-start" "$dump/sock" 1000 "$dist/bin/somnus-ga" -m unix-listen -p "$dump/sock" -t "$dump" \
    -l "$dump/log" >/dev/null 2>&1
[ -s "$work/somnus.jsa" ] || { echo "no AppCDS archive was written" >&2; exit 1; }
# Persistent-state variants start once before measuring, so their first measured run finds a used folder.
for v in "${variants[@]}"; do
    IFS='|' read -r _ opts mode <<<"$v"
    [ "$mode" = persistent ] && start_once "$opts" "$mode" /dev/null
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$runs"); do
    for i in "${!variants[@]}"; do
        IFS='|' read -r _ opts mode <<<"${variants[$i]}"
        start_once "$opts" "$mode" "$work/result-$i"
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }
echo "runs per variant: $runs (interleaved), idle before RSS: $idle_ms ms, load average before: $load_before, after: $load_after"
echo "AppCDS archive: $(du -k "$work/somnus.jsa" | cut -f1) kB"
echo
echo "| agent and JVM settings | first reply, median (ms) | min-max (ms) | idle RSS, median (MB) |"
echo "|---|---|---|---|"
for i in "${!variants[@]}"; do
    IFS='|' read -r name _ _ <<<"${variants[$i]}"
    f=$(field first_reply_ms "$work/result-$i" | median)
    lo=$(field first_reply_ms "$work/result-$i" | sort -n | head -1)
    hi=$(field first_reply_ms "$work/result-$i" | sort -n | tail -1)
    rss=$(field rss_kb "$work/result-$i" | median)
    awk -v n="$name" -v f="$f" -v lo="$lo" -v hi="$hi" -v r="$rss" \
        'BEGIN { printf "| %s | %.0f | %.0f-%.0f | %.1f |\n", n, f, lo, hi, r / 1024 }'
done
