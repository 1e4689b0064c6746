#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# <zec/zec.h> compiles alone and before or after the kernel's and libc's
# interface and address headers, which clash with each other but must not
# clash with it; as C and as C++. Only include/ is on the include path, as
# after "make install". Prints one PASS/FAIL line per translation unit.
#
#   check-headers.sh CC CXX
set -u

cc=$1
cxx=$2
here=$(dirname "$0")
tu=$(mktemp --suffix=.c)
log=$(mktemp)
trap 'rm -f "$tu" "$log"' EXIT

# check COMPILER NAME HEADER...: one translation unit including them in order
check() {
	compiler=$1 name=$2
	shift 2
	for header; do
		echo "#include <$header>"
	done > "$tu"
	echo 'int main(void) { return LIBZEC_VERSION_MAJOR != 1; }' >> "$tu"
	if $compiler -x "$lang" -fsyntax-only -Wall -Wextra -Werror \
		-I"$here/../include" "$tu" > "$log" 2>&1; then
		echo "PASS headers: $name"
	else
		echo "FAIL headers: $name: $(grep -m 1 error "$log")"
	fi
}

lang=c
check "$cc" "<zec/zec.h> alone" zec/zec.h
for other in linux/if.h linux/in.h net/if.h netinet/in.h; do
	check "$cc" "<$other> then <zec/zec.h>" "$other" zec/zec.h
	check "$cc" "<zec/zec.h> then <$other>" zec/zec.h "$other"
done
lang=c++
check "$cxx" "<zec/zec.h> in C++" zec/zec.h
