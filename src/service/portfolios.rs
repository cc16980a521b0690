//! Saved portfolios kept, changed and deleted: every rule checked, its courses against the
//! learner's own record. The API (`api::portfolios`) and the builder pages
//! (`web::saved_pages`) both save through here.

use uuid::Uuid;

use crate::domain::saved::SavedPortfolio;
use crate::error::AppResult;
use crate::state::AppState;
use crate::storage::portfolios::StoredPortfolio;

/// Every rule of a saved portfolio, its courses checked against the learner's record.
pub async fn check(state: &AppState, learner: Uuid, settings: &SavedPortfolio) -> AppResult<()> {
    let ids: Vec<Uuid> = state.db.list_courses(learner).await?.into_iter().map(|c| c.id).collect();
    settings.validate("", |id| ids.contains(&id))?;
    Ok(())
}

/// Keeps a new portfolio; `Conflict` when the learner has one of that name.
pub async fn create(state: &AppState, learner: Uuid, settings: SavedPortfolio) -> AppResult<StoredPortfolio> {
    check(state, learner, &settings).await?;
    Ok(state.db.create_portfolio(learner, settings, state.clock.now()).await?)
}

/// Replaces a portfolio's settings; `NotFound` for another learner's.
pub async fn update(state: &AppState, learner: Uuid, id: Uuid, settings: SavedPortfolio) -> AppResult<StoredPortfolio> {
    check(state, learner, &settings).await?;
    Ok(state.db.update_portfolio(learner, id, settings, state.clock.now()).await?)
}

/// Deletes a portfolio; links made from it keep showing it as it was.
pub async fn delete(state: &AppState, learner: Uuid, id: Uuid) -> AppResult<()> {
    Ok(state.db.delete_portfolio(learner, id).await?)
}
