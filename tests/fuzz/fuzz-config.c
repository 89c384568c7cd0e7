/* libFuzzer target: arbitrary bytes as config.json (see roundtrip.h). */
#include "roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FUZZ_ROUND_TRIP(config, data, size);
  return 0;
}
