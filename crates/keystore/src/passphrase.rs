//! Passphrases: where they come from (file, environment variable, prompt),
//! how they are normalized (NFC, so Vietnamese typed as NFD on Windows opens the
//! same key), and what a NEW passphrase must look like.

use std::fmt;
use std::io;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::KeyError;

/// Fewest characters (after NFC) a new passphrase may have.
pub const MIN_CHARS: usize = 12;
/// Most characters a passphrase may have (bounds the work done on garbage input).
pub const MAX_CHARS: usize = 256;
/// Fewest different characters a new passphrase must use.
pub const MIN_DISTINCT: usize = 6;
/// How many times a new passphrase is asked at the prompt before giving up.
pub const NEW_PASSPHRASE_ATTEMPTS: usize = 3;
/// Environment variable scripts use for the city root key's passphrase.
pub const ENV_CITY_PASSPHRASE: &str = "GDD_CITY_PASSPHRASE";
/// Environment variable scripts use for a workstation key's passphrase.
pub const ENV_WORKSTATION_PASSPHRASE: &str = "GDD_KEY_PASSPHRASE";
/// Largest passphrase file read.
const MAX_FILE_BYTES: u64 = 4096;

/// Letters-only skeletons of passphrases that attackers try first: a new
/// passphrase whose letters, folded (no diacritics, đ→d, lowercase), are one of
/// these is refused whatever digits or symbols surround them ("Matkhau@2025").
const COMMON_BASES: &[&str] = &[
    "matkhau",
    "password",
    "passwd",
    "pass",
    "admin",
    "administrator",
    "root",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "abc",
    "abcd",
    "abcdef",
    "abcdefgh",
    "iloveyou",
    "letmein",
    "welcome",
    "congan",
    "ubnd",
    "hanoi",
    "vietnam",
    "gdd",
    "giaydiduong",
    "khoa",
    "khoagoc",
    "matma",
    "bimat",
    "xinchao",
    "phuong",
    "quantri",
];

/// A passphrase held in memory that is wiped when dropped, already NFC-normalized.
pub struct Passphrase(Zeroizing<String>);

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

/// Why a new passphrase is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassphraseProblem {
    TooShort { chars: usize },
    TooLong { chars: usize },
    EdgeWhitespace,
    ControlChar,
    TooFewDistinct { distinct: usize },
    NoLetter,
    Common,
}

impl PassphraseProblem {
    pub fn code(&self) -> &'static str {
        match self {
            PassphraseProblem::TooShort { .. } => "passphrase.too_short",
            PassphraseProblem::TooLong { .. } => "passphrase.too_long",
            PassphraseProblem::EdgeWhitespace => "passphrase.edge_whitespace",
            PassphraseProblem::ControlChar => "passphrase.control_char",
            PassphraseProblem::TooFewDistinct { .. } => "passphrase.too_few_distinct",
            PassphraseProblem::NoLetter => "passphrase.no_letter",
            PassphraseProblem::Common => "passphrase.common",
        }
    }
}

impl fmt::Display for PassphraseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PassphraseProblem::TooShort { chars } => write!(
                f,
                "mới có {chars} ký tự, cần ít nhất {MIN_CHARS}. Nên dùng một câu dễ nhớ, \
                 có thể gõ tiếng Việt có dấu, ví dụ «Cây đa đầu làng năm 1975»"
            ),
            PassphraseProblem::TooLong { chars } => {
                write!(f, "dài {chars} ký tự, tối đa {MAX_CHARS}")
            }
            PassphraseProblem::EdgeWhitespace => write!(
                f,
                "có dấu cách ở đầu hoặc cuối — rất dễ quên khi nhập lại; bỏ dấu cách đó đi"
            ),
            PassphraseProblem::ControlChar => {
                write!(
                    f,
                    "có ký tự điều khiển (xuống dòng, tab…), không gõ lại được"
                )
            }
            PassphraseProblem::TooFewDistinct { distinct } => write!(
                f,
                "chỉ dùng {distinct} ký tự khác nhau, cần ít nhất {MIN_DISTINCT}"
            ),
            PassphraseProblem::NoLetter => write!(
                f,
                "chỉ có chữ số và ký hiệu; một dãy số (số CCCD, số điện thoại, ngày sinh) \
                 rất dễ đoán — thêm chữ cái"
            ),
            PassphraseProblem::Common => write!(
                f,
                "dựa trên một mật khẩu phổ biến (như «matkhau», «admin», «hanoi») mà kẻ gian \
                 thử đầu tiên — chọn câu khác"
            ),
        }
    }
}

