// Every user-visible string, Vietnamese first. `en` must have exactly the keys of `vi`
// (the type enforces it), so a missing translation fails the type check.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

const vi = {
  appTitle: "Cấp giấy đi đường",
  appSubtitle: "Cấp và kiểm tra giấy đi đường có nhận diện",
  loading: "Đang mở cơ sở dữ liệu…",
  language: "Ngôn ngữ",
  langVi: "Tiếng Việt",
  langEn: "English",
  // First run
  firstRunTitle: "Chưa có dữ liệu phường",
  firstRunBody:
    "Cơ sở dữ liệu của máy trạm này còn trống. Để dùng thử, hãy tạo một phường mẫu có sẵn người dùng, tổ chức, danh sách và giấy đi đường ở mọi trạng thái.",
  firstRunDbPath: "Tệp dữ liệu: {path}",
  createDemo: "Tạo phường mẫu (demo)",
  creatingDemo: "Đang tạo phường mẫu…",
  firstRunCliHint: "Để khởi tạo phường thật, dùng lệnh: gdd init",
  // Login
  loginTitle: "Đăng nhập",
  loginWard: "Phường: {ward}",
  username: "Tên đăng nhập",
  password: "Mật khẩu",
  loginSubmit: "Đăng nhập",
  loggingIn: "Đang đăng nhập…",
  demoAccounts: "Tài khoản mẫu (chỉ có trong phường demo)",
  demoNotice: "Đây là dữ liệu mẫu: không dùng để cấp giấy thật.",
  // Shell
  navDashboard: "Tổng quan",
  navSearch: "Tra cứu",
  logout: "Đăng xuất",
  signedInAs: "Đang làm việc: {name}",
  shortcutSearch: "Nhấn / để tra cứu",
  // Dashboard
  dashboardTitle: "Tổng quan giấy đi đường",
  dashboardTotal: "Tổng số giấy: {n}",
  refresh: "Làm mới",
  // Search
  searchTitle: "Tra cứu",
  searchLabel: "Họ tên, số giấy tờ, số sê-ri hoặc tổ chức",
  searchPlaceholder: "Ví dụ: dang thi thuy, 001190012345, HN-…",
  searchSubmit: "Tìm",
  searching: "Đang tìm…",
  searchEmpty: "Không tìm thấy kết quả cho “{q}”.",
  searchHint: "Có thể gõ không dấu: “dang thi thuy” tìm được cả “Đặng Thị Thủy” và “Đặng Thị Thuỷ”.",
  searchCount: "Trang {page}: {n} kết quả",
  searchCountMore: "Trang {page}: {n} kết quả đầu, còn trang sau",
  kind_name: "Tìm theo họ tên (không phân biệt dấu)",
  kind_id_number: "Tìm theo số giấy tờ",
  kind_serial: "Tìm theo số sê-ri giấy đi đường",
  kind_organization: "Tìm theo mã tổ chức",
  kind_empty: "Hãy nhập họ tên, số giấy tờ, số sê-ri hoặc mã tổ chức.",
  idkind_cccd: "CCCD",
  idkind_cmnd: "CMND",
  idkind_passport_vn: "Hộ chiếu",
  idkind_other: "Giấy tờ khác",
  colName: "Họ và tên",
  colId: "Giấy tờ",
  colDob: "Ngày sinh",
  colOrg: "Tổ chức",
  colValid: "Hiệu lực",
  colState: "Trạng thái",
  colSerial: "Số sê-ri",
  noValue: "—",
  pagePrev: "← Trang trước",
  pageNext: "Trang sau →",
  pageOf: "Trang {page}",
  // States
  state_received: "Đã nhận",
  state_checked: "Đã kiểm tra",
  state_approved: "Đã duyệt",
  state_rejected: "Từ chối",
  state_stamped: "Đã đóng dấu",
  state_printed: "Đã in",
  state_delivered: "Đã giao",
  state_revoked: "Thu hồi",
  state_expired: "Hết hạn",
  // Roles
  role_area_police: "Cảnh sát khu vực",
  role_ward_official: "Cán bộ UBND phường",
  role_ward_police: "Công an phường",
  role_ward_admin: "Quản trị phường",
  // Errors
  errorTitle: "Có lỗi",
  errorUnknown: "Lỗi không xác định: {detail}",
  errorNoBackend: "Không kết nối được với phần lõi của ứng dụng.",
} as const;

