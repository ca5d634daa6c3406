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
        return Ok(text.trim_end_matches(['\r', '\n']).to_string());
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
