#!/usr/bin/env python3
"""Generate C types, parsers and generators from contain's JSON Schema files.

Usage: generate.py -o OUTDIR SCHEMA.json...

Writes OUTDIR/oci-types.h and OUTDIR/oci-types.c. The naming rules and the C
API are described in docs/libocispec.md; this file implements them. Only the
subset of JSON Schema that oci-spec/ uses is understood: type (object, array,
string, boolean, integer, number), properties, required, items, enum,
additionalProperties (maps), format (integer width) and $ref (within a file,
"#/$defs/X", and across files, "other.json#/$defs/X"). Anything else in a
schema is ignored, except that a construct the C mapping cannot express is an
error here rather than silently wrong code.

Python 3 standard library only: it runs at build time.
"""

import json
import os
import re
import sys

# format -> (C type, minimum macro, maximum macro, signed)
INT_FORMATS = {
    "int8": ("int8_t", "INT8_MIN", "INT8_MAX", True),
    "int16": ("int16_t", "INT16_MIN", "INT16_MAX", True),
    "int32": ("int32_t", "INT32_MIN", "INT32_MAX", True),
    "int64": ("int64_t", "INT64_MIN", "INT64_MAX", True),
    "int": ("int", "INT_MIN", "INT_MAX", True),
    "uint8": ("uint8_t", "0", "UINT8_MAX", False),
    "uint16": ("uint16_t", "0", "UINT16_MAX", False),
    "uint32": ("uint32_t", "0", "UINT32_MAX", False),
    "uint64": ("uint64_t", "0", "UINT64_MAX", False),
}

C_KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
    "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
    "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
    "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
    "true", "false",
}


class SchemaError(Exception):
    pass


def snake(name):
    """JSON key -> C identifier, per docs/libocispec.md.

    An underscore goes before an upper-case letter that follows a lower-case
    letter or digit, and before the last upper-case letter of a run that is
    followed by a lower-case letter (never at the start); then all is lower-cased."""
    out = []
    n = len(name)
    for i, c in enumerate(name):
        if c.isupper() and i > 0:
            prev = name[i - 1]
            nxt = name[i + 1] if i + 1 < n else ""
            if prev.islower() or prev.isdigit():
                out.append("_")
            elif prev.isupper() and nxt.islower():
                out.append("_")
        out.append(c)
    s = "".join(out).lower()
    s = re.sub(r"[^a-z0-9_]", "_", s)
    if s[:1].isdigit():
        s = "_" + s
    if s in C_KEYWORDS:
        s += "_"
    return s


def c_string(s):
    """A C string literal for s (JSON keys and enum values are plain ASCII in
    practice, but escape anyway so that no schema can break the output)."""
    out = ['"']
    for b in s.encode("utf-8"):
        ch = chr(b)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= b < 0x7F and ch != "?":
            out.append(ch)
        else:
            out.append("\\%03o" % b)
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------------------
# The model: C types built from the schemas.

class Scalar:
    """string, bool, integer or number; ctype is the C type of one value."""

    def __init__(self, kind, ctype=None, fmt=None, enum=None):
        self.kind = kind  # "string" | "bool" | "int" | "number"
        self.ctype = ctype
        self.fmt = fmt
        self.enum = enum
        self.enum_name = None  # C name of the enum table, set by the owner


class StructRef:
    def __init__(self, struct):
        self.struct = struct


class Array:
    def __init__(self, item):
        self.item = item  # Scalar or StructRef


class StringMap:
    pass


class ObjectMap:
    def __init__(self, cname, value):
        self.cname = cname
        self.value = value  # StructRef


class Field:
    def __init__(self, key, cname, type_, required, where):
        self.key = key
        self.cname = cname
        self.type = type_
        self.required = required
        self.where = where


class Struct:
    def __init__(self, cname, schema, file, where, public):
        self.cname = cname
        self.schema = schema
        self.file = file
        self.where = where  # "file#/pointer", for comments and errors
        self.public = public  # a root or $defs type: gets parse/generate functions
        self.fields = None
        self.description = schema.get("description")


