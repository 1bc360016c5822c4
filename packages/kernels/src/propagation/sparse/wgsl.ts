/**
 * Sparse propagation (`sparse.csr`) in WGSL: a **gather over incoming edges**, one invocation per
 * postsynaptic unit (deterministic, no atomics; rows sorted by source, so the f32 sum order is the
 * cpu push's). With a delay the same dispatch also writes this step's spikes into the history ring
 * (row `step mod slots`) while the gather reads row `(step + 1) mod slots` (= step − delay), which no
 * invocation writes in this step.
 *
 * Bindings: 0 `ctrl`, 1 `args` {post, pre, slots, flags (1 accumulate, 2 homogeneous), weight},
 * 2 `offsets`, 3 `sources`, 4 `weights`, 5 `spikes`, 6 `history`, 7 `out`.
 *
 * @module
 */

function sparseWgsl(index: 'i32' | 'u32'): string {
  return /* wgsl */ `
struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }
struct Args { post: u32, pre: u32, slots: u32, flags: u32, weight: f32, _p0: u32, _p1: u32, _p2: u32 }
@group(0) @binding(0) var<uniform> ctrl: Ctrl;
@group(0) @binding(1) var<uniform> args: Args;
@group(0) @binding(2) var<storage, read> offsets: array<${index}>;
@group(0) @binding(3) var<storage, read> sources: array<${index}>;
@group(0) @binding(4) var<storage, read> weights: array<f32>;
@group(0) @binding(5) var<storage, read> spikes: array<f32>;
@group(0) @binding(6) var<storage, read_write> history: array<f32>;
@group(0) @binding(7) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  var base = 0u;
  if (args.slots > 0u) {
    if (i < args.pre) {
      history[(ctrl.step % args.slots) * args.pre + i] = spikes[i];
    }
    base = ((ctrl.step + 1u) % args.slots) * args.pre;
  }
  if (i >= args.post) { return; }
  let end = u32(offsets[i + 1u]);
  var acc = 0.0f;
  let homog = (args.flags & 2u) != 0u;
  for (var e = u32(offsets[i]); e < end; e = e + 1u) {
    let j = u32(sources[e]);
    var s = 0.0f;
    if (args.slots > 0u) { s = history[base + j]; } else { s = spikes[j]; }
    if (s != 0.0f) {
      if (homog) { acc = acc + args.weight * s; } else { acc = acc + weights[e] * s; }
    }
  }
  if ((args.flags & 1u) != 0u) {
    out[i] = out[i] + acc;
  } else {
    out[i] = acc;
  }
}
`;
}

/** `sparse.csr` gather with i32 offsets/sources. */
export const SPARSE_CSR_WGSL_I32: string = sparseWgsl('i32');
/** `sparse.csr` gather with u32 offsets/sources. */
export const SPARSE_CSR_WGSL_U32: string = sparseWgsl('u32');
