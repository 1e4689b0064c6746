# SPDX-License-Identifier: GPL-2.0-only
#
# zec: build the module, the library and the tool; run the tests and the demo.
#
#   make            build kmod/zec.ko, libzec/libzec.so and tools/zecctl/zecctl
#   make deps       install the Debian 12 packages needed (as root)
#   make install    the module, libzec and zecctl (DESTDIR=, PREFIX= default
#                   /usr/local; make uninstall removes them again)
#   make dkms-install  the module through DKMS (make dkms-uninstall)
#   make deb        the Debian packages zec-dkms, libzec1, libzec-dev, zecctl
#   make test       host unit tests (and scripts/fresh-machine.sh --quick,
#                   scripts/harness-check.sh) + selftests in QEMU guests,
#                   on the generic and the PREEMPT_RT kernel
#   make test-debug the selftests on a KASAN/lockdep/kmemleak kernel built
#                   from linux-source-6.1 (slow, not in test)
#   make test-cloud the selftests on the cloud kernel (not in test)
#                   (both take TESTS="selftests/zec/a.sh ..." for a subset)
#   make demo       boot the guest and show zec steering traffic per NUMA node
#   make bench      zec against bonding, team and the bare port (not in test)
#   make style      checkpatch --strict over the module and uapi header
#   make check      sparse (C=1 W=1) over the module
#
# KDIR selects the kernel tree to build against. By default it is the running
# kernel's, or, when the running kernel has no headers (as on the development
# machines), the newest installed Debian 6.1 generic (-amd64) headers.

# test, demo and the others that install the packages first re-enter make
# afterwards; the parent, parsed before the headers existed, exports an
# empty KDIR, which therefore means "look again", not "set by the user"
# (scripts/fresh-machine.sh --quick checks both).
ifeq ($(strip $(KDIR)),)
generic_kdirs = $(filter-out %-rt-amd64/build %-cloud-amd64/build, \
		  $(sort $(wildcard /lib/modules/6.1.*-amd64/build)))
KDIR = $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		   $(lastword $(generic_kdirs)))
endif

export KDIR

