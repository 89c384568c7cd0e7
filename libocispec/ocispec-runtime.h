/* ocispec-runtime.h — the hand-written support code of the generated oci-types.c.
 *
 * Public part: oci_string_map, the type of every JSON object whose values are
 * strings (annotations, sysctl, unified, ...).
 *
 * Everything prefixed ocis_ is internal to libocispec: the generated parsers and
 * generators call it; code outside libocispec/ should not. */
#ifndef OCISPEC_RUNTIME_H
#define OCISPEC_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Keys are unique and kept in input order; keys[len] and values[len] are NULL
 * when the map came from the parser or oci_string_map_set. */
typedef struct oci_string_map {
  char **keys;
  char **values;
  size_t len;
} oci_string_map;

oci_string_map *oci_string_map_new(void);
void oci_string_map_free(oci_string_map *m); /* NULL is fine */
/* The value of key, or NULL when m is NULL or has no such key. */
const char *oci_string_map_get(const oci_string_map *m, const char *key);
/* Copies key and value; replaces the value of an existing key. */
void oci_string_map_set(oci_string_map *m, const char *key, const char *value);

/* ---- internal ------------------------------------------------------------ */

/* One step of the JSON path to a value, on the C stack: a key (object field
 * or map key) or, when key is NULL, an array index. The root is a NULL path.
 * Paths are only turned into text when an error is reported. */
typedef struct ocis_path {
  const struct ocis_path *parent;
  const char *key;
  size_t index;
} ocis_path;

#define OCIS_KEY(p, k) ((ocis_path){.parent = (p), .key = (k), .index = 0})
#define OCIS_INDEX(p, i) ((ocis_path){.parent = (p), .key = NULL, .index = (i)})

/* Memory: out of memory aborts, as in the rest of contain. */
void *ocis_calloc(size_t n, size_t size);
char *ocis_strdup(const char *s);

/* Sets *err to "PATH: message" (replacing an older one) and returns -1. */
int ocis_error(char **err, const ocis_path *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ocis_missing(const ocis_path *path, char **err);
int ocis_null_element(const ocis_path *path, char **err);

/* Parsing from a yajl tree. Each returns 0, or -1 with *err set. */
yajl_val ocis_get(yajl_val obj, const char *key, const ocis_path *parent, ocis_path *p);
int ocis_check_object(yajl_val v, const ocis_path *path, char **err);
int ocis_check_array(yajl_val v, const ocis_path *path, char **err);
/* allowed: NULL-terminated list of accepted values, or NULL for any string. */
int ocis_parse_string(yajl_val v, const ocis_path *path, const char *const *allowed, char **out,
                      char **err);
int ocis_parse_bool(yajl_val v, const ocis_path *path, bool *out, char **err);
int ocis_parse_number(yajl_val v, const ocis_path *path, double *out, char **err);
int ocis_parse_int(yajl_val v, const ocis_path *path, int64_t min, int64_t max, int64_t *out,
                   char **err);
int ocis_parse_uint(yajl_val v, const ocis_path *path, uint64_t max, uint64_t *out, char **err);
oci_string_map *ocis_parse_string_map(yajl_val v, const ocis_path *path, char **err);
/* Index of key in keys[0..len), or len when absent. */
size_t ocis_key_index(char **keys, size_t len, const char *key);

/* Generation with yajl_gen. Each returns 0, or -1 with *err set. */
int ocis_gen_map_open(yajl_gen g, const ocis_path *path, char **err);
int ocis_gen_map_close(yajl_gen g, const ocis_path *path, char **err);
int ocis_gen_array_open(yajl_gen g, const ocis_path *path, char **err);
int ocis_gen_array_close(yajl_gen g, const ocis_path *path, char **err);
int ocis_gen_key(yajl_gen g, const char *key, const ocis_path *path, char **err);
int ocis_gen_string(yajl_gen g, const char *s, const char *const *allowed, const ocis_path *path,
                    char **err);
int ocis_gen_bool(yajl_gen g, bool b, const ocis_path *path, char **err);
int ocis_gen_number(yajl_gen g, double d, const ocis_path *path, char **err);
int ocis_gen_int(yajl_gen g, int64_t n, const ocis_path *path, char **err);
int ocis_gen_uint(yajl_gen g, uint64_t n, const ocis_path *path, char **err);
int ocis_gen_string_map(yajl_gen g, const oci_string_map *m, const ocis_path *path, char **err);

/* The drivers behind every oci_T_parse_file/_parse_data/_generate_json. */
typedef void *(*ocis_parse_fn)(yajl_val v, const ocis_path *path, char **err);
typedef int (*ocis_gen_fn)(yajl_gen g, const void *v, const ocis_path *path, char **err);
void *ocis_parse_file(const char *path, ocis_parse_fn fn, char **errmsg);
void *ocis_parse_data(const char *json, size_t len, const char *source, ocis_parse_fn fn,
                      char **errmsg);
char *ocis_generate_json(const void *v, ocis_gen_fn fn, char **errmsg);

/* Reads a whole file (also /proc files, whose size stat does not know).
 * Returns a NUL-terminated malloc'd buffer and its length in *len, or NULL
 * with errno set and *errmsg = "PATH: cannot read: <strerror>". */
char *ocis_read_file(const char *path, size_t *len, char **errmsg);

/* Deepest nesting of arrays and objects accepted in a document; deeper input is
 * invalid JSON here. No OCI document comes close; the limit keeps yajl's
 * recursive tree free from exhausting the stack on hostile input. */
#define OCIS_MAX_DEPTH 1000

#ifdef __cplusplus
}
#endif

#endif
