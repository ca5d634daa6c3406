// Typed wrappers over the Tauri commands of src-tauri/src/commands.rs. The shapes here mirror
// the Rust DTOs field for field (snake_case, as serde writes them).
import { invoke } from "@tauri-apps/api/core";

export interface SessionInfo {
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

export interface StateCount {
  state: string;
  count: number;
}

export interface Dashboard {
  counts: StateCount[];
  total: number;
}

export interface SearchRow {
  person_id: number;
  full_name: string;
  id_type: string;
  id_number: string;
  date_of_birth: string | null;
  organization: string | null;
  state: string | null;
  serial: string | null;
}

export interface SearchPage {
  rows: SearchRow[];
  total: number;
  page: number;
  per_page: number;
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
  dashboard: () => call<Dashboard>("dashboard"),
  search: (query: string, page: number) => call<SearchPage>("search", { query, page }),
};
