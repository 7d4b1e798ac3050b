import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldFrame {
  label: string;
  hint?: ReactNode;
  error?: string;
}

/** Label, hint and error wired to one control for assistive technology. */
function Frame({ id, label, hint, error, children }: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error ? (
        <small id={`${id}-hint`} className="field-hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

function described(id: string, hint: unknown, error: unknown) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

/** A labelled input with its hint and error. */
export function Field({ label, hint, error, ...input }: InputHTMLAttributes<HTMLInputElement> & FieldFrame) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <input id={id} {...described(id, hint, error)} {...input} />
    </Frame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & FieldFrame) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <select id={id} {...described(id, hint, error)} {...select}>
        {children}
      </select>
    </Frame>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  ...area
}: TextareaHTMLAttributes<HTMLTextAreaElement> & FieldFrame) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} rows={3} {...described(id, hint, error)} {...area} />
    </Frame>
  );
}

export function CheckboxField({
  label,
  hint,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field field-check">
      <label htmlFor={id}>
        <input id={id} type="checkbox" {...input} /> {label}
      </label>
      {hint ? <small className="field-hint">{hint}</small> : null}
    </div>
  );
}

/** A list's text search: every word typed must appear in a row (ui/Table's search). */
export function SearchField({
  value,
  onSearch,
  placeholder,
}: {
  value: string;
  onSearch: (text: string) => void;
  placeholder: string;
}) {
  return (
    <Field
      label="Search"
      type="search"
      value={value}
      placeholder={placeholder}
      onChange={(e) => onSearch(e.target.value)}
    />
  );
}

/** Fields side by side where the window is wide enough. */
export function Row({ children }: { children: ReactNode }) {
  return <div className="form-row">{children}</div>;
}

export function Form({
  onSubmit,
  children,
  wide,
  label,
}: {
  onSubmit: () => void;
  children: ReactNode;
  wide?: boolean;
  label?: string;
}) {
  return (
    <form
      className={`form ${wide ? 'form-wide' : ''}`}
      aria-label={label}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
