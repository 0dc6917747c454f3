//! What the matrix offers where a chosen file does not load: for each package of the layer, the
//! newest release with a file that loads on each target (from the project pages the client
//! already has, cached).

use std::collections::HashMap;

use futures_util::future::join_all;
use wheelbarrow::Target;
use wheelbarrow::index::IndexClient;
use wheelbarrow::wheel::newest_loadable;

use super::failure::Failure;
use super::msg::Msg;
use super::runner::blocking;

/// Looks the projects up together; a project the index does not answer for gets `Err` with
/// the reason, the others still get theirs. A panic is the job's (the runner answers it).
pub async fn matrix_offers(
    client: IndexClient,
    projects: Vec<String>,
    targets: Vec<Target>,
) -> Msg {
    let pages = join_all(projects.iter().map(|name| client.project(name))).await;
    let answers = blocking(move || {
        projects
            .into_iter()
            .zip(pages)
            .map(|(name, page)| {
                let offers = page
                    .map(|project| {
                        targets
                            .iter()
                            .map(|t| newest_loadable(&project, t))
                            .collect::<Vec<_>>()
                    })
                    .map_err(|e| Failure::of(&e));
                (name, offers)
            })
            .collect::<HashMap<_, _>>()
    })
    .await;
    Msg::MatrixOffers(Ok(answers))
}
