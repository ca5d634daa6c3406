import { useEffect, useRef, useState } from "preact/hooks";
import { api, type ApiError, type AppStatus } from "../api";
import { ErrorBox } from "../components";
import { useT } from "../i18n";

export function FirstRun({ status, onCreated }: { status: AppStatus; onCreated: (s: AppStatus) => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  // The one action on this screen gets the focus: Enter or Space creates the demo ward.
  useEffect(() => button.current?.focus(), []);

  const create = () => {
    setBusy(true);
    setError(null);
    api
      .createDemo()
      .then(onCreated)
      .catch((e: ApiError) => setError(e))
      .finally(() => setBusy(false));
  };

  return (
    <main class="card narrow" data-testid="first-run">
      <h1>{t("firstRunTitle")}</h1>
      <p>{t("firstRunBody")}</p>
      <p class="muted small mono">{t("firstRunDbPath", { path: status.db_path })}</p>
      {error ? <ErrorBox error={error} /> : null}
      <div class="actions">
        <button
          type="button"
          class="primary"
          ref={button}
          disabled={busy}
          aria-busy={busy}
          onClick={create}
          data-testid="create-demo"
        >
          {busy ? t("creatingDemo") : t("createDemo")}
        </button>
      </div>
      <p class="muted small">{t("firstRunCliHint")}</p>
    </main>
  );
}
