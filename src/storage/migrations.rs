//! Numbered schema migrations, applied in order at open; the version lives in
//! `PRAGMA user_version`. Pragmas are set per connection in `open_connection`, not here.

use rusqlite_migration::{M, Migrations};

const LIST: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_init.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0002_shares.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0003_revision.sql")),
    M::up(include_str!("migrations/0004_pages.sql")),
    M::up(include_str!("migrations/0005_badges.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0006_pdf_content.sql")),
    M::up(include_str!("migrations/0007_expiry.sql")),
    M::up(include_str!("migrations/0008_share_reveals.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0009_skills_portfolios.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0010_imports.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0011_proof_checks.sql")).foreign_key_check(),
];

pub(super) const MIGRATIONS: Migrations<'static> = Migrations::from_slice(LIST);
