use crate::{Action, Role, State};

/// Why a transition was refused. Display text is Vietnamese, for the official.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("Không thể {action} hồ sơ đang ở trạng thái «{current}».{hint}")]
    IllegalTransition {
        current: State,
        action: Action,
        /// Extra guidance, empty or starting with a space.
        hint: &'static str,
    },
    #[error("Chỉ {} mới được {action}.", roles_vi(.required))]
    Forbidden { action: Action, required: Vec<Role> },
    #[error("Cần ghi lý do khi {action}.")]
    ReasonRequired { action: Action },
    #[error("Máy trạm chưa được kích hoạt: chưa thể đóng dấu (ký số). Quản trị phường cần gửi yêu cầu kích hoạt và nhập khoá cài đặt do thành phố cấp.")]
    NotActivated,
    #[error(
        "Giấy đi đường chưa hết hạn (hiệu lực đến {valid_to}), không thể chuyển sang «Hết hạn»."
    )]
    NotExpired { valid_to: String },
}

impl WorkflowError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            WorkflowError::IllegalTransition { .. } => "workflow.illegal_transition",
            WorkflowError::Forbidden { .. } => "workflow.forbidden",
            WorkflowError::ReasonRequired { .. } => "workflow.reason_required",
            WorkflowError::NotActivated => "workflow.not_activated",
            WorkflowError::NotExpired { .. } => "workflow.not_expired",
        }
    }
}

fn roles_vi(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label_vi())
        .collect::<Vec<_>>()
        .join(" hoặc ")
}
