//! Reading the time stamps exports write: ISO 8601 with 0–9 fractional digits and any offset
//! form, display dates such as `6/3/2025, 5:38:51.046 AM` (month or day first), and epoch
//! seconds or milliseconds. Every result is UTC epoch milliseconds.
//!
//! The parser is hand-written rather than a chrono format string because it runs on every time
//! column of every row (millions of cells) and must accept many shapes at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which number comes first in a date like `3/6/2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Month first (`6/3/2025` is 3 June): US display dates.
    Mdy,
    /// Day first (`3/6/2025` is 3 June).
    Dmy,
}

impl DateOrder {
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
    }

    pub fn parse(value: &str) -> Option<DateOrder> {
        match value.trim().to_ascii_lowercase().as_str() {
            "mdy" | "month-first" | "us" => Some(DateOrder::Mdy),
            "dmy" | "day-first" => Some(DateOrder::Dmy),
            _ => None,
        }
    }
}

/// How an import's date order was settled; recorded with the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrderFrom {
    /// A date in the file could only be read one way.
    Data,
    /// The user chose it.
    User,
    /// No date in the file told the orders apart; month-first was assumed.
    Assumed,
}

impl DateOrderFrom {
    pub fn name(self) -> &'static str {
        match self {
            DateOrderFrom::Data => "data",
            DateOrderFrom::User => "user",
            DateOrderFrom::Assumed => "assumed",
        }
    }
}

/// Reads time stamps under one date order.
#[derive(Debug, Clone, Copy)]
pub struct DateReader {
    pub order: DateOrder,
}

/// A display date whose first two numbers are both 12 or less reads either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// No day/month date here (ISO, epoch, empty).
    None,
    Ambiguous,
    Only(DateOrder),
}

/// What a date cell says about the order, without reading it fully: for the pre-scan.
pub fn order_evidence(value: &str) -> Evidence {
    let Some((a, b)) = leading_day_month(value.trim().as_bytes()) else {
        return Evidence::None;
    };
    match (a > 12, b > 12) {
        (true, false) => Evidence::Only(DateOrder::Dmy),
        (false, true) => Evidence::Only(DateOrder::Mdy),
        _ => Evidence::Ambiguous,
    }
}

/// `A/B/YYYY…` (also `.` or `-` between): the first two numbers.
fn leading_day_month(s: &[u8]) -> Option<(u32, u32)> {
    let mut p = Cursor { s, i: 0 };
    let a = p.number(1, 2)?;
    let sep = p.next()?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let b = p.number(1, 2)?;
    if p.next()? != sep {
        return None;
    }
    p.number(4, 4)?;
    Some((a, b))
}

impl DateReader {
    pub fn new(order: DateOrder) -> Self {
        DateReader { order }
    }

    /// An instant, or `None` for an empty cell (`""`, `null`). The error says why it is not one.
    pub fn read(&self, value: &str) -> Result<Option<i64>, String> {
        let v = value.trim();
        if v.is_empty() || v.eq_ignore_ascii_case("null") || v == "-" {
            return Ok(None);
        }
        self.read_instant(v)
            .map(Some)
            .ok_or_else(|| describe_bad(v, self.order))
    }

    fn read_instant(&self, v: &str) -> Option<i64> {
        let b = v.as_bytes();
        if b.len() >= 10 && matches!(b[4], b'-' | b'/') && b[..4].iter().all(u8::is_ascii_digit) {
            return iso(b);
        }
        if b.iter().all(|c| c.is_ascii_digit() || *c == b'.') && b[0].is_ascii_digit() {
            return epoch(v);
        }
        display(b, self.order)
    }
}

fn describe_bad(v: &str, order: DateOrder) -> String {
    let shown: String = v.chars().take(60).collect();
    if let Some((a, b)) = leading_day_month(v.as_bytes()) {
        let (month, day) = match order {
            DateOrder::Mdy => (a, b),
            DateOrder::Dmy => (b, a),
        };
        if month > 12 && day <= 12 {
            let other = match order {
                DateOrder::Mdy => "day-first",
                DateOrder::Dmy => "month-first",
            };
            return format!(
                "{shown:?} is a {other} date, but this file's dates are read {} (use --date-order to change)",
                match order {
                    DateOrder::Mdy => "month-first",
                    DateOrder::Dmy => "day-first",
                }
            );
        }
    }
    format!("{shown:?} is not a date and time")
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    /// `min..=max` digits as a number.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        let mut n: u32 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    n = n * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(n)
    }
    /// `.ffff…` after the seconds: any number of digits, kept to milliseconds.
    fn fraction_ms(&mut self) -> Option<u32> {
        if !(self.eat(b'.') || self.eat(b',')) {
            return Some(0);
        }
        let start = self.i;
        let mut ms = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            if self.i - start < 3 {
                ms = ms * 10 + u32::from(c - b'0');
            }
            self.i += 1;
        }
        let digits = self.i - start;
        if digits == 0 {
            return None;
        }
        for _ in digits..3 {
            ms *= 10;
        }
        Some(ms)
    }
}

