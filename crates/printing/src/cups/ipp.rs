//! Just enough IPP (RFC 8010/8011) to ask the local CUPS scheduler for one job's state:
//! `lpstat` lists completed, aborted and canceled jobs alike, and a job that failed must never
//! be recorded as printed.

use std::io::{Read, Write};
use std::net::TcpStream;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use crate::JobState;

const OP_GET_JOB_ATTRIBUTES: u16 = 0x0009;
const TAG_OPERATION: u8 = 0x01;
const TAG_END: u8 = 0x03;
const TAG_ENUM: u8 = 0x23;
const TAG_TEXT: u8 = 0x41;
const TAG_NAME: u8 = 0x42;
const TAG_KEYWORD: u8 = 0x44;
const TAG_URI: u8 = 0x45;
const TAG_CHARSET: u8 = 0x47;
const TAG_LANGUAGE: u8 = 0x48;
const STATUS_NOT_FOUND: u16 = 0x0406;
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong talking IPP; the backend maps it to a `PrintError`.
#[derive(Debug)]
pub(crate) enum IppError {
    Connect(String),
    NotFound,
    Protocol(String),
}

/// The parts of a job's attributes we use.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct JobAttrs {
    pub state: Option<i32>,
    pub reasons: Vec<String>,
    pub message: String,
}

impl JobAttrs {
    /// RFC 8011 job-state values, with CUPS's reasons for a job that waits on a stopped printer.
    pub fn job_state(&self) -> JobState {
        let detail = || {
            let reasons: Vec<&str> = self
                .reasons
                .iter()
                .map(String::as_str)
                .filter(|r| *r != "none")
                .collect();
            match (self.message.trim(), reasons.is_empty()) {
                ("", _) => reasons.join(", "),
                (m, true) => m.to_string(),
                (m, false) => format!("{m} ({})", reasons.join(", ")),
            }
        };
        let has = |r: &str| self.reasons.iter().any(|x| x == r);
        match self.state {
            Some(3) if has("printer-stopped") => JobState::Stopped(detail()),
            Some(3) => JobState::Pending,
            Some(4) => JobState::Stopped(detail()), // pending-held
            Some(5) => JobState::Processing,
            Some(6) => JobState::Stopped(detail()), // processing-stopped
            Some(7) => JobState::Canceled,
            Some(8) => JobState::Failed(detail()),
            Some(9) => JobState::Completed,
            other => JobState::Failed(format!("trạng thái IPP không rõ: {other:?}")),
        }
    }
}

