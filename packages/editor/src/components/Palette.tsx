/**
 * Searchable module palette (cmdk): every registered module, custom neurons, Source/Sink nodes.
 *
 * @module
 */
import { Command } from 'cmdk';
import { type ReactNode, useMemo } from 'react';
import type { ModuleDescriptor } from '../model/registry.ts';
import { labelOf } from '../model/registry.ts';
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
    >
      <Command.Input placeholder="Add a node: type to search modules…" aria-label="Search modules" />
      <Command.List>
        <Command.Empty>No module matches.</Command.Empty>
        <Command.Group heading="Controller I/O">
          <Command.Item
            value="Source Node input"
            onSelect={() => add(() => store.getState().addIoNode('source', props.at))}
          >
            Source Node
          </Command.Item>
          <Command.Item
            value="Sink Node output"
            onSelect={() => add(() => store.getState().addIoNode('sink', props.at))}
          >
            Sink Node
          </Command.Item>
        </Command.Group>
        {groups.map(([heading, list]) => (
          <Command.Group key={heading} heading={heading}>
            {list.map((d) => (
              <Command.Item
                key={d.name}
                value={`${d.label} ${d.name} ${heading}`}
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
                value={`${labelOf(name)} ${name} custom neuron`}
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
