//! The learner's institutions: listed with their courses, edited, and two merged into one.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{Db, Error, OptionalExt, Result, is_unique_violation, uuid_at};
use crate::domain::Problem;
use crate::domain::institution::{InstitutionInfo, InstitutionKind};
use crate::domain::text::normalize_name;

/// An institution and the courses that name it (id and title, in the learner's order).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredInstitution {
    pub id: Uuid,
    pub info: InstitutionInfo,
    pub courses: Vec<(Uuid, String)>,
}

fn load_all(conn: &Connection, learner: Uuid) -> Result<Vec<StoredInstitution>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, country, kind, website FROM institutions WHERE learner_id = ?1 ORDER BY norm_name",
    )?;
    let rows = stmt.query_map([learner.to_string()], |r| {
        let kind: Option<String> = r.get(3)?;
        Ok(StoredInstitution {
            id: uuid_at(r, 0)?,
            info: InstitutionInfo {
                name: r.get(1)?,
                country: r.get(2)?,
                // A kind written by an older build or by hand is shown as unknown, not an error.
                kind: kind.as_deref().and_then(InstitutionKind::from_str_opt),
                website: r.get(4)?,
            },
            courses: Vec::new(),
        })
    })?;
    let mut all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT institution_id, id, title FROM courses
         WHERE learner_id = ?1 AND institution_id IS NOT NULL ORDER BY seq",
    )?;
    let courses = stmt.query_map([learner.to_string()], |r| Ok((uuid_at(r, 0)?, uuid_at(r, 1)?, r.get(2)?)))?;
    for c in courses {
        let (institution, id, title): (Uuid, Uuid, String) = c?;
        if let Some(i) = all.iter_mut().find(|i| i.id == institution) {
            i.courses.push((id, title));
        }
    }
    Ok(all)
}

fn load_one(conn: &Connection, learner: Uuid, id: Uuid) -> Result<StoredInstitution> {
    load_all(conn, learner)?.into_iter().find(|i| i.id == id).ok_or(Error::NotFound)
}

/// Record revisions are bumped by triggers on courses and profiles; an institution's name is
/// shown on portfolios too, so its changes bump it here (cached share pages then refresh).
fn bump_revision(conn: &Connection, learner: Uuid) -> Result<()> {
    conn.execute("UPDATE learners SET revision = revision + 1 WHERE id = ?1", [learner.to_string()])?;
    Ok(())
}

impl Db {
    /// The learner's institutions, by name, each with its courses.
    pub async fn list_institutions(&self, learner: Uuid) -> Result<Vec<StoredInstitution>> {
        self.read(move |tx| load_all(tx, learner)).await
    }

    pub async fn institution(&self, learner: Uuid, id: Uuid) -> Result<StoredInstitution> {
        self.read(move |tx| load_one(tx, learner, id)).await
    }

    /// Replaces an institution's fields (validated by the caller). [`Error::Conflict`] when the
    /// new name is, once normalised, another institution's: those two are to be merged.
    pub async fn update_institution(
        &self,
        learner: Uuid,
        id: Uuid,
        info: InstitutionInfo,
    ) -> Result<StoredInstitution> {
        self.write(move |tx| {
            let updated = tx.execute(
                "UPDATE institutions SET name = ?3, norm_name = ?4, country = ?5, kind = ?6, website = ?7
                 WHERE id = ?1 AND learner_id = ?2",
                params![
                    id.to_string(),
                    learner.to_string(),
                    info.name,
                    normalize_name(&info.name),
                    info.country,
                    info.kind.map(InstitutionKind::as_str),
                    info.website
                ],
            );
            match updated {
                Err(e) if is_unique_violation(&e) => {
                    return Err(Error::Conflict(Problem::InstitutionNameTaken));
                }
                Err(e) => return Err(e.into()),
                Ok(0) => return Err(Error::NotFound),
                Ok(_) => {}
            }
            bump_revision(tx, learner)?;
            load_one(tx, learner, id)
        })
        .await
    }

    /// Merges institution `absorbed` into `kept`, in one transaction: the courses of `absorbed`
    /// move to `kept`, the fields `kept` leaves empty take `absorbed`'s values (nothing known is
    /// lost), and `absorbed` is removed. Returns how many courses moved.
    pub async fn merge_institutions(&self, learner: Uuid, kept: Uuid, absorbed: Uuid) -> Result<usize> {
        self.write(move |tx| {
            if kept == absorbed {
                return Err(Error::Conflict(Problem::SameInstitutionTwice));
            }
            let owned = |id: Uuid| -> Result<()> {
                tx.query_row(
                    "SELECT 1 FROM institutions WHERE id = ?1 AND learner_id = ?2",
                    [id.to_string(), learner.to_string()],
                    |_| Ok(()),
                )
                .found()
            };
            owned(kept)?;
            owned(absorbed)?;
            let moved = tx.execute(
                "UPDATE courses SET institution_id = ?1 WHERE institution_id = ?2 AND learner_id = ?3",
                params![kept.to_string(), absorbed.to_string(), learner.to_string()],
            )?;
            tx.execute(
                "UPDATE institutions SET
                    country = coalesce(country, (SELECT country FROM institutions WHERE id = ?2)),
                    kind = coalesce(kind, (SELECT kind FROM institutions WHERE id = ?2)),
                    website = coalesce(website, (SELECT website FROM institutions WHERE id = ?2))
                 WHERE id = ?1",
                params![kept.to_string(), absorbed.to_string()],
            )?;
            let still_used: Option<i64> = tx
                .query_row("SELECT 1 FROM courses WHERE institution_id = ?1 LIMIT 1", [absorbed.to_string()], |r| {
                    r.get(0)
                })
                .optional()?;
            if still_used.is_some() {
                return Err(Error::Corrupt("a course still names the merged institution".into()));
            }
            tx.execute("DELETE FROM institutions WHERE id = ?1", [absorbed.to_string()])?;
            bump_revision(tx, learner)?;
            Ok(moved)
        })
        .await
    }
}
