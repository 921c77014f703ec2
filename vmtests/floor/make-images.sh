#!/bin/bash
# Makes the two floor images from a built Somnus guest image (vmtests/floor/README.md):
#
#   make-images.sh SOMNUS_IMAGE_DIR OUT_DIR
#
# OUT_DIR/java and OUT_DIR/felix each get the Somnus image's vmlinuz and its initramfs, unchanged
# (same kernel, busybox, /init, jlink'd runtime, the whole Somnus distribution still in it, so the
# kernel unpacks as many bytes) except: /opt/floor/floor.jar, a CDS archive of the floor program made
# the way build-image.sh makes Somnus's (running it once in the image's own tree), and /etc/agent
# starting the floor program with the Somnus image's JVM options instead of the agent.
# Needs root (chroot, private mount namespace), cpio, and javac/jar from JDK 17.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# = 2 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
[ "$(id -u)" = 0 ] || { echo "make-images: needs root (chroot for the CDS archive)" >&2; exit 3; }
[ -f "$src/initramfs.cpio" ] && [ -f "$src/vmlinuz" ] || { echo "make-images: no image in $src" >&2; exit 2; }
# The guest's JVM options, exactly as build-image.sh wrote them, without Somnus's own archive.
opts=$(sed -n 's/^java.options=//p' "$src/image.properties" | sed 's/ -XX:SharedArchiveFile=[^ ]*//')
[ -n "$opts" ] || { echo "make-images: $src/image.properties has no java.options" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
felix_jar=lib/org.apache.felix.framework.jar
for variant in java felix; do
    tree="$work/tree-$variant"
    mkdir -p "$tree"
    (cd "$tree" && cpio -i -d -m --quiet < "$src/initramfs.cpio")
    [ -f "$tree/opt/somnus-ga/$felix_jar" ] || { echo "make-images: no $felix_jar in the image" >&2; exit 1; }
    mkdir -p "$tree/opt/floor"
    javac --release 17 -d "$work/classes-$variant" -cp "$tree/opt/somnus-ga/$felix_jar" "$here/Floor.java"
    (cd "$work/classes-$variant" && jar --create --file "$tree/opt/floor/floor.jar" .)
    if [ $variant = felix ]; then
        cp_="/opt/floor/floor.jar:/opt/somnus-ga/$felix_jar" args="--felix"
    else
        cp_="/opt/floor/floor.jar" args=""
    fi
    jsa=/opt/floor/floor.jsa
    unshare -m --propagation private /bin/sh -eu -c '
        tree=$1
        mount -t proc proc "$tree/proc"
        mount -t tmpfs tmpfs "$tree/tmp"
        chroot "$tree" /opt/java/bin/java $2 -Xmx128m -XX:ArchiveClassesAtExit=$3 -Xlog:cds=error -cp $4 Floor $5 --dump >/dev/null
        # The archive must load with the guest options.
        chroot "$tree" /opt/java/bin/java $2 -XX:SharedArchiveFile=$3 -Xshare:on -cp $4 Floor $5 --dump >/dev/null
    ' sh "$tree" "$opts" "$jsa" "$cp_" "$args"
    cat > "$tree/etc/agent" <<EOF2
#!/bin/sh
exec /opt/java/bin/java $opts -XX:SharedArchiveFile=$jsa -cp $cp_ Floor $args /dev/virtio-ports/org.qemu.guest_agent.0
EOF2
    chmod 755 "$tree/etc/agent"
    mkdir -p "$out/$variant"
    cp "$src/vmlinuz" "$out/$variant/vmlinuz"
    (cd "$tree" && find . | sort | cpio -o -H newc -R 0:0 --quiet) > "$out/$variant/initramfs.cpio"
    { echo "agent=floor-$variant"; echo "agent.command=$(tail -1 "$tree/etc/agent")"
      echo "initramfs.bytes=$(stat -c %s "$out/$variant/initramfs.cpio")"; } > "$out/$variant/image.properties"
    rm -rf "$tree"
    echo "make-images: built $out/$variant" >&2
done
