import { useEffect, useState } from "preact/hooks";
import { ApiError, workApi, type PermitQr } from "../api";
import { ErrorBox } from "../components";
import { useT } from "../i18n";

/** "Xem mã QR": a stamped permit's QR (rendered by the core, the same as printed) and its token. */
export function PermitQrButton({ permitId }: { permitId: number }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        class="link"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="qr-toggle"
      >
        {open ? t("qrHide") : t("qrShow")}
      </button>
      {open ? <PermitQrView permitId={permitId} /> : null}
    </>
  );
}

function PermitQrView({ permitId }: { permitId: number }) {
  const t = useT();
  const [qr, setQr] = useState<PermitQr | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    workApi
      .permitQr(permitId)
      .then(setQr)
      .catch((e: ApiError) => setError(e));
  }, [permitId]);
  if (error) return <ErrorBox error={error} />;
  if (!qr) return <p class="muted small">{t("loadingShort")}</p>;
  return (
    <div class="qr-view" data-testid="qr-view" data-serial={qr.serial} data-token={qr.token}>
      {/* SVG produced by the core from the signed token: no user text in it. */}
      <div class="qr-svg" role="img" aria-label={t("qrAlt", { serial: qr.serial })} dangerouslySetInnerHTML={{ __html: qr.svg }} />
      <div class="qr-token mono small" data-testid="qr-token">
        {qr.token}
      </div>
    </div>
  );
}
