//! `jianping serve`: the web platform.

use crate::args::{DbArgs, ServeArgs};
use jianping_app::{AppError, Config};
use jianping_store::Target;
use jianping_web::{ServeOptions, ServerSettings};
use std::net::SocketAddr;

pub fn run(db: &DbArgs, config: &Config, a: &ServeArgs) -> anyhow::Result<()> {
    let listen = a
        .listen
        .clone()
        .or_else(|| config.server.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let addr: SocketAddr = listen.trim().parse().map_err(|_| {
        AppError::usage(format!(
            "--listen「{listen}」不是有效的地址：请写成 127.0.0.1:8080 或 0.0.0.0:80"
        ))
    })?;
    let public_url = a
        .public_url
        .clone()
        .or_else(|| config.server.public_url.clone())
        .unwrap_or_else(|| format!("http://{addr}"));
    let public_url = jianping_core::PublicUrl::parse(&public_url)
        .map_err(|e| AppError::usage(format!("--public-url：{e}")))?;
    let target = match &db.database_url {
        Some(url) => Target::parse(url)?,
        None => Target::Sqlite(db.db.clone()),
    };
    let mut settings = ServerSettings::new(public_url.as_str());
    settings.pool_size = a.pool_size.max(1);
    jianping_web::serve_blocking(ServeOptions {
        target,
        listen: addr,
        config: config.clone(),
        settings,
    })
}