impl Passphrase {
    /// Wrap a passphrase, NFC-normalizing it. Nothing else is changed: spaces and
    /// letter case are part of the passphrase.
    pub fn new(text: &str) -> Self {
        Passphrase(Zeroizing::new(vntext::nfc(text)))
    }

    /// Read the environment variable `var`: `Ok(None)` if it is not set.
    pub fn from_env(var: &str) -> Result<Option<Self>, KeyError> {
        match std::env::var_os(var) {
            None => Ok(None),
            Some(os) => {
                let value = Zeroizing::new(os.into_string().map_err(|bad| {
                    drop(Zeroizing::new(bad.into_encoded_bytes()));
                    KeyError::PassphraseEnv(var.to_string())
                })?);
                if value.is_empty() {
                    return Err(KeyError::PassphraseEnv(var.to_string()));
                }
                Ok(Some(Passphrase::new(&value)))
            }
        }
    }

    /// Read a passphrase file (for scripts and tests): UTF-8, a leading byte-order
    /// mark (Windows Notepad) and trailing line ends are dropped.
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let fail = |message: String| KeyError::PassphraseFile {
            path: path.to_path_buf(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(fail(format!(
                "tệp quá lớn ({} byte), một tệp mật khẩu chỉ chứa một dòng",
                meta.len()
            )));
        }
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| fail(e.to_string()))?);
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| fail("không phải văn bản UTF-8".to_string()))?;
        let text = text
            .strip_prefix('\u{FEFF}')
            .unwrap_or(text)
            .trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            return Err(fail("tệp rỗng".to_string()));
        }
        Ok(Passphrase::new(text))
    }

    /// Ask on the terminal without echo; with `confirm`, ask twice and require
    /// the same answer (for a new passphrase).
    pub fn prompt(message: &str, confirm: bool) -> Result<Self, KeyError> {
        prompt_with(|m| rpassword::prompt_password(m), message, confirm)
    }

    /// Check the rules for a NEW passphrase (see docs/keys.md). Opening an
    /// existing key never applies them.
    pub fn check_new(&self) -> Result<(), KeyError> {
        check_rules(&self.0).map_err(KeyError::WeakPassphrase)
    }

    /// The NFC passphrase bytes, as fed to the key derivation.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

fn prompt_with(
    mut read: impl FnMut(&str) -> io::Result<String>,
    message: &str,
    confirm: bool,
) -> Result<Passphrase, KeyError> {
    let unavailable = |e: io::Error| KeyError::PassphraseUnavailable {
        sources: String::new(),
        message: e.to_string(),
    };
    let first = Zeroizing::new(read(message).map_err(unavailable)?);
    if confirm {
        let second = Zeroizing::new(read("Nhập lại mật khẩu để xác nhận: ").map_err(unavailable)?);
        // Compare after NFC: the two entries may come from different keyboards.
        if vntext::nfc(&first) != vntext::nfc(&second) {
            return Err(KeyError::PassphraseMismatch);
        }
    }
    Ok(Passphrase::new(&first))
}

