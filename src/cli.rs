//! The command line (`CONTRACT.md`): serve, import, export, backup.
//!
//! Bad input exits non-zero with one line on stderr naming the file, the field and what is
//! wrong; nothing is half-written.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::{AppState, serve, shutdown_signal};
use crate::config::{Clock, Config};
use crate::domain::{Email, parse_document};
use crate::storage::{self, DB_FILE, Db};

#[derive(Debug, Parser)]
#[command(
    name = "certfolio",
    version,
    about = "Record your MOOCs and attestations; turn them into a verifiable, CV-ready portfolio."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (creates the data folder and database when missing).
    Serve {
        #[arg(long, env = "CERTFOLIO_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
        /// The URL users reach the service at (behind a proxy, its https address); sets
        /// secure cookies when https. Defaults to http://ADDR.
        #[arg(long, env = "CERTFOLIO_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Import a portfolio document into an existing account.
    Import {
        file: PathBuf,
        /// The login email of the account.
        #[arg(long)]
        user: String,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
    },
    /// Write an account's record to stdout.
    Export {
        #[arg(long)]
        user: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
    },
    /// Write a consistent copy of the database, even while the service runs.
    Backup {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The portfolio document (JSON, version 1).
    Json,
}

/// A failure worth one line on stderr.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve { addr, data, public_url } => run_serve(addr, data, public_url).await,
        Command::Import { file, user, data } => run_import(&file, &user, &data).await,
        Command::Export { user, format, data } => run_export(&user, format, &data).await,
        Command::Backup { output, data } => run_backup(&output, &data),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("certfolio: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run_serve(addr: SocketAddr, data: PathBuf, public_url: Option<String>) -> Result<(), CliError> {
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| CliError(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr()?;
    let public_url = public_url.unwrap_or_else(|| format!("http://{local}"));
    let config = Config::new(data.clone(), public_url.clone());
    let state = AppState::open(config, Clock::system()).map_err(|e| CliError(format!("{}: {e}", data.display())))?;
    tracing::info!("certfolio listening on http://{local} (public URL {public_url}, data in {})", data.display());
    serve(listener, state, shutdown_signal()).await?;
    tracing::info!("certfolio stopped");
    Ok(())
}

/// Opens an existing database for the offline commands; never creates one, so a wrong
/// `--data` is reported instead of producing an empty database somewhere unexpected.
fn open_existing(data: &Path) -> Result<Db, CliError> {
    let path = data.join(DB_FILE);
    if !path.is_file() {
        return Err(CliError(format!(
            "{}: no certfolio database here (run `certfolio serve --data {}` once, or pass the right --data)",
            path.display(),
            data.display()
        )));
    }
    Db::open(&path).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

async fn find_learner(db: &Db, user: &str) -> Result<uuid::Uuid, CliError> {
    let email = Email::parse(user).map_err(|m| CliError(format!("--user: {m}")))?;
    match db.learner_by_email(email.to_string()).await {
        Ok(l) => Ok(l.id),
        Err(storage::Error::NotFound) => Err(CliError(format!("--user: no account with the email {email}"))),
        Err(e) => Err(e.into()),
    }
}

async fn run_import(file: &Path, user: &str, data: &Path) -> Result<(), CliError> {
    let bytes = std::fs::read(file).map_err(|e| CliError(format!("{}: cannot read: {e}", file.display())))?;
    let doc = parse_document(&bytes).map_err(|e| {
        let at = if e.path.is_empty() { String::new() } else { format!("{}: ", e.path) };
        CliError(format!("{}: {at}{}", file.display(), e.message))
    })?;
    let db = open_existing(data)?;
    let learner = find_learner(&db, user).await?;
    let now = Clock::system().now();
    let counts = db.import_document(learner, doc, now).await?;
    let total = db.course_count(learner).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "imported {}: {} created, {} updated, {} unchanged; {total} courses in the record",
        file.display(),
        counts.created,
        counts.updated,
        counts.unchanged
    )?;
    Ok(())
}

async fn run_export(user: &str, format: ExportFormat, data: &Path) -> Result<(), CliError> {
    let db = open_existing(data)?;
    let learner = find_learner(&db, user).await?;
    let text = match format {
        ExportFormat::Json => {
            let doc = db.export_document(learner).await?;
            serde_json::to_string_pretty(&doc)?
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

fn run_backup(output: &Path, data: &Path) -> Result<(), CliError> {
    let report = storage::backup_to(&data.join(DB_FILE), output)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "backup written to {} ({} bytes, {} learners, {} courses; integrity check ok)",
        report.path.display(),
        report.bytes,
        report.learners,
        report.courses
    )?;
    Ok(())
}
