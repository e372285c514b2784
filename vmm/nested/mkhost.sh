#!/bin/sh
# mkhost.sh fetch OUT: fetch Debian's kernel for the nested host into OUT.
# mkhost.sh pack OUT INIT: pack OUT/initramfs.cpio with INIT as /init.
#
# The nested host is Debian's own kernel (the package linux-image-amd64
# depends on), fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` here, never installed, plus an initramfs holding INIT (our
# static PID 1, vmm/nested/init.c) and the kernel modules it loads.
# Nothing comes from anywhere but Debian's package registry.
#
# fetch writes:
#   OUT/vmlinuz          the kernel
#   OUT/modules/*.ko     the modules the nested host loads
#   OUT/modules.order    their load order, dependencies first
#   OUT/kernel-version   one line: "<package> <version> <uname -r>"
# pack writes:
#   OUT/initramfs.cpio   /init, /modules (the load order), /lib/modules/
#
# Override the package with NESTED_KERNEL_PKG=linux-image-6.1.0-NN-amd64.
set -eu

mode=$1
out=$2
# Load order: virtio transport and console, the 9p file system, then KVM.
# Each module's own dependencies (its .modinfo "depends=") come first.
want="virtio_pci virtio_console 9pnet_virtio 9p kvm_amd"

log() { echo "nested: $*"; }
die() { echo "nested: $*" >&2; exit 1; }

apt_quiet() { DEBIAN_FRONTEND=noninteractive apt-get -qq -o APT::Sandbox::User=root "$@"; }

# The versioned kernel package that linux-image-amd64 depends on.
kernel_package() {
	if [ -n "${NESTED_KERNEL_PKG:-}" ]; then
		echo "$NESTED_KERNEL_PKG"
		return
	fi
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1
}

fetch() {
	# Whatever was here is incomplete until kernel-version is back.
	rm -f "$out/kernel-version"
	pkg=$(kernel_package)
	if [ -z "$pkg" ]; then
		log "no package list for linux-image-amd64 yet: apt-get update"
		apt_quiet update || die "apt-get update failed"
		pkg=$(kernel_package)
	fi
	[ -n "$pkg" ] || die "cannot tell which kernel package linux-image-amd64 depends on"

	work="$out/tmp"
	rm -rf "$work"
	mkdir -p "$work/deb" "$work/root"
	log "fetching $pkg from Debian (apt-get download)"
	(cd "$work/deb" && apt_quiet download "$pkg") || die "apt-get download $pkg failed"
	deb=$(ls "$work"/deb/*.deb)
	version=$(dpkg-deb -f "$deb" Version)
	dpkg-deb -x "$deb" "$work/x"
	kver=$(ls "$work/x/lib/modules")
	[ -n "$kver" ] && [ -f "$work/x/boot/vmlinuz-$kver" ] || die "$deb: no vmlinuz-$kver"
	moddir="$work/x/lib/modules/$kver/kernel"

	# Module name -> file: a module's name is its file name with '-' as '_'.
	find "$moddir" -name '*.ko' | while read -r f; do
		b=$(basename "$f" .ko)
		echo "$(echo "$b" | tr - _) $f"
	done > "$work/index"

	modpath() { awk -v n="$1" '$1 == n { print $2; exit }' "$work/index"; }
	moddeps() {
		objcopy -O binary --only-section=.modinfo "$1" /dev/stdout |
			tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
	}

	# Depth-first: dependencies before dependants, each module once.
	: > "$work/order"
	add() {
		grep -qx "$1" "$work/order" && return 0
		f=$(modpath "$1")
		[ -n "$f" ] || die "$pkg has no module $1"
		for d in $(moddeps "$f"); do
			add "$d"
		done
		echo "$1" >> "$work/order"
	}
	for m in $want; do
		add "$m"
	done

	mkdir -p "$work/modules"
	while read -r m; do
		cp "$(modpath "$m")" "$work/modules/$m.ko"
	done < "$work/order"
	cp "$work/order" "$work/modules.order"
	cp "$work/x/boot/vmlinuz-$kver" "$work/vmlinuz"
	echo "$pkg $version $kver" > "$work/kernel-version"
	rm -rf "$out/modules"
	mv "$work/vmlinuz" "$work/modules" "$work/modules.order" "$out/"
	# kernel-version last: its presence says the fetch is whole.
	mv "$work/kernel-version" "$out/"
	rm -rf "$work"
	log "fetched $pkg $version ($kver); modules: $(tr '\n' ' ' < "$out/modules.order")"
}

pack() {
	init=$1
	root="$out/initramfs.root"
	rm -rf "$root"
	mkdir -p "$root/lib/modules" "$root/dev" "$root/proc" "$root/sys" \
		"$root/host"
	: > "$root/modules"
	while read -r m; do
		cp "$out/modules/$m.ko" "$root/lib/modules/"
		echo "/lib/modules/$m.ko" >> "$root/modules"
	done < "$out/modules.order"
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) \
		> "$out/initramfs.cpio.tmp"
	mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
	rm -rf "$root"
}

case $mode in
fetch)	mkdir -p "$out"; fetch ;;
pack)	pack "$3" ;;
*)	die "usage: mkhost.sh fetch OUT | mkhost.sh pack OUT INIT" ;;
esac
