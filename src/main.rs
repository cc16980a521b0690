use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match certfolio::cli::parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    certfolio::telemetry::init();
    certfolio::cli::run(cli).await
}
