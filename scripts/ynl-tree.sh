#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ynl-tree.sh DIR: lay out in DIR the kernel's own YNL tool and netlink
# schemas, taken from Debian's linux-source-6.12 (linux-source-6.1 has
# neither: no tools/net/ynl, and Documentation/netlink/ holds only
# specs/fou.yaml), with zec's spec linked in where the tool looks for it:
#
#   DIR/tools/net/ynl/                     cli.py, ynl-gen-c.py, lib/
#   DIR/Documentation/netlink/*.yaml       the schemas (genetlink-c.yaml, ...)
#   DIR/Documentation/netlink/specs/zec.yaml -> the repository's spec
#   DIR/Documentation/netlink/specs/nlctrl.yaml  to read a family's policies
#   DIR/MAINTAINERS                        empty: ynl-gen-c.py walks up
#                                          from the spec to find it
#
# The tool finds a spec's schema as ../<protocol>.yaml from the spec's
# directory, hence the link. Nothing of the kernel is kept in the
# repository; YNL_SOURCE overrides the tarball.
set -eu

dir=${1:?usage: ynl-tree.sh DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
tarball=${YNL_SOURCE:-/usr/src/linux-source-6.12.tar.xz}

[ -r "$tarball" ] || {
	echo "ynl-tree.sh: no $tarball: run make deps (linux-source-6.12)" >&2
	exit 1
}
if [ ! "$dir/done" -nt "$tarball" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	top=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$dir" --strip-components=1 \
		--no-wildcards-match-slash \
		--wildcards "$top/tools/net/ynl" "$top/Documentation/netlink/*.yaml" \
		"$top/Documentation/netlink/specs/nlctrl.yaml"
	touch "$dir/MAINTAINERS" "$dir/done"
fi
mkdir -p "$dir/Documentation/netlink/specs"
ln -sfn "$root/Documentation/netlink/specs/zec.yaml" \
	"$dir/Documentation/netlink/specs/zec.yaml"
