#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# packaging.sh [--records FILE]: nvgre installed as a real out-of-tree
# module, on this host (root), one KTAP record per step:
#
#   1. the version is the same in the Makefile, dkms.conf, the module,
#      nvgrectl and debian/changelog
#   2. make install DESTDIR=... installs the expected files, make uninstall
#      removes every one of them
#   3. dkms: the make dkms-src tree is added, built and installed for every
#      test kernel (vermagic checked), then dkms remove --all
#   4. dpkg-buildpackage -us -uc -b in a copy (build/pkg/deb), the source
#      tree's git status unchanged; lintian: no error, no warning
#   5. the packages installed with dpkg: dkms built the module for every
#      test kernel (its postinst), the files are in place, systemd-analyze
#      verify accepts nvgre.service
#   6. every test kernel boots in qemu with the installed module (run.sh
#      --installed): selftests/packaging_guest.sh
#   7. the packages purged: no module, source, dkms tree or file left
#
# What is installed on the host is removed again whatever happens (EXIT
# trap): a module in /lib/modules/<kver>/updates would shadow the module
# under test of every later VM run (selftests/vm/lib.sh's module_index
# leaves it out of the index it makes, but the host's own index would name
# it).
# Refuses to start when nvgre is already installed with dkms or as a
# package: it would remove what it did not install.
#
# --records FILE appends the records to FILE (check.sh); without it a KTAP
# document is printed. Exit status: 0 all passed, 1 anything failed.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

records=''
if [[ "${1:-}" == --records ]]; then
	records=$2
fi
out=$BUILD_DIR/pkg
rec=$out/records
rm -rf "$out"
mkdir -p "$out"
: >"$rec"
R() { printf '%s\n' "$*" >>"$rec"; }
diag() { sed 's/^/# /' >>"$rec"; }
# step NAME CMD...: one record; the command's output is in $out/NAME.log
# and, when it fails, its tail in the report.
step() {
	local name=$1 logf
	shift
	logf=$out/$(tr -c 'a-zA-Z0-9\n' _ <<<"$name" | head -c 60).log
	log "# packaging: $name"
	if "$@" >"$logf" 2>&1; then
		R "ok packaging: $name"
		return 0
	fi
	tail -n 40 "$logf" | tee /dev/stderr | diag
	R "not ok packaging: $name"
	return 1
}

((EUID == 0)) || die "packaging.sh installs packages: run it as root"
# The Debian kernels installed on this host: dkms and the packages build
# for the kernels whose headers are in /usr/src, which the kernels from a
# directory (the trixie chroot's 7.2) are not, and which make check runs
# this beside while the chroot may still be in the making.
if [[ -n "${KERNELS:-}" ]]; then
	all=$(vm_kernels) || die "no test kernels"
else
	all=$(host_kernels) || die "no test kernels"
