//! The command line: one subcommand per use case of the app.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "gdd",
    version,
    about = "Cấp và kiểm tra giấy đi đường — headless CLI of the ward travel-permit system",
    long_about = "Every use case of the ward app, for administrators, scripts and tests.\n\
        Acting user: --user (or GDD_USER); password from --password-file, GDD_PASSWORD, or a prompt.\n\
        Database: --db (or GDD_DB), else the OS data folder."
)]
pub struct Cli {
    /// Database file (default: the OS data folder, e.g. ~/.local/share/gdd/gdd.db)
    #[arg(long, global = true, env = "GDD_DB")]
    pub db: Option<PathBuf>,
    /// Print machine-readable JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// Replace an existing output file (never a database, its journal, a key or a serial mark)
    #[arg(long, global = true)]
    pub force: bool,
    /// Acting user (login name)
    #[arg(long, short = 'u', global = true, env = "GDD_USER")]
    pub user: Option<String>,
    /// File holding the acting user's password (else GDD_PASSWORD, else a prompt)
    #[arg(long, global = true, env = "GDD_PASSWORD_FILE")]
    pub password_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the ward on this workstation, with its first administrator
    Init(InitArgs),
    /// Fill an empty database with a demo ward (users for each role, organizations, lists)
    Demo,
    /// Ward information and counts per state
    Status,
    /// Users of this workstation
    #[command(subcommand)]
    User(UserCmd),
    /// Organizations registered with the ward
    #[command(subcommand)]
    Org(OrgCmd),
    /// Requests: organizations' lists and residents' requests
    #[command(subcommand)]
    Request(RequestCmd),
    /// Employee lists: check a file, import it for an organization
    #[command(subcommand)]
    List(ListCmd),
    /// Area police: mark permits as checked
    Check(PermitIds),
    /// Ward official: approve permits (or a whole request with --request)
    Approve(DecideArgs),
    /// Ward official: reject permits with a reason (or a whole request with --request)
    Reject(RejectArgs),
    /// Ward official: per-person decisions on a list, saved at once (one transaction)
    Decide(DecideManyArgs),
    /// Ward police: stamp (sign) approved permits with this workstation's key
    Stamp(StampArgs),
    /// Ward administrator: this workstation's signing key and its activation by the city
    #[command(subcommand)]
    Activation(ActivationCmd),
    /// Print permits: a PDF file, or a print job sent to a printer
    #[command(subcommand)]
    Print(PrintCmd),
    /// Record permits as printed
    MarkPrinted(PermitIds),
    /// Area police: record permits as delivered
    Deliver(PermitIds),
    /// Revoke a permit, with a reason
    Revoke(RevokeArgs),
    /// The ward's signed revocation list, for checkpoints
    #[command(subcommand)]
    Revocations(RevocationsCmd),
    /// Mark permits whose validity has ended as expired
    Expire(ExpireArgs),
    /// Search persons by name (diacritics ignored), ID number, serial or organization reference
    Search(SearchArgs),
    /// City administrator: the root key and install keys
    #[command(subcommand)]
    City(CityCmd),
    /// Checkpoint: verify a permit offline, from its QR text or a photo/scan (PNG, JPEG)
    Verify(VerifyArgs),
    /// The audit trail
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Export permits as CSV
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Ward code (mã đơn vị hành chính)
    #[arg(long)]
    pub ward_code: String,
    /// Ward name, e.g. "Phường Ba Đình"
    #[arg(long)]
    pub ward_name: String,
    /// Administrative-unit dataset the code comes from (codes were reused on 1 July 2025)
    #[arg(long, default_value = "2025-07")]
    pub dataset: String,
    /// Number of this workstation in the ward
    #[arg(long, default_value_t = 1)]
    pub workstation: u32,
    /// Login name of the first ward administrator
    #[arg(long)]
    pub admin: String,
    /// Full name of the first ward administrator
    #[arg(long)]
    pub admin_name: String,
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add a user (password from GDD_NEW_PASSWORD, --new-password-file or a prompt)
    Add {
        username: String,
        #[arg(long)]
        full_name: String,
        /// Roles: area_police, ward_official, ward_police, ward_admin (repeat or comma-separate)
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        #[arg(long)]
        new_password_file: Option<PathBuf>,
    },
    /// List users
    List,
    /// Set a user's password
    Passwd {
        username: String,
        #[arg(long)]
        new_password_file: Option<PathBuf>,
    },
    /// Disable a user (they can no longer log in; their past actions stay in the audit trail)
    Disable { username: String },
}

