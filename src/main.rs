use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = certfolio::cli::Cli::parse();
    certfolio::telemetry::init();
    certfolio::cli::run(cli).await
}
