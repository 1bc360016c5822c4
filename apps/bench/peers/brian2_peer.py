"""Brian2 peer of the spark-snn benchmark harness (apps/bench).

Runs one benchmark network of benchmarks.md section 1 with the exact parameters and prints one JSON
line: {"wall": wall seconds of the simulation loop, "cpu": process CPU seconds (user + system, all
threads) of the same loop, "peak_rss_mib": peak resident memory of the process that ran the loop,
"build_wall", "build_cpu": network construction (+ code generation / compilation), "rate_e": Hz,
"rate_i": Hz, "device", "threads", "version"}. Rates are population means over t > 200 ms. Usage:

    python3 brian2_peer.py NETWORK N DURATION_S SEED [runtime|cython|numpy|cpp_standalone] [THREADS] [BUILD_DIR]

NETWORK is cuba, coba or brunel. THREADS (default 1) is the number of threads of the simulation
loop: C++ standalone's OpenMP threads (1 = no OpenMP); the runtime modes run one thread. BUILD_DIR
(C++ standalone only) is the project folder; reusing it for the seeds of one network makes `make`
rebuild only what a seed changes. Timing is the harness's method: in C++ standalone, code inserted
around `net.run` in main() reads `getrusage(RUSAGE_SELF)` (CPU time, peak RSS) and a steady clock;
in the runtime modes, `resource.getrusage` and `time.perf_counter` around `run()` after a 1 ms
warm-up that generates and compiles the code. Written for this project (no third-party code) after
Brian2's examples/CUBA.py, examples/COBAHH.py and examples/frompapers/Brunel_2000.py.
"""
import json
import os
import atexit
import resource
import shutil
import sys
import tempfile
import time

from peak_rss import peak_rss_mib

network, n, duration, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "runtime"
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 1
build_dir = sys.argv[7] if len(sys.argv) > 7 else None

import brian2 as b2
import numpy as np
from brian2 import ms, mV, nS, pF, Hz, second


