/**
 * A native modal <dialog> driven by an `open` prop: focus is trapped and Esc
 * closes it (the browser's own behaviour), and it ends with a Close button.
 */
import { type ReactNode, useEffect, useId, useRef } from "react";

interface Props {
  open: boolean;
  title: string;
  className?: string;
  onClose(): void;
  children: ReactNode;
}

/** Modal dialog with a title and a Close button. */
export function Modal({ open, title, className, onClose, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className={`modal ${className ?? ""}`}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
      <form method="dialog">
        <button type="submit" className="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
