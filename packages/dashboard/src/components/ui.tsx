// Small building blocks shared by every page: fields, buttons that wait, confirmation, toasts, copy.
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CopyIcon } from './icons';

let fieldIds = 0;

/** A labelled form field; the label is tied to the control and the hint/error described by it. */
export function Field(props: {
  label: string;
  id?: string;
  hint?: ComponentChildren;
  error?: string | null;
  children: (id: string, describedBy: string | undefined) => ComponentChildren;
}) {
  const [generated] = useState(() => `f${++fieldIds}`);
  const id = props.id ?? generated;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id, described)}
      {props.hint && (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span class="error" id={`${id}-error`} role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p class="form-error" role="alert">
      {error}
    </p>
  ) : null;
}

/** Runs an async action, showing "busy" and catching its error as a message. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean; variant?: string };

export function Button({ busy, variant = '', children, disabled, class: cls, ...rest }: ButtonProps) {
  return (
    <button type="button" {...rest} class={`btn ${variant} ${cls ?? ''}`.trim()} disabled={disabled || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

/** A modal confirmation (native <dialog>: focus is trapped, Escape cancels). */
export function Confirm(props: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <div class="dialog-body">
        <h2 id="confirm-title">{props.title}</h2>
        <div class="muted">{props.children}</div>
      </div>
      <div class="dialog-actions">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button variant={props.danger ? 'danger solid' : 'primary'} busy={props.busy} onClick={props.onConfirm}>
          {props.confirm}
        </Button>
      </div>
    </dialog>
  );
}

type Toast = { id: number; text: string; error: boolean };
let toasts: Toast[] = [];
let toastId = 0;
const toastListeners = new Set<() => void>();

export function toast(text: string, error = false): void {
  const id = ++toastId;
  // At most three at once: quick actions in a row should not stack a column of notes over the page.
  toasts = [...toasts, { id, text, error }].slice(-3);
  toastListeners.forEach((fn) => fn());
  setTimeout(
    () => {
      toasts = toasts.filter((t) => t.id !== id);
      toastListeners.forEach((fn) => fn());
    },
    error ? 7000 : 3500,
  );
}

export function Toasts() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    toastListeners.add(update);
    return () => toastListeners.delete(update);
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast${t.error ? ' error' : ''}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          toast('Copying was refused by the browser; select the text and copy it by hand.', true);
        }
      }}
    >
      <CopyIcon /> {copied ? 'Copied' : label}
    </Button>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** Loads data for a page: re-runs when `deps` change; `reload` fetches again without blanking the page. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const reload = async () => {
    const mine = ++generation.current;
    try {
      const value = await load();
      if (mine === generation.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    }
  };
  useEffect(() => {
    setData(null);
    void reload();
  }, deps);
  return { data, error, reload, setData };
}
