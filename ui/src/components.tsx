import { useEffect, useRef } from "preact/hooks";
import type { ApiError } from "./api";
import { useT, type Lang } from "./i18n";

/** A command's error, announced to screen readers and focused so the keyboard lands on it. */
export function ErrorBox({ error }: { error: ApiError }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);
  return (
    <div class="error" role="alert" tabIndex={-1} ref={ref} data-testid="error" data-code={error.code}>
      <strong>{t("errorTitle")}:</strong> {error.message}
    </div>
  );
}

export function LangSwitch({ lang, onChange }: { lang: Lang; onChange: (l: Lang) => void }) {
  const t = useT();
  return (
    <div class="lang" role="group" aria-label={t("language")}>
      {(["vi", "en"] as const).map((l) => (
        <button
          type="button"
          class={l === lang ? "lang-btn active" : "lang-btn"}
          aria-pressed={l === lang}
          data-testid={`lang-${l}`}
          onClick={() => onChange(l)}
        >
          {l === "vi" ? t("langVi") : t("langEn")}
        </button>
      ))}
    </div>
  );
}
