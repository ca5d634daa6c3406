//! Parsers for the CUPS tools' output, run under `LC_ALL=C`. Pure functions over text: they
//! never panic, whatever the tools print (see the proptest).

use std::collections::HashMap;

use crate::{PrintError, PrinterState};

/// What `lpstat -l -p` says about one printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterStatus {
    pub name: String,
    pub state: PrinterState,
    pub description: String,
}

/// Keys of `lpstat -l` detail lines; any other indented line right after a printer's header
/// is its state message ("Paused", "Rejecting Jobs", an administrator's reason).
const LONG_KEYS: &[&str] = &[
    "Form mounted:",
    "Content types:",
    "Printer types:",
    "Description:",
    "Alerts:",
    "Location:",
    "Connection:",
    "Interface:",
    "On fault:",
    "After fault:",
    "Users allowed:",
    "Users denied:",
    "Forms allowed:",
    "Banner required",
    "Charset sets:",
    "Default pitch:",
    "Default page size:",
    "Default port settings:",
];

/// `lpstat -l -p` (or plain `-p`):
/// ```text
/// printer GDD-PDF is idle.  enabled since Wed Nov 25 04:58:41 2026
/// printer OFFICE now printing OFFICE-7.  enabled since …
/// printer OLD disabled since Wed Nov 25 04:58:54 2026 -
/// <TAB>maintenance
/// <TAB>Description: GDD test PDF printer
/// ```
pub fn printers_status(out: &str) -> Vec<PrinterStatus> {
    let mut list: Vec<PrinterStatus> = Vec::new();
    let mut message_allowed = false;
    for line in out.lines() {
        if let Some(rest) = line.strip_prefix("printer ") {
            let mut words = rest.split_whitespace();
            let Some(name) = words.next() else { continue };
            let verb = words.next().unwrap_or_default();
            let state = match verb {
                "disabled" => PrinterState::Stopped(String::new()),
                "now" => PrinterState::Printing,
                _ => PrinterState::Idle,
            };
            list.push(PrinterStatus {
                name: name.to_string(),
                state,
                description: String::new(),
            });
            message_allowed = true;
            continue;
        }
        let Some(current) = list.last_mut() else {
            continue;
        };
        let Some(detail) = line.strip_prefix('\t') else {
            message_allowed = false;
            continue;
        };
        let detail_trim = detail.trim();
        if let Some(d) = detail_trim.strip_prefix("Description:") {
            current.description = d.trim().to_string();
        }
        let is_key = LONG_KEYS.iter().any(|k| detail_trim.starts_with(k));
        if message_allowed && !is_key && !detail.starts_with('\t') {
            if let PrinterState::Stopped(reason) = &mut current.state {
                if detail_trim != "reason unknown" {
                    *reason = detail_trim.to_string();
                }
            }
        }
        message_allowed = false;
    }
    list
}

/// `lpstat -a`: which destinations accept jobs.
/// ```text
/// GDD-PDF accepting requests since Wed Nov 25 04:58:41 2026
/// OLD not accepting requests since Wed Nov 25 04:58:54 2026 -
/// <TAB>maintenance
/// ```
pub fn accepting(out: &str) -> HashMap<String, bool> {
    let mut map = HashMap::new();
    for line in out.lines() {
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(name), Some(verb)) = (words.next(), words.next()) else {
            continue;
        };
        match verb {
            "accepting" => {
                map.insert(name.to_string(), true);
            }
            "not" => {
                map.insert(name.to_string(), false);
            }
            _ => {}
        }
    }
    map
}

/// `lpstat -e`: one destination name per line (also printers found on the network that CUPS
/// would set up on first use).
pub fn destinations(out: &str) -> Vec<String> {
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.contains(char::is_whitespace))
        .map(str::to_string)
        .collect()
}

