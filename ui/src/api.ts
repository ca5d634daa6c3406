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
  ) {
    super(message);
  }
}

function toApiError(e: unknown): ApiError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const o = e as { code: unknown; message: unknown };
    return new ApiError(String(o.code), String(o.message));
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
