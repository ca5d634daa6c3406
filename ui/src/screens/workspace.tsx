import { useEffect, useRef, useState } from "preact/hooks";
import type { AppStatus, SessionInfo } from "../api";
import { codeLabel, useT } from "../i18n";
import { Dashboard } from "./dashboard";
import { Search } from "./search";

type View = "dashboard" | "search";

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
      {view === "dashboard" ? (
        <Dashboard headingRef={heading} demo={status.is_demo} />
      ) : (
        <Search focusToken={searchFocus} />
      )}
    </div>
  );
}
