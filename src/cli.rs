//! The command line (`CONTRACT.md`): serve, import, export, backup.
//!
//! Bad input exits non-zero with one line on stderr naming the file, the field and what is
//! wrong; nothing is half-written.

use std::ffi::OsString;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::app::{serve, shutdown_signal};
use crate::config::{Clock, Config, IMPORT_MAX_BYTES, MIB};
use crate::domain::{Email, Lang, parse_document};
use crate::state::AppState;
use crate::storage::files::FilesUrl;
use crate::storage::{self, DB_FILE, DatabaseUrl, Db};

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
        /// A reverse proxy's address or range (CIDR, repeatable): only requests from these
        /// peers have their client address read from `Forwarded` / `X-Forwarded-For`.
        #[arg(long = "trusted-proxy", env = "CERTFOLIO_TRUSTED_PROXIES", value_delimiter = ',',
              value_parser = parse_cidr, value_name = "CIDR")]
        trusted_proxies: Vec<crate::auth::client::Cidr>,
        #[command(flatten)]
        storage: StorageArgs,
        #[command(flatten)]
        fetch: FetchArgs,
        #[command(flatten)]
        verify: VerifyArgs,
    },
    /// Import a file into an existing account: a portfolio document, LinkedIn's
    /// Certifications.csv, a CSV whose header names document fields, or a JSON Resume
    /// (the format is read from the content).
    Import {
        file: PathBuf,
        /// The login email of the account.
        #[arg(long)]
        user: String,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
        #[command(flatten)]
        fetch: FetchArgs,
    },
    /// Write an account's record to stdout.
    Export {
        #[arg(long)]
        user: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Write a consistent copy of the SQLite database, even while the service runs (for
    /// PostgreSQL, use pg_dump).
    Backup {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
        /// The database to back up (default: DATA/certfolio.sqlite3).
        #[arg(long, env = "CERTFOLIO_DATABASE_URL", value_name = "URL")]
        database: Option<String>,
    },
    /// Copy a whole installation, files included, into an empty database (and store), then
    /// check the copy by row counts, hashes of every table and of every file.
    Copy {
        /// The installation to copy (sqlite://PATH or postgres://…).
        #[arg(long, value_name = "URL")]
        from: String,
        /// The empty database to copy into (sqlite://PATH or postgres://…).
        #[arg(long, value_name = "URL")]
        to: String,
        /// The source's object store (default for SQLite: the `files` folder beside the file).
        #[arg(long = "from-files", value_name = "URL")]
        from_files: Option<String>,
        /// The target's object store (default for SQLite: the `files` folder beside the file).
        #[arg(long = "to-files", value_name = "URL")]
        to_files: Option<String>,
        /// CA certificates trusted for TLS to PostgreSQL, besides Mozilla's.
        #[arg(long = "database-ca", env = "CERTFOLIO_DATABASE_CA", value_name = "FILE")]
        database_ca: Option<PathBuf>,
    },
    /// Remove the objects of the store that no row names (written over an hour ago); `serve`
    /// also does this every hour, on one instance.
    Sweep {
        #[arg(long, env = "CERTFOLIO_DATA", default_value = "./data")]
        data: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Render a portfolio PDF from a portfolio document (offline: no server, no database).
    Render {
        /// The portfolio document (JSON, version 1).
        file: PathBuf,
        /// appetite (the habit of self-training) or legitimacy (mastery of a field or theme).
        #[arg(long, required_unless_present = "portfolio")]
        framing: Option<String>,
        /// Legitimacy in a discipline: every course of this field, grouped by theme.
        #[arg(long)]
        field: Option<String>,
        /// Legitimacy in one theme: only the courses with this theme.
        #[arg(long)]
        theme: Option<String>,
        /// fr or en (default: the learner's language, else fr).
        #[arg(long)]
        lang: Option<String>,
        /// Legitimacy: also list the field's courses followed without a certificate.
        #[arg(long)]
        include_uncertified: bool,
        /// Legitimacy: also list expired certificates (marked as expired).
        #[arg(long)]
        include_expired: bool,
        /// One of the document's saved portfolios, by name: its framing, options, choices and
        /// statement (give no --framing, --field, --theme or --include-* beside it).
        #[arg(long)]
        portfolio: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Advise a framing for a portfolio document, with the reasons.
    Advise {
        file: PathBuf,
        /// Print the advice as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Where the database and the object store are (README, "Storage"). Taken as text and
/// checked here, so that a bad value stops the start with one line naming the flag.
#[derive(Debug, clap::Args)]
pub struct StorageArgs {
    /// The database: sqlite://PATH (default: DATA/certfolio.sqlite3) or postgres://… (as libpq
    /// takes it: several hosts, sslmode, target_session_attrs).
    #[arg(long, env = "CERTFOLIO_DATABASE_URL", value_name = "URL")]
    database: Option<String>,
    /// The object store for evidence files and waiting uploads: a folder (default: DATA/files)
    /// or s3://bucket[/prefix]?endpoint=…&region=… (credentials from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY).
    #[arg(long, env = "CERTFOLIO_FILES_URL", value_name = "URL")]
    files: Option<String>,
    /// PostgreSQL connections of this instance (default 8).
    #[arg(long = "db-connections", env = "CERTFOLIO_DB_CONNECTIONS", value_name = "N")]
    db_connections: Option<String>,
    /// A PEM file of CA certificates trusted for TLS to PostgreSQL, besides Mozilla's roots.
    #[arg(long = "database-ca", env = "CERTFOLIO_DATABASE_CA", value_name = "FILE")]
    database_ca: Option<PathBuf>,
}

impl StorageArgs {
    /// Puts the settings into `config`, naming the flag of the first bad value.
    pub fn apply(&self, config: &mut Config) -> Result<(), CliError> {
        if let Some(text) = self.database.as_deref().filter(|t| !t.trim().is_empty()) {
            config.database = Some(DatabaseUrl::parse(text).map_err(|e| CliError(format!("--database: {e}")))?);
        }
        if let Some(text) = self.files.as_deref().filter(|t| !t.trim().is_empty()) {
            config.files = Some(FilesUrl::parse(text).map_err(|e| CliError(format!("--files: {e}")))?);
        }
        if let Some(text) = &self.db_connections {
            config.db_connections = match text.trim().parse::<usize>() {
                Ok(n) if (1..=256).contains(&n) => n,
                _ => return Err(CliError(format!("--db-connections: `{text}` is not a number from 1 to 256"))),
            };
        }
        if let Some(path) = &self.database_ca {
            config.database_ca =
                crate::fetch::settings::load_ca(path).map_err(|e| CliError(format!("--database-ca: {e}")))?;
        }
        Ok(())
    }
}

/// The one line saying the storage of `settings` cannot be opened, naming the setting at fault.
fn storage_error(settings: &storage::Settings, e: &storage::Error) -> CliError {
    match e {
        storage::Error::Files(m) => CliError(format!("--files {}: {m}", settings.files.describe())),
        e => CliError(format!("{}: {e}", settings.database.redacted())),
    }
}

/// Opens the storage for a command, and checks that the object store answers.
async fn open_storage(settings: &storage::Settings) -> Result<Db, CliError> {
    let db = Db::open(settings).map_err(|e| storage_error(settings, &e))?;
    db.files().ping().await.map_err(|e| storage_error(settings, &e))?;
    Ok(db)
}

/// Outbound requests, made only by verification (README, "Outbound requests"). Taken as text
/// and checked here, so that a bad value stops the start with one line naming the flag.
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// Make no outbound request at all: what needs the network is reported "not checked:
    /// offline" (the variable takes 1/true or 0/false).
    #[arg(long, env = "CERTFOLIO_OFFLINE", value_name = "BOOL", num_args = 0..=1, require_equals = true,
          default_missing_value = "true")]
    offline: Option<String>,
    /// Test/staging only, like curl's --resolve: connect to ADDR:PORT for HOST:PORT, which is
    /// then exempt from the public-address rule (TLS is still checked for HOST). Repeatable;
    /// the variable takes a comma-separated list.
    #[arg(
        long = "fetch-resolve",
        env = "CERTFOLIO_FETCH_RESOLVE",
        value_name = "HOST:PORT=ADDR:PORT",
        value_delimiter = ','
    )]
    fetch_resolve: Vec<String>,
    /// A PEM file of CA certificates to trust in addition to the built-in roots.
    #[arg(long = "fetch-ca", env = "CERTFOLIO_FETCH_CA", value_name = "FILE")]
    fetch_ca: Option<PathBuf>,
    /// A host that may be fetched over plain http (https is required otherwise). Repeatable;
    /// the variable takes a comma-separated list.
    #[arg(long = "fetch-allow-http", env = "CERTFOLIO_FETCH_ALLOW_HTTP", value_name = "HOST", value_delimiter = ',')]
    fetch_allow_http: Vec<String>,
}

