import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  workApi,
  type ActivationStatus,
  type ApiError,
  type PersonHit,
  type QueueRequest,
  type Stamped,
  type StampQueue,
} from "../api";
import { ErrorBox } from "../components";
import { formatDate } from "../format";
import { useT } from "../i18n";
import { PermitQrButton } from "./permit-qr";
import { idDocument } from "./search";

interface Done {
  items: (Stamped & { name: string })[];
}

/** Ward police: sign approved permits with the workstation key, a page or a selection at a time. */
export function Stamp() {
  const t = useT();
  const [requestId, setRequestId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [queue, setQueue] = useState<StampQueue | null>(null);
  const [requests, setRequests] = useState<QueueRequest[]>([]);
  const [activation, setActivation] = useState<ActivationStatus | null>(null);
  // Selection by permit id, kept across pages; names remembered for the result list.
  const [selected, setSelected] = useState<Map<number, string>>(new Map());
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const passField = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLElement>(null);

  const load = useCallback(
    (rid: number | null, p: number) => {
      workApi
        .stampQueue(rid, p)
        .then((q) => {
          // Past the last page (after stamping it empty): step back.
          if (q.items.length === 0 && p > 1) setPage(p - 1);
          else setQueue(q);
        })
        .catch((e: ApiError) => setError(e));
    },
    [],
  );

  useEffect(() => load(requestId, page), [requestId, page, load]);
  const reloadRequests = () =>
    workApi
      .stampQueueRequests()
      .then(setRequests)
      .catch(() => undefined);
  useEffect(() => {
    heading.current?.focus();
    reloadRequests();
    workApi
      .activationStatus()
      .then(setActivation)
      .catch(() => undefined);
  }, []);

  const items = queue?.items ?? [];
  const allOnPage = items.length > 0 && items.every((r) => selected.has(r.permit_id));

  const toggle = (r: PersonHit) => {
    const next = new Map(selected);
    if (next.has(r.permit_id)) next.delete(r.permit_id);
    else next.set(r.permit_id, r.full_name);
    setSelected(next);
  };
  const togglePage = () => {
    const next = new Map(selected);
    for (const r of items) {
      if (allOnPage) next.delete(r.permit_id);
      else next.set(r.permit_id, r.full_name);
    }
    setSelected(next);
  };

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (busy || selected.size === 0 || !passphrase) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const names = new Map(selected);
    workApi
      .stamp([...names.keys()], passphrase)
      .then((stamped) => {
        setDone({ items: stamped.map((s) => ({ ...s, name: names.get(s.permit_id) ?? "" })) });
        // The serials are what the officer reads next (they sit above the queue).
        requestAnimationFrame(() => resultRef.current?.focus());
        setSelected(new Map());
        load(requestId, page);
        reloadRequests();
      })
      .catch((e: ApiError) => {
        setError(e);
        // Nothing was stamped; the passphrase is asked again (never kept after a failure).
        passField.current?.focus();
      })
      .finally(() => {
        setPassphrase("");
        setBusy(false);
      });
  };

  const v = (s: string | null) => s ?? t("noValue");

  return (
    <main class="page" data-testid="stamp">
      <h1 tabIndex={-1} ref={heading}>
        {t("stampTitle")}
      </h1>
      <p class="muted">{t("stampIntro")}</p>
      {activation && !activation.activated ? (
        <div class="warn" role="status" data-testid="stamp-not-activated">
          {t("stampNotActivated", { reason: t(`reason_${activation.reason}`) })}
        </div>
      ) : null}
      {done ? (
        <section class="ok-box" tabIndex={-1} ref={resultRef} aria-live="polite" data-testid="stamp-result" data-count={done.items.length}>
          <strong>{t("stampDone", { n: done.items.length })}</strong>
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">{t("colName")}</th>
                <th scope="col">{t("colSerial")}</th>
                <th scope="col">{t("qrColumn")}</th>
              </tr>
            </thead>
            <tbody>
              {done.items.map((s) => (
                <tr data-testid="stamped-row" data-permit-id={s.permit_id} data-serial={s.serial} data-token={s.token}>
                  <td>{s.name}</td>
                  <td class="mono" data-testid="stamped-serial" data-already={s.already_stamped ? "true" : "false"}>
                    {s.serial}
                    {s.already_stamped ? <span class="muted"> {t("stampAlready")}</span> : null}
                  </td>
                  <td>
                    <PermitQrButton permitId={s.permit_id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <div class="toolbar">
        <label>
          <span>{t("stampFilter")}</span>
          <select
            value={requestId === null ? "" : String(requestId)}
            onChange={(e) => {
              const val = e.currentTarget.value;
              setRequestId(val ? Number(val) : null);
              setPage(1);
            }}
            data-testid="stamp-filter"
          >
            <option value="">{t("stampFilterAll")}</option>
            {requests.map((r) => (
              <option value={String(r.request_id)}>
                {t("stampFilterRequest", {
                  id: r.request_id,
                  who: r.org_name ? `${r.org_name}${r.org_ref ? ` (${r.org_ref})` : ""}` : t("stampResident"),
                  n: r.approved,
                })}
              </option>
            ))}
          </select>
        </label>
        {queue ? (
          <p class="muted" data-testid="stamp-total" data-total={queue.total}>
            {t("stampWaiting", { n: queue.total })}
          </p>
        ) : null}
      </div>
      {queue && items.length === 0 ? <p data-testid="stamp-empty">{t("stampEmpty")}</p> : null}
      {items.length > 0 ? (
        <table class="table" data-testid="stamp-table">
          <thead>
            <tr>
              <th scope="col" class="check">
                <input
                  type="checkbox"
                  checked={allOnPage}
                  onChange={togglePage}
                  aria-label={t("stampSelectPage")}
                  title={t("stampSelectPage")}
                  data-testid="stamp-select-page"
                />
              </th>
              <th scope="col">{t("colName")}</th>
              <th scope="col">{t("colId")}</th>
              <th scope="col">{t("colDob")}</th>
              <th scope="col">{t("colOrg")}</th>
              <th scope="col">{t("colValid")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr data-testid="stamp-row" data-permit-id={r.permit_id} key={r.permit_id}>
                <td class="check">
                  <input
                    type="checkbox"
                    checked={selected.has(r.permit_id)}
                    onChange={() => toggle(r)}
                    aria-label={t("stampSelectOne", { name: r.full_name })}
                    data-testid="stamp-check"
                  />
                </td>
                <td data-testid="stamp-name">{r.full_name}</td>
                <td class="mono nowrap">
                  <span class="muted small">{idDocument(t, r)}</span> {r.id_number}
                </td>
                <td class="mono">{v(formatDate(r.date_of_birth))}</td>
                <td>{v(r.org_name)}</td>
                <td class="mono small nowrap">
                  {`${v(formatDate(r.valid_from))} – ${v(formatDate(r.valid_to))}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {queue && (queue.page > 1 || queue.has_more) ? (
        <div class="pager" data-testid="stamp-pager">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="stamp-prev">
            {t("pagePrev")}
          </button>
          <span>{t("pageOf", { page: queue.page })}</span>
          <button type="button" disabled={!queue.has_more} onClick={() => setPage(page + 1)} data-testid="stamp-next">
            {t("pageNext")}
          </button>
        </div>
      ) : null}
      {/* Sticky at the bottom of the window: after ticking rows the officer never has to scroll
          to find the passphrase; in the DOM (and Tab order) it still comes after the table. */}
      <div class="stamp-bar">
        <form class="stamp-form" onSubmit={submit} data-testid="stamp-form">
          <label class="grow">
            <span>{t("stampPassphrase")}</span>
            <input
              ref={passField}
              type="password"
              autoComplete="off"
              value={passphrase}
              onInput={(e) => setPassphrase(e.currentTarget.value)}
              data-testid="stamp-passphrase"
            />
          </label>
          <button
            type="submit"
            class="primary"
            disabled={busy || selected.size === 0 || !passphrase}
            aria-busy={busy}
            data-testid="stamp-submit"
          >
            {busy ? t("stamping") : t("stampSubmit", { n: selected.size })}
          </button>
        </form>
        <p class="muted small">{t("stampPassphraseHint")}</p>
        {error ? <ErrorBox error={error} /> : null}
      </div>
    </main>
  );
}
