// Typed wrappers over the Tauri commands of src-tauri/src/commands.rs. The shapes here mirror
// the Rust DTOs field for field (snake_case, as serde writes them).
import { invoke } from "@tauri-apps/api/core";

export interface SessionInfo {
  user_id: number;
  username: string;
  full_name: string;
  roles: string[];
}

export interface DemoAccount {
  username: string;
  password: string;
  roles: string[];
}

export interface AppStatus {
  has_ward: boolean;
  ward_name: string | null;
  ward_code: string | null;
  is_demo: boolean;
  db_path: string;
  session: SessionInfo | null;
  demo_accounts: DemoAccount[];
}

/** store::StateCount: every state, zeros included, in workflow order. */
export interface StateCount {
  state: string;
  label: string;
  count: number;
}

/** store::PersonHit */
export interface PersonHit {
  person_id: number;
  request_id: number;
  full_name: string;
  id_kind: string;
  id_number: string;
  id_label: string | null;
  /** yyyy-mm-dd */
  date_of_birth: string | null;
  sex: string | null;
  org_name: string | null;
  org_ref: string | null;
  permit_id: number;
  state: string;
  serial: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

/** store::Page: how the query was read (`kind`) and whether another page exists. */
export interface SearchPage {
  items: PersonHit[];
  page: number;
  per_page: number;
  has_more: boolean;
  kind: "id_number" | "serial" | "organization" | "name" | "empty";
}

/** The error every command rejects with. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The print job a printing failure belongs to (for "retry job N"). */
    readonly jobId: number | null = null,
  ) {
    super(message);
  }
}

function toApiError(e: unknown): ApiError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const o = e as { code: unknown; message: unknown; job_id?: unknown };
    return new ApiError(String(o.code), String(o.message), typeof o.job_id === "number" ? o.job_id : null);
  }
  // Tauri itself rejects with a bare string (e.g. an unknown command or bad arguments).
  return new ApiError("internal", typeof e === "string" ? e : JSON.stringify(e));
}

