/* roundtrip.h — the check shared by the libFuzzer targets: whatever bytes
 * come in, parsing either fails with a one-line message or gives a struct
 * that generates JSON which parses back and generates the same bytes again.
 * Any other outcome aborts, which libFuzzer reports as a crash; the
 * sanitizers catch leaks and memory errors on the way. */
#ifndef FUZZ_ROUNDTRIP_H
#define FUZZ_ROUNDTRIP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci-types.h"

static inline void fuzz_fail(const char *what, const char *detail) {
  fprintf(stderr, "fuzz: %s: %s\n", what, detail ? detail : "(no message)");
  abort();
}

/* T is the document type: config, state, runtime_state, features. */
#define FUZZ_ROUND_TRIP(T, data, size)                                                             \
  do {                                                                                             \
    char *err_ = NULL;                                                                             \
    oci_##T *v_ = oci_##T##_parse_data((const char *)(data), (size), "fuzz", &err_);               \
    if (v_ == NULL) {                                                                              \
      if (err_ == NULL || strchr(err_, '\n') != NULL)                                              \
        fuzz_fail("parse error is not one line", err_);                                            \
      free(err_);                                                                                  \
      break;                                                                                       \
    }                                                                                              \
    char *json_ = oci_##T##_generate_json(v_, &err_);                                              \
    if (json_ == NULL)                                                                             \
      fuzz_fail("cannot generate what was parsed", err_);                                          \
    oci_##T *v2_ = oci_##T##_parse_data(json_, strlen(json_), "regenerated", &err_);               \
    if (v2_ == NULL)                                                                               \
      fuzz_fail("generated JSON does not parse", err_);                                            \
    char *json2_ = oci_##T##_generate_json(v2_, &err_);                                            \
    if (json2_ == NULL || strcmp(json_, json2_) != 0)                                              \
      fuzz_fail("second generation differs", json2_);                                              \
    free(json2_);                                                                                  \
    free(json_);                                                                                   \
    oci_##T##_free(v2_);                                                                           \
    oci_##T##_free(v_);                                                                            \
  } while (0)

#endif
