//! What every handler shares: the store pool, the rating intake, the bureau's
//! configuration and the server's settings.

use crate::auth::Staff;
use crate::pad::PadHub;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use jianping_app::accounts::LoginPolicy;
use jianping_app::{AppError, Config};
use jianping_store::accounts::NewAudit;
use jianping_store::pool::StorePool;
use jianping_store::{Intake, IntakeConfig, Store, Target};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

/// How the server was started.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// The address citizens reach the server at, for QR codes (`[server] public_url`).
    pub public_url: String,
    /// Connections in the pool (readers; the intake has its own writer).
    pub pool_size: u32,
    pub login: LoginPolicy,
}

impl ServerSettings {
    pub fn new(public_url: &str) -> ServerSettings {
        ServerSettings {
            public_url: public_url.trim_end_matches('/').to_string(),
            pool_size: 8,
            login: LoginPolicy::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    pool: StorePool,
    intake: Intake,
    config: Config,
    settings: ServerSettings,
    pads: PadHub,
    devices: crate::auth::device_cache::DeviceCache,
}

impl AppState {
    /// Migrates the database once, opens the pool and starts the intake's writer.
    pub fn open(
        target: &Target,
        config: Config,
        settings: ServerSettings,
    ) -> Result<AppState, AppError> {
        let pool = StorePool::new(target, settings.pool_size)?;
        // Every window gets its QR token before the first citizen scans (tokens are created
        // lazily; windows imported since the last start have none yet).
        pool.get()?
            .ensure_window_tokens(chrono::Local::now().naive_local())?;
        let intake = Intake::start(Store::connect(target)?, IntakeConfig::default());
        Ok(AppState {
            inner: Arc::new(Inner {
                pool,
                intake,
                config,
                settings,
                pads: PadHub::default(),
                devices: Default::default(),
            }),
        })
    }

    /// Runs `f` on a pooled connection on a blocking thread: the store is synchronous and
    /// must never run on a tokio worker.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.inner.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = pool.get()?;
            f(&mut store)
        })
        .await
        .map_err(|e| AppError::Other(anyhow::anyhow!("数据库任务异常中止：{e}")))?
    }

    pub fn intake(&self) -> &Intake {
        &self.inner.intake
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn settings(&self) -> &ServerSettings {
        &self.inner.settings
    }

    pub fn pads(&self) -> &PadHub {
        &self.inner.pads
    }

    /// Device keys resolved in the last seconds (see `auth::device_cache`).
    pub fn devices(&self) -> &crate::auth::device_cache::DeviceCache {
        &self.inner.devices
    }

    pub fn login_policy(&self) -> &LoginPolicy {
        &self.inner.settings.login
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        chrono::Local::now().naive_local()
    }

    /// `__Host-` cookies must be Secure, which browsers only keep over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.inner.settings.public_url.starts_with("https://")
    }

    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies() {
            "__Host-jianping"
        } else {
            "jianping_session"
        }
    }

    /// Records a write (or an unmasked view) with who did it. A failure to write the log is
    /// reported on the server's console rather than undoing the action the person saw
    /// succeed.
    pub async fn audit(
        &self,
        staff: &Staff,
        action: &str,
        target: Option<String>,
        detail: Option<String>,
    ) {
        let entry = NewAudit {
            at: self.now(),
            user_id: staff.principal.user_id,
            username: staff.user.username.clone(),
            role: staff.principal.role.code().to_string(),
            action: action.to_string(),
            target,
            detail,
            address: None,
        };
        if let Err(e) = self.db(move |s| Ok(s.audit(&entry)?)).await {
            eprintln!("审计日志写入失败（{action}）：{e}");
        }
    }
}

/// The peer's address when the server knows it (not in `oneshot` tests).
pub struct ClientAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}
