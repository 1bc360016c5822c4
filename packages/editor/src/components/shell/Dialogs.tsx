/**
 * The editor's modal dialogs: unsaved changes, a list of problems (an export refused, a file that
 * opened with parts left out), settings, and the name of a custom neuron.
 *
 * @module
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { type Problem, problemText } from '../../model/problems.ts';
import type { EditorSettings } from './settings.ts';

/** The dialog on screen. */
export type DialogState =
  | { kind: 'discard'; resolve(choice: 'save' | 'discard' | 'cancel'): void }
  | {
      kind: 'problems';
      title: string;
      /** Parts of a file that could not be read and were left out, in words. */
      dropped?: string[];
      problems: Problem[];
    }
  | { kind: 'settings' }
  | { kind: 'neuron-name'; resolve(name: string | undefined): void };

function Dialog(props: { title: string; children: ReactNode; onClose(): void }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="spark-dialog"
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** Props of {@link Dialogs}. */
export interface DialogsProps {
  dialog: DialogState | null;
  close(): void;
  settings: EditorSettings;
  setSettings(s: EditorSettings): void;
  /** Selects the node of a problem and focuses its field. */
  focus(p: Problem): void;
}

/** Whichever dialog is open. */
export function Dialogs(props: DialogsProps): ReactNode {
  const { dialog, close, settings, setSettings } = props;
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'discard':
      return (
        <Dialog title="Unsaved changes" onClose={() => dialog.resolve('cancel')}>
          <p>The document has been modified. Do you want to save your changes?</p>
          <div className="spark-dialog-buttons">
            <button type="button" onClick={() => dialog.resolve('save')}>
              Save
            </button>
            <button type="button" onClick={() => dialog.resolve('discard')}>
              Discard
            </button>
            <button type="button" onClick={() => dialog.resolve('cancel')}>
              Cancel
            </button>
          </div>
        </Dialog>
      );
    case 'problems':
      return (
        <Dialog title={dialog.title} onClose={close}>
          {dialog.dropped && dialog.dropped.length > 0 ? (
            <>
              <p>These parts of the file do not fit Spark's format and were left out:</p>
              <ul className="spark-error-list" data-testid="dropped">
                {dialog.dropped.map((d) => (
                  <li key={d}>• {d}</li>
                ))}
              </ul>
            </>
          ) : null}
          {dialog.problems.length > 0 ? (
            <>
              {dialog.dropped && dialog.dropped.length > 0 ? <p>Problems of what was opened:</p> : null}
              <ul className="spark-error-list" data-testid="problems">
                {dialog.problems.map((p) => (
                  <li key={p.key}>
                    •{' '}
                    <button
                      type="button"
                      className="spark-console-link"
                      onClick={() => {
                        close();
                        props.focus(p);
                      }}
                    >
                      {problemText(p)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div className="spark-dialog-buttons">
            <button type="button" onClick={close}>
              OK
            </button>
          </div>
        </Dialog>
      );
    case 'settings':
      return (
        <Dialog title="Settings" onClose={close}>
          {(
            [
              ['nativeDialogs', "Use the browser's native file dialogs"],
              ['compressFiles', 'Write XZ-compressed files (as Spark does)'],
              ['showMinimap', 'Show the minimap'],
            ] as const
          ).map(([key, text]) => (
            <label key={key}>
              <input
                type="checkbox"
                checked={settings[key]}
                onChange={(e) => setSettings({ ...settings, [key]: e.target.checked })}
              />{' '}
              {text}
            </label>
          ))}
          <div className="spark-dialog-buttons">
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </Dialog>
      );
    case 'neuron-name':
      return (
        <Dialog title="Save as custom neuron" onClose={() => dialog.resolve(undefined)}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const v = new FormData(e.currentTarget).get('name');
              dialog.resolve(typeof v === 'string' && v.trim() ? v.trim() : undefined);
            }}
          >
            <label>
              Neuron class name <input name="name" defaultValue="MyNeuron" />
            </label>
            <div className="spark-dialog-buttons">
              <button type="submit">Save</button>
              <button type="button" onClick={() => dialog.resolve(undefined)}>
                Cancel
              </button>
            </div>
          </form>
        </Dialog>
      );
  }
}
