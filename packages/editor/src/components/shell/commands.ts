/**
 * The editor's commands, written once: each has a label, its keys and what it does; the menu bar
 * and the keyboard shortcuts are both made from this table.
 *
 * @module
 */
import type { MenuItem } from './Menu.tsx';
import { outsideFields, prevent } from './shortcuts.ts';

/** One command. */
export interface EditorCommand {
  label: string;
  run(): void;
  /** tinykeys key strings (`$mod+KeyN`). */
  keys?: readonly string[];
  /** The shortcut as the menu shows it (`Ctrl+N`). */
  shortcut?: string;
  disabled?: boolean;
  /**
   * The keys act even while typing in a field, and stop the browser's own action (Ctrl+S, Ctrl+O…).
   * Otherwise (letters, Delete, Ctrl+C…, which also edit text) they act only outside text fields.
   */
  always?: boolean;
}

/** A menu: command names, `'-'` for a separator, or a submenu. */
export type MenuEntry = string | '-' | { label: string; submenu: MenuItem[] };

/** The menu bar from the command table. */
export function menusOf(
  commands: Readonly<Record<string, EditorCommand>>,
  layout: Readonly<Record<string, readonly MenuEntry[]>>,
): Record<string, MenuItem[]> {
  const item = (e: MenuEntry): MenuItem => {
    if (e === '-') return { separator: true, label: '' };
    if (typeof e !== 'string') return e;
    const c = commands[e];
    if (!c) throw new Error(`the menu names an unknown command "${e}"`);
    return {
      label: c.label,
      action: c.run,
      ...(c.shortcut ? { shortcut: c.shortcut } : {}),
      ...(c.disabled ? { disabled: true } : {}),
    };
  };
  return Object.fromEntries(Object.entries(layout).map(([menu, entries]) => [menu, entries.map(item)]));
}

/** The keyboard bindings (tinykeys) from the command table. */
export function bindingsOf(
  commands: Readonly<Record<string, EditorCommand>>,
): Record<string, (e: KeyboardEvent) => void> {
  const out: Record<string, (e: KeyboardEvent) => void> = {};
  for (const c of Object.values(commands))
    for (const k of c.keys ?? []) out[k] = c.always ? prevent(c.run) : outsideFields(c.run);
  return out;
}
