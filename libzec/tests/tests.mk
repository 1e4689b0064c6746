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
	link.c port.c dev.c show.c monitor.c topology.c rate.c probe.c vf.c)
UNIT_SRCS := tests/unit.c tests/test-parse.c tests/test-zecctl.c \
	tests/test-output.c tests/test-vf.c tests/fixture.c
TEST_HEADERS := tests/unit.h tests/fixture.h internal.h include/zec/zec.h \
	../include/uapi/linux/zec.h $(ZECCTL_DIR)/zecctl.h $(ZECCTL_DIR)/out.h

.PHONY: test tests-clean

$(TEST_DIR)/unit: $(UNIT_SRCS) $(SRCS) $(ZECCTL_SRCS) $(TEST_HEADERS)
	@mkdir -p $(TEST_DIR)
	clang $(CPPFLAGS) -I$(ZECCTL_DIR) $(TEST_CFLAGS) $(SANITIZE) -o $@ \
		$(UNIT_SRCS) $(SRCS) $(ZECCTL_SRCS) $(LDLIBS)

$(TEST_DIR)/fuzz-parse: tests/fuzz-parse.c $(SRCS) $(TEST_HEADERS)
	@mkdir -p $(TEST_DIR)
	clang $(CPPFLAGS) $(TEST_CFLAGS) -fsanitize=fuzzer $(SANITIZE) -o $@ \
		tests/fuzz-parse.c $(SRCS) $(LDLIBS)

# build output goes to stderr so that stdout stays pure TAP
test:
	@$(MAKE) --no-print-directory $(TEST_DIR)/unit $(TEST_DIR)/fuzz-parse >&2
	@tests/run-tests.sh $(TEST_DIR) $(FUZZ_SECONDS)

tests-clean:
	rm -rf $(TEST_DIR)
