/* ocispec-runtime.c — error texts, JSON paths, scalar parsing and generation,
 * string maps and file reading for the generated oci-types.c. */
/* vasprintf, open_memstream */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "ocispec-runtime.h"

/* ---- memory -------------------------------------------------------------- */

static void oom(void) {
  fputs("out of memory\n", stderr);
  abort();
}

void *ocis_calloc(size_t n, size_t size) {
  /* calloc(0, x) may return NULL; ask for one byte so NULL always means OOM. */
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL)
    oom();
  return p;
}

char *ocis_strdup(const char *s) {
  char *r = strdup(s);
  if (r == NULL)
    oom();
  return r;
}

static char *vformat(const char *fmt, va_list ap) {
  char *s;
  if (vasprintf(&s, fmt, ap) < 0)
    oom();
  return s;
}

static char *format(const char *fmt, ...) {
  va_list ap;
  char *s;
  va_start(ap, fmt);
  s = vformat(fmt, ap);
  va_end(ap);
  return s;
}

/* ---- string maps --------------------------------------------------------- */

oci_string_map *oci_string_map_new(void) {
  oci_string_map *m = ocis_calloc(1, sizeof *m);
  m->keys = ocis_calloc(1, sizeof *m->keys);
  m->values = ocis_calloc(1, sizeof *m->values);
  return m;
}

void oci_string_map_free(oci_string_map *m) {
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->len; i++) {
    free(m->keys[i]);
    free(m->values[i]);
  }
  free(m->keys);
  free(m->values);
  free(m);
}

size_t ocis_key_index(char **keys, size_t len, const char *key) {
  for (size_t i = 0; i < len; i++)
    if (keys[i] != NULL && strcmp(keys[i], key) == 0)
      return i;
  return len;
}

const char *oci_string_map_get(const oci_string_map *m, const char *key) {
  if (m == NULL || key == NULL)
    return NULL;
  size_t i = ocis_key_index(m->keys, m->len, key);
  return i < m->len ? m->values[i] : NULL;
}

void oci_string_map_set(oci_string_map *m, const char *key, const char *value) {
  size_t i = ocis_key_index(m->keys, m->len, key);
  if (i < m->len) {
    free(m->values[i]);
    m->values[i] = ocis_strdup(value);
    return;
  }
  /* Grow by one and keep the NULL terminators. */
  char **k = realloc(m->keys, (m->len + 2) * sizeof *k);
  if (k == NULL)
    oom();
  m->keys = k;
  char **v = realloc(m->values, (m->len + 2) * sizeof *v);
  if (v == NULL)
    oom();
  m->values = v;
  m->keys[m->len] = ocis_strdup(key);
  m->values[m->len] = ocis_strdup(value);
  m->len++;
  m->keys[m->len] = NULL;
  m->values[m->len] = NULL;
}

/* ---- paths and errors ---------------------------------------------------- */

static bool is_identifier(const char *s) {
  if (!(isalpha((unsigned char)*s) || *s == '_'))
    return false;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_'))
      return false;
  return true;
}

/* Writes s as the inside of a JSON string literal. */
static void put_escaped(FILE *f, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
}

static void put_path(FILE *f, const ocis_path *p) {
  if (p == NULL)
    return;
  put_path(f, p->parent);
  if (p->key == NULL) {
    fprintf(f, "[%zu]", p->index);
  } else if (is_identifier(p->key)) {
    fprintf(f, ".%s", p->key);
  } else {
    /* jq's notation for keys that are not identifiers: .sysctl["net.ipv4.ip_forward"] */
    fputs("[\"", f);
    put_escaped(f, p->key);
    fputs("\"]", f);
  }
}

/* ".linux.namespaces[2].type"; the root is ".". */
static char *path_text(const ocis_path *p) {
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  if (f == NULL)
    oom();
  put_path(f, p);
  if (fclose(f) != 0)
    oom();
  /* Always start with a dot: ".", ".[0]", ".[\"a.b\"]". */
  if (s[0] != '.') {
    char *t = format(".%s", s);
    free(s);
    s = t;
  }
  return s;
}

int ocis_error(char **err, const ocis_path *path, const char *fmt, ...) {
  va_list ap;
  char *msg, *where;

  va_start(ap, fmt);
  msg = vformat(fmt, ap);
  va_end(ap);
  where = path_text(path);
  free(*err);
  *err = format("%s: %s", where, msg);
  free(where);
  free(msg);
  return -1;
}

