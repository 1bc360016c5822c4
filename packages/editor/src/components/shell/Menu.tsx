/**
 * The menu bar's menus: a button that opens a list of items (with shortcuts, separators and
 * submenus), keyboard navigation with the arrow keys, Escape to close.
 *
 * @module
 */
import { type ReactNode, useEffect, useRef } from 'react';

/** One menu entry. */
export interface MenuItem {
  label: string;
  shortcut?: string;
  action?: () => void;
  disabled?: boolean;
  separator?: boolean;
  submenu?: MenuItem[];
}

/** A menu of the menu bar. */
export function Menu(props: {
  label: string;
  items: MenuItem[];
  open: boolean;
  onOpen(open: boolean): void;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!props.open) return;
    const first = ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])');
    first?.focus();
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) props.onOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [props.open, props.onOpen]);
  const render = (items: MenuItem[], depth: number): ReactNode =>
    items.map((it, i) =>
      it.separator ? (
        // biome-ignore lint/suspicious/noArrayIndexKey: static menu
        <div key={`sep${i}`} role="none" className="spark-menu-sep" />
      ) : it.submenu ? (
        <div key={it.label} role="none" className="spark-submenu">
          <span className="spark-submenu-label">{it.label} ▸</span>
          <div role="menu" aria-label={it.label}>
            {it.submenu.length === 0 ? (
              <div role="none" className="spark-muted">
                (none)
              </div>
            ) : (
              render(it.submenu, depth + 1)
            )}
          </div>
        </div>
      ) : (
        <div key={it.label} role="none">
          <button
            type="button"
            role="menuitem"
            aria-disabled={it.disabled === true}
            disabled={it.disabled}
            onClick={() => {
              props.onOpen(false);
              it.action?.();
            }}
          >
            <span>{it.label}</span>
            {it.shortcut ? <kbd>{it.shortcut}</kbd> : null}
          </button>
        </div>
      ),
    );
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow-key navigation between the menu items it contains
    <div
      className="spark-menu"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onOpen(false);
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          const items = [
            ...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []),
          ];
          const i = items.indexOf(document.activeElement as HTMLElement);
          items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
          e.preventDefault();
        }
      }}
    >
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={props.open}
        onClick={() => props.onOpen(!props.open)}
      >
        {props.label}
      </button>
      {props.open ? (
        <div role="menu" aria-label={props.label}>
          {render(props.items, 0)}
        </div>
      ) : null}
    </div>
  );
}
