//! Workflow decisions: check, approve, reject, stamp, print, deliver, revoke, expire.

use super::Ctx;
use crate::args::{DecideArgs, DecideManyArgs, ExpireArgs, PermitIds, RejectArgs, RevokeArgs};
use crate::output::{emit, table};
use anyhow::bail;
use store::Transitioned;

fn show(ctx: &Ctx, done: &[Transitioned]) -> anyhow::Result<()> {
    emit(ctx.json, &done, |done| {
        let rows: Vec<Vec<String>> = done
            .iter()
            .map(|t| {
                vec![
                    t.permit_id.to_string(),
                    t.from.label_vi().to_string(),
                    t.to.label_vi().to_string(),
                ]
            })
            .collect();
        table(&["giấy #", "từ", "sang"], &rows);
        println!("{} giấy đi đường đã chuyển trạng thái.", done.len());
    })
}

pub fn check(ctx: &Ctx, a: PermitIds) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    show(ctx, &store.check(&s, &a.ids)?)
}

pub fn approve(ctx: &Ctx, a: DecideArgs) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    let done = match a.request {
        Some(request) => store.approve_request(&s, request)?,
        None if a.ids.is_empty() => bail!("chỉ rõ số giấy cần duyệt, hoặc --request SỐ_YÊU_CẦU"),
        None => store.approve(&s, &a.ids)?,
    };
    show(ctx, &done)
}

pub fn reject(ctx: &Ctx, a: RejectArgs) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    let done = match a.request {
        Some(request) => store.reject_request(&s, request, &a.reason)?,
        None if a.ids.is_empty() => bail!("chỉ rõ số giấy cần từ chối, hoặc --request SỐ_YÊU_CẦU"),
        None => {
            let items: Vec<(i64, &str)> = a.ids.iter().map(|id| (*id, a.reason.as_str())).collect();
            store.reject(&s, &items)?
        }
    };
    show(ctx, &done)
}

pub fn decide(ctx: &Ctx, a: DecideManyArgs) -> anyhow::Result<()> {
    if a.approve.is_empty() && a.reject.is_empty() {
        bail!("chỉ rõ --approve SỐ_GIẤY,… và/hoặc --reject SỐ_GIẤY:LÝ_DO");
    }
    let (store, s) = ctx.login()?;
    let reject: Vec<(i64, &str)> = a.reject.iter().map(|(id, r)| (*id, r.as_str())).collect();
    show(ctx, &store.decide(&s, &a.approve, &reject)?)
}

pub fn printed(ctx: &Ctx, a: PermitIds) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    show(ctx, &store.mark_printed(&s, &a.ids)?)
}

pub fn deliver(ctx: &Ctx, a: PermitIds) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    show(ctx, &store.mark_delivered(&s, &a.ids)?)
}

pub fn revoke(ctx: &Ctx, a: RevokeArgs) -> anyhow::Result<()> {
    let (store, s) = ctx.login()?;
    show(ctx, &[store.revoke_with_code(&s, a.id, a.code, &a.reason)?])
}

pub fn expire(ctx: &Ctx, a: ExpireArgs) -> anyhow::Result<()> {
    let today = match a.today.as_deref() {
        Some(text) => identity::parse_date_text(text)?,
        None => store::today_vn(),
    };
    let (store, s) = ctx.login()?;
    let n = store.expire_due(&s, today)?;
    emit(ctx.json, &serde_json::json!({ "expired": n }), |_| {
        println!("{n} giấy đi đường đã hết hạn.")
    })
}
