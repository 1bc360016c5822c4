/**
 * The frame every hand-written webgpu kernel shares, written once: the `Ctrl` uniform (binding 0:
 * `step`, the global step, and `slot`, the step within the chunk), the op's `Args` uniform (binding 1),
 * its storage arrays (bindings 2…, in order), and an entry point `main` with the builtins `gid`
 * (global invocation id), `nwg` (workgroups), `wid` (workgroup id) and `lid` (local invocation index).
 *
 * @module
 */

import type { EntryKind } from './op.ts';

/** A storage binding of a kernel: name, element type, access (`read` unless given). */
export type WgslStorage = readonly [name: string, elem: string, access?: 'read' | 'read_write'];

/** What a kernel adds to the shared frame. */
export interface WgslKernel {
  /** A WGSL extension to enable (`f16`). */
  readonly enable?: string;
  /** The fields of its `Args` uniform (a multiple of 16 bytes). */
  readonly args: string;
  /** Its storage arrays, bound from binding 2 on. */
  readonly storage: readonly WgslStorage[];
  /** Declarations between the bindings and the entry point (helpers, workgroup variables). */
  readonly decls?: string;
  /** Invocations per workgroup (1-D). */
  readonly workgroup: number;
  /** When given, the body starts with `let <index> = <flat invocation index>;` (2-D dispatches). */
  readonly index?: string;
  /** The body of `main`. */
  readonly body: string;
}

/** WGSL source of a kernel in the shared frame. */
export function wgslKernel(k: WgslKernel): string {
  return [
    ...(k.enable ? [`enable ${k.enable};`] : []),
    'struct Ctrl { step: u32, slot: u32, _pad0: u32, _pad1: u32 }',
    `struct Args { ${k.args} }`,
    '@group(0) @binding(0) var<uniform> ctrl: Ctrl;',
    '@group(0) @binding(1) var<uniform> args: Args;',
    ...k.storage.map(
      ([name, elem, access = 'read'], i) =>
        `@group(0) @binding(${i + 2}) var<storage, ${access}> ${name}: array<${elem}>;`,
    ),
    ...(k.decls ? [k.decls.trim()] : []),
    `@compute @workgroup_size(${k.workgroup}, 1, 1)`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,',
    '        @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {',
    ...(k.index ? [`  let ${k.index} = gid.x + gid.y * nwg.x * ${k.workgroup}u;`] : []),
    k.body.replace(/^\n+|\s+$/g, ''),
    '}',
    '',
  ].join('\n');
}

/** WGSL that stores `value` into `target`, added to what is there when `cond` holds. */
export function storeWgsl(cond: string, target: string, value: string): string {
  return [
    `  if (${cond}) {`,
    `    ${target} = ${target} + ${value};`,
    '  } else {',
    `    ${target} = ${value};`,
    '  }',
  ].join('\n');
}

/**
 * The bind group layout entries a kernel declares (`@group(0)`, bindings 0…n−1 without gaps): a
 * `var<uniform>` is `uniform`, a `read_write` storage array `storage`, any other `read-only-storage`.
 */
export function wgslEntries(code: string): EntryKind[] {
  const out: EntryKind[] = [];
  for (const m of code.matchAll(/@binding\((\d+)\)\s*var<([^>]*)>/g)) {
    const access = m[2] as string;
    out[Number(m[1])] =
      access === 'uniform' ? 'uniform' : access.includes('read_write') ? 'storage' : 'read-only-storage';
  }
  if (out.length === 0 || out.includes(undefined as unknown as EntryKind)) {
    throw new Error('wgslEntries: a kernel binds @group(0) bindings 0…n−1 without gaps');
  }
  return out;
}
