//! The `gdd` binary end to end, as an administrator's script would use it:
//! a real database file, real fixture lists, JSON output and exit codes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ward").join("gdd.db");
        Env { _dir: dir, db }
    }

    /// Run gdd as `user` (password demo1234) with `args`.
    fn run(&self, user: Option<&str>, args: &[&str]) -> Output {
        self.run_with(user, "demo1234", "matkhau-moi-1", args)
    }

    /// Run gdd as `user` with `password`; `new_password` answers for new users/wards.
    fn run_with(
        &self,
        user: Option<&str>,
        password: &str,
        new_password: &str,
        args: &[&str],
    ) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gdd"));
        cmd.env_clear()
            .env("GDD_DB", &self.db)
            .env("GDD_PASSWORD", password)
            .env("GDD_NEW_PASSWORD", new_password)
            .env("GDD_KEY_PASSPHRASE", store::demo::DEMO_KEY_PASSPHRASE)
            .args(args);
        if let Some(u) = user {
            cmd.env("GDD_USER", u);
        }
        cmd.output().expect("run gdd")
    }

    fn ok_json(&self, user: Option<&str>, args: &[&str]) -> Value {
        let out = self.run(user, args);
        assert!(
            out.status.success(),
            "gdd {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "gdd {args:?} printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// The ward official registers an organization; returns its reference code.
    fn add_org(&self, name: &str, tax_code: &str, email: &str) -> String {
        let org = self.ok_json(
            Some("canbo"),
            &[
                "org",
                "add",
                "--json",
                "--name",
                name,
                "--tax-code",
                tax_code,
                "--address",
                "Hà Nội",
                "--contact",
                "Người liên hệ",
                "--email",
                email,
            ],
        );
        org["ref_code"].as_str().expect("ref_code").to_string()
    }

    /// Run expecting failure; returns the error code printed on stderr with --json.
    fn err_code(&self, user: Option<&str>, args: &[&str]) -> String {
        let out = self.run(user, args);
        assert!(!out.status.success(), "gdd {args:?} should have failed");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "stderr is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        err["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
        .display()
        .to_string()
}

fn count(status: &Value, state: &str) -> u64 {
    status["counts"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["state"] == state))
        .and_then(|c| c["count"].as_u64())
        .unwrap_or_else(|| panic!("no count for {state} in {status}"))
}

#[test]
fn list_check_prints_the_documented_json_without_a_database() {
    let env = Env::new();
    let v = env.ok_json(None, &["list", "check", &fixture("messy.xlsx"), "--json"]);
    assert_eq!(v["rows"], 15);
    assert_eq!(v["valid"], 6);
    let invalid = v["invalid"].as_array().expect("invalid array");
    assert_eq!(invalid.len(), 9);
    assert_eq!(invalid[0]["row"], 9);
    assert!(invalid[0]["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("Họ và tên"));
    assert!(v["warnings"].is_array());
    assert!(!env.db.exists(), "list check must not create a database");
}

#[test]
fn broken_file_is_a_clear_error_with_a_code() {
    let env = Env::new();
    assert_eq!(
        env.err_code(
            None,
            &["list", "check", &fixture("no_header.xlsx"), "--json"]
        ),
        "list.no_header"
    );
}

#[test]
fn demo_search_folds_diacritics_and_d() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    // Personal data: no search without a login.
    let out = env.run(None, &["search", "dang thi thuy", "--json"]);
    assert!(!out.status.success());
    let page = env.ok_json(Some("cskv"), &["search", "dang thi thuy", "--json"]);
    let names: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|h| h["full_name"].as_str())
        .collect();
    assert!(names.contains(&"Đặng Thị Thủy"), "{names:?}");
    assert!(names.contains(&"Đặng Thị Thuỷ"), "{names:?}");
    assert_eq!(page["kind"], "name");
}

#[test]
fn import_decide_and_audit_through_the_cli() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    let reference = env.add_org(
        "Công ty Cổ phần Vận tải Đông Đô",
        "0105550199",
        "nhansu@dongdo.vn",
    );

    // Area police may not import an organization's list.
    assert_eq!(
        env.err_code(
            Some("cskv"),
            &[
                "list",
                "import",
                &fixture("messy.xlsx"),
                "--org",
                &reference,
                "--json"
            ]
        ),
        "auth.forbidden"
    );
    let before = env.ok_json(None, &["status", "--json"]);
    let sum = env.ok_json(
        Some("canbo"),
        &[
            "list",
            "import",
            &fixture("messy.xlsx"),
            "--org",
            &reference,
            "--json",
        ],
    );
    assert_eq!(sum["persons"], 6);
    assert_eq!(sum["rejected"], 9);
    let after = env.ok_json(None, &["status", "--json"]);
    assert_eq!(count(&after, "received"), count(&before, "received") + 6);

    let request = sum["request_id"].as_i64().expect("request id").to_string();
    let detail = env.ok_json(Some("canbo"), &["request", "show", &request, "--json"]);
    let ids: Vec<String> = detail["persons"]
        .as_array()
        .expect("persons")
        .iter()
        .map(|p| p["permit"]["id"].as_i64().expect("permit id").to_string())
        .collect();
    assert_eq!(ids.len(), 6);
    assert_eq!(detail["rejected_rows"].as_array().map(Vec::len), Some(9));

    // Reject one with a reason, approve the rest of the request in one go.
    let rejected = env.ok_json(
        Some("canbo"),
        &[
            "reject",
            &ids[0],
            "--reason",
            "Không thuộc diện được cấp",
            "--json",
        ],
    );
    assert_eq!(rejected[0]["to"], "rejected");
    let approved = env.ok_json(Some("canbo"), &["approve", "--request", &request, "--json"]);
    assert_eq!(approved.as_array().map(Vec::len), Some(5));

    // A rejected permit cannot be approved; the error names the state.
    let out = env.run(Some("canbo"), &["approve", &ids[0]]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("từ chối"));

    // The ward administrator manages users but does not decide permits.
    let out = env.run(Some("quantri"), &["approve", &ids[1], "--json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("workflow.forbidden"));

    // This list gave no area: a permit cannot be signed without one.
    assert_eq!(
        env.err_code(Some("congan"), &["stamp", &ids[1], "--json"]),
        "stamp.missing_field"
    );
    // Wrong password: refused with its own code.
    let out = env.run_with(
        Some("canbo"),
        "sai-mat-khau",
        "",
        &["request", "list", "--json"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("auth.bad_credentials"));

    let audit = env.ok_json(None, &["audit", "verify", "--json"]);
    assert_eq!(audit["ok"], true);

    // CSV export of that request: a header and one line per permit.
    let out_file = env.db.with_file_name("export.csv");
    let out_path = out_file.display().to_string();
    env.ok_json(
        Some("canbo"),
        &["export", "--request", &request, "-o", &out_path, "--json"],
    );
    let csv = std::fs::read_to_string(&out_file).expect("export written");
    assert_eq!(csv.lines().count(), 1 + 6);
}

#[test]
fn tampered_audit_trail_fails_verification() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    {
        let conn = rusqlite::Connection::open(&env.db).expect("open db");
        // Someone with the file in hand drops the append-only trigger first.
        conn.execute_batch("DROP TRIGGER audit_log_no_update")
            .expect("drop trigger");
        let changed = conn
            .execute(
                "UPDATE audit_log SET details = '{}' WHERE seq = (SELECT min(seq) + 3 FROM audit_log)",
                [],
            )
            .expect("tamper");
        assert_eq!(changed, 1);
    }
    let out = env.run(None, &["audit", "verify"]);
    assert!(
        !out.status.success(),
        "an edited audit entry must fail verify"
    );
}

#[test]
fn resident_path_area_police_records_and_checks_official_decides() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    let resident = [
        "request",
        "resident",
        "--json",
        "--name",
        "Vũ  Đức Thắng",
        "--id",
        "001 090 055 123",
        "--dob",
        "03/04/1990",
        "--sex",
        "nam",
        "--phone",
        "0987 654 321",
        "--purpose",
        "Đi làm tại bệnh viện",
        "--area",
        "Quận Ba Đình – Đống Đa",
    ];
    // Only area police record residents' requests.
    assert_eq!(env.err_code(Some("canbo"), &resident), "auth.forbidden");
    let made = env.ok_json(Some("cskv"), &resident);
    let request = made["request_id"].as_i64().expect("request id").to_string();
    let detail = env.ok_json(Some("cskv"), &["request", "show", &request, "--json"]);
    let person = &detail["persons"][0];
    assert_eq!(person["full_name"], "Vũ Đức Thắng");
    assert_eq!(person["id_number"], "001090055123");
    let permit = person["permit"]["id"].as_i64().expect("permit").to_string();

    // The official cannot approve before the area police checked it.
    let out = env.run(Some("canbo"), &["approve", &permit]);
    assert!(!out.status.success());
    env.ok_json(Some("cskv"), &["check", &permit, "--json"]);
    let done = env.ok_json(Some("canbo"), &["approve", &permit, "--json"]);
    assert_eq!(done[0]["to"], "approved");

    // The same person again while their permit is active: refused.
    let again = env.run(Some("cskv"), &resident);
    assert!(!again.status.success());

    // A typed CCCD that disagrees with the date of birth: refused with the rule's code.
    let code = env.err_code(
        Some("cskv"),
        &[
            "request",
            "resident",
            "--json",
            "--name",
            "Lê Văn Tám",
            "--id",
            "001095001234",
            "--dob",
            "01/01/1990",
        ],
    );
    assert!(
        code.starts_with("cccd.") || code.starts_with("id."),
        "{code}"
    );
}

#[test]
fn per_person_decisions_are_one_transaction_and_documents_attach() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    let reference = env.add_org(
        "Hợp tác xã Rau sạch Long Biên",
        "0105550277",
        "hoa@raulongbien.vn",
    );
    let sum = env.ok_json(
        Some("canbo"),
        &[
            "list",
            "import",
            &fixture("utf8_bom_semicolon.csv"),
            "--org",
            &reference,
            "--json",
        ],
    );
    let request = sum["request_id"].as_i64().expect("id").to_string();
    let detail = env.ok_json(Some("canbo"), &["request", "show", &request, "--json"]);
    let ids: Vec<i64> = detail["persons"]
        .as_array()
        .expect("persons")
        .iter()
        .filter_map(|p| p["permit"]["id"].as_i64())
        .collect();
    assert!(ids.len() >= 3, "{detail}");

    // One of the decisions is illegal (an id that does not exist): nothing changes.
    let approve_all: String = ids[1..]
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let bad_reject = format!("{}:Sai thông tin", 999_999);
    let out = env.run(
        Some("canbo"),
        &["decide", "--approve", &approve_all, "--reject", &bad_reject],
    );
    assert!(!out.status.success());
    let still = env.ok_json(Some("canbo"), &["request", "show", &request, "--json"]);
    assert!(still["persons"]
        .as_array()
        .expect("persons")
        .iter()
        .all(|p| p["permit"]["state"] == "received"));

    let reject = format!("{}:Không làm việc tại địa bàn", ids[0]);
    let done = env.ok_json(
        Some("canbo"),
        &[
            "decide",
            "--approve",
            &approve_all,
            "--reject",
            &reject,
            "--json",
        ],
    );
    assert_eq!(done.as_array().map(Vec::len), Some(ids.len()));
    let after = env.ok_json(Some("canbo"), &["request", "show", &request, "--json"]);
    let first = &after["persons"][0]["permit"];
    assert_eq!(first["state"], "rejected");
    assert_eq!(first["decision_reason"], "Không làm việc tại địa bàn");

    // A supporting document attached to the request comes back byte for byte.
    let doc = fixture("list.xls");
    let att = env.ok_json(
        Some("canbo"),
        &["request", "attach", &request, &doc, "--json"],
    );
    assert_eq!(att["mime"], "application/vnd.ms-excel");
    let listed = env.ok_json(
        Some("canbo"),
        &["request", "attachments", &request, "--json"],
    );
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let copy = env.db.with_file_name("copy.xls");
    let att_id = att["id"].as_i64().expect("att id").to_string();
    env.ok_json(
        Some("canbo"),
        &[
            "request",
            "save-attachment",
            &att_id,
            "-o",
            &copy.display().to_string(),
            "--json",
        ],
    );
    assert_eq!(std::fs::read(&copy).ok(), std::fs::read(&doc).ok());
}

