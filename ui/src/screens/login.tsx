import { useEffect, useRef, useState } from "preact/hooks";
import { api, type ApiError, type AppStatus, type SessionInfo } from "../api";
import { ErrorBox } from "../components";
import { codeLabel, useT } from "../i18n";

export function Login({
  status,
  onLogin,
  onVerify,
}: {
  status: AppStatus;
  onLogin: (s: SessionInfo) => void;
  onVerify: () => void;
}) {
  const t = useT();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const userField = useRef<HTMLInputElement>(null);
  useEffect(() => userField.current?.focus(), []);

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    api
      .login(username.trim(), password)
      .then(onLogin)
      .catch((e: ApiError) => {
        setError(e);
        setPassword("");
      })
      .finally(() => setBusy(false));
  };

  return (
    <main class="card narrow" data-testid="login">
      <h1>{t("loginTitle")}</h1>
      {status.ward_name ? <p class="muted">{t("loginWard", { ward: status.ward_name })}</p> : null}
      <form onSubmit={submit} class="form" data-testid="login-form">
        <label>
          <span>{t("username")}</span>
          <input
            ref={userField}
            name="username"
            autoComplete="username"
            autoCapitalize="off"
            spellcheck={false}
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            data-testid="login-username"
          />
        </label>
        <label>
          <span>{t("password")}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="login-password"
          />
        </label>
        {error ? <ErrorBox error={error} /> : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy} data-testid="login-submit">
            {busy ? t("loggingIn") : t("loginSubmit")}
          </button>
        </div>
      </form>
      <p>
        <button type="button" class="link" onClick={onVerify} data-testid="open-verify">
          {t("openVerify")}
        </button>
      </p>
      {status.is_demo && status.demo_accounts.length > 0 ? (
        <section class="demo-accounts" data-testid="demo-accounts">
          <h2>{t("demoAccounts")}</h2>
          <p class="muted small">{t("demoNotice")}</p>
          <table class="table compact">
            <tbody>
              {status.demo_accounts.map((a) => (
                <tr data-testid="demo-account" data-username={a.username} data-roles={a.roles.join(" ")}>
                  <td class="mono">{a.username}</td>
                  <td class="mono">{a.password}</td>
                  <td>{a.roles.map((r) => codeLabel(t, "role_", r)).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </main>
  );
}
