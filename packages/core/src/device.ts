/**
 * WebGPU device acquisition that works in browsers, Deno and Node.
 *
 * - Browsers and Deno: `navigator.gpu`.
 * - Node: a dynamic import of the optional peer dependency `webgpu` (Dawn). On a machine without a
 *   GPU, Dawn finds the SwiftShader software adapter when `VK_ICD_FILENAMES` points to its ICD
 *   (Debian's `chromium` ships `/usr/lib/chromium/vk_swiftshader_icd.json`).
 *
 * The device is created with the adapter's real limits (not the WebGPU defaults), so large state
 * buffers fit where the hardware allows. Every failure is a {@link GpuUnavailableError} that says
 * what is missing, and every await is bounded by a timeout — acquisition never hangs.
 *
 * Software adapters (SwiftShader, lavapipe/llvmpipe, WARP) run WGSL on the CPU; they are right for
 * testing shaders and wrong for speed. {@link softwareAdapterReason} recognises them, and
 * `rejectSoftwareAdapter` refuses them — in Node and Deno on Linux without even loading the
 * WebGPU implementation when the machine has no GPU device, so nothing is printed by its drivers.
 *
 * @module
 */

/** Why a WebGPU device could not be acquired. */
export type GpuUnavailableReason =
  | 'no-webgpu-api'
  | 'no-gpu'
  | 'no-adapter'
  | 'software-adapter'
  | 'adapter-rejected'
  | 'timeout';

/** Thrown by {@link requestGpuDevice} when no device can be had; `reason` says which step failed. */
export class GpuUnavailableError extends Error {
  /** Which step failed. */
  readonly reason: GpuUnavailableReason;
  constructor(reason: GpuUnavailableReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GpuUnavailableError';
    this.reason = reason;
  }
}

/** The JavaScript runtime a device was acquired in. */
export type GpuRuntime = 'browser' | 'deno' | 'node';

/** Options of {@link requestGpuDevice}. */
export interface RequestGpuDeviceOptions {
  /** Passed to `requestAdapter`. */
  powerPreference?: GPUPowerPreference;
  /** Features the device must have; acquisition fails (`adapter-rejected`) when the adapter lacks one. */
  requiredFeatures?: readonly GPUFeatureName[];
  /** Features requested only where the adapter has them (e.g. `'shader-f16'`). */
  optionalFeatures?: readonly GPUFeatureName[];
  /**
   * Refuse software adapters: `isFallbackAdapter`, or adapter info naming a CPU implementation
   * (SwiftShader, lavapipe/llvmpipe, WARP; see {@link softwareAdapterReason}). In Node and Deno on
   * Linux, a machine with no GPU device (`/dev/dri/renderD*`, `/dev/nvidia*`, `/dev/dxg`) is refused
   * before the WebGPU implementation is loaded, so its Vulkan drivers print nothing. Default `false`.
   */
  rejectSoftwareAdapter?: boolean;
  /** Upper bound for each asynchronous step, in milliseconds. Default 15 000. */
  timeoutMs?: number;
  /** Use this `GPU` object instead of discovering one (tests, custom Dawn builds). */
  gpu?: GPU;
  /** Dawn toggles used when creating the Node `GPU` object, e.g. `['backend=null']`. */
  dawnOptions?: readonly string[];
}

/** Description of the adapter behind a device. */
export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  runtime: GpuRuntime;
}

/** A device together with what it was created from. */
export interface GpuDeviceHandle {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly info: GpuAdapterSummary;
  /** Features enabled on the device. */
  readonly features: ReadonlySet<string>;
  /** Limits the device was created with (the adapter's own). */
  readonly limits: Readonly<Record<string, number>>;
  /** Resolves when the device is lost (including after {@link GpuDeviceHandle.destroy}). */
  readonly lost: Promise<GPUDeviceLostInfo>;
  /** Destroys the device and drops the runtime's GPU object so a Node process can exit. */
  destroy(): void;
}

