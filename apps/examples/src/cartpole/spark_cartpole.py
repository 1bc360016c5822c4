"""Spark's CartPole tutorial (tutorials/cartpole.ipynb at f4d7304), run by upstream Spark, for comparison.

Optional peer of `pnpm --filter @spark-snn/examples cartpole`: the notebook's `run_model_unroll` and
`run_episode`, cell for cell, writing the same CSV columns as the TypeScript run. It needs a Spark
checkout and a Python with jax==0.10.2, flax==0.12.8, gymnasium==1.3.0 (see the examples README);
nothing here installs anything.

  PYTHONPATH=<spark checkout> python apps/examples/src/cartpole/spark_cartpole.py \
      --network frozen --episodes 150 --out spark-frozen.csv

--network frozen   Spark's frozen float32 ab_brain of the golden run (fixtures/spark-golden/brain_ab_float32.json)
--network file     the tutorial's ab_brain.scfg as shipped (float16, kernels drawn by JAX from the file's seeds)
--float32          with --network file: every dtype field set to float32

Environment: gymnasium CartPole-v1(sutton_barto_reward=True), env.reset(seed=42) for the build call,
then plain env.reset() per episode, exactly as the notebook; the script checks these starts against
fixtures/cartpole/gymnasium_seed42_initial_states.json.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from functools import partial

import gymnasium as gym
import jax
import jax.numpy as jnp
import numpy as np
import spark

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..'))
FIXTURES = os.path.join(REPO, 'fixtures')  # --fixtures overrides

# Reward and model metaparameters (notebook cell 16).
PASSIVE_MODULATION_SCALE = -0.0001
REWARD_FALL_SCALE = -25
REWARD_OOB_SCALE = -25
REWARD_OOB_THRESHOLD = 0.05
NEG_REWARD_SCALE = -0.1
MOD_INHIBITION_SCALE = 0.25
DT = 1
MODULATION_DECAY = float(np.exp(-DT / 0.5))
UNROLL = 15
STEPS = int(50 / DT)


def set_float32(node):
    """Every dtype field of a config tree set to float32."""
    if isinstance(node, dict):
        return {k: ('float32' if k == 'dtype' and isinstance(v, str) and 'float' in v else set_float32(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [set_float32(v) for v in node]
    return node


def load_brain_config(network, float32):
    if network == 'frozen':
        with open(os.path.join(FIXTURES, 'spark-golden', 'brain_ab_float32.json')) as f:
            doc = json.load(f)['config']
    else:
        import lzma
        with open(os.path.join(FIXTURES, 'spark', 'ab_brain.scfg'), 'rb') as f:
            raw = f.read()
        text = lzma.decompress(raw).decode('utf-8') if raw[:6] == b'\xfd7zXZ\x00' else raw.decode('utf-8')
        doc = json.loads(text)
        if float32:
            doc = set_float32(doc)
    with tempfile.NamedTemporaryFile('w', suffix='.scfg', delete=False) as f:
        json.dump(doc, f)
        path = f.name
    try:
        return spark.nn.BrainConfig.from_file(path)
    finally:
        os.unlink(path)


@partial(jax.jit, static_argnames=['steps', 'unroll', 'modulation_decay'])
def run_model_unroll(graph, state, modulation_decay, steps, unroll=15, **inputs):
    def step_fn(carry_state, _):
        (model_state, current_inputs) = carry_state
        model = spark.merge(graph, model_state)
        out = model(**current_inputs)
        for k in ('mod_a_ex', 'mod_a_in', 'mod_b_ex', 'mod_b_in'):
            current_inputs[k] = spark.FloatArray(jnp.array(modulation_decay * current_inputs[k].value, dtype=jnp.float16))
        _, new_state = spark.split((model))
        return (new_state, current_inputs), out
    (final_state, _), stacked_outs = jax.lax.scan(step_fn, (state, inputs), xs=None, length=steps, unroll=unroll)
    final_out = jax.tree.map(lambda x: x[-1], stacked_outs)
    return final_out, final_state


POOLS = ('A_excitatory', 'A_inhibitory', 'B_excitatory', 'B_inhibitory')


@partial(jax.jit, static_argnames=['steps', 'modulation_decay'])
def run_model_spikes(graph, state, modulation_decay, steps, **inputs):
    """run_model_unroll that also returns every brain step's spikes of the four pools (a plain scan)."""
    def step_fn(carry_state, _):
        (model_state, current_inputs) = carry_state
        model = spark.merge(graph, model_state)
        out = model(**current_inputs)
        spikes = {p: model._cache[p, 'out_spikes'].value for p in POOLS}
        for k in ('mod_a_ex', 'mod_a_in', 'mod_b_ex', 'mod_b_in'):
            current_inputs[k] = spark.FloatArray(jnp.array(modulation_decay * current_inputs[k].value, dtype=jnp.float16))
        _, new_state = spark.split((model))
        return (new_state, current_inputs), (out, spikes)
    (final_state, _), (stacked_outs, spikes) = jax.lax.scan(step_fn, (state, inputs), xs=None, length=steps)
    final_out = jax.tree.map(lambda x: x[-1], stacked_outs)
    return final_out, final_state, spikes


