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
 * @module
 */

/** Why a WebGPU device could not be acquired. */
export type GpuUnavailableReason = 'no-webgpu-api' | 'no-adapter' | 'adapter-rejected' | 'timeout';

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
  /** Refuse software/fallback adapters (SwiftShader, lavapipe). Default `false`. */
  rejectFallbackAdapter?: boolean;
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

async function nodeGpu(dawnOptions: readonly string[]): Promise<GPU> {
  // A variable specifier keeps bundlers from resolving the optional Node-only peer dependency.
  const specifier = 'webgpu';
  let mod: NodeWebGpuModule;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as NodeWebGpuModule;
  } catch (cause) {
    throw new GpuUnavailableError(
      'no-webgpu-api',
      'WebGPU is not available in this Node process: install the optional peer dependency `webgpu` ' +
        '(Dawn for Node, e.g. `npm install webgpu@0.6.2`) or use the cpu backend',
      { cause },
    );
  }
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  return mod.create([...dawnOptions]);
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
  let gpu: GPU | undefined = await discoverGpu(options, runtime);

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
  if (options.rejectFallbackAdapter && info.isFallbackAdapter) {
    throw new GpuUnavailableError(
      'adapter-rejected',
      `the only adapter is a software fallback (${info.description || info.architecture}) and rejectFallbackAdapter is set`,
    );
  }
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
      gpu = undefined; // drop the Dawn object so Node can exit
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