fi
kernels=()
for k in $all; do
	[[ "$k" == */* ]] || kernels+=("$k")
done
((${#kernels[@]})) || die "no test kernels installed on the host"
cd "$NVGRE_ROOT"
version=$(sed -n 's/^VERSION := //p' Makefile)
[[ -n "$version" ]] || die "no VERSION in the Makefile"

installed_here() {
	[[ -e /usr/src/nvgre-$version || -e /var/lib/dkms/nvgre ]] ||
		dpkg-query -W -f='${db:Status-Status}\n' nvgre-dkms nvgre-tools \
			2>/dev/null | grep -qv '^not-installed$'
}
installed_here &&
	die "nvgre is installed already (dkms or nvgre-dkms/nvgre-tools): not touching it"

# Everything this script may have installed, gone: the packages, what
# dkms add copied to /usr/src, the dkms tree.
cleanup() {
	local k
	dpkg --purge nvgre-tools nvgre-dkms >>"$out/cleanup.log" 2>&1 || true
	if [[ -d /var/lib/dkms/nvgre ]]; then
		dkms remove "nvgre/$version" --all >>"$out/cleanup.log" 2>&1 || true
	fi
	rm -rf "/usr/src/nvgre-$version" /var/lib/dkms/nvgre
	for k in "${kernels[@]}"; do
		if compgen -G "/lib/modules/$k/updates/dkms/nvgre.ko*" >/dev/null; then
			rm -f "/lib/modules/$k/updates/dkms/"nvgre.ko*
			depmod -a "$k" || true
		fi
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. one version -------------------------------------------------------
versions() {
	local v f=0
	for v in \
		"dkms.conf $(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)" \
		"kmod/main.c $(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' kmod/main.c)" \
		"tools/nvgrectl.h $(sed -n 's/^#define NVGRECTL_VERSION[[:space:]]*"\(.*\)"$/\1/p' tools/nvgrectl.h)" \
		"debian/changelog $(dpkg-parsechangelog -l debian/changelog -SVersion)"; do
		echo "$v"
		[[ ${v#* } == "$version" ]] || f=1
	done
	((f == 0)) || { echo "Makefile VERSION is $version"; return 1; }
}
step "version $version everywhere" versions || true

# ---- 2. make install / uninstall --------------------------------------------
# In a copy of the tree: the module's build must not touch the source tree.
copy_tree() {
	mkdir -p "$1"
	git ls-files -z -co --exclude-standard | grep -zv '^build/' |
		xargs -0 cp -a --parents -t "$1"
}

install_files=(
	"lib/modules/${kernels[0]}/extra/nvgre.ko"
	usr/sbin/nvgrectl
	usr/share/man/man8/nvgrectl.8
	usr/sbin/nvgre-agent
	usr/share/man/man8/nvgre-agent.8
	usr/share/bash-completion/completions/nvgrectl
	usr/share/bash-completion/completions/nvgre-agent
	lib/systemd/system/nvgre.service
	lib/systemd/system/nvgre-agent.service
	usr/lib/modules-load.d/nvgre.conf
	lib/modprobe.d/nvgre.conf
)
make_install() {
	local tree=$out/tree dest=$out/destdir f got want
	copy_tree "$tree"
	make -C "$tree" -j"$(nproc)" install KVER="${kernels[0]}" DESTDIR="$dest" || return 1
	# modules_install compresses where the kernel says so.
	got=$(cd "$dest" && find . -type f | sed 's|^\./||; s|\.ko\.[a-z]*$|.ko|' | sort)
	want=$(printf '%s\n' "${install_files[@]}" | sort)
	echo "installed:"
	echo "$got"
	[[ "$got" == "$want" ]] || { echo "expected:"; echo "$want"; return 1; }
	grep -q '^ExecStart=.*/usr/sbin/nvgrectl restore /etc/nvgre/nvgre.conf' \
		"$dest/lib/systemd/system/nvgre.service" || return 1
	make -C "$tree" uninstall KVER="${kernels[0]}" DESTDIR="$dest" || return 1
	got=$(cd "$dest" && find . ! -type d)
	[[ -z "$got" ]] || { echo "left after make uninstall:"; echo "$got"; return 1; }
	# PREFIX moves the tool and the unit's path to it.
	make -C "$tree" dist-install SBINDIR=/usr/local/sbin DESTDIR="$dest/p" || return 1
	grep -q '^ExecStart=.*/usr/local/sbin/nvgrectl restore' \
		"$dest/p/lib/systemd/system/nvgre.service"
}
step "make install DESTDIR=..., make uninstall removes it all" make_install || true

# ---- 3. dkms, from make dkms-src ------------------------------------------
dkms_cycle() {
	local stage=$out/dkms-src k v left
	make dkms-src DESTDIR="$stage" || return 1
	dkms add "$stage/usr/src/nvgre-$version" || return 1
	for k in "${kernels[@]}"; do
		dkms install "nvgre/$version" -k "$k" || return 1
		v=$(modinfo -F vermagic "/lib/modules/$k/updates/dkms/nvgre.ko"*) || return 1
		echo "$k: vermagic $v"
		[[ $v == "$k "* ]] || { echo "$k: wrong vermagic"; return 1; }
	done
	dkms remove "nvgre/$version" --all || return 1
	left=$(find /lib/modules/*/updates -name 'nvgre.ko*' 2>/dev/null)
	[[ -z "$left" && ! -e /var/lib/dkms/nvgre ]] ||
		{ echo "left after dkms remove --all: $left"; return 1; }
	rm -rf "/usr/src/nvgre-$version"	# dkms add copied it there
}
step "dkms add, install for ${kernels[*]}, remove --all" dkms_cycle || true
cleanup

# ---- 4. the Debian packages ---------------------------------------------------
debs=()
# Nothing of the source tree (but build/) is written while the packages
# build: git status stays as it was.
build_debs() {
	local tree=$out/deb/nvgre-$version changed
	: >"$out/deb.stamp"
	copy_tree "$tree"
	(cd "$tree" && dpkg-buildpackage -us -uc -b) || return 1
	changed=$(find . -path ./build -prune -o -path ./.git -prune -o \
		-newer "$out/deb.stamp" -print)
	[[ -z "$changed" ]] ||
		{ echo "written in the source tree:"; echo "$changed"; return 1; }
}
lintian_clean() {
	local rc=0
	lintian --fail-on error,warning "$out"/deb/nvgre_"$version"_*.changes || rc=$?
	((rc == 0))
}
if step "dpkg-buildpackage -us -uc -b, source tree untouched" build_debs; then
	debs=("$out"/deb/nvgre-dkms_"$version"_all.deb "$out"/deb/nvgre-tools_"$version"_*.deb)
	step "lintian: no error or warning" lintian_clean || true
fi

# ---- 5. installed -----------------------------------------------------------
pkg_installed() {
	local k st f
	dpkg -i "${debs[@]}" || return 1
	for k in "${kernels[@]}"; do
		st=$(dkms status "nvgre/$version" -k "$k")
		echo "$st"
		[[ $st == *": installed"* ]] || { echo "$k: not installed by dkms"; return 1; }
		modinfo -F vermagic "/lib/modules/$k/updates/dkms/nvgre.ko"* |
			grep -q "^$k " || return 1
	done
	for f in /usr/sbin/nvgrectl /usr/share/man/man8/nvgrectl.8.gz \
		/usr/share/bash-completion/completions/nvgrectl \
		/lib/systemd/system/nvgre.service \
		/usr/lib/modules-load.d/nvgre.conf /lib/modprobe.d/nvgre.conf \
		"/usr/src/nvgre-$version/dkms.conf"; do
		[[ -f $f ]] || { echo "$f missing"; return 1; }
	done
}
unit_verify() {
	local o
	# --man=no: the unit's Documentation= is checked by man, not here.
	o=$(systemd-analyze verify --man=no /lib/systemd/system/nvgre.service 2>&1) ||
		{ echo "$o"; return 1; }
	[[ -z "$o" ]] || { echo "$o"; return 1; }
}
booted=()
if ((${#debs[@]})) &&
	step "dpkg -i: dkms built nvgre for ${kernels[*]}, files in place" pkg_installed; then
	step "systemd-analyze verify nvgre.service" unit_verify || true
	# ---- 6. the VM with the installed module ---------------------------
	for k in "${kernels[@]}"; do
		before=$(wc -l <"$rec")
		rrc=0
		"$VM_DIR/run.sh" --installed --records "$rec" "$k" \
			packaging_guest.sh || rrc=$?
		if ((rrc)) && (($(wc -l <"$rec") == before)); then
			R "not ok packaging: $k: run.sh --installed failed (exit $rrc) before any result"
		fi
		booted+=("$k")
	done
fi
for k in "${kernels[@]}"; do
	[[ " ${booted[*]} " == *" $k "* ]] ||
		R "not ok packaging: $k: not booted with the packages: they did not build or install"
done

# ---- 7. purged ----------------------------------------------------------------
purged() {
	local left
	dpkg --purge nvgre-tools nvgre-dkms || return 1
	left=$(find /lib/modules/*/updates /usr/src /var/lib/dkms /usr/sbin \
		/lib/systemd/system /usr/lib/modules-load.d /lib/modprobe.d \
		/usr/share/bash-completion/completions \
		\( -name 'nvgre*' -o -name nvgrectl \) 2>/dev/null)
	[[ -z "$left" ]] || { echo "left after purge:"; echo "$left"; return 1; }
}
if ((${#debs[@]})); then
	step "dpkg --purge leaves no module, source or file" purged || true
fi

if [[ -n "$records" ]]; then
	cat "$rec" >>"$records"
	if grep -q '^not ok' "$rec"; then
		exit 1
	fi
else
	ktap_print "$rec"
fi
