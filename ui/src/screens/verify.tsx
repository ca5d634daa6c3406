import { useEffect, useRef, useState } from "preact/hooks";
import { workApi, type ApiError, type Verification } from "../api";
import { ErrorBox } from "../components";
import { formatDate, formatTime, readAsDataUrl } from "../format";
import { codeLabel, useT, type Key, type T } from "../i18n";

interface RevocationFile {
  name: string;
  text: string;
}

/** Checkpoint: a pasted token or a photo of the QR → verdict and holder details, offline. */
export function Verify({ onBack }: { onBack?: () => void }) {
  const t = useT();
  const [token, setToken] = useState("");
  const [revocation, setRevocation] = useState<RevocationFile | null>(null);
  const [results, setResults] = useState<Verification[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const tokenField = useRef<HTMLTextAreaElement>(null);
  const resultRef = useRef<HTMLElement>(null);
  useEffect(() => tokenField.current?.focus(), []);

  const lists = () => (revocation ? [revocation.text] : []);
  const show = (p: Promise<Verification[]>) => {
    setBusy(true);
    setError(null);
    setResults(null);
    p.then((v) => {
      setResults(v);
      // The verdict is what the officer looks at next; screen readers announce it.
      requestAnimationFrame(() => resultRef.current?.focus());
    })
      .catch((e: ApiError) => setError(e))
      .finally(() => setBusy(false));
  };

  const submit = (ev: Event) => {
    ev.preventDefault();
    const tok = token.trim();
    if (!tok || busy) return;
    show(workApi.verifyToken(tok, lists()).then((v) => [v]));
  };

  const onImage = (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ""; // the same file can be chosen again
    if (!file) return;
    show(readAsDataUrl(file).then((data) => workApi.verifyImage(data, lists())));
  };

  const onRevocation = (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    file
      .text()
      .then((text) => setRevocation({ name: file.name, text }))
      .catch(() => setRevocation(null));
  };

  return (
    <main class="page" data-testid="verify">
      <div class="page-head">
        <h1>{t("verifyTitle")}</h1>
        {onBack ? (
          <button type="button" onClick={onBack} data-testid="verify-back">
            {t("verifyBack")}
          </button>
        ) : null}
      </div>
      <p class="muted">{t("verifyIntro")}</p>
      <form class="form verify-form" onSubmit={submit} data-testid="verify-form">
        <label>
          <span>{t("verifyTokenLabel")}</span>
          <textarea
            ref={tokenField}
            rows={3}
            spellcheck={false}
            autoComplete="off"
            placeholder="GD1:…"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
            onKeyDown={(e) => {
              // A scanner "types" the token and Enter: Enter checks, Shift+Enter breaks the line.
              if (e.key === "Enter" && !e.shiftKey) submit(e);
            }}
            data-testid="verify-token"
          />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !token.trim()} aria-busy={busy} data-testid="verify-submit">
            {busy ? t("verifying") : t("verifySubmit")}
          </button>
          <label class="file-btn">
            <span>{t("verifyImage")}</span>
            <input type="file" accept="image/png,image/jpeg" onChange={onImage} data-testid="verify-image" />
          </label>
          <label class="file-btn">
            <span>{t("verifyRevocation")}</span>
            <input type="file" accept=".txt,text/plain" onChange={onRevocation} data-testid="verify-revocations" />
          </label>
        </div>
        {revocation ? (
          <p class="small" data-testid="verify-revocation-file">
            {t("verifyRevocationChosen", { name: revocation.name })}{" "}
            <button type="button" class="link" onClick={() => setRevocation(null)}>
              {t("verifyRevocationRemove")}
            </button>
          </p>
        ) : (
          <p class="muted small">{t("verifyNoRevocation")}</p>
        )}
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {results ? (
        <section tabIndex={-1} ref={resultRef} aria-live="assertive" data-testid="verify-results">
          {results.map((v) => (
            <VerdictCard v={v} />
          ))}
        </section>
      ) : null}
    </main>
  );
}

/** How old the revocation list is: minutes, hours or days, whichever reads naturally. */
function ageText(t: T, seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 3600) return t("ageMinutes", { n: Math.floor(s / 60) });
  if (s < 2 * 86400) return t("ageHours", { n: Math.floor(s / 3600) });
  return t("ageDays", { n: Math.floor(s / 86400) });
}

/** The core's message is "HEADLINE: explanation"; the headline is already shown big above. */
function explanation(message: string): string {
  const i = message.indexOf(": ");
  return i > 0 ? message.slice(i + 2) : message;
}

function verdictClass(v: Verification["verdict"]): string {
  if (v === "valid") return "verdict verdict-valid";
  if (v === "demo") return "verdict verdict-demo";
  return "verdict verdict-bad";
}

function VerdictCard({ v }: { v: Verification }) {
  const t = useT();
  const f = v.fields;
  const rows: [Key, string | null | undefined][] = f
    ? [
        ["colName", f.holder_name],
        ["colId", `${f.id_label ?? codeLabel(t, "idkind_", f.id_type)} ${f.id_number}`],
        ["colDob", formatDate(f.date_of_birth)],
        ["colOrg", f.organization],
        ["verifyCategory", f.category_name],
        ["verifyPurpose", f.purpose],
        ["verifyArea", f.area],
        ["colValid", `${formatDate(f.valid_from)} – ${formatDate(f.valid_to)}`],
        ["verifyHours", f.daily_hours],
        ["colSerial", f.serial],
        ["verifyIssuer", t("verifyIssuerValue", { ward: f.ward_code, dataset: f.dataset, ws: f.workstation })],
      ]
    : [];
  return (
    <article class="verdict-card" data-testid="verdict-card" data-verdict={v.verdict}>
      <div class={verdictClass(v.verdict)} role="status" data-testid="verdict" data-verdict={v.verdict}>
        <div class="verdict-head">{t(`verdict_${v.verdict}` as Key)}</div>
        <div class="verdict-msg" data-testid="verdict-message" title={v.message}>
          {explanation(v.message)}
        </div>
        {v.detail ? <div class="verdict-detail small">{v.detail}</div> : null}
      </div>
      {v.outside_daily_hours ? (
        <div class="warn" data-testid="verify-outside-hours">
          {t("verifyOutsideHours")}
        </div>
      ) : null}
      {f ? (
        <>
          <table class="table holder" data-testid="holder">
            <tbody>
              {rows
                .filter(([, value]) => value)
                .map(([label, value]) => (
                  <tr>
                    <th scope="row">{t(label)}</th>
                    <td data-testid={label === "colName" ? "holder-name" : undefined} class={label === "colName" ? "holder-name" : undefined}>
                      {value}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
          {v.verdict === "valid" || v.verdict === "demo" ? <p class="small">{t("verifyCompare")}</p> : null}
        </>
      ) : null}
      {v.revocation ? (
        <p class="small" data-testid="verify-revocation-age" data-age={v.revocation.list_age_seconds}>
          {t("verifyRevocationAge", {
            n: v.revocation.list_number,
            at: formatTime(v.revocation.list_issued_at) ?? v.revocation.list_issued_at,
            age: ageText(t, v.revocation.list_age_seconds),
          })}
          {v.revocation.applies ? null : ` ${t("verifyRevocationNotApplies")}`}
        </p>
      ) : (
        <p class="muted small" data-testid="verify-no-list">
          {t("verifyNoListUsed")}
        </p>
      )}
    </article>
  );
}
