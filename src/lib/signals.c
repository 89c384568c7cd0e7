/* signals.c — the table of signal names (see signals.h). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "signals.h"

static const struct {
  const char *name;
  int number;
} signal_table[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},
    {"SYS", SIGSYS},
};

static int parse_number(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  return *s && *end == '\0' && v > 0 && v < NSIG ? (int)v : -1;
}

int signal_parse(const char *text) {
  if (text == NULL || *text == '\0')
    return -1;
  if (text[0] >= '0' && text[0] <= '9')
    return parse_number(text);
  const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
  for (size_t i = 0; i < sizeof signal_table / sizeof signal_table[0]; i++)
    if (strcasecmp(name, signal_table[i].name) == 0)
      return signal_table[i].number;
  /* RTMIN+n and RTMAX-n */
  if (strncasecmp(name, "RTMIN", 5) == 0) {
    int off = name[5] == '\0' ? 0 : name[5] == '+' ? parse_number(name + 6) : -1;
    return off < 0 || SIGRTMIN + off > SIGRTMAX ? -1 : SIGRTMIN + off;
  }
  if (strncasecmp(name, "RTMAX", 5) == 0) {
    int off = name[5] == '\0' ? 0 : name[5] == '-' ? parse_number(name + 6) : -1;
    return off < 0 || SIGRTMAX - off < SIGRTMIN ? -1 : SIGRTMAX - off;
  }
  return -1;
}
