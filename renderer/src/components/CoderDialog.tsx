/** Asked once per machine: who is coding. The name prefixes annotation ids and names the coder's files. */
import { useState } from "react";
import { Modal } from "./Modal";

/** First-run dialog for the coder name. */
export function CoderDialog({
  open,
  onSave,
}: {
  open: boolean;
  onSave(name: string): Promise<string | null>;
}) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const valid = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name);
  return (
    <Modal open={open} title="Who is coding?" onClose={() => undefined}>
      <form
        className="coder-form"
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void onSave(name).then(setError);
        }}
      >
        <p className="muted">
          Your coder name goes into your annotation files
          (coding/&lt;article&gt;/&lt;name&gt;.json), so that a team's work merges without clashes.
          Letters, digits, - and _.
        </p>
        <label htmlFor="coder-name">Coder name</label>
        <div className="row">
          <input
            id="coder-name"
            value={name}
            autoComplete="username"
            onChange={(e) => setName(e.target.value.trim())}
          />
          <button type="submit" className="primary" disabled={!valid}>
            Start coding
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
