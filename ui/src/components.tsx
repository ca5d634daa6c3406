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

/** The app icon (assets/icons/app-icon.svg), drawn small for the top bar. */
export function BrandMark() {
  return (
    <svg class="brand-mark" viewBox="0 0 1024 1024" width="34" height="34" aria-hidden="true">
      <rect x="32" y="32" width="960" height="960" rx="180" fill="#ffffff" fill-opacity="0.12" />
      <rect x="232" y="152" width="560" height="720" rx="40" fill="#ffffff" />
      <rect x="312" y="232" width="400" height="36" rx="18" fill="#1f3a5f" />
      <rect x="312" y="304" width="280" height="28" rx="14" fill="#8aa0b8" />
      <g fill="#1f3a5f">
        <rect x="312" y="408" width="120" height="120" />
        <rect x="592" y="408" width="120" height="120" />
        <rect x="312" y="672" width="120" height="120" />
        <rect x="472" y="408" width="60" height="60" />
        <rect x="472" y="512" width="60" height="60" />
        <rect x="532" y="572" width="60" height="60" />
      </g>
      <circle cx="672" cy="712" r="112" fill="#b3261e" />
      <path
        d="M616 712 l40 40 l76 -84"
        stroke="#ffffff"
        stroke-width="36"
        fill="none"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