fn check_rules(p: &str) -> Result<(), PassphraseProblem> {
    let chars = p.chars().count();
    if chars < MIN_CHARS {
        return Err(PassphraseProblem::TooShort { chars });
    }
    if chars > MAX_CHARS {
        return Err(PassphraseProblem::TooLong { chars });
    }
    if p.chars().any(char::is_control) {
        return Err(PassphraseProblem::ControlChar);
    }
    if p.trim() != p {
        return Err(PassphraseProblem::EdgeWhitespace);
    }
    let mut distinct: Vec<char> = p.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < MIN_DISTINCT {
        return Err(PassphraseProblem::TooFewDistinct {
            distinct: distinct.len(),
        });
    }
    if !p.chars().any(char::is_alphabetic) {
        return Err(PassphraseProblem::NoLetter);
    }
    let letters = Zeroizing::new(
        vntext::fold(p)
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect::<String>(),
    );
    if COMMON_BASES.contains(&letters.as_str()) {
        return Err(PassphraseProblem::Common);
    }
    Ok(())
}

/// Where a passphrase comes from, in priority order: a file, then an
/// environment variable, then a prompt on the terminal. Never a command-line
/// argument: other users of the PC can read the process list.
#[derive(Debug, Clone, Default)]
pub struct PassphraseSource<'a> {
    pub file: Option<&'a Path>,
    pub env_var: Option<&'a str>,
    /// What the prompt says, e.g. "Mật khẩu khóa gốc thành phố: ".
    pub prompt: &'a str,
}

