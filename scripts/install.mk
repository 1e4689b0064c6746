# SPDX-License-Identifier: GPL-2.0-only
#
# make install and make uninstall from one list, included by the Makefiles
# of libzec/ and tools/zecctl/ after they set:
#
#   INSTALL_PROGRAMS  DEST=SOURCE ...: SOURCE installed as DEST, mode 0755
#   INSTALL_DATA      DEST=SOURCE ...: the same, mode 0644
#   INSTALL_LINKS     DEST=TARGET ...: DEST a symbolic link to TARGET
#   INSTALL_OWN_DIRS  directories that hold zec's files only, deepest
#                     first: uninstall removes them once they are empty
#
# Each DEST is an absolute path and goes under $(DESTDIR); each SOURCE is
# a prerequisite of install-files, so it is built first. uninstall
# removes every DEST of the same lists, so it takes away what install put
# there and nothing else (no directory that others share).

install_dest = $(DESTDIR)$(firstword $(subst =, ,$(1)))
install_source = $(lastword $(subst =, ,$(1)))

define install_newline


endef

# install_each LIST,COMMAND: COMMAND with $(1) the item, once per item
install_each = $(foreach f,$(1),$(call $(2),$f)$(install_newline))
install_program = install -D -m 0755 $(call install_source,$(1)) $(call install_dest,$(1))
install_data = install -D -m 0644 $(call install_source,$(1)) $(call install_dest,$(1))
install_link = install -d $(dir $(call install_dest,$(1))) && \
	ln -sfn $(call install_source,$(1)) $(call install_dest,$(1))
install_rmdir = ! test -d $(DESTDIR)$(1) || \
	rmdir --ignore-fail-on-non-empty $(DESTDIR)$(1)

.PHONY: install-files uninstall-files

install-files: $(foreach f,$(INSTALL_PROGRAMS) $(INSTALL_DATA),$(call install_source,$f))
	$(call install_each,$(INSTALL_PROGRAMS),install_program)
	$(call install_each,$(INSTALL_DATA),install_data)
	$(call install_each,$(INSTALL_LINKS),install_link)

uninstall-files:
	rm -f $(foreach f,$(INSTALL_PROGRAMS) $(INSTALL_DATA) $(INSTALL_LINKS),$(call install_dest,$f))
	$(call install_each,$(INSTALL_OWN_DIRS),install_rmdir)