/// Where the scheduler listens: `CUPS_SERVER` (a socket path or host[:port]) like the CUPS
/// tools, else the local domain socket, else localhost:631.
fn connect() -> Result<Box<dyn ReadWrite>, IppError> {
    let server = std::env::var("CUPS_SERVER").unwrap_or_default();
    #[cfg(unix)]
    {
        let sockets: Vec<&str> = if server.starts_with('/') {
            vec![server.as_str()]
        } else if server.is_empty() {
            vec!["/run/cups/cups.sock", "/var/run/cups/cups.sock"]
        } else {
            Vec::new()
        };
        for s in sockets {
            if Path::new(s).exists() {
                let stream =
                    UnixStream::connect(s).map_err(|e| IppError::Connect(format!("{s}: {e}")))?;
                stream.set_read_timeout(Some(IO_TIMEOUT)).ok();
                stream.set_write_timeout(Some(IO_TIMEOUT)).ok();
                return Ok(Box::new(stream));
            }
        }
        if server.starts_with('/') {
            return Err(IppError::Connect(format!("{server}: không có")));
        }
    }
    let host = if server.is_empty() || server.starts_with('/') {
        "localhost:631".to_string()
    } else if server.contains(':') {
        server
    } else {
        format!("{server}:631")
    };
    let stream =
        TcpStream::connect(&host).map_err(|e| IppError::Connect(format!("{host}: {e}")))?;
    stream.set_read_timeout(Some(IO_TIMEOUT)).ok();
    stream.set_write_timeout(Some(IO_TIMEOUT)).ok();
    Ok(Box::new(stream))
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// Get-Job-Attributes for CUPS job `job_id`.
pub(crate) fn get_job(job_id: u32, user: &str) -> Result<JobAttrs, IppError> {
    let body = encode_get_job(job_id, user);
    let mut stream = connect()?;
    let head = format!(
        "POST /jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/ipp\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let io = |e: std::io::Error| IppError::Connect(e.to_string());
    stream.write_all(head.as_bytes()).map_err(io)?;
    stream.write_all(&body).map_err(io)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(io)?;
    let payload = http_body(&raw)?;
    decode_job_response(&payload)
}

pub(crate) fn encode_get_job(job_id: u32, user: &str) -> Vec<u8> {
    let mut b = Vec::with_capacity(160);
    b.extend_from_slice(&[2, 0]); // IPP 2.0
    b.extend_from_slice(&OP_GET_JOB_ATTRIBUTES.to_be_bytes());
    b.extend_from_slice(&1u32.to_be_bytes()); // request-id
    b.push(TAG_OPERATION);
    attr(&mut b, TAG_CHARSET, "attributes-charset", b"utf-8");
    attr(&mut b, TAG_LANGUAGE, "attributes-natural-language", b"en");
    let uri = format!("ipp://localhost/jobs/{job_id}");
    attr(&mut b, TAG_URI, "job-uri", uri.as_bytes());
    attr(&mut b, TAG_NAME, "requesting-user-name", user.as_bytes());
    attr(&mut b, TAG_KEYWORD, "requested-attributes", b"job-state");
    attr(&mut b, TAG_KEYWORD, "", b"job-state-reasons"); // additional value of the same set
    attr(&mut b, TAG_KEYWORD, "", b"job-state-message");
    b.push(TAG_END);
    b
}

fn attr(b: &mut Vec<u8>, tag: u8, name: &str, value: &[u8]) {
    b.push(tag);
    b.extend_from_slice(&(name.len() as u16).to_be_bytes());
    b.extend_from_slice(name.as_bytes());
    b.extend_from_slice(&(value.len() as u16).to_be_bytes());
    b.extend_from_slice(value);
}

/// The body of an HTTP/1.x response (Content-Length or chunked), or an error for non-200.
pub(crate) fn http_body(raw: &[u8]) -> Result<Vec<u8>, IppError> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| IppError::Protocol("phản hồi HTTP không đầy đủ".into()))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let rest = &raw[split + 4..];
    let status_line = head.lines().next().unwrap_or_default();
    let status = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status != "200" {
        return Err(IppError::Protocol(format!("HTTP {status_line}")));
    }
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if !chunked {
        return Ok(rest.to_vec());
    }
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let line_end = rest[pos..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| IppError::Protocol("khối HTTP hỏng".into()))?;
        let size_text = String::from_utf8_lossy(&rest[pos..pos + line_end]);
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| IppError::Protocol(format!("độ dài khối HTTP «{size_hex}»")))?;
        pos += line_end + 2;
        if size == 0 {
            return Ok(out);
        }
        let end = pos
            .checked_add(size)
            .filter(|e| *e <= rest.len())
            .ok_or_else(|| IppError::Protocol("khối HTTP bị cắt".into()))?;
        out.extend_from_slice(&rest[pos..end]);
        pos = end + 2;
        if pos > rest.len() {
            return Err(IppError::Protocol("khối HTTP bị cắt".into()));
        }
    }
}

