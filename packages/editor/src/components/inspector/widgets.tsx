/**
 * Value widgets of the inspector: a text box that commits only values of the field's type, and the
 * shape editor (one box per dimension, − / +).
 *
 * @module
 */
import { type ReactNode, useState } from 'react';
import type { ParsedField } from '../../model/fields.ts';
import type { Json } from '../../model/types.ts';

/** How a value is shown in a text box. */
function show(value: Json | undefined): string {
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/**
 * A text box for a number (or JSON) field. What is typed is parsed on Enter or blur; text that is
 * not of the field's type stays in the box, is reported through `onDraftProblem` and is never
 * written. Escape restores the stored value.
 */
export function TypedInput(props: {
  id: string;
  value: Json | undefined;
  disabled: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  className?: string;
  describedBy: string;
  parse(text: string): ParsedField;
  onCommit(v: Json): void;
  onDraftProblem(message: string | undefined): void;
}): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (): void => {
    if (draft === null) return;
    const r = props.parse(draft);
    if (!r.ok) {
      props.onDraftProblem(r.message);
      return;
    }
    setDraft(null);
    props.onDraftProblem(undefined);
    props.onCommit(r.value);
  };
  return (
    <input
      id={props.id}
      type="text"
      className={props.className}
      inputMode={props.inputMode ?? 'text'}
      value={draft ?? show(props.value)}
      disabled={props.disabled}
      placeholder={props.placeholder}
      aria-describedby={props.describedBy}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') {
          setDraft(null);
          props.onDraftProblem(undefined);
        }
      }}
    />
  );
}

/** Spark's shape editor: one integer box per dimension (1 to 8 dimensions, values ≥ 1). */
export function ShapeInput(props: {
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
