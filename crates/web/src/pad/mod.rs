//! Hall pads (评价器): an idle screen that turns into the rating screen for the case the
//! window's business system has just finished, kept current by server-sent events.
//!
//! The hub holds one `watch` channel per window: the business system's case
//! (`POST /api/v1/pads/cases`) sets it to the rating screen, a rating or the timeout sets it
//! back to idle, and every pad of the window follows it over `/pad/events`. A watch keeps
//! only the latest screen, which is all a pad needs to show: a pad that reconnects gets the
//! current screen first, and a slow one skips screens it no longer needs.

mod pages;

use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::watch;

pub use pages::{pad_rating_no, routes};

/// How long the rating screen waits for the applicant before returning to idle (the case
/// then stays unrated).
pub const RATE_TIMEOUT: Duration = Duration::from_secs(30);

/// The offline tags of the national standard, as (form field, tag).
pub const OFFLINE_TAGS: &[(&str, &str)] = &[
    ("tag_efficiency", "服务效率"),
    ("tag_level", "服务水平"),
    ("tag_attitude", "服务态度"),
];

/// A finished case waiting for its rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PadCase {
    /// Distinguishes this showing from any other (a case re-sent is a new showing).
    pub seq: u64,
    pub case_no: String,
    pub matter_code: Option<String>,
    pub matter_name: Option<String>,
    pub staff: Option<String>,
}

/// What a window's pads show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Idle,
    Rate(PadCase),
}

impl Screen {
    pub fn seq(&self) -> Option<u64> {
        match self {
            Screen::Idle => None,
            Screen::Rate(c) => Some(c.seq),
        }
    }
}

/// The pads connected now, and what each should show.
#[derive(Debug)]
pub struct PadHub {
    windows: Mutex<HashMap<i64, watch::Sender<Screen>>>,
    seq: AtomicU64,
    timeout: Duration,
    /// Set at shutdown: event streams end, so a graceful shutdown does not wait for pads.
    closing: watch::Sender<bool>,
}

impl Default for PadHub {
    fn default() -> Self {
        PadHub::with_timeout(RATE_TIMEOUT)
    }
}

impl PadHub {
    pub fn with_timeout(timeout: Duration) -> PadHub {
        PadHub {
            windows: Mutex::new(HashMap::new()),
            seq: AtomicU64::new(0),
            timeout,
            closing: watch::channel(false).0,
        }
    }

    /// Ends every event stream (the server is stopping); pads reconnect to the next one.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Becomes `true` when the server is stopping.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// How long a rating screen stays up.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    fn sender(&self, window_id: i64) -> watch::Sender<Screen> {
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(window_id)
            .or_insert_with(|| watch::channel(Screen::Idle).0)
            .clone()
    }

    /// Follows the window's screen; the current one is marked as changed, so a new
    /// subscriber gets it first.
    pub fn subscribe(&self, window_id: i64) -> watch::Receiver<Screen> {
        let mut rx = self.sender(window_id).subscribe();
        rx.mark_changed();
        rx
    }

    pub fn current(&self, window_id: i64) -> Screen {
        self.sender(window_id).borrow().clone()
    }

    /// How many pads follow the window now.
    pub fn listening(&self, window_id: i64) -> usize {
        self.sender(window_id).receiver_count()
    }

    /// Shows the rating screen for a case; it returns to idle after the timeout unless
    /// another case or a rating came first. Must run inside the tokio runtime.
    pub fn show(
        &self,
        window_id: i64,
        case_no: String,
        matter_code: Option<String>,
        matter_name: Option<String>,
        staff: Option<String>,
    ) -> PadCase {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let case = PadCase {
            seq,
            case_no,
            matter_code,
            matter_name,
            staff,
        };
        let tx = self.sender(window_id);
        tx.send_replace(Screen::Rate(case.clone()));
        let timeout = self.timeout;
        tokio::spawn(async move {
            tokio::time::sleep(timeout).await;
            tx.send_if_modified(|s| back_to_idle(s, seq));
        });
        case
    }

    /// Ends showing `seq` (it was rated). False when the screen has moved on already.
    pub fn finish(&self, window_id: i64, seq: u64) -> bool {
        self.sender(window_id)
            .send_if_modified(|s| back_to_idle(s, seq))
    }
}

fn back_to_idle(s: &mut Screen, seq: u64) -> bool {
    if s.seq() == Some(seq) {
        *s = Screen::Idle;
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_case_shows_then_times_out_and_a_rating_ends_only_its_own_showing() {
        let hub = PadHub::with_timeout(Duration::from_millis(50));
        let mut rx = hub.subscribe(7);
        assert!(
            rx.has_changed().unwrap(),
            "a new subscriber sees the current screen"
        );
        assert_eq!(*rx.borrow_and_update(), Screen::Idle);
        let first = hub.show(7, "C1".into(), None, None, None);
        rx.changed().await.unwrap();
        assert_eq!(rx.borrow_and_update().seq(), Some(first.seq));
        let second = hub.show(7, "C2".into(), None, None, None);
        assert!(
            !hub.finish(7, first.seq),
            "an old showing cannot end the new one"
        );
        assert_eq!(hub.current(7).seq(), Some(second.seq));
        assert_eq!(hub.current(8), Screen::Idle, "windows are separate");
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(hub.current(7), Screen::Idle, "the timeout returns to idle");
        assert!(!hub.finish(7, second.seq));
    }
}
