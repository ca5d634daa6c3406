use serde::{Deserialize, Serialize};

/// Where a permit is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Received,
    Checked,
    Approved,
    Rejected,
    Stamped,
    Printed,
    Delivered,
    Revoked,
    Expired,
}

impl State {
    pub const ALL: [State; 9] = [
        State::Received,
        State::Checked,
        State::Approved,
        State::Rejected,
        State::Stamped,
        State::Printed,
        State::Delivered,
        State::Revoked,
        State::Expired,
    ];

    /// Stable code stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Checked => "checked",
            State::Approved => "approved",
            State::Rejected => "rejected",
            State::Stamped => "stamped",
            State::Printed => "printed",
            State::Delivered => "delivered",
            State::Revoked => "revoked",
            State::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Vietnamese name shown to users.
    pub fn label_vi(self) -> &'static str {
        match self {
            State::Received => "Đã tiếp nhận",
            State::Checked => "Đã kiểm tra",
            State::Approved => "Đã phê duyệt",
            State::Rejected => "Bị từ chối",
            State::Stamped => "Đã đóng dấu",
            State::Printed => "Đã in",
            State::Delivered => "Đã giao",
            State::Revoked => "Đã thu hồi",
            State::Expired => "Hết hạn",
        }
    }

    /// A permit that counts as "holding a permit": duplicate checks use it.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            State::Approved | State::Stamped | State::Printed | State::Delivered
        )
    }

    /// No action leaves these states.
    pub fn is_final(self) -> bool {
        matches!(self, State::Rejected | State::Revoked | State::Expired)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_vi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("Approved"), None);
    }
}