impl FetchArgs {
    pub fn settings(&self) -> Result<crate::fetch::FetchSettings, CliError> {
        use crate::fetch::settings;
        let mut out = crate::fetch::FetchSettings::default();
        if let Some(value) = &self.offline {
            out.offline = settings::parse_switch(value).map_err(|e| CliError(format!("--offline: {e}")))?;
        }
        for rule in self.fetch_resolve.iter().filter(|r| !r.trim().is_empty()) {
            let (key, addr) = settings::parse_resolve(rule).map_err(|e| CliError(format!("--fetch-resolve: {e}")))?;
            if out.resolve.insert(key.clone(), addr).is_some() {
                return Err(CliError(format!("--fetch-resolve: {}:{} is given twice", key.0, key.1)));
            }
        }
        if let Some(path) = &self.fetch_ca {
            out.extra_roots = settings::load_ca(path).map_err(|e| CliError(format!("--fetch-ca: {e}")))?;
        }
        for host in self.fetch_allow_http.iter().filter(|h| !h.trim().is_empty()) {
            out.allow_http
                .push(settings::parse_allow_http(host).map_err(|e| CliError(format!("--fetch-allow-http: {e}")))?);
        }
        Ok(out)
    }
}

/// certfolio's own checks of proofs (README, "Checks by certfolio").
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Check every proof again once its last check is this many days old (1 to 365).
    #[arg(long = "recheck-days", env = "CERTFOLIO_RECHECK_DAYS", value_name = "DAYS", default_value_t = 7,
          value_parser = clap::value_parser!(u16).range(1..=365))]
    recheck_days: u16,
    /// Checks one learner's proofs may take per hour; more wait their turn (1 to 10000).
    #[arg(long = "checks-per-hour", env = "CERTFOLIO_CHECKS_PER_HOUR", value_name = "N", default_value_t = 120,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    checks_per_hour: u32,
}

