//! Annotated hex dump of a token: `cargo run -p permit --example dump -- 'GD1:…'`
//! (reads stdin when no argument is given). No signature check.

use permit::Token;
use std::io::Read;

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = match std::env::args().nth(1) {
        Some(t) => t,
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            s
        }
    };
    let token = Token::from_text(&text)?;
    let b = token.to_bytes();
    let f = token.fields();
    let sig_at = b.len() - 64;
    let cert_at = sig_at - permit::CERT_LEN;
    let mut rows: Vec<(usize, usize, String)> = vec![
        (0, 1, "token version".into()),
        (1, 2, format!("flags = {:04b}", b[1])),
        (2, 6, format!("sequence = {}", f.sequence)),
        (6, 7, format!("category = {}", f.category)),
        (7, 9, format!("valid from = {}", f.valid_from)),
        (9, 11, format!("valid to = {}", f.valid_to)),
    ];
    let mut at = 11;
    if let Some(h) = f.daily_hours {
        rows.push((at, at + 2, format!("daily hours = {h}")));
        at += 2;
    }
    if let Some(d) = f.date_of_birth {
        rows.push((at, at + 2, format!("date of birth = {d}")));
        at += 2;
    }
    rows.push((
        at,
        cert_at,
        format!(
            "ID ({} {}), then texts: {:?} / {:?} / {:?} / {:?}",
            f.id.kind.as_str(),
            f.id.number,
            f.holder_name,
            f.organization,
            f.purpose,
            f.area
        ),
    ));
    let c = token.certificate().fields();
    let cert_rows = [
        (0, 1, "certificate version".to_string()),
        (1, 5, "issuer id".into()),
        (5, 8, format!("ward code = {}", c.ward_code_text())),
        (8, 10, format!("dataset = {}", c.dataset)),
        (10, 11, format!("workstation = {}", c.workstation)),
        (11, 43, "workstation public key".into()),
        (43, 45, format!("valid from = {}", c.valid_from)),
        (45, 47, format!("valid to = {}", c.valid_to)),
        (
            47,
            49,
            format!("categories = {:016b}", c.scope.categories.0),
        ),
        (
            49,
            51,
            format!("max validity = {} days", c.scope.max_validity_days),
        ),
        (51, 115, "root signature".into()),
    ];
    for (s, e, what) in cert_rows {
        rows.push((cert_at + s, cert_at + e, what));
    }
    rows.push((sig_at, b.len(), "workstation signature".into()));
    println!("{} bytes, serial {}", b.len(), token.serial());
    for (s, e, what) in rows {
        println!("{s:4} {:3}  {what}\n          {}", e - s, hex(&b[s..e]));
    }
    Ok(())
}
