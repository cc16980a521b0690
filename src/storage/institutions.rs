//! The learner's institutions: listed with their courses, edited, and two merged into one.

use uuid::Uuid;

use super::sql::{Tx, vals};
use super::{Db, Error, Result, bump_revision, is_unique_violation};
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

fn load_all(tx: &Tx<'_>, learner: Uuid) -> Result<Vec<StoredInstitution>> {
    let rows = tx.query(
        "SELECT id, name, country, kind, website FROM institutions WHERE learner_id = $1 ORDER BY norm_name, id",
        vals![learner],
    )?;
    let mut all = rows
        .iter()
        .map(|r| {
            let kind: Option<String> = r.get(3)?;
            Ok(StoredInstitution {
                id: r.get(0)?,
                info: InstitutionInfo {
                    name: r.get(1)?,
                    country: r.get(2)?,
                    // A kind written by an older build or by hand is shown as unknown, not an error.
                    kind: kind.as_deref().and_then(InstitutionKind::from_str_opt),
                    website: r.get(4)?,
                },
                courses: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let courses = tx.query(
        "SELECT institution_id, id, title FROM courses
         WHERE learner_id = $1 AND institution_id IS NOT NULL ORDER BY seq",
        vals![learner],
    )?;
    for c in courses {
        let (institution, id, title): (Uuid, Uuid, String) = (c.get(0)?, c.get(1)?, c.get(2)?);
        if let Some(i) = all.iter_mut().find(|i| i.id == institution) {
            i.courses.push((id, title));
        }
    }
    Ok(all)
}

fn load_one(tx: &Tx<'_>, learner: Uuid, id: Uuid) -> Result<StoredInstitution> {
    load_all(tx, learner)?.into_iter().find(|i| i.id == id).ok_or(Error::NotFound)
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
        self.write_for(learner, move |tx| {
            // An institution's name is shown on portfolios: its changes bump the revision.
            let updated = tx.execute(
                "UPDATE institutions SET name = $3, norm_name = $4, country = $5, kind = $6, website = $7
                 WHERE id = $1 AND learner_id = $2",
                vals![
                    id,
                    learner,
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
                Err(e) => return Err(e),
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
        self.write_for(learner, move |tx| {
            if kept == absorbed {
                return Err(Error::Conflict(Problem::SameInstitutionTwice));
            }
            let owned = |id: Uuid| -> Result<()> {
                tx.query_one("SELECT 1 FROM institutions WHERE id = $1 AND learner_id = $2", vals![id, learner])
                    .map(|_| ())
            };
            owned(kept)?;
            owned(absorbed)?;
            let moved = tx.execute(
                "UPDATE courses SET institution_id = $1 WHERE institution_id = $2 AND learner_id = $3",
                vals![kept, absorbed, learner],
            )?;
            tx.execute(
                "UPDATE institutions SET
                    country = coalesce(country, (SELECT i.country FROM institutions i WHERE i.id = $2)),
                    kind = coalesce(kind, (SELECT i.kind FROM institutions i WHERE i.id = $2)),
                    website = coalesce(website, (SELECT i.website FROM institutions i WHERE i.id = $2))
                 WHERE id = $1",
                vals![kept, absorbed],
            )?;
            let still_used =
                tx.query_opt("SELECT 1 FROM courses WHERE institution_id = $1 LIMIT 1", vals![absorbed])?;
            if still_used.is_some() {
                return Err(Error::Corrupt("a course still names the merged institution".into()));
            }
            tx.execute("DELETE FROM institutions WHERE id = $1", vals![absorbed])?;
            bump_revision(tx, learner)?;
            Ok(usize::try_from(moved).unwrap_or(usize::MAX))
        })
        .await
    }
}