impl VerifyArgs {
    pub fn settings(&self) -> crate::verify::VerifySettings {
        crate::verify::VerifySettings {
            recheck_after: std::time::Duration::from_secs(u64::from(self.recheck_days) * 24 * 3600),
            checks_per_hour: self.checks_per_hour,
            ..crate::verify::VerifySettings::default()
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The portfolio document (JSON, version 1).
    Json,
    /// JSON Resume: the profile as `basics`, the certified courses as `certificates`.
    Jsonresume,
    /// The generic CSV (the import format; formula-looking cells neutralised with a leading ').
    Csv,
}

/// A failure worth one line on stderr.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// Reads the command line. A usage error (unknown command or option, missing argument, bad
/// value) is answered like any other bad input: one line on stderr naming what is wrong, exit
/// status 1 (clap's own answer is several lines and status 2). `--help` and `--version` print
/// to stdout and exit 0.
pub fn parse_args() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    let args: Vec<OsString> = std::env::args_os().collect();
    Cli::try_parse_from(&args).map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Printed where clap prints them (stdout); a closed stdout is not worth a message.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("certfolio: {}", usage_error(&e, &args));
            ExitCode::FAILURE
        }
    })
}

/// The one line that says what is wrong with the command line, built from clap's error kind
/// and context (never from its rendered text), with a pointer to the right `--help`.
pub fn usage_error(e: &clap::Error, args: &[OsString]) -> String {
    use clap::error::{ContextKind as K, ContextValue, ErrorKind};
    let text = |kind: K| match e.get(kind) {
        Some(ContextValue::String(s)) if !s.is_empty() => Some(one_line(s)),
        Some(ContextValue::Strings(v)) if !v.is_empty() => {
            Some(v.iter().map(|s| one_line(s)).collect::<Vec<_>>().join(", "))
        }
        _ => None,
    };
    let command = Cli::command();
    let commands: Vec<&str> = command.get_subcommands().map(clap::Command::get_name).filter(|n| *n != "help").collect();
    let used = args.iter().skip(1).filter_map(|a| a.to_str()).find(|a| commands.contains(a));
    let used_command = used.and_then(|c| command.find_subcommand(c)).unwrap_or(&command);
    // Clap names an option with its value placeholder (`--output <OUTPUT>`); the flag is
    // enough, with its short form when it has one (`-o/--output`), as the user may have typed it.
    let flag = |s: &str| {
        let name = s.split_once(" <").map_or(s, |(f, _)| f);
        let short = name.strip_prefix("--").and_then(|long| {
            used_command.get_arguments().find(|a| a.get_long() == Some(long)).and_then(clap::Arg::get_short)
        });
        short.map_or_else(|| name.to_owned(), |c| format!("-{c}/{name}"))
    };
    let arg = || text(K::InvalidArg).map_or_else(|| "an argument".to_owned(), |a| flag(&a));
    let value = || text(K::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let did_you_mean = match e.get(K::SuggestedSubcommand) {
                Some(ContextValue::Strings(s)) if !s.is_empty() => {
                    let s: Vec<String> = s.iter().map(|c| format!("`{c}`")).collect();
                    format!("; did you mean {}?", s.join(" or "))
                }
                _ => String::new(),
            };
            format!(
                "`{}` is not a command (the commands are {}){did_you_mean}",
                text(K::InvalidSubcommand).unwrap_or_default(),
                commands.join(", ")
            )
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("a command is required: {}", commands.join(", "))
        }
        ErrorKind::UnknownArgument => {
            let given = text(K::InvalidArg).unwrap_or_default();
            let did_you_mean = text(K::SuggestedArg).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            if given.starts_with('-') {
                let of = used.map_or_else(|| "certfolio".to_owned(), |c| format!("certfolio {c}"));
                format!("`{given}` is not an option of `{of}`{did_you_mean}")
            } else {
                format!("unexpected argument `{given}`")
            }
        }
        ErrorKind::MissingRequiredArgument => match e.get(K::InvalidArg) {
            Some(ContextValue::Strings(missing)) if missing.len() > 1 => {
                let missing: Vec<String> = missing.iter().map(|m| flag(&one_line(m))).collect();
                format!("{} are required", missing.join(" and "))
            }
            _ => format!("{} is required", arg()),
        },
        ErrorKind::InvalidValue => match (value(), text(K::ValidValue)) {
            (v, Some(valid)) if v.is_empty() => format!("{}: a value is required ({valid})", arg()),
            (v, None) if v.is_empty() => format!("{}: a value is required", arg()),
            (v, Some(valid)) => format!("{}: `{v}` is not one of {valid}", arg()),
            (v, None) => format!("{}: `{v}` is not a valid value", arg()),
        },
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(why) => format!("{}: `{}` is not valid: {}", arg(), value(), one_line(&why.to_string())),
            None => format!("{}: `{}` is not valid", arg(), value()),
        },
        ErrorKind::ArgumentConflict => match text(K::PriorArg) {
            Some(prior) => format!("{} cannot be used with {}", arg(), flag(&prior)),
            None => format!("{} cannot be used here", arg()),
        },
        ErrorKind::TooManyValues => format!("{}: unexpected extra value `{}`", arg(), value()),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("{}: wrong number of values", arg()),
        ErrorKind::NoEquals => format!("{}: give the value after `=`", arg()),
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_owned(),
        other => other.as_str().unwrap_or("the command line cannot be read").to_owned(),
    };
    let help = used.map_or_else(|| "certfolio --help".to_owned(), |c| format!("certfolio {c} --help"));
    format!("{what} (see {help})")
}

