//! Institutions: edit one, merge two that are the same institution.

use uuid::Uuid;

use crate::domain::institution::InstitutionInfo;
use crate::error::AppResult;
use crate::state::AppState;
use crate::storage::institutions::StoredInstitution;

/// Replaces an institution's fields; `Conflict` when its new name is another institution's
/// (those two are to be merged instead).
pub async fn update(state: &AppState, learner: Uuid, id: Uuid, info: InstitutionInfo) -> AppResult<StoredInstitution> {
    Ok(state.db.update_institution(learner, id, info).await?)
}

/// Moves the courses of `absorbed` to `kept` and removes `absorbed`, in one transaction; how
/// many courses moved.
pub async fn merge(state: &AppState, learner: Uuid, kept: Uuid, absorbed: Uuid) -> AppResult<usize> {
    let moved = state.db.merge_institutions(learner, kept, absorbed).await?;
    tracing::info!(learner = %learner, moved, "institutions merged");
    Ok(moved)
}
