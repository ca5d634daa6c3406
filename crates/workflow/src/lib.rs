//! The permit workflow of a ward, enforced in one place.
//!
//! Every permit state change in the whole system goes through [`apply`]:
//! it checks that the action is legal from the current state, that the acting
//! user holds a role allowed to do it, and the action's own conditions
//! (a reason for rejections and revocations, an activated workstation for
//! stamping, a passed validity for expiry). It is pure — no I/O — so the
//! store calls it inside its transactions and the UI can call it to grey out
//! buttons.
//!
//! Paths (from the brief):
//! - resident request: received → checked (area police) → approved / rejected (ward official);
//! - organization list: received → approved / rejected directly (the organization was
//!   checked by area police at registration); checked → approved / rejected too;
//! - approved → stamped (ward police, needs an activated workstation) → printed
//!   (ward official or ward police) → delivered (area police);
//! - revoked from approved / stamped / printed / delivered, with a reason
//!   (ward official or ward police);
//! - expired from any non-final state once `valid_to` has passed (system sweep).
//!
//! The ward administrator manages users and the ward; it decides no permit.

mod action;
mod error;
mod machine;
mod role;
mod state;

pub use action::Action;
pub use error::WorkflowError;
pub use machine::{allowed_roles, apply, Ctx, RequestKind};
pub use role::Role;
pub use state::State;