/** Names of the numeric limits of the WebGPU spec, copied from the adapter when present. */
const LIMIT_NAMES = [
  'maxTextureDimension1D',
  'maxTextureDimension2D',
  'maxTextureDimension3D',
  'maxTextureArrayLayers',
  'maxBindGroups',
  'maxBindGroupsPlusVertexBuffers',
  'maxBindingsPerBindGroup',
  'maxDynamicUniformBuffersPerPipelineLayout',
  'maxDynamicStorageBuffersPerPipelineLayout',
  'maxSampledTexturesPerShaderStage',
  'maxSamplersPerShaderStage',
  'maxStorageBuffersPerShaderStage',
  'maxStorageTexturesPerShaderStage',
  'maxUniformBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
  'maxStorageBufferBindingSize',
  'minUniformBufferOffsetAlignment',
  'minStorageBufferOffsetAlignment',
  'maxVertexBuffers',
  'maxBufferSize',
  'maxVertexAttributes',
  'maxVertexBufferArrayStride',
  'maxInterStageShaderVariables',
  'maxColorAttachments',
  'maxColorAttachmentBytesPerSample',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
] as const;

interface DenoLike {
  Deno?: unknown;
}

/** The runtime this code is running in. */
export function detectRuntime(): GpuRuntime {
  if ((globalThis as DenoLike).Deno !== undefined) return 'deno';
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof window === 'undefined' && proc?.versions?.node !== undefined) return 'node';
  return 'browser';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GpuUnavailableError('timeout', `${what} did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface NodeWebGpuModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

/** The `webgpu` (Dawn for Node) versions spark-snn works with: its optional peer dependency `^0.6.2`. */
const NODE_WEBGPU = { major: 0, minor: 6, install: 'webgpu@0.6.2' };

async function nodeGpu(dawnOptions: readonly string[]): Promise<GPU> {
  // Variable specifiers keep bundlers from resolving the optional Node-only peer dependency.
  const specifier = 'webgpu';
  let mod: NodeWebGpuModule;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as NodeWebGpuModule;
  } catch (cause) {
    throw new GpuUnavailableError(
      'no-webgpu-api',
      'WebGPU is not available in this Node process: install the optional peer dependency `webgpu` ' +
        `(Dawn for Node: \`npm install ${NODE_WEBGPU.install}\`) or use the cpu backend`,
      { cause },
    );
  }
  // Another package may have brought an older copy (gpu.js pins webgpu@0.2.9, whose Dawn does not
  // start on current Linux): use only the version spark-snn is made for.
  const version = await nodeWebgpuVersion();
  const [major, minor] = (version ?? '').split('.').map(Number);
  if (version !== undefined && (major !== NODE_WEBGPU.major || minor !== NODE_WEBGPU.minor)) {
    throw new GpuUnavailableError(
      'no-webgpu-api',
      `the \`webgpu\` package found here is version ${version} (another dependency's copy?); spark-snn needs ` +
        `^${NODE_WEBGPU.major}.${NODE_WEBGPU.minor}: \`npm install ${NODE_WEBGPU.install}\``,
    );
  }
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  return mod.create([...dawnOptions]);
}

