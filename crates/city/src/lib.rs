//! The city administrator's side of the trust model: creating the city root
//! key (kept offline, encrypted) and turning a ward workstation's emailed
//! activation request into an install key — a certificate signed by the
//! root that binds the workstation's public key to its ward.

mod error;
mod install;
mod revoke;
mod root;

pub use error::CityError;
pub use install::{issue_install_key, IssueOptions, Issued};
pub use revoke::{extend_city_list, Revocations};
pub use root::{init_root, load_root, RootInfo, ROOT_PURPOSE};
