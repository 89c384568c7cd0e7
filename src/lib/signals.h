/* signals.h — signal names as kill(1) and runc take them: "KILL", "SIGKILL", "9". */
#ifndef CONTAIN_SIGNALS_H
#define CONTAIN_SIGNALS_H

/* The signal number, or -1 when the text names no signal. */
int signal_parse(const char *text);

#endif
