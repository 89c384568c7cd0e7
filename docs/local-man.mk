# The man page: docs/contain.1 is made from docs/contain.1.md by docs/md2man.py (python3,
# which configure requires anyway). The generated page is committed as well, so that
# `make install` and a tarball work without python; `make` remakes it whenever the markdown
# or the converter is newer, and the change is committed with them. tests/bats/tutorial.bats
# checks that the committed page is what md2man.py makes of the markdown.
dist_man_MANS += docs/contain.1
EXTRA_DIST += docs/contain.1.md docs/md2man.py

docs/contain.1: docs/contain.1.md docs/md2man.py
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/docs/md2man.py $(srcdir)/docs/contain.1.md >$@.tmp && mv $@.tmp $@
