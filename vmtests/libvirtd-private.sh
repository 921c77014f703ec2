#!/bin/bash
# Runs Debian's libvirtd 9 by hand (no systemd) for the tests, without changing the host's
# configuration: in a private mount namespace, /etc/libvirt, /run/libvirt, /var/{lib,log,cache}/libvirt,
# /etc/passwd and /etc/group are bind-mounted from ROOT, which holds the vm-recipe's fixes
# (a libvirt-qemu user and group; qemu.conf with user root, no dynamic ownership, no security driver,
# no cgroups, no namespaces, file stdio handler). The process ends up as libvirtd itself (exec all the
# way), so killing the pid this script was started as stops the daemon.
#
#   libvirtd-private.sh ROOT
#       clients connect with   virsh -c 'qemu:///system?socket=ROOT/run/libvirt-sock'
#
# Needs root (mount namespaces, QEMU as root). Exit 3: a prerequisite is missing (the message says which).
set -euo pipefail

if [ "${1:-}" = --inner ]; then
    root=$2
    mount --bind "$root/etc" /etc/libvirt
    mount --bind "$root/run" /run/libvirt
    mount --bind "$root/lib" /var/lib/libvirt
    mount --bind "$root/log" /var/log/libvirt
    mount --bind "$root/cache" /var/cache/libvirt
    mount --bind "$root/passwd" /etc/passwd
    mount --bind "$root/group" /etc/group
    exec libvirtd
fi

root=${1:?usage: libvirtd-private.sh ROOT}
missing() { echo "libvirtd-private: cannot start libvirtd: $*" >&2; exit 3; }
[ "$(id -u)" = 0 ] || missing "needs root (mount namespace, QEMU run as root)"
command -v libvirtd >/dev/null || missing "libvirtd is not installed (Debian package libvirt-daemon, --no-install-recommends)"
command -v virsh >/dev/null || missing "virsh is not installed (Debian package libvirt-clients)"
command -v unshare >/dev/null || missing "unshare is not installed (Debian package util-linux)"
unshare --mount --propagation private true 2>/dev/null \
    || missing "cannot create a private mount namespace here (a container without CAP_SYS_ADMIN?)"

mkdir -p "$root"/{etc,run,lib,log,cache}
root=$(cd "$root" && pwd)
[ -d /etc/libvirt ] && cp -a /etc/libvirt/. "$root/etc/"
cat > "$root/etc/qemu.conf" <<'EOF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
EOF
cp /etc/passwd "$root/passwd"
cp /etc/group "$root/group"
grep -q '^libvirt-qemu:' "$root/passwd" || echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >> "$root/passwd"
grep -q '^libvirt-qemu:' "$root/group" || echo 'libvirt-qemu:x:64055:' >> "$root/group"
grep -q '^kvm:' "$root/group" || echo 'kvm:x:64056:' >> "$root/group"
# Mount points only: empty folders, the ones the package's own scripts would create.
mkdir -p /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt

exec unshare --mount --propagation private "$0" --inner "$root"
