/**
 * `spark info`: runtime, package versions, the backends available here, what `--backend auto` picks
 * (the engine's rule, `describeBackendChoice`, exactly as `spark run` and the Brain apply it) and the
 * WebGPU adapter (name and limits) or why there is none.
 *
 * @module
 */
import { type Command, flag, intOption } from '../command.ts';
import { EXIT, messageOf } from '../errors.ts';
import type { Io } from '../io.ts';
import { CLI_VERSION_TEXT } from '../version.ts';

const PACKAGES = [
  '@spark-snn/core',
  '@spark-snn/config',
  '@spark-snn/kernels',
  '@spark-snn/nn',
  '@spark-snn/graph',
] as const;

/** Limits shown without `--limits` (all of them are in `--json`). */
const KEY_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface BackendInfo {
  name: 'webgpu' | 'gpujs' | 'cpu';
  available: boolean;
  detail: string;
}

interface AdapterReport {
  available: boolean;
  reason?: string;
  hint?: string;
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  /** Why the adapter is a software one (never picked by auto), when it is. */
  software?: string;
  features?: string[];
  limits?: Record<string, number>;
}

async function packageVersion(name: string): Promise<string> {
  try {
    const mod = (await import(`${name}/package.json`, { with: { type: 'json' } })) as {
      default: { version?: string };
    };
    return mod.default.version ?? 'unknown';
  } catch (e) {
    return `unavailable (${messageOf(e).split('\n')[0]})`;
  }
}

async function probeAdapter(io: Io, timeoutMs: number): Promise<AdapterReport> {
  let core: typeof import('@spark-snn/core');
  try {
    core = await import('@spark-snn/core');
  } catch (e) {
    return { available: false, reason: `cannot load @spark-snn/core: ${messageOf(e)}` };
  }
  try {
    const h = await core.requestGpuDevice({ timeoutMs, optionalFeatures: ['shader-f16', 'timestamp-query'] });
    try {
      return {
        available: true,
        vendor: h.info.vendor,
        architecture: h.info.architecture,
        description: h.info.description,
        isFallbackAdapter: h.info.isFallbackAdapter,
        ...optional('software', core.softwareAdapterReason(h.info)),
        features: [...h.features].sort(),
        limits: { ...h.limits },
      };
    } finally {
      h.destroy();
    }
  } catch (e) {
    return unavailable(io, messageOf(e), (e as { reason?: string }).reason);
  }
}

/** `{ [key]: value }`, or `{}` for an undefined value (exact optional properties). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** An adapter report for "none", with the SwiftShader hint where Dawn could use it. */
async function unavailable(io: Io, reason: string, code: string | undefined): Promise<AdapterReport> {
  const report: AdapterReport = { available: false, reason };
  if (
    io.runtime.name === 'node' &&
    (code === 'no-adapter' || code === 'no-gpu') &&
    !io.env.VK_ICD_FILENAMES &&
    (await io.kind(SWIFTSHADER_ICD)) === 'file'
  ) {
    report.hint = `for testing shaders, Dawn can use the SwiftShader software adapter (never picked by auto): VK_ICD_FILENAMES=${SWIFTSHADER_ICD} spark info`;
  }
  return report;
}