# The other kernels the selftests run on: Debian's PREEMPT_RT and cloud
# flavours, and the debug kernel scripts/debug-kernel.sh builds (its tree is
# cached outside the repository). Each flavour's zec.ko is built in
# build/kmod-<flavour>/, a directory of links to kmod/'s sources, so that the
# flavours do not overwrite each other's objects.
flavour_kdir = $(lastword $(sort $(wildcard /lib/modules/6.1.*-$(1)-amd64/build)))
module-rt: FLAVOUR_KDIR = $(call flavour_kdir,rt)
module-cloud: FLAVOUR_KDIR = $(call flavour_kdir,cloud)
module-debug: FLAVOUR_KDIR = $(shell scripts/debug-kernel.sh)/build
kmod_sources := $(filter-out %.mod.c,$(wildcard $(CURDIR)/kmod/*.[ch]))

.PHONY: all module lib tools selftests deps test test-host test-harness test-vm demo bench style check clean
.PHONY: install uninstall install-module uninstall-module install-lib uninstall-lib
.PHONY: install-tools uninstall-tools dkms-source dkms-install dkms-uninstall deb
.PHONY: module-rt module-cloud module-debug test-vm-rt test-debug test-cloud
.PHONY: install-guest install-guest-rt

all: module lib tools selftests

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

module-rt module-cloud module-debug: module-%:
	mkdir -p build/kmod-$*
	find build/kmod-$* -xtype l -delete
	ln -sf $(CURDIR)/kmod/Kbuild $(kmod_sources) build/kmod-$*/
	kdir='$(FLAVOUR_KDIR)'; test -d "$$kdir" || \
		{ echo "no $* kernel tree: run 'make deps'" >&2; exit 1; }; \
	$(MAKE) -C "$$kdir" M=$(CURDIR)/build/kmod-$* zec_root=$(CURDIR) modules

lib:
	$(MAKE) -C libzec

tools: lib
	$(MAKE) -C tools/zecctl

# helpers the in-guest selftests run
selftests: lib
	$(MAKE) -C selftests

deps:
	scripts/deps.sh

# make install / make uninstall [DESTDIR=...] [PREFIX=/usr/local] [KDIR=...]:
# the module, by kbuild's modules_install, into
# $(DESTDIR)/lib/modules/KVER/$(INSTALL_MOD_DIR) for the kernel KDIR
# belongs to, then depmod; the library (LIBDIR: $(PREFIX)/lib) and zecctl
# (SBINDIR: $(PREFIX)/sbin) from their own Makefiles' lists of files
# (scripts/install.mk), which uninstall removes again. install-module,
# install-lib and install-tools (and uninstall-*) do one part each. kbuild
# signs the module only when KDIR has the key (a kernel built here:
# Debian's headers have none, and sign-file would fail noisily).
INSTALL_MOD_DIR ?= extra
kver_of = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(1)/include/generated/utsrelease.h 2> /dev/null)
kver = $(call kver_of,$(KDIR))
destdir = $(abspath $(DESTDIR))
modlib = $(destdir)/lib/modules/$(kver)

# depmod where the module went: the running system, or a DESTDIR that is
# a root with that kernel's modules (an image, a chroot: depmod -b). A
# staging DESTDIR without them has no index to update: the target's own
# depmod (or its package's) does it there.
define zec_depmod
	@if [ -z "$(destdir)" ]; then \
		echo "depmod $(kver)"; depmod $(kver); \
	elif [ -e "$(modlib)/modules.builtin" ]; then \
		echo "depmod -b $(destdir) $(kver)"; depmod -b "$(destdir)" $(kver); \
	else \
		echo "note: depmod skipped: $(modlib) has no modules.builtin (not a root with kernel $(kver)); run depmod $(kver) on the target"; \
	fi
endef

install: install-module install-lib install-tools

uninstall: uninstall-module uninstall-lib uninstall-tools

install-lib uninstall-lib: %-lib:
	$(MAKE) -C libzec $* DESTDIR=$(destdir)

install-tools uninstall-tools: %-tools:
	$(MAKE) -C tools/zecctl $* DESTDIR=$(destdir)

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules_install \
		INSTALL_MOD_PATH=$(destdir) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		DEPMOD=true $(if $(wildcard $(KDIR)/certs/signing_key.x509),,\
		CONFIG_MODULE_SIG_ALL=)
	$(zec_depmod)

uninstall-module:
	@test -n "$(kver)" || { echo "no kernel release in KDIR=$(KDIR)" >&2; exit 1; }
	rm -f $(modlib)/$(INSTALL_MOD_DIR)/zec.ko
	$(zec_depmod)

# make dkms-install: the module's source into $(DKMS_SOURCETREE)/zec-VERSION
# (VERSION: ZEC_VERSION in kmod/version.h), then dkms add, build and
# install for the kernel KDIR belongs to; DKMS rebuilds it for every
# kernel installed later. make dkms-uninstall: dkms remove (every kernel)
# and the source. DKMS= adds options (--dkmstree, --no-depmod...).
DKMS ?= dkms
DKMS_SOURCETREE ?= /usr/src
dkms = $(DKMS) --sourcetree $(DKMS_SOURCETREE)
zec_version := $(shell sed -n 's/^\#define ZEC_VERSION "\(.*\)"$$/\1/p' kmod/version.h)
dkms_src = $(DKMS_SOURCETREE)/zec-$(zec_version)

# the tree DKMS builds from, but its dkms.conf (debian/rules: dh_dkms)
dkms-source:
	mkdir -p $(dkms_src)/kmod $(dkms_src)/include/uapi/linux
	cp kmod/Kbuild $(kmod_sources) $(dkms_src)/kmod/
	cp include/uapi/linux/zec.h $(dkms_src)/include/uapi/linux/

dkms-install: dkms-uninstall
	@test -n "$(kver)" || { echo "no kernel release in KDIR=$(KDIR)" >&2; exit 1; }
	$(MAKE) --no-print-directory dkms-source
	sed 's/#MODULE_VERSION#/$(zec_version)/' dkms.conf > $(dkms_src)/dkms.conf
	$(dkms) add zec/$(zec_version)
	$(dkms) build zec/$(zec_version) -k $(kver)
	$(dkms) install zec/$(zec_version) -k $(kver)

dkms-uninstall:
	@command -v $(firstword $(DKMS)) > /dev/null || \
		{ echo "no dkms: apt-get install dkms (scripts/deps.sh --dkms)" >&2; exit 1; }
	! $(dkms) status zec/$(zec_version) | grep -q . || \
		$(dkms) remove zec/$(zec_version) --all
	rm -rf $(dkms_src)

# test and demo install what is missing first, then re-enter make so that
# KDIR is computed again once the kernel headers exist. -k: the VM tests
# still run when the host tests fail to build; the summary counts both, and
# a build or harness failure fails the target even if every TAP line passed.
# A skipped test fails it too, unless ZEC_ALLOW_SKIP=1 (tap-summary.sh).
test: deps
	rm -rf build/tap
	$(MAKE) -k test-host test-harness test-vm test-vm-rt; status=$$?; \
		scripts/tap-summary.sh build/tap vm.tap vm-rt.tap && exit $$status

# scripts/install-check.sh: make install and uninstall into a DESTDIR (its
# make install builds the module; a failed build is its first failure).
test-host: lib tools
	@mkdir -p build/tap
	$(MAKE) --no-print-directory -C libzec test > build/tap/host.tap \
		2> build/tap/host.log || tail -n 20 build/tap/host.log
	@cat build/tap/host.tap
	scripts/fresh-machine.sh --quick > build/tap/fresh.tap; \
		status=$$?; cat build/tap/fresh.tap; \
	scripts/install-check.sh > build/tap/install.tap || status=1; \
		cat build/tap/install.tap; exit $$status

# run.sh against a stand-in QEMU: a guest that times out, crashes or dies
# after its last result fails (scripts/harness-check.sh, seconds).
test-harness: module
	@mkdir -p build/tap
	scripts/harness-check.sh > build/tap/harness.tap; \
		status=$$?; cat build/tap/harness.tap; exit $$status

# build/install-guest: what selftests/zec/install.sh loads, runs and builds
# against in the guest, which cannot write the checkout: make install into
# a root that has the kernel's lists of modules (modules.builtin...), so
# that make install's depmod -b indexes it as on a target system;
# install-guest-rt adds the PREEMPT_RT kernel's zec.ko (build/kmod-rt) by
# the same kbuild modules_install.
guest_root := $(CURDIR)/build/install-guest
# guest_kernel KVER: the lists depmod -b needs for KVER in guest_root
define guest_kernel
	mkdir -p $(guest_root)/lib/modules/$(1)
	cp $(addprefix /lib/modules/$(1)/,modules.order modules.builtin \
		modules.builtin.modinfo) $(guest_root)/lib/modules/$(1)/
endef

install-guest: module lib tools
	rm -rf $(guest_root)
	$(call guest_kernel,$(kver))
	$(MAKE) --no-print-directory install DESTDIR=$(guest_root)

install-guest-rt: FLAVOUR_KDIR = $(call flavour_kdir,rt)
install-guest-rt: install-guest module-rt
	$(call guest_kernel,$(call kver_of,$(FLAVOUR_KDIR)))
	$(MAKE) -C $(FLAVOUR_KDIR) M=$(CURDIR)/build/kmod-rt zec_root=$(CURDIR) \
		modules_install INSTALL_MOD_PATH=$(guest_root) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) DEPMOD=true CONFIG_MODULE_SIG_ALL=
	depmod -b $(guest_root) $(call kver_of,$(FLAVOUR_KDIR))

