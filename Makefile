# SPDX-License-Identifier: GPL-2.0
#
# nvgre: NVGRE (RFC 7637) virtual subnets for Linux.
#
#   make                 module for KDIR and the nvgrectl tool
#   make check           host unit tests, then the selftests in qemu on
#                        every test kernel (installs what is missing)
#   make check-debug     the selftests on a debug kernel (KASAN, lockdep,
#                        kmemleak, UBSAN...) built from linux-source-6.1
#   make demo            two hypervisors and two tenants, played out in qemu
#   make bench           nvgre against veth, gretap and vxlan in one qemu boot
#   make install         module into /lib/modules/$(KVER)/extra, depmod, tool

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
DESTDIR ?=
MANDIR ?= $(PREFIX)/share/man

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
	@selftests/vm/install-deps.sh

check:
	@selftests/vm/check.sh

check-debug:
	@selftests/vm/check-debug.sh

demo:
	@selftests/vm/demo.sh

style:
	@selftests/vm/style.sh

bench:
	@selftests/vm/bench.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KVER)
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) MANDIR=$(MANDIR)

clean:
	$(MAKE) -C tools clean
	rm -rf build
	rm -f kmod/*.o kmod/.*.cmd *.o .*.cmd *.ko *.mod *.mod.c modules.order \
	      Module.symvers .*.d kmod/.*.d

.PHONY: all module module-clean tools unit deps check check-debug demo style \
	bench install clean
