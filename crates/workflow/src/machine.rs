use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Action, Role, State, WorkflowError};

/// Which path a permit's request follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// An organization's employee list (the organization was checked at registration).
    OrganizationList,
    /// Residents' request recorded by area police.
    Resident,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::OrganizationList => "organization_list",
            RequestKind::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        match s {
            "organization_list" => Some(RequestKind::OrganizationList),
            "resident" => Some(RequestKind::Resident),
            _ => None,
        }
    }
}

/// What, besides state and roles, a transition depends on.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub kind: RequestKind,
    /// Reason given by the user (rejection, revocation).
    pub reason: Option<&'a str>,
    /// Whether this workstation holds a valid install key (stamping signs).
    pub activated: bool,
    pub today: Date,
    /// End of the permit's validity, if set.
    pub valid_to: Option<Date>,
}

/// Roles allowed to perform `action`; empty means no role is needed
/// (the expiry sweep is run by the system, on whoever's session).
pub fn allowed_roles(action: Action) -> &'static [Role] {
    match action {
        Action::Check | Action::MarkDelivered => &[Role::AreaPolice],
        Action::Approve | Action::Reject => &[Role::WardOfficial],
        Action::Stamp => &[Role::WardPolice],
        Action::MarkPrinted | Action::Revoke => &[Role::WardOfficial, Role::WardPolice],
        Action::Expire => &[],
    }
}

/// Decide one transition. Checks, in order: the actor's role, the current
/// state, then the action's own conditions.
pub fn apply(
    current: State,
    action: Action,
    actor_roles: &[Role],
    ctx: &Ctx<'_>,
) -> Result<State, WorkflowError> {
    let required = allowed_roles(action);
    if !required.is_empty() && !actor_roles.iter().any(|r| required.contains(r)) {
        return Err(WorkflowError::Forbidden {
            action,
            required: required.to_vec(),
        });
    }

    let illegal = |hint: &'static str| WorkflowError::IllegalTransition {
        current,
        action,
        hint,
    };

    let next = match (action, current) {
        (Action::Check, State::Received) => State::Checked,
        (Action::Approve | Action::Reject, State::Checked) => decided(action),
        (Action::Approve | Action::Reject, State::Received) => match ctx.kind {
            RequestKind::OrganizationList => decided(action),
            RequestKind::Resident => {
                return Err(illegal(
                    " Yêu cầu của người dân cần được cảnh sát khu vực kiểm tra trước.",
                ))
            }
        },
        (Action::Stamp, State::Approved) => State::Stamped,
        (Action::MarkPrinted, State::Stamped) => State::Printed,
        (Action::MarkDelivered, State::Printed) => State::Delivered,
        (Action::Revoke, s) if s.is_active() => State::Revoked,
        (Action::Expire, s) if !s.is_final() => State::Expired,
        (_, s) if s.is_final() => {
            return Err(illegal(" Hồ sơ đã kết thúc, không thay đổi được nữa."))
        }
        _ => return Err(illegal("")),
    };

    match action {
        Action::Reject | Action::Revoke if !has_reason(ctx) => {
            return Err(WorkflowError::ReasonRequired { action });
        }
        Action::Stamp if !ctx.activated => return Err(WorkflowError::NotActivated),
        Action::Expire => match ctx.valid_to {
            Some(to) if to < ctx.today => {}
            Some(to) => {
                return Err(WorkflowError::NotExpired {
                    valid_to: format!("{:02}/{:02}/{}", to.day(), u8::from(to.month()), to.year()),
                })
            }
            None => {
                return Err(WorkflowError::NotExpired {
                    valid_to: "không thời hạn".to_string(),
                })
            }
        },
        _ => {}
    }
    Ok(next)
}

fn has_reason(ctx: &Ctx<'_>) -> bool {
    ctx.reason.is_some_and(|r| !r.trim().is_empty())
}

fn decided(action: Action) -> State {
    if action == Action::Approve {
        State::Approved
    } else {
        State::Rejected
    }
}

#[cfg(test)]
mod tests;
