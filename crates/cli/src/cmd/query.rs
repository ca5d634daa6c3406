//! Reading: search, the audit trail, CSV export.

use super::Ctx;
use crate::args::{AuditCmd, ExportArgs, SearchArgs};
use crate::output::{date_vn, emit, opt, table};
use anyhow::{anyhow, bail, Context as _};
use store::{ExportFilter, ExportFormat, State};

pub fn search(ctx: &Ctx, a: SearchArgs) -> anyhow::Result<()> {
    // Search shows personal data: only a logged-in user of the ward may do it.
    let (store, _session) = ctx.login()?;
    let page = store.search(&a.query, a.page, a.per_page)?;
    emit(ctx.json, &page, |p| {
        let rows: Vec<Vec<String>> = p
            .items
            .iter()
            .map(|h| {
                vec![
                    h.full_name.clone(),
                    h.id_number.clone(),
                    date_vn(&h.date_of_birth),
                    opt(&h.org_name),
                    h.state.label_vi().to_string(),
                    opt(&h.serial),
                    h.permit_id.to_string(),
                ]
            })
            .collect();
        table(
            &[
                "họ tên",
                "số giấy tờ",
                "ngày sinh",
                "tổ chức",
                "trạng thái",
                "số sê-ri",
                "giấy #",
            ],
            &rows,
        );
        if p.items.is_empty() {
            println!("Không tìm thấy.");
        } else if p.has_more {
            println!("Trang {}; còn tiếp: --page {}", p.page, p.page + 1);
        }
    })
}

pub fn audit(ctx: &Ctx, c: AuditCmd) -> anyhow::Result<()> {
    match c {
        AuditCmd::Verify => {
            // Verifying reveals nothing but whether the chain holds: no login.
            let store = ctx.open()?;
            let report = store.audit_verify()?;
            emit(ctx.json, &report, |r| {
                if r.ok {
                    println!("Nhật ký toàn vẹn: {} mục, chuỗi băm khớp.", r.entries);
                }
            })?;
            if let Some(bad) = report.first_bad {
                bail!(
                    "nhật ký thao tác đã bị sửa hoặc xoá tại mục {} [{}]: {}",
                    bad.seq,
                    bad.code,
                    bad.message
                );
            }
            Ok(())
        }
        AuditCmd::List { limit } => {
            let (store, _session) = ctx.login()?;
            let entries = store.audit_entries(None, limit)?;
            emit(ctx.json, &entries, |entries| {
                let rows: Vec<Vec<String>> = entries
                    .iter()
                    .map(|e| {
                        vec![
                            e.seq.to_string(),
                            e.at.clone(),
                            e.username.clone(),
                            e.action.clone(),
                            format!(
                                "{}{}",
                                e.entity,
                                e.entity_id.map(|i| format!(" #{i}")).unwrap_or_default()
                            ),
                        ]
                    })
                    .collect();
                table(&["#", "thời gian", "người", "thao tác", "đối tượng"], &rows);
            })
        }
    }
}

pub fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<()> {
    let state = match a.state.as_deref() {
        Some(s) => Some(State::parse(s).ok_or_else(|| anyhow!("trạng thái «{s}» không có"))?),
        None => None,
    };
    let filter = ExportFilter {
        state,
        request_id: a.request,
        org_ref: a.org,
    };
    let format = match (a.format.as_deref(), &a.output) {
        (Some("csv"), _) => ExportFormat::Csv,
        (Some(_), _) => ExportFormat::Xlsx,
        (None, Some(path)) => ExportFormat::for_path(path),
        (None, None) => ExportFormat::Csv,
    };
    let (store, s) = ctx.login()?;
    let n = match &a.output {
        Some(path) => {
            let mut out = outfile::OutputFile::create(path, &ctx.output_opts(Some(&store)))?;
            let n = match format {
                ExportFormat::Csv => store.export_csv(&s, &mut out, &filter)?,
                ExportFormat::Xlsx => store.export_xlsx(
                    &s,
                    out.as_file_mut().context("không ghi được tệp xuất")?,
                    &filter,
                )?,
            };
            out.commit()?;
            n
        }
        None if format == ExportFormat::Xlsx => {
            bail!("tệp .xlsx cần nơi lưu: thêm -o TỆP.xlsx (hoặc --format csv để in ra màn hình)")
        }
        None => store.export_csv(&s, &mut std::io::stdout().lock(), &filter)?,
    };
    if let Some(path) = &a.output {
        emit(
            ctx.json,
            &serde_json::json!({ "rows": n, "file": path }),
            |_| eprintln!("Đã xuất {n} giấy đi đường ra {}.", path.display()),
        )?;
    }
    Ok(())
}
