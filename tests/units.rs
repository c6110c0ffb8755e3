//! How figures read: the same words in the app, the charts and reports.

use chrono::NaiveDate;
use streamline::units;

#[test]
fn counts_get_thousands_separators() {
    assert_eq!(units::count(0), "0");
    assert_eq!(units::count(999), "999");
    assert_eq!(units::count(2431), "2,431");
    assert_eq!(units::count(1_000_000), "1,000,000");
}

#[test]
fn durations_pick_a_readable_unit() {
    assert_eq!(units::duration(42.0), "42 s");
    assert_eq!(units::duration(35.0 * 60.0), "35 min");
    assert_eq!(units::duration(1.4 * 3600.0), "1.4 h");
    assert_eq!(
        units::duration(12.0 * 3600.0),
        "12 h",
        "no decimal from ten on"
    );
    assert_eq!(units::duration(2.1 * 86400.0), "2.1 d");
    assert_eq!(
        units::duration(-1.5 * 3600.0),
        "−1.5 h",
        "a real minus sign"
    );
}

#[test]
fn shares_and_changes_read_as_percentages() {
    assert_eq!(units::percent(0.41), "41%");
    assert_eq!(units::percent(0.085), "8.5%", "one decimal below 10%");
    assert_eq!(units::percent(0.0), "0%");
    assert_eq!(units::change(-0.82), "−82%");
    assert_eq!(units::change(0.22), "+22%");
}

#[test]
fn dates_and_ranges_read_naturally() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        units::date(d(2026, 4, 13), d(2026, 12, 1)),
        "Apr 13",
        "within the year"
    );
    assert_eq!(units::date(d(2025, 4, 13), d(2026, 12, 1)), "Apr 13, 2025");
    assert_eq!(
        units::date_range(d(2026, 3, 2), d(2026, 6, 21)),
        "Mar 2 – Jun 21, 2026"
    );
    assert_eq!(
        units::date_range(d(2025, 12, 29), d(2026, 3, 22)),
        "Dec 29, 2025 – Mar 22, 2026"
    );
    assert_eq!(
        units::date_range(d(2026, 6, 2), d(2026, 6, 2)),
        "Jun 2, 2026"
    );
}
