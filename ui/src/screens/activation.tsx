import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { workApi, type ActivationStatus, type ApiError, type InstalledKey, type RequestText } from "../api";
import { ErrorBox } from "../components";
import { formatDate, formatTime } from "../format";
import { useT, type Key } from "../i18n";

/** Ward administrator: the workstation key, the activation request, the install key. */
export function Activation() {
  const t = useT();
  const [status, setStatus] = useState<ActivationStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(() => {
    workApi
      .activationStatus()
      .then(setStatus)
      .catch((e: ApiError) => setError(e));
  }, []);
  useEffect(() => {
    heading.current?.focus();
    load();
  }, [load]);

  const s = status;
  return (
    <main class="page activation" data-testid="activation">
      <h1 tabIndex={-1} ref={heading}>
        {t("actTitle")}
      </h1>
      {error ? <ErrorBox error={error} /> : null}
      {s ? (
        <>
          <div
            class={s.activated ? (s.installed?.demo_root ? "state-box demo" : "state-box ok") : "state-box bad"}
            role="status"
            data-testid="activation-state"
            data-activated={String(s.activated)}
            data-reason={s.reason}
          >
            <strong>{s.activated ? t("actYes") : t("actNo")}</strong> —{" "}
            {s.activated && s.installed?.demo_root ? t("reason_activated_demo") : t(`reason_${s.reason}` as Key)}
            {s.reason === "expired" || s.reason === "not_yet_valid" ? (
              <span>
                {" "}
                ({formatDate(s.latest_valid_from)} – {formatDate(s.latest_valid_to)})
              </span>
            ) : null}
          </div>
          <p class="muted small">
            {t("actWard", { ward: s.ward_name, code: s.ward_code, ws: s.workstation })}
          </p>

          <section class="panel">
            <h2>{t("actKeyTitle")}</h2>
            {s.key ? (
              <dl class="facts">
                <dt>{t("actFingerprint")}</dt>
                <dd class="mono fingerprint" data-testid="key-fingerprint">
                  {s.key.fingerprint}
                </dd>
                <dt>{t("actCreated")}</dt>
                <dd>{formatTime(s.key.created_at)}</dd>
                {s.key.key_file ? (
                  <>
                    <dt>{t("actKeyFile")}</dt>
                    <dd class="mono small">{s.key.key_file}</dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <CreateKey onCreated={load} />
            )}
          </section>

          <section class="panel">
            <h2>{t("actInstallTitle")}</h2>
            {s.installed ? <InstalledView k={s.installed} categories={s.category_names} /> : <p>{t("actNoInstall")}</p>}
          </section>

          {s.key ? <RequestPanel /> : null}
          {s.key ? <InstallPanel onInstalled={load} /> : null}
        </>
      ) : null}
    </main>
  );
}

function InstalledView({ k, categories }: { k: InstalledKey; categories: string[] }) {
  const t = useT();
  return (
    <dl class="facts" data-testid="install-info" data-demo-root={String(k.demo_root)}>
      <dt>{t("actValidity")}</dt>
      <dd>
        {formatDate(k.valid_from)} – {formatDate(k.valid_to)}
      </dd>
      <dt>{t("actRoot")}</dt>
      <dd>
        {k.demo_root ? (
          <span class="badge badge-demo" data-testid="install-demo-root">
            {t("actDemoRoot")}
          </span>
        ) : (
          t("actCityRoot")
        )}
      </dd>
      <dt>{t("actCategories")}</dt>
      <dd>{categories.join(", ")}</dd>
      <dt>{t("actMaxDays")}</dt>
      <dd>{t("actDays", { n: k.max_validity_days })}</dd>
      <dt>{t("actKeyId")}</dt>
      <dd class="mono">{k.key_id}</dd>
      <dt>{t("actInstalledAt")}</dt>
      <dd>{formatTime(k.installed_at)}</dd>
    </dl>
  );
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const [p1, setP1] = useState("");
  const [p2, setP2] = useState("");
  const [hint, setHint] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  // The core's rules (keystore::Passphrase::check_new), checked as the administrator types.
  useEffect(() => {
    if (!p1) {
      setHint(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      workApi
        .passphraseCheck(p1)
        .then(() => live && setHint(null))
        .catch((e: ApiError) => live && setHint(e));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [p1]);

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    workApi
      .createKey(p1, p2)
      .then(() => {
        setP1("");
        setP2("");
        onCreated();
      })
      .catch((e: ApiError) => setError(e))
      .finally(() => setBusy(false));
  };

  const strong = p1 !== "" && hint === null;
  return (
    <form class="form narrow-form" onSubmit={submit} data-testid="create-key-form">
      <p>{t("actNoKeyIntro")}</p>
      <label>
        <span>{t("actNewPass")}</span>
        <input
          ref={first}
          type="password"
          autoComplete="new-password"
          value={p1}
          onInput={(e) => setP1(e.currentTarget.value)}
          aria-describedby="pass-hint"
          data-testid="key-pass1"
        />
      </label>
      <p id="pass-hint" class={strong ? "small hint-ok" : "small muted"} data-testid="key-pass-hint" data-ok={String(strong)}>
        {p1 === "" ? t("actPassRules") : strong ? t("actPassStrong") : hint?.message}
      </p>
      <label>
        <span>{t("actRepeatPass")}</span>
        <input
          type="password"
          autoComplete="new-password"
          value={p2}
          onInput={(e) => setP2(e.currentTarget.value)}
          data-testid="key-pass2"
        />
      </label>
      {p2 && p1 !== p2 ? <p class="small warn-text">{t("actPassDiffer")}</p> : null}
      {error ? <ErrorBox error={error} /> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !strong || p1 !== p2} aria-busy={busy} data-testid="key-create">
          {busy ? t("actCreating") : t("actCreateKey")}
        </button>
      </div>
    </form>
  );
}

function RequestPanel() {
  const t = useT();
  const [emails, setEmails] = useState("");
  const [pass, setPass] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [req, setReq] = useState<RequestText | null>(null);
  const [copied, setCopied] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setCopied(false);
    workApi
      .activationRequest(pass, emails.split(/[,;\s]+/).filter((e) => e))
      .then(setReq)
      .catch((e: ApiError) => setError(e))
      .finally(() => {
        setPass("");
        setBusy(false);
      });
  };

  const copy = () => {
    if (!req) return;
    const fallback = () => {
      // Older webviews: select the text and use the legacy copy command.
      textRef.current?.select();
      setCopied(document.execCommand("copy"));
    };
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(req.text).then(() => setCopied(true), fallback);
    } else fallback();
  };

  return (
    <section class="panel">
      <h2>{t("actRequestTitle")}</h2>
      <p class="muted small">{t("actRequestIntro")}</p>
      <form class="form narrow-form" onSubmit={submit} data-testid="request-form">
        <label>
          <span>{t("actEmails")}</span>
          <input
            type="text"
            autoComplete="email"
            placeholder="ubnd.phuong@gmail.com"
            value={emails}
            onInput={(e) => setEmails(e.currentTarget.value)}
            data-testid="request-emails"
          />
        </label>
        <label>
          <span>{t("stampPassphrase")}</span>
          <input
            type="password"
            autoComplete="off"
            value={pass}
            onInput={(e) => setPass(e.currentTarget.value)}
            data-testid="request-pass"
          />
        </label>
        {error ? <ErrorBox error={error} /> : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !pass || !emails.trim()} data-testid="request-submit">
            {t("actMakeRequest")}
          </button>
        </div>
      </form>
      {req ? (
        <div data-testid="request-result" data-fingerprint={req.fingerprint}>
          <textarea ref={textRef} class="mono request-text" readOnly rows={16} value={req.text} data-testid="request-text" />
          <div class="actions">
            <button type="button" onClick={copy} data-testid="request-copy">
              {t("actCopy")}
            </button>
            {copied ? (
              <span class="hint-ok small" role="status" data-testid="request-copied">
                {t("actCopied")}
              </span>
            ) : null}
          </div>
          {req.file ? (
            <p class="small" data-testid="request-file">
              {t("actSavedTo")} <span class="mono">{req.file}</span>
            </p>
          ) : (
            <p class="small warn-text">{t("actNotSaved", { why: req.file_error ?? "" })}</p>
          )}
          <p class="small">{t("actPhoneHint", { fp: req.fingerprint })}</p>
        </div>
      ) : null}
    </section>
  );
}

function InstallPanel({ onInstalled }: { onInstalled: () => void }) {
  const t = useT();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [ok, setOk] = useState<InstalledKey | null>(null);

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (busy || !text.trim()) return;
    setBusy(true);
    setError(null);
    setOk(null);
    workApi
      .installKey(text)
      .then((k) => {
        setOk(k);
        setText("");
        onInstalled();
      })
      .catch((e: ApiError) => setError(e))
      .finally(() => setBusy(false));
  };

  return (
    <section class="panel">
      <h2>{t("actInstallPaste")}</h2>
      <form class="form" onSubmit={submit} data-testid="install-form">
        <label>
          <span>{t("actInstallLabel")}</span>
          <textarea
            class="mono"
            rows={8}
            spellcheck={false}
            placeholder="GDD-INSTALL-KEY-V1 …"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="install-text"
          />
        </label>
        {error ? <ErrorBox error={error} /> : null}
        {ok ? (
          <div class="ok-box" role="status" data-testid="install-ok">
            {t("actInstalled", { from: formatDate(ok.valid_from) ?? "", to: formatDate(ok.valid_to) ?? "" })}
          </div>
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !text.trim()} data-testid="install-submit">
            {t("actInstall")}
          </button>
        </div>
      </form>
    </section>
  );
}