#[test]
fn a_new_ward_its_users_and_roles() {
    let env = Env::new();
    // GDD_NEW_PASSWORD (matkhau-moi-1) becomes the administrator's password.
    env.ok_json(
        None,
        &[
            "init",
            "--json",
            "--ward-code",
            "00007",
            "--ward-name",
            "Phường Hoàn Kiếm",
            "--admin",
            "admin",
            "--admin-name",
            "Đỗ Thị Quyên",
        ],
    );
    assert_eq!(
        env.err_code(
            None,
            &[
                "init",
                "--json",
                "--ward-code",
                "00008",
                "--ward-name",
                "Phường Khác",
                "--admin",
                "a2",
                "--admin-name",
                "X Y"
            ]
        ),
        "store.ward_exists"
    );
    let admin = |args: &[&str]| {
        let out = env.run_with(Some("admin"), "matkhau-moi-1", "matkhau-can-bo", args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    admin(&[
        "user",
        "add",
        "lan",
        "--full-name",
        "Ngô Thị Lan",
        "--role",
        "ward_official",
        "--json",
    ]);
    let users = admin(&["user", "list", "--json"]);
    assert_eq!(users.as_array().map(Vec::len), Some(2));

    admin(&["user", "disable", "lan", "--json"]);
    let out = env.run_with(
        Some("lan"),
        "matkhau-can-bo",
        "",
        &["org", "list", "--json"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("auth.user_disabled"));
    let status = env.ok_json(None, &["status", "--json"]);
    assert_eq!(status["ward"]["code"], "00007");
    assert_eq!(status["activated"], false);
}

#[test]
fn ward_police_stamp_with_the_workstation_key_and_the_token_verifies() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    // Two approved demo permits, from the CSV export.
    let out = env.run(Some("canbo"), &["export", "--state", "approved"]);
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    let ids: Vec<String> = csv
        .lines()
        .skip(1)
        .take(2)
        .map(|l| l.split(',').next().expect("id").to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{csv}");

    // The demo workstation is activated under the demo root.
    let status = env.ok_json(Some("quantri"), &["activation", "status", "--json"]);
    assert_eq!(status["activated"], true);
    assert_eq!(status["install_key"]["demo_root"], true);

    // Only the ward police stamp.
    assert_eq!(
        env.err_code(Some("canbo"), &["stamp", &ids[0], "--json"]),
        "workflow.forbidden"
    );
    // The wrong key passphrase: refused, nothing signed.
    let bad = Command::new(env!("CARGO_BIN_EXE_gdd"))
        .env_clear()
        .env("GDD_DB", &env.db)
        .env("GDD_USER", "congan")
        .env("GDD_PASSWORD", "demo1234")
        .env("GDD_KEY_PASSPHRASE", "không phải mật khẩu khóa")
        .args(["stamp", &ids[0], "--json"])
        .output()
        .expect("run gdd");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("key.bad_passphrase"));
    let stamped = env.ok_json(Some("congan"), &["stamp", &ids[0], &ids[1], "--json"]);
    let stamped = stamped.as_array().expect("stamped");
    assert_eq!(stamped.len(), 2);
    let serial = |v: &Value| v["serial"].as_str().expect("serial").to_string();
    assert_ne!(serial(&stamped[0]), serial(&stamped[1]));

    // The token verifies offline, as DEMO, with the holder's details.
    let token = stamped[0]["token"].as_str().expect("token");
    let verdict = env.ok_json(None, &["verify", token, "--json"]);
    assert_eq!(verdict["verdict"], "demo");
    assert_eq!(verdict["fields"]["serial"], stamped[0]["serial"]);
    // Stamping the same permit again signs nothing: it keeps its serial.
    let again = env.ok_json(Some("congan"), &["stamp", &ids[0], "--json"]);
    assert_eq!(again[0]["already_stamped"], true);
    assert_eq!(again[0]["serial"], stamped[0]["serial"]);
    assert_eq!(
        env.ok_json(None, &["audit", "verify", "--json"])["ok"],
        true
    );
}

#[test]
fn a_revoked_permit_reads_revoked_at_a_checkpoint_with_the_wards_signed_list() {
    let env = Env::new();
    env.ok_json(None, &["demo", "--json"]);
    let out = env.run(Some("canbo"), &["export", "--state", "approved"]);
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    let ids: Vec<String> = csv
        .lines()
        .skip(1)
        .take(2)
        .map(|l| l.split(',').next().expect("id").to_string())
        .collect();
    let stamped = env.ok_json(Some("congan"), &["stamp", &ids[0], &ids[1], "--json"]);
    let token = |i: usize| stamped[i]["token"].as_str().expect("token").to_string();
    // The food company's permits carry its category, signed.
    let v = env.ok_json(None, &["verify", &token(0), "--json"]);
    assert_eq!(v["fields"]["category"], permit::category::ESSENTIAL_GOODS);

    env.ok_json(
        Some("canbo"),
        &[
            "revoke",
            &ids[0],
            "--code",
            "lost",
            "--reason",
            "Người lao động báo mất giấy",
            "--json",
        ],
    );
    let list = env.db.with_file_name("thu-hoi.txt");
    let list_arg = list.to_str().expect("path");
    // Only ward police or the administrator sign it, with the key's passphrase.
    assert_eq!(
        env.err_code(
            Some("canbo"),
            &["revocations", "export", "-o", list_arg, "--json"]
        ),
        "auth.forbidden"
    );
    let published = env.ok_json(
        Some("congan"),
        &["revocations", "export", "-o", list_arg, "--json"],
    );
    assert_eq!(published["number"], 1);
    assert!(published["permits"].as_u64().expect("count") >= 1);

    // A checkpoint given the list: revoked, with the reason and the list's age.
    let out = env.run(
        None,
        &["verify", &token(0), "--revocations", list_arg, "--json"],
    );
    assert!(!out.status.success(), "a revoked permit must not exit 0");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["verdict"], "revoked");
    assert!(v["revocation"]["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("mất giấy"));
    assert!(v["revocation"]["list_age_seconds"].as_i64().is_some());
    // The other permit is untouched by the list.
    let v = env.ok_json(
        None,
        &["verify", &token(1), "--revocations", list_arg, "--json"],
    );
    assert_eq!(v["verdict"], "demo");
    // The next export replaces the file only when asked to, and counts up.
    assert_eq!(
        env.err_code(
            Some("quantri"),
            &["revocations", "export", "-o", list_arg, "--json"]
        ),
        "output.exists"
    );
    let again = env.ok_json(
        Some("quantri"),
        &["revocations", "export", "-o", list_arg, "--force", "--json"],
    );
    assert_eq!(again["number"], 2);
}
