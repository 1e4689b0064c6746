#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# qemu-plugin-header.sh DIR: put the qemu-plugin.h of the installed QEMU
# into DIR (kept there: a second call does nothing) and print DIR.
#
# A TCG plugin must be built against the plugin API of the QEMU that loads
# it. Debian ships the header in no binary package, so it comes from
# Debian's qemu source package of the installed qemu-system-x86's version,
# fetched with apt-get from a deb-src list of our own (the machine's apt
# configuration is not changed; the lists live in DIR/apt).
set -euo pipefail

dir=$(realpath -m "$1")
[ -s "$dir/qemu-plugin.h" ] && { echo "$dir"; exit 0; }

version=$(dpkg-query -W -f '${source:Version}' qemu-system-x86)
apt="$dir/apt"
mkdir -p "$apt/lists/partial" "$apt/parts" "$apt/cache/archives/partial"
cat > "$apt/parts/qemu-src.sources" <<-SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
opts=(-q -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/parts"
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
      -o APT::Sandbox::User=root)
apt-get "${opts[@]}" update > "$apt/update.log"
(cd "$apt" && apt-get "${opts[@]}" source --download-only "qemu=$version" > source.log)
orig=$(ls "$apt"/qemu_*.orig.tar.*)
tar -xf "$orig" -C "$apt" --wildcards --strip-components=3 '*/include/qemu/qemu-plugin.h'
# Debian's patches do not touch the plugin API; if one ever does, stop
# rather than build against the unpatched header.
if tar -tf "$apt"/qemu_*.debian.tar.* | grep 'qemu-plugin' > /dev/null; then
	echo "qemu-plugin-header.sh: a Debian patch of qemu $version touches the plugin API" >&2
	exit 1
fi
mv "$apt/qemu-plugin.h" "$dir/qemu-plugin.h"
rm -rf "$apt"
echo "$dir"
