//! Employee lists and requests.

use super::Ctx;
use crate::args::{ListCmd, RequestCmd, ResidentArgs};
use crate::output::{date_vn, emit, opt, table};
use anyhow::{bail, Context as _};
use listimport::{check_file, check_record, CheckOptions, Field};
use store::NewResidentRequest;

pub fn list(ctx: &Ctx, c: ListCmd) -> anyhow::Result<()> {
    match c {
        ListCmd::Check { file } => {
            // No database: an official can check a file before the organization is registered.
            let report = check_file(&file, &CheckOptions::new(store::today_vn()))?;
            if ctx.json {
                println!("{}", serde_json::to_string_pretty(&report.check_json())?);
                return Ok(());
            }
            print_report(&report);
            Ok(())
        }
        ListCmd::Import { file, org } => {
            let (store, s) = ctx.login()?;
            let summary = store.import_list_file(&s, &org, &file)?;
            emit(ctx.json, &summary, |sum| {
                println!(
                    "Đã nhập yêu cầu #{}: {} người hợp lệ, {} dòng bị loại (lưu kèm lý do).",
                    sum.request_id, sum.persons, sum.rejected
                );
            })
        }
    }
}

fn print_report(r: &listimport::ListReport) {
    println!(
        "{}: tiêu đề ở dòng {}{}; {} dòng dữ liệu, {} hợp lệ, {} không hợp lệ.",
        r.file_name,
        r.header_row,
        r.sheet
            .as_ref()
            .map(|s| format!(" (trang «{s}»)"))
            .unwrap_or_default(),
        r.rows,
        r.valid.len(),
        r.invalid.len()
    );
    if r.several_sheets() {
        for sh in &r.sheets {
            let name = sh.name.as_deref().unwrap_or("");
            match sh.header_row {
                Some(h) => println!(
                    "  trang «{name}»: tiêu đề ở dòng {h}; {} dòng, {} hợp lệ, {} không hợp lệ",
                    sh.rows, sh.valid, sh.invalid
                ),
                None => println!("  trang «{name}»: không có dòng tiêu đề, không đọc"),
            }
        }
    }
    if !r.invalid.is_empty() {
        let rows: Vec<Vec<String>> = r
            .invalid
            .iter()
            .map(|i| vec![i.row.to_string(), i.reason.clone()])
            .collect();
        table(&["dòng", "lý do"], &rows);
    }
    if !r.warnings.is_empty() {
        println!("Lưu ý:");
        for w in &r.warnings {
            println!("  dòng {}: {}", w.row, w.message);
        }
    }
}

