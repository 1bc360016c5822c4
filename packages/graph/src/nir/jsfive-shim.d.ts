// Minimal ambient types for jsfive 0.4.2 (ships no declarations). Internal use only.
declare module 'jsfive' {
  export class Group {
    readonly keys: string[];
    get(path: string): Group | Dataset | null;
  }
  export class Dataset {
    readonly dtype: string | unknown[];
    readonly shape: number[];
    readonly value: unknown;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