class Model:
    def __init__(self):
        self.files = {}  # absolute path -> parsed JSON
        self.structs = []  # in the order the header declares them
        self.by_cname = {}
        self.by_def = {}  # (file, def key) -> Struct
        self.maps = []  # ObjectMap, in order
        self.enums = []  # (C name, values)
        self.pending = []

    # -- loading and $ref ------------------------------------------------

    def load(self, path):
        path = os.path.abspath(path)
        if path not in self.files:
            try:
                with open(path, encoding="utf-8") as f:
                    self.files[path] = json.load(f)
            except (OSError, ValueError) as e:
                raise SchemaError("%s: %s" % (path, e))
        return self.files[path]

    def lookup(self, ref, file):
        """$ref -> (schema, file, def key or None)."""
        target, _, pointer = ref.partition("#")
        if target:
            file = os.path.join(os.path.dirname(file), target)
        doc = self.load(file)
        node = doc
        parts = [p for p in pointer.split("/") if p] if pointer else []
        for p in parts:
            p = p.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or p not in node:
                raise SchemaError("%s: $ref %s: no such target" % (file, ref))
            node = node[p]
        key = parts[1] if len(parts) == 2 and parts[0] == "$defs" else None
        return node, os.path.abspath(file), key

    @staticmethod
    def is_map(schema):
        ap = schema.get("additionalProperties")
        return isinstance(ap, dict) and not schema.get("properties")

    @staticmethod
    def is_struct(schema):
        return schema.get("type") == "object" and not Model.is_map(schema)

    # -- structs ---------------------------------------------------------

    def add_struct(self, cname, schema, file, where, public):
        if cname in self.by_cname:
            raise SchemaError("%s: C type %s is also made by %s" % (where, cname, self.by_cname[cname].where))
        s = Struct(cname, schema, file, where, public)
        self.by_cname[cname] = s
        self.structs.append(s)
        self.pending.append(s)
        return s

    def def_struct(self, file, key, schema):
        k = (file, key)
        if k not in self.by_def:
            cname = "oci_" + (schema.get("x-ctype") or snake(key))
            where = "%s#/$defs/%s" % (os.path.basename(file), key)
            self.by_def[k] = self.add_struct(cname, schema, file, where, True)
        return self.by_def[k]

    def add_file(self, path):
        path = os.path.abspath(path)
        doc = self.load(path)
        if "x-ctype" in doc:
            if not self.is_struct(doc):
                raise SchemaError("%s: a root with x-ctype must be an object" % path)
            self.add_struct("oci_" + doc["x-ctype"], doc, path, os.path.basename(path) + "#", True)
        for key, schema in doc.get("$defs", {}).items():
            if isinstance(schema, dict) and self.is_struct(schema):
                self.def_struct(path, key, schema)

    def resolve(self):
        while self.pending:
            s = self.pending.pop(0)
            self.build_fields(s)

    def build_fields(self, s):
        props = s.schema.get("properties", {})
        if not props:
            raise SchemaError("%s: an object type needs at least one property" % s.where)
        required = set(s.schema.get("required", []))
        for key in required:
            if key not in props:
                raise SchemaError("%s: required %s is not a property" % (s.where, key))
        fields = []
        seen = {}
        for key, ps in props.items():
            where = "%s/properties/%s" % (s.where, key)
            t = self.type_of(ps, s.file, s.cname + "_" + snake(key), where)
            cname = snake(key)
            for n in (cname, cname + "_len", cname + "_present"):
                if n in seen:
                    raise SchemaError("%s: C field %s clashes with %s" % (where, n, seen[n]))
                seen[n] = key
            f = Field(key, cname, t, key in required, where)
            scalar = t if isinstance(t, Scalar) else (t.item if isinstance(t, Array) and isinstance(t.item, Scalar) else None)
            if scalar is not None and scalar.enum:
                scalar.enum_name = "enum_" + s.cname + "_" + cname
                self.enums.append((scalar.enum_name, scalar.enum))
            fields.append(f)
        s.fields = fields

    def type_of(self, schema, file, name, where, depth=0):
        """The C type of a property schema; name is S_P for inline objects."""
        if depth > 32:
            raise SchemaError("%s: $ref loop" % where)
        if not isinstance(schema, dict):
            raise SchemaError("%s: a schema must be an object" % where)
        if "$ref" in schema:
            target, tfile, key = self.lookup(schema["$ref"], file)
            if key is not None and self.is_struct(target):
                return StructRef(self.def_struct(tfile, key, target))
            return self.type_of(target, tfile, name, where, depth + 1)
        t = schema.get("type")
        if t == "string":
            enum = schema.get("enum")
            if enum is not None and not all(isinstance(e, str) for e in enum):
                raise SchemaError("%s: enum values must be strings" % where)
            return Scalar("string", "char *", enum=enum)
        if t == "boolean":
            return Scalar("bool", "bool")
        if t == "integer":
            fmt = schema.get("format", "int64")
            if fmt not in INT_FORMATS:
                raise SchemaError("%s: unknown integer format %s" % (where, fmt))
            return Scalar("int", INT_FORMATS[fmt][0], fmt=fmt)
        if t == "number":
            return Scalar("number", "double")
        if t == "array":
            item = self.type_of(schema.get("items", {}), file, name + "_element", where + "/items", depth + 1)
            if not isinstance(item, (Scalar, StructRef)):
                raise SchemaError("%s: arrays of arrays or maps are not supported" % where)
            return Array(item)
        if t == "object":
            if self.is_map(schema):
                ap = schema["additionalProperties"]
                v = self.type_of(ap, file, name + "_value", where + "/additionalProperties", depth + 1)
                if isinstance(v, Scalar) and v.kind == "string" and not v.enum:
                    return StringMap()
                if not isinstance(v, StructRef):
                    raise SchemaError("%s: a map's values must be plain strings or objects" % where)
                m = ObjectMap(name + "_map", v)
                if m.cname in self.by_cname:
                    raise SchemaError("%s: C type %s is made twice" % (where, m.cname))
                self.by_cname[m.cname] = m
                self.maps.append(m)
                return m
            cname = "oci_" + schema["x-ctype"] if "x-ctype" in schema else name
            return StructRef(self.add_struct(cname, schema, file, where, False))
        raise SchemaError("%s: unsupported schema (type %r)" % (where, t))


