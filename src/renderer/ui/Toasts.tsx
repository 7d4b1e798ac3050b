import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

export type ToastKind = 'info' | 'success' | 'error';
interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly text: string;
}

const ToastContext = createContext<(kind: ToastKind, text: string) => void>(() => {});
const ClearContext = createContext<() => void>(() => {});

export function useToast(): (kind: ToastKind, text: string) => void {
  return useContext(ToastContext);
}

/** Removes every notice: the shell calls it when a person signs out or the workstation locks. */
export function useClearToasts(): () => void {
  return useContext(ClearContext);
}

let nextId = 1;

/** Short notices in a live region; errors stay until dismissed, the rest fade after 6 s. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (kind: ToastKind, text: string) => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-4), { id, kind, text }]);
      if (kind !== 'error') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const clear = useCallback(() => setToasts([]), []);
  return (
    <ToastContext.Provider value={show}>
      <ClearContext.Provider value={clear}>{children}</ClearContext.Provider>
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind}`}>
            <span>{toast.text}</span>
            <button className="toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
