import type { RefObject } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { api, type ApiError, type StateCount } from "../api";
import { ErrorBox } from "../components";
import { codeLabel, useT } from "../i18n";

// Workflow order, so the cards read left to right like the permit's life.
const ORDER = ["received", "checked", "approved", "rejected", "stamped", "printed", "delivered", "revoked", "expired"];

export function Dashboard({ headingRef, demo }: { headingRef: RefObject<HTMLHeadingElement | null>; demo: boolean }) {
  const t = useT();
  const [data, setData] = useState<StateCount[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(() => {
    setError(null);
    api
      .dashboard()
      .then(setData)
      .catch((e: ApiError) => setError(e));
  }, []);
  useEffect(load, [load]);

  const counts = new Map((data ?? []).map((c) => [c.state, c.count]));
  const total = (data ?? []).reduce((sum, c) => sum + c.count, 0);
  // States the core reports that this screen does not know yet still show, after the known ones.
  const states = [...ORDER, ...[...counts.keys()].filter((s) => !ORDER.includes(s))];

  return (
    <main class="page" data-testid="dashboard">
      <div class="page-head">
        <h1 tabIndex={-1} ref={headingRef}>
          {t("dashboardTitle")}
          {demo ? <span class="badge badge-demo">DEMO</span> : null}
        </h1>
        <button type="button" onClick={load} data-testid="dashboard-refresh">
          {t("refresh")}
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {data ? (
        <>
          <p class="muted" data-testid="dashboard-total" data-total={total}>
            {t("dashboardTotal", { n: total.toLocaleString("vi-VN") })}
          </p>
          <ul class="counts" aria-live="polite">
            {states.map((s) => {
              const n = counts.get(s) ?? 0;
              return (
                <li class={`count state-${s}`} data-testid={`count-${s}`} data-count={n}>
                  <span class="count-n">{n.toLocaleString("vi-VN")}</span>
                  <span class="count-label">{codeLabel(t, "state_", s)}</span>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </main>
  );
}
