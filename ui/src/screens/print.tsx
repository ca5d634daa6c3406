import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  printApi,
  type ApiError,
  type PdfSummary,
  type PrintDone,
  type PrinterInfo,
  type PrintFilters,
  type PrintItem,
  type PrintJob,
  type PrintList,
} from "../api";
import { ErrorBox } from "../components";
import { formatDate, formatTime } from "../format";
import { codeLabel, useT, type T } from "../i18n";

const LAYOUTS = [
  ["a4-4", "layout_a4_4"],
  ["a5-2", "layout_a5_2"],
  ["a6", "layout_a6"],
] as const;

const STATES = [
  ["stamped", "printStateStamped"],
  ["printed", "printStatePrinted"],
  ["delivered", "printStateDelivered"],
  ["all", "printStateAll"],
] as const;

function printerLabel(t: T, p: PrinterInfo): string {
  const state = [t(`printer_${p.state.state}`)];
  if (!p.accepting) state.push(t("printerNotAccepting"));
  if (p.is_default) state.push(t("printPrinterDefault"));
  const name = p.description && p.description !== p.name ? `${p.name} (${p.description})` : p.name;
  return `${name} — ${state.join(", ")}`;
}

function layoutLabel(t: T, layout: string): string {
  const hit = LAYOUTS.find(([l]) => l === layout);
  return hit ? t(hit[1]) : layout;
}

/** Ward officials and ward police: print stamped permits (originals) or reprints, save a PDF,
 *  and follow the print jobs. A job waits for the printer's answer; the rest of the app stays
 *  usable meanwhile (the command runs on its own thread and database connection). */
