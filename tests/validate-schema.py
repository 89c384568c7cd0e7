#!/usr/bin/env python3
"""validate-schema.py SCHEMA [JSON-FILE]: validates a JSON document (stdin by default)
against one of oci-spec/'s schemas, resolving the refs between them. Exit 1 on error."""
import json
import os
import sys

import warnings

import jsonschema

warnings.simplefilter("ignore", DeprecationWarning)

schema_path = sys.argv[1]
spec_dir = os.path.dirname(os.path.abspath(schema_path))
store = {}
for name in os.listdir(spec_dir):
    if name.endswith(".json"):
        with open(os.path.join(spec_dir, name)) as f:
            doc = json.load(f)
        store[doc.get("$id", name)] = doc
with open(schema_path) as f:
    schema = json.load(f)
data = json.load(open(sys.argv[2]) if len(sys.argv) > 2 else sys.stdin)
resolver = jsonschema.RefResolver(base_uri=schema.get("$id", ""), referrer=schema, store=store)
validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
for e in errors:
    print("%s: %s" % ("/".join(str(p) for p in e.path) or ".", e.message), file=sys.stderr)
sys.exit(1 if errors else 0)
