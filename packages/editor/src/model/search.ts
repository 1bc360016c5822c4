/**
 * Palette search ranking: an exact name (the label or the registry name) first, then names that
 * start with what was typed, then names with a word that does, then the palette path, then loose
 * matches (the letters in order). "lif" ranks the LIF neuron first; "source" the Source node.
 *
 * @module
 */

/** What the palette knows of an entry. */
export interface SearchEntry {
  /** Palette label (`LIF`, `Linear spiker`, `Source Node`). */
  label: string;
  /** Registry name (`lif_neuron`) or another identifier. */
  name: string;
  /** Palette path and other words (`Neurons`, `Components`, `Somas`). */
  keywords?: readonly string[];
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[\s_▸/-]+/)
    .filter(Boolean);

function inOrder(needle: string, hay: string): boolean {
  let i = 0;
  for (const c of hay) if (c === needle[i]) i++;
  return i === needle.length;
}

/** A score in [0, 1] of `entry` for `search` (0: not shown). Shorter names win ties. */
export function rankEntry(search: string, entry: SearchEntry): number {
  const s = search.trim().toLowerCase();
  if (s === '') return 1;
  const label = entry.label.toLowerCase();
  const name = entry.name.toLowerCase();
  const spaced = name.replace(/_/g, ' ');
  const short = 1 / (1 + label.length / 100);
  if (label === s || name === s || spaced === s || name.replace(/_neuron$/, '') === s)
    return 0.9 + 0.1 * short;
  if (label.startsWith(s) || name.startsWith(s) || spaced.startsWith(s)) return 0.7 + 0.1 * short;
  const own = [...words(label), ...words(name)];
  const typed = words(s);
  if (typed.every((t) => own.some((w) => w.startsWith(t)))) return 0.5 + 0.1 * short;
  const more = (entry.keywords ?? []).flatMap(words);
  if (typed.every((t) => [...own, ...more].some((w) => w.startsWith(t)))) return 0.3 + 0.1 * short;
  if (inOrder(s.replace(/\s+/g, ''), name) || inOrder(s.replace(/\s+/g, ''), label)) return 0.1 * short;
  return 0;
}
