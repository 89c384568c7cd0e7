/* libFuzzer target: arbitrary bytes as a state document, both the OCI state
 * that `contain state` prints and contain's own <root>/<id>/state.json. */
#include "roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FUZZ_ROUND_TRIP(state, data, size);
  FUZZ_ROUND_TRIP(runtime_state, data, size);
  return 0;
}
