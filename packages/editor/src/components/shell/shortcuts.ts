/**
 * Keyboard shortcuts of the editor (tinykeys). Plain-letter shortcuts (A to add a node) do nothing
 * while typing in a field.
 *
 * @module
 */
import { useEffect } from 'react';
import { tinykeys } from 'tinykeys';

/** True while the keyboard is typing into a text field, a list or an editable element. */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName);
}

/** A handler that stops the browser's default action. */
export function prevent(fn: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    e.preventDefault();
    fn();
  };
}

/** A handler for a key that also types text: it does nothing inside fields. */
export function outsideFields(fn: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (typing(e)) return;
    e.preventDefault();
    fn();
  };
}

/** Binds `bindings` (tinykeys key strings → handlers) to the window while mounted. */
export function useShortcuts(bindings: Record<string, (e: KeyboardEvent) => void>): void {
  useEffect(() => tinykeys(window, bindings), [bindings]);
}