#[derive(Subcommand, Debug)]
pub enum OrgCmd {
    /// Register an organization (after area police checked it)
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        tax_code: String,
        #[arg(long)]
        address: String,
        #[arg(long)]
        contact: String,
        /// Contact email (repeat or comma-separate)
        #[arg(long = "email", required = true, value_delimiter = ',')]
        emails: Vec<String>,
        /// Permit category of its employees: production, transport, health, essential-goods,
        /// utilities, press, public-duty, other (or the code 0–8)
        #[arg(long, default_value = "production", value_parser = parse_category)]
        category: u8,
    },
    /// List organizations
    List,
    /// Show one organization by reference code
    Show { reference: String },
}

#[derive(Subcommand, Debug)]
pub enum RequestCmd {
    /// List requests
    List,
    /// Show a request with its persons and their permit states
    Show { id: i64 },
    /// Area police: record a resident's request (one person)
    Resident(Box<ResidentArgs>),
    /// Attach a supporting document (scan, PDF…) to a request
    Attach {
        id: i64,
        file: PathBuf,
        /// Media type (default: from the file name)
        #[arg(long)]
        mime: Option<String>,
    },
    /// List the documents attached to a request
    Attachments { id: i64 },
    /// Save an attached document to a file
    SaveAttachment {
        attachment: i64,
        #[arg(long, short = 'o')]
        output: PathBuf,
    },
    /// Area police: record residents' requests from a list file (every row must be valid)
    Residents {
        file: PathBuf,
        /// A note on the request (e.g. the residential group)
        #[arg(long)]
        note: Option<String>,
        /// Permit category of the whole request (see `request resident --help`)
        #[arg(long, default_value = "urgent-personal", value_parser = parse_category)]
        category: u8,
    },
}

#[derive(Args, Debug)]
pub struct ResidentArgs {
    /// Full name, with diacritics
    #[arg(long)]
    pub name: String,
    /// ID document number (CCCD, CMND, passport)
    #[arg(long)]
    pub id: String,
    /// Document type when it is not a CCCD/CMND/Vietnamese passport, e.g. "Hộ chiếu Hàn Quốc"
    #[arg(long)]
    pub id_label: Option<String>,
    /// Date of birth, dd/mm/yyyy
    #[arg(long)]
    pub dob: String,
    /// nam / nữ (male / female)
    #[arg(long)]
    pub sex: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub residence: Option<String>,
    #[arg(long)]
    pub workplace: Option<String>,
    #[arg(long)]
    pub purpose: Option<String>,
    /// Area or route
    #[arg(long)]
    pub area: Option<String>,
    /// Valid from, dd/mm/yyyy
    #[arg(long)]
    pub from: Option<String>,
    /// Valid to, dd/mm/yyyy
    #[arg(long)]
    pub to: Option<String>,
    /// A note on the request
    #[arg(long)]
    pub note: Option<String>,
    /// Permit category: urgent-personal, health, essential-goods, … (or the code 0–8)
    #[arg(long, default_value = "urgent-personal", value_parser = parse_category)]
    pub category: u8,
}

pub fn parse_category(s: &str) -> Result<u8, String> {
    permit::category::parse(s).ok_or_else(|| {
        let names: Vec<&str> = permit::category::ALL
            .iter()
            .filter_map(|c| permit::category::slug(*c))
            .collect();
        format!(
            "«{s}» không phải diện cấp giấy; dùng một trong: {}",
            names.join(", ")
        )
    })
}

pub fn parse_revocation_reason(s: &str) -> Result<u8, String> {
    use permit::revocation::reason::*;
    Ok(match s.trim().to_ascii_lowercase().as_str() {
        "other" => OTHER,
        "lost" => LOST,
        "left" | "left-organization" => LEFT_ORGANIZATION,
        "wrong-data" => WRONG_DATA,
        "reissued" => REISSUED,
        "key-compromised" => KEY_COMPROMISED,
        "retired" | "workstation-retired" => WORKSTATION_RETIRED,
        _ => {
            return Err(format!(
                "«{s}»: dùng lost, left, wrong-data, reissued, key-compromised, retired hoặc other"
            ))
        }
    })
}

#[derive(Subcommand, Debug)]
pub enum ListCmd {
    /// Validate a list file (.xlsx, .xls, .csv) without any database
    Check { file: PathBuf },
    /// Import a list file as a request of an organization
    Import {
        file: PathBuf,
        /// Organization reference code
        #[arg(long)]
        org: String,
    },
}

#[derive(Args, Debug)]
pub struct PermitIds {
    /// Permit ids
    #[arg(required = true)]
    pub ids: Vec<i64>,
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    /// Permit ids
    pub ids: Vec<i64>,
    /// Approve every pending permit of this request instead
    #[arg(long, conflicts_with = "ids")]
    pub request: Option<i64>,
}

