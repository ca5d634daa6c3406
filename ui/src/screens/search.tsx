import { useEffect, useRef, useState } from "preact/hooks";
import { api, type ApiError, type PersonHit, type SearchPage } from "../api";
import { ErrorBox } from "../components";
import { formatDate } from "../format";
import { codeLabel, useT, type T } from "../i18n";
import { PermitQrButton } from "./permit-qr";

export function idDocument(t: T, r: PersonHit): string {
  // A foreign passport carries its own label ("Hộ chiếu Hàn Quốc").
  return r.id_label ?? codeLabel(t, "idkind_", r.id_kind);
}

export function Search({ focusToken }: { focusToken: number }) {
  const t = useT();
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<{ q: string; data: SearchPage } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // Answers can arrive out of order when pages are clicked fast; only the latest one is shown.
  const seq = useRef(0);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusToken]);

  const run = (q: string, page: number) => {
    const mine = ++seq.current;
    setBusy(true);
    setError(null);
    api
      .search(q, page)
      .then((data) => {
        if (mine !== seq.current) return;
        setResult({ q, data });
        // The pager sits under the table: a new page starts reading from its top.
        if (page > 1 || result?.q === q) window.scrollTo({ top: 0 });
      })
      .catch((e: ApiError) => {
        if (mine === seq.current) setError(e);
      })
      .finally(() => {
        if (mine === seq.current) setBusy(false);
      });
  };

  const submit = (ev: Event) => {
    ev.preventDefault();
    const q = query.trim();
    if (q) run(q, 1);
  };

  const data = result?.data;
  const v = (s: string | null) => s ?? t("noValue");

  return (
    <main class="page" data-testid="search">
      <h1>{t("searchTitle")}</h1>
      <form class="search-form" onSubmit={submit} role="search" data-testid="search-form">
        <label class="grow">
          <span>{t("searchLabel")}</span>
          <input
            ref={input}
            type="search"
            name="q"
            autoComplete="off"
            spellcheck={false}
            placeholder={t("searchPlaceholder")}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            data-testid="search-input"
          />
        </label>
        <button type="submit" class="primary" disabled={busy} aria-busy={busy} data-testid="search-submit">
          {busy ? t("searching") : t("searchSubmit")}
        </button>
      </form>
      <p class="muted small">{t("searchHint")}</p>
      {error ? <ErrorBox error={error} /> : null}
      {result && data ? (
        <section
          aria-live="polite"
          data-testid="search-answer"
          data-kind={data.kind}
          data-query={result.q}
          data-page={data.page}
        >
          <p class="muted small" data-testid="search-kind">
            {codeLabel(t, "kind_", data.kind)}
          </p>
          {data.items.length === 0 ? (
            data.kind === "empty" ? null : <p data-testid="search-empty">{t("searchEmpty", { q: result.q })}</p>
          ) : (
            <>
              <p class="muted" data-testid="search-count" data-count={data.items.length}>
                {t(data.has_more ? "searchCountMore" : "searchCount", { page: data.page, n: data.items.length })}
              </p>
              <table class="table" data-testid="search-results">
                <thead>
                  <tr>
                    <th scope="col">{t("colName")}</th>
                    <th scope="col">{t("colId")}</th>
                    <th scope="col">{t("colDob")}</th>
                    <th scope="col">{t("colOrg")}</th>
                    <th scope="col">{t("colState")}</th>
                    <th scope="col">{t("colSerial")}</th>
                    <th scope="col">{t("colValid")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((r) => (
                    <tr data-testid="result-row" key={r.permit_id}>
                      <td data-testid="result-name">{r.full_name}</td>
                      <td class="mono nowrap">
                        <span class="muted small">{idDocument(t, r)}</span> {r.id_number}
                      </td>
                      <td class="mono">{v(formatDate(r.date_of_birth))}</td>
                      <td>
                        {v(r.org_name)}
                        {r.org_ref ? (
                          <div class="muted small mono" data-testid="result-org-ref">
                            {r.org_ref}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <span class={`pill state-${r.state}`}>{codeLabel(t, "state_", r.state)}</span>
                      </td>
                      <td class="mono">
                        {v(r.serial)}
                        {r.serial ? (
                          <div>
                            <PermitQrButton permitId={r.permit_id} />
                          </div>
                        ) : null}
                      </td>
                      <td class="mono small nowrap">
                        {r.valid_from || r.valid_to
                          ? `${v(formatDate(r.valid_from))} – ${v(formatDate(r.valid_to))}`
                          : t("noValue")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {data.page > 1 || data.has_more ? (
            <div class="pager" data-testid="pager">
              <button
                type="button"
                disabled={busy || data.page <= 1}
                onClick={() => run(result.q, data.page - 1)}
                data-testid="page-prev"
              >
                {t("pagePrev")}
              </button>
              <span data-testid="page-info">{t("pageOf", { page: data.page })}</span>
              <button
                type="button"
                disabled={busy || !data.has_more}
                onClick={() => run(result.q, data.page + 1)}
                data-testid="page-next"
              >
                {t("pageNext")}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}
