//! Figures as a person reads them, the same in the app, the charts and reports: "35 min",
//! "1.4 h", "2.1 d"; "41%", "8.5%"; "2,431"; "Apr 13", "Mar 2 – Jun 21, 2026".

/// A duration in its own unit, with one decimal where it helps: "35 min", "1.4 h", "12 h",
/// "2.1 d".
pub fn duration(seconds: f64) -> String {
    let abs = seconds.abs();
    let (unit, suffix) = if abs < 60.0 {
        (1.0, "s")
    } else if abs < 3600.0 {
        (60.0, "min")
    } else if abs < 48.0 * 3600.0 {
        (3600.0, "h")
    } else {
        (86_400.0, "d")
    };
    let v = seconds / unit;
    let digits = if v.abs() >= 10.0 || v.fract() == 0.0 {
        format!("{:.0}", v.abs())
    } else {
        format!("{:.1}", v.abs())
    };
    let sign = if v < 0.0 && digits.trim_start_matches(['0', '.']).is_empty() {
        ""
    } else if v < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{digits} {suffix}")
}

/// A share (0..1) as a percentage: no decimals above 10%, one below.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p.abs() >= 10.0 || p == 0.0 {
        format!("{}%", signed(format!("{:.0}", p.abs()), p))
    } else {
        format!("{}%", signed(format!("{:.1}", p.abs()), p))
    }
}

/// A signed percentage change with a real minus sign: "−82%", "+22%".
pub fn change(share: f64) -> String {
    let text = percent(share);
    if share > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

fn signed(digits: String, value: f64) -> String {
    if value < 0.0 && digits.trim_start_matches(['0', '.']).is_empty() {
        digits
    } else if value < 0.0 {
        format!("−{digits}")
    } else {
        digits
    }
}

/// A count with thousands separators: "2,431".
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "Apr 13" when in the same year as `reference`, "Apr 13, 2025" otherwise.
pub fn date(date: chrono::NaiveDate, reference: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if date.year() == reference.year() {
        date.format("%b %-d").to_string()
    } else {
        date.format("%b %-d, %Y").to_string()
    }
}

/// A date range the way people write it: "Mar 2 – Jun 21, 2026" within a year,
/// "Dec 29, 2025 – Mar 22, 2026" across years, "Jun 2, 2026" for one day.
pub fn date_range(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let long = |d: chrono::NaiveDate| d.format("%b %-d, %Y").to_string();
    if first == last {
        long(first)
    } else if first.year() == last.year() {
        format!("{} – {}", first.format("%b %-d"), long(last))
    } else {
        format!("{} – {}", long(first), long(last))
    }
}
