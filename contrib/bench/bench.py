#!/usr/bin/env python3
"""bench.py — contain against runc, crun and the kernel floor (issue 9). Python 3 stdlib only.

    make bench                       # builds contain and floor, then runs this
    contrib/bench/bench.py [--contain PATH] [--floor PATH] [--runtimes contain,runc,crun]
                           [-n N] [--quick] [--out FILE.md]

Environment: BENCH_N (sequential iterations, default 100), BENCH_QUICK=1 (well under a
minute: N=10, fewer rounds), BENCH_RUNTIMES, BENCH_OUT (also write the report there),
BENCH_STATE_TMPFS=1 (the --root dirs on a tmpfs mounted in the bench's own mount namespace,
as /run is on systemd hosts), CONTAIN, FLOOR, RUNC, CRUN.

Every workload runs the runtimes interleaved, A B C A B C ..., the order rotated by one
each round (A B C, B C A, C A B), on one busybox bundle on tmpfs, with the same
config.json for all (`contain spec`, ociVersion 1.0.2-dev so that crun 1.8 reads it,
linux.cgroupsPath empty). Each timed call is posix_spawn + wait of the runtime's command
line (stdio on /dev/null, stderr kept for the report); a call whose exit status is not the
expected one is counted as failed and not timed. Times are medians with the p25-p75 spread;
the ratios from one run are the result, absolute times are noise on a shared machine.

  1. run of /bin/true, N sequential (per run, and the total of the N)
 1b. run of /bin/true after 100 ms idle, N/5 each: a cgroup migration after a quiet spell
     waits for an RCU grace period, which back-to-back runs never show
  2. create -> start -> wait -> delete, each phase timed alone (wait: from start's return
     until the container's init is gone, seen through a pidfd)
  3. peak RSS (/usr/bin/time -v: "Maximum resident set size") of run and create; the smallest
     linux.resources.memory.limit (512K, 1M, 2M, ...) under which run of /bin/true succeeds
  4. 50 concurrent runs (the whole batch, and each run's latency within it)
  5. exec of /bin/true into a running container, N sequential
  6. state and list with 100 containers created

The floor (floor.c) does the kernel work only and is timed the same way: floor ROOTFS
for 1 and 4, floor -e PID for 5; "floor+mounts" (floor -m) adds the config's mounts.

A runtime whose trial run fails on the host (crun 1.8 refuses hybrid cgroup hosts) is
retried inside a private mount namespace (mount --make-rprivate / first) and a new cgroup
namespace whose /sys/fs/cgroup is a fresh tmpfs holding only the v1 hierarchies; the
host's mounts are never touched, and since the cgroup namespace is rooted at the bench's
own cgroup, the container cgroups land beneath it. The bench enters that namespace
(setns) before spawning the runtime and leaves it after the wait, outside the timing.

State: --root /run/contain-bench-<pid>/<runtime>-<workload>; bundles under
/dev/shm/contain-bench-<pid>; every container is deleted (--force), every process reaped
(the bench is a child subreaper), the holder of the namespace killed by its pid, the dirs
removed, and leftover cgroups named after the bench's ids removed, even on failure or ^C.
"""

import argparse
import ctypes
import datetime
import json
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
PR_SET_CHILD_SUBREAPER = 36
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
libc = ctypes.CDLL(None, use_errno=True)
now = time.perf_counter_ns


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---- processes ---------------------------------------------------------------------------

class Reaper:
    """Every child, and every orphan reparented to the bench (a subreaper), is reaped
    here with waitpid(-1): exit times are taken when the kernel reports them."""

    def __init__(self):
        self.want = set()
        self.done = {}
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise BenchError("prctl(PR_SET_CHILD_SUBREAPER) failed")

    def _take(self, flags):
        try:
            pid, status, ru = os.wait4(-1, flags)
        except ChildProcessError:
            return False
        if pid == 0:
            return False
        t = now()
        if pid in self.want:
            self.want.discard(pid)
            cpu = int((ru.ru_utime + ru.ru_stime) * 1e9)
            self.done[pid] = (os.waitstatus_to_exitcode(status), t, cpu)
        return True

    def wait(self, pid):
        """-> (exit code, or -signal; time of the exit; CPU time (user + sys) of the
        process and of the descendants it reaped)"""
        while pid not in self.done:
            if not self._take(0):
                raise BenchError(f"lost child {pid}")
        return self.done.pop(pid)

    def reap(self):
        while self._take(os.WNOHANG):
            pass


