/* trampoline.c — the last step into a container's process: execve(argv[1], argv + 2, envp).
 *
 * The init and exec's child are copies of the runtime, so for them /proc/self/exe is the
 * runtime's binary; an image whose program is a "#!/proc/self/exe" script (or an ELF
 * whose interpreter is /proc/self/exe) would make their execve load the runtime again,
 * as a dumpable process of the container, which could then write to the host's binary
 * (CVE-2019-5736). So they do not execve the program themselves: they execute this
 * tiny static program from a sealed memfd, which executes the program. Whatever the
 * program's interpreter chain names, /proc/self/exe is then this sealed copy.
 * No libc: a few hundred bytes, copied per container start. */
#include <asm/unistd.h>

static long sys3(long n, long a, long b, long c) {
  long r;
#if defined(__x86_64__)
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
  register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
                   x2 __asm__("x2") = c;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  r = x0;
#else
#error "contain's trampoline supports x86_64 and aarch64"
#endif
  return r;
}

__attribute__((used, noreturn)) void trampoline_main(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  long err = argc >= 3 ? -sys3(__NR_execve, (long)argv[1], (long)(argv + 2), (long)envp) : 22;
  char msg[] = "contain: exec failed: errno 000\n";
  msg[28] = (char)('0' + err / 100 % 10);
  msg[29] = (char)('0' + err / 10 % 10);
  msg[30] = (char)('0' + err % 10);
  sys3(__NR_write, 2, (long)msg, sizeof msg - 1);
  for (;;)
    sys3(__NR_exit_group, 127, 0, 0);
}

#if defined(__x86_64__)
__asm__(".text\n.globl _start\n_start:\n xor %rbp,%rbp\n mov %rsp,%rdi\n and $-16,%rsp\n"
        " call trampoline_main\n");
#elif defined(__aarch64__)
__asm__(".text\n.globl _start\n_start:\n mov x0, sp\n bl trampoline_main\n");
#endif
