//! Search: exact lookups by ID number, serial and organization reference;
//! otherwise a diacritic- and đ-insensitive name search on the folded key.
//!
//! Names: the query is folded like the stored `name_key` ("Đặng Thị Thủy",
//! "dang thi thuy" → `dang thi thuy`) and every word must appear as a whole
//! word (FTS5 over `name_key`, so cost follows the rarest word, not the table
//! size). If that finds nothing, the last word (two letters or more) is
//! retried as a prefix, for half-typed names ("dang thi th").

use rusqlite::{params_from_iter, types::Value};
use serde::Serialize;
use workflow::State;

use crate::error::Result;
use crate::org::normalize_ref;
use crate::requests::normalize_id_number;
use crate::Store;

/// How the query was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    IdNumber,
    Serial,
    Organization,
    Name,
    /// Nothing searchable in the query.
    Empty,
}

/// One page of results. `page` is 1-based.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// There is at least one more page.
    pub has_more: bool,
    pub kind: SearchKind,
}

/// A person found, with their permit and organization.
#[derive(Debug, Clone, Serialize)]
pub struct PersonHit {
    pub person_id: i64,
    pub request_id: i64,
    pub full_name: String,
    pub id_kind: String,
    pub id_number: String,
    pub id_label: Option<String>,
    /// `YYYY-MM-DD`
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub org_name: Option<String>,
    pub org_ref: Option<String>,
    pub permit_id: i64,
    pub state: State,
    pub serial: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

pub const MAX_PER_PAGE: u32 = 200;

/// Serial numbers look like `00004-1-000123` (ward-workstation-sequence).
fn looks_like_serial(q: &str) -> bool {
    let parts: Vec<&str> = q.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 5
        && (1..=2).contains(&parts[1].len())
        && parts[2].len() >= 6
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Decide what the user typed.
pub(crate) fn classify(query: &str) -> (SearchKind, String) {
    let q = query.trim();
    if q.is_empty() {
        return (SearchKind::Empty, String::new());
    }
    if looks_like_serial(q) {
        return (SearchKind::Serial, q.to_string());
    }
    if let Some(r) = normalize_ref(q) {
        // "DN-XXXXX" with the hyphen or prefix is unambiguous; a bare word could be a name.
        if q.to_uppercase().starts_with("DN") && q.chars().any(|c| c.is_ascii_digit() || c == '-') {
            return (SearchKind::Organization, r);
        }
    }
    let id = normalize_id_number(q);
    // A single token with a digit in it is a document number (CCCD, CMND,
    // passports, "001 089 012345" typed in groups): names have no digits.
    if id.chars().any(|c| c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && (q.split_whitespace().count() == 1 || id.chars().all(|c| c.is_ascii_digit()))
    {
        return (SearchKind::IdNumber, id);
    }
    let folded = vntext::fold(q);
    if folded
        .split(|c: char| !c.is_alphanumeric())
        .all(|w| w.is_empty())
    {
        return (SearchKind::Empty, String::new());
    }
    (SearchKind::Name, folded)
}

/// Words beyond this are ignored: no name is longer, and each word adds a
/// doclist to intersect (a pasted paragraph must not stall the search).
const MAX_WORDS: usize = 8;

/// FTS5 query: each word quoted (so no word is read as an operator), all required.
fn fts_query(folded: &str, prefix_last: bool) -> String {
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect();
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let star = if prefix_last && i + 1 == n { "*" } else { "" };
            format!("\"{}\"{star}", w.replace('"', "\"\""))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const HIT_COLS: &str =
    "p.id, p.request_id, p.full_name, p.id_kind, p.id_number, p.id_label, p.dob, p.sex,
     o.name, o.ref_code, pm.id, pm.state, pm.serial, pm.valid_from, pm.valid_to";

const HIT_JOINS: &str = "JOIN permits pm ON pm.person_id = p.id
     JOIN requests r ON r.id = p.request_id
     LEFT JOIN organizations o ON o.id = r.org_id";

impl Store {
    /// Search persons (see the module docs for how the query is read).
    /// Exact lookups list the newest record first; name matches come in the
    /// order they were recorded. `page` from 1, `per_page` up to 200.
    pub fn search(&self, query: &str, page: u32, per_page: u32) -> Result<Page<PersonHit>> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let offset = i64::from(page - 1) * i64::from(per_page);
        let limit = i64::from(per_page) + 1; // one extra row tells whether there is more
        let (kind, key) = classify(query);
        let mut items = match kind {
            SearchKind::Empty => Vec::new(),
            SearchKind::IdNumber => self.hits(
                &format!("SELECT {HIT_COLS} FROM persons p {HIT_JOINS} WHERE p.id_number = ?1 ORDER BY p.id DESC LIMIT ?2 OFFSET ?3"),
                vec![Value::Text(key), Value::Integer(limit), Value::Integer(offset)],
            )?,
            SearchKind::Serial => self.hits(
                &format!("SELECT {HIT_COLS} FROM persons p {HIT_JOINS} WHERE pm.serial = ?1 ORDER BY p.id DESC LIMIT ?2 OFFSET ?3"),
                vec![Value::Text(key), Value::Integer(limit), Value::Integer(offset)],
            )?,
            SearchKind::Organization => self.hits(
                // Driven from the organization's requests, newest first, so
                // both loops walk indexes in order and stop after one page:
                // no sort of the whole membership (1 s → 0.2 ms for an
                // organization of 1M persons).
                &format!(
                    "SELECT {HIT_COLS} FROM requests r JOIN persons p ON p.request_id = r.id
                     JOIN permits pm ON pm.person_id = p.id JOIN organizations o ON o.id = r.org_id
                     WHERE r.org_id = (SELECT id FROM organizations WHERE ref_code = ?1)
                     ORDER BY r.id DESC, p.id DESC LIMIT ?2 OFFSET ?3"
                ),
                vec![Value::Text(key), Value::Integer(limit), Value::Integer(offset)],
            )?,
            SearchKind::Name => {
                let exact = self.name_hits(&fts_query(&key, false), limit, offset)?;
                // A one-letter prefix expands to most of the vocabulary
                // (~40 ms at 1M persons): only longer stems are retried.
                let stem_len = key
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .map_or(0, |w| w.chars().count());
                if exact.is_empty() && page == 1 && stem_len >= 2 {
                    self.name_hits(&fts_query(&key, true), limit, offset)?
                } else {
                    exact
                }
            }
        };
        let has_more = items.len() as i64 > i64::from(per_page);
        items.truncate(per_page as usize);
        Ok(Page {
            items,
            page,
            per_page,
            has_more,
            kind,
        })
    }

    fn name_hits(&self, fts: &str, limit: i64, offset: i64) -> Result<Vec<PersonHit>> {
        // The FTS subquery picks the page by rowid before any join, so only
        // `limit` rows are joined whatever the match count. Ascending: FTS5
        // walks doclists forwards about 40 % faster than backwards (measured
        // at 1M persons), and the name search is where the time goes.
        self.hits(
            &format!(
                "SELECT {HIT_COLS} FROM (SELECT rowid AS id FROM persons_fts WHERE persons_fts MATCH ?1
                                          ORDER BY rowid LIMIT ?2 OFFSET ?3) f
                 JOIN persons p ON p.id = f.id {HIT_JOINS} ORDER BY p.id"
            ),
            vec![Value::Text(fts.to_string()), Value::Integer(limit), Value::Integer(offset)],
        )
    }

    fn hits(&self, sql: &str, params: Vec<Value>) -> Result<Vec<PersonHit>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let v = st
            .query_map(params_from_iter(params), person_hit)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }
}

/// A row of the person-hit columns (search and the stamping queue select them in this order).
pub(crate) fn person_hit(r: &rusqlite::Row<'_>) -> rusqlite::Result<PersonHit> {
    let state: String = r.get(11)?;
    Ok(PersonHit {
        person_id: r.get(0)?,
        request_id: r.get(1)?,
        full_name: r.get(2)?,
        id_kind: r.get(3)?,
        id_number: r.get(4)?,
        id_label: r.get(5)?,
        date_of_birth: r.get(6)?,
        sex: r.get(7)?,
        org_name: r.get(8)?,
        org_ref: r.get(9)?,
        permit_id: r.get(10)?,
        state: State::parse(&state).unwrap_or(State::Received),
        serial: r.get(12)?,
        valid_from: r.get(13)?,
        valid_to: r.get(14)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_queries() {
        assert_eq!(classify("001089012345").0, SearchKind::IdNumber);
        assert_eq!(classify(" 001 089 012345 ").1, "001089012345");
        assert_eq!(classify("012345678").0, SearchKind::IdNumber);
        assert_eq!(
            classify("c1234567"),
            (SearchKind::IdNumber, "C1234567".into())
        );
        assert_eq!(classify("00004-1-000123").0, SearchKind::Serial);
        assert_eq!(
            classify("dn-7kq3m"),
            (SearchKind::Organization, "DN-7KQ3M".into())
        );
        assert_eq!(classify("DN7KQ3M").0, SearchKind::Organization);
        assert_eq!(
            classify("Đặng Thị Thủy"),
            (SearchKind::Name, "dang thi thuy".into())
        );
        assert_eq!(classify("  "), (SearchKind::Empty, String::new()));
        assert_eq!(classify("--- ..."), (SearchKind::Empty, String::new()));
        // a five-letter name word must not be read as an organization code
        assert_eq!(classify("DNHAN").0, SearchKind::Name);
    }

    #[test]
    fn fts_queries_quote_words() {
        assert_eq!(
            fts_query("dang thi thuy", false),
            "\"dang\" \"thi\" \"thuy\""
        );
        assert_eq!(fts_query("dang thi th", true), "\"dang\" \"thi\" \"th\"*");
        assert_eq!(
            fts_query("o'neil \"x\" and", false),
            "\"o\" \"neil\" \"x\" \"and\""
        );
        let long = "a ".repeat(50);
        assert_eq!(fts_query(&long, false).matches('"').count(), 2 * MAX_WORDS);
    }
}
