/**
 * An ordered list that silently refuses duplicates (Rockpool's `SetList` semantics):
 * construction keeps the first occurrence, `append` of a present element is a no-op,
 * `extend` appends each new element in order. Membership uses `===`.
 */
export class SetList<T> implements Iterable<T> {
  #items: T[] = [];

  constructor(items: Iterable<T> = []) {
    this.extend(items);
  }

  /** Number of elements. */
  get length(): number {
    return this.#items.length;
  }

  /** Appends `x` unless already present. */
  append(x: T): void {
    if (!this.#items.includes(x)) this.#items.push(x);
  }

  /** Appends each element of `xs` that is not yet present, in order. */
  extend(xs: Iterable<T>): void {
    for (const x of xs) this.append(x);
  }

  /** Removes `x` if present (no error otherwise). */
  remove(x: T): void {
    const i = this.#items.indexOf(x);
    if (i >= 0) this.#items.splice(i, 1);
  }

  /** True when `x` is present. */
  has(x: T): boolean {
    return this.#items.includes(x);
  }

  /** Element at index `i`. */
  at(i: number): T | undefined {
    return this.#items.at(i);
  }

  /** A plain array copy. */
  toArray(): T[] {
    return [...this.#items];
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]();
  }
}

/** Appends `x` to `list` unless already present (SetList append on a plain array). */
export function appendUnique<T>(list: T[], x: T): void {
  if (!list.includes(x)) list.push(x);
}
