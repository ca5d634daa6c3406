//! One function per subcommand; each opens what it needs, calls the library and prints.

mod activation;
mod admin;
mod city;
mod decide;
mod list;
mod print;
mod query;
mod verify;

use crate::args::{Cli, Command};
use crate::secret::read_secret;
use anyhow::{bail, Context as _};
use std::path::PathBuf;
use std::process::ExitCode;
use store::{Session, Store};

/// The longest a command waits for a throttled login before giving up with `auth.throttled`.
const MAX_LOGIN_WAIT_SECS: u64 = 60;

/// What every command can reach: the global flags, and the store opened on first use.
pub struct Ctx {
    pub json: bool,
    /// `--force`: an existing output file may be replaced.
    pub force: bool,
    db: Option<PathBuf>,
    user: Option<String>,
    password_file: Option<PathBuf>,
}

impl Ctx {
    pub fn open(&self) -> anyhow::Result<Store> {
        let path = store::resolve_db_path(self.db.clone());
        Store::open(&path).with_context(|| format!("cơ sở dữ liệu {}", path.display()))
    }

    /// How an output file may be written: never over the database (with its key and serial
    /// mark when `store` is open) and an existing file only with `--force`.
    pub fn output_opts(&self, store: Option<&Store>) -> outfile::Options {
        let protected = match store {
            Some(s) => s.protected_files(),
            None => store::database_files(&store::resolve_db_path(self.db.clone())),
        };
        outfile::Options::new().force(self.force).protect(protected)
    }

    /// Write one output file (see [`Ctx::output_opts`]).
    pub fn write_output(
        &self,
        store: Option<&Store>,
        path: &std::path::Path,
        bytes: &[u8],
    ) -> anyhow::Result<()> {
        outfile::write(path, bytes, &self.output_opts(store))?;
        Ok(())
    }

    /// Open the store and log in as the acting user (`--user`, `GDD_USER`).
    pub fn login(&self) -> anyhow::Result<(Store, Session)> {
        let store = self.open()?;
        let Some(user) = self.user.as_deref() else {
            bail!("cần người thực hiện: dùng --user TÊN_ĐĂNG_NHẬP hoặc biến môi trường GDD_USER");
        };
        let password = read_secret(
            self.password_file.as_deref(),
            "GDD_PASSWORD",
            &format!("Mật khẩu của {user}: "),
        )?;
        let session = match store.login(user, &password) {
            // Each try after repeated failures waits its turn, then is checked.
            Err(store::StoreError::Throttled { wait_secs }) if wait_secs <= MAX_LOGIN_WAIT_SECS => {
                eprintln!("Đăng nhập sai nhiều lần: đợi {wait_secs} giây rồi thử lại…");
                std::thread::sleep(std::time::Duration::from_secs(wait_secs));
                store.login(user, &password)?
            }
            other => other?,
        };
        Ok((store, session))
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Ctx {
        json: cli.json,
        force: cli.force,
        db: cli.db,
        user: cli.user,
        password_file: cli.password_file,
    };
    match cli.command {
        Command::Init(a) => admin::init(&ctx, a),
        Command::Demo => admin::demo(&ctx),
        Command::Status => admin::status(&ctx),
        Command::User(c) => admin::user(&ctx, c),
        Command::Org(c) => admin::org(&ctx, c),
        Command::Request(c) => list::request(&ctx, c),
        Command::List(c) => list::list(&ctx, c),
        Command::Check(a) => decide::check(&ctx, a),
        Command::Approve(a) => decide::approve(&ctx, a),
        Command::Reject(a) => decide::reject(&ctx, a),
        Command::Decide(a) => decide::decide(&ctx, a),
        Command::Stamp(a) => activation::stamp(&ctx, a),
        Command::Activation(c) => activation::activation(&ctx, c),
        Command::Print(c) => print::print(&ctx, c),
        Command::MarkPrinted(a) => decide::printed(&ctx, a),
        Command::Deliver(a) => decide::deliver(&ctx, a),
        Command::Revoke(a) => decide::revoke(&ctx, a),
        Command::Revocations(c) => activation::revocations(&ctx, c),
        Command::Expire(a) => decide::expire(&ctx, a),
        Command::Search(a) => query::search(&ctx, a),
        Command::City(c) => city::city(&ctx, c),
        Command::Verify(a) => return verify::verify(&ctx, a),
        Command::Audit(c) => query::audit(&ctx, c),
        Command::Export(a) => query::export(&ctx, a),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// A new password for someone: file, `GDD_NEW_PASSWORD`, or a prompt.
pub fn new_password(file: Option<&std::path::Path>, whom: &str) -> anyhow::Result<String> {
    read_secret(
        file,
        "GDD_NEW_PASSWORD",
        &format!("Mật khẩu mới cho {whom}: "),
    )
}