# ---------------------------------------------------------------------------
# C output.

def field_decls(f):
    t = f.type
    n = f.cname
    if isinstance(t, Scalar):
        if t.kind == "string":
            return ["char *%s;" % n]
        return ["%s %s;" % (t.ctype, n), "bool %s_present;" % n]
    if isinstance(t, StructRef):
        return ["%s *%s;" % (t.struct.cname, n)]
    if isinstance(t, StringMap):
        return ["oci_string_map *%s;" % n]
    if isinstance(t, ObjectMap):
        return ["%s *%s;" % (t.cname, n)]
    if isinstance(t, Array):
        it = t.item
        if isinstance(it, StructRef):
            return ["%s **%s;" % (it.struct.cname, n), "size_t %s_len;" % n]
        if it.kind == "string":
            return ["char **%s;" % n, "size_t %s_len;" % n]
        return ["%s *%s;" % (it.ctype, n), "size_t %s_len;" % n]
    raise AssertionError(t)


def field_comment(f):
    notes = []
    if f.required:
        notes.append("required")
    t = f.type
    sc = t if isinstance(t, Scalar) else (t.item if isinstance(t, Array) and isinstance(t.item, Scalar) else None)
    if sc is not None and sc.enum:
        notes.append("one of " + " ".join(sc.enum))
    # Name the JSON key only where snake_case hides it.
    label = [f.key] if f.key != f.cname else []
    if notes:
        label.append("(" + "; ".join(notes) + ")")
    return ("/* %s */" % " ".join(label)) if label else ""


def parse_scalar(sc, val, path, lvalue, ind):
    """C statements that parse yajl value `val` into `lvalue`, goto fail on error."""
    if sc.kind == "string":
        table = sc.enum_name or "NULL"
        return ["%sif (ocis_parse_string(%s, %s, %s, &%s, err) < 0)" % (ind, val, path, table, lvalue),
                "%s  goto fail;" % ind]
    if sc.kind == "bool":
        return ["%sif (ocis_parse_bool(%s, %s, &%s, err) < 0)" % (ind, val, path, lvalue),
                "%s  goto fail;" % ind]
    if sc.kind == "number":
        return ["%sif (ocis_parse_number(%s, %s, &%s, err) < 0)" % (ind, val, path, lvalue),
                "%s  goto fail;" % ind]
    # Integers go through a 64-bit temporary whose range check makes the cast exact.
    ctype, lo, hi, signed = INT_FORMATS[sc.fmt]
    if signed:
        return ["%sint64_t n;" % ind,
                "%sif (ocis_parse_int(%s, %s, %s, %s, &n, err) < 0)" % (ind, val, path, lo, hi),
                "%s  goto fail;" % ind,
                "%s%s = (%s) n;" % (ind, lvalue, ctype)]
    return ["%suint64_t n;" % ind,
            "%sif (ocis_parse_uint(%s, %s, %s, &n, err) < 0)" % (ind, val, path, hi),
            "%s  goto fail;" % ind,
            "%s%s = (%s) n;" % (ind, lvalue, ctype)]


