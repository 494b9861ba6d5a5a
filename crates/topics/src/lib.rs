//! jianping-topics: what complaints are about, offline.
//!
//! Texts (rating comments, 12345 tickets, QR complaints, supervisor feedback) are segmented
//! by jieba (its dictionary is compiled into the binary) and assigned to the categories of a
//! bureau-editable TOML dictionary ([`Dictionary`], default in `data/default.toml`), with 其他
//! for texts no category matches and a list of the words those texts use that no category
//! covers ([`TermCounts`]). Examples quoted in reports go through [`mask_example`].
//! See `docs/topics.md`.

mod classify;
mod dictionary;
mod mask;
mod terms;

pub use classify::{CategoryInfo, Classification, Classifier, base_segmenter};
pub use dictionary::{Category, DEFAULT_DICTIONARY, Dictionary, DictionaryError, OTHER, normalize};
pub use mask::mask_example;
pub use terms::{NewTerm, STOPWORDS, TermCounts};

impl Classifier {
    /// Classifies many texts on every core; results in input order.
    pub fn classify_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<usize> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads < 2 || texts.len() < 10_000 {
            return texts.iter().map(|t| self.classify(t.as_ref())).collect();
        }
        let chunk = texts.len().div_ceil(threads);
        std::thread::scope(|s| {
            let parts: Vec<_> = texts
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|t| self.classify(t.as_ref()))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|h| h.join().expect("a classifier thread panicked"))
                .collect()
        })
    }
}

impl Classifier {
    /// A classifier for `dictionary`, built once per process and dictionary text: building
    /// copies jieba's dictionary (~0.1 s), too slow to repeat for every import commit.
    pub fn shared(dictionary: &Dictionary) -> std::sync::Arc<Classifier> {
        use std::sync::{Arc, Mutex};
        static CACHE: Mutex<Option<(String, Arc<Classifier>)>> = Mutex::new(None);
        let mut cache = CACHE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((source, c)) = cache.as_ref()
            && *source == dictionary.source
        {
            return Arc::clone(c);
        }
        let c = Arc::new(Classifier::new(dictionary));
        *cache = Some((dictionary.source.clone(), Arc::clone(&c)));
        c
    }
}
