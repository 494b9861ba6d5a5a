//! Device keys resolved recently, so that a pad's or kiosk's rating does not need a trip to
//! the database pool just to learn which window it belongs to (the trip and its thread
//! handoffs were a fifth of the HTTP intake's time; bench/RESULTS.md).
//!
//! An entry lives [`TTL`]: a revocation made in this server (the back office) clears the
//! cache at once; one made by another process (`jianping qr device revoke`) takes effect
//! within the TTL. Only keys that resolved are kept (a wrong key always reaches the
//! database), and they are kept by their SHA-256, never in clear.

use jianping_store::codes::{PadDevice, secret};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Well under the store's `last_seen_at` granularity (60 s), so a busy pad's last-seen time
/// is still recorded by the lookups that miss.
pub const TTL: Duration = Duration::from_secs(10);

/// More devices than any city has; beyond it the cache starts afresh.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Default)]
pub struct DeviceCache {
    entries: Mutex<HashMap<String, (PadDevice, Instant)>>,
}

impl DeviceCache {
    pub fn get(&self, key: &str) -> Option<PadDevice> {
        let hash = secret::key_hash(key);
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&hash) {
            Some((d, at)) if at.elapsed() < TTL => Some(d.clone()),
            Some(_) => {
                map.remove(&hash);
                None
            }
            None => None,
        }
    }

    pub fn put(&self, key: &str, device: &PadDevice) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(secret::key_hash(key), (device.clone(), Instant::now()));
    }

    /// After a revocation: every key is looked up afresh.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