async function call<R>(cmd: string, args?: Record<string, unknown>): Promise<R> {
  try {
    return await invoke<R>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  status: () => call<AppStatus>("app_status"),
  createDemo: () => call<AppStatus>("create_demo"),
  login: (username: string, password: string) => call<SessionInfo>("login", { username, password }),
  logout: () => call<void>("logout"),
  dashboard: () => call<StateCount[]>("dashboard"),
  search: (query: string, page: number) => call<SearchPage>("search", { query, page }),
};

/** store::worklist::StampQueue: approved permits waiting for a stamp. */
export interface StampQueue {
  items: PersonHit[];
  page: number;
  per_page: number;
  has_more: boolean;
  total: number;
}

/** store::worklist::QueueRequest */
export interface QueueRequest {
  request_id: number;
  org_name: string | null;
  org_ref: string | null;
  approved: number;
}

/** store::Stamped */
export interface Stamped {
  permit_id: number;
  serial: string;
  token: string;
  /** Stamped before this batch (a batch run again): its existing serial. */
  already_stamped: boolean;
}

export interface PermitQr {
  permit_id: number;
  serial: string;
  token: string;
  svg: string;
}

/** verify::HolderDetails */
export interface HolderDetails {
  serial: string;
  holder_name: string;
  id_type: string;
  id_number: string;
  id_label?: string | null;
  date_of_birth?: string | null;
  organization?: string | null;
  category: number;
  category_name: string;
  purpose?: string | null;
  area: string;
  valid_from: string;
  valid_to: string;
  daily_hours?: string | null;
  ward_code: string;
  dataset: string;
  workstation: number;
}

/** verify::RevocationStatus */
export interface RevocationStatus {
  list_number: number;
  list_issued_at: string;
  list_age_seconds: number;
  applies: boolean;
  reason_code?: number;
  reason?: string;
}

export type Verdict =
  | "valid"
  | "demo"
  | "expired"
  | "not_yet_valid"
  | "revoked"
  | "bad_signature"
  | "unknown_issuer"
  | "out_of_scope"
  | "malformed";

/** verify::Verification */
export interface Verification {
  verdict: Verdict;
  message: string;
  detail?: string;
  fields?: HolderDetails;
  revocation?: RevocationStatus;
  outside_daily_hours: boolean;
}

/** store::WorkstationKeyInfo */
export interface WorkstationKey {
  public_key: string;
  fingerprint: string;
  key_file: string | null;
  created_at: string;
}

/** store::InstalledKey */
export interface InstalledKey {
  key_id: string;
  valid_from: string;
  valid_to: string;
  demo_root: boolean;
  categories: number[];
  max_validity_days: number;
  installed_at: string;
}

export type ActivationReason = "activated" | "no_key" | "no_install_key" | "expired" | "not_yet_valid";

/** commands::activation::ActivationStatus */
export interface ActivationStatus {
  activated: boolean;
  reason: ActivationReason;
  key: WorkstationKey | null;
  installed: InstalledKey | null;
  latest_valid_from: string | null;
  latest_valid_to: string | null;
  ward_code: string;
  ward_name: string;
  workstation: number;
  demo_ward: boolean;
  category_names: string[];
  trusts_demo_root: boolean;
}

export interface RequestText {
  text: string;
  fingerprint: string;
  file: string | null;
  file_error: string | null;
}

export const workApi = {
  stampQueue: (requestId: number | null, page: number) =>
    call<StampQueue>("stamp_queue", { requestId, page }),
  stampQueueRequests: () => call<QueueRequest[]>("stamp_queue_requests"),
  stamp: (permitIds: number[], passphrase: string) => call<Stamped[]>("stamp", { permitIds, passphrase }),
  permitQr: (permitId: number) => call<PermitQr>("permit_qr", { permitId }),
  verifyToken: (token: string, revocations: string[]) =>
    call<Verification>("verify_token", { token, revocations }),
  verifyImage: (imageBase64: string, revocations: string[]) =>
    call<Verification[]>("verify_image", { imageBase64, revocations }),
  activationStatus: () => call<ActivationStatus>("activation_status"),
  passphraseCheck: (passphrase: string) => call<void>("passphrase_check", { passphrase }),
  createKey: (passphrase: string, repeat: string) =>
    call<WorkstationKey>("create_workstation_key", { passphrase, repeat }),
  activationRequest: (passphrase: string, emails: string[]) =>
    call<RequestText>("activation_request", { passphrase, emails }),
  installKey: (text: string) => call<InstalledKey>("install_key", { text }),
};

/** commands::print::PrintFilter; state: stamped | printed | delivered | all */
export interface PrintFilter {
  request_id: number | null;
  org_id: number | null;
  state: string;
}

/** commands::print::PrintItem: a printable permit, as its signed token says. */
export interface PrintItem {
  permit_id: number;
  serial: string;
  holder_name: string;
  id_label: string;
  organization: string | null;
  valid_from: string;
  valid_to: string;
  state: string;
  /** 0 = original; n = reprint n. */
  reprint: number;
}

export interface PrintList {
  items: PrintItem[];
  page: number;
  per_page: number;
  has_more: boolean;
  total: number;
  originals: number;
  reprints: number;
}

export interface FilterOption {
  id: number;
  /** Organization name; empty for residents' requests. */
  label: string;
  org_ref: string | null;
  printable: number;
}

export interface PrintFilters {
  requests: FilterOption[];
  organizations: FilterOption[];
}

/** printing::PrinterInfo */
export interface PrinterInfo {
  name: string;
  description: string;
  is_default: boolean;
  state: { state: "idle" | "printing" | "stopped"; reason?: string };
  accepting: boolean;
}

export interface Printers {
  printers: PrinterInfo[];
  default_printer: string | null;
}

export type PrintJobState = "queued" | "sent" | "done" | "failed";

/** store::PrintJob */
export interface PrintJob {
  id: number;
  printer: string;
  layout: string;
  copies: number;
  state: PrintJobState;
  attempts: number;
  last_error_code: string | null;
  last_error: string | null;
  system_job: string | null;
  output_file: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
  items: { permit_id: number; reprint: number }[];
}

/** printjob::Summary */
export interface PdfSummary {
  path: string;
  layout: string;
  permits: number;
  originals: number;
  reprints: number;
  pages: number;
  bytes: number;
}

export interface PrintDone {
  job: PrintJob;
  pdf: PdfSummary;
}

export const printApi = {
  list: (filter: PrintFilter, page: number) => call<PrintList>("print_list", { filter, page }),
  filters: () => call<PrintFilters>("print_filters"),
  printers: () => call<Printers>("printers"),
  jobs: () => call<PrintJob[]>("print_jobs"),
  savePdf: (permitIds: number[], layout: string) => call<PdfSummary>("print_save_pdf", { permitIds, layout }),
  send: (permitIds: number[], printer: string, layout: string, copies: number) =>
    call<PrintDone>("print_send", { permitIds, printer, layout, copies }),
  retry: (jobId: number) => call<PrintDone>("print_retry", { jobId }),
};