/// Reads status and the job attributes we asked for; ignores everything else.
pub(crate) fn decode_job_response(b: &[u8]) -> Result<JobAttrs, IppError> {
    let short = || IppError::Protocol("phản hồi IPP bị cắt".into());
    if b.len() < 8 {
        return Err(short());
    }
    let status = u16::from_be_bytes([b[2], b[3]]);
    if status == STATUS_NOT_FOUND {
        return Err(IppError::NotFound);
    }
    if status >= 0x0100 {
        return Err(IppError::Protocol(format!("mã lỗi IPP 0x{status:04x}")));
    }
    let mut attrs = JobAttrs::default();
    let mut pos = 8;
    let mut last_name = String::new();
    while pos < b.len() {
        let tag = b[pos];
        pos += 1;
        if tag == TAG_END {
            break;
        }
        if tag < 0x10 {
            continue; // a new attribute group
        }
        let name_len = read_u16(b, pos).ok_or_else(short)? as usize;
        pos += 2;
        let name = b.get(pos..pos + name_len).ok_or_else(short)?;
        pos += name_len;
        let value_len = read_u16(b, pos).ok_or_else(short)? as usize;
        pos += 2;
        let value = b.get(pos..pos + value_len).ok_or_else(short)?;
        pos += value_len;
        if !name.is_empty() {
            last_name = String::from_utf8_lossy(name).into_owned();
        }
        match (last_name.as_str(), tag) {
            ("job-state", TAG_ENUM) if value.len() == 4 => {
                attrs.state = Some(i32::from_be_bytes([value[0], value[1], value[2], value[3]]));
            }
            ("job-state-reasons", TAG_KEYWORD) => {
                attrs
                    .reasons
                    .push(String::from_utf8_lossy(value).into_owned());
            }
            ("job-state-message", TAG_TEXT) => {
                attrs.message = String::from_utf8_lossy(value).into_owned();
            }
            _ => {}
        }
    }
    Ok(attrs)
}

fn read_u16(b: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(pos)?, *b.get(pos + 1)?]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(attrs: &[(u8, &str, &[u8])]) -> Vec<u8> {
        let mut b = vec![2, 0, 0, 0, 0, 0, 0, 1, 0x01];
        attr(&mut b, TAG_CHARSET, "attributes-charset", b"utf-8");
        b.push(0x02); // job attributes group
        for (tag, name, value) in attrs {
            attr(&mut b, *tag, name, value);
        }
        b.push(TAG_END);
        b
    }

    #[test]
    fn request_is_well_formed() {
        let r = encode_get_job(12, "root");
        assert_eq!(&r[..4], &[2, 0, 0, 9]);
        assert_eq!(*r.last().unwrap(), TAG_END);
        assert!(r.windows(23).any(|w| w == b"ipp://localhost/jobs/12"));
    }

    #[test]
    fn states_map() {
        let r = response(&[
            (TAG_ENUM, "job-state", &9i32.to_be_bytes()),
            (
                TAG_KEYWORD,
                "job-state-reasons",
                b"job-completed-successfully",
            ),
        ]);
        assert_eq!(
            decode_job_response(&r).unwrap().job_state(),
            JobState::Completed
        );
        let r = response(&[
            (TAG_ENUM, "job-state", &3i32.to_be_bytes()),
            (TAG_KEYWORD, "job-state-reasons", b"job-incoming"),
            (TAG_KEYWORD, "", b"printer-stopped"),
            (TAG_TEXT, "job-state-message", b"paused"),
        ]);
        let a = decode_job_response(&r).unwrap();
        assert_eq!(a.reasons, ["job-incoming", "printer-stopped"]);
        assert_eq!(
            a.job_state(),
            JobState::Stopped("paused (job-incoming, printer-stopped)".into())
        );
        let r = response(&[(TAG_ENUM, "job-state", &8i32.to_be_bytes())]);
        assert!(matches!(
            decode_job_response(&r).unwrap().job_state(),
            JobState::Failed(_)
        ));
    }

    #[test]
    fn not_found_status() {
        let b = [2, 0, 0x04, 0x06, 0, 0, 0, 1, TAG_END];
        assert!(matches!(decode_job_response(&b), Err(IppError::NotFound)));
    }

    #[test]
    fn chunked_http() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(http_body(raw).unwrap(), b"abcde");
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nxy";
        assert_eq!(http_body(raw).unwrap(), b"xy");
        assert!(http_body(b"HTTP/1.1 403 Forbidden\r\n\r\n").is_err());
    }

    proptest::proptest! {
        #[test]
        fn decoders_never_panic(b in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = decode_job_response(&b);
            let _ = http_body(&b);
        }
    }
}
