//! Unguessable secrets: window tokens (printed in QR codes) and pad API keys.
//!
//! Both come from the operating system's CSPRNG (`getrandom`), never from a seeded PRNG: a
//! guessable token would let anyone rate any window, and a guessable key would let anyone post
//! cases as a pad. They are written in the URL-safe base64 alphabet without padding, so they
//! survive URLs, QR codes and HTTP headers unchanged.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::StoreError;

/// Random bytes in a window token: 128 bits, 22 characters.
pub const TOKEN_BYTES: usize = 16;
/// Random bytes in a pad key: 256 bits, 43 characters after the prefix.
pub const KEY_BYTES: usize = 32;
/// Marks a pad key so a key pasted into the wrong place (or a log) is recognisable.
pub const KEY_PREFIX: &str = "jpk_";

fn random_text(n: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Invalid(format!("无法从操作系统获取随机数（{e}），未生成密钥")))?;
    Ok(URL_SAFE_NO_PAD.encode(&bytes))
}

/// A fresh window token (22 URL-safe characters).
pub fn window_token() -> Result<String, StoreError> {
    random_text(TOKEN_BYTES)
}

/// A fresh pad key: `jpk_` and 43 URL-safe characters.
pub fn device_key() -> Result<String, StoreError> {
    Ok(format!("{KEY_PREFIX}{}", random_text(KEY_BYTES)?))
}

/// What is stored for a pad key: 64 lowercase hex digits of its SHA-256. A fast unsalted hash
/// is enough because the key has 256 random bits (nothing to brute-force from a dictionary),
/// and it lets the key be found with one indexed lookup.
pub fn key_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `s` could be a token this store issued (or a later, longer format): 16–64
/// URL-safe characters. Anything else is answered "unknown" without a query.
pub fn plausible_token(s: &str) -> bool {
    (16..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn tokens_are_22_url_safe_characters_and_differ() {
        let tokens: HashSet<String> = (0..1000).map(|_| window_token().unwrap()).collect();
        assert_eq!(tokens.len(), 1000);
        for t in &tokens {
            assert_eq!(t.len(), 22, "{t}");
            assert!(plausible_token(t), "{t}");
        }
        // 1000 tokens × 22 characters use (nearly) the whole alphabet of 64: not hex, not
        // digits only.
        let alphabet: HashSet<char> = tokens.iter().flat_map(|t| t.chars()).collect();
        assert!(
            alphabet.len() >= 60,
            "{} distinct characters",
            alphabet.len()
        );
    }

    #[test]
    fn device_keys_are_prefixed_long_and_hashed_to_hex() {
        let k = device_key().unwrap();
        assert!(k.starts_with(KEY_PREFIX));
        assert_eq!(k.len(), KEY_PREFIX.len() + 43);
        assert_ne!(k, device_key().unwrap());
        let h = key_hash(&k);
        assert_eq!(h.len(), 64);
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        // The SHA-256 of "abc" (FIPS 180-2 example).
        assert_eq!(
            key_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn implausible_tokens_are_recognised() {
        for bad in [
            "",
            "short",
            "../../etc/passwd",
            "a b c d e f g h i j",
            &"x".repeat(65),
        ] {
            assert!(!plausible_token(bad), "{bad}");
        }
    }
}
