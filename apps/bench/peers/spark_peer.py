"""Spark peer of the spark-snn benchmark harness (apps/bench): the CartPole brain of Spark's tutorial
(`ab_brain`, 640 neurons, 524,288 plastic synapses) run by Spark itself (JAX), timed the harness's
way, printing one JSON line.

    python spark_peer.py SPARK_DIR DTYPE THREADS [SINGLE_CALLS] [SCAN_CALLS] [ENV_STEPS]

SPARK_DIR is a Spark checkout (the folder holding the `spark` package and `tutorials/`), DTYPE is
float16 (as shipped) or float32 (every `dtype` of the brain and neuron files set to float32), THREADS
is 1 (XLA told to use one thread: `--xla_cpu_multi_thread_eigen=false
intra_op_parallelism_threads=1`) or N > 1 (XLA's default thread pool, as many threads as cores).

Measured, following the tutorial's canonical path (README of the Spark peer): load → register the
custom neuron, read the brain config, build with one call on zero inputs, split into (graph, state);
then, after a warm-up call of each function (the compilation, reported apart):
- `single`: a `jax.jit` step `(graph, state, inputs) → (outputs, state)` doing merge → call → split;
- `scan50`: the tutorial's `run_model_unroll` (a `jax.lax.scan` of 50 steps, `unroll=15`), per step;
- `cartpole`: a loop of environment steps, each one `scan50` call, reading the action (argmax of the
  two outputs) back to the host and feeding the next observation of a trivial deterministic
  environment (the same function as the harness's own CartPole loop).
Every call is followed by `jax.block_until_ready`. Times are wall (`perf_counter`) and process CPU
(`getrusage`, all threads) over blocks of calls, the median block per call. Peak RSS: VmHWM.
Written for this project (no third-party code) after the Spark CartPole tutorial.
"""
import json
import lzma
import os
import pathlib
import atexit
import resource
import shutil
import sys
import tempfile
import time

from peak_rss import peak_rss_mib

spark_dir, dtype, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
single_calls = int(sys.argv[4]) if len(sys.argv) > 4 else 200
scan_calls = int(sys.argv[5]) if len(sys.argv) > 5 else 10
env_steps = int(sys.argv[6]) if len(sys.argv) > 6 else 10
if dtype not in ("float16", "float32"):
    raise SystemExit(f"dtype {dtype}: float16 or float32")
if threads == 1:
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    ).strip()
sys.path.insert(0, spark_dir)