fn to_ms(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?;
    // 24:00:00 is not used by these exports; a leap second (60) is read as 59.
    let t = date.and_hms_milli_opt(h, mi, s.min(59), ms)?;
    Some(t.and_utc().timestamp_millis())
}

/// `2025-06-02T16:42:40.1198271Z`, `2025-08-23T17:44:11.277+00:00`, `2025-06-02 16:42:40`,
/// `…+0000`, or a bare date. No offset means UTC: these columns are UTC in every export read.
fn iso(b: &[u8]) -> Option<i64> {
    let mut p = Cursor { s: b, i: 0 };
    let y = p.number(4, 4)?;
    // `2025/06/02` (year first is never ambiguous) reads like `2025-06-02`.
    let sep = p.next().filter(|c| matches!(c, b'-' | b'/'))?;
    let mo = p.number(2, 2)?;
    p.eat(sep).then_some(())?;
    let d = p.number(2, 2)?;
    if p.done() {
        return to_ms(y, mo, d, 0, 0, 0, 0);
    }
    if !(p.eat(b'T') || p.eat(b' ') || p.eat(b't')) {
        return None;
    }
    let h = p.number(2, 2)?;
    p.eat(b':').then_some(())?;
    let mi = p.number(2, 2)?;
    let s = if p.eat(b':') { p.number(2, 2)? } else { 0 };
    let ms = p.fraction_ms()?;
    p.skip_spaces();
    let offset_min: i64 = match p.next() {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let oh = p.number(2, 2)?;
            p.eat(b':');
            let om = if p.done() { 0 } else { p.number(2, 2)? };
            let total = i64::from(oh * 60 + om);
            if sign == b'+' {
                total
            } else {
                -total
            }
        }
        Some(_) => return None,
    };
    if !p.done() || offset_min.abs() > 18 * 60 {
        return None;
    }
    Some(to_ms(y, mo, d, h, mi, s, ms)? - offset_min * 60_000)
}

/// Epoch seconds (`1755976158.269651`) or milliseconds (`1749331433266`), told apart by size:
/// 10^11 seconds is the year 5138, 10^11 milliseconds is 1973.
fn epoch(v: &str) -> Option<i64> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if int.is_empty() || int.len() > 15 || frac.contains('.') {
        return None;
    }
    let n: i64 = int.parse().ok()?;
    if n >= 100_000_000_000 {
        return frac.is_empty().then_some(n);
    }
    // Below 10^9 seconds (2001) a number is a count or a compact date, not an export's time.
    if n < 1_000_000_000 {
        return None;
    }
    let mut ms: i64 = 0;
    let digits = frac.bytes().take(3).collect::<Vec<_>>();
    for i in 0..3 {
        ms = ms * 10 + digits.get(i).map_or(0, |c| i64::from(c - b'0'));
    }
    Some(n * 1000 + ms)
}