#[derive(Args, Debug)]
pub struct RejectArgs {
    /// Permit ids
    pub ids: Vec<i64>,
    /// Reject every pending permit of this request instead
    #[arg(long, conflicts_with = "ids")]
    pub request: Option<i64>,
    /// Reason, sent to the organization (required)
    #[arg(long)]
    pub reason: String,
}

#[derive(Args, Debug)]
pub struct DecideManyArgs {
    /// Permits to approve (comma-separated or repeated)
    #[arg(long, value_delimiter = ',')]
    pub approve: Vec<i64>,
    /// A permit to reject, as ID:REASON (repeat for each)
    #[arg(long, value_parser = parse_rejection)]
    pub reject: Vec<(i64, String)>,
}

fn parse_rejection(s: &str) -> Result<(i64, String), String> {
    let (id, reason) = s
        .split_once(':')
        .ok_or_else(|| format!("«{s}»: ghi theo dạng SỐ_GIẤY:LÝ_DO"))?;
    let id = id
        .trim()
        .parse()
        .map_err(|_| format!("«{id}» không phải số giấy"))?;
    Ok((id, reason.trim().to_string()))
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    pub id: i64,
    #[arg(long)]
    pub reason: String,
    /// Reason code carried by the revocation list: lost, left, wrong-data, reissued, other
    #[arg(long, default_value = "other", value_parser = parse_revocation_reason)]
    pub code: u8,
}

#[derive(Subcommand, Debug)]
pub enum RevocationsCmd {
    /// Sign the list of this ward's revoked permits with the workstation key (ward police,
    /// admin); with --city, republish the city's list signed by the root
    Export {
        /// Where to write the list (default: standard output; with --city: the list file itself)
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// File holding the workstation key's passphrase (else GDD_KEY_PASSPHRASE, else a prompt)
        #[arg(long)]
        key_passphrase_file: Option<PathBuf>,
        /// City administrator: re-sign the city's list (same entries, next number, new date)
        /// so checkpoints see a fresh list; entries are added with `gdd city revoke`
        #[arg(long, requires = "list")]
        city: bool,
        /// The city's revocation list file (with --city)
        #[arg(long)]
        list: Option<PathBuf>,
        /// The city root key (with --city)
        #[arg(long, default_value = "city-root.key")]
        key: PathBuf,
        /// The root's passphrase file (with --city; else GDD_CITY_PASSPHRASE, else a prompt)
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct ExpireArgs {
    /// Date to expire against (yyyy-mm-dd; default today)
    #[arg(long)]
    pub today: Option<String>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    pub query: String,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 20)]
    pub per_page: u32,
}

