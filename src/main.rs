use std::process::ExitCode;

// The library leaves the allocator to the binary; see `mimalloc` in Cargo.toml for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match certfolio::cli::parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    certfolio::telemetry::init();
    certfolio::cli::run(cli).await
}