def gen_scalar(sc, rvalue, path, ind):
    """C statements that write `rvalue` with yajl_gen g, return -1 on error."""
    if sc.kind == "string":
        call = "ocis_gen_string(g, %s, %s, %s, err)" % (rvalue, sc.enum_name or "NULL", path)
    elif sc.kind == "bool":
        call = "ocis_gen_bool(g, %s, %s, err)" % (rvalue, path)
    elif sc.kind == "number":
        call = "ocis_gen_number(g, %s, %s, err)" % (rvalue, path)
    elif INT_FORMATS[sc.fmt][3]:
        call = "ocis_gen_int(g, (int64_t) %s, %s, err)" % (rvalue, path)
    else:
        call = "ocis_gen_uint(g, (uint64_t) %s, %s, err)" % (rvalue, path)
    return ["%sif (%s < 0)" % (ind, call), "%s  return -1;" % ind]


class Writer:
    def __init__(self, model, sources):
        self.m = model
        self.sources = sources
        self.h = []
        self.c = []

    # -- header ----------------------------------------------------------

    def header(self):
        h = self.h
        h += ["/* oci-types.h: generated by libocispec/generate.py from %s." % ", ".join(self.sources),
              " * Do not edit; see docs/libocispec.md for the API. */",
              "#ifndef OCI_TYPES_H",
              "#define OCI_TYPES_H",
              "",
              "#include <stdbool.h>",
              "#include <stddef.h>",
              "#include <stdint.h>",
              "",
              "#include \"ocispec-runtime.h\"",
              "",
              "/* GNU C predefines `linux` as 1, which would break the field oci_config.linux. */",
              "#undef linux",
              "",
              "#ifdef __cplusplus",
              "extern \"C\" {",
              "#endif",
              ""]
        for s in self.m.structs:
            h.append("typedef struct %s %s;" % (s.cname, s.cname))
        for mp in self.m.maps:
            h.append("typedef struct %s %s;" % (mp.cname, mp.cname))
        h.append("")
        for s in self.m.structs:
            h.append("/* %s%s */" % (s.where, (": " + s.description) if s.description else ""))
            h.append("struct %s {" % s.cname)
            for f in s.fields:
                decls = field_decls(f)
                h.append(("  %s %s" % (decls[0], field_comment(f))).rstrip())
                for d in decls[1:]:
                    h.append("  %s" % d)
            h.append("};")
            h.append("")
        for mp in self.m.maps:
            h.append("/* A JSON object whose values are %s; keys are unique, in input order. */" % mp.value.struct.cname)
            h.append("struct %s {" % mp.cname)
            h.append("  char **keys;")
            h.append("  %s **values;" % mp.value.struct.cname)
            h.append("  size_t len;")
            h.append("};")
            h.append("")
        for s in self.m.structs:
            n = s.cname
            if s.public:
                h.append("%s *%s_parse_file(const char *path, char **errmsg);" % (n, n))
                h.append("%s *%s_parse_data(const char *json, size_t len, const char *source, char **errmsg);" % (n, n))
                h.append("char *%s_generate_json(const %s *v, char **errmsg);" % (n, n))
            h.append("void %s_free(%s *v);" % (n, n))
            h.append("")
        for mp in self.m.maps:
            h.append("void %s_free(%s *v);" % (mp.cname, mp.cname))
        h += ["",
              "#ifdef __cplusplus",
              "}",
              "#endif",
              "",
              "#endif"]

    # -- source ----------------------------------------------------------

    def source(self):
        c = self.c
        c += ["/* oci-types.c: generated by libocispec/generate.py from %s. Do not edit. */" % ", ".join(self.sources),
              "#include <limits.h>",
              "#include <stdint.h>",
              "#include <stdlib.h>",
              "#include <string.h>",
              "",
              "#include \"oci-types.h\"",
              ""]
        for name, values in self.m.enums:
            c.append("static const char *const %s[] = { %s, NULL };" % (name, ", ".join(c_string(v) for v in values)))
        c.append("")
        for s in self.m.structs:
            c.append("static %s *parse_%s(yajl_val v, const ocis_path *path, char **err);" % (s.cname, s.cname))
            c.append("static int gen_%s(yajl_gen g, const %s *v, const ocis_path *path, char **err);" % (s.cname, s.cname))
        for mp in self.m.maps:
            c.append("static %s *parse_%s(yajl_val v, const ocis_path *path, char **err);" % (mp.cname, mp.cname))
            c.append("static int gen_%s(yajl_gen g, const %s *v, const ocis_path *path, char **err);" % (mp.cname, mp.cname))
        c.append("")
        for s in self.m.structs:
            self.struct_free(s)
            self.struct_parse(s)
            self.struct_gen(s)
            if s.public:
                self.public_api(s)
        for mp in self.m.maps:
            self.map_functions(mp)

    def struct_free(self, s):
        c = self.c
        c += ["void",
              "%s_free(%s *v)" % (s.cname, s.cname),
              "{",
              "  if (v == NULL)",
              "    return;"]
        for f in s.fields:
            t, n = f.type, f.cname
            if isinstance(t, Scalar):
                if t.kind == "string":
                    c.append("  free(v->%s);" % n)
            elif isinstance(t, StructRef):
                c.append("  %s_free(v->%s);" % (t.struct.cname, n))
            elif isinstance(t, StringMap):
                c.append("  oci_string_map_free(v->%s);" % n)
            elif isinstance(t, ObjectMap):
                c.append("  %s_free(v->%s);" % (t.cname, n))
            elif isinstance(t, Array):
                it = t.item
                if isinstance(it, StructRef):
                    c.append("  if (v->%s != NULL)" % n)
                    c.append("    for (size_t i = 0; i < v->%s_len; i++)" % n)
                    c.append("      %s_free(v->%s[i]);" % (it.struct.cname, n))
                elif it.kind == "string":
                    c.append("  if (v->%s != NULL)" % n)
                    c.append("    for (size_t i = 0; i < v->%s_len; i++)" % n)
                    c.append("      free(v->%s[i]);" % n)
                c.append("  free(v->%s);" % n)
        c += ["  free(v);", "}", ""]

    def struct_parse(self, s):
        c = self.c
        c += ["static %s *" % s.cname,
              "parse_%s(yajl_val v, const ocis_path *path, char **err)" % s.cname,
              "{",
              "  %s *r;" % s.cname,
              "  yajl_val f;",
              "  ocis_path p;",
              "",
              "  if (ocis_check_object(v, path, err) < 0)",
              "    return NULL;",
              "  r = ocis_calloc(1, sizeof *r);"]
        for f in s.fields:
            t, n = f.type, f.cname
            c.append("")
            c.append("  if ((f = ocis_get(v, %s, path, &p)) != NULL) {" % c_string(f.key))
            if isinstance(t, Scalar):
                c += parse_scalar(t, "f", "&p", "r->" + n, "    ")
                if t.kind != "string":
                    c.append("    r->%s_present = true;" % n)
            elif isinstance(t, StructRef):
                c.append("    if ((r->%s = parse_%s(f, &p, err)) == NULL)" % (n, t.struct.cname))
                c.append("      goto fail;")
            elif isinstance(t, StringMap):
                c.append("    if ((r->%s = ocis_parse_string_map(f, &p, err)) == NULL)" % n)
                c.append("      goto fail;")
            elif isinstance(t, ObjectMap):
                c.append("    if ((r->%s = parse_%s(f, &p, err)) == NULL)" % (n, t.cname))
                c.append("      goto fail;")
            elif isinstance(t, Array):
                it = t.item
                c.append("    if (ocis_check_array(f, &p, err) < 0)")
                c.append("      goto fail;")
                # One spare slot: string and object arrays are NULL-terminated.
                c.append("    r->%s = ocis_calloc(f->u.array.len + 1, sizeof *r->%s);" % (n, n))
                c.append("    for (size_t i = 0; i < f->u.array.len; i++) {")
                c.append("      ocis_path ip = OCIS_INDEX(&p, i);")
                if isinstance(it, StructRef):
                    c.append("      if ((r->%s[i] = parse_%s(f->u.array.values[i], &ip, err)) == NULL)" % (n, it.struct.cname))
                    c.append("        goto fail;")
                else:
                    c += parse_scalar(it, "f->u.array.values[i]", "&ip", "r->%s[i]" % n, "      ")
                c.append("      r->%s_len++;" % n)
                c.append("    }")
            if f.required:
                c.append("  } else {")
                c.append("    ocis_missing(&p, err);")
                c.append("    goto fail;")
            c.append("  }")
        c += ["  return r;",
              "",
              "fail:",
              "  %s_free(r);" % s.cname,
              "  return NULL;",
              "}",
              ""]

    def struct_gen(self, s):
        c = self.c
        c += ["static int",
              "gen_%s(yajl_gen g, const %s *v, const ocis_path *path, char **err)" % (s.cname, s.cname),
              "{",
              "  ocis_path p;",
              "",
              "  if (ocis_gen_map_open(g, path, err) < 0)",
              "    return -1;"]
        for f in s.fields:
            t, n = f.type, f.cname
            c.append("")
            c.append("  p = OCIS_KEY(path, %s);" % c_string(f.key))
            if isinstance(t, Scalar) and t.kind != "string":
                # A required scalar is always written: a hand-built struct need not set _present.
                cond = None if f.required else "v->%s_present" % n
            else:
                cond = "v->%s != NULL" % n
                if f.required and isinstance(t, Array):
                    cond = None  # written as [] when NULL
            ind = "  "
            if cond:
                c.append("  if (%s) {" % cond)
                ind = "    "
            c.append("%sif (ocis_gen_key(g, %s, &p, err) < 0)" % (ind, c_string(f.key)))
            c.append("%s  return -1;" % ind)
            if isinstance(t, Scalar):
                c += gen_scalar(t, "v->" + n, "&p", ind)
            elif isinstance(t, StructRef):
                c.append("%sif (gen_%s(g, v->%s, &p, err) < 0)" % (ind, t.struct.cname, n))
                c.append("%s  return -1;" % ind)
            elif isinstance(t, StringMap):
                c.append("%sif (ocis_gen_string_map(g, v->%s, &p, err) < 0)" % (ind, n))
                c.append("%s  return -1;" % ind)
            elif isinstance(t, ObjectMap):
                c.append("%sif (gen_%s(g, v->%s, &p, err) < 0)" % (ind, t.cname, n))
                c.append("%s  return -1;" % ind)
            elif isinstance(t, Array):
                it = t.item
                c.append("%sif (ocis_gen_array_open(g, &p, err) < 0)" % ind)
                c.append("%s  return -1;" % ind)
                c.append("%sfor (size_t i = 0; v->%s != NULL && i < v->%s_len; i++) {" % (ind, n, n))
                c.append("%s  ocis_path ip = OCIS_INDEX(&p, i);" % ind)
                if isinstance(it, StructRef):
                    c.append("%s  if (v->%s[i] == NULL)" % (ind, n))
                    c.append("%s    return ocis_null_element(&ip, err);" % ind)
                    c.append("%s  if (gen_%s(g, v->%s[i], &ip, err) < 0)" % (ind, it.struct.cname, n))
                    c.append("%s    return -1;" % ind)
                else:
                    c += gen_scalar(it, "v->%s[i]" % n, "&ip", ind + "  ")
                c.append("%s}" % ind)
                c.append("%sif (ocis_gen_array_close(g, &p, err) < 0)" % ind)
                c.append("%s  return -1;" % ind)
            if cond:
                if f.required:
                    c.append("  } else {")
                    c.append("    return ocis_missing(&p, err);")
                c.append("  }")
        c += ["  return ocis_gen_map_close(g, path, err);",
              "}",
              ""]

    def public_api(self, s):
        n = s.cname
        self.c.extend([
            "/* The yajl-level functions behind a void pointer, for the shared drivers in ocispec-runtime.c. */",
            "static void *",
            "parse_%s_any(yajl_val v, const ocis_path *path, char **err)" % n,
            "{",
            "  return parse_%s(v, path, err);" % n,
            "}",
            "",
            "static int",
            "gen_%s_any(yajl_gen g, const void *v, const ocis_path *path, char **err)" % n,
            "{",
            "  return gen_%s(g, v, path, err);" % n,
            "}",
            "",
            "%s *" % n,
            "%s_parse_file(const char *path, char **errmsg)" % n,
            "{",
            "  return ocis_parse_file(path, parse_%s_any, errmsg);" % n,
            "}",
            "",
            "%s *" % n,
            "%s_parse_data(const char *json, size_t len, const char *source, char **errmsg)" % n,
            "{",
            "  return ocis_parse_data(json, len, source, parse_%s_any, errmsg);" % n,
            "}",
            "",
            "char *",
            "%s_generate_json(const %s *v, char **errmsg)" % (n, n),
            "{",
            "  return ocis_generate_json(v, gen_%s_any, errmsg);" % n,
            "}",
            "",
        ])

    def map_functions(self, mp):
        n = mp.cname
        vn = mp.value.struct.cname
        self.c.extend([
            "void",
            "%s_free(%s *v)" % (n, n),
            "{",
            "  if (v == NULL)",
            "    return;",
            "  for (size_t i = 0; i < v->len; i++) {",
            "    free(v->keys[i]);",
            "    %s_free(v->values[i]);" % vn,
            "  }",
            "  free(v->keys);",
            "  free(v->values);",
            "  free(v);",
            "}",
            "",
            "static %s *" % n,
            "parse_%s(yajl_val v, const ocis_path *path, char **err)" % n,
            "{",
            "  %s *r;" % n,
            "  size_t n;",
            "",
            "  if (ocis_check_object(v, path, err) < 0)",
            "    return NULL;",
            "  n = v->u.object.len;",
            "  r = ocis_calloc(1, sizeof *r);",
            "  r->keys = ocis_calloc(n + 1, sizeof *r->keys);",
            "  r->values = ocis_calloc(n + 1, sizeof *r->values);",
            "  for (size_t i = 0; i < n; i++) {",
            "    const char *key = v->u.object.keys[i];",
            "    ocis_path p = OCIS_KEY(path, key);",
            "    %s *value;" % vn,
            "    size_t j;",
            "",
            "    if (YAJL_IS_NULL(v->u.object.values[i]))",
            "      continue; /* null counts as absent */",
            "    if ((value = parse_%s(v->u.object.values[i], &p, err)) == NULL) {" % vn,
            "      %s_free(r);" % n,
            "      return NULL;",
            "    }",
            "    /* A repeated key replaces the earlier value, as in Go's encoding/json. */",
            "    j = ocis_key_index(r->keys, r->len, key);",
            "    if (j < r->len) {",
            "      %s_free(r->values[j]);" % vn,
            "    } else {",
            "      r->keys[j] = ocis_strdup(key);",
            "      r->len++;",
            "    }",
            "    r->values[j] = value;",
            "  }",
            "  return r;",
            "}",
            "",
            "static int",
            "gen_%s(yajl_gen g, const %s *v, const ocis_path *path, char **err)" % (n, n),
            "{",
            "  if (ocis_gen_map_open(g, path, err) < 0)",
            "    return -1;",
            "  for (size_t i = 0; i < v->len; i++) {",
            "    ocis_path p = OCIS_KEY(path, v->keys[i]);",
            "",
            "    if (v->keys[i] == NULL || v->values[i] == NULL)",
            "      return ocis_null_element(&p, err);",
            "    if (ocis_gen_key(g, v->keys[i], &p, err) < 0)",
            "      return -1;",
            "    if (gen_%s(g, v->values[i], &p, err) < 0)" % vn,
            "      return -1;",
            "  }",
            "  return ocis_gen_map_close(g, path, err);",
            "}",
            "",
        ])


def write_file(path, text):
    """Write through a temporary file so that an interrupted run leaves no half file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    args = argv[1:]
    outdir = None
    files = []
    while args:
        a = args.pop(0)
        if a == "-o" and args:
            outdir = args.pop(0)
        elif a.startswith("-"):
            sys.stderr.write("usage: generate.py -o OUTDIR SCHEMA.json...\n")
            return 2
        else:
            files.append(a)
    if outdir is None or not files:
        sys.stderr.write("usage: generate.py -o OUTDIR SCHEMA.json...\n")
        return 2
    model = Model()
    try:
        for f in files:
            model.add_file(f)
        model.resolve()
    except SchemaError as e:
        sys.stderr.write("generate.py: %s\n" % e)
        return 1
    w = Writer(model, [os.path.basename(f) for f in files])
    w.header()
    w.source()
    os.makedirs(outdir, exist_ok=True)
    write_file(os.path.join(outdir, "oci-types.h"), "\n".join(w.h) + "\n")
    write_file(os.path.join(outdir, "oci-types.c"), "\n".join(w.c) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
