//! Where passwords come from: a file (scripts and tests), an environment
//! variable, or a prompt on the terminal — never a command-line argument,
//! which other users of the PC could read from the process list.

use anyhow::{bail, Context};
use std::path::Path;

/// Read a secret: from `file` if given, else from the environment variable
/// `env_var`, else by prompting (no echo). The trailing newline of a file is dropped.
pub fn read_secret(file: Option<&Path>, env_var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được tệp mật khẩu {}", path.display()))?;
        return Ok(clean_file_secret(&text).to_string());
    }
    if let Ok(value) = std::env::var(env_var) {
        return Ok(value);
    }
    match rpassword::prompt_password(prompt) {
        Ok(p) => Ok(p),
        Err(_) => bail!(
            "cần mật khẩu: nhập khi được hỏi, hoặc dùng biến môi trường {env_var} hay --password-file"
        ),
    }
}

/// What a secret file holds, without the BOM and the trailing line break an editor adds.
fn clean_file_secret(text: &str) -> &str {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_end_matches(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_line_break_of_a_file_are_not_part_of_the_secret() {
        assert_eq!(clean_file_secret("\u{feff}demo1234\r\n"), "demo1234");
        assert_eq!(clean_file_secret("demo1234\n"), "demo1234");
        assert_eq!(clean_file_secret(" có dấu cách "), " có dấu cách ");
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pw.txt");
        std::fs::write(&f, "\u{feff}demo1234\r\n").unwrap();
        assert_eq!(
            read_secret(Some(&f), "GDD_TEST_UNSET", "").unwrap(),
            "demo1234"
        );
    }
}
