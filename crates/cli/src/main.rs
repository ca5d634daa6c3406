//! `gdd`: the headless CLI of the ward travel-permit system. A thin binary:
//! it parses arguments, calls the library crates and prints the result.

mod args;
mod cmd;
mod output;
mod secret;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    reset_sigpipe();
    let cli = args::Cli::parse();
    let json = cli.json;
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            report(&err, json);
            ExitCode::FAILURE
        }
    }
}

/// `gdd search … | head` must end quietly, not panic on a closed pipe: take
/// the default action of SIGPIPE like other Unix tools (Rust ignores it).
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Errors go to stderr: the stable code first (for scripts), then the message
/// a ward official can act on. With `--json`, as a JSON object.
fn report(err: &anyhow::Error, json: bool) {
    let code = error_code(err);
    let message = message(err);
    if json {
        let value = serde_json::json!({ "error": { "code": code, "message": message } });
        eprintln!("{value}");
    } else {
        eprintln!("lỗi [{code}]: {message}");
    }
}

/// The error and its causes, each once: library errors often already quote
/// their source in their own message.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

fn error_code(err: &anyhow::Error) -> String {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<printjob::PrintJobError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<printing::PrintError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<permitpdf::PdfError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<outfile::OutputError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<store::StoreError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<listimport::ImportError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<listimport::InvalidRow>() {
            return e.code.clone();
        }
        if let Some(e) = cause.downcast_ref::<city::CityError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<keystore::KeyError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<keystore::RequestError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<verify::scan::ScanError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<permit::PermitError>() {
            return e.code().into();
        }
        if let Some(e) = cause.downcast_ref::<identity::ValidationError>() {
            return e.code().into();
        }
    }
    "cli.error".into()
}
