// The app's screens as one small state machine: loading → first run (empty store) → login →
// workspace (dashboard / search). All data comes from the Rust core through `api`.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, ApiError, type AppStatus, type SessionInfo } from "./api";
import { I18n, initialLang, saveLang, translator, type Lang } from "./i18n";
import { BrandMark, ErrorBox, LangSwitch } from "./components";
import { FirstRun } from "./screens/first-run";
import { Login } from "./screens/login";
import { Verify } from "./screens/verify";
import { Workspace } from "./screens/workspace";

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // A checkpoint officer verifies without an account on this workstation.
  const [checkpoint, setCheckpoint] = useState(false);

  useEffect(() => {
    document.documentElement.lang = lang;
    saveLang(lang);
  }, [lang]);

  useEffect(() => {
    api
      .status()
      .then((s) => {
        setStatus(s);
        setSession(s.session);
      })
      .catch((e: ApiError) => setError(e));
  }, []);

  let screen;
  if (error && !status) {
    screen = <ErrorBox error={error} />;
  } else if (!status) {
    screen = (
      <p class="muted" data-testid="loading">
        {t("loading")}
      </p>
    );
  } else if (!status.has_ward) {
    screen = <FirstRun status={status} onCreated={setStatus} />;
  } else if (!session && checkpoint) {
    screen = <Verify onBack={() => setCheckpoint(false)} />;
  } else if (!session) {
    screen = <Login status={status} onLogin={setSession} onVerify={() => setCheckpoint(true)} />;
  } else {
    screen = (
      <Workspace
        status={status}
        session={session}
        onLogout={() => {
          api
            .logout()
            .catch(() => undefined)
            .finally(() => setSession(null));
        }}
      />
    );
  }

  return (
    <I18n.Provider value={{ t, lang }}>
      <div class="app">
        <header class="topbar">
          <div class="brand">
            <BrandMark />
            <div>
              <div class="brand-title">{t("appTitle")}</div>
              <div class="brand-sub">
                {status?.ward_name ? status.ward_name : t("appSubtitle")}
                {status?.is_demo ? <span class="badge badge-demo">DEMO</span> : null}
              </div>
            </div>
          </div>
          <LangSwitch lang={lang} onChange={setLang} />
        </header>
        {screen}
      </div>
    </I18n.Provider>
  );
}
