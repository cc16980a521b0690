//! Learner accounts and their profile.

use uuid::Uuid;

use super::sql::{Row, Tx, vals};
use super::{Db, Error, Result, is_unique_violation};
use crate::domain::{Lang, LearnerRecord, Situation};

#[derive(Debug, Clone)]
pub struct NewLearner {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub now: i64,
}

/// An account with its profile (never its password hash).
#[derive(Debug, Clone, PartialEq)]
pub struct Learner {
    pub id: Uuid,
    pub email: String,
    pub profile: LearnerRecord,
    pub created_at: i64,
    pub updated_at: i64,
}

const LEARNER_COLUMNS: &str =
    "id, email, name, headline, contact_email, location, situation, lang, created_at, updated_at";

fn learner_from_row(row: &Row) -> Result<Learner> {
    let situation: Option<String> = row.get(6)?;
    let lang: Option<String> = row.get(7)?;
    Ok(Learner {
        id: row.get(0)?,
        email: row.get(1)?,
        profile: LearnerRecord {
            name: row.get(2)?,
            headline: row.get(3)?,
            email: row.get(4)?,
            location: row.get(5)?,
            situation: situation.as_deref().and_then(Situation::from_str_opt),
            lang: lang.as_deref().and_then(Lang::from_str_opt),
        },
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

pub(super) fn load_learner(tx: &Tx<'_>, id: Uuid) -> Result<Learner> {
    learner_from_row(&tx.query_one(&format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE id = $1"), vals![id])?)
}

/// Writes the profile fields a document or settings form carries (a portfolio shows them:
/// the record revision moves with them).
pub(super) fn store_profile(tx: &Tx<'_>, id: Uuid, p: &LearnerRecord, now: i64) -> Result<()> {
    let n = tx.execute(
        "UPDATE learners SET name = $2, headline = $3, contact_email = $4, location = $5,
                situation = $6, lang = $7, updated_at = $8, revision = revision + 1 WHERE id = $1",
        vals![
            id,
            p.name,
            p.headline,
            p.email,
            p.location,
            p.situation.map(Situation::as_str),
            p.lang.map(Lang::as_str),
            now
        ],
    )?;
    if n == 0 { Err(Error::NotFound) } else { Ok(()) }
}

impl Db {
    /// Creates an account; [`Error::Conflict`] when the email is taken.
    pub async fn create_learner(&self, new: NewLearner) -> Result<Learner> {
        self.write(move |tx| {
            let inserted = tx.execute(
                "INSERT INTO learners (id, email, password_hash, name, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
                vals![new.id, new.email, new.password_hash, new.name, new.now],
            );
            match inserted {
                Err(e) if is_unique_violation(&e) => Err(Error::Conflict(crate::domain::Problem::EmailTaken)),
                Err(e) => Err(e),
                Ok(_) => load_learner(tx, new.id),
            }
        })
        .await
    }

    /// The account id and password hash for a login email, if the account exists.
    pub async fn login_record(&self, email: String) -> Result<Option<(Uuid, String)>> {
        self.read(move |tx| {
            tx.query_opt("SELECT id, password_hash FROM learners WHERE email = $1", vals![email])?
                .map(|r| Ok((r.get(0)?, r.get(1)?)))
                .transpose()
        })
        .await
    }

    pub async fn learner(&self, id: Uuid) -> Result<Learner> {
        self.read(move |tx| load_learner(tx, id)).await
    }

    pub async fn learner_by_email(&self, email: String) -> Result<Learner> {
        self.read(move |tx| {
            learner_from_row(
                &tx.query_one(&format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE email = $1"), vals![email])?,
            )
        })
        .await
    }

    pub async fn update_profile(&self, id: Uuid, profile: LearnerRecord, now: i64) -> Result<Learner> {
        self.write(move |tx| {
            store_profile(tx, id, &profile, now)?;
            load_learner(tx, id)
        })
        .await
    }

    /// The language the learner chose for their pages; `None` until they choose one (then the
    /// browser's applies). Not the profile's `lang`: that is the portfolio's language, and
    /// importing a French record must not turn an English learner's pages into French.
    pub async fn page_lang(&self, id: Uuid) -> Result<Option<Lang>> {
        self.read(move |tx| {
            let ui: Option<String> = tx.query_one("SELECT ui_lang FROM learners WHERE id = $1", vals![id])?.get(0)?;
            Ok(ui.as_deref().and_then(Lang::from_str_opt))
        })
        .await
    }

    /// Remembers the language of the learner's pages (the header's switch).
    pub async fn set_page_lang(&self, id: Uuid, lang: Lang) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute("UPDATE learners SET ui_lang = $2 WHERE id = $1", vals![id, lang.as_str()])?;
            if n == 0 { Err(Error::NotFound) } else { Ok(()) }
        })
        .await
    }

    /// The settings page's save: the profile and the pages' language, together or not at all.
    pub async fn save_settings(&self, id: Uuid, profile: LearnerRecord, page_lang: Lang, now: i64) -> Result<Learner> {
        self.write(move |tx| {
            store_profile(tx, id, &profile, now)?;
            tx.execute("UPDATE learners SET ui_lang = $2 WHERE id = $1", vals![id, page_lang.as_str()])?;
            load_learner(tx, id)
        })
        .await
    }

    pub async fn password_hash(&self, id: Uuid) -> Result<String> {
        self.read(move |tx| tx.query_one("SELECT password_hash FROM learners WHERE id = $1", vals![id])?.get(0)).await
    }

    /// Replaces the password hash and ends every session of the account except `keep`
    /// (the one that asked for the change).
    pub async fn set_password(&self, id: Uuid, hash: String, keep: [u8; 32], now: i64) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE learners SET password_hash = $2, updated_at = $3 WHERE id = $1",
                vals![id, hash, now],
            )?;
            if n == 0 {
                return Err(Error::NotFound);
            }
            tx.execute("DELETE FROM sessions WHERE learner_id = $1 AND token_hash <> $2", vals![id, keep])?;
            Ok(())
        })
        .await
    }
}
