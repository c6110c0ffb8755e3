//! Figures as a person reads them: "35 min", "1.4 h", "2.1 d"; "41%", "8.5%".

/// A duration in the unit a person reads.
pub fn duration(seconds: f64) -> String {
    let s = seconds.abs();
    let sign = if seconds < 0.0 { "−" } else { "" };
    if s < 60.0 {
        format!("{sign}{s:.0} s")
    } else if s < 3600.0 {
        format!("{sign}{:.0} min", s / 60.0)
    } else if s < 86_400.0 * 2.0 {
        format!("{sign}{:.1} h", s / 3600.0)
    } else {
        format!("{sign}{:.1} d", s / 86_400.0)
    }
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
        if i > 0 && (digits.len() - i) % 3 == 0 {
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
