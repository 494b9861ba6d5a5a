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
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        return Err(AppError::usage(format!(
            "--public-url「{public_url}」须以 http:// 或 https:// 开头"
        ))
        .into());
    }
    let target = match &db.database_url {
        Some(url) => Target::parse(url)?,
        None => Target::Sqlite(db.db.clone()),
    };
    let mut settings = ServerSettings::new(&public_url);
    settings.pool_size = a.pool_size.max(1);
    jianping_web::serve_blocking(ServeOptions {
        target,
        listen: addr,
        config: config.clone(),
        settings,
    })
}
