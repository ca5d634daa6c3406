use serde::{Deserialize, Serialize};

/// What a user (or the system sweep) does to a permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Check,
    Approve,
    Reject,
    Stamp,
    MarkPrinted,
    MarkDelivered,
    Revoke,
    Expire,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Check,
        Action::Approve,
        Action::Reject,
        Action::Stamp,
        Action::MarkPrinted,
        Action::MarkDelivered,
        Action::Revoke,
        Action::Expire,
    ];

    /// Stable code, used in the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Check => "check",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Stamp => "stamp",
            Action::MarkPrinted => "mark_printed",
            Action::MarkDelivered => "mark_delivered",
            Action::Revoke => "revoke",
            Action::Expire => "expire",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Vietnamese verb phrase, used in messages ("không thể {phê duyệt} …").
    pub fn label_vi(self) -> &'static str {
        match self {
            Action::Check => "kiểm tra",
            Action::Approve => "phê duyệt",
            Action::Reject => "từ chối",
            Action::Stamp => "đóng dấu (ký số)",
            Action::MarkPrinted => "ghi nhận đã in",
            Action::MarkDelivered => "ghi nhận đã giao",
            Action::Revoke => "thu hồi",
            Action::Expire => "chuyển hết hạn",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_vi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
    }
}
