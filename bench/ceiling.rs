//! The load test's ceiling (bench/load.sh): the smallest axum server that answers every GET
//! with a fixed HTML page of about the sign-in page's size, on the same runtime, allocator and
//! loopback as Ladder. A Ladder page's throughput and latency are reported as ratios to this.
//!
//! Run: `cargo run --release --example ceiling --no-default-features --features ssr -- ADDR`

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3990".into());
    // About as large as Ladder's sign-in page.
    let page: &'static str = Box::leak(
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>Ladder</title></head><body>{}</body></html>",
            "<p>技术经理人评价体系 Ladder ceiling page</p>".repeat(120)
        )
        .into_boxed_str(),
    );
    let app = axum::Router::new().fallback(axum::routing::get(move || async move {
        axum::response::Html(page)
    }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("ceiling listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
