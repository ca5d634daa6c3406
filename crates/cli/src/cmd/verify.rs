//! Checkpoint verification: token text or picture → verdict, offline.

use super::Ctx;
use crate::args::VerifyArgs;
use crate::output::date_vn;
use anyhow::{anyhow, Context as _};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use verify::{RevocationList, TrustAnchor, Verification};

pub fn verify(ctx: &Ctx, a: VerifyArgs) -> anyhow::Result<ExitCode> {
    let at = match a.at.as_deref() {
        Some(t) => OffsetDateTime::parse(t, &Rfc3339).map_err(|e| {
            anyhow!(
                "thời điểm «{t}» không đúng dạng RFC 3339 ({e}), ví dụ 2026-12-01T08:00:00+07:00"
            )
        })?,
        None => OffsetDateTime::now_utc(),
    };
    let mut anchors = store::trust::verifier_anchors()?;
    for path in &a.roots {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được khóa gốc {}", path.display()))?;
        anchors.push(TrustAnchor::production(permit::roots::parse_public_key(
            &text,
        )?));
    }
    let keys: Vec<_> = anchors.iter().map(|r| r.public_key).collect();
    let mut lists = Vec::new();
    for path in &a.revocations {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("không đọc được danh sách thu hồi {}", path.display()))?;
        lists.push(
            RevocationList::from_text(&text, &keys)
                .with_context(|| format!("danh sách thu hồi {} bị từ chối", path.display()))?,
        );
    }
    let tokens = tokens_of(&a.input)?;
    let results: Vec<Verification> = tokens
        .iter()
        .map(|t| verify::verify_with_lists(t, at, &anchors, &lists))
        .collect();
    if ctx.json {
        if let [one] = results.as_slice() {
            println!("{}", serde_json::to_string_pretty(one)?);
        } else {
            println!("{}", serde_json::to_string_pretty(&results)?);
        }
    } else {
        for v in &results {
            print_human(v);
        }
    }
    // Exit 0 only when every permit shown is valid (or demo).
    let ok = results.iter().all(|v| v.verdict.is_accepted());
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The token text given, or the permit tokens found in a picture file.
fn tokens_of(input: &str) -> anyhow::Result<Vec<String>> {
    let path = std::path::Path::new(input);
    if !input.trim_start().starts_with(permit::PREFIX) && path.is_file() {
        let scanned = verify::scan::scan_file(path)?;
        if scanned.tokens.is_empty() {
            return Err(anyhow!(
                "ảnh có {} mã QR nhưng không mã nào là giấy đi đường",
                scanned.others.len()
            ));
        }
        return Ok(scanned.tokens);
    }
    Ok(vec![input.trim().to_string()])
}

fn print_human(v: &Verification) {
    println!(
        "KẾT QUẢ: {} — {}",
        v.verdict.as_str().to_uppercase(),
        v.message
    );
    if let Some(d) = &v.detail {
        println!("  {d}");
    }
    if let Some(f) = &v.fields {
        let id = match &f.id_label {
            Some(label) => format!("{} ({label})", f.id_number),
            None => format!("{} ({})", f.id_number, f.id_type.to_uppercase()),
        };
        let lines = [
            ("Họ và tên", Some(f.holder_name.clone())),
            ("Giấy tờ", Some(id)),
            (
                "Ngày sinh",
                f.date_of_birth.as_ref().map(|d| date_vn(&Some(d.clone()))),
            ),
            ("Tổ chức", f.organization.clone()),
            ("Diện", Some(f.category_name.clone())),
            ("Mục đích", f.purpose.clone()),
            ("Khu vực / lộ trình", Some(f.area.clone())),
            (
                "Hiệu lực",
                Some(format!(
                    "{} – {}",
                    date_vn(&Some(f.valid_from.clone())),
                    date_vn(&Some(f.valid_to.clone()))
                )),
            ),
            ("Khung giờ", f.daily_hours.clone()),
            ("Số giấy", Some(f.serial.clone())),
            (
                "Nơi cấp",
                Some(format!(
                    "phường/xã mã {} (danh mục {}), máy {}",
                    f.ward_code, f.dataset, f.workstation
                )),
            ),
        ];
        for (label, value) in lines {
            if let Some(value) = value {
                println!("  {label}: {value}");
            }
        }
        println!("  → Đối chiếu với CCCD/CMND của người xuất trình.");
    }
    if let Some(r) = &v.revocation {
        println!(
            "  danh sách thu hồi số {} ký lúc {} (cách đây {} giờ)",
            r.list_number,
            r.list_issued_at,
            r.list_age_seconds / 3600
        );
    }
    if v.outside_daily_hours {
        println!("  NGOÀI KHUNG GIỜ được phép đi lại trong ngày");
    }
}