/// A value quoted back on the one error line: control characters (a newline typed in a
/// value) escaped so that the line stays one line.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve { addr, data, public_url, trusted_proxies, storage, fetch, verify } => {
            run_serve(addr, data, public_url, trusted_proxies, &storage, &fetch, verify.settings()).await
        }
        Command::Import { file, user, data, storage, fetch } => run_import(&file, &user, &data, &storage, &fetch).await,
        Command::Export { user, format, data, storage } => run_export(&user, format, &data, &storage).await,
        Command::Backup { output, data, database } => run_backup(&output, &data, database.as_deref()),
        Command::Copy { from, to, from_files, to_files, database_ca } => {
            run_copy(&from, &to, from_files.as_deref(), to_files.as_deref(), database_ca.as_deref()).await
        }
        Command::Sweep { data, storage } => run_sweep(&data, &storage).await,
        Command::Render {
            file,
            framing,
            field,
            theme,
            lang,
            include_uncertified,
            include_expired,
            portfolio,
            output,
        } => {
            let include = Include { uncertified: include_uncertified, expired: include_expired };
            let what = match (framing, portfolio) {
                (_, Some(name)) if field.is_some() || theme.is_some() || include_uncertified || include_expired => {
                    Err(CliError(format!("--portfolio {name:?}: it says its own framing and options; give it alone")))
                }
                (Some(_), Some(name)) => {
                    Err(CliError(format!("--portfolio {name:?}: it says its own framing; give it alone")))
                }
                (_, Some(name)) => Ok(Render::Saved(name)),
                (Some(framing), None) => portfolio_spec(&framing, field, theme, include).map(Render::Spec),
                (None, None) => Err(CliError("--framing: give a framing, or --portfolio".into())),
            };
            match what {
                Ok(what) => run_render(&file, what, lang.as_deref(), &output),
                Err(e) => Err(e),
            }
        }
        Command::Advise { file, json } => run_advise(&file, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("certfolio: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_cidr(text: &str) -> Result<crate::auth::client::Cidr, String> {
    crate::auth::client::Cidr::parse(text)
}

async fn run_serve(
    addr: SocketAddr,
    data: PathBuf,
    public_url: Option<String>,
    trusted_proxies: Vec<crate::auth::client::Cidr>,
    storage: &StorageArgs,
    fetch: &FetchArgs,
    verify: crate::verify::VerifySettings,
) -> Result<(), CliError> {
    let fetch = fetch.settings()?;
    let mut config = Config::new(data.clone(), String::new());
    storage.apply(&mut config)?;
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| CliError(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr()?;
    let public_url = public_url.unwrap_or_else(|| format!("http://{local}"));
    config.public_url = public_url.trim_end_matches('/').to_owned();
    config.trusted_proxies = trusted_proxies;
    config.verify = verify;
    if fetch.offline {
        tracing::info!("offline: no outbound request will be made; verification reports \"not checked: offline\"");
    } else {
        for ((host, port), to) in &fetch.resolve {
            tracing::warn!(
                "--fetch-resolve (test/staging setting): {host}:{port} connects to {to}, exempt from the address guard"
            );
        }
    }
    config.fetch = fetch;
    let settings = config.storage();
    let state = AppState::open(config, Clock::system()).map_err(|e| match e {
        crate::state::OpenError::Trust(m) | crate::state::OpenError::Fetch(m) => CliError(m),
        crate::state::OpenError::Storage(e) => storage_error(&settings, &e),
    })?;
    // The store must answer before anything is served; evidence an earlier build kept in
    // the SQLite database moves out to it now (each file checked by hash before its blob goes).
    state.db.files().ping().await.map_err(|e| storage_error(&settings, &e))?;
    state.db.move_legacy_evidence().await.map_err(|e| storage_error(&settings, &e))?;
    tracing::info!(
        "certfolio listening on http://{local} (public URL {public_url}, database {}, files {})",
        settings.database.redacted(),
        settings.files.describe()
    );
    serve(listener, state, shutdown_signal()).await?;
    tracing::info!("certfolio stopped");
    Ok(())
}

/// Opens an existing installation for the offline commands; never creates a SQLite database,
/// so a wrong `--data` is reported instead of producing an empty database somewhere unexpected.
async fn open_existing(data: &Path, storage: &StorageArgs) -> Result<Db, CliError> {
    let mut config = Config::new(data.to_owned(), String::new());
    storage.apply(&mut config)?;
    let settings = config.storage();
    if let DatabaseUrl::Sqlite(path) = &settings.database
        && !path.is_file()
    {
        let hint = if config.database.is_some() {
            "pass the right --database".to_owned()
        } else {
            format!("run `certfolio serve --data {}` once, or pass the right --data", data.display())
        };
        return Err(CliError(format!("{}: no certfolio database here ({hint})", path.display())));
    }
    open_storage(&settings).await
}

async fn find_learner(db: &Db, user: &str) -> Result<uuid::Uuid, CliError> {
    let email = Email::parse(user).map_err(|m| CliError(format!("--user: {m}")))?;
    match db.learner_by_email(email.to_string()).await {
        Ok(l) => Ok(l.id),
        Err(storage::Error::NotFound) => Err(CliError(format!("--user: no account with the email {email}"))),
        Err(e) => Err(e.into()),
    }
}

async fn run_import(
    file: &Path,
    user: &str,
    data: &Path,
    storage: &StorageArgs,
    fetch: &FetchArgs,
) -> Result<(), CliError> {
    // The outbound settings (the same as serve's) are checked before anything else. Import
    // fetches only what an Open Badges file names by URL and needs to be read (its badge class,
    // issuer, or the assertion a baked URL points at); the badge itself is checked by the
    // service's verification job once stored.
    let settings = fetch.settings()?;
    let fetcher = crate::fetch::Fetcher::new(&settings, "certfolio-import", Clock::system()).map_err(CliError)?;
    let bytes = read_limited(file)?;
    let located = |e: crate::domain::ValidationError| {
        let at = if e.path.is_empty() { String::new() } else { format!("{}: ", e.path) };
        CliError(format!("{}: {at}{}", file.display(), e.message()))
    };
    // Parsed before the database is opened: a bad file is reported even with a wrong --data.
    // Badge signatures are checked against the data folder's trust file, as `serve` does.
    let trust = crate::config::load_trust_store(data).map_err(CliError)?;
    let now = Clock::system().now();
    let docs = crate::verify::documents_for_import(&fetcher, None, &bytes).await;
    let incoming = crate::interop::incoming::Incoming::read_with(&bytes, &trust, now, &docs).map_err(located)?;
    let format = incoming.format;
    let db = open_existing(data, storage).await?;
    let learner = find_learner(&db, user).await?;
    let counts = db.import_incoming(learner, incoming, now).await?.map_err(located)?;
    let total = db.course_count(learner).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "imported {} ({}): {} created, {} updated, {} unchanged; {total} courses in the record",
        file.display(),
        format.as_str(),
        counts.created,
        counts.updated,
        counts.unchanged
    )?;
    Ok(())
}

async fn run_export(user: &str, format: ExportFormat, data: &Path, storage: &StorageArgs) -> Result<(), CliError> {
    let db = open_existing(data, storage).await?;
    let learner = find_learner(&db, user).await?;
    let text = match format {
        ExportFormat::Json => {
            let doc = db.export_document(learner).await?;
            serde_json::to_string_pretty(&doc)?
        }
        ExportFormat::Jsonresume => {
            let doc = db.export_document(learner).await?;
            serde_json::to_string_pretty(&crate::interop::jsonresume::to_json_resume(&doc))?
        }
        ExportFormat::Csv => {
            let doc = db.export_document(learner).await?;
            // Written as is: every row, the last included, already ends with CRLF.
            let mut out = std::io::stdout().lock();
            out.write_all(crate::interop::csv::to_csv(&doc).as_bytes())?;
            out.flush()?;
            return Ok(());
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

fn run_backup(output: &Path, data: &Path, database: Option<&str>) -> Result<(), CliError> {
    use crate::storage::backup::BackupError;
    let db_path = match database.filter(|d| !d.trim().is_empty()) {
        None => data.join(DB_FILE),
        Some(text) => match DatabaseUrl::parse(text).map_err(|e| CliError(format!("--database: {e}")))? {
            DatabaseUrl::Sqlite(path) => path,
            DatabaseUrl::Postgres(_) => {
                return Err(CliError(
                    "--database: backup copies a SQLite database; for PostgreSQL use pg_dump (pg_dump --format=custom \
                     --file=FILE URL) and your object store's own copy or versioning, or `certfolio copy --to \
                     sqlite://FILE --to-files DIR` for a complete copy with files (docs/DEPLOY.md)"
                        .into(),
                ));
            }
        },
    };
    let report = storage::backup::backup_file(&db_path, output).map_err(|e| match e {
        BackupError::NoDatabase(_) => CliError(e.to_string()),
        BackupError::Output(m) => CliError(format!("-o {}: {m}", output.display())),
        BackupError::Copy(e) => CliError(format!("-o {}: the backup failed: {e}", output.display())),
    })?;
    let mut out = std::io::stdout().lock();
    let files = db_path.parent().map_or_else(|| PathBuf::from(storage::FILES_DIR), |d| d.join(storage::FILES_DIR));
    writeln!(
        out,
        "backup written to {} ({} bytes, {} learners, {} courses; integrity check ok); evidence files are in the \
         object store ({} by default): copy it too",
        report.path.display(),
        report.bytes,
        report.learners,
        report.courses,
        files.display()
    )?;
    Ok(())
}

/// The object store that goes with a database given on the command line: the flag's, else
/// for SQLite the `files` folder beside the database file.
fn files_for(database: &DatabaseUrl, files: Option<&str>, flag: &str) -> Result<FilesUrl, CliError> {
    match (files.filter(|f| !f.trim().is_empty()), database) {
        (Some(text), _) => FilesUrl::parse(text).map_err(|e| CliError(format!("{flag}: {e}"))),
        (None, DatabaseUrl::Sqlite(path)) => Ok(FilesUrl::Local(
            path.parent().map_or_else(|| PathBuf::from(storage::FILES_DIR), |d| d.join(storage::FILES_DIR)),
        )),
        (None, DatabaseUrl::Postgres(_)) => {
            Err(CliError(format!("{flag}: required with a postgres:// database (a folder or s3://…)")))
        }
    }
}

async fn run_copy(
    from: &str,
    to: &str,
    from_files: Option<&str>,
    to_files: Option<&str>,
    database_ca: Option<&Path>,
) -> Result<(), CliError> {
    let from_db = DatabaseUrl::parse(from).map_err(|e| CliError(format!("--from: {e}")))?;
    let to_db = DatabaseUrl::parse(to).map_err(|e| CliError(format!("--to: {e}")))?;
    let ca = database_ca
        .map(|p| crate::fetch::settings::load_ca(p).map_err(|e| CliError(format!("--database-ca: {e}"))))
        .transpose()?
        .unwrap_or_default();
    let source = storage::Settings {
        files: files_for(&from_db, from_files, "--from-files")?,
        database: from_db,
        connections: 2,
        database_ca: ca.clone(),
    };
    let target = storage::Settings {
        files: files_for(&to_db, to_files, "--to-files")?,
        database: to_db,
        connections: 2,
        database_ca: ca,
    };
    if let DatabaseUrl::Sqlite(path) = &source.database
        && !path.is_file()
    {
        return Err(CliError(format!("--from {}: no certfolio database here", path.display())));
    }
    let from_db = open_storage(&source).await?;
    let to_db = open_storage(&target).await?;
    let report = storage::copy::copy_installation(&from_db, &to_db).await.map_err(|e| match e {
        storage::Error::Refused(m) => CliError(format!("--to {}: {m}", target.database.redacted())),
        e => CliError(format!("copy failed, nothing was written to the target's database: {e}")),
    })?;
    let mut out = std::io::stdout().lock();
    for t in &report.tables {
        writeln!(out, "{:<16} {:>8} rows  sha256 {}", t.table, t.rows, t.sha256)?;
    }
    writeln!(
        out,
        "copied {} to {} ({} evidence files; every table and file checked in the target)",
        source.database.redacted(),
        target.database.redacted(),
        report.files
    )?;
    Ok(())
}

async fn run_sweep(data: &Path, storage: &StorageArgs) -> Result<(), CliError> {
    let db = open_existing(data, storage).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let r = db.sweep_orphans(now).await?;
    writeln!(
        std::io::stdout().lock(),
        "{}: {} objects removed (no row named them), {} named, {} written too recently to judge",
        db.files().describe(),
        r.removed,
        r.named,
        r.young
    )?;
    Ok(())
}

/// Reads a file of at most [`IMPORT_MAX_BYTES`], the service's own import limit. A larger file is
/// refused from its size before any of it is read; one whose size is not known beforehand (a
/// pipe, `/dev/stdin`) is read no further than one byte past the limit.
fn read_limited(file: &Path) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| CliError(format!("{}: cannot read: {e}", file.display()));
    let max = IMPORT_MAX_BYTES / MIB;
    let too_large = |size: String| {
        CliError(format!("{}: the file is {size}; at most {max} MiB can be imported (split it)", file.display()))
    };
    let limit = u64::try_from(IMPORT_MAX_BYTES).unwrap_or(u64::MAX);
    let opened = std::fs::File::open(file).map_err(cannot)?;
    let size = opened.metadata().map_err(cannot)?.len();
    if size > limit {
        return Err(too_large(format!("{} MiB ({size} bytes)", size / (1 << 20))));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    opened.take(limit + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() > IMPORT_MAX_BYTES {
        return Err(too_large(format!("larger than {max} MiB")));
    }
    Ok(bytes)
}

/// Reads and validates a portfolio document; errors name the file and the JSON path.
fn read_document(file: &Path) -> Result<crate::domain::Document, CliError> {
    let bytes = read_limited(file)?;
    parse_document(&bytes).map_err(|e| {
        let at = if e.path.is_empty() { String::new() } else { format!("{}: ", e.path) };
        CliError(format!("{}: {at}{}", file.display(), e.message()))
    })
}

/// Turns the command-line choices into a portfolio spec, naming any bad value.
/// What a legitimacy portfolio also shows when asked (`--include-uncertified`, `--include-expired`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Include {
    pub uncertified: bool,
    pub expired: bool,
}

pub fn portfolio_spec(
    framing: &str,
    field: Option<String>,
    theme: Option<String>,
    include: Include,
) -> Result<crate::domain::portfolio::Spec, CliError> {
    use crate::domain::portfolio::{Framing, Scope, Spec};
    let framing = Framing::from_str_opt(framing)
        .ok_or_else(|| CliError(format!("--framing: `{framing}` is not a framing (appetite or legitimacy)")))?;
    let scope = match (field.filter(|f| !f.trim().is_empty()), theme.filter(|t| !t.trim().is_empty())) {
        (Some(_), Some(_)) => return Err(CliError("--field and --theme: give one or the other, not both".into())),
        (Some(f), None) => Scope::Field(f),
        (None, Some(t)) => Scope::Theme(t),
        (None, None) => Scope::All,
    };
    Ok(Spec {
        framing,
        scope,
        include_uncertified: include.uncertified,
        include_expired: include.expired,
        shape: Default::default(),
    })
}

/// What `render` renders: a framing from the flags, or one of the document's saved portfolios.
enum Render {
    Spec(crate::domain::portfolio::Spec),
    Saved(String),
}

fn run_render(file: &Path, what: Render, lang: Option<&str>, output: &Path) -> Result<(), CliError> {
    use crate::pdf::RenderOptions;
    let lang = lang
        .map(|l| {
            crate::domain::Lang::from_str_opt(l)
                .ok_or_else(|| CliError(format!("--lang: `{l}` is not a supported language (fr or en)")))
        })
        .transpose()?;
    let doc = read_document(file)?;
    // SOURCE_DATE_EPOCH (reproducible-builds.org) pins the date, so a script gets identical bytes.
    let created_at = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let saved = doc.portfolios.clone();
    let record = crate::domain::record::Record::from_document(doc);
    let (spec, saved_lang) = match what {
        Render::Spec(spec) => (spec, None),
        Render::Saved(name) => {
            let found = saved.iter().find(|p| p.name == name).ok_or_else(|| {
                let names: Vec<&str> = saved.iter().map(|p| p.name.as_str()).collect();
                CliError(format!(
                    "{}: --portfolio: no saved portfolio named {name:?} (in this document: {})",
                    file.display(),
                    if names.is_empty() { "none".to_owned() } else { names.join(", ") }
                ))
            })?;
            // The document names courses by place; the record numbers them the same way.
            let by_id = found
                .map_refs(|place| record.courses.get(place).map(|c| c.id))
                .ok_or_else(|| CliError(format!("{}: --portfolio: names a course past the end", file.display())))?;
            (by_id.spec(), by_id.lang)
        }
    };
    let lang = lang.or(saved_lang).or(record.learner.lang).unwrap_or_default();
    // Expiry is read against the document's date, so a pinned date gives the same marks.
    let p = crate::presentation::present(&record, &spec, lang, created_at.unix_timestamp())
        .map_err(|e| CliError(format!("{}: --{}: {e}", file.display(), e.input())))?;
    let opts = RenderOptions { share: None, created_at };
    let bytes = crate::pdf::render(&p, &opts).map_err(|e| match e {
        crate::pdf::RenderError::Empty(m) => CliError(format!("{}: {m}", file.display())),
        other => CliError(other.to_string()),
    })?;
    // Write beside the target, then rename: a failed run never leaves half a PDF behind.
    let tmp = output.with_extension("pdf.part");
    std::fs::write(&tmp, &bytes).map_err(|e| CliError(format!("{}: cannot write: {e}", output.display())))?;
    std::fs::rename(&tmp, output).map_err(|e| CliError(format!("{}: cannot write: {e}", output.display())))?;
    Ok(())
}

fn run_advise(file: &Path, json: bool) -> Result<(), CliError> {
    let doc = read_document(file)?;
    let advice = crate::domain::advice::advise(&doc, Clock::system().now());
    let mut out = std::io::stdout().lock();
    // The command has no --lang: its output stays in English, as it always was.
    let lang = Lang::En;
    if json {
        let view = crate::api::views::AdviceView::new(advice, lang);
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
        return Ok(());
    }
    let target = match (&advice.field, &advice.theme) {
        (Some(f), _) => format!(" --field {f:?}"),
        (_, Some(t)) => format!(" --theme {t:?}"),
        _ => String::new(),
    };
    let register = serde_json::to_value(advice.register)?;
    writeln!(out, "framing: {}{target}", advice.framing.as_str())?;
    writeln!(out, "register: {}", register.as_str().unwrap_or_default())?;
    for reason in &advice.reasons {
        writeln!(out, "- {}", crate::i18n::advice_reason(lang, reason))?;
    }
    writeln!(
        out,
        "render it: certfolio render {} --framing {}{target} -o portfolio.pdf",
        file.display(),
        advice.framing.as_str()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value typed with a line break (a pasted value) must not split the one error line.
    #[test]
    fn a_usage_error_stays_on_one_line_whatever_was_typed() {
        let args: Vec<OsString> =
            ["certfolio", "export", "--user", "u@example.org", "--format", "x\ny"].map(OsString::from).to_vec();
        let e = Cli::try_parse_from(&args).unwrap_err();
        let line = usage_error(&e, &args);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("--format: `x\\ny` is not one of json, jsonresume, csv"), "{line}");
    }
}