impl PassphraseSource<'_> {
    /// The passphrase of an existing key.
    pub fn resolve(&self) -> Result<Passphrase, KeyError> {
        self.resolve_with(false, |m| rpassword::prompt_password(m))
    }

    /// A new passphrase: asked twice when prompted, and checked against the rules
    /// whatever its source.
    ///
    /// At the prompt, a refused or mismatched passphrase is explained on the
    /// terminal and asked again, up to [`NEW_PASSPHRASE_ATTEMPTS`] times.
    pub fn resolve_new(&self) -> Result<Passphrase, KeyError> {
        self.resolve_new_with(|m| rpassword::prompt_password(m), |e| eprintln!("{e}"))
    }

    fn resolve_new_with(
        &self,
        mut read: impl FnMut(&str) -> io::Result<String>,
        mut tell: impl FnMut(&KeyError),
    ) -> Result<Passphrase, KeyError> {
        let mut attempt = 1;
        loop {
            let result = self
                .resolve_with(true, &mut read)
                .and_then(|p| p.check_new().map(|()| p));
            let retry = matches!(
                result,
                Err(KeyError::WeakPassphrase(_) | KeyError::PassphraseMismatch)
            ) && self.will_prompt()
                && attempt < NEW_PASSPHRASE_ATTEMPTS;
            match result {
                Err(e) if retry => tell(&e),
                other => return other,
            }
            attempt += 1;
        }
    }

    /// Whether resolving would ask on the terminal (no file, variable unset).
    fn will_prompt(&self) -> bool {
        self.file.is_none() && self.env_var.is_none_or(|v| std::env::var_os(v).is_none())
    }

    fn resolve_with(
        &self,
        confirm: bool,
        read: impl FnMut(&str) -> io::Result<String>,
    ) -> Result<Passphrase, KeyError> {
        if let Some(path) = self.file {
            return Passphrase::from_file(path);
        }
        if let Some(var) = self.env_var {
            if let Some(p) = Passphrase::from_env(var)? {
                return Ok(p);
            }
        }
        prompt_with(read, self.prompt, confirm).map_err(|e| match e {
            KeyError::PassphraseUnavailable { message, .. } => KeyError::PassphraseUnavailable {
                sources: self.other_sources(),
                message,
            },
            other => other,
        })
    }

    fn other_sources(&self) -> String {
        match self.env_var {
            Some(var) => format!(", hoặc đặt biến môi trường {var}, hoặc dùng tệp mật khẩu"),
            None => ", hoặc dùng tệp mật khẩu".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn problem(p: &str) -> Option<&'static str> {
        check_rules(&vntext::nfc(p)).err().map(|e| e.code())
    }

    #[test]
    fn rules_for_new_passphrases() {
        assert_eq!(problem("Cây đa đầu làng 1975"), None);
        assert_eq!(problem("correct horse battery"), None);
        assert_eq!(problem("ngắn quá"), Some("passphrase.too_short"));
        // 12 characters only once composed: NFD would be longer but does not count more.
        let eleven: String = "Đặng Thị Th".nfd().collect();
        assert!(eleven.chars().count() >= 12);
        assert_eq!(problem(&eleven), Some("passphrase.too_short"));
        assert_eq!(problem(&"a".repeat(300)), Some("passphrase.too_long"));
        assert_eq!(
            problem(" Cây đa đầu làng"),
            Some("passphrase.edge_whitespace")
        );
        assert_eq!(
            problem("Cây đa đầu làng "),
            Some("passphrase.edge_whitespace")
        );
        assert_eq!(problem("Cây đa\tđầu làng"), Some("passphrase.control_char"));
        assert_eq!(problem("abababababab"), Some("passphrase.too_few_distinct"));
        assert_eq!(problem("001190012345"), Some("passphrase.no_letter"));
        assert_eq!(problem("0912-345-678!"), Some("passphrase.no_letter"));
        assert_eq!(problem("Matkhau@2025!"), Some("passphrase.common"));
        assert_eq!(problem("Mật khẩu 123456"), Some("passphrase.common"));
        assert_eq!(problem("HàNội!2025-09"), Some("passphrase.common"));
    }

    #[test]
    fn nfd_and_nfc_give_the_same_passphrase() {
        let nfc = "Cây đa đầu làng 1975";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(
            Passphrase::new(nfc).as_bytes(),
            Passphrase::new(&nfd).as_bytes()
        );
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        assert_eq!(
            format!("{:?}", Passphrase::new("bí mật lắm")),
            "Passphrase(***)"
        );
    }

    #[test]
    fn file_source_strips_bom_and_line_end_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pass.txt");
        std::fs::write(&path, "\u{FEFF} có dấu cách \r\n").unwrap();
        let p = Passphrase::from_file(&path).unwrap();
        assert_eq!(p.as_bytes(), " có dấu cách ".as_bytes());

        std::fs::write(&path, "\n").unwrap();
        assert_eq!(
            Passphrase::from_file(&path).unwrap_err().code(),
            "passphrase.file_unreadable"
        );
        std::fs::write(&path, [0xff, 0xfe, b'a']).unwrap();
        assert_eq!(
            Passphrase::from_file(&path).unwrap_err().code(),
            "passphrase.file_unreadable"
        );
        let missing = dir.path().join("none.txt");
        assert_eq!(
            Passphrase::from_file(&missing).unwrap_err().code(),
            "passphrase.file_unreadable"
        );
    }

    #[test]
    fn resolver_priority_file_then_env_then_prompt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pass.txt");
        std::fs::write(&path, "từ tệp\n").unwrap();
        // Variable names unique to this test: tests run in parallel threads.
        let var = "KEYSTORE_TEST_RESOLVER_PASS";
        std::env::set_var(var, "từ biến môi trường");
        let never = |_: &str| -> io::Result<String> { panic!("must not prompt") };

        let src = PassphraseSource {
            file: Some(&path),
            env_var: Some(var),
            prompt: "?",
        };
        assert_eq!(
            src.resolve_with(false, never).unwrap().as_bytes(),
            "từ tệp".as_bytes()
        );

        let src = PassphraseSource {
            file: None,
            env_var: Some(var),
            prompt: "?",
        };
        assert_eq!(
            src.resolve_with(false, never).unwrap().as_bytes(),
            "từ biến môi trường".as_bytes()
        );

        let src = PassphraseSource {
            file: None,
            env_var: Some("KEYSTORE_TEST_RESOLVER_UNSET"),
            prompt: "Mật khẩu: ",
        };
        let mut asked = Vec::new();
        let p = src
            .resolve_with(false, |m| {
                asked.push(m.to_string());
                Ok("từ bàn phím".to_string())
            })
            .unwrap();
        assert_eq!(p.as_bytes(), "từ bàn phím".as_bytes());
        assert_eq!(asked, vec!["Mật khẩu: "]);

        std::env::set_var("KEYSTORE_TEST_RESOLVER_EMPTY", "");
        let src = PassphraseSource {
            file: None,
            env_var: Some("KEYSTORE_TEST_RESOLVER_EMPTY"),
            prompt: "?",
        };
        assert_eq!(
            src.resolve_with(false, never).unwrap_err().code(),
            "passphrase.env_invalid"
        );
    }

    #[test]
    fn new_passphrase_prompt_explains_and_asks_again() {
        let src = PassphraseSource {
            file: None,
            env_var: Some("KEYSTORE_TEST_RETRY_UNSET"),
            prompt: "Mật khẩu mới: ",
        };
        // Weak, then mismatched, then good.
        let mut answers: Vec<String> =
            ["matkhau2025!", "matkhau2025!", "Cây đa đầu làng", "Cây đa"]
                .into_iter()
                .chain(["Cây đa đầu làng 1975", "Cây đa đầu làng 1975"])
                .map(String::from)
                .collect();
        let mut told = Vec::new();
        let p = src
            .resolve_new_with(|_| Ok(answers.remove(0)), |e| told.push(e.code()))
            .unwrap();
        assert_eq!(p.as_bytes(), "Cây đa đầu làng 1975".as_bytes());
        assert_eq!(told, vec!["passphrase.common", "passphrase.mismatch"]);

        // Gives up after the last attempt.
        let mut told = 0;
        let e = src
            .resolve_new_with(|_| Ok("ngắn".to_string()), |_| told += 1)
            .unwrap_err();
        assert_eq!(e.code(), "passphrase.too_short");
        assert_eq!(told, NEW_PASSPHRASE_ATTEMPTS - 1);

        // A weak passphrase from a file is refused at once: no one to ask again.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.txt");
        std::fs::write(&path, "ngắn\n").unwrap();
        let src = PassphraseSource {
            file: Some(&path),
            env_var: None,
            prompt: "?",
        };
        let e = src
            .resolve_new_with(|_| panic!("must not prompt"), |_| panic!("must not retry"))
            .unwrap_err();
        assert_eq!(e.code(), "passphrase.too_short");
    }

    proptest::proptest! {
        #[test]
        fn rules_never_panic_and_ignore_normalization_form(s in "\\PC{0,40}") {
            let nfd: String = s.nfd().collect();
            let a = Passphrase::new(&s).check_new().map_err(|e| e.code());
            let b = Passphrase::new(&nfd).check_new().map_err(|e| e.code());
            proptest::prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn prompt_confirmation_and_no_terminal() {
        let mut answers = vec![
            "Cây đa đầu làng".to_string(),
            "Cây đa đầu làng".nfd().collect(),
        ];
        let p = prompt_with(|_| Ok(answers.remove(0)), "?", true).unwrap();
        assert_eq!(p.as_bytes(), "Cây đa đầu làng".as_bytes());

        let mut answers = vec!["một".to_string(), "hai".to_string()];
        let e = prompt_with(|_| Ok(answers.remove(0)), "?", true).unwrap_err();
        assert_eq!(e.code(), "passphrase.mismatch");

        let src = PassphraseSource {
            file: None,
            env_var: Some("KEYSTORE_TEST_NO_TTY_UNSET"),
            prompt: "?",
        };
        let e = src
            .resolve_with(true, |_| Err(io::Error::other("no tty")))
            .unwrap_err();
        assert_eq!(e.code(), "passphrase.unavailable");
        assert!(e.to_string().contains("KEYSTORE_TEST_NO_TTY_UNSET"), "{e}");
    }
}
