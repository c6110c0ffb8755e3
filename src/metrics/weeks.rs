//! ISO weeks (Monday start) in a time zone, as UTC instants, so that sorting an item into its
//! week is a binary search rather than a time-zone conversion per item.

use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;

/// The Monday of the ISO week that holds `date`.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The instant (epoch ms) at which `date` begins in `tz`. Where a zone skips midnight (a DST
/// change at 00:00), the day begins at the first instant that exists.
pub fn day_start_ms(date: NaiveDate, tz: Tz) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..=3)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight + Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| midnight.and_utc().timestamp_millis())
}

/// The calendar day of an instant in `tz`.
pub fn local_date(ms: i64, tz: Tz) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz).date_naive())
}

/// Consecutive weeks, from the week of `first` to the week of `last` (calendar days in `tz`).
#[derive(Debug, Clone)]
pub struct WeekGrid {
    starts: Vec<NaiveDate>,
    /// `starts.len() + 1` boundaries: week i is `[bounds[i], bounds[i + 1])`.
    bounds_ms: Vec<i64>,
}

impl WeekGrid {
    /// No weeks at all: a period without items.
    pub fn empty() -> WeekGrid {
        WeekGrid {
            starts: Vec::new(),
            bounds_ms: vec![0],
        }
    }

    pub fn new(first: NaiveDate, last: NaiveDate, tz: Tz) -> WeekGrid {
        let mut starts = Vec::new();
        let mut monday = week_start(first);
        let end = week_start(last.max(first));
        while monday <= end {
            starts.push(monday);
            monday += Duration::weeks(1);
        }
        let bounds_ms = starts
            .iter()
            .copied()
            .chain(std::iter::once(monday))
            .map(|d| day_start_ms(d, tz))
            .collect();
        WeekGrid { starts, bounds_ms }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn start(&self, i: usize) -> NaiveDate {
        self.starts[i]
    }

    pub fn starts(&self) -> &[NaiveDate] {
        &self.starts
    }

    /// The instant week `i` ends (the next Monday's start).
    pub fn end_ms(&self, i: usize) -> i64 {
        self.bounds_ms[i + 1]
    }

    pub fn start_ms(&self, i: usize) -> i64 {
        self.bounds_ms[i]
    }

    /// The week an instant falls in, if any.
    pub fn index_of(&self, ms: i64) -> Option<usize> {
        if self.is_empty() || ms < self.bounds_ms[0] || ms >= self.bounds_ms[self.len()] {
            return None;
        }
        Some(self.bounds_ms.partition_point(|&b| b <= ms) - 1)
    }

    /// "2025-W23".
    pub fn label(&self, i: usize) -> String {
        let iso = self.starts[i].iso_week();
        format!("{}-W{:02}", iso.year(), iso.week())
    }
}
