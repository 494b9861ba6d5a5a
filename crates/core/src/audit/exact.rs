//! Exact tests on 2×2 tables and the correction for testing many windows at once.
//!
//! The distribution functions are statrs's hypergeometric: each tail is a sum of
//! probabilities computed in log space, so a tail of 1e-200 is not lost to `1 - cdf`.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Discrete, DiscreteCDF, Hypergeometric};

/// Fisher's exact test of a window's share against its peers' pooled share: the window has
/// `k` of `n` ratings in the category, its peers `peer_k` of `peer_n`. Conditioned on the
/// margins, the window's count is hypergeometric (population `n + peer_n`, successes
/// `k + peer_k`, draws `n`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoByTwo {
    pub k: u64,
    pub n: u64,
    pub peer_k: u64,
    pub peer_n: u64,
}

impl TwoByTwo {
    fn distribution(&self) -> Option<Hypergeometric> {
        Hypergeometric::new(self.n + self.peer_n, self.k + self.peer_k, self.n).ok()
    }

    /// The window's count expected under the null (its share equal to the pooled share).
    pub fn expected(&self) -> f64 {
        let total = self.n + self.peer_n;
        if total == 0 {
            return 0.0;
        }
        self.n as f64 * (self.k + self.peer_k) as f64 / total as f64
    }

    /// P(X ≥ k): the window has at least this many by chance.
    pub fn p_greater(&self) -> f64 {
        match self.distribution() {
            Some(_) if self.k == 0 => 1.0,
            Some(d) => d.sf(self.k - 1).clamp(0.0, 1.0),
            None => 1.0,
        }
    }

    /// P(X ≤ k).
    pub fn p_less(&self) -> f64 {
        match self.distribution() {
            Some(d) => d.cdf(self.k).clamp(0.0, 1.0),
            None => 1.0,
        }
    }

    /// Two-sided p-value by doubling the tail on the observed side of the expectation
    /// (capped at 1). Only that tail is summed: it is the short one, so a window of 10,000
    /// ratings costs a few hundred terms, not 10,000.
    pub fn p_two_sided(&self) -> f64 {
        let tail = if self.k as f64 >= self.expected() {
            self.p_greater()
        } else {
            self.p_less()
        };
        (2.0 * tail).min(1.0)
    }

    /// The probability of exactly the observed table (for tests of the implementation).
    pub fn p_observed(&self) -> f64 {
        self.distribution().map_or(1.0, |d| d.pmf(self.k))
    }
}

/// How p-values of many windows are corrected for being tested together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correction {
    /// Benjamini–Hochberg: controls the expected share of false flags among the flags.
    #[default]
    BenjaminiHochberg,
    /// Holm: controls the probability of any false flag at all (stricter).
    Holm,
}

impl Correction {
    pub fn name(self) -> &'static str {
        match self {
            Correction::BenjaminiHochberg => "Benjamini–Hochberg",
            Correction::Holm => "Holm",
        }
    }

    /// Adjusted p-values, in the order of `p`.
    pub fn adjust(self, p: &[f64]) -> Vec<f64> {
        match self {
            Correction::BenjaminiHochberg => benjamini_hochberg(p),
            Correction::Holm => holm(p),
        }
    }
}

impl std::str::FromStr for Correction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bh" | "benjamini-hochberg" | "fdr" => Ok(Correction::BenjaminiHochberg),
            "holm" => Ok(Correction::Holm),
            other => Err(format!(
                "未知的多重检验校正方法「{other}」，可选 bh（Benjamini–Hochberg）或 holm"
            )),
        }
    }
}

fn order(p: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    idx
}

/// q_(i) = min over j ≥ i of m·p_(j)/j, capped at 1.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len() as f64;
    let idx = order(p);
    let mut out = vec![1.0; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in idx.iter().enumerate().rev() {
        running = running.min(p[i] * m / (rank + 1) as f64).min(1.0);
        out[i] = running;
    }
    out
}

/// q_(i) = max over j ≤ i of (m − j + 1)·p_(j), capped at 1.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let idx = order(p);
    let mut out = vec![1.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in idx.iter().enumerate() {
        running = running.max(p[i] * (m - rank) as f64).min(1.0);
        out[i] = running;
    }
    out
}
