#!/bin/bash
# Copies a built Somnus guest image with one change: /etc/agent adds -Xlog:class+load with the JVM's
# uptime to /run/classload.log and prints that file to the console 30 s later (boot-time.py
# --linger 32 keeps the guest up; RUN_DIR/console.log then holds it): a class-load timeline of the
# agent's start-up in the guest, without slowing the JVM by writing to the emulated serial port.
#   timeline-image.sh SOMNUS_IMAGE_DIR OUT_DIR
set -euo pipefail
[ $# = 2 ] || { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
(cd "$tree" && cpio -i -d -m --quiet < "$src/initramfs.cpio")
sed -i 's|^export SOMNUS_JAVA_OPTS="|export SOMNUS_JAVA_OPTS="-Xlog:class+load:file=/run/classload.log:uptime |' "$tree/etc/agent"
sed -i 's|^exec |(sleep 30; echo "classload-begin"; cat /run/classload.log; echo "classload-end") \&\nexec |' "$tree/etc/agent"
grep -q classload-begin "$tree/etc/agent" || { echo "timeline-image: unexpected /etc/agent" >&2; exit 1; }
cp "$src/vmlinuz" "$out/vmlinuz"
(cd "$tree" && find . | sort | cpio -o -H newc -R 0:0 --quiet) > "$out/initramfs.cpio"
cp "$src/image.properties" "$out/image.properties"