export function Print() {
  const t = useT();
  const [requestId, setRequestId] = useState<number | null>(null);
  const [orgId, setOrgId] = useState<number | null>(null);
  const [stateFilter, setStateFilter] = useState("stamped");
  const [page, setPage] = useState(1);
  const [list, setList] = useState<PrintList | null>(null);
  const [filters, setFilters] = useState<PrintFilters | null>(null);
  const [printers, setPrinters] = useState<PrinterInfo[] | null>(null);
  const [printer, setPrinter] = useState("");
  const [layout, setLayout] = useState("a4-4");
  const [copies, setCopies] = useState(1);
  const [jobs, setJobs] = useState<PrintJob[]>([]);
  // Selection by permit id, kept across pages.
  const [selected, setSelected] = useState<Map<number, PrintItem>>(new Map());
  const [busy, setBusy] = useState<"print" | "pdf" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<PrintDone | null>(null);
  const [pdf, setPdf] = useState<PdfSummary | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLElement>(null);

  const load = useCallback((rid: number | null, oid: number | null, st: string, p: number) => {
    printApi
      .list({ request_id: rid, org_id: oid, state: st }, p)
      .then((l) => {
        // Past the last page (after printing it empty): step back.
        if (l.items.length === 0 && p > 1) setPage(p - 1);
        else setList(l);
      })
      .catch((e: ApiError) => setError(e));
  }, []);
  const reloadJobs = () =>
    printApi
      .jobs()
      .then(setJobs)
      .catch((e: ApiError) => setError(e));
  const reloadFilters = () =>
    printApi
      .filters()
      .then(setFilters)
      .catch(() => undefined);
  const reloadPrinters = () =>
    printApi
      .printers()
      .then((p) => {
        setPrinters(p.printers);
        // Keep the official's choice if it still exists; else the system's default.
        setPrinter((cur) =>
          p.printers.some((x) => x.name === cur) ? cur : (p.default_printer ?? p.printers[0]?.name ?? ""),
        );
      })
      .catch((e: ApiError) => {
        setPrinters([]);
        setError(e);
      });

  useEffect(() => load(requestId, orgId, stateFilter, page), [requestId, orgId, stateFilter, page, load]);
  useEffect(() => {
    heading.current?.focus();
    reloadFilters();
    reloadPrinters();
    reloadJobs();
  }, []);

  const items = list?.items ?? [];
  const allOnPage = items.length > 0 && items.every((r) => selected.has(r.permit_id));
  const reprintsSelected = [...selected.values()].filter((r) => r.reprint > 0).length;
  const chosen = printers?.find((p) => p.name === printer) ?? null;

  const toggle = (r: PrintItem) => {
    const next = new Map(selected);
    if (next.has(r.permit_id)) next.delete(r.permit_id);
    else next.set(r.permit_id, r);
    setSelected(next);
  };
  const togglePage = () => {
    const next = new Map(selected);
    for (const r of items) {
      if (allOnPage) next.delete(r.permit_id);
      else next.set(r.permit_id, r);
    }
    setSelected(next);
  };
  const refilter = (rid: number | null, oid: number | null, st: string) => {
    setRequestId(rid);
    setOrgId(oid);
    setStateFilter(st);
    setPage(1);
    setSelected(new Map());
  };

  const afterJob = (p: Promise<PrintDone>) => {
    setBusy("print");
    setError(null);
    setDone(null);
    setPdf(null);
    p.then((d) => {
      setDone(d);
      setSelected(new Map());
      requestAnimationFrame(() => resultRef.current?.focus());
    })
      .catch((e: ApiError) => setError(e))
      .finally(() => {
        setBusy(null);
        load(requestId, orgId, stateFilter, page);
        reloadJobs();
        reloadFilters();
        reloadPrinters();
      });
  };

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (busy || selected.size === 0 || !printer) return;
    afterJob(printApi.send([...selected.keys()], printer, layout, copies));
  };
  const retry = (jobId: number) => {
    if (busy) return;
    afterJob(printApi.retry(jobId));
  };
  const savePdf = () => {
    if (busy || selected.size === 0) return;
    setBusy("pdf");
    setError(null);
    setDone(null);
    setPdf(null);
    printApi
      .savePdf([...selected.keys()], layout)
      .then((s) => {
        setPdf(s);
        requestAnimationFrame(() => resultRef.current?.focus());
      })
      .catch((e: ApiError) => setError(e))
      .finally(() => setBusy(null));
  };

  const v = (s: string | null) => s ?? t("noValue");
  const who = (label: string, ref: string | null) => (label ? `${label}${ref ? ` (${ref})` : ""}` : t("stampResident"));

  return (
    <main class="page" data-testid="print">
      <h1 tabIndex={-1} ref={heading}>
        {t("printTitle")}
      </h1>
      <p class="muted">{t("printIntro")}</p>
      {done ? (
        <section
          class="ok-box"
          tabIndex={-1}
          ref={resultRef}
          aria-live="polite"
          data-testid="print-result"
          data-job-id={done.job.id}
          data-system-job={done.job.system_job ?? ""}
          data-count={done.job.items.length}
        >
          <strong>{t("printDone", { n: done.job.items.length, id: done.job.id })}</strong>
          {done.pdf.reprints > 0 ? <span> {t("printDoneReprints", { n: done.pdf.reprints })}</span> : null}
          <div class="muted small">
            {done.job.printer} · {layoutLabel(t, done.job.layout)} · {t("printCopies")}: {done.job.copies}
          </div>
        </section>
      ) : null}
      {pdf ? (
        <section
          class="ok-box"
          tabIndex={-1}
          ref={resultRef}
          aria-live="polite"
          data-testid="pdf-result"
          data-path={pdf.path}
          data-pages={pdf.pages}
          data-count={pdf.permits}
        >
          <strong>{t("printPdfSaved", { n: pdf.permits, pages: pdf.pages })}</strong>
          <div class="mono small" data-testid="pdf-path">
            {pdf.path}
          </div>
          <div class="muted small">{t("printPdfNote")}</div>
        </section>
      ) : null}
      {error ? (
        <div data-testid="print-error" data-job-id={error.jobId ?? ""}>
          <ErrorBox error={error} />
          {error.jobId !== null ? (
            <button
              type="button"
              class="primary"
              disabled={busy !== null}
              onClick={() => error.jobId !== null && retry(error.jobId)}
              data-testid="print-retry-last"
            >
              {t("printRetryJob", { id: error.jobId })}
            </button>
          ) : null}
        </div>
      ) : null}
      <div class="toolbar wrap">
        <label>
          <span>{t("printFilterRequest")}</span>
          <select
            value={requestId === null ? "" : String(requestId)}
            onChange={(e) => {
              const val = e.currentTarget.value;
              refilter(val ? Number(val) : null, null, stateFilter);
            }}
            data-testid="print-filter-request"
          >
            <option value="">{t("printFilterAllRequests")}</option>
            {(filters?.requests ?? []).map((r) => (
              <option value={String(r.id)}>
                {t("printFilterOption", { id: r.id, who: who(r.label, r.org_ref), n: r.printable })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("printFilterOrg")}</span>
          <select
            value={orgId === null ? "" : String(orgId)}
            onChange={(e) => {
              const val = e.currentTarget.value;
              refilter(null, val ? Number(val) : null, stateFilter);
            }}
            data-testid="print-filter-org"
          >
            <option value="">{t("printFilterAllOrgs")}</option>
            {(filters?.organizations ?? []).map((o) => (
              <option value={String(o.id)}>{t("printOrgOption", { name: who(o.label, o.org_ref), n: o.printable })}</option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("printFilterState")}</span>
          <select
            value={stateFilter}
            onChange={(e) => refilter(requestId, orgId, e.currentTarget.value)}
            data-testid="print-filter-state"
          >
            {STATES.map(([s, key]) => (
              <option value={s}>{t(key)}</option>
            ))}
          </select>
        </label>
        {list ? (
          <p class="muted" data-testid="print-total" data-total={list.total} data-originals={list.originals}>
            {t("printTotal", { n: list.total, o: list.originals, r: list.reprints })}
          </p>
        ) : null}
      </div>
      {list && items.length === 0 ? <p data-testid="print-empty">{t("printEmpty")}</p> : null}
      {items.length > 0 ? (
        <table class="table" data-testid="print-table">
          <thead>
            <tr>
              <th scope="col" class="check">
                <input
                  type="checkbox"
                  checked={allOnPage}
                  onChange={togglePage}
                  aria-label={t("printSelectPage")}
                  title={t("printSelectPage")}
                  data-testid="print-select-page"
                />
              </th>
              <th scope="col">{t("colName")}</th>
              <th scope="col">{t("colId")}</th>
              <th scope="col">{t("colOrg")}</th>
              <th scope="col">{t("colValid")}</th>
              <th scope="col">{t("colSerial")}</th>
              <th scope="col">{t("colState")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr
                data-testid="print-row"
                data-permit-id={r.permit_id}
                data-serial={r.serial}
                data-reprint={r.reprint}
                key={r.permit_id}
                class={r.reprint > 0 ? "reprint-row" : undefined}
              >
                <td class="check">
                  <input
                    type="checkbox"
                    checked={selected.has(r.permit_id)}
                    onChange={() => toggle(r)}
                    aria-label={t("printSelectOne", { name: r.holder_name })}
                    data-testid="print-check"
                  />
                </td>
                <td data-testid="print-name">{r.holder_name}</td>
                <td class="mono nowrap small">{r.id_label}</td>
                <td>{v(r.organization)}</td>
                <td class="mono small nowrap">{`${v(formatDate(r.valid_from))} – ${v(formatDate(r.valid_to))}`}</td>
                <td class="mono small nowrap">{r.serial}</td>
                <td class="nowrap">
                  {r.reprint > 0 ? (
                    <span class="badge badge-reprint" data-testid="print-reprint">
                      {t("printReprint", { n: r.reprint })}
                    </span>
                  ) : (
                    <span class="muted small">{t("printOriginal")}</span>
                  )}
                  <div class="muted small">{codeLabel(t, "state_", r.state)}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list && (list.page > 1 || list.has_more) ? (
        <div class="pager" data-testid="print-pager">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="print-prev">
            {t("pagePrev")}
          </button>
          <span>{t("pageOf", { page: list.page })}</span>
          <button type="button" disabled={!list.has_more} onClick={() => setPage(page + 1)} data-testid="print-next">
            {t("pageNext")}
          </button>
        </div>
      ) : null}
      <div class="stamp-bar">
        <form class="print-form" onSubmit={submit} data-testid="print-form">
          <label class="grow">
            <span>{t("printPrinter")}</span>
            <select value={printer} onChange={(e) => setPrinter(e.currentTarget.value)} data-testid="print-printer">
              {printers && printers.length === 0 ? <option value="">{t("printNoPrinters")}</option> : null}
              {(printers ?? []).map((p) => (
                <option value={p.name} data-state={p.state.state} data-accepting={String(p.accepting)}>
                  {printerLabel(t, p)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="link"
            onClick={reloadPrinters}
            title={t("printReloadPrinters")}
            aria-label={t("printReloadPrinters")}
            data-testid="print-reload-printers"
          >
            ⟳
          </button>
          <label>
            <span>{t("printLayout")}</span>
            <select value={layout} onChange={(e) => setLayout(e.currentTarget.value)} data-testid="print-layout">
              {LAYOUTS.map(([l, key]) => (
                <option value={l}>{t(key)}</option>
              ))}
            </select>
          </label>
          <label class="copies">
            <span>{t("printCopies")}</span>
            <input
              type="number"
              min={1}
              max={9}
              value={copies}
              onInput={(e) => {
                const n = Math.round(Number(e.currentTarget.value));
                setCopies(Number.isFinite(n) ? Math.min(9, Math.max(1, n)) : 1);
              }}
              data-testid="print-copies"
            />
          </label>
          <button
            type="submit"
            class="primary"
            disabled={busy !== null || selected.size === 0 || !printer}
            aria-busy={busy === "print"}
            data-testid="print-submit"
          >
            {busy === "print" ? t("printing") : t("printSubmit", { n: selected.size })}
          </button>
          <button
            type="button"
            disabled={busy !== null || selected.size === 0}
            aria-busy={busy === "pdf"}
            onClick={savePdf}
            data-testid="print-save-pdf"
          >
            {busy === "pdf" ? t("printSaving") : t("printSavePdf")}
          </button>
        </form>
        {chosen && (chosen.state.state === "stopped" || !chosen.accepting) ? (
          <p class="warn-text small" data-testid="print-printer-stopped">
            {t("printStopped", { name: chosen.name })}
            {chosen.state.reason ? ` (${chosen.state.reason})` : ""}
          </p>
        ) : null}
        {reprintsSelected > 0 ? (
          <p class="warn-text small" data-testid="print-reprints-selected">
            {t("printDoneReprints", { n: reprintsSelected })}
          </p>
        ) : null}
        {busy === "print" ? <p class="muted small">{t("printBusyNote")}</p> : null}
      </div>
      <Jobs jobs={jobs} busy={busy !== null} onRetry={retry} onRefresh={reloadJobs} />
    </main>
  );
}

function Jobs({
  jobs,
  busy,
  onRetry,
  onRefresh,
}: {
  jobs: PrintJob[];
  busy: boolean;
  onRetry: (id: number) => void;
  onRefresh: () => void;
}) {
  const t = useT();
  return (
    <section class="jobs" data-testid="print-jobs" aria-labelledby="jobs-title">
      <div class="toolbar">
        <h2 id="jobs-title">{t("jobsTitle")}</h2>
        <button type="button" class="link" onClick={onRefresh} data-testid="print-jobs-refresh">
          {t("refresh")}
        </button>
      </div>
      {jobs.length === 0 ? (
        <p class="muted">{t("jobsEmpty")}</p>
      ) : (
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">{t("colJob")}</th>
              <th scope="col">{t("colTime")}</th>
              <th scope="col">{t("colPrinter")}</th>
              <th scope="col">{t("colLayout")}</th>
              <th scope="col">{t("colCount")}</th>
              <th scope="col">{t("colState")}</th>
              <th scope="col">{t("colAttempts")}</th>
              <th scope="col">{t("colError")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr
                data-testid="print-job"
                data-job-id={j.id}
                data-state={j.state}
                data-system-job={j.system_job ?? ""}
                key={j.id}
              >
                <td class="mono">#{j.id}</td>
                <td class="small nowrap">{formatTime(j.finished_at ?? j.created_at)}</td>
                <td>{j.printer}</td>
                <td class="small">{layoutLabel(t, j.layout)}{j.copies > 1 ? ` ×${j.copies}` : ""}</td>
                <td>{j.items.length}</td>
                <td>
                  <span class={`job-state job-${j.state}`} data-testid="print-job-state">
                    {t(`job_${j.state}`)}
                  </span>
                </td>
                <td>{j.attempts}</td>
                <td class="small" data-testid="print-job-error" data-code={j.last_error_code ?? ""}>
                  {j.state === "done" ? "" : (j.last_error ?? "")}
                </td>
                <td>
                  {j.state === "failed" || j.state === "queued" ? (
                    <button type="button" disabled={busy} onClick={() => onRetry(j.id)} data-testid="print-job-retry">
                      {t("jobRetry")}
                    </button>
                  ) : j.state === "sent" && !busy ? (
                    // Left "sent" by an app that stopped mid-print: retrying first asks the
                    // print system how it ended, it never prints twice blindly.
                    <button type="button" onClick={() => onRetry(j.id)} data-testid="print-job-check">
                      {t("jobCheck")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
