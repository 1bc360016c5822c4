/**
 * Searchable module palette (cmdk): every registered module, custom neurons, Source/Sink nodes,
 * ranked by {@link rankEntry} (exact names first, then prefixes, then words).
 *
 * @module
 */
import { Command } from 'cmdk';
import { type ReactNode, useMemo } from 'react';
import type { ModuleDescriptor } from '../model/registry.ts';
import { labelOf } from '../model/registry.ts';
import { rankEntry } from '../model/search.ts';
import type { Position } from '../model/types.ts';
import { useEditor, useEditorContext } from './context.tsx';

/** Props of {@link Palette}. */
export interface PaletteProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  /** Where new nodes go (canvas coordinates). */
  at?: Position | undefined;
}

/** The "add node" palette. */
export function Palette(props: PaletteProps): ReactNode {
  const { store, registry } = useEditorContext();
  const custom = useEditor((s) => s.doc.customNeurons);
  const groups = useMemo(() => {
    const map = new Map<string, ModuleDescriptor[]>();
    for (const d of registry.modules.values()) {
      const key = d.path.join(' ▸ ');
      map.set(key, [...(map.get(key) ?? []), d]);
    }
    return [...map.entries()];
  }, [registry]);
  /** Entries by cmdk value (the registry name), for the ranking. */
  const entries = useMemo(() => {
    const m = new Map<string, { label: string; name: string; keywords: string[] }>();
    m.set('source', { label: 'Source Node', name: 'source', keywords: ['Controller', 'I/O', 'input'] });
    m.set('sink', { label: 'Sink Node', name: 'sink', keywords: ['Controller', 'I/O', 'output'] });
    for (const d of registry.modules.values())
      m.set(d.name, { label: d.label, name: d.name, keywords: d.path });
    for (const name of Object.keys(custom))
      m.set(name, { label: labelOf(name.replace(/_neuron$/, '')), name, keywords: ['Neurons', 'custom'] });
    return m;
  }, [registry, custom]);
  const add = (fn: () => unknown): void => {
    fn();
    props.onOpenChange(false);
  };
  return (
    <Command.Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      label="Add a node"
      className="spark-palette"
      overlayClassName="spark-palette-overlay"
      contentClassName="spark-palette-content"
      filter={(value, search) => {
        const e = entries.get(value);
        return e ? rankEntry(search, e) : 0;
      }}
    >
      <Command.Input placeholder="Add a node: type to search modules…" aria-label="Search modules" />
      <Command.List>
        <Command.Empty>No module matches.</Command.Empty>
        <Command.Group heading="Controller I/O">
          <Command.Item
            value="source"
            onSelect={() => add(() => store.getState().addIoNode('source', props.at))}
          >
            Source Node
          </Command.Item>
          <Command.Item value="sink" onSelect={() => add(() => store.getState().addIoNode('sink', props.at))}>
            Sink Node
          </Command.Item>
        </Command.Group>
        {groups.map(([heading, list]) => (
          <Command.Group key={heading} heading={heading}>
            {list.map((d) => (
              <Command.Item
                key={d.name}
                value={d.name}
                onSelect={() => add(() => store.getState().addModule(d.name, props.at))}
                data-module={d.name}
              >
                {d.label}
                <span className="spark-palette-hint">{d.name}</span>
              </Command.Item>
            ))}
          </Command.Group>
        ))}
        {Object.keys(custom).length > 0 && (
          <Command.Group heading="Neurons ▸ Custom">
            {Object.keys(custom).map((name) => (
              <Command.Item
                key={name}
                value={name}
                onSelect={() => add(() => store.getState().addModule(name, props.at))}
                data-module={name}
              >
                {labelOf(name.replace(/_neuron$/, ''))}
                <span className="spark-palette-hint">{name}</span>
              </Command.Item>
            ))}
          </Command.Group>
        )}
      </Command.List>
    </Command.Dialog>
  );
}
