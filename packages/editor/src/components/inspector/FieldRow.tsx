/**
 * One inspector row: [problem flag] [initializer toggle] [link toggle / lock] label (unit) and the
 * value widget chosen from config's field descriptor, with the field's description, default and
 * validators underneath. Initializer values open their own rows below (prefixed ▷).
 *
 * @module
 */
import { type ReactNode, useId, useState } from 'react';
import { getAt, isInitializer } from '../../model/commands.ts';
import {
  checkField,
  type FieldInfo,
  initializerFields,
  initializerKind,
  parseFieldText,
} from '../../model/fields.ts';
import { configIssuePath } from '../../model/problems.ts';
import type { DocNode, Json, JsonObject } from '../../model/types.ts';
import { formatPath, isObject } from '../../model/types.ts';
import { useEditor, useEditorContext } from '../context.tsx';
import { ShapeInput, TypedInput } from './widgets.tsx';

/** Writes a field of a node (or of the controller when `nodeId` is null). */
function useWrite(nodeId: string | null): (f: FieldInfo, value: Json) => void {
  const { store } = useEditorContext();
  return (f, value) => {
    store.getState().setField(nodeId, f.path, value);
  };
}

/** The initializer used when a single value is turned into an initializer. */
const FIRST_CHOICE = 'constant_initializer';

function dtypeName(v: Json | undefined): string {
  if (isObject(v) && typeof v.name === 'string') return v.name;
  return typeof v === 'string' ? v : '';
}

