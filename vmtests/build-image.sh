#!/bin/bash
# Builds a bootable test guest: Debian 12's kernel plus an initramfs holding busybox, the virtio
# modules, the /init of vm-recipe.md and ONE guest agent, chosen by --agent:
#
#   build-image.sh --agent qemu-ga --out DIR
#       Debian's qemu-ga 7.2 (the reference) from the host's /usr/sbin/qemu-ga with its libraries.
#   build-image.sh --agent somnus --distribution DIST [--test-support JAR] [--runtime JDIR] --out DIR
#       the Somnus distribution folder (bin/somnus-ga, ...) with a jlink'd Java runtime; the
#       test-support bundle goes into the guest's deploy/ folder so hot deploy runs in the guest too.
#
# Writes DIR/vmlinuz, DIR/initramfs.cpio and DIR/image.properties; for Somnus also
# DIR/initramfs-devices.cpio, the read-only scenarios' image: the same with drivers for more devices
# and qemu-ga beside Somnus (see "The read-only scenarios' image" below). Nothing is installed on the
# host: the kernel and busybox-static packages are fetched with `apt-get download` and unpacked
# with `dpkg -x` into a cache (--cache, $SOMNUS_VM_CACHE, default ~/.cache/somnus-vmtests).
# Idempotent: an image whose inputs did not change is not rebuilt.
#
# The Somnus guest is tuned for start-up under emulation (vmtests/README.md, "Start-up tuning"): no gogo
# bundles, JVM options in /etc/agent, and a CDS archive of the agent's classes made here by running
# the agent once in the image's own tree (chroot in a private mount namespace; needs root, else the
# image has no archive and says so in image.properties).
#
# Exit status: 0 built or up to date; 2 usage; 3 a host prerequisite is missing (the message says
# which and how to get it); 1 anything else.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
agent="" out="" dist="" test_support="" runtime="" cache="${SOMNUS_VM_CACHE:-$HOME/.cache/somnus-vmtests}"

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "build-image: $*" >&2; exit 1; }
missing() { echo "build-image: cannot build the guest image: $*" >&2; exit 3; }

while [ $# -gt 0 ]; do
    case "$1" in
        --agent) agent=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --distribution) dist=$2; shift 2 ;;
        --test-support) test_support=$2; shift 2 ;;
        --runtime) runtime=$2; shift 2 ;;
        --cache) cache=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "build-image: unknown argument '$1'" >&2; usage ;;
    esac
done
[ -n "$agent" ] && [ -n "$out" ] || usage
case "$agent" in
    qemu-ga) ;;
    somnus) [ -n "$dist" ] || { echo "build-image: --agent somnus needs --distribution" >&2; exit 2; }
            [ -x "$dist/bin/somnus-ga" ] || missing "no Somnus distribution at '$dist' (expected an executable bin/somnus-ga; build it with 'mvn -B -q package -DskipTests')"
            dist=$(cd "$dist" && pwd)
            if [ -n "$test_support" ]; then
                [ -f "$test_support" ] || missing "the test-support bundle '$test_support' does not exist"
                test_support=$(cd "$(dirname "$test_support")" && pwd)/$(basename "$test_support")
            fi ;;
    *) echo "build-image: --agent must be qemu-ga or somnus, not '$agent'" >&2; exit 2 ;;
esac

need_tool() { command -v "$1" >/dev/null 2>&1 || missing "'$1' is not installed (Debian package: $2)"; }
need_tool apt-get apt
need_tool dpkg dpkg
need_tool depmod kmod
need_tool cpio cpio
need_tool ldd libc-bin
[ "$agent" = qemu-ga ] && { [ -x /usr/sbin/qemu-ga ] || missing "/usr/sbin/qemu-ga is missing (Debian package: qemu-guest-agent)"; }

mkdir -p "$cache" "$out"
cache=$(cd "$cache" && pwd)
out=$(cd "$out" && pwd)

# --- Debian packages, downloaded once into the cache ---------------------------------------------

