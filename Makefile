# SPDX-License-Identifier: GPL-2.0
#
# nvgre: NVGRE (RFC 7637) virtual subnets for Linux.
#
#   make                 module for KDIR and the nvgrectl tool
#   make check           host unit tests, then the selftests in qemu on
#                        every test kernel (installs what is missing)
#   make check-debug     the selftests on a debug kernel (KASAN, lockdep,
#                        kmemleak, UBSAN...) built from linux-source-6.1
#   make demo            two hypervisors and two tenants, then a fleet on etcd, in qemu
#   make bench           nvgre against veth, gretap and vxlan in one qemu boot
#   make install         module into /lib/modules/$(KVER)/extra, depmod, the
#                        tool, its man page and bash completion, nvgre.service,
#                        the modules-load.d and modprobe.d snippets
#   make uninstall       removes what make install put there, depmod
#   make dkms-src        the module's sources and dkms.conf into
#                        $(DESTDIR)/usr/src/nvgre-$(VERSION) (dkms add)
#
# DESTDIR and PREFIX are honoured; with DESTDIR set, depmod is left to the
# packager (the kernel's own modules are not in DESTDIR).

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
DESTDIR ?=
MANDIR ?= $(PREFIX)/share/man
SBINDIR ?= $(PREFIX)/sbin
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# systemd's and kmod's own directories, not under PREFIX: they look only
# there.
UNITDIR ?= /lib/systemd/system
MODULESLOADDIR ?= /usr/lib/modules-load.d
MODPROBEDIR ?= /lib/modprobe.d
INSTALL ?= install
# The one version of the module, the tool, dkms.conf and debian/changelog
# (scripts/packaging.sh checks that they agree).
VERSION := 0.1
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/extra
DKMS_SRC = $(DESTDIR)/usr/src/nvgre-$(VERSION)

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

module-clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

tools:
	$(MAKE) -C tools

unit:
	$(MAKE) -C tools test

deps:
	@scripts/install-deps.sh

check:
	@scripts/check.sh

check-debug:
	@scripts/check-debug.sh

demo:
	@scripts/demo.sh

style:
	@scripts/style.sh

bench:
	@scripts/bench.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	$(MAKE) dist-install

# Everything but the module and the tool; also what debian/rules installs
# into nvgre-tools.
dist-install:
	$(INSTALL) -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(MODULESLOADDIR) $(DESTDIR)$(MODPROBEDIR)
	$(INSTALL) -m 0644 tools/completion/nvgrectl \
		$(DESTDIR)$(BASHCOMPDIR)/nvgrectl
	$(INSTALL) -m 0644 tools/completion/nvgre-agent \
		$(DESTDIR)$(BASHCOMPDIR)/nvgre-agent
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/systemd/nvgre.service.in \
		>$(DESTDIR)$(UNITDIR)/nvgre.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/nvgre.service
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/systemd/nvgre-agent.service.in \
		>$(DESTDIR)$(UNITDIR)/nvgre-agent.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/nvgre-agent.service
	$(INSTALL) -m 0644 dist/modules-load.d/nvgre.conf \
		$(DESTDIR)$(MODULESLOADDIR)/nvgre.conf
	$(INSTALL) -m 0644 dist/modprobe.d/nvgre.conf \
		$(DESTDIR)$(MODPROBEDIR)/nvgre.conf

# modules_install compresses the module when the kernel's
# CONFIG_MODULE_COMPRESS says so.
uninstall:
	rm -f $(MODDIR)/nvgre.ko $(MODDIR)/nvgre.ko.xz $(MODDIR)/nvgre.ko.zst \
		$(MODDIR)/nvgre.ko.gz
	$(if $(DESTDIR),,depmod -a $(KVER))
	rm -f $(DESTDIR)$(SBINDIR)/nvgrectl $(DESTDIR)$(MANDIR)/man8/nvgrectl.8 \
		$(DESTDIR)$(SBINDIR)/nvgre-agent \
		$(DESTDIR)$(MANDIR)/man8/nvgre-agent.8 \
		$(DESTDIR)$(BASHCOMPDIR)/nvgrectl \
		$(DESTDIR)$(BASHCOMPDIR)/nvgre-agent \
		$(DESTDIR)$(UNITDIR)/nvgre.service \
		$(DESTDIR)$(UNITDIR)/nvgre-agent.service \
		$(DESTDIR)$(MODULESLOADDIR)/nvgre.conf \
		$(DESTDIR)$(MODPROBEDIR)/nvgre.conf

# The dkms source tree: what Kbuild needs, and dkms.conf.
dkms-src:
	$(INSTALL) -d $(DKMS_SRC)/kmod $(DKMS_SRC)/include/uapi/linux
	$(INSTALL) -m 0644 Kbuild dkms.conf $(DKMS_SRC)/
	$(INSTALL) -m 0644 kmod/*.c kmod/*.h $(DKMS_SRC)/kmod/
	$(INSTALL) -m 0755 kmod/compat-probe.sh $(DKMS_SRC)/kmod/
	$(INSTALL) -m 0644 include/uapi/linux/nvgre.h \
		$(DKMS_SRC)/include/uapi/linux/

clean:
	$(MAKE) -C tools clean
	rm -rf build
	rm -f kmod/*.o kmod/.*.cmd *.o .*.cmd *.ko *.mod *.mod.c modules.order \
	      Module.symvers .*.d kmod/.*.d

.PHONY: all module module-clean tools unit deps check check-debug demo style \
	bench install dist-install uninstall dkms-src clean