#[derive(Args, Debug)]
pub struct StampArgs {
    /// Permit ids
    #[arg(required = true)]
    pub ids: Vec<i64>,
    /// File holding the workstation key's passphrase (else GDD_KEY_PASSPHRASE, else a prompt)
    #[arg(long)]
    pub key_passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ActivationCmd {
    /// Generate this workstation's signing key, sealed under a new passphrase
    Key {
        /// Passphrase file (else GDD_KEY_PASSPHRASE, else a prompt)
        #[arg(long)]
        key_passphrase_file: Option<PathBuf>,
    },
    /// Write the activation request to email to the city
    Request {
        /// Where the city sends the install key (repeat or comma-separate)
        #[arg(long = "email", required = true, value_delimiter = ',')]
        emails: Vec<String>,
        #[arg(long)]
        key_passphrase_file: Option<PathBuf>,
        /// Also write it to this file
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// Install the install key the city sent (a file holding the email text)
    Install { file: PathBuf },
    /// Key, install key and whether this workstation can stamp
    Status,
    /// Backup PC taking over from a copied or restored database: continue as a new
    /// workstation number (then create a key, request and install a new install key)
    Takeover {
        /// The workstation number the city assigned to this PC
        #[arg(long)]
        workstation: u8,
    },
    /// Accept a serial mark refused as far ahead of the database (stamp.serial_mark_ahead),
    /// after checking it: this workstation's next serials continue above it
    AcceptSerialMark,
}

#[derive(Subcommand, Debug)]
pub enum CityCmd {
    /// Create the city root key (encrypted with a passphrase) and print its fingerprint
    Init {
        /// Where to write the key; its public half goes beside it as .pub
        #[arg(long, default_value = "city-root.key")]
        key: PathBuf,
        /// Passphrase file (else GDD_CITY_PASSPHRASE, else a prompt)
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
        /// Low KDF cost: only for tests and demos
        #[arg(long, hide = true)]
        insecure_fast_kdf: bool,
    },
    /// Turn a workstation's activation request into an install key signed by the root
    IssueInstallKey {
        /// The activation request (the email text, as received)
        request: PathBuf,
        #[arg(long, default_value = "city-root.key")]
        key: PathBuf,
        /// Passphrase file (else GDD_CITY_PASSPHRASE, else a prompt)
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
        /// How many days the install key lasts
        #[arg(long, default_value_t = 365)]
        days: u16,
        /// Longest permit validity the ward may issue, in days
        #[arg(long, default_value_t = 31)]
        max_validity_days: u16,
        /// Permit categories allowed (0–15, comma-separated; default all)
        #[arg(long, value_delimiter = ',')]
        categories: Vec<u8>,
        /// Write the install key to this file (default: standard output)
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// Revoke workstation keys and/or permits in the city's signed revocation list
    /// (the list file is read, extended, numbered up and signed again)
    Revoke {
        /// The city's revocation list file (created if missing)
        #[arg(long)]
        list: PathBuf,
        /// A workstation key id (16 hex digits, `gdd activation status` shows it)
        #[arg(long = "key-id")]
        key_ids: Vec<String>,
        /// An install key file: revoke the workstation key it certifies
        #[arg(long = "install-key")]
        install_keys: Vec<PathBuf>,
        /// A permit serial (WWWWW-NN-SSSSSS)
        #[arg(long = "serial")]
        serials: Vec<String>,
        /// lost, left, wrong-data, reissued, key-compromised, retired, other
        #[arg(long, default_value = "key-compromised", value_parser = parse_revocation_reason)]
        code: u8,
        /// Reason text shown at checkpoints
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "city-root.key")]
        key: PathBuf,
        /// Passphrase file (else GDD_CITY_PASSPHRASE, else a prompt)
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The token (`GD1:…`, quoted: it contains spaces) or a picture file with the QR
    pub input: String,
    /// Verify as of this time (RFC 3339, e.g. 2026-12-01T08:00:00+07:00; default now)
    #[arg(long)]
    pub at: Option<String>,
    /// Signed revocation list(s) to apply (repeatable)
    #[arg(long = "revocations")]
    pub revocations: Vec<PathBuf>,
    /// Also trust this root public key file (64 hex digits): for test vectors
    /// and interoperability checks; the built-in roots are always trusted
    #[arg(long = "root")]
    pub roots: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the hash chain: detects edited, deleted or reordered entries
    Verify,
    /// Show the latest entries
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Output file (default: standard output, as CSV)
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// xlsx (every cell text, nothing evaluated: the default for a file) or csv
    /// (the default on standard output); default from the file's extension
    #[arg(long, value_parser = ["xlsx", "csv"])]
    pub format: Option<String>,
    /// Only permits in this state
    #[arg(long)]
    pub state: Option<String>,
    /// Only permits of this request
    #[arg(long)]
    pub request: Option<i64>,
    /// Only permits of this organization (reference code)
    #[arg(long)]
    pub org: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum PrintCmd {
    /// Write stamped permits to a PDF file (A4 4-up, A5 2-up or A6); marks nothing printed
    Pdf {
        #[command(flatten)]
        select: PrintSelect,
        /// Sheet layout: a4-4, a5-2, a6
        #[arg(long, default_value = "a4-4")]
        layout: String,
        /// Output PDF file
        #[arg(long, short = 'o')]
        output: PathBuf,
    },
    /// Printers this computer can print to
    Printers,
    /// Print permits as a job and wait for the printer; marked printed only when it completed
    Send {
        #[command(flatten)]
        select: PrintSelect,
        /// Printer name (see `gdd print printers`)
        #[arg(long)]
        printer: String,
        #[arg(long, default_value_t = 1)]
        copies: u32,
        /// Sheet layout: a4-4, a5-2, a6
        #[arg(long, default_value = "a4-4")]
        layout: String,
        /// Seconds to wait for the printer
        #[arg(long, default_value_t = 180)]
        timeout: u64,
    },
    /// Print jobs, newest first
    Jobs,
    /// Print a failed job again (same permits, printer, layout and copies)
    Retry {
        job: i64,
        /// Seconds to wait for the printer
        #[arg(long, default_value_t = 180)]
        timeout: u64,
    },
}

/// Which permits to print: one of a request, an organization, a state, or permit ids.
#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
pub struct PrintSelect {
    /// Every printable permit of this request
    #[arg(long)]
    pub request: Option<i64>,
    /// Every printable permit of this organization (reference code, e.g. DN-7KQ3M)
    #[arg(long)]
    pub org: Option<String>,
    /// Every permit in this state: stamped (originals), printed or delivered (reprints)
    #[arg(long)]
    pub state: Option<String>,
    /// Permit ids
    pub ids: Vec<i64>,
}
