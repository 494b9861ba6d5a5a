//! Starting and stopping the server.

use crate::state::{AppState, ServerSettings};
use jianping_app::Config;
use jianping_store::Target;
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub target: Target,
    pub listen: SocketAddr,
    pub config: Config,
    pub settings: ServerSettings,
}

/// Runs the server on a runtime of its own until Ctrl-C or SIGTERM.
pub fn serve_blocking(opts: ServeOptions) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("jianping-web")
        .build()?
        .block_on(serve(opts))
}

pub async fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let target = opts.target.clone();
    let (config, settings) = (opts.config, opts.settings);
    // Opening migrates the database and may take a while on a large one.
    let state =
        tokio::task::spawn_blocking(move || AppState::open(&target, config, settings)).await??;
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|e| anyhow::anyhow!("无法监听 {}：{e}（端口被占用或无权限？）", opts.listen))?;
    let addr = listener.local_addr()?;
    eprintln!(
        "监评已启动：http://{addr}/（工作人员登录 /login，市民评价页 /q/窗口码，健康检查 /healthz）；按 Ctrl-C 停止"
    );
    let app = crate::router(state.clone());
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown({
        // Pads hold their event streams open: they end first, or the shutdown would wait.
        let state = state.clone();
        async move {
            shutdown_signal().await;
            state.pads().close();
        }
    })
    .await?;
    let stats = state.intake().stats();
    // Dropping the last handle lets the intake's writer commit what is queued and stop; the
    // pool's PostgreSQL clients must be dropped off the runtime's threads.
    tokio::task::spawn_blocking(move || drop(state)).await?;
    eprintln!(
        "监评已停止：本次共保存评价 {} 条（重复 {} 条，失败 {} 条）",
        stats.stored, stats.duplicates, stats.failed
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("正在停止：等待进行中的请求完成，保存排队中的评价……");
}
