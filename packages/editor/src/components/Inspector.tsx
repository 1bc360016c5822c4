/**
 * The inspector: generated from the module's config JSON Schema (units, defaults, validators,
 * descriptions), with initializer choice, "link similar child variables", inline validation and
 * a keyboard-accessible connection editor.
 *
 * @module
 */
import { type ReactNode, useId, useMemo, useState } from 'react';
import { canLink, getAt, isInitializer, receivingFields } from '../model/commands.ts';
import {
  buildSections,
  checkField,
  type FieldInfo,
  type FieldSection,
  INITIALIZER_CHOICES,
  initializerFields,
  initializerKind,
  registrySchemas,
} from '../model/fields.ts';
import { isNeuronNode } from '../model/neuron.ts';
import { checkConnection, nodePorts } from '../model/ports.ts';
import { initializerDefaults, labelOf } from '../model/registry.ts';
import { configIssuePath } from '../model/store.ts';
import type { DocNode, Json, JsonObject } from '../model/types.ts';
import { formatPath, isObject, PAYLOAD_CLASS_NAMES, PAYLOAD_TYPES } from '../model/types.ts';
import { useEditor, useEditorContext } from './context.tsx';

/** Writes a field; invalid values are kept (sessions may be invalid) and reported. */
function useWrite(nodeId: string | null) {
  const { store } = useEditorContext();
  return (f: FieldInfo, value: Json): void => {
    const ok = store.getState().setField(nodeId, f.path, value);
    const problem = checkField(f, value);
    if (ok && problem)
      store
        .getState()
        .report(
          'warning',
          `${nodeId ?? 'controller'}.${formatPath(f.path)}: ${problem}`,
          nodeId !== null ? { nodeId, path: formatPath(f.path) } : {},
        );
  };
}