async function probeBackend(
  name: BackendInfo['name'],
  make: () => Promise<{ description: string; destroy(): void }>,
  timeoutMs: number,
): Promise<BackendInfo> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const b = await Promise.race([
      make(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not start within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const detail = b.description;
    b.destroy();
    return { name, available: true, detail };
  } catch (e) {
    return { name, available: false, detail: messageOf(e) };
  } finally {
    clearTimeout(timer);
  }
}

async function backends(adapter: AdapterReport | undefined, timeoutMs: number): Promise<BackendInfo[]> {
  let k: Record<string, unknown> = {};
  let loadError = '';
  try {
    k = (await import('@spark-snn/kernels')) as unknown as Record<string, unknown>;
  } catch (e) {
    loadError = messageOf(e);
  }
  const has = (name: string) => typeof k[name] === 'function';
  const out: BackendInfo[] = [];
  if (!has('webgpuBackend')) {
    // kernels' entry point exports it: missing only when kernels failed to load (say why).
    out.push({
      name: 'webgpu',
      available: false,
      detail: loadError || '@spark-snn/kernels has no webgpuBackend export (a broken install?)',
    });
  } else if (adapter === undefined) {
    out.push({ name: 'webgpu', available: true, detail: 'built; adapter not probed (--skip-gpu)' });
  } else if (adapter.available) {
    out.push({
      name: 'webgpu',
      available: true,
      detail: `${adapter.description || adapter.vendor || 'adapter'}${adapter.software ? ' (a software adapter: used only when asked for by name)' : ''}`,
    });
  } else {
    out.push({ name: 'webgpu', available: false, detail: adapter.reason ?? 'no adapter' });
  }
  if (!has('gpujsBackend')) {
    out.push({
      name: 'gpujs',
      available: false,
      detail: loadError || '@spark-snn/kernels has no gpujsBackend export (a broken install?)',
    });
  } else if (adapter === undefined) {
    out.push({ name: 'gpujs', available: true, detail: 'built; not probed (--skip-gpu)' });
  } else {
    out.push(
      await probeBackend(
        'gpujs',
        k.gpujsBackend as () => Promise<{ description: string; destroy(): void }>,
        timeoutMs,
      ),
    );
  }
  out.push(
    has('cpuBackend')
      ? { name: 'cpu', available: true, detail: 'generated JavaScript loops over typed arrays' }
      : { name: 'cpu', available: false, detail: loadError || 'missing from @spark-snn/kernels' },
  );
  return out;
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'show the runtime, versions, backends and the WebGPU adapter with its limits',
  usage: ['info [--skip-gpu] [--timeout MS] [--limits] [--json]'],
  description: [
    'Lists the spark-snn package versions, the JavaScript runtime, which backends can run here',
    '(webgpu, gpujs, cpu), what `--backend auto` picks and why (webgpu on a hardware GPU, otherwise',
    'cpu: never a software adapter, never gpujs — the rule `spark run` and the Brain use) and the',
    'WebGPU adapter: vendor, architecture, description, features and limits — or why there is none.',
    'On Linux without a GPU device the adapter is not probed unless VK_ICD_FILENAMES names a driver.',
  ].join('\n'),
  options: {
    'skip-gpu': { type: 'boolean', description: 'do not probe for a WebGPU adapter' },
    timeout: {
      type: 'string',
      value: 'MS',
      description: 'give up on the adapter after MS milliseconds',
      defaultText: '5000',
    },
    limits: {
      type: 'boolean',
      description: 'print every adapter limit (default: the compute-relevant ones)',
    },
  },
  positionals: { min: 0, max: 0, names: 'arguments' },
  examples: [
    'spark info',
    'spark info --json | jq .adapter.limits',
    'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json spark info',
  ],
  async run({ io, args, json }) {
    const timeoutMs = intOption(args, 'timeout', 5000);
    const versions: Record<string, string> = { '@spark-snn/cli': CLI_VERSION_TEXT };
    for (const p of PACKAGES) versions[p] = await packageVersion(p);
    const skip = flag(args, 'skip-gpu');
    const nn = await import('@spark-snn/nn');
    const decision = skip ? undefined : await nn.describeBackendChoice('auto', { request: { timeoutMs } });
    // No GPU device on Linux: probing would only load Vulkan drivers that print to stderr and offer a
    // software adapter, unless the user named a driver with VK_ICD_FILENAMES.
    const noGpu = decision?.webgpuUnavailable?.code === 'no-gpu' && !io.env.VK_ICD_FILENAMES;
    const adapter = skip
      ? undefined
      : noGpu
        ? await unavailable(
            io,
            'not probed: no GPU on this machine (Linux lists no GPU device: /dev/dri/renderD*, /dev/nvidia*, ' +
              '/dev/dxg); a software adapter can still run `--backend webgpu` for testing',
            'no-gpu',
          )
        : await probeAdapter(io, timeoutMs);
    const list = await backends(adapter, timeoutMs);
    const runtime = {
      name: io.runtime.name,
      version: io.runtime.version,
      platform: `${globalThis.process?.platform ?? 'unknown'}-${globalThis.process?.arch ?? 'unknown'}`,
    };
    if (json) {
      const auto = decision ? { backend: decision.kind, reason: decision.reason } : null;
      io.stdout.write(
        `${JSON.stringify({ ok: true, command: 'info', runtime, versions, backends: list, auto, adapter: adapter ?? null }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    const w = (s: string) => io.stdout.write(`${s}\n`);
    w(`runtime   ${runtime.name} ${runtime.version} (${runtime.platform})`);
    w('versions');
    for (const [k, v] of Object.entries(versions)) w(`  ${k.padEnd(20)} ${v}`);
    w('backends');
    for (const b of list) w(`  ${b.name.padEnd(7)} ${b.available ? 'yes' : 'no '}  ${b.detail}`);
    w(
      decision === undefined
        ? '  auto picks webgpu on a hardware GPU, otherwise cpu (not probed: --skip-gpu)'
        : `  auto picks ${decision.reason}`,
    );
    if (adapter === undefined) {
      w('adapter   not probed (--skip-gpu)');
    } else if (!adapter.available) {
      w(`adapter   none: ${adapter.reason}`);
      if (adapter.hint) w(`  hint: ${adapter.hint}`);
    } else {
      w(`adapter   ${adapter.description || '(no description)'}`);
      w(
        `  vendor ${adapter.vendor || '?'}, architecture ${adapter.architecture || '?'}${adapter.software ? ', a software adapter (not for performance numbers)' : ''}`,
      );
      w(`  features ${adapter.features?.join(', ') || '(none)'}`);
      w('  limits');
      const limits = adapter.limits ?? {};
      const names = flag(args, 'limits') ? Object.keys(limits) : KEY_LIMITS.filter((n) => n in limits);
      for (const n of names) w(`    ${n.padEnd(36)} ${limits[n]}`);
    }
    return EXIT.ok;
  },
};
