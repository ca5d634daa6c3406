//! The workstation's key, its activation by the city, and stamping.

use super::Ctx;
use crate::args::{ActivationCmd, RevocationsCmd, StampArgs};
use crate::output::{emit, table};
use anyhow::Context as _;
use keystore::{KdfParams, Passphrase, PassphraseSource, ENV_WORKSTATION_PASSPHRASE};
use std::path::Path;

fn key_passphrase(file: Option<&Path>, new: bool) -> anyhow::Result<Passphrase> {
    let source = PassphraseSource {
        file,
        env_var: Some(ENV_WORKSTATION_PASSPHRASE),
        prompt: if new {
            "Mật khẩu mới cho khóa ký của máy trạm: "
        } else {
            "Mật khẩu khóa ký của máy trạm: "
        },
    };
    Ok(if new {
        source.resolve_new()?
    } else {
        source.resolve()?
    })
}

pub fn stamp(ctx: &Ctx, a: StampArgs) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    if !store.is_activated()? {
        // Refuses with the reason (not activated) before asking for a passphrase.
        store.stamp(&s, &a.ids)?;
    }
    let key =
        store.load_workstation_key(&key_passphrase(a.key_passphrase_file.as_deref(), false)?)?;
    let stamped = store.stamp_with(&s, &a.ids, &key)?;
    emit(ctx.json, &stamped, |stamped| {
        let rows: Vec<Vec<String>> = stamped
            .iter()
            .map(|p| {
                vec![
                    p.permit_id.to_string(),
                    p.serial.clone(),
                    if p.already_stamped {
                        "đã đóng dấu từ trước".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        table(&["giấy #", "số sê-ri", ""], &rows);
        let before = stamped.iter().filter(|p| p.already_stamped).count();
        println!(
            "Đã đóng dấu (ký số) {} giấy đi đường{}.",
            stamped.len() - before,
            if before > 0 {
                format!("; {before} giấy đã được đóng dấu từ trước, giữ nguyên số sê-ri")
            } else {
                String::new()
            }
        );
    })
}

pub fn revocations(ctx: &Ctx, c: RevocationsCmd) -> anyhow::Result<()> {
    let RevocationsCmd::Export {
        output,
        key_passphrase_file,
        city,
        list,
        key,
        passphrase_file,
    } = c;
    if city {
        let list = list.context("--city cần --list TỆP_DANH_SÁCH")?;
        return super::city::republish(
            ctx,
            &list,
            output.as_deref(),
            &key,
            passphrase_file.as_deref(),
        );
    }
    let (store, s) = ctx.login()?;
    // Refused before the list takes its number: nothing is published half-way.
    if let Some(path) = &output {
        outfile::check(path, &ctx.output_opts(Some(&store)))?;
    }
    let key =
        store.load_workstation_key(&key_passphrase(key_passphrase_file.as_deref(), false)?)?;
    let list = store.export_revocations(&s, &key)?;
    if let Some(path) = &output {
        ctx.write_output(Some(&store), path, list.text.as_bytes())?;
    }
    emit(ctx.json, &list, |l| {
        if output.is_none() {
            println!("{}", l.text);
        }
        eprintln!(
            "Danh sách thu hồi số {} ({} giấy), ký bằng khóa máy trạm {}: gửi cho các chốt kiểm soát khi có mạng.",
            l.number, l.permits, l.key_id
        );
    })
}

pub fn activation(ctx: &Ctx, c: ActivationCmd) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    match c {
        ActivationCmd::Key {
            key_passphrase_file,
        } => {
            let pass = key_passphrase(key_passphrase_file.as_deref(), true)?;
            let info = store.create_workstation_key(&s, &pass, KdfParams::STANDARD)?;
            emit(ctx.json, &info, |i| {
                println!(
                    "Đã tạo khóa ký của máy trạm. Dấu vân tay: {}",
                    i.fingerprint
                );
                if let Some(f) = &i.key_file {
                    println!("Tệp khóa (đã mã hóa): {}", f.display());
                }
            })
        }
        ActivationCmd::Request {
            emails,
            key_passphrase_file,
            output,
        } => {
            if let Some(path) = &output {
                outfile::check(path, &ctx.output_opts(Some(&store)))?;
            }
            let pass = key_passphrase(key_passphrase_file.as_deref(), false)?;
            let request = store.activation_request(&s, &pass, &emails)?;
            let text = request.to_text();
            if let Some(path) = &output {
                ctx.write_output(Some(&store), path, text.as_bytes())?;
            }
            let fingerprint = request.fingerprint().to_string();
            emit(
                ctx.json,
                &serde_json::json!({ "request": text, "fingerprint": fingerprint }),
                |_| {
                    println!("{text}");
                    eprintln!(
                        "Gửi khối trên qua email cho quản trị thành phố; khi họ gọi điện, đọc dấu vân tay {fingerprint}."
                    );
                },
            )
        }
        ActivationCmd::Install { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            let installed = store.install_key(&s, &text, &store::trust::trusted_roots()?)?;
            emit(ctx.json, &installed, |k| {
                println!(
                    "Đã kích hoạt máy trạm: khóa cài đặt hiệu lực {} – {}{}.",
                    k.valid_from,
                    k.valid_to,
                    if k.demo_root {
                        " (GỐC MẪU: giấy ký ra là DEMO)"
                    } else {
                        ""
                    }
                )
            })
        }
        ActivationCmd::Takeover { workstation } => {
            let n = store.take_over_workstation(&s, workstation)?;
            emit(ctx.json, &serde_json::json!({ "workstation": n }), |_| {
                println!("Máy này từ nay là máy trạm số {n}. Tiếp theo: gdd activation key, gdd activation request, rồi cài khóa cài đặt mới của thành phố.");
            })
        }
        ActivationCmd::AcceptSerialMark => {
            let counter = store.accept_serial_mark(&s)?;
            emit(ctx.json, &serde_json::json!({ "counter": counter }), |_| {
                println!("Đã xác nhận tệp số sê-ri: số sê-ri tiếp theo của máy trạm sẽ lớn hơn {counter}.");
            })
        }
        ActivationCmd::Status => {
            let (activated, key, installed) = (
                store.is_activated()?,
                store.workstation_key()?,
                store.installed_key()?,
            );
            let out = serde_json::json!({
                "activated": activated,
                "key": key,
                "install_key": installed,
            });
            emit(ctx.json, &out, |_| {
                match &key {
                    Some(k) => println!("Khóa ký của máy trạm: dấu vân tay {}", k.fingerprint),
                    None => println!("Chưa có khóa ký: gdd activation key"),
                }
                match &installed {
                    Some(i) => println!(
                        "Khóa cài đặt: hiệu lực {} – {}, thời hạn giấy tối đa {} ngày{}",
                        i.valid_from,
                        i.valid_to,
                        i.max_validity_days,
                        if i.demo_root {
                            " (GỐC MẪU: giấy ký ra là DEMO)"
                        } else {
                            ""
                        }
                    ),
                    None => println!("Chưa cài khóa cài đặt của thành phố."),
                }
                println!(
                    "{}",
                    if activated {
                        "Máy trạm đã kích hoạt: công an phường có thể đóng dấu."
                    } else {
                        "Máy trạm CHƯA kích hoạt: chưa đóng dấu được."
                    }
                );
            })
        }
    }
}