/// `lpstat -d`: "system default destination: NAME" (NAME may be "queue/instance") or
/// "no system default destination".
pub fn default_destination(out: &str) -> Option<String> {
    out.lines().find_map(|l| {
        let name = l.trim().strip_prefix("system default destination:")?.trim();
        let queue = name.split('/').next().unwrap_or(name);
        (!queue.is_empty()).then(|| queue.to_string())
    })
}

/// `lp`: "request id is GDD-PDF-12 (1 file(s))".
pub fn request_id(out: &str) -> Option<String> {
    out.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("request id is ")?;
        let id = rest.split_whitespace().next()?;
        (!id.is_empty()).then(|| id.to_string())
    })
}

/// The CUPS job number at the end of a request id ("GDD-PDF-12" → 12).
pub fn job_number(request_id: &str) -> Option<u32> {
    request_id.rsplit('-').next()?.parse().ok()
}

/// Turns a CUPS tool's stderr into a typed error. `printer` names the destination involved,
/// if any.
pub fn classify_stderr(tool: &str, stderr: &str, printer: Option<&str>) -> PrintError {
    let text = stderr.trim();
    let lower = text.to_ascii_lowercase();
    let printer_name = printer.unwrap_or_default().to_string();
    if lower.contains("scheduler is not running")
        || lower.contains("unable to connect to server")
        || lower.contains("connection refused")
    {
        return PrintError::ServiceDown {
            detail: text.to_string(),
        };
    }
    if lower.contains("is not accepting jobs") || lower.contains("not accepting") {
        return PrintError::NotAccepting {
            printer: printer_name,
            reason: String::new(),
        };
    }
    if lower.contains("printer or class does not exist")
        || lower.contains("invalid destination name")
        || lower.contains("unknown destination")
        || lower.contains("the printer or class was not found")
    {
        return PrintError::PrinterNotFound {
            printer: printer_name,
        };
    }
    if lower.contains("unable to access") {
        return PrintError::File {
            path: Default::default(),
            detail: text.to_string(),
        };
    }
    if lower.contains("does not exist") && lower.contains("job") {
        return PrintError::JobNotFound { job: String::new() };
    }
    PrintError::Tool {
        tool: tool.to_string(),
        detail: if text.is_empty() {
            "không có thông báo lỗi".to_string()
        } else {
            text.to_string()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Captured from CUPS 2.4.2 (Debian 12) with LC_ALL=C.
    const LPSTAT_LP_IDLE: &str = "printer GDD-PDF is idle.  enabled since Wed Nov 25 04:58:41 2026\n\tForm mounted:\n\tContent types: any\n\tPrinter types: unknown\n\tDescription: GDD test PDF printer\n\tAlerts: none\n\tLocation: \n\tConnection: direct\n\tInterface: /etc/cups/ppd/GDD-PDF.ppd\n\tOn fault: no alert\n\tAfter fault: continue\n\tUsers allowed:\n\t\t(all)\n\tForms allowed:\n\t\t(none)\n\tBanner required\n\tCharset sets:\n\t\t(none)\n\tDefault pitch:\n\tDefault page size:\n\tDefault port settings:\n";
    const LPSTAT_LP_DISABLED: &str = "printer GDD-PDF disabled since Wed Nov 25 04:58:54 2026 -\n\tmaintenance\n\tForm mounted:\n\tContent types: any\n\tPrinter types: unknown\n\tDescription: GDD test PDF printer\n\tAlerts: paused\n\tLocation: \n";
    const LPSTAT_P_TWO: &str = "printer GDD-PDF disabled since Wed Nov 25 04:58:54 2026 -\n\treason unknown\nprinter OFFICE now printing OFFICE-7.  enabled since Wed Nov 25 05:01:00 2026\n\tSending data to printer.\n";
    const LPSTAT_A: &str = "GDD-PDF not accepting requests since Wed Nov 25 04:58:54 2026 -\n\tmaintenance\nOFFICE accepting requests since Wed Nov 25 05:01:00 2026\n";

    #[test]
    fn idle_printer_with_description() {
        let p = printers_status(LPSTAT_LP_IDLE);
        assert_eq!(
            p,
            [PrinterStatus {
                name: "GDD-PDF".into(),
                state: PrinterState::Idle,
                description: "GDD test PDF printer".into()
            }]
        );
    }

    #[test]
    fn disabled_printer_keeps_its_reason() {
        let p = printers_status(LPSTAT_LP_DISABLED);
        assert_eq!(p[0].state, PrinterState::Stopped("maintenance".into()));
        assert_eq!(p[0].description, "GDD test PDF printer");
    }

    #[test]
    fn several_printers_and_printing() {
        let p = printers_status(LPSTAT_P_TWO);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].state, PrinterState::Stopped(String::new()));
        assert_eq!(p[1].name, "OFFICE");
        assert_eq!(p[1].state, PrinterState::Printing);
    }

    #[test]
    fn accepting_map() {
        let a = accepting(LPSTAT_A);
        assert_eq!(a.get("GDD-PDF"), Some(&false));
        assert_eq!(a.get("OFFICE"), Some(&true));
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn default_and_destinations() {
        assert_eq!(
            default_destination("system default destination: OFFICE\n"),
            Some("OFFICE".into())
        );
        assert_eq!(
            default_destination("system default destination: OFFICE/draft\n"),
            Some("OFFICE".into())
        );
        assert_eq!(default_destination("no system default destination\n"), None);
        assert_eq!(destinations("GDD-PDF\nOFFICE\n\n"), ["GDD-PDF", "OFFICE"]);
    }

    #[test]
    fn lp_request_id() {
        let id = request_id("request id is GDD-PDF-12 (1 file(s))\n").unwrap();
        assert_eq!(id, "GDD-PDF-12");
        assert_eq!(job_number(&id), Some(12));
        assert_eq!(request_id("lp: something else"), None);
        assert_eq!(job_number("GDD-PDF-x"), None);
    }

    #[test]
    fn stderr_classes() {
        let code = |s: &str| classify_stderr("lp", s, Some("X")).code();
        assert_eq!(
            code("lp: Error - The printer or class does not exist.\n"),
            "print.printer_not_found"
        );
        assert_eq!(
            code("lp: Destination \"GDD-PDF\" is not accepting jobs.\n"),
            "print.not_accepting"
        );
        assert_eq!(
            code("lpstat: Scheduler is not running.\n"),
            "print.service_down"
        );
        assert_eq!(
            code("cancel: Unable to connect to server.\n"),
            "print.service_down"
        );
        assert_eq!(
            code("lpstat: Invalid destination name in list \"NOPE\".\n"),
            "print.printer_not_found"
        );
        assert_eq!(
            code("lp: Error - unable to access \"/nonexistent\" - No such file or directory\n"),
            "print.file"
        );
        assert_eq!(
            code("cancel: cancel-job failed: Job #99 does not exist.\n"),
            "print.job_not_found"
        );
        assert_eq!(
            code("lp: Error - copies must be 1 or more.\n"),
            "print.tool_failed"
        );
        let msg = classify_stderr("lp", "is not accepting jobs", Some("GDD-PDF")).to_string();
        assert!(
            msg.contains("Máy in «GDD-PDF» đang tắt hoặc không nhận lệnh in"),
            "{msg}"
        );
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(s in "(?s).{0,400}") {
            let _ = printers_status(&s);
            let _ = accepting(&s);
            let _ = destinations(&s);
            let _ = default_destination(&s);
            let _ = request_id(&s);
            let _ = job_number(&s);
            let _ = classify_stderr("lp", &s, None);
        }

        #[test]
        fn parsers_never_panic_on_lpstat_like_text(
            lines in proptest::collection::vec(
                "(printer |\t|\t\t)?[A-Za-z0-9_-]{0,8}( is idle\\.| disabled since| now printing| accepting| not)?[ -~]{0,20}",
                0..12,
            )
        ) {
            let s = lines.join("\n");
            let _ = printers_status(&s);
            let _ = accepting(&s);
        }
    }
}
