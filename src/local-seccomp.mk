# Seccomp (src/lib/seccomp.[ch]) and the default profile: included by src/local.mk, which
# adds $(libcontain_seccomp_sources) to libcontain and links $(SECCOMP_LIBS).
#
# src/lib/seccomp-default.c is generated (in the build tree) from contrib/seccomp/default.json:
# the JSON, checked to parse, as one C string behind seccomp_default_profile_text(), which
# seccomp_default_profile_json() fits to the host's architecture.
libcontain_seccomp_sources = src/lib/seccomp.c src/lib/seccomp.h src/lib/seccomp-default.c

SECCOMP_DEFAULT_PROFILE = $(srcdir)/contrib/seccomp/default.json
SECCOMP_DEFAULT_GEN = \
	import json, sys; \
	text = open(sys.argv[1]).read(); json.loads(text); \
	esc = lambda l: l.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34)).replace(chr(9), chr(92) + "t").replace(chr(10), chr(92) + "n"); \
	print("/* Generated from contrib/seccomp/default.json by src/local-seccomp.mk: do not edit. */"); \
	print("\#include \"seccomp.h\""); \
	print("static const char profile[] ="); \
	[print("  \"" + esc(l) + "\"") for l in text.splitlines(True)]; \
	print("  ;"); \
	print("const char *seccomp_default_profile_text(void) { return profile; }")

src/lib/seccomp-default.c: $(SECCOMP_DEFAULT_PROFILE) $(srcdir)/src/local-seccomp.mk
	@$(MKDIR_P) src/lib
	$(AM_V_GEN)$(PYTHON3) -c '$(SECCOMP_DEFAULT_GEN)' $(SECCOMP_DEFAULT_PROFILE) >$@.tmp && mv -f $@.tmp $@

BUILT_SOURCES += src/lib/seccomp-default.c
CLEANFILES += src/lib/seccomp-default.c src/lib/seccomp-default.c.tmp
EXTRA_DIST += contrib/seccomp/default.json