/// `6/3/2025, 5:38:51.046 AM`, `8/20/2025 11:14:37 AM`, `20/08/2025 14:02`, `20.08.2025`.
fn display(b: &[u8], order: DateOrder) -> Option<i64> {
    let mut p = Cursor { s: b, i: 0 };
    let a = p.number(1, 2)?;
    let sep = p.next()?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let c = p.number(1, 2)?;
    p.eat(sep).then_some(())?;
    let y = p.number(4, 4)?;
    let (mo, d) = match order {
        DateOrder::Mdy => (a, c),
        DateOrder::Dmy => (c, a),
    };
    p.eat(b',');
    p.skip_spaces();
    if p.done() {
        return to_ms(y, mo, d, 0, 0, 0, 0);
    }
    let mut h = p.number(1, 2)?;
    p.eat(b':').then_some(())?;
    let mi = p.number(2, 2)?;
    let s = if p.eat(b':') { p.number(2, 2)? } else { 0 };
    let ms = p.fraction_ms()?;
    p.skip_spaces();
    if !p.done() {
        let rest = std::str::from_utf8(&b[p.i..]).ok()?.trim();
        let pm = if rest.eq_ignore_ascii_case("PM") || rest.eq_ignore_ascii_case("p.m.") {
            true
        } else if rest.eq_ignore_ascii_case("AM") || rest.eq_ignore_ascii_case("a.m.") {
            false
        } else if rest.eq_ignore_ascii_case("Z") || rest.eq_ignore_ascii_case("UTC") {
            return to_ms(y, mo, d, h, mi, s, ms);
        } else {
            return None;
        };
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (pm, h) {
            (false, 12) => 0,
            (false, h) => h,
            (true, 12) => 12,
            (true, h) => h + 12,
        };
    }
    to_ms(y, mo, d, h, mi, s, ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn reads_every_iso_form() {
        let r = DateReader::new(DateOrder::Mdy);
        assert_eq!(
            r.read("2025-06-02T17:24:40.1198271Z"),
            Ok(Some(ms("2025-06-02T17:24:40.119Z")))
        );
        assert_eq!(
            r.read("2025-06-02T17:24:40Z"),
            Ok(Some(ms("2025-06-02T17:24:40Z")))
        );
        assert_eq!(
            r.read("2025-06-02T17:24:40.1Z"),
            Ok(Some(ms("2025-06-02T17:24:40.100Z")))
        );
        assert_eq!(
            r.read("2025-08-23T17:44:11.277+02:00"),
            Ok(Some(ms("2025-08-23T15:44:11.277Z")))
        );
        assert_eq!(
            r.read("2025-08-23T17:44:11.277-0130"),
            Ok(Some(ms("2025-08-23T19:14:11.277Z")))
        );
        assert_eq!(
            r.read("2025-08-23 17:44:11"),
            Ok(Some(ms("2025-08-23T17:44:11Z")))
        );
        assert_eq!(r.read("2025-08-23"), Ok(Some(ms("2025-08-23T00:00:00Z"))));
        assert_eq!(
            r.read("2025/08/23 17:44:11"),
            Ok(Some(ms("2025-08-23T17:44:11Z")))
        );
        assert!(
            r.read("2025-13-23T00:00:00Z").is_err(),
            "month 13 is no date"
        );
    }

    #[test]
    fn reads_zero_to_seven_fractional_digits() {
        let r = DateReader::new(DateOrder::Mdy);
        let whole = ms("2025-06-02T17:24:40Z");
        let cases = [
            ("", 0),
            (".1", 100),
            (".12", 120),
            (".123", 123),
            (".1234", 123),
            (".12345", 123),
        ];
        for (fraction, extra) in cases
            .into_iter()
            .chain([(".123456", 123), (".1234567", 123)])
        {
            let value = format!("2025-06-02T17:24:40{fraction}Z");
            assert_eq!(r.read(&value), Ok(Some(whole + extra)), "{value}");
            let shown = format!("6/2/2025, 5:24:40{fraction} PM");
            assert_eq!(r.read(&shown), Ok(Some(whole + extra)), "{shown}");
        }
    }

    #[test]
    fn reads_display_dates_in_either_order() {
        let us = DateReader::new(DateOrder::Mdy);
        let eu = DateReader::new(DateOrder::Dmy);
        assert_eq!(
            us.read("6/3/2025, 5:38:51.046 AM"),
            Ok(Some(ms("2025-06-03T05:38:51.046Z")))
        );
        assert_eq!(
            us.read("8/20/2025 12:14:37 AM"),
            Ok(Some(ms("2025-08-20T00:14:37Z")))
        );
        assert_eq!(
            us.read("8/20/2025 12:14:37 PM"),
            Ok(Some(ms("2025-08-20T12:14:37Z")))
        );
        assert_eq!(
            eu.read("6/3/2025, 5:38:51.046 PM"),
            Ok(Some(ms("2025-03-06T17:38:51.046Z")))
        );
        assert_eq!(
            eu.read("20.08.2025 14:02"),
            Ok(Some(ms("2025-08-20T14:02:00Z")))
        );
        assert!(
            us.read("20/08/2025 14:02").is_err(),
            "day 20 cannot be a month"
        );
        assert!(
            us.read("8/20/2025 13:14:37 PM").is_err(),
            "13 PM is no hour"
        );
    }

    #[test]
    fn reads_epoch_seconds_and_milliseconds() {
        let r = DateReader::new(DateOrder::Mdy);
        assert_eq!(r.read("1755976158.269651"), Ok(Some(1_755_976_158_269)));
        assert_eq!(r.read("1755976158"), Ok(Some(1_755_976_158_000)));
        assert_eq!(r.read("1749331433266"), Ok(Some(1_749_331_433_266)));
        assert_eq!(r.read(""), Ok(None));
        assert_eq!(r.read("null"), Ok(None));
        assert!(
            r.read("20250603").is_err(),
            "a compact date is not epoch seconds"
        );
        assert!(r.read("42").is_err(), "a small number is not a time");
    }

    #[test]
    fn tells_the_order_from_a_day_over_twelve() {
        assert_eq!(
            order_evidence("8/20/2025 11:14:37 AM"),
            Evidence::Only(DateOrder::Mdy)
        );
        assert_eq!(
            order_evidence("20/8/2025 11:14"),
            Evidence::Only(DateOrder::Dmy)
        );
        assert_eq!(
            order_evidence("6/3/2025, 5:38:51.046 AM"),
            Evidence::Ambiguous
        );
        assert_eq!(order_evidence("2025-06-03T05:38:51Z"), Evidence::None);
    }
}
