#!/usr/bin/env bash
# Proves the README's promise on a minimal Debian 12 root: a fresh copy of this checkout passes `make test`
# with nothing installed but make, a second `make deps` there does nothing without network, and the .deb
# from `make package` installs on another fresh root and runs (used by .ci/run and `make check-fresh`).
#
# The pristine base (debootstrap --variant=minbase bookworm) is cached outside the clone as a tarball
# (RUNLENS_ROOT_CACHE, default /var/cache/runlens/bookworm-minbase.tar); every root is a new copy of it, so
# nothing installed by an earlier run survives. Needs root (chroot, mount, unshare).
#
#   fresh-root.sh [--no-package] [-- COMMAND...]   COMMAND defaults to `make test`
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
    echo "fresh-root: needs root (debootstrap, chroot and mount); run it with sudo" >&2
    exit 2
fi

source_dir=$(cd "$(dirname "$0")/.." && pwd)
cache=${RUNLENS_ROOT_CACHE:-/var/cache/runlens/bookworm-minbase.tar}
work_parent=${RUNLENS_ROOT_WORK:-/var/tmp}
check_package=1
while [ $# -gt 0 ]; do
    case "$1" in
    --no-package) check_package=0 ;;
    --) shift && break ;;
    *) echo "fresh-root: unknown option $1" >&2 && exit 2 ;;
    esac
    shift
done
[ $# -gt 0 ] || set -- make test

say() { echo "fresh-root: $*"; }

# The host's Debian mirror (a mirror or proxy the machine is set up for) serves the fresh roots too.
host_mirror() {
    local uri
    uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2> /dev/null |
        grep -v security | head -n 1 || true)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2> /dev/null || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
    if ! command -v debootstrap > /dev/null; then
        say "installing debootstrap on the host"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null
    fi
    local tmp
    tmp=$(mktemp -d "$work_parent/runlens-base.XXXXXX")
    say "debootstrap --variant=minbase bookworm from $(host_mirror) (cached as $cache)"
    if ! debootstrap --variant=minbase bookworm "$tmp" "$(host_mirror)" > "$tmp.log" 2>&1; then
        tail -n 20 "$tmp.log" >&2
        rm -rf --one-file-system "$tmp" "$tmp.log"
        echo "fresh-root: debootstrap failed (see above)" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$cache")"
    chmod 755 "$tmp"
    tar -C "$tmp" -cf "$cache.partial" .
    mv "$cache.partial" "$cache"
    rm -rf --one-file-system "$tmp" "$tmp.log"
}

roots=()
mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount -l "${mounts[$i]}" 2> /dev/null || true
    done
    for root in "${roots[@]}"; do
        rm -rf --one-file-system "$root"
    done
}
trap cleanup EXIT INT TERM

mount_into() { # mount_into ROOT TARGET mount-args...
    local target="$1/$2"
    shift 2
    mkdir -p "$target"
    mount "$@" "$target"
    mounts+=("$target")
}

# Unpacks a new root from the cache and makes it usable: kernel file systems, DNS, the host's mirror.
new_root() {
    local root
    root=$(mktemp -d "$work_parent/runlens-fresh.XXXXXX")
    roots+=("$root")
    tar -C "$root" -xf "$cache"
    # After unpacking (the archive's "." entry carries a mode): apt downloads as the _apt user, and tests
    # run steps as nobody, who must both reach into the root.
    chmod 755 "$root"
    mount_into "$root" proc -t proc proc
    mount_into "$root" dev --bind /dev
    mount_into "$root" dev/pts -t devpts -o newinstance,ptmxmode=0666 devpts
    mount_into "$root" sys -t sysfs sysfs 2> /dev/null || true
    cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2> /dev/null || true
    # Apt settings of the host that concern reaching its mirror (proxies, date checks), nothing else.
    local conf
    for conf in /etc/apt/apt.conf.d/*; do
        [ -f "$conf" ] && grep -qiE 'proxy|Check-Valid-Until|Check-Date' "$conf" && cp "$conf" "$root/etc/apt/apt.conf.d/"
    done
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$(host_mirror)" "$(host_mirror)" \
        > "$root/etc/apt/sources.list"
    echo "$root"
}

in_root() { # in_root ROOT COMMAND... (a clean environment, as a login on a new machine would have)
    local root="$1"
    shift
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive TERM="${TERM:-dumb}" "$@"
}

[ -s "$cache" ] || build_base

# 1. The checkout's files as they are now (uncommitted edits included, build folders and ignored files
#    not), beside ../shared as in the developers' layout so tests that read ../shared/data/real run.
root=$(new_root)
mkdir -p "$root/src/project"
git -C "$source_dir" ls-files -z --cached --others --exclude-standard |
    (cd "$source_dir" && tar --null --ignore-failed-read -T - -cf - 2> /dev/null) | tar -C "$root/src/project" -xf -
if [ -d "$source_dir/../shared" ]; then
    mount_into "$root" src/shared --bind "$source_dir/../shared"
    mount -o remount,bind,ro "$root/src/shared" 2> /dev/null || true
fi
say "a fresh Debian 12 root in $root: installing make, then running '$*' in /src/project"
in_root "$root" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends make > /dev/null'
in_root "$root" sh -c 'cd /src/project && exec "$@"' fresh-root "$@"

# 2. Everything is installed now: make deps must not touch apt, which it proves by working with no network.
say "a second 'make deps' with no network must do nothing"
unshare --net chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    sh -c 'cd /src/project && make -s deps' || {
    echo "fresh-root: a second 'make deps' failed without network (it should find everything installed)" >&2
    exit 1
}

[ "$check_package" = 1 ] || exit 0

# 3. The .deb declares what it needs: it installs with apt on a root that never saw the build.
say "make package, then install the .deb on another fresh root"
in_root "$root" sh -c 'cd /src/project && make -s package > /dev/null'
deb=$(ls "$root"/src/project/build/runlens_*.deb | head -n 1)
target=$(new_root)
cp "$deb" "$target/tmp/"
in_root "$target" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/runlens_*.deb > /dev/null'
in_root "$target" runlens --version
# A workspace file is associated by MIME: the type is registered and the desktop entry claims it.
in_root "$target" sh -c 'test -f /usr/share/mime/application/x-runlens-workspace.xml' || {
    echo "fresh-root: the .deb did not register the application/x-runlens-workspace MIME type" >&2
    exit 1
}
in_root "$target" sh -c 'grep -q "application/x-runlens-workspace=.*runlens.desktop" /usr/share/applications/mimeinfo.cache' || {
    echo "fresh-root: no desktop entry claims application/x-runlens-workspace after installing the .deb" >&2
    exit 1
}
in_root "$target" sh -c 'cd /tmp && printf "step,loss\n1,0.5\n2,0.25\n" > probe.csv &&
    runlens import probe.csv -w probe.runlens > /dev/null && runlens runs -w probe.runlens | grep -q loss' || {
    echo "fresh-root: the installed runlens could not create and read a workspace" >&2
    exit 1
}
say "the .deb installs and runs: $(basename "$deb")"