/** The version of the `webgpu` package this module resolves, or undefined when it cannot be read. */
async function nodeWebgpuVersion(): Promise<string | undefined> {
  try {
    const fsName = 'node:fs';
    const fs = (await import(/* @vite-ignore */ fsName)) as { readFileSync(path: URL, enc: 'utf8'): string };
    const entry = import.meta.resolve('webgpu');
    // The package root is the folder of the nearest package.json above the entry point.
    for (let dir = new URL('./', entry); dir.pathname !== '/'; dir = new URL('../', dir)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(new URL('package.json', dir), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === 'webgpu') return pkg.version;
      } catch {
        // no package.json here
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}

async function discoverGpu(options: RequestGpuDeviceOptions, runtime: GpuRuntime): Promise<GPU> {
  if (options.gpu) return options.gpu;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (runtime === 'node') return nodeGpu(options.dawnOptions ?? []);
  throw new GpuUnavailableError(
    'no-webgpu-api',
    runtime === 'deno'
      ? 'navigator.gpu is missing in this Deno process (Deno 2 exposes WebGPU by default; check --unstable-webgpu on older versions)'
      : 'navigator.gpu is missing: this browser has no WebGPU (or it is disabled); use the gpujs or cpu backend',
  );
}

/** An adapter and the `GPU` object it came from (kept referenced while the adapter is in use). */
interface AcquiredAdapter {
  gpu: GPU | undefined;
  adapter: GPUAdapter;
  info: GpuAdapterSummary;
}

async function acquireAdapter(
  options: RequestGpuDeviceOptions,
  runtime: GpuRuntime,
): Promise<AcquiredAdapter> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (options.rejectSoftwareAdapter && options.gpu === undefined && runtime !== 'browser') {
    const node = await gpuDeviceNode();
    if (node === false) {
      throw new GpuUnavailableError(
        'no-gpu',
        'no GPU on this machine (Linux lists no GPU device: /dev/dri/renderD*, /dev/nvidia*, /dev/dxg); ' +
          'WebGPU could only offer a software adapter, and those are refused',
      );
    }
  }
  const gpu: GPU = await discoverGpu(options, runtime);

  const adapterOptions: GPURequestAdapterOptions = {};
  if (options.powerPreference) adapterOptions.powerPreference = options.powerPreference;
  const adapter = await withTimeout(gpu.requestAdapter(adapterOptions), timeoutMs, 'requestAdapter');
  if (!adapter) {
    throw new GpuUnavailableError(
      'no-adapter',
      runtime === 'node'
        ? 'WebGPU found no adapter. On a machine without a GPU set VK_ICD_FILENAMES to a software Vulkan ICD ' +
            '(e.g. /usr/lib/chromium/vk_swiftshader_icd.json from Debian chromium, with libvulkan1 installed)'
        : runtime === 'deno'
          ? 'WebGPU found no adapter. On a machine without a GPU install a software Vulkan driver (Debian mesa-vulkan-drivers)'
          : 'WebGPU found no adapter in this browser (no supported GPU, or WebGPU disabled by flags/blocklist)',
    );
  }

  const info = summarise(adapter, runtime);
  const software = options.rejectSoftwareAdapter ? softwareAdapterReason(info) : undefined;
  if (software !== undefined) {
    throw new GpuUnavailableError(
      'software-adapter',
      `the only WebGPU adapter is ${software}; software adapters are refused`,
    );
  }
  return { gpu, adapter, info };
}

/**
 * Asks for a WebGPU adapter without creating a device, and describes it (what `'auto'` backend
 * selection looks at). Nothing stays open: the adapter is dropped.
 *
 * @throws {@link GpuUnavailableError} like {@link requestGpuDevice}.
 */
export async function probeGpuAdapter(options: RequestGpuDeviceOptions = {}): Promise<GpuAdapterSummary> {
  return (await acquireAdapter(options, detectRuntime())).info;
}

/**
 * Acquires a WebGPU device with the adapter's real limits.
 *
 * @example
 * ```ts
 * const gpu = await requestGpuDevice({ optionalFeatures: ['shader-f16'] });
 * console.log(gpu.info.description, gpu.limits.maxStorageBufferBindingSize);
 * gpu.destroy();
 * ```
 * @throws {@link GpuUnavailableError} naming the step that failed; never hangs.
 */
export async function requestGpuDevice(options: RequestGpuDeviceOptions = {}): Promise<GpuDeviceHandle> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const runtime = detectRuntime();
  const acquired = await acquireAdapter(options, runtime);
  // The GPU object stays referenced while the device lives, and is dropped on destroy (Node: Dawn
  // keeps the process alive while its GPU object is reachable).
  const held: { gpu: GPU | undefined } = { gpu: acquired.gpu };
  const { adapter, info } = acquired;
  const missing = (options.requiredFeatures ?? []).filter((f) => !adapter.features.has(f));
  if (missing.length > 0) {
    throw new GpuUnavailableError(
      'adapter-rejected',
      `adapter ${info.description || info.vendor} lacks required feature(s): ${missing.join(', ')}`,
    );
  }
  const features = [
    ...(options.requiredFeatures ?? []),
    ...(options.optionalFeatures ?? []).filter((f) => adapter.features.has(f)),
  ];

  const requiredLimits: Record<string, number> = {};
  const adapterLimits = adapter.limits as unknown as Record<string, number | undefined>;
  for (const name of LIMIT_NAMES) {
    const value = adapterLimits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }

  let device: GPUDevice;
  try {
    device = await withTimeout(
      adapter.requestDevice({ requiredFeatures: [...new Set(features)], requiredLimits }),
      timeoutMs,
      'requestDevice',
    );
  } catch (cause) {
    if (cause instanceof GpuUnavailableError) throw cause;
    throw new GpuUnavailableError(
      'adapter-rejected',
      `adapter ${info.description || info.vendor} refused to create a device: ${String(cause)}`,
      { cause },
    );
  }

  const limits: Record<string, number> = {};
  const deviceLimits = device.limits as unknown as Record<string, number | undefined>;
  for (const name of LIMIT_NAMES) {
    const value = deviceLimits[name];
    if (typeof value === 'number') limits[name] = value;
  }

  return {
    device,
    adapter,
    info,
    features: new Set(device.features as unknown as Iterable<string>),
    limits,
    lost: device.lost,
    destroy() {
      device.destroy();
      held.gpu = undefined; // drop the Dawn object so Node can exit
    },
  };
}