def cpu_now():
    """CPU seconds of this process and of its finished children (make, g++, the standalone binary)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


t_start, c_start = time.perf_counter(), cpu_now()
if mode == "cpp_standalone":
    b2.set_device("cpp_standalone", build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = threads if threads > 1 else 0
    b2.prefs.codegen.cpp.headers += ["<sys/resource.h>", "<chrono>"]
else:
    b2.prefs.codegen.target = "cython" if mode == "cython" else "numpy"
b2.seed(seed)
b2.defaultclock.dt = 0.1 * ms
n_e = int(round(0.8 * n))
n_i = n - n_e

if network == "cuba":
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, El=-49 * mV)
    P = b2.NeuronGroup(n, eqs, threshold="v>-50*mV", reset="v = -60*mV", refractory=5 * ms,
                       method="exact", namespace=ns)
    P.v = "-60*mV + rand() * 10*mV"
    p = min(1.0, 80.0 / n)
    Ce = b2.Synapses(P, P, on_pre="ge += 1.62*mV")
    Ci = b2.Synapses(P, P, on_pre="gi += -9*mV")
    # connect(p=…) walks the presynaptic neurons in order (synapses stored by source).
    Ce.connect("i<n_e", p=p, namespace={"n_e": n_e})
    Ci.connect("i>=n_e", p=p, namespace={"n_e": n_e})
    objs = [P, Ce, Ci]
elif network == "coba":
    eqs = """
    dv/dt = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v))/C : volt (unless refractory)
    dge/dt = -ge/taue : siemens
    dgi/dt = -gi/taui : siemens
    """
    ns = dict(gl=10 * nS, El=-60 * mV, Ee=0 * mV, Ei=-80 * mV, C=200 * pF, taue=5 * ms, taui=10 * ms)
    P = b2.NeuronGroup(n, eqs, threshold="v>-50*mV", reset="v = -60*mV", refractory=5 * ms,
                       method="exponential_euler", namespace=ns)
    P.v = "-60*mV + rand() * 10*mV"
    P.ge = "clip(4 + 1.5*randn(), 0, inf)*nS"
    P.gi = "clip(20 + 12*randn(), 0, inf)*nS"
    p = min(1.0, 80.0 / n)
    Ce = b2.Synapses(P, P, on_pre="ge += 6*nS")
    Ci = b2.Synapses(P, P, on_pre="gi += 67*nS")
    Ce.connect("i<n_e", p=p, namespace={"n_e": n_e})
    Ci.connect("i>=n_e", p=p, namespace={"n_e": n_e})
    objs = [P, Ce, Ci]
elif network == "brunel":
    ce, ci, J, g, eta, D = min(1000, n_e), min(250, n_i), 0.1 * mV, 5.0, 2.0, 1.5 * ms
    tau, theta = 20 * ms, 20 * mV
    nu_thr = theta / (J * ce * tau)
    P = b2.NeuronGroup(n, "dv/dt = -v/tau : volt (unless refractory)", threshold="v>=theta",
                       reset="v = 10*mV", refractory=2 * ms, method="exact",
                       namespace={"tau": tau, "theta": theta})
    P.v = 0 * mV
    Ce = b2.Synapses(P, P, on_pre="v += J", delay=D, namespace={"J": J})
    Ci = b2.Synapses(P, P, on_pre="v += -g*J", delay=D, namespace={"J": J, "g": g})
    # Fixed in-degree with replacement (multapses): CE / CI sources per target, then created in
    # presynaptic order (sorted by source, stable), the order Brian2's propagation reads best —
    # created in postsynaptic order Brian2 runs 2–3× slower than it can.
    rng = np.random.default_rng(seed)

    def by_source(pre, post):
        order = np.argsort(pre, kind="stable")
        return pre[order], post[order]

    pre_e, post_e = by_source(rng.integers(0, n_e, size=n * ce), np.repeat(np.arange(n), ce))
    pre_i, post_i = by_source(rng.integers(n_e, n, size=n * ci), np.repeat(np.arange(n), ci))
    Ce.connect(i=pre_e, j=post_e)
    Ci.connect(i=pre_i, j=post_i)
    ext = b2.PoissonInput(P, "v", N=ce, rate=eta * nu_thr, weight=J)
    objs = [P, Ce, Ci, ext]
else:
    raise SystemExit(f"unknown network {network}")

M = b2.SpikeMonitor(P)
net = b2.Network(*objs, M)
if mode == "cpp_standalone":
    # Peak RSS from /proc/self/status VmHWM: ru_maxrss would carry over the forking Python's RSS.
    b2.device.insert_code(
        "before_start",
        "auto bench_hwm_kib = []() { std::ifstream s(\"/proc/self/status\"); std::string k; long v = -1;\n"
        "  while (s >> k) { if (k == \"VmHWM:\") { s >> v; break; } } return v; };",
    )
    b2.device.insert_code(
        "main",
        "struct rusage bench_ru0; getrusage(RUSAGE_SELF, &bench_ru0);\n"
        "auto bench_w0 = std::chrono::steady_clock::now();",
    )
    net.run(duration * second)
    b2.device.insert_code(
        "main",
        "auto bench_w1 = std::chrono::steady_clock::now();\n"
        "struct rusage bench_ru1; getrusage(RUSAGE_SELF, &bench_ru1);\n"
        "{ std::ofstream f(\"results/bench_timing.txt\");\n"
        "  f.precision(9);\n"
        "  f << std::chrono::duration<double>(bench_w1 - bench_w0).count() << ' '\n"
        "    << (bench_ru1.ru_utime.tv_sec - bench_ru0.ru_utime.tv_sec) + 1e-6 * (bench_ru1.ru_utime.tv_usec - bench_ru0.ru_utime.tv_usec)\n"
        "       + (bench_ru1.ru_stime.tv_sec - bench_ru0.ru_stime.tv_sec) + 1e-6 * (bench_ru1.ru_stime.tv_usec - bench_ru0.ru_stime.tv_usec) << ' '\n"
        "    << bench_hwm_kib() << std::endl; }",
    )
    directory = build_dir
    if directory is None:
        directory = tempfile.mkdtemp(prefix="brian2-bench-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
    b2.device.build(directory=directory, compile=True, run=True, with_output=False)
    with open(os.path.join(directory, "results", "bench_timing.txt")) as f:
        wall, cpu, maxrss_kib = (float(x) for x in f.read().split())
    peak_mib = maxrss_kib / 1024
    build_wall = time.perf_counter() - t_start - wall
    build_cpu = cpu_now() - c_start - cpu  # code generation, compilation, the binary's set-up
else:
    net.run(1 * ms)  # code generation and compilation happen here (warm-up, excluded)
    t0, c0 = time.perf_counter(), cpu_now()
    net.run(duration * second - 1 * ms)
    wall, cpu = time.perf_counter() - t0, cpu_now() - c0
    build_wall, build_cpu = t0 - t_start, c0 - c_start
    peak_mib = peak_rss_mib()
ts = np.asarray(M.t / ms)
idx = np.asarray(M.i)
late = ts > 200
span = (duration * 1000 - 200) / 1000
print(json.dumps({
    "wall": wall,
    "cpu": cpu,
    "peak_rss_mib": peak_mib,
    "build_wall": build_wall,
    "build_cpu": build_cpu,
    "rate_e": float(np.sum(idx[late] < n_e)) / n_e / span,
    "rate_i": float(np.sum(idx[late] >= n_e)) / n_i / span,
    "device": mode,
    "threads": threads if mode == "cpp_standalone" else 1,
    "version": b2.__version__,
}))