pub fn request(ctx: &Ctx, c: RequestCmd) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    match c {
        RequestCmd::List => {
            let list = store.list_requests(&s, 500)?;
            emit(ctx.json, &list, |list| {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|r| {
                        let states: Vec<String> = r
                            .states
                            .iter()
                            .map(|(st, n)| format!("{} {n}", st.label_vi()))
                            .collect();
                        vec![
                            r.id.to_string(),
                            r.org_name.clone().unwrap_or_else(|| "(người dân)".into()),
                            opt(&r.source_name),
                            r.created_at.clone(),
                            r.persons.to_string(),
                            r.rejected_rows.to_string(),
                            states.join(", "),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "#",
                        "tổ chức",
                        "tệp",
                        "ngày nhận",
                        "người",
                        "dòng loại",
                        "trạng thái",
                    ],
                    &rows,
                );
            })
        }
        RequestCmd::Show { id } => {
            let detail = store.request(&s, id)?;
            emit(ctx.json, &detail, |d| {
                println!(
                    "Yêu cầu #{} — {} — {} người",
                    d.summary.id,
                    d.summary
                        .org_name
                        .clone()
                        .unwrap_or_else(|| "người dân".into()),
                    d.persons.len()
                );
                let rows: Vec<Vec<String>> = d
                    .persons
                    .iter()
                    .map(|p| {
                        vec![
                            p.permit.id.to_string(),
                            p.row.map(|r| r.to_string()).unwrap_or_default(),
                            p.full_name.clone(),
                            p.id_number.clone(),
                            date_vn(&p.date_of_birth),
                            p.permit.state.label_vi().to_string(),
                            opt(&p.permit.decision_reason),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "giấy #",
                        "dòng",
                        "họ tên",
                        "số giấy tờ",
                        "ngày sinh",
                        "trạng thái",
                        "lý do",
                    ],
                    &rows,
                );
                if !d.rejected_rows.is_empty() {
                    println!("Dòng bị loại khi nhập:");
                    for r in &d.rejected_rows {
                        println!("  dòng {}: {}", r.row, r.reason);
                    }
                }
            })
        }
        RequestCmd::Resident(a) => {
            let note = a.note.clone();
            let person = resident_person(&a)?;
            record_residents(ctx, &store, &s, note, a.category, vec![person])
        }
        RequestCmd::Attach { id, file, mime } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("không đọc được tệp {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mime = mime.unwrap_or_else(|| store::mime_for_filename(&name).to_string());
            let info = store.add_attachment(&s, id, &name, &mime, &bytes)?;
            emit(ctx.json, &info, |i| {
                println!(
                    "Đã đính kèm «{}» ({} byte) vào yêu cầu #{}.",
                    i.filename, i.size, i.request_id
                )
            })
        }
        RequestCmd::Attachments { id } => {
            let list = store.attachments(&s, id)?;
            emit(ctx.json, &list, |list| {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|a| {
                        vec![
                            a.id.to_string(),
                            a.filename.clone(),
                            a.mime.clone(),
                            a.size.to_string(),
                        ]
                    })
                    .collect();
                table(&["#", "tệp", "loại", "byte"], &rows);
            })
        }
        RequestCmd::SaveAttachment { attachment, output } => {
            let bytes = store.attachment_bytes(&s, attachment)?;
            ctx.write_output(Some(&store), &output, &bytes)?;
            emit(
                ctx.json,
                &serde_json::json!({ "file": output, "bytes": bytes.len() }),
                |_| println!("Đã lưu {} byte vào {}.", bytes.len(), output.display()),
            )
        }
        RequestCmd::Residents {
            file,
            note,
            category,
        } => {
            let report = check_file(&file, &CheckOptions::new(store::today_vn()))?;
            if !report.invalid.is_empty() {
                print_report(&report);
                bail!(
                    "{} dòng không hợp lệ: sửa tệp rồi ghi nhận lại (chưa lưu gì)",
                    report.invalid.len()
                );
            }
            let persons = report.valid.into_iter().map(|r| r.person).collect();
            record_residents(ctx, &store, &s, note, category, persons)
        }
    }
}

/// The typed fields, checked by the same rules as a row of a list.
fn resident_person(a: &ResidentArgs) -> anyhow::Result<identity::PersonInput> {
    let mut fields = vec![
        (Field::FullName, a.name.as_str()),
        (Field::IdNumber { passport: false }, a.id.as_str()),
        (Field::DateOfBirth, a.dob.as_str()),
    ];
    let optional = [
        (Field::IdKind, &a.id_label),
        (Field::Sex, &a.sex),
        (Field::Phone, &a.phone),
        (Field::Residence, &a.residence),
        (Field::Workplace, &a.workplace),
        (Field::Purpose, &a.purpose),
        (Field::Area, &a.area),
        (Field::ValidFrom, &a.from),
        (Field::ValidTo, &a.to),
    ];
    fields.extend(
        optional
            .iter()
            .filter_map(|(f, v)| v.as_deref().map(|v| (*f, v))),
    );
    match check_record(&fields, &CheckOptions::new(store::today_vn())) {
        Ok(valid) => {
            for w in &valid.warnings {
                eprintln!("lưu ý: {w}");
            }
            Ok(valid.person)
        }
        Err(invalid) => Err(invalid.into()),
    }
}

fn record_residents(
    ctx: &Ctx,
    store: &store::Store,
    s: &store::Session,
    note: Option<String>,
    category: u8,
    persons: Vec<identity::PersonInput>,
) -> anyhow::Result<()> {
    let n = persons.len();
    let id = store.create_resident_request(
        s,
        &NewResidentRequest {
            note,
            category,
            persons,
        },
    )?;
    emit(
        ctx.json,
        &serde_json::json!({ "request_id": id, "persons": n }),
        |_| println!("Đã ghi nhận yêu cầu #{id} của người dân: {n} người."),
    )
}