function NumberInput(props: {
  id: string;
  value: Json | undefined;
  integer: boolean;
  disabled: boolean;
  placeholder?: string;
  onCommit(v: Json): void;
  describedBy: string;
}): ReactNode {
  const text =
    typeof props.value === 'number'
      ? String(props.value)
      : props.value === null
        ? ''
        : JSON.stringify(props.value ?? '');
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (): void => {
    if (draft === null) return;
    const t = draft.trim();
    setDraft(null);
    if (t === '') {
      props.onCommit(null);
      return;
    }
    const n = Number(t);
    if (!Number.isNaN(n) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Infinity)$/.test(t))
      props.onCommit(n);
    else {
      try {
        props.onCommit(JSON.parse(t) as Json);
      } catch {
        props.onCommit(t);
      }
    }
  };
  return (
    <input
      id={props.id}
      type="text"
      inputMode={props.integer ? 'numeric' : 'decimal'}
      value={draft ?? text}
      disabled={props.disabled}
      placeholder={props.placeholder}
      aria-describedby={props.describedBy}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

function JsonInput(props: {
  id: string;
  value: Json | undefined;
  disabled: boolean;
  onCommit(v: Json): void;
  describedBy: string;
}): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (): void => {
    if (draft === null) return;
    const t = draft;
    setDraft(null);
    try {
      props.onCommit(JSON.parse(t) as Json);
    } catch {
      /* keep the old value; the red outline tells */
    }
  };
  return (
    <input
      id={props.id}
      type="text"
      className="spark-json-input"
      value={draft ?? JSON.stringify(props.value ?? null)}
      disabled={props.disabled}
      aria-describedby={props.describedBy}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

function ShapeInput(props: {
  label: string;
  value: Json | undefined;
  disabled: boolean;
  onCommit(v: Json): void;
}): ReactNode {
  const dims = Array.isArray(props.value)
    ? (props.value as Json[]).map((x) => (typeof x === 'number' ? x : 1))
    : [];
  const set = (i: number, v: number): void => props.onCommit(dims.map((d, j) => (j === i ? v : d)));
  return (
    // biome-ignore lint/a11y/useSemanticElements: an inline group of inputs inside a grid cell; a fieldset would break the row layout
    <span className="spark-shape" role="group" aria-label={props.label}>
      {dims.map((d, i) => (
        <input
          // biome-ignore lint/suspicious/noArrayIndexKey: dimensions are positional
          key={i}
          type="number"
          min={1}
          max={1e9}
          value={d}
          disabled={props.disabled}
          aria-label={`${props.label} dimension ${i + 1}`}
          onChange={(e) => set(i, Math.max(1, Math.floor(Number(e.target.value) || 1)))}
        />
      ))}
      <button
        type="button"
        disabled={props.disabled || dims.length <= 1}
        aria-label={`Remove a dimension of ${props.label}`}
        onClick={() => props.onCommit(dims.slice(0, -1))}
      >
        −
      </button>
      <button
        type="button"
        disabled={props.disabled || dims.length >= 8}
        aria-label={`Add a dimension to ${props.label}`}
        onClick={() => props.onCommit([...dims, 1])}
      >
        +
      </button>
    </span>
  );
}

function dtypeName(v: Json | undefined): string {
  if (isObject(v) && typeof v.name === 'string') return v.name;
  return typeof v === 'string' ? v : '';
}

function FieldRow(props: {
  node: DocNode | null;
  f: FieldInfo;
  locked: boolean;
  linked: boolean;
  linkable: boolean;
  depth?: number;
}): ReactNode {
  const { f, node } = props;
  const { store } = useEditorContext();
  const write = useWrite(node?.id ?? null);
  const id = useId();
  const descId = `${id}-desc`;
  const issues = useEditor((s) => s.issues);
  const doc = useEditor((s) => s.doc);
  const issuePath = node ? configIssuePath(doc, node.id, f.path) : undefined;
  const issue = issuePath ? issues.find((d) => d.path === issuePath && d.level === 'error') : undefined;
  const problem = checkField(f, f.value) ?? (issue ? issue.message.replace(`${issuePath}: `, '') : undefined);
  const label = `${f.name}${f.units ? ` (${f.units})` : ''}`;
  const disabled = props.locked;
  let widget: ReactNode;
  const w = f.widget;
  if (w === 'initializer') {
    widget = <InitializerChoice node={node} f={f} disabled={disabled} />;
  } else if (w === 'boolean') {
    widget = (
      <select
        id={id}
        value={String(f.value === true)}
        disabled={disabled}
        aria-describedby={descId}
        onChange={(e) => write(f, e.target.value === 'true')}
      >
        <option value="true">True</option>
        <option value="false">False</option>
      </select>
    );
  } else if (w === 'select') {
    const isDtypeObj = isObject(f.value) && f.value.__type__ === 'dtype';
    const current = dtypeName(f.value);
    widget = (
      <select
        id={id}
        value={current}
        disabled={disabled}
        aria-describedby={descId}
        onChange={(e) =>
          write(
            f,
            isDtypeObj || f.name === 'dtype' ? { __type__: 'dtype', name: e.target.value } : e.target.value,
          )
        }
      >
        {[...new Set([...(f.options ?? []), current])]
          .filter((o) => o !== '')
          .map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
      </select>
    );
  } else if (w === 'shape') {
    widget = <ShapeInput label={f.name} value={f.value} disabled={disabled} onCommit={(v) => write(f, v)} />;
  } else if (w === 'number' || w === 'integer') {
    widget = (
      <NumberInput
        id={id}
        value={f.value}
        integer={w === 'integer'}
        disabled={disabled}
        describedBy={descId}
        {...(f.default !== undefined && typeof f.default !== 'object'
          ? { placeholder: String(f.default) }
          : {})}
        onCommit={(v) => write(f, v)}
      />
    );
  } else if (w === 'text') {
    widget = (
      <input
        id={id}
        type="text"
        value={typeof f.value === 'string' ? f.value : ''}
        disabled={disabled}
        aria-describedby={descId}
        onChange={(e) => write(f, e.target.value)}
      />
    );
  } else {
    widget = (
      <JsonInput
        id={id}
        value={f.value}
        disabled={disabled}
        describedBy={descId}
        onCommit={(v) => write(f, v)}
      />
    );
  }
  const toggleInit = f.allowsInit && !disabled && (
    <button
      type="button"
      className="spark-icon-button"
      title={isInitializer(f.value) ? 'Use a single value' : 'Use an initializer'}
      aria-label={`${isInitializer(f.value) ? 'Use a single value for' : 'Use an initializer for'} ${f.name}`}
      onClick={() => {
        if (isInitializer(f.value)) {
          const scale = getAt(f.value, ['__cfg__', 'scale']);
          write(f, typeof scale === 'number' ? scale : typeof f.default === 'number' ? f.default : 0);
        } else {
          const init = initializerDefaults('constant_initializer');
          (init.__cfg__ as JsonObject).scale = typeof f.value === 'number' ? f.value : 1;
          write(f, init);
        }
      }}
    >
      {isInitializer(f.value) ? '◇' : '◆'}
    </button>
  );
  return (
    <>
      <div
        className={`spark-field${problem ? ' invalid' : ''}${props.locked ? ' locked' : ''}`}
        data-field={formatPath(f.path)}
        style={{ paddingLeft: (props.depth ?? 0) * 14 }}
      >
        <span className="spark-field-flags">
          {problem ? (
            <span className="spark-warn" role="img" aria-label={`Invalid: ${problem}`} title={problem}>
              ⚠
            </span>
          ) : null}
          {toggleInit}
          {props.linkable && node ? (
            <label className="spark-link-toggle" title="Link similar child variables">
              <input
                type="checkbox"
                checked={props.linked}
                aria-label={`Link similar child variables: ${f.name}`}
                onChange={(e) => store.getState().setLink(node.id, f.path, e.target.checked)}
              />
              <span aria-hidden="true">link</span>
            </label>
          ) : null}
          {props.locked ? (
            <span
              className="spark-lock"
              title="Linked to its parent field"
              role="img"
              aria-label="locked by a linked parent field"
            >
              ⊘
            </span>
          ) : null}
        </span>
        <label htmlFor={id} className="spark-field-label" title={f.description}>
          {props.depth ? '▷ ' : ''}
          {label}
        </label>
        <span className="spark-field-widget">{widget}</span>
        <span id={descId} className="spark-field-desc">
          {problem ? <span className="spark-field-error">{problem}. </span> : null}
          {f.description ?? ''}
          {f.default !== undefined && typeof f.default !== 'object' ? ` Default: ${String(f.default)}.` : ''}
          {f.validatorText.length > 0 ? ` Validators: ${f.validatorText.join(', ')}.` : ''}
        </span>
      </div>
      {w === 'initializer'
        ? initializerFields(f.value, f.path).map((sf) => (
            <FieldRow
              key={formatPath(sf.path)}
              node={node}
              f={sf}
              locked={props.locked}
              linked={false}
              linkable={false}
              depth={(props.depth ?? 0) + 1}
            />
          ))
        : null}
    </>
  );
}

function InitializerChoice(props: { node: DocNode | null; f: FieldInfo; disabled: boolean }): ReactNode {
  const { f } = props;
  const write = useWrite(props.node?.id ?? null);
  const kind = initializerKind(f.value) ?? '';
  return (
    <select
      aria-label={`Initializer of ${f.name}`}
      value={kind}
      disabled={props.disabled}
      onChange={(e) => {
        const next = initializerDefaults(e.target.value);
        const old = isObject(f.value) && isObject(f.value.__cfg__) ? f.value.__cfg__ : {};
        const cfg = next.__cfg__ as JsonObject;
        for (const k of ['scale', 'min_value', 'max_value', 'dtype', 'density'])
          if (k in old && k in cfg) cfg[k] = old[k] as Json;
        write(f, next);
      }}
    >
      {INITIALIZER_CHOICES.map((k) => (
        <option key={k} value={k}>
          {labelOf(k)}
        </option>
      ))}
      {kind && !(INITIALIZER_CHOICES as readonly string[]).includes(kind) ? (
        <option value={kind}>{kind}</option>
      ) : null}
    </select>
  );
}

function Section(props: {
  node: DocNode | null;
  section: FieldSection;
  receiving: Set<string>;
  level: number;
}): ReactNode {
  const { section, node } = props;
  const links = new Set(node?.links ?? []);
  const [advanced, setAdvanced] = useState(false);
  const rows = section.fields.filter((f) => advanced || !f.advanced);
  const hidden = section.fields.length - rows.length;
  return (
    <details className="spark-section" open data-section={section.title}>
      <summary>
        {section.title}
        {section.type ? <span className="spark-section-type"> {section.type}</span> : null}
      </summary>
      {rows.map((f) => {
        const key = formatPath(f.path);
        return (
          <FieldRow
            key={key}
            node={node}
            f={f}
            locked={props.receiving.has(key)}
            linked={links.has(key)}
            linkable={node !== null && canLink(node.config, f.path)}
          />
        );
      })}
      {hidden > 0 ? (
        <button type="button" className="spark-link-button" onClick={() => setAdvanced(true)}>
          Show {hidden} advanced field{hidden > 1 ? 's' : ''} (seed…)
        </button>
      ) : null}
      {section.sections.map((s) => (
        <Section
          key={formatPath(s.path)}
          node={node}
          section={s}
          receiving={props.receiving}
          level={props.level + 1}
        />
      ))}
    </details>
  );
}

function Connections(props: { node: DocNode }): ReactNode {
  const { store, registry } = useEditorContext();
  const doc = useEditor((s) => s.doc);
  const ports = nodePorts(props.node, doc, registry).filter((p) => p.role === 'input' || p.role === 'effect');
  if (ports.length === 0) return null;
  const candidates = doc.nodes.flatMap((n) =>
    nodePorts(n, doc, registry)
      .filter((p) => p.role === 'output' || p.role === 'property')
      .map((p) => ({ node: n.id, handle: p.handle, name: p.name })),
  );
  return (
    <details className="spark-section" open data-section="Connections">
      <summary>Connections</summary>
      {ports.map((p) => {
        const edges = doc.edges.filter(
          (e) =>
            e.target === props.node.id &&
            (p.role === 'effect' ? e.kind === 'effect' : e.kind === 'input') &&
            e.targetPort === p.name,
        );
        const ok = candidates.filter(
          (c) =>
            checkConnection(doc, registry, {
              source: c.node,
              sourceHandle: c.handle,
              target: props.node.id,
              targetHandle: p.handle,
            }).ok,
        );
        return (
          <div key={p.handle} className="spark-connection" data-port={p.handle}>
            <div className="spark-connection-port">
              {p.role === 'effect' ? <i>{p.name}</i> : p.name}{' '}
              <span className="spark-muted">{p.payload ? PAYLOAD_CLASS_NAMES[p.payload] : ''}</span>
            </div>
            <ul>
              {edges.map((e) => (
                <li key={e.id}>
                  {e.source}.{e.sourcePort}{' '}
                  <button
                    type="button"
                    className="spark-icon-button"
                    aria-label={`Disconnect ${e.source}.${e.sourcePort} from ${props.node.id}.${p.name}`}
                    onClick={() => store.getState().removeEdges([e.id])}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
            <select
              aria-label={`Connect an output to ${props.node.id}.${p.name}`}
              value=""
              onChange={(e) => {
                const [node, handle] = e.target.value.split('|');
                if (node && handle)
                  store.getState().connect({
                    source: node,
                    sourceHandle: handle,
                    target: props.node.id,
                    targetHandle: p.handle,
                  });
              }}
            >
              <option value="">Connect from…</option>
              {ok.map((c) => (
                <option key={`${c.node}|${c.handle}`} value={`${c.node}|${c.handle}`}>
                  {c.node}.{c.name}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </details>
  );
}

function IoEditor(props: { node: DocNode }): ReactNode {
  const { store } = useEditorContext();
  const spec = props.node.spec ?? { payload: null, shape: null, dtype: null, description: null };
  const readOnly = props.node.kind === 'sink';
  const id = useId();
  return (
    <details className="spark-section" open data-section="Main">
      <summary>Main</summary>
      <div className="spark-field">
        <span className="spark-field-flags" />
        <label className="spark-field-label" htmlFor={`${id}-pt`}>
          Payload Type
        </label>
        <span className="spark-field-widget">
          <select
            id={`${id}-pt`}
            disabled={readOnly}
            value={spec.payload ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              store.getState().setIoSpec(props.node.id, {
                payload: v === '' ? null : (v as (typeof PAYLOAD_TYPES)[number]),
              });
              store
                .getState()
                .report('info', `${props.node.id} - Updated output port "value" payload type to "${v}".`, {
                  nodeId: props.node.id,
                });
            }}
          >
            <option value="">(unknown)</option>
            {PAYLOAD_TYPES.filter((p) => p !== 'any').map((p) => (
              <option key={p} value={p}>
                {PAYLOAD_CLASS_NAMES[p]}
              </option>
            ))}
          </select>
        </span>
      </div>
      <div className="spark-field">
        <span className="spark-field-flags" />
        <span className="spark-field-label">Shape</span>
        <span className="spark-field-widget">
          <ShapeInput
            label="shape"
            value={spec.shape ?? [1]}
            disabled={readOnly}
            onCommit={(v) => {
              store.getState().setIoSpec(props.node.id, { shape: v as number[] });
              store
                .getState()
                .report(
                  'info',
                  `${props.node.id} - Updated output port "value" shape to "(${(v as number[]).join(', ')},)".`,
                  { nodeId: props.node.id },
                );
            }}
          />
        </span>
      </div>
      <div className="spark-field">
        <span className="spark-field-flags" />
        <label className="spark-field-label" htmlFor={`${id}-dt`}>
          Dtype
        </label>
        <span className="spark-field-widget">
          <select
            id={`${id}-dt`}
            disabled={readOnly}
            value={spec.dtype ?? ''}
            onChange={(e) =>
              store
                .getState()
                .setIoSpec(props.node.id, { dtype: e.target.value === '' ? null : e.target.value })
            }
          >
            <option value="">(unknown)</option>
            {['uint8', 'uint16', 'uint32', 'int8', 'int16', 'int32', 'float16', 'float32', 'bool'].map(
              (d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ),
            )}
          </select>
        </span>
      </div>
    </details>
  );
}

function NameEditor(props: { node: DocNode }): ReactNode {
  const { store } = useEditorContext();
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const commit = (): void => {
    if (draft !== null && draft !== props.node.id) store.getState().renameNode(props.node.id, draft.trim());
    setDraft(null);
  };
  return (
    <div className="spark-inspector-name">
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        value={draft ?? props.node.id}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
    </div>
  );
}

/** Props of {@link Inspector}. */
export interface InspectorProps {
  className?: string;
}

/** The inspector panel. */
export function Inspector(props: InspectorProps): ReactNode {
  const { store, registry } = useEditorContext();
  const selection = useEditor((s) => s.selection);
  const nodes = useEditor((s) => s.doc.nodes);
  const controller = useEditor((s) => s.doc.controller);
  const mode = useEditor((s) => s.doc.mode);
  const inNeuron = useEditor((s) => s.neuronStack.length > 0);
  const schemas = useMemo(() => registrySchemas(registry), [registry]);
  const node = selection.length === 1 ? nodes.find((n) => n.id === selection[0]) : undefined;
  const sections = useMemo(
    () => (node?.kind === 'module' ? buildSections(node.config, node.type, schemas) : undefined),
    [node, schemas],
  );
  const controllerSection = useMemo(
    () =>
      selection.length === 0
        ? buildSections(
            controller,
            mode === 'brain' ? undefined : undefined,
            schemas,
            mode === 'brain' ? 'Brain' : 'Neuron',
          )
        : undefined,
    [controller, selection.length, schemas, mode],
  );
  const receiving = useMemo(() => (node ? receivingFields(node) : new Set<string>()), [node]);
  let body: ReactNode;
  if (selection.length > 1) body = <p className="spark-muted">Multi-selection not supported.</p>;
  else if (!node) {
    body = (
      <>
        <p className="spark-muted">Select a node to inspect. {inNeuron ? 'Editing a neuron inside.' : ''}</p>
        {controllerSection ? (
          <Section node={null} section={controllerSection} receiving={new Set()} level={0} />
        ) : null}
      </>
    );
  } else {
    body = (
      <>
        <NameEditor node={node} />
        <div className="spark-inspector-type">
          {node.kind === 'module'
            ? `${registry.get(node.type)?.label ?? labelOf(node.type)} · ${node.type}`
            : `${node.kind[0]?.toUpperCase()}${node.kind.slice(1)} node`}
        </div>
        {isNeuronNode(node) ? (
          <button type="button" onClick={() => store.getState().enterNeuron(node.id)}>
            Edit neuron inside (Neuron mode)
          </button>
        ) : null}
        {node.kind === 'module' ? <Connections node={node} /> : <IoEditor node={node} />}
        {sections ? <Section node={node} section={sections} receiving={receiving} level={0} /> : null}
      </>
    );
  }
  return (
    <aside className={`spark-panel spark-inspector ${props.className ?? ''}`} aria-label="Inspector">
      <h2>Inspector</h2>
      {body}
    </aside>
  );
}