class Namespace:
    """A private mount + cgroup namespace where /sys/fs/cgroup holds only the v1
    hierarchies, held open by a sleeping process."""

    def __init__(self):
        hier = []
        with open("/proc/self/mountinfo") as f:
            for line in f:
                pre, post = line.split(" - ", 1)
                fstype, _src, superopts = post.split()[:3]
                mnt = pre.split()[4]
                if fstype == "cgroup" and mnt.startswith("/sys/fs/cgroup/"):
                    opts = ",".join(o for o in superopts.split(",") if o not in ("rw", "ro"))
                    hier.append((mnt, opts))
        if not hier:
            raise BenchError("no cgroup v1 hierarchy on this host")
        script = ["set -e", "mount --make-rprivate /",
                  "mount -t tmpfs -o mode=755,nosuid,nodev,noexec bench-cgroup /sys/fs/cgroup"]
        for mnt, opts in hier:
            script += [f"mkdir -p {mnt}", f"mount -t cgroup -o {opts} cgroup {mnt}"]
        script += ["echo ready", "exec sleep 2147483647"]
        self.mounts = hier
        self.proc = subprocess.Popen(["unshare", "--mount", "--cgroup", "--", "sh", "-c",
                                      "\n".join(script)], stdout=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode().strip()
        if line != "ready":
            self.close()
            raise BenchError("could not set up the cgroup v1 namespace")
        pid = self.proc.pid
        self.fds = (os.open(f"/proc/{pid}/ns/mnt", os.O_RDONLY | os.O_CLOEXEC),
                    os.open(f"/proc/{pid}/ns/cgroup", os.O_RDONLY | os.O_CLOEXEC))
        self.host = (os.open("/proc/self/ns/mnt", os.O_RDONLY | os.O_CLOEXEC),
                     os.open("/proc/self/ns/cgroup", os.O_RDONLY | os.O_CLOEXEC))
        self.cwd = os.getcwd()

    @staticmethod
    def _setns(fds):
        for fd, kind in zip(fds, (CLONE_NEWNS, CLONE_NEWCGROUP)):
            if libc.setns(fd, kind) != 0:
                e = ctypes.get_errno()
                raise BenchError(f"setns: {os.strerror(e)}")

    def enter(self):
        self._setns(self.fds)

    def leave(self):
        self._setns(self.host)
        os.chdir(self.cwd)

    def close(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        try:
            self.proc.wait(timeout=5)
        except (ChildProcessError, subprocess.TimeoutExpired):
            pass


class Runtime:
    def __init__(self, name, path, kind="runtime"):
        self.name, self.path, self.kind = name, path, kind
        self.ns = None  # a Namespace when the runtime cannot work on this host
        self.roots = set()
        self.live = {}  # id -> root: containers that may exist

    def root(self, wl):
        r = f"{B.state}/{self.name}-{wl}"
        os.makedirs(r, exist_ok=True)
        self.roots.add(r)
        return r

    def argv(self, wl, *args):
        return [self.path, "--root", self.root(wl), *args]

    def enter(self):
        if self.ns:
            self.ns.enter()

    def leave(self):
        if self.ns:
            self.ns.leave()


class Call:
    """One spawned command with its own stderr file."""

    def __init__(self, slot):
        self.err = os.open(f"{B.tmp}/err.{slot}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def spawn(self, argv, out=None):
        os.ftruncate(self.err, 0)
        os.lseek(self.err, 0, os.SEEK_SET)
        fa = [(os.POSIX_SPAWN_DUP2, B.devnull, 0),
              (os.POSIX_SPAWN_DUP2, B.devnull if out is None else out, 1),
              (os.POSIX_SPAWN_DUP2, self.err, 2)]
        self.argv = argv
        self.t0 = now()
        pid = os.posix_spawn(argv[0], argv, B.env, file_actions=fa)
        B.reaper.want.add(pid)
        self.pid = pid
        return pid

    def finish(self):
        self.rc, self.t1, self.cpu = B.reaper.wait(self.pid)
        return self.rc

    def errtext(self):
        s = os.pread(self.err, 4000, 0).decode(errors="replace").strip()
        s = s.splitlines()[-1] if s else ""
        return f"{os.path.basename(self.argv[0])} {' '.join(self.argv[3:])}: exit {self.rc}: {s}"


def call(rt, argv, out=None, slot=0):
    """One timed call, synchronous: -> (ok, ns, Call)."""
    c = B.calls[slot]
    rt.enter()
    try:
        c.spawn(argv, out)
        c.finish()
    finally:
        rt.leave()
    return c.rc == 0, c.t1 - c.t0, c


def quiet(rt, argv):
    """An untimed call (setup, cleanup) -> ok."""
    ok, _, c = call(rt, argv, slot=1)
    if not ok:
        B.last_quiet_error = c.errtext()
    return ok


def force_delete(rt, wl, cid):
    quiet(rt, rt.argv(wl, "delete", "--force", cid))
    B.reaper.reap()
    rt.live.pop(cid, None)


def rotations(items, n):
    for i in range(n):
        k = i % len(items)
        yield i, items[k:] + items[:k]


# ---- results -----------------------------------------------------------------------------

class Results:
    def __init__(self):
        self.samples = {}  # metric -> name -> [values]
        self.failed = {}   # metric -> name -> [count, first error]
        self.values = {}   # metric -> name -> one value (text or number)
        self.order = []
        self.units = {}

    def _metric(self, m, unit):
        if m not in self.units:
            self.order.append(m)
            self.units[m] = unit

    def add(self, m, name, v, unit="ms"):
        self._metric(m, unit)
        self.samples.setdefault(m, {}).setdefault(name, []).append(v)

    def fail(self, m, name, err, unit="ms"):
        self._metric(m, unit)
        f = self.failed.setdefault(m, {}).setdefault(name, [0, err])
        f[0] += 1

    def set(self, m, name, v, unit):
        self._metric(m, unit)
        self.values.setdefault(m, {})[name] = v

    def median(self, m, name):
        if name in self.values.get(m, {}):
            v = self.values[m][name]
            return v if isinstance(v, (int, float)) else None
        xs = self.samples.get(m, {}).get(name)
        return statistics.median(xs) if xs else None

    def spread(self, m, name):
        xs = sorted(self.samples.get(m, {}).get(name) or [])
        if len(xs) < 2:
            return None
        q = statistics.quantiles(xs, n=4, method="inclusive")
        return q[0], q[2]


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "ms":
        v = v / 1e6
    elif unit == "s":
        v = v / 1e9
    elif unit == "MB":
        v = v / 1024.0
    elif unit == "KiB":
        return f"{v} KiB" if v < 1024 else f"{v // 1024} MiB"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}"


def table(res, names):
    others = [n for n in names if n not in ("contain",) and not n.startswith("floor")]
    head = ["workload", "unit"] + names + [f"{n}/contain" for n in others] + \
        ["contain/floor"]
    rows = []
    for m in res.order:
        unit = res.units[m]
        row = [m, unit]
        for n in names:
            med = res.median(m, n)
            cell = fmt(med, unit) if med is not None else res.values.get(m, {}).get(n, "-")
            sp = res.spread(m, n)
            if sp:
                cell += f" ({fmt(sp[0], unit)}-{fmt(sp[1], unit)})"
            f = res.failed.get(m, {}).get(n)
            if f:
                total = len(res.samples.get(m, {}).get(n, [])) + f[0]
                cell += f" [{f[0]}/{total} failed]"
            row.append(cell)
        c = res.median(m, "contain")
        for n in others:
            row.append(ratio(res.median(m, n), c))
        fl = next((res.median(m, n) for n in ("floor",) if res.median(m, n) is not None), None)
        row.append(ratio(c, fl))
        rows.append(row)
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(out)


# ---- the bench ---------------------------------------------------------------------------

class Bench:
    pass


B = Bench()


def make_bundles(contain):
    base = B.bundles
    env = dict(os.environ, RUNTIME=contain)
    r = subprocess.run([f"{TOP}/contrib/mkbundle.sh", f"{base}/base"], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"mkbundle.sh failed: {r.stderr.strip()}")
    with open(f"{base}/base/config.json") as f:
        cfg = json.load(f)
    cfg["ociVersion"] = "1.0.2-dev"  # crun 1.8.1 refuses 1.2.0 ("unknown version specified")
    cfg["hostname"] = "bench"
    cfg["root"]["path"] = f"{base}/base/rootfs"
    cfg["linux"].pop("cgroupsPath", None)
    B.rootfs = cfg["root"]["path"]

    def bundle(name, args, mem=None):
        c = json.loads(json.dumps(cfg))
        c["process"]["args"] = args
        if mem is not None:
            c["linux"].setdefault("resources", {})["memory"] = {"limit": mem}
        d = f"{base}/{name}"
        os.makedirs(d, exist_ok=True)
        with open(f"{d}/config.json", "w") as f:
            json.dump(c, f, indent=2)
        return d

    B.b_true = bundle("true", ["/bin/true"])
    # the same without the default seccomp profile of `contain spec`, to show its cost
    B.seccomp_rules = sum(len(s.get("names", [])) for s in cfg["linux"].get("seccomp", {}).get("syscalls", []))
    nosec = cfg["linux"].pop("seccomp", None)
    B.b_true_noseccomp = bundle("true-noseccomp", ["/bin/true"])
    if nosec is not None:
        cfg["linux"]["seccomp"] = nosec
    B.b_sleep = bundle("sleep", ["/bin/sleep", "2147483"])
    B.b_mem = {k: bundle(f"mem-{k}", ["/bin/true"], k * 1024) for k in MEM_LIMITS_KIB}


MEM_LIMITS_KIB = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]


def new_id(tag):
    B.seq += 1
    return f"{B.prefix}-{tag}{B.seq}"


def trial(rt):
    cid = new_id("trial")
    rt.live[cid] = "trial"
    ok, _, c = call(rt, rt.argv("trial", "run", "-b", B.b_true, cid))
    if not ok:
        err = c.errtext()
        force_delete(rt, "trial", cid)
        return err
    rt.live.pop(cid, None)
    return None


def w1_run(res, rts, n, floors):
    log(f"1: run of /bin/true, {n} sequential, interleaved")
    items = rts + floors
    for rt in items:  # warm the page cache and the dentries
        for _ in range(3):
            if rt.kind == "floor":
                call(rt, rt.floor_argv())
            else:
                cid = new_id("w")
                rt.live[cid] = "run"
                if call(rt, rt.argv("run", "run", "-b", B.b_true, cid))[0]:
                    rt.live.pop(cid)
                else:
                    force_delete(rt, "run", cid)
    totals = {rt.name: 0 for rt in items}
    for _, order in rotations(items, n):
        for rt in order:
            if rt.kind == "floor":
                ok, t, c = call(rt, rt.floor_argv())
            else:
                cid = new_id("r")
                rt.live[cid] = "run"
                ok, t, c = call(rt, rt.argv("run", "run", "-b", B.b_true, cid))
                if ok:
                    rt.live.pop(cid)
                else:
                    force_delete(rt, "run", cid)
            if ok:
                res.add("1 run /bin/true", rt.name, t)
                res.add("1 run /bin/true: CPU time", rt.name, c.cpu)
                totals[rt.name] += t
            else:
                res.fail("1 run /bin/true", rt.name, c.errtext())
    for name, t in totals.items():
        res.set(f"1 run x{n}, total", name, t, "s")
    # what the bench itself costs: posix_spawn + wait of the host's /bin/true
    host_true = Runtime("harness", "/bin/true", "floor")
    host_true.floor_argv = lambda: ["/bin/true"]
    xs = sorted(call(host_true, ["/bin/true"])[1] for _ in range(max(20, n)))
    B.notes.append(f"harness: posix_spawn + wait of the host's /bin/true takes "
                   f"{fmt(statistics.median(xs), 'ms')} ms (median); it is inside every time above")


def w1_seccomp(res, rts, n):
    """run of /bin/true without a seccomp profile, against workload 1 (which has the
    default profile, about 350 syscall rules): the cost of loading a big filter."""
    log(f"1c: run of /bin/true without seccomp, {n} sequential, interleaved")
    label = f"1c run /bin/true, no seccomp (1 has {B.seccomp_rules} rules)"
    for _, order in rotations(rts, n):
        for rt in order:
            cid = new_id("s")
            rt.live[cid] = "run"
            ok, t, c = call(rt, rt.argv("run", "run", "-b", B.b_true_noseccomp, cid))
            if ok:
                rt.live.pop(cid)
                res.add(label, rt.name, t)
                res.add(label + ": CPU time", rt.name, c.cpu)
            else:
                force_delete(rt, "run", cid)
                res.fail(label, rt.name, c.errtext())


def w1_idle(res, rts, n, gap_ms):
    """run after an idle pause: the first cgroup migration after a quiet spell pays an RCU
    grace period (cgroup v1: percpu_down_write of cgroup_threadgroup_rwsem), which
    back-to-back runs hide."""
    log(f"1b: run of /bin/true after {gap_ms} ms idle, {n} each, interleaved")
    m = f"1b run after {gap_ms} ms idle"
    for _, order in rotations(rts, n):
        for rt in order:
            time.sleep(gap_ms / 1000)
            if rt.kind == "floor":
                ok, t, c = call(rt, rt.floor_argv())
            else:
                cid = new_id("i")
                rt.live[cid] = "run"
                ok, t, c = call(rt, rt.argv("run", "run", "-b", B.b_true, cid))
                if ok:
                    rt.live.pop(cid)
                else:
                    force_delete(rt, "run", cid)
            if ok:
                res.add(m, rt.name, t)
            else:
                res.fail(m, rt.name, c.errtext())


def w2_phases(res, rts, n):
    log(f"2: create -> start -> wait -> delete, {n} cycles, interleaved")
    pidfile = f"{B.tmp}/w2.pid"
    for _, order in rotations(rts, n):
        for rt in order:
            cid = new_id("p")
            rt.live[cid] = "phases"
            if os.path.exists(pidfile):
                os.unlink(pidfile)
            ok, t, c = call(rt, rt.argv("phases", "create", "-b", B.b_true, "--pid-file",
                                        pidfile, cid))
            if not ok:
                res.fail("2 create", rt.name, c.errtext())
                force_delete(rt, "phases", cid)
                continue
            res.add("2 create", rt.name, t)
            res.add("2 create: CPU time", rt.name, c.cpu)
            try:
                with open(pidfile) as f:
                    pid = int(f.read().strip())
                pidfd = os.pidfd_open(pid)
            except (OSError, ValueError) as e:
                res.fail("2 start", rt.name, f"pid file / pidfd: {e}")
                force_delete(rt, "phases", cid)
                continue
            try:
                ok, t, c = call(rt, rt.argv("phases", "start", cid))
                tstart = c.t1
                if not ok:
                    res.fail("2 start", rt.name, c.errtext())
                    force_delete(rt, "phases", cid)
                    continue
                res.add("2 start", rt.name, t)
                p = select.poll()
                p.register(pidfd, select.POLLIN)
                r = p.poll(10000)
                tw = now()
                if not r:
                    res.fail("2 wait", rt.name, "the container's init still runs after 10 s")
                    force_delete(rt, "phases", cid)
                    continue
                res.add("2 wait", rt.name, max(0, tw - tstart))
            finally:
                os.close(pidfd)
            B.reaper.reap()  # the init is the bench's (a subreaper's) child by now
            ok, t, c = call(rt, rt.argv("phases", "delete", cid))
            if not ok:
                res.fail("2 delete", rt.name, c.errtext())
                force_delete(rt, "phases", cid)
                continue
            rt.live.pop(cid)
            res.add("2 delete", rt.name, t)
    for rt in rts:
        s = [res.median(f"2 {p}", rt.name) for p in ("create", "start", "wait", "delete")]
        if None not in s:
            res.set("2 sum of the 4 medians", rt.name, sum(s), "ms")


def w3_memory(res, rts, floors, k):
    log(f"3: peak RSS ({k} each, interleaved), smallest memory limit")
    out = f"{B.tmp}/time.out"
    items = rts + floors
    if not os.access("/usr/bin/time", os.X_OK):
        log("bench: /usr/bin/time missing (apt-get install time): no peak RSS")
        items = []
    for _, order in rotations(items, k):
        for rt in order:
            for what in (("run",) if rt.kind == "floor" else ("run", "create")):
                cid = new_id("m")
                if rt.kind == "floor":
                    inner = rt.floor_argv()
                else:
                    rt.live[cid] = "rss"
                    inner = rt.argv("rss", what, "-b", B.b_true, cid)
                ok, _, c = call(rt, ["/usr/bin/time", "-v", "-o", out, *inner])
                m = f"3 peak RSS, {what}"
                if ok:
                    with open(out) as f:
                        kb = [l for l in f if "Maximum resident set size" in l]
                    res.add(m, rt.name, int(kb[0].split(":")[1]), "MB")
                else:
                    res.fail(m, rt.name, c.errtext(), "MB")
                if rt.kind != "floor":
                    if what == "create" or not ok:
                        force_delete(rt, "rss", cid)
                    else:
                        rt.live.pop(cid)
    tries = 3 if not B.quick else 1
    found = {}
    notes = {}
    for lim in MEM_LIMITS_KIB:
        todo = [rt for rt in rts if rt.name not in found]
        if not todo:
            break
        good = {rt.name: 0 for rt in todo}
        for _, order in rotations(todo, tries):
            for rt in order:
                cid = new_id("l")
                rt.live[cid] = "memlimit"
                ok, _, c = call(rt, rt.argv("memlimit", "run", "-b", B.b_mem[lim], cid))
                if ok:
                    good[rt.name] += 1
                    rt.live.pop(cid)
                else:
                    notes[rt.name] = f"at {lim} KiB: {c.errtext()}"
                    force_delete(rt, "memlimit", cid)
        for rt in todo:
            if good[rt.name] == tries:
                found[rt.name] = lim
    for rt in rts:
        res.set("3 smallest memory limit that starts", rt.name,
                found.get(rt.name, f"> {MEM_LIMITS_KIB[-1]} KiB"), "KiB")
        if rt.name in notes:
            B.notes.append(f"{rt.name}, below its smallest limit: {notes[rt.name]}")


def w4_concurrent(res, rts, floors, rounds, width):
    log(f"4: {width} concurrent runs, {rounds} rounds, interleaved")
    items = rts + floors
    while len(B.calls) < width + 2:
        B.calls.append(Call(len(B.calls)))
    for _, order in rotations(items, rounds):
        for rt in order:
            cs = B.calls[2:2 + width]
            ids = []
            rt.enter()
            try:
                t0 = now()
                for c in cs:
                    if rt.kind == "floor":
                        c.spawn(rt.floor_argv())
                    else:
                        cid = new_id("c")
                        rt.live[cid] = "conc"
                        ids.append(cid)
                        c.spawn(rt.argv("conc", "run", "-b", B.b_true, cid))
                for c in cs:
                    c.finish()
                t1 = max(c.t1 for c in cs)
            finally:
                rt.leave()
            bad = [c for c in cs if c.rc != 0]
            for c in cs:
                if c.rc == 0:
                    res.add(f"4 {width} concurrent: each run", rt.name, c.t1 - c.t0)
                else:
                    res.fail(f"4 {width} concurrent: each run", rt.name, c.errtext())
            if bad:
                res.fail(f"4 {width} concurrent: batch", rt.name, bad[0].errtext())
            else:
                res.add(f"4 {width} concurrent: batch", rt.name, t1 - t0)
            for i, cid in enumerate(ids):
                if cs[i].rc == 0:
                    rt.live.pop(cid)
                else:
                    force_delete(rt, "conc", cid)


def w5_exec(res, rts, floors, n):
    log(f"5: exec of /bin/true, {n} sequential, interleaved")
    target = {}
    pidfile = f"{B.tmp}/w5.pid"
    for rt in rts:
        cid = new_id("e")
        rt.live[cid] = "exec"
        if os.path.exists(pidfile):
            os.unlink(pidfile)
        if not (quiet(rt, rt.argv("exec", "create", "-b", B.b_sleep, "--pid-file", pidfile, cid))
                and quiet(rt, rt.argv("exec", "start", cid))):
            res.fail("5 exec /bin/true", rt.name, "setup: " + B.last_quiet_error)
            force_delete(rt, "exec", cid)
            continue
        with open(pidfile) as f:
            target[rt.name] = (cid, int(f.read().strip()))
    items = [rt for rt in rts if rt.name in target]
    if floors and items:
        pid = target.get("contain", next(iter(target.values())))[1]
        fe = Runtime("floor", floors[0].path, "floor")
        fe.floor_argv = lambda: [fe.path, "-e", str(pid)]
        items.append(fe)
    for rt in items:
        for _ in range(3):
            if rt.kind == "floor":
                call(rt, rt.floor_argv())
            else:
                call(rt, rt.argv("exec", "exec", target[rt.name][0], "/bin/true"))
    for _, order in rotations(items, n):
        for rt in order:
            if rt.kind == "floor":
                ok, t, c = call(rt, rt.floor_argv())
            else:
                ok, t, c = call(rt, rt.argv("exec", "exec", target[rt.name][0], "/bin/true"))
            if ok:
                res.add("5 exec /bin/true", rt.name, t)
                res.add("5 exec /bin/true: CPU time", rt.name, c.cpu)
            else:
                res.fail("5 exec /bin/true", rt.name, c.errtext())
    for rt in rts:
        if rt.name in target:
            force_delete(rt, "exec", target[rt.name][0])


def w6_state_list(res, rts, n, count):
    log(f"6: state and list with {count} containers created, {n} rounds, interleaved")
    ids = {}
    for rt in rts:
        ids[rt.name] = []
        t0 = now()
        for i in range(count):
            cid = new_id("s")
            rt.live[cid] = "statelist"
            if not quiet(rt, rt.argv("statelist", "create", "-b", B.b_sleep, cid)):
                res.fail("6 state", rt.name, "setup: " + B.last_quiet_error)
                force_delete(rt, "statelist", cid)
                continue
            ids[rt.name].append(cid)
        log(f"   {rt.name}: {len(ids[rt.name])} created in {(now() - t0) / 1e9:.1f} s")
    items = [rt for rt in rts if len(ids[rt.name]) == count]
    for _, order in rotations(items, n):
        for rt in order:
            probe = ids[rt.name][count // 2]
            ok, t, c = call(rt, rt.argv("statelist", "state", probe))
            if ok:
                res.add("6 state", rt.name, t)
            else:
                res.fail("6 state", rt.name, c.errtext())
            ok, t, c = call(rt, rt.argv("statelist", "list"))
            if ok:
                res.add(f"6 list ({count})", rt.name, t)
            else:
                res.fail(f"6 list ({count})", rt.name, c.errtext())
    for rt in rts:
        for cid in ids[rt.name]:
            force_delete(rt, "statelist", cid)


# ---- host facts --------------------------------------------------------------------------

def version(path):
    try:
        r = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
        lines = [l for l in r.stdout.splitlines() if l.strip()]
        return lines[0].strip() if lines else "?"
    except OSError:
        return "?"


def cgroup_mode():
    def fstype(p):
        r = subprocess.run(["stat", "-f", "-c", "%T", p], capture_output=True, text=True)
        return r.stdout.strip()
    t = fstype("/sys/fs/cgroup")
    if t == "cgroup2fs":
        return "unified (cgroup v2)"
    if os.path.isdir("/sys/fs/cgroup/unified") and fstype("/sys/fs/cgroup/unified") == "cgroup2fs":
        return "hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)"
    return "legacy (cgroup v1)"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    return f"{os.cpu_count()} CPUs ({model}), {mem} MiB RAM"


# ---- cleanup -----------------------------------------------------------------------------

def own_cgroup_dirs():
    """The directories that hold containers' cgroups: the bench's own cgroup in every
    hierarchy, on the host."""
    mine = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctl, path = line.rstrip("\n").split(":", 2)
            mine[ctl] = path
    dirs = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            pre, post = line.split(" - ", 1)
            fstype, _src, superopts = post.split()[:3]
            root, mnt = pre.split()[3:5]
            if fstype == "cgroup2":
                key = ""
            elif fstype == "cgroup":
                opts = [o for o in superopts.split(",") if o not in ("rw", "ro")]
                key = ",".join(opts)
            else:
                continue
            path = mine.get(key)
            if path is None:
                continue
            rel = os.path.relpath(path, root) if path.startswith(root) else None
            if rel is None:
                continue
            dirs.append(os.path.normpath(os.path.join(mnt, rel)))
    return dirs


def remove_cgroups(prefix):
    left = []
    for d in own_cgroup_dirs():
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for n in names:
            if n.startswith(prefix):
                p = os.path.join(d, n)
                for sub, _, _ in sorted(os.walk(p), key=lambda x: -len(x[0])):
                    try:
                        os.rmdir(sub)
                    except OSError:
                        pass
                if os.path.exists(p):
                    left.append(p)
    return left


def host_cgroup_mounts():
    with open("/proc/self/mountinfo") as f:
        return sorted(l.split(" - ")[0].split()[4] for l in f
                      if l.split(" - ")[0].split()[4].startswith("/sys/fs/cgroup"))


def cleanup(rts):
    for rt in rts:
        if rt.kind == "floor":
            continue
        for cid, wl in list(rt.live.items()):
            force_delete(rt, wl, cid)
        for r in sorted(rt.roots):  # anything a runtime left under its roots
            try:
                names = os.listdir(r)
            except OSError:
                continue
            wl = r.rsplit("-", 1)[1]
            for n in names:
                if n.startswith(B.prefix):
                    force_delete(rt, wl, n)
    B.reaper.reap()
    for rt in rts:
        if rt.ns:
            rt.ns.close()
            rt.ns = None
    B.reaper.reap()
    shutil.rmtree(B.state, ignore_errors=True)
    if B.state_mounted:
        subprocess.run(["umount", B.state])
        try:
            os.rmdir(B.state)
        except OSError:
            pass
    shutil.rmtree(B.bundles, ignore_errors=True)
    left = remove_cgroups(B.prefix)
    if left:
        log(f"bench: WARNING: cgroups left behind (not empty?): {' '.join(left)}")
    if host_cgroup_mounts() != B.cgroup_mounts:
        log("bench: WARNING: the mounts under /sys/fs/cgroup changed during the bench")


# ---- main --------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contain", default=os.environ.get("CONTAIN") or f"{TOP}/src/contain")
    ap.add_argument("--floor", default=os.environ.get("FLOOR") or f"{HERE}/floor")
    ap.add_argument("--runtimes", default=os.environ.get("BENCH_RUNTIMES") or "contain,runc,crun")
    ap.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", "0") or 0))
    ap.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1")
    ap.add_argument("--out", default=os.environ.get("BENCH_OUT") or None)
    ap.add_argument("--state-tmpfs", action="store_true",
                    default=os.environ.get("BENCH_STATE_TMPFS") == "1",
                    help="put the --root dirs on a tmpfs of the bench's own mount namespace")
    a = ap.parse_args()
    if os.geteuid() != 0:
        raise BenchError("run as root")
    B.quick = a.quick
    n = a.n or (10 if a.quick else 100)
    width = 50
    rounds4 = 2 if a.quick else max(3, n // 10)
    k3 = 3 if a.quick else 5
    count6 = 100
    n6 = 10 if a.quick else max(10, n // 2)
    n1b = 3 if a.quick else max(5, n // 5)

    paths = {"contain": os.path.abspath(a.contain),
             "runc": os.environ.get("RUNC") or shutil.which("runc") or "/usr/sbin/runc",
             "crun": os.environ.get("CRUN") or shutil.which("crun") or "/usr/bin/crun"}
    B.seq = 0
    B.prefix = f"cb{os.getpid()}"
    B.state = f"/run/contain-bench-{os.getpid()}"
    B.bundles = f"/dev/shm/contain-bench-{os.getpid()}"
    B.tmp = f"{B.bundles}/tmp"
    B.notes = []
    os.makedirs(B.tmp)
    B.state_mounted = False
    if a.state_tmpfs:
        # the state dirs on a tmpfs of the bench's own mount namespace: the host's /run
        # may be a disk file system (it is ext4 with online discard here)
        if libc.unshare(CLONE_NEWNS) != 0:
            raise BenchError(f"unshare(CLONE_NEWNS): {os.strerror(ctypes.get_errno())}")
        subprocess.run(["mount", "--make-rprivate", "/"], check=True)
        os.makedirs(B.state)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0700", "contain-bench-state",
                        B.state], check=True)
        B.state_mounted = True
    else:
        os.makedirs(B.state)
    B.state_fs = subprocess.run(["findmnt", "-n", "-o", "FSTYPE,OPTIONS", "-T", B.state],
                                capture_output=True, text=True).stdout.strip()
    B.devnull = os.open("/dev/null", os.O_RDWR | os.O_CLOEXEC)
    B.cgroup_mounts = host_cgroup_mounts()
    B.env = dict(os.environ)
    B.reaper = Reaper()
    B.calls = [Call(0), Call(1)]

    rts = []
    for name in a.runtimes.split(","):
        p = paths.get(name) or shutil.which(name)
        if p and os.access(p, os.X_OK):
            rts.append(Runtime(name, p))
        elif name == "contain":
            raise BenchError(f"{p}: not built (make)")
        else:
            log(f"bench: {name} not installed, skipped")
    floors = []
    if os.access(a.floor, os.X_OK):
        fl = Runtime("floor", a.floor, "floor")
        fl.floor_argv = lambda: [fl.path, B.rootfs]
        fm = Runtime("floor+mounts", a.floor, "floor")
        fm.floor_argv = lambda: [fm.path, "-m", B.rootfs]
        floors = [fl, fm]
    else:
        log(f"bench: {a.floor} not built (make bench builds it); no floor")

    everything = rts + floors

    def on_signal(sig, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    started = time.time()
    try:
        make_bundles(paths["contain"])
        ok_rts = []
        for rt in rts:
            err = trial(rt)
            if err is None:
                ok_rts.append(rt)
                continue
            log(f"bench: {rt.name} fails on this host: {err}")
            try:
                rt.ns = Namespace()
            except BenchError as e:
                log(f"bench: {rt.name}: {e}; skipped")
                continue
            err2 = trial(rt)
            if err2 is None:
                B.notes.append(f"{rt.name} failed its trial run on this host ({err}); it runs "
                               "inside a private mount + cgroup namespace whose /sys/fs/cgroup is "
                               "a fresh tmpfs with only the v1 hierarchies ("
                               + ", ".join(os.path.basename(m) for m, _ in rt.ns.mounts) + ")")
                log(f"bench: {rt.name}: runs in the cgroup v1 namespace workaround")
                ok_rts.append(rt)
            else:
                log(f"bench: {rt.name} fails in the workaround too: {err2}; skipped")
                rt.ns.close()
                rt.ns = None
        rts = ok_rts
        if not rts or rts[0].name != "contain":
            raise BenchError("contain does not run here")
        res = Results()
        w1_run(res, rts, n, floors)
        w1_seccomp(res, rts, n)
        w1_idle(res, rts + floors[:1], n1b, 100)
        w2_phases(res, rts, n)
        w3_memory(res, rts, floors, k3)
        w4_concurrent(res, rts, floors[:1], rounds4, width)
        w5_exec(res, rts, floors[:1], n)
        w6_state_list(res, rts, n6, count6)
    finally:
        cleanup(everything)
    report(res, rts, floors, paths, n, time.time() - started, a)


def report(res, rts, floors, paths, n, secs, a):
    names = [rt.name for rt in rts] + [f.name for f in floors]
    lines = [f"date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
             f"machine: {platform.node()}: {machine()}",
             f"kernel: {platform.release()}",
             f"cgroups: {cgroup_mode()}",
             f"state dirs (--root): {B.state}/* on {B.state_fs}"
             + (" (a tmpfs of the bench's own mount namespace)" if B.state_mounted else ""),
             f"bundle: busybox rootfs on tmpfs ({B.bundles}), config from `contain spec`"]
    for rt in rts:
        lines.append(f"{rt.name}: {version(rt.path)} ({rt.path})")
    lines.append(f"runs: N={n}{' (quick)' if a.quick else ''}; wall time {secs:.0f} s")
    lines.append("")
    lines.append(table(res, names))
    lines.append("")
    lines.append("Cells: median (p25-p75) [failed runs]. x/contain: x's median / contain's; "
                 "contain/floor: contain's median / the floor's (floor ROOTFS; floor -e PID for "
                 "exec). floor+mounts: the floor plus the config's mounts. CPU time: user + sys of "
                 "the runtime's process and of every descendant it reaped (wait4 rusage): the "
                 "work done, less disturbed than wall time by a loaded machine.")
    # the targets of issue 9
    t = []

    def chk(label, good):
        t.append(f"- {label}: {'met' if good else 'NOT met'}")

    for m in res.order:
        if m.startswith(("1 run /bin", "2 ", "4 ", "5 ")) and "sum" not in m and "CPU" not in m:
            c, cr = res.median(m, "contain"), res.median(m, "crun")
            if c is not None and cr:
                chk(f"{m}: contain {c / cr:.2f}x crun (target <= 0.7)", c / cr <= 0.7)
    c, f = res.median("1 run /bin/true", "contain"), res.median("1 run /bin/true", "floor")
    if c and f:
        chk(f"1 run: contain {c / f:.2f}x the floor (target <= 1.5)", c / f <= 1.5)
    for what in ("run", "create"):
        m = f"3 peak RSS, {what}"
        c, cr = res.median(m, "contain"), res.median(m, "crun")
        if c and cr:
            chk(f"peak RSS of {what}: contain {c} KB, crun {cr} KB (target: below crun)", c < cr)
    lim = res.values.get("3 smallest memory limit that starts", {}).get("contain")
    if lim is not None:
        chk(f"starts under a 512 KiB memory limit (smallest: {fmt(lim, 'KiB')})", lim == 512)
    lines.append("")
    lines.append("Targets (issue 9):")
    lines += t
    if B.notes:
        lines.append("")
        lines.append("Notes:")
        lines += [f"- {x}" for x in B.notes]
    fails = [(m, nm, f) for m, d in res.failed.items() for nm, f in d.items()]
    if fails:
        lines.append("")
        lines.append("Failures (first error of each):")
        lines += [f"- {m}, {nm}: {f[0]} failed; {f[1]}" for m, nm, f in fails]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as fo:
            fo.write(text)


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        log(f"bench: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        log("bench: interrupted; cleaned up")
        sys.exit(130)
