// Small display helpers shared by the screens.

/** ISO yyyy-mm-dd from the core → dd/mm/yyyy as written in Vietnam; anything else unchanged. */
export function formatDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** RFC 3339 time from the core → local "dd/mm/yyyy hh:mm". */
export function formatTime(rfc3339: string | null | undefined): string | null {
  if (!rfc3339) return null;
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A file chosen in an <input type="file">, read as a data URL (images for the QR reader). */
export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error("read failed"));
    r.readAsDataURL(file);
  });
}