# Prints the path of the unpacked package, downloading and unpacking it if needed.
fetch_package() {
    local pkg=$1 dir="$cache/pkg/$1"
    if [ ! -e "$dir/.unpacked" ]; then
        rm -rf "$dir" "$cache/dl-$pkg"
        mkdir -p "$cache/dl-$pkg" "$cache/pkg"
        (cd "$cache/dl-$pkg" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) \
            || missing "'apt-get download $pkg' failed (no network or no package lists? run 'apt-get update')"
        dpkg -x "$cache/dl-$pkg"/*.deb "$dir" || die "cannot unpack $pkg"
        rm -rf "$cache/dl-$pkg"
        touch "$dir/.unpacked"
    fi
    echo "$dir"
}

# linux-image-amd64 is a metapackage: its current target is the real kernel package.
kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kernel_pkg" ] || missing "apt does not know linux-image-amd64 (run 'apt-get update')"
kroot=$(fetch_package "$kernel_pkg")
kver=${kernel_pkg#linux-image-}
[ -d "$kroot/lib/modules/$kver" ] || die "$kernel_pkg holds no lib/modules/$kver"
# The .deb ships no modules.dep (vm-recipe, kernel facts).
if [ ! -s "$kroot/lib/modules/$kver/modules.dep" ]; then
    depmod -b "$kroot" -F "$kroot/boot/System.map-$kver" "$kver"
fi

bbroot=$(fetch_package busybox-static)
busybox="$bbroot/bin/busybox"
[ -x "$busybox" ] || die "busybox-static holds no bin/busybox"

# --- Somnus: a Java runtime of only the modules the agent needs ----------------------------------

if [ "$agent" = somnus ] && [ -z "$runtime" ]; then
    need_tool jlink "openjdk-17-jdk-headless"
    need_tool jdeps "openjdk-17-jdk-headless"
    # Modules: what jdeps finds in the distribution's jars, plus what the recipe lists as the
    # minimum for Felix + DS (vm-recipe trap 3: java.lang.management is not in java.base).
    base_modules="java.base,java.xml,java.naming,java.management,jdk.unsupported,jdk.net,java.logging"
    jars=$(find "$dist" -name '*.jar' | sort)
    found=$(jdeps -q --multi-release 17 --ignore-missing-deps --print-module-deps $jars 2>/dev/null || true)
    modules=$(echo "$base_modules,$found" | tr ',' '\n' | grep -v '^$' | sort -u | paste -sd, -)
    runtime="$cache/runtime-$(echo "$modules cds" | sha256sum | cut -c1-12)"
    if [ ! -x "$runtime/bin/java" ]; then
        rm -rf "$runtime"
        # The default CDS archive spares the JVM parsing the JDK's classes at every start, which
        # counts under emulation; the archive for heaps over 32 GiB is of no use in a 512 MiB guest.
        jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
            --compress=2 --generate-cds-archive --output "$runtime" >&2 || die "jlink failed for modules $modules"
        rm -f "$runtime/lib/server/classes_nocoops.jsa"
    fi
    echo "$modules" > "$runtime.modules"
fi
if [ "$agent" = somnus ]; then
    [ -x "$runtime/bin/java" ] || missing "the runtime '$runtime' has no bin/java"
    runtime=$(cd "$runtime" && pwd)
fi

# --- Is the image up to date? --------------------------------------------------------------------

inputs() {
    sha256sum "$0" "$here/guest/init"
    echo "kernel $kernel_pkg agent $agent"
    case "$agent" in
        qemu-ga) ls -lL /usr/sbin/qemu-ga ;;
        somnus) find "$dist" "$runtime" ${test_support:+"$test_support"} -printf '%p %s %T@\n' | sort
                ls -lL /usr/sbin/qemu-ga 2>/dev/null || true ;;
    esac
}
stamp=$(inputs | sha256sum | cut -c1-64)
if [ -f "$out/initramfs.cpio" ] && [ -f "$out/vmlinuz" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "build-image: $out is up to date" >&2
    exit 0
fi

# --- The initramfs tree ---------------------------------------------------------------------------

tree="$out/tree"
rm -rf "$tree" "$out/.stamp"
mkdir -p "$tree"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,lib/modules/"$kver"}
chmod 1777 "$tree/tmp"
mkdir -p "$tree/var"
ln -s /run "$tree/var/run"
: > "$tree/etc/passwd"
: > "$tree/etc/group"

cp "$busybox" "$tree/bin/busybox"
"$busybox" --list-full | while read -r applet; do
    [ -e "$tree/$applet" ] || ln -s /bin/busybox "$tree/$applet"
done

# The modules named and their dependencies (order as modules.dep lists them) into $tree.
moddir="$kroot/lib/modules/$kver"
install_modules() {
    local files f
    files=$(for m in "$@"; do
                line=$(grep -E "(^|/)$m\.ko(\.[a-z]+)?:" "$moddir/modules.dep") || die "module $m is not in $kernel_pkg"
                echo "$line" | tr -d ':' | tr ' ' '\n'
            done | grep -v '^$' | sort -u)
    mkdir -p "$tree/lib/modules/$kver"
    for f in $files; do
        mkdir -p "$tree/lib/modules/$kver/$(dirname "$f")"
        cp "$moddir/$f" "$tree/lib/modules/$kver/$f"
    done
    cp "$moddir/modules.builtin" "$moddir/modules.order" "$tree/lib/modules/$kver/"
    [ -f "$moddir/modules.builtin.modinfo" ] && cp "$moddir/modules.builtin.modinfo" "$tree/lib/modules/$kver/"
    # Again on the small tree, so busybox modprobe resolves dependencies (vm-recipe, kernel facts).
    depmod -b "$tree" -F "$kroot/boot/System.map-$kver" "$kver"
}
base_modules="virtio_pci virtio_blk virtio_console"
install_modules $base_modules

# Copies each shared library a program needs to the same path in the tree.
copy_libraries() {
    local lib
    for lib in $(ldd "$@" 2>/dev/null | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' | sort -u); do
        if [ ! -e "$tree$lib" ]; then
            mkdir -p "$tree$(dirname "$lib")"
            cp -L "$lib" "$tree$lib"
        fi
    done
}

cp "$here/guest/init" "$tree/init"
chmod 755 "$tree/init"

# qemu-ga and the libraries it needs, started by the script $1 on the port its argument names
# (default org.qemu.guest_agent.0). Logs go to the console (CONSOLE.log on the host); state and
# pidfile to /run (tmpfs, so a pid there survives only by resume), below /run/qemu-ga when it runs
# beside Somnus on a second port.
add_qemu_ga() {
    mkdir -p "$tree/usr/sbin"
    cp /usr/sbin/qemu-ga "$tree/usr/sbin/qemu-ga"
    copy_libraries /usr/sbin/qemu-ga
    cat > "$1" <<'QEMUGA'
#!/bin/sh
port=${1:-org.qemu.guest_agent.0} state=/run
[ "$port" = org.qemu.guest_agent.0 ] || { state=/run/qemu-ga; mkdir -p "$state"; }
exec /usr/sbin/qemu-ga -m virtio-serial -p "/dev/virtio-ports/$port" -t "$state" -f "$state/qemu-ga.pid"
QEMUGA
    chmod 755 "$1"
}

# An AppCDS archive of the classes the Somnus agent loads (JDK, launcher, Felix, every bundle's),
# made by running the agent inside the image's own tree (twice: the first run prepares the bundle
# cache the guest starts from, the second, starting from it, writes the archive), so that the archive's class path
# (/opt/somnus-ga/lib/*.jar, name order, same sizes and times: cpio and the kernel keep mtimes)
# is the one the guest sees. Under emulation, classes from the archive are neither parsed nor
# verified again: the largest single saving in the guest's start-up. chroot and a private mount
# namespace need root; without it prints nothing (no archive). The agent in the tree sees no /sys
# (nothing is mounted there) and is only asked guest-info and the read-only queries below.
# $1: the JVM options of the guest. Prints the archive's path in the guest.
make_cds_archive() {
    local opts=$1 jsa=/opt/somnus-ga/somnus.jsa
    if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1 || ! command -v chroot >/dev/null 2>&1; then
        echo "build-image: not root (or no unshare/chroot): the Somnus image gets no CDS archive and starts slower" >&2
        return 0
    fi
    rm -f "$tree$jsa"
    # The archive's base is the runtime's own classes.jsa; -Xmx fixes compressed oops as in the guest.
    unshare -m --propagation private /bin/sh -eu -c '
        tree=$1 opts=$2 jsa=$3 cache=$4
        mount -t proc proc "$tree/proc"
        mount -t tmpfs -o mode=0755 tmpfs "$tree/dev"
        mknod -m 666 "$tree/dev/null" c 1 3
        mknod -m 666 "$tree/dev/zero" c 1 5
        mknod -m 666 "$tree/dev/random" c 1 8
        mknod -m 666 "$tree/dev/urandom" c 1 9
        mount -t tmpfs tmpfs "$tree/run"
        mount -t tmpfs tmpfs "$tree/tmp"
        export JAVA_HOME=/opt/java
        # Runs the agent once in the tree with the JVM options $1, asks it the read-only queries,
        # stops it with SIGTERM (so Felix writes its cache and the JVM its archive).
        run_agent() {
            rm -f "$tree/run/cds.sock"
            SOMNUS_JAVA_OPTS="$1" chroot "$tree" /opt/somnus-ga/bin/somnus-ga -m unix-listen -p /run/cds.sock -t /run \
                --bundle-cache "$cache" &
            pid=$!
            n=0
            while [ ! -S "$tree/run/cds.sock" ]; do
                n=$((n + 1))
                if [ $n -gt 300 ] || ! kill -0 $pid 2>/dev/null; then
                    echo "build-image: the agent did not listen in the tree" >&2
                    kill $pid 2>/dev/null || true
                    exit 1
                fi
                sleep 0.1
            done
            # fileinstall delivers deploy/ and conf/ just after the channel opens.
            sleep 2
            for command in guest-sync guest-info guest-ping __dev.somnus_get-suspend-support __dev.somnus_boot-info; do
                chroot "$tree" /opt/somnus-ga/bin/somnus-gactl -p /run/cds.sock "$command" >/dev/null 2>&1 || true
            done
            kill -TERM $pid
            # A JVM that does not exit within 60 s (the archive is written while it exits) is killed.
            (sleep 60; kill -KILL $pid 2>/dev/null) &
            killer=$!
            wait $pid || true
            kill $killer 2>/dev/null || true
        }
        # First run: the bundle cache the guest starts from (bundle/ and deploy/ installed, conf/
        # applied). Second run: the archive, of the classes a start from that cache loads.
        rm -rf "$tree$cache"
        run_agent "$opts -Xmx128m"
        [ -d "$tree$cache" ] || { echo "build-image: the agent left no bundle cache at $cache" >&2; exit 1; }
        run_agent "$opts -Xmx128m -XX:ArchiveClassesAtExit=$jsa -Xlog:cds=error"
        # The archive must load with the guest options, else the guest would silently go without.
        SOMNUS_JAVA_OPTS="$opts -Xmx128m -XX:SharedArchiveFile=$jsa -Xshare:on" \
            chroot "$tree" /opt/somnus-ga/bin/somnus-ga -V >/dev/null
    ' sh "$tree" "$opts" "$jsa" "$bundle_cache" >&2 || { rm -rf "$tree$jsa" "$tree$bundle_cache"; return 1; }
    [ -s "$tree$jsa" ] || return 1
    echo "$jsa"
}

case "$agent" in
    qemu-ga)
        add_qemu_ga "$tree/etc/agent"
        agent_version=$(/usr/sbin/qemu-ga -V 2>&1 | head -1)
        ;;
    somnus)
        mkdir -p "$tree/opt"
        cp -a "$runtime" "$tree/opt/java"
        cp -a "$dist" "$tree/opt/somnus-ga"
        # No gogo: nothing in the guest reads its commands (there is no shell), and every bundle
        # costs start-up time under emulation. The distribution itself keeps them.
        rm -f "$tree/opt/somnus-ga/bundle/"org.apache.felix.gogo.*.jar
        mkdir -p "$tree/opt/somnus-ga/deploy"
        [ -n "$test_support" ] && cp "$test_support" "$tree/opt/somnus-ga/deploy/"
        # cpio's newc format keeps whole seconds of a file's mtime. fileinstall tells a changed
        # artifact by a checksum of its mtime in milliseconds: a jar whose time had a fraction when
        # the bundle cache was made here would look changed in the guest, and be updated (its
        # commands gone for a moment) right after the first answer.
        find "$tree/opt/somnus-ga" -exec sh -c 'for f; do touch -h -d "@$(stat -c %Y "$f")" "$f"; done' sh {} +
        # libjvm needs libstdc++, libgcc_s, libz, libm, libc, ld-linux (vm-recipe, initramfs).
        copy_libraries $(find "$tree/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))
        # Debian's libjvm.so keeps its symbol table (24 MB, 20 MB stripped): in the initramfs every
        # byte stays in RAM and so in the hibernation image. Skipped where binutils is missing.
        if command -v strip >/dev/null 2>&1; then
            find "$tree/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
        fi
        # Measured in the guest (QEMU TCG, vmtests/README.md "Start-up tuning"): the interpreter alone
        # answers sooner than C1, whose fresh machine code QEMU must translate again; jnr-ffi's
        # reflection binding instead of its ASM-generated stubs spares loading and running ASM.
        # Both only for this short-lived, rarely-called guest; bin/somnus-ga keeps its defaults.
        # ArchiveRelocationMode=0 maps the CDS archives where they were made (Debian's JDK 17 default
        # is 1: relocate always, for ASLR), so their pages stay shared with the files instead of being
        # copied and patched: 10 MB less anonymous memory, so a smaller hibernation image.
        java_opts="-Xint -XX:+UseSerialGC -Xms8m -XX:-UsePerfData -Djnr.ffi.asm.enabled=false -Xshare:auto"
        java_opts="$java_opts -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
        # The bundle cache comes from the same runs as the archive (make_cds_archive): bundle/ and
        # deploy/ installed and conf/ applied at image-build time, so the guest does not install
        # them again at every cold boot (launcher --bundle-cache; vmtests/README.md "Start-up tuning").
        bundle_cache=/opt/somnus-ga/cache
        cds=$(make_cds_archive "$java_opts") || die "the CDS archive could not be made (see above)"
        [ -n "$cds" ] && java_opts="$java_opts -XX:SharedArchiveFile=$cds"
        cat > "$tree/etc/agent" <<EOF
#!/bin/sh
export JAVA_HOME=/opt/java PATH=/opt/java/bin:\$PATH
export SOMNUS_JAVA_OPTS="$java_opts"
exec /opt/somnus-ga/bin/somnus-ga -m virtio-serial -p /dev/virtio-ports/\${1:-org.qemu.guest_agent.0} -t /run \
    ${cds:+--bundle-cache $bundle_cache}
EOF
        # Also proves the runtime can start the launcher (on the host, same binaries).
        agent_version=$(JAVA_HOME="$runtime" "$dist/bin/somnus-ga" -V 2>&1 | head -1)
        ;;
esac
chmod 755 "$tree/etc/agent"

# --- Pack ---------------------------------------------------------------------------------------

cp "$kroot/boot/vmlinuz-$kver" "$out/vmlinuz"
# Not compressed, for both agents alike: the kernel unpacks a gzip'd 38 MB archive in about 1.4 s of
# emulated time, an uncompressed one in 0.6 s; qemu-ga's small archive starts as fast either way
# (vmtests/README.md, "Start-up tuning").
(cd "$tree" && find . | sort | cpio -o -H newc -R 0:0 --quiet) > "$out/initramfs.cpio.tmp"
mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
rm -rf "$tree"

# The read-only scenarios' image (Somnus only): initramfs-devices.cpio is the same archive followed by
# a second one (the kernel unpacks concatenated archives in order, a later file replacing an earlier)
# that adds what those scenarios need and the suspend scenarios must not carry in RAM, where it would
# grow every hibernation image: the network, SCSI, SATA, NVMe and ext4 drivers (about 5 MB) loaded by
# guest/init with somnus.devices; qemu-ga as /etc/agent-qemu-ga (about 3 MB with glib, pcre2 and
# libudev), so both agents are compared on one and the same guest (somnus.agent=qemu-ga,
# somnus.agent1=qemu-ga); an os-release with each quoting style (qemu-ga 7.2 unquotes it itself,
# ga_parse_osrelease) and one real time zone for /etc/localtime (without one, both answer UTC).
# Left out where the host has no qemu-ga; image.properties says so.
rm -f "$out/initramfs-devices.cpio"
if [ "$agent" = somnus ] && [ -x /usr/sbin/qemu-ga ]; then
    tree="$out/devices-tree"
    rm -rf "$tree"
    mkdir -p "$tree/etc"
    install_modules $base_modules virtio_net virtio_scsi sd_mod ahci nvme ext4 crc32c_generic
    add_qemu_ga "$tree/etc/agent-qemu-ga"
    reference_version=$(/usr/sbin/qemu-ga -V 2>&1 | head -1)
    cat > "$tree/etc/os-release" <<'OSRELEASE'
PRETTY_NAME="Somnus test guest (busybox)"
NAME='Somnus test guest'
ID=somnus-test
VERSION_ID="12"
VERSION="12 (\"emulated\")"
VARIANT=vmtests
VARIANT_ID=vmtests
OSRELEASE
    # For the acting scenario 9 (guest-set-user-password, the ssh key commands): a root account with
    # a home and a shadow entry, and a stand-in for shadow's chpasswd, which busybox-static lacks (both
    # agents run chpasswd, qemu-ga from its PATH, Somnus /usr/sbin/chpasswd): one "user:password" line
    # on stdin, -e when it is already crypted, else hashed with busybox mkpasswd (SHA-512); the user's
    # second field in /etc/shadow replaced. Exit 1 for an unknown user, as chpasswd.
    mkdir -p "$tree/root" "$tree/usr/sbin"
    chmod 700 "$tree/root"
    echo 'root:x:0:0:root:/root:/bin/sh' > "$tree/etc/passwd"
    echo 'root:x:0:' > "$tree/etc/group"
    echo 'root:*:20000:0:99999:7:::' > "$tree/etc/shadow"
    chmod 600 "$tree/etc/shadow"
    cat > "$tree/usr/sbin/chpasswd" <<'CHPASSWD'
#!/bin/sh
crypted=false
[ "$1" = -e ] && crypted=true
IFS= read -r line || exit 1
user=${line%%:*} password=${line#*:}
grep -q "^$user:" /etc/shadow || exit 1
$crypted || password=$(mkpasswd -m sha512 "$password") || exit 1
awk -F: -v OFS=: -v u="$user" -v p="$password" '$1 == u { $2 = p } { print }' /etc/shadow > /etc/shadow.new || exit 1
chmod 600 /etc/shadow.new && mv /etc/shadow.new /etc/shadow
CHPASSWD
    chmod 755 "$tree/usr/sbin/chpasswd"
    devices_zone="(none: the host has no tzdata)"
    if [ -f /usr/share/zoneinfo/Europe/Berlin ]; then
        mkdir -p "$tree/usr/share/zoneinfo/Europe"
        cp /usr/share/zoneinfo/Europe/Berlin "$tree/usr/share/zoneinfo/Europe/Berlin"
        devices_zone=Europe/Berlin
    fi
    (cd "$tree" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --quiet) > "$out/devices.cpio.tmp"
    cat "$out/initramfs.cpio" "$out/devices.cpio.tmp" > "$out/initramfs-devices.cpio.tmp"
    rm -f "$out/devices.cpio.tmp"
    mv "$out/initramfs-devices.cpio.tmp" "$out/initramfs-devices.cpio"
    rm -rf "$tree"
fi
{
    echo "agent=$agent"
    echo "agent.version=$agent_version"
    echo "kernel.package=$kernel_pkg"
    echo "busybox=$("$busybox" 2>&1 | head -1)"
    [ "$agent" = somnus ] && echo "runtime.modules=$(cat "$runtime.modules" 2>/dev/null || echo "(given with --runtime)")"
    if [ "$agent" = somnus ]; then
        echo "java.options=$java_opts"
        echo "cds.archive=${cds:-(none: not built as root)}"
        if [ -n "$cds" ]; then echo "bundle.cache=$bundle_cache"; else echo "bundle.cache=(none: not built as root)"; fi
        echo "reference.qemu-ga=${reference_version:-(none: no /usr/sbin/qemu-ga on the host)}"
        if [ -f "$out/initramfs-devices.cpio" ]; then
            echo "devices.initramfs=initramfs-devices.cpio"
            echo "devices.timezone=$devices_zone"
        fi
    fi
    echo "initramfs.bytes=$(stat -c %s "$out/initramfs.cpio")"
} > "$out/image.properties"
echo "$stamp" > "$out/.stamp"
echo "build-image: built $out ($agent, $kernel_pkg, $(( $(stat -c %s "$out/initramfs.cpio") / 1024 )) KiB initramfs)" >&2