int ocis_missing(const ocis_path *path, char **err) {
  return ocis_error(err, path, "required field missing");
}

int ocis_null_element(const ocis_path *path, char **err) {
  return ocis_error(err, path, "value is NULL");
}

static const char *describe(yajl_val v) {
  if (v == NULL || YAJL_IS_NULL(v))
    return "null";
  if (YAJL_IS_STRING(v))
    return "a string";
  if (YAJL_IS_NUMBER(v))
    return "a number";
  if (YAJL_IS_OBJECT(v))
    return "an object";
  if (YAJL_IS_ARRAY(v))
    return "an array";
  return "a boolean";
}

static int type_error(yajl_val v, const ocis_path *path, const char *expected, char **err) {
  return ocis_error(err, path, "expected %s, found %s", expected, describe(v));
}

/* ---- parsing ------------------------------------------------------------- */

yajl_val ocis_get(yajl_val obj, const char *key, const ocis_path *parent, ocis_path *p) {
  yajl_val found = NULL;

  *p = OCIS_KEY(parent, key);
  /* The last of repeated keys wins, as in Go's encoding/json. */
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp(obj->u.object.keys[i], key) == 0)
      found = obj->u.object.values[i];
  if (found != NULL && YAJL_IS_NULL(found))
    return NULL; /* null counts as absent */
  return found;
}

int ocis_check_object(yajl_val v, const ocis_path *path, char **err) {
  return YAJL_IS_OBJECT(v) ? 0 : type_error(v, path, "an object", err);
}

int ocis_check_array(yajl_val v, const ocis_path *path, char **err) {
  return YAJL_IS_ARRAY(v) ? 0 : type_error(v, path, "an array", err);
}

static int enum_error(const char *s, const ocis_path *path, const char *const *allowed,
                      char **err) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  if (f == NULL)
    oom();
  for (size_t i = 0; allowed[i] != NULL; i++)
    fprintf(f, "%s%s", i ? ", " : "", allowed[i]);
  fputs(", found \"", f);
  put_escaped(f, s);
  fputc('"', f);
  if (fclose(f) != 0)
    oom();
  ocis_error(err, path, "expected one of %s", buf);
  free(buf);
  return -1;
}

static bool allowed_value(const char *s, const char *const *allowed) {
  for (size_t i = 0; allowed[i] != NULL; i++)
    if (strcmp(s, allowed[i]) == 0)
      return true;
  return false;
}

int ocis_parse_string(yajl_val v, const ocis_path *path, const char *const *allowed, char **out,
                      char **err) {
  if (!YAJL_IS_STRING(v))
    return type_error(v, path, "a string", err);
  if (allowed != NULL && !allowed_value(v->u.string, allowed))
    return enum_error(v->u.string, path, allowed, err);
  free(*out);
  *out = ocis_strdup(v->u.string);
  return 0;
}

int ocis_parse_bool(yajl_val v, const ocis_path *path, bool *out, char **err) {
  if (YAJL_IS_TRUE(v))
    *out = true;
  else if (YAJL_IS_FALSE(v))
    *out = false;
  else
    return type_error(v, path, "a boolean", err);
  return 0;
}

int ocis_parse_number(yajl_val v, const ocis_path *path, double *out, char **err) {
  if (!YAJL_IS_NUMBER(v))
    return type_error(v, path, "a number", err);
  if (!(v->u.number.flags & YAJL_NUMBER_DOUBLE_VALID) || !isfinite(v->u.number.d))
    return ocis_error(err, path, "number out of range: %s", v->u.number.r);
  *out = v->u.number.d;
  return 0;
}

/* True when the number's text is an integer: an optional minus and digits
 * only (yajl's lexer already rejected leading zeros and other junk). */
