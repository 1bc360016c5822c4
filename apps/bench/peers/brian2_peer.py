"""Brian2 peer of the spark-snn benchmark harness (apps/bench).

Runs one benchmark network of benchmarks.md section 1 with the exact parameters and prints one JSON
line: {"seconds": wall time of the simulation loop, "build_seconds": network construction (+ code
generation / compilation), "rate_e": Hz, "rate_i": Hz, "device": ...}. Rates are population means
over t > 200 ms. Usage:

    python3 brian2_peer.py NETWORK N DURATION_S SEED [runtime|cpp_standalone]

NETWORK is cuba, coba or brunel. Written for this project (no third-party code) after Brian2's
examples/CUBA.py, examples/COBAHH.py and examples/frompapers/Brunel_2000.py.
"""
import json
import sys
import tempfile
import time

network, n, duration, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "runtime"

import brian2 as b2
import numpy as np
from brian2 import ms, mV, nS, pF, Hz, second

t_start = time.perf_counter()
if mode == "cpp_standalone":
    b2.set_device("cpp_standalone", build_on_run=False)
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
    # Fixed in-degree with replacement (multapses): CE / CI sources per target.
    rng = np.random.default_rng(seed)
    post_e = np.repeat(np.arange(n), ce)
    pre_e = rng.integers(0, n_e, size=n * ce)
    post_i = np.repeat(np.arange(n), ci)
    pre_i = rng.integers(n_e, n, size=n * ci)
    Ce.connect(i=pre_e, j=post_e)
    Ci.connect(i=pre_i, j=post_i)
    ext = b2.PoissonInput(P, "v", N=ce, rate=eta * nu_thr, weight=J)
    objs = [P, Ce, Ci, ext]
else:
    raise SystemExit(f"unknown network {network}")

M = b2.SpikeMonitor(P)
net = b2.Network(*objs, M)
t_built = time.perf_counter()
if mode == "cpp_standalone":
    net.run(duration * second)
    b2.device.build(directory=tempfile.mkdtemp(prefix="brian2-bench-"), compile=True, run=True)
    seconds = float(b2.device._last_run_time)
    build_seconds = time.perf_counter() - t_start - seconds
else:
    net.run(1 * ms)  # code generation and compilation happen here (warm-up, excluded)
    t0 = time.perf_counter()
    net.run(duration * second - 1 * ms)
    seconds = time.perf_counter() - t0
    build_seconds = t0 - t_start
ts = np.asarray(M.t / ms)
idx = np.asarray(M.i)
late = ts > 200
span = (duration * 1000 - 200) / 1000
print(json.dumps({
    "seconds": seconds,
    "build_seconds": build_seconds,
    "rate_e": float(np.sum(idx[late] < n_e)) / n_e / span,
    "rate_i": float(np.sum(idx[late] >= n_e)) / n_i / span,
    "device": mode,
    "version": b2.__version__,
}))