test-vm: all install-guest
	@mkdir -p build/tap
	selftests/vm/run.sh --tap build/tap/vm.tap

test-vm-rt: all module-rt install-guest-rt
	@mkdir -p build/tap
	selftests/vm/run.sh --kernel-flavour rt --tap build/tap/vm-rt.tap

# flavour_suite FLAVOUR, RUN.SH ARGS: the selftests on one more kernel, into
# build/tap-FLAVOUR/vm-FLAVOUR.tap, ending with make test's summary line.
# Unlike make test, these allow a test to skip (ZEC_ALLOW_SKIP=0 does not).
define flavour_suite
	rm -rf build/tap-$(1)
	mkdir -p build/tap-$(1)
	selftests/vm/run.sh --kernel-flavour $(1) $(2) \
		--tap build/tap-$(1)/vm-$(1).tap $(TESTS); status=$$?; \
		ZEC_ALLOW_SKIP=$${ZEC_ALLOW_SKIP:-1} \
		scripts/tap-summary.sh build/tap-$(1) vm-$(1).tap && exit $$status
endef

# The debug kernel: built once into ${ZEC_CACHE:-/var/tmp/zec-cache}
# (scripts/debug-kernel.sh, 51 min on two shared cores), then the whole
# suite on it. It runs several times slower under TCG, so every timeout is
# scaled. panic_on_warn and kasan.fault=panic stop the guest at the first
# WARN or KASAN report, with its stack trace on the console; lockdep and
# the rest are caught by the splat scan, leaks by the kmemleak scan at the
# end of each boot. It carries 3 to 5 Mbit/s where generic carries far
# more, so rate.sh's 10 Mbit/s testbed is slowed to DEBUG_RATE_SPEED.
# acpi=noirq: evaluating the pxb-pcie buses' _PRT tables for legacy IRQ
# routing ran into ACPICA's 30 s loop timeout four times a boot (2 of its
# 3 minutes); every device here uses MSI-X. Built in, bonding and dummy
# would make bond0 and dummy0 at boot, which Debian's modprobe.d stops for
# the modules; failmatrix.sh makes its own bond0. no5lvl: TCG's -cpu max
# has LA57, and an interrupt in identify_boot_cpu(), after it cleared the
# CPU's feature bits, saw 4-level KASAN bounds and reported the 5-level
# direct map as a wild access (2 boots of 3 panicked before init).
DEBUG_APPEND ?= panic_on_warn=1 kasan.fault=panic acpi=noirq no5lvl \
	bonding.max_bonds=0 dummy.numdummies=0