def process_obs(x):
    x = x / np.array([2.4, 2.5, 0.2095, 3.5])
    return np.clip(x, a_min=-1, a_max=1)


def mods(a, b):
    return {
        'mod_a_ex': spark.FloatArray(jnp.array([a], dtype=jnp.float16)),
        'mod_a_in': spark.FloatArray(jnp.array([a * MOD_INHIBITION_SCALE], dtype=jnp.float16)),
        'mod_b_ex': spark.FloatArray(jnp.array([b], dtype=jnp.float16)),
        'mod_b_in': spark.FloatArray(jnp.array([b * MOD_INHIBITION_SCALE], dtype=jnp.float16)),
    }


def run_episode(env, graph, state, modulation_scale, trace, spike_trace=None):
    def run(graph, state, modulation_decay, **inputs):
        if spike_trace is None:
            return run_model_unroll(graph, state, modulation_decay=modulation_decay, steps=STEPS, unroll=UNROLL, **inputs)
        out, state, spikes = run_model_spikes(graph, state, modulation_decay=modulation_decay, steps=STEPS, **inputs)
        # per brain step, per pool: indices of the units that spiked
        spike_trace.extend(
            {p: np.nonzero(np.asarray(spikes[p][t]).reshape(-1))[0].tolist() for p in POOLS} for t in range(STEPS)
        )
        return out, state

    next_obs, _ = env.reset()
    start = np.array(env.unwrapped.state, dtype=np.float64)
    next_obs = process_obs(next_obs)
    terminated = truncated = False
    episode_steps = 0
    inputs = {'signal': spark.FloatArray(jnp.zeros_like(next_obs, dtype=jnp.float16)), **mods(0, 0)}
    _, state = run(graph, state, 0, **inputs)
    while not (terminated or truncated):
        passive = PASSIVE_MODULATION_SCALE * modulation_scale
        inputs = {'signal': spark.FloatArray(jnp.array(next_obs, dtype=jnp.float16)), **mods(passive, passive)}
        out, state = run(graph, state, 1, **inputs)
        action_values = np.asarray(out['action'].value, dtype=np.float64)
        next_action = int(np.argmax(action_values))
        if trace is not None:
            trace.append([float(action_values[0]), float(action_values[1]), next_action])
        prev_episode = np.array(next_obs)
        next_obs, _, terminated, truncated, _ = env.step(next_action)
        next_obs = process_obs(next_obs)
        episode_steps += 1
    if not truncated:
        out_of_bounds = bool(np.abs(next_obs[0]) >= 1)
        if out_of_bounds and np.abs(next_obs[2]) < REWARD_OOB_THRESHOLD:
            steer_to_b = next_obs[0] < 0
            reward = REWARD_OOB_SCALE * modulation_scale
        else:
            steer_to_b = next_obs[2] > 0
            reward = REWARD_FALL_SCALE * modulation_scale
        mod_a = reward if steer_to_b else NEG_REWARD_SCALE * reward
        mod_b = reward if not steer_to_b else NEG_REWARD_SCALE * reward
        inputs = {'signal': spark.FloatArray(jnp.array(prev_episode, dtype=jnp.float16)), **mods(mod_a, mod_b)}
        _, state = run(graph, state, MODULATION_DECAY, **inputs)
    else:
        out_of_bounds = False
    return state, episode_steps, terminated, truncated, out_of_bounds, start