function summarise(adapter: GPUAdapter, runtime: GpuRuntime): GpuAdapterSummary {
  const raw = (adapter as { info?: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean } }).info ?? {};
  const legacyFallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: raw.vendor ?? '',
    architecture: raw.architecture ?? '',
    description: raw.description ?? '',
    isFallbackAdapter: Boolean(raw.isFallbackAdapter ?? legacyFallback ?? false),
    runtime,
  };
}

/** Adapter names of the software (CPU) implementations of WebGPU and Vulkan. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render|software/i;

/**
 * Says, in words, why an adapter is a software one (its WGSL runs on the CPU), or `undefined` for a
 * hardware GPU: `isFallbackAdapter`, or a vendor, architecture or description naming SwiftShader,
 * lavapipe/llvmpipe, softpipe or WARP.
 *
 * @example
 * ```ts
 * softwareAdapterReason({ vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true });
 * // → 'swiftshader, a software renderer that runs on the CPU'
 * ```
 */
export function softwareAdapterReason(
  info: Pick<GpuAdapterSummary, 'vendor' | 'architecture' | 'description' | 'isFallbackAdapter'>,
): string | undefined {
  const named = [info.description, info.architecture, info.vendor].find((s) => SOFTWARE_ADAPTER.test(s));
  if (named === undefined && !info.isFallbackAdapter) return undefined;
  const name = named ?? (info.description || info.architecture || info.vendor || 'an unnamed adapter');
  return `${name}, a software renderer that runs on the CPU`;
}

/**
 * Whether this Linux machine has a GPU device node: `true`, `false`, or `undefined` when it cannot be
 * told (not Linux, a browser, no permission to read `/dev`).
 */
async function gpuDeviceNode(): Promise<boolean | undefined> {
  const g = globalThis as { Deno?: { build?: { os?: string } }; process?: { platform?: string } };
  const os = g.Deno?.build?.os ?? g.process?.platform;
  if (os !== 'linux') return undefined;
  try {
    // A variable specifier keeps bundlers from resolving a Node built-in in browser builds.
    const specifier = 'node:fs';
    const fs = (await import(/* @vite-ignore */ specifier)) as {
      readdirSync(path: string): string[];
    };
    let dri: string[] = [];
    try {
      dri = fs.readdirSync('/dev/dri');
    } catch {
      // no DRM devices at all
    }
    if (dri.some((n) => n.startsWith('renderD'))) return true;
    return fs.readdirSync('/dev').some((n) => /^nvidia\d+$/.test(n) || n === 'dxg');
  } catch {
    return undefined;
  }
}