DEBUG_TIMEOUT_SCALE ?= 6
DEBUG_RATE_SPEED ?= 2
test-debug: debug_dir = $(shell scripts/debug-kernel.sh)
test-debug: deps
	$(MAKE) all module-debug
	$(call flavour_suite,debug,--kernel $(debug_dir)/build/arch/x86/boot/bzImage \
		--modules-dir $(debug_dir)/modules/lib/modules/$(file <$(debug_dir)/build/include/config/kernel.release) \
		--append '$(DEBUG_APPEND)' \
		--timeout-scale $(DEBUG_TIMEOUT_SCALE) \
		--rate-speed $(DEBUG_RATE_SPEED))

# The cloud flavour has no 9p, which the guest mounts the host's root with:
# scripts/9p-modules.sh builds it from linux-source against the cloud
# headers, into a module directory that run.sh boots with.
test-cloud: deps
	$(MAKE) all module-cloud
	$(call flavour_suite,cloud,--modules-dir \
		$(shell scripts/9p-modules.sh '$(call flavour_kdir,cloud)' build/9p-cloud))

demo: deps
	$(MAKE) all
	selftests/vm/run.sh --demo

# One two-node guest runs the cases in selftests/bench/; the report turns
# their raw figures into ratios (build/bench/results.{json,md}) and puts
# the table into Documentation/benchmarks.md, the PNG plots (gnuplot,
# installed for bench only) into build/bench and Documentation/bench, and
# the instructions per packet by kernel function into
# build/bench/attribution.md.
bench:
	scripts/deps.sh --bench
	$(MAKE) all
	$(MAKE) -C selftests bench
	rm -f build/bench/results.jsonl
	selftests/vm/run.sh --bench build/bench
	scripts/bench-report.py build/bench/results.jsonl \
		--doc Documentation/benchmarks.md --plots Documentation/bench
	scripts/insn-profile.py build/bench/results.jsonl build/bench/profiles \
		> build/bench/attribution.md

# make deb: zec-dkms, libzec1, libzec-dev and zecctl (debian/), built by
# dpkg-buildpackage from a copy of the checkout's tracked files in
# build/deb/zec-VERSION; the .deb files land in build/deb/.
deb:
	scripts/deps.sh --deb
	rm -rf build/deb
	mkdir -p build/deb/zec-$(zec_version)
	git ls-files -z | tar --null -T - -cf - | \
		tar -xf - -C build/deb/zec-$(zec_version)
	cd build/deb/zec-$(zec_version) && dpkg-buildpackage -b -us -uc

# checkpatch is not in the headers package: take it, and the files it
# reads, from Debian's linux-source tarball.
linux_source := /usr/src/linux-source-6.1.tar.xz
checkpatch_files := scripts/checkpatch.pl scripts/spelling.txt \
		    scripts/const_structs.checkpatch
build/checkpatch/scripts/checkpatch.pl:
	mkdir -p build/checkpatch
	tar -xJf $(linux_source) -C build/checkpatch --strip-components=1 \
		$(addprefix $(basename $(basename $(notdir $(linux_source))))/,$(checkpatch_files))

style: build/checkpatch/scripts/checkpatch.pl
	build/checkpatch/scripts/checkpatch.pl --strict --no-tree --terse \
		-f $(filter-out %.mod.c,$(wildcard kmod/*.[ch])) include/uapi/linux/zec.h

check:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod C=2 W=1 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	$(MAKE) -C libzec clean
	$(MAKE) -C tools/zecctl clean
	$(MAKE) -C selftests clean
	rm -rf build
