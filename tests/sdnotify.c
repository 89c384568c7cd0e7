/* sdnotify.c — `sdnotify MESSAGE`: sends MESSAGE to $NOTIFY_SOCKET as sd_notify(3)
 * does. Built static, copied into test rootfs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *path = getenv("NOTIFY_SOCKET");
  if (argc != 2 || path == NULL || strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
    fprintf(stderr, "usage: NOTIFY_SOCKET=PATH sdnotify MESSAGE\n");
    return 2;
  }
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  strcpy(sa.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0 || sendto(fd, argv[1], strlen(argv[1]), 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
    perror("sdnotify");
    return 1;
  }
  return 0;
}
