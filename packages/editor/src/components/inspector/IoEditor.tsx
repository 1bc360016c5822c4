/**
 * The inspector of a Source, Sink or Property node: payload type, shape and dtype (editable for
 * sources, read-only for sinks, which adopt what they are connected to).
 *
 * @module
 */
import { type ReactNode, useId } from 'react';
import { type DocNode, PAYLOAD_CLASS_NAMES, PAYLOAD_TYPES } from '../../model/types.ts';
import { useEditorContext } from '../context.tsx';
import { ShapeInput } from './widgets.tsx';

/** Payload type, shape and dtype of an I/O node. */
export function IoEditor(props: { node: DocNode }): ReactNode {
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
