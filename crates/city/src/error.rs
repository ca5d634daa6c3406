/// What the city tools refuse. Display is Vietnamese; `code()` is stable.
#[derive(Debug, thiserror::Error)]
pub enum CityError {
    #[error(transparent)]
    Key(#[from] keystore::KeyError),
    #[error(transparent)]
    Request(#[from] keystore::RequestError),
    #[error(transparent)]
    Permit(#[from] permit::PermitError),
    #[error(transparent)]
    Output(#[from] outfile::OutputError),
    #[error("Yêu cầu kích hoạt có {field} «{value}» không hợp lệ.")]
    BadRequestField { field: &'static str, value: String },
    #[error("Khóa này là khóa gốc MẪU (demo): không dùng để cấp khóa cài đặt hay danh sách thu hồi thật.")]
    DemoRoot,
    #[error("Tệp này không phải danh sách thu hồi của thành phố (do một máy trạm ký, hoặc đã hết số): không nối tiếp được.")]
    NotCityList,
}

impl CityError {
    pub fn code(&self) -> &'static str {
        match self {
            CityError::Key(e) => e.code(),
            CityError::Request(e) => e.code(),
            CityError::Permit(e) => e.code(),
            CityError::Output(e) => e.code(),
            CityError::BadRequestField { .. } => "city.bad_request",
            CityError::DemoRoot => "city.demo_root",
            CityError::NotCityList => "city.not_city_list",
        }
    }
}