static bool integer_text(const char *s) {
  if (*s == '-')
    s++;
  if (*s == '\0')
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

static int range_error(yajl_val v, const ocis_path *path, const char *lo, const char *hi,
                       char **err) {
  if (YAJL_IS_NUMBER(v))
    return ocis_error(err, path, "expected an integer from %s to %s, found %s", lo, hi,
                      v->u.number.r);
  return ocis_error(err, path, "expected an integer from %s to %s, found %s", lo, hi, describe(v));
}

int ocis_parse_int(yajl_val v, const ocis_path *path, int64_t min, int64_t max, int64_t *out,
                   char **err) {
  char lo[32], hi[32];
  long long n;
  char *end;

  snprintf(lo, sizeof lo, "%" PRId64, min);
  snprintf(hi, sizeof hi, "%" PRId64, max);
  if (!YAJL_IS_NUMBER(v) || !integer_text(v->u.number.r))
    return range_error(v, path, lo, hi, err);
  errno = 0;
  n = strtoll(v->u.number.r, &end, 10);
  if (errno != 0 || *end != '\0' || n < min || n > max)
    return range_error(v, path, lo, hi, err);
  *out = (int64_t)n;
  return 0;
}

int ocis_parse_uint(yajl_val v, const ocis_path *path, uint64_t max, uint64_t *out, char **err) {
  char hi[32];
  unsigned long long n;
  char *end;
  const char *s;

  snprintf(hi, sizeof hi, "%" PRIu64, max);
  if (!YAJL_IS_NUMBER(v) || !integer_text(v->u.number.r))
    return range_error(v, path, "0", hi, err);
  s = v->u.number.r;
  if (*s == '-') {
    /* strtoull would wrap -1 to the maximum; only -0 is in range. */
    if (strspn(s + 1, "0") != strlen(s + 1))
      return range_error(v, path, "0", hi, err);
    *out = 0;
    return 0;
  }
  /* The raw text, not yajl's long long, so that values above INT64_MAX are exact. */
  errno = 0;
  n = strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0' || n > max)
    return range_error(v, path, "0", hi, err);
  *out = (uint64_t)n;
  return 0;
}

oci_string_map *ocis_parse_string_map(yajl_val v, const ocis_path *path, char **err) {
  oci_string_map *m;
  size_t n;

  if (ocis_check_object(v, path, err) < 0)
    return NULL;
  n = v->u.object.len;
  m = ocis_calloc(1, sizeof *m);
  m->keys = ocis_calloc(n + 1, sizeof *m->keys);
  m->values = ocis_calloc(n + 1, sizeof *m->values);
  for (size_t i = 0; i < n; i++) {
    const char *key = v->u.object.keys[i];
    yajl_val val = v->u.object.values[i];
    ocis_path p = OCIS_KEY(path, key);
    size_t j;

    if (YAJL_IS_NULL(val))
      continue; /* null counts as absent */
    if (!YAJL_IS_STRING(val)) {
      type_error(val, &p, "a string", err);
      oci_string_map_free(m);
      return NULL;
    }
    /* A repeated key replaces the earlier value, as in Go's encoding/json. */
    j = ocis_key_index(m->keys, m->len, key);
    if (j < m->len) {
      free(m->values[j]);
    } else {
      m->keys[j] = ocis_strdup(key);
      m->len++;
    }
    m->values[j] = ocis_strdup(val->u.string);
  }
  return m;
}

/* ---- generation ---------------------------------------------------------- */

static int gen_status(yajl_gen_status s, const ocis_path *path, char **err) {
  switch (s) {
  case yajl_gen_status_ok: return 0;
  case yajl_gen_invalid_string: return ocis_error(err, path, "string is not valid UTF-8");
  case yajl_max_depth_exceeded:
    return ocis_error(err, path, "nesting deeper than %d levels", YAJL_MAX_DEPTH);
  case yajl_gen_invalid_number: return ocis_error(err, path, "number is not finite");
  default: return ocis_error(err, path, "JSON generator error %d", (int)s);
  }
}

int ocis_gen_map_open(yajl_gen g, const ocis_path *path, char **err) {
  return gen_status(yajl_gen_map_open(g), path, err);
}

int ocis_gen_map_close(yajl_gen g, const ocis_path *path, char **err) {
  return gen_status(yajl_gen_map_close(g), path, err);
}

int ocis_gen_array_open(yajl_gen g, const ocis_path *path, char **err) {
  return gen_status(yajl_gen_array_open(g), path, err);
}

int ocis_gen_array_close(yajl_gen g, const ocis_path *path, char **err) {
  return gen_status(yajl_gen_array_close(g), path, err);
}

int ocis_gen_key(yajl_gen g, const char *key, const ocis_path *path, char **err) {
  return gen_status(yajl_gen_string(g, (const unsigned char *)key, strlen(key)), path, err);
}

int ocis_gen_string(yajl_gen g, const char *s, const char *const *allowed, const ocis_path *path,
                    char **err) {
  if (s == NULL)
    return ocis_null_element(path, err);
  /* Refuse to write what the parser would refuse to read back. */
  if (allowed != NULL && !allowed_value(s, allowed))
    return enum_error(s, path, allowed, err);
  return gen_status(yajl_gen_string(g, (const unsigned char *)s, strlen(s)), path, err);
}

int ocis_gen_bool(yajl_gen g, bool b, const ocis_path *path, char **err) {
  return gen_status(yajl_gen_bool(g, b), path, err);
}

int ocis_gen_number(yajl_gen g, double d, const ocis_path *path, char **err) {
  char buf[64];
  if (!isfinite(d))
    return gen_status(yajl_gen_invalid_number, path, err);
  /* %.17g reads back as the same double. */
  snprintf(buf, sizeof buf, "%.17g", d);
  return gen_status(yajl_gen_number(g, buf, strlen(buf)), path, err);
}

int ocis_gen_int(yajl_gen g, int64_t n, const ocis_path *path, char **err) {
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRId64, n);
  return gen_status(yajl_gen_number(g, buf, strlen(buf)), path, err);
}

