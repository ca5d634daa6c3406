//! Exhaustive table: every state × action × role set × request kind.

use super::*;
use time::macros::date;

use Action::*;
use State::*;

/// The expected legal transitions, written independently of `apply`:
/// (from, action, to, organization lists only).
const LEGAL: &[(State, Action, State, bool)] = &[
    (Received, Check, Checked, false),
    (Received, Approve, Approved, true),
    (Received, Reject, Rejected, true),
    (Checked, Approve, Approved, false),
    (Checked, Reject, Rejected, false),
    (Approved, Stamp, Stamped, false),
    (Stamped, MarkPrinted, Printed, false),
    (Printed, MarkDelivered, Delivered, false),
    (Approved, Revoke, Revoked, false),
    (Stamped, Revoke, Revoked, false),
    (Printed, Revoke, Revoked, false),
    (Delivered, Revoke, Revoked, false),
    (Received, Expire, Expired, false),
    (Checked, Expire, Expired, false),
    (Approved, Expire, Expired, false),
    (Stamped, Expire, Expired, false),
    (Printed, Expire, Expired, false),
    (Delivered, Expire, Expired, false),
];

fn expected_roles(a: Action) -> &'static [Role] {
    match a {
        Check => &[Role::AreaPolice],
        Approve | Reject => &[Role::WardOfficial],
        Stamp => &[Role::WardPolice],
        MarkPrinted => &[Role::WardOfficial, Role::WardPolice],
        MarkDelivered => &[Role::AreaPolice],
        Revoke => &[Role::WardOfficial, Role::WardPolice],
        Expire => &[],
    }
}

/// A context in which every condition is met, so only state and role matter.
fn permissive(kind: RequestKind) -> Ctx<'static> {
    Ctx {
        kind,
        reason: Some("Sai thông tin"),
        activated: true,
        today: date!(2026 - 01 - 10),
        valid_to: Some(date!(2026 - 01 - 09)),
    }
}

fn role_sets() -> Vec<Vec<Role>> {
    let mut sets = vec![vec![]];
    // every subset of the four roles
    for mask in 1u8..16 {
        sets.push(
            Role::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, r)| r)
                .collect(),
        );
    }
    sets
}

#[test]
fn exhaustive_table() {
    let mut ok = 0;
    let mut checked = 0;
    for kind in [RequestKind::OrganizationList, RequestKind::Resident] {
        let ctx = permissive(kind);
        for from in State::ALL {
            for action in Action::ALL {
                for roles in role_sets() {
                    checked += 1;
                    let got = apply(from, action, &roles, &ctx);
                    let needed = expected_roles(action);
                    let role_ok = needed.is_empty() || roles.iter().any(|r| needed.contains(r));
                    let legal = LEGAL.iter().find(|(f, a, _, org_only)| {
                        *f == from
                            && *a == action
                            && (!org_only || kind == RequestKind::OrganizationList)
                    });
                    match (role_ok, legal) {
                        (false, _) => assert_eq!(
                            got,
                            Err(WorkflowError::Forbidden {
                                action,
                                required: needed.to_vec()
                            }),
                            "{kind:?} {from:?} {action:?} {roles:?}"
                        ),
                        (true, Some((_, _, to, _))) => {
                            ok += 1;
                            assert_eq!(got, Ok(*to), "{kind:?} {from:?} {action:?} {roles:?}")
                        }
                        (true, None) => match got {
                            Err(WorkflowError::IllegalTransition {
                                current, action: a, ..
                            }) => {
                                assert_eq!((current, a), (from, action));
                            }
                            other => panic!("{kind:?} {from:?} {action:?} {roles:?}: {other:?}"),
                        },
                    }
                }
            }
        }
    }
    assert_eq!(checked, 2 * 9 * 8 * 16);
    assert!(ok > 0);
}

#[test]
fn ward_admin_decides_nothing() {
    for kind in [RequestKind::OrganizationList, RequestKind::Resident] {
        for from in State::ALL {
            for action in Action::ALL {
                if action == Expire {
                    continue;
                }
                let r = apply(from, action, &[Role::WardAdmin], &permissive(kind));
                assert_eq!(r.unwrap_err().code(), "workflow.forbidden");
            }
        }
    }
}

#[test]
fn reject_and_revoke_need_a_reason() {
    for (from, action, roles) in [
        (Checked, Reject, Role::WardOfficial),
        (Approved, Revoke, Role::WardPolice),
        (Delivered, Revoke, Role::WardOfficial),
    ] {
        for reason in [None, Some(""), Some("   ")] {
            let ctx = Ctx {
                reason,
                ..permissive(RequestKind::Resident)
            };
            let err = apply(from, action, &[roles], &ctx).unwrap_err();
            assert_eq!(err, WorkflowError::ReasonRequired { action });
            assert_eq!(err.code(), "workflow.reason_required");
        }
    }
    // approving needs no reason
    let ctx = Ctx {
        reason: None,
        ..permissive(RequestKind::Resident)
    };
    assert_eq!(
        apply(Checked, Approve, &[Role::WardOfficial], &ctx),
        Ok(Approved)
    );
}

#[test]
fn stamping_needs_activation() {
    let ctx = Ctx {
        activated: false,
        ..permissive(RequestKind::OrganizationList)
    };
    let err = apply(Approved, Stamp, &[Role::WardPolice], &ctx).unwrap_err();
    assert_eq!(err.code(), "workflow.not_activated");
    assert!(err.to_string().contains("Máy trạm chưa được kích hoạt"));
}

#[test]
fn expiry_needs_passed_validity() {
    let base = permissive(RequestKind::Resident);
    for valid_to in [
        Some(date!(2026 - 01 - 10)),
        Some(date!(2026 - 02 - 01)),
        None,
    ] {
        let ctx = Ctx { valid_to, ..base };
        let err = apply(Approved, Expire, &[], &ctx).unwrap_err();
        assert_eq!(err.code(), "workflow.not_expired", "{valid_to:?}");
    }
    let err = apply(
        Approved,
        Expire,
        &[],
        &Ctx {
            valid_to: Some(date!(2026 - 02 - 01)),
            ..base
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("01/02/2026"), "{err}");
}

#[test]
fn messages_name_the_state_and_the_role() {
    let ctx = permissive(RequestKind::Resident);
    let err = apply(Received, Approve, &[Role::WardOfficial], &ctx).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("«Đã tiếp nhận»"), "{msg}");
    assert!(msg.contains("cảnh sát khu vực kiểm tra"), "{msg}");
    assert_eq!(err.code(), "workflow.illegal_transition");

    let err = apply(Checked, Approve, &[Role::AreaPolice], &ctx).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Chỉ cán bộ UBND phường/xã mới được phê duyệt."
    );
    let err = apply(Stamped, MarkPrinted, &[Role::AreaPolice], &ctx).unwrap_err();
    assert!(err
        .to_string()
        .contains("cán bộ UBND phường/xã hoặc công an phường/xã"));

    let err = apply(Revoked, Approve, &[Role::WardOfficial], &ctx).unwrap_err();
    assert!(err.to_string().contains("«Đã thu hồi»"));
    assert!(err.to_string().contains("đã kết thúc"));
}

#[test]
fn multi_role_user_may_act_in_each_role() {
    let ctx = permissive(RequestKind::Resident);
    let both = [Role::AreaPolice, Role::WardOfficial];
    let s = apply(Received, Check, &both, &ctx).unwrap();
    assert_eq!(apply(s, Approve, &both, &ctx), Ok(Approved));
}
