/* test-signals.c — signal names and numbers as `kill` takes them. */
#include <signal.h>

#include "signals.h"
#include "unit.h"

int main(void) {
  CHECK(signal_parse("KILL") == SIGKILL);
  CHECK(signal_parse("SIGKILL") == SIGKILL);
  CHECK(signal_parse("sigterm") == SIGTERM);
  CHECK(signal_parse("9") == 9);
  CHECK(signal_parse("15") == SIGTERM);
  CHECK(signal_parse("WINCH") == SIGWINCH);
  CHECK(signal_parse("RTMIN") == SIGRTMIN);
  CHECK(signal_parse("RTMIN+2") == SIGRTMIN + 2);
  CHECK(signal_parse("SIGRTMAX-1") == SIGRTMAX - 1);
  CHECK(signal_parse("") == -1);
  CHECK(signal_parse("FOO") == -1);
  CHECK(signal_parse("0") == -1);
  CHECK(signal_parse("65") == -1);
  CHECK(signal_parse("9x") == -1);
  CHECK(signal_parse("SIG") == -1);
  CHECK(signal_parse("RTMIN+99") == -1);
  return unit_report();
}
