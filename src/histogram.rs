//! The fixed log-spaced buckets of durations that aggregate files carry (docs/queries/README.md),
//! shared by the aggregate importer, the generator's reference aggregation and the figures.
//!
//! Bucket `b ≥ 0` holds the durations `d` (seconds) with `floor(10 · log10(max(d, 1))) = b`:
//! ten buckets per decade, each `10^0.1 ≈ 1.259` times as wide as the one before; bucket 0
//! holds `[0 s, 1.259 s)`. Negative durations (a data problem) go to bucket [`NEGATIVE`].
//!
//! A percentile is estimated as Excel's PERCENTILE.INC over the items' bucket representative
//! values (the geometric midpoint `10^((b + 0.5) / 10)` of the bucket; `0.63 s` for bucket 0).
//! Each order statistic is then off by at most a factor `10^0.05` (12.2%), or 0.63 s in bucket
//! 0, and so is the interpolation between two of them: `|estimate − exact| ≤ 0.122 · exact +
//! 0.63 s`. [`max_error_s`] states that bound.

use std::collections::BTreeMap;

/// The bucket of negative durations (counted as data problems, never in a figure).
pub const NEGATIVE: i32 = -1;
/// Buckets per decade.
pub const PER_DECADE: f64 = 10.0;
/// No duration reaches this bucket (10^20 s); a file naming one is wrong.
pub const MAX_BUCKET: i32 = 200;
/// The representative value of bucket 0, the middle of `[0, 1.259)` seconds.
const BUCKET_ZERO_VALUE_S: f64 = 0.63;

/// The bucket of a duration in seconds: the same formula the queries use.
pub fn bucket_of(seconds: f64) -> i32 {
    if seconds < 0.0 {
        return NEGATIVE;
    }
    // `as` saturates, so a NaN or an absurd value cannot wrap.
    ((PER_DECADE * seconds.max(1.0).log10()).floor() as i32).min(MAX_BUCKET)
}

/// `[lower, upper)` seconds of bucket `b ≥ 0` (bucket 0 starts at 0).
pub fn bucket_bounds(b: i32) -> (f64, f64) {
    let lower = if b <= 0 {
        0.0
    } else {
        10f64.powf(f64::from(b) / PER_DECADE)
    };
    (lower, 10f64.powf(f64::from(b + 1) / PER_DECADE))
}

/// The value that stands for every duration of bucket `b ≥ 0`: its geometric midpoint.
pub fn representative_s(b: i32) -> f64 {
    if b <= 0 {
        BUCKET_ZERO_VALUE_S
    } else {
        10f64.powf((f64::from(b) + 0.5) / PER_DECADE)
    }
}

/// The most a percentile estimated from buckets can be off from the exact one, `exact_s`.
pub fn max_error_s(exact_s: f64) -> f64 {
    (10f64.powf(0.5 / PER_DECADE) - 1.0) * exact_s.abs() + BUCKET_ZERO_VALUE_S
}

/// Counts and sums of durations by bucket: what an aggregate file holds for one timing, and
/// what exact durations become when they are merged with one. Memory grows with the buckets
/// used (at most a few hundred), never with the items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    /// Bucket (≥ 0) → (items, sum of their seconds).
    buckets: BTreeMap<i32, (u64, f64)>,
    /// Items in the buckets.
    n: u64,
    sum_s: f64,
}

impl Histogram {
    pub fn new() -> Histogram {
        Histogram::default()
    }

    /// Adds `count` durations of bucket `b ≥ 0` that sum to `sum_s` seconds.
    pub fn add_bucket(&mut self, b: i32, count: u64, sum_s: f64) {
        if count == 0 {
            return;
        }
        let cell = self.buckets.entry(b.clamp(0, MAX_BUCKET)).or_default();
        cell.0 += count;
        cell.1 += sum_s;
        self.n += count;
        self.sum_s += sum_s;
    }

    /// Adds one exact duration (not below zero).
    pub fn add(&mut self, seconds: f64) {
        self.add_bucket(bucket_of(seconds), 1, seconds);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (&b, &(count, sum)) in &other.buckets {
            self.add_bucket(b, count, sum);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn len(&self) -> u64 {
        self.n
    }

    /// The exact mean: the sums are exact even though the values are binned.
    pub fn mean_s(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum_s / self.n as f64)
    }

    /// The representative value of the `k`-th smallest item (0-based), `k < len()`.
    pub fn value_at(&self, k: u64) -> f64 {
        let mut seen = 0;
        for (&b, &(count, _)) in &self.buckets {
            seen += count;
            if k < seen {
                return representative_s(b);
            }
        }
        self.buckets
            .keys()
            .next_back()
            .map_or(0.0, |&b| representative_s(b))
    }

    /// The p-th percentile (PERCENTILE.INC) of the items' representative values.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let h = (self.n - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = h.floor() as u64;
        let hi = (lo + 1).min(self.n - 1);
        let lower = self.value_at(lo);
        Some(lower + (h - lo as f64) * (self.value_at(hi) - lower))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_ten_per_decade_from_one_second() {
        assert_eq!(bucket_of(0.0), 0);
        assert_eq!(bucket_of(1.25), 0, "bucket 0 holds [0, 1.259) s");
        assert_eq!(bucket_of(1.26), 1);
        assert_eq!(bucket_of(10.0), 10);
        assert_eq!(bucket_of(3600.0), 35);
        assert_eq!(bucket_of(-0.001), NEGATIVE);
        for b in 1..120 {
            let (lower, upper) = bucket_bounds(b);
            let mid = representative_s(b);
            assert!(lower < mid && mid < upper, "bucket {b}");
            assert_eq!(
                bucket_of(mid),
                b,
                "the representative lies in its own bucket"
            );
        }
    }

    #[test]
    fn a_percentile_is_within_the_stated_error() {
        let values: Vec<f64> = (0..1000).map(|i| 0.5 + f64::from(i).powf(1.7)).collect();
        let mut h = Histogram::new();
        for v in &values {
            h.add(*v);
        }
        for p in [0.0, 0.1, 0.5, 0.9, 1.0] {
            let exact = crate::metrics::percentile(&values, p).unwrap();
            let estimate = h.percentile(p).unwrap();
            assert!(
                (estimate - exact).abs() <= max_error_s(exact),
                "p{p}: {estimate} against {exact}"
            );
        }
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!(
            (h.mean_s().unwrap() - mean).abs() < 1e-9 * mean,
            "the mean is exact"
        );
    }
}
