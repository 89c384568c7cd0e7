# libocispec: C types, parsers and generators for the OCI JSON documents,
# generated at build time from the schemas in oci-spec/ (see docs/libocispec.md).

OCISPEC_SCHEMAS = \
	$(srcdir)/oci-spec/defs.json \
	$(srcdir)/oci-spec/config-schema.json \
	$(srcdir)/oci-spec/state-schema.json \
	$(srcdir)/oci-spec/runtime-state.json \
	$(srcdir)/oci-spec/features-schema.json

OCISPEC_GENERATED = libocispec/gen/oci-types.h libocispec/gen/oci-types.c

# One run of the generator makes both files. The stamp idiom of the automake
# manual ("Multiple Outputs"): the stamp is taken before the run, so the
# outputs are newer than it and a parallel make runs the generator once.
libocispec/gen/oci-types.stamp: $(OCISPEC_SCHEMAS) $(srcdir)/libocispec/generate.py
	@$(MKDIR_P) libocispec/gen
	@rm -f libocispec/gen/oci-types.tmp
	@touch libocispec/gen/oci-types.tmp
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/libocispec/generate.py -o libocispec/gen $(OCISPEC_SCHEMAS)
	@mv -f libocispec/gen/oci-types.tmp $@

$(OCISPEC_GENERATED): libocispec/gen/oci-types.stamp
	@test -f $@ || { rm -f libocispec/gen/oci-types.stamp; $(MAKE) $(AM_MAKEFLAGS) libocispec/gen/oci-types.stamp; }

BUILT_SOURCES += $(OCISPEC_GENERATED)
CLEANFILES += $(OCISPEC_GENERATED) libocispec/gen/oci-types.stamp libocispec/gen/oci-types.tmp

noinst_LIBRARIES += libocispec/libocispec.a
libocispec_libocispec_a_SOURCES = \
	libocispec/ocispec-runtime.c \
	libocispec/ocispec-runtime.h
nodist_libocispec_libocispec_a_SOURCES = $(OCISPEC_GENERATED)
libocispec_libocispec_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)

EXTRA_DIST += $(OCISPEC_SCHEMAS) libocispec/generate.py
