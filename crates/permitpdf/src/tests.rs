use crate::font::Fonts;
use crate::layout::{fields_fit, prepare};
use crate::samples::DemoSigner;
use crate::*;

#[test]
fn layout_names_round_trip() {
    for l in Layout::ALL {
        assert_eq!(Layout::parse(l.as_str()).unwrap(), l);
    }
    let e = Layout::parse("a3").unwrap_err();
    assert_eq!(e.code(), "pdf.unknown_layout");
}

#[test]
fn longest_fields_fit_their_columns() {
    let fonts = Fonts::get().unwrap();
    let signer = DemoSigner::new().unwrap();
    let mut p = signer.permit(&permit::samples::longest(), 3).unwrap();
    p.address = Some("Tổ dân phố số 17, ngõ 1295 đường Giải Phóng, phường Hoàng Liệt, thành phố Hà Nội (nhà trọ tầng 4)".into());
    let prepared = prepare(&p, fonts).unwrap();
    let (size, lines) = fields_fit(&prepared, fonts).unwrap();
    assert!(
        size >= 5.5 && lines >= prepared.fields.len(),
        "{size} {lines}"
    );
}

#[test]
fn errors_have_codes_and_name_the_permit() {
    let signer = DemoSigner::new().unwrap();
    let good = signer.permit(&permit::samples::typical(), 0).unwrap();
    let e = render(Vec::<PrintPermit>::new(), Layout::A6, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "pdf.empty_batch");

    let mut p = good.clone();
    p.holder_name = "  ".into();
    let e = render([p], Layout::A6, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "pdf.missing_field");
    assert!(e.to_string().contains(&good.serial));

    let mut p = good.clone();
    p.holder_name = "Nguyễn 中文".into();
    let e = render([p], Layout::A6, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "pdf.missing_glyph");

    let mut p = good.clone();
    p.token = "gd1:lower".into();
    let e = render([p], Layout::A6, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "pdf.qr");

    let mut p = good.clone();
    p.ward.ubnd = format!("UBND {}", "PHƯỜNG RẤT DÀI ".repeat(12));
    let e = render([p], Layout::A6, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "pdf.does_not_fit");

    let mut p = good;
    p.area = "Đường rất dài ".repeat(200);
    let e = render([p], Layout::A6, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "pdf.does_not_fit");
}