function ValueWidget(props: {
  f: FieldInfo;
  id: string;
  descId: string;
  node: DocNode | null;
  disabled: boolean;
  onDraftProblem(m: string | undefined): void;
}): ReactNode {
  const { f, id, descId, disabled } = props;
  const write = useWrite(props.node?.id ?? null);
  switch (f.widget) {
    case 'initializer':
      return <InitializerChoice node={props.node} f={f} disabled={disabled} />;
    case 'boolean':
      return (
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
    case 'select': {
      const dtypeLike = (isObject(f.value) && f.value.__type__ === 'dtype') || f.spec?.kind === 'dtype';
      const current = dtypeName(f.value);
      return (
        <select
          id={id}
          value={current}
          disabled={disabled}
          aria-describedby={descId}
          onChange={(e) => write(f, dtypeLike ? { __type__: 'dtype', name: e.target.value } : e.target.value)}
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
    }
    case 'shape':
      return <ShapeInput label={f.name} value={f.value} disabled={disabled} onCommit={(v) => write(f, v)} />;
    case 'text':
      return (
        <input
          id={id}
          type="text"
          value={typeof f.value === 'string' ? f.value : ''}
          disabled={disabled}
          aria-describedby={descId}
          onChange={(e) => write(f, e.target.value)}
        />
      );
    default: {
      const numeric = f.widget === 'number' || f.widget === 'integer';
      return (
        <TypedInput
          id={id}
          value={f.value}
          disabled={disabled}
          describedBy={descId}
          inputMode={f.widget === 'integer' ? 'numeric' : numeric ? 'decimal' : 'text'}
          {...(numeric ? {} : { className: 'spark-json-input' })}
          {...(f.default !== undefined && typeof f.default !== 'object'
            ? { placeholder: String(f.default) }
            : f.optional && f.value === undefined
              ? { placeholder: '(not set)' }
              : {})}
          parse={(t) => parseFieldText(f, t)}
          onCommit={(v) => write(f, v)}
          onDraftProblem={props.onDraftProblem}
        />
      );
    }
  }
}

/** Props of {@link FieldRow}. */
export interface FieldRowProps {
  node: DocNode | null;
  f: FieldInfo;
  /** A linked parent field drives this one (Spark's lock). */
  locked: boolean;
  /** This field forwards its value to its children ("link similar child variables"). */
  linked: boolean;
  linkable: boolean;
  depth?: number;
}

/** One inspector row (and the rows of its initializer, if it holds one). */
export function FieldRow(props: FieldRowProps): ReactNode {
  const { f, node } = props;
  const { store, registry } = useEditorContext();
  const write = useWrite(node?.id ?? null);
  const id = useId();
  const descId = `${id}-desc`;
  const [draftProblem, setDraftProblem] = useState<string | undefined>(undefined);
  const issuePath = useEditor((s) => (node ? configIssuePath(s.doc, node.id, f.path) : undefined));
  const issue = useEditor((s) =>
    issuePath ? s.issues.find((d) => d.path === issuePath && d.level === 'error') : undefined,
  );
  const problem =
    draftProblem ??
    checkField(f, f.value) ??
    (issue ? issue.message.replace(`${issuePath}: `, '') : undefined);
  const label = `${f.name}${f.units ? ` (${f.units})` : ''}`;
  const disabled = props.locked;
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
          const first = registry.initializers.get(FIRST_CHOICE) ?? [...registry.initializers.values()][0];
          if (!first) return;
          const init = first.defaults();
          if (isObject(init.__cfg__)) init.__cfg__.scale = typeof f.value === 'number' ? f.value : 1;
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
            <span className="spark-warn" role="img" aria-label={`Problem: ${problem}`} title={problem}>
              ⚠
            </span>
          ) : null}
          {toggleInit}
          {props.linkable && node ? (
            <button
              type="button"
              className={`spark-icon-button spark-link-toggle${props.linked ? ' on' : ''}`}
              aria-pressed={props.linked}
              title={
                props.linked
                  ? `Linked: ${f.name} is copied to every child with the same field. Click to unlink.`
                  : `Link similar child variables: copy ${f.name} to every child with the same field.`
              }
              aria-label={`Link similar child variables: ${f.name}`}
              onClick={() => store.getState().setLink(node.id, f.path, !props.linked)}
            >
              {props.linked ? '🔗' : '⛓'}
            </button>
          ) : null}
          {props.locked ? (
            <span
              className="spark-lock"
              title="Linked to its parent field"
              role="img"
              aria-label="locked by a linked parent field"
            >
              🔒
            </span>
          ) : null}
        </span>
        <label htmlFor={id} className="spark-field-label" title={f.description}>
          {props.depth ? '▷ ' : ''}
          {label}
        </label>
        <span className="spark-field-widget">
          <ValueWidget
            f={f}
            id={id}
            descId={descId}
            node={node}
            disabled={disabled}
            onDraftProblem={setDraftProblem}
          />
        </span>
        <span id={descId} className="spark-field-desc">
          {problem ? <span className="spark-field-error">{problem}. </span> : null}
          {f.description ?? ''}
          {f.default !== undefined && typeof f.default !== 'object' ? ` Default: ${String(f.default)}.` : ''}
          {f.validatorText.length > 0 ? ` Validators: ${f.validatorText.join(', ')}.` : ''}
        </span>
      </div>
      {f.widget === 'initializer'
        ? initializerFields(f.value, f.path, registry).map((sf) => (
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

/** The initializer kind of a field that holds an initializer (the sub-form's header). */
function InitializerChoice(props: { node: DocNode | null; f: FieldInfo; disabled: boolean }): ReactNode {
  const { f } = props;
  const { registry } = useEditorContext();
  const write = useWrite(props.node?.id ?? null);
  const kind = initializerKind(f.value) ?? '';
  const choices = [...registry.initializers.values()];
  return (
    <select
      aria-label={`Initializer of ${f.name}`}
      value={kind}
      disabled={props.disabled}
      onChange={(e) => {
        const next = registry.initializers.get(e.target.value)?.defaults();
        if (!next) return;
        // Settings both initializers have are kept.
        const old = isObject(f.value) && isObject(f.value.__cfg__) ? f.value.__cfg__ : {};
        const cfg = next.__cfg__ as JsonObject;
        for (const k of Object.keys(cfg)) if (!k.startsWith('__') && k in old) cfg[k] = old[k] as Json;
        write(f, next);
      }}
    >
      {choices.map((d) => (
        <option key={d.name} value={d.name}>
          {d.label}
        </option>
      ))}
      {kind && !registry.initializers.has(kind) ? <option value={kind}>{kind}</option> : null}
    </select>
  );
}
