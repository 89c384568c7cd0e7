/* A main() for the fuzz targets without libFuzzer, so that `make check`
 * runs every seed through them with any compiler: each argument is a file or
 * a directory of files; with no argument, FUZZ_CORPUS_DIR is used. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0, cap = 0;
  size_t n;
  char chunk[4096];

  if (f == NULL) {
    perror(path);
    return -1;
  }
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n > cap) {
      cap = (len + n) * 2;
      buf = realloc(buf, cap);
      if (buf == NULL)
        abort();
    }
    memcpy(buf + len, chunk, n);
    len += n;
  }
  fclose(f);
  LLVMFuzzerTestOneInput((const uint8_t *)(buf ? buf : ""), len);
  free(buf);
  return 0;
}

static int run_path(const char *path, int *count) {
  struct stat st;
  if (stat(path, &st) < 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    (*count)++;
    return run_file(path);
  }
  DIR *d = opendir(path);
  struct dirent *e;
  int rc = 0;
  if (d == NULL) {
    perror(path);
    return -1;
  }
  while ((e = readdir(d)) != NULL) {
    char *p;
    if (e->d_name[0] == '.')
      continue;
    if (asprintf(&p, "%s/%s", path, e->d_name) < 0)
      abort();
    if (run_path(p, count) < 0)
      rc = -1;
    free(p);
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv) {
  int count = 0, rc = 0;
  if (argc < 2) {
#ifdef FUZZ_CORPUS_DIR
    rc = run_path(FUZZ_CORPUS_DIR, &count);
#else
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
#endif
  }
  for (int i = 1; i < argc; i++)
    if (run_path(argv[i], &count) < 0)
      rc = -1;
  /* A crash aborts before this line; reaching it means every input passed. */
  printf("%d passed, 0 failed\n", count);
  return rc < 0 || count == 0 ? 1 : 0;
}
