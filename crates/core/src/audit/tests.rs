use super::exact::{benjamini_hochberg, holm};
use super::*;

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

/// Reference tails computed with exact rational arithmetic (Python `fractions` and
/// `math.comb`) for (k, n, peer_k, peer_n): (P(X ≤ k), P(X ≥ k)).
/// (k, n, peer_k, peer_n), P(X ≤ k), P(X ≥ k).
type Reference = ((u64, u64, u64, u64), f64, f64);

const REFERENCE: &[Reference] = &[
    (
        (3, 4, 1, 4),
        0.985_714_285_714_285_8,
        0.242_857_142_857_142_85,
    ),
    (
        (28, 30, 150, 300),
        0.999_999_916_459_366_4,
        1.264_371_257_565_210_2e-6,
    ),
    (
        (2, 40, 60, 400),
        0.057_119_610_254_694_11,
        0.985_992_584_818_234_9,
    ),
    (
        (95, 100, 7000, 10000),
        0.999_999_999_945_160_2,
        4.639_681_166_867_099e-10,
    ),
    (
        (990, 1000, 9970, 10000),
        0.002_489_066_176_636_572_4,
        0.999_350_989_908_693_1,
    ),
];

#[test]
fn fisher_tails_match_exact_arithmetic() {
    for &((k, n, peer_k, peer_n), lo, hi) in REFERENCE {
        let t = TwoByTwo {
            k,
            n,
            peer_k,
            peer_n,
        };
        assert!(close(t.p_less(), lo, 1e-9), "{t:?}: {} vs {lo}", t.p_less());
        assert!(
            close(t.p_greater(), hi, 1e-9),
            "{t:?}: {} vs {hi}",
            t.p_greater()
        );
        let two = (2.0 * if k as f64 >= t.expected() { hi } else { lo }).min(1.0);
        assert!(close(t.p_two_sided(), two, 1e-9), "{t:?}");
    }
    // The lady tasting tea: 3 of 4 right, two-sided p = 34/70.
    let tea = TwoByTwo {
        k: 3,
        n: 4,
        peer_k: 1,
        peer_n: 4,
    };
    assert!(close(tea.p_two_sided(), 34.0 / 70.0, 1e-12));
    assert!(close(tea.p_observed(), 16.0 / 70.0, 1e-12));
}

#[test]
fn corrections_match_their_definitions() {
    let p = [0.01, 0.04, 0.03, 0.005];
    let bh = benjamini_hochberg(&p);
    for (a, b) in bh.iter().zip([0.02, 0.04, 0.04, 0.02]) {
        assert!(close(*a, b, 1e-12), "{bh:?}");
    }
    let h = holm(&p);
    for (a, b) in h.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        assert!(close(*a, b, 1e-12), "{h:?}");
    }
    assert!(benjamini_hochberg(&[]).is_empty());
    assert_eq!(holm(&[0.9, 0.8]), vec![1.0, 1.0]);
}

#[test]
fn bursts_merge_overlapping_spans() {
    let rule = BurstRule {
        min_ratings: 3,
        seconds: 10,
    };
    // 0,2,4 and 4,12,13 are bursts of 3 that share a rating: one episode of 5.
    let times = [0, 2, 4, 12, 13, 100, 200, 201, 202, 203];
    let e = bursts::episodes(&times, rule);
    assert_eq!(e, vec![(0, 5, 3), (6, 10, 4)]);
    assert!(bursts::episodes(&[0, 11, 22], rule).is_empty());
}

#[test]
fn phones_and_timestamps_normalise() {
    assert_eq!(
        normalize_phone("+86 138-1234-5678").as_deref(),
        Some("13812345678")
    );
    assert_eq!(
        normalize_phone("13812345678").as_deref(),
        Some("13812345678")
    );
    assert_eq!(normalize_phone("138****5678"), None);
    assert_eq!(normalize_phone("12345"), None);
    assert_eq!(normalize_account(" ZhangSan ").as_deref(), Some("zhangsan"));
    let s = seconds_of("2023-03-01 10:00:05").unwrap();
    assert_eq!(fmt_seconds(s), "2023-03-01 10:00:05");
    assert_eq!(seconds_of("2023/03/01 10:00:05"), Some(s));
    assert_eq!(seconds_of("not a time"), None);
    assert!(has_default_tag("默认好评;服务热情"));
}

#[test]
fn every_default_tag_says_默认() {
    // The store asks the database for tags only when they contain 默认.
    assert!(DEFAULT_TAGS.iter().all(|t| t.contains("默认")));
}
