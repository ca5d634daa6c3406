use serde::{Deserialize, Serialize};

/// A user's role in one ward. A user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Cảnh sát khu vực: records and checks requests, delivers permits.
    AreaPolice,
    /// Cán bộ UBND xã/phường: enters organizations, approves or rejects.
    WardOfficial,
    /// Công an xã/phường: stamps (signs) approved permits.
    WardPolice,
    /// Quản trị phường: users, activation, mail, backups. Decides no permit.
    WardAdmin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::AreaPolice,
        Role::WardOfficial,
        Role::WardPolice,
        Role::WardAdmin,
    ];

    /// Stable code stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::AreaPolice => "area_police",
            Role::WardOfficial => "ward_official",
            Role::WardPolice => "ward_police",
            Role::WardAdmin => "ward_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Vietnamese name, as shown to users and in error messages.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::AreaPolice => "cảnh sát khu vực",
            Role::WardOfficial => "cán bộ UBND phường/xã",
            Role::WardPolice => "công an phường/xã",
            Role::WardAdmin => "quản trị phường",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_vi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
