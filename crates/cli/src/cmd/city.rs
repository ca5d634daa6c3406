//! The city administrator's commands: root key, install keys.

use super::Ctx;
use crate::args::CityCmd;
use crate::output::emit;
use anyhow::{bail, Context as _};
use city::IssueOptions;
use keystore::{KdfParams, PassphraseSource, ENV_CITY_PASSPHRASE};
use permit::revocation::{Reason, RevokedKey, RevokedPermit};
use permit::{CategorySet, Certificate, KeyId, Serial};
use std::path::Path;

fn root_passphrase(file: Option<&Path>) -> anyhow::Result<keystore::Passphrase> {
    Ok(PassphraseSource {
        file,
        env_var: Some(ENV_CITY_PASSPHRASE),
        prompt: "Mật khẩu khóa gốc thành phố: ",
    }
    .resolve()?)
}

/// `gdd revocations export --city`: the city's list again, same entries, the
/// next number and today's date, so a checkpoint can tell it is current.
pub fn republish(
    ctx: &Ctx,
    list: &Path,
    output: Option<&Path>,
    key: &Path,
    passphrase_file: Option<&Path>,
) -> anyhow::Result<()> {
    let previous = std::fs::read_to_string(list)
        .with_context(|| format!("không đọc được danh sách thu hồi {}", list.display()))?;
    let root = city::load_root(key, &root_passphrase(passphrase_file)?)?;
    let signed = city::extend_city_list(
        Some(&previous),
        &root,
        city::Revocations::default(),
        time::OffsetDateTime::now_utc(),
    )?;
    let target = output.unwrap_or(list);
    // The list itself is meant to be replaced; another output file only with --force.
    let opts = ctx.output_opts(None).force(ctx.force || output.is_none());
    outfile::write(target, signed.to_text().as_bytes(), &opts)?;
    let c = signed.content();
    emit(
        ctx.json,
        &serde_json::json!({
            "list": target,
            "number": c.number,
            "keys": c.keys.len(),
            "permits": c.permits.len(),
        }),
        |_| {
            println!(
                "Đã ký lại danh sách thu hồi của thành phố: số {}, {} khóa máy trạm, {} giấy — {}.",
                c.number,
                c.keys.len(),
                c.permits.len(),
                target.display()
            )
        },
    )
}

pub fn city(ctx: &Ctx, c: CityCmd) -> anyhow::Result<()> {
    match c {
        CityCmd::Init {
            key,
            passphrase_file,
            insecure_fast_kdf,
        } => {
            let pass = PassphraseSource {
                file: passphrase_file.as_deref(),
                env_var: Some(ENV_CITY_PASSPHRASE),
                prompt: "Mật khẩu mới cho khóa gốc thành phố: ",
            }
            .resolve_new()?;
            let params = if insecure_fast_kdf {
                KdfParams::INSECURE_FAST
            } else {
                KdfParams::STRONG
            };
            let info = city::init_root(&key, &pass, params)?;
            emit(
                ctx.json,
                &serde_json::json!({
                    "key_file": info.key_file,
                    "public_file": info.public_file,
                    "public_key": info.public_hex,
                    "fingerprint": info.fingerprint,
                }),
                |_| {
                    println!("Đã tạo khóa gốc thành phố: {}", info.key_file.display());
                    println!("Khóa công khai: {} (đưa vào assets/trust/city-root.pub khi đóng gói bản phát hành)", info.public_file.display());
                    println!("Dấu vân tay: {}", info.fingerprint);
                    println!("Cất tệp khóa và mật khẩu ở nơi an toàn, không nối mạng.");
                },
            )
        }
        CityCmd::IssueInstallKey {
            request,
            key,
            passphrase_file,
            days,
            max_validity_days,
            categories,
            output,
        } => {
            let text = std::fs::read_to_string(&request).with_context(|| {
                format!("không đọc được yêu cầu kích hoạt {}", request.display())
            })?;
            if categories.iter().any(|c| *c > 15) {
                bail!("mã diện cấp phải từ 0 đến 15");
            }
            if let Some(path) = &output {
                outfile::check(path, &ctx.output_opts(None))?;
            }
            let root = city::load_root(&key, &root_passphrase(passphrase_file.as_deref())?)?;
            let issued = city::issue_install_key(
                &text,
                &root,
                IssueOptions {
                    valid_from: store::today_vn(),
                    valid_days: days,
                    categories: if categories.is_empty() {
                        CategorySet::ALL
                    } else {
                        CategorySet::of(&categories)
                    },
                    max_validity_days,
                },
            )?;
            if let Some(path) = &output {
                ctx.write_output(None, path, issued.text.as_bytes())?;
            }
            emit(
                ctx.json,
                &serde_json::json!({
                    "install_key": issued.text,
                    "fingerprint": issued.fingerprint,
                    "contact_emails": issued.contact_emails,
                    "request": issued.request_description,
                }),
                |_| {
                    eprintln!("{}", issued.request_description);
                    eprintln!(
                        "Hãy gọi điện cho phường đối chiếu dấu vân tay khóa {} trước khi gửi khóa cài đặt tới: {}",
                        issued.fingerprint,
                        issued.contact_emails.join(", ")
                    );
                    if output.is_none() {
                        println!("{}", issued.text);
                    }
                },
            )
        }
        CityCmd::Revoke {
            list,
            key_ids,
            install_keys,
            serials,
            code,
            reason,
            key,
            passphrase_file,
        } => {
            let reason = Reason {
                code,
                text: vntext::clean(&reason),
            };
            let mut add = city::Revocations::default();
            for k in &key_ids {
                let key_id: KeyId = k
                    .parse()
                    .with_context(|| format!("«{k}» không phải mã khóa (16 chữ số hex)"))?;
                add.keys.push(RevokedKey {
                    key_id,
                    reason: reason.clone(),
                });
            }
            for path in &install_keys {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("không đọc được {}", path.display()))?;
                add.keys.push(RevokedKey {
                    key_id: Certificate::from_text(&text)?.key_id(),
                    reason: reason.clone(),
                });
            }
            for s in &serials {
                let serial: Serial = s.parse()?;
                add.permits.push(RevokedPermit {
                    serial,
                    reason: reason.clone(),
                });
            }
            if add.keys.is_empty() && add.permits.is_empty() {
                bail!("cần ít nhất một --key-id, --install-key hoặc --serial");
            }
            let previous = match std::fs::read_to_string(&list) {
                Ok(t) => Some(t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(e).with_context(|| format!("không đọc được {}", list.display()))
                }
            };
            let root = city::load_root(&key, &root_passphrase(passphrase_file.as_deref())?)?;
            let signed = city::extend_city_list(
                previous.as_deref(),
                &root,
                add,
                time::OffsetDateTime::now_utc(),
            )?;
            // The city's list file is meant to be extended in place.
            outfile::write(
                &list,
                signed.to_text().as_bytes(),
                &ctx.output_opts(None).force(true),
            )?;
            let c = signed.content();
            emit(
                ctx.json,
                &serde_json::json!({
                    "list": list,
                    "number": c.number,
                    "keys": c.keys.len(),
                    "permits": c.permits.len(),
                }),
                |_| {
                    println!(
                        "Danh sách thu hồi của thành phố số {}: {} khóa máy trạm, {} giấy — đã ghi {}. Gửi cho các phường và chốt kiểm soát.",
                        c.number,
                        c.keys.len(),
                        c.permits.len(),
                        list.display()
                    );
                },
            )
        }
    }
}