def main():
    global FIXTURES
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--network', choices=['frozen', 'file'], default='frozen')
    p.add_argument('--float32', action='store_true')
    p.add_argument('--episodes', type=int, default=150)
    p.add_argument('--out', required=True, help='CSV of the episodes')
    p.add_argument('--trace', help='JSON file: action values of every env step of the first --trace-episodes episodes')
    p.add_argument('--trace-episodes', type=int, default=3)
    p.add_argument('--spike-trace', type=int, help='record the pools\' spikes of every brain step of this 1-based episode')
    p.add_argument('--spike-trace-out', help='JSON file for --spike-trace')
    p.add_argument('--fixtures', default=FIXTURES, help='the repository fixtures folder')
    a = p.parse_args()
    FIXTURES = a.fixtures

    spark.register_neuron_from_config_file('ALIFModNeuron', os.path.join(FIXTURES, 'spark', 'alif_mod_neuron.scfg'))
    brain_config = load_brain_config(a.network, a.float32)
    with open(os.path.join(FIXTURES, 'cartpole', 'gymnasium_seed42_initial_states.json')) as f:
        starts = json.load(f)
    starts = starts['states'] if isinstance(starts, dict) else starts

    env = gym.make('CartPole-v1', sutton_barto_reward=True)
    next_obs, _ = env.reset(seed=42)
    if not np.array_equal(np.array(env.unwrapped.state, dtype=np.float64), np.array(starts[0])):
        sys.exit('gymnasium reset(seed=42) does not match the fixture')
    next_obs = process_obs(next_obs)
    brain = spark.nn.Brain(config=brain_config)
    brain(signal=spark.FloatArray(jnp.array(next_obs, dtype=jnp.float16)), **mods(0, 0))
    graph, state = spark.split((brain))

    dtype = 'float32' if (a.network == 'frozen' or a.float32) else 'float16'
    print(f'Spark CartPole: network {a.network} ({dtype}), {a.episodes} episodes, jax {jax.__version__}', flush=True)
    rows = []
    traces = []
    ema = []
    current = 0.0
    t0 = time.perf_counter()
    c0 = time.process_time()
    with open(a.out, 'w') as csv:
        csv.write('seed,episode,steps,outcome,ema,modulation_scale,brain_steps,ms,cpu_ms\n')
        for e in range(a.episodes):
            scale = (1 - (current / 500)) ** 0.5
            trace = [] if a.trace and e < a.trace_episodes else None
            t = time.perf_counter()
            c = time.process_time()
            spikes = [] if a.spike_trace == e + 1 else None
            state, steps, terminated, truncated, oob, start = run_episode(env, graph, state, scale, trace, spikes)
            if spikes is not None:
                with open(a.spike_trace_out, 'w') as f:
                    json.dump({'episode': e + 1, 'steps_per_env_step': STEPS, 'spikes': spikes}, f)
            ms = (time.perf_counter() - t) * 1000
            cpu_ms = (time.process_time() - c) * 1000
            brain_steps = STEPS * (steps + 1 + (0 if truncated else 1))
            if e + 1 < len(starts) and not np.array_equal(start, np.array(starts[e + 1])):
                sys.exit(f'episode {e + 1}: gymnasium start differs from the fixture')
            current = ema[-1] if ema else 0
            ema.append(0.8 * current + 0.2 * steps)
            outcome = 'truncated' if truncated else 'out_of_bounds' if oob else 'pole_fell'
            rows.append(steps)
            if trace is not None:
                traces.append(trace)
            csv.write(f'42,{e + 1},{steps},{outcome},{ema[-1]:.6f},{scale:.9f},{brain_steps},{ms:.1f},{cpu_ms:.1f}\n')
            csv.flush()
            print(f'episode {e + 1:3d}: {steps:3d} steps ({outcome}), EMA {ema[-1]:.2f}, {ms / 1000:.1f} s wall, {cpu_ms / 1000:.1f} s CPU, {ms * 1000 / brain_steps:.0f} us/brain step', flush=True)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    first = next((i + 1 for i, s in enumerate(rows) if s >= 500), None)
    print(f'{len(rows)} episodes, {sum(rows)} env steps in {wall:.1f} s wall, {cpu:.1f} s CPU; first cap: {first}')
    if a.trace:
        with open(a.trace, 'w') as f:
            json.dump({'network': a.network, 'dtype': dtype, 'episodes': traces}, f)


if __name__ == '__main__':
    main()
