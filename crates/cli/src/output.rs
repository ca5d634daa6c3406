//! Printing results: JSON for scripts (`--json`), plain lines for people.

use serde::Serialize;

/// Print `value` as pretty JSON when `json`, otherwise run `human` to print it for a person.
pub fn emit<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T)) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        human(value);
    }
    Ok(())
}

/// A table for people: columns padded to the widest cell (counted in chars, so
/// Vietnamese names line up).
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(pad + 2));
            }
        }
        println!("{}", out.trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

pub fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// A stored ISO date (`YYYY-MM-DD`) the way Vietnamese officials read it: dd/mm/yyyy.
pub fn date_vn(iso: &Option<String>) -> String {
    match iso.as_deref().map(|s| s.split('-').collect::<Vec<_>>()) {
        Some(p) if p.len() == 3 => format!("{}/{}/{}", p[2], p[1], p[0]),
        _ => opt(iso),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_day_first() {
        assert_eq!(super::date_vn(&Some("1985-01-10".into())), "10/01/1985");
        assert_eq!(super::date_vn(&None), "");
    }
}