int ocis_gen_uint(yajl_gen g, uint64_t n, const ocis_path *path, char **err) {
  char buf[32];
  /* yajl_gen_integer takes a long long; the text keeps values above INT64_MAX. */
  snprintf(buf, sizeof buf, "%" PRIu64, n);
  return gen_status(yajl_gen_number(g, buf, strlen(buf)), path, err);
}

int ocis_gen_string_map(yajl_gen g, const oci_string_map *m, const ocis_path *path, char **err) {
  if (ocis_gen_map_open(g, path, err) < 0)
    return -1;
  for (size_t i = 0; i < m->len; i++) {
    ocis_path p = OCIS_KEY(path, m->keys[i]);
    if (m->keys[i] == NULL)
      return ocis_null_element(path, err);
    if (ocis_gen_key(g, m->keys[i], &p, err) < 0 ||
        ocis_gen_string(g, m->values[i], NULL, &p, err) < 0)
      return -1;
  }
  return ocis_gen_map_close(g, path, err);
}

/* ---- documents ----------------------------------------------------------- */

/* Sets *errmsg to "SOURCE: msg" (or just msg without a source) and frees msg. */
static void report(char **errmsg, const char *source, char *msg) {
  if (errmsg == NULL) {
    free(msg);
  } else if (source == NULL) {
    *errmsg = msg;
  } else {
    *errmsg = format("%s: %s", source, msg);
    free(msg);
  }
}

/* A first pass over the text with yajl's event parser, whose handle (unlike
 * the tree API's) tells where an error is, and which limits the nesting. */
struct check {
  int depth;
  bool too_deep;
};

static int check_open(void *ctx) {
  struct check *c = ctx;
  if (++c->depth > OCIS_MAX_DEPTH) {
    c->too_deep = true;
    return 0;
  }
  return 1;
}

static int check_close(void *ctx) {
  struct check *c = ctx;
  c->depth--;
  return 1;
}

static int check_number(void *ctx, const char *s, size_t len) {
  /* Taking numbers as text keeps yajl from failing on integers above LLONG_MAX. */
  return 1;
}

static size_t line_at(const char *json, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset; i++)
    if (json[i] == '\n')
      line++;
  return line;
}

static char *check_json(const char *json, size_t len) {
  static const yajl_callbacks callbacks = {
      .yajl_number = check_number,
      .yajl_start_map = check_open,
      .yajl_end_map = check_close,
      .yajl_start_array = check_open,
      .yajl_end_array = check_close,
  };
  struct check c = {0, false};
  const char *nul = memchr(json, '\0', len);
  yajl_handle h;
  yajl_status st;
  size_t offset;
  char *msg = NULL;

  if (nul != NULL)
    return format("invalid JSON: NUL byte at line %zu", line_at(json, (size_t)(nul - json)));
  h = yajl_alloc(&callbacks, NULL, &c);
  if (h == NULL)
    oom();
  st = yajl_parse(h, (const unsigned char *)json, len);
  if (st == yajl_status_ok) {
    st = yajl_complete_parse(h);
    /* An error at the end (premature EOF): report the last line with text. */
    offset = len;
    while (offset > 0 && isspace((unsigned char)json[offset - 1]))
      offset--;
  } else {
    /* bytes consumed points just past the offending token. */
    offset = yajl_get_bytes_consumed(h);
    if (offset > 0)
      offset--;
  }
  if (c.too_deep) {
    msg = format("invalid JSON: nesting deeper than %d levels at line %zu", OCIS_MAX_DEPTH,
                 line_at(json, offset));
  } else if (st != yajl_status_ok) {
    unsigned char *e = yajl_get_error(h, 0, (const unsigned char *)json, len);
    size_t elen = strcspn((const char *)e, "\n");
    msg =
        format("invalid JSON: %.*s at line %zu", (int)elen, (const char *)e, line_at(json, offset));
    yajl_free_error(h, e);
  }
  yajl_free(h);
  return msg;
}

