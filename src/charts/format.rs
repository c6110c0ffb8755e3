//! How charts write numbers, dates and durations ("2,431", "Apr 13", "1.4 h").

use chrono::NaiveDate;

/// "Apr 13".
pub(crate) fn short_date(d: NaiveDate) -> String {
    d.format("%b %-d").to_string()
}

/// The unit a duration axis is written in, chosen from the largest value drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl DurationUnit {
    /// The unit a person reads for durations up to `max_s` seconds.
    pub fn for_max(max_s: f64) -> Self {
        if max_s < 120.0 {
            Self::Seconds
        } else if max_s < 90.0 * 60.0 {
            Self::Minutes
        } else if max_s < 72.0 * 3600.0 {
            Self::Hours
        } else {
            Self::Days
        }
    }

    pub fn seconds(self) -> f64 {
        match self {
            Self::Seconds => 1.0,
            Self::Minutes => 60.0,
            Self::Hours => 3600.0,
            Self::Days => 86400.0,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Self::Seconds => "s",
            Self::Minutes => "min",
            Self::Hours => "h",
            Self::Days => "d",
        }
    }
}

/// A tick value with as many decimals as the step needs: 1,500 · 2.5 · 0.25.
pub(crate) fn tick_number(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        // 0.5 → 1, 0.25 → 2, 0.2 → 1
        (1..=3)
            .find(|&d| {
                let m = 10f64.powi(d) * step;
                (m - m.round()).abs() < 1e-6
            })
            .unwrap_or(3) as usize
    };
    if decimals == 0 {
        let r = v.round();
        if r >= 0.0 {
            crate::units::count(r as u64)
        } else {
            format!("-{}", crate::units::count((-r) as u64))
        }
    } else {
        format!("{v:.decimals$}")
    }
}

/// Evenly spaced "nice" ticks from 0 (or `min`, if below 0) to at least `max`, about `count`
/// of them. Returns (ticks, step). With `integer`, steps are whole numbers.
pub(crate) fn nice_ticks(min: f64, max: f64, count: usize, integer: bool) -> (Vec<f64>, f64) {
    let lo = min.min(0.0);
    let hi = if max > lo { max } else { lo + 1.0 };
    let raw = (hi - lo) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&n| n >= norm - 1e-9)
        .unwrap_or(10.0);
    let mut step = nice * mag;
    if integer {
        step = if step < 1.0 { 1.0 } else { step.round() };
    }
    let first = (lo / step).floor() * step;
    let last = (hi / step).ceil() * step;
    let n = ((last - first) / step).round() as usize;
    let ticks = (0..=n).map(|i| first + i as f64 * step).collect();
    (ticks, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice_and_cover_the_data() {
        let (t, s) = nice_ticks(0.0, 93.0, 5, false);
        assert_eq!(s, 20.0);
        assert_eq!(t.last().copied(), Some(100.0));
        let (t, s) = nice_ticks(0.0, 3.0, 5, true);
        assert_eq!(s, 1.0);
        assert_eq!(t, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(tick_number(2.5, 0.5), "2.5");
        assert_eq!(tick_number(1500.0, 500.0), "1,500");
    }
}
