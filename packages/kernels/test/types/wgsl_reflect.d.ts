// The ESM entry of wgsl_reflect has the same exports as the package root (whose types are shipped).
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
