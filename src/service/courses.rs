//! Saving a course: the document's rules, the badge it carries checked again against the trust
//! file (a level is never taken from the client), then stored. The API (`api::courses`) and
//! the course pages (`web::course_pages`) both save through here.

use uuid::Uuid;

use crate::domain::{CourseRecord, Problem};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::storage::StoredCourse;

/// Checks `record` and readies its badge's check for storing.
fn checked(state: &AppState, mut record: CourseRecord, now: i64) -> AppResult<CourseRecord> {
    record.validate("")?;
    crate::interop::openbadges::check_course(&mut record, "", &state.trust, now)?;
    Ok(record)
}

/// Adds a course; `Conflict` when one with the same title, platform and start date is recorded.
pub async fn create(state: &AppState, learner: Uuid, record: CourseRecord) -> AppResult<StoredCourse> {
    let now = state.clock.now();
    let record = checked(state, record, now)?;
    Ok(state.db.create_course(learner, record, now).await?)
}

/// Replaces a course's fields (its id, position and evidence are kept); `NotFound` for another
/// learner's course, `Conflict` when it would repeat another course.
pub async fn update(state: &AppState, learner: Uuid, id: Uuid, record: CourseRecord) -> AppResult<StoredCourse> {
    let now = state.clock.now();
    let record = checked(state, record, now)?;
    Ok(state.db.update_course(learner, id, record, now).await?)
}

/// Deletes a course with its attestation and evidence file.
pub async fn delete(state: &AppState, learner: Uuid, id: Uuid) -> AppResult<()> {
    Ok(state.db.delete_course(learner, id).await?)
}

/// A bulk edit (API and course list page): checked, then applied to every course in one
/// transaction (all of them or none).
pub async fn edit_many(
    state: &AppState,
    learner: Uuid,
    courses: Vec<Uuid>,
    set: crate::domain::bulk::BulkSet,
) -> AppResult<usize> {
    if courses.is_empty() {
        return Err(AppError::validation("ids", Problem::NoCourseChosen));
    }
    if set.is_empty() {
        return Err(AppError::validation("set", Problem::NothingToSet));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(i) = courses.iter().position(|id| !seen.insert(*id)) {
        return Err(AppError::validation(format!("ids[{i}]"), Problem::RepeatedCourse));
    }
    Ok(state.db.edit_courses(learner, courses, set, state.clock.now()).await??)
}