def cpu_now():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def config_file(name):
    """The tutorial's file, or a float32 copy with every dtype set to float32."""
    path = pathlib.Path(spark_dir, "tutorials", name)
    if dtype == "float16":
        return str(path)
    raw = path.read_bytes()
    text = lzma.decompress(raw).decode() if raw[:6] == b"\xfd7zXZ\x00" else raw.decode()
    doc = json.loads(text)

    def walk(x):
        if isinstance(x, dict):
            if x.get("__type__") == "dtype" and x.get("name") == "float16":
                return {**x, "name": "float32"}
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    tmp = tempfile.mkdtemp(prefix="spark-peer-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    out = pathlib.Path(tmp, name)
    out.write_text(json.dumps(walk(doc)))
    return str(out)


t0, c0 = time.perf_counter(), cpu_now()
import jax
import jax.numpy as jnp
import numpy as np
import spark

jdt = jnp.float16 if dtype == "float16" else jnp.float32
spark.register_neuron_from_config_file("ALIFModNeuron", config_file("alif_mod_neuron.scfg"))
brain = spark.nn.Brain(config=spark.nn.BrainConfig.from_file(config_file("ab_brain.scfg")))


def inputs(signal, mod):
    return {
        "signal": spark.FloatArray(jnp.array(signal, dtype=jdt)),
        "mod_a_ex": spark.FloatArray(jnp.array([mod], dtype=jdt)),
        "mod_a_in": spark.FloatArray(jnp.array([mod * 0.25], dtype=jdt)),
        "mod_b_ex": spark.FloatArray(jnp.array([mod], dtype=jdt)),
        "mod_b_in": spark.FloatArray(jnp.array([mod * 0.25], dtype=jdt)),
    }


brain(**inputs(np.zeros(4), 0.0))
graph, state = spark.split((brain))
jax.block_until_ready(state)
load = {"wall": time.perf_counter() - t0, "cpu": cpu_now() - c0}


@jax.jit
def single_step(graph, state, inp):
    model = spark.merge(graph, state)
    out = model(**inp)
    _, state = spark.split((model))
    return out, state


def run_model_unroll(graph, state, modulation_decay, steps, unroll=15, **inp):
    # The tutorial's scan (its modulation decay recast in this run's dtype).
    def step_fn(carry, _):
        model_state, current = carry
        model = spark.merge(graph, model_state)
        out = model(**current)
        current = dict(current)
        for k in ("mod_a_ex", "mod_a_in", "mod_b_ex", "mod_b_in"):
            current[k] = spark.FloatArray(jnp.array(modulation_decay * current[k].value, dtype=jdt))
        _, new_state = spark.split((model))
        return (new_state, current), out

    (final_state, _), outs = jax.lax.scan(step_fn, (state, inp), xs=None, length=steps, unroll=unroll)
    return jax.tree.map(lambda x: x[-1], outs), final_state


scan50 = jax.jit(run_model_unroll, static_argnames=["steps", "unroll", "modulation_decay"])


def obs(t):
    """The trivial environment's observation at time t (the harness's CartPole loop uses the same)."""
    return np.array([np.sin(t / 7), np.cos(t / 11), np.sin(t / 5) * 0.2, np.cos(t / 3) * 0.5])


def timed_blocks(fn, calls, blocks=5):
    """Median (wall, cpu) seconds per call over `blocks` blocks of `calls` calls."""
    walls, cpus = [], []
    for _ in range(blocks):
        w, c = time.perf_counter(), cpu_now()
        for _ in range(calls):
            fn()
        walls.append((time.perf_counter() - w) / calls)
        cpus.append((cpu_now() - c) / calls)
    return {"wall": float(np.median(walls)), "cpu": float(np.median(cpus))}


st = {"state": state, "t": 0}


def one_single():
    out, st["state"] = single_step(graph, st["state"], inputs(obs(st["t"]), -1e-4))
    st["t"] += 1
    jax.block_until_ready(st["state"])


def one_scan():
    out, st["state"] = scan50(graph, st["state"], modulation_decay=1.0, steps=50, unroll=15, **inputs(obs(st["t"]), -1e-4))
    st["t"] += 1
    jax.block_until_ready(st["state"])


def one_env_step():
    out, st["state"] = scan50(graph, st["state"], modulation_decay=1.0, steps=50, unroll=15, **inputs(obs(st["t"]), -1e-4))
    a = np.asarray(out["action"].value, dtype=np.float32)
    st["t"] += 1 if a[0] > a[1] else 2
    jax.block_until_ready(st["state"])


w, c = time.perf_counter(), cpu_now()
one_single()
compile_single = {"wall": time.perf_counter() - w, "cpu": cpu_now() - c}
w, c = time.perf_counter(), cpu_now()
one_scan()
compile_scan = {"wall": time.perf_counter() - w, "cpu": cpu_now() - c}
single = timed_blocks(one_single, single_calls)
scan = timed_blocks(one_scan, scan_calls)
env = timed_blocks(one_env_step, env_steps)
print(json.dumps({
    "dtype": dtype,
    "threads": threads,
    "xla_flags": os.environ.get("XLA_FLAGS", ""),
    "jax": jax.__version__,
    "devices": [str(d) for d in jax.devices()],
    "load": load,
    "compile_single": compile_single,
    "compile_scan": compile_scan,
    "single": single,
    "scan50_per_step": {"wall": scan["wall"] / 50, "cpu": scan["cpu"] / 50},
    "env_step": env,
    "peak_rss_mib": peak_rss_mib(),
}))