void *ocis_parse_data(const char *json, size_t len, const char *source, ocis_parse_fn fn,
                      char **errmsg) {
  char *err = NULL;
  char *text;
  char ebuf[256];
  yajl_val tree;
  void *r;

  if (errmsg != NULL)
    *errmsg = NULL;
  if (json == NULL) {
    json = "";
    len = 0;
  }
  if ((err = check_json(json, len)) != NULL) {
    report(errmsg, source, err);
    errno = EINVAL;
    return NULL;
  }
  /* yajl_tree_parse wants a NUL-terminated string. */
  text = malloc(len + 1);
  if (text == NULL)
    oom();
  memcpy(text, json, len);
  text[len] = '\0';
  ebuf[0] = '\0';
  tree = yajl_tree_parse(text, ebuf, sizeof ebuf);
  free(text);
  if (tree == NULL) {
    /* Only reached when memory runs out: the first pass accepted the text. */
    report(errmsg, source, format("invalid JSON: %.*s", (int)strcspn(ebuf, "\n"), ebuf));
    errno = EINVAL;
    return NULL;
  }
  r = fn(tree, NULL, &err);
  yajl_tree_free(tree);
  if (r == NULL) {
    report(errmsg, source, err != NULL ? err : ocis_strdup("invalid document"));
    errno = EINVAL;
  }
  return r;
}

char *ocis_read_file(const char *path, size_t *len, char **errmsg) {
  size_t size = 0, cap = 4096;
  char *buf;
  int fd, saved;

  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    goto fail;
  buf = malloc(cap);
  if (buf == NULL)
    oom();
  for (;;) {
    ssize_t n;
    if (size + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (nb == NULL)
        oom();
      buf = nb;
      cap *= 2;
    }
    n = read(fd, buf + size, cap - size - 1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      saved = errno;
      free(buf);
      close(fd);
      errno = saved;
      goto fail;
    }
    if (n == 0)
      break;
    size += (size_t)n;
  }
  close(fd);
  buf[size] = '\0';
  *len = size;
  return buf;

fail:
  saved = errno;
  if (errmsg != NULL)
    *errmsg = format("%s: cannot read: %s", path, strerror(saved));
  errno = saved;
  return NULL;
}

void *ocis_parse_file(const char *path, ocis_parse_fn fn, char **errmsg) {
  size_t len;
  char *data;
  void *r;

  if (errmsg != NULL)
    *errmsg = NULL;
  data = ocis_read_file(path, &len, errmsg);
  if (data == NULL)
    return NULL;
  r = ocis_parse_data(data, len, path, fn, errmsg);
  free(data);
  return r;
}

char *ocis_generate_json(const void *v, ocis_gen_fn fn, char **errmsg) {
  const unsigned char *buf;
  size_t len;
  char *err = NULL;
  char *out;
  yajl_gen g;

  if (errmsg != NULL)
    *errmsg = NULL;
  if (v == NULL) {
    report(errmsg, NULL, ocis_strdup("cannot generate JSON: no value"));
    errno = EINVAL;
    return NULL;
  }
  g = yajl_gen_alloc(NULL);
  if (g == NULL)
    oom();
  /* Hand-built strings are checked, so the output always parses again. */
  yajl_gen_config(g, yajl_gen_validate_utf8, 1);
  if (fn(g, v, NULL, &err) < 0) {
    yajl_gen_free(g);
    report(errmsg, "cannot generate JSON", err);
    errno = EINVAL;
    return NULL;
  }
  yajl_gen_get_buf(g, &buf, &len);
  out = malloc(len + 1);
  if (out == NULL)
    oom();
  memcpy(out, buf, len);
  out[len] = '\0';
  yajl_gen_free(g);
  return out;
}
