/**
 * The runtime's real WebGPU entry point for tests that must hand one over explicitly (`gpu` option):
 * `navigator.gpu` in browsers and Deno, Dawn from the `webgpu` package in Node (SwiftShader on a
 * machine without a GPU, through `VK_ICD_FILENAMES` set by the shared Vitest config).
 */
export async function realGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const specifier = 'webgpu'; // a variable, so the browser bundle does not try to resolve it
  const mod = (await import(/* @vite-ignore */ specifier)) as {
    create(options: string[]): GPU;
    globals: Record<string, unknown>;
  };
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  return mod.create([]);
}