export type Key = keyof typeof vi;

const en: Record<Key, string> = {
  appTitle: "Travel permits",
  appSubtitle: "Issuing and checking travel permits with identification",
  loading: "Opening the database…",
  language: "Language",
  langVi: "Tiếng Việt",
  langEn: "English",
  firstRunTitle: "No ward data yet",
  firstRunBody:
    "This workstation's database is empty. To try the software, create a demo ward with users, organizations, lists and permits in every state.",
  firstRunDbPath: "Database file: {path}",
  createDemo: "Create demo ward",
  creatingDemo: "Creating the demo ward…",
  firstRunCliHint: "To set up a real ward, use the command: gdd init",
  loginTitle: "Sign in",
  loginWard: "Ward: {ward}",
  username: "Username",
  password: "Password",
  loginSubmit: "Sign in",
  loggingIn: "Signing in…",
  demoAccounts: "Demo accounts (demo ward only)",
  demoNotice: "This is demo data: never use it to issue real permits.",
  navDashboard: "Overview",
  navSearch: "Search",
  logout: "Sign out",
  signedInAs: "Signed in: {name}",
  shortcutSearch: "Press / to search",
  dashboardTitle: "Permits overview",
  dashboardTotal: "Total permits: {n}",
  refresh: "Refresh",
  searchTitle: "Search",
  searchLabel: "Name, ID number, serial or organization",
  searchPlaceholder: "e.g. dang thi thuy, 001190012345, HN-…",
  searchSubmit: "Search",
  searching: "Searching…",
  searchEmpty: "No results for “{q}”.",
  searchHint: "Diacritics are optional: “dang thi thuy” finds both “Đặng Thị Thủy” and “Đặng Thị Thuỷ”.",
  searchCount: "Page {page}: {n} results",
  searchCountMore: "Page {page}: first {n} results, more on the next page",
  kind_name: "Searching by name (diacritics ignored)",
  kind_id_number: "Searching by ID number",
  kind_serial: "Searching by permit serial",
  kind_organization: "Searching by organization reference",
  kind_empty: "Type a name, an ID number, a serial or an organization reference.",
  idkind_cccd: "CCCD",
  idkind_cmnd: "CMND",
  idkind_passport_vn: "Passport",
  idkind_other: "Other document",
  colName: "Full name",
  colId: "ID document",
  colDob: "Date of birth",
  colOrg: "Organization",
  colValid: "Valid",
  colState: "State",
  colSerial: "Serial",
  noValue: "—",
  pagePrev: "← Previous",
  pageNext: "Next →",
  pageOf: "Page {page}",
  state_received: "Received",
  state_checked: "Checked",
  state_approved: "Approved",
  state_rejected: "Rejected",
  state_stamped: "Stamped",
  state_printed: "Printed",
  state_delivered: "Delivered",
  state_revoked: "Revoked",
  state_expired: "Expired",
  role_area_police: "Area police officer",
  role_ward_official: "Ward official",
  role_ward_police: "Ward police",
  role_ward_admin: "Ward administrator",
  errorTitle: "Error",
  errorUnknown: "Unknown error: {detail}",
  errorNoBackend: "Cannot reach the application core.",
};

export type Lang = "vi" | "en";
const dicts: Record<Lang, Record<Key, string>> = { vi, en };

export type T = (key: Key, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): T {
  const dict = dicts[lang];
  return (key, params) => {
    let s = dict[key];
    if (params) {
      for (const [name, value] of Object.entries(params)) {
        s = s.split(`{${name}}`).join(String(value));
      }
    }
    return s;
  };
}

/** A label for a code coming from the core (state or role); unknown codes show as they are. */
export function codeLabel(t: T, prefix: "state_" | "role_" | "kind_" | "idkind_", code: string): string {
  const key = `${prefix}${code}`;
  return key in vi ? t(key as Key) : code;
}

const STORAGE_KEY = "gdd.lang";

export function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be unavailable; the choice then lasts for this session only.
  }
}

export const I18n = createContext<{ t: T; lang: Lang }>({ t: translator("vi"), lang: "vi" });

export function useT(): T {
  return useContext(I18n).t;
}
