import { useEffect, useRef, useState } from "preact/hooks";
import type { AppStatus, SessionInfo } from "../api";
import { codeLabel, useT } from "../i18n";
import { Activation } from "./activation";
import { Dashboard } from "./dashboard";
import { Print } from "./print";
import { Search } from "./search";
import { Stamp } from "./stamp";
import { Verify } from "./verify";

type View = "dashboard" | "search" | "stamp" | "print" | "verify" | "activation";

/** Typing into a field must never trigger a shortcut. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function Workspace({
  status,
  session,
  onLogout,
}: {
  status: AppStatus;
  session: SessionInfo;
  onLogout: () => void;
}) {
  const t = useT();
  const [view, setView] = useState<View>("dashboard");
  // Bumped by "/" so the search screen focuses its box even when it is already shown.
  const [searchFocus, setSearchFocus] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  // Screens follow the roles (the store checks them again on every action).
  const canStamp = session.roles.includes("ward_police");
  const canPrint = canStamp || session.roles.includes("ward_official");
  const isAdmin = session.roles.includes("ward_admin");
  const navBtn = (v: View, label: string) => (
    <button
      type="button"
      class={view === v ? "nav-btn active" : "nav-btn"}
      aria-current={view === v ? "page" : undefined}
      onClick={() => setView(v)}
      data-testid={`nav-${v}`}
    >
      {label}
    </button>
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        e.preventDefault();
        setView("search");
        setSearchFocus((n) => n + 1);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // After a screen change by the nav, the keyboard lands on the new screen's heading.
  useEffect(() => {
    if (view === "dashboard") heading.current?.focus();
  }, [view]);

  return (
    <div class="workspace" data-testid="workspace">
      <nav class="nav" aria-label={t("appTitle")}>
        <button
          type="button"
          class={view === "dashboard" ? "nav-btn active" : "nav-btn"}
          aria-current={view === "dashboard" ? "page" : undefined}
          onClick={() => setView("dashboard")}
          data-testid="nav-dashboard"
        >
          {t("navDashboard")}
        </button>
        <button
          type="button"
          class={view === "search" ? "nav-btn active" : "nav-btn"}
          aria-current={view === "search" ? "page" : undefined}
          onClick={() => {
            setView("search");
            setSearchFocus((n) => n + 1);
          }}
          data-testid="nav-search"
          title={t("shortcutSearch")}
        >
          {t("navSearch")} <kbd>/</kbd>
        </button>
        {canStamp ? navBtn("stamp", t("navStamp")) : null}
        {canPrint ? navBtn("print", t("navPrint")) : null}
        {navBtn("verify", t("navVerify"))}
        {isAdmin ? navBtn("activation", t("navActivation")) : null}
        <span class="spacer" />
        <span class="user" data-testid="session-user">
          {t("signedInAs", { name: session.full_name })}
          <span class="muted small">
            {" · "}
            {session.roles.map((r) => codeLabel(t, "role_", r)).join(", ")}
          </span>
        </span>
        <button type="button" class="link" onClick={onLogout} data-testid="logout">
          {t("logout")}
        </button>
      </nav>
      {view === "dashboard" ? <Dashboard headingRef={heading} demo={status.is_demo} /> : null}
      {view === "search" ? <Search focusToken={searchFocus} /> : null}
      {view === "stamp" && canStamp ? <Stamp /> : null}
      {view === "print" && canPrint ? <Print /> : null}
      {view === "verify" ? <Verify /> : null}
      {view === "activation" && isAdmin ? <Activation /> : null}
    </div>
  );
}
