// A screen title that can be renamed in place: Rename opens a field, Enter saves, Escape cancels.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../api';

export function EditableTitle(props: {
  value: string;
  /** What is shown in the heading (may carry an icon). */
  children: ReactNode;
  fieldLabel: string;
  renameLabel: string;
  canEdit: boolean;
  maxLength?: number;
  onSave(value: string): Promise<void>;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await props.onSave(value.trim());
      setEditing(false);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (!editing) {
    return (
      <div className="title-row">
        <h1>{props.children}</h1>
        {props.canEdit && (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            aria-label={props.renameLabel}
            onClick={() => (setValue(props.value), setEditing(true))}
          >
            Rename
          </button>
        )}
      </div>
    );
  }
  return (
    <form className="title-row" onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
      <label htmlFor={id} className="sr-only">
        {props.fieldLabel}
      </label>
      <input
        id={id}
        className="input input-title"
        autoFocus
        maxLength={props.maxLength}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit" className="btn btn-primary btn-small">
        Save
      </button>
      <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
