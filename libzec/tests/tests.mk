# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Host tests, included by the Makefile: the library and zecctl sources
# compiled again under ASan/UBSan, plus a libFuzzer run of the parsers.

TEST_DIR := tests/build
# The fuzz run's length: make test's share of it.
FUZZ_SECONDS ?= 10
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
TEST_CFLAGS := -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror
ZECCTL_DIR := ../tools/zecctl
ZECCTL_SRCS := $(addprefix $(ZECCTL_DIR)/, zecctl.c names.c out.c print.c \
	link.c port.c dev.c show.c monitor.c topology.c rate.c probe.c vf.c \
	macs.c prometheus.c counters.c config.c apply.c batch.c)
# zecctl's apply and dump-config read and write JSON with json-c
JSON_C := $(shell pkg-config --cflags --libs json-c)
UNIT_SRCS := tests/unit.c tests/test-parse.c tests/test-zecctl.c \
	tests/test-output.c tests/test-api.c tests/test-vf.c tests/fixture.c \
	tests/test-prometheus.c tests/test-config.c
TEST_HEADERS := tests/unit.h tests/fixture.h internal.h include/zec/zec.h \
	include/zec/zec-uapi.h $(ZECCTL_DIR)/zecctl.h $(ZECCTL_DIR)/out.h \
	$(ZECCTL_DIR)/prometheus.h $(ZECCTL_DIR)/counters.h $(ZECCTL_DIR)/config.h

.PHONY: test tests-clean abi-baseline

# The ABI check (run-tests.sh): abidiff of the library against abi/.
ABI_DUMP := abidw --headers-dir include/zec --drop-private-types \
	--no-corpus-path

# Only when an ABI change is meant to be: the baseline of a new release.
abi-baseline: libzec.so.$(VERSION)
	$(ABI_DUMP) --out-file abi/libzec.abi $<

# libzec as a later release might be: every struct that carries sz grown
# by a trailing field. abi-grow, built against the 1.0 header, runs on it;
# -rdynamic: its send(), sendto() and recv() play the kernel for the
# library's event socket.
GROWN := $(TEST_DIR)/grown
$(GROWN)/libzec.so.1: $(SRCS) $(TEST_HEADERS) libzec.map
	@mkdir -p $(GROWN)/zec
	perl -0pe 's/(\nstruct zec_(device|event|topology) \{\n.*?)\n\};/$$1\n\tuint64_t grown[8];\n};/gs' \
		include/zec/zec.h > $(GROWN)/zec/zec.h
	grep -c 'grown\[8\]' $(GROWN)/zec/zec.h | grep -qx 3
	cp include/zec/zec-uapi.h $(GROWN)/zec/
	$(CC) -I$(GROWN) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden \
		-shared -Wl,-soname,libzec.so.1 -Wl,--version-script=libzec.map \
		-o $@ $(SRCS) $(LDLIBS)

FAKE_KERNEL := tests/fake-kernel.c tests/fake-kernel.h

# What a program built against libzec 1.0 was linked with: a library of
# ZEC_1.0's functions only (empty stubs), so that abi-grow binds each at
# its 1.0 version (zec_event_read@ZEC_1.0) as such a program does.
STUB_1_0 := $(TEST_DIR)/1.0
$(STUB_1_0)/libzec.so: libzec.map
	@mkdir -p $(STUB_1_0)
	sed -n '/^ZEC_1.0 {/,/^}/p' $< > $(STUB_1_0)/libzec.map
	sed -n 's/^\t\t\(zec_[a-z0-9_]*\);$$/void \1(void) {}/p' \
		$(STUB_1_0)/libzec.map > $(STUB_1_0)/stub.c
	$(CC) -fPIC -shared -Wl,-soname,libzec.so.1 \
		-Wl,--version-script=$(STUB_1_0)/libzec.map -o $@ \
		$(STUB_1_0)/stub.c

$(TEST_DIR)/abi-grow: tests/abi-grow.c $(FAKE_KERNEL) abi/1.0/zec/zec.h \
		$(STUB_1_0)/libzec.so
	$(CC) -Iabi/1.0 -Iinclude $(CFLAGS) -rdynamic -o $@ $< \
		tests/fake-kernel.c -L$(STUB_1_0) -lzec -lmnl

# The example agent's kernel (run-tests.sh preloads it) and sysfs tree;
# selftests/zec/reattach.sh lays out the same tree with the same program.
$(TEST_DIR)/fake-zec.so: tests/fake-zec.c $(FAKE_KERNEL) include/zec/zec-uapi.h
	@mkdir -p $(TEST_DIR)
	$(CC) -Iinclude $(CFLAGS) -fPIC -shared -o $@ $< tests/fake-kernel.c \
		-lmnl

$(TEST_DIR)/sysfs-fixture: tests/sysfs-fixture.c tests/fixture.c tests/fixture.h
	@mkdir -p $(TEST_DIR)
	$(CC) $(CFLAGS) -o $@ tests/sysfs-fixture.c tests/fixture.c

$(TEST_DIR)/unit: $(UNIT_SRCS) $(SRCS) $(ZECCTL_SRCS) $(TEST_HEADERS)
	@mkdir -p $(TEST_DIR)
	clang $(CPPFLAGS) -I$(ZECCTL_DIR) $(TEST_CFLAGS) $(SANITIZE) -o $@ \
		$(UNIT_SRCS) $(SRCS) $(ZECCTL_SRCS) $(LDLIBS) $(JSON_C)

# zecctl itself, for its exit status and output (run-tests.sh): zecctl's
# sources under the sanitizers, on the library built here.
$(TEST_DIR)/zecctl: $(ZECCTL_SRCS) $(ZECCTL_DIR)/main.c $(TEST_HEADERS) \
		libzec.so
	@mkdir -p $(TEST_DIR)
	clang $(CPPFLAGS) $(TEST_CFLAGS) $(SANITIZE) -o $@ $(ZECCTL_SRCS) \
		$(ZECCTL_DIR)/main.c -L. -lzec $(JSON_C) \
		-Wl,-rpath,'$$ORIGIN/../..'

$(TEST_DIR)/fuzz-parse: tests/fuzz-parse.c $(SRCS) $(TEST_HEADERS)
	@mkdir -p $(TEST_DIR)
	clang $(CPPFLAGS) $(TEST_CFLAGS) -fsanitize=fuzzer $(SANITIZE) -o $@ \
		tests/fuzz-parse.c $(SRCS) $(LDLIBS)

# build output goes to stderr so that stdout stays pure TAP
test:
	@$(MAKE) --no-print-directory $(TEST_DIR)/unit $(TEST_DIR)/fuzz-parse \
		$(TEST_DIR)/zecctl \
		libzec.so.$(VERSION) libzec.pc $(GROWN)/libzec.so.1 \
		$(TEST_DIR)/abi-grow \
		$(TEST_DIR)/fake-zec.so $(TEST_DIR)/sysfs-fixture \
		examples/reattach-agent >&2
	@tests/run-tests.sh $(TEST_DIR) $(FUZZ_SECONDS) libzec.so.$(VERSION)

tests-clean:
	rm -rf $(TEST_DIR)
