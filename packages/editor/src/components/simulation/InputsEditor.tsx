/**
 * The sources that feed the model's inputs (constant, sine, noise, a CSV file, or the CartPole
 * environment in closed loop), one fieldset per input.
 *
 * @module
 */
import type { ReactNode } from 'react';
import { defaultInput, type InputInfo, type InputKind, type InputSource } from '../../sim/simulator.ts';

function NumberSetting(props: {
  label: string;
  step: number;
  value: number;
  onChange(v: number): void;
}): ReactNode {
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        step={props.step}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </label>
  );
}

/** Props of {@link InputsEditor}. */
export interface InputsEditorProps {
  inputs: readonly InputInfo[];
  sources: Readonly<Record<string, InputSource>>;
  onChange(name: string, patch: Partial<InputSource>): void;
}

/** The inputs section of the simulation panel. */
export function InputsEditor(props: InputsEditorProps): ReactNode {
  if (props.inputs.length === 0) return null;
  return (
    <details className="spark-sim-inputs">
      <summary>
        Inputs (
        {props.inputs.map((i) => `${i.name}: ${(props.sources[i.name] ?? defaultInput()).kind}`).join(', ')})
      </summary>
      {props.inputs.map((i) => {
        const src = props.sources[i.name] ?? defaultInput();
        const set = (patch: Partial<InputSource>) => props.onChange(i.name, patch);
        return (
          <fieldset key={i.name}>
            <legend>
              {i.name} [{i.size}]
            </legend>
            <select
              aria-label={`Input source of ${i.name}`}
              value={src.kind}
              onChange={(e) => set({ kind: e.target.value as InputKind })}
            >
              <option value="constant">constant</option>
              <option value="sine">sine</option>
              <option value="noise">noise</option>
              <option value="file">file</option>
              <option value="cartpole">CartPole environment</option>
            </select>
            <NumberSetting
              label="amplitude"
              step={0.1}
              value={src.amplitude}
              onChange={(v) => set({ amplitude: v })}
            />
            {src.kind === 'sine' ? (
              <NumberSetting
                label="Hz"
                step={0.5}
                value={src.frequency}
                onChange={(v) => set({ frequency: v })}
              />
            ) : null}
            {src.kind === 'file' ? (
              <input
                type="file"
                accept=".csv,.txt"
                aria-label={`CSV values for ${i.name}`}
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  if (!f) return;
                  const nums = (await f.text())
                    .split(/[\s,;]+/)
                    .filter(Boolean)
                    .map(Number)
                    .filter(Number.isFinite);
                  set({ data: Float32Array.from(nums) });
                }}
              />
            ) : null}
          </fieldset>
        );
      })}
    </details>
  );
}
